package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// A model input renamed in the data file (duration_in_month ->
// Duration_In_Month) is an error naming it and its close match, in every
// command that scores a file; before, every row scored as missing.
func TestAbsentModelInputIsAnError(t *testing.T) {
	dir := t.TempDir()
	model, data := germanFixture(t, dir, 20)
	b, err := os.ReadFile(data)
	require.NoError(t, err)
	renamed := filepath.Join(dir, "renamed.csv")
	require.NoError(t, os.WriteFile(renamed, []byte(strings.Replace(string(b), "duration_in_month", "Duration_In_Month", 1)), 0o644))
	for _, args := range [][]string{
		{"score", "--model", model, "--data", renamed},
		{"explain", "--model", model, "--data", renamed, "--rows", "1"},
		{"recourse", "--model", model, "--data", renamed, "--rows", "1"},
		{"monitor", "--model", model, "--baseline", data, "--current", renamed},
		{"audit", "--model", model, "--data", renamed, "--label", "creditability", "--favorable", "good",
			"--group", "foreign_worker", "--threshold", "0.5"},
	} {
		code, _, stderr := runCLI(t, args...)
		require.NotEqual(t, 0, code, args[0])
		require.Contains(t, stderr, `"duration_in_month"`, args[0])
		require.Contains(t, stderr, `"Duration_In_Month"`, args[0])
	}
}
