package jsonerr

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/stretchr/testify/require"
)

type inner struct {
	Direction string `json:"direction"`
}

type outer struct {
	Label  string `json:"label,omitempty"`
	Action *inner `json:"action,omitempty"`
	Skip   int    `json:"-"`
}

// TestWhere: the line and column are those of the byte the decoder stopped
// at (the ',' on line 2, column 11, counted by hand), and errors that are
// not syntax errors pass through.
func TestWhere(t *testing.T) {
	b := []byte("{\"features\": {\n  \"Age\": {,\"label\": \"age\"}}}")
	var v any
	err := Where(b, json.Unmarshal(b, &v))
	require.EqualError(t, err, "line 2, column 11: invalid character ',' looking for beginning of object key string")
	other := json.Unmarshal([]byte(`{"label": 1}`), &outer{})
	require.Equal(t, other, Where([]byte(`{"label": 1}`), other))
	require.Equal(t, other, Where(nil, other))
}

func TestUnknownKey(t *testing.T) {
	typ := reflect.TypeFor[outer]()
	for raw, want := range map[string]string{
		`{"label": "a"}`:                         "",
		`{"Label": "a", "lable": "b"}`:           "lable",
		`{"action": {"diretion": "up"}}`:         "diretion",
		`{"action": {"Direction": "up"}}`:        "",
		`{"Skip": 1}`:                            "Skip",
		`[1, 2]`:                                 "",
		`{"action": "not an object", "x": true}`: "x",
	} {
		key, known := UnknownKey(json.RawMessage(raw), typ)
		require.Equal(t, want, key, raw)
		if want == "diretion" {
			require.Equal(t, []string{"direction"}, known)
		} else if want != "" {
			require.Equal(t, []string{"label", "action"}, known)
		}
	}
}

func TestUnknownKeyText(t *testing.T) {
	require.Equal(t, `unknown key "diretion" (did you mean "direction"?)`, UnknownKeyText("diretion", []string{"direction"}))
	require.Equal(t, `unknown key "x" (did you mean "a" or "b"?)`, UnknownKeyText("x", []string{"a", "b"}))
	require.Equal(t, `unknown key "x"`, UnknownKeyText("x", nil))
}
