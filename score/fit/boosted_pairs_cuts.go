package fit

import (
	"cmp"
	"slices"
)

// The cut searches of a pair's table: the FAST screen's 2x2 tables and
// the boosting step's three-cut trees. A bag's table has as many cells as
// its two axes' coarse bins multiply to (up to 65 x 65), most of them
// empty when the rows are few, and every step searches it: the searches
// run over the cells that hold rows and skip the cut positions that no
// row separates from the one before. Skipping them changes no bit of the
// result: an empty cell's sums are exactly +0 (nothing was ever added to
// them), so leaving them out of a running sum leaves every partial sum as
// it was (x + 0 = x for every x but -0, and a sum started at +0 is never
// -0); a cut after an empty line gives the same two sides, so the same
// gain, as the cut before it, and ties go to the first cut. The searches
// therefore pick the same cuts and return the same gains, bit for bit, as
// the dense searches over every cell (kept in boosted_pairs_ref_test.go
// as the reference).

// pairScratch is a pair's reusable buffers of its cut searches.
type pairScratch struct {
	ord    [2][]int  // the cut order of each axis (rows, columns)
	mg, mh []float64 // marginal sums of a categorical axis
	// tree: its two sides, and the whole table's sums per column (G, H,
	// rows)
	side [2]side
	all  []float64
}

// axisOrder is the order in which a cut runs along one axis of the table
// (the rows' when rowsAxis): range bins in value order, categories by
// their marginal Newton step (smoothed as the main effects'), the missing
// bin last. The slice is the pair's own and reused by the next call.
func (ph *pairHist) axisOrder(rowsAxis bool) []int {
	ax, n, t := ph.b, ph.nb, 1
	if rowsAxis {
		ax, n, t = ph.a, ph.na, 0
	}
	s := &ph.scratch
	if s.ord[t] == nil {
		s.ord[t] = make([]int, n)
	}
	ord := s.ord[t]
	for i := range ord {
		ord[i] = i
	}
	if ax.ranges {
		return ord
	}
	if cap(s.mg) < n {
		s.mg, s.mh = make([]float64, n), make([]float64, n)
	}
	mg, mh := s.mg[:n], s.mh[:n]
	clear(mg)
	clear(mh)
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

// grid is the layout of a pair's table for a cut search: axis A (the cut
// first made) as rows in cut order, axis B as columns in cut order, and
// the cells that hold rows listed row by row in column order. It holds no
// sums: the search reads them from the pair's table.
type grid struct {
	na, nb int
	// rows[x] and cols[y] are grid row x's and column y's positions on
	// their axes; the table cell of grid cell (x, y) is
	// rows[x]*rowStride + cols[y]*colStride.
	rows, cols           []int
	rowStride, colStride int
	// cell and col list the table cell and the grid column of each cell
	// that holds rows; grid row x's are at from[x]:from[x+1].
	cell, col []int32
	from      []int
	valid     bool // the lists match rows, cols and the pair's counts
}

// at is the table cell of grid cell (x, y).
func (gr *grid) at(x, y int) int { return gr.rows[x]*gr.rowStride + gr.cols[y]*gr.colStride }

// grid lays the pair's table out in the cut orders oa (its rows) and ob
// (its columns), transposed or not. The grid is the pair's own: the next
// call reuses it, and rebuilds its lists only when an order or the counts
// changed.
func (ph *pairHist) grid(transpose bool, oa, ob []int) *grid {
	t := 0
	if transpose {
		t = 1
	}
	gr := ph.grids[t]
	if gr == nil {
		gr = &grid{na: ph.na, nb: ph.nb, rowStride: ph.nb, colStride: 1}
		if transpose {
			gr.na, gr.nb, gr.rowStride, gr.colStride = ph.nb, ph.na, 1, ph.nb
		}
		gr.rows, gr.cols, gr.from = make([]int, gr.na), make([]int, gr.nb), make([]int, gr.na+1)
		ph.grids[t] = gr
	}
	if transpose {
		oa, ob = ob, oa
	}
	if gr.valid && slices.Equal(gr.rows, oa) && slices.Equal(gr.cols, ob) {
		return gr
	}
	copy(gr.rows, oa)
	copy(gr.cols, ob)
	gr.cell, gr.col = gr.cell[:0], gr.col[:0]
	for x := range gr.na {
		gr.from[x] = len(gr.cell)
		for y := range gr.nb {
			if k := gr.at(x, y); ph.c[k] != 0 {
				gr.cell, gr.col = append(gr.cell, int32(k)), append(gr.col, int32(y))
			}
		}
	}
	gr.from[gr.na] = len(gr.cell)
	gr.valid = true
	return gr
}

// countsChanged drops the grids' lists: the next search rebuilds them.
func (ph *pairHist) countsChanged() {
	for _, gr := range ph.grids {
		if gr != nil {
			gr.valid = false
		}
	}
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
	gr := ph.grid(false, ph.axisOrder(true), ph.axisOrder(false))
	m := gr.na * gr.nb
	g, h, c := make([]float64, m), make([]float64, m), make([]float64, m)
	for x := range gr.na {
		for y := range gr.nb {
			k := gr.at(x, y)
			g[x*gr.nb+y], h[x*gr.nb+y], c[x*gr.nb+y] = ph.g[k], ph.h[k], ph.c[k]
		}
	}
	return fastGain(gr.na, gr.nb, g, h, c, o)
}

// fastGain is the FAST strength of the sums g, h, c of an na x nb grid
// (row-major, rows and columns in cut order).
func fastGain(na, nb int, g, h, c []float64, o boostOpts) float64 {
	// Column prefix sums of the A-prefix: P[a][b] = sum over A<=a, B<=b.
	pg, phh, pc := make([]float64, na*nb), make([]float64, na*nb), make([]float64, na*nb)
	for a := range na {
		var rg, rh, rc float64
		for b := range nb {
			k := a*nb + b
			rg, rh, rc = rg+g[k], rh+h[k], rc+c[k]
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

// leafLimits are the least rows and hessian of a leaf (leafOK's).
type leafLimits struct{ rows, hess float64 }

func limitsOf(o boostOpts) leafLimits {
	return leafLimits{rows: float64(o.minLeaf), hess: max(o.minHess, boostedLeafFloor)}
}

// ok is leafOK(h, c, o): h >= minHess and h >= boostedLeafFloor is h >=
// the larger of the two.
func (l leafLimits) ok(h, c float64) bool { return c >= l.rows && h >= l.hess }

// side is one side of a tree's first cut: its sums per grid column and in
// all, and its columns that hold rows, in order (a cut after a column
// without rows on the side is the cut before it, so only these are cut).
type side struct {
	g, h, c    []float64
	sg, sh, sc float64
	cols       []int32
}

// best is the best cut of the side's columns: the gain G_L^2/H_L +
// G_R^2/H_R of the best cut (after grid column bi), or G^2/H and bi = -1
// when no cut leaves two leaves that may stand; ok is false when the side
// may not stand itself. A cut leaves the last column (nb-1) on the right.
func (s *side) best(nb int, lim leafLimits) (gain float64, bi int, ok bool) {
	sg, sh, sc := s.sg, s.sh, s.sc
	if !lim.ok(sh, sc) {
		return 0, -1, false
	}
	gain, bi = sg*sg/sh, -1
	var xg, xh, xc float64
	for _, b := range s.cols {
		if int(b) == nb-1 {
			break
		}
		xg, xh, xc = xg+s.g[b], xh+s.h[b], xc+s.c[b]
		yg, yh, yc := sg-xg, sh-xh, sc-xc
		if !lim.ok(xh, xc) || !lim.ok(yh, yc) {
			continue
		}
		if gn := xg*xg/xh + yg*yg/yh; gn > gain {
			gain, bi = gn, int(b)
		}
	}
	return gain, bi, true
}

// sides returns the tree's two sides for nb columns, cleared (the pair's
// own buffers, reused).
func (s *pairScratch) sides(nb int) (left, right *side) {
	for i := range s.side {
		sd := &s.side[i]
		if cap(sd.g) < nb {
			sd.g, sd.h, sd.c, sd.cols = make([]float64, nb), make([]float64, nb), make([]float64, nb), make([]int32, 0, nb)
		}
		sd.g, sd.h, sd.c, sd.cols = sd.g[:nb], sd.h[:nb], sd.c[:nb], sd.cols[:0]
		clear(sd.g)
		clear(sd.h)
		clear(sd.c)
		sd.sg, sd.sh, sd.sc = 0, 0, 0
	}
	if cap(s.all) < 3*nb {
		s.all = make([]float64, 3*nb)
	}
	return &s.side[0], &s.side[1]
}

// tree is the best three-cut step on the pair's sums, in the orientation
// with the larger gain: it writes each table cell's Newton step into d
// (times lr) and returns the gain over one leaf and whether a step was
// found. For each first cut (after grid row a) it takes the best cut of
// the columns on each side; a first cut after a row without rows is the
// cut before it, and is skipped. Moving row a to the left changes the two
// sides' sums in row a's columns only.
func (ph *pairHist) tree(o boostOpts, d []float64) (float64, bool) {
	lim := limitsOf(o)
	var parent float64
	var best treeStep
	oa, ob := ph.axisOrder(true), ph.axisOrder(false)
	for _, tr := range []bool{false, true} {
		gr := ph.grid(tr, oa, ob)
		na, nb := gr.na, gr.nb
		left, right := ph.scratch.sides(nb)
		allG, allH, allC := ph.scratch.all[:nb], ph.scratch.all[nb:2*nb], ph.scratch.all[2*nb:3*nb]
		clear(ph.scratch.all[:3*nb])
		var tg, th, tc float64
		for i, k := range gr.cell {
			b := gr.col[i]
			g, h, c := ph.g[k], ph.h[k], ph.c[k]
			tg, th, tc = tg+g, th+h, tc+c
			allG[b] += g
			allH[b] += h
			allC[b] += c
		}
		parent = tg * tg / th
		// the right side starts as the whole table: its sums per column are
		// the table's less the left side's
		copy(right.g, allG)
		copy(right.h, allH)
		copy(right.c, allC)
		for b, c := range allC {
			if c != 0 {
				right.cols = append(right.cols, int32(b))
			}
		}
		var lg, lh, lc float64
		for a := 0; a+1 < na; a++ {
			lo, hi := gr.from[a], gr.from[a+1]
			if lo == hi {
				continue
			}
			for i := lo; i < hi; i++ {
				k, b := gr.cell[i], gr.col[i]
				g, h, c := ph.g[k], ph.h[k], ph.c[k]
				if left.c[b] == 0 {
					left.cols = insertSorted(left.cols, b)
				}
				left.g[b] += g
				left.h[b] += h
				left.c[b] += c
				lg, lh, lc = lg+g, lh+h, lc+c
				right.g[b], right.h[b], right.c[b] = allG[b]-left.g[b], allH[b]-left.h[b], allC[b]-left.c[b]
				if right.c[b] == 0 {
					right.cols = removeSorted(right.cols, b)
				}
			}
			if !lim.ok(th-lh, tc-lc) {
				continue // the right side may not stand
			}
			left.sg, left.sh, left.sc = lg, lh, lc
			gl, bl, okl := left.best(nb, lim)
			if !okl {
				continue
			}
			right.sg, right.sh, right.sc = tg-lg, th-lh, tc-lc
			grr, br, okr := right.best(nb, lim)
			if !okr {
				continue
			}
			best.consider(treeStep{gain: gl + grr, transposed: tr, a: a, bl: bl, br: br})
		}
	}
	if !best.ok {
		return 0, false
	}
	gr := ph.grids[0]
	if best.transposed {
		gr = ph.grids[1]
	}
	// leaf moves grid rows a0..a1-1 by columns b0..b1-1 by their Newton
	// step (the sums over the cells with rows, row by row in order).
	leaf := func(a0, a1, b0, b1 int) {
		var sg, sh float64
		for i := gr.from[a0]; i < gr.from[a1]; i++ {
			if b := int(gr.col[i]); b >= b0 && b < b1 {
				sg += ph.g[gr.cell[i]]
				sh += ph.h[gr.cell[i]]
			}
		}
		v := newtonStep(o.lr, sg, sh)
		for a := a0; a < a1; a++ {
			row := gr.rows[a] * gr.rowStride
			for _, b := range gr.cols[b0:b1] {
				d[row+b*gr.colStride] = v
			}
		}
	}
	best.leaves(gr.na, gr.nb, leaf)
	return best.gain - parent, true
}

// treeStep is a three-cut tree over a grid (transposed or not): the first
// cut after grid row a, then a cut after column bl on the left side and
// after column br on the right (-1: none), and its gain.
type treeStep struct {
	gain       float64
	transposed bool
	a, bl, br  int
	ok         bool
}

// consider keeps tree c when it is the first or gains more than the
// tree kept (a tie keeps the first).
func (s *treeStep) consider(c treeStep) {
	if !s.ok || c.gain > s.gain {
		*s = c
		s.ok = true
	}
}

// leaves calls leaf with each leaf of the tree on an na x nb grid: grid
// rows a0..a1-1 by columns b0..b1-1.
func (s *treeStep) leaves(na, nb int, leaf func(a0, a1, b0, b1 int)) {
	for _, side := range [][3]int{{0, s.a + 1, s.bl}, {s.a + 1, na, s.br}} {
		if side[2] < 0 {
			leaf(side[0], side[1], 0, nb)
			continue
		}
		leaf(side[0], side[1], 0, side[2]+1)
		leaf(side[0], side[1], side[2]+1, nb)
	}
}

// insertSorted inserts b, not in xs, into sorted xs.
func insertSorted(xs []int32, b int32) []int32 {
	i, _ := slices.BinarySearch(xs, b)
	return slices.Insert(xs, i, b)
}

// removeSorted removes b from sorted xs.
func removeSorted(xs []int32, b int32) []int32 {
	i, found := slices.BinarySearch(xs, b)
	if !found {
		return xs
	}
	return slices.Delete(xs, i, i+1)
}
