package fit_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/fit"
)

// A column whose last value is 1e6 among 1 .. 999 (trial10's revolving
// utilisation reaches 9,340 where nearly every value is under 1.1) is named
// for the logistic fit, whether a straight line (no blanks) or, with
// --missing indicator, a sloped bin beside a missing bin; an even column
// is not. Percentiles by numpy.percentile (type 7) of 1, 2, ..., 999, 1e6:
// 1st 10.99, 99th 990.01, so the upper tail reaches (1e6 - 990.01) /
// (990.01 - 10.99) = 1020.4183673469388 spans. With i = 25, 75, ..., 975
// blank, the term's training statistics are those of the other 980 values
// (the blanks, filled with 500 in the fit, are Missing): 10.79, 990.21 and
// (1e6 - 990.21) / (990.21 - 10.79) = 1020.001419207286.
func TestHeavyTailsNamesALongTail(t *testing.T) {
	var rows [][]string
	for i := 1; i <= 1000; i++ {
		x := float64(i)
		if i == 1000 {
			x = 1e6
		}
		y := "0"
		if (i*7+i/50)%10 < 3+i/400 {
			y = "1"
		}
		even := fmt.Sprint(i % 37)
		rows = append(rows, []string{fmt.Sprint(x), even, y})
	}
	plain := clone(rows)
	for i := range rows {
		if (i+1)%50 == 25 {
			rows[i][0] = ""
		}
	}
	tab, err := score.NewTable([]string{"utilisation", "even", "y"}, rows)
	require.NoError(t, err)
	s, err := tab.InferSchema().WithRoles(score.Ignored, "y")
	require.NoError(t, err)
	fitted, err := fit.Logistic(context.Background(), tab, s, "y", "1", &fit.LogisticOptions{Missing: fit.MissingIndicator})
	require.NoError(t, err)
	hs := fit.HeavyTails(fitted.Model)
	require.Len(t, hs, 1)
	h := hs[0]
	require.Equal(t, "utilisation", h.Feature)
	require.True(t, h.Upper)
	require.Equal(t, score.BinnedTerm, fitted.Model.Term(0).Kind)
	require.InDelta(t, 10.79, h.P1, 1e-9)
	require.InDelta(t, 990.21, h.P99, 1e-9)
	require.InDelta(t, 1020.001419207286, h.Factor, 1e-9)
	require.Equal(t, "utilisation: 1% of its training values lie above 990.21 and reach 1e+06, 1020 times the span of the middle 98% (10.79 to 990.21): "+
		"a straight-line term lets those few rows set its slope; if they are codes, declare them (\"special\" in the features file); else a scorecard or boosted model (--model scorecard, --model boosted) bins the feature", h.String())

	// Without blanks: a LinearTerm; and the same tail on the low side.
	tab, err = score.NewTable([]string{"utilisation", "even", "y"}, plain)
	require.NoError(t, err)
	fitted, err = fit.Logistic(context.Background(), tab, s, "y", "1", nil)
	require.NoError(t, err)
	require.Equal(t, score.LinearTerm, fitted.Model.Term(0).Kind)
	hs = fit.HeavyTails(fitted.Model)
	require.Len(t, hs, 1)
	require.InDelta(t, 10.99, hs[0].P1, 1e-9)
	require.InDelta(t, 990.01, hs[0].P99, 1e-9)
	require.InDelta(t, 1020.4183673469388, hs[0].Factor, 1e-9)
	plain[999][0] = "-1e6"
	tab, err = score.NewTable([]string{"utilisation", "even", "y"}, plain)
	require.NoError(t, err)
	fitted, err = fit.Logistic(context.Background(), tab, s, "y", "1", nil)
	require.NoError(t, err)
	hs = fit.HeavyTails(fitted.Model)
	require.Len(t, hs, 1)
	require.False(t, hs[0].Upper)
	require.Contains(t, hs[0].String(), "lie below")

	// A scorecard bins the column: no straight line, nothing to name.
	sc, err := fit.Scorecard(context.Background(), tab, s, "y", "1", nil)
	require.NoError(t, err)
	require.Empty(t, fit.HeavyTails(sc.Model))
}

func clone(rows [][]string) [][]string {
	out := make([][]string, len(rows))
	for i, r := range rows {
		out[i] = append([]string(nil), r...)
	}
	return out
}
