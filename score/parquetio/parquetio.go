// Package parquetio reads the rows of a Parquet file as text cells, one row
// at a time, the way score.CSVReader reads a CSV file: a header of column
// names, then each row's cells, one per column, with "" for a missing
// value. The commands read a Parquet export through it exactly as they read
// the same table exported to CSV.
//
// It uses github.com/parquet-go/parquet-go, which is pure Go (no cgo, so
// the CLI stays one static binary), maintained, and reads a file page by
// page through a row reader: memory holds the footer, one page per column
// and the current row, whatever the file's size. The library never reaches
// the request path (score and explain import only the standard library).
//
// Columns must be flat: a nested group (a struct, LIST or MAP) or a
// repeated field is refused, naming the column. Values map to cells so:
//
//   - INT32, INT64 and FLOAT, DOUBLE: the number, in Go's shortest form that
//     reads back to the same value (a FLOAT as the shortest decimal of the
//     float32, 0.1 and not 0.10000000149); unsigned integers as unsigned;
//   - DECIMAL(p, s) (on INT32, INT64, BYTE_ARRAY or FIXED_LEN_BYTE_ARRAY):
//     the exact decimal text, 12345 with scale 2 as "123.45";
//   - BOOLEAN: "true" or "false";
//   - STRING, ENUM, JSON and unannotated byte arrays: the text, trimmed of
//     surrounding spaces and tabs as a CSV cell is (so only spaces is
//     missing);
//   - DATE "2006-01-02", TIME "15:04:05.999999", TIMESTAMP in RFC 3339 (with
//     "Z" when adjusted to UTC), UUID in its canonical form: text;
//   - null: missing.
//
// INT96 (a deprecated timestamp encoding), FLOAT16, BSON, geometry,
// geography and variant columns are refused, naming the column.
package parquetio

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"math/big"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/format"

	"github.com/candorscore/candor/score"
)

// ErrUnsupportedColumn: a column whose shape (nested, repeated) or type
// candor cannot read as one cell per row.
var ErrUnsupportedColumn = errors.New("unsupported Parquet column")

// maxFooter is the largest footer (the file's metadata) read, in bytes.
const maxFooter = 64 << 20

// rowBatch is how many rows are decoded at a time.
const rowBatch = 256

// Reader reads a Parquet file's rows as text cells. It is not safe for
// concurrent use.
type Reader struct {
	file   *os.File
	pf     *parquet.File
	name   string
	lim    score.Limits // with defaults applied
	header []string
	conv   []converter

	group int           // the next row group to open
	rows  parquet.Rows  // the current row group's rows, nil between groups
	batch []parquet.Row // decoded rows not yet returned
	buf   []parquet.Row // batch's storage
	row   int           // data rows returned or reported so far
	bytes int64         // cell bytes produced so far
	err   error         // final error, returned from then on
	arena []byte        // the current row's cell text
	ends  []int         // where each cell ends in arena
	cells []string      // the current row, returned by Next
}

// converter appends a non-null value's text to dst.
type converter func(dst []byte, v parquet.Value) []byte

// Open opens the Parquet file at path and reads its footer and schema.
// lim (nil for the defaults) bounds the columns, each cell's and row's
// text (CellBytes, RowBytes: the row is a bad row) and all the text read
// (Bytes: a final error); a negative field means no limit, as in
// score.Limits. A file that is not Parquet, or whose footer cannot be
// read, is an error wrapping score.ErrMalformed; a nested, repeated or
// unreadable column one wrapping ErrUnsupportedColumn. Every error names
// the file.
func Open(path string, lim *score.Limits) (r *Reader, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			f.Close()
		}
	}()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if st.IsDir() {
		return nil, fmt.Errorf("%s: %w: a directory, not a Parquet file", path, score.ErrMalformed)
	}
	r = &Reader{file: f, name: path, lim: withDefaults(lim)}
	if err := checkFooter(f, st.Size()); err != nil {
		return nil, r.fileErr(err)
	}
	if err := guard(func() error {
		var err error
		r.pf, err = parquet.OpenFile(f, st.Size(), parquet.SkipPageIndex(true), parquet.SkipBloomFilters(true),
			parquet.ReadBufferSize(64<<10))
		return err
	}); err != nil {
		return nil, r.fileErr(fmt.Errorf("%w: %v", score.ErrMalformed, err))
	}
	if err := r.readSchema(); err != nil {
		return nil, r.fileErr(err)
	}
	n := len(r.header)
	r.cells, r.ends = make([]string, n), make([]int, n)
	r.buf = make([]parquet.Row, rowBatch)
	return r, nil
}

// checkFooter checks the magic bytes at both ends and the footer's
// declared length before the library reads it.
func checkFooter(f *os.File, size int64) error {
	if size < 12 {
		return fmt.Errorf("%w: %d bytes is too short for a Parquet file", score.ErrMalformed, size)
	}
	var head [4]byte
	var tail [8]byte
	if _, err := f.ReadAt(head[:], 0); err != nil {
		return err
	}
	if _, err := f.ReadAt(tail[:], size-8); err != nil {
		return err
	}
	if string(head[:]) != "PAR1" || string(tail[4:]) != "PAR1" {
		if string(head[:]) == "PARE" || string(tail[4:]) == "PARE" {
			return fmt.Errorf("%w: an encrypted Parquet file (decrypt it first)", score.ErrMalformed)
		}
		return fmt.Errorf("%w: not a Parquet file (no PAR1 magic bytes at its start and end)", score.ErrMalformed)
	}
	footer := int64(binary.LittleEndian.Uint32(tail[:4]))
	if footer > size-12 {
		return fmt.Errorf("%w: the footer claims %d bytes in a file of %d", score.ErrMalformed, footer, size)
	}
	if footer > maxFooter {
		return &score.LimitError{Limit: "footer bytes", Max: maxFooter, Where: "the Parquet metadata"}
	}
	return nil
}

// guard runs fn, turning a panic of the library on a corrupt file into an
// error.
func guard(fn func() error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("corrupt file: %v", p)
		}
	}()
	return fn()
}

func (r *Reader) fileErr(err error) error { return fmt.Errorf("%s: %w", r.name, err) }

// readSchema checks that every column is a flat leaf and picks its
// converter.
func (r *Reader) readSchema() error {
	fields := r.pf.Schema().Fields()
	if len(fields) > r.lim.Columns {
		return &score.LimitError{Limit: "columns", Max: int64(r.lim.Columns), Where: "the Parquet schema", Setting: "Limits.Columns"}
	}
	if len(fields) == 0 {
		return fmt.Errorf("%w: the Parquet schema has no columns", score.ErrMalformed)
	}
	seen := map[string]bool{}
	for _, fl := range fields {
		name := fl.Name()
		q := score.QuoteBounded(name)
		switch {
		case name == "":
			return fmt.Errorf("%w: a column has no name", score.ErrMalformed)
		case seen[name]:
			return fmt.Errorf("%w: column %s appears twice", score.ErrMalformed, q)
		case !fl.Leaf():
			return fmt.Errorf("%w: column %s is nested (a group, list or map): candor reads flat columns, one value a row; flatten it or leave it out of the export", ErrUnsupportedColumn, q)
		case fl.Repeated():
			return fmt.Errorf("%w: column %s is repeated (several values a row): candor reads one value a row", ErrUnsupportedColumn, q)
		}
		seen[name] = true
		conv, err := converterOf(fl.Type())
		if err != nil {
			return fmt.Errorf("%w: column %s: %v", ErrUnsupportedColumn, q, err)
		}
		r.header = append(r.header, name)
		r.conv = append(r.conv, conv)
	}
	return nil
}

// converterOf picks how a column's values become text.
func converterOf(t parquet.Type) (converter, error) {
	kind := t.Kind()
	var lt any
	if l := t.LogicalType(); l != nil {
		lt = l.Value
	}
	switch l := lt.(type) {
	case *format.DecimalType:
		return decimalConverter(kind, int(l.Scale))
	case *format.IntType:
		switch {
		case kind == parquet.Int32 && !l.IsSigned:
			return func(dst []byte, v parquet.Value) []byte { return strconv.AppendUint(dst, uint64(v.Uint32()), 10) }, nil
		case kind == parquet.Int64 && !l.IsSigned:
			return func(dst []byte, v parquet.Value) []byte { return strconv.AppendUint(dst, v.Uint64(), 10) }, nil
		}
	case *format.DateType:
		return func(dst []byte, v parquet.Value) []byte {
			return time.Unix(int64(v.Int32())*86400, 0).UTC().AppendFormat(dst, time.DateOnly)
		}, nil
	case *format.TimestampType:
		unit, err := unitOf(&l.Unit)
		if err != nil {
			return nil, err
		}
		layout := "2006-01-02T15:04:05.999999999"
		if l.IsAdjustedToUTC {
			layout = time.RFC3339Nano
		}
		return func(dst []byte, v parquet.Value) []byte {
			return fromUnit(v.Int64(), unit).UTC().AppendFormat(dst, layout)
		}, nil
	case *format.TimeType:
		unit, err := unitOf(&l.Unit)
		if err != nil {
			return nil, err
		}
		return func(dst []byte, v parquet.Value) []byte {
			n := v.Int64()
			if kind == parquet.Int32 {
				n = int64(v.Int32())
			}
			return fromUnit(n, unit).UTC().AppendFormat(dst, "15:04:05.999999999")
		}, nil
	case *format.UUIDType:
		return func(dst []byte, v parquet.Value) []byte {
			b := v.ByteArray()
			if len(b) != 16 {
				return append(dst, b...)
			}
			for i, c := range b {
				if i == 4 || i == 6 || i == 8 || i == 10 {
					dst = append(dst, '-')
				}
				dst = append(dst, "0123456789abcdef"[c>>4], "0123456789abcdef"[c&15])
			}
			return dst
		}, nil
	case *format.NullType:
		return func(dst []byte, _ parquet.Value) []byte { return dst }, nil
	case *format.StringType, *format.EnumType, *format.JsonType, nil:
	default:
		return nil, fmt.Errorf("logical type %s has no cell form", l)
	}
	switch kind {
	case parquet.Boolean:
		return func(dst []byte, v parquet.Value) []byte { return strconv.AppendBool(dst, v.Boolean()) }, nil
	case parquet.Int32:
		return func(dst []byte, v parquet.Value) []byte { return strconv.AppendInt(dst, int64(v.Int32()), 10) }, nil
	case parquet.Int64:
		return func(dst []byte, v parquet.Value) []byte { return strconv.AppendInt(dst, v.Int64(), 10) }, nil
	case parquet.Float:
		return func(dst []byte, v parquet.Value) []byte { return appendFloat(dst, float64(v.Float()), 32) }, nil
	case parquet.Double:
		return func(dst []byte, v parquet.Value) []byte { return appendFloat(dst, v.Double(), 64) }, nil
	case parquet.ByteArray, parquet.FixedLenByteArray:
		return func(dst []byte, v parquet.Value) []byte {
			return append(dst, bytes.Trim(v.ByteArray(), " \t")...)
		}, nil
	case parquet.Int96:
		return nil, errors.New("INT96 (a deprecated timestamp encoding) is not read: write the column as TIMESTAMP")
	}
	return nil, fmt.Errorf("physical type %s is not read", kind)
}

// appendFloat appends x as CSV would hold it: the shortest decimal that
// reads back to x at bitSize, NaN and ±Inf as "NaN", "+Inf" and "-Inf".
func appendFloat(dst []byte, x float64, bitSize int) []byte {
	switch {
	case math.IsNaN(x):
		return append(dst, "NaN"...)
	case math.IsInf(x, 1):
		return append(dst, "+Inf"...)
	case math.IsInf(x, -1):
		return append(dst, "-Inf"...)
	}
	return strconv.AppendFloat(dst, x, 'g', -1, bitSize)
}

// decimalConverter writes an unscaled integer with scale digits after the
// point.
func decimalConverter(kind parquet.Kind, scale int) (converter, error) {
	if scale < 0 || scale > 1000 {
		return nil, fmt.Errorf("DECIMAL scale %d out of range", scale)
	}
	switch kind {
	case parquet.Int32:
		return func(dst []byte, v parquet.Value) []byte {
			return appendScaled(dst, strconv.FormatInt(int64(v.Int32()), 10), scale)
		}, nil
	case parquet.Int64:
		return func(dst []byte, v parquet.Value) []byte {
			return appendScaled(dst, strconv.FormatInt(v.Int64(), 10), scale)
		}, nil
	case parquet.ByteArray, parquet.FixedLenByteArray:
		return func(dst []byte, v parquet.Value) []byte {
			b := v.ByteArray()
			n := new(big.Int).SetBytes(b)
			if len(b) > 0 && b[0]&0x80 != 0 { // two's complement, big-endian
				n.Sub(n, new(big.Int).Lsh(big.NewInt(1), uint(8*len(b))))
			}
			return appendScaled(dst, n.String(), scale)
		}, nil
	}
	return nil, fmt.Errorf("DECIMAL on physical type %s", kind)
}

// appendScaled appends the decimal digits (an optional '-' first) with
// the point scale digits from the right.
func appendScaled(dst []byte, digits string, scale int) []byte {
	if scale == 0 {
		return append(dst, digits...)
	}
	neg := strings.HasPrefix(digits, "-")
	if neg {
		digits = digits[1:]
		dst = append(dst, '-')
	}
	if len(digits) <= scale {
		digits = strings.Repeat("0", scale-len(digits)+1) + digits
	}
	cut := len(digits) - scale
	return append(append(append(dst, digits[:cut]...), '.'), digits[cut:]...)
}

// unitOf is a time unit's length.
func unitOf(u *format.TimeUnit) (time.Duration, error) {
	switch u.Value.(type) {
	case *format.MilliSeconds:
		return time.Millisecond, nil
	case *format.MicroSeconds:
		return time.Microsecond, nil
	case *format.NanoSeconds:
		return time.Nanosecond, nil
	}
	return 0, fmt.Errorf("time unit %s", u)
}

func fromUnit(n int64, unit time.Duration) time.Time {
	switch unit {
	case time.Millisecond:
		return time.UnixMilli(n)
	case time.Microsecond:
		return time.UnixMicro(n)
	}
	return time.Unix(0, n)
}

// Header returns the column names (a copy).
func (r *Reader) Header() []string { return append([]string(nil), r.header...) }

// NumRows is the number of rows the file's metadata declares.
func (r *Reader) NumRows() int64 { return r.pf.NumRows() }

// Row is the 1-based number of the data row last returned or reported by
// Next (0 before the first).
func (r *Reader) Row() int { return r.row }

// Next returns the next row's cells, one per column, "" for a null.
//
// The slice and its strings are owned by the reader and valid only until
// the next call to Next, as score.CSVReader's are. A row with a cell or
// the row over its limit yields a nil slice and a *score.RecordError
// whose Row is the row's 1-based number and which unwraps to
// score.ErrLimit; call Next again to go on. At the end Next returns
// io.EOF. A corrupt page, a read error or more text than Limits.Bytes is
// final: an error naming the file, returned from then on.
func (r *Reader) Next() ([]string, error) {
	if r.err != nil {
		return nil, r.err
	}
	for len(r.batch) == 0 {
		if err := r.fill(); err != nil {
			if err != io.EOF {
				err = r.fileErr(err)
			}
			r.err = err
			return nil, err
		}
	}
	row := r.batch[0]
	r.batch = r.batch[1:]
	r.row++
	return r.convert(row)
}

// fill decodes the next batch of rows, opening row groups as needed.
func (r *Reader) fill() error {
	return guard(func() error {
		for {
			if r.rows == nil {
				groups := r.pf.RowGroups()
				if r.group >= len(groups) {
					return io.EOF
				}
				r.rows = groups[r.group].Rows()
				r.group++
			}
			n, err := r.rows.ReadRows(r.buf)
			r.batch = r.buf[:n]
			if err == io.EOF {
				if cerr := r.rows.Close(); cerr != nil {
					return fmt.Errorf("%w: row group %d: %v", score.ErrMalformed, r.group, cerr)
				}
				r.rows = nil
				err = nil
			}
			if err != nil {
				return fmt.Errorf("%w: row group %d: %v", score.ErrMalformed, r.group, err)
			}
			if n > 0 {
				return nil
			}
		}
	})
}

// convert turns one decoded row into text cells.
func (r *Reader) convert(row parquet.Row) ([]string, error) {
	r.arena = r.arena[:0]
	// A flat schema's row holds one value per column, in column order.
	if len(row) != len(r.conv) {
		r.err = r.fileErr(fmt.Errorf("%w: row %d has %d values for %d columns", score.ErrMalformed, r.row, len(row), len(r.conv)))
		return nil, r.err
	}
	var bad error
	for j, v := range row {
		if v.Column() != j {
			r.err = r.fileErr(fmt.Errorf("%w: row %d: the value of column %d is out of place", score.ErrMalformed, r.row, j+1))
			return nil, r.err
		}
		start := len(r.arena)
		if !v.IsNull() {
			r.arena = r.conv[j](r.arena, v)
		}
		r.ends[j] = len(r.arena)
		if n := len(r.arena) - start; n > r.lim.CellBytes && bad == nil {
			bad = r.rowErr(r.header[j], &score.LimitError{Limit: "cell bytes", Max: int64(r.lim.CellBytes), Setting: "Limits.CellBytes"})
		}
	}
	r.bytes += int64(len(r.arena))
	if r.bytes > r.lim.Bytes {
		r.err = r.fileErr(&score.LimitError{Limit: "bytes of cell text", Max: r.lim.Bytes, Where: fmt.Sprintf("row %d", r.row), Setting: "Limits.Bytes"})
		return nil, r.err
	}
	if bad == nil && len(r.arena) > r.lim.RowBytes {
		bad = r.rowErr("", &score.LimitError{Limit: "row bytes", Max: int64(r.lim.RowBytes), Setting: "Limits.RowBytes"})
	}
	if bad != nil {
		return nil, bad
	}
	text := string(r.arena)
	start := 0
	for j, end := range r.ends {
		r.cells[j] = text[start:end]
		start = end
	}
	return r.cells, nil
}

func (r *Reader) rowErr(feature string, err error) error {
	return &score.RecordError{Row: r.row, Fields: []*score.FieldError{{Row: r.row, Feature: feature, Err: err}}}
}

// Close closes the file.
func (r *Reader) Close() error {
	if r.rows != nil {
		r.rows.Close()
		r.rows = nil
	}
	return r.file.Close()
}

// withDefaults is score.Limits' defaults: zero fields take the default,
// negative ones mean no limit.
func withDefaults(l *score.Limits) score.Limits {
	var out score.Limits
	if l != nil {
		out = *l
	}
	pick := func(v, def int64) int64 {
		switch {
		case v == 0:
			return def
		case v < 0:
			return math.MaxInt64
		}
		return v
	}
	out.Bytes = pick(out.Bytes, score.DefaultLimitBytes)
	out.CellBytes = int(pick(int64(out.CellBytes), score.DefaultLimitCellBytes))
	out.RowBytes = int(pick(int64(out.RowBytes), score.DefaultLimitRowBytes))
	out.Columns = int(pick(int64(out.Columns), score.DefaultLimitColumns))
	return out
}
