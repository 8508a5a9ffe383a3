package fit_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/fit"
	"github.com/candorscore/candor/score/monitor"
	"github.com/stretchr/testify/require"
)

// rangePoints returns the points of term feature's range bins, in order.
func rangePoints(t *testing.T, m *score.Model, feature string) []float64 {
	t.Helper()
	term := m.Term(m.TermOf(feature))
	var pts []float64
	for _, b := range term.Bins {
		if b.Kind == score.RangeBin {
			pts = append(pts, b.Effect)
		}
	}
	return pts
}

// TestBoostedDeclaredTrend: a trend declared in the schema (the features
// file's "trend") is enforced as Trends is: Telco's tenure declared
// descending (churn falls with tenure) gives a shape whose points never
// fall; the held-out AUC cost of the constraint is logged and bounded.
func TestBoostedDeclaredTrend(t *testing.T) {
	c := boostedCases[1]
	s, train, test := boostedData(t, c)
	// two bags instead of 14: the test is of the constraint, and runs in CI
	bags := &fit.BoostedOptions{OuterBags: 2}
	free, err := fit.Boosted(context.Background(), train, s, c.target, c.event, bags)
	require.NoError(t, err)
	fs := s.Features()
	for i := range fs {
		if fs[i].Name == "tenure" || fs[i].Name == "TotalCharges" {
			fs[i].Trend = score.Descending
		}
	}
	declared, err := score.NewSchema(fs...)
	require.NoError(t, err)
	mono, err := fit.Boosted(context.Background(), train, declared, c.target, c.event, bags)
	require.NoError(t, err)
	for _, feature := range []string{"tenure", "TotalCharges"} {
		freePts, pts := rangePoints(t, free.Model, feature), rangePoints(t, mono.Model, feature)
		require.Greater(t, len(pts), 1, feature)
		falls := false
		for k := 1; k < len(freePts); k++ {
			falls = falls || freePts[k] < freePts[k-1]
		}
		require.True(t, falls, "%s: the free shape is not monotone already", feature)
		for k := 1; k < len(pts); k++ {
			// descending event rate: points never fall
			require.GreaterOrEqual(t, pts[k], pts[k-1], "%s bin %d", feature, k)
		}
	}
	pf, err := monitor.Assess(free.Model, test, c.target, c.event)
	require.NoError(t, err)
	pm, err := monitor.Assess(mono.Model, test, c.target, c.event)
	require.NoError(t, err)
	t.Logf("Telco held-out AUC: free %.4f, tenure and TotalCharges descending %.4f (cost %+.4f)", pf.AUC, pm.AUC, pf.AUC-pm.AUC)
	require.InDelta(t, pf.AUC, pm.AUC, 0.01, "the constraint costs at most 0.01 of AUC")

	// Trends overrides the declaration: auto frees the feature again.
	back, err := fit.Boosted(context.Background(), train, declared, c.target, c.event,
		&fit.BoostedOptions{OuterBags: 2, Trends: map[string]fit.Trend{"tenure": fit.TrendAuto, "TotalCharges": fit.TrendAuto}})
	require.NoError(t, err)
	require.Equal(t, rangePoints(t, free.Model, "tenure"), rangePoints(t, back.Model, "tenure"))
}

// TestBoostedSpecialCodes: a declared special code is a bin of its own,
// never part of a range: on a synthetic table where x = -1 ("no record")
// has an event rate of 0.9 and the numbers an event rate rising from 0.1
// to 0.5, the -1 rows get a special bin with their own count and the
// highest risk, and the cut points come from the numbers alone.
func TestBoostedSpecialCodes(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var rows [][]string
	for range 4000 {
		x, p := -1.0, 0.9
		if rng.Float64() < 0.8 {
			x = float64(rng.IntN(100))
			p = 0.1 + 0.4*x/100
		}
		y := "no"
		if rng.Float64() < p {
			y = "yes"
		}
		rows = append(rows, []string{strconv.FormatFloat(x, 'g', -1, 64), y})
	}
	tab, err := score.NewTable([]string{"x", "y"}, rows)
	require.NoError(t, err)
	fs := tab.InferSchema().Features()
	fs[0].Special = map[string]string{"-1": "no record"}
	s, err := score.NewSchema(fs...)
	require.NoError(t, err)
	bf, err := fit.Boosted(context.Background(), tab, s, "y", "yes", nil)
	require.NoError(t, err)
	term := bf.Model.Term(bf.Model.TermOf("x"))
	var special *score.Bin
	lowest := 0.0
	for i, b := range term.Bins {
		switch b.Kind {
		case score.SpecialBin:
			special = &term.Bins[i]
		case score.RangeBin:
			if b.Lower != nil {
				require.GreaterOrEqual(t, *b.Lower, 0.0, "a cut below every number")
			}
			lowest = min(lowest, b.Effect)
		}
	}
	require.NotNil(t, special, fmt.Sprint(term.Bins))
	require.Equal(t, -1.0, *special.Special)
	n := 0.0
	for _, r := range rows {
		if r[0] == "-1" {
			n++
		}
	}
	require.Equal(t, n, special.Count)
	require.Less(t, special.Effect, lowest, "-1 rows are the riskiest: fewest points")
	require.Equal(t, 1, term.Stats.DataTrend, "the event rate rises with x (special code left out)")
}

// TestBoostedPairSpecialCode: a pair term over a feature with a declared
// special code keeps the code as a bin of its own on that axis.
func TestBoostedPairSpecialCode(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	var rows [][]string
	for range 4000 {
		x, z := -1.0, float64(rng.IntN(50))
		if rng.Float64() < 0.8 {
			x = float64(rng.IntN(100))
		}
		p := 0.2
		if x >= 50 && z >= 25 || x == -1 && z < 10 {
			p = 0.7
		}
		y := "no"
		if rng.Float64() < p {
			y = "yes"
		}
		rows = append(rows, []string{strconv.FormatFloat(x, 'g', -1, 64), strconv.FormatFloat(z, 'g', -1, 64), y})
	}
	tab, err := score.NewTable([]string{"x", "z", "y"}, rows)
	require.NoError(t, err)
	fs := tab.InferSchema().Features()
	fs[0].Special = map[string]string{"-1": "no record"}
	s, err := score.NewSchema(fs...)
	require.NoError(t, err)
	bf, err := fit.Boosted(context.Background(), tab, s, "y", "yes", &fit.BoostedOptions{Interactions: 1, OuterBags: 2, EarlyStoppingRounds: 20})
	require.NoError(t, err)
	require.Len(t, bf.Pairs, 1)
	var found bool
	for j := 0; j < bf.Model.NumTerms(); j++ {
		term := bf.Model.Term(j)
		if term.Kind != score.PairTerm {
			continue
		}
		axis := term.Bins
		if term.Feature != "x" {
			axis = term.Pair.Bins
		}
		for _, b := range axis {
			found = found || b.Kind == score.SpecialBin && *b.Special == -1
		}
	}
	require.True(t, found, "the pair's x axis has the special bin")
}

// TestBoostedPeakValley: a feature declared peak (the event rate rises,
// then falls) gets a unimodal shape, exactly: on 3,000 synthetic rows
// whose event log-odds peak at x = 50, the free shape has more than one
// local extreme (noise), the declared one falls then rises in points
// (points fall as the event rate rises) with one turning point; valley
// the same way on the mirrored truth, and a peak on a categorical
// feature is an error naming it.
func TestBoostedPeakValley(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	var rows [][]string
	for range 3000 {
		x := rng.Float64() * 100
		lo := 1 - ((x-50)/20)*((x-50)/20)
		y, yv := "no", "no"
		if rng.Float64() < 1/(1+math.Exp(-lo)) {
			y = "yes"
		}
		if rng.Float64() < 1/(1+math.Exp(lo)) {
			yv = "yes"
		}
		rows = append(rows, []string{strconv.FormatFloat(math.Round(x*10)/10, 'g', -1, 64), []string{"a", "b"}[rng.IntN(2)], y, yv})
	}
	tab, err := score.NewTable([]string{"x", "c", "y", "yv"}, rows)
	require.NoError(t, err)
	s := tab.InferSchema()
	s, err = s.WithRoles(score.Ignored, "yv")
	require.NoError(t, err)
	sv, err := tab.InferSchema().WithRoles(score.Ignored, "y")
	require.NoError(t, err)
	turns := func(pts []float64) int {
		n, dir := 0, 0
		for k := 1; k < len(pts); k++ {
			d := 0
			switch {
			case pts[k] > pts[k-1]:
				d = 1
			case pts[k] < pts[k-1]:
				d = -1
			}
			if d != 0 && dir != 0 && d != dir {
				n++
			}
			if d != 0 {
				dir = d
			}
		}
		return n
	}
	opts := func(tr fit.Trend) *fit.BoostedOptions {
		return &fit.BoostedOptions{OuterBags: 2, Trends: map[string]fit.Trend{"x": tr}}
	}
	free, err := fit.Boosted(context.Background(), tab, s, "y", "yes", &fit.BoostedOptions{OuterBags: 2})
	require.NoError(t, err)
	require.Greater(t, turns(rangePoints(t, free.Model, "x")), 1, "the free shape wiggles")
	peak, err := fit.Boosted(context.Background(), tab, s, "y", "yes", opts(fit.TrendPeak))
	require.NoError(t, err)
	pts := rangePoints(t, peak.Model, "x")
	require.Equal(t, 1, turns(pts), "one turning point: %v", pts)
	require.Less(t, pts[len(pts)/2], pts[0], "the event rate peaks inside: fewest points there")
	valley, err := fit.Boosted(context.Background(), tab, sv, "yv", "yes", opts(fit.TrendValley))
	require.NoError(t, err)
	pv := rangePoints(t, valley.Model, "x")
	require.Equal(t, 1, turns(pv), "one turning point: %v", pv)
	require.Greater(t, pv[len(pv)/2], pv[0])
	_, err = fit.Boosted(context.Background(), tab, s, "y", "yes", &fit.BoostedOptions{Trends: map[string]fit.Trend{"c": fit.TrendPeak}})
	require.ErrorIs(t, err, score.ErrWrongKind)
	require.ErrorContains(t, err, "c")
}
