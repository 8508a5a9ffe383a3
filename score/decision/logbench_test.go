package decision_test

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/examples/datasets"
	"github.com/candorscore/candor/score/decision"
)

// BenchmarkAppendDecisionFile is BenchmarkAppendDecision on a log file
// (OpenLog): the lock held, every record written with its checkpoint.
func BenchmarkAppendDecisionFile(b *testing.B) {
	m := datasets.MustModel(datasets.ConsentSample)
	pol := &decision.Policy{Version: "p", Purpose: "credit"}
	d, err := pol.Decide(m, cust(6, "a", 2), nil, nil)
	require.NoError(b, err)
	l, err := decision.OpenLog(filepath.Join(b.TempDir(), "decisions.jsonl"), testOpts())
	require.NoError(b, err)
	defer l.Close()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := l.AppendDecision(decision.Input{Time: t0, Model: m, Record: cust(6, "a", 2), Decision: &d}); err != nil {
			b.Fatal(err)
		}
	}
}
