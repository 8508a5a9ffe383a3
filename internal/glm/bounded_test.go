package glm_test

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/internal/glm"
)

// TestBoundedSingularNamesColumns: two columns that differ by 1e-9 noise
// pass the aliasing test's tolerance but leave X'WX numerically singular;
// the bound-constrained fit then fails naming them (and not the column
// that is independent of them).
func TestBoundedSingularNamesColumns(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	n := 400
	one, a, b, c, y := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	for i := range n {
		one[i] = 1
		a[i] = rng.NormFloat64()
		b[i] = a[i] + 1e-9*rng.NormFloat64()
		c[i] = rng.NormFloat64()
		if rng.Float64() < 1/(1+math.Exp(-a[i]-c[i])) {
			y[i] = 1
		}
	}
	p := glm.Problem{X: [][]float64{one, a, b, c}, Y: y, Names: []string{"(intercept)", "balance", "balance_copy", "age"}}
	inf := math.Inf(1)
	_, err := glm.FitLogisticBounded(context.Background(), p, []bool{true, true, true, true},
		[]float64{-inf, -inf, -inf, -inf}, []float64{inf, inf, inf, inf}, nil, 100, 1e-8)
	require.ErrorIs(t, err, glm.ErrBounded)
	require.Contains(t, err.Error(), "balance, balance_copy")
	require.NotContains(t, err.Error(), "age")
}
