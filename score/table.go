package score

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
)

// CSVOptions controls ReadCSV. The zero value reads comma-separated text.
type CSVOptions struct {
	Delimiter rune // 0 means ','
}

// Table is a data set read from CSV: a header and rows of text cells. A cell
// that is empty or only white space is missing. Rows whose cell count does
// not match the header are kept, and RowError reports them, so one bad row
// never loses the others.
type Table struct {
	header []string
	rows   [][]string
	bad    map[int]error // row index -> error
}

// ReadCSV reads a CSV file with a header row. Gzip-compressed input is
// detected from its magic bytes and decompressed.
func ReadCSV(r io.Reader, opts *CSVOptions) (*Table, error) {
	br := bufio.NewReader(r)
	if magic, err := br.Peek(2); err == nil && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("%w: gzip: %v", ErrMalformed, err)
		}
		defer zr.Close()
		br = bufio.NewReader(zr)
	}
	cr := csv.NewReader(br)
	if opts != nil && opts.Delimiter != 0 {
		cr.Comma = opts.Delimiter
	}
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = false
	header, err := cr.Read()
	if err == io.EOF {
		return nil, fmt.Errorf("%w: empty CSV, no header row", ErrMalformed)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: CSV header: %v", ErrMalformed, err)
	}
	header = slices.Clone(header)
	if len(header) > 0 {
		header[0] = strings.TrimPrefix(header[0], "\ufeff")
	}
	seen := map[string]bool{}
	for i, h := range header {
		h = strings.TrimSpace(h)
		header[i] = h
		if h == "" {
			return nil, fmt.Errorf("%w: CSV column %d has no name", ErrMalformed, i+1)
		}
		if seen[h] {
			return nil, fmt.Errorf("%w: CSV column %q appears twice", ErrMalformed, h)
		}
		seen[h] = true
	}
	t := &Table{header: header, bad: map[int]error{}}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if e, ok := err.(*csv.ParseError); ok {
				pe = e
			}
			if pe != nil && pe.Err == csv.ErrFieldCount {
				// cannot happen with FieldsPerRecord = -1, kept for safety
				continue
			}
			return nil, fmt.Errorf("%w: CSV: %v", ErrMalformed, err)
		}
		if len(rec) == 1 && rec[0] == "" && len(header) > 1 {
			continue // blank line
		}
		for i := range rec {
			rec[i] = trimCell(rec[i])
		}
		if len(rec) != len(header) {
			t.bad[len(t.rows)] = &RecordError{Row: len(t.rows) + 1, Fields: []*FieldError{{Row: len(t.rows) + 1, Feature: "(row)",
				Err: fmt.Errorf("%w: %d cells for %d columns", ErrMalformed, len(rec), len(header))}}}
		}
		t.rows = append(t.rows, rec)
	}
	return t, nil
}

func trimCell(s string) string {
	if s == "" {
		return s
	}
	if s[0] == ' ' || s[len(s)-1] == ' ' || s[0] == '\t' || s[len(s)-1] == '\t' {
		return strings.TrimSpace(s)
	}
	return s
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
func (t *Table) Len() int { return len(t.rows) }

// Column returns the index of the named column or -1.
func (t *Table) Column(name string) int { return slices.Index(t.header, name) }

// Cell returns row i's cell in column j ("" when missing or absent).
func (t *Table) Cell(i, j int) string {
	if j < 0 || j >= len(t.rows[i]) {
		return ""
	}
	return t.rows[i][j]
}

// Row returns a copy of row i's cells.
func (t *Table) Row(i int) []string { return slices.Clone(t.rows[i]) }

// RowError returns the structural problem of row i (0-based), if any.
func (t *Table) RowError(i int) error { return t.bad[i] }

// IsNumeric reports whether every non-blank cell of column j parses as a
// number (the command-line contract's rule). An all-blank column is numeric.
func (t *Table) IsNumeric(j int) bool {
	for i := range t.rows {
		c := t.Cell(i, j)
		if c == "" {
			continue
		}
		if _, err := strconv.ParseFloat(c, 64); err != nil {
			return false
		}
	}
	return true
}

// InferSchema returns a schema with one feature per column: numeric when
// every non-blank cell parses as a number, otherwise categorical with its
// labels sorted. Every feature has role Input; use Schema.WithRoles to mark
// the target, identifiers and protected attributes.
func (t *Table) InferSchema() *Schema {
	fs := make([]Feature, len(t.header))
	for j, name := range t.header {
		f := Feature{Name: name, Kind: Numeric}
		if !t.IsNumeric(j) {
			f.Kind = Categorical
			set := map[string]bool{}
			for i := range t.rows {
				if c := t.Cell(i, j); c != "" {
					set[c] = true
				}
			}
			f.Categories = sortedKeys(set)
		}
		fs[j] = f
	}
	s, _ := NewSchema(fs...) // names were validated by ReadCSV
	return s
}

// Record returns row i (0-based) as a record of schema s, matching columns
// by name; columns s lacks are ignored and features the table lacks are
// missing. Errors carry the 1-based row number.
func (t *Table) Record(s *Schema, i int) (Record, error) {
	if err := t.bad[i]; err != nil {
		return make(Record, s.Len()), err
	}
	rec, err := s.RecordFromStrings(t.header, t.rows[i], true)
	if err != nil {
		return rec, WithRow(err, i+1)
	}
	return rec, nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
