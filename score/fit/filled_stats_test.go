package fit_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/fit"
)

// In an indicator design (declared special codes, --missing indicator) a
// code or a blank is fitted at a fill, the lower median of the real
// values. The folded term's statistics counted those rows at the fill: its
// percentiles, its data trend and the decile cells that back advice held a
// spike of rows that are not numbers (on HELOC, thousands of -7/-8/-9
// rows in one decile). Now they describe the real numbers only and count
// the rest as Missing; the baseline, what the fit averaged over, is as
// before. By hand: x = 1 .. 400, x = -9 (declared) on rows i % 8 == 1 and
// blank on i % 8 == 5, so 300 numbers, 50 codes, 50 blanks; the event
// rate rises with x among the numbers, and the codes (event rate 0.8)
// are not among them.
func TestIndicatorTermStatsLeaveFilledRowsOut(t *testing.T) {
	var rows [][]string
	for i := range 400 {
		x := fmt.Sprint(i + 1)
		switch i % 8 {
		case 1:
			x = "-9"
		case 5:
			x = ""
		}
		y := "0"
		if (i*3)%10 < 1+i/100 || i%8 == 1 && i%5 != 0 {
			y = "1"
		}
		rows = append(rows, []string{x, y})
	}
	tab, err := score.NewTable([]string{"months", "y"}, rows)
	require.NoError(t, err)
	decl := score.Declarations{Features: map[string]score.Declaration{"months": {Special: map[string]string{"-9": "no record"}}}}
	s, err := tab.InferSchemaWith(&decl)
	require.NoError(t, err)
	s, err = s.WithRoles(score.Ignored, "y")
	require.NoError(t, err)
	fitted, err := fit.Logistic(context.Background(), tab, s, "y", "1", &fit.LogisticOptions{Missing: fit.MissingIndicator})
	require.NoError(t, err)
	term := fitted.Model.Term(0)
	require.Equal(t, score.BinnedTerm, term.Kind)
	st := term.Stats
	require.InDelta(t, 300, st.Count, 1e-12)
	require.InDelta(t, 100, st.Missing, 1e-12)
	require.Equal(t, 1.0, st.Min)   // never the code -9
	require.Equal(t, 400.0, st.Max) // i = 399 is 7 mod 8
	var cells float64
	for _, c := range st.Cells {
		cells += c.Count
	}
	require.InDelta(t, 300, cells, 1e-12, "decile cells hold the numbers only")
	require.Equal(t, 1, st.DataTrend)
}
