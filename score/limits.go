package score

import (
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// ErrLimit: an input is larger than a configured resource limit (a cell, a
// row, a file's decompressed size, a model file, an XML document's depth).
// Every such error is a *LimitError, which unwraps to ErrLimit.
var ErrLimit = errors.New("input exceeds a limit")

// LimitError reports which limit an input exceeded.
type LimitError struct {
	// Limit names the limit, as in Limits' documentation ("cell bytes",
	// "decompressed bytes", "columns", ...).
	Limit string
	// Max is the limit in force.
	Max int64
	// Where names the place (a column, a row, a file, an XML element);
	// empty when the caller adds it.
	Where string
	// Setting names how to raise the limit (a field, a flag or a
	// variable); empty when there is none to name.
	Setting string
}

func (e *LimitError) Error() string {
	var b strings.Builder
	b.WriteString(ErrLimit.Error())
	b.WriteString(": ")
	if e.Where != "" {
		b.WriteString(e.Where)
		b.WriteString(": ")
	}
	fmt.Fprintf(&b, "more than %d %s", e.Max, e.Limit)
	if e.Setting != "" {
		fmt.Fprintf(&b, " (raise it with %s)", e.Setting)
	}
	return b.String()
}

// Unwrap returns ErrLimit.
func (e *LimitError) Unwrap() error { return ErrLimit }

// Limits bounds what a reader accepts, so that no input can make it use
// memory out of proportion to what it reads. A zero field means the
// default given beside it; a negative field means no limit.
type Limits struct {
	// Bytes is the most bytes of data read from one file after
	// decompression (default 256 MiB). A gzip bomb stops here.
	Bytes int64
	// CellBytes is the longest cell, in bytes (default 64 KiB).
	CellBytes int
	// RowBytes is the longest row, in bytes as read, quotes and
	// delimiters included (default 1 MiB).
	RowBytes int
	// Columns is the most columns of a table (default 4,096).
	Columns int
	// Cells is the most cells of a table held in memory, rows times
	// columns (default 32 Mi, 2^25).
	Cells int64
	// Levels is the most distinct labels of one categorical column or
	// feature (default 10,000).
	Levels int
	// Design is the most cells of a fit's design, rows times design
	// columns (an intercept, one per numeric input, one per level of a
	// categorical input), checked before the fit allocates it (default
	// 8 Mi, 2^23). score/fit holds at most about 100 bytes per design
	// cell at its peak, so the default keeps a fit under about 850 MB
	// beside its table; see score/fit's package documentation.
	Design int64
}

// Default limits, as documented on Limits.
const (
	DefaultLimitBytes     int64 = 256 << 20
	DefaultLimitCellBytes       = 64 << 10
	DefaultLimitRowBytes        = 1 << 20
	DefaultLimitColumns         = 4096
	DefaultLimitCells     int64 = 1 << 25
	DefaultLimitLevels          = 10000
	DefaultLimitDesign    int64 = 1 << 23
)

// withDefaults returns l with zero fields set to their defaults and
// negative ones to "no limit" (the largest value of the type).
func (l *Limits) withDefaults() Limits {
	var out Limits
	if l != nil {
		out = *l
	}
	out.Bytes = limit64(out.Bytes, DefaultLimitBytes)
	out.CellBytes = limitInt(out.CellBytes, DefaultLimitCellBytes)
	out.RowBytes = limitInt(out.RowBytes, DefaultLimitRowBytes)
	out.Columns = limitInt(out.Columns, DefaultLimitColumns)
	out.Cells = limit64(out.Cells, DefaultLimitCells)
	out.Levels = limitInt(out.Levels, DefaultLimitLevels)
	out.Design = limit64(out.Design, DefaultLimitDesign)
	return out
}

func limit64(v, def int64) int64 {
	switch {
	case v == 0:
		return def
	case v < 0:
		return 1<<63 - 1
	}
	return v
}

func limitInt(v, def int) int {
	switch {
	case v == 0:
		return def
	case v < 0:
		return int(^uint(0) >> 1)
	}
	return v
}

// Limits returns the limits the table was read with, defaults filled in
// (score/fit reads Design from them).
func (t *Table) Limits() Limits { return t.lim.withDefaults() }

// maxQuoted is the most bytes of a value quoted into an error message.
const maxQuoted = 64

// QuoteBounded quotes s for an error message, cut to its first 64 bytes
// (at a character boundary) with the full length noted, so that no input
// makes an error message long.
func QuoteBounded(s string) string {
	if len(s) <= maxQuoted {
		return strconv.Quote(s)
	}
	cut := maxQuoted
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return strconv.Quote(s[:cut]) + fmt.Sprintf("... (%d bytes)", len(s))
}

// OrdinaryMagnitude is the largest input magnitude, 1e15, for which
// Spec.CheckOverflow guarantees a finite score: beyond any amount of money,
// count or identifier a model is fitted on.
const OrdinaryMagnitude = 1e15

// CheckOverflow reports an error (ErrModel, naming the term) when the
// spec's score can overflow to ±Inf for some input whose numbers are at
// most OrdinaryMagnitude in magnitude: the intercept plus, for each term,
// its largest effect in magnitude (a linear term's |Coef| times
// OrdinaryMagnitude, a sloped bin's |Effect| + |Slope| times it) must stay
// below math.MaxFloat64. Importers of foreign model files (scikit-learn,
// PMML) refuse such models, whose scores would be errors on ordinary rows.
func (s Spec) CheckOverflow() error {
	total := math.Abs(s.Intercept)
	worst, worstMag := -1, -1.0
	for j, t := range s.Terms {
		mag := 0.0
		switch t.Kind {
		case LinearTerm:
			mag = math.Abs(t.Coef) * OrdinaryMagnitude
			if t.Fill != nil {
				mag = math.Max(mag, math.Abs(t.Coef**t.Fill))
			}
		default:
			for _, l := range t.Levels {
				mag = math.Max(mag, math.Abs(l.Effect))
			}
			for _, b := range t.Bins {
				mag = math.Max(mag, math.Abs(b.Effect)+math.Abs(b.Slope)*OrdinaryMagnitude)
			}
			for _, e := range []*float64{t.MissingEffect, t.OtherEffect} {
				if e != nil {
					mag = math.Max(mag, math.Abs(*e))
				}
			}
		}
		if !(mag <= worstMag) {
			worst, worstMag = j, mag
		}
		total += mag
	}
	if total <= math.MaxFloat64 {
		return nil
	}
	if worst < 0 {
		return modelErr("the intercept %g overflows", s.Intercept)
	}
	return &FieldError{Feature: s.Terms[worst].Feature, Err: fmt.Errorf("%w: the score overflows on ordinary inputs (|x| up to %g): the term's effect reaches %g",
		ErrModel, float64(OrdinaryMagnitude), worstMag)}
}

// LimitReader returns a reader of r that fails with a *LimitError (naming
// what and setting) once more than max bytes were read: unlike
// io.LimitReader, which ends quietly, a truncated input cannot be mistaken
// for a whole one.
func LimitReader(r io.Reader, max int64, what, setting string) io.Reader {
	return &countingReader{r: r, max: max, what: what, setting: setting}
}
