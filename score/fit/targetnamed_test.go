package fit_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/fit"
)

// A public IBM telecom churn file (testdata/trials/2026-12-04-trial19.md)
// has the target "Churn Label" and the inputs "Churn Score" (IBM's own
// model's prediction of it: the default scorecard kept it, training AUC
// 0.97), "Churn Value" and "Churn Reason" (refused as perfect leaks); the
// card-churn file of trial11 has "Attrition_Flag" and two naive-Bayes
// scores named after it. Inputs whose names hold the target's words but
// the generic ones (Label, Flag) are named; "Monthly Charges" is not, nor
// anything for a target of generic words only ("y"); a declared role
// silences it.
func TestTargetNamedInputs(t *testing.T) {
	schema := func(names ...string) *score.Schema {
		fs := make([]score.Feature, len(names))
		for i, n := range names {
			fs[i] = score.Feature{Name: n, Kind: score.Numeric, Role: score.Input}
		}
		s, err := score.NewSchema(fs...)
		require.NoError(t, err)
		return s
	}
	s := schema("Tenure Months", "Churn Score", "Monthly Charges", "Churn Value", "Churn Label")
	got := fit.TargetNamedInputs(s, nil, "Churn Label")
	require.Equal(t, []fit.TargetNamed{
		{Feature: "Churn Score", Target: "Churn Label", Words: []string{"churn"}},
		{Feature: "Churn Value", Target: "Churn Label", Words: []string{"churn"}},
	}, got)
	require.Equal(t, `Churn Score: its name holds the target's word ("churn"), as a column recorded with the outcome often does (another model's score of it, its reason, a copy); `+
		`if it is, leave it out (--exclude "Churn Score", or {"role": "ignored"}); if it is a customer attribute known before the outcome, declare {"role": "input"}`, got[0].String())

	nb := "Naive_Bayes_Classifier_Attrition_Flag_Card_Category_Contacts_Count_12_mon_Dependent_count_Education_Level_Months_Inactive_12_mon_1"
	got = fit.TargetNamedInputs(schema("Customer_Age", nb, "Attrition_Flag"), nil, "Attrition_Flag")
	require.Len(t, got, 1)
	require.Equal(t, nb, got[0].Feature)

	require.Empty(t, fit.TargetNamedInputs(schema("y_lag", "balance"), nil, "y"))
	require.Empty(t, fit.TargetNamedInputs(schema("ExternalRiskEstimate", "MSinceMostRecentDelq"), nil, "RiskPerformance"))
	input := score.Input
	d := &score.Declarations{Features: map[string]score.Declaration{"Churn Score": {Role: &input}}}
	got = fit.TargetNamedInputs(s, d, "Churn Label")
	require.Len(t, got, 1)
	require.Equal(t, "Churn Value", got[0].Feature)
}
