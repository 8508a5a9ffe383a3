package explain_test

import (
	"flag"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/explain"
	"github.com/candorscore/candor/explain/explaintest"
	"github.com/candorscore/candor/score"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata")

// TestGoldenReports pins the staff report and the customer text of the
// PMML sample scorecard, under each baseline and in both languages.
// Regenerate with: go test ./explain -run GoldenReports -update
func TestGoldenReports(t *testing.T) {
	m := dmgScorecard(t, false)
	recs := []score.Record{
		{score.Cat("engineering"), score.Num(25), score.Num(500)},
		{score.Missing(), score.Num(45), score.Num(3000)},
		{score.Cat("business"), score.Num(33), score.Num(1800.5)},
	}
	best, err := explain.BestBaseline(m)
	require.NoError(t, err)
	ref, err := explain.ReferenceBaseline(m, recs[1:])
	require.NoError(t, err)
	cat := explain.DefaultCatalog()
	for _, c := range []struct {
		name string
		base *explain.Baseline
		lang string
	}{
		{"declared-en", nil, "en"},
		{"declared-de", nil, "de"},
		{"best-en", &best, "en"},
		{"reference-en", &ref, "en"},
	} {
		t.Run(c.name, func(t *testing.T) {
			e, err := explain.NewExplainer(m, &explain.Options{Baseline: c.base})
			require.NoError(t, err)
			var out []byte
			var ex explain.Explanation
			for i, r := range recs {
				require.NoError(t, e.Explain(r, &ex))
				out = append(out, "== customer "...)
				out = append(out, byte('1'+i))
				out = append(out, '\n')
				out, err = e.AppendReport(out, cat, c.lang, &ex, 4)
				require.NoError(t, err)
				out = append(out, "customer text:\n"...)
				out, err = e.AppendCustomerText(out, cat, c.lang, &ex)
				require.NoError(t, err)
			}
			explaintest.Golden(t, "sample-"+c.name, out, &explaintest.GoldenOptions{Update: *update})
		})
	}
}
