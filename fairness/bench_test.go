package fairness

import (
	"context"
	"testing"
)

// BenchmarkAuditAdultBootstrap1000 audits Adult (48,842 rows) by sex and
// race (and their intersection) with 1,000 bootstrap replicates. Target
// (DESIGN.md): under 1 s on 2 cores.
func BenchmarkAuditAdultBootstrap1000(b *testing.B) {
	a := loadAdult(b)
	d := a.data()
	opts := &Options{Bootstrap: 1000, Seed: 1}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := Audit(context.Background(), d, opts); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAuditAdultScores is the audit of Adult from scores (AUC and
// calibration per group) without a bootstrap.
func BenchmarkAuditAdultScores(b *testing.B) {
	a := loadAdult(b)
	d := a.data()
	d.Predictions, d.Scores, d.Threshold = nil, a.scores, 0.5
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := Audit(context.Background(), d, nil); err != nil {
			b.Fatal(err)
		}
	}
}
