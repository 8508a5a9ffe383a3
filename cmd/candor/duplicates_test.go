package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// fit warns of rows that repeat an earlier row on every column, with their
// count and share (trial3: 314 of the Iranian churn file's 3,150 rows said
// nothing): here rows 250-299 repeat rows 0-49, 50 of 300 (16.7%). The
// same rows without the repeats get no warning.
func TestFitWarnsOfDuplicatedRows(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, n int) string {
		var b strings.Builder
		b.WriteString("usage,plan,churn\n")
		for i := range n {
			k := i % 250
			churn := "no"
			if (k*7)%10 < 3 {
				churn = "yes"
			}
			fmt.Fprintf(&b, "%g,%s,%s\n", float64(k)*0.5+0.25, []string{"a", "b", "c"}[k%3], churn)
		}
		path := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(path, []byte(b.String()), 0o644))
		return path
	}
	dup := write("dup.csv", 300)
	code, _, stderr := runCLI(t, "fit", "--data", dup, "--target", "churn", "--event", "yes", "--out", filepath.Join(dir, "m.json"))
	require.Equal(t, 0, code, stderr)
	require.Contains(t, stderr, "warning: duplicated rows: 50 of 300 rows (16.7%) repeat an earlier row on every column")
	rep := filepath.Join(dir, "r.txt")
	code, _, stderr = runCLI(t, "fit", "--model", "scorecard", "--data", dup, "--target", "churn", "--event", "yes", "--report", rep, "--out", filepath.Join(dir, "s.json"))
	require.Equal(t, 0, code, stderr)
	require.Contains(t, stderr, "candor fit: warning: duplicated rows: 50 of 300 rows (16.7%)")
	b, err := os.ReadFile(rep)
	require.NoError(t, err)
	require.Contains(t, string(b), "warning: duplicated rows: 50 of 300 rows (16.7%)")

	code, _, stderr = runCLI(t, "fit", "--data", write("once.csv", 250), "--target", "churn", "--event", "yes", "--out", filepath.Join(dir, "m.json"))
	require.Equal(t, 0, code, stderr)
	require.NotContains(t, stderr, "warning: duplicated rows")
	require.Contains(t, stderr, "duplicated rows: none")
}
