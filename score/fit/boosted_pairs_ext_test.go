package fit_test

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/internal/metric"
	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/fit"
	"github.com/candorscore/candor/score/monitor"
)

// xorTable is n rows of a pure interaction: the event log-odds are
// +2 when x1 and x2 have the same sign and -2 otherwise, plus 0.5*x3; c
// is a categorical noise column. No additive model of x1 and x2 can see
// the XOR (each main effect is flat), a pair can.
func xorTable(t testing.TB, n int, seed uint64) *score.Table {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 1))
	rows := make([][]string, n)
	for i := range rows {
		x1, x2, x3 := rng.NormFloat64(), rng.NormFloat64(), rng.NormFloat64()
		lo := -2.0
		if (x1 > 0) == (x2 > 0) {
			lo = 2
		}
		lo += 0.5 * x3
		y := "no"
		if rng.Float64() < 1/(1+math.Exp(-lo)) {
			y = "yes"
		}
		c := []string{"a", "b", "c"}[rng.IntN(3)]
		rows[i] = []string{fmt.Sprintf("%.4f", x1), fmt.Sprintf("%.4f", x2), fmt.Sprintf("%.4f", x3), c, y}
	}
	tab, err := score.NewTable([]string{"x1", "x2", "x3", "c", "y"}, rows)
	require.NoError(t, err)
	return tab
}

func heldOutAUC(t testing.TB, m *score.Model, tab *score.Table) float64 {
	t.Helper()
	var risk []float64
	var ev []bool
	col := tab.Column("y")
	for i := 0; i < tab.Len(); i++ {
		rec, err := tab.Record(m.Schema(), i)
		require.NoError(t, err)
		r, err := m.Score(rec)
		require.NoError(t, err)
		risk = append(risk, float64(r.Probability))
		ev = append(ev, tab.Cell(i, col) == "yes")
	}
	return metric.AUC(risk, ev, nil)
}

// fastOpts keep the synthetic pair tests quick enough for CI under -race:
// two bags, 64 bins, 20 smoothing rounds and a stopping window of 20
// rounds (the defaults are InterpretML's: 14, 1,024, 75 and 100).
var fastOpts = func(pairs int) *fit.BoostedOptions {
	return &fit.BoostedOptions{Interactions: pairs, OuterBags: 2, MaxBins: 64, SmoothingRounds: 20, EarlyStoppingRounds: 20}
}

// TestBoostedPairsFindTheInteraction: on the XOR table the screen ranks
// (x1, x2) first, the pair term lifts the held-out AUC from about 0.5
// (main effects cannot see a XOR) to near the Bayes AUC, the pair is
// purified (every row and column of its table has training-weighted mean
// 0 in points), and base points plus terms equal the score to 1e-12.
func TestBoostedPairsFindTheInteraction(t *testing.T) {
	train, test := xorTable(t, 4000, 1), xorTable(t, 2000, 2)
	s := train.InferSchema()
	plain, err := fit.Boosted(context.Background(), train, s, "y", "yes", fastOpts(0))
	require.NoError(t, err)
	paired, err := fit.Boosted(context.Background(), train, s, "y", "yes", fastOpts(2))
	require.NoError(t, err)
	require.Len(t, paired.Pairs, 2)
	require.Equal(t, [2]string{"x1", "x2"}, paired.Pairs[0].Features)
	require.Greater(t, paired.Pairs[0].Strength, 10*paired.Pairs[1].Strength)
	a0, a1 := heldOutAUC(t, plain.Model, test), heldOutAUC(t, paired.Model, test)
	t.Logf("held-out AUC: main effects %.4f, with pairs %.4f", a0, a1)
	require.Less(t, a0, 0.70, "main effects cannot see the XOR")
	require.Greater(t, a1, 0.80, "the pair sees it")
	m := paired.Model
	require.True(t, m.HasPairs())
	j := m.NumTerms() - 2
	pt := m.Term(j)
	require.Equal(t, score.PairTerm, pt.Kind)
	require.Equal(t, "x1", pt.Feature)
	require.Equal(t, "x2", pt.Pair.Feature)
	nr, nc := len(pt.Bins), len(pt.Pair.Bins)
	require.LessOrEqual(t, nr, fit.DefaultBoostedPairBins+1)
	for r := range nr {
		var s, w float64
		for c := range nc {
			s += pt.Pair.Counts[r*nc+c] * pt.Pair.Effects[r*nc+c]
			w += pt.Pair.Counts[r*nc+c]
		}
		if w > 0 {
			require.InDelta(t, 0, s/w, 1e-9, "row %d mean", r)
		}
	}
	for c := range nc {
		var s, w float64
		for r := range nr {
			s += pt.Pair.Counts[r*nc+c] * pt.Pair.Effects[r*nc+c]
			w += pt.Pair.Counts[r*nc+c]
		}
		if w > 0 {
			require.InDelta(t, 0, s/w, 1e-9, "column %d mean", c)
		}
	}
	require.InDelta(t, 0, pt.Baseline, 1e-9, "a pure pair averages 0")
	terms := make([]float64, m.NumTerms())
	for i := 0; i < test.Len(); i++ {
		rec, err := test.Record(m.Schema(), i)
		require.NoError(t, err)
		r, err := m.ScoreTerms(rec, terms)
		require.NoError(t, err)
		sum := m.Intercept()
		for _, e := range terms {
			sum += e
		}
		require.InDelta(t, r.Score, sum, 1e-12)
	}
}

// TestBoostedPairsDeterministic: with pairs, two fits with one seed give
// byte-identical files on one core and on all cores.
func TestBoostedPairsDeterministic(t *testing.T) {
	train := xorTable(t, 1500, 3)
	s := train.InferSchema()
	save := func(procs int) []byte {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		bf, err := fit.Boosted(context.Background(), train, s, "y", "yes", fastOpts(3))
		require.NoError(t, err)
		var b bytes.Buffer
		require.NoError(t, bf.Model.Save(&b))
		return b.Bytes()
	}
	one := save(1)
	require.Equal(t, one, save(runtime.NumCPU()))
	require.Equal(t, one, save(1))
}

// TestBoostedPairsAcceptance: on each data set the model with
// InterpretML's default pairs (BoostedAutoInteractions: three per
// feature) meets the targets (boostedTargets), but for the
// shortfalls each case records. It runs with CANDOR_LONG=1 only (minutes;
// longer under -race).
func TestBoostedPairsAcceptance(t *testing.T) {
	if os.Getenv("CANDOR_LONG") == "" {
		t.Skip("fits the acceptance data sets with pairs: set CANDOR_LONG=1")
	}
	for _, c := range boostedCases {
		t.Run(c.name, func(t *testing.T) {
			s, train, test := boostedData(t, c)
			start, cpu := time.Now(), processCPU()
			paired, err := fit.Boosted(context.Background(), train, s, c.target, c.event, &fit.BoostedOptions{Interactions: fit.BoostedAutoInteractions})
			require.NoError(t, err)
			took, cpuTook := time.Since(start), processCPU()-cpu
			p1, err := monitor.Assess(paired.Model, test, c.target, c.event)
			require.NoError(t, err)
			targets := boostedBaselines(t, c, s, train, test)
			var first []pairName
			for _, p := range paired.Pairs[:min(5, len(paired.Pairs))] {
				first = append(first, pairName(p.Features[0]+" x "+p.Features[1]))
			}
			t.Logf("%s: with %d pairs %.4f (%v wall, %v CPU); sklearn HGB %.4f, logistic %.4f, scorecard %.4f; first pairs %v",
				c.name, len(paired.Pairs), p1.AUC, took.Round(time.Millisecond), cpuTook.Round(time.Millisecond), targets["hgb"], targets["logistic"], targets["scorecard"], first)
			boostedTargets(t, c.name+" with pairs", p1.AUC, targets, c.pairsShort)
		})
	}
}

// pairName is a pair's two features, for the log.
type pairName string

// missingPairTable is n rows whose interaction lives in the missing cells:
// when x1 is blank (30% of rows) the event log-odds are +2 for x2 > 0 and
// -2 otherwise; when x1 is present they do not depend on x1 or x2; 0.5*x3
// is added to both. Missing is a bin of its own on each axis of a pair's
// table (InterpretML's bin 0 of every interaction tensor), so the pair of
// x1 and x2 can hold the contrast in its missing row.
func missingPairTable(t testing.TB, n int, seed uint64) *score.Table {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 2))
	rows := make([][]string, n)
	for i := range rows {
		x1, x2, x3 := rng.NormFloat64(), rng.NormFloat64(), rng.NormFloat64()
		c1 := fmt.Sprintf("%.4f", x1)
		lo := 0.5 * x3
		if rng.Float64() < 0.3 {
			c1 = ""
			if x2 > 0 {
				lo += 2
			} else {
				lo -= 2
			}
		}
		y := "no"
		if rng.Float64() < 1/(1+math.Exp(-lo)) {
			y = "yes"
		}
		rows[i] = []string{c1, fmt.Sprintf("%.4f", x2), fmt.Sprintf("%.4f", x3), y}
	}
	tab, err := score.NewTable([]string{"x1", "x2", "x3", "y"}, rows)
	require.NoError(t, err)
	return tab
}

// TestBoostedPairMissingCells: on missingPairTable the screen ranks (x1,
// x2) first and the pair puts the contrast where the data put it: the
// log-odds of x2 = 1 against x2 = -1 differ by 4 (the generating model's
// +2 - -2) when x1 is missing and by 0 when x1 = 0.5. Each is checked
// within 1 (shrinkage and 4,000 rows). A model of main effects only gives
// the same difference in both (it is additive), so it cannot pass.
func TestBoostedPairMissingCells(t *testing.T) {
	train := missingPairTable(t, 4000, 5)
	s := train.InferSchema()
	contrasts := func(m *score.Model) (missing, present float64) {
		probe, err := score.NewTable([]string{"x1", "x2", "x3"}, [][]string{{"", "1", "0"}, {"", "-1", "0"}, {"0.5", "1", "0"}, {"0.5", "-1", "0"}})
		require.NoError(t, err)
		lo := make([]float64, probe.Len())
		for i := range lo {
			rec, err := probe.Record(m.Schema(), i)
			require.NoError(t, err)
			r, err := m.Score(rec)
			require.NoError(t, err)
			lo[i] = float64(r.LogOdds)
		}
		return lo[0] - lo[1], lo[2] - lo[3]
	}
	plain, err := fit.Boosted(context.Background(), train, s, "y", "yes", fastOpts(0))
	require.NoError(t, err)
	pm, pp := contrasts(plain.Model)
	require.InDelta(t, pm, pp, 1e-9, "main effects are additive")
	paired, err := fit.Boosted(context.Background(), train, s, "y", "yes", fastOpts(1))
	require.NoError(t, err)
	require.Len(t, paired.Pairs, 1)
	require.Equal(t, [2]string{"x1", "x2"}, paired.Pairs[0].Features)
	dm, dp := contrasts(paired.Model)
	t.Logf("x2 = 1 against -1: main effects %.3f in both; with the pair %.3f (x1 missing), %.3f (x1 = 0.5)", pm, dm, dp)
	require.InDelta(t, 4, dm, 1, "x1 missing")
	require.InDelta(t, 0, dp, 1, "x1 present")
}
