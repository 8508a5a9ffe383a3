package explain_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/explain"
	"github.com/candorscore/candor/score"
)

// travelModel is a churn model in log-odds with one categorical term,
// business travel, whose levels (effect; training rows, events) are, by
// hand: rarely (0; 100, 15), none (-0.8; 50, 4), frequently (+0.6; 40,
// 10), monthly (-0.3; 30, 9). From "frequently" (rate 0.25) every other
// level has a better effect; "monthly" (rate 0.30) has a higher event rate,
// so the data does not support the move, and the others are named best
// effect first: none (-0.8), then rarely (0).
func travelModel(t *testing.T, f score.Feature) (*explain.Explainer, explain.Explanation) {
	t.Helper()
	m, err := score.NewModel(score.Spec{Name: "churn", Kind: score.LogisticModel, Features: []score.Feature{f}, Intercept: -1.5,
		Terms: []score.Term{{Feature: "travel", Kind: score.CategoricalTerm, Reference: "rarely", Baseline: 0, Levels: []score.Level{
			{Label: "rarely", Count: 100, Events: 15}, {Label: "none", Effect: -0.8, Count: 50, Events: 4},
			{Label: "frequently", Effect: 0.6, Count: 40, Events: 10}, {Label: "monthly", Effect: -0.3, Count: 30, Events: 9}}}}})
	require.NoError(t, err)
	e, err := explain.NewExplainer(m, nil)
	require.NoError(t, err)
	var ex explain.Explanation
	require.NoError(t, e.Explain(score.Record{score.Cat("frequently")}, &ex))
	require.Len(t, ex.Reasons, 1)
	return e, ex
}

// A categorical feature's advice names the levels the data supports, as
// the customer would act on them; before, it said only "A different value
// for your business travel would improve the result" (IBM HR attrition,
// testdata/trials/2026-12-05-trial23.md).
func TestAdviceNamesSupportedLevels(t *testing.T) {
	f := score.Feature{Name: "travel", Kind: score.Categorical, Label: "business travel", Action: &score.Action{}}
	e, ex := travelModel(t, f)
	r := ex.Reasons[0]
	require.Equal(t, explain.AdviceChange, r.Advice)
	require.Equal(t, []string{"none", "rarely"}, e.AdviceLevels(r, ex.Positions[0]))
	cat := explain.DefaultCatalog()
	b, err := e.AppendCustomerText(nil, cat, "en", &ex)
	require.NoError(t, err)
	require.Equal(t, "Your business travel (frequently) weighed against the result. Your business travel being none or rarely would improve the result.\n", string(b))
	b, err = e.AppendCustomerText(nil, cat, "de", &ex)
	require.NoError(t, err)
	require.Contains(t, string(b), "Ein Wert wie none oder rarely bei „business travel“ würde das Ergebnis verbessern.")

	// A transition list narrows the levels to the allowed ones.
	f.Action = &score.Action{Transitions: map[string][]string{"frequently": {"rarely", "monthly"}}}
	e, ex = travelModel(t, f)
	require.Equal(t, []string{"rarely"}, e.AdviceLevels(ex.Reasons[0], ex.Positions[0]))

	// A catalogue message of the feature's own wins; a language without
	// the word "or" keeps the plain sentence.
	f.Action = &score.Action{}
	e, ex = travelModel(t, f)
	own, err := cat.With(explain.Message{Lang: "en", Kind: explain.ImproveMessage, Key: "travel", Text: "Travelling less would help."})
	require.NoError(t, err)
	b, err = e.AppendCustomerText(nil, own, "en", &ex)
	require.NoError(t, err)
	require.Contains(t, string(b), "Travelling less would help.")
	fr, err := cat.With(
		explain.Message{Lang: "fr", Kind: explain.ReasonMessage, Text: "Votre {feature} ({bin}) a pesé contre le résultat."},
		explain.Message{Lang: "fr", Kind: explain.ImproveMessage, Text: "Une valeur {direction} aiderait."},
		explain.Message{Lang: "fr", Kind: explain.ImproveMessage, Key: explain.ImproveLevelsKey, Text: "{to} aiderait."},
		explain.Message{Lang: "fr", Kind: explain.ChangeMessage, Text: "Si {feature} était {to}"},
		explain.Message{Lang: "fr", Kind: explain.WordMessage, Key: explain.WordHigher, Text: "plus haute"},
		explain.Message{Lang: "fr", Kind: explain.WordMessage, Key: explain.WordLower, Text: "plus basse"},
		explain.Message{Lang: "fr", Kind: explain.WordMessage, Key: explain.WordDifferent, Text: "autre"},
		explain.Message{Lang: "fr", Kind: explain.WordMessage, Key: explain.WordWithheld, Text: "non affiché"})
	require.NoError(t, err)
	b, err = e.AppendCustomerText(nil, fr, "fr", &ex)
	require.NoError(t, err)
	require.Equal(t, "Votre business travel (frequently) a pesé contre le résultat. Une valeur autre aiderait.\n", string(b))

	// A sensitive feature never names a value.
	f.Sensitive = true
	e, ex = travelModel(t, f)
	require.Nil(t, e.AdviceLevels(ex.Reasons[0], ex.Positions[0]))
	b, err = e.AppendCustomerText(nil, cat, "en", &ex)
	require.NoError(t, err)
	require.NotContains(t, string(b), "rarely")
	require.NotContains(t, string(b), "none")
}
