package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/examples/datasets"
	"github.com/candorscore/candor/score"
)

// TestFitFeaturesFile: the features file changes how columns are read
// (kind), which are inputs (role), and what the bins are called (special
// codes by meaning); the model file carries it, and later commands take
// labels from the file but refuse what contradicts the fit.
func TestFitFeaturesFile(t *testing.T) {
	dir := t.TempDir()
	tab, err := datasets.Load(datasets.BankMarketing)
	require.NoError(t, err)
	data := filepath.Join(dir, "bank.csv")
	writeTableCSV(t, data, tab, 6000)
	feats := filepath.Join(dir, "features.json")
	require.NoError(t, os.WriteFile(feats, []byte(`{"features": {
		"pdays": {"label": "days since the last campaign's contact", "special": {"-1": "not contacted before"}, "trend": "descending"},
		"day": {"kind": "categorical"},
		"age": {"role": "protected"},
		"duration": {"role": "ignored"}}}`), 0o644))
	model := filepath.Join(dir, "m.json")
	code, _, errOut := runCLI(t, "fit", "--model", "scorecard", "--data", data, "--target", "y", "--event", "yes",
		"--features", feats, "--exclude", "contact", "--out", model)
	require.Equal(t, 0, code, errOut)
	require.Contains(t, errOut, "not contacted before (= -1)", "the special bin is named by its meaning")
	require.Contains(t, errOut, "day (categorical", "kind override")
	require.Contains(t, errOut, "== shapes")
	require.Regexp(t, `pdays\s+\S+\s+declared`, errOut)
	m, err := score.LoadFile(model)
	require.NoError(t, err)
	s := m.Schema()
	pdays, _ := s.Lookup("pdays")
	require.Equal(t, "days since the last campaign's contact", pdays.Label)
	require.Equal(t, map[string]string{"-1": "not contacted before"}, pdays.Special)
	day, _ := s.Lookup("day")
	require.Equal(t, score.Categorical, day.Kind)
	age, _ := s.Lookup("age")
	require.Equal(t, score.Protected, age.Role)
	for _, name := range []string{"duration", "contact"} {
		f, _ := s.Lookup(name)
		require.Equal(t, score.Ignored, f.Role, name)
	}

	// Labels may be added later; a kind that contradicts the model is refused.
	labels := filepath.Join(dir, "labels.json")
	require.NoError(t, os.WriteFile(labels, []byte(`{"features": {"balance": {"label": "your average yearly balance", "unit": "EUR"}}}`), 0o644))
	code, _, errOut = runCLI(t, "explain", "--model", model, "--data", data, "--rows", "1", "--features", labels)
	require.Equal(t, 0, code, errOut)
	bad := filepath.Join(dir, "bad.json")
	require.NoError(t, os.WriteFile(bad, []byte(`{"features": {"day": {"kind": "numeric"}, "Balance": {"label": "x"}}}`), 0o644))
	for _, cmd := range [][]string{
		{"score", "--model", model, "--data", data, "--features", bad},
		{"explain", "--model", model, "--data", data, "--features", bad},
		{"recourse", "--model", model, "--data", data, "--rows", "1", "--features", bad},
		{"monitor", "--model", model, "--baseline", data, "--current", data, "--features", bad},
		{"audit", "--data", data, "--label", "y", "--favorable", "no", "--group", "marital", "--model", model, "--features", bad},
	} {
		code, _, errOut = runCLI(t, cmd...)
		require.Equal(t, 1, code, cmd[0])
		require.Contains(t, errOut, `"Balance"`, cmd[0])
		require.Contains(t, errOut, `did you mean "balance"`, cmd[0])
	}
	kindOnly := filepath.Join(dir, "kind.json")
	require.NoError(t, os.WriteFile(kindOnly, []byte(`{"features": {"day": {"kind": "numeric"}}}`), 0o644))
	code, _, errOut = runCLI(t, "score", "--model", model, "--data", data, "--features", kindOnly)
	require.Equal(t, 1, code)
	require.Contains(t, errOut, "day")
	require.Contains(t, errOut, "kind numeric in the features file, categorical in the model")

	// An unknown key is an error naming it.
	typo := filepath.Join(dir, "typo.json")
	require.NoError(t, os.WriteFile(typo, []byte(`{"features": {"pdays": {"specials": {"-1": "x"}}}}`), 0o644))
	code, _, errOut = runCLI(t, "fit", "--model", "scorecard", "--data", data, "--target", "y", "--event", "yes", "--features", typo)
	require.Equal(t, 1, code)
	require.Contains(t, errOut, "specials")
}

// TestFitScorecardFlags: scaling, rounding, bin limits, weights and
// --special auto reach the scorecard.
func TestFitScorecardFlags(t *testing.T) {
	dir := t.TempDir()
	tab, err := datasets.Load(datasets.BankMarketing)
	require.NoError(t, err)
	data := filepath.Join(dir, "bank.csv")
	writeTableCSV(t, data, tab, tab.Len())
	model := filepath.Join(dir, "m.json")
	code, _, errOut := runCLI(t, "fit", "--model", "scorecard", "--data", data, "--target", "y", "--event", "yes", "--exclude", "duration",
		"--pdo", "20", "--base-points", "500", "--base-odds", "50", "--round", "--max-bins", "3", "--special", "auto",
		"--weights", "campaign", "--out", model)
	require.Equal(t, 0, code, errOut)
	require.Contains(t, errOut, "warning: pdays: value -1 looks like a code")
	require.Contains(t, errOut, "undeclared code (= -1)", "--special auto bins the suspect")
	m, err := score.LoadFile(model)
	require.NoError(t, err)
	sc, ok := m.Scaling()
	require.True(t, ok)
	require.Equal(t, score.NewScaling(500, 50, 20), sc)
	campaign, _ := m.Schema().Lookup("campaign")
	require.Equal(t, score.Ignored, campaign.Role, "the weights column is never an input")
	for j := 0; j < m.NumTerms(); j++ {
		term := m.Term(j)
		ranges := 0
		for _, bin := range term.Bins {
			require.Equal(t, bin.Effect, float64(int(bin.Effect)), "rounded points")
			if bin.Kind == score.RangeBin || bin.Kind == score.CategoryBin {
				ranges++
			}
		}
		require.LessOrEqual(t, ranges, 3, term.Feature)
	}
	require.Equal(t, m.Intercept(), float64(int(m.Intercept())))

	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--special", "maybe"}, "--special must be declared or auto"},
		{[]string{"--min-bin-share", "1.5"}, "--min-bin-share must be in [0, 1)"},
		{[]string{"--weights", "Campaign"}, `did you mean "campaign"`},
		{[]string{"--weights", "job"}, "job"},
	} {
		args := append([]string{"fit", "--model", "scorecard", "--data", data, "--target", "y", "--event", "yes"}, c.args...)
		code, _, errOut := runCLI(t, args...)
		require.Equal(t, 1, code, c.args)
		require.Contains(t, errOut, c.want)
	}
	code, _, errOut = runCLI(t, "fit", "--data", data, "--target", "y", "--event", "yes", "--pdo", "20")
	require.Equal(t, 1, code)
	require.Contains(t, errOut, "apply to --model scorecard only")
}

// An action the fitted model cannot take (a transition to a level the data
// never had: the Iranian churn file's Tariff Plan has plans 1 and 2, and
// the file said {"1": ["3"]}) fails the fit, naming the features file,
// instead of being written into the model, where every later recourse
// failed with an error that named neither the file nor the fix.
func TestFitChecksDeclaredActionsAgainstTheModel(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "churn.csv")
	var b strings.Builder
	b.WriteString("calls,plan,Churn\n")
	for i := range 200 {
		fmt.Fprintf(&b, "%d,%d,%d\n", i%40, 1+i%2, (i%7+i%2)/5)
	}
	require.NoError(t, os.WriteFile(data, []byte(b.String()), 0o644))
	features := filepath.Join(dir, "f.json")
	require.NoError(t, os.WriteFile(features, []byte(`{"features": {"plan": {"kind": "categorical", "action": {"transitions": {"1": ["3"]}}},
  "calls": {"action": {"direction": "increase"}}}}`), 0o644))
	out := filepath.Join(dir, "m.json")
	for _, model := range []string{"logistic", "scorecard"} {
		code, _, stderr := runCLI(t, "fit", "--model", model, "--data", data, "--target", "Churn", "--event", "1", "--features", features, "--out", out)
		require.Equal(t, 1, code, stderr)
		require.Contains(t, stderr, features+": ", model)
		require.Contains(t, stderr, `feature "plan": invalid action specification: label "3" in transitions is not a level of the model`, model)
		require.NoFileExists(t, out, model)
	}
}
