package explain_test

import (
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
