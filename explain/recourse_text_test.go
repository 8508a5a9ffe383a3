package explain_test

import (
	"encoding/json"
	"testing"

	"github.com/candorscore/candor/explain"
	"github.com/candorscore/candor/score"
	"github.com/stretchr/testify/require"
)

func TestCounterfactualText(t *testing.T) {
	s := score.MustSchema(
		score.Feature{Name: "duration_in_month", Description: "loan duration"},
		score.Feature{Name: "savings", Kind: score.Categorical},
		score.Feature{Name: "income", Sensitive: true},
	)
	cf := explain.Counterfactual{Changes: []explain.Change{
		{Feature: "duration_in_month", From: "48", To: "24", FromVal: score.Num(48), ToVal: score.Num(24)},
		{Feature: "savings", From: "none", To: "< 100 DM", FromVal: score.Cat("none"), ToVal: score.Cat("< 100 DM")},
		{Feature: "income", From: "2000", To: "2500.5", FromVal: score.Num(2000), ToVal: score.Num(2500.5)},
	}}
	cases := []struct {
		name, lang string
		cat        func() (*explain.Catalog, error)
		want       string
	}{
		{"en defaults", "en", func() (*explain.Catalog, error) { return explain.DefaultCatalog(), nil },
			"If your loan duration were 24 instead of 48 and if your savings were < 100 DM instead of none and if your income were higher, the decision would change."},
		{"de defaults", "de", func() (*explain.Catalog, error) { return explain.DefaultCatalog(), nil },
			"Wenn Ihr Merkmal „loan duration“ 24 statt 48 wäre und wenn Ihr Merkmal „savings“ < 100 DM statt none wäre und wenn Ihr Merkmal „income“ anders wäre, würde sich die Entscheidung ändern."},
		{"en overrides", "en", func() (*explain.Catalog, error) {
			return explain.DefaultCatalog().With(
				explain.Message{Lang: "en", Kind: explain.WordMessage, Key: explain.WordRecourseOutcome, Text: ", we could approve your application."},
				explain.Message{Lang: "en", Kind: explain.ChangeMessage, Key: "duration_in_month", Text: "If you chose a loan of {to} months rather than {from}"},
				explain.Message{Lang: "en", Kind: explain.ValueMessage, Key: "savings=< 100 DM", Text: "some savings"},
			)
		}, "If you chose a loan of 24 months rather than 48 and if your savings were some savings instead of none and if your income were higher, we could approve your application."},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cat, err := tc.cat()
			require.NoError(t, err)
			got, err := explain.CounterfactualText(cat, tc.lang, s, cf)
			require.NoError(t, err)
			require.Equal(t, tc.want, got)
		})
	}
	_, err := explain.CounterfactualText(explain.DefaultCatalog(), "xx", s, cf)
	require.ErrorIs(t, err, explain.ErrUnknownLanguage)
}

// FuzzParseActions: any input either fails with ErrActions or decodes to
// actions that survive a JSON round trip.
func FuzzParseActions(f *testing.F) {
	f.Add([]byte(`{"immutable": ["age_in_years"], "features": {"duration_in_month": {"direction": "decrease", "max": 60}}}`))
	f.Add([]byte(`{"features": {"purpose": {"transitions": {"a": ["b"]}, "transition_costs": {"a": {"b": 0.5}}}}}`))
	f.Add([]byte(`{"features": {"x": {"grid": [1, 2, 3], "cost_per_unit": 0.1, "seen_only": false, "direction": "both"}}}`))
	f.Add([]byte(`{} {}`))
	f.Add([]byte(`[`))
	f.Fuzz(func(t *testing.T, b []byte) {
		a, err := explain.ParseActions(b)
		if err != nil {
			require.ErrorIs(t, err, explain.ErrActions)
			return
		}
		again, err := explain.ParseActions(mustJSON(t, a))
		require.NoError(t, err)
		require.Equal(t, mustJSON(t, a), mustJSON(t, again))
	})
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return b
}
