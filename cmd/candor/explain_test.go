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

func TestExplainJSONAddsUp(t *testing.T) {
	dir := t.TempDir()
	model, data := germanFixture(t, dir, 20)
	code, out, errOut := runCLI(t, "explain", "--model", model, "--data", data, "--rows", "1,4", "--format", "json")
	require.Equal(t, 0, code, errOut)
	lines := jsonLines[explainLine](t, out)
	require.Len(t, lines, 2)
	require.Equal(t, 1, lines[0].Row)
	require.Equal(t, 4, lines[1].Row)
	for _, l := range lines {
		sum := *l.Baseline
		for _, c := range l.Contributions {
			sum += c.Effect
		}
		require.InDelta(t, *l.Total, sum, 1e-12, "row %d: baseline + contributions = total", l.Row)
		psum := *l.BaselineProbability
		for _, c := range l.Contributions {
			psum += *c.ProbabilityEffect
		}
		require.InDelta(t, *l.Probability, psum, 1e-12, "row %d: probability parts add up", l.Row)
		require.LessOrEqual(t, len(l.Reasons), 4)
		require.Len(t, l.Text, len(l.Reasons))
		for _, r := range l.Reasons {
			require.Positive(t, r.Effect, "logistic reasons raise the log-odds")
		}
		require.Equal(t, "log-odds", l.Units)
	}

	// candor score --reasons gives the same top reasons.
	code, out, errOut = runCLI(t, "score", "--model", model, "--data", data, "--reasons", "4")
	require.Equal(t, 0, code, errOut)
	first := strings.SplitN(out, "\n", 2)[0]
	var sl scoreLine
	require.NoError(t, json.Unmarshal([]byte(first), &sl))
	require.Len(t, sl.Reasons, len(lines[0].Reasons))
	for k, r := range sl.Reasons {
		require.Equal(t, lines[0].Reasons[k].Code, r.Code)
		require.InDelta(t, lines[0].Reasons[k].Effect, r.Effect, 1e-15)
	}
}

func TestExplainTextLanguagesAndCharts(t *testing.T) {
	dir := t.TempDir()
	model, data := germanFixture(t, dir, 5)
	code, out, errOut := runCLI(t, "explain", "--model", model, "--data", data, "--rows", "2", "--lang", "de")
	require.Equal(t, 0, code, errOut)
	require.Contains(t, out, "row 2: score")
	require.Contains(t, out, "wirkte sich nachteilig auf das Ergebnis aus")

	svg := filepath.Join(dir, "w.svg")
	code, _, errOut = runCLI(t, "explain", "--model", model, "--data", data, "--rows", "2", "--chart", svg, "--baseline", "best")
	require.Equal(t, 0, code, errOut)
	b, err := os.ReadFile(svg)
	require.NoError(t, err)
	require.Contains(t, string(b), "<svg")
	require.Contains(t, string(b), "duration_in_month")

	png := filepath.Join(dir, "w.png")
	code, _, errOut = runCLI(t, "explain", "--model", model, "--data", data, "--rows", "1-2", "--chart", png, "--baseline", "cutoff", "--reference-size", "3")
	require.Equal(t, 0, code, errOut)
	for _, p := range []string{"w-row1.png", "w-row2.png"} {
		b, err := os.ReadFile(filepath.Join(dir, p))
		require.NoError(t, err)
		require.Equal(t, "\x89PNG", string(b[:4]))
	}
}

func TestExplainSensitiveWithheld(t *testing.T) {
	dir := t.TempDir()
	model, data := germanFixture(t, dir, 3)
	editFeature(t, model, "credit_amount", func(f *score.Feature) { f.Sensitive = true })
	// Row 2's credit amount is 5951 and is among its top reasons.
	for _, format := range []string{"json", "text"} {
		code, out, errOut := runCLI(t, "explain", "--model", model, "--data", data, "--rows", "2", "--format", format)
		require.Equal(t, 0, code, errOut)
		require.Contains(t, out, "credit")
		require.NotContains(t, out, "5951", format)
	}
	code, out, _ := runCLI(t, "explain", "--model", model, "--data", data, "--rows", "2", "--format", "json", "--show-sensitive")
	require.Equal(t, 0, code)
	require.Contains(t, out, "5951")
}

func TestExplainErrors(t *testing.T) {
	dir := t.TempDir()
	model, data := germanFixture(t, dir, 3)
	for name, args := range map[string][]string{
		"format":   {"--format", "xml"},
		"language": {"--lang", "fr"},
		"rows":     {"--rows", "9"},
		"baseline": {"--baseline", "median"},
		"chart":    {"--rows", "1", "--chart", filepath.Join(dir, "x.gif")},
	} {
		code, _, errOut := runCLI(t, append([]string{"explain", "--model", model, "--data", data}, args...)...)
		require.Equal(t, 1, code, name)
		require.Contains(t, errOut, "candor explain:", name)
	}
	// A bad row is reported and the others explained.
	bad := filepath.Join(dir, "bad.csv")
	raw, err := os.ReadFile(data)
	require.NoError(t, err)
	lines := strings.Split(string(raw), "\n")
	lines[2] = strings.Replace(lines[2], "radio/television", "spaceship", 1)
	require.NoError(t, os.WriteFile(bad, []byte(strings.Join(lines, "\n")), 0o644))
	code, out, errOut := runCLI(t, "explain", "--model", model, "--data", bad, "--format", "json")
	require.Equal(t, 1, code)
	require.Contains(t, errOut, "1 of 3 rows")
	require.Contains(t, out, `"row":2,"error":`)
	require.Contains(t, out, "unknown category")
}

func TestExplainGlobal(t *testing.T) {
	dir := t.TempDir()
	model, data := germanFixture(t, dir, 50)
	code, out, errOut := runCLI(t, "explain", "--model", model, "--data", data, "--global", "--format", "json")
	require.Equal(t, 0, code, errOut)
	var g globalJSON
	require.NoError(t, json.Unmarshal([]byte(out), &g))
	require.Equal(t, 50, g.Rows)
	m, err := score.LoadFile(model)
	require.NoError(t, err)
	require.Len(t, g.Importance, m.NumTerms())
	require.Len(t, g.Shapes, m.NumTerms())
	for k := 1; k < len(g.Importance); k++ {
		require.GreaterOrEqual(t, g.Importance[k-1].MeanAbs, g.Importance[k].MeanAbs)
	}
	code, out, errOut = runCLI(t, "explain", "--model", model, "--data", data, "--global", "--rows", "1-10")
	require.Equal(t, 0, code, errOut)
	require.Contains(t, out, "feature importance over 10 rows")
	// The lines under the shapes heading are contributions (effect minus
	// the baseline's), so the heading names them so.
	require.Contains(t, out, "contribution of each value (log-odds from the population baseline")
	require.NotContains(t, out, "effect shapes")
}

// --reasons means what explain.Options.MaxReasons means: 0 the default
// (4), -1 all. Before, --reasons 0 gave every reason.
func TestExplainReasonsAgreeWithLibrary(t *testing.T) {
	dir := t.TempDir()
	model, data := germanFixture(t, dir, 40)
	count := func(n string) []int {
		code, out, errOut := runCLI(t, "explain", "--model", model, "--data", data, "--format", "json", "--reasons", n)
		require.Equal(t, 0, code, errOut)
		var k []int
		for _, l := range jsonLines[explainLine](t, out) {
			k = append(k, len(l.Reasons))
		}
		return k
	}
	def, zero, all := count("4"), count("0"), count("-1")
	require.Equal(t, def, zero)
	more := false
	for i := range all {
		require.LessOrEqual(t, zero[i], 4)
		more = more || all[i] > zero[i]
	}
	require.True(t, more, "some row has more than 4 reasons")
	// score: 0 none (the default), -1 all.
	code, out, errOut := runCLI(t, "score", "--model", model, "--data", data, "--reasons", "-1")
	require.Equal(t, 0, code, errOut)
	for i, l := range jsonLines[scoreLine](t, out) {
		require.Len(t, l.Reasons, all[i])
	}
}

// An actions file that names a feature the model lacks is refused naming
// the file, the feature and its close match (trial3: "Frequency of sms"
// for "Frequency of SMS" said only "unknown feature"), as a misspelt
// --target is; an immutable entry too. Every command that reads --actions
// goes through readActionsFile.
func TestActionsUnknownFeatureCloseMatch(t *testing.T) {
	dir := t.TempDir()
	model, data := germanFixture(t, dir, 5)
	acts := filepath.Join(dir, "acts.json")
	require.NoError(t, os.WriteFile(acts, []byte(`{"immutable": ["Age_in_years"], "features": {"Duration in month": {"direction": "decrease"}}}`), 0o644))
	for _, cmd := range []string{"explain", "recourse", "check"} {
		code, _, errText := runCLI(t, cmd, "--model", model, "--data", data, "--actions", acts)
		require.Equal(t, 1, code, cmd)
		require.Contains(t, errText, acts+`: feature "Duration in month": unknown feature: action for a feature not in the model (did you mean "duration_in_month"?)`, cmd)
		require.Contains(t, errText, `feature "Age_in_years": unknown feature: immutable feature not in the model (did you mean "age_in_years"?)`, cmd)
	}
}
