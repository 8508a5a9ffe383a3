package fit_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"os"
	"runtime"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/fit"
)

var updatePairFiles = flag.String("update-pair-files", "", "rewrite testdata/boosted_pairs_sha256.json from today's fits, naming the commit given")

// pairFixture is testdata/boosted_pairs_sha256.json: the SHA-256 of the
// model file of each fit of TestBoostedPairsFileUnchanged, made at the
// commit it names, on the architecture it names.
type pairFixture struct {
	Commit string            `json:"commit"`
	GOARCH string            `json:"goarch"`
	SHA256 map[string]string `json:"sha256"`
}

// TestBoostedPairsFileUnchanged: a fit with pairs gives, byte for byte,
// the model file it gave when the fixture was made (the commit it names:
// before the pair stage was made fast), on German credit and Telco churn
// with the defaults and InterpretML's default pairs, and on the XOR table
// with the quick options. The fixture holds amd64's files: Go fuses
// multiply-adds on other architectures (arm64, ppc64le, s390x), which
// moves the last bits of a sum, so there the test is skipped. Telco is
// skipped under -short. German is fitted on one core too: the same file.
// -update-pair-files=COMMIT rewrites the fixture, naming COMMIT.
func TestBoostedPairsFileUnchanged(t *testing.T) {
	const file = "testdata/boosted_pairs_sha256.json"
	var want pairFixture
	if *updatePairFiles == "" {
		b, err := os.ReadFile(file)
		require.NoError(t, err)
		require.NoError(t, json.Unmarshal(b, &want))
		if runtime.GOARCH != want.GOARCH {
			t.Skipf("the fixture holds %s's files, this is %s", want.GOARCH, runtime.GOARCH)
		}
	}
	type fitCase struct {
		name          string
		table         *score.Table
		schema        *score.Schema
		target, event string
		opts          *fit.BoostedOptions
		oneCore       bool // fit again on one core: the same file
	}
	xor := xorTable(t, 1500, 3)
	cases := []fitCase{{name: "xor_quick_3pairs", table: xor, schema: xor.InferSchema(), target: "y", event: "yes", opts: fastOpts(3)}}
	for _, c := range boostedCases[:2] {
		if testing.Short() && c.name != boostedCases[0].name {
			continue
		}
		s, train, _ := boostedData(t, c)
		cases = append(cases, fitCase{name: c.name + "_default_pairs", table: train, schema: s, target: c.target, event: c.event,
			opts: &fit.BoostedOptions{Interactions: fit.BoostedAutoInteractions}, oneCore: c.name == boostedCases[0].name})
	}
	got := pairFixture{Commit: *updatePairFiles, GOARCH: runtime.GOARCH, SHA256: map[string]string{}}
	hash := func(c fitCase, procs int) string {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		bf, err := fit.Boosted(context.Background(), c.table, c.schema, c.target, c.event, c.opts)
		require.NoError(t, err)
		require.NotEmpty(t, bf.Pairs, c.name)
		var b bytes.Buffer
		require.NoError(t, bf.Model.Save(&b))
		sum := sha256.Sum256(b.Bytes())
		return hex.EncodeToString(sum[:])
	}
	for _, c := range cases {
		got.SHA256[c.name] = hash(c, runtime.NumCPU())
		if *updatePairFiles == "" {
			require.Equal(t, want.SHA256[c.name], got.SHA256[c.name], "%s: the model file changed", c.name)
		}
		if c.oneCore {
			require.Equal(t, got.SHA256[c.name], hash(c, 1), "%s: one core gives another file than all cores", c.name)
		}
	}
	if *updatePairFiles != "" {
		b, err := json.MarshalIndent(got, "", "  ")
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(file, append(b, '\n'), 0o644))
	}
}
