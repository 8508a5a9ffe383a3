package explain

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"

	"github.com/candorscore/candor/internal/metric"
	"github.com/candorscore/candor/score"
)

// ActionSpace is a model together with what may change on each of its input
// features and at what cost: the compiled form of Actions. Build it once
// with NewActionSpace and call Recourse per customer. An ActionSpace is
// immutable and safe for concurrent use. The zero ActionSpace has no model:
// Recourse and MinimalCosts return ErrNotBuilt.
type ActionSpace struct {
	m     *score.Model
	sign  float64 // gain = sign * (new effect - current effect)
	feats []rcFeature
	// Features that interact through pair terms, grouped (recourse_pairs.go).
	comps []rcComponent
	comp  []int // comp[j]: the component of term j's feature, -1 when in no pair
}

// rcFeature is the compiled action set of one model term.
type rcFeature struct {
	term, col int
	pair      bool       // a pair term: its features are chosen jointly (comps)
	derived   *rcDerived // a derived input: it follows its sources (comps)
	feat      score.Feature
	numeric   bool
	immutable bool
	dir       ActionDirection
	lo, hi    float64   // numeric bounds, inclusive (±Inf when none)
	quant     []float64 // training percentiles 0..100; nil when unknown
	cpu       float64   // cost per unit; < 0 when not given
	change    float64   // flat categorical change cost; < 0 when not given
	order     map[string]int
	mid       map[string]float64 // ordered labels: mid-percentile in [0, 1]
	trans     map[string]map[string]bool
	transCost map[string]map[string]float64
	share     map[string]float64 // categorical: training share of each label
	cands     []rcCand
	minChange float64    // numeric: smallest change proposed
	facts     *termFacts // trend, special codes, training cells
}

// rcCand is one value a feature may take, with its term effect.
type rcCand struct {
	v        score.Value
	effect   float64
	pct      float64 // numeric: training percentile in [0, 1]
	inBounds bool
	cell     cellStat // the training cell the value falls in
}

// NewActionSpace compiles actions for model m. train, when not nil, is the
// training data (or any reference population) with a column per feature: it
// supplies the values seen in data (the candidate grid of numeric
// features), their percentiles (default bounds and costs) and label shares.
// Without it, each term's stored Stats.Quantiles and level or bin counts
// are used.
//
// Actionability is declared, never assumed: a feature may change only when
// actions names it under Features, or the model's schema declares its
// action (score.Feature.Action, from the features file) and actions does
// not make it immutable. Every other input is immutable, and protected
// features never change. A model with no actionable input is an
// ErrNothingActionable error that says how to declare one. Beyond the
// declared actions, a change is proposed only when it is honest (see
// RecourseOptions and Change): never to or from a special code, never
// against the feature's declared trend or its training data trend
// (score.Stats.DataTrend), never of a feature whose undeclared shape turns
// twice or more (WithheldShapeTurns), of at least the feature's min_change (default
// DefaultMinChangeShare of its interquartile range), and, unless
// RecourseOptions.AllowUnsupported, to a cell with a lower training event
// rate (and, for a binned term, a better effect than the current cell's).
//
// Every problem with actions is reported at once, each a *score.FieldError
// naming the feature and wrapping ErrActions (or score.ErrUnknownFeature).
// Linear models have no probability to move: ErrRecourseModel.
func NewActionSpace(m *score.Model, actions *Actions, train *score.Table) (*ActionSpace, error) {
	if m == nil {
		return nil, fmt.Errorf("%w: nil model", ErrRecourseModel)
	}
	s := &ActionSpace{m: m}
	switch m.Kind() {
	case score.LogisticModel:
		s.sign = -1 // lower log-odds of the event is better
	case score.ScorecardModel:
		s.sign = 1 // more points is better
	default:
		return nil, fmt.Errorf("%w: model kind %q", ErrRecourseModel, m.Kind())
	}
	acts, settings, err := resolveActionSettings(m, actions)
	if err != nil {
		return nil, err
	}
	if !slices.ContainsFunc(acts, func(a *score.Action) bool { return a != nil }) {
		return nil, nothingActionable()
	}
	var errs []error
	s.feats = make([]rcFeature, m.NumTerms())
	for j := range s.feats {
		if m.TermKind(j) == score.PairTerm {
			s.feats[j] = rcFeature{term: j, col: m.TermFeature(j), pair: true, immutable: true}
			continue
		}
		var fa FeatureAction
		if settings[j] != nil {
			fa = *settings[j] // an immutable feature keeps its grid and costs, to price its immutability
		}
		f, err := s.compileFeature(j, fa, acts[j] == nil, train)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if fm, ok := f.feat.DerivedFrom(); ok {
			sch := m.Schema()
			l, r := sch.Index(fm.Left), sch.Index(fm.Right)
			f.derived = &rcDerived{d: f.feat.Derived, f: fm, left: l, right: r, leftTerm: m.TermOf(fm.Left), rightTerm: m.TermOf(fm.Right),
				leftCodes: sch.Feature(l).SpecialCodes(), rightCodes: sch.Feature(r).SpecialCodes()}
		}
		s.feats[j] = f
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	if err := s.components(); err != nil {
		return nil, err
	}
	return s, nil
}

// Model returns the model the action space was built for.
func (s *ActionSpace) Model() *score.Model { return s.m }

func (s *ActionSpace) compileFeature(j int, fa FeatureAction, immutable bool, train *score.Table) (rcFeature, error) {
	m := s.m
	t := m.Term(j)
	col := m.TermFeature(j)
	f := m.Schema().Feature(col)
	var act *score.Action
	if !immutable {
		act = &fa
	}
	facts := newTermFacts(m, j, act)
	rf := rcFeature{term: j, col: col, feat: f, numeric: f.Kind == score.Numeric, immutable: immutable,
		dir: fa.Direction, lo: math.Inf(-1), hi: math.Inf(1), cpu: -1, change: -1, facts: &facts}
	specials := facts.specials
	if rf.dir == "both" {
		rf.dir = BothWays
	}
	if fa.CostPerUnit != nil {
		rf.cpu = *fa.CostPerUnit
	}
	if fa.ChangeCost != nil {
		rf.change = *fa.ChangeCost
	}
	seenOnly := fa.SeenOnly == nil || *fa.SeenOnly
	bad := func(format string, args ...any) error {
		return &score.FieldError{Feature: f.Name, Err: fmt.Errorf("%w: "+format, append([]any{ErrActions}, args...)...)}
	}
	tcol := -1
	if train != nil {
		tcol = train.Column(f.Name)
	}
	if rf.numeric {
		var seen []float64 // sorted, distinct
		if tcol >= 0 {
			xs := make([]float64, 0, train.Len())
			for i := 0; i < train.Len(); i++ {
				c := train.Cell(i, tcol)
				if c == "" {
					continue
				}
				x, err := score.ParseNumber(c)
				if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
					return rf, &score.FieldError{Row: i + 1, Feature: f.Name, Value: strconv.Quote(c), Err: fmt.Errorf("%w: training value is not a finite number", ErrActions)}
				}
				if slices.Contains(specials, x) {
					continue // a code, not a quantity: no part of percentiles or candidates
				}
				xs = append(xs, x)
			}
			if len(xs) > 0 {
				slices.Sort(xs)
				rf.quant = make([]float64, 101)
				for q := range rf.quant {
					rf.quant[q] = metric.Quantile(xs, float64(q)/100)
				}
				seen = slices.Compact(xs)
			}
		}
		if rf.quant == nil && t.Stats != nil && len(t.Stats.Quantiles) > 1 {
			rf.quant = slices.Clone(t.Stats.Quantiles)
			if !slices.IsSorted(rf.quant) {
				return rf, bad("the model's stored percentiles are not in ascending order")
			}
			seen = snapPercentiles(rf.quant, t.Stats.Count)
		}
		if n := len(rf.quant); n > 0 {
			rf.lo, rf.hi = rf.quant[min(1, n-1)], rf.quant[max(n-2, 0)]
		}
		if fa.Min != nil {
			rf.lo = *fa.Min
		}
		if fa.Max != nil {
			rf.hi = *fa.Max
		}
		switch {
		case fa.MinChange != nil:
			rf.minChange = *fa.MinChange
		case len(rf.quant) == 101:
			rf.minChange = DefaultMinChangeShare * (rf.quant[75] - rf.quant[25])
		}
		// An immutable feature keeps its candidates (when it has any) only to
		// report what its immutability costs a customer.
		if rf.quant == nil && rf.cpu < 0 && !immutable {
			return rf, bad("no training values to price a change: give a training table, cost_per_unit, or make it immutable")
		}
		vals := slices.Clone(fa.Grid)
		if vals == nil {
			vals = slices.Clone(seen)
			if !seenOnly {
				vals = append(vals, rf.quant...)
			}
			if t.Kind == score.BinnedTerm {
				for _, b := range t.Bins {
					if b.Kind != score.RangeBin || b.Lower == nil {
						continue
					}
					// A bin edge is proposed when told to, or when no seen
					// value falls in the bin (no training table at hand).
					// An edge between values of known decimals is proposed
					// as the first such value in the bin (not 37.5 months
					// for a bin [37.5, 39.5) of whole months, but 38).
					x := *b.Lower
					if facts.dec >= 0 && facts.dec < 6 {
						if x = ceilDecimals(x, facts.dec); !inRange(b, x) {
							continue
						}
					}
					if !seenOnly || !slices.ContainsFunc(seen, func(x float64) bool { return inRange(b, x) }) {
						vals = append(vals, x)
					}
				}
			}
		}
		if len(vals) == 0 && !immutable {
			return rf, bad("no candidate values: give a training table or a grid, or make it immutable")
		}
		slices.Sort(vals)
		vals = slices.Compact(vals)
		for _, x := range vals {
			v := score.Num(x)
			e, pos, err := m.Effect(j, v)
			if err != nil {
				continue
			}
			if facts.isSpecial(v, pos) {
				continue // special codes ("no record") are not something to move to
			}
			c := rcCand{v: v, effect: e, inBounds: x >= rf.lo && x <= rf.hi, cell: facts.cellAt(v, pos)}
			if rf.quant != nil {
				c.pct = percentileOf(rf.quant, x)
			}
			rf.cands = append(rf.cands, c)
		}
		return rf, nil
	}
	// Categorical.
	var labels []string
	counts := map[string]float64{}
	switch t.Kind {
	case score.CategoricalTerm:
		for _, l := range t.Levels {
			labels = append(labels, l.Label)
			counts[l.Label] = l.Count
		}
	case score.BinnedTerm:
		for _, b := range t.Bins {
			if b.Kind != score.CategoryBin {
				continue
			}
			for _, c := range b.Categories {
				labels = append(labels, c)
				counts[c] = b.Count / float64(len(b.Categories))
			}
		}
	}
	if tcol >= 0 {
		counts = map[string]float64{}
		for i := 0; i < train.Len(); i++ {
			if c := train.Cell(i, tcol); c != "" {
				counts[c]++
			}
		}
	}
	var total float64
	for _, l := range labels {
		total += counts[l]
	}
	rf.share = make(map[string]float64, len(labels))
	for _, l := range labels {
		if total > 0 {
			rf.share[l] = counts[l] / total
		} else {
			rf.share[l] = 1 / float64(len(labels))
		}
	}
	known := func(l string) bool { _, ok := rf.share[l]; return ok }
	for _, l := range fa.Order {
		if !known(l) {
			return rf, bad("label %q in order is not a level of the model", l)
		}
	}
	for _, from := range sortedMapKeys(fa.Transitions) {
		for _, to := range append([]string{from}, fa.Transitions[from]...) {
			if !known(to) {
				return rf, bad("label %q in transitions is not a level of the model", to)
			}
		}
	}
	for _, from := range sortedMapKeys(fa.TransitionCosts) {
		for _, to := range append([]string{from}, sortedMapKeys(fa.TransitionCosts[from])...) {
			if !known(to) {
				return rf, bad("label %q in transition costs is not a level of the model", to)
			}
		}
	}
	if fa.Order != nil {
		rf.order = make(map[string]int, len(fa.Order))
		rf.mid = make(map[string]float64, len(fa.Order))
		var tot, cum float64
		for _, l := range fa.Order {
			tot += rf.share[l]
		}
		for k, l := range fa.Order {
			rf.order[l] = k
			if tot > 0 {
				rf.mid[l] = (cum + rf.share[l]/2) / tot
			} else {
				rf.mid[l] = (float64(k) + 0.5) / float64(len(fa.Order))
			}
			cum += rf.share[l]
		}
	}
	if fa.Transitions != nil {
		rf.trans = make(map[string]map[string]bool, len(fa.Transitions))
		for from, tos := range fa.Transitions {
			rf.trans[from] = make(map[string]bool, len(tos))
			for _, to := range tos {
				rf.trans[from][to] = true
			}
		}
	}
	rf.transCost = fa.TransitionCosts
	for _, l := range labels {
		if seenOnly && total > 0 && counts[l] == 0 {
			continue
		}
		v := score.Cat(l)
		e, pos, err := m.Effect(j, v)
		if err != nil || facts.isSpecial(v, pos) {
			continue
		}
		rf.cands = append(rf.cands, rcCand{v: v, effect: e, inBounds: true, cell: facts.cellAt(v, pos)})
	}
	return rf, nil
}

// snapPercentiles turns stored percentiles over count training rows into
// candidate values when no training table is at hand: the minimum, the
// maximum and tied percentiles are values that occur in the data; the
// others are interpolated, and are rounded to the decimals the data are
// written with (percentileDecimals: so a whole-number feature proposes
// whole numbers), or to 6 decimals when the percentiles show more
// decimals than the known values have. Sorted and distinct.
func snapPercentiles(q []float64, count float64) []float64 {
	dec, ok := percentileDecimals(q, count)
	if !ok {
		dec = 6
	}
	p := math.Pow(10, float64(dec))
	out := make([]float64, len(q))
	for k, x := range q {
		out[k] = math.Round(x*p) / p
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// decimals is the number of decimals (at most 6) that x needs.
func decimals(x float64) int {
	for d := 0; d < 6; d++ {
		p := math.Pow(10, float64(d))
		if math.Round(x*p)/p == x {
			return d
		}
	}
	return 6
}

// ceilDecimals is the first number of dec decimals (dec < 6) at or above
// x: a cut between values of dec decimals (a boosted bin edge, the
// midpoint of two training values) said as the first value above it.
func ceilDecimals(x float64, dec int) float64 {
	if decimals(x) <= dec {
		return x
	}
	p := math.Pow(10, float64(dec))
	return math.Ceil(x*p) / p
}

func inRange(b score.Bin, x float64) bool {
	return (b.Lower == nil || x >= *b.Lower) && (b.Upper == nil || x < *b.Upper)
}

// percentileOf returns the training percentile of x in [0, 1] from the
// percentiles q[0..n] (ascending): linear interpolation between
// neighbouring percentiles, the middle of a run of equal percentiles for a
// tied value, 0 below the minimum and 1 above the maximum.
func percentileOf(q []float64, x float64) float64 {
	n := len(q) - 1
	if n <= 0 {
		return 0
	}
	lo := sort.SearchFloat64s(q, x)                                     // first q[i] >= x
	hi := sort.Search(len(q), func(i int) bool { return q[i] > x }) - 1 // last q[i] <= x
	switch {
	case lo > n:
		return 1
	case hi < 0:
		return 0
	case lo <= hi:
		return float64(lo+hi) / 2 / float64(n)
	}
	return (float64(hi) + (x-q[hi])/(q[lo]-q[hi])) / float64(n)
}

// lift says which constraints to ignore, to measure what they cost.
type lift uint8

const (
	liftImmutable lift = 1 << iota
	liftDirection
	liftBounds
	liftTransitions
	liftTrend   // moves against the declared or the data's trend
	liftSupport // moves to a cell whose event rate is not lower
	// liftGain keeps every allowed move whatever its gain on the feature's
	// own term, unpruned: the moves of a feature in a pair term, whose
	// worth depends on the other feature's choice.
	liftGain
	// liftShape lets a feature whose undeclared shape turns twice or more
	// move at all (WithheldShapeTurns): it has no moves otherwise.
	liftShape
	// liftAll lifts the declared constraints, to price immutability; the
	// rules of honest advice (trend, support, special codes, min_change)
	// stay.
	liftAll = liftImmutable | liftDirection | liftBounds | liftTransitions
)

// rcOption is one allowed change of one feature for one customer.
type rcOption struct {
	cand       int32
	gain, cost float64 // gain in score units toward the favourable side
	// joint is 0 for a change of one feature (cand is its candidate), else
	// 1 + the index of a joint choice over interacting features
	// (rcJoints): cost is the sum of its changes' costs.
	joint int32
}

// currentCell is the training cell of the customer's value x of f.
func (s *ActionSpace) currentCell(f *rcFeature, x score.Value) cellStat {
	_, pos, err := s.m.Effect(f.term, x)
	if err != nil {
		return cellStat{}
	}
	return f.facts.cellAt(x, pos)
}

// options appends the customer's allowed changes of feature f (current
// value x with effect e0), Pareto-pruned: sorted by cost ascending with gain
// strictly ascending (a change that costs as much or more than another and
// gains no more is dropped; it never appears in a cheapest answer). A
// customer at a special code or a missing value has none; a change is
// allowed when it keeps the declared constraints and is honest: not
// against the trend, at least min_change, and (unless allow) to a cell
// with a lower training event rate.
func (s *ActionSpace) options(dst []rcOption, f *rcFeature, x score.Value, e0 float64, l lift, allow bool) []rcOption {
	if f.immutable && l&liftImmutable == 0 {
		return dst
	}
	if x.IsMissing() {
		return dst
	}
	_, pos, err := s.m.Effect(f.term, x)
	if err != nil || f.facts.isSpecial(x, pos) {
		return dst
	}
	cur := f.facts.cellAt(x, pos)
	supported := func(c *rcCand) bool { return allow || l&liftSupport != 0 || c.cell.supports(cur, s.sign) }
	if f.numeric {
		if !x.IsNum() || (f.facts.shapeTurns && l&liftShape == 0) {
			return dst
		}
		return s.numericOptions(dst, f, x.Float(), e0, l, supported)
	}
	if !x.IsCat() {
		return dst
	}
	start := len(dst)
	from := x.Label()
	k0, ordered0 := f.order[from]
	for i := range f.cands {
		c := &f.cands[i]
		to := c.v.Label()
		if to == from {
			continue
		}
		if f.order != nil && l&liftDirection == 0 {
			k, ok := f.order[to]
			if !ok || !ordered0 || (f.dir == IncreaseOnly && k < k0) || (f.dir == DecreaseOnly && k > k0) {
				continue
			}
		}
		if f.trans != nil && l&liftTransitions == 0 && !f.trans[from][to] {
			continue
		}
		if !supported(c) {
			continue
		}
		gain := s.sign * (c.effect - e0)
		if !(gain > 0) && l&liftGain == 0 {
			continue
		}
		var cost float64
		if tc, ok := f.transCost[from][to]; ok {
			cost = tc
		} else if f.change >= 0 {
			cost = f.change
		} else if mt, ok := f.mid[to]; ok && ordered0 {
			cost = math.Abs(mt - f.mid[from])
		} else {
			cost = 1 - f.share[to]
		}
		dst = append(dst, rcOption{cand: int32(i), gain: gain, cost: cost})
	}
	opts := dst[start:]
	slices.SortFunc(opts, func(a, b rcOption) int {
		switch {
		case a.cost != b.cost:
			return metric.Compare(a.cost, b.cost)
		case a.gain != b.gain:
			return metric.Compare(b.gain, a.gain)
		}
		return int(a.cand - b.cand)
	})
	if l&liftGain != 0 {
		return dst
	}
	return dst[:start+len(pareto(opts))]
}

// numericOptions is options for a numeric feature. The cost of a move grows
// with its distance from x on either side (a percentile shift or a cost per
// unit), so walking outwards from x on both sides and merging the two walks
// yields the moves in cost order without sorting.
func (s *ActionSpace) numericOptions(dst []rcOption, f *rcFeature, x, e0 float64, l lift, supported func(*rcCand) bool) []rcOption {
	var p0 float64
	if f.quant != nil {
		p0 = percentileOf(f.quant, x)
	}
	cs := f.cands
	hi := sort.Search(len(cs), func(i int) bool { return cs[i].v.Float() > x }) // first above x
	lo := hi - 1
	if lo >= 0 && cs[lo].v.Float() == x {
		lo--
	}
	if (f.dir == IncreaseOnly && l&liftDirection == 0) || lo < 0 {
		lo = -1
	}
	if f.dir == DecreaseOnly && l&liftDirection == 0 {
		hi = len(cs)
	}
	cost := func(i int) float64 {
		if f.cpu >= 0 {
			return f.cpu * math.Abs(cs[i].v.Float()-x)
		}
		return math.Abs(cs[i].pct - p0)
	}
	start := len(dst)
	best, last := 0.0, math.Inf(-1)
	trend := f.facts.trend
	if l&liftTrend != 0 {
		trend = 0
	}
	keep := func(i int, c float64) {
		if !cs[i].inBounds && l&liftBounds == 0 {
			return
		}
		y := cs[i].v.Float()
		if math.Abs(y-x) < f.minChange || (trend > 0 && y > x) || (trend < 0 && y < x) || !supported(&cs[i]) {
			return
		}
		gain := s.sign * (cs[i].effect - e0)
		if l&liftGain != 0 {
			dst = append(dst, rcOption{cand: int32(i), gain: gain, cost: c})
			return
		}
		if !(gain > best) {
			return
		}
		best = gain
		if len(dst) > start && c == last {
			dst[len(dst)-1] = rcOption{cand: int32(i), gain: gain, cost: c}
			return
		}
		dst = append(dst, rcOption{cand: int32(i), gain: gain, cost: c})
		last = c
	}
	var cl, ch float64
	if lo >= 0 {
		cl = cost(lo)
	}
	if hi < len(cs) {
		ch = cost(hi)
	}
	for lo >= 0 || hi < len(cs) {
		if hi >= len(cs) || (lo >= 0 && cl <= ch) {
			keep(lo, cl)
			if lo--; lo >= 0 {
				cl = cost(lo)
			}
		} else {
			keep(hi, ch)
			if hi++; hi < len(cs) {
				ch = cost(hi)
			}
		}
	}
	return dst
}

// pareto keeps, of options sorted by cost (then gain descending), those
// whose gain beats every cheaper one's, in place.
func pareto(opts []rcOption) []rcOption {
	kept := opts[:0]
	best := 0.0
	for _, o := range opts {
		if o.gain > best {
			kept = append(kept, o)
			best = o.gain
		}
	}
	return kept
}
