package sqlgen

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/candorscore/candor/score"
)

// ColBin and ColCount are the columns of ScoreBins' result.
const (
	ColBin   = "bin"   // 0-based bin of the score: cuts[bin-1] <= score < cuts[bin]
	ColCount = "count" // rows of the table in the bin
)

// ScoreBins returns a GROUP BY statement that counts the rows of the table
// in opts by the bin of their score (in model units) between the cuts,
// ascending: bin i holds scores in [cuts[i-1], cuts[i]), bin 0 those below
// cuts[0], bin len(cuts) those at or above the last; rows that cannot be
// scored are left out, as score/monitor leaves them out. With the cuts of
// monitor.QuantileCuts over a baseline's scores, the counts are the
// current side of monitor's score PSI (monitor.PSIFromCounts turns both
// sides into the index). Bins no row falls in are absent; rows come out
// by bin. opts.Keep and the reason options are ignored.
func ScoreBins(m *score.Model, cuts []float64, opts *Options) (string, error) {
	var o Options
	if opts != nil {
		o = *opts
	}
	o.Keep, o.NoReasons, o.Explainer = nil, true, nil
	for i, c := range cuts {
		if math.IsNaN(c) || math.IsInf(c, 0) || i > 0 && !(c > cuts[i-1]) {
			return "", fmt.Errorf("%w: score bin cuts must be finite and ascending (cut %d is %v)", ErrUnsupported, i+1, c)
		}
	}
	o.exact = true // decided on the exact score, as candor monitor and audit do
	q, err := Score(m, &o)
	if err != nil {
		return "", err
	}
	s, _ := syntaxOf(o.Dialect)
	col := ColScore
	switch m.Kind() {
	case score.ScorecardModel:
		col = ColPoints
	case score.LogisticModel:
		col = ColLogOdds
	}
	x := "q." + s.ident(col)
	bin := bandCase(s, x, cuts, strconv.Itoa)
	if len(cuts) == 0 {
		bin = "0"
	}
	return "SELECT " + bin + " AS " + s.ident(ColBin) + ", COUNT(*) AS " + s.ident(ColCount) +
		"\nFROM (" + q + ") AS q\nWHERE q." + s.ident(ColError) + " IS NULL\nGROUP BY 1\nORDER BY 1", nil
}

// Columns of AuditCounts' result, after the group columns.
const (
	ColRows = "n"  // rows in the group
	ColTP   = "tp" // favourable outcome, favourable decision
	ColFP   = "fp" // unfavourable outcome, favourable decision
	ColTN   = "tn" // unfavourable outcome, unfavourable decision
	ColFN   = "fn" // favourable outcome, unfavourable decision
)

// AuditCounts returns a GROUP BY statement with the confusion counts of a
// fairness audit of the model's decisions on the table in opts, one row
// per combination of the group columns' values (their intersection;
// ordered by them): the decision is favourable when the event probability
// is below cutoff (0 means the model's Cutoff), as candor audit --model
// decides; the outcome is favourable when the label column equals
// favorable. Rows with a NULL label or group, or that cannot be scored,
// are left out (fairness.DropBlank). A group column in opts.Bands is
// grouped by band: a CASE on the column's number gives the band's name,
// and the rows come out in band order. The counts are what fairness.Audit
// computes per group before its rates and intervals. opts.Keep and the
// reason options are ignored.
func AuditCounts(m *score.Model, label, favorable string, groups []string, cutoff score.Probability, opts *Options) (string, error) {
	if m == nil || m.Kind() == score.LinearModel {
		return "", fmt.Errorf("%w: an audit needs a model with a probability", ErrUnsupported)
	}
	if label == "" || len(groups) == 0 {
		return "", fmt.Errorf("%w: an audit needs a label column and at least one group column", ErrColumn)
	}
	if cutoff == 0 {
		cutoff = m.Cutoff()
	}
	if opts != nil {
		for _, col := range slices.Sorted(maps.Keys(opts.Bands)) {
			b := opts.Bands[col]
			if !slices.Contains(groups, col) {
				return "", fmt.Errorf("%w: bands of %q: not a group column (groups: %s)", ErrColumn, col, strings.Join(groups, ", "))
			}
			if err := b.Check(col); err != nil {
				return "", err
			}
		}
	}
	if !(cutoff > 0 && cutoff < 1) {
		return "", fmt.Errorf("%w: cutoff %v is not a probability in (0, 1)", ErrUnsupported, float64(cutoff))
	}
	var o Options
	if opts != nil {
		o = *opts
	}
	o.Keep, o.NoReasons, o.Explainer = append([]string{label}, groups...), true, nil
	o.exact = true // decided on the exact score, as candor monitor and audit do
	q, err := Score(m, &o)
	if err != nil {
		return "", err
	}
	s, _ := syntaxOf(o.Dialect)
	fav := "CAST(q." + s.ident(label) + " AS " + s.text + ") = " + s.str(favorable)
	pred := "q." + s.ident(ColProbability) + " < " + s.num(float64(cutoff))
	count := func(cond string) string { return "SUM(CASE WHEN " + cond + " THEN 1 ELSE 0 END)" }
	sel := make([]string, 0, len(groups)+5)
	where := []string{"q." + s.ident(ColError) + " IS NULL", "q." + s.ident(label) + " IS NOT NULL"}
	var by, order []string
	for i, g := range groups {
		col := "q." + s.ident(g)
		by, order = append(by, strconv.Itoa(i+1)), append(order, strconv.Itoa(i+1))
		if b, ok := o.Bands[g]; ok {
			sel = append(sel, bandCase(s, col, b, func(k int) string { return s.str(b.Name(k)) })+" AS "+s.ident(g))
			// band order, not the names' byte order: the band's index is one
			// value within a group
			order[i] = "MIN(" + bandCase(s, col, b, strconv.Itoa) + ")"
		} else {
			sel = append(sel, col+" AS "+s.ident(g))
		}
		where = append(where, col+" IS NOT NULL")
	}
	sel = append(sel, "COUNT(*) AS "+s.ident(ColRows),
		count(fav+" AND "+pred)+" AS "+s.ident(ColTP),
		count("NOT ("+fav+") AND "+pred)+" AS "+s.ident(ColFP),
		count("NOT ("+fav+") AND NOT ("+pred+")")+" AS "+s.ident(ColTN),
		count(fav+" AND NOT ("+pred+")")+" AS "+s.ident(ColFN))
	return "SELECT " + strings.Join(sel, ", ") + "\nFROM (" + q + ") AS q\nWHERE " + strings.Join(where, " AND ") +
		"\nGROUP BY " + strings.Join(by, ", ") + "\nORDER BY " + strings.Join(order, ", "), nil
}

// bandCase is the CASE expression that gives out(k) for col's band k
// between the ascending edges b (fairness.Bands, and ScoreBins' cuts: a
// value on an edge goes to the band above it).
func bandCase(s syntax, col string, b []float64, out func(k int) string) string {
	var c strings.Builder
	c.WriteString("CASE")
	for k, e := range b {
		c.WriteString(" WHEN " + col + " < " + s.num(e) + " THEN " + out(k))
	}
	c.WriteString(" ELSE " + out(len(b)) + " END")
	return c.String()
}
