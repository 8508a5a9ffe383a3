package metric

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestScoreCountsMergeCoarser: merging a summary pooled on a coarser grid
// into one pooled on a finer grid coarsens the receiver to the coarser
// grid (it used to loop for ever), and the result equals one summary of
// all the rows.
func TestScoreCountsMergeCoarser(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	fine := &ScoreCounts{MaxDistinct: 64}
	coarse := &ScoreCounts{MaxDistinct: 64}
	all := &ScoreCounts{MaxDistinct: 64}
	for range 200 { // a narrow range: pooled on a fine grid
		x := 0.5 + rng.Float64()*1e-3
		fine.Add(x, rng.IntN(2) == 0, 1)
		all.Add(x, x > 0.5005, 1)
	}
	fine = &ScoreCounts{MaxDistinct: 64}
	all = &ScoreCounts{MaxDistinct: 64}
	rows := make([]float64, 0, 4200)
	for range 200 {
		rows = append(rows, 0.5+rng.Float64()*1e-3)
	}
	for range 4000 { // a wide range: pooled on a coarse grid
		rows = append(rows, rng.Float64())
	}
	for i, x := range rows {
		ev := i%3 == 0
		if i < 200 {
			fine.Add(x, ev, 1)
		} else {
			coarse.Add(x, ev, 1)
		}
		all.Add(x, ev, 1)
	}
	require.False(t, fine.Exact())
	require.Less(t, fine.shift, coarse.shift, "the test needs grids of two widths")
	done := make(chan struct{})
	go func() {
		fine.Merge(coarse)
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Merge did not return")
	}
	require.Equal(t, all.shift, fine.shift)
	require.Equal(t, all.AUC(), fine.AUC())
	require.Equal(t, all.KS(), fine.KS())
	ne, ev := fine.Weight()
	require.Equal(t, 4200.0, ne+ev)
}
