package main

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestCreditScorecard runs the example and checks what it prints and writes.
// The held-out figures are the rounded scorecard's on the fixed i % 10 < 3
// split; 600 points at 19:1 odds is the scaling's definition (1/20 = 0.05).
func TestCreditScorecard(t *testing.T) {
	dir := t.TempDir()
	r, w, err := os.Pipe()
	require.NoError(t, err)
	stdout := os.Stdout
	os.Stdout = w
	done := make(chan string)
	go func() { b, _ := io.ReadAll(r); done <- string(b) }()
	runErr := run(dir, true)
	w.Close()
	os.Stdout = stdout
	out := <-done
	require.NoError(t, runErr)
	require.Contains(t, out, "German credit scorecard: 700 training rows, 210 events")
	require.Contains(t, out, "rows 300, events 90, AUC 0.7737, Gini 0.5474, KS 0.5000")
	require.Contains(t, out, "600 points = probability of bad credit 0.0500")
	svgs, err := filepath.Glob(filepath.Join(dir, "*.svg"))
	require.NoError(t, err)
	require.Greater(t, len(svgs), 5)
	for _, p := range svgs {
		b, err := os.ReadFile(p)
		require.NoError(t, err)
		require.True(t, strings.Contains(string(b), "<svg"), p)
	}
}
