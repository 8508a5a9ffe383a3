package fit

import (
	"bytes"
	"encoding/gob"
	"fmt"
	"math"
	"slices"
	"strconv"

	"github.com/candorscore/candor/internal/metric"
	"github.com/candorscore/candor/score"
)

// DefaultMaxDistinct bounds the distinct values (numeric) or labels
// (categorical) a PreBins holds when PreBinsOptions.MaxDistinct is 0:
// about 50 MB of counts.
const DefaultMaxDistinct = 1 << 20

// PreBinsOptions bound a PreBins. The zero value (or nil) means the
// defaults.
type PreBinsOptions struct {
	// MaxDistinct is the largest number of distinct values or labels held
	// (0 = DefaultMaxDistinct; negative = no bound). Past it Add returns an
	// error wrapping score.ErrLimit: the counts stay exact or do not exist.
	MaxDistinct int
}

// PreBins accumulates what binning one feature needs, in one pass over
// rows that need not be in memory: per distinct numeric value (or per
// label) its weighted rows and weighted events, the missing rows, and the
// totals. Special codes are distinct values like any other until Bin or
// Apply sets them apart, so one PreBins serves any BinningOptions.
//
// It is a mergeable accumulator: Add rows to several PreBins (one per
// worker, file or partition) and Merge them, and Bin gives the binning of
// all the rows: the same cut points, category groups and bin counts as
// BinFeature over the rows in memory (BinFeature is a PreBins fed in row
// order). With integer weights (nil weights are ones) every count is an
// integer sum, exact below 2^53, so any split and merge order gives the
// same binning to the last bit; non-integer weights add in another order
// and can differ in the last bits (a relative n*2^-53 for n rows), which
// can move a quantile pre-bin boundary only when a cumulative weight
// lands within that of a quantile. -0 is counted as 0. Labels keep the
// order the schema declares them in, then the order first seen (in s, then
// in what is merged into it); that order decides nothing but which label
// an error names first.
//
// The zero value is not usable; build one with NewPreBins. A PreBins is
// not safe for concurrent use.
type PreBins struct {
	f           score.Feature
	maxDistinct int
	rows        int // Add calls, for the row numbers in errors
	total, evs  float64
	missCount   float64
	missEvents  float64
	values      map[float64]int // numeric: value -> its index in vcounts
	vcounts     [][2]float64    // numeric: {weight, event weight} per value
	labels      []string        // categorical, in order
	catIndex    map[string]int
	cats        []*[2]float64 // per label: {weight, event weight}
}

// NewPreBins returns an empty PreBins for feature f.
func NewPreBins(f score.Feature, opts *PreBinsOptions) *PreBins {
	p := &PreBins{f: f, maxDistinct: DefaultMaxDistinct}
	if opts != nil && opts.MaxDistinct != 0 {
		p.maxDistinct = opts.MaxDistinct
	}
	if f.Kind == score.Numeric {
		p.values = map[float64]int{}
		return p
	}
	p.catIndex = map[string]int{}
	for _, l := range f.Categories {
		if _, ok := p.catIndex[l]; !ok {
			p.addLabel(l)
		}
	}
	return p
}

func (p *PreBins) addLabel(l string) *[2]float64 {
	p.catIndex[l] = len(p.labels)
	p.labels = append(p.labels, l)
	c := &[2]float64{}
	p.cats = append(p.cats, c)
	return c
}

// Rows is the number of rows added (Add calls, merged ones included).
func (p *PreBins) Rows() int { return p.rows }

// Distinct is the number of distinct values (numeric) or labels held.
func (p *PreBins) Distinct() int {
	if p.values != nil {
		return len(p.values)
	}
	return len(p.labels)
}

func (p *PreBins) full() bool {
	return p.maxDistinct >= 0 && p.Distinct() >= p.maxDistinct
}

// Add counts one row: its value, whether it is an event, and its weight
// (finite, >= 0). A bad row is an error (a *score.FieldError whose Row is
// the 1-based number of this Add call on p) and is not counted.
func (p *PreBins) Add(v score.Value, event bool, weight float64) error {
	p.rows++
	row := p.rows
	if !(weight >= 0) || math.IsInf(weight, 0) {
		return &score.FieldError{Row: row, Feature: p.f.Name, Err: fmt.Errorf("%w: weight %v", score.ErrData, weight)}
	}
	ev := 0.0
	if event {
		ev = weight
	}
	var cell *[2]float64
	switch {
	case v.IsMissing():
	case p.f.Kind == score.Numeric:
		if !v.IsNum() {
			return &score.FieldError{Row: row, Feature: p.f.Name, Value: strconv.Quote(v.String()), Err: score.ErrWrongKind}
		}
		x := v.Float()
		if !isFinite(x) {
			return &score.FieldError{Row: row, Feature: p.f.Name, Err: score.ErrNotFinite}
		}
		if x == 0 {
			x = 0 // -0 counts as 0
		}
		k, ok := p.values[x]
		if !ok {
			if p.full() {
				return p.limitError(row)
			}
			k = len(p.vcounts)
			p.values[x] = k
			p.vcounts = append(p.vcounts, [2]float64{})
		}
		cell = &p.vcounts[k]
	default:
		if !v.IsCat() {
			return &score.FieldError{Row: row, Feature: p.f.Name, Value: strconv.Quote(v.String()), Err: score.ErrWrongKind}
		}
		if k, ok := p.catIndex[v.Label()]; ok {
			cell = p.cats[k]
		} else {
			if p.full() {
				return p.limitError(row)
			}
			cell = p.addLabel(v.Label())
		}
	}
	p.total += weight
	p.evs += ev
	if cell == nil {
		p.missCount += weight
		p.missEvents += ev
		return nil
	}
	cell[0] += weight
	cell[1] += ev
	return nil
}

func (p *PreBins) limitError(row int) error {
	return &score.FieldError{Row: row, Feature: p.f.Name,
		Err: fmt.Errorf("%w: more than %d distinct values for binning (PreBinsOptions.MaxDistinct)", score.ErrLimit, p.maxDistinct)}
}

// Merge adds o's counts to p. Both must be of the same feature (name and
// kind); otherwise the error wraps score.ErrData and p is unchanged. The
// bound on distinct values is p's: past it the error wraps score.ErrLimit
// and p is unchanged.
func (p *PreBins) Merge(o *PreBins) error {
	if o.f.Name != p.f.Name || o.f.Kind != p.f.Kind {
		return &score.FieldError{Feature: p.f.Name, Err: fmt.Errorf("%w: merging the pre-bins of feature %q (%v) into %q (%v)", score.ErrData, o.f.Name, o.f.Kind, p.f.Name, p.f.Kind)}
	}
	if p.maxDistinct >= 0 {
		added := 0
		if p.values != nil {
			for x := range o.values {
				if _, ok := p.values[x]; !ok {
					added++
				}
			}
		} else {
			for _, l := range o.labels {
				if _, ok := p.catIndex[l]; !ok {
					added++
				}
			}
		}
		if p.Distinct()+added > p.maxDistinct {
			return p.limitError(0)
		}
	}
	p.rows += o.rows
	p.total += o.total
	p.evs += o.evs
	p.missCount += o.missCount
	p.missEvents += o.missEvents
	if p.values != nil {
		for x, k := range o.values {
			c := o.vcounts[k]
			if j, ok := p.values[x]; ok {
				p.vcounts[j][0] += c[0]
				p.vcounts[j][1] += c[1]
			} else {
				p.values[x] = len(p.vcounts)
				p.vcounts = append(p.vcounts, c)
			}
		}
		return nil
	}
	for k, l := range o.labels {
		c := o.cats[k]
		if j, ok := p.catIndex[l]; ok {
			p.cats[j][0] += c[0]
			p.cats[j][1] += c[1]
		} else {
			*p.addLabel(l) = *c
		}
	}
	return nil
}

// Bin bins the feature automatically from the counts: BinFeature's
// result for the rows added.
func (p *PreBins) Bin(opts *BinningOptions) (*Binning, error) {
	o := opts.resolved()
	switch o.Trend {
	case TrendAuto, TrendAscending, TrendDescending, TrendPeak, TrendValley, TrendNone:
	default:
		return nil, &score.FieldError{Feature: p.f.Name, Err: fmt.Errorf("%w: trend %q cannot be requested", score.ErrData, o.Trend)}
	}
	col, err := p.column(o.Special, o.Unseen)
	if err != nil {
		return nil, err
	}
	if p.f.Kind == score.Numeric {
		return col.binNumeric(o), nil
	}
	return col.binCategorical(o), nil
}

// Apply bins the feature with hand-given bins: ApplyBins's result for
// the rows added.
func (p *PreBins) Apply(spec BinSpec) (*Binning, error) {
	col, err := p.column(spec.Special, spec.Unseen)
	if err != nil {
		return nil, err
	}
	return col.apply(spec)
}

// checkColumn checks the options a binColumn is built with.
func checkColumn(f score.Feature, special []float64, unseen UnseenPolicy) error {
	if err := unseen.check(); err != nil {
		return &score.FieldError{Feature: f.Name, Err: err}
	}
	if f.Kind == score.Numeric {
		if unseen != UnseenError {
			return &score.FieldError{Feature: f.Name, Err: fmt.Errorf("%w: unseen-label policy on a numeric feature", score.ErrWrongKind)}
		}
		for _, s := range special {
			if !isFinite(s) {
				return &score.FieldError{Feature: f.Name, Err: fmt.Errorf("%w: special value %v", score.ErrNotFinite, s)}
			}
		}
	} else if len(special) > 0 {
		return &score.FieldError{Feature: f.Name, Err: fmt.Errorf("%w: special values on a categorical feature", score.ErrWrongKind)}
	}
	return nil
}

// column summarises the counts for binning, with the special codes
// special set apart.
func (p *PreBins) column(special []float64, unseen UnseenPolicy) (*binColumn, error) {
	if err := checkColumn(p.f, special, unseen); err != nil {
		return nil, err
	}
	c := &binColumn{f: p.f, unseen: unseen, events: p.evs, total: p.total, missCount: p.missCount, missEvents: p.missEvents}
	if c.total <= 0 || c.events <= 0 || c.events >= c.total {
		return nil, &score.FieldError{Feature: p.f.Name, Err: fmt.Errorf("%w: binning needs rows with and without the event", score.ErrData)}
	}
	if p.f.Kind != score.Numeric {
		c.catIndex = make(map[string]int, len(p.labels))
		c.cats = make([]catStat, len(p.labels))
		for k, l := range p.labels {
			c.catIndex[l] = k
			c.cats[k] = catStat{label: l, count: p.cats[k][0], events: p.cats[k][1]}
		}
		return c, nil
	}
	c.special = slices.Clone(special)
	slices.Sort(c.special)
	c.special = slices.Compact(c.special)
	c.spCount = make([]float64, len(c.special))
	c.spEvent = make([]float64, len(c.special))
	c.xs = make([]float64, 0, len(p.values))
	for x := range p.values {
		c.xs = append(c.xs, x)
	}
	slices.SortFunc(c.xs, metric.Compare)
	c.xCounts = make([]float64, 0, len(c.xs))
	c.xEvents = make([]float64, 0, len(c.xs))
	kept := c.xs[:0]
	for _, x := range c.xs {
		cell := p.vcounts[p.values[x]]
		if k, ok := slices.BinarySearch(c.special, x); ok {
			c.spCount[k] += cell[0]
			c.spEvent[k] += cell[1]
			continue
		}
		kept = append(kept, x)
		c.xCounts = append(c.xCounts, cell[0])
		c.xEvents = append(c.xEvents, cell[1])
	}
	c.xs = kept
	return c, nil
}

// preBinsWire is PreBins in a form encoding/gob can write, the values
// sorted so that equal counts encode to equal bytes.
type preBinsWire struct {
	Feature              string
	Kind                 score.Kind
	Rows                 int
	Total, Events        float64
	MissCount, MissEvent float64
	Values               []float64
	Labels               []string
	Counts               [][2]float64 // per value or label: {weight, event weight}
}

// MarshalBinary encodes the counts, so that a worker can ship them to the
// one that merges. The feature's definition is not encoded, only its
// name and kind.
func (p *PreBins) MarshalBinary() ([]byte, error) {
	w := preBinsWire{Feature: p.f.Name, Kind: p.f.Kind, Rows: p.rows, Total: p.total, Events: p.evs,
		MissCount: p.missCount, MissEvent: p.missEvents}
	if p.values != nil {
		for x := range p.values {
			w.Values = append(w.Values, x)
		}
		slices.Sort(w.Values)
		for _, x := range w.Values {
			w.Counts = append(w.Counts, p.vcounts[p.values[x]])
		}
	} else {
		w.Labels = p.labels
		for _, c := range p.cats {
			w.Counts = append(w.Counts, *c)
		}
	}
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(&w); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// UnmarshalBinary decodes what MarshalBinary wrote into p, replacing its
// counts. p must come from NewPreBins for the same feature (name and
// kind), which supplies the feature's definition and the bound on
// distinct values; otherwise, or for bytes MarshalBinary did not write,
// the error wraps score.ErrMalformed and p is unchanged.
func (p *PreBins) UnmarshalBinary(b []byte) error {
	bad := func(format string, a ...any) error {
		return &score.FieldError{Feature: p.f.Name, Err: fmt.Errorf("%w: decoding pre-bins: %s", score.ErrMalformed, fmt.Sprintf(format, a...))}
	}
	var w preBinsWire
	if err := gob.NewDecoder(bytes.NewReader(b)).Decode(&w); err != nil {
		return bad("%v", err)
	}
	if w.Feature != p.f.Name || w.Kind != p.f.Kind {
		return bad("the counts of feature %q (%v)", w.Feature, w.Kind)
	}
	n := len(w.Values)
	if p.f.Kind != score.Numeric {
		n = len(w.Labels)
		if len(w.Values) > 0 {
			return bad("numeric values for a categorical feature")
		}
	} else if len(w.Labels) > 0 {
		return bad("labels for a numeric feature")
	}
	if len(w.Counts) != n {
		return bad("%d counts for %d values", len(w.Counts), n)
	}
	if p.maxDistinct >= 0 && n > p.maxDistinct {
		return &score.FieldError{Feature: p.f.Name, Err: fmt.Errorf("%w: %d distinct values for binning, over %d (PreBinsOptions.MaxDistinct)", score.ErrLimit, n, p.maxDistinct)}
	}
	q := NewPreBins(p.f, &PreBinsOptions{MaxDistinct: p.maxDistinct})
	q.rows, q.total, q.evs, q.missCount, q.missEvents = w.Rows, w.Total, w.Events, w.MissCount, w.MissEvent
	if q.values != nil {
		for i, x := range w.Values {
			if !isFinite(x) || (i > 0 && !(x > w.Values[i-1])) {
				return bad("values not finite and strictly ascending")
			}
			q.values[x] = len(q.vcounts)
			q.vcounts = append(q.vcounts, w.Counts[i])
		}
	} else {
		for i, l := range w.Labels {
			k, ok := q.catIndex[l]
			if !ok {
				q.addLabel(l)
				k = len(q.labels) - 1
			} else if i != k {
				return bad("label %q out of order", l)
			}
			*q.cats[k] = w.Counts[i]
		}
	}
	*p = *q
	return nil
}
