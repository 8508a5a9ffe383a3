package glm

import (
	"context"
	"testing"
)

// BenchmarkCrossProd45k is one full pass (the Sums with the Hessian) over
// a 45,211-row, 42-column design with one-hot blocks, on all CPUs.
func BenchmarkCrossProd45k(b *testing.B) {
	p := syntheticProblem(45211, 42, 1)
	mp := newMemPass(newCrossProd(p.X, 45211), p.Y, ones(45211))
	beta := make([]float64, 42)
	beta[0] = -1
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := mp.pass(ctx, beta, true); err != nil {
			b.Fatal(err)
		}
	}
}
