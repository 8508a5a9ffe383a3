package fit

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/candorscore/candor/internal/metric"
	"github.com/candorscore/candor/score"
)

// Defaults of the pair stage of Boosted (BoostedOptions.Interactions).
const (
	// DefaultBoostedPairBins is the most bins of a feature in a pair's
	// table, besides its missing bin: InterpretML's max_interaction_bins.
	DefaultBoostedPairBins = 64
	// boostedPairSeedSalt makes a bag's pair stage draw its random cuts
	// and orders apart from its main stage (the split is the bag's own).
	boostedPairSeedSalt = 0x5041495253 // "PAIRS"
)

// BoostedPair is one pair term Boosted chose: its two features and the
// interaction strength that ranked it.
type BoostedPair struct {
	Features [2]string
	// Strength is the FAST screen's gain, averaged over the bags: the drop
	// in the second-order approximation of the training log-loss (a sum
	// over a bag's inner training rows, in nats) that the best 2x2 table
	// over the pair's coarse bins gives on the residuals of the bag's main
	// effects.
	Strength float64
}

// pairAxis is one feature's coarse bins for pair tables: the fine pre-bins
// grouped into at most DefaultBoostedPairBins ranges of about equal
// training counts (numeric) or one bin per level (categorical), then the
// missing bin, last.
type pairAxis struct {
	k      int // the feature's position among the inputs
	bins   []score.Bin
	of     []uint16 // of[fine bin]: the coarse bin
	ranges bool     // numeric: the bins are ordered
}

// pairStage is the fitted pair terms, before they become model terms.
type pairStage struct {
	axes   []*pairAxis // by input position; nil for a feature not in any pair
	pairs  [][2]int    // input positions of each pair's features
	tables [][]float64 // each pair's purified table, log-odds, row-major
	counts [][]float64 // each pair's weighted training rows per cell
	chosen []BoostedPair
}

// boostPairs is the pair stage of Boosted, as InterpretML's: in every bag,
// on the residuals of that bag's main effects, every pair of features is
// scored by the FAST interaction strength (Lou, Caruana, Gehrke and
// Hooker, "Accurate intelligible models with pairwise interactions", KDD
// 2013); the pairs are ranked in each bag and the n with the best mean
// rank over the bags are chosen (ties by feature order). Each bag then
// boosts the chosen pairs as tables over coarse bins on its own split,
// from its main effects, by the schedule of the main effects (see
// bag.boost): smoothing rounds of one random cut on each axis, then
// greedy steps, each a tree of three cuts as InterpretML's interaction
// step (one cut on one feature, then one cut of the other feature on each
// side, the orientation with the larger gain). The tables land in each
// bag's result; purifyInto averages them. A categorical feature with more
// than DefaultBoostedPairBins levels, or a feature with a trend, is not
// paired.
func boostPairs(ctx context.Context, p *boostProblem, bags []*bagResult, n int, trended []bool) (*pairStage, error) {
	if n < 0 {
		return nil, fmt.Errorf("%w: Interactions %d is negative", score.ErrData, n)
	}
	if n == 0 {
		return nil, nil
	}
	nf := len(p.pre)
	st := &pairStage{axes: make([]*pairAxis, nf)}
	for k, pb := range p.pre {
		if !trended[k] {
			st.axes[k] = newPairAxis(k, pb)
		}
	}
	var cand [][2]int
	for a := range nf {
		for b := a + 1; b < nf; b++ {
			if st.axes[a] != nil && st.axes[b] != nil {
				cand = append(cand, [2]int{a, b})
			}
		}
	}
	if len(cand) == 0 {
		return st, nil
	}
	// 1. FAST in every bag (each bag writes its own slot).
	errs := make([]error, len(bags))
	parallel(len(bags), func(b int) {
		bg, err := p.newBag(b)
		if err != nil {
			errs[b] = err
			return
		}
		bg.addScores(bags[b].shapes)
		g, h := make([]float64, len(bg.train)), make([]float64, len(bg.train))
		gradRows(bg.te, bg.ty, bg.tw, binCol{}, nil, false, g, h)
		gains := make([]float64, len(cand))
		for i, c := range cand {
			ax, bx := st.axes[c[0]], st.axes[c[1]]
			gh := newPairHist(ax, bx)
			gh.add(p.pre[ax.k].col, p.pre[bx.k].col, bg.train, g, h)
			gains[i] = gh.fast(p.o)
		}
		bags[b].strengths = gains
	})
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	// 2. Mean rank over the bags.
	rank := make([]float64, len(cand))
	strength := make([]float64, len(cand))
	order := make([]int, len(cand))
	for _, bg := range bags {
		for i := range order {
			order[i] = i
		}
		slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(bg.strengths[b], bg.strengths[a]) })
		for r, i := range order {
			rank[i] += float64(r) / float64(len(bags))
			strength[i] += bg.strengths[i] / float64(len(bags))
		}
	}
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(rank[a], rank[b]) })
	for _, i := range order {
		if len(st.pairs) == n {
			break
		}
		if !(strength[i] > 0) {
			continue // no bag saw any interaction
		}
		st.pairs = append(st.pairs, cand[i])
		st.chosen = append(st.chosen, BoostedPair{Features: [2]string{p.pre[cand[i][0]].feature, p.pre[cand[i][1]].feature}, Strength: strength[i]})
	}
	if len(st.pairs) == 0 {
		return st, nil
	}
	// 3. Boost the chosen pairs in every bag.
	parallel(len(bags), func(b int) {
		bg, err := p.newBag(b)
		if err != nil {
			errs[b] = err
			return
		}
		bg.rng = &splitMix{s: p.o.bagSeed(b) ^ boostedPairSeedSalt}
		bg.addScores(bags[b].shapes)
		for _, pr := range st.pairs {
			ax, bx := st.axes[pr[0]], st.axes[pr[1]]
			ca, cb := p.pre[ax.k].col, p.pre[bx.k].col
			nbx := len(bx.bins)
			t := bg.newTerm(len(ax.bins)*nbx, func(r int32) uint16 { return ax.of[ca[r]]*uint16(nbx) + bx.of[cb[r]] })
			t.pair = newPairHist(ax, bx)
			bg.terms = append(bg.terms, t)
		}
		steps, _, err := bg.boost(ctx, p.o.smoothing, bg.pairUpdate)
		if err != nil {
			errs[b] = err
			return
		}
		bags[b].pairSteps = steps
		for _, t := range bg.terms {
			bags[b].tables = append(bags[b].tables, t.best)
		}
	})
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return st, nil
}

// pairUpdate writes into d the update of pair term t from its sums
// (random: one random cut on each axis; otherwise the three-cut tree) and
// returns its gain.
func (bg *bag) pairUpdate(t *boostTerm, random bool, d []float64) float64 {
	ph := t.pair
	o := bg.p.o
	clear(d)
	copy(ph.g, t.g[:t.nb])
	copy(ph.h, t.h[:t.nb])
	if !ph.counted {
		// a term's rows per cell are fixed for the bag
		for i, c := range t.cnt {
			ph.c[i] = float64(c)
		}
		ph.counted = true
		ph.countsChanged()
	}
	if random {
		ca, cb := ph.na, ph.nb
		if ph.na > 1 {
			ca = 1 + bg.rng.below(ph.na-1)
		}
		if ph.nb > 1 {
			cb = 1 + bg.rng.below(ph.nb-1)
		}
		// quadrant of cell (a, b) around the cuts (ca, cb): 0..3.
		quadrant := func(a, b int) int {
			q := 0
			if a >= ca {
				q += 2
			}
			if b >= cb {
				q++
			}
			return q
		}
		var qg, qh [4]float64
		for a := range ph.na {
			for b := range ph.nb {
				q := quadrant(a, b)
				qg[q] += ph.g[a*ph.nb+b]
				qh[q] += ph.h[a*ph.nb+b]
			}
		}
		for a := range ph.na {
			for b := range ph.nb {
				q := quadrant(a, b)
				d[a*ph.nb+b] = randomStep(o.lr, qg[q], qh[q], o.minHess)
			}
		}
		return 0
	}
	gain, ok := ph.tree(o, d)
	if !ok {
		return 0
	}
	return gain
}

// purifyInto averages the bags' pair tables and purifies each: the
// training-weighted mean of every row and column is moved into the main
// effect of its feature (and the constant into the intercept), so each
// main effect keeps its meaning as the feature's whole average effect and
// a pair holds only what its two features do together. Purifying changes
// no score. It updates shapes and returns the new intercept.
func (st *pairStage) purifyInto(p *boostProblem, bags []*bagResult, shapes [][]float64, intercept float64) float64 {
	if st == nil || len(st.pairs) == 0 {
		return intercept
	}
	for q, pr := range st.pairs {
		ax, bx := st.axes[pr[0]], st.axes[pr[1]]
		table := make([]float64, len(ax.bins)*len(bx.bins))
		for _, bg := range bags {
			for k, v := range bg.tables[q] {
				table[k] += v / float64(len(bags))
			}
		}
		cnt := newPairHist(ax, bx)
		cnt.count(p.pre[ax.k].col, p.pre[bx.k].col, p.w)
		rowM, colM, c := purify(table, cnt.c, len(ax.bins), len(bx.bins))
		intercept += c
		for fb, cb := range ax.of {
			shapes[ax.k][fb] += rowM[cb]
		}
		for fb, cb := range bx.of {
			shapes[bx.k][fb] += colM[cb]
		}
		st.tables = append(st.tables, table)
		st.counts = append(st.counts, cnt.c)
	}
	return intercept
}

// newPairAxis groups feature pb's fine bins into coarse bins, or returns
// nil when the feature cannot be paired (too many levels, or one bin).
func newPairAxis(k int, pb *preBins) *pairAxis {
	ax := &pairAxis{k: k, of: make([]uint16, len(pb.bins)), ranges: pb.numeric}
	miss := len(pb.bins) - 1
	if !pb.numeric {
		if miss > DefaultBoostedPairBins || miss < 2 {
			return nil
		}
		for b := range miss {
			ax.of[b] = uint16(b)
			ax.bins = append(ax.bins, score.Bin{Kind: score.CategoryBin, Categories: pb.bins[b].Categories})
		}
	} else {
		if pb.ranges < 2 {
			return nil
		}
		var total float64
		for b := range pb.ranges {
			total += pb.stats[b].count
		}
		// Coarse ranges at about equal training counts: a new one starts
		// when the running count passes the next 1/DefaultBoostedPairBins.
		var cum float64
		cur := 0
		ax.bins = append(ax.bins, score.Bin{Kind: score.RangeBin})
		for b := range pb.ranges {
			if b > 0 && cum >= float64(cur+1)*total/DefaultBoostedPairBins && cur+1 < DefaultBoostedPairBins {
				cur++
				lo := *pb.bins[b].Lower
				ax.bins[cur-1].Upper = &lo
				lo2 := lo
				ax.bins = append(ax.bins, score.Bin{Kind: score.RangeBin, Lower: &lo2})
			}
			ax.of[b] = uint16(cur)
			cum += pb.stats[b].count
		}
		if len(ax.bins) < 2 {
			return nil
		}
		// a declared special code keeps a bin of its own
		for b := pb.ranges; b < miss; b++ {
			ax.of[b] = uint16(len(ax.bins))
			ax.bins = append(ax.bins, score.Bin{Kind: score.SpecialBin, Special: pb.bins[b].Special})
		}
	}
	ax.of[miss] = uint16(len(ax.bins))
	ax.bins = append(ax.bins, score.Bin{Kind: score.MissingBin})
	return ax
}

// pairHist holds a pair's gradient, hessian and row sums per cell of its
// table (na rows by nb columns, row-major).
type pairHist struct {
	a, b    *pairAxis
	na, nb  int
	g, h, c []float64
	grids   [2]*grid // the layouts in cut order, as laid and transposed (reused)
	scratch pairScratch
	counted bool // c holds the boosted term's rows per cell (pairUpdate)
}

func newPairHist(a, b *pairAxis) *pairHist {
	na, nb := len(a.bins), len(b.bins)
	return &pairHist{a: a, b: b, na: na, nb: nb, g: make([]float64, na*nb), h: make([]float64, na*nb), c: make([]float64, na*nb)}
}

// add sums g and h per cell over the rows (all rows when rows is nil);
// ca and cb are the two features' fine bins per row.
func (ph *pairHist) add(ca, cb []uint16, rows []int32, g, h []float64) {
	ph.countsChanged()
	clear(ph.g)
	clear(ph.h)
	clear(ph.c)
	if rows == nil {
		for r := range g {
			k := int(ph.a.of[ca[r]])*ph.nb + int(ph.b.of[cb[r]])
			ph.g[k] += g[r]
			ph.h[k] += h[r]
			ph.c[k]++
		}
		return
	}
	for i, r := range rows {
		k := int(ph.a.of[ca[r]])*ph.nb + int(ph.b.of[cb[r]])
		ph.g[k] += g[i]
		ph.h[k] += h[i]
		ph.c[k]++
	}
}

// count sums the weighted training rows per cell.
func (ph *pairHist) count(ca, cb []uint16, w []float64) {
	ph.countsChanged()
	clear(ph.c)
	for r := range ca {
		ph.c[int(ph.a.of[ca[r]])*ph.nb+int(ph.b.of[cb[r]])] += metric.Weight(w, r)
	}
}

// moveMeans subtracts from each of n lines of table t (line i: the m cells
// i*stride + k*step) its c-weighted mean, adds the mean to into[i], and
// returns the largest mean moved. Lines of weight 0 are left alone.
func moveMeans(t, c []float64, n, m, stride, step int, into []float64) float64 {
	moved := 0.0
	for i := range n {
		var s, w float64
		for k := range m {
			x := i*stride + k*step
			s += c[x] * t[x]
			w += c[x]
		}
		if w == 0 {
			continue
		}
		mean := s / w
		for k := range m {
			t[i*stride+k*step] -= mean
		}
		into[i] += mean
		moved = math.Max(moved, math.Abs(mean))
	}
	return moved
}

// purify splits table t (na x nb, row-major, log-odds) with cell weights
// c into row effects, column effects, a constant and the pure rest, which
// it leaves in t: every row and column of the rest has weighted mean 0
// (cells of weight 0 are set to 0; they take no part). It alternates
// moving row means and column means out until neither exceeds 1e-13.
func purify(t, c []float64, na, nb int) (rowM, colM []float64, constant float64) {
	rowM, colM = make([]float64, na), make([]float64, nb)
	for range 1000 {
		// Row a's cells are a*nb + b*1, column b's are b + a*nb.
		moved := math.Max(moveMeans(t, c, na, nb, nb, 1, rowM), moveMeans(t, c, nb, na, 1, nb, colM))
		if moved <= 1e-13 {
			break
		}
	}
	for k := range t {
		if c[k] == 0 {
			t[k] = 0
		}
	}
	// Centre the row effects; their weighted mean is the constant.
	var s, w float64
	for a := range na {
		for b := range nb {
			s += c[a*nb+b] * rowM[a]
			w += c[a*nb+b]
		}
	}
	if w > 0 {
		constant = s / w
		for a := range rowM {
			rowM[a] -= constant
		}
	}
	var cs float64
	for b := range nb {
		var cw float64
		for a := range na {
			cw += c[a*nb+b]
		}
		cs += cw * colM[b]
	}
	if w > 0 {
		m := cs / w
		for b := range colM {
			colM[b] -= m
		}
		constant += m
	}
	return rowM, colM, constant
}

// appendTerms appends the pair terms, in points (points = -factor *
// log-odds), to terms, and adds their effects to each training row's
// points; each term's baseline is its training-weighted mean effect.
func (st *pairStage) appendTerms(terms []score.Term, p *boostProblem, points []float64, factor, wsum float64) []score.Term {
	if st == nil {
		return terms
	}
	for q, pr := range st.pairs {
		ax, bx := st.axes[pr[0]], st.axes[pr[1]]
		eff := make([]float64, len(st.tables[q]))
		for k, v := range st.tables[q] {
			if eff[k] = -factor * v; eff[k] == 0 {
				eff[k] = 0 // no negative zero in the file
			}
		}
		t := score.Term{Feature: p.pre[ax.k].feature, Kind: score.PairTerm, Bins: cloneBins(ax.bins),
			Pair: &score.Pair{Feature: p.pre[bx.k].feature, Bins: cloneBins(bx.bins), Effects: eff, Counts: st.counts[q]}}
		ca, cb := p.pre[ax.k].col, p.pre[bx.k].col
		nb := len(bx.bins)
		for r := range points {
			e := eff[int(ax.of[ca[r]])*nb+int(bx.of[cb[r]])]
			points[r] += e
			t.Baseline += metric.Weight(p.w, r) * e / wsum
		}
		terms = append(terms, t)
	}
	return terms
}

// cloneBins copies bins so that no two terms share a bound.
func cloneBins(bs []score.Bin) []score.Bin {
	out := make([]score.Bin, len(bs))
	for k, b := range bs {
		if b.Lower != nil {
			x := *b.Lower
			b.Lower = &x
		}
		if b.Upper != nil {
			x := *b.Upper
			b.Upper = &x
		}
		b.Categories = slices.Clone(b.Categories)
		out[k] = b
	}
	return out
}
