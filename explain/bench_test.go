package explain_test

import (
	"math/rand/v2"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/explain"
	"github.com/candorscore/candor/score"
)

func benchSetup(t testing.TB, kind score.ModelKind) (*explain.Explainer, []score.Record) {
	rng := rand.New(rand.NewPCG(3, 4))
	m := randomModel(t, rng, 20, kind)
	recs := make([]score.Record, 64)
	for i := range recs {
		recs[i] = randomRecord(rng, m)
	}
	e, err := explain.NewExplainer(m, nil)
	require.NoError(t, err)
	return e, recs
}

// BenchmarkExplain: score + full breakdown + top-4 reason codes, 20
// features, caller-reused buffers. Target: under 1 µs, 0 allocations.
func BenchmarkExplain(b *testing.B) {
	for _, kind := range []score.ModelKind{score.LogisticModel, score.ScorecardModel} {
		b.Run(string(kind), func(b *testing.B) {
			e, recs := benchSetup(b, kind)
			var ex explain.Explanation
			b.ReportAllocs()
			i := 0
			cpu0 := benchCPU()
			for b.Loop() {
				if err := e.Explain(recs[i&63], &ex); err != nil {
					b.Fatal(err)
				}
				i++
			}
			// CPU time per call, which a loaded machine inflates less
			// than wall time.
			b.ReportMetric(float64(benchCPU()-cpu0)/float64(i), "cpu-ns/op")
		})
	}
}

// BenchmarkAppendReasons is the append-style variant.
func BenchmarkAppendReasons(b *testing.B) {
	e, recs := benchSetup(b, score.ScorecardModel)
	var ex explain.Explanation
	dst := make([]explain.Reason, 0, 4)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		var err error
		dst, err = e.AppendReasons(dst[:0], recs[i&63], &ex)
		if err != nil {
			b.Fatal(err)
		}
		i++
	}
}

func TestExplainAllocatesNothing(t *testing.T) {
	for _, kind := range []score.ModelKind{score.LogisticModel, score.ScorecardModel} {
		e, recs := benchSetup(t, kind)
		var ex explain.Explanation
		require.NoError(t, e.Explain(recs[0], &ex)) // grow the buffers once
		i := 0
		allocs := testing.AllocsPerRun(200, func() {
			if err := e.Explain(recs[i&63], &ex); err != nil {
				t.Fatal(err)
			}
			i++
		})
		require.Zero(t, allocs, string(kind))
		dst := make([]explain.Reason, 0, 4)
		allocs = testing.AllocsPerRun(200, func() {
			dst, _ = e.AppendReasons(dst[:0], recs[i&63], &ex)
			i++
		})
		require.Zero(t, allocs, string(kind))
	}
}

// BenchmarkScoreOnly is the model's own scoring of the same records, for
// comparison with BenchmarkExplain.
func BenchmarkScoreOnly(b *testing.B) {
	e, recs := benchSetup(b, score.ScorecardModel)
	m := e.Model()
	b.ReportAllocs()
	i := 0
	cpu0 := benchCPU()
	for b.Loop() {
		if _, err := m.Score(recs[i&63]); err != nil {
			b.Fatal(err)
		}
		i++
	}
	b.ReportMetric(float64(benchCPU()-cpu0)/float64(i), "cpu-ns/op")
}

// benchCPU is the process's user+system CPU time in nanoseconds.
func benchCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
