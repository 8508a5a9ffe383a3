package score

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// fmtFieldText and fmtRecordText are FieldError's and RecordError's Error
// as they were written with fmt, the reference for the faster ones.
func fmtFieldText(e *FieldError) string {
	var b strings.Builder
	if e.Row > 0 {
		fmt.Fprintf(&b, "row %d: ", e.Row)
	}
	if e.Feature != "" { // "": a fault of the whole row
		fmt.Fprintf(&b, "feature %q: ", e.Feature)
	}
	fmt.Fprintf(&b, "%v", e.Err)
	if e.Value != "" {
		fmt.Fprintf(&b, " (%s)", e.Value)
	}
	return b.String()
}

func fmtRecordText(e *RecordError) string {
	if len(e.Fields) == 1 {
		return fmtFieldText(e.Fields[0])
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
		if f.Feature != "" {
			fmt.Fprintf(&b, "feature %q: ", f.Feature)
		}
		fmt.Fprintf(&b, "%v", f.Err)
		if f.Value != "" {
			fmt.Fprintf(&b, " (%s)", f.Value)
		}
	}
	return b.String()
}

// formatted is an error with its own fmt.Formatter, which %v calls.
type formatted struct{}

func (formatted) Error() string                 { return "plain" }
func (formatted) Format(s fmt.State, verb rune) { fmt.Fprintf(s, "formatted %c", verb) }

// The errors' texts are, byte for byte, what fmt writes (without the
// feature part for a field error of no feature, a ragged row): every
// sentinel, wrapped errors, a nil error, one with its own Formatter, names
// and values that need quoting (quotes, newlines, invalid UTF-8, non-ASCII),
// rows 0 and above, one field and several.
func TestErrorTextsAsFmt(t *testing.T) {
	errs := []error{ErrUnknownCategory, ErrNotFinite, ErrWrongKind, ErrMissing, ErrInvalidValue,
		fmt.Errorf("%w: 3 cells for 4 columns", ErrMalformed), errors.Join(ErrMissing, ErrWrongKind), nil, formatted{}}
	names := []string{"purpose", `say "hi"`, "line\nbreak", "\xff\xfe", "größe", ""}
	values := []string{"", `"spaceship"`, `"a\"b"`, "(x)"}
	for _, row := range []int{0, 1, 123456789} {
		var fields []*FieldError
		for i, err := range errs {
			f := &FieldError{Row: row, Feature: names[i%len(names)], Value: values[i%len(values)], Err: err}
			if got, want := f.Error(), fmtFieldText(f); got != want {
				t.Errorf("FieldError: got %q, want %q", got, want)
			}
			fields = append(fields, f)
			re := &RecordError{Row: row, Fields: fields}
			if got, want := re.Error(), fmtRecordText(re); got != want {
				t.Errorf("RecordError: got %q, want %q", got, want)
			}
		}
	}
	if got := (&RecordError{}).Error(); got != "0 problems: " {
		t.Errorf("empty RecordError: %q", got)
	}
}
