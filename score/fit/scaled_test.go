package fit_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/fit"
)

// The BigML telecom churn files (testdata/trials/2026-12-04-trial17.md)
// carry each charge as its minutes at a fixed rate, to the cent (Total day
// charge = 0.17 x Total day minutes); the derived-input check, which knows
// relations of three columns, named none. By construction here: day and
// evening charges at 0.17 and 0.085 per minute (minutes to one decimal,
// charges rounded to the cent), an age and an experience that runs with it
// (age - 24, give or take a year: not a multiple), a count of calls and an
// unrelated amount. Both charges are named, each once (the charge, written
// to more significant digits than the minutes it rounds back to), with the
// rate as written; nothing else is.
func TestScaledInputsNamesAChargeAtARate(t *testing.T) {
	rng := rand.New(rand.NewPCG(17, 4))
	round := func(x float64, d int) float64 { p := math.Pow(10, float64(d)); return math.Round(x*p) / p }
	var rows [][]string
	for range 1000 {
		day, eve := round(20+rng.Float64()*330, 1), round(10+rng.Float64()*300, 1)
		age := 25 + rng.IntN(40)
		rows = append(rows, []string{
			fmt.Sprint(day), fmt.Sprintf("%.2f", round(0.17*day, 2)),
			fmt.Sprint(eve), fmt.Sprintf("%.2f", round(0.085*eve, 2)),
			fmt.Sprint(age), fmt.Sprint(age - 24 + rng.IntN(3) - 1),
			fmt.Sprint(rng.IntN(9)), fmt.Sprintf("%.2f", rng.Float64()*900),
			[]string{"no", "yes"}[rng.IntN(2)],
		})
	}
	tab, err := score.NewTable([]string{"day minutes", "day charge", "eve minutes", "eve charge", "age", "experience", "calls", "balance", "churn"}, rows)
	require.NoError(t, err)
	s, err := tab.InferSchema().WithRoles(score.Ignored, "churn")
	require.NoError(t, err)
	got := fit.ScaledInputs(tab, s)
	require.Len(t, got, 2, "%+v", got)
	for k, want := range []fit.Scaled{
		{Feature: "day charge", Source: "day minutes", Rate: 0.17, Decimals: 2, Share: 1},
		{Feature: "eve charge", Source: "eve minutes", Rate: 0.085, Decimals: 2, Share: 1},
	} {
		// the rows off the charge's most common value: a few charges repeat
		require.GreaterOrEqual(t, got[k].Rows, 990)
		want.Rows = got[k].Rows
		require.Equal(t, want, got[k])
	}
	require.Equal(t, fmt.Sprintf("day charge = 0.17 * day minutes (rounded to 2 decimals) on 100.0%% of %d rows", got[0].Rows), got[0].String())
}
