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
	DefaultBoostedPairBins = 32
	// boostedPairSeedSalt makes the pair stage's validation split its own
	// draw, apart from every bag's.
	boostedPairSeedSalt = 0x5041495253 // "PAIRS"
)

// BoostedPair is one pair term Boosted chose: its two features and the
// interaction strength that ranked it.
type BoostedPair struct {
	Features [2]string
	// Strength is the FAST screen's gain: the drop in the second-order
	// approximation of the training log-loss (a sum over rows, in nats)
	// that the best 2x2 table over the pair's coarse bins gives on the
	// residuals of the main effects.
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

// boostPairs is the pair stage of Boosted: on the residuals of the main
// effects (shapes, log-odds per fine bin, and intercept, already centred),
// it ranks every pair of features by the FAST interaction strength (Lou,
// Caruana, Gehrke and Hooker, "Accurate intelligible models with pairwise
// interactions", KDD 2013), boosts the n strongest as tables over coarse
// bins, and purifies each table: the training-weighted mean of every row
// and column is moved into the main effect of its feature (and the
// constant into the intercept), so each main effect keeps its meaning as
// the feature's whole average effect and a pair holds only what its two
// features do together. It updates shapes and returns the new intercept.
//
// The pairs are boosted once, cyclically (a round visits every pair in
// rank order), each step a tree of three cuts on the pair's table as
// InterpretML's interaction step (one cut on one feature, then one cut of
// the other feature on each side, the orientation with the larger gain),
// moved by LearningRate times its Newton step, with early stopping on one
// stratified validation split of the training rows drawn from the seed.
// Pairs are not bagged. A categorical feature with more than
// DefaultBoostedPairBins levels is not paired.
func boostPairs(ctx context.Context, p *boostProblem, shapes [][]float64, intercept float64, n int) (*pairStage, float64, error) {
	if n < 0 {
		return nil, intercept, fmt.Errorf("%w: Interactions %d is negative", score.ErrData, n)
	}
	if n == 0 {
		return nil, intercept, nil
	}
	nf := len(p.pre)
	st := &pairStage{axes: make([]*pairAxis, nf)}
	for k, pb := range p.pre {
		st.axes[k] = newPairAxis(k, pb)
	}
	rows := len(p.y)
	// Residual scores of the main effects.
	s := make([]float64, rows)
	for r := range s {
		v := intercept
		for k, pb := range p.pre {
			v += shapes[k][pb.col[r]]
		}
		s[r] = v
	}
	g, h := make([]float64, rows), make([]float64, rows)
	for r, v := range s {
		pr := 1 / (1 + math.Exp(-v))
		w := metric.Weight(p.w, r)
		g[r], h[r] = w*(pr-p.y[r]), w*pr*(1-pr)
	}
	// 1. FAST: every pair's best 2x2 gain, in parallel (each writes its slot).
	var cand [][2]int
	for a := range nf {
		for b := a + 1; b < nf; b++ {
			if st.axes[a] != nil && st.axes[b] != nil {
				cand = append(cand, [2]int{a, b})
			}
		}
	}
	gains := make([]float64, len(cand))
	parallel(len(cand), func(i int) {
		ax, bx := st.axes[cand[i][0]], st.axes[cand[i][1]]
		gh := newPairHist(ax, bx)
		gh.add(p.pre[ax.k].col, p.pre[bx.k].col, nil, g, h)
		gains[i] = gh.fast(p.o)
	})
	if err := ctx.Err(); err != nil {
		return nil, intercept, err
	}
	order := make([]int, len(cand))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(gains[b], gains[a]) })
	for _, i := range order {
		if len(st.pairs) == n {
			break
		}
		if !(gains[i] > 0) {
			break
		}
		st.pairs = append(st.pairs, cand[i])
		st.chosen = append(st.chosen, BoostedPair{Features: [2]string{p.pre[cand[i][0]].feature, p.pre[cand[i][1]].feature}, Strength: gains[i]})
	}
	if len(st.pairs) == 0 {
		return st, intercept, nil
	}
	// 2. Boost the chosen pairs on one validation split.
	tables, err := st.boost(ctx, p, s)
	if err != nil {
		return nil, intercept, err
	}
	// 3. Purify into the main effects.
	for q, pr := range st.pairs {
		ax, bx := st.axes[pr[0]], st.axes[pr[1]]
		cnt := newPairHist(ax, bx)
		cnt.count(p.pre[ax.k].col, p.pre[bx.k].col, p.w)
		rowM, colM, c := purify(tables[q], cnt.c, len(ax.bins), len(bx.bins))
		intercept += c
		for fb, cb := range ax.of {
			shapes[ax.k][fb] += rowM[cb]
		}
		for fb, cb := range bx.of {
			shapes[bx.k][fb] += colM[cb]
		}
		st.tables = append(st.tables, tables[q])
		st.counts = append(st.counts, cnt.c)
	}
	// The main effects took the marginals: centre them again.
	var wsum float64
	for r := range rows {
		wsum += metric.Weight(p.w, r)
	}
	for k, pb := range p.pre {
		var mean float64
		for b, bs := range pb.stats {
			mean += bs.count * shapes[k][b] / wsum
		}
		if mean == 0 {
			continue
		}
		intercept += mean
		for b := range shapes[k] {
			shapes[k][b] -= mean
		}
	}
	return st, intercept, nil
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
}

func newPairHist(a, b *pairAxis) *pairHist {
	na, nb := len(a.bins), len(b.bins)
	return &pairHist{a: a, b: b, na: na, nb: nb, g: make([]float64, na*nb), h: make([]float64, na*nb), c: make([]float64, na*nb)}
}

// add sums g and h per cell over the rows (all rows when rows is nil);
// ca and cb are the two features' fine bins per row.
func (ph *pairHist) add(ca, cb []uint16, rows []int32, g, h []float64) {
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
	clear(ph.c)
	for r := range ca {
		ph.c[int(ph.a.of[ca[r]])*ph.nb+int(ph.b.of[cb[r]])] += metric.Weight(w, r)
	}
}

// axisOrder is the order in which a cut runs along axis x of the table
// (na or nb positions): range bins in value order, categories by their
// marginal Newton step (smoothed as the main effects'), the missing bin
// last.
func (ph *pairHist) axisOrder(rowsAxis bool) []int {
	ax, n := ph.b, ph.nb
	if rowsAxis {
		ax, n = ph.a, ph.na
	}
	ord := make([]int, n)
	for i := range ord {
		ord[i] = i
	}
	if ax.ranges {
		return ord
	}
	mg, mh := make([]float64, n), make([]float64, n)
	for i := range ph.na {
		for j := range ph.nb {
			x := j
			if rowsAxis {
				x = i
			}
			mg[x] += ph.g[i*ph.nb+j]
			mh[x] += ph.h[i*ph.nb+j]
		}
	}
	cats := ord[:n-1]
	slices.SortStableFunc(cats, func(a, b int) int {
		return cmp.Compare(-mg[a]/(mh[a]+DefaultBoostedCatSmooth), -mg[b]/(mh[b]+DefaultBoostedCatSmooth))
	})
	return ord
}

// grid is a pair's sums laid out with axis A (the cut first made) as rows
// in cut order and axis B as columns in cut order, with prefix sums over
// B for each A position.
type grid struct {
	na, nb  int
	g, h, c []float64 // row-major [A][B]
	at      []int     // at[a*nb+b]: the table cell of grid cell (a, b)
}

func (ph *pairHist) grid(transpose bool) *grid {
	oa, ob := ph.axisOrder(true), ph.axisOrder(false)
	gr := &grid{na: ph.na, nb: ph.nb}
	if transpose {
		gr.na, gr.nb, oa, ob = ph.nb, ph.na, ob, oa
	}
	m := gr.na * gr.nb
	gr.g, gr.h, gr.c, gr.at = make([]float64, m), make([]float64, m), make([]float64, m), make([]int, m)
	for x, a := range oa {
		for y, b := range ob {
			cell := a*ph.nb + b
			if transpose {
				cell = b*ph.nb + a
			}
			k := x*gr.nb + y
			gr.at[k] = cell
			gr.g[k], gr.h[k], gr.c[k] = ph.g[cell], ph.h[cell], ph.c[cell]
		}
	}
	return gr
}

// leafOK says whether a leaf with hessian h and c rows may stand.
func leafOK(h, c float64, o boostOpts) bool {
	return c >= float64(o.minLeaf) && h >= o.minHess && h >= boostedLeafFloor
}

// fast is the FAST interaction strength: the largest gain of a 2x2 table
// (one cut on each feature) over one leaf, sum G^2/H over the four
// quadrants minus G^2/H of the whole; 0 when no cut leaves four leaves
// that may stand.
func (ph *pairHist) fast(o boostOpts) float64 {
	gr := ph.grid(false)
	na, nb := gr.na, gr.nb
	// Column prefix sums of the A-prefix: P[a][b] = sum over A<=a, B<=b.
	pg, phh, pc := make([]float64, na*nb), make([]float64, na*nb), make([]float64, na*nb)
	for a := range na {
		var rg, rh, rc float64
		for b := range nb {
			k := a*nb + b
			rg, rh, rc = rg+gr.g[k], rh+gr.h[k], rc+gr.c[k]
			pg[k], phh[k], pc[k] = rg, rh, rc
			if a > 0 {
				pg[k] += pg[k-nb]
				phh[k] += phh[k-nb]
				pc[k] += pc[k-nb]
			}
		}
	}
	last := na*nb - 1
	tg, th, tc := pg[last], phh[last], pc[last]
	if !leafOK(th, tc, o) {
		return 0
	}
	base := tg * tg / th
	best := 0.0
	for a := 0; a+1 < na; a++ {
		ag, ah, ac := pg[a*nb+nb-1], phh[a*nb+nb-1], pc[a*nb+nb-1] // A <= a
		for b := 0; b+1 < nb; b++ {
			k := a*nb + b
			// The quadrants: A<=a,B<=b; A<=a,B>b; A>a,B<=b; A>a,B>b.
			bg, bh, bc := pg[(na-1)*nb+b], phh[(na-1)*nb+b], pc[(na-1)*nb+b] // B <= b
			var q [4][3]float64
			q[0] = [3]float64{pg[k], phh[k], pc[k]}
			q[1] = [3]float64{ag - pg[k], ah - phh[k], ac - pc[k]}
			q[2] = [3]float64{bg - pg[k], bh - phh[k], bc - pc[k]}
			q[3] = [3]float64{tg - ag - q[2][0], th - ah - q[2][1], tc - ac - q[2][2]}
			gain, ok := 0.0, true
			for _, l := range q {
				if !leafOK(l[1], l[2], o) {
					ok = false
					break
				}
				gain += l[0] * l[0] / l[1]
			}
			if ok && gain-base > best {
				best = gain - base
			}
		}
	}
	return best
}

// tree is the best three-cut step on the pair's sums, in the orientation
// with the larger gain: it writes each table cell's Newton step into d
// (times lr) and reports whether a step was found.
func (ph *pairHist) tree(o boostOpts, d []float64) bool {
	type step struct {
		gain      float64
		gr        *grid
		a, bl, br int // cut after A position a; B cuts on each side (-1: none)
		ok        bool
	}
	var best step
	for _, tr := range []bool{false, true} {
		gr := ph.grid(tr)
		na, nb := gr.na, gr.nb
		// Per A position, the B prefix sums; then over A prefixes.
		colG, colH, colC := make([]float64, nb), make([]float64, nb), make([]float64, nb)
		var tg, th, tc float64
		for k := range gr.g {
			tg, th, tc = tg+gr.g[k], th+gr.h[k], tc+gr.c[k]
		}
		var lg, lh, lc float64
		// bestSide returns the best split of a side given its column sums.
		bestSide := func(cg, ch, cc []float64, sg, sh, sc float64) (float64, int, bool) {
			if !leafOK(sh, sc, o) {
				return 0, -1, false
			}
			bg, bi := sg*sg/sh, -1
			var xg, xh, xc float64
			for b := 0; b+1 < nb; b++ {
				xg, xh, xc = xg+cg[b], xh+ch[b], xc+cc[b]
				yg, yh, yc := sg-xg, sh-xh, sc-xc
				if !leafOK(xh, xc, o) || !leafOK(yh, yc, o) {
					continue
				}
				if gn := xg*xg/xh + yg*yg/yh; gn > bg {
					bg, bi = gn, b
				}
			}
			return bg, bi, true
		}
		for a := 0; a+1 < na; a++ {
			for b := range nb {
				k := a*nb + b
				colG[b] += gr.g[k]
				colH[b] += gr.h[k]
				colC[b] += gr.c[k]
				lg, lh, lc = lg+gr.g[k], lh+gr.h[k], lc+gr.c[k]
			}
			gl, bl, okl := bestSide(colG, colH, colC, lg, lh, lc)
			if !okl {
				continue
			}
			rg, rh, rc := make([]float64, nb), make([]float64, nb), make([]float64, nb)
			for b := range nb {
				var sg, sh, sc float64
				for x := a + 1; x < na; x++ {
					k := x*nb + b
					sg, sh, sc = sg+gr.g[k], sh+gr.h[k], sc+gr.c[k]
				}
				rg[b], rh[b], rc[b] = sg, sh, sc
			}
			grr, br, okr := bestSide(rg, rh, rc, tg-lg, th-lh, tc-lc)
			if !okr {
				continue
			}
			if g := gl + grr; !best.ok || g > best.gain {
				best = step{gain: g, gr: gr, a: a, bl: bl, br: br, ok: true}
			}
		}
	}
	if !best.ok {
		return false
	}
	gr := best.gr
	leaf := func(a0, a1, b0, b1 int) {
		var sg, sh float64
		for a := a0; a < a1; a++ {
			for b := b0; b < b1; b++ {
				sg += gr.g[a*gr.nb+b]
				sh += gr.h[a*gr.nb+b]
			}
		}
		v := -o.lr * sg / sh
		for a := a0; a < a1; a++ {
			for b := b0; b < b1; b++ {
				d[gr.at[a*gr.nb+b]] = v
			}
		}
	}
	for _, side := range [][3]int{{0, best.a + 1, best.bl}, {best.a + 1, gr.na, best.br}} {
		if side[2] < 0 {
			leaf(side[0], side[1], 0, gr.nb)
			continue
		}
		leaf(side[0], side[1], 0, side[2]+1)
		leaf(side[0], side[1], side[2]+1, gr.nb)
	}
	return true
}

// boost boosts the chosen pairs' tables from the main effects' scores s
// and returns them (log-odds per cell, before purification).
func (st *pairStage) boost(ctx context.Context, p *boostProblem, s []float64) ([][]float64, error) {
	o := p.o
	rng := &splitMix{s: o.seed ^ boostedPairSeedSalt}
	rng.next()
	var ev, nev []int32
	for r, y := range p.y {
		if y == 1 {
			ev = append(ev, int32(r))
		} else {
			nev = append(nev, int32(r))
		}
	}
	val := make([]bool, len(p.y))
	for _, grp := range [][]int32{ev, nev} {
		rng.shuffle(grp)
		for _, r := range grp[:int(math.Round(o.valSize*float64(len(grp))))] {
			val[r] = true
		}
	}
	var train, valid []int32
	for r := range p.y {
		if val[r] {
			valid = append(valid, int32(r))
		} else {
			train = append(train, int32(r))
		}
	}
	if len(valid) < boostedMinBagRows || len(train) < boostedMinBagRows {
		return nil, fmt.Errorf("%w: %d rows are too few for the pairs' validation split of %g", score.ErrData, len(p.y), o.valSize)
	}
	ts, vs := make([]float64, len(train)), make([]float64, len(valid))
	for i, r := range train {
		ts[i] = s[r]
	}
	for i, r := range valid {
		vs[i] = s[r]
	}
	np := len(st.pairs)
	hists := make([]*pairHist, np)
	tables, best := make([][]float64, np), make([][]float64, np)
	for q, pr := range st.pairs {
		hists[q] = newPairHist(st.axes[pr[0]], st.axes[pr[1]])
		tables[q] = make([]float64, len(hists[q].g))
		best[q] = make([]float64, len(hists[q].g))
	}
	g, h := make([]float64, len(train)), make([]float64, len(train))
	d := make([]float64, DefaultBoostedPairBins*DefaultBoostedPairBins*4)
	loss := func() float64 {
		var l, ws float64
		for i, v := range vs {
			r := valid[i]
			w := metric.Weight(p.w, int(r))
			l += w * (math.Max(v, 0) + math.Log1p(math.Exp(-math.Abs(v))) - p.y[r]*v)
			ws += w
		}
		return l / ws
	}
	bestLoss := loss()
	ref, stale := bestLoss, 0
	for round := 1; round <= o.maxRounds; round++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		moved := false
		for q := range st.pairs {
			ph := hists[q]
			ca, cb := p.pre[ph.a.k].col, p.pre[ph.b.k].col
			for i, r := range train {
				pp := 1 / (1 + math.Exp(-ts[i]))
				w := metric.Weight(p.w, int(r))
				g[i], h[i] = w*(pp-p.y[r]), w*pp*(1-pp)
			}
			ph.add(ca, cb, train, g, h)
			dd := d[:len(ph.g)]
			clear(dd)
			if !ph.tree(o, dd) {
				continue
			}
			moved = true
			for k, x := range dd {
				tables[q][k] += x
			}
			for i, r := range train {
				ts[i] += dd[int(ph.a.of[ca[r]])*ph.nb+int(ph.b.of[cb[r]])]
			}
			for i, r := range valid {
				vs[i] += dd[int(ph.a.of[ca[r]])*ph.nb+int(ph.b.of[cb[r]])]
			}
		}
		l := loss()
		if l < bestLoss {
			bestLoss = l
			for q := range tables {
				copy(best[q], tables[q])
			}
		}
		if !moved {
			break
		}
		if l < ref*(1-o.tol) {
			ref, stale = l, 0
		} else if stale++; stale >= o.patience {
			break
		}
	}
	return best, nil
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
