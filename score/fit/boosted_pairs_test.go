package fit

import (
	"testing"

	"github.com/stretchr/testify/require"
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
