package explain_test

import (
	"math"
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

// encodeAll encodes recs for e's model.
func encodeAll(t testing.TB, e *explain.Explainer, recs []score.Record) []score.Encoded {
	encs := make([]score.Encoded, len(recs))
	for i := range recs {
		require.NoError(t, e.Model().Encode(recs[i], &encs[i]))
	}
	return encs
}

// germanEncoded is the German credit logistic fixture (18 inputs), its
// explainer, and the 1000 applicants' records and encodings.
func germanEncoded(t testing.TB) (*explain.Explainer, []score.Record, []score.Encoded) {
	g := german(t)
	e, err := explain.NewExplainer(g.logistic, nil)
	require.NoError(t, err)
	recs := make([]score.Record, g.table.Len())
	for i := range recs {
		recs[i], err = g.table.Record(g.logistic.Schema(), i)
		require.NoError(t, err)
	}
	return e, recs, encodeAll(t, e, recs)
}

// BenchmarkExplainEncoded: score + full breakdown + top-4 reason codes
// over an encoded record (Model.Encode done beforehand), caller-reused
// buffers: the 20-feature random models of BenchmarkExplain, and the German
// credit logistic model over its 1000 applicants in turn. Target: under
// 400 ns, 0 allocations.
func BenchmarkExplainEncoded(b *testing.B) {
	run := func(b *testing.B, e *explain.Explainer, encs []score.Encoded) {
		var ex explain.Explanation
		b.ReportAllocs()
		i := 0
		cpu0 := benchCPU()
		for b.Loop() {
			if err := e.ExplainEncoded(&encs[i%len(encs)], &ex); err != nil {
				b.Fatal(err)
			}
			i++
		}
		b.ReportMetric(float64(benchCPU()-cpu0)/float64(i), "cpu-ns/op")
	}
	for _, kind := range []score.ModelKind{score.LogisticModel, score.ScorecardModel} {
		b.Run(string(kind), func(b *testing.B) {
			e, recs := benchSetup(b, kind)
			run(b, e, encodeAll(b, e, recs))
		})
	}
	b.Run("german-logistic", func(b *testing.B) {
		e, _, encs := germanEncoded(b)
		run(b, e, encs)
	})
}

func TestExplainEncodedAllocatesNothing(t *testing.T) {
	for _, kind := range []score.ModelKind{score.LogisticModel, score.ScorecardModel} {
		e, recs := benchSetup(t, kind)
		encs := encodeAll(t, e, recs)
		var ex explain.Explanation
		require.NoError(t, e.ExplainEncoded(&encs[0], &ex)) // grow the buffers once
		i := 0
		allocs := testing.AllocsPerRun(200, func() {
			if err := e.ExplainEncoded(&encs[i&63], &ex); err != nil {
				t.Fatal(err)
			}
			i++
		})
		require.Zero(t, allocs, string(kind))
	}
}

// TestExplainEncodedMatchesExplain: over an encoding, the explanation is
// the record's, exactly (the differential test of the fast path): random
// models with missing bins, and the 1000 German credit applicants.
func TestExplainEncodedMatchesExplain(t *testing.T) {
	check := func(t *testing.T, e *explain.Explainer, recs []score.Record, encs []score.Encoded) {
		var want, got explain.Explanation
		for i := range recs {
			require.NoError(t, e.Explain(recs[i], &want))
			require.NoError(t, e.ExplainEncoded(&encs[i], &got))
			require.Equal(t, want.Result, got.Result, "record %d", i)
			require.Equal(t, want.Baseline, got.Baseline)
			require.Equal(t, want.Effects, got.Effects, "record %d", i)
			require.Equal(t, want.Contributions, got.Contributions, "record %d", i)
			require.Equal(t, want.Positions, got.Positions, "record %d", i)
			require.Equal(t, want.Values, got.Values, "record %d", i)
			require.Equal(t, want.Reasons, got.Reasons, "record %d", i)
		}
	}
	for _, kind := range []score.ModelKind{score.LogisticModel, score.ScorecardModel} {
		e, recs := benchSetup(t, kind)
		check(t, e, recs, encodeAll(t, e, recs))
	}
	e, recs, encs := germanEncoded(t)
	check(t, e, recs, encs)

	// A bad record: the same error from both paths.
	_, recs = benchSetup(t, score.LogisticModel)
	e, _ = benchSetup(t, score.LogisticModel)
	bad := append(score.Record(nil), recs[0]...)
	for i := range bad {
		bad[i] = score.Num(math.NaN())
	}
	var ex explain.Explanation
	var enc score.Encoded
	wantErr := e.Explain(bad, &ex)
	require.Error(t, wantErr)
	require.Equal(t, wantErr, e.Model().Encode(bad, &enc))
	require.Equal(t, wantErr, e.ExplainEncoded(&enc, &ex))
	var ee *score.EncodingError
	require.ErrorAs(t, e.ExplainEncoded(&score.Encoded{}, &ex), &ee)
}
