package metric

import (
	"math"
	"slices"
)

// DefaultMaxDistinct is the number of distinct scores a ScoreCounts keeps
// exactly before it compresses (about 40 MB at its peak).
const DefaultMaxDistinct = 1 << 20

// ScoreCounts is a mergeable summary of (score, event, weight) rows: the
// event and non-event weight at each distinct score. It gives the AUC, the
// KS statistic and quantiles of the scores without keeping the rows, so the
// same code serves one core, many cores and streams: each worker Adds its
// rows and the results Merge.
//
// While the number of distinct scores stays at or below MaxDistinct the
// summary is exact: AUC, KS and Quantile equal the in-memory functions on
// the same rows (with unit weights, to the last bit, since the sums are
// integers). Beyond it, scores are pooled into ranges on a fixed grid: a
// score's range is its float64 bit pattern (in value order) with the low
// bits dropped, starting with 12 mantissa bits kept (a relative width of
// 2^-12) and dropping one more bit whenever the ranges outgrow
// MaxDistinct/2. The grid is the same for every worker, so merging pooled
// summaries adds counts and is exact in the sense that the merged summary
// equals the summary of all the rows. Pairs inside one range then count as
// ties, so the AUC is off by at most AUCErrorBound, and a quantile's rank by
// at most the heaviest range's share of the weight (QuantileRankError).
// Add ignores rows whose score is NaN or infinite, or whose weight is not
// positive and finite, and counts them in Skipped.
type ScoreCounts struct {
	// MaxDistinct bounds the memory; 0 means DefaultMaxDistinct. Set it
	// before the first Add.
	MaxDistinct int
	// Skipped counts the rows Add ignored.
	Skipped int

	exact  map[float64]*[2]float64 // score -> {non-event, event} weight
	pooled map[uint64]*bucket      // grid key -> range, once pooled
	shift  uint                    // low bits dropped from the order key
}

type bucket struct {
	lo, hi float64
	w      [2]float64 // non-event, event
}

// firstShift keeps 12 of the 52 mantissa bits.
const firstShift = 52 - 12

func (c *ScoreCounts) limit() int {
	if c.MaxDistinct > 1 {
		return c.MaxDistinct
	}
	return DefaultMaxDistinct
}

// orderKey maps a float64 to a uint64 with the same order.
func orderKey(x float64) uint64 {
	b := math.Float64bits(x)
	if b>>63 == 1 {
		return ^b
	}
	return b | 1<<63
}

// Add counts one row.
func (c *ScoreCounts) Add(score float64, event bool, weight float64) {
	if math.IsNaN(score) || math.IsInf(score, 0) || !(weight > 0) || math.IsInf(weight, 0) {
		c.Skipped++
		return
	}
	if score == 0 {
		score = 0 // -0 and +0 are one score
	}
	k := 0
	if event {
		k = 1
	}
	if c.pooled != nil {
		var w [2]float64
		w[k] = weight
		c.addPooled(bucket{lo: score, hi: score, w: w})
		c.coarsen()
		return
	}
	if c.exact == nil {
		c.exact = map[float64]*[2]float64{}
	}
	e := c.exact[score]
	if e == nil {
		e = new([2]float64)
		c.exact[score] = e
	}
	e[k] += weight
	if len(c.exact) > c.limit() {
		c.pool(firstShift)
	}
}

// pool turns the exact counts into ranges on the grid with shift bits
// dropped.
func (c *ScoreCounts) pool(shift uint) {
	c.pooled, c.shift = map[uint64]*bucket{}, shift
	for s, w := range c.exact {
		c.addPooled(bucket{lo: s, hi: s, w: *w})
	}
	c.exact = nil
	c.coarsen()
}

func (c *ScoreCounts) addPooled(b bucket) {
	key := orderKey(b.lo) >> c.shift
	p := c.pooled[key]
	if p == nil {
		c.pooled[key] = &b
		return
	}
	p.lo, p.hi = math.Min(p.lo, b.lo), math.Max(p.hi, b.hi)
	p.w[0] += b.w[0]
	p.w[1] += b.w[1]
}

// coarsen drops grid bits until the ranges fit in half the limit.
func (c *ScoreCounts) coarsen() {
	for len(c.pooled) > max(c.limit()/2, 1) && c.shift < 64 {
		old := c.pooled
		c.pooled = make(map[uint64]*bucket, len(old)/2+1)
		c.shift++
		for _, b := range old {
			c.addPooled(*b)
		}
	}
}

// Merge adds o's rows to c. o is unchanged.
func (c *ScoreCounts) Merge(o *ScoreCounts) {
	c.Skipped += o.Skipped
	if c.pooled == nil && o.pooled == nil {
		if c.exact == nil {
			c.exact = map[float64]*[2]float64{}
		}
		for s, w := range o.exact {
			e := c.exact[s]
			if e == nil {
				e = new([2]float64)
				c.exact[s] = e
			}
			e[0] += w[0]
			e[1] += w[1]
		}
		if len(c.exact) > c.limit() {
			c.pool(firstShift)
		}
		return
	}
	shift := uint(firstShift)
	if o.pooled != nil {
		shift = max(shift, o.shift)
	}
	if c.pooled == nil {
		c.pool(shift)
	}
	for c.shift < shift {
		c.coarsenOnce() // raises the shift by one
	}
	for _, b := range o.ranges() {
		c.addPooled(b)
	}
	c.coarsen()
}

func (c *ScoreCounts) coarsenOnce() {
	old := c.pooled
	c.pooled = make(map[uint64]*bucket, len(old))
	c.shift++
	for _, b := range old {
		c.addPooled(*b)
	}
}

// ranges returns the summary as sorted, non-overlapping ranges (single
// scores when exact).
func (c *ScoreCounts) ranges() []bucket {
	var out []bucket
	if c.pooled != nil {
		out = make([]bucket, 0, len(c.pooled))
		for _, b := range c.pooled {
			out = append(out, *b)
		}
	} else {
		out = make([]bucket, 0, len(c.exact))
		for s, w := range c.exact {
			out = append(out, bucket{lo: s, hi: s, w: *w})
		}
	}
	slices.SortFunc(out, func(a, b bucket) int { return Compare(a.lo, b.lo) })
	return out
}

// Range is one entry of a summary: a single score (Lo == Hi) while exact,
// or the scores pooled into one grid range, with their weights.
type Range struct {
	Lo, Hi            float64
	NonEvents, Events float64
}

// Ranges returns the summary in ascending score order: one Range per
// distinct score while exact, one per pooled range after.
func (c *ScoreCounts) Ranges() []Range {
	rs := c.ranges()
	out := make([]Range, len(rs))
	for i, b := range rs {
		out[i] = Range{Lo: b.lo, Hi: b.hi, NonEvents: b.w[0], Events: b.w[1]}
	}
	return out
}

// Exact reports whether the summary still holds every distinct score.
func (c *ScoreCounts) Exact() bool { return c.pooled == nil }

// Weight returns the total non-event and event weight.
func (c *ScoreCounts) Weight() (nonEvents, events float64) {
	for _, b := range c.ranges() {
		nonEvents += b.w[0]
		events += b.w[1]
	}
	return nonEvents, events
}

// AUC is metric.AUC over the rows added (ties, and pairs within a pooled
// range, count one half). NaN when either class is empty.
func (c *ScoreCounts) AUC() float64 {
	rs := c.ranges()
	return AUCOrdered(2*len(rs), func(k int) (float64, bool, float64) {
		b := rs[k/2]
		return b.lo, k%2 == 1, b.w[k%2]
	})
}

// AUCErrorBound is the most the AUC can differ from the AUC of the rows
// themselves: half the share of event/non-event pairs that fall inside one
// pooled range. 0 while exact.
func (c *ScoreCounts) AUCErrorBound() float64 {
	if c.pooled == nil {
		return 0
	}
	var pairs, neg, pos float64
	for _, b := range c.pooled {
		if b.lo < b.hi { // a range of one score holds true ties
			pairs += b.w[0] * b.w[1]
		}
		neg += b.w[0]
		pos += b.w[1]
	}
	if !(pos > 0 && neg > 0) {
		return math.NaN()
	}
	return pairs / (2 * pos * neg)
}

// KS is metric.KS over the rows added; once pooled, the largest gap at the
// range boundaries, which can only understate the true KS, by at most the
// heaviest range's share of either class.
func (c *ScoreCounts) KS() float64 {
	rs := c.ranges()
	var pos, neg float64
	for _, b := range rs {
		neg += b.w[0]
		pos += b.w[1]
	}
	if pos == 0 || neg == 0 {
		return math.NaN()
	}
	var cp, cn, ks float64
	for _, b := range rs {
		cn += b.w[0]
		cp += b.w[1]
		ks = math.Max(ks, math.Abs(cp/pos-cn/neg))
	}
	return ks
}

// Quantile is the q-quantile of the scores added, each row counted by its
// weight: with unit weights the type-7 quantile (metric.Quantile) of the
// scores. Exact while exact; once pooled, linear within the range holding
// the rank. NaN when empty.
func (c *ScoreCounts) Quantile(q float64) float64 {
	rs := c.ranges()
	var n float64
	for _, b := range rs {
		n += b.w[0] + b.w[1]
	}
	if n == 0 {
		return math.NaN()
	}
	h := q * (n - 1)
	lo := math.Floor(h)
	x0 := c.orderStat(rs, lo)
	if lo >= n-1 {
		return x0
	}
	return x0 + (h-lo)*(c.orderStat(rs, lo+1)-x0)
}

// orderStat returns the r-th (0-based) smallest score.
func (c *ScoreCounts) orderStat(rs []bucket, r float64) float64 {
	var below float64
	for _, b := range rs {
		w := b.w[0] + b.w[1]
		if r < below+w {
			if b.lo == b.hi || w <= 1 {
				return b.lo
			}
			return b.lo + (r-below)/(w-1)*(b.hi-b.lo)
		}
		below += w
	}
	return rs[len(rs)-1].hi
}

// QuantileRankError is the largest share of the weight in one pooled
// range: a quantile's rank is off by at most this much. 0 while exact.
func (c *ScoreCounts) QuantileRankError() float64 {
	if c.pooled == nil {
		return 0
	}
	var most, total float64
	for _, b := range c.pooled {
		w := b.w[0] + b.w[1]
		most = math.Max(most, w)
		total += w
	}
	return most / total
}
