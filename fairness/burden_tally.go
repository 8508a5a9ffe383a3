package fairness

import (
	"encoding/binary"
	"fmt"
	"math"
	"slices"

	"github.com/candorscore/candor/internal/metric"
)

// BurdenTally is the mergeable summary of a recourse burden
// (RecourseBurdens): per intersection group of the group columns, the rows
// with the adverse outcome, those among them with a recourse, the exact
// sum of their minimal costs and, with BurdenOptions.Bootstrap, the
// bootstrap's per-replicate sums. Rows are added one at a time (Add);
// tallies of disjoint parts of the rows combine with Merge; Burdens turns
// a tally into RecourseBurdens' result. Memory depends on the groups and
// the replicates, never on the rows, so one core, many cores, a stream and
// a cluster compute the same burden, and RecourseBurden is a BurdenTally
// over its rows.
//
// What is exact: counts, shares and their Wilson intervals, and the mean
// costs, for any split of the rows: each sum of costs is kept exactly (an
// expansion of non-overlapping float64s, Shewchuk 1997) and rounded once,
// so it does not depend on the order the costs were added in.
//
// The bootstrap is the Poisson bootstrap (as Tally's for weighted data):
// a feasible adverse row enters replicate r with a Poisson(1) multiplicity
// drawn from a hash of (Seed, BurdenRow.Index, r), so any split of the
// rows gives the same replicates; the replicate sums are plain float64
// sums, equal across splits up to the last bits. A replicate's mean cost
// of a group is its drawn sum over its drawn count; it is undefined when
// the group draws no feasible row, and that replicate is counted in
// Difference.Undefined. It costs Bootstrap draws per feasible adverse row.
//
// A BurdenTally is not safe for concurrent use; give each goroutine its own
// and Merge them.
type BurdenTally struct {
	groups []string
	opts   BurdenOptions
	fine   map[string]*burdenCell
	key    []byte
	rows   int
}

// BurdenRow is one row for BurdenTally.Add.
type BurdenRow struct {
	// Index identifies the row (its 0-based position in the data, or the
	// 1-based data row of a file); it seeds the row's bootstrap
	// multiplicities. Give each row its own.
	Index uint64
	// Adverse is true when the row has the adverse outcome; other rows
	// count toward nothing but Rows.
	Adverse bool
	// Cost is the row's minimal recourse cost, in the cost's own unit; +Inf
	// or NaN means no recourse exists. A negative cost of an adverse row is
	// an error.
	Cost float64
	// Groups holds the row's value of each group column, in the order of
	// NewBurdenTally's names. Add copies what it keeps.
	Groups []string
}

// burdenCell accumulates one intersection group.
type burdenCell struct {
	values            []string
	adverse, feasible int
	sum               exactSum
	boot              []burdenRep // per replicate; nil without a bootstrap
}

// burdenRep is one replicate's draw of a group: feasible rows drawn
// (with their multiplicities) and the sum of their costs.
type burdenRep struct {
	k   float64
	sum float64
}

// NewBurdenTally returns an empty tally for rows with the named group
// columns (one or more, each named). It checks the options as
// RecourseBurden does.
func NewBurdenTally(groups []string, opts *BurdenOptions) (*BurdenTally, error) {
	o, err := burdenOptions(opts)
	var errs []error
	if err != nil {
		errs = append(errs, err)
	}
	if len(groups) == 0 {
		errs = append(errs, fmt.Errorf("%w: no group column named", ErrNoGroups))
	}
	for _, g := range groups {
		if g == "" {
			errs = append(errs, columnError("groups", ErrNoGroups, "group column has no name"))
		}
	}
	if err := joinErrors(errs); err != nil {
		return nil, err
	}
	return &BurdenTally{groups: slices.Clone(groups), opts: o, fine: map[string]*burdenCell{}}, nil
}

// burdenOptions fills opts' defaults and checks them.
func burdenOptions(opts *BurdenOptions) (BurdenOptions, error) {
	var o BurdenOptions
	if opts != nil {
		o = *opts
	}
	if o.Level == 0 {
		o.Level = defaultLevel
	}
	if o.MinGroupSize == 0 {
		o.MinGroupSize = defaultMinGroupSize
	}
	var errs []error
	if !(o.Level > 0 && o.Level < 1) {
		errs = append(errs, optionError("level %v is not in (0, 1)", o.Level))
	}
	if o.Bootstrap < 0 || o.MinGroupSize < -1 {
		errs = append(errs, optionError("negative bootstrap or minimum group size"))
	}
	return o, joinErrors(errs)
}

// Rows is the number of rows added (merged ones included).
func (t *BurdenTally) Rows() int { return t.rows }

// Add adds one row. A row with the wrong number of group values, an empty
// group value or a negative cost on an adverse row is an error naming the
// row's Index, and is not added.
func (t *BurdenTally) Add(r BurdenRow) error {
	if len(r.Groups) != len(t.groups) {
		return columnError("groups", ErrLength, "row %d: %d group values for %d group columns", r.Index, len(r.Groups), len(t.groups))
	}
	for k, g := range r.Groups {
		if g == "" {
			return columnError(t.groups[k], ErrMissingGroup, "row %d: empty group value", r.Index)
		}
	}
	if r.Adverse && r.Cost < 0 {
		return columnError("costs", ErrNegative, "row %d: cost is negative (%v)", r.Index, r.Cost)
	}
	t.rows++
	t.key = t.key[:0]
	for _, g := range r.Groups {
		t.key = binary.AppendUvarint(t.key, uint64(len(g)))
		t.key = append(t.key, g...)
	}
	c := t.fine[string(t.key)]
	if c == nil {
		c = &burdenCell{values: slices.Clone(r.Groups)}
		if t.opts.Bootstrap > 0 {
			c.boot = make([]burdenRep, t.opts.Bootstrap)
		}
		t.fine[string(t.key)] = c
	}
	if !r.Adverse {
		return nil // the group is reported, with no adverse rows
	}
	c.adverse++
	if math.IsNaN(r.Cost) || math.IsInf(r.Cost, 1) {
		return nil
	}
	c.feasible++
	c.sum.add(r.Cost)
	if c.boot != nil {
		base := splitmix64(t.opts.Seed ^ 0xbb67ae8584caa73b ^ splitmix64(r.Index))
		for rep := range c.boot {
			u := splitmix64(base + uint64(rep)*0x9e3779b97f4a7c15)
			k := 0
			for k < len(poisson1) && u >= poisson1[k] {
				k++
			}
			if k > 0 {
				c.boot[rep].k += float64(k)
				c.boot[rep].sum += float64(k) * r.Cost
			}
		}
	}
	return nil
}

// Merge adds o's rows to t. The tallies must have the same group columns
// and options.
func (t *BurdenTally) Merge(o *BurdenTally) error {
	if !slices.Equal(t.groups, o.groups) || t.opts != o.opts {
		return optionError("burden tallies of different group columns or options do not merge")
	}
	t.rows += o.rows
	for key, oc := range o.fine {
		c := t.fine[key]
		if c == nil {
			c = &burdenCell{values: oc.values}
			if oc.boot != nil {
				c.boot = make([]burdenRep, len(oc.boot))
			}
			t.fine[key] = c
		}
		c.add(oc)
	}
	return nil
}

func (c *burdenCell) add(o *burdenCell) {
	c.adverse += o.adverse
	c.feasible += o.feasible
	c.sum.merge(&o.sum)
	for r := range o.boot {
		c.boot[r].k += o.boot[r].k
		c.boot[r].sum += o.boot[r].sum
	}
}

// Burdens is RecourseBurdens of the rows tallied: with several group
// columns, first their intersection, then each column alone. A tally of no
// rows is an ErrEmpty error.
func (t *BurdenTally) Burdens() ([]*Burden, error) {
	if t.rows == 0 {
		return nil, columnError("labels", ErrEmpty, "no rows")
	}
	cells := make([]*burdenCell, 0, len(t.fine))
	for _, c := range t.fine {
		cells = append(cells, c)
	}
	// In a fixed order, so that the replicates' sums are the same each run.
	slices.SortFunc(cells, func(a, b *burdenCell) int { return slices.CompareFunc(a.values, b.values, compareGroups) })
	var out []*Burden
	if len(t.groups) > 1 {
		out = append(out, t.burden(groupName(t.groups), cells, func(c *burdenCell) string { return groupName(c.values) }))
	}
	for k, name := range t.groups {
		out = append(out, t.burden(name, cells, func(c *burdenCell) string { return c.values[k] }))
	}
	return out, nil
}

// burden is the Burden of the partition that groupOf puts the cells in.
func (t *BurdenTally) burden(attribute string, cells []*burdenCell, groupOf func(*burdenCell) string) *Burden {
	o := t.opts
	by := map[string]*burdenCell{}
	for _, c := range cells {
		g := groupOf(c)
		acc := by[g]
		if acc == nil {
			acc = &burdenCell{}
			if c.boot != nil {
				acc.boot = make([]burdenRep, len(c.boot))
			}
			by[g] = acc
		}
		acc.add(c)
	}
	levels := make([]string, 0, len(by))
	for g := range by {
		levels = append(levels, g)
	}
	slices.SortFunc(levels, compareGroups)
	z := normalQuantile(o.Level)
	b := &Burden{Attribute: attribute, Level: o.Level}
	cheapest := -1
	for gi, g := range levels {
		acc := by[g]
		bg := BurdenGroup{Group: g, Adverse: acc.adverse, Feasible: acc.feasible}
		inf := float64(bg.Adverse - bg.Feasible)
		bg.Infeasible = newRate(inf, float64(bg.Adverse), float64(bg.Adverse), z, "no rows with the adverse outcome in group")
		switch {
		case bg.Adverse == 0:
			bg.MeanCost = undefined("no rows with the adverse outcome in group")
		case bg.Feasible == 0:
			bg.MeanCost = undefined("no adverse row in group has a feasible recourse")
		default:
			bg.MeanCost = defined(acc.sum.value() / float64(bg.Feasible))
			if cheapest < 0 || bg.MeanCost.Value < b.Groups[cheapest].MeanCost.Value {
				cheapest = gi
			}
		}
		bg.Small = o.MinGroupSize > 0 && bg.Adverse < o.MinGroupSize
		if bg.Small {
			b.Warnings = append(b.Warnings, fmt.Sprintf("group %q has %s, below the minimum group size %d", g, plural(bg.Adverse, "adverse row"), o.MinGroupSize))
		}
		b.Groups = append(b.Groups, bg)
	}
	if cheapest < 0 {
		for gi := range b.Groups {
			b.Groups[gi].Difference = Disparity{Value: math.NaN(), Reason: "no group has a defined mean cost", Lo: math.NaN(), Hi: math.NaN()}
		}
		return b
	}
	b.Cheapest = levels[cheapest]
	for gi := range b.Groups {
		g := &b.Groups[gi]
		g.Difference = Disparity{Value: math.NaN(), Lo: math.NaN(), Hi: math.NaN(), High: g.Group, Low: b.Cheapest}
		if !g.MeanCost.Defined {
			g.Difference.Reason = g.MeanCost.Reason
			g.Difference.High, g.Difference.Low = "", ""
			continue
		}
		g.Difference.Value = g.MeanCost.Value - b.Groups[cheapest].MeanCost.Value
		g.Difference.Defined = true
	}
	if o.Bootstrap == 0 {
		return b
	}
	mean := func(acc *burdenCell, r int) float64 {
		if acc.boot[r].k == 0 {
			return math.NaN()
		}
		return acc.boot[r].sum / acc.boot[r].k
	}
	alpha := (1 - o.Level) / 2
	base := by[levels[cheapest]]
	for gi, lv := range levels {
		g := &b.Groups[gi]
		acc := by[lv]
		var diffs []float64
		for r := range o.Bootstrap {
			d := mean(acc, r) - mean(base, r)
			if math.IsNaN(d) {
				g.Difference.Undefined++
				continue
			}
			diffs = append(diffs, d)
		}
		g.Difference.Replicates = len(diffs)
		if g.Difference.Defined && len(diffs) > 0 {
			slices.Sort(diffs)
			g.Difference.Lo, g.Difference.Hi = metric.Quantile(diffs, alpha), metric.Quantile(diffs, 1-alpha)
		}
	}
	return b
}

// exactSum is the exact sum of the float64s added: a list of
// non-overlapping partials in increasing magnitude (Shewchuk 1997, the
// algorithm of Python's math.fsum), so that its value, rounded once, does
// not depend on the order of the additions. The zero value is 0.
type exactSum struct {
	partials []float64
	inf      float64 // an infinite or NaN term: the sum is that
}

func (s *exactSum) add(x float64) {
	if math.IsInf(x, 0) || math.IsNaN(x) {
		s.inf += x
		return
	}
	i := 0
	for _, y := range s.partials {
		if math.Abs(x) < math.Abs(y) {
			x, y = y, x
		}
		hi := x + y
		lo := y - (hi - x)
		if lo != 0 {
			s.partials[i] = lo
			i++
		}
		x = hi
	}
	if math.IsInf(x, 0) {
		// The partials overflowed: no exact value is kept past that.
		s.inf += x
		s.partials = s.partials[:0]
		return
	}
	s.partials = append(s.partials[:i], x)
}

func (s *exactSum) merge(o *exactSum) {
	s.inf += o.inf
	for _, x := range o.partials {
		s.add(x)
	}
}

// value is the sum, correctly rounded to a float64 (math.fsum's rounding).
func (s *exactSum) value() float64 {
	if s.inf != 0 || math.IsNaN(s.inf) {
		return s.inf
	}
	p := s.partials
	n := len(p)
	if n == 0 {
		return 0
	}
	n--
	hi := p[n]
	lo := 0.0
	for n > 0 {
		x := hi
		n--
		y := p[n]
		hi = x + y
		yr := hi - x
		lo = y - yr
		if lo != 0 {
			break
		}
	}
	// Round half to even across the partials below: if the rest has the
	// sign of lo, the sum lies past the halfway point.
	if n > 0 && ((lo < 0 && p[n-1] < 0) || (lo > 0 && p[n-1] > 0)) {
		y := lo * 2
		x := hi + y
		if yr := x - hi; y == yr {
			hi = x
		}
	}
	return hi
}
