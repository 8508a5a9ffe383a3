package explain_test

import (
	"context"
	"math"
	"sort"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/examples/datasets"
	"github.com/candorscore/candor/explain"
	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/fit"
)

// germanLogistic fits the demo's logistic model on German credit (protected
// attributes kept out of the inputs) and returns it with its records.
func germanLogistic(t testing.TB) (*score.Model, []score.Record) {
	t.Helper()
	tab, err := datasets.Load(datasets.GermanCredit)
	require.NoError(t, err)
	s, err := tab.InferSchema().WithRoles(score.Ignored, "creditability")
	require.NoError(t, err)
	s, err = s.WithRoles(score.Protected, "personal_status_and_sex", "age_in_years", "foreign_worker")
	require.NoError(t, err)
	fitted, err := fit.Logistic(context.Background(), tab, s, "creditability", "bad", &fit.LogisticOptions{Name: "german"})
	require.NoError(t, err)
	recs := make([]score.Record, tab.Len())
	for i := range recs {
		recs[i], err = tab.Record(fitted.Model.Schema(), i)
		require.NoError(t, err)
	}
	return fitted.Model, recs
}

// TestPopulationBaselineIsSHAP: with the population baseline, a logistic
// model's contributions are interventional SHAP values with the training
// mean as background: coef*(x - mean) for numeric terms, and they average
// to zero over the training data for every term.
func TestPopulationBaselineIsSHAP(t *testing.T) {
	m, recs := germanLogistic(t)
	e, err := explain.NewExplainer(m, nil)
	require.NoError(t, err)
	var ex explain.Explanation
	require.NoError(t, e.Explain(recs[1], &ex))
	for j := range m.NumTerms() {
		term := m.Term(j)
		if term.Kind == score.LinearTerm {
			x := recs[1][m.TermFeature(j)].Float()
			require.InDelta(t, term.Coef*(x-term.Stats.Mean), ex.Contributions[j], 1e-12, term.Feature)
		}
	}
	imp, err := e.Importances(recs)
	require.NoError(t, err)
	require.Len(t, imp, m.NumTerms())
	for k, v := range imp {
		require.InDelta(t, 0, v.Mean, 1e-9, "%s: mean SHAP over the background is 0", v.Feature)
		if k > 0 {
			require.GreaterOrEqual(t, imp[k-1].MeanAbs, v.MeanAbs)
		}
	}
	// The checking account status dominates German credit in every
	// published analysis of it (it is the first split of trees and the
	// largest logistic block).
	require.Equal(t, "status_of_existing_checking_account", imp[0].Feature)
}

func TestImportancesAndShapeDMG(t *testing.T) {
	m := dmgScorecard(t, false)
	e, err := explain.NewExplainer(m, nil) // declared baselines 19, 18, 10
	require.NoError(t, err)
	recs := []score.Record{
		{score.Cat("marketing"), score.Num(45), score.Num(500)},    // contributions 0, 0, 16
		{score.Cat("engineering"), score.Num(20), score.Num(9000)}, // -16, -18, -13
	}
	imp, err := e.Importances(recs)
	require.NoError(t, err)
	// mean |c|: department 8, age 9, income 14.5; reasons: rec 2 has all three.
	require.Equal(t, []string{"income", "age", "department"}, []string{imp[0].Feature, imp[1].Feature, imp[2].Feature})
	require.InDelta(t, 14.5, imp[0].MeanAbs, 1e-12)
	require.InDelta(t, 1.5, imp[0].Mean, 1e-12)
	require.InDelta(t, 9, imp[1].MeanAbs, 1e-12)
	require.InDelta(t, 8, imp[2].MeanAbs, 1e-12)
	require.InDelta(t, 0.5, imp[0].AdverseShare, 1e-12)

	sh, err := e.Shape(1)
	require.NoError(t, err)
	require.Len(t, sh, 5)
	require.Equal(t, "missing", sh[0].Label)
	require.Equal(t, "(29, 39]", sh[3].Label)
	require.InDelta(t, 12, sh[3].Effect, 0)
	require.InDelta(t, -6, sh[3].Contribution, 0)
	require.True(t, math.IsNaN(sh[3].X))
	_, err = e.Shape(3)
	require.ErrorIs(t, err, explain.ErrBaseline)
}

func TestShapeLinear(t *testing.T) {
	m, _ := germanLogistic(t)
	e, err := explain.NewExplainer(m, nil)
	require.NoError(t, err)
	for j := range m.NumTerms() {
		term := m.Term(j)
		if term.Kind != score.LinearTerm {
			continue
		}
		sh, err := e.Shape(j)
		require.NoError(t, err)
		require.InDelta(t, term.Stats.Min, sh[0].X, 0)
		require.InDelta(t, term.Stats.Max, sh[len(sh)-1].X, 0)
		for _, p := range sh {
			require.InDelta(t, term.Coef*p.X, p.Effect, 1e-12)
			require.InDelta(t, term.Coef*(p.X-term.Stats.Mean), p.Contribution, 1e-12)
		}
	}
}

// TestNearCutoff: the reference set is the approved applicants (below the
// cutoff) with the highest probabilities, nearest first; checked against a
// brute-force sort.
func TestNearCutoff(t *testing.T) {
	m, recs := germanLogistic(t)
	near, err := explain.NearCutoff(m, recs, 25)
	require.NoError(t, err)
	require.Len(t, near, 25)
	var below []float64
	for _, r := range recs {
		res, err := m.Score(r)
		require.NoError(t, err)
		if res.Probability < m.Cutoff() {
			below = append(below, float64(res.Probability))
		}
	}
	sort.Sort(sort.Reverse(sort.Float64Slice(below)))
	for k, r := range near {
		res, err := m.Score(r)
		require.NoError(t, err)
		require.Equal(t, below[k], float64(res.Probability), "rank %d", k)
	}
	all, err := explain.NearCutoff(m, recs, 5000)
	require.NoError(t, err)
	require.Len(t, all, len(below))

	lin, err := score.NewModel(score.Spec{Name: "l", Kind: score.LinearModel, Features: []score.Feature{{Name: "x"}},
		Terms: []score.Term{{Feature: "x", Kind: score.LinearTerm, Coef: 1}}})
	require.NoError(t, err)
	_, err = explain.NearCutoff(lin, []score.Record{{score.Num(1)}}, 1)
	require.ErrorIs(t, err, explain.ErrBaseline)
}
