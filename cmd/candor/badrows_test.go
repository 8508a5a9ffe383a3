package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/score"
)

// hugeCoefModel writes a logistic model whose income coefficient is
// 1e300: ordinary incomes score, 1e10 overflows to +Inf.
func hugeCoefModel(t *testing.T, dir string) string {
	t.Helper()
	m, err := score.NewModel(score.Spec{Name: "huge", Version: "1", Kind: score.LogisticModel,
		Target: "y", Event: "bad",
		Features: []score.Feature{{Name: "income", Kind: score.Numeric}, {Name: "y", Kind: score.Categorical, Role: score.Ignored}},
		Terms:    []score.Term{{Feature: "income", Kind: score.LinearTerm, Coef: 1e300}}})
	require.NoError(t, err)
	p := filepath.Join(dir, "huge.json")
	require.NoError(t, m.SaveFile(p))
	return p
}

// A score that overflows to +Inf used to abort score and explain with
// "json: unsupported value: +Inf" naming no row; now it is that row's error.
func TestOverflowIsARowError(t *testing.T) {
	dir := t.TempDir()
	model := hugeCoefModel(t, dir)
	data := writeFile(t, dir, "d.csv", "income,y\n0,good\n1e10,bad\n-1e-300,good\n")
	for _, cmd := range [][]string{
		{"score", "--model", model, "--data", data},
		{"explain", "--model", model, "--data", data, "--format", "json"},
	} {
		code, out, errOut := runCLI(t, cmd...)
		require.Equal(t, 1, code, cmd[0])
		require.NotContains(t, errOut, "unsupported value", cmd[0])
		require.Contains(t, errOut, "1 of 3 rows", cmd[0])
		lines := jsonLines[map[string]any](t, out)
		require.Len(t, lines, 3, cmd[0])
		require.Nil(t, lines[0]["error"], cmd[0])
		require.Nil(t, lines[2]["error"], cmd[0])
		msg, _ := lines[1]["error"].(string)
		require.Contains(t, msg, "row 2", cmd[0])
		require.Contains(t, msg, `"income"`, cmd[0])
		require.Contains(t, msg, "not finite", cmd[0])
	}
}

// A stray quote in row 3 used to refuse the whole file (0 rows scored).
func TestScoreStrayQuoteCostsOneRow(t *testing.T) {
	dir := t.TempDir()
	model, data := germanFixture(t, dir, 6)
	b, err := os.ReadFile(data)
	require.NoError(t, err)
	lines := strings.SplitAfter(string(b), "\n")
	lines[3] = strings.Replace(lines[3], ",", `,"`, 1) // row 3 gets an opening quote never closed
	require.NoError(t, os.WriteFile(data, []byte(strings.Join(lines, "")), 0o644))
	code, out, errOut := runCLI(t, "score", "--model", model, "--data", data)
	require.Equal(t, 1, code)
	require.Contains(t, errOut, "1 of 6 rows")
	rows := jsonLines[map[string]any](t, out)
	require.Len(t, rows, 6)
	for i, r := range rows {
		if i == 2 {
			require.Contains(t, r["error"], "row 3")
			require.Contains(t, r["error"], "quote")
			continue
		}
		require.Nil(t, r["error"], "row %d", i+1)
		require.NotNil(t, r["probability"], "row %d", i+1)
	}
}

// audit --model used to stop at the first row it could not score; now it
// leaves the row out and counts it.
func TestAuditModelSkipsUnscorableRows(t *testing.T) {
	dir := t.TempDir()
	model, data := germanFixture(t, dir, 200)
	b, err := os.ReadFile(data)
	require.NoError(t, err)
	lines := strings.SplitAfter(string(b), "\n")
	// Row 5's duration becomes text the model cannot score.
	cells := strings.Split(lines[5], ",")
	header := strings.Split(strings.TrimSpace(lines[0]), ",")
	for j, h := range header {
		if h == "duration_in_month" {
			cells[j] = "soon"
		}
	}
	lines[5] = strings.Join(cells, ",")
	require.NoError(t, os.WriteFile(data, []byte(strings.Join(lines, "")), 0o644))
	code, out, errOut := runCLI(t, "audit", "--data", data, "--label", "creditability", "--favorable", "good",
		"--model", model, "--group", "personal_status_and_sex")
	require.Equal(t, 0, code, errOut)
	require.Contains(t, errOut, "left out 1 row the model could not score")
	require.Contains(t, errOut, "row 5")
	var r struct {
		Groups []struct {
			Count float64 `json:"count"`
		} `json:"groups"`
		Unscored struct {
			Count int   `json:"count"`
			Rows  []int `json:"rows"`
		} `json:"unscored_rows"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &r))
	total := 0.0
	for _, g := range r.Groups {
		total += g.Count
	}
	require.Equal(t, 199.0, total, "the unscorable row is left out")
	require.Equal(t, 1, r.Unscored.Count)
	require.Equal(t, []int{5}, r.Unscored.Rows)
}
