package explain_test

import (
	"context"
	"testing"

	"github.com/candorscore/candor/explain"
	"github.com/candorscore/candor/score"
)

// benchRecourse answers the declined German credit applicants in turn, one
// per iteration: ns/op is the time per customer. cpu-ns/op is the process
// CPU time per customer (run with -cpu 1 on a loaded machine), nodes/op the
// branch-and-bound nodes visited.
func benchRecourse(b *testing.B, m *score.Model, k, maxC int) {
	g := german(b)
	sp, err := explain.NewActionSpace(m, germanActions(), g.table)
	if err != nil {
		b.Fatal(err)
	}
	var recs []score.Record
	for _, i := range declined(b, m, g.table, 0.5) {
		rec, err := g.table.Record(m.Schema(), i)
		if err != nil {
			b.Fatal(err)
		}
		recs = append(recs, rec)
	}
	opts := &explain.RecourseOptions{K: k, MaxChanges: maxC}
	ctx := context.Background()
	b.ReportAllocs()
	nodes, n := 0, 0
	cpu0 := processCPU()
	for ; b.Loop(); n++ {
		r, err := sp.Recourse(ctx, recs[n%len(recs)], opts)
		if err != nil {
			b.Fatal(err)
		}
		nodes += r.Nodes
	}
	if cpu := processCPU() - cpu0; cpu > 0 {
		b.ReportMetric(cpu/float64(n), "cpu-ns/op")
	}
	b.ReportMetric(float64(nodes)/float64(n), "nodes/op")
}

// BenchmarkRecourseGermanScorecard: the cheapest counterfactual (k=1) and
// three diverse ones (k=3) per declined applicant, hand-built quintile
// scorecard (20 features, 274 declined applicants).
func BenchmarkRecourseGermanScorecard(b *testing.B) {
	g := german(b)
	b.Run("k=1", func(b *testing.B) { benchRecourse(b, g.scorecard, 1, 0) })
	b.Run("k=3", func(b *testing.B) { benchRecourse(b, g.scorecard, 3, 0) })
	b.Run("k=3,max=2", func(b *testing.B) { benchRecourse(b, g.scorecard, 3, 2) })
	b.Run("fitted,k=1", func(b *testing.B) { benchRecourse(b, g.fitted, 1, 0) })
	b.Run("fitted,k=3", func(b *testing.B) { benchRecourse(b, g.fitted, 3, 0) })
}

// BenchmarkRecourseGermanLogistic: the same on the logistic model (numeric
// features move over every value seen in training: up to ~900 candidate
// amounts).
func BenchmarkRecourseGermanLogistic(b *testing.B) {
	g := german(b)
	b.Run("k=1", func(b *testing.B) { benchRecourse(b, g.logistic, 1, 0) })
	b.Run("k=3", func(b *testing.B) { benchRecourse(b, g.logistic, 3, 0) })
	b.Run("k=3,max=2", func(b *testing.B) { benchRecourse(b, g.logistic, 3, 2) })
}
