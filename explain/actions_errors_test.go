package explain_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/explain"
)

// An actions file's mistakes name where they are, as a features file's do:
// an unknown key names its feature and the close key, a syntax error its
// line and column (the '}' after the comma on line 2 is its 38th byte,
// counted by hand). Before, the Iranian churn trial's actions file gave
// `json: unknown field "diretion"` and `invalid character '}' looking for
// beginning of object key string`, naming no feature and no line.
func TestActionsErrorsSayWhere(t *testing.T) {
	for _, c := range []struct{ name, json, want string }{
		{"unknown key", `{"features": {"Frequency of SMS": {"diretion": "increase"}}}`,
			`feature "Frequency of SMS": invalid action specification: unknown key "diretion" (did you mean "direction"?)`},
		{"unknown top-level key", `{"imutable": ["Age"]}`,
			`invalid action specification: unknown key "imutable" (did you mean "immutable"?)`},
		{"wrong type", `{"features": {"calls": {"min": "low"}}}`,
			`feature "calls": invalid action specification: json: cannot unmarshal string into Go struct field Action.min of type float64`},
		{"syntax", "{\"features\": {\n  \"calls\": {\"direction\": \"increase\"},}}",
			`invalid action specification: line 2, column 38: invalid character '}' looking for beginning of object key string`},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := explain.ParseActions([]byte(c.json))
			require.ErrorIs(t, err, explain.ErrActions)
			require.Contains(t, err.Error(), c.want)
		})
	}
}
