package fit

import (
	"math"
	"testing"

	"github.com/candorscore/candor/score"

	"github.com/stretchr/testify/require"
)

// TestPlainestCut: the number with the fewest significant digits in
// (lo, hi], the largest when several tie (worked by hand for each row).
func TestPlainestCut(t *testing.T) {
	for _, c := range []struct{ lo, hi, want float64 }{
		{0.0911, 0.100877193, 0.1}, // 1 digit: 0.1 is the only one in range
		{7, 9, 9},                  // 8 and 9 tie on one digit: the larger
		{0.1, 7, 7},                // 1..7: the largest
		{9, 10, 10},                // 10 is one digit (1e1)
		{3912, 3913, 3913},         // nothing plainer fits
		{3850, 3913, 3900},         // 3900 is two digits; 4000 is above hi
		{0.008, 0.03, 0.03},        // 0.01, 0.02, 0.03: the largest
		{-5.3, -5.1, -5.1},         // -6 and -10 are below lo
		{-12, -5, -10},             // -10: the power of ten above -5 (k = 0)
		{-0.5, 0.3, 0},             // zero is plainest
		{-99.5, -99.25, -99.3},     // magnitude rounded up: -99.3 <= -99.25
		{-1000.5, -999.5, -1000},   // rounding up carries into a new digit
		{0.1, 0.30000000000000004, 0.3},
		{1e-300, 2e-300, 2e-300},
		{123456.7, 123456.70000000001, 123456.70000000001}, // neighbours in float
	} {
		require.Equal(t, c.want, plainestCut(c.lo, c.hi), "(%v, %v]", c.lo, c.hi)
	}
	require.Equal(t, math.Inf(1), plainestCut(1, math.Inf(1)))
	require.Equal(t, 2.0, plainestCut(2, 2)) // no interval: hi
}

// TestQuantileCutsPlain: the boosted model's pre-bin cuts are the plainest
// numbers between neighbouring training values. Midway cuts (the code before
// this test) were 0.019, 0.0325, 0.0675, 3.55, 8 and 9.5.
func TestQuantileCutsPlain(t *testing.T) {
	xs := []float64{0.008, 0.03, 0.035, 0.1, 7, 9, 10}
	require.Equal(t, []float64{0.03, 0.035, 0.1, 7, 9, 10}, quantileCuts(xs, 16))
}

// TestScorecardCutPlain: a scorecard bin opens at the plainest number above
// the highest value of the bin below (the code before this test opened it at
// the lowest value seen in it, 0.100877193, which a customer then read as
// "ExitRates (0.100877193 or more)"; online shoppers trial).
func TestScorecardCutPlain(t *testing.T) {
	var vals []score.Value
	var ev []bool
	for i := 0; i < 200; i++ {
		x := 0.01 + 0.0811*float64(i%100)/99 // 0.01 .. 0.0911, mostly non-events
		e := i%10 == 0
		if i >= 100 {
			x = 0.100877193 + 0.2*float64(i%100)/99 // 0.100877193 .. 0.300877193, mostly events
			e = i%10 != 0
		}
		vals = append(vals, score.Num(x))
		ev = append(ev, e)
	}
	b, err := BinFeature(score.Feature{Name: "ExitRates", Kind: score.Numeric}, vals, ev, nil, nil)
	require.NoError(t, err)
	require.Equal(t, []float64{0.1}, b.Spec().Cuts)
	require.Equal(t, "[0.1, +inf)", b.Bins[1].Label)
}
