package fairness

import (
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/candorscore/candor/score"
)

// RowParser reads an audit's rows from text cells by column names, one row
// at a time, as FromTable reads a whole table: it is FromTable for a
// stream of rows (a CSV read as it comes, a Beam PCollection). Parse turns
// a row's cells into a Row for Tally.Add, leaving out rows with a blank
// cell in a used column (DropBlank) and recording bad cells; Finish
// returns what FromTable would: the exclusions, or the error naming every
// bad column and its first 1-based data row.
//
// Parsers of disjoint parts of the rows combine with Merge. A RowParser
// is not safe for concurrent use: Clone one per goroutine.
type RowParser struct {
	c       Columns
	policy  BlankPolicy
	favPred string
	cols    []parserCol
	spec    TallySpec

	rowsRead int
	kept     int
	excluded int
	blanks   []BlankCount
	bad      []cellError
	ragged   cellError
	labels   map[string]int // values seen, at most maxSeen
	preds    map[string]int
}

type parserCol struct {
	role, name string
	j          int
	bands      Bands    // a banded group column's edges, else nil
	names      []string // the bands' names
}

// band returns the name of the band of a banded column's cell v, and
// false when v is not a number.
func (cl parserCol) band(v string) (string, bool) {
	x, err := score.ParseNumber(v)
	if err != nil {
		return "", false
	}
	return cl.names[cl.bands.Of(x)], true
}

// maxSeen bounds the distinct label and decision values a RowParser keeps
// for its "never occurs" message, so memory does not grow with the rows.
const maxSeen = 64

// NewRowParser checks that the columns c names are in header and returns
// a parser of rows with that header. Errors are FromTable's.
func NewRowParser(header []string, c Columns) (*RowParser, error) {
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
	if err := checkBands(c); err != nil {
		return nil, err
	}
	p := &RowParser{c: c, policy: policy, favPred: c.FavorablePrediction}
	if p.favPred == "" {
		p.favPred = c.Favorable
	}
	var errs []error
	add := func(role, name string) {
		j := -1
		for k, h := range header {
			if h == name {
				j = k
				break
			}
		}
		if j < 0 {
			hint := "columns: " + strings.Join(header, ", ")
			if near := score.CloseMatches(name, header); len(near) > 0 {
				hint = fmt.Sprintf("did you mean %q?", near[0])
			}
			errs = append(errs, fmt.Errorf("%w: %s: no column %q (%s)", ErrNoColumn, role, name, hint))
			return
		}
		cl := parserCol{role: role, name: name, j: j}
		if b, ok := c.Bands[name]; ok && role == "group" {
			cl.bands, cl.names = b, b.names()
		}
		p.cols = append(p.cols, cl)
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
	p.spec = TallySpec{Groups: append([]string(nil), c.Groups...), Predictions: c.Prediction != "", Scores: c.Score != "", Weights: c.Weights != ""}
	p.reset()
	return p, nil
}

func (p *RowParser) reset() {
	p.rowsRead, p.kept, p.excluded = 0, 0, 0
	p.blanks = make([]BlankCount, len(p.cols))
	p.bad = make([]cellError, len(p.cols))
	for k, cl := range p.cols {
		p.blanks[k].Column = cl.name
		p.bad[k].column = cl.name
	}
	p.ragged = cellError{}
	p.labels, p.preds = map[string]int{}, map[string]int{}
}

// Clone returns an empty parser of the same columns, for another goroutine.
func (p *RowParser) Clone() *RowParser {
	q := &RowParser{c: p.c, policy: p.policy, favPred: p.favPred, cols: p.cols, spec: p.spec}
	q.reset()
	return q
}

// Spec is the shape of the rows Parse returns, for NewTally (with the
// threshold still to set when decisions come from scores).
func (p *RowParser) Spec() TallySpec {
	s := p.spec
	s.Groups = append([]string(nil), s.Groups...)
	return s
}

// Bad records a row that could not be read at all (a ragged CSV row); err
// names it. Finish reports it.
func (p *RowParser) Bad(row int, err error) {
	p.rowsRead++
	p.ragged.add(row, score.WithRow(err, row).Error())
}

// Parse reads data row row (1-based) from cells, one per header column,
// into dst (its Groups reused), and reports whether dst is a row to audit:
// false for a row left out for a blank cell or recorded as bad. dst's
// strings share the cells' memory; Tally.Add copies what it keeps.
func (p *RowParser) Parse(row int, cells []string, dst *Row) bool {
	p.rowsRead++
	blank := false
	for k, cl := range p.cols {
		if cl.j >= len(cells) || strings.TrimSpace(cells[cl.j]) == "" {
			if p.blanks[k].Count == 0 {
				p.blanks[k].FirstRow = row
			}
			p.blanks[k].Count++
			blank = true
		}
	}
	if blank {
		p.excluded++
		return false
	}
	cell := func(cl parserCol) string { return strings.TrimSpace(cells[cl.j]) }
	ok := true
	var sc, w float64
	for k, cl := range p.cols {
		if cl.bands != nil {
			if _, isNumber := cl.band(cell(cl)); !isNumber {
				p.bad[k].add(row, fmt.Sprintf("%q is not a number (the column is banded)", cell(cl)))
				ok = false
			}
			continue
		}
		if cl.role != "score" && cl.role != "weights" {
			continue
		}
		v := cell(cl)
		x, err := score.ParseNumber(v)
		switch {
		case err != nil:
			p.bad[k].add(row, fmt.Sprintf("%q is not a number", v))
			ok = false
		case math.IsNaN(x) || math.IsInf(x, 0):
			p.bad[k].add(row, fmt.Sprintf("%q is not finite", v))
			ok = false
		case cl.role == "weights" && x < 0:
			p.bad[k].add(row, fmt.Sprintf("negative weight %s", v))
			ok = false
		}
		if cl.role == "score" {
			sc = x
		} else {
			w = x
		}
	}
	if !ok {
		return false
	}
	p.kept++
	lv := cell(p.cols[0])
	seen(p.labels, lv)
	dst.Index = uint64(row)
	dst.Label = lv == p.c.Favorable
	if p.c.Prediction != "" {
		pv := cell(p.cols[1])
		seen(p.preds, pv)
		dst.Prediction = pv == p.favPred
	}
	dst.Score, dst.Weight = sc, w
	dst.Groups = dst.Groups[:0]
	for _, cl := range p.cols[len(p.cols)-len(p.c.Groups):] {
		v := cell(cl)
		if cl.bands != nil {
			v, _ = cl.band(v) // a number: checked above
		}
		dst.Groups = append(dst.Groups, v)
	}
	return true
}

// seen counts v in m, keeping at most maxSeen distinct values (v is
// copied: it may share a reused buffer).
func seen(m map[string]int, v string) {
	if n, ok := m[v]; ok {
		m[v] = n + 1
		return
	}
	if len(m) < maxSeen {
		m[strings.Clone(v)] = 1
	}
}

// Merge adds o's counts to p (o parsed other rows of the same columns).
func (p *RowParser) Merge(o *RowParser) {
	p.rowsRead += o.rowsRead
	p.kept += o.kept
	p.excluded += o.excluded
	for k := range p.blanks {
		a, b := &p.blanks[k], o.blanks[k]
		if b.Count > 0 && (a.Count == 0 || b.FirstRow < a.FirstRow) {
			a.FirstRow = b.FirstRow
		}
		a.Count += b.Count
		p.bad[k].merge(o.bad[k])
	}
	p.ragged.merge(o.ragged)
	for v, n := range o.labels {
		if _, ok := p.labels[v]; ok || len(p.labels) < maxSeen {
			p.labels[v] += n
		}
	}
	for v, n := range o.preds {
		if _, ok := p.preds[v]; ok || len(p.preds) < maxSeen {
			p.preds[v] += n
		}
	}
}

// merge adds o's bad cells, keeping the first row's detail.
func (c *cellError) merge(o cellError) {
	if o.count == 0 {
		return
	}
	if c.count == 0 || o.row < c.row {
		c.row, c.detail = o.row, o.detail
	}
	c.count += o.count
}

// Kept is the number of rows Parse returned for the audit.
func (p *RowParser) Kept() int { return p.kept }

// Finish returns the exclusions, or FromTable's error for the rows parsed:
// every bad column (and ragged rows) with its first row, blank cells under
// RefuseBlank, no rows left, or a favourable outcome or decision that
// never occurs.
func (p *RowParser) Finish() (Excluded, error) {
	ex := Excluded{Policy: p.policy, RowsRead: p.rowsRead, Count: p.excluded, BlankCells: []BlankCount{}}
	errs := []error{p.ragged.err()}
	for k := range p.bad {
		errs = append(errs, p.bad[k].err())
	}
	for _, b := range p.blanks {
		if b.Count > 0 {
			ex.BlankCells = append(ex.BlankCells, b)
		}
	}
	if ex.Count > 0 && p.policy == RefuseBlank {
		for _, b := range ex.BlankCells {
			more := ""
			if b.Count > 1 {
				more = fmt.Sprintf(" (and %d more rows)", b.Count-1)
			}
			errs = append(errs, fmt.Errorf("%w: column %q, row %d: blank cell%s (the drop policy leaves such rows out)", ErrBlank, b.Column, b.FirstRow, more))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return ex, err
	}
	if p.rowsRead == 0 {
		return ex, fmt.Errorf("%w: the table has no data rows", ErrEmpty)
	}
	if p.kept == 0 {
		return ex, fmt.Errorf("%w: no rows left to audit: %s", ErrEmpty, ex)
	}
	if p.labels[p.c.Favorable] == 0 {
		return ex, fmt.Errorf("%w: favourable outcome %q never occurs in column %q (values: %s)", ErrNoColumn, p.c.Favorable, p.c.Label, seenValues(p.labels))
	}
	if p.c.Prediction != "" && p.preds[p.favPred] == 0 {
		return ex, fmt.Errorf("%w: favourable decision %q never occurs in column %q (values: %s)", ErrNoColumn, p.favPred, p.c.Prediction, seenValues(p.preds))
	}
	return ex, nil
}
