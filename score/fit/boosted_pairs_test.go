package fit

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/score"
)

// TestPurifyByHand: purify splits a table into row and column effects, a
// constant and a pure rest, by hand on 2x2 tables with equal weights.
func TestPurifyByHand(t *testing.T) {
	cases := []struct {
		name             string
		table, c         []float64
		rows, cols, rest []float64
		constant         float64
	}{
		// 1 2 / 3 4 is additive: mean 2.5, rows -1 +1, columns -0.5 +0.5.
		{"additive", []float64{1, 2, 3, 4}, []float64{1, 1, 1, 1}, []float64{-1, 1}, []float64{-0.5, 0.5}, []float64{0, 0, 0, 0}, 2.5},
		// 1 0 / 0 0: mean 0.25, rows and columns ±0.25, rest ±0.25 checkered.
		{"corner", []float64{1, 0, 0, 0}, []float64{1, 1, 1, 1}, []float64{0.25, -0.25}, []float64{0.25, -0.25}, []float64{0.25, -0.25, -0.25, 0.25}, 0.25},
		// An empty cell takes no part and is set to 0: 1 2 / 3 (x) with
		// weights 1 1 / 1 0 is additive on its three cells (row +2, column
		// +1 from cell (0,0) = 1).
		{"empty cell", []float64{1, 2, 3, 9}, []float64{1, 1, 1, 0}, nil, nil, []float64{0, 0, 0, 0}, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tab := append([]float64(nil), c.table...)
			rows, cols, k := purify(tab, c.c, 2, 2)
			require.InDeltaSlice(t, c.rest, tab, 1e-12)
			if c.rows == nil {
				// every cell with weight is rebuilt exactly
				for a := range 2 {
					for b := range 2 {
						if c.c[a*2+b] > 0 {
							require.InDelta(t, c.table[a*2+b], k+rows[a]+cols[b]+tab[a*2+b], 1e-12)
						}
					}
				}
				return
			}
			require.InDeltaSlice(t, c.rows, rows, 1e-12)
			require.InDeltaSlice(t, c.cols, cols, 1e-12)
			require.InDelta(t, c.constant, k, 1e-12)
		})
	}
}

// TestPairRandomStepRespectsLeafLimits: a random cut's quadrant moves by a
// Newton step only when its hessian reaches MinHessian, as a tree's leaves
// and a main effect's own bins do (randomStep; the random cuts of main
// effects too). On a public mortgage
// extract (testdata/trials/2026-12-04-trial16.md) quadrants of a few rows
// predicted with near certainty (hessian near 0) moved by -lr G/H without
// bound, and the fit with 67 pairs diverged: a pair table of 5e36, main
// effects of 4e38, a training AUC of 0.53. A cell of one row at hessian 1e-6
// and G 0.9999 would move by -15,000. Here, with each cell its own quadrant (a 2 x 2
// table is cut between its two rows and columns), the cell of one row at
// hessian 1e-6 and the cell of 3 rows at 5e-5 (both under MinHessian 1e-4)
// move by 0, the two cells that may stand by -lr G/H: -0.015 * 5/10 and
// -0.015 * -3/6.
func TestPairRandomStepRespectsLeafLimits(t *testing.T) {
	axis := func(n int) *pairAxis {
		return &pairAxis{bins: make([]score.Bin, n), of: make([]uint16, n), ranges: true}
	}
	ph := newPairHist(axis(2), axis(2))
	bg := &bag{p: &boostProblem{o: boostOpts{lr: 0.015, minLeaf: 2, minHess: 1e-4}}, rng: &splitMix{s: 1}}
	term := &boostTerm{feature: -1, pair: ph, nb: 4,
		g:   []float64{5, 0.9999, -3, 2.9e-5},
		h:   []float64{10, 1e-6, 6, 5e-5},
		cnt: []int32{50, 1, 30, 3}}
	d := make([]float64, 4)
	require.Equal(t, 0.0, bg.pairUpdate(term, true, d))
	require.InDeltaSlice(t, []float64{-0.015 * 5 / 10, 0, -0.015 * -3 / 6, 0}, d, 1e-15)
}
