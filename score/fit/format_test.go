package fit_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/fit"
)

// TestFormatScorecardLogOddsWithoutWoE: a boosted model's bins carry no
// WoE (its shapes are boosted, not binned by weight of evidence), and its
// fit report printed a woe column of zeros. For a model whose bins have no
// WoE the column is the bin's effect in log-odds of the event: points =
// Offset - Factor * ln(event odds), so a bin of p points moves the
// log-odds by -p / Factor; with the default scaling (PDO 50, Factor 50 /
// ln 2 = 72.1348), +36.07 points are -0.5000 and -72.13 points +1.0000.
func TestFormatScorecardLogOddsWithoutWoE(t *testing.T) {
	sc := score.NewScaling(0, 0, 0)
	half, one := 0.5*sc.Factor, -1*sc.Factor
	cut := 30.0
	s := score.MustSchema(score.Feature{Name: "x"})
	m, err := score.NewModel(score.Spec{Name: "b", Kind: score.ScorecardModel, Features: s.Features(), Intercept: 500, Scaling: &sc,
		Terms: []score.Term{{Feature: "x", Kind: score.BinnedTerm, Bins: []score.Bin{
			{Kind: score.RangeBin, Upper: &cut, Effect: half, Count: 40},
			{Kind: score.RangeBin, Lower: &cut, Effect: one, Count: 60},
			{Kind: score.MissingBin}}}}})
	require.NoError(t, err)
	out := fit.FormatScorecard(m)
	require.Contains(t, out, "log-odds")
	require.NotContains(t, out, "woe")
	lines := strings.Split(out, "\n")
	var got []string
	for _, l := range lines {
		if strings.Contains(l, "[-inf, 30)") || strings.Contains(l, "[30, +inf)") {
			f := strings.Fields(l)
			got = append(got, f[len(f)-2])
		}
	}
	require.Equal(t, []string{"-0.5000", "1.0000"}, got)
	require.InDelta(t, 72.1348, sc.Factor, 5e-5)
	require.InDelta(t, 36.07, half, 5e-3)
}
