package explain

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"reflect"
	"slices"

	"github.com/candorscore/candor/internal/jsonerr"
	"github.com/candorscore/candor/score"
)

// Sentinel errors of counterfactual recourse.
var (
	// ErrActions: an action specification that cannot be used (a direction
	// that is not increase/decrease/both, min above max, a negative cost, a
	// protected feature declared actionable, a numeric feature with no
	// training values to build its grid or costs from, ...).
	ErrActions = errors.New("invalid action specification")
	// ErrRecourseModel: recourse asked of a model that has no probability
	// (a linear model) or a target that is not a probability in (0, 1).
	ErrRecourseModel = errors.New("recourse needs a probability model and target")
)

// ActionDirection says which way a numeric feature (or an ordered
// categorical one) may move: score.ActionDirection.
type ActionDirection = score.ActionDirection

const (
	// BothWays: the feature may rise or fall (the default; "both" in JSON is
	// the same).
	BothWays = score.BothWays
	// IncreaseOnly: the feature may only rise (e.g. savings).
	IncreaseOnly = score.IncreaseOnly
	// DecreaseOnly: the feature may only fall (e.g. the loan amount asked for).
	DecreaseOnly = score.DecreaseOnly
)

// Actions says what may change for a customer, and at what cost. It is the
// JSON format of `candor recourse --actions`:
//
//	{"immutable": ["age_in_years", "foreign_worker"],
//	 "features": {"duration_in_month": {"direction": "decrease"},
//	              "credit_amount": {"direction": "decrease", "max": 10000}}}
//
// Actionability is declared, never assumed: a feature may change only when
// Features names it (an entry such as {} allows both ways within the
// default bounds) or the model's features file declared its action, and
// it is not listed in Immutable. Every other input is immutable. (Before
// the advice rules, unlisted features were actionable both ways; that
// default proposed moves no customer can make, such as a younger age.)
// Protected features of the schema are never model inputs and never
// change. Names that are not in the model's schema are an error (a typo
// would otherwise silently free a feature); schema features that are not
// model inputs may be named and are ignored.
type Actions struct {
	// Immutable features never change (age, nationality, history), even
	// when the features file declares an action for them.
	Immutable []string `json:"immutable,omitempty"`
	// Features holds per-feature settings; an entry replaces the features
	// file's action for that feature. Features with neither are immutable.
	Features map[string]FeatureAction `json:"features,omitempty"`
}

// FeatureAction is the action set of one feature: score.Action, the same
// type a feature's declaration carries (see its documentation for candidate
// values and costs).
type FeatureAction = score.Action

// ParseActions decodes an action specification from JSON. Unknown fields
// are an error, so a misspelt key is caught. Consistency with a model is
// checked by NewActionSpace.
func ParseActions(b []byte) (*Actions, error) {
	return ReadActions(bytes.NewReader(b))
}

// ReadActions is ParseActions over a reader, read to its end. An unknown
// key or a value of the wrong type names its feature (an unknown key its
// close matches too), a syntax error its line and column.
func ReadActions(r io.Reader) (*Actions, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	var a Actions
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&a); err != nil {
		return nil, actionsError(b, err)
	}
	if dec.More() {
		return nil, fmt.Errorf("%w: trailing data after the JSON object", ErrActions)
	}
	for name, fa := range a.Features {
		if fa.Direction == "both" {
			fa.Direction = BothWays
			a.Features[name] = fa
		}
	}
	return &a, nil
}

// actionsError is err, from decoding the actions file b, said where it is
// (as score says a features file's errors).
func actionsError(b []byte, err error) error {
	if where := jsonerr.Where(b, err); where != err {
		return fmt.Errorf("%w: %v", ErrActions, where)
	}
	unknown := func(key string, known []string) string {
		return jsonerr.UnknownKeyText(key, score.CloseMatches(key, known))
	}
	if key, known := jsonerr.UnknownKey(b, reflect.TypeFor[Actions]()); key != "" {
		return fmt.Errorf("%w: %s", ErrActions, unknown(key, known))
	}
	var top struct {
		Features map[string]json.RawMessage `json:"features"`
	}
	if json.Unmarshal(b, &top) == nil {
		for _, name := range sortedMapKeys(top.Features) {
			raw := top.Features[name]
			if key, known := jsonerr.UnknownKey(raw, reflect.TypeFor[FeatureAction]()); key != "" {
				return &score.FieldError{Feature: name, Err: fmt.Errorf("%w: %s", ErrActions, unknown(key, known))}
			}
			var fa FeatureAction
			if ferr := json.Unmarshal(raw, &fa); ferr != nil {
				return &score.FieldError{Feature: name, Err: fmt.Errorf("%w: %v", ErrActions, ferr)}
			}
		}
	}
	return fmt.Errorf("%w: %v", ErrActions, err)
}

// validate checks one feature's settings against its schema feature, and
// reports every problem.
func validateAction(fa *FeatureAction, f score.Feature) []error {
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, &score.FieldError{Feature: f.Name, Err: fmt.Errorf("%w: "+format, append([]any{ErrActions}, args...)...)})
	}
	switch fa.Direction {
	case BothWays, IncreaseOnly, DecreaseOnly, "both":
	default:
		bad("direction %q (want increase, decrease or both)", fa.Direction)
	}
	finite := func(p *float64) bool { return p == nil || !(math.IsNaN(*p) || math.IsInf(*p, 0)) }
	if !finite(fa.Min) || !finite(fa.Max) || !finite(fa.CostPerUnit) || !finite(fa.ChangeCost) {
		bad("min, max and costs must be finite numbers")
	}
	if fa.MinChange != nil && !(*fa.MinChange >= 0 && !math.IsInf(*fa.MinChange, 0)) {
		bad("min_change %v must be a finite number >= 0", *fa.MinChange)
	}
	if fa.Min != nil && fa.Max != nil && *fa.Min > *fa.Max {
		bad("min %v is above max %v", *fa.Min, *fa.Max)
	}
	if (fa.CostPerUnit != nil && *fa.CostPerUnit < 0) || (fa.ChangeCost != nil && *fa.ChangeCost < 0) {
		bad("costs must not be negative")
	}
	for _, x := range fa.Grid {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			bad("grid value %v is not finite", x)
		}
	}
	for _, from := range sortedMapKeys(fa.TransitionCosts) {
		for _, to := range sortedMapKeys(fa.TransitionCosts[from]) {
			if c := fa.TransitionCosts[from][to]; !(c >= 0) || math.IsInf(c, 0) {
				bad("transition cost %q -> %q is %v (want a finite number >= 0)", from, to, c)
			}
		}
	}
	if f.Kind == score.Numeric {
		if fa.Order != nil || fa.Transitions != nil || fa.TransitionCosts != nil || fa.ChangeCost != nil {
			bad("order, transitions and change costs are for categorical features")
		}
	} else {
		if fa.Min != nil || fa.Max != nil || fa.Grid != nil || fa.CostPerUnit != nil || fa.MinChange != nil {
			bad("min, max, min_change, grid and cost_per_unit are for numeric features")
		}
		if fa.Direction != BothWays && fa.Direction != "both" && fa.Order == nil {
			bad("a direction for a categorical feature needs an order of its labels")
		}
		if dup := firstDuplicate(fa.Order); dup != "" {
			bad("label %q listed twice in order", dup)
		}
	}
	return errs
}

func firstDuplicate(xs []string) string {
	s := slices.Clone(xs)
	slices.Sort(s)
	for i := 1; i < len(s); i++ {
		if s[i] == s[i-1] {
			return s[i]
		}
	}
	return ""
}

func sortedMapKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
