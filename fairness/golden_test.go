package fairness

import (
	"context"
	"flag"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata")

// golden compares got with testdata/name, or rewrites it under -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := "testdata/" + name
	if *update {
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test -update to create %s", path)
	assert.Equal(t, string(want), got)
}

// TestReportTextGolden pins the text rendering of the hand table (floats at
// three decimals, so the text cannot change with fused multiply-add).
func TestReportTextGolden(t *testing.T) {
	d := handData(handTable)
	d.Groups = append(d.Groups, GroupColumn{Name: "band", Values: strings.Split("x x y y x y x y x y x y y", " ")})
	rep, err := Audit(context.Background(), d, &Options{Bootstrap: 200, Seed: 42, MinGroupSize: 4})
	require.NoError(t, err)
	var sb strings.Builder
	require.NoError(t, rep.WriteText(&sb))
	golden(t, "hand_report.golden", sb.String())
}
