package decision_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/examples/datasets"
	"github.com/candorscore/candor/score/decision"
)

// TestTwoWritersCannotForkTheLog: issue 14's fork. Two writers opening the
// same log file either cannot both have it (the second gets an error), or,
// if they can, what they write together still verifies.
func TestTwoWritersCannotForkTheLog(t *testing.T) {
	m := datasets.MustModel(datasets.ConsentSample)
	path := filepath.Join(t.TempDir(), "decisions.jsonl")
	pol := &decision.Policy{Version: "p1", Purpose: "credit"}
	l1, err := decision.OpenLog(path, testKey)
	require.NoError(t, err)
	defer l1.Close()
	l2, err2 := decision.OpenLog(path, testKey)
	if err2 == nil {
		defer l2.Close()
		for i := range 3 {
			for _, l := range []*decision.Log{l1, l2} {
				d, err := pol.Decide(m, cust(float64(1+i), "a", 2), nil, nil)
				require.NoError(t, err)
				_, err = l.AppendDecision(decision.Input{Time: t0, Model: m, Record: cust(float64(1+i), "a", 2), Decision: &d})
				require.NoError(t, err)
			}
		}
		require.NoError(t, l1.Close())
		require.NoError(t, l2.Close())
		fh, err := os.Open(path)
		require.NoError(t, err)
		defer fh.Close()
		_, err = decision.VerifyLog(fh)
		require.NoError(t, err, "two writers forked the log")
	}
	require.Error(t, err2, "a second writer opened the log")
}
