package score

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode"
)

// Table is a data set read from CSV: a header and rows of text cells. A cell
// that is empty or only white space is missing. A bad row (malformed
// quoting, a cell count other than the header's, a cell over its limit)
// is kept as a row with no cells, and RowError reports it, so one bad row
// never loses the others.
//
// The cells are held in a few large blocks of text with 4 bytes of index
// per cell and 8 per row, so a table costs little more than its text. A
// Table is immutable once read and safe for concurrent use.
type Table struct {
	header []string
	lim    Limits
	// chunks hold the rows' cell text back to back; chunkRow[k] is the
	// first row in chunks[k]. A row never spans two chunks.
	chunks   []string
	chunkRow []int
	// rowCell[i] is the index in cellEnd of row i's first cell;
	// rowCell[Len()] closes the last row.
	rowCell []int
	// cellEnd[c] is where cell c ends in its chunk; it starts where the
	// cell before it ends, or at 0 for a chunk's first cell.
	cellEnd []uint32
	bad     map[int]error // row index -> error
}

// ReadCSV reads a whole CSV file with a header row, by NewCSVReader's
// grammar and limits, and with at most Limits.Cells cells. Only problems
// of the file as a whole are errors (no header, a bad header, a read
// error, a file over Limits.Bytes or Limits.Cells); bad rows are kept and
// reported by RowError.
func ReadCSV(r io.Reader, opts *CSVOptions) (*Table, error) {
	cr, err := NewCSVReader(r, opts)
	if err != nil {
		return nil, err
	}
	defer cr.Close()
	t := &Table{header: cr.Header(), lim: cr.lim, bad: map[int]error{}, rowCell: []int{0}}
	var buf []byte // the chunk being filled
	const chunkSize = 1 << 20
	flush := func() {
		if len(buf) > 0 || len(t.chunks) == 0 {
			t.chunks = append(t.chunks, string(buf))
		}
		buf = buf[:0]
	}
	cells := int64(0)
	for {
		rec, err := cr.Next()
		if err == io.EOF {
			break
		}
		var re *RecordError
		if errors.As(err, &re) {
			t.bad[t.Len()] = err
			t.rowCell = append(t.rowCell, len(t.cellEnd))
			continue
		}
		if err != nil {
			return nil, err
		}
		cells += int64(len(rec))
		if cells > cr.lim.Cells {
			return nil, cr.fileErr(&LimitError{Limit: "cells", Max: cr.lim.Cells, Where: fmt.Sprintf("row %d", cr.Row()), Setting: "Limits.Cells"})
		}
		n := 0
		for _, c := range rec {
			n += len(c)
		}
		if len(buf)+n > chunkSize && len(buf) > 0 {
			flush()
		}
		if len(t.chunkRow) < len(t.chunks)+1 {
			t.chunkRow = append(t.chunkRow, t.Len())
			if buf == nil || cap(buf) < n {
				buf = make([]byte, 0, max(chunkSize, n))
			}
		}
		for _, c := range rec {
			buf = append(buf, c...)
			t.cellEnd = append(t.cellEnd, uint32(len(buf)))
		}
		t.rowCell = append(t.rowCell, len(t.cellEnd))
	}
	if len(t.chunkRow) > len(t.chunks) {
		flush()
	}
	return t, nil
}

// ParseCSV is ReadCSV over a byte slice.
func ParseCSV(b []byte, opts *CSVOptions) (*Table, error) { return ReadCSV(bytes.NewReader(b), opts) }

// NewTable builds a table from a header and text rows (copied).
func NewTable(header []string, rows [][]string) (*Table, error) {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	_ = w.Write(header)
	for _, r := range rows {
		_ = w.Write(r)
	}
	w.Flush()
	return ReadCSV(&b, nil)
}

// Header returns the column names.
func (t *Table) Header() []string { return slices.Clone(t.header) }

// Len is the number of data rows.
func (t *Table) Len() int { return len(t.rowCell) - 1 }

// Column returns the index of the named column or -1.
func (t *Table) Column(name string) int { return slices.Index(t.header, name) }

// Cell returns row i's cell in column j ("" when missing or absent).
func (t *Table) Cell(i, j int) string {
	first, next := t.rowCell[i], t.rowCell[i+1]
	if j < 0 || j >= next-first {
		return ""
	}
	k := t.chunkOf(i)
	c := first + j
	start := uint32(0)
	if c > t.rowCell[t.chunkRow[k]] {
		start = t.cellEnd[c-1]
	}
	return t.chunks[k][start:t.cellEnd[c]]
}

// chunkOf returns the chunk that holds row i.
func (t *Table) chunkOf(i int) int {
	k, found := slices.BinarySearch(t.chunkRow, i)
	if !found {
		k--
	}
	// Rows with no cells may sit past the last chunk's start.
	return max(k, 0)
}

// Row returns row i's cells (a new slice; nil for a bad row).
func (t *Table) Row(i int) []string { return t.AppendRow(nil, i) }

// AppendRow appends row i's cells to dst and returns it.
func (t *Table) AppendRow(dst []string, i int) []string {
	for j := 0; j < t.rowCell[i+1]-t.rowCell[i]; j++ {
		dst = append(dst, t.Cell(i, j))
	}
	return dst
}

// RowError returns the structural problem of row i (0-based), if any.
func (t *Table) RowError(i int) error { return t.bad[i] }

// IsNumeric reports whether every non-blank cell of column j parses as a
// number (the command-line contract's rule). An all-blank column is numeric.
func (t *Table) IsNumeric(j int) bool {
	for i := range t.Len() {
		c := t.Cell(i, j)
		if c == "" {
			continue
		}
		if _, err := ParseNumber(c); err != nil {
			return false
		}
	}
	return true
}

// InferSchema returns a schema with one feature per column: numeric when
// every non-blank cell parses as a number, otherwise categorical with its
// labels sorted. It checks nothing more: Infer also refuses columns with
// too many labels and numbers with decimal commas. Every feature has role Input; use Schema.WithRoles to mark
// the target, identifiers and protected attributes.
func (t *Table) InferSchema() *Schema {
	fs := make([]Feature, len(t.header))
	for j, name := range t.header {
		f, _ := t.inferColumn(j, false)
		f.Name = name
		fs[j] = f
	}
	s, _ := NewSchema(fs...) // names were validated by ReadCSV
	return s
}

// Infer is InferSchema with the checks a real file needs: a categorical
// column with more than Limits.Levels labels is refused with a
// *LimitError naming it, and a column whose cells are all numbers except
// that some are written with a decimal comma ("1,5") is refused with
// ErrMalformed naming the column, a value and its row (read the file with
// CSVOptions.DecimalComma to take the comma as the decimal point).
//
// Every column that fails a check is named, in column order, in one error
// (errors.Join: errors.Is and errors.As see each).
func (t *Table) Infer() (*Schema, error) {
	fs := make([]Feature, len(t.header))
	var errs []error
	for j, name := range t.header {
		f, err := t.inferColumn(j, true)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		f.Name = name
		fs[j] = f
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return NewSchema(fs...)
}

// inferColumn infers column j's kind and labels; with check, it applies
// Infer's checks.
func (t *Table) inferColumn(j int, check bool) (Feature, error) {
	f := Feature{Kind: Numeric}
	comma, commaRow := "", 0 // the first decimal-comma cell
	numbers := 0
	var markers missingMarkers
	for i := range t.Len() {
		c := t.Cell(i, j)
		if c == "" {
			continue
		}
		if _, err := ParseNumber(c); err == nil {
			numbers++
			continue
		}
		if comma == "" && decimalComma(c) {
			comma, commaRow = c, i+1
			continue
		}
		if markers.add(c, i+1) {
			continue
		}
		if !decimalComma(c) {
			f.Kind = Categorical
			markers = missingMarkers{}
			break
		}
	}
	if len(markers.labels) > 0 {
		if f.Kind == Numeric && numbers > 0 && check {
			return f, fmt.Errorf("%w: column %s holds numbers and %s: candor reads only a blank cell as missing, so the column would be read as categories; blank those cells to make them missing values%s, declare the column {\"kind\": \"categorical\"} to keep them as a category, or leave it out (--exclude, or {\"role\": \"ignored\"})",
				ErrMalformed, QuoteBounded(t.header[j]), markers.describe(), readAsMissing(markers.labels))
		}
		f.Kind = Categorical
	}
	if f.Kind == Numeric && comma != "" {
		if check {
			return f, fmt.Errorf("%w: column %s holds numbers written with a decimal comma (%s in row %d): candor reads '.' as the decimal point; read it with CANDOR_DECIMAL_COMMA=1 (score.CSVOptions.DecimalComma), or convert it",
				ErrMalformed, QuoteBounded(t.header[j]), QuoteBounded(comma), commaRow)
		}
		f.Kind = Categorical
	}
	if f.Kind == Numeric {
		return f, nil
	}
	if check {
		if err := t.strayText(j); err != nil {
			return f, err
		}
	}
	set := map[string]bool{}
	for i := range t.Len() {
		if c := t.Cell(i, j); c != "" {
			set[c] = true
			if check && len(set) > t.lim.Levels {
				return f, &LimitError{Limit: "levels", Max: int64(t.lim.Levels), Where: "column " + QuoteBounded(t.header[j]),
					Setting: "CANDOR_LIMITS=levels=N or score.Limits.Levels; or leave the column out (--exclude, \"role\": \"ignored\")"}
			}
		}
	}
	f.Categories = sortedKeys(set)
	return f, nil
}

// Stray text in a column of numbers: a column whose numbers take more than
// strayMinNumbers distinct values and whose other cells hold at most
// strayMaxTexts distinct texts is a quantity with a few cells that are not
// data (a description row under the header, a "NA" or "?" marker), not a
// categorical column with a level per number. A column of a few number
// labels and a text one ("0", "1", "2", "3+") stays categorical.
const (
	strayMinNumbers = 20
	strayMaxTexts   = 3
)

// strayText returns an ErrMalformed error for column j (already found not
// numeric) when it is a column of numbers with stray text, naming the
// texts, their first rows and the ways out; nil otherwise.
func (t *Table) strayText(j int) error {
	numbers := map[string]bool{}
	type text struct{ first, n int }
	texts := map[string]*text{}
	var order []string
	cells := 0
	for i := range t.Len() {
		c := t.Cell(i, j)
		if c == "" {
			continue
		}
		cells++
		if _, err := ParseNumber(c); err == nil {
			if len(numbers) <= strayMinNumbers {
				numbers[c] = true
			}
			continue
		}
		if x := texts[c]; x != nil {
			x.n++
			continue
		}
		if len(texts) == strayMaxTexts {
			return nil // too many texts: a categorical column
		}
		texts[c] = &text{first: i + 1, n: 1}
		order = append(order, c)
	}
	if len(numbers) <= strayMinNumbers {
		return nil
	}
	var parts []string
	others := 0
	for _, c := range order {
		x := texts[c]
		others += x.n
		if x.n == 1 {
			parts = append(parts, fmt.Sprintf("%s (row %d)", QuoteBounded(c), x.first))
		} else {
			parts = append(parts, fmt.Sprintf("%s (%d cells, first in row %d)", QuoteBounded(c), x.n, x.first))
		}
	}
	return fmt.Errorf("%w: column %s: %d of its %d cells are numbers and the others are text: %s. "+
		"A blank cell is the missing value: blank or drop those cells (a description row under the header, a \"NA\" marker)%s; "+
		"or, if the values are labels, declare the column with \"kind\": \"categorical\" in --features (score.Declarations); "+
		"or leave it out (--exclude, \"role\": \"ignored\")",
		ErrMalformed, QuoteBounded(t.header[j]), cells-others, cells, strings.Join(parts, ", "), readAsMissing(markerLike(order)))
}

// markerLike returns the texts that read as a missing-value marker: no
// letter or digit ("?", "-", "*", "."); a description row under the header
// ("age in years") is not one.
func markerLike(texts []string) []string {
	var out []string
	for _, c := range texts {
		if !strings.ContainsFunc(c, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) {
			out = append(out, c)
		}
	}
	return out
}

// readAsMissing is the error's hint to read markers as missing values
// (", or read them as missing: CANDOR_MISSING='?' (score.CSVOptions.Missing)"),
// or "" when there is none to give: no marker, or one that a comma-separated
// list in single quotes cannot hold.
func readAsMissing(markers []string) string {
	if len(markers) == 0 {
		return ""
	}
	for _, m := range markers {
		if strings.ContainsAny(m, "',") {
			return ""
		}
	}
	return fmt.Sprintf(", or read them as missing: CANDOR_MISSING='%s' (score.CSVOptions.Missing)", strings.Join(markers, ","))
}

// Record returns row i (0-based) as a record of schema s, matching columns
// by name; columns s lacks are ignored and features the table lacks are
// missing. Errors carry the 1-based row number.
func (t *Table) Record(s *Schema, i int) (Record, error) {
	if err := t.bad[i]; err != nil {
		return make(Record, s.Len()), err
	}
	rec, err := s.RecordFromStrings(t.header, t.Row(i), true)
	if err != nil {
		return rec, WithRow(err, i+1)
	}
	return rec, nil
}

// naMarkers are the cells that pandas' read_csv reads as missing by
// default (its documented na_values, the empty cell aside): R's NA,
// spreadsheet errors, NULL and NaN as text.
var naMarkers = []string{"#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN",
	"<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null"}

// missingMarkers counts a column's cells that are missing-value markers
// (naMarkers), in the order first seen.
type missingMarkers struct {
	labels []string
	rows   []int // per label, its count
	first  []int // per label, the 1-based row it is first on
}

// add counts cell c on row (1-based) if it is a marker.
func (m *missingMarkers) add(c string, row int) bool {
	if !slices.Contains(naMarkers, c) {
		return false
	}
	k := slices.Index(m.labels, c)
	if k < 0 {
		m.labels, m.rows, m.first = append(m.labels, c), append(m.rows, 0), append(m.first, row)
		k = len(m.labels) - 1
	}
	m.rows[k]++
	return true
}

// describe names each marker with its rows: "\"NA\" on 20861 rows (the
// first is row 4)".
func (m *missingMarkers) describe() string {
	parts := make([]string, len(m.labels))
	for k, l := range m.labels {
		parts[k] = fmt.Sprintf("%s on %d rows (the first is row %d)", QuoteBounded(l), m.rows[k], m.first[k])
	}
	return strings.Join(parts, ", ")
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
