package fit

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/candorscore/candor/score"
	"github.com/stretchr/testify/require"
)

// The pair stage's cut searches as they were before they were made fast
// (commit a0c6ca3, copied unchanged but for the names and the grid
// cache): the reference the fast ones must match bit for bit. The cut
// orders (axisOrder, unchanged but for its reused buffers) and the FAST
// screen's arithmetic (fastGain) are shared: the grid is the old one.

// refGrid is a pair's sums laid out with axis A (the cut first made) as rows
// in cut order and axis B as columns in cut order, with prefix sums over
// B for each A position.
type refGrid struct {
	na, nb  int
	g, h, c []float64 // row-major [A][B]
	at      []int     // at[a*nb+b]: the table cell of grid cell (a, b)
}

func (ph *pairHist) refGrid(transpose bool) *refGrid {
	oa, ob := slices.Clone(ph.axisOrder(true)), slices.Clone(ph.axisOrder(false))
	m := ph.na * ph.nb
	gr := &refGrid{na: ph.na, nb: ph.nb, g: make([]float64, m), h: make([]float64, m), c: make([]float64, m), at: make([]int, m)}
	if transpose {
		gr.na, gr.nb = ph.nb, ph.na
	}
	if transpose {
		oa, ob = ob, oa
	}
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

// refFast is the FAST strength over the dense grid.
func (ph *pairHist) refFast(o boostOpts) float64 {
	gr := ph.refGrid(false)
	return fastGain(gr.na, gr.nb, gr.g, gr.h, gr.c, o)
}

// refTree is the best three-cut step on the pair's sums, in the orientation
// with the larger gain: it writes each table cell's Newton step into d
// (times lr) and returns the gain over one leaf and whether a step was
// found.
func (ph *pairHist) refTree(o boostOpts, d []float64) (float64, bool) {
	var parent float64
	var best treeStep
	for _, tr := range []bool{false, true} {
		gr := ph.refGrid(tr)
		na, nb := gr.na, gr.nb
		// Per A position, the B prefix sums; then over A prefixes.
		colG, colH, colC := make([]float64, nb), make([]float64, nb), make([]float64, nb)
		allG, allH, allC := make([]float64, nb), make([]float64, nb), make([]float64, nb)
		rg, rh, rc := make([]float64, nb), make([]float64, nb), make([]float64, nb)
		var tg, th, tc float64
		for k := range gr.g {
			tg, th, tc = tg+gr.g[k], th+gr.h[k], tc+gr.c[k]
			allG[k%nb] += gr.g[k]
			allH[k%nb] += gr.h[k]
			allC[k%nb] += gr.c[k]
		}
		parent = tg * tg / th
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
			// the right side's column sums: the table's less the left side's
			for b := range nb {
				rg[b], rh[b], rc[b] = allG[b]-colG[b], allH[b]-colH[b], allC[b]-colC[b]
			}
			grr, br, okr := bestSide(rg, rh, rc, tg-lg, th-lh, tc-lc)
			if !okr {
				continue
			}
			best.consider(treeStep{gain: gl + grr, transposed: tr, a: a, bl: bl, br: br})
		}
	}
	if !best.ok {
		return 0, false
	}
	gr := ph.refGrid(best.transposed)
	leaf := func(a0, a1, b0, b1 int) {
		var sg, sh float64
		for a := a0; a < a1; a++ {
			for b := b0; b < b1; b++ {
				sg += gr.g[a*gr.nb+b]
				sh += gr.h[a*gr.nb+b]
			}
		}
		v := newtonStep(o.lr, sg, sh)
		for a := a0; a < a1; a++ {
			for b := b0; b < b1; b++ {
				d[gr.at[a*gr.nb+b]] = v
			}
		}
	}
	best.leaves(gr.na, gr.nb, leaf)
	return best.gain - parent, true
}

// randomPairHist is a pair's sums on random tables: na x nb cells, each
// empty with probability empty (and whole rows and columns empty with
// probability emptyLine), else 1..6 rows with gradients and hessians of
// the log-loss at random probabilities; numeric axes when ranges, else
// categorical ones (the last position the missing bin).
func randomPairHist(rng *rand.Rand, na, nb int, ranges [2]bool, empty, emptyLine float64) *pairHist {
	axis := func(n int, r bool) *pairAxis {
		return &pairAxis{bins: make([]score.Bin, n), of: make([]uint16, n), ranges: r}
	}
	ph := newPairHist(axis(na, ranges[0]), axis(nb, ranges[1]))
	deadRow, deadCol := make([]bool, na), make([]bool, nb)
	for a := range deadRow {
		deadRow[a] = rng.Float64() < emptyLine
	}
	for b := range deadCol {
		deadCol[b] = rng.Float64() < emptyLine
	}
	for a := range na {
		for b := range nb {
			if deadRow[a] || deadCol[b] || rng.Float64() < empty {
				continue
			}
			k := a*nb + b
			for range 1 + rng.IntN(6) {
				p := rng.Float64()
				y := 0.0
				if rng.Float64() < p {
					y = 1
				}
				ph.g[k] += p - y
				ph.h[k] += p * (1 - p)
				ph.c[k]++
			}
		}
	}
	return ph
}

// TestPairCutsMatchTheReference: the fast cut searches (tree, fast) give
// the dense searches' results (refTree, refFast) bit for bit, on random
// tables from dense to nearly empty, with empty rows and columns, numeric
// and categorical axes, and leaf limits that do and do not bind.
func TestPairCutsMatchTheReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(16, 7))
	bits := func(xs []float64) []uint64 {
		out := make([]uint64, len(xs))
		for i, x := range xs {
			out[i] = math.Float64bits(x)
		}
		return out
	}
	steps, found := 0, 0
	for i := range 1000 {
		na, nb := 2+rng.IntN(64), 2+rng.IntN(64)
		if i%5 == 0 {
			na, nb = 2+rng.IntN(4), 2+rng.IntN(4)
		}
		ranges := [2]bool{rng.IntN(2) == 0, rng.IntN(2) == 0}
		empty := []float64{0, 0.5, 0.9, 0.99}[i%4]
		emptyLine := []float64{0, 0.3}[i/4%2]
		o := boostOpts{minLeaf: 1 + rng.IntN(8), minHess: []float64{1e-4, 0.5}[i/8%2], lr: 0.015}
		ph := randomPairHist(rng, na, nb, ranges, empty, emptyLine)
		name := fmt.Sprintf("table %d (%dx%d, ranges %v, empty %g/%g, min leaf %d)", i, na, nb, ranges, empty, emptyLine, o.minLeaf)
		want, got := make([]float64, na*nb), make([]float64, na*nb)
		wg, wok := ph.refTree(o, want)
		// twice: the second search reuses the first's buffers
		for range 2 {
			clear(got)
			gg, gok := ph.tree(o, got)
			require.Equal(t, wok, gok, name)
			require.Equal(t, math.Float64bits(wg), math.Float64bits(gg), name)
			require.Equal(t, bits(want), bits(got), name)
		}
		require.Equal(t, math.Float64bits(ph.refFast(o)), math.Float64bits(ph.fast(o)), name)
		// new sums on the same rows (the next step's): a categorical
		// axis's order moves, and the searches must follow it
		for k, c := range ph.c {
			if c > 0 {
				ph.g[k] = (rng.Float64() - 0.5) * c
			}
		}
		wg, wok = ph.refTree(o, want)
		clear(got)
		gg, gok := ph.tree(o, got)
		require.Equal(t, wok, gok, name)
		require.Equal(t, math.Float64bits(wg), math.Float64bits(gg), name)
		require.Equal(t, bits(want), bits(got), name)
		steps++
		if wok {
			found++
		}
	}
	// the tables exercise both outcomes
	require.Greater(t, found, steps/4)
	require.Less(t, found, steps)
}
