package glm

import "testing"

func BenchmarkCrossProd45k(b *testing.B) {
	p := syntheticProblem(45211, 42, 1)
	cp := newCrossProd(p.X, 45211)
	v := ones(45211)
	h := make([]float64, 42*42)
	g := make([]float64, 42)
	b.ReportAllocs()
	for b.Loop() {
		cp.compute(v, v, h, g)
	}
}
