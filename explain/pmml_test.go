package explain_test

import (
	"os"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/explain"
	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/pmml"
)

// TestImportedDMGSampleAgrees explains the PMML sample scorecard as read by
// pmml.Read from the specification's XML (score/pmml/testdata) and checks
// that score, breakdown and reason codes agree with the hand-built model
// over a grid of inputs that covers every attribute, the bin edges and
// missing values.
func TestImportedDMGSampleAgrees(t *testing.T) {
	f, err := os.Open("../score/pmml/testdata/pmml_dmg_sample_scorecard.xml")
	require.NoError(t, err)
	defer f.Close()
	imported, err := pmml.Read(f, nil)
	require.NoError(t, err)
	hand := dmgScorecard(t, false)
	require.Equal(t, hand.Schema().Names(), imported.Schema().Names())

	ei, err := explain.NewExplainer(imported, &explain.Options{MaxReasons: 3, KeepZero: true})
	require.NoError(t, err)
	eh, err := explain.NewExplainer(hand, &explain.Options{MaxReasons: 3, KeepZero: true})
	require.NoError(t, err)
	var xi, xh explain.Explanation
	n := 0
	for _, d := range []score.Value{score.Missing(), score.Cat("marketing"), score.Cat("engineering"), score.Cat("business")} {
		for _, a := range []score.Value{score.Missing(), score.Num(17), score.Num(18), score.Num(19), score.Num(29), score.Num(30), score.Num(39), score.Num(40), score.Num(70)} {
			for _, inc := range []score.Value{score.Missing(), score.Num(0), score.Num(1000), score.Num(1000.5), score.Num(2500), score.Num(2501), score.Num(1e6)} {
				rec := score.Record{d, a, inc}
				require.NoError(t, ei.Explain(rec, &xi))
				require.NoError(t, eh.Explain(rec, &xh))
				require.Equal(t, xh.Result.Score, xi.Result.Score, "%v", rec)
				require.Equal(t, xh.Baseline, xi.Baseline)
				require.Equal(t, xh.Contributions, xi.Contributions, "%v", rec)
				require.Equal(t, codes(xh.Reasons), codes(xi.Reasons), "%v", rec)
				n++
			}
		}
	}
	require.Equal(t, 252, n)
}
