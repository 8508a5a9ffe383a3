package score

import (
	"fmt"
	"math"
	"strings"
)

// Derivation declares a numeric feature that is computed from two other
// numeric features of the same row (a loan's share of the income, written
// beside the loan and the income): Formula is "left op right" with op one
// of + - * / (spaces around the operator let names hold spaces or
// operators), and the result is rounded to Decimals decimals (nil: not
// rounded). A customer cannot move such a feature on its own: recourse
// recomputes it whenever one of its sources changes, and advice on it
// goes to its sources. It is the "derived" of a feature's declaration:
//
//	"loan_percent_income": {"derived": {"formula": "loan_amnt / person_income", "decimals": 2}}
type Derivation struct {
	Formula  string `json:"formula"`
	Decimals *int   `json:"decimals,omitempty"`
}

// MaxDerivedDecimals is the most decimals a Derivation may round to.
const MaxDerivedDecimals = 15

// Formula is a parsed Derivation.Formula: Left Op Right.
type Formula struct {
	Left, Right string
	Op          byte // '+', '-', '*' or '/'
}

// String is "left op right".
func (f Formula) String() string { return f.Left + " " + string(f.Op) + " " + f.Right }

// Eval is left op right, unrounded (±Inf or NaN for a division by zero).
func (f Formula) Eval(left, right float64) float64 {
	switch f.Op {
	case '+':
		return left + right
	case '-':
		return left - right
	case '*':
		return left * right
	case '/':
		return left / right
	}
	return math.NaN()
}

// ParseFormula parses "left op right". The operator is the one character
// of + - * / that stands between spaces (" / "); when none does, the
// formula must hold exactly one operator character and no spaces
// ("loan_amnt/person_income"). Both names must be non-empty.
func ParseFormula(s string) (Formula, error) {
	bad := fmt.Errorf("%w: formula %q: want two feature names joined by one of + - * / (\"loan_amnt / person_income\")", ErrDeclarations, s)
	at := spacedOps(s)
	if len(at) == 0 && !strings.ContainsAny(s, " \t") && strings.IndexAny(s, "+-*/") == strings.LastIndexAny(s, "+-*/") {
		if i := strings.IndexAny(s, "+-*/"); i >= 0 {
			at = append(at, i)
		}
	}
	if len(at) != 1 {
		return Formula{}, bad
	}
	f := Formula{Left: strings.TrimSpace(s[:at[0]]), Op: s[at[0]], Right: strings.TrimSpace(s[at[0]+1:])}
	// A name that would make its written form ambiguous ("0 *" beside
	// " * 0", once a form feed between them is trimmed) is refused.
	if f.Left == "" || f.Right == "" || len(spacedOps(f.String())) != 1 {
		return Formula{}, bad
	}
	return f, nil
}

// spacedOps lists the positions in s of an operator with a space either
// side: the candidates for a formula's operator.
func spacedOps(s string) []int {
	var at []int
	for i := 1; i+1 < len(s); i++ {
		if strings.IndexByte("+-*/", s[i]) >= 0 && s[i-1] == ' ' && s[i+1] == ' ' {
			at = append(at, i)
		}
	}
	return at
}

// Value is the derived value from the sources' values: f.Eval(left, right)
// rounded half away from zero to d.Decimals decimals. It is ±Inf or NaN
// when the formula is (a division by zero): no value.
func (d *Derivation) Value(f Formula, left, right float64) float64 {
	x := f.Eval(left, right)
	if d.Decimals == nil || math.IsInf(x, 0) || math.IsNaN(x) {
		return x
	}
	p := math.Pow(10, float64(*d.Decimals))
	return math.Round(x*p) / p
}

func (d *Derivation) clone() *Derivation {
	if d == nil {
		return nil
	}
	c := *d
	if d.Decimals != nil {
		n := *d.Decimals
		c.Decimals = &n
	}
	return &c
}

// DerivedFrom returns the parsed formula of a derived feature; ok is false
// when the feature is not derived (or, outside a schema, its formula does
// not parse).
func (f Feature) DerivedFrom() (Formula, bool) {
	if f.Derived == nil {
		return Formula{}, false
	}
	fm, err := ParseFormula(f.Derived.Formula)
	return fm, err == nil
}

// checkDerived reports the problems of a derived feature's own
// declaration: its formula, kind, decimals and action.
func (f *Feature) checkDerived(bad func(format string, args ...any)) {
	d := f.Derived
	if d == nil {
		return
	}
	fm, err := ParseFormula(d.Formula)
	if err != nil {
		bad("derived: %v", strings.TrimPrefix(err.Error(), ErrDeclarations.Error()+": "))
	}
	if f.Kind != Numeric {
		bad("a derived feature must be numeric")
	}
	if d.Decimals != nil && (*d.Decimals < 0 || *d.Decimals > MaxDerivedDecimals) {
		bad("derived: decimals %d (want 0 to %d, or none for no rounding)", *d.Decimals, MaxDerivedDecimals)
	}
	if f.Action != nil && !f.Action.Immutable && err == nil {
		bad("a derived feature never moves on its own (it follows %s and %s): declare the action on them, not on it", fm.Left, fm.Right)
	}
}

// checkDerivedSources reports, for each derived feature of s, a source that
// is not a numeric feature of s, is itself derived, is the feature itself
// (a cycle), or is named twice.
func (s *Schema) checkDerivedSources() []error {
	var errs []error
	for i := range s.features {
		f := &s.features[i]
		fm, ok := f.DerivedFrom()
		if !ok {
			continue
		}
		bad := func(format string, args ...any) {
			errs = append(errs, &FieldError{Feature: f.Name, Err: fmt.Errorf("%w: derived: "+format, append([]any{ErrDeclarations}, args...)...)})
		}
		if fm.Left == fm.Right {
			bad("%q is named twice in %q", fm.Left, fm.String())
			continue
		}
		for _, src := range []string{fm.Left, fm.Right} {
			k := s.Index(src)
			switch {
			case src == f.Name:
				bad("%q depends on itself (a cycle)", src)
			case k < 0:
				msg := fmt.Sprintf("source %q is not a feature", src)
				if near := CloseMatches(src, s.Names()); len(near) > 0 {
					msg += fmt.Sprintf(" (did you mean %s?)", quoteList(near))
				}
				bad("%s", msg)
			case s.features[k].Kind != Numeric:
				bad("source %q is not numeric", src)
			case s.features[k].Derived != nil:
				bad("source %q is itself derived: give the formula over features read from the data", src)
			}
		}
	}
	return errs
}
