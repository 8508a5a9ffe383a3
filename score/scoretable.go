package score

import "fmt"

// RowResult is one table row scored by Model.ScoreTable.
type RowResult struct {
	// Row is the 1-based data row (the first row after the header is 1).
	Row int
	// Record is the row as a record of the model's schema (nil when the
	// row could not be read at all).
	Record Record
	// Result is the row's score; zero when Err is set.
	Result Result
	// Err is nil, or the row's error: a *RecordError or *FieldError
	// carrying Row, so every message names the 1-based row.
	Err error
}

// ScoreTable scores rows of t (0-based table rows; nil means every row, in
// order) and appends one RowResult per row to dst. A row that cannot be
// read or scored is a bad row, not a bad table: its RowResult carries the
// error and the others are scored. When a model input is not a column of
// t (CheckTable), every row carries that error. A row index outside the table is an
// error for that row too. Like Score it takes no context: it does a fixed
// amount of work per row.
func (m *Model) ScoreTable(dst []RowResult, t *Table, rows []int) []RowResult {
	n := len(rows)
	if rows == nil {
		n = t.Len()
	}
	absent := m.CheckTable(t)
	for k := 0; k < n; k++ {
		i := k
		if rows != nil {
			i = rows[k]
		}
		r := RowResult{Row: i + 1}
		if i < 0 || i >= t.Len() {
			r.Err = fmt.Errorf("row %d is outside the table's %d data rows", i+1, t.Len())
			dst = append(dst, r)
			continue
		}
		rec, err := t.Record(m.Schema(), i)
		if err == nil && absent != nil {
			err = absent
		}
		if err == nil {
			r.Record = rec
			var res Result
			if res, err = m.Score(rec); err == nil {
				r.Result = res
			}
		}
		if err != nil {
			r.Err = WithRow(err, i+1)
		}
		dst = append(dst, r)
	}
	return dst
}

// Scored returns the records of the rows in results that were scored
// without error, and how many were left out.
func Scored(results []RowResult) (recs []Record, skipped int) {
	recs = make([]Record, 0, len(results))
	for _, r := range results {
		if r.Err != nil {
			skipped++
			continue
		}
		recs = append(recs, r.Record)
	}
	return recs, skipped
}

// CheckTable reports the model inputs that are not columns of t: a
// *RecordError with one ErrUnknownFeature FieldError per absent input,
// naming it and its close matches among t's header ("age" for "Age"), so
// that a renamed or dropped column is an error rather than every row
// scoring as missing. nil when every input is a column.
func (m *Model) CheckTable(t *Table) error {
	var errs []*FieldError
	for j := range m.terms {
		name := m.spec.Terms[j].Feature
		if t.Column(name) >= 0 {
			continue
		}
		err := fmt.Errorf("%w: model input is not a column of the data", ErrUnknownFeature)
		if near := CloseMatches(name, t.header); len(near) > 0 {
			err = fmt.Errorf("%w: model input is not a column of the data (did you mean %s?)", ErrUnknownFeature, quoteList(near))
		}
		errs = append(errs, &FieldError{Feature: name, Err: err})
	}
	if errs != nil {
		return &RecordError{Fields: errs}
	}
	return nil
}
