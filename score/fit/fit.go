package fit

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/candorscore/candor/internal/glm"
	"github.com/candorscore/candor/internal/metric"
	"github.com/candorscore/candor/internal/report"
	"github.com/candorscore/candor/score"
)

// MissingPolicy says what fitting does with a row that has a blank cell in a
// used column.
type MissingPolicy int

const (
	// MissingError makes a blank cell in a used column an error naming the
	// row and feature (unless the feature declares a fill value).
	MissingError MissingPolicy = iota
	// MissingDrop skips such rows and counts them.
	MissingDrop
	// MissingIndicator keeps such rows: an input with blank training cells
	// gets an indicator column, 1 on its blank rows, and the blank cells a
	// neutral fill (a numeric input the median of its other training
	// values, a categorical one its reference level), so the indicator's
	// coefficient is the whole effect of a blank relative to that fill.
	// The model scores a blank as it was fitted: a numeric input becomes a
	// binned term (a sloped range bin and a missing bin), a categorical one
	// gets a MissingEffect. Blank cells in the target or the weights stay
	// errors; a feature given a Fill value uses it instead. Logistic and
	// Linear only: Scorecard and Boosted give a blank input a missing bin
	// of their own anyway and treat a blank target as under MissingError.
	MissingIndicator
)

// LogisticOptions controls Logistic. The zero value (or nil) is the
// unpenalised maximum-likelihood fit.
type LogisticOptions struct {
	// L2 adds L2/2 * sum of squared coefficients (never the intercept) to
	// the negative log-likelihood. 0 is plain maximum likelihood.
	L2 float64
	// Weights are per-table-row sample weights; nil means all ones.
	Weights []float64
	// Missing is the policy for blank cells in used columns.
	Missing MissingPolicy
	// Fill gives numeric features a value to use in place of a missing one,
	// at fit and at scoring time.
	Fill map[string]float64
	// Name and Version label the model (defaults "logistic" and "1").
	Name, Version string
	// Cutoff is the event probability at which the decision turns adverse;
	// 0 means 0.5.
	Cutoff score.Probability
	// MaxIter and Tol tune the Newton iterations (0 = 100 and 1e-10).
	MaxIter int
	Tol     float64
	// NonEvent names the target value that is the other class. Empty: the
	// target must hold exactly one value besides the event, else the fit
	// is an error listing the values. Given: rows whose target is neither
	// the event nor NonEvent are skipped and counted (LogisticFit.OtherTarget).
	NonEvent string
	// MaxLevels caps the levels of a categorical input (0 means
	// DefaultMaxLevels; negative means no cap). See checkLevels.
	MaxLevels int
	// Constrain fits the maximum likelihood under sign constraints:
	// ConstrainData bounds each coefficient to the sign of its input's
	// univariate training trend (the trends of Contradiction),
	// ConstrainDeclared to the declared Feature.Trend of numeric inputs
	// (ascending: >= 0, descending: <= 0). Empty: no constraints. Only
	// unpenalised fits (L2 = 0) can be constrained; standard errors are
	// not reported (NaN) for a constrained fit.
	Constrain Constraint
	// Unseen gives each categorical term an effect for a category unseen
	// in training (Term.OtherEffect): UnseenNeutral the term's training
	// average (its Baseline, so an unseen category moves the score by
	// nothing against the population), UnseenRiskiest its largest level
	// effect; UnseenError (the zero value) leaves it an error at scoring
	// time. The fit itself does not change.
	Unseen UnseenPolicy

	// filled marks, per numeric input of an indicator design
	// (logisticWithSpecials), the table rows whose cell holds the fill in
	// place of a special code or a blank: its term's statistics leave them
	// out.
	filled map[string][]bool
}

// Constraint selects the sign constraints of a logistic fit.
type Constraint string

const (
	// ConstrainNone fits without constraints.
	ConstrainNone Constraint = ""
	// ConstrainData uses the univariate training trends.
	ConstrainData Constraint = "data"
	// ConstrainDeclared uses the declared trends of the schema.
	ConstrainDeclared Constraint = "declared"
)

// DefaultMaxLevels is the default cap on a categorical input's levels.
const DefaultMaxLevels = 100

// checkLevels refuses a categorical input of the table with more than
// maxLevels distinct values (0: DefaultMaxLevels, negative: no cap), or
// one that looks like an identifier: at least 20 non-blank cells of which
// 90% or more are distinct. It runs before any parsing, so a surname or
// customer-id column is refused in one pass over the column, and it keeps
// a one-hot design within maxLevels columns per input: with n rows and p
// design columns the logistic fit holds the n*p design plus O(n + p²)
// working memory, and the scorecard n values per input.
func checkLevels(t *score.Table, s *score.Schema, inputs, cols []int, maxLevels int) error {
	if maxLevels == 0 {
		maxLevels = DefaultMaxLevels
	}
	var errs []error
	for k, si := range inputs {
		f := s.Feature(si)
		if f.Kind != score.Categorical {
			continue
		}
		seen := map[string]struct{}{}
		nonblank, first, firstRow := 0, "", 0
		for r := 0; r < t.Len(); r++ {
			if c := t.Cell(r, cols[k]); c != "" {
				if nonblank == 0 {
					first, firstRow = c, r+1
				}
				nonblank++
				seen[c] = struct{}{}
			}
		}
		hint := fmt.Sprintf("leave it out with --exclude %s or declare it {\"role\": \"ignored\"} in the features file", shellWord(f.Name))
		if junk := numericJunk(t, cols[k], nonblank); junk != "" {
			hint = junk + "; " + hint
		}
		switch {
		case nonblank > 0 && datesOnly(seen):
			errs = append(errs, &score.FieldError{Feature: f.Name, Err: fmt.Errorf("%w: categorical input holds dates "+
				"(%q on row %d, and every other value): as a category the model knows only the training days, so each later "+
				"customer would fail to score (unknown category); derive a quantity from it (days since, month of year), or %s",
				score.ErrData, report.Trunc(first, 64), firstRow, hint)})
		case maxLevels > 0 && len(seen) > maxLevels:
			errs = append(errs, &score.FieldError{Feature: f.Name, Err: fmt.Errorf("%w: categorical input has %d levels, more than --max-levels %d; %s (or raise --max-levels)", score.ErrData, len(seen), maxLevels, hint)})
		case nonblank >= 20 && 10*len(seen) >= 9*nonblank:
			errs = append(errs, &score.FieldError{Feature: f.Name, Err: fmt.Errorf("%w: categorical input has %d distinct values in %d rows (nearly all distinct: an identifier or free text?); %s", score.ErrData, len(seen), nonblank, hint)})
		}
	}
	return errors.Join(errs...)
}

// dateLayouts are the ways a date or a time is written in the files CRM
// exports come in (time.Parse layouts): ISO dates with and without a time,
// month-first and day-first numeric dates, dotted European dates, and
// named months.
var dateLayouts = []string{
	"2006-01-02", "2006-01-02 15:04:05", "2006-01-02T15:04:05", time.RFC3339, "2006-01-02 15:04",
	"2006/01/02", "2006-01", "1/2/2006", "1/2/06", "2/1/2006", "2/1/06", "1/2/2006 15:04", "2.1.2006", "2-Jan-2006",
	"2-Jan-06", "Jan 2, 2006", "2 Jan 2006", "January 2, 2006", "2 January 2006",
}

// datesOnly: every distinct value parses as a date under one layout of
// dateLayouts (a column of years is numeric and never gets here).
func datesOnly(values map[string]struct{}) bool {
	for _, layout := range dateLayouts {
		all := true
		for v := range values {
			if _, err := time.Parse(layout, v); err != nil {
				all = false
				break
			}
		}
		if all {
			return true
		}
	}
	return false
}

// shellWord is name as one word for a shell command line: as it is when it
// holds only letters, digits and _ . , - +, else in double quotes.
func shellWord(name string) string {
	for _, r := range name {
		if !(r == '_' || r == '.' || r == ',' || r == '-' || r == '+' || unicode.IsLetter(r) || unicode.IsDigit(r)) {
			return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "$", `\$`, "`", "\\`").Replace(name) + `"`
		}
	}
	return name
}

// numericJunk describes a categorical column whose non-blank cells are
// nearly all numbers (at least 90%): the few that are not (a "?" for
// missing) made it categorical. It names up to 3 of them with their rows,
// or returns "" for a column that is not mostly numbers.
func numericJunk(t *score.Table, col, nonblank int) string {
	var junk []string
	bad := 0
	for r := 0; r < t.Len(); r++ {
		c := t.Cell(r, col)
		if c == "" {
			continue
		}
		if _, err := score.ParseNumber(c); err != nil {
			if bad++; 10*bad > nonblank {
				return ""
			}
			if len(junk) < 3 {
				junk = append(junk, fmt.Sprintf("row %d: %q", r+1, c))
			}
		}
	}
	if bad == 0 {
		return ""
	}
	more := ""
	if bad > len(junk) {
		more = ", ..."
	}
	return fmt.Sprintf("all but %d of its %d values are numbers (%s%s): blank or fix those cells and the column is read as numbers", bad, nonblank, strings.Join(junk, ", "), more)
}

// caseTwins names the target values that differ only in letter case
// ("TRUE" and "True"), a file's parts spelt two ways, as "; ..." or "".
func caseTwins(counts map[string]int) string {
	byFold := map[string][]string{}
	for v := range counts {
		byFold[strings.ToLower(v)] = append(byFold[strings.ToLower(v)], v)
	}
	var out []string
	for _, vs := range byFold {
		if len(vs) > 1 {
			slices.Sort(vs)
			quoted := make([]string, len(vs))
			for i, v := range vs {
				quoted[i] = strconv.Quote(v)
			}
			out = append(out, strings.Join(quoted, " and ")+" differ only in letter case")
		}
	}
	if len(out) == 0 {
		return ""
	}
	slices.Sort(out)
	return "; " + strings.Join(out, ", ") + " (recode the file so each class is spelt one way)"
}

// Coefficient is one column of a fitted logistic design matrix.
type Coefficient struct {
	Name     string  // "(intercept)", a numeric feature, or "feature=level"
	Estimate float64 // log-odds per unit (0 when aliased)
	StdErr   float64 // NaN when aliased
	Aliased  bool    // a linear combination of earlier columns (R's NA)
}

// LogisticFit is the result of Logistic: the model and the statistics a
// statistician expects.
type LogisticFit struct {
	Model        *score.Model
	Coefficients []Coefficient
	Iterations   int
	Converged    bool
	LogLik       float64 // weighted log-likelihood at the estimate
	Rows         int     // rows used
	Dropped      int     // rows skipped under MissingDrop
	OtherTarget  int     // rows skipped because their target is neither the event nor NonEvent
	Events       float64 // weighted events among rows used
	AUC          float64 // on the rows used
	// Separation lists the columns involved when the outcome is perfectly
	// predicted by a combination of inputs; nil otherwise.
	Separation []string
	// Contradictions lists the coefficients whose sign runs against their
	// input's univariate trend in the training rows (see Contradiction).
	Contradictions []Contradiction
	// AtBound lists, for a constrained fit, the columns whose coefficient
	// the sign constraint holds at 0.
	AtBound []string
	// Collinear lists the design columns whose variance inflation factor
	// is at least VIFLimit, largest first (see Collinear).
	Collinear []Collinear
	// Blanks lists, under MissingIndicator, each input whose blank
	// training cells got an indicator column, and the fill they took.
	Blanks []BlankFill
}

// BlankFill is one input given a missing indicator (MissingIndicator):
// its blank training cells and the neutral value they were filled with,
// the lower median of its other values (numeric) or its reference level
// (categorical). The blank's effect is the term's MissingBin (numeric)
// or MissingEffect (categorical) in the model.
type BlankFill struct {
	Feature string
	Rows    int    // blank training cells
	Fill    string // the value written in their place
	Level   bool   // Fill is the reference level of a categorical input
}

// Contradiction is a coefficient whose sign contradicts the univariate
// training trend of its input: typically the work of collinear inputs,
// where one coefficient flips to offset another. For a numeric input the
// trend is Stats.DataTrend (the sign of the Spearman correlation with the
// event, significant at 1%); for a level of a categorical input it is the
// sign of the difference between the level's event rate and the
// reference level's, when a two-proportion z-test finds it significant at
// 1% (two-sided).
type Contradiction struct {
	Feature string  // the input
	Column  string  // the design column: the feature, or "feature=level"
	Coef    float64 // the fitted coefficient, log-odds per unit
	Trend   int     // +1 or -1: the direction of the univariate training trend
}

// String describes the contradiction in a sentence for reports.
func (c Contradiction) String() string {
	dir := map[int]string{1: "rises", -1: "falls"}[c.Trend]
	if c.Column != c.Feature {
		return fmt.Sprintf("%s: coefficient %+.4g, but this level's event rate is %s than the reference level's in the training data (z-test, 1%% level)", c.Column, c.Coef, map[int]string{1: "higher", -1: "lower"}[c.Trend])
	}
	return fmt.Sprintf("%s: coefficient %+.4g, but the event rate %s with %s in the training data (Spearman, 1%% level)", c.Column, c.Coef, dir, c.Feature)
}

// signContradictions compares each coefficient with its input's
// univariate trend: Stats.DataTrend of numeric terms, and the significant
// event-rate difference from the reference of each categorical level.
func signContradictions(terms []score.Term, o *oneHot, coef []float64, aliased []bool) []Contradiction {
	var out []Contradiction
	for k, term := range terms {
		b := o.blocks[k]
		if b.levels == nil {
			j := b.first
			if tr := term.Stats.DataTrend; tr != 0 && !aliased[j] && coef[j] != 0 && (coef[j] > 0) != (tr > 0) {
				out = append(out, Contradiction{Feature: term.Feature, Column: term.Feature, Coef: coef[j], Trend: tr})
			}
			continue
		}
		ref := term.Levels[0]
		for l, lev := range term.Levels[1:] {
			j := b.first + l
			if aliased[j] || coef[j] == 0 {
				continue
			}
			tr := rateTrend(lev.Events, lev.Count, ref.Events, ref.Count)
			if tr != 0 && (coef[j] > 0) != (tr > 0) {
				out = append(out, Contradiction{Feature: term.Feature, Column: term.Feature + "=" + lev.Label, Coef: coef[j], Trend: tr})
			}
		}
	}
	return out
}

// signBounds returns the bounds of each design column under the sign
// constraints c: [0, +Inf) for a rising trend, (-Inf, 0] for a falling
// one, unbounded otherwise (and for the intercept).
func signBounds(d *Design, o *oneHot, y []float64, c Constraint) (lower, upper []float64, err error) {
	p := len(o.cols)
	lower, upper = make([]float64, p), make([]float64, p)
	for j := range lower {
		lower[j], upper[j] = math.Inf(-1), math.Inf(1)
	}
	set := func(j, trend int) {
		switch trend {
		case 1:
			lower[j] = 0
		case -1:
			upper[j] = 0
		}
	}
	switch c {
	case ConstrainData, ConstrainDeclared:
	default:
		return nil, nil, fmt.Errorf("%w: constraint %q (want data or declared)", score.ErrData, c)
	}
	for k, si := range d.Inputs {
		f := d.Schema.Feature(si)
		b := o.blocks[k]
		if c == ConstrainDeclared {
			if b.levels == nil {
				switch f.Trend {
				case score.Ascending:
					set(b.first, 1)
				case score.Descending:
					set(b.first, -1)
				}
			}
			continue
		}
		if b.levels == nil {
			set(b.first, dataTrend(f, d.Values[k], y, d.Weights))
			continue
		}
		counts, events := map[string]float64{}, map[string]float64{}
		for r, v := range d.Values[k] {
			counts[v.Label()] += metric.Weight(d.Weights, r)
			if d.Events[r] {
				events[v.Label()] += metric.Weight(d.Weights, r)
			}
		}
		ref := b.levels[0]
		for l, lab := range b.levels[1:] {
			set(b.first+l, rateTrend(events[lab], counts[lab], events[ref], counts[ref]))
		}
	}
	return lower, upper, nil
}

// rateTrend is the sign of the event rate e1/n1 minus e0/n0 when a pooled
// two-proportion z-test finds the difference significant at TrendAlpha
// (two-sided), else 0.
func rateTrend(e1, n1, e0, n0 float64) int {
	if !(n1 > 0 && n0 > 0) {
		return 0
	}
	p1, p0, p := e1/n1, e0/n0, (e1+e0)/(n1+n0)
	se := math.Sqrt(p * (1 - p) * (1/n1 + 1/n0))
	if !(se > 0) {
		return 0
	}
	z := (p1 - p0) / se
	if math.Erfc(math.Abs(z)/math.Sqrt2) >= TrendAlpha {
		return 0
	}
	if z > 0 {
		return 1
	}
	return -1
}

// Aliased returns the names of the aliased columns.
func (f *LogisticFit) Aliased() []string { return aliasedNames(f.Coefficients) }

// aliasedNames returns the names of the aliased coefficients, in order.
func aliasedNames(cs []Coefficient) []string {
	var out []string
	for _, c := range cs {
		if c.Aliased {
			out = append(out, c.Name)
		}
	}
	return out
}

// levelCounts describes the training rows of a one-hot column
// "feature=level" of d when they hold one class only (" (38 rows, no
// event)", " (12 rows, all events)"), the usual cause of a separation;
// "" for any other column.
func levelCounts(d *Design, col string) string {
	for k, si := range d.Inputs {
		f := d.Schema.Feature(si)
		level, ok := strings.CutPrefix(col, f.Name+"=")
		if !ok || f.Kind != score.Categorical {
			continue
		}
		var n, ev int
		for r, v := range d.Values[k] {
			if v.IsCat() && v.Label() == level {
				n++
				if d.Events[r] {
					ev++
				}
			}
		}
		switch {
		case n > 0 && ev == 0:
			return fmt.Sprintf(" (%d rows, no event)", n)
		case n > 0 && ev == n:
			return fmt.Sprintf(" (%d rows, all events)", n)
		}
		return ""
	}
	return ""
}

// nestedCells names the cells of two categorical inputs that hold one
// class only and that the design singles out although neither level does:
// a cell (A=a, B=b) is a linear combination of the one-hot columns when
// every other level of B seen with A=a occurs only with A=a (a job role
// nested in a department), since then the cell is A=a less those levels.
// Such a cell of one class separates the data like a level of one class
// (the IBM HR attrition file: Department=Human Resources & JobRole=Manager,
// 11 employees, no leaver, since JobRole=Human Resources occurs only in
// that department). Only inputs with a column in sep are paired; a cell
// that is a whole level of A or of B is left to levelCounts.
func nestedCells(d *Design, sep []string) []string {
	var cats []int // indexes into d.Inputs
	for k, si := range d.Inputs {
		f := d.Schema.Feature(si)
		if f.Kind == score.Categorical && slices.ContainsFunc(sep, func(c string) bool { return strings.HasPrefix(c, f.Name+"=") }) {
			cats = append(cats, k)
		}
	}
	type cell struct{ a, b string }
	var out []string
	for _, ka := range cats {
		for _, kb := range cats {
			if ka == kb {
				continue
			}
			fa, fb := d.Schema.Feature(d.Inputs[ka]), d.Schema.Feature(d.Inputs[kb])
			rows, events := map[cell]int{}, map[cell]int{}
			levB := map[string]int{}
			with := map[string][]string{} // level of A -> levels of B seen with it, in first-seen order
			for r := range d.Events {
				va, vb := d.Values[ka][r], d.Values[kb][r]
				if !va.IsCat() || !vb.IsCat() {
					continue
				}
				c := cell{va.Label(), vb.Label()}
				if rows[c] == 0 {
					with[c.a] = append(with[c.a], c.b)
				}
				rows[c]++
				levB[c.b]++
				if d.Events[r] {
					events[c]++
				}
			}
			var as []string
			for a := range with {
				as = append(as, a)
			}
			slices.Sort(as)
			for _, a := range as {
				bs := with[a]
				if len(bs) < 2 {
					continue
				}
				for _, b := range bs {
					c := cell{a, b}
					n, ev := rows[c], events[c]
					if n == levB[b] || (ev != 0 && ev != n) {
						continue // a whole level of B, or both classes
					}
					var nested []string
					for _, o := range bs {
						if o != b {
							if rows[cell{a, o}] != levB[o] {
								nested = nil
								break
							}
							nested = append(nested, fb.Name+"="+o)
						}
					}
					if len(nested) == 0 {
						continue
					}
					class := "no event"
					if ev == n {
						class = "all events"
					}
					if len(nested) > 3 {
						nested = append(nested[:3], fmt.Sprintf("%d more", len(nested)-3))
					}
					out = append(out, fmt.Sprintf("%s=%s & %s=%s (%d rows, %s; %s occurs only with %s=%s)",
						fa.Name, a, fb.Name, b, n, class, strings.Join(nested, ", "), fa.Name, a))
				}
			}
		}
	}
	return out
}

// Design is a table turned into model columns: the event indicator, the
// used rows, and each input feature's column of values. It is shared by the
// logistic and scorecard fits.
type Design struct {
	Schema  *score.Schema
	Inputs  []int // schema indexes of input features, in schema order
	Rows    []int // table rows used (0-based)
	Dropped int   // rows skipped under MissingDrop
	// OtherTarget counts rows skipped because their target is neither the
	// event nor the declared non-event value.
	OtherTarget int
	Events      []bool          // per used row
	Weights     []float64       // per used row (nil = ones)
	Values      [][]score.Value // Values[k][r]: input k, used row r
}

// NewDesign reads the target and every input feature of s from the table.
// The target column must be in the table; its event value is event. Rows
// with problems are reported all at once, in a joined error, unless policy
// is MissingDrop, in which case rows with blank cells are skipped.
// Features with a fill value treat blanks as that value.
//
// The target must hold exactly one value besides the event (an error
// listing the values otherwise); newDesign with a non-event value skips
// the rows holding neither.
func NewDesign(t *score.Table, s *score.Schema, target, event string, weights []float64, policy MissingPolicy, fill map[string]float64) (*Design, error) {
	return newDesign(t, s, target, event, "", -1, weights, policy, fill)
}

func newDesign(t *score.Table, s *score.Schema, target, event, nonevent string, maxLevels int, weights []float64, policy MissingPolicy, fill map[string]float64) (*Design, error) {
	tc, inputs, cols, err := designColumns(t, s, target, weights)
	if err != nil {
		return nil, err
	}
	other, err := targetClasses(t, tc, target, event, nonevent)
	if err != nil {
		return nil, err
	}
	if err := checkLevels(t, s, inputs, cols, maxLevels); err != nil {
		return nil, err
	}
	if err := checkDesign(t, s, inputs, cols, true); err != nil { // budget.go
		return nil, err
	}
	d := &Design{Schema: s, Inputs: inputs}
	d.Values = make([][]score.Value, len(d.Inputs))
	for k := range d.Values {
		d.Values[k] = make([]score.Value, 0, t.Len())
	}
	d.Rows = make([]int, 0, t.Len())
	d.Events = make([]bool, 0, t.Len())
	vals := make([]score.Value, len(cols))
	var errs []error
	for r := 0; r < t.Len(); r++ {
		if err := t.RowError(r); err != nil {
			if policy == MissingDrop {
				d.Dropped++
				continue
			}
			errs = append(errs, err)
			continue
		}
		y := t.Cell(r, tc)
		if y == "" {
			if policy == MissingDrop {
				d.Dropped++
				continue
			}
			errs = append(errs, &score.FieldError{Row: r + 1, Feature: target, Err: score.ErrMissing})
			continue
		}
		if other(y) {
			d.OtherTarget++
			continue
		}
		if fe := weightErr(weights, r); fe != nil {
			errs = append(errs, fe)
			continue
		}
		rowErrs, blank := d.readRow(t, cols, r, fill, vals)
		if blank && policy == MissingDrop {
			d.Dropped++
			continue
		}
		if rowErrs != nil {
			errs = append(errs, &score.RecordError{Row: r + 1, Fields: rowErrs})
			continue
		}
		d.Rows = append(d.Rows, r)
		d.Events = append(d.Events, y == event)
		if weights != nil {
			d.Weights = append(d.Weights, weights[r])
		}
		for k := range cols {
			d.Values[k] = append(d.Values[k], vals[k])
		}
	}
	if errs != nil {
		blanks := blankSummary(errs)
		if len(errs) > 20 {
			errs = append(errs[:20], fmt.Errorf("... and %d more rows with problems", len(errs)-20))
		}
		if blanks != nil {
			errs = append([]error{blanks}, errs...)
		}
		return nil, errors.Join(errs...)
	}
	if len(d.Rows) == 0 {
		return nil, fmt.Errorf("%w: no usable rows", score.ErrData)
	}
	var ev, nev float64
	for r, e := range d.Events {
		if e {
			ev += metric.Weight(d.Weights, r)
		} else {
			nev += metric.Weight(d.Weights, r)
		}
	}
	if ev == 0 || nev == 0 {
		return nil, fmt.Errorf("%w: target %q has no rows with event %q, or only such rows", score.ErrData, target, event)
	}
	return d, nil
}

// targetClasses checks the values of target column tc: besides event
// there must be exactly one value, or, when nonevent is given, nonevent
// must occur. It returns the test of a target cell to skip (neither class;
// never true without nonevent). The error lists the values with their
// counts, most frequent first, so a junk value (Exited=50000) is named.
func targetClasses(t *score.Table, tc int, target, event, nonevent string) (other func(string) bool, err error) {
	counts := map[string]int{}
	for r := 0; r < t.Len(); r++ {
		if y := t.Cell(r, tc); y != "" {
			counts[y]++
		}
	}
	if nonevent == event && nonevent != "" {
		return nil, &score.FieldError{Feature: target, Err: fmt.Errorf("%w: the non-event value %q is the event value", score.ErrData, nonevent)}
	}
	list := func() string {
		vals := slices.Collect(maps.Keys(counts))
		slices.SortFunc(vals, func(a, b string) int {
			if c := counts[b] - counts[a]; c != 0 {
				return c
			}
			return strings.Compare(a, b)
		})
		var parts []string
		for i, v := range vals {
			if i == 10 {
				parts = append(parts, fmt.Sprintf("and %d more", len(vals)-10))
				break
			}
			rows := "rows"
			if counts[v] == 1 {
				rows = "row"
			}
			parts = append(parts, fmt.Sprintf("%q (%d %s)", v, counts[v], rows))
		}
		return strings.Join(parts, ", ")
	}
	if counts[event] == 0 && len(counts) > 0 {
		hint := ""
		for _, v := range slices.Sorted(maps.Keys(counts)) {
			if strings.EqualFold(v, event) {
				hint = fmt.Sprintf(" (did you mean %q? values differ in letter case)", v)
				break
			}
		}
		return nil, &score.FieldError{Feature: target, Err: fmt.Errorf("%w: the event %q is not a value of the target; its values: %s: give one of them as the event%s",
			score.ErrData, event, list(), hint)}
	}
	if nonevent != "" {
		if counts[nonevent] == 0 {
			return nil, &score.FieldError{Feature: target, Err: fmt.Errorf("%w: the non-event value %q is not in the target column; its values: %s", score.ErrData, nonevent, list())}
		}
		return func(y string) bool { return y != event && y != nonevent }, nil
	}
	if n := len(counts) - min(1, counts[event]); n > 1 {
		return nil, &score.FieldError{Feature: target, Err: fmt.Errorf("%w: the target must hold the event %q and one other value, but it holds %d values: %s%s; name the other class with --nonevent (NonEvent) to skip the rest",
			score.ErrData, event, len(counts), list(), caseTwins(counts))}
	}
	return func(string) bool { return false }, nil
}

// blankSummary counts the blank cells among a design's row errors per
// feature, in the order first seen, and says what to do about them; nil
// when none is blank.
func blankSummary(errs []error) error {
	var names []string
	counts := map[string]int{}
	count := func(fe *score.FieldError) {
		if !errors.Is(fe.Err, score.ErrMissing) {
			return
		}
		if counts[fe.Feature] == 0 {
			names = append(names, fe.Feature)
		}
		counts[fe.Feature]++
	}
	for _, err := range errs {
		switch e := err.(type) {
		case *score.FieldError:
			count(e)
		case *score.RecordError:
			for _, fe := range e.Fields {
				count(fe)
			}
		}
	}
	if names == nil {
		return nil
	}
	parts := make([]string, len(names))
	for k, name := range names {
		rows := "rows"
		if counts[name] == 1 {
			rows = "row"
		}
		parts[k] = fmt.Sprintf("%q on %d %s", name, counts[name], rows)
	}
	return fmt.Errorf("blank cells: %s: a logistic regression needs a value in every cell it uses; give a blank input an effect of its own "+
		"(--missing indicator, MissingIndicator: an indicator column and a neutral fill; a blank target stays an error), skip those rows "+
		"(--missing drop, MissingDrop; they cannot be scored later either), give a numeric feature a fill value (LogisticOptions.Fill), "+
		"or fit a scorecard or boosted model, where a missing value is a bin of its own", strings.Join(parts, ", "))
}

// checkFill checks that every feature given a fill value is a numeric
// feature of s.
func checkFill(s *score.Schema, fill map[string]float64) error {
	var errs []*score.FieldError
	for _, name := range slices.Sorted(maps.Keys(fill)) { // sorted: the error text is deterministic
		if f, ok := s.Lookup(name); !ok || f.Kind != score.Numeric {
			errs = append(errs, &score.FieldError{Feature: name, Err: fmt.Errorf("%w: fill given for a feature that is not a numeric input", score.ErrUnknownFeature)})
		}
	}
	if errs != nil {
		return &score.RecordError{Fields: errs}
	}
	return nil
}

// targetColumn returns the table column of the target; a target that is
// not in the table is an error.
func targetColumn(t *score.Table, target string) (int, error) {
	tc := t.Column(target)
	if tc < 0 {
		return -1, &score.FieldError{Feature: target, Err: fmt.Errorf("%w: target column not in the data", score.ErrUnknownFeature)}
	}
	return tc, nil
}

// weightErr returns the error for row r's (0-based) sample weight when it
// is not a finite non-negative number; nil when it is or weights is nil.
func weightErr(weights []float64, r int) *score.FieldError {
	if weights != nil && (!isFinite(weights[r]) || weights[r] < 0) {
		return &score.FieldError{Row: r + 1, Feature: "(weight)", Err: fmt.Errorf("%w: weight %v", score.ErrData, weights[r])}
	}
	return nil
}

// designColumns finds the columns a weighted classification design reads:
// the target's, then each input feature's (designInputs), after checking
// that there is one weight per table row when weights are given.
func designColumns(t *score.Table, s *score.Schema, target string, weights []float64) (tc int, inputs, cols []int, err error) {
	if tc, err = targetColumn(t, target); err != nil {
		return -1, nil, nil, err
	}
	if weights != nil && len(weights) != t.Len() {
		return -1, nil, nil, fmt.Errorf("%w: %d weights for %d rows", score.ErrData, len(weights), t.Len())
	}
	inputs, cols, err = designInputs(t, s, target)
	return tc, inputs, cols, err
}

// designInputs returns the schema indexes of the input features of s (the
// target excepted), in schema order, and their columns in the table; an
// input feature that is not in the table is an error.
func designInputs(t *score.Table, s *score.Schema, target string) (inputs, cols []int, err error) {
	for i, f := range s.Features() {
		if f.Role != score.Input || f.Name == target {
			continue
		}
		c := t.Column(f.Name)
		if c < 0 {
			return nil, nil, &score.FieldError{Feature: f.Name, Err: fmt.Errorf("%w: input feature not in the data", score.ErrUnknownFeature)}
		}
		inputs = append(inputs, i)
		cols = append(cols, c)
	}
	return inputs, cols, nil
}

// readRow parses table row r of the input columns cols (aligned with
// d.Inputs) into vals. A blank cell takes the feature's fill value when it
// is numeric and has one; otherwise it is an ErrMissing error and blank is
// true. Every problem of the row is returned, each naming row and feature.
func (d *Design) readRow(t *score.Table, cols []int, r int, fill map[string]float64, vals []score.Value) (errs []*score.FieldError, blank bool) {
	for k, c := range cols {
		f := d.Schema.Feature(d.Inputs[k])
		cell := t.Cell(r, c)
		if cell == "" {
			if x, ok := fill[f.Name]; ok && f.Kind == score.Numeric {
				vals[k] = score.Num(x)
				continue
			}
			blank = true
			errs = append(errs, &score.FieldError{Row: r + 1, Feature: f.Name, Err: score.ErrMissing})
			continue
		}
		v, fe := parseCell(&f, cell, r)
		if fe != nil {
			errs = append(errs, fe)
			continue
		}
		vals[k] = v
	}
	return errs, blank
}

// parseCell parses the non-blank cell of feature f in table row r
// (0-based). A problem, a non-finite number included (ErrNotFinite), is a
// FieldError naming row and feature.
func parseCell(f *score.Feature, cell string, r int) (score.Value, *score.FieldError) {
	v, err := score.ParseValue(f.Kind, cell)
	if err == nil && v.IsNum() && !isFinite(v.Float()) {
		err = score.ErrNotFinite
	}
	if err != nil {
		fe := score.NewFieldError(*f, cell, err)
		fe.Row = r + 1
		return score.Value{}, fe
	}
	return v, nil
}

// Logistic fits a logistic regression of the event (target == event) on
// every input feature of s: numeric features enter linearly, categorical
// features one-hot with the first of their sorted levels as the reference.
// Aliased columns are reported and fixed at 0 (R's NA); complete or
// quasi-complete separation is an ErrSeparation error naming the columns
// (the partial fit is still returned when an L2 penalty keeps it finite).
func Logistic(ctx context.Context, t *score.Table, s *score.Schema, target, event string, opts *LogisticOptions) (*LogisticFit, error) {
	if opts == nil {
		opts = &LogisticOptions{}
	}
	if err := opts.Unseen.check(); err != nil { // before the indicator design, which sets the policy on its folded terms
		return nil, err
	}
	fitted, err := logisticFit(ctx, t, s, target, event, opts)
	if errors.Is(err, score.ErrSeparation) {
		// The hint is of the inputs as given, not of the indicator design's
		// columns.
		err = fmt.Errorf("%w%s", err, separationHint(t, s, target, event, opts.NonEvent))
	}
	return fitted, err
}

// logisticFit is Logistic after its options are checked; the indicator
// design (logistic_special.go) fits through it.
func logisticFit(ctx context.Context, t *score.Table, s *score.Schema, target, event string, opts *LogisticOptions) (*LogisticFit, error) {
	if needsIndicators(t, s, target, opts.Missing, opts.Fill) { // indicator terms for special codes and blanks (logistic_special.go)
		return logisticWithSpecials(ctx, t, s, target, event, opts)
	}
	if opts.L2 < 0 || !isFinite(opts.L2) {
		return nil, fmt.Errorf("%w: L2 penalty %v", score.ErrData, opts.L2)
	}
	if err := checkFill(s, opts.Fill); err != nil {
		return nil, err
	}
	d, err := newDesign(t, s, target, event, opts.NonEvent, opts.MaxLevels, opts.Weights, opts.Missing, opts.Fill)
	if err != nil {
		return nil, err
	}
	if err := checkLeaks(d, target, event); err != nil {
		return nil, err
	}
	n := len(d.Rows)
	oh := newOneHot(d)
	cols, names := oh.cols, oh.names
	y := make([]float64, n)
	for r, e := range d.Events {
		if e {
			y[r] = 1
		}
	}
	// Numeric inputs are standardised for the solver (unpenalised fits; a
	// penalty is defined on the raw coefficients) and the coefficients
	// un-scaled exactly, so that a column's magnitude (a customer id near
	// 1.5e7) never decides whether the fit works.
	xs, sc := cols, []colScale(nil)
	var constrainedAt []bool
	if opts.L2 == 0 {
		xs, sc = oh.standardised(d.Weights)
	}
	res, gerr := glm.FitLogistic(ctx, glm.Problem{X: xs, Y: y, Weights: d.Weights, L2: opts.L2, Names: names},
		&glm.Settings{MaxIter: opts.MaxIter, Tol: opts.Tol})
	if gerr == nil && opts.Constrain != ConstrainNone {
		if opts.L2 != 0 {
			return nil, fmt.Errorf("%w: --constrain needs an unpenalised fit (L2 0)", score.ErrData)
		}
		lower, upper, err := signBounds(d, oh, y, opts.Constrain)
		if err != nil {
			return nil, err
		}
		keep := make([]bool, len(xs))
		for j := range keep {
			keep[j] = !res.Aliased[j]
		}
		bp := glm.Problem{X: xs, Y: y, Weights: d.Weights, Names: names}
		br, berr := glm.FitLogisticBounded(ctx, bp, keep, lower, upper, res.Coef, 200, 1e-8)
		if errors.Is(berr, glm.ErrBounded) {
			// The unconstrained optimum projected onto the bounds can sit
			// where the weights saturate (huge coefficients of nearly
			// collinear columns): start again from 0.
			br, berr = glm.FitLogisticBounded(ctx, bp, keep, lower, upper, nil, 200, 1e-8)
		}
		if berr != nil {
			return nil, fmt.Errorf("%w: %v", score.ErrData, berr)
		}
		res.Coef, res.LogLik, res.Iterations, res.Converged, res.Cov = br.Coef, br.LogLik, res.Iterations+br.Iterations, br.Converged, nil
		for j := range res.StdErr {
			res.StdErr[j] = math.NaN()
		}
		constrainedAt = br.Bound
	}
	if sc != nil {
		unscale(&res, sc)
		if opts.Constrain != ConstrainNone {
			for j := range res.StdErr {
				res.StdErr[j] = math.NaN()
			}
		}
	}
	var sepCols []string
	if res.Separation != nil {
		for _, c := range res.Separation.Columns {
			sepCols = append(sepCols, names[c])
		}
	}
	if gerr != nil {
		if errors.Is(gerr, glm.ErrSeparation) {
			described := make([]string, len(sepCols))
			for i, c := range sepCols {
				described[i] = c + levelCounts(d, c)
			}
			cells := ""
			if nc := nestedCells(d, sepCols); len(nc) > 0 {
				cells = "; one class only in " + strings.Join(nc, ", ")
			}
			return nil, fmt.Errorf("%w: columns involved: %s%s (they predict the outcome perfectly on some rows, e.g. a level with no event or only events); "+
				"leave the feature out (--exclude), pool the level with others in the data, or fit with an L2 penalty (--l2), which has a finite estimate", score.ErrSeparation, strings.Join(described, ", "), cells)
		}
		return nil, fmt.Errorf("%w: %v", score.ErrData, gerr)
	}
	fit := &LogisticFit{Iterations: res.Iterations, Converged: res.Converged, LogLik: res.LogLik,
		Rows: n, Dropped: d.Dropped, OtherTarget: d.OtherTarget, Separation: sepCols}
	for j, name := range names {
		fit.Coefficients = append(fit.Coefficients, Coefficient{Name: name, Estimate: res.Coef[j], StdErr: res.StdErr[j], Aliased: res.Aliased[j]})
	}
	// Assemble the model.
	spec := score.Spec{Name: opts.Name, Version: opts.Version, Kind: score.LogisticModel, Target: target, Event: event,
		Features: s.Features(), Intercept: res.Coef[0], Cutoff: opts.Cutoff}
	if spec.Name == "" {
		spec.Name = "logistic"
	}
	if spec.Version == "" {
		spec.Version = "1"
	}
	for r := 0; r < n; r++ {
		if d.Events[r] {
			fit.Events += metric.Weight(d.Weights, r)
		}
	}
	spec.Terms = oh.terms(d, res.Coef, opts.Fill, y, opts.filled)
	unseenEffects(spec.Terms, opts.Unseen)
	fit.Contradictions = signContradictions(spec.Terms, oh, res.Coef, res.Aliased)
	fit.Collinear = collinearity(cols, names, res.Aliased, d.Weights, oh.groups(d))
	for j, at := range constrainedAt {
		if at && j > 0 {
			fit.AtBound = append(fit.AtBound, names[j])
		}
	}
	// Training AUC and summary.
	scores := make([]float64, n)
	for j, c := range cols {
		if b := res.Coef[j]; b != 0 {
			for r, x := range c {
				scores[r] += b * x
			}
		}
	}
	fit.AUC = metric.AUC(scores, d.Events, d.Weights)
	spec.Training = &score.Training{Rows: n, Dropped: d.Dropped, Events: fit.Events, Iterations: res.Iterations,
		Converged: res.Converged, LogLik: res.LogLik, L2: opts.L2, AUC: fit.AUC, KS: metric.KS(scores, d.Events, d.Weights),
		Aliased: fit.Aliased(), ScoreQuants: deciles(scores)}
	m, err := score.NewModel(spec)
	if err != nil {
		return nil, err
	}
	fit.Model = m
	return fit, nil
}

// colScale is how a design column was standardised: (x - mean) / sd.
type colScale struct {
	col       int
	mean, std float64
}

// standardised returns the design with each numeric input's column
// centred and scaled to unit (weighted) standard deviation, and the
// scales; constant columns and indicator columns are left as they are.
func (o *oneHot) standardised(w []float64) ([][]float64, []colScale) {
	xs := slices.Clone(o.cols)
	var sc []colScale
	for _, b := range o.blocks {
		if b.levels != nil {
			continue
		}
		c := o.cols[b.first]
		var sw, sx float64
		for r, x := range c {
			sw += metric.Weight(w, r)
			sx += metric.Weight(w, r) * x
		}
		if !(sw > 0) {
			continue
		}
		mean := sx / sw
		var ss float64
		for r, x := range c {
			ss += metric.Weight(w, r) * (x - mean) * (x - mean)
		}
		std := math.Sqrt(ss / sw)
		if !(std > 0) || !isFinite(std) {
			continue
		}
		z := make([]float64, len(c))
		for r, x := range c {
			z[r] = (x - mean) / std
		}
		xs[b.first] = z
		sc = append(sc, colScale{b.first, mean, std})
	}
	return xs, sc
}

// unscale turns the coefficients, standard errors and covariance of a fit
// on standardised columns into those of the raw columns: with z = (x-m)/s,
// b_x = b_z / s and b_0 = b'_0 - sum b_z m / s; the covariance is A Cov A'
// for that linear map A, whose diagonal gives the standard errors (the
// intercept's included).
func unscale(res *glm.Result, sc []colScale) {
	p := len(res.Coef)
	a := make([][]float64, p) // a[j]: row j of A (sparse: the identity, the scaled columns, the intercept row)
	for j := range a {
		a[j] = make([]float64, p)
		a[j][j] = 1
	}
	for _, c := range sc {
		a[c.col][c.col] = 1 / c.std
		a[0][c.col] = -c.mean / c.std
	}
	coef := make([]float64, p)
	for j := range coef {
		for k, v := range a[j] {
			if v != 0 && res.Coef[k] != 0 {
				coef[j] += v * res.Coef[k]
			}
		}
	}
	res.Coef = coef
	if res.Cov == nil {
		for _, c := range sc {
			res.StdErr[c.col] /= c.std
		}
		res.StdErr[0] = math.NaN()
		return
	}
	// A Cov A', skipping aliased (NaN) entries, which A never mixes in: an
	// aliased column has a zero coefficient and no covariance.
	get := func(j, k int) float64 {
		if v := res.Cov[j][k]; !math.IsNaN(v) {
			return v
		}
		return 0
	}
	tmp := make([][]float64, p)
	for j := range tmp {
		tmp[j] = make([]float64, p)
		for k := range p {
			for l, v := range a[j] {
				if v != 0 {
					tmp[j][k] += v * get(l, k)
				}
			}
		}
	}
	cov := make([][]float64, p)
	for j := range cov {
		cov[j] = make([]float64, p)
		for k := range p {
			if res.Aliased[j] || res.Aliased[k] {
				cov[j][k] = math.NaN()
				continue
			}
			for l, v := range a[k] {
				if v != 0 {
					cov[j][k] += tmp[j][l] * v
				}
			}
		}
		if !res.Aliased[j] && cov[j][j] >= 0 {
			res.StdErr[j] = math.Sqrt(cov[j][j])
		}
	}
	res.Cov = cov
}

// oneHot is the design matrix of the logistic and linear fits: the
// intercept column, then per input feature either its values (numeric) or
// one indicator column per level but the first, the reference
// (categorical).
type oneHot struct {
	cols   [][]float64
	names  []string      // "(intercept)", a numeric feature, or "feature=level"
	blocks []oneHotBlock // per input feature, in d.Inputs order
}

type oneHotBlock struct {
	levels []string // categorical levels (first is the reference); nil when numeric
	first  int      // first design column
}

func newOneHot(d *Design) *oneHot {
	n := len(d.Rows)
	o := &oneHot{cols: [][]float64{ones(n)}, names: []string{"(intercept)"}, blocks: make([]oneHotBlock, len(d.Inputs))}
	for k, si := range d.Inputs {
		f := d.Schema.Feature(si)
		b := &o.blocks[k]
		b.first = len(o.cols)
		if f.Kind == score.Numeric {
			c := make([]float64, n)
			for r, v := range d.Values[k] {
				c[r] = v.Float()
			}
			o.cols = append(o.cols, c)
			o.names = append(o.names, f.Name)
			continue
		}
		b.levels = levelsOf(f, d.Values[k])
		pos := make(map[string]int, len(b.levels))
		for l, lab := range b.levels {
			pos[lab] = l
		}
		for _, lab := range b.levels[1:] {
			o.cols = append(o.cols, make([]float64, n))
			o.names = append(o.names, f.Name+"="+lab)
		}
		for r, v := range d.Values[k] {
			if l := pos[v.Label()]; l > 0 {
				o.cols[b.first+l-1][r] = 1
			}
		}
	}
	return o
}

// terms returns the model terms for the coefficients coef of the design
// columns: a LinearTerm (with its fill value, if any) per numeric input, a
// CategoricalTerm with the reference level at 0 per categorical one, each
// with its weighted baseline and statistics over the design's rows. y is
// the outcome of each used row (the 0/1 event indicator of a logistic fit,
// the response of a linear one): numeric terms get their Stats.DataTrend
// from it, and when it is an event indicator, categorical levels their
// Events and numeric terms their decile Cells. filled marks, per numeric
// input, table rows whose value is an indicator design's fill (a special
// code or a blank): the term's Baseline averages over every row, as the
// fit saw them, but its Stats (percentiles, trend, decile cells: the data
// behind advice and recourse) describe the real numbers only, the filled
// rows counted as Missing.
func (o *oneHot) terms(d *Design, coef []float64, fill map[string]float64, y []float64, filled map[string][]bool) []score.Term {
	binary := d.Events != nil
	var wsum float64
	for r := range d.Rows {
		wsum += metric.Weight(d.Weights, r)
	}
	out := make([]score.Term, 0, len(d.Inputs))
	for k, si := range d.Inputs {
		f := d.Schema.Feature(si)
		b := o.blocks[k]
		vals := d.Values[k]
		var term score.Term
		if b.levels == nil {
			term = score.Term{Feature: f.Name, Kind: score.LinearTerm, Coef: coef[b.first], Stats: numericStats(vals, d.Weights)}
			if x, ok := fill[f.Name]; ok {
				term.Fill = &x
			}
			term.Baseline = term.Coef * term.Stats.Mean
			sv, sy, sw, se := vals, y, d.Weights, d.Events
			if mask := filled[f.Name]; mask != nil {
				var out float64
				sv, sy, sw, se, out = unfilledRows(d, mask, vals, y)
				term.Stats = numericStats(sv, sw)
				term.Stats.Missing += out
			}
			term.Stats.DataTrend = dataTrend(f, sv, sy, sw)
			if binary {
				term.Stats.Cells = decileCells(f, sv, se, sw)
			}
		} else {
			term = score.Term{Feature: f.Name, Kind: score.CategoricalTerm, Reference: b.levels[0], Stats: &score.Stats{Count: wsum}}
			counts, events := map[string]float64{}, map[string]float64{}
			for r, v := range vals {
				counts[v.Label()] += metric.Weight(d.Weights, r)
				if binary && d.Events[r] {
					events[v.Label()] += metric.Weight(d.Weights, r)
				}
			}
			for l, lab := range b.levels {
				e := 0.0
				if l > 0 {
					e = coef[b.first+l-1]
				}
				term.Levels = append(term.Levels, score.Level{Label: lab, Effect: e, Count: counts[lab], Events: events[lab]})
				term.Baseline += e * counts[lab] / wsum
			}
		}
		out = append(out, term)
	}
	return out
}

// unseenEffects sets each categorical term's OtherEffect under policy u
// (see LogisticOptions.Unseen).
func unseenEffects(terms []score.Term, u UnseenPolicy) {
	if u == UnseenError {
		return
	}
	for j := range terms {
		t := &terms[j]
		if t.Kind != score.CategoricalTerm || len(t.Levels) == 0 {
			continue
		}
		e := t.Baseline
		if u == UnseenRiskiest {
			e = math.Inf(-1)
			for _, l := range t.Levels {
				e = max(e, l.Effect)
			}
		}
		t.OtherEffect = &e
	}
}

// levelsOf returns a categorical feature's levels: the schema's categories
// (sorted) when it lists them, plus any label seen in the data, sorted.
func levelsOf(f score.Feature, vals []score.Value) []string {
	set := map[string]bool{}
	for _, c := range f.Categories {
		set[c] = true
	}
	for _, v := range vals {
		set[v.Label()] = true
	}
	return slices.Sorted(maps.Keys(set))
}

func ones(n int) []float64 {
	o := make([]float64, n)
	for i := range o {
		o[i] = 1
	}
	return o
}

// unfilledRows returns the used rows of d whose table row is not marked in
// mask: their values, outcomes, weights (nil when d has none) and events
// (nil when d has none), and the weight of the rows left out.
func unfilledRows(d *Design, mask []bool, vals []score.Value, y []float64) ([]score.Value, []float64, []float64, []bool, float64) {
	var sv []score.Value
	var sy, sw []float64
	var se []bool
	var out float64
	for r, tr := range d.Rows {
		if tr < len(mask) && mask[tr] {
			out += metric.Weight(d.Weights, r)
			continue
		}
		sv, sy = append(sv, vals[r]), append(sy, y[r])
		if d.Weights != nil {
			sw = append(sw, d.Weights[r])
		}
		if d.Events != nil {
			se = append(se, d.Events[r])
		}
	}
	return sv, sy, sw, se, out
}

// numericStats summarises a numeric column: weighted count and mean,
// unweighted min, max and percentiles 0..100.
func numericStats(vals []score.Value, w []float64) *score.Stats {
	xs := make([]float64, 0, len(vals))
	var sw, sx float64
	st := &score.Stats{}
	for r, v := range vals {
		if !v.IsNum() {
			st.Missing += metric.Weight(w, r)
			continue
		}
		xs = append(xs, v.Float())
		sw += metric.Weight(w, r)
		sx += metric.Weight(w, r) * v.Float()
	}
	st.Count = sw
	if len(xs) == 0 {
		return st
	}
	slices.Sort(xs)
	st.Mean = sx / sw
	st.Min, st.Max = xs[0], xs[len(xs)-1]
	st.Quantiles = make([]float64, 101)
	for q := range st.Quantiles {
		st.Quantiles[q] = metric.Quantile(xs, float64(q)/100)
	}
	return st
}

// categoricalStats summarises a categorical column: the weighted count of
// rows with a value and of rows without one.
func categoricalStats(vals []score.Value, w []float64) *score.Stats {
	st := &score.Stats{}
	for r, v := range vals {
		if v.IsMissing() {
			st.Missing += metric.Weight(w, r)
		} else {
			st.Count += metric.Weight(w, r)
		}
	}
	return st
}

// TrendAlpha is the significance level of a feature's univariate training
// trend (Stats.DataTrend): the two-sided p-value of its Spearman rank
// correlation with the outcome must be below it.
const TrendAlpha = 0.01

// dataTrend is the univariate training trend of numeric feature f: the
// sign of the Spearman rank correlation of its values with y (the event
// indicator, or a linear model's response) when significant at TrendAlpha
// (two-sided, as scipy.stats.spearmanr), else 0. Missing values and the
// feature's special codes are left out.
func dataTrend(f score.Feature, vals []score.Value, y, w []float64) int {
	if f.Kind != score.Numeric || y == nil {
		return 0
	}
	special := f.SpecialCodes()
	xs := make([]float64, 0, len(vals))
	ys := make([]float64, 0, len(vals))
	var ws []float64
	for r, v := range vals {
		if !v.IsNum() || slices.Contains(special, v.Float()) {
			continue
		}
		xs = append(xs, v.Float())
		ys = append(ys, y[r])
		if w != nil {
			ws = append(ws, w[r])
		}
	}
	rho, p := metric.Spearman(xs, ys, ws)
	switch {
	case !(p < TrendAlpha):
		return 0
	case rho > 0:
		return 1
	case rho < 0:
		return -1
	}
	return 0
}

// decileCells groups the training rows of numeric feature f by the deciles
// of its values (special codes and missing values left out; equal deciles
// merged): the data support of advice (Stats.Cells).
func decileCells(f score.Feature, vals []score.Value, events []bool, w []float64) []score.Cell {
	special := f.SpecialCodes()
	var xs []float64
	for _, v := range vals {
		if v.IsNum() && !slices.Contains(special, v.Float()) {
			xs = append(xs, v.Float())
		}
	}
	if len(xs) == 0 {
		return nil
	}
	slices.Sort(xs)
	var cuts []float64
	for q := 1; q < 10; q++ {
		c := metric.Quantile(xs, float64(q)/10)
		if c > xs[0] && (len(cuts) == 0 || c > cuts[len(cuts)-1]) {
			cuts = append(cuts, c)
		}
	}
	cells := make([]score.Cell, len(cuts)+1)
	for k := range cells {
		if k > 0 {
			lo := cuts[k-1]
			cells[k].Lower = &lo
		}
		if k < len(cuts) {
			hi := cuts[k]
			cells[k].Upper = &hi
		}
	}
	for r, v := range vals {
		if !v.IsNum() || slices.Contains(special, v.Float()) {
			continue
		}
		k, _ := slices.BinarySearch(cuts, v.Float())
		if k < len(cuts) && cuts[k] == v.Float() {
			k++ // [lower, upper): a value on a cut belongs to the cell above
		}
		cells[k].Count += metric.Weight(w, r)
		if events[r] {
			cells[k].Events += metric.Weight(w, r)
		}
	}
	return cells
}

func deciles(scores []float64) []float64 {
	xs := slices.Clone(scores)
	slices.Sort(xs)
	out := make([]float64, 11)
	for q := range out {
		out[q] = metric.Quantile(xs, float64(q)/10)
	}
	return out
}

// FormatCoefficients renders the coefficient table as text (for the
// command line's stderr summary).
func (f *LogisticFit) FormatCoefficients() string {
	var b strings.Builder
	writeCoefficients(&b, f.Coefficients, "z")
	return b.String()
}

// writeCoefficients writes the coefficient table: name, estimate, standard
// error and the ratio of the two under the heading stat ("z" or "t").
func writeCoefficients(b *strings.Builder, cs []Coefficient, stat string) {
	fmt.Fprintf(b, "%-60s %14s %12s %9s\n", "column", "estimate", "std.err", stat)
	for _, c := range cs {
		if c.Aliased {
			fmt.Fprintf(b, "%-60s %14s %12s %9s\n", report.Trunc(c.Name, 60), "NA (aliased)", "", "")
			continue
		}
		fmt.Fprintf(b, "%-60s %14.6g %12.4g %9.3f\n", report.Trunc(c.Name, 60), c.Estimate, c.StdErr, c.Estimate/c.StdErr)
	}
}

func isFinite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// FormatUnseen declares, for each categorical term of m, what a category
// never seen in training gets at scoring time: its other bin (or other
// effect) with the points or log-odds it carries, or an ErrUnknownCategory
// error. Fit reports print it so the choice is stated, not discovered; a
// model without a categorical input gets a line that says so.
func FormatUnseen(m *score.Model) string {
	var b strings.Builder
	pairs := false
	for _, t := range m.Spec().Terms {
		f, ok := m.Schema().Lookup(t.Feature)
		if t.Kind == score.PairTerm {
			other := func(b score.Bin) bool { return b.Kind == score.OtherBin }
			pairs = pairs || slices.ContainsFunc(t.Bins, other) || slices.ContainsFunc(t.Pair.Bins, other)
			continue
		}
		if !ok || f.Kind != score.Categorical {
			continue
		}
		other, woe := -1, false
		for k, bin := range t.Bins {
			if bin.Kind == score.OtherBin {
				other = k
			}
			woe = woe || bin.WoE != 0
		}
		switch {
		case other >= 0 && !woe: // a boosted model's term: no weights of evidence
			fmt.Fprintf(&b, "%s: an unseen category gets the other bin, effect %.4g\n", t.Feature, t.Bins[other].Effect)
		case other >= 0:
			fmt.Fprintf(&b, "%s: an unseen category gets the other bin, effect %.4g (WoE %.4f)\n", t.Feature, t.Bins[other].Effect, t.Bins[other].WoE)
		case t.OtherEffect != nil:
			fmt.Fprintf(&b, "%s: an unseen category gets effect %.4g\n", t.Feature, *t.OtherEffect)
		case t.Kind == score.CategoricalTerm:
			fmt.Fprintf(&b, "%s: an unseen category is an error (unknown category)\n", t.Feature)
		default:
			fmt.Fprintf(&b, "%s: an unseen category is an error (unknown category); rare levels seen in training are pooled into bins\n", t.Feature)
		}
	}
	if pairs {
		b.WriteString("pair terms: an unseen category adds 0 points (no evidence of how it interacts)\n")
	}
	if b.Len() == 0 {
		return "none: the model has no categorical input\n"
	}
	return b.String()
}
