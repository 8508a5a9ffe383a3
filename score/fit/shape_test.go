package fit_test

import (
	"encoding/json"
	"math"
	"os"
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
	require.Equal(t, 3, v.Bins)
	require.InDelta(t, -2*v.LogLik+3*v.Penalty, v.Criterion, 1e-9)
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

// TestChooseTrendCountsBins: the shape criterion counts one parameter per
// bin. On the card-default data's BILL_AMT5 (IV 0.013) the best valley has 7
// bins and the best ascending binning 3; counting only the valley's turning
// point chose the valley (-2 loglik 22149.8 + 9.95 < 22183.1), a 7-rate model
// of a nearly flat feature. Every shape's bins, IV, log-likelihood and
// criterion are checked against a brute-force enumeration of all groupings
// (testdata/choose_trend.py, which uses no candor code).
func TestChooseTrendCountsBins(t *testing.T) {
	raw, err := os.ReadFile("testdata/choose_trend.json")
	require.NoError(t, err)
	var ref struct {
		Rows    float64 `json:"rows"`
		Penalty float64 `json:"penalty"`
		MaxBins int     `json:"max_bins"`
		Prebins []struct {
			Events    float64 `json:"events"`
			NonEvents float64 `json:"nonevents"`
		} `json:"prebins"`
		Shapes []struct {
			Shape     fit.Trend `json:"shape"`
			Bins      int       `json:"bins"`
			Starts    []int     `json:"starts"`
			IV        float64   `json:"iv"`
			LogLik    float64   `json:"loglik"`
			Criterion float64   `json:"criterion"`
		} `json:"shapes"`
	}
	require.NoError(t, json.Unmarshal(raw, &ref))
	p := fit.BinProblem{MaxBins: ref.MaxBins}
	for _, pb := range ref.Prebins {
		p.Events = append(p.Events, pb.Events)
		p.NonEvents = append(p.NonEvents, pb.NonEvents)
		p.TotalEvents += pb.Events
		p.TotalNonEvents += pb.NonEvents
	}
	require.InDelta(t, ref.Rows, p.TotalEvents+p.TotalNonEvents, 0)
	starts, scores := fit.ChooseTrend(p, math.Log(ref.Rows))
	require.Len(t, scores, len(ref.Shapes))
	for k, want := range ref.Shapes {
		got := scores[k]
		require.Equal(t, want.Shape, got.Trend)
		require.True(t, got.OK, want.Shape)
		require.Equal(t, want.Bins, got.Bins, want.Shape)
		require.InDelta(t, want.IV, got.IV, 1e-12, want.Shape)
		require.InDelta(t, want.LogLik, got.LogLik, 1e-8, want.Shape)
		require.InDelta(t, want.Criterion, got.Criterion, 1e-8, want.Shape)
		require.InDelta(t, ref.Penalty, got.Penalty, 1e-12)
	}
	// ascending (3 bins, 22212.94) beats the valley (7 bins, 22219.48)
	require.Equal(t, ref.Shapes[0].Starts, starts)
	require.Equal(t, []int{0, 6, 7}, starts)
}

// TestChooseTrendNeedsASplit: a shape with a single bin (no admissible split
// of that shape) does not compete with shapes that split, however small
// their gain: the shape choice is no feature screen. Event rates falling
// 0.30, 0.29, 0.28 over three pre-bins of 1000 rows: ascending can only be
// one bin (-2 loglik 3612.91 + ln 3000 = 3620.92, by Python's math.log),
// descending has three (3611.94 + 3 ln 3000 = 3635.96) and wins.
func TestChooseTrendNeedsASplit(t *testing.T) {
	p := fit.BinProblem{Events: []float64{300, 290, 280}, NonEvents: []float64{700, 710, 720},
		TotalEvents: 870, TotalNonEvents: 2130, MaxBins: 8}
	starts, scores := fit.ChooseTrend(p, math.Log(3000))
	require.Equal(t, 1, scores[0].Bins)
	require.InDelta(t, 3620.9165, scores[0].Criterion, 1e-3)
	require.Equal(t, 3, scores[1].Bins)
	require.InDelta(t, 3635.9577, scores[1].Criterion, 1e-3)
	require.Equal(t, []int{0, 1, 2}, starts)
	// With no split of any shape the single bin is the answer.
	p = fit.BinProblem{Events: []float64{300}, NonEvents: []float64{700}, TotalEvents: 300, TotalNonEvents: 700, MaxBins: 8}
	starts, _ = fit.ChooseTrend(p, math.Log(1000))
	require.Equal(t, []int{0}, starts)
}
