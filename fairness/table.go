package fairness

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/candorscore/candor/score"
)

// ErrNoColumn: a column named for an audit is not in the table, or the
// favourable value never occurs in its column.
var ErrNoColumn = errors.New("fairness: no such column or value")

// ErrBlank: a blank cell in a used column under RefuseBlank.
var ErrBlank = errors.New("fairness: blank cell")

// BlankPolicy says what FromTable does with a row that has a blank cell in
// a used column.
type BlankPolicy string

const (
	// DropBlank leaves such rows out and counts them (the default).
	DropBlank BlankPolicy = "drop"
	// RefuseBlank makes them an error.
	RefuseBlank BlankPolicy = "error"
)

// Columns names the columns of a table that make an audit's Data. Label
// and Favorable, at least one group and (unless the caller adds scores of
// its own) Prediction or Score are needed.
type Columns struct {
	// Label is the observed outcome's column; a row's label is favourable
	// when its cell equals Favorable.
	Label, Favorable string
	// Prediction is the decision's column (optional); a decision is
	// favourable when its cell equals FavorablePrediction, "" meaning
	// Favorable.
	Prediction, FavorablePrediction string
	// Score is a numeric score column (optional).
	Score string
	// Weights is a column of non-negative row weights (optional).
	Weights string
	// Groups are the protected attributes' columns.
	Groups []string
	// Bands maps a group column whose cells are numbers (an age) to the
	// edges that make its groups (see Bands); nil means none. A blank cell
	// in a banded column is missing, as in any group column (Blank); a
	// cell that is not a number is an error naming the row.
	Bands map[string]Bands
	// Blank is the policy for blank cells; "" means DropBlank.
	Blank BlankPolicy
}

// BlankCount counts the blank cells of one used column.
type BlankCount struct {
	Column string `json:"column"`
	Count  int    `json:"count"`
	// FirstRow is the first 1-based data row with a blank cell.
	FirstRow int `json:"first_row"`
}

// Excluded accounts for the rows FromTable left out for blank cells.
type Excluded struct {
	Policy     BlankPolicy  `json:"policy"`
	RowsRead   int          `json:"rows_read"`
	Count      int          `json:"count"`
	BlankCells []BlankCount `json:"blank_cells"`
}

// String describes the exclusions for people: "excluded 2 of 12 rows with
// a blank cell: label 1 (first at row 12), ...".
func (e Excluded) String() string {
	parts := make([]string, len(e.BlankCells))
	for i, b := range e.BlankCells {
		parts[i] = fmt.Sprintf("%s %d (first at row %d)", b.Column, b.Count, b.FirstRow)
	}
	return fmt.Sprintf("excluded %d of %d rows with a blank cell: %s", e.Count, e.RowsRead, strings.Join(parts, ", "))
}

// TableData is an audit's Data read from a table, with the rows it kept.
type TableData struct {
	Data Data
	// Rows[k] is the 0-based table row of Data's row k.
	Rows     []int
	Excluded Excluded
}

// RowError rewrites err's *DataError rows (0-based among the kept rows,
// as Audit and RecourseBurden report them) into the 1-based data rows of
// the table, so messages name the row a person sees in the file. Other
// errors are kept as they are.
func (d *TableData) RowError(err error) error {
	if err == nil {
		return nil
	}
	var list []error
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		list = j.Unwrap()
	} else {
		list = []error{err}
	}
	out := make([]error, len(list))
	for k, e := range list {
		var de *DataError
		if errors.As(e, &de) && de.Row >= 0 && de.Row < len(d.Rows) {
			out[k] = fmt.Errorf("column %q, row %d: %s (%d rows): %w", de.Column, d.Rows[de.Row]+1, de.Detail, de.Count, de.Err)
		} else {
			out[k] = e
		}
	}
	return errors.Join(out...)
}

// cellError collects bad cells of one column: the first row and a count.
type cellError struct {
	column, detail string
	row, count     int
}

func (c *cellError) add(row int, detail string) {
	if c.count == 0 {
		c.row, c.detail = row, detail
	}
	c.count++
}

func (c *cellError) err() error {
	if c.count == 0 {
		return nil
	}
	more := ""
	if c.count > 1 {
		more = fmt.Sprintf(" (and %d more rows)", c.count-1)
	}
	if c.column == "" { // a whole row: detail names it
		return fmt.Errorf("%s%s", c.detail, more)
	}
	return fmt.Errorf("column %q, row %d: %s%s", c.column, c.row, c.detail, more)
}

// FromTable reads the columns c names from t into an audit's Data. Rows
// with a blank cell in a used column are left out and counted (DropBlank)
// or refused (RefuseBlank). A cell that is present but bad (a score or
// weight that is not a finite number, a negative weight, a ragged row) is
// always an error naming the column and the 1-based data row; every bad
// column is reported at once. Cells are trimmed of white space.
func FromTable(t *score.Table, c Columns) (*TableData, error) {
	p, err := NewRowParser(t.Header(), c)
	if err != nil {
		return nil, err
	}
	if t.Len() == 0 {
		return nil, fmt.Errorf("%w: the table has no data rows", ErrEmpty)
	}
	d := &TableData{}
	groups := make([][]string, len(c.Groups))
	var cells []string
	var r Row
	for i := 0; i < t.Len(); i++ {
		if err := t.RowError(i); err != nil {
			p.Bad(i+1, err)
			continue
		}
		cells = t.AppendRow(cells[:0], i)
		if !p.Parse(i+1, cells, &r) {
			continue
		}
		d.Rows = append(d.Rows, i)
		d.Data.Labels = append(d.Data.Labels, r.Label)
		if c.Prediction != "" {
			d.Data.Predictions = append(d.Data.Predictions, r.Prediction)
		}
		if c.Score != "" {
			d.Data.Scores = append(d.Data.Scores, r.Score)
		}
		if c.Weights != "" {
			d.Data.Weights = append(d.Data.Weights, r.Weight)
		}
		for g := range c.Groups {
			groups[g] = append(groups[g], r.Groups[g])
		}
	}
	ex, err := p.Finish()
	d.Excluded = ex
	if err != nil {
		return nil, err
	}
	for g, name := range c.Groups {
		d.Data.Groups = append(d.Data.Groups, GroupColumn{Name: name, Values: groups[g]})
	}
	return d, nil
}

// seenValues lists up to 8 values of a column, sorted, for an error message.
func seenValues(seen map[string]int) string {
	vals := make([]string, 0, len(seen))
	for v := range seen {
		vals = append(vals, strconv.Quote(v))
	}
	slices.Sort(vals)
	if len(vals) > 8 {
		vals = append(vals[:8], "...")
	}
	return strings.Join(vals, ", ")
}

// Intersection is the column of the intersection of cols: named by the
// columns' names joined with " & " and valued, row by row, by their values
// joined likewise (as Audit names its intersection groups). One column is
// returned as it is; the columns must have equal lengths (ErrLength).
func Intersection(cols ...GroupColumn) (GroupColumn, error) {
	if len(cols) == 0 {
		return GroupColumn{}, fmt.Errorf("%w: no columns to intersect", ErrNoGroups)
	}
	if len(cols) == 1 {
		return cols[0], nil
	}
	names := make([]string, len(cols))
	for k, c := range cols {
		names[k] = c.Name
		if len(c.Values) != len(cols[0].Values) {
			return GroupColumn{}, columnError(c.Name, ErrLength, "%d values, column %q has %d", len(c.Values), cols[0].Name, len(cols[0].Values))
		}
	}
	vals := make([]string, len(cols[0].Values))
	parts := make([]string, len(cols))
	for i := range vals {
		for k, c := range cols {
			parts[k] = c.Values[i]
		}
		vals[i] = groupName(parts)
	}
	return GroupColumn{Name: groupName(names), Values: vals}, nil
}

// RecourseBurdens is RecourseBurden for each group column and, when there
// are several, first for their Intersection: the same partitions Audit
// reports.
func RecourseBurdens(costs []float64, adverse []bool, groups []GroupColumn, opts *BurdenOptions) ([]*Burden, error) {
	cols := groups
	if len(groups) > 1 {
		in, err := Intersection(groups...)
		if err != nil {
			return nil, err
		}
		cols = append([]GroupColumn{in}, groups...)
	}
	out := make([]*Burden, len(cols))
	for k, c := range cols {
		var err error
		if out[k], err = RecourseBurden(costs, adverse, c, opts); err != nil {
			return nil, err
		}
	}
	return out, nil
}
