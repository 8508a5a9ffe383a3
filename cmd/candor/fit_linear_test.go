package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestFitLinearCLI: an exact linear relation is recovered (y = 2 + 3x + 5 for
// city=b), scored back exactly, and --event is refused for linear models.
func TestFitLinearCLI(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "spend.csv")
	csv := "x,city,spend\n1,a,5\n2,a,8\n3,b,16\n4,b,19\n5,a,17\n0,b,7\n"
	require.NoError(t, os.WriteFile(data, []byte(csv), 0o644))
	model := filepath.Join(dir, "m.json")
	code, _, errOut := runCLI(t, "fit", "--model", "linear", "--data", data, "--target", "spend", "--out", model)
	require.Equal(t, 0, code, errOut)
	require.Contains(t, errOut, "linear regression (OLS) of spend")
	require.Contains(t, errOut, "R2 1.0000")

	code, out, errOut := runCLI(t, "score", "--model", model, "--data", data)
	require.Equal(t, 0, code, errOut)
	want := []float64{5, 8, 16, 19, 17, 7}
	for i, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var got struct {
			Row   int      `json:"row"`
			Score *float64 `json:"score"`
		}
		require.NoError(t, json.Unmarshal([]byte(line), &got))
		require.Equal(t, i+1, got.Row)
		require.NotNil(t, got.Score)
		require.InDelta(t, want[i], *got.Score, 1e-9)
	}

	code, _, errOut = runCLI(t, "fit", "--model", "linear", "--data", data, "--target", "spend", "--event", "yes")
	require.Equal(t, 1, code)
	require.Contains(t, errOut, "--event does not apply")
}

// `fit --model linear --unseen neutral` gives each categorical term an
// effect for an unseen label (the report lists them); riskiest is refused.
func TestFitLinearUnseen(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("region,spend\n")
	for i := range 30 {
		fmt.Fprintf(&b, "%s,%d\n", []string{"north", "south", "west"}[i%3], []int{10, 20, 60}[i%3]+i%4)
	}
	data := writeFile(t, dir, "spend.csv", b.String())
	code, _, stderr := runCLI(t, "fit", "--model", "linear", "--data", data, "--target", "spend", "--unseen", "neutral", "--out", filepath.Join(dir, "m.json"))
	require.Equal(t, 0, code, stderr)
	require.Contains(t, stderr, "unseen categories (at scoring time; --unseen):\nregion: an unseen category gets effect")
	code, _, stderr = runCLI(t, "fit", "--model", "linear", "--data", data, "--target", "spend", "--unseen", "riskiest", "--out", filepath.Join(dir, "m.json"))
	require.Equal(t, 1, code)
	require.Contains(t, stderr, "no adverse direction")
}
