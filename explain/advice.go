package explain

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/candorscore/candor/score"
)

// Advice is what a reason tells the customer to do about its feature: the
// way an actionable feature would have to move to improve the result, in a
// direction the declarations allow and the training data agree with.
type Advice string

const (
	// AdviceIncrease: a higher value of a numeric feature would help.
	AdviceIncrease Advice = "increase"
	// AdviceDecrease: a lower value of a numeric feature would help.
	AdviceDecrease Advice = "decrease"
	// AdviceChange: another allowed label of a categorical feature would
	// help.
	AdviceChange Advice = "change"
)

// Reason codes for advice that is withheld (Reason.AdviceWithheld, JSON
// "advice_withheld"). Every reason of an explanation carries either an
// Advice or one of these; the reason itself is always given.
const (
	// WithheldNotActionable: the feature has no declared action (the
	// features file's "action", or Options.Actions): nobody said the
	// customer can change it, so it is immutable for advice.
	WithheldNotActionable = "not_actionable"
	// WithheldMissingValue: the customer's value is missing.
	WithheldMissingValue = "missing_value"
	// WithheldSpecialValue: the customer's value is a special code ("no
	// record"), not a quantity to move.
	WithheldSpecialValue = "special_value"
	// WithheldDeclaredDirection: what would help the model is not an
	// allowed move (the action's direction, order or transitions).
	WithheldDeclaredDirection = "against_declared_direction"
	// WithheldDeclaredTrend: what would help the model runs against the
	// feature's declared trend (ascending or descending).
	WithheldDeclaredTrend = "against_declared_trend"
	// WithheldDataTrend: what would help the model runs against the
	// feature's trend in the training data (Stats.DataTrend for a number;
	// for a category, no allowed better label has a lower training event
	// rate). Typical of collinear inputs whose coefficients alternate in
	// sign.
	WithheldDataTrend = "against_data_trend"
	// WithheldNoSupport: the model carries no training counts to support a
	// move (an imported model without them), or no training cell on the
	// helping side has a lower event rate than the customer's.
	WithheldNoSupport = "no_data_support"
	// WithheldShapeTurns: the feature's binned effect changes direction
	// more than once (two or more turns, a shape the fit chose from the
	// data: fit.TrendNone under the automatic trend), and its trend is not
	// declared. Which way is better then depends on exactly where the
	// customer stands and how far they move, so no direction is advised;
	// declaring the feature's trend (none included) decides it.
	WithheldShapeTurns = "shape_turns"
	// WithheldNoChange: no allowed value would improve the result (the
	// customer is at a declared bound, or the term cannot improve).
	WithheldNoChange = "no_allowed_change"
	// WithheldDerived: the feature is a derived input (declared "derived",
	// score.Derivation): it follows the features it is computed from and
	// never moves on its own, so advice goes to them (recourse moves them
	// and recomputes it).
	WithheldDerived = "derived"
)

// WithheldCodes lists the withholding codes in the order the rules are
// applied (the first that applies is reported).
var WithheldCodes = []string{WithheldDerived, WithheldNotActionable, WithheldMissingValue, WithheldSpecialValue,
	WithheldShapeTurns, WithheldNoChange, WithheldDeclaredDirection, WithheldDeclaredTrend, WithheldDataTrend, WithheldNoSupport}

// WithheldText explains a withholding code in a sentence for staff
// (reports, `candor check`); "" for an unknown code.
func WithheldText(code string) string {
	switch code {
	case WithheldDerived:
		return "it is derived from two other inputs (a \"derived\" declaration): it follows them, so advice goes to them"
	case WithheldNotActionable:
		return "the customer cannot change it: declared immutable, or no action declared (an \"action\" in the features file allows advice on it)"
	case WithheldMissingValue:
		return "the customer's value is missing"
	case WithheldSpecialValue:
		return "the customer's value is a special code, not a quantity"
	case WithheldDeclaredDirection:
		return "the change that would help is not an allowed move (direction, order or transitions)"
	case WithheldDeclaredTrend:
		return "the change that would help the model runs against the feature's declared trend"
	case WithheldDataTrend:
		return "the change that would help the model runs against the training data (the model's term disagrees with the data, often from collinear inputs)"
	case WithheldNoSupport:
		return "no training data supports a move: no cell on the helping side has a lower event rate"
	case WithheldShapeTurns:
		return "its effect changes direction more than once (a shape with two or more turns chosen from the training data, not declared), so neither a higher nor a lower value is reliably better (declare its \"trend\" to decide)"
	case WithheldNoChange:
		return "no allowed value would improve the result"
	}
	return ""
}

// DefaultMinChangeShare is the default min_change of a numeric feature, as
// a share of its training interquartile range (Q3 - Q1): a tenth. A change
// smaller than a tenth of the spread of the middle half of customers does
// not make the customer a different kind of customer; it only carries them
// across a bin edge or a rounding of the coefficient (percent of trades
// with a balance 64 -> 63; pay 30 more of a 5,000 bill). A tenth still
// lets a loan term of 24 months (IQR 12..24) move by 2 months. A feature
// whose IQR is 0 (most customers share one value) gets no minimum. Set
// Action.MinChange to choose another, 0 for none.
const DefaultMinChangeShare = 0.1

// ErrNothingActionable: recourse asked of a model none of whose inputs has
// a declared action. Actionability is declared, never assumed.
var ErrNothingActionable = errors.New("no model input is actionable")

// nothingActionable is ErrNothingActionable with how to declare actions.
func nothingActionable() error {
	return fmt.Errorf(`%w: declare how a customer may change a feature with an "action" in the features file `+
		`(--features: {"features": {"duration_in_month": {"action": {"direction": "decrease"}}}}) `+
		`or in an actions file (--actions: {"features": {"duration_in_month": {"direction": "decrease"}}}); `+
		`features without one are immutable`, ErrNothingActionable)
}

// resolveActions returns each term's action: the one in actions when it
// names the feature, else the feature's declared action (score.Feature.
// Action); nil when the feature is immutable (no action, declared
// immutable, listed in actions.Immutable, or not an input). settings[j] is
// the action's settings even when the feature is immutable (recourse
// prices immutability with them). Every problem is reported at once.
func resolveActions(m *score.Model, actions *Actions) ([]*score.Action, error) {
	acts, _, err := resolveActionSettings(m, actions)
	return acts, err
}

func resolveActionSettings(m *score.Model, actions *Actions) (acts, settings []*score.Action, err error) {
	if actions == nil {
		actions = &Actions{}
	}
	schema := m.Schema()
	var errs []error
	immutable := map[string]bool{}
	for _, name := range actions.Immutable {
		if schema.Index(name) < 0 {
			errs = append(errs, &score.FieldError{Feature: name, Err: fmt.Errorf("%w: immutable feature not in the model's schema", score.ErrUnknownFeature)})
		}
		immutable[name] = true
	}
	for _, name := range sortedMapKeys(actions.Features) {
		f, ok := schema.Lookup(name)
		if !ok {
			errs = append(errs, &score.FieldError{Feature: name, Err: fmt.Errorf("%w: action for a feature not in the model's schema", score.ErrUnknownFeature)})
			continue
		}
		fa := actions.Features[name]
		errs = append(errs, validateAction(&fa, f)...)
		if fm, ok := f.DerivedFrom(); ok && !fa.Immutable && !immutable[name] {
			errs = append(errs, &score.FieldError{Feature: name, Err: fmt.Errorf("%w: a derived input never moves on its own (it follows %s and %s): give the action to them, not to it", ErrActions, fm.Left, fm.Right)})
		}
		if f.Role == score.Protected && !fa.Immutable && !immutable[name] {
			errs = append(errs, &score.FieldError{Feature: name, Err: fmt.Errorf("%w: a protected attribute never changes; declare it immutable or leave it out", ErrActions)})
		}
	}
	out := make([]*score.Action, m.NumTerms())
	settings = make([]*score.Action, m.NumTerms())
	for j := range out {
		f := schema.Feature(m.TermFeature(j))
		var act *score.Action
		if fa, ok := actions.Features[f.Name]; ok {
			c := fa
			act = &c
		} else if f.Actionable() {
			c := *f.Action
			act = &c
			errs = append(errs, validateAction(act, f)...)
		}
		if act != nil && act.Direction == "both" {
			act.Direction = BothWays
		}
		settings[j] = act
		if immutable[f.Name] || act == nil || act.Immutable || f.Role != score.Input || f.Derived != nil {
			act = nil
		}
		out[j] = act
	}
	if err := errors.Join(errs...); err != nil {
		return nil, nil, err
	}
	return out, settings, nil
}

// cellStat is the training event rate and rows of one cell (a bin, a
// level, a numeric cell); ok is false when the model carries no counts for
// it. A binned term's cell also carries its effect (model units: the
// row-weighted mean of its bins' effects, as turns weighs them); hasEffect
// is false for any other cell and for a cell with a sloped bin.
type cellStat struct {
	rate, rows float64
	ok         bool
	effect     float64
	hasEffect  bool
}

func newCellStat(count, events float64) cellStat {
	if !(count > 0) {
		return cellStat{}
	}
	return cellStat{rate: events / count, rows: count, ok: true}
}

// lower reports whether c is supported as a move from cur: both known and
// c's event rate strictly lower.
func (c cellStat) lower(cur cellStat) bool { return c.ok && cur.ok && c.rate < cur.rate }

// supports reports whether c is supported as a move from cur for a model in
// which want times a higher effect is better: c's event rate is lower, and,
// when both cells carry their effects, c's effect is better too. The second
// rule matters where a cell pools narrow bins (a boosted model's): a move
// whose gain the cells do not show (to a cell whose rows the model scores
// worse, reaching a better narrow bin inside it) rests on that bin's few
// rows alone, as a move inside one cell does. A scorecard's bin is its own
// cell, so a move that gains already meets it.
func (c cellStat) supports(cur cellStat, want float64) bool {
	return c.lower(cur) && (!c.hasEffect || !cur.hasEffect || want*(c.effect-cur.effect) > 0)
}

// MinCellShare is the smallest share of a term's training rows that a
// cell of evidence holds. A binned term's range bins are pooled, in order,
// into cells of at least this share (binCells): advice and recourse judge
// a move by the event rates of these cells, so a move inside one cell is
// never supported, and a bin with fewer rows is said by the customer's
// value rather than by its range. 0.05 is the smallest pre-bin a scorecard
// rests on (optbinning's min_prebin_size, fit.Scorecard's pre-bins): the
// same evidence as a scorecard's bin, which a boosted model's fine bins
// (up to 1,024 a feature, some of one row) do not have on their own.
const MinCellShare = 0.05

// binCells returns the training cell of each bin and the rows a cell must
// hold (MinCellShare of all the bins' rows): the neighbouring range bins
// pooled in order until the pool holds that many rows (a last pool short
// of it joins the one before); every other bin is a cell of its own.
func binCells(bins []score.Bin) (cells []cellStat, minRows float64) {
	cells = make([]cellStat, len(bins))
	pools, minRows := rangePools(bins)
	var n, ev []float64
	var sum, w []float64 // per pool: weighted effect and weight (turns')
	var sloped []bool
	for k, b := range bins {
		if p := pools[k]; p >= 0 {
			for len(n) <= p {
				n, ev, sum, w, sloped = append(n, 0), append(ev, 0), append(sum, 0), append(w, 0), append(sloped, false)
			}
			wt := b.Count
			if minRows == 0 {
				wt = 1
			}
			n[p], ev[p], sum[p], w[p] = n[p]+b.Count, ev[p]+b.Events, sum[p]+wt*b.Effect, w[p]+wt
			sloped[p] = sloped[p] || b.Slope != 0
		}
	}
	for k, b := range bins {
		if p := pools[k]; p >= 0 {
			cells[k] = newCellStat(n[p], ev[p])
			cells[k].effect, cells[k].hasEffect = sum[p]/w[p], !sloped[p] && w[p] > 0
		} else {
			cells[k] = newCellStat(b.Count, b.Events)
			cells[k].effect, cells[k].hasEffect = b.Effect, b.Slope == 0
		}
	}
	return cells, minRows
}

// rangePools numbers the cells of binCells: pools[k] is the cell (0, 1, ...
// in order) of range bin k, -1 for any other bin; minRows is the rows a
// cell must hold. Neighbouring range bins are pooled in order until the
// pool holds minRows; a last pool short of it joins the one before.
func rangePools(bins []score.Bin) (pools []int, minRows float64) {
	pools = make([]int, len(bins))
	for _, b := range bins {
		minRows += b.Count
	}
	minRows *= MinCellShare
	id, open, n := 0, false, 0.0
	for k, b := range bins {
		if b.Kind != score.RangeBin {
			pools[k] = -1
			continue
		}
		pools[k], open, n = id, true, n+b.Count
		if n >= minRows {
			id, open, n = id+1, false, 0
		}
	}
	if open && id > 0 {
		for k := range pools {
			if pools[k] == id {
				pools[k] = id - 1
			}
		}
	}
	return pools, minRows
}

// termFacts is what advice needs to know about one term, copied once from
// the model so that the per-customer path reads it without allocating.
type termFacts struct {
	term     score.Term
	feat     score.Feature
	derived  bool          // a derived input: advice goes to its sources
	action   *score.Action // nil: immutable
	numeric  bool
	trend    int  // +1: event rate rises with the value; -1: falls; 0: unknown
	declared bool // trend is the declared one
	// shapeTurns: the term's effect turns twice or more and no trend is
	// declared: no directional advice, no recourse move (WithheldShapeTurns).
	shapeTurns bool
	specials   []float64
	dec        int // the decimals of the feature's training values (for words); -1: unknown
	// words are the bins as customer text words them: for a whole-valued
	// feature, a range bin holding one or two whole numbers of the
	// training range narrowed to them (nil when no bin is).
	words []score.Bin
	// Support: byPos per level or bin; for a linear term, cells with
	// their upper bounds (all but the last).
	byPos []cellStat
	// minRows is MinCellShare of a binned term's training rows: a range
	// bin with fewer is worded by the customer's value.
	minRows float64
	cells   []cellStat
	uppers  []float64
	known   bool // the term carries any training events at all
	// labels and their positions, for a categorical feature.
	labels []string
	labPos []int
}

// turns counts the changes of direction of a binned term's effect across
// its range bins, flat and in order (equal neighbours are no change), at
// the resolution of the cells of evidence (binCells): the effect of a cell
// is the row-weighted mean of its bins' effects (their plain mean in a
// model without counts), so a boosted model's fine bins turn only where
// cells of at least MinCellShare of the rows do; a scorecard's bins are
// their own cells. 0 for any other term or a sloped bin. One turn (a peak or a valley) is the
// training data's own shape (a scorecard's bins follow their event rates),
// so the one-signed Spearman trend of the feature does not describe it:
// advice on it is judged by the event rates of the bins alone (the support
// rule), as for a categorical feature. Two or more turns of a shape nobody
// declared withhold directional advice and recourse altogether (see
// WithheldShapeTurns and termFacts.shapeTurns).
func turns(t *score.Term) int {
	if t.Kind != score.BinnedTerm {
		return 0
	}
	pools, minRows := rangePools(t.Bins)
	var sum, w []float64 // per cell: weighted effect, weight
	for k, b := range t.Bins {
		p := pools[k]
		if p < 0 {
			continue
		}
		if b.Slope != 0 {
			return 0
		}
		for len(w) <= p {
			sum, w = append(sum, 0), append(w, 0)
		}
		wt := b.Count
		if minRows == 0 {
			wt = 1
		}
		sum[p], w[p] = sum[p]+wt*b.Effect, w[p]+wt
	}
	n, dir := 0, 0
	var prev float64
	first := true
	for p := range w {
		if !(w[p] > 0) {
			continue
		}
		e := sum[p] / w[p]
		if !first {
			d := 0
			switch {
			case e > prev:
				d = 1
			case e < prev:
				d = -1
			}
			if d != 0 && dir != 0 && d != dir {
				n++
			}
			if d != 0 {
				dir = d
			}
		}
		prev, first = e, false
	}
	return n
}

// shapeTurns reports whether the rule of WithheldShapeTurns applies to a
// term of feature f: f is numeric, its effect turns twice or more and f declares no trend
// (score.TrendAuto). Why refuse rather than follow the data as for one
// turn: with two turns the bins on one side of the customer are no longer
// all better or all worse than the bins beyond them, so "a higher value
// would help" holds only for a move that lands in the right bin and no
// further, which the words of advice cannot say; and the automatic shape
// may turn twice for the noise of a sample (each shape's candidate is its
// binning of highest information value, and between candidates with as many
// bins the criterion compares likelihood alone). Allowing only a move to a
// strictly better neighbouring bin was the alternative; it was not taken,
// as it still promises a direction beyond that bin. A declared trend, none
// included, is the user's statement about the shape and is followed as
// before.
func shapeTurns(t *score.Term, f score.Feature) bool {
	return turnsWithhold(f, turns(t))
}

// turnsWithhold is shapeTurns on a term whose turns are already counted:
// a numeric feature with no declared trend whose effect turns twice or more.
func turnsWithhold(f score.Feature, turns int) bool {
	return f.Kind == score.Numeric && f.Trend == score.TrendAuto && turns >= 2
}

func newTermFacts(m *score.Model, j int, act *score.Action) termFacts {
	t := m.Term(j)
	f := m.Schema().Feature(m.TermFeature(j))
	if t.Kind == score.PairTerm {
		// A pair reason carries no advice: what to change is one joint
		// choice over two features, which recourse answers.
		return termFacts{term: t, feat: pairFeature(f, m.Schema().Feature(m.PairFeature(j))), dec: -1}
	}
	tf := termFacts{term: t, feat: f, derived: f.Derived != nil, action: act, numeric: f.Kind == score.Numeric, specials: f.SpecialCodes()}
	for _, b := range t.Bins {
		if b.Kind == score.SpecialBin && b.Special != nil && !slices.Contains(tf.specials, *b.Special) {
			tf.specials = append(tf.specials, *b.Special)
		}
	}
	n := turns(&t)
	switch f.Trend {
	case score.Ascending:
		tf.trend, tf.declared = 1, true
	case score.Descending:
		tf.trend, tf.declared = -1, true
	default:
		if t.Stats != nil && n == 0 {
			tf.trend = t.Stats.DataTrend
		}
	}
	tf.shapeTurns = turnsWithhold(f, n)
	tf.dec = dataDecimals(t.Stats)
	tf.words = wholeWords(t, tf.dec)
	var events float64
	switch t.Kind {
	case score.CategoricalTerm:
		for k, l := range t.Levels {
			tf.byPos = append(tf.byPos, newCellStat(l.Count, l.Events))
			tf.labels = append(tf.labels, l.Label)
			tf.labPos = append(tf.labPos, k)
			events += l.Events
		}
	case score.BinnedTerm:
		tf.byPos, tf.minRows = binCells(t.Bins)
		for k, b := range t.Bins {
			events += b.Events
			if b.Kind == score.CategoryBin {
				for _, c := range b.Categories {
					tf.labels = append(tf.labels, c)
					tf.labPos = append(tf.labPos, k)
				}
			}
		}
	}
	if t.Stats != nil && tf.numeric {
		// The training deciles of a number: the cells of a linear term, and
		// of a sloped range bin (a linear term folded with special-code
		// bins, or a PMML ComplexPartialScore).
		for k, c := range t.Stats.Cells {
			tf.cells = append(tf.cells, newCellStat(c.Count, c.Events))
			if t.Kind == score.LinearTerm {
				events += c.Events
			}
			if k < len(t.Stats.Cells)-1 {
				tf.uppers = append(tf.uppers, bound(c.Upper, math.Inf(1)))
			}
		}
	}
	tf.known = events > 0
	return tf
}

// dataDecimals is the number of decimals a numeric feature's training
// values are written with, as far as its stored percentiles show
// (percentileDecimals), or -1 when they do not tell. The same test decides
// how recourse rounds stored percentiles.
// wholeWords returns the bins of binned term t narrowed, for words, to the
// whole numbers of the training range they hold when they hold one or two
// (a 0/1 flag's bin "< 1" holds 0, a bin "< 2" of 0..3 dependents 0 and
// 1), or nil when no bin is narrowed or the values are not whole (dec is
// their decimals).
func wholeWords(t score.Term, dec int) []score.Bin {
	lo, hi, ok := t.Stats.Range()
	if dec != 0 || t.Kind != score.BinnedTerm || !ok {
		return nil
	}
	var out []score.Bin
	for k, b := range t.Bins {
		if b.Kind != score.RangeBin {
			continue
		}
		l, h := math.Ceil(lo), math.Floor(hi)
		if b.Lower != nil {
			l = math.Max(l, math.Ceil(*b.Lower))
		}
		if b.Upper != nil {
			h = math.Min(h, math.Ceil(*b.Upper)-1)
		}
		if !(l <= h && h <= l+1) || (b.Lower != nil && l == *b.Lower && b.Upper != nil && h+1 == *b.Upper) {
			continue // more values, none, or the bin's own words say them
		}
		if out == nil {
			out = slices.Clone(t.Bins)
		}
		upper := h + 1
		out[k].Lower, out[k].Upper = &l, &upper
	}
	return out
}

func dataDecimals(st *score.Stats) int {
	if st == nil || len(st.Quantiles) < 2 {
		return -1
	}
	dec, ok := percentileDecimals(st.Quantiles, st.Count)
	if !ok {
		return -1
	}
	return dec
}

// percentileDecimals returns the decimals the training values are written
// with, as far as their type-7 percentiles q (0th..100th) over count rows
// show, and whether the percentiles agree with them. The minimum, the
// maximum and a percentile tied with a neighbour are values that occur in
// the data, so the values have at least as many decimals as those have
// (dec). The others are interpolated, and over 101 rows or more type-7
// percentiles of values on a grid (multiples of 10^-dec) never put two
// neighbouring percentiles inside one step of the grid: a percentile off
// the grid lies between two consecutive sorted values, the one below at
// or above its neighbour below, the one above at or below its neighbour
// above (neighbouring percentiles are at least one row apart). So when
// some percentile off the grid has a neighbour inside its step, the values
// have more decimals than the known ones show, and ok is false (a ratio
// whose minimum, maximum and only tied percentiles are 0 and whole numbers,
// with percentiles 0.0005 and 0.0023 next to each other). Under 101 rows
// the test says nothing, and ok is true.
func percentileDecimals(q []float64, count float64) (dec int, ok bool) {
	n := len(q) - 1
	for k, x := range q {
		if k == 0 || k == n || q[k-1] == x || (k < n && q[k+1] == x) {
			dec = max(dec, decimals(x))
		}
	}
	if count < 101 {
		return dec, true
	}
	p := math.Pow(10, float64(dec))
	for k := 1; k < n; k++ {
		x := q[k] * p
		if math.Round(x) == x {
			continue
		}
		tol := 1e-9 * max(1, math.Abs(x))
		if q[k-1]*p > math.Floor(x)+tol || q[k+1]*p < math.Ceil(x)-tol {
			return dec, false
		}
	}
	return dec, true
}

func bound(p *float64, def float64) float64 {
	if p == nil {
		return def
	}
	return *p
}

// isSpecial reports whether v (at position pos of the term) is one of the
// feature's special codes: a declared numeric code or a special bin, or a
// categorical label declared special.
func (tf *termFacts) isSpecial(v score.Value, pos int) bool {
	switch {
	case v.IsNum():
		if slices.Contains(tf.specials, v.Float()) {
			return true
		}
		return tf.term.Kind == score.BinnedTerm && pos >= 0 && pos < len(tf.term.Bins) && tf.term.Bins[pos].Kind == score.SpecialBin
	case v.IsCat():
		_, ok := tf.feat.Special[v.Label()]
		return ok
	}
	return false
}

// onLine reports whether the term scores position pos on a straight line:
// a linear term, or a sloped range bin.
func (tf *termFacts) onLine(pos int) bool {
	switch tf.term.Kind {
	case score.LinearTerm:
		return true
	case score.BinnedTerm:
		return pos >= 0 && pos < len(tf.term.Bins) && tf.term.Bins[pos].Kind == score.RangeBin && tf.term.Bins[pos].Slope != 0
	}
	return false
}

// byValue reports whether the cell of a value at position pos is its
// training decile (Stats.Cells) rather than its level or bin: for a linear
// term, and for a sloped range bin when the term has the deciles.
func (tf *termFacts) byValue(pos int) bool {
	return tf.onLine(pos) && (tf.term.Kind == score.LinearTerm || len(tf.cells) > 0)
}

// cellAt is the training cell of value v at position pos (m.Effect's).
func (tf *termFacts) cellAt(v score.Value, pos int) cellStat {
	if tf.byValue(pos) {
		if !v.IsNum() || len(tf.cells) == 0 {
			return cellStat{}
		}
		return tf.cells[tf.cellIndex(v.Float())]
	}
	if pos < 0 || pos >= len(tf.byPos) {
		return cellStat{}
	}
	return tf.byPos[pos]
}

// cellIndex is the index of the linear term's cell holding x.
func (tf *termFacts) cellIndex(x float64) int {
	k := 0
	for k < len(tf.uppers) && x >= tf.uppers[k] {
		k++
	}
	return k
}

// labelAllowed reports whether the action lets a categorical feature move
// from label from to label to (its transitions, and with an order its
// direction).
func labelAllowed(a *score.Action, from, to string) bool {
	if a.Transitions != nil && !slices.Contains(a.Transitions[from], to) {
		return false
	}
	if a.Order != nil {
		k0, k := slices.Index(a.Order, from), slices.Index(a.Order, to)
		if k0 < 0 || k < 0 || (a.Direction == IncreaseOnly && k < k0) || (a.Direction == DecreaseOnly && k > k0) {
			return false
		}
	}
	return true
}

// advise decides the advice of term j for value v at position pos: an
// Advice, or "" and the withholding code. want is +1 when a larger effect
// helps (PointsBelow), -1 otherwise. It allocates nothing.
func (tf *termFacts) advise(want float64, pos int, v score.Value) (Advice, string) {
	if tf.derived {
		return "", WithheldDerived
	}
	if tf.action == nil {
		return "", WithheldNotActionable
	}
	if v.IsMissing() {
		return "", WithheldMissingValue
	}
	if tf.isSpecial(v, pos) {
		return "", WithheldSpecialValue
	}
	if !tf.numeric {
		return tf.adviseLabel(want, pos, v)
	}
	if tf.shapeTurns {
		return "", WithheldShapeTurns
	}
	if !v.IsNum() {
		return "", WithheldNoChange
	}
	d := tf.direction(want, pos)
	if d == AnyDirection {
		return "", WithheldNoChange
	}
	// The way to the model's best bin first; for a binned term (whose
	// effect need not be monotone) the other way too, when the first is
	// not an honest move.
	dirs := [2]bool{d == Higher, d != Higher}
	n := 1
	if tf.term.Kind == score.BinnedTerm {
		n = 2
	}
	first := ""
	for i, up := range dirs[:n] {
		code := tf.checkMove(want, pos, v.Float(), up)
		if code == "" {
			if up {
				return AdviceIncrease, ""
			}
			return AdviceDecrease, ""
		}
		if i == 0 {
			first = code
		}
	}
	return "", first
}

// checkMove returns "" when moving the value x (at position pos) up or
// down is honest advice, else the withholding code: the declared bounds,
// the declared direction, the declared or the data's trend, the training
// support.
func (tf *termFacts) checkMove(want float64, pos int, x float64, up bool) string {
	a := tf.action
	if (up && a.Max != nil && x >= *a.Max) || (!up && a.Min != nil && x <= *a.Min) {
		return WithheldNoChange
	}
	if (up && a.Direction == DecreaseOnly) || (!up && a.Direction == IncreaseOnly) {
		return WithheldDeclaredDirection
	}
	if tf.trend != 0 && up == (tf.trend > 0) {
		if tf.declared {
			return WithheldDeclaredTrend
		}
		return WithheldDataTrend
	}
	if !tf.supportedMove(want, pos, x, up) {
		return WithheldNoSupport
	}
	return ""
}

// supportedMove reports whether some training cell on the helping side of
// x (up or down), within the action's bounds and (for bins) with a better
// effect, has a lower event rate than x's own cell.
func (tf *termFacts) supportedMove(want float64, pos int, x float64, up bool) bool {
	a := tf.action
	inBounds := func(lo, hi float64) bool { // the cell [lo, hi) meets [Min, Max]
		return (a.Max == nil || lo <= *a.Max) && (a.Min == nil || hi > *a.Min)
	}
	if tf.byValue(pos) {
		if len(tf.cells) == 0 {
			return false
		}
		k := tf.cellIndex(x)
		cur := tf.cells[k]
		for i := range tf.cells {
			if (up && i <= k) || (!up && i >= k) {
				continue
			}
			lo, hi := math.Inf(-1), math.Inf(1)
			if i > 0 {
				lo = tf.uppers[i-1]
			}
			if i < len(tf.uppers) {
				hi = tf.uppers[i]
			}
			if inBounds(lo, hi) && tf.cells[i].lower(cur) {
				return true
			}
		}
		return false
	}
	bins := tf.term.Bins
	if pos < 0 || pos >= len(bins) {
		return false
	}
	cur, cb := tf.byPos[pos], bins[pos]
	curBest, _ := effectSpan(cb, tf.term.Stats, want)
	for k, b := range bins {
		if k == pos || b.Kind != score.RangeBin {
			continue
		}
		lo, hi := bound(b.Lower, math.Inf(-1)), bound(b.Upper, math.Inf(1))
		if up && lo < bound(cb.Upper, math.Inf(1)) || !up && hi > bound(cb.Lower, math.Inf(-1)) {
			continue
		}
		if best, _ := effectSpan(b, tf.term.Stats, want); best <= curBest && b.Slope == 0 && cb.Slope == 0 {
			continue
		}
		if inBounds(lo, hi) && tf.byPos[k].supports(cur, want) {
			return true
		}
	}
	return false
}

// effectSpan returns the best and worst of a bin's effect times want.
func effectSpan(b score.Bin, st *score.Stats, want float64) (best, worst float64) {
	lo, hi := b.EffectRange(st)
	return math.Max(lo*want, hi*want), math.Min(lo*want, hi*want)
}

// adviseLabel is advise for a categorical feature: "change" when some
// allowed label with a better effect has a lower training event rate.
func (tf *termFacts) adviseLabel(want float64, pos int, v score.Value) (Advice, string) {
	if !v.IsCat() || pos < 0 || pos >= len(tf.byPos) {
		return "", WithheldNoChange // an unseen label or a missing one
	}
	from := v.Label()
	cur := tf.byPos[pos]
	better, allowed := false, false
	for i := range tf.labels {
		gain, ok := tf.labelMove(want, pos, from, i)
		if !(gain > 0) {
			continue
		}
		better = true
		if !ok {
			continue
		}
		allowed = true
		if tf.byPos[tf.labPos[i]].lower(cur) {
			return AdviceChange, ""
		}
	}
	switch {
	case !better:
		return "", WithheldNoChange
	case !allowed:
		return "", WithheldDeclaredDirection
	case !tf.known || !cur.ok:
		return "", WithheldNoSupport
	}
	return "", WithheldDataTrend
}

// labelMove is the move from label from, at position pos, to label i of
// the term: its gain in effect (want times the difference; 0 for a label
// of the same level or bin), and whether it is allowed (no special value,
// within the declared order and transitions).
func (tf *termFacts) labelMove(want float64, pos int, from string, i int) (gain float64, allowed bool) {
	l, p := tf.labels[i], tf.labPos[i]
	if l == from || p == pos {
		return 0, false
	}
	_, special := tf.feat.Special[l]
	return want * (tf.effectAt(p) - tf.effectAt(pos)), !special && labelAllowed(tf.action, from, l)
}

// betterLabels lists the labels adviseLabel would accept as the move
// behind its "change" from position pos: allowed, not a special value, in
// another level or bin with a better effect and a lower training event rate.
// Best effect first; ties in the term's label order.
func (tf *termFacts) betterLabels(want float64, pos int, v score.Value) []string {
	if !v.IsCat() || pos < 0 || pos >= len(tf.byPos) {
		return nil
	}
	type move struct {
		label string
		gain  float64
	}
	var moves []move
	for i, l := range tf.labels {
		if gain, ok := tf.labelMove(want, pos, v.Label(), i); gain > 0 && ok && tf.byPos[tf.labPos[i]].lower(tf.byPos[pos]) {
			moves = append(moves, move{l, gain})
		}
	}
	slices.SortStableFunc(moves, func(a, b move) int { return cmp.Compare(b.gain, a.gain) })
	out := make([]string, len(moves))
	for i, m := range moves {
		out[i] = m.label
	}
	return out
}

// effectAt is the effect of the term's level or bin at position p.
func (tf *termFacts) effectAt(p int) float64 {
	if tf.term.Kind == score.CategoricalTerm {
		return tf.term.Levels[p].Effect
	}
	return tf.term.Bins[p].Effect
}

// direction is Explainer.Direction over the copied term: which way the
// feature would have to move from position pos to improve the outcome.
func (tf *termFacts) direction(want float64, pos int) Direction {
	t := &tf.term
	switch t.Kind {
	case score.LinearTerm:
		return directionOf(t.Coef * want)
	case score.BinnedTerm:
		if pos < 0 || pos >= len(t.Bins) || t.Bins[pos].Kind != score.RangeBin {
			return AnyDirection
		}
		good := func(b score.Bin) float64 {
			best, _ := effectSpan(b, t.Stats, want)
			return best
		}
		best := -1
		for k, b := range t.Bins {
			if b.Kind == score.RangeBin && (best < 0 || good(b) > good(t.Bins[best])) {
				best = k
			}
		}
		cur, bb := t.Bins[pos], t.Bins[best]
		if good(bb) <= good(cur) {
			return directionOf(cur.Slope * want)
		}
		switch {
		case bb.Lower != nil && cur.Upper != nil && *bb.Lower >= *cur.Upper:
			return Higher
		case bb.Upper != nil && cur.Lower != nil && *bb.Upper <= *cur.Lower:
			return Lower
		}
	}
	return AnyDirection
}
