package explain_test

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/candorscore/candor/explain"
	"github.com/candorscore/candor/fairness"
	"github.com/candorscore/candor/internal/metric"
	"github.com/candorscore/candor/score"
	"github.com/stretchr/testify/require"
)

// applyCSV applies the changes to row i's CSV cells (checking that each
// From is the cell's value) and scores the edited row from text again.
func applyCSV(t *testing.T, m *score.Model, tab *score.Table, i int, cf explain.Counterfactual) score.Result {
	t.Helper()
	header := tab.Header()
	cells := slices.Clone(tab.Row(i))
	for _, ch := range cf.Changes {
		c := slices.Index(header, ch.Feature)
		require.GreaterOrEqual(t, c, 0, ch.Feature)
		f, _ := m.Schema().Lookup(ch.Feature)
		was, err := score.ParseValue(f.Kind, cells[c])
		require.NoError(t, err)
		from, err := score.ParseValue(f.Kind, ch.From)
		require.NoError(t, err)
		require.Equal(t, was, from, "row %d %s: from %q, cell %q", i+1, ch.Feature, ch.From, cells[c])
		cells[c] = ch.To
	}
	rec, err := m.Schema().RecordFromStrings(header, cells, true)
	require.NoError(t, err)
	res, err := m.Score(rec)
	require.NoError(t, err)
	return res
}

// checkValid asserts validity and constraint satisfaction of every
// counterfactual of r, for row i under germanActions: the flip on
// rescoring the edited CSV row, immutables untouched, bounds and directions
// respected, alternatives diverse and cheapest first.
func checkValid(t *testing.T, sp *explain.ActionSpace, tab *score.Table, i int, r *explain.Recourse, maxChanges int) {
	t.Helper()
	m := sp.Model()
	acts := germanActions()
	q := func(name string, p float64) float64 { return columnQuantile(t, tab, name, p) }
	var sets [][]string
	prev := 0.0
	for _, cf := range r.Counterfactuals {
		res := applyCSV(t, m, tab, i, cf)
		require.Less(t, float64(res.Probability), float64(r.Target), "row %d: counterfactual does not flip", i+1)
		require.InDelta(t, float64(cf.Probability), float64(res.Probability), 1e-12)
		require.GreaterOrEqual(t, cf.Cost, prev-1e-12, "alternatives cheapest first")
		prev = cf.Cost
		if maxChanges > 0 {
			require.LessOrEqual(t, len(cf.Changes), maxChanges)
		}
		var set []string
		var sum float64
		for _, ch := range cf.Changes {
			set = append(set, ch.Feature)
			sum += ch.Cost
			require.NotContains(t, acts.Immutable, ch.Feature, "row %d: immutable feature changed", i+1)
			f, _ := m.Schema().Lookup(ch.Feature)
			require.Equal(t, score.Input, f.Role)
			if f.Kind == score.Numeric {
				from, _ := strconv.ParseFloat(ch.From, 64)
				to, err := strconv.ParseFloat(ch.To, 64)
				require.NoError(t, err)
				lo, hi := q(ch.Feature, 0.01), q(ch.Feature, 0.99)
				fa := acts.Features[ch.Feature]
				if fa.Max != nil {
					hi = *fa.Max
				}
				require.True(t, to >= lo && to <= hi, "row %d %s=%v outside [%v, %v]", i+1, ch.Feature, to, lo, hi)
				switch fa.Direction {
				case explain.DecreaseOnly:
					require.Less(t, to, from)
				case explain.IncreaseOnly:
					require.Greater(t, to, from)
				}
			}
			switch ch.Feature {
			case "savings_account_and_bonds":
				order := acts.Features[ch.Feature].Order
				require.Greater(t, slices.Index(order, ch.To), slices.Index(order, ch.From))
			case "other_debtors_or_guarantors":
				require.Equal(t, "guarantor", ch.To)
			}
		}
		require.InDelta(t, sum, cf.Cost, 1e-12)
		for _, s := range sets {
			require.False(t, subset(s, set), "row %d: alternative %v repeats %v with extra changes", i+1, set, s)
		}
		sets = append(sets, set)
	}
}

var quantCache sync.Map // "feature" -> sorted column values

func columnQuantile(t *testing.T, tab *score.Table, name string, p float64) float64 {
	xs, ok := quantCache.Load(name)
	if !ok {
		col := tab.Column(name)
		var v []float64
		for k := 0; k < tab.Len(); k++ {
			x, err := strconv.ParseFloat(tab.Cell(k, col), 64)
			require.NoError(t, err)
			v = append(v, x)
		}
		slices.Sort(v)
		xs = v
		quantCache.Store(name, v)
	}
	return metric.Quantile(xs.([]float64), p)
}

func subset(a, b []string) bool {
	for _, x := range a {
		if !slices.Contains(b, x) {
			return false
		}
	}
	return true
}

func germanSpaces(t *testing.T) map[string]*explain.ActionSpace {
	g := german(t)
	out := map[string]*explain.ActionSpace{}
	for name, m := range map[string]*score.Model{"logistic": g.logistic, "scorecard": g.scorecard, "fitted": g.fitted} {
		sp, err := explain.NewActionSpace(m, germanActions(), g.table)
		require.NoError(t, err)
		out[name] = sp
	}
	return out
}

// TestRecourseValidityGerman: every declined German credit applicant, both
// models, with and without a cap on changes: 100% validity and constraint
// satisfaction.
func TestRecourseValidityGerman(t *testing.T) {
	g := german(t)
	spaces := germanSpaces(t)
	for _, name := range []string{"logistic", "scorecard", "fitted"} {
		sp := spaces[name]
		for _, maxC := range []int{0, 2} {
			rows := declined(t, sp.Model(), g.table, 0.5)
			require.Greater(t, len(rows), 200, "German credit has a few hundred declined applicants")
			found, infeasible := 0, 0
			for _, i := range rows {
				rec, err := g.table.Record(sp.Model().Schema(), i)
				require.NoError(t, err)
				r, err := sp.Recourse(context.Background(), rec, &explain.RecourseOptions{K: 3, MaxChanges: maxC})
				require.NoError(t, err)
				require.False(t, r.Already)
				if r.Infeasible {
					infeasible++
					require.Empty(t, r.Counterfactuals)
					require.NotEmpty(t, r.Reason)
					if r.Best != nil {
						require.GreaterOrEqual(t, float64(r.Best.Probability), float64(r.Target))
					}
					continue
				}
				found++
				require.NotEmpty(t, r.Counterfactuals)
				checkValid(t, sp, g.table, i, r, maxC)
			}
			t.Logf("%s, max changes %d: %d declined, %d answered, %d infeasible", name, maxC, len(rows), found, infeasible)
			require.Equal(t, len(rows), found+infeasible)
		}
	}
}

// TestRecourseAlready: a customer already below the target gets no
// counterfactuals and Already.
func TestRecourseAlready(t *testing.T) {
	g := german(t)
	sp := germanSpaces(t)["logistic"]
	rec, err := g.table.Record(g.logistic.Schema(), 0) // row 1: a good, low-risk applicant
	require.NoError(t, err)
	r, err := sp.Recourse(context.Background(), rec, nil)
	require.NoError(t, err)
	require.Less(t, float64(r.Probability), 0.5)
	require.True(t, r.Already)
	require.Empty(t, r.Counterfactuals)
	require.False(t, r.Infeasible)
}

// TestRecourseDeterministic: identical answers for identical input, from
// eight goroutines sharing one ActionSpace.
func TestRecourseDeterministic(t *testing.T) {
	g := german(t)
	for _, name := range []string{"logistic", "scorecard", "fitted"} {
		sp := germanSpaces(t)[name]
		rows := declined(t, sp.Model(), g.table, 0.5)[:60]
		run := func() []byte {
			var all []*explain.Recourse
			for _, i := range rows {
				rec, err := g.table.Record(sp.Model().Schema(), i)
				if err != nil {
					panic(err)
				}
				r, err := sp.Recourse(context.Background(), rec, &explain.RecourseOptions{K: 3})
				if err != nil {
					panic(err)
				}
				all = append(all, r)
			}
			b, err := json.Marshal(all)
			if err != nil {
				panic(err)
			}
			return b
		}
		want := run()
		outs := make([][]byte, 8)
		var wg sync.WaitGroup
		for w := range outs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				outs[w] = run()
			}()
		}
		wg.Wait()
		for _, o := range outs {
			require.Equal(t, string(want), string(o))
		}
	}
}

// TestRecourseHand checks a model small enough to solve by hand.
//
// log-odds = -1 + 0.5 * debt + effect(plan), plan levels basic 0, plus -0.8,
// premium -1.5 (reference basic). Customer: debt 6, plan basic: log-odds 2.
// Target 0.5: log-odds must fall below 0, a gain above 2.
// Debt grid 0..6 step 1 (cost 0.1 per unit, decrease only): each unit gains
// 0.5. Plan: change costs basic->plus 0.2, basic->premium 0.5.
// Candidates: debt 1 alone (gain 2.5, cost 0.5); debt 2 + premium (gain
// 2 + 1.5 = 3.5, cost 0.4 + 0.5 = 0.9); debt 2 + plus (2 + 0.8 = 2.8,
// cost 0.4 + 0.2 = 0.6); debt 3 + plus (1.5 + 0.8 = 2.3, cost 0.3 + 0.2 =
// 0.5); debt 3 + premium (1.5 + 1.5 = 3, 0.8). Debt 1 alone and
// debt 3 + plus both cost 0.5: ties go to fewer changes, so the cheapest is
// debt 1 alone; then, excluding {debt} and its supersets, only plan alone
// remains, and premium alone gains 1.5 < 2: no second alternative.
func TestRecourseHand(t *testing.T) {
	s := score.MustSchema(score.Feature{Name: "debt"}, score.Feature{Name: "plan", Kind: score.Categorical})
	m, err := score.NewModel(score.Spec{Name: "hand", Kind: score.LogisticModel, Features: s.Features(), Intercept: -1,
		Terms: []score.Term{
			{Feature: "debt", Kind: score.LinearTerm, Coef: 0.5},
			{Feature: "plan", Kind: score.CategoricalTerm, Reference: "basic", Levels: []score.Level{{Label: "basic"}, {Label: "plus", Effect: -0.8}, {Label: "premium", Effect: -1.5}}},
		}})
	require.NoError(t, err)
	cpu := 0.1
	acts := &explain.Actions{Features: map[string]explain.FeatureAction{
		"debt": {Direction: explain.DecreaseOnly, Grid: []float64{0, 1, 2, 3, 4, 5, 6}, CostPerUnit: &cpu},
		"plan": {TransitionCosts: map[string]map[string]float64{"basic": {"plus": 0.2, "premium": 0.5}}},
	}}
	sp, err := explain.NewActionSpace(m, acts, nil)
	require.NoError(t, err)
	rec := score.Record{score.Num(6), score.Cat("basic")}
	// A hand-built model carries no training counts: no change has data
	// support, so none is proposed unless unsupported ones are allowed.
	r, err := sp.Recourse(context.Background(), rec, &explain.RecourseOptions{K: 3})
	require.NoError(t, err)
	require.True(t, r.Infeasible)
	r, err = sp.Recourse(context.Background(), rec, &explain.RecourseOptions{K: 3, AllowUnsupported: true})
	require.NoError(t, err)
	require.InDelta(t, 1/(1+math.Exp(-2)), float64(r.Probability), 1e-15)
	require.Len(t, r.Counterfactuals, 1)
	cf := r.Counterfactuals[0]
	require.True(t, cf.Unsupported)
	require.Equal(t, []explain.Change{{Feature: "debt", From: "6", To: "1", FromVal: score.Num(6), ToVal: score.Num(1), Cost: 0.5, Effect: -2.5, Unsupported: true}}, roundChanges(cf.Changes))
	require.InDelta(t, 0.5, cf.Cost, 1e-12)
	require.InDelta(t, -0.5, cf.Score, 1e-12)

	// With debt immutable only the plan can move, and premium gains 1.5 < 2:
	// infeasible, the best reachable log-odds 2 - 1.5 = 0.5. Debt is the
	// limit: free, debt 0 gains 3 more, log-odds 0.5 - 3 = -2.5.
	acts.Immutable = []string{"debt"}
	sp, err = explain.NewActionSpace(m, acts, nil)
	require.NoError(t, err)
	r, err = sp.Recourse(context.Background(), rec, &explain.RecourseOptions{AllowUnsupported: true})
	require.NoError(t, err)
	require.True(t, r.Infeasible)
	require.NotNil(t, r.Best)
	require.InDelta(t, 0.5, r.Best.Score, 1e-12)
	require.Equal(t, "premium", r.Best.Changes[0].To)
	require.Len(t, r.Limits, 1)
	require.Equal(t, "debt", r.Limits[0].Feature)
	require.Equal(t, "immutable", r.Limits[0].Constraint)
	require.InDelta(t, float64(score.LogOdds(-2.5).Probability()), float64(r.Limits[0].Probability), 1e-12)
	require.Contains(t, r.Reason, "debt being immutable")
}

func roundChanges(cs []explain.Change) []explain.Change {
	out := slices.Clone(cs)
	for i := range out {
		out[i].Cost = math.Round(out[i].Cost*1e9) / 1e9
		out[i].Effect = math.Round(out[i].Effect*1e9) / 1e9
	}
	return out
}

// TestRecourseErrors: typed errors for bad actions, targets and models.
func TestRecourseErrors(t *testing.T) {
	g := german(t)
	bad := func(a *explain.Actions) error {
		_, err := explain.NewActionSpace(g.logistic, a, g.table)
		return err
	}
	require.ErrorIs(t, bad(&explain.Actions{Immutable: []string{"no_such_column"}}), score.ErrUnknownFeature)
	require.ErrorIs(t, bad(&explain.Actions{Features: map[string]explain.FeatureAction{"nope": {}}}), score.ErrUnknownFeature)
	require.ErrorIs(t, bad(&explain.Actions{Features: map[string]explain.FeatureAction{"foreign_worker": {Direction: explain.DecreaseOnly}}}), explain.ErrActions)
	require.ErrorIs(t, bad(&explain.Actions{Features: map[string]explain.FeatureAction{"purpose": {Direction: explain.IncreaseOnly}}}), explain.ErrActions)
	require.ErrorIs(t, bad(&explain.Actions{Features: map[string]explain.FeatureAction{"purpose": {Order: []string{"car (new)", "no such purpose"}}}}), explain.ErrActions)
	lo, hi := 10.0, 5.0
	err := bad(&explain.Actions{Features: map[string]explain.FeatureAction{
		"duration_in_month": {Min: &lo, Max: &hi},
		"credit_amount":     {Direction: "sideways"},
	}})
	require.ErrorIs(t, err, explain.ErrActions)
	var fe *score.FieldError
	require.ErrorAs(t, err, &fe)
	require.Equal(t, "credit_amount", fe.Feature, "errors come in feature-name order")
	require.Contains(t, err.Error(), "duration_in_month", "every problem is reported")

	sp := germanSpaces(t)["logistic"]
	rec, err := g.table.Record(g.logistic.Schema(), 1)
	require.NoError(t, err)
	_, err = sp.Recourse(context.Background(), rec, &explain.RecourseOptions{Target: 1.5})
	require.ErrorIs(t, err, explain.ErrRecourseModel)
	_, err = sp.Recourse(context.Background(), rec, &explain.RecourseOptions{K: -1})
	require.ErrorIs(t, err, explain.ErrActions)
	rec[g.logistic.Schema().Index("purpose")] = score.Cat("time travel")
	_, err = sp.Recourse(context.Background(), rec, nil)
	require.ErrorIs(t, err, score.ErrUnknownCategory)

	lin, err := score.NewModel(score.Spec{Name: "lin", Kind: score.LinearModel, Features: []score.Feature{{Name: "x"}},
		Terms: []score.Term{{Feature: "x", Kind: score.LinearTerm, Coef: 1}}})
	require.NoError(t, err)
	_, err = explain.NewActionSpace(lin, nil, nil)
	require.ErrorIs(t, err, explain.ErrRecourseModel)

	// A hand-built model without percentiles needs a table, a cost per unit
	// or an immutable feature.
	nost, err := score.NewModel(score.Spec{Name: "nostats", Kind: score.LogisticModel, Features: []score.Feature{{Name: "x"}},
		Terms: []score.Term{{Feature: "x", Kind: score.LinearTerm, Coef: 1}}})
	require.NoError(t, err)
	_, err = explain.NewActionSpace(nost, &explain.Actions{Features: map[string]explain.FeatureAction{"x": {}}}, nil)
	require.ErrorIs(t, err, explain.ErrActions)
	// With nothing actionable there is no recourse to build.
	_, err = explain.NewActionSpace(nost, &explain.Actions{Immutable: []string{"x"}}, nil)
	require.ErrorIs(t, err, explain.ErrNothingActionable)
	_, err = explain.NewActionSpace(nost, nil, nil)
	require.ErrorIs(t, err, explain.ErrNothingActionable)
}

// TestMinimalCostsBurden: per-row minimal costs agree with Recourse, and
// feed fairness.RecourseBurden by sex and marital status (protected, never
// an input, and never changed).
func TestMinimalCostsBurden(t *testing.T) {
	g := german(t)
	sp := germanSpaces(t)["logistic"]
	costs, adverse, err := sp.MinimalCosts(context.Background(), g.table, &explain.RecourseOptions{MaxChanges: 2})
	require.NoError(t, err)
	require.Len(t, costs, g.table.Len())
	n := 0
	for i := range costs {
		rec, err := g.table.Record(g.logistic.Schema(), i)
		require.NoError(t, err)
		r, err := sp.Recourse(context.Background(), rec, &explain.RecourseOptions{MaxChanges: 2})
		require.NoError(t, err)
		require.Equal(t, !r.Already, adverse[i])
		switch {
		case r.Already:
			require.Zero(t, costs[i])
		case r.Infeasible:
			require.True(t, math.IsInf(costs[i], 1))
		default:
			require.Equal(t, r.Counterfactuals[0].Cost, costs[i])
		}
		if adverse[i] {
			n++
		}
	}
	require.Equal(t, 238, n, "declined applicants under the logistic model (TestRecourseValidityGerman)")
	col := g.table.Column("personal_status_and_sex")
	groups := fairness.GroupColumn{Name: "personal_status_and_sex"}
	for i := 0; i < g.table.Len(); i++ {
		groups.Values = append(groups.Values, g.table.Cell(i, col))
	}
	b, err := fairness.RecourseBurden(costs, adverse, groups, nil)
	require.NoError(t, err)
	total := 0
	for _, gr := range b.Groups {
		total += gr.Adverse
	}
	require.Equal(t, n, total)
}

// TestRecourseCancelled: a cancelled context ends the search with its error.
func TestRecourseCancelled(t *testing.T) {
	g := german(t)
	sp := germanSpaces(t)["logistic"]
	i := declined(t, g.logistic, g.table, 0.5)[0]
	rec, err := g.table.Record(g.logistic.Schema(), i)
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = sp.Recourse(ctx, rec, nil)
	require.True(t, errors.Is(err, context.Canceled), "got %v", err)
}

// TestRecourseLimits: which constraints an infeasible answer names, and the
// probability each would allow if lifted alone. Hand computation:
// log-odds = -10 + 0.2 x + effect(y); x has percentiles 0, 1, ..., 100 (so
// default bounds [1, 99]), y's level "b" has effect -1.5. Customer x = 60,
// y = "a": log-odds 2. With x only down to 55 (gain 1) and one change at
// most, the best is y = "b" (gain 1.5): log-odds 0.5, probability 0.622.
// Lifting the bound lets x fall to 0, the smallest value seen (gain 12):
// log-odds -10. Lifting the cap allows both: log-odds -0.5. The direction
// (decrease) costs nothing here and is not named.
func TestRecourseLimits(t *testing.T) {
	q := make([]float64, 101)
	for k := range q {
		q[k] = float64(k)
	}
	s := score.MustSchema(score.Feature{Name: "x"}, score.Feature{Name: "y", Kind: score.Categorical})
	m, err := score.NewModel(score.Spec{Name: "limits", Kind: score.LogisticModel, Features: s.Features(), Intercept: -10,
		Terms: []score.Term{
			{Feature: "x", Kind: score.LinearTerm, Coef: 0.2, Stats: &score.Stats{Count: 101, Quantiles: q}},
			{Feature: "y", Kind: score.CategoricalTerm, Reference: "a", Levels: []score.Level{{Label: "a", Count: 1}, {Label: "b", Effect: -1.5, Count: 1}}},
		}})
	require.NoError(t, err)
	lo := 55.0
	sp, err := explain.NewActionSpace(m, &explain.Actions{Features: map[string]explain.FeatureAction{
		"x": {Direction: explain.DecreaseOnly, Min: &lo, MinChange: new(float64)}, "y": {}}}, nil)
	require.NoError(t, err)
	// The hand-built model has no training events: allow unsupported moves.
	r, err := sp.Recourse(context.Background(), score.Record{score.Num(60), score.Cat("a")}, &explain.RecourseOptions{MaxChanges: 1, AllowUnsupported: true})
	require.NoError(t, err)
	require.True(t, r.Infeasible)
	require.Len(t, r.Best.Changes, 1)
	require.Equal(t, "b", r.Best.Changes[0].To)
	require.InDelta(t, 0.5, r.Best.Score, 1e-12)
	require.Len(t, r.Limits, 2)
	require.Equal(t, "x", r.Limits[0].Feature)
	require.Equal(t, "bounds", r.Limits[0].Constraint)
	require.InDelta(t, float64(score.LogOdds(-10).Probability()), float64(r.Limits[0].Probability), 1e-15)
	require.Equal(t, "", r.Limits[1].Feature)
	require.Equal(t, "max_changes", r.Limits[1].Constraint)
	require.InDelta(t, float64(score.LogOdds(-0.5).Probability()), float64(r.Limits[1].Probability), 1e-15)
	require.Equal(t, "no allowed change brings the probability below 0.500: the best reachable is 0.622 with at most 1 change; "+
		"limited by the bounds of x (0.000 without it), the cap of 1 change (0.378 without it)", r.Reason)

	// Without the cap: y to b (gain 1.5) and x down just enough: x = 58
	// gains 0.4 (total 1.9, short), x = 57 gains 0.6 (total 2.1): cost
	// 0.03 (three percentiles) + 0.5 (1 - share of b), log-odds -0.1.
	r, err = sp.Recourse(context.Background(), score.Record{score.Num(60), score.Cat("a")}, &explain.RecourseOptions{AllowUnsupported: true})
	require.NoError(t, err)
	require.Len(t, r.Counterfactuals, 1)
	require.InDelta(t, 0.03+0.5, r.Counterfactuals[0].Cost, 1e-12)
	require.InDelta(t, -0.1, r.Counterfactuals[0].Score, 1e-12)
	require.Equal(t, "57", r.Counterfactuals[0].Changes[0].To)
}

// TestRecourseDeadline: a search too large to finish (40 features whose
// moves cost exactly what they gain, a subset-sum: the relaxation bound
// never cuts) stops at the context's deadline with its error.
func TestRecourseDeadline(t *testing.T) {
	var feats []score.Feature
	var terms []score.Term
	grid := map[string]explain.FeatureAction{}
	rec := score.Record{}
	for i := 0; i < 40; i++ {
		name := "x" + strconv.Itoa(i)
		coef := 1 + float64((i*7919)%1000)/1000 // distinct gains in [1, 2)
		feats = append(feats, score.Feature{Name: name})
		terms = append(terms, score.Term{Feature: name, Kind: score.LinearTerm, Coef: coef})
		c := coef
		grid[name] = explain.FeatureAction{Grid: []float64{0}, CostPerUnit: &c}
		rec = append(rec, score.Num(1))
	}
	m, err := score.NewModel(score.Spec{Name: "subset-sum", Kind: score.LogisticModel, Features: feats, Intercept: -30.3, Terms: terms})
	require.NoError(t, err)
	sp, err := explain.NewActionSpace(m, &explain.Actions{Features: grid}, nil)
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err = sp.Recourse(ctx, rec, &explain.RecourseOptions{AllowUnsupported: true})
	require.ErrorIs(t, err, context.DeadlineExceeded)
	require.Less(t, time.Since(start), 5*time.Second, "the search notices the deadline promptly")
}
