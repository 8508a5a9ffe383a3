package explain_test

import (
	"context"
	"math"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/explain"
	"github.com/candorscore/candor/score"
)

// sideModel is a logistic model whose sensitive income (linear, training
// range [0, 100]: bands of 25, the first published at its midpoint 12.5)
// crosses the cutoff 0.5 by itself: log-odds -0.5 + 0.04*income - 0.1*tenure.
//
//   - income 5, tenure 0: exact -0.5 + 0.2 = -0.3 (p 0.4256, below the
//     cutoff); banded -0.5 + 0.5 = 0 (p 0.5, at the cutoff: adverse as read).
//   - income 20, tenure 1: exact -0.5 + 0.8 - 0.1 = 0.2 (p 0.5498, adverse);
//     banded -0.1 (p 0.4750, favourable as read).
//
// The trial's rows 2618 and 2802 (testdata/trials/2026-12-02-trial3.md) are
// the first case: shown 0.5005 and "already" in one line.
func sideModel(t *testing.T) *score.Model {
	t.Helper()
	m, err := score.NewModel(score.Spec{Name: "side", Kind: score.LogisticModel, Target: "bad", Event: "1",
		Features: []score.Feature{
			{Name: "income", Kind: score.Numeric, Sensitive: true},
			{Name: "tenure", Kind: score.Numeric, Action: &score.Action{Direction: score.IncreaseOnly, Grid: []float64{0, 2, 4, 6, 8, 10}, CostPerUnit: new(1.0)}},
		},
		Intercept: -0.5,
		Terms: []score.Term{
			{Feature: "income", Kind: score.LinearTerm, Coef: 0.04, Baseline: 0.04 * 50, Stats: &score.Stats{Count: 100, Mean: 50, Min: 0, Max: 100}},
			{Feature: "tenure", Kind: score.LinearTerm, Coef: -0.1, Baseline: -0.1 * 5, Stats: &score.Stats{Count: 100, Mean: 5, Min: 0, Max: 10}},
		}})
	require.NoError(t, err)
	return m
}

// TestPublishOnTheSideOfTheCutoff: the published score is the banded one
// moved, when the band puts it on the other side of the model's cutoff, to
// the exact score's side: the cutoff itself on the adverse side (adverse is
// at or above), the largest 4-decimal probability below it on the
// favourable side; the move is given to the sensitive term, so that the
// contributions still add up to the score shown.
func TestPublishOnTheSideOfTheCutoff(t *testing.T) {
	m := sideModel(t)
	e, err := explain.NewExplainer(m, nil)
	require.NoError(t, err)
	for _, tc := range []struct {
		name           string
		income, tenure float64
		exact, shown   float64 // probabilities; shown by the rule above
	}{
		{"favourable, banded at the cutoff", 5, 0, 1 / (1 + math.Exp(0.3)), 0.4999},
		{"adverse, banded below", 20, 1, 1 / (1 + math.Exp(-0.2)), 0.5},
		{"same side: the band as it is", 90, 0, 1 / (1 + math.Exp(-3.1)), 1 / (1 + math.Exp(-(-0.5 + 0.04*87.5)))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var ex, pub explain.Explanation
			require.NoError(t, e.Explain(score.Record{score.Num(tc.income), score.Num(tc.tenure)}, &ex))
			require.InDelta(t, tc.exact, float64(ex.Result.Probability), 1e-12)
			e.Publish(&pub, &ex)
			require.InDelta(t, tc.shown, float64(pub.Result.Probability), 1e-12)
			require.Equal(t, ex.Result.Probability >= 0.5, pub.Result.Probability >= 0.5, "shown on the exact score's side of the cutoff")
			sum := pub.Baseline
			for _, c := range pub.Contributions {
				sum += c
			}
			require.InDelta(t, pub.Result.Score, sum, 1e-12, "baseline + contributions = the score shown")
		})
	}
}

// TestPublishRecourseAlreadyAgrees: a row below the target whose band is
// at the target is shown below it beside "already"; one above the target
// whose band is below it is shown at the target beside its
// counterfactuals, each shown below the target.
func TestPublishRecourseAlreadyAgrees(t *testing.T) {
	m := sideModel(t)
	e, err := explain.NewExplainer(m, nil)
	require.NoError(t, err)
	space, err := explain.NewActionSpace(m, nil, nil)
	require.NoError(t, err)
	for _, tc := range []struct {
		name           string
		income, tenure float64
		already        bool
		shown          float64
	}{
		{"already", 5, 0, true, 0.4999},
		{"adverse", 20, 1, false, 0.5},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := score.Record{score.Num(tc.income), score.Num(tc.tenure)}
			r, err := space.Recourse(context.Background(), rec, nil)
			require.NoError(t, err)
			var ex explain.Explanation
			require.NoError(t, e.Explain(rec, &ex))
			e.PublishRecourse(&ex, r, nil)
			require.Equal(t, tc.already, r.Already)
			require.InDelta(t, tc.shown, float64(r.Probability), 1e-12)
			require.Equal(t, r.Already, r.Probability < r.Target, "shown probability %v, target %v", r.Probability, r.Target)
			for _, c := range r.Counterfactuals {
				require.Less(t, float64(c.Probability), float64(r.Target))
			}
		})
	}
}

// TestOnSideNarrowCuts: cuts closer than the shown decimals (the exact
// probability 0.50002 is above 0.5, an open cut, and below 0.50005, a
// closed one; no 4-decimal probability lies between them) are met by the
// nearest score past the cut, on both sides; a shown score already on
// the exact side of every cut is left as it is.
func TestOnSideNarrowCuts(t *testing.T) {
	m := sideModel(t)
	cuts := []explain.Cut{{At: 0.5}, {At: 0.50005, Closed: true}}
	logit := func(p float64) float64 { return math.Log(p / (1 - p)) }
	exact := logit(0.50002)
	for _, shown := range []float64{logit(0.7), logit(0.3)} {
		s := explain.OnSide(m, shown, exact, cuts)
		p := float64(m.Link(s).Probability)
		require.Greater(t, p, 0.5, "shown %v", p)
		require.Less(t, p, 0.50005, "shown %v", p)
		require.True(t, math.Abs(p-0.5) < 1e-12 || math.Abs(p-0.50005) < 1e-12, "shown %v, not next to a cut", p)
	}
	inside := logit(0.50003)
	require.Equal(t, inside, explain.OnSide(m, inside, exact, cuts))
	// Points on a logistic model are its log-odds: 2 decimals past 0.
	require.InDelta(t, -0.01, explain.OnSide(m, 1, -3, []explain.Cut{{At: 0, Points: true, Closed: true}}), 1e-15)
	require.Equal(t, 0.0, explain.OnSide(m, -1, 3, []explain.Cut{{At: 0, Points: true, Closed: true}}))
}
