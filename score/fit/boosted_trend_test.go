package fit

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// bruteUnimodal is the unimodal least-squares fit by exhaustion: the
// optimum is constant on blocks of neighbours, each at its weighted mean
// (the KKT conditions of the projection onto the cone of unimodal
// sequences), so it is the best of the 2^(n-1) partitions into blocks
// whose means rise then fall (peak).
func bruteUnimodal(v, w []float64, peak bool) ([]float64, float64) {
	n := len(v)
	best, bestErr := []float64(nil), math.Inf(1)
	for mask := 0; mask < 1<<(n-1); mask++ {
		fit := make([]float64, n)
		start := 0
		var means []float64
		for i := 0; i < n; i++ {
			if i == n-1 || mask&(1<<i) != 0 {
				var sw, swx float64
				for k := start; k <= i; k++ {
					sw, swx = sw+w[k], swx+w[k]*v[k]
				}
				for k := start; k <= i; k++ {
					fit[k] = swx / sw
				}
				means = append(means, swx/sw)
				start = i + 1
			}
		}
		// rise then fall (peak) or fall then rise (valley), ties allowed
		ok, falling := true, false
		for k := 1; k < len(means); k++ {
			up := means[k] > means[k-1]
			if !peak {
				up = means[k] < means[k-1]
			}
			if means[k] == means[k-1] {
				continue
			}
			if up && falling {
				ok = false
				break
			}
			if !up {
				falling = true
			}
		}
		if !ok {
			continue
		}
		var e float64
		for k := range v {
			e += w[k] * (v[k] - fit[k]) * (v[k] - fit[k])
		}
		if e < bestErr-1e-12 {
			best, bestErr = fit, e
		}
	}
	return best, bestErr
}

// TestUnimodalByHand: 1 3 2 5 1 with equal weights is not a peak (3 2 5
// dips); the closest peak pools 3 and 2 at 2.5 (squared error 0.5), giving
// 1 2.5 2.5 5 1.
func TestUnimodalByHand(t *testing.T) {
	got := unimodal([]float64{1, 3, 2, 5, 1}, []float64{1, 1, 1, 1, 1}, true)
	require.InDeltaSlice(t, []float64{1, 2.5, 2.5, 5, 1}, got, 1e-12)
	// the same as a valley, negated
	got = unimodal([]float64{-1, -3, -2, -5, -1}, []float64{1, 1, 1, 1, 1}, false)
	require.InDeltaSlice(t, []float64{-1, -2.5, -2.5, -5, -1}, got, 1e-12)
	// weights: a heavy 2 pulls the pool to (3*1 + 2*3)/4 = 2.25
	got = unimodal([]float64{1, 3, 2, 5, 1}, []float64{1, 1, 3, 1, 1}, true)
	require.InDeltaSlice(t, []float64{1, 2.25, 2.25, 5, 1}, got, 1e-12)
	// already unimodal: unchanged
	got = unimodal([]float64{0, 1, 4, 2, 2, -1}, []float64{2, 1, 1, 1, 1, 1}, true)
	require.InDeltaSlice(t, []float64{0, 1, 4, 2, 2, -1}, got, 1e-12)
}

// TestUnimodalBruteForce: on 3,000 random sequences of 1 to 9 values with
// random weights, unimodal's fit has the least squared error among all
// unimodal block fits (bruteUnimodal), to 1e-9, and is unimodal itself.
func TestUnimodalBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(16, 5))
	for trial := range 3000 {
		n := 1 + rng.IntN(9)
		v, w := make([]float64, n), make([]float64, n)
		for i := range v {
			v[i] = math.Round(rng.NormFloat64()*20) / 4
			w[i] = 0.5 + rng.Float64()*3
		}
		peak := trial%2 == 0
		got := unimodal(v, w, peak)
		want, wantErr := bruteUnimodal(v, w, peak)
		var e float64
		for k := range v {
			e += w[k] * (v[k] - got[k]) * (v[k] - got[k])
		}
		require.InDelta(t, wantErr, e, 1e-9, "trial %d: %v %v", trial, v, w)
		require.InDeltaSlice(t, want, got, 1e-6, "trial %d: %v %v", trial, v, w)
		sign := 1.0
		if !peak {
			sign = -1
		}
		falling := false
		for k := 1; k < n; k++ {
			d := sign * (got[k] - got[k-1])
			if d < -1e-12 {
				falling = true
			}
			require.False(t, falling && d > 1e-12, "trial %d: %v is not unimodal", trial, got)
		}
	}
}

// TestGrowTreeMonotoneLegalCut: with a trend, a step's cut is chosen among
// the cuts whose two sides' Newton steps follow the trend, as InterpretML's
// monotone_constraints does (PartitionOneDimensionalBoosting marks any
// other cut illegal). Six bins of one row and hessian 1 each with Newton
// steps v = -g/h = 4, 4, -4, -4, 0, 3 (by hand: a cut after bin k leaves
// sums S_L, S_R over n_L, n_R bins and gains S_L^2/n_L + S_R^2/n_R - 9/6):
// the best cut is after bin 1 (steps 4 and -5/4, gain 36.75), which an
// ascending trend forbids; pooling its two leaves would give a flat step
// of 0.5 everywhere. The best legal cut is after bin 4 (steps 0 and 3,
// gain 7.5; after bin 3: 0 and 1.5, gain 3), so the step is 0.1 * (0, 0,
// 0, 0, 0, 3). Descending, the best cut is legal and taken: 0.1 * (4, 4,
// -5/4, -5/4, -5/4, -5/4).
func TestGrowTreeMonotoneLegalCut(t *testing.T) {
	order := []int{0, 1, 2, 3, 4, 5}
	v := []float64{4, 4, -4, -4, 0, 3}
	g, h, cnt := make([]float64, 6), []float64{1, 1, 1, 1, 1, 1}, []int32{1, 1, 1, 1, 1, 1}
	for i := range v {
		g[i] = -v[i]
	}
	o := &boostOpts{maxLeaves: 2, minLeaf: 1, minHess: 1e-4, lr: 0.1}
	for _, c := range []struct {
		dir  int8
		want []float64
	}{
		{1, []float64{0, 0, 0, 0, 0, 0.3}},
		{-1, []float64{0.4, 0.4, -0.125, -0.125, -0.125, -0.125}},
		{0, []float64{0.4, 0.4, -0.125, -0.125, -0.125, -0.125}},
	} {
		d := make([]float64, 6)
		growTree(order, g, h, cnt, o, c.dir, nil, d)
		require.InDeltaSlice(t, c.want, d, 1e-12, "dir %d", c.dir)
	}
}
