package fit_test

import (
	"encoding/json"
	"flag"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/examples/datasets"
	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/fit"
)

var updateBinnings = flag.Bool("update-binnings", false, "rewrite testdata/binnings/*.json from BinFeature")

// binningCase is one feature of one data set binned with one set of
// options: every feature of every data set in examples/datasets with the
// default options, Bank marketing's pdays with its special code -1, and
// German credit with integer weights 0 to 3 (drawn from a seeded PCG).
type binningCase struct {
	Dataset, Target, Event string
	Feature                score.Feature
	Values                 []score.Value
	Events                 []bool
	Weights                []float64
	Options                *fit.BinningOptions
	Key                    string // the case's name in the golden file
}

// goldenBin is a bin's definition and counts, printed exactly (JSON
// floats round-trip).
type goldenBin struct {
	Kind       string   `json:"kind"`
	Lower      *float64 `json:"lower,omitempty"`
	Upper      *float64 `json:"upper,omitempty"`
	Special    *float64 `json:"special,omitempty"`
	Categories []string `json:"categories,omitempty"`
	Count      float64  `json:"count"`
	Events     float64  `json:"events"`
}

func goldenBins(b *fit.Binning) []goldenBin {
	var out []goldenBin
	for _, bin := range b.Bins {
		out = append(out, goldenBin{Kind: string(bin.Kind), Lower: bin.Lower, Upper: bin.Upper, Special: bin.Special,
			Categories: bin.Categories, Count: bin.Count, Events: bin.Events})
	}
	return out
}

var (
	casesOnce   sync.Once
	casesCached map[string][]binningCase
)

// binningCases loads every data set and lists its cases (once; the
// callers do not modify them).
func binningCases(t testing.TB) map[string][]binningCase {
	t.Helper()
	casesOnce.Do(func() { casesCached = loadBinningCases(t) })
	require.NotNil(t, casesCached)
	return casesCached
}

func loadBinningCases(t testing.TB) map[string][]binningCase {
	t.Helper()
	sets := []struct{ name, target, event string }{
		{datasets.GermanCredit, "creditability", "bad"},
		{datasets.TelcoChurn, "Churn", "Yes"},
		{datasets.BankMarketing, "y", "yes"},
		{datasets.Adult, "income", ">50K"},
	}
	out := map[string][]binningCase{}
	for _, ds := range sets {
		tab, schema, err := datasets.LoadSchema(ds.name)
		require.NoError(t, err)
		n := tab.Len()
		tc := tab.Column(ds.target)
		events := make([]bool, n)
		for r := range n {
			events[r] = tab.Cell(r, tc) == ds.event
		}
		var weights []float64
		if ds.name == datasets.GermanCredit {
			rng := rand.New(rand.NewPCG(15, 2))
			weights = make([]float64, n)
			for r := range weights {
				weights[r] = float64(rng.IntN(4))
			}
		}
		for _, f := range schema.Features() {
			if f.Role == score.Ignored {
				continue
			}
			col := tab.Column(f.Name)
			values := make([]score.Value, n)
			for r := range n {
				v, err := score.ParseValue(f.Kind, tab.Cell(r, col))
				require.NoError(t, err, "%s %s row %d", ds.name, f.Name, r+1)
				values[r] = v
			}
			c := binningCase{Dataset: ds.name, Target: ds.target, Event: ds.event, Feature: f, Values: values, Events: events, Key: f.Name}
			out[ds.name] = append(out[ds.name], c)
			if weights != nil {
				w := c
				w.Weights, w.Key = weights, f.Name+" weighted"
				out[ds.name] = append(out[ds.name], w)
			}
			if ds.name == datasets.BankMarketing && f.Name == "pdays" {
				s := c
				s.Options, s.Key = &fit.BinningOptions{Special: []float64{-1}}, f.Name+" special -1"
				out[ds.name] = append(out[ds.name], s)
			}
		}
	}
	return out
}

func readGoldenBinnings(t testing.TB, name string) map[string][]goldenBin {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "binnings", name+".json"))
	require.NoError(t, err)
	var g map[string][]goldenBin
	require.NoError(t, json.Unmarshal(b, &g))
	return g
}

// TestBinningDatasetsGolden: BinFeature's bins (cut points, category
// groups, counts and events) on every data set equal, exactly, those in
// testdata/binnings, which were written by this test with
// -update-binnings from the code before binning used fit.PreBins (main at
// 2751458, where BinFeature sorted the rows itself), and rewritten when the
// automatic shape's criterion began to count bins (branch card; with the
// old criterion the PreBins code still reproduced the first files exactly),
// when none became a fifth shape (branch bins), and when each shape began to
// be scored at its own best bin count (branch bins2: adult fnlwgt turns
// once, not four times; bank balance ascending, not peak; german age 5
// descending bins, not 2; german weighted age, amount and residence move), and when cuts
// became the plainest number between neighbouring values (plainestCut:
// cut values only, every bin's count and events unchanged; german credit
// amount 5998 -> 5990, 9271 -> 9200).
func TestBinningDatasetsGolden(t *testing.T) {
	for name, cases := range binningCases(t) {
		got := map[string][]goldenBin{}
		for _, c := range cases {
			b, err := fit.BinFeature(c.Feature, c.Values, c.Events, c.Weights, c.Options)
			require.NoError(t, err, "%s %s", name, c.Key)
			got[c.Key] = goldenBins(b)
		}
		file := filepath.Join("testdata", "binnings", name+".json")
		if *updateBinnings {
			b, err := json.MarshalIndent(got, "", " ")
			require.NoError(t, err)
			require.NoError(t, os.MkdirAll(filepath.Dir(file), 0o755))
			require.NoError(t, os.WriteFile(file, append(b, '\n'), 0o644))
			continue
		}
		want := readGoldenBinnings(t, name)
		require.Equal(t, len(want), len(got), name)
		for key, bins := range want {
			require.Equal(t, bins, got[key], "%s %s", name, key)
		}
	}
}
