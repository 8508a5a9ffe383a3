package main

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// A column that is another in other units (minutes and the charge for
// them, up to cents) gets a collinearity warning naming both, in the
// logistic and the linear fit; an unrelated column gets none. Before, the
// fit gave +210 and -209 log-odds to the two columns and said nothing.
func TestFitWarnsOfCollinearColumns(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("minutes,charge,calls,spend,churn\n")
	for i := 0; i < 400; i++ {
		minutes := float64((i*37)%300) + 0.5
		charge := math.Round(minutes*(17+0.2*float64(i%3))) / 100 // about 0.17 per minute, in cents
		calls := (i * 13) % 9
		churn := "no"
		if (i*7)%10 < 2+calls/3 {
			churn = "yes"
		}
		fmt.Fprintf(&b, "%g,%.2f,%d,%g,%s\n", minutes, charge, calls, 10+charge*2+float64(calls), churn)
	}
	data := filepath.Join(dir, "c.csv")
	require.NoError(t, os.WriteFile(data, []byte(b.String()), 0o644))

	code, _, stderr := runCLI(t, "fit", "--data", data, "--target", "churn", "--event", "yes",
		"--exclude", "spend", "--out", filepath.Join(dir, "m.json"))
	require.Equal(t, 0, code, stderr)
	require.Contains(t, stderr, "warning: collinear: minutes: variance inflation factor")
	require.Contains(t, stderr, "most correlated with charge (r +0.9998)")
	require.Contains(t, stderr, "warning: collinear: charge:")
	require.NotContains(t, stderr, "collinear: calls")

	code, _, stderr = runCLI(t, "fit", "--model", "linear", "--data", data, "--target", "spend",
		"--exclude", "churn,minutes", "--out", filepath.Join(dir, "l.json"))
	require.Equal(t, 0, code, stderr)
	require.NotContains(t, stderr, "warning: collinear")
	rep := filepath.Join(dir, "r.txt")
	code, _, stderr = runCLI(t, "fit", "--model", "linear", "--data", data, "--target", "spend",
		"--exclude", "churn", "--report", rep, "--out", filepath.Join(dir, "l.json"))
	require.Equal(t, 0, code, stderr)
	require.Contains(t, stderr, "warning: collinear: minutes:")
	out, err := os.ReadFile(rep)
	require.NoError(t, err)
	require.Contains(t, string(out), "warning: collinear: charge:")
}

// The way out a collinearity warning names is one the fit can take: a
// logistic fit without sign constraints is told "leave one out (--exclude)
// or fit with --constrain data"; one already fitted with --constrain data,
// and a linear fit (which refuses --constrain), are told to leave one out
// only. Before, all three were told to fit with --constrain data (the
// Iranian churn file's constrained fit, and its linear fit of Customer
// Value, which `candor fit --model linear --constrain data` refuses).
func TestCollinearWarningNamesAnOpenWayOut(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("minutes,charge,calls,spend,churn\n")
	for i := 0; i < 400; i++ {
		minutes := float64((i*37)%300) + 0.5
		charge := math.Round(minutes*(17+0.2*float64(i%3))) / 100
		calls := (i * 13) % 9
		churn := "no"
		if (i*7)%10 < 2+calls/3 {
			churn = "yes"
		}
		fmt.Fprintf(&b, "%g,%.2f,%d,%g,%s\n", minutes, charge, calls, 10+charge*2+float64(calls), churn)
	}
	data := filepath.Join(dir, "c.csv")
	require.NoError(t, os.WriteFile(data, []byte(b.String()), 0o644))
	both := "their coefficients are unstable and their contributions may offset each other: leave one out (--exclude) or fit with --constrain data\n"
	one := "their coefficients are unstable and their contributions may offset each other: leave one out (--exclude)\n"
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--target", "churn", "--event", "yes", "--exclude", "spend"}, both},
		{[]string{"--target", "churn", "--event", "yes", "--exclude", "spend", "--constrain", "data"}, one},
		{[]string{"--model", "linear", "--target", "spend", "--exclude", "churn"}, one},
	} {
		args := append([]string{"fit", "--data", data, "--out", filepath.Join(dir, "m.json")}, tc.args...)
		code, _, stderr := runCLI(t, args...)
		require.Equal(t, 0, code, stderr)
		require.Contains(t, stderr, "warning: collinear: minutes:", tc.args)
		for _, line := range strings.SplitAfter(stderr, "\n") {
			if strings.HasPrefix(line, "warning: collinear: ") {
				require.True(t, strings.HasSuffix(line, tc.want), "%v: %s", tc.args, line)
			}
		}
	}
}
