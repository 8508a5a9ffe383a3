package score

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

type valueKind uint8

const (
	missingValue valueKind = iota
	numberValue
	labelValue
)

// Value is one cell of customer data: a number, a category label, or
// missing. The zero Value is missing. Values are small and copied freely.
type Value struct {
	num  float64
	str  string
	kind valueKind
}

// Num returns a numeric value. NaN and ±Inf are kept as given and rejected
// when scored, with ErrNotFinite.
func Num(x float64) Value { return Value{num: x, kind: numberValue} }

// Cat returns a categorical value.
func Cat(label string) Value { return Value{str: label, kind: labelValue} }

// Missing returns the missing value (the same as the zero Value).
func Missing() Value { return Value{} }

// IsMissing reports whether v is missing.
func (v Value) IsMissing() bool { return v.kind == missingValue }

// IsNum reports whether v holds a number.
func (v Value) IsNum() bool { return v.kind == numberValue }

// IsCat reports whether v holds a category label.
func (v Value) IsCat() bool { return v.kind == labelValue }

// Float returns the number held, or NaN when v is not numeric.
func (v Value) Float() float64 {
	if v.kind != numberValue {
		return math.NaN()
	}
	return v.num
}

// Label returns the category label held, or "" when v is not categorical.
func (v Value) Label() string {
	if v.kind != labelValue {
		return ""
	}
	return v.str
}

// String formats v as it would appear in a CSV cell: a number in the
// shortest form that round-trips, a label as is, missing as "".
func (v Value) String() string {
	switch v.kind {
	case numberValue:
		return strconv.FormatFloat(v.num, 'g', -1, 64)
	case labelValue:
		return v.str
	}
	return ""
}

// Record holds one customer's values in schema order: record[i] is the value
// of schema feature i.
type Record []Value

// ParseValue turns a CSV cell into a Value for a feature of the given kind:
// blank is missing; a numeric feature's cell must parse as a number.
func ParseValue(kind Kind, cell string) (Value, error) {
	if cell == "" {
		return Missing(), nil
	}
	if kind == Categorical {
		return Cat(cell), nil
	}
	x, err := ParseNumber(cell)
	if err != nil {
		return Value{}, wrongKindNumber(cell)
	}
	return Num(x), nil
}

// errDecimalComma is ErrWrongKind for a number written with a decimal
// comma.
var errDecimalComma = fmt.Errorf("%w: a number with a decimal comma (candor's decimal point is '.')", ErrWrongKind)

// errMissingMarker is ErrWrongKind for a missing-value marker (naMarkers)
// in a numeric cell.
var errMissingMarker = fmt.Errorf("%w: a missing-value marker: only a blank cell is missing", ErrWrongKind)

// errNotANumber is ErrWrongKind for any other text in a numeric cell.
var errNotANumber = fmt.Errorf("%w: not a number, and the feature is numeric", ErrWrongKind)

// wrongKindNumber is the error for a cell that is not a number by the
// grammar, naming a decimal comma or a missing-value marker when that is
// the reason.
func wrongKindNumber(cell string) error {
	switch {
	case decimalComma(cell):
		return errDecimalComma
	case slices.Contains(naMarkers, cell):
		return errMissingMarker
	}
	return errNotANumber
}

// decimalComma reports whether s is a number of the grammar written with
// one comma in place of the decimal point ("1,5", "-20,25").
func decimalComma(s string) bool {
	i := strings.IndexByte(s, ',')
	if i < 0 || strings.IndexByte(s[i+1:], ',') >= 0 || strings.IndexByte(s, '.') >= 0 {
		return false
	}
	if i == 0 || s[i-1] < '0' || s[i-1] > '9' || i+1 >= len(s) || s[i+1] < '0' || s[i+1] > '9' {
		return false
	}
	return decimalNumber(s[:i] + "." + s[i+1:])
}
