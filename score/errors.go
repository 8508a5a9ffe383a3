package score

import (
	"errors"
	"fmt"
	"strings"
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
)

// FieldError is the structured error for one bad value. It names the feature
// and, in batches, the row (1-based data row; 0 when there is no row), and
// unwraps to one of the sentinels.
type FieldError struct {
	Row     int    // 1-based data row, 0 if not in a batch
	Feature string // feature name
	Value   string // offending value as text; empty when the feature is sensitive
	Err     error  // a sentinel such as ErrNotFinite
}

func (e *FieldError) Error() string {
	var b strings.Builder
	if e.Row > 0 {
		fmt.Fprintf(&b, "row %d: ", e.Row)
	}
	fmt.Fprintf(&b, "feature %q: %v", e.Feature, e.Err)
	if e.Value != "" {
		fmt.Fprintf(&b, " (%s)", e.Value)
	}
	return b.String()
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
	var b strings.Builder
	if e.Row > 0 {
		fmt.Fprintf(&b, "row %d: ", e.Row)
	}
	fmt.Fprintf(&b, "%d problems: ", len(e.Fields))
	for i, f := range e.Fields {
		if i > 0 {
			b.WriteString("; ")
		}
		fmt.Fprintf(&b, "feature %q: %v", f.Feature, f.Err)
		if f.Value != "" {
			fmt.Fprintf(&b, " (%s)", f.Value)
		}
	}
	return b.String()
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
