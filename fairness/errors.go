package fairness

import (
	"errors"
	"fmt"
)

// Sentinel errors for the kinds of bad input. Every error returned for bad
// data wraps one of these; test with errors.Is.
var (
	// ErrLength: a column's length differs from the labels' length.
	ErrLength = errors.New("fairness: column length differs")
	// ErrEmpty: there are no rows, or a required column is missing.
	ErrEmpty = errors.New("fairness: no rows")
	// ErrNotFinite: a score, weight or cost is NaN or infinite where a finite
	// value is required.
	ErrNotFinite = errors.New("fairness: value is not finite")
	// ErrNegative: a weight or cost is negative.
	ErrNegative = errors.New("fairness: negative value")
	// ErrMissingGroup: a group value is the empty string.
	ErrMissingGroup = errors.New("fairness: missing group value")
	// ErrNoGroups: no group column was given, or a group column has no name.
	ErrNoGroups = errors.New("fairness: no group column")
	// ErrNoDecisions: neither predictions nor scores were given.
	ErrNoDecisions = errors.New("fairness: neither predictions nor scores given")
	// ErrColumnKind: an input column is neither numeric nor categorical, or both.
	ErrColumnKind = errors.New("fairness: column must be either numeric or categorical")
	// ErrUnknownGroup: a named group (reference, threshold lookup) does not occur.
	ErrUnknownGroup = errors.New("fairness: unknown group")
	// ErrOption: an option is out of range.
	ErrOption = errors.New("fairness: invalid option")
)

// DataError is the structured error for a bad column or bad rows. It names
// the column and the first offending row, counts the offending rows, and
// unwraps to one of the sentinel errors. Functions that validate several
// columns report every bad column at once, joined with errors.Join; use
// errors.As to reach the first DataError.
type DataError struct {
	// Column is the column's name ("labels", "scores", "weights", a group
	// column's Name, an input's Name).
	Column string
	// Row is the 0-based index of the first offending row, or -1 when the
	// problem is the column as a whole (its length, its name). Error
	// prints it 1-based ("row 1" is the first row), as every candor
	// message counts rows.
	Row int
	// Count is the number of offending rows (0 when Row is -1).
	Count int
	// Detail says what was wrong, for people.
	Detail string
	// Err is the sentinel error.
	Err error
}

func (e *DataError) Error() string {
	switch {
	case e.Row < 0:
		return fmt.Sprintf("%v: column %q: %s", e.Err, e.Column, e.Detail)
	case e.Count > 1:
		return fmt.Sprintf("%v: column %q, row %d (and %d more rows): %s", e.Err, e.Column, e.Row+1, e.Count-1, e.Detail)
	default:
		return fmt.Sprintf("%v: column %q, row %d: %s", e.Err, e.Column, e.Row+1, e.Detail)
	}
}

// Unwrap returns the sentinel error.
func (e *DataError) Unwrap() error { return e.Err }

// columnError builds a DataError for a whole column.
func columnError(column string, err error, format string, args ...any) *DataError {
	return &DataError{Column: column, Row: -1, Detail: fmt.Sprintf(format, args...), Err: err}
}

// rowChecker accumulates the first bad row and the count of bad rows of one
// column and kind.
type rowChecker struct {
	column string
	err    error
	detail string
	first  int
	count  int
}

func (c *rowChecker) bad(i int) {
	if c.count == 0 {
		c.first = i
	}
	c.count++
}

func (c *rowChecker) result() error {
	if c.count == 0 {
		return nil
	}
	return &DataError{Column: c.column, Row: c.first, Count: c.count, Detail: c.detail, Err: c.err}
}

func optionError(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrOption, fmt.Sprintf(format, args...))
}
