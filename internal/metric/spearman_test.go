package metric

import (
	"encoding/json"
	"math"
	"os"
	"testing"

	"github.com/stretchr/testify/require"
)

// spearmanRef is testdata/spearman.json, made by testdata/spearman.py with
// scipy.stats.spearmanr and scipy.special.betainc.
type spearmanRef struct {
	Spearman []struct {
		Name   string
		X, Y   []float64
		Rho, P float64
	}
	Betainc []struct{ A, B, X, Value float64 }
}

func loadSpearmanRef(t *testing.T) spearmanRef {
	b, err := os.ReadFile("testdata/spearman.json")
	require.NoError(t, err)
	var ref spearmanRef
	require.NoError(t, json.Unmarshal(b, &ref))
	require.NotEmpty(t, ref.Spearman)
	return ref
}

func TestSpearmanMatchesScipy(t *testing.T) {
	for _, c := range loadSpearmanRef(t).Spearman {
		t.Run(c.Name, func(t *testing.T) {
			rho, p := Spearman(c.X, c.Y, nil)
			require.InDelta(t, c.Rho, rho, 1e-12)
			// p relative to its size (5e-11 for German duration).
			require.InDelta(t, c.P, p, 1e-9*c.P+1e-14)
		})
	}
}

func TestRegIncBetaMatchesScipy(t *testing.T) {
	for _, c := range loadSpearmanRef(t).Betainc {
		require.InDelta(t, c.Value, RegIncBeta(c.A, c.B, c.X), 1e-11*c.Value+1e-15, "I_%v(%v, %v)", c.X, c.A, c.B)
	}
	require.True(t, math.IsNaN(RegIncBeta(-1, 1, 0.5)))
	require.True(t, math.IsNaN(RegIncBeta(1, 1, 1.5)))
	// I_x(1, 1) = x by hand.
	require.InDelta(t, 0.37, RegIncBeta(1, 1, 0.37), 1e-15)
}

func TestSpearmanIntegerWeightsAreReplicatedRows(t *testing.T) {
	x := []float64{1, 2, 2, 3, 5, 4, 7, 7}
	y := []float64{0, 0, 1, 0, 1, 1, 1, 0}
	w := []float64{1, 2, 1, 3, 1, 1, 2, 1}
	var xr, yr []float64
	for i := range x {
		for range int(w[i]) {
			xr = append(xr, x[i])
			yr = append(yr, y[i])
		}
	}
	rw, _ := Spearman(x, y, w)
	rr, _ := Spearman(xr, yr, nil)
	require.InDelta(t, rr, rw, 1e-12)
}

func TestSpearmanUndefined(t *testing.T) {
	rho, p := Spearman([]float64{1, 1, 1, 1}, []float64{0, 1, 0, 1}, nil)
	require.True(t, math.IsNaN(rho) && math.IsNaN(p))
	rho, p = Spearman([]float64{1, 2}, []float64{0, 1}, nil)
	require.True(t, math.IsNaN(rho) && math.IsNaN(p))
	rho, p = Spearman([]float64{1, 2, 3, 4}, []float64{0, 0, 1, 1}, nil)
	require.InDelta(t, 2/math.Sqrt(5), rho, 1e-15) // ranks 1..4 vs 1.5,1.5,3.5,3.5
	require.Greater(t, p, 0.0)
	require.Equal(t, 0, SignificantTrend([]float64{1, 2, 3, 4}, []bool{false, false, true, true}, nil, 0.01))
}

func TestSignificantTrendGerman(t *testing.T) {
	ref := loadSpearmanRef(t)
	want := map[string]int{"german duration_in_month": 1, "german credit_amount": 1, "german age_in_years": -1, "lcg 500": 0}
	for _, c := range ref.Spearman {
		w, ok := want[c.Name]
		if !ok {
			continue
		}
		ev := make([]bool, len(c.Y))
		for i, y := range c.Y {
			ev[i] = y == 1
		}
		require.Equal(t, w, SignificantTrend(c.X, ev, nil, 0.01), c.Name)
	}
}
