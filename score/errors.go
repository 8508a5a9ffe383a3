package score

import (
	"errors"
	"fmt"
	"strconv"
)

// Sentinel errors. Every error candor returns about data or models wraps one
// of these, so callers test with errors.Is and never with strings.
var (
	// ErrUnknownFeature: a record or spec names a feature the schema lacks.
	ErrUnknownFeature = errors.New("unknown feature")
	// ErrNotFinite: a numeric value is NaN or ±Inf.
	ErrNotFinite = errors.New("value is not finite")
	// ErrUnknownCategory: a categorical value the model never saw, and the
	// feature declares no "other" bin.
	ErrUnknownCategory = errors.New("unknown category")
	// ErrMissing: a value is missing and the feature declares no way to fill it.
	ErrMissing = errors.New("missing value")
	// ErrWrongKind: a number given for a categorical feature or text for a
	// numeric one.
	ErrWrongKind = errors.New("value of the wrong kind")
	// ErrProtectedInput: a protected attribute is used as a model input.
	ErrProtectedInput = errors.New("protected attribute used as a model input")
	// ErrSchema: the schema itself is inconsistent (duplicate names, empty names).
	ErrSchema = errors.New("invalid schema")
	// ErrModel: a model specification is inconsistent.
	ErrModel = errors.New("invalid model")
	// ErrFormatVersion: a model file of a format version this build cannot read.
	ErrFormatVersion = errors.New("unsupported model format version")
	// ErrFingerprint: the fingerprint stored in a model file does not match its content.
	ErrFingerprint = errors.New("model fingerprint does not match its content")
	// ErrMalformed: a model file or data file that cannot be parsed.
	ErrMalformed = errors.New("malformed input")
	// ErrData: training data unusable as given (no rows, one class only, ...).
	ErrData = errors.New("unusable training data")
	// ErrSeparation: the outcome is perfectly predicted by some inputs, so the
	// maximum-likelihood estimate does not exist.
	ErrSeparation = errors.New("separation: maximum likelihood estimate does not exist")
	// ErrPairTerm: a model has a pair (interaction) term and the operation
	// asked handles only terms of one feature.
	ErrPairTerm = errors.New("pair term not supported here")
	// ErrInvalidValue: a number outside a feature's declared valid values
	// (Feature.Valid) where the feature does not score it as missing.
	ErrInvalidValue = errors.New("invalid value")
)

// FieldError is the structured error for one bad value. It names the feature
// and, in batches, the row (1-based data row; 0 when there is no row), and
// unwraps to one of the sentinels.
type FieldError struct {
	Row     int    // 1-based data row, 0 if not in a batch
	Feature string // feature name; "" for a fault of the whole row (a ragged row)
	Value   string // offending value as text; empty when the feature is sensitive
	Err     error  // a sentinel such as ErrNotFinite
}

func (e *FieldError) Error() string {
	var buf [128]byte
	b := buf[:0]
	if e.Row > 0 {
		b = appendRow(b, e.Row)
	}
	return string(e.appendText(b))
}

// appendText appends `feature "NAME": ERR (VALUE)` without the row: the
// bytes fmt's "feature %q: %v" and " (%s)" give, without fmt's cost (a
// stream of bad rows formats one of these per row).
func (e *FieldError) appendText(b []byte) []byte {
	if e.Feature != "" { // no feature: a fault of the whole row (its cells)
		b = append(b, "feature "...)
		b = strconv.AppendQuote(b, e.Feature)
		b = append(b, ": "...)
	}
	if _, custom := e.Err.(fmt.Formatter); custom || e.Err == nil {
		b = fmt.Appendf(b, "%v", e.Err)
	} else {
		b = append(b, e.Err.Error()...)
	}
	if e.Value != "" {
		b = append(b, " ("...)
		b = append(b, e.Value...)
		b = append(b, ')')
	}
	return b
}

// appendRow appends "row N: ".
func appendRow(b []byte, row int) []byte {
	b = append(b, "row "...)
	b = strconv.AppendInt(b, int64(row), 10)
	return append(b, ": "...)
}

func (e *FieldError) Unwrap() error { return e.Err }

// RecordError gathers every problem of one record, so a caller sees them all
// at once. errors.Is and errors.As see through it to each FieldError.
type RecordError struct {
	Row    int // 1-based data row, 0 if not in a batch
	Fields []*FieldError
}

func (e *RecordError) Error() string {
	if len(e.Fields) == 1 {
		return e.Fields[0].Error()
	}
	var buf [256]byte
	b := buf[:0]
	if e.Row > 0 {
		b = appendRow(b, e.Row)
	}
	b = strconv.AppendInt(b, int64(len(e.Fields)), 10)
	b = append(b, " problems: "...)
	for i, f := range e.Fields {
		if i > 0 {
			b = append(b, "; "...)
		}
		b = f.appendText(b)
	}
	return string(b)
}

// Unwrap returns the field errors, for errors.Is and errors.As.
func (e *RecordError) Unwrap() []error {
	out := make([]error, len(e.Fields))
	for i, f := range e.Fields {
		out[i] = f
	}
	return out
}

// WithRow returns a copy of err with the row number set, when err is a
// FieldError or RecordError; other errors are returned unchanged.
func WithRow(err error, row int) error {
	var re *RecordError
	if errors.As(err, &re) {
		c := &RecordError{Row: row, Fields: make([]*FieldError, len(re.Fields))}
		for i, f := range re.Fields {
			ff := *f
			ff.Row = row
			c.Fields[i] = &ff
		}
		return c
	}
	var fe *FieldError
	if errors.As(err, &fe) {
		ff := *fe
		ff.Row = row
		return &ff
	}
	return err
}

func modelErr(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrModel, fmt.Sprintf(format, args...))
}
