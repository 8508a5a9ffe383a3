package explain

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"

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
// categorical one) may move.
type ActionDirection string

const (
	// BothWays: the feature may rise or fall (the default; "both" in JSON is
	// the same).
	BothWays ActionDirection = ""
	// IncreaseOnly: the feature may only rise (e.g. savings).
	IncreaseOnly ActionDirection = "increase"
	// DecreaseOnly: the feature may only fall (e.g. the loan amount asked for).
	DecreaseOnly ActionDirection = "decrease"
)

// Actions says what may change for a customer, and at what cost. It is the
// JSON format of `candor recourse --actions`:
//
//	{"immutable": ["age_in_years", "foreign_worker"],
//	 "features": {"duration_in_month": {"direction": "decrease"},
//	              "credit_amount": {"direction": "decrease", "max": 10000}}}
//
// The zero value (or nil) makes every model input actionable both ways
// within its default bounds. Protected features of the schema are never
// model inputs and never change. Names that are not in the model's schema
// are an error (a typo would otherwise silently free a feature); schema
// features that are not model inputs may be named and are ignored.
type Actions struct {
	// Immutable features never change (age, nationality, history).
	Immutable []string `json:"immutable,omitempty"`
	// Features holds per-feature settings; features not listed are
	// actionable both ways within their default bounds.
	Features map[string]FeatureAction `json:"features,omitempty"`
}

// FeatureAction is the action set of one feature. Every field is optional.
//
// Numeric features: candidate values are the values seen in training (the
// training table given to NewActionSpace; without one, the model's stored
// percentiles 0..100, rounded to as many decimals as the minimum, maximum
// and tied percentiles have, since those are values that occur in the
// data), or Grid when given; they must lie within [Min, Max]
// (default: the 1st and 99th training percentiles) and on the allowed side
// of the customer's value. For a scorecard every reachable bin is
// represented by its candidate value nearest the customer's value (the
// cheapest move into that bin).
//
// Categorical features: candidate labels are the model's levels (or
// category-bin labels) seen in training; Transitions restricts them per
// current label, Order makes Direction meaningful.
//
// Costs (summed over the changed features, or their maximum under
// MaxCost): CostPerUnit * |to - from| when
// given; otherwise, for numbers, the shift in training percentile
// |P(to) - P(from)| in [0, 1] (Ustun, Spangher and Liu 2019, "actionable
// recourse"). For categories: TransitionCosts[from][to] when listed, else
// ChangeCost when given, else for an ordered feature the shift in
// mid-percentile of the ordered levels, else 1 - share(to), the share of
// training customers who do not already hold the target label (a move to a
// rare label costs nearly 1, a move to the most common label less).
type FeatureAction struct {
	Immutable bool            `json:"immutable,omitempty"`
	Direction ActionDirection `json:"direction,omitempty"`
	// Min and Max bound a numeric feature's new value (inclusive).
	Min *float64 `json:"min,omitempty"`
	Max *float64 `json:"max,omitempty"`
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

// ParseActions decodes an action specification from JSON. Unknown fields
// are an error, so a misspelt key is caught. Consistency with a model is
// checked by NewActionSpace.
func ParseActions(b []byte) (*Actions, error) {
	return ReadActions(bytes.NewReader(b))
}

// ReadActions is ParseActions over a reader.
func ReadActions(r io.Reader) (*Actions, error) {
	var a Actions
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&a); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrActions, err)
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

// validate checks one feature's settings against its schema feature, and
// reports every problem.
func (fa *FeatureAction) validate(f score.Feature) []error {
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
		if fa.Min != nil || fa.Max != nil || fa.Grid != nil || fa.CostPerUnit != nil {
			bad("min, max, grid and cost_per_unit are for numeric features")
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
