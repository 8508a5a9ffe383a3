package fairness

import (
	"errors"
	"fmt"
	"math"
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
	type col struct {
		role, name string
		j          int
	}
	policy := c.Blank
	if policy == "" {
		policy = DropBlank
	}
	if policy != DropBlank && policy != RefuseBlank {
		return nil, optionError("blank policy %q (want %q or %q)", policy, DropBlank, RefuseBlank)
	}
	if len(c.Groups) == 0 {
		return nil, fmt.Errorf("%w: no group column named", ErrNoGroups)
	}
	var cols []col
	var errs []error
	add := func(role, name string) {
		j := t.Column(name)
		if j < 0 {
			errs = append(errs, fmt.Errorf("%w: %s: no column %q (columns: %s)", ErrNoColumn, role, name, strings.Join(t.Header(), ", ")))
			return
		}
		cols = append(cols, col{role, name, j})
	}
	add("label", c.Label)
	if c.Prediction != "" {
		add("prediction", c.Prediction)
	}
	if c.Score != "" {
		add("score", c.Score)
	}
	if c.Weights != "" {
		add("weights", c.Weights)
	}
	for _, g := range c.Groups {
		add("group", g)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	if t.Len() == 0 {
		return nil, fmt.Errorf("%w: the table has no data rows", ErrEmpty)
	}
	favPred := c.FavorablePrediction
	if favPred == "" {
		favPred = c.Favorable
	}
	d := &TableData{Excluded: Excluded{Policy: policy, RowsRead: t.Len(), BlankCells: []BlankCount{}}}
	blanks := make([]BlankCount, len(cols))
	bad := make([]cellError, len(cols))
	for k, cl := range cols {
		blanks[k].Column = cl.name
		bad[k].column = cl.name
	}
	var ragged cellError
	groups := make([][]string, len(c.Groups))
	labelsSeen, predsSeen := map[string]int{}, map[string]int{}
	cell := func(i int, cl col) string { return strings.TrimSpace(t.Cell(i, cl.j)) }
	for i := 0; i < t.Len(); i++ {
		if err := t.RowError(i); err != nil {
			ragged.add(i+1, score.WithRow(err, i+1).Error())
			continue
		}
		blank := false
		for k, cl := range cols {
			if cell(i, cl) == "" {
				if blanks[k].Count == 0 {
					blanks[k].FirstRow = i + 1
				}
				blanks[k].Count++
				blank = true
			}
		}
		if blank {
			d.Excluded.Count++
			continue
		}
		var sc, w float64
		ok := true
		for k, cl := range cols {
			if cl.role != "score" && cl.role != "weights" {
				continue
			}
			v := cell(i, cl)
			x, err := score.ParseNumber(v)
			switch {
			case err != nil:
				bad[k].add(i+1, fmt.Sprintf("%q is not a number", v))
				ok = false
			case math.IsNaN(x) || math.IsInf(x, 0):
				bad[k].add(i+1, fmt.Sprintf("%q is not finite", v))
				ok = false
			case cl.role == "weights" && x < 0:
				bad[k].add(i+1, fmt.Sprintf("negative weight %s", v))
				ok = false
			}
			if cl.role == "score" {
				sc = x
			} else {
				w = x
			}
		}
		if !ok {
			continue
		}
		d.Rows = append(d.Rows, i)
		lv := cell(i, cols[0])
		labelsSeen[lv]++
		d.Data.Labels = append(d.Data.Labels, lv == c.Favorable)
		if c.Prediction != "" {
			pv := cell(i, cols[1])
			predsSeen[pv]++
			d.Data.Predictions = append(d.Data.Predictions, pv == favPred)
		}
		if c.Score != "" {
			d.Data.Scores = append(d.Data.Scores, sc)
		}
		if c.Weights != "" {
			d.Data.Weights = append(d.Data.Weights, w)
		}
		for g := range c.Groups {
			groups[g] = append(groups[g], cell(i, cols[len(cols)-len(c.Groups)+g]))
		}
	}
	errs = append(errs[:0], ragged.err())
	for k := range bad {
		errs = append(errs, bad[k].err())
	}
	for _, b := range blanks {
		if b.Count > 0 {
			d.Excluded.BlankCells = append(d.Excluded.BlankCells, b)
		}
	}
	if d.Excluded.Count > 0 && policy == RefuseBlank {
		for _, b := range d.Excluded.BlankCells {
			more := ""
			if b.Count > 1 {
				more = fmt.Sprintf(" (and %d more rows)", b.Count-1)
			}
			errs = append(errs, fmt.Errorf("%w: column %q, row %d: blank cell%s (the drop policy leaves such rows out)", ErrBlank, b.Column, b.FirstRow, more))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	if len(d.Rows) == 0 {
		return nil, fmt.Errorf("%w: no rows left to audit: %s", ErrEmpty, d.Excluded)
	}
	if labelsSeen[c.Favorable] == 0 {
		return nil, fmt.Errorf("%w: favourable outcome %q never occurs in column %q (values: %s)", ErrNoColumn, c.Favorable, c.Label, seenValues(labelsSeen))
	}
	if c.Prediction != "" && predsSeen[favPred] == 0 {
		return nil, fmt.Errorf("%w: favourable decision %q never occurs in column %q (values: %s)", ErrNoColumn, favPred, c.Prediction, seenValues(predsSeen))
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
