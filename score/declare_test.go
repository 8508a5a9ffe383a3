package score_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/score"
)

func declSchema(t *testing.T) *score.Schema {
	t.Helper()
	return score.MustSchema(
		score.Feature{Name: "MSinceMostRecentDelq", Kind: score.Numeric},
		score.Feature{Name: "EDUCATION", Kind: score.Numeric},
		score.Feature{Name: "SEX", Kind: score.Categorical, Categories: []string{"1", "2"}},
		score.Feature{Name: "CustomerId", Kind: score.Numeric},
		score.Feature{Name: "Age", Kind: score.Numeric},
	)
}

// The example of the declarations issue applies as written.
func TestDeclarationsApply(t *testing.T) {
	d, err := score.ParseDeclarations([]byte(`{"features": {
	  "MSinceMostRecentDelq": {"label": "months since your most recent late payment",
	                           "special": {"-7": "no late payment on record", "-8": "no usable accounts", "-9": "no bureau record"},
	                           "trend": "descending",
	                           "action": {"direction": "increase"}},
	  "EDUCATION": {"kind": "categorical"},
	  "SEX":       {"role": "protected"},
	  "CustomerId": {"role": "ignored"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	s, err := d.Apply(declSchema(t))
	if err != nil {
		t.Fatal(err)
	}
	m, _ := s.Lookup("MSinceMostRecentDelq")
	if m.Display() != "months since your most recent late payment" || m.Trend != score.Descending || !m.Actionable() {
		t.Errorf("declared feature = %+v", m)
	}
	if got := m.SpecialCodes(); len(got) != 3 || got[0] != -9 || got[2] != -7 {
		t.Errorf("special codes = %v, want [-9 -8 -7]", got)
	}
	if meaning, ok := m.SpecialMeaning(-8); !ok || meaning != "no usable accounts" {
		t.Errorf("meaning of -8 = %q, %v", meaning, ok)
	}
	if _, ok := m.SpecialMeaning(-6); ok {
		t.Error("-6 is not a special code")
	}
	if e, _ := s.Lookup("EDUCATION"); e.Kind != score.Categorical {
		t.Errorf("EDUCATION kind = %v", e.Kind)
	}
	if f, _ := s.Lookup("SEX"); f.Role != score.Protected || f.Actionable() {
		t.Errorf("SEX = %+v", f)
	}
	if f, _ := s.Lookup("CustomerId"); f.Role != score.Ignored {
		t.Errorf("CustomerId role = %v", f.Role)
	}
	if f, _ := s.Lookup("Age"); f.Actionable() || f.Display() != "Age" {
		t.Errorf("undeclared Age = %+v: immutable, shown by its name", f)
	}
	// The schema copy is deep: editing the returned action changes nothing.
	m.Action.Direction = score.DecreaseOnly
	m.Special["-7"] = "edited"
	again, _ := s.Lookup("MSinceMostRecentDelq")
	if again.Action.Direction != score.IncreaseOnly || again.Special["-7"] != "no late payment on record" {
		t.Error("Lookup shares the action or special map with the schema")
	}
}

func TestDeclarationsErrors(t *testing.T) {
	cases := []struct {
		name, json string
		want       []string
	}{
		{"unknown key", `{"features": {"Age": {"lable": "your age"}}}`, []string{"lable"}},
		{"unknown trend", `{"features": {"Age": {"trend": "up"}}}`, []string{"Age", "up"}},
		{"unknown kind", `{"features": {"Age": {"kind": "ordinal"}}}`, []string{"ordinal"}},
		{"unknown feature", `{"features": {"age": {"label": "your age"}}}`, []string{`"age"`, `did you mean "Age"`}},
		{"non-numeric code", `{"features": {"Age": {"special": {"n/a": "not asked"}}}}`, []string{"Age", `"n/a"`, "not a number"}},
		{"hex code", `{"features": {"Age": {"special": {"0x10": "x"}}}}`, []string{"0x10"}},
		{"protected action", `{"features": {"SEX": {"role": "protected", "action": {"direction": "increase"}}}}`, []string{"SEX", "protected"}},
		{"trailing", `{"features": {}} {}`, []string{"trailing"}},
		// An action's direction is checked when the file is read, as a trend
		// is: "up" used to be stored in the model by fit, and every later
		// explain and recourse on that model then failed (trial3).
		{"unknown direction", `{"features": {"Age": {"action": {"direction": "up"}}}}`, []string{`feature "Age"`, `direction "up" (want increase, decrease or both)`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d, err := score.ParseDeclarations([]byte(c.json))
			if err == nil {
				_, err = d.Apply(declSchema(t))
			}
			if err == nil {
				t.Fatal("accepted")
			}
			if !errors.Is(err, score.ErrDeclarations) && !errors.Is(err, score.ErrUnknownFeature) {
				t.Errorf("error %v is neither ErrDeclarations nor ErrUnknownFeature", err)
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

func TestParseNumberGrammar(t *testing.T) {
	good := map[string]float64{"0": 0, "-7": -7, "+3.5": 3.5, "1e3": 1000, ".5": 0.5, "5.": 5, "-2.5E-2": -0.025}
	for s, want := range good {
		if got, err := score.ParseNumber(s); err != nil || got != want {
			t.Errorf("ParseNumber(%q) = %v, %v; want %v", s, got, err, want)
		}
	}
	for _, s := range []string{"", "1_169", "0x1p3", "1,5", "inf", "NaN", "1e", "e3", "-", ".", "1e400", " 1", "1 "} {
		if _, err := score.ParseNumber(s); err == nil {
			t.Errorf("ParseNumber(%q) accepted", s)
		}
	}
}

func TestCloseMatches(t *testing.T) {
	names := []string{"Age", "Geography", "NumOfProducts", "CreditScore", "Tenure"}
	for in, want := range map[string]string{"age": "Age", "num_of_products": "NumOfProducts", "Tenur": "Tenure", "creditscore": "CreditScore"} {
		got := score.CloseMatches(in, names)
		if len(got) == 0 || got[0] != want {
			t.Errorf("CloseMatches(%q) = %v, want %q first", in, got, want)
		}
	}
	if got := score.CloseMatches("Balance", names); len(got) != 0 {
		t.Errorf("CloseMatches(Balance) = %v, want none", got)
	}
}

// Declarations travel in the model file (its features are JSON): a schema
// round-trips
// with its labels, codes, trend and action.
func TestDeclaredSchemaRoundTrip(t *testing.T) {
	d, err := score.ParseDeclarations([]byte(`{"features": {"Age": {"label": "your age", "unit": "years", "trend": "peak", "special": {"-1": "not given"}, "action": {"direction": "increase", "min_change": 2}}}}`))
	if err != nil {
		t.Fatal(err)
	}
	s, err := d.Apply(declSchema(t))
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(s.Features())
	if err != nil {
		t.Fatal(err)
	}
	var fs []score.Feature
	if err := json.Unmarshal(b, &fs); err != nil {
		t.Fatal(err)
	}
	back, err := score.NewSchema(fs...)
	if err != nil {
		t.Fatal(err)
	}
	f, _ := back.Lookup("Age")
	if f.Label != "your age" || f.Unit != "years" || f.Trend != score.Peak || f.Special["-1"] != "not given" || f.Action == nil || *f.Action.MinChange != 2 {
		t.Errorf("round trip lost declarations: %+v", f)
	}
}

// A features file's mistakes name where they are: an unknown key or a
// value of the wrong type names its feature (and a close key, when there
// is one), a syntax error its line and column. Before, the Iranian churn
// file's features file gave `json: unknown field "lable"`, `json: cannot
// unmarshal string into Go struct field Declaration.features.sensitive of
// type bool` and `invalid character ',' looking for beginning of object
// key string`, naming no feature and no line.
func TestDeclarationsErrorsSayWhere(t *testing.T) {
	for _, c := range []struct{ name, json, want string }{
		{"unknown key", `{"features": {"Age": {"label": "age"}, "Charge  Amount": {"labl": "your charge band"}}}`,
			`feature "Charge  Amount": invalid feature declarations: unknown key "labl" (did you mean "label"?)`},
		{"unknown top-level key", `{"feature": {"Age": {"label": "age"}}}`,
			`invalid feature declarations: unknown key "feature" (did you mean "features"?)`},
		{"unknown key beside a key in capitals", `{"features": {"Age": {"Label": "age", "units": "years"}}}`,
			`feature "Age": invalid feature declarations: unknown key "units" (did you mean "unit"?)`},
		{"unknown action key", `{"features": {"Age": {"action": {"diretion": "increase"}}}}`,
			`feature "Age": invalid feature declarations: unknown key "diretion" (did you mean "direction"?)`},
		{"wrong type", `{"features": {"Age": {"sensitive": "yes"}}}`,
			`feature "Age": invalid feature declarations: json: cannot unmarshal string into Go struct field Declaration.sensitive of type bool`},
		{"syntax", "{\"features\": {\n  \"Age\": {,\"label\": \"age\"}}}",
			`invalid feature declarations: line 2, column 11: invalid character ',' looking for beginning of object key string`},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := score.ParseDeclarations([]byte(c.json))
			require.ErrorIs(t, err, score.ErrDeclarations)
			require.Contains(t, err.Error(), c.want)
		})
	}
}

// FuzzParseDeclarations: any bytes give declarations or an ErrDeclarations
// error, never a panic (the error's line and column are computed from the
// syntax error's offset into the bytes).
func FuzzParseDeclarations(f *testing.F) {
	for _, s := range []string{`{"features": {"Age": {"label": "age"}}}`, "{\"features\": {\n \"Age\": {,}}}", `{"features": {"Age": {"action": {"diretion": 1}}}}`,
		`{"features": {"Age": {"sensitive": "yes"}}}`, `{`, ``, `{"features": {"a": {"derived": {"formul": "x"}}}}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := score.ParseDeclarations(b)
		if err != nil {
			require.ErrorIs(t, err, score.ErrDeclarations)
			return
		}
		require.NotNil(t, d)
	})
}
