package explain_test

import (
	"context"
	"fmt"
	"math"
	"os"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/explain"
	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/pmml"
)

// slopedIncome is a scorecard (intercept 50, pointsBelow) with the DMG 4.4
// sample's income characteristic as candor holds it (missing 3; < 1000 26;
// [1000, 2500) 5; from 2500 up -18 + 0.01*income) and an age term (< 30
// 0; from 30 up 12), with the given income training statistics.
func slopedIncome(t testing.TB, st *score.Stats) *score.Model {
	t.Helper()
	sc := score.NewScaling(0, 0, 0)
	m, err := score.NewModel(score.Spec{Name: "sloped", Kind: score.ScorecardModel, Scaling: &sc, Intercept: 50,
		Features: []score.Feature{{Name: "age", Kind: score.Numeric}, {Name: "income", Kind: score.Numeric}},
		Terms: []score.Term{
			{Feature: "age", Kind: score.BinnedTerm, ReasonCode: "AGE", Bins: []score.Bin{
				{Kind: score.RangeBin, Upper: fp(30)},
				{Kind: score.RangeBin, Lower: fp(30), Effect: 12},
			}},
			{Feature: "income", Kind: score.BinnedTerm, ReasonCode: "INC", Stats: st, Bins: []score.Bin{
				{Kind: score.MissingBin, Effect: 3},
				{Kind: score.RangeBin, Upper: fp(1000), Effect: 26},
				{Kind: score.RangeBin, Lower: fp(1000), Upper: fp(2500), Effect: 5},
				{Kind: score.RangeBin, Lower: fp(2500), Effect: -18, Slope: 0.01},
			}},
		}})
	require.NoError(t, err)
	return m
}

// TestBestBaselineSlopedBin: the best attainable income points are those
// of the sloped bin at the top of the training range, by hand:
//   - training range [0, 5000]: the sloped bin reaches -18 + 50 = 32 at
//     5000, above the 26 of "< 1000": best 32;
//   - [0, 3000]: it reaches 12 only: best 26;
//   - no training range: the points grow without bound: ErrBaseline;
//   - [0, 2000], which misses the bin: the bin's own bounds, unbounded:
//     ErrBaseline.
//
// Reasons against best (pointsBelow, gap = best - points) for age 25,
// income 3000 with [0, 5000]: INC 32 - 12 = 20, AGE 12 - 0 = 12.
func TestBestBaselineSlopedBin(t *testing.T) {
	full := &score.Stats{Count: 100, Min: 0, Max: 5000}
	m := slopedIncome(t, full)
	b, err := explain.BestBaseline(m)
	require.NoError(t, err)
	require.Equal(t, []float64{12, 32}, b.Terms)
	require.InDelta(t, 50+12+32, b.Score, 1e-12)

	b3, err := explain.BestBaseline(slopedIncome(t, &score.Stats{Count: 100, Min: 0, Max: 3000}))
	require.NoError(t, err)
	require.Equal(t, []float64{12, 26}, b3.Terms)
	for _, st := range []*score.Stats{nil, {Count: 100, Min: 0, Max: 2000}} {
		_, err = explain.BestBaseline(slopedIncome(t, st))
		require.ErrorIs(t, err, explain.ErrBaseline)
		var fe *score.FieldError
		require.ErrorAs(t, err, &fe)
		require.Equal(t, "income", fe.Feature)
	}

	ex, err := explain.NewExplainer(m, &explain.Options{Baseline: &b})
	require.NoError(t, err)
	var e explain.Explanation
	cases := []struct {
		age, income float64
		codes       []string
		gaps        []float64
	}{
		{25, 3000, []string{"INC", "AGE"}, []float64{20, 12}},
		// -18 + 45 = 27: gap 5; age 40 is at its best.
		{40, 4500, []string{"INC"}, []float64{5}},
		// 5000 is the best itself; 6000 is above it (-18 + 60 = 42): no reason.
		{40, 5000, nil, nil},
		{40, 6000, nil, nil},
		// 26 below 1000: gap 6.
		{40, 999, []string{"INC"}, []float64{6}},
	}
	for _, c := range cases {
		require.NoError(t, ex.Explain(score.Record{score.Num(c.age), score.Num(c.income)}, &e))
		var codes []string
		var gaps []float64
		for _, r := range e.Reasons {
			codes = append(codes, r.Code)
			gaps = append(gaps, r.Gap)
		}
		require.Equal(t, c.codes, codes, "age %v income %v", c.age, c.income)
		require.InDeltaSlice(t, c.gaps, gaps, 1e-12)
		require.InDelta(t, b.Score+sum(e.Contributions), e.Result.Score, 1e-9)
	}

	// Which way income should move, from the bin it is in: the best is
	// inside the sloped bin, so up from anywhere (within it, by the slope).
	dir := func(m *score.Model, income float64) explain.Direction {
		ex, err := explain.NewExplainer(m, &explain.Options{Baseline: &b})
		require.NoError(t, err)
		_, pos, err := m.Effect(1, score.Num(income))
		require.NoError(t, err)
		return ex.Direction(1, pos)
	}
	require.Equal(t, explain.Higher, dir(m, 500))
	require.Equal(t, explain.Higher, dir(m, 2000))
	require.Equal(t, explain.Higher, dir(m, 3000))
	// With training incomes up to 3000 the best is "< 1000" (26 > 12).
	m3 := slopedIncome(t, &score.Stats{Count: 100, Min: 0, Max: 3000})
	require.Equal(t, explain.Lower, dir(m3, 3000))
	require.Equal(t, explain.Lower, dir(m3, 2000))
	require.Equal(t, explain.AnyDirection, dir(m3, 500))

	// The shape of the income term draws the sloped bin as a segment over
	// [2500, 5000]: -18 + 25 = 7 to 32.
	shape, err := ex.Shape(1)
	require.NoError(t, err)
	require.Len(t, shape, 5)
	for k, want := range []float64{3, 26, 5} {
		require.InDelta(t, want, shape[k].Effect, 0)
		require.True(t, math.IsNaN(shape[k].X))
	}
	require.Equal(t, 2500.0, shape[3].X)
	require.InDelta(t, 7, shape[3].Effect, 1e-12)
	require.Equal(t, 5000.0, shape[4].X)
	require.InDelta(t, 32, shape[4].Effect, 1e-12)
	require.InDelta(t, 0, shape[4].Contribution, 1e-12, "32 is the best baseline itself")
	require.Equal(t, shape[3].Label, shape[4].Label)
	// Without a training range the segment has its finite end only.
	exNo, err := explain.NewExplainer(slopedIncome(t, nil), nil)
	require.NoError(t, err)
	shape, err = exNo.Shape(1)
	require.NoError(t, err)
	require.Len(t, shape, 4)
	require.Equal(t, 2500.0, shape[3].X)
}

func sum(xs []float64) float64 {
	var s float64
	for _, x := range xs {
		s += x
	}
	return s
}

// TestImportedDMG44Explains: the 4.4 sample as imported explains like the
// hand-built 4.1 model everywhere below income 2500 (the missing income
// points differ: 3 in 4.4, 5 in 4.1), and above it with the expression's
// points, -18 + 0.01*income (hand-computed gaps against RC3's baseline 10).
func TestImportedDMG44Explains(t *testing.T) {
	f, err := os.Open("../score/pmml/testdata/pmml_dmg_sample_scorecard_complex.xml")
	require.NoError(t, err)
	defer f.Close()
	m, err := pmml.Read(f, nil)
	require.NoError(t, err)
	hand := dmgScorecard(t, false)
	ei, err := explain.NewExplainer(m, &explain.Options{MaxReasons: 3})
	require.NoError(t, err)
	eh, err := explain.NewExplainer(hand, &explain.Options{MaxReasons: 3})
	require.NoError(t, err)
	var xi, xh explain.Explanation
	for _, d := range []score.Value{score.Missing(), score.Cat("marketing"), score.Cat("engineering"), score.Cat("business")} {
		for _, a := range []score.Value{score.Missing(), score.Num(18), score.Num(29), score.Num(39), score.Num(40)} {
			for _, inc := range []float64{0, 1000, 1000.5, 2500} {
				rec := score.Record{d, a, score.Num(inc)}
				require.NoError(t, ei.Explain(rec, &xi))
				require.NoError(t, eh.Explain(rec, &xh))
				require.Equal(t, xh.Result.Score, xi.Result.Score, "%v", rec)
				require.Equal(t, codes(xh.Reasons), codes(xi.Reasons), "%v", rec)
			}
			// Above 2500 the hand model scores -3; the import -18 + 0.01*income.
			for _, inc := range []float64{2501, 2700, 2800, 4000} {
				rec := score.Record{d, a, score.Num(inc)}
				require.NoError(t, ei.Explain(rec, &xi))
				require.NoError(t, eh.Explain(rec, &xh))
				want := -18 + 0.01*inc
				require.InDelta(t, xh.Result.Score+3+want, xi.Result.Score, 1e-9, "%v", rec)
				require.InDelta(t, want, xi.Effects[2], 1e-12)
				require.InDelta(t, want-10, xi.Contributions[2], 1e-12, "RC3's gap is 10 minus the record's points")
			}
		}
	}
}

// slopedRecourseModel is a scorecard with a sloped income bin (< 1000: 10;
// from 1000 up: -20 + 0.05*income, i.e. 30 at 1000 and 80 at 2000), an age
// bin step (< 30: 0; from 30: 25) and a department (a: 0, b: 15).
func slopedRecourseModel(t testing.TB) *score.Model {
	t.Helper()
	sc := score.NewScaling(0, 0, 0)
	m, err := score.NewModel(score.Spec{Name: "sloped-recourse", Kind: score.ScorecardModel, Scaling: &sc, Intercept: 300,
		Features: []score.Feature{
			{Name: "income", Kind: score.Numeric},
			{Name: "age", Kind: score.Numeric},
			{Name: "dept", Kind: score.Categorical, Categories: []string{"a", "b"}},
		},
		Terms: []score.Term{
			{Feature: "income", Kind: score.BinnedTerm, Bins: []score.Bin{
				{Kind: score.RangeBin, Upper: fp(1000), Effect: 10},
				{Kind: score.RangeBin, Lower: fp(1000), Effect: -20, Slope: 0.05},
			}},
			{Feature: "age", Kind: score.BinnedTerm, Bins: []score.Bin{
				{Kind: score.RangeBin, Upper: fp(30)},
				{Kind: score.RangeBin, Lower: fp(30), Effect: 25},
			}},
			{Feature: "dept", Kind: score.BinnedTerm, Bins: []score.Bin{
				{Kind: score.CategoryBin, Categories: []string{"a"}},
				{Kind: score.CategoryBin, Categories: []string{"b"}, Effect: 15},
			}},
		}})
	require.NoError(t, err)
	return m
}

// TestRecourseSlopedBin: recourse on a model with a sloped bin. Every
// counterfactual is valid on applying its changes and scoring again, and
// its cost is the brute-force minimum over the grid (refProblem), for every
// customer of the grid, targets and change limits, both objectives. Moves
// within the sloped bin gain points (income 1200 -> 2000 is +40): the
// search must price them by the value's own effect.
func TestRecourseSlopedBin(t *testing.T) {
	m := slopedRecourseModel(t)
	incomes := []float64{500, 1000, 1200, 1500, 2000, 3000}
	ages := []float64{25, 30, 40}
	cpuIncome, cpuAge, change := 0.01, 0.1, 2.0
	acts := &explain.Actions{Features: map[string]explain.FeatureAction{
		"income": {Grid: incomes, CostPerUnit: &cpuIncome},
		"age":    {Grid: ages, CostPerUnit: &cpuAge, Direction: explain.IncreaseOnly},
		"dept":   {ChangeCost: &change},
	}}
	sp, err := explain.NewActionSpace(m, acts, nil)
	require.NoError(t, err)

	// By hand: income 1200, age 25, dept a: 300 - 20 + 60 + 0 + 0 = 340
	// points. To reach 370 points: income 1800 (+30, cost 6) is on the grid
	// only as 2000 (+40, cost 8); age 30 (+25, cost 0.5) and dept b (+15,
	// cost 2) together give +40 for 2.5: the cheapest.
	target := m.Link(370).Probability
	r, err := sp.Recourse(context.Background(), score.Record{score.Num(1200), score.Num(25), score.Cat("a")},
		&explain.RecourseOptions{Target: target, AllowUnsupported: true})
	require.NoError(t, err)
	require.NotEmpty(t, r.Counterfactuals)
	require.InDelta(t, 2.5, r.Counterfactuals[0].Cost, 1e-12)
	// With age immutable: income 1500 (+15, cost 3) and dept b (+15, cost
	// 2) reach 370, not above it; income 2000 (+40, cost 8) is the cheapest.
	spImm, err := explain.NewActionSpace(m, &explain.Actions{Immutable: []string{"age"}, Features: map[string]explain.FeatureAction{
		"income": {Grid: incomes, CostPerUnit: &cpuIncome}, "dept": {ChangeCost: &change}}}, nil)
	require.NoError(t, err)
	r, err = spImm.Recourse(context.Background(), score.Record{score.Num(1200), score.Num(25), score.Cat("a")},
		&explain.RecourseOptions{Target: target, AllowUnsupported: true})
	require.NoError(t, err)
	require.NotEmpty(t, r.Counterfactuals)
	require.InDelta(t, 8, r.Counterfactuals[0].Cost, 1e-12)
	require.Equal(t, "2000", r.Counterfactuals[0].Changes[0].To)
	require.InDelta(t, 40, r.Counterfactuals[0].Changes[0].Effect, 1e-12)

	var counts [3]int
	for _, inc := range incomes {
		for _, age := range ages {
			for _, d := range []string{"a", "b"} {
				rec := score.Record{score.Num(inc), score.Num(age), score.Cat(d)}
				for _, pts := range []float64{330, 360, 385, 420, 460} {
					for maxC := 0; maxC <= 2; maxC++ {
						for _, maxObj := range []bool{false, true} {
							p := &refProblem{m: m, rec: rec, target: m.Link(pts).Probability, maxC: maxC, maxObj: maxObj,
								moves: slopedMoves(rec, incomes, ages, cpuIncome, cpuAge, change)}
							label := fmt.Sprintf("income %v age %v dept %s points %v maxC %d max %v", inc, age, d, pts, maxC, maxObj)
							counts[p.check(t, sp, 2, label)]++
							checkSlopedValid(t, sp, p, label)
						}
					}
				}
			}
		}
	}
	t.Logf("answered %d, infeasible %d, already %d", counts[checkedAnswered], counts[checkedInfeasible], counts[checkedAlready])
	require.Greater(t, counts[checkedAnswered], 300)
	require.Greater(t, counts[checkedInfeasible], 50)
}

// slopedMoves lists the allowed moves of TestRecourseSlopedBin from the
// action definitions: income anywhere on its grid at 0.01 per unit, age up
// only at 0.1 per year, dept to the other label for 2.
func slopedMoves(rec score.Record, incomes, ages []float64, cpuIncome, cpuAge, change float64) map[int][]refMove {
	mv := map[int][]refMove{}
	x := rec[0].Float()
	for _, v := range incomes {
		if v != x {
			mv[0] = append(mv[0], refMove{score.Num(v), cpuIncome * math.Abs(v-x)})
		}
	}
	a := rec[1].Float()
	for _, v := range ages {
		if v > a {
			mv[1] = append(mv[1], refMove{score.Num(v), cpuAge * (v - a)})
		}
	}
	other := "a"
	if rec[2].Label() == "a" {
		other = "b"
	}
	mv[2] = []refMove{{score.Cat(other), change}}
	return mv
}

// checkSlopedValid applies every counterfactual's changes to the record and
// scores it again: the outcome flips, and the reported score, probability
// and per-change effects are the model's.
func checkSlopedValid(t *testing.T, sp *explain.ActionSpace, p *refProblem, label string) {
	t.Helper()
	obj := explain.SumCost
	if p.maxObj {
		obj = explain.MaxCost
	}
	r, err := sp.Recourse(context.Background(), p.rec, &explain.RecourseOptions{Target: p.target, MaxChanges: p.maxC, K: 2, Objective: obj, AllowUnsupported: true})
	require.NoError(t, err)
	m := p.m
	for _, cf := range r.Counterfactuals {
		rec := slices.Clone(p.rec)
		for _, ch := range cf.Changes {
			i := m.Schema().Index(ch.Feature) // term i is on feature i in this model
			f := m.Schema().Feature(i)
			v, err := score.ParseValue(f.Kind, ch.To)
			require.NoError(t, err)
			from, _, err := m.Effect(i, rec[i])
			require.NoError(t, err)
			to, _, err := m.Effect(i, v)
			require.NoError(t, err)
			require.InDelta(t, to-from, ch.Effect, 1e-12, "%s: %s effect", label, ch.Feature)
			rec[i] = v
		}
		res, err := m.Score(rec)
		require.NoError(t, err)
		require.Less(t, float64(res.Probability), float64(p.target), "%s: does not flip", label)
		require.InDelta(t, res.Score, cf.Score, 1e-9, label)
		require.InDelta(t, float64(res.Probability), float64(cf.Probability), 1e-12, label)
	}
}

// TestBestBaselineLinear: a linear term's best effect is over its training
// range and fill, by hand: coef -0.5 over [2, 20], fill 30 -> effects -1
// (at 2) to -15 (at 30); a logistic model's best is the lowest log-odds,
// -15. Without a training range the effect is unbounded: ErrBaseline
// naming the feature; with coefficient 0 the best is 0.
func TestBestBaselineLinear(t *testing.T) {
	fill := 30.0
	build := func(coef float64, st *score.Stats) *score.Model {
		m, err := score.NewModel(score.Spec{Name: "lin", Kind: score.LogisticModel,
			Features: []score.Feature{{Name: "x"}},
			Terms:    []score.Term{{Feature: "x", Kind: score.LinearTerm, Coef: coef, Fill: &fill, Stats: st}}})
		require.NoError(t, err)
		return m
	}
	b, err := explain.BestBaseline(build(-0.5, &score.Stats{Count: 10, Min: 2, Max: 20, Mean: 8}))
	require.NoError(t, err)
	require.Equal(t, []float64{-15}, b.Terms)
	_, err = explain.BestBaseline(build(-0.5, nil))
	require.ErrorIs(t, err, explain.ErrBaseline)
	var fe *score.FieldError
	require.ErrorAs(t, err, &fe)
	require.Equal(t, "x", fe.Feature)
	b0, err := explain.BestBaseline(build(0, nil))
	require.NoError(t, err)
	require.Equal(t, []float64{0}, b0.Terms)
}
