package fit_test

import (
	"testing"

	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/fit"
	"github.com/stretchr/testify/require"
)

// churnByProducts builds the bank-churn case of issue 12: churn by number of
// products 1-4 with the rows and churn counts of the public bank churn file
// (Churn_Modelling.csv: 5,084 / 4,590 / 266 / 60 customers churning at
// 27.7% / 7.6% / 82.7% / 100%).
func churnByProducts() ([]score.Value, []bool) {
	var vals []score.Value
	var ev []bool
	for _, g := range []struct{ x, n, churned int }{{1, 5084, 1409}, {2, 4590, 348}, {3, 266, 220}, {4, 60, 60}} {
		for i := 0; i < g.n; i++ {
			vals = append(vals, score.Num(float64(g.x)))
			ev = append(ev, i < g.churned)
		}
	}
	return vals, ev
}

// TestAutoTrendValley: the automatic trend must find the valley (1 product
// risky, 2 safe, 3 or more very risky), not the monotone [-inf,2) [2,+inf).
func TestAutoTrendValley(t *testing.T) {
	vals, ev := churnByProducts()
	f := score.Feature{Name: "NumOfProducts", Kind: score.Numeric}
	b, err := fit.BinFeature(f, vals, ev, nil, nil)
	require.NoError(t, err)
	require.Equal(t, fit.TrendValley, b.Trend)
	var cuts []float64
	for _, bin := range b.Bins {
		if bin.Kind == score.RangeBin && bin.Lower != nil {
			cuts = append(cuts, *bin.Lower)
		}
	}
	// [-inf,2) [2,3) [3,+inf): 4 products (all churned, no non-events) cannot
	// stand alone, so it joins 3.
	require.Equal(t, []float64{2, 3}, cuts)
	// The choice is reported: every shape with its criterion, the valley's
	// the lowest. Hand check of the valley's binned log-likelihood:
	// 1409 ln(1409/5084) + 3675 ln(3675/5084) + 348 ln(348/4590)
	// + 4242 ln(4242/4590) + 280 ln(280/326) + 46 ln(46/326) = -4365.5318
	// (evaluated with Python's math.log).
	require.Len(t, b.Choice, 4)
	byTrend := map[fit.Trend]fit.TrendScore{}
	for _, c := range b.Choice {
		byTrend[c.Trend] = c
	}
	v := byTrend[fit.TrendValley]
	require.True(t, v.OK)
	require.Equal(t, 1, v.Turns)
	require.InDelta(t, -4365.5318, v.LogLik, 1e-4)
	require.InDelta(t, -2*v.LogLik+v.Penalty, v.Criterion, 1e-9)
	for _, tr := range []fit.Trend{fit.TrendAscending, fit.TrendDescending, fit.TrendPeak} {
		require.Greater(t, byTrend[tr].Criterion, v.Criterion, tr)
	}

	// A declared trend is obeyed: descending forces a monotone binning.
	d, err := fit.BinFeature(f, vals, ev, nil, &fit.BinningOptions{Trend: fit.TrendDescending})
	require.NoError(t, err)
	require.Equal(t, fit.TrendDescending, d.Trend)
	require.Nil(t, d.Choice)
	// TrendNone imposes nothing: the same three bins here.
	n, err := fit.BinFeature(f, vals, ev, nil, &fit.BinningOptions{Trend: fit.TrendNone})
	require.NoError(t, err)
	require.Equal(t, fit.TrendValley, n.Trend)
}

// TestAutoTrendMonotone: a monotone feature keeps a monotone shape (the
// turning point's penalty is not paid for noise).
func TestAutoTrendMonotone(t *testing.T) {
	var vals []score.Value
	var ev []bool
	for x := 0; x < 2000; x++ {
		vals = append(vals, score.Num(float64(x%50)))
		// event rate rising with x: 1 in 10 at 0-9, ... deterministic pattern
		ev = append(ev, (x*7919)%100 < 10+x%50)
	}
	b, err := fit.BinFeature(score.Feature{Name: "x", Kind: score.Numeric}, vals, ev, nil, nil)
	require.NoError(t, err)
	require.Equal(t, fit.TrendAscending, b.Trend)
}
