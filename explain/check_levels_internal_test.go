package explain

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/score"
)

// The advice check re-checks the levels a categorical "change" names from
// the model's own numbers. Levels (effect; rows, events), by hand: rarely
// (0; 100, 15), none (-0.8; 50, 4), frequently (+0.6; 40, 10), monthly
// (-0.3; 30, 9). From frequently (rate 0.25, effect 0.6) with want = -1 (a
// lower log-odds helps): none (0.08, -0.8) and rarely (0.15, 0) pass;
// monthly (0.30) has a higher rate; frequently itself no better effect.
func TestCheckLevels(t *testing.T) {
	f := score.Feature{Name: "travel", Kind: score.Categorical, Action: &score.Action{}}
	m, err := score.NewModel(score.Spec{Name: "churn", Kind: score.LogisticModel, Features: []score.Feature{f}, Intercept: -1.5,
		Terms: []score.Term{{Feature: "travel", Kind: score.CategoricalTerm, Reference: "rarely", Levels: []score.Level{
			{Label: "rarely", Count: 100, Events: 15}, {Label: "none", Effect: -0.8, Count: 50, Events: 4},
			{Label: "frequently", Effect: 0.6, Count: 40, Events: 10}, {Label: "monthly", Effect: -0.3, Count: 30, Events: 9}}}}})
	require.NoError(t, err)
	r := Reason{Term: 0, Feature: "travel", Value: score.Cat("frequently"), Advice: AdviceChange}
	var v Violations
	v.checkLevels(m, r, []string{"none", "rarely"}, -1)
	require.Zero(t, v.Total())
	v.checkLevels(m, r, []string{"monthly", "frequently", "none"}, -1)
	require.Equal(t, 2, v.AdviceLevelUnsupported)

	// What the explainer names passes the check.
	e, err := NewExplainer(m, nil)
	require.NoError(t, err)
	require.Equal(t, []string{"none", "rarely"}, e.AdviceLevels(r, 2))
}
