package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// bandsRows are fairness's hand-made bands file (bands_test.go): age,
// outcome, decision.
const bandsRows = "age,y,d\n22,good,yes\n29.5,bad,yes\n30,good,no\n31,good,yes\n45,bad,no\n49.99,good,yes\n" +
	"50,good,yes\n64,bad,no\n70,good,no\n18,bad,no\n35,good,yes\n80,good,yes\n"

// --bands age=30,50 audits three age bands instead of twelve ages, on one
// core and on several (the streamed path, workers merged). Hand-computed
// (rows 3 and 7 sit on an edge and go to the band above): < 30 has rows
// 1, 2, 10, two approved; [30, 50) rows 3, 4, 5, 6, 11, three approved;
// >= 50 rows 7, 8, 9, 12, two approved. A blank age is missing, as a blank
// group always is: left out and counted.
func TestAuditBands(t *testing.T) {
	dir := t.TempDir()
	data := writeFile(t, dir, "ages.csv", bandsRows+",good,yes\n")
	for _, workers := range []string{"1", "3"} {
		code, stdout, stderr := runCLI(t, "audit", "--data", data, "--label", "y", "--favorable", "good", "--prediction", "d",
			"--favorable-prediction", "yes", "--group", "age", "--bands", "age=30,50", "--min-group-size", "-1", "--workers", workers)
		require.Equal(t, 0, code, stderr)
		var rep auditJSON
		require.NoError(t, json.Unmarshal([]byte(stdout), &rep))
		got := map[string][2]float64{}
		var order []string
		for _, g := range rep.Groups {
			got[g.Group] = [2]float64{float64(g.Count), f64(g.SelectionRate)}
			order = append(order, g.Group)
		}
		require.Equal(t, []string{"< 30", "[30, 50)", ">= 50"}, order)
		require.Len(t, got, 3, stdout)
		for name, want := range map[string][2]float64{"< 30": {3, 2.0 / 3}, "[30, 50)": {5, 3.0 / 5}, ">= 50": {4, 2.0 / 4}} {
			require.Equal(t, want[0], got[name][0], name)
			require.InDelta(t, want[1], got[name][1], 1e-12, name)
		}
		require.InDelta(t, 1.0/6, f64(rep.DPD), 1e-12)
		require.Equal(t, 1, rep.Excluded.Count)
		require.Equal(t, 13, rep.Excluded.BlankCells[0].FirstRow)
	}
}

// A banded cell that is not a number is an error naming the column, the
// row and the value; bad --bands flags are errors saying what is wrong.
func TestAuditBandsErrors(t *testing.T) {
	dir := t.TempDir()
	good := writeFile(t, dir, "ages.csv", bandsRows)
	args := func(data string, bands ...string) []string {
		a := []string{"audit", "--data", data, "--label", "y", "--favorable", "good", "--prediction", "d", "--group", "age"}
		for _, b := range bands {
			a = append(a, "--bands", b)
		}
		return a
	}
	for _, c := range []struct {
		name  string
		bands []string
		want  string
	}{
		{"descending", []string{"age=50,30"}, `bands of "age": edges must be strictly ascending (50 then 30)`},
		{"repeated edge", []string{"age=30,30"}, `bands of "age": edges must be strictly ascending (30 then 30)`},
		{"not a number", []string{"age=30,fifty"}, `--bands age=30,fifty: edge "fifty" is not a number`},
		{"hex", []string{"age=0x1e"}, `--bands age=0x1e: edge "0x1e" is not a number`},
		{"no edges", []string{"age="}, `--bands must be COLUMN=E1,E2,... (e.g. age=25,35,45,55,65), got "age="`},
		{"no column", []string{"30,50"}, `--bands must be COLUMN=E1,E2,... (e.g. age=25,35,45,55,65), got "30,50"`},
		{"twice", []string{"age=30", "age=40"}, `--bands: column "age" given twice`},
		{"not a group", []string{"y=1"}, `bands of "y": not a group column (groups: age)`},
	} {
		code, _, stderr := runCLI(t, args(good, c.bands...)...)
		require.NotEqual(t, 0, code, c.name)
		require.Contains(t, stderr, c.want, c.name)
	}
	bad := writeFile(t, dir, "bad.csv", bandsRows+"forty,good,yes\n")
	code, _, stderr := runCLI(t, args(bad, "age=30,50")...)
	require.NotEqual(t, 0, code)
	require.Contains(t, stderr, `column "age", row 13: "forty" is not a number (the column is banded)`)
}

// The numeric-groups warning gives the flag with edges to copy, and the
// flag it gives runs: the warning is then gone.
func TestAuditNumericGroupsAdviceRuns(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("age,y,d\n")
	for i := range 400 {
		age := 18 + (i*37)%50
		fmt.Fprintf(&b, "%d,%s,%s\n", age, map[bool]string{true: "good", false: "bad"}[i%3 > 0], map[bool]string{true: "yes", false: "no"}[(i+age)%4 > 0])
	}
	data := writeFile(t, dir, "ages.csv", b.String())
	base := []string{"audit", "--data", data, "--label", "y", "--favorable", "good", "--prediction", "d", "--favorable-prediction", "yes", "--group", "age"}
	code, stdout, stderr := runCLI(t, base...)
	require.Equal(t, 0, code, stderr)
	var rep auditJSON
	require.NoError(t, json.Unmarshal([]byte(stdout), &rep))
	require.NotEmpty(t, rep.Warnings)
	_, flag, ok := strings.Cut(rep.Warnings[0], "candor audit --bands ")
	require.True(t, ok, rep.Warnings[0])
	flag, _, _ = strings.Cut(flag, " ")
	// 400 rows, 8 per age from 18 to 67 (i*37 mod 50 runs through every
	// residue, 8 times): 80, 160, 240 and 320 rows lie below 28, 38, 48, 58.
	require.Equal(t, "age=28,38,48,58", flag)
	code, stdout, stderr = runCLI(t, append(base, "--bands", flag)...)
	require.Equal(t, 0, code, stderr)
	rep = auditJSON{}
	require.NoError(t, json.Unmarshal([]byte(stdout), &rep))
	require.Len(t, rep.Groups, 5)
	for _, g := range rep.Groups {
		require.Equal(t, 80, g.Count, g.Group)
	}
	for _, w := range rep.Warnings {
		require.NotContains(t, w, "every one a number")
	}
}
