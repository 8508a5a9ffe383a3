package score

import (
	"fmt"
	"math"
)

// Validity restricts which numbers are valid values of a numeric feature,
// as a PMML DataField does (dataType "integer", Interval elements, Value
// elements of property "valid"), and says what an invalid value does:
// score as a missing value (PMML invalidValueTreatment="asMissing") or be
// an ErrInvalidValue error ("returnInvalid"). A feature without a Validity
// takes every finite number.
type Validity struct {
	// Integer: only whole numbers are valid.
	Integer bool `json:"integer,omitempty"`
	// Intervals: when not empty, a number is valid only inside one of them
	// or when Values lists it.
	Intervals []Interval `json:"intervals,omitempty"`
	// Values are valid numbers; when Intervals is empty and Values is not,
	// they are the only valid ones.
	Values []float64 `json:"values,omitempty"`
	// AsMissing scores an invalid number as a missing value; otherwise it
	// is an error.
	AsMissing bool `json:"as_missing,omitempty"`
}

// Interval is a range of valid numbers; a nil bound is unbounded.
type Interval struct {
	Lower     *float64 `json:"lower,omitempty"`
	Upper     *float64 `json:"upper,omitempty"`
	LowerOpen bool     `json:"lower_open,omitempty"` // Lower itself is not in the interval
	UpperOpen bool     `json:"upper_open,omitempty"` // Upper itself is not in the interval
}

// Contains reports whether x is in the interval.
func (iv Interval) Contains(x float64) bool {
	if l := iv.Lower; l != nil && (x < *l || (iv.LowerOpen && x == *l)) {
		return false
	}
	if u := iv.Upper; u != nil && (x > *u || (iv.UpperOpen && x == *u)) {
		return false
	}
	return true
}

// Accepts reports whether the finite number x is valid.
func (v *Validity) Accepts(x float64) bool {
	if v.Integer && x != math.Trunc(x) {
		return false
	}
	if len(v.Intervals) == 0 && len(v.Values) == 0 {
		return true
	}
	for _, iv := range v.Intervals {
		if iv.Contains(x) {
			return true
		}
	}
	for _, w := range v.Values {
		if w == x {
			return true
		}
	}
	return false
}

// check reports what makes v unusable, or nil.
func (v *Validity) check() error {
	for _, w := range v.Values {
		if !isFinite(w) {
			return fmt.Errorf("valid value %v is not finite", w)
		}
	}
	for _, iv := range v.Intervals {
		if (iv.Lower != nil && math.IsNaN(*iv.Lower)) || (iv.Upper != nil && math.IsNaN(*iv.Upper)) {
			return fmt.Errorf("interval bound is NaN")
		}
		if iv.Lower != nil && iv.Upper != nil && *iv.Lower > *iv.Upper {
			return fmt.Errorf("interval [%v, %v] is empty", *iv.Lower, *iv.Upper)
		}
	}
	return nil
}

// clone returns a copy of v that shares nothing with it.
func (v *Validity) clone() *Validity {
	if v == nil {
		return nil
	}
	c := *v
	c.Values = append([]float64(nil), v.Values...)
	c.Intervals = make([]Interval, len(v.Intervals))
	for k, iv := range v.Intervals {
		c.Intervals[k] = Interval{Lower: clonePtr(iv.Lower), Upper: clonePtr(iv.Upper), LowerOpen: iv.LowerOpen, UpperOpen: iv.UpperOpen}
	}
	if v.Intervals == nil {
		c.Intervals = nil
	}
	if v.Values == nil {
		c.Values = nil
	}
	return &c
}

// admit applies the feature's validity to a numeric value: an invalid
// number becomes missing (AsMissing) or an ErrInvalidValue error.
func (v *Validity) admit(val *Value) (*Value, error) {
	if v == nil || val.kind != numberValue || !isFinite(val.num) || v.Accepts(val.num) {
		return val, nil
	}
	if v.AsMissing {
		return &missingVal, nil
	}
	return val, ErrInvalidValue
}

var missingVal = Missing()
