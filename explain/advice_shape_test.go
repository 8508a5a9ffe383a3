package explain_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/explain"
	"github.com/candorscore/candor/score"
)

// valleyModel is a churn model whose daytime-minutes term has the shape the
// training data has on a telecom churn file: churn 20% below 100 minutes,
// 10% from 100 to 250 and 30% from 250 (a valley), so the Spearman trend
// over all rows is rising (DataTrend +1) although from the lowest bin churn
// falls as minutes rise.
func valleyModel(t *testing.T) *score.Model {
	lo, hi := 100.0, 250.0
	s := score.MustSchema(score.Feature{Name: "minutes", Action: &score.Action{}})
	m, err := score.NewModel(score.Spec{Name: "churn", Kind: score.LogisticModel, Features: s.Features(), Intercept: -2.2,
		Terms: []score.Term{{Feature: "minutes", Kind: score.BinnedTerm,
			Stats: &score.Stats{Count: 1600, DataTrend: 1, Min: 0, Max: 400},
			Bins: []score.Bin{
				{Kind: score.RangeBin, Upper: &lo, Effect: 0.81, Count: 300, Events: 60},
				{Kind: score.RangeBin, Lower: &lo, Upper: &hi, Effect: 0, Count: 1000, Events: 100},
				{Kind: score.RangeBin, Lower: &hi, Effect: 1.35, Count: 300, Events: 90},
			}}}})
	require.NoError(t, err)
	return m
}

// A binned term with a turning point is the data's own shape: advice on it
// follows the training event rates of its bins, not the one-signed
// Spearman trend. A customer with 50 minutes is told that more would help
// (the middle bin churns at 10% against 20%); one with 300, that fewer
// would. Before, the first was withheld as "against_data_trend", which
// told the customer the model disagreed with the data when it did not.
func TestAdviceFollowsATurningShape(t *testing.T) {
	m := valleyModel(t)
	e, err := explain.NewExplainer(m, &explain.Options{MaxReasons: explain.AllReasons})
	require.NoError(t, err)
	for _, c := range []struct {
		x    float64
		want explain.Advice
	}{{50, explain.AdviceIncrease}, {300, explain.AdviceDecrease}} {
		var ex explain.Explanation
		require.NoError(t, e.Explain(score.Record{score.Num(c.x)}, &ex))
		require.Len(t, ex.Reasons, 1, "x=%v", c.x)
		require.Equal(t, c.want, ex.Reasons[0].Advice, "x=%v: withheld %q", c.x, ex.Reasons[0].AdviceWithheld)
	}
}

// twoTurnModel is a churn model whose amount term has two turns, as the
// fifth automatic shape (fit.TrendNone) can give: churn 25% below 100, 35%
// from 100 to 200, 8% from 200 to 300 and 22% from 300 (up, down, up). The
// feature's declared trend is trend; its action allows both ways.
func twoTurnModel(t *testing.T, trend score.Trend) *score.Model {
	a, b, c := 100.0, 200.0, 300.0
	q := make([]float64, 101) // training percentiles 0, 4, ..., 400
	for k := range q {
		q[k] = 4 * float64(k)
	}
	s := score.MustSchema(score.Feature{Name: "amount", Trend: trend, Action: &score.Action{}})
	m, err := score.NewModel(score.Spec{Name: "churn", Kind: score.LogisticModel, Features: s.Features(), Intercept: -2.4,
		Terms: []score.Term{{Feature: "amount", Kind: score.BinnedTerm,
			Stats: &score.Stats{Count: 2000, DataTrend: -1, Min: 0, Max: 400, Quantiles: q},
			Bins: []score.Bin{
				{Kind: score.RangeBin, Upper: &a, Effect: 1.0, Count: 500, Events: 125},
				{Kind: score.RangeBin, Lower: &a, Upper: &b, Effect: 1.5, Count: 500, Events: 175},
				{Kind: score.RangeBin, Lower: &b, Upper: &c, Effect: 0, Count: 500, Events: 40},
				{Kind: score.RangeBin, Lower: &c, Effect: 0.9, Count: 500, Events: 110},
			}}}})
	require.NoError(t, err)
	return m
}

// TestAdviceRefusesAShapeWithTwoTurns: on a shape with two or more turns
// that nobody declared, no direction of change is advised. A customer with
// 50 (churn 25%) would be told "a higher value would help" by the rule for
// one turn (the bin from 200 churns at 8%), although the next bin up, 100
// to 200, churns at 35%: the BankChurners case of issue 12
// (Total_Trans_Amt 1330). The advice is withheld as "shape_turns". Declared
// "none", the shape is the user's, and the rule for one turn applies.
func TestAdviceRefusesAShapeWithTwoTurns(t *testing.T) {
	for _, c := range []struct {
		trend    score.Trend
		x        float64
		advice   explain.Advice
		withheld string
	}{
		{score.TrendAuto, 50, "", explain.WithheldShapeTurns},
		{score.TrendAuto, 150, "", explain.WithheldShapeTurns},
		{score.TrendAuto, 350, "", explain.WithheldShapeTurns},
		{score.TrendNone, 50, explain.AdviceIncrease, ""},
		{score.TrendNone, 350, explain.AdviceDecrease, ""},
	} {
		e, err := explain.NewExplainer(twoTurnModel(t, c.trend), &explain.Options{MaxReasons: explain.AllReasons})
		require.NoError(t, err)
		var ex explain.Explanation
		require.NoError(t, e.Explain(score.Record{score.Num(c.x)}, &ex))
		require.Len(t, ex.Reasons, 1, "x=%v", c.x)
		require.Equal(t, c.advice, ex.Reasons[0].Advice, "trend %q x=%v", c.trend, c.x)
		require.Equal(t, c.withheld, ex.Reasons[0].AdviceWithheld, "trend %q x=%v", c.trend, c.x)
	}
	require.Contains(t, explain.WithheldText(explain.WithheldShapeTurns), "changes direction more than once")
}

// TestRecourseRefusesAShapeWithTwoTurns: recourse moves no feature whose
// undeclared shape has two or more turns; the limit says so. Declared
// "none", the customer with 50 moves to the bin from 200 to 300.
func TestRecourseRefusesAShapeWithTwoTurns(t *testing.T) {
	rec := score.Record{score.Num(50)}
	target := &explain.RecourseOptions{Target: 0.1}
	sp, err := explain.NewActionSpace(twoTurnModel(t, score.TrendAuto), nil, nil)
	require.NoError(t, err)
	r, err := sp.Recourse(context.Background(), rec, target)
	require.NoError(t, err)
	require.True(t, r.Infeasible)
	require.Empty(t, r.Counterfactuals)
	require.Len(t, r.Limits, 1)
	require.Equal(t, "amount", r.Limits[0].Feature)
	require.Equal(t, "shape", r.Limits[0].Constraint)
	require.Contains(t, r.Reason, "changes direction more than once")

	sp, err = explain.NewActionSpace(twoTurnModel(t, score.TrendNone), nil, nil)
	require.NoError(t, err)
	r, err = sp.Recourse(context.Background(), rec, target)
	require.NoError(t, err)
	require.False(t, r.Infeasible, r.Reason)
	require.NotEmpty(t, r.Counterfactuals)
	to := r.Counterfactuals[0].Changes[0].ToVal.Float()
	require.True(t, to >= 200 && to < 300, "to %v", to)
}
