package score_test

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/candorscore/candor/score"
)

// loanSchema has the numeric columns of the public credit_risk_dataset.csv
// whose loan_percent_income is loan_amnt / person_income to 2 decimals.
func loanSchema(t *testing.T) *score.Schema {
	t.Helper()
	return score.MustSchema(
		score.Feature{Name: "person_income", Kind: score.Numeric},
		score.Feature{Name: "loan_amnt", Kind: score.Numeric},
		score.Feature{Name: "loan_percent_income", Kind: score.Numeric},
		score.Feature{Name: "loan_intent", Kind: score.Categorical, Categories: []string{"EDUCATION", "MEDICAL"}},
		score.Feature{Name: "other share", Kind: score.Numeric},
	)
}

func TestDerivedDeclaration(t *testing.T) {
	d, err := score.ParseDeclarations([]byte(`{"features": {
	  "loan_percent_income": {"derived": {"formula": "loan_amnt / person_income", "decimals": 2}, "action": {"immutable": true}},
	  "other share": {"derived": {"formula": "loan_amnt-person_income"}}}}`))
	if err != nil {
		t.Fatal(err)
	}
	s, err := d.Apply(loanSchema(t))
	if err != nil {
		t.Fatal(err)
	}
	f, _ := s.Lookup("loan_percent_income")
	fm, ok := f.DerivedFrom()
	if !ok || fm.Left != "loan_amnt" || fm.Op != '/' || fm.Right != "person_income" {
		t.Fatalf("DerivedFrom = %+v, %v", fm, ok)
	}
	// The lead's trial: a loan of 35000 on an income of 80000 is a share of
	// 0.44 (0.4375 rounded to 2 decimals), on 59000 it is 0.59 (0.5932...).
	for _, c := range []struct{ loan, income, want float64 }{{35000, 80000, 0.44}, {35000, 59000, 0.59}, {1000, 9600, 0.1}} {
		if got := f.Derived.Value(fm, c.loan, c.income); got != c.want {
			t.Errorf("%v / %v to 2 decimals = %v, want %v", c.loan, c.income, got, c.want)
		}
	}
	o, _ := s.Lookup("other share")
	ofm, _ := o.DerivedFrom()
	if got := o.Derived.Value(ofm, 0.1, 0.7); got != 0.1-0.7 {
		t.Errorf("no decimals: %v, want %v unrounded", got, 0.1-0.7)
	}
	if got := f.Derived.Value(fm, 1, 0); !math.IsInf(got, 1) {
		t.Errorf("1 / 0 = %v, want +Inf (the caller refuses it)", got)
	}
	if _, ok := s.Feature(0).DerivedFrom(); ok {
		t.Error("person_income is not derived")
	}
}

func TestDerivedDeclarationErrors(t *testing.T) {
	cases := []struct {
		name, json string
		want       []string
	}{
		{"unknown source", `{"features": {"loan_percent_income": {"derived": {"formula": "loan_amount / person_income"}}}}`,
			[]string{`"loan_percent_income"`, `"loan_amount"`, "not a feature", `did you mean "loan_amnt"`}},
		{"categorical source", `{"features": {"loan_percent_income": {"derived": {"formula": "loan_amnt / loan_intent"}}}}`,
			[]string{`"loan_percent_income"`, `"loan_intent"`, "not numeric"}},
		{"derived source", `{"features": {"loan_percent_income": {"derived": {"formula": "loan_amnt / person_income"}},
		   "other share": {"derived": {"formula": "loan_percent_income * person_income"}}}}`,
			[]string{`"other share"`, `"loan_percent_income"`, "itself derived"}},
		{"cycle", `{"features": {"loan_percent_income": {"derived": {"formula": "loan_percent_income / person_income"}}}}`,
			[]string{`"loan_percent_income"`, "cycle"}},
		{"bad formula", `{"features": {"loan_percent_income": {"derived": {"formula": "loan_amnt / person_income / 100"}}}}`,
			[]string{`"loan_percent_income"`, "formula", "+ - * /"}},
		{"no operator", `{"features": {"loan_percent_income": {"derived": {"formula": "loan_amnt"}}}}`,
			[]string{`"loan_percent_income"`, "formula"}},
		{"empty formula", `{"features": {"loan_percent_income": {"derived": {}}}}`, []string{`"loan_percent_income"`, "formula"}},
		{"same source twice", `{"features": {"loan_percent_income": {"derived": {"formula": "loan_amnt * loan_amnt"}}}}`,
			[]string{`"loan_percent_income"`, "twice"}},
		{"decimals", `{"features": {"loan_percent_income": {"derived": {"formula": "loan_amnt / person_income", "decimals": -1}}}}`,
			[]string{`"loan_percent_income"`, "decimals"}},
		{"categorical derived", `{"features": {"loan_intent": {"derived": {"formula": "loan_amnt / person_income"}}}}`,
			[]string{`"loan_intent"`, "numeric"}},
		{"actionable derived", `{"features": {"loan_percent_income": {"derived": {"formula": "loan_amnt / person_income"}, "action": {"direction": "decrease"}}}}`,
			[]string{`"loan_percent_income"`, "never moves on its own", "loan_amnt", "person_income"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d, err := score.ParseDeclarations([]byte(c.json))
			if err == nil {
				_, err = d.Apply(loanSchema(t))
			}
			if err == nil {
				t.Fatal("accepted")
			}
			if !errors.Is(err, score.ErrDeclarations) {
				t.Errorf("error %v is not ErrDeclarations", err)
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

// A derived declaration travels in the model file: it round-trips, the
// fingerprint covers it, and a model without one keeps its fingerprint
// (the field is omitted).
func TestDerivedInModelFile(t *testing.T) {
	two := 2
	spec := func(derived bool) score.Spec {
		fs := loanSchema(t).Features()
		if derived {
			fs[2].Derived = &score.Derivation{Formula: "loan_amnt / person_income", Decimals: &two}
		}
		return score.Spec{Name: "loans", Kind: score.LogisticModel, Features: fs, Terms: []score.Term{
			{Feature: "person_income", Kind: score.LinearTerm, Coef: -0.00001},
			{Feature: "loan_percent_income", Kind: score.LinearTerm, Coef: 3},
		}}
	}
	plain, err := score.NewModel(spec(false))
	if err != nil {
		t.Fatal(err)
	}
	m, err := score.NewModel(spec(true))
	if err != nil {
		t.Fatal(err)
	}
	if m.Fingerprint() == plain.Fingerprint() {
		t.Error("the fingerprint does not cover the derived declaration")
	}
	var b bytes.Buffer
	if err := plain.Save(&b); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "derived") {
		t.Error("a model without a derived input writes the key")
	}
	b.Reset()
	if err := m.Save(&b); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), `"formula": "loan_amnt / person_income"`) {
		t.Errorf("model file lacks the formula:\n%s", b.String())
	}
	back, err := score.Load(&b)
	if err != nil {
		t.Fatal(err)
	}
	if back.Fingerprint() != m.Fingerprint() {
		t.Error("fingerprint changed in the round trip")
	}
	f, _ := back.Schema().Lookup("loan_percent_income")
	if f.Derived == nil || f.Derived.Formula != "loan_amnt / person_income" || *f.Derived.Decimals != 2 {
		t.Errorf("round trip lost the derivation: %+v", f.Derived)
	}
	// The schema copy is deep.
	*f.Derived.Decimals = 5
	if again, _ := back.Schema().Lookup("loan_percent_income"); *again.Derived.Decimals != 2 {
		t.Error("Lookup shares the derivation with the schema")
	}
	// A hand-edited file whose source does not exist is refused, naming it.
	s2 := spec(true)
	s2.Features[2].Derived = &score.Derivation{Formula: "loan / person_income"}
	if _, err := score.NewModel(s2); err == nil || !strings.Contains(err.Error(), `"loan"`) {
		t.Errorf("unknown source accepted in a model: %v", err)
	}
}

// A loan's share of the income, declared derived: the features file names
// the formula and the rounding, and the schema computes the share from
// the loan and the income (recourse recomputes it this way when one of
// them moves).
func ExampleDerivation() {
	d, err := score.ParseDeclarations([]byte(`{"features": {"loan_percent_income":
	  {"derived": {"formula": "loan_amnt / person_income", "decimals": 2}}}}`))
	if err != nil {
		panic(err)
	}
	s, err := d.Apply(score.MustSchema(
		score.Feature{Name: "person_income"}, score.Feature{Name: "loan_amnt"}, score.Feature{Name: "loan_percent_income"}))
	if err != nil {
		panic(err)
	}
	f, _ := s.Lookup("loan_percent_income")
	fm, _ := f.DerivedFrom()
	fmt.Println(fm)
	fmt.Println(f.Derived.Value(fm, 35000, 59000), f.Derived.Value(fm, 35000, 80000))
	// Output:
	// loan_amnt / person_income
	// 0.59 0.44
}

// FuzzParseFormula: no formula makes the parser panic, and a parsed
// formula written back ("left op right") parses to itself.
func FuzzParseFormula(f *testing.F) {
	for _, s := range []string{"loan_amnt / person_income", "a/b", "a + b", "x - y - z", "Effective To Date - Start Date", " / ", "a*", "a *b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fm, err := score.ParseFormula(s)
		if err != nil {
			return
		}
		back, err := score.ParseFormula(fm.String())
		if err != nil || back != fm {
			t.Fatalf("%q parsed as %+v, written %q, parsed again as %+v, %v", s, fm, fm.String(), back, err)
		}
	})
}
