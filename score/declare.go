package score

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"os"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/candorscore/candor/internal/jsonerr"
)

// ErrDeclarations: a features file (declarations) that cannot be used: an
// unknown key, an unknown feature, a trend or kind that does not exist, a
// special code that is not a number for a numeric feature, an action on a
// derived feature, a derived formula that does not parse or names a source
// that is not a numeric feature read from the data, an action on a
// protected feature.
var ErrDeclarations = errors.New("invalid feature declarations")

// Trend is the declared shape of a feature's event rate as its value rises:
// what a domain expert knows before seeing the data (risk falls as months
// since the last late payment rise). Fits use it to choose or constrain a
// feature's shape; advice never points against it.
type Trend string

const (
	// TrendAuto lets the fit choose the shape from the training rows (the
	// default; "auto" in JSON is the same).
	TrendAuto Trend = ""
	// Ascending: the event rate rises with the value.
	Ascending Trend = "ascending"
	// Descending: the event rate falls as the value rises.
	Descending Trend = "descending"
	// Peak: the event rate rises, then falls.
	Peak Trend = "peak"
	// Valley: the event rate falls, then rises.
	Valley Trend = "valley"
	// TrendNone: no shape is imposed (bins keep whatever order the data
	// gives them).
	TrendNone Trend = "none"
)

// valid reports whether t is one of the trends above ("auto" included).
func (t Trend) valid() bool {
	switch t {
	case TrendAuto, "auto", Ascending, Descending, Peak, Valley, TrendNone:
		return true
	}
	return false
}

// ActionDirection says which way a numeric feature (or an ordered
// categorical one) may move.
type ActionDirection string

const (
	// BothWays: the feature may rise or fall ("both" in JSON is the same).
	BothWays ActionDirection = ""
	// IncreaseOnly: the feature may only rise (e.g. savings).
	IncreaseOnly ActionDirection = "increase"
	// DecreaseOnly: the feature may only fall (e.g. the loan amount asked for).
	DecreaseOnly ActionDirection = "decrease"
)

// Action says how a customer may honestly change one feature, and at what
// cost. It is the "action" of a feature's declaration and the per-feature
// entry of recourse action files (explain.FeatureAction is the same type).
// Every field is optional.
//
// Numeric features: candidate values are the values seen in training (or
// Grid when given); they must lie within [Min, Max] (default: the 1st and
// 99th training percentiles) and on the allowed side of the customer's
// value, and differ from it by at least MinChange.
//
// Categorical features: candidate labels are the model's levels seen in
// training; Transitions restricts them per current label, Order makes
// Direction meaningful.
//
// Costs (summed over the changed features, or their maximum):
// CostPerUnit * |to - from| when given; otherwise, for numbers, the shift
// in training percentile |P(to) - P(from)| in [0, 1] (Ustun, Spangher and
// Liu 2019, "actionable recourse"). For categories: TransitionCosts[from][to]
// when listed, else ChangeCost when given, else for an ordered feature the
// shift in mid-percentile of the ordered levels, else 1 - share(to).
type Action struct {
	Immutable bool            `json:"immutable,omitempty"`
	Direction ActionDirection `json:"direction,omitempty"`
	// Min and Max bound a numeric feature's new value (inclusive).
	Min *float64 `json:"min,omitempty"`
	Max *float64 `json:"max,omitempty"`
	// MinChange is the smallest change of a numeric feature worth proposing
	// (in the feature's units).
	MinChange *float64 `json:"min_change,omitempty"`
	// Grid lists the numeric values that may be proposed, replacing the
	// values seen in training.
	Grid []float64 `json:"grid,omitempty"`
	// SeenOnly (default true) proposes only values and labels seen in
	// training. False adds the percentile points and bin edges to a numeric
	// feature's candidates and allows categorical labels never seen.
	SeenOnly *bool `json:"seen_only,omitempty"`
	// CostPerUnit prices a numeric change per unit of the feature.
	CostPerUnit *float64 `json:"cost_per_unit,omitempty"`
	// ChangeCost is the flat cost of any change of a categorical feature.
	ChangeCost *float64 `json:"change_cost,omitempty"`
	// Order lists a categorical feature's labels from low to high, so that
	// Direction applies; labels not listed never change.
	Order []string `json:"order,omitempty"`
	// Transitions maps a current label to the labels it may become; a label
	// that is not a key may not change at all.
	Transitions map[string][]string `json:"transitions,omitempty"`
	// TransitionCosts prices individual moves: from label, to label, cost.
	TransitionCosts map[string]map[string]float64 `json:"transition_costs,omitempty"`
}

// clone returns a deep copy of a (nil stays nil).
func (a *Action) clone() *Action {
	if a == nil {
		return nil
	}
	c := *a
	c.Grid = slices.Clone(a.Grid)
	c.Order = slices.Clone(a.Order)
	if a.Transitions != nil {
		c.Transitions = make(map[string][]string, len(a.Transitions))
		for k, v := range a.Transitions {
			c.Transitions[k] = slices.Clone(v)
		}
	}
	if a.TransitionCosts != nil {
		c.TransitionCosts = make(map[string]map[string]float64, len(a.TransitionCosts))
		for k, v := range a.TransitionCosts {
			c.TransitionCosts[k] = maps.Clone(v)
		}
	}
	return &c
}

// Declarations is the features file: what the domain says about each
// column, declared once and passed to every command (--features) and to
// the Go API. Its JSON form:
//
//	{"features": {
//	  "MSinceMostRecentDelq": {"label": "months since your most recent late payment",
//	                           "special": {"-7": "no late payment on record", "-8": "no usable accounts"},
//	                           "trend": "descending",
//	                           "action": {"direction": "increase"}},
//	  "EDUCATION":  {"kind": "categorical"},
//	  "SEX":        {"role": "protected"},
//	  "CustomerId": {"role": "ignored"}}}
//
// Every key is optional; unknown keys and (at Apply) unknown feature names
// are errors, so a typo never silently drops a declaration. A model
// records the declarations it was fitted with in its schema, so explain,
// recourse and the Go API use them later without being told again.
type Declarations struct {
	Features map[string]Declaration `json:"features"`
}

// Declaration is what the features file says about one feature.
type Declaration struct {
	// Kind overrides the inferred kind (a numeric-looking code column that
	// is really categorical, such as an education code).
	Kind *Kind `json:"kind,omitempty"`
	// Role: input (the default), protected (audits only, never a model
	// input) or ignored (identifiers, free text).
	Role *Role `json:"role,omitempty"`
	// Label is the words used for the feature in customer text and reports.
	Label string `json:"label,omitempty"`
	// Unit is the unit of a numeric feature's values ("months", "EUR"),
	// used in customer text.
	Unit string `json:"unit,omitempty"`
	// Description is free text for people.
	Description string `json:"description,omitempty"`
	// Special maps a code to its meaning. For a numeric feature the codes
	// are numbers ("-7", "-8"): values that mean something other than a
	// quantity ("no record"), never part of a numeric range. For a
	// categorical feature they name levels that mean "not applicable".
	Special map[string]string `json:"special,omitempty"`
	// Trend is the expected shape of the event rate as the value rises.
	Trend Trend `json:"trend,omitempty"`
	// Sensitive features never show their raw value in any output.
	Sensitive *bool `json:"sensitive,omitempty"`
	// DataCategory and Consent: see Feature.
	DataCategory string   `json:"data_category,omitempty"`
	Consent      []string `json:"consent,omitempty"`
	// Action says how a customer may change the feature. A feature with no
	// action is immutable for advice and recourse.
	Action *Action `json:"action,omitempty"`
	// Derived declares the feature computed from two other numeric
	// features (see Derivation): it never moves on its own, so it may not
	// carry an action other than immutable.
	Derived *Derivation `json:"derived,omitempty"`
}

// ReadDeclarations decodes a features file, reading r to its end (bound it:
// ReadDeclarationsFile reads at most 16 MiB). Unknown keys, trends, kinds
// and action directions are ErrDeclarations errors that name the feature;
// a syntax error names its line and column.
func ReadDeclarations(r io.Reader) (*Declarations, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	var d Declarations
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&d); err != nil {
		return nil, declarationsError(b, err)
	}
	if dec.More() {
		return nil, fmt.Errorf("%w: trailing data after the JSON object", ErrDeclarations)
	}
	for _, name := range slices.Sorted(maps.Keys(d.Features)) {
		fd := d.Features[name]
		if !fd.Trend.valid() {
			return nil, &FieldError{Feature: name, Err: fmt.Errorf("%w: trend %q (want ascending, descending, peak, valley, auto or none)", ErrDeclarations, fd.Trend)}
		}
		if fd.Trend == "auto" {
			fd.Trend = TrendAuto
		}
		if fd.Action != nil {
			switch fd.Action.Direction {
			case "both":
				fd.Action.Direction = BothWays
			case BothWays, IncreaseOnly, DecreaseOnly:
			default:
				return nil, &FieldError{Feature: name, Err: fmt.Errorf("%w: action direction %q (want increase, decrease or both)", ErrDeclarations, fd.Action.Direction)}
			}
		}
		d.Features[name] = fd
	}
	return &d, nil
}

// declarationsError is err, from decoding the features file b, said where
// it is: a syntax error with its line and column; an unknown key (with its
// close matches) or a value of the wrong type with the feature it is in.
func declarationsError(b []byte, err error) error {
	if where := jsonerr.Where(b, err); where != err {
		return fmt.Errorf("%w: %v", ErrDeclarations, where)
	}
	if key, known := jsonerr.UnknownKey(b, reflect.TypeFor[Declarations]()); key != "" {
		return fmt.Errorf("%w: %s", ErrDeclarations, unknownKeyText(key, known))
	}
	var top struct {
		Features map[string]json.RawMessage `json:"features"`
	}
	if json.Unmarshal(b, &top) == nil {
		for _, name := range slices.Sorted(maps.Keys(top.Features)) {
			raw := top.Features[name]
			if key, known := jsonerr.UnknownKey(raw, reflect.TypeFor[Declaration]()); key != "" {
				return &FieldError{Feature: name, Err: fmt.Errorf("%w: %s", ErrDeclarations, unknownKeyText(key, known))}
			}
			var fd Declaration
			if ferr := json.Unmarshal(raw, &fd); ferr != nil {
				return &FieldError{Feature: name, Err: fmt.Errorf("%w: %v", ErrDeclarations, ferr)}
			}
		}
	}
	return fmt.Errorf("%w: %v", ErrDeclarations, err)
}

// unknownKeyText words an unknown key with its close matches among known.
func unknownKeyText(key string, known []string) string {
	return jsonerr.UnknownKeyText(key, CloseMatches(key, known))
}

// ParseDeclarations is ReadDeclarations over bytes.
func ParseDeclarations(b []byte) (*Declarations, error) {
	return ReadDeclarations(bytes.NewReader(b))
}

// ReadDeclarationsFile reads a features file; errors name the file.
func ReadDeclarationsFile(path string) (*Declarations, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	d, err := ReadDeclarations(io.LimitReader(f, 16<<20))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return d, nil
}

// Apply returns a copy of the schema with the declarations applied. A
// declared feature the schema lacks is an ErrUnknownFeature error naming it
// and its close matches. Special codes of a numeric feature must be
// numbers; a protected feature may not carry an action. Every problem is
// reported at once (errors.Join).
func (d *Declarations) Apply(s *Schema) (*Schema, error) {
	if d == nil {
		return s, nil
	}
	fs := s.Features()
	var errs []error
	for _, name := range slices.Sorted(maps.Keys(d.Features)) {
		i := s.Index(name)
		if i < 0 {
			err := error(ErrUnknownFeature)
			if near := CloseMatches(name, s.Names()); len(near) > 0 {
				err = fmt.Errorf("%w (did you mean %s?)", ErrUnknownFeature, quoteList(near))
			}
			errs = append(errs, &FieldError{Feature: name, Err: err})
			continue
		}
		fd := d.Features[name]
		f := &fs[i]
		if fd.Kind != nil {
			if *fd.Kind != f.Kind {
				f.Categories = nil
			}
			f.Kind = *fd.Kind
		}
		if fd.Role != nil {
			f.Role = *fd.Role
		}
		if fd.Label != "" {
			f.Label = fd.Label
		}
		if fd.Unit != "" {
			f.Unit = fd.Unit
		}
		if fd.Description != "" {
			f.Description = fd.Description
		}
		if fd.Special != nil {
			f.Special = maps.Clone(fd.Special)
		}
		if fd.Trend != TrendAuto {
			f.Trend = fd.Trend
		}
		if fd.Sensitive != nil {
			f.Sensitive = *fd.Sensitive
		}
		if fd.DataCategory != "" {
			f.DataCategory = fd.DataCategory
		}
		if fd.Consent != nil {
			f.Consent = slices.Clone(fd.Consent)
		}
		if fd.Action != nil {
			f.Action = fd.Action.clone()
		}
		if fd.Derived != nil {
			f.Derived = fd.Derived.clone()
		}
		errs = append(errs, f.checkDeclared()...)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return NewSchema(fs...)
}

// checkDeclared reports the problems of one declared feature.
func (f *Feature) checkDeclared() []error {
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, &FieldError{Feature: f.Name, Err: fmt.Errorf("%w: "+format, append([]any{ErrDeclarations}, args...)...)})
	}
	if f.Kind == Numeric {
		for _, code := range slices.Sorted(maps.Keys(f.Special)) {
			if _, err := ParseNumber(code); err != nil {
				bad("special code %q is not a number (the feature is numeric)", code)
			}
		}
	}
	if f.Role == Protected && f.Action != nil && !f.Action.Immutable {
		bad("a protected feature cannot carry an action")
	}
	if !f.Trend.valid() {
		bad("trend %q", f.Trend)
	}
	f.checkDerived(bad)
	return errs
}

// ParseNumber parses a cell or code as a number by candor's number
// grammar: an optional sign, decimal digits with an optional fraction and
// exponent. It does not accept digit separators ("1_169", "1,169"), hex
// ("0x1p3"), or "inf"/"nan" spellings.
func ParseNumber(s string) (float64, error) {
	if !decimalNumber(s) {
		return 0, fmt.Errorf("%w: %q is not a decimal number", ErrMalformed, s)
	}
	x, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(x, 0) {
		return 0, fmt.Errorf("%w: %q is not a finite decimal number", ErrMalformed, s)
	}
	return x, nil
}

// decimalNumber reports whether s is [+-]digits[.digits][(e|E)[+-]digits]
// with at least one digit in the mantissa.
func decimalNumber(s string) bool {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	digits := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
		digits++
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
			digits++
		}
	}
	if digits == 0 {
		return false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		exp := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
			exp++
		}
		if exp == 0 {
			return false
		}
	}
	return i == len(s)
}

// SpecialMeaning returns the declared meaning of a numeric value when it is
// one of the feature's special codes.
func (f Feature) SpecialMeaning(x float64) (string, bool) {
	for code, meaning := range f.Special {
		if c, err := ParseNumber(code); err == nil && c == x {
			return meaning, true
		}
	}
	return "", false
}

// SpecialCodes returns a numeric feature's special codes, sorted
// ascending; codes that are not numbers are left out.
func (f Feature) SpecialCodes() []float64 {
	var out []float64
	for code := range f.Special {
		if c, err := ParseNumber(code); err == nil {
			out = append(out, c)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// Display is the words for the feature in text: its label, else its name.
func (f Feature) Display() string {
	if f.Label != "" {
		return f.Label
	}
	return f.Name
}

// Actionable reports whether the feature was declared changeable by the
// customer: an action that is not immutable, on an input feature.
func (f Feature) Actionable() bool {
	return f.Role == Input && f.Action != nil && !f.Action.Immutable
}

// CloseMatches returns the candidates that are probably what name meant:
// equal ignoring case, spaces, '_' and '-', or within a small edit
// distance (a third of the name's length, at most 3). Best first, at most 3.
func CloseMatches(name string, candidates []string) []string {
	norm := func(s string) string {
		return strings.Map(func(r rune) rune {
			if r == '_' || r == '-' || r == ' ' || r == '.' {
				return -1
			}
			return r
		}, strings.ToLower(s))
	}
	n := norm(name)
	limit := min(3, max(1, len([]rune(n))/3))
	// Closest first, then in the order given: a pass per distance (at
	// most limit+1 of them) keeps the order without a sort.
	dist := make([]int, len(candidates))
	for i, c := range candidates {
		dist[i] = limit + 1
		if c != name {
			dist[i] = editDistance(n, norm(c), limit)
		}
	}
	var out []string
	for d := 0; d <= limit; d++ {
		for i, c := range candidates {
			if dist[i] == d && len(out) < 3 {
				out = append(out, c)
			}
		}
	}
	return out
}

// editDistance is the Levenshtein distance of a and b, or limit+1 once it
// is known to exceed limit.
func editDistance(a, b string, limit int) int {
	ra, rb := []rune(a), []rune(b)
	if d := len(ra) - len(rb); d > limit || -d > limit {
		return limit + 1
	}
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

func quoteList(xs []string) string {
	q := make([]string, len(xs))
	for i, x := range xs {
		q[i] = fmt.Sprintf("%q", x)
	}
	return strings.Join(q, " or ")
}
