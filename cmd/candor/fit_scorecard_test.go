package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/examples/datasets"
	"github.com/candorscore/candor/score"
)

func TestFitScorecardCLI(t *testing.T) {
	dir := t.TempDir()
	tab, err := datasets.Load(datasets.GermanCredit)
	require.NoError(t, err)
	data := filepath.Join(dir, "german.csv")
	writeTableCSV(t, data, tab, tab.Len())
	model := filepath.Join(dir, "scorecard.json")
	code, out, errOut := runCLI(t, "fit", "--model", "scorecard", "--data", data, "--target", "creditability", "--event", "bad",
		"--protected", "personal_status_and_sex,age_in_years,foreign_worker", "--out", model)
	require.Equal(t, 0, code, errOut)
	require.Empty(t, out, "the model goes to --out")
	for _, want := range []string{"candor fit: scorecard of creditability=bad", "== selection ==", "== points ==",
		"base points", "== binning", "duration_in_month (numeric, trend ascending"} {
		require.Contains(t, errOut, want)
	}
	m, err := score.LoadFile(model)
	require.NoError(t, err)
	require.Equal(t, score.ScorecardModel, m.Kind())
	for j := 0; j < m.NumTerms(); j++ {
		require.NotContains(t, []string{"personal_status_and_sex", "age_in_years", "foreign_worker"}, m.Term(j).Feature)
	}

	// --report writes the same report to a file, and stderr stays quiet.
	rep := filepath.Join(dir, "report.txt")
	code, _, errOut2 := runCLI(t, "fit", "--model", "scorecard", "--data", data, "--target", "creditability", "--event", "bad",
		"--protected", "personal_status_and_sex,age_in_years,foreign_worker", "--out", filepath.Join(dir, "m2.json"), "--report", rep)
	require.Equal(t, 0, code, errOut2)
	b, err := os.ReadFile(rep)
	require.NoError(t, err)
	require.Equal(t, errOut, string(b))
	require.NotContains(t, errOut2, "== points ==")

	// candor score adds points, consistent with the model and its scaling.
	code, out, errOut = runCLI(t, "score", "--model", model, "--data", data)
	require.Equal(t, 0, code, errOut)
	lines := jsonLines[scoreLine](t, out)
	for _, l := range lines {
		require.NotNil(t, l.Points, "row %d", l.Row)
		rec, err := tab.Record(m.Schema(), l.Row-1)
		require.NoError(t, err)
		r, err := m.Score(rec)
		require.NoError(t, err)
		require.InDelta(t, r.Score, *l.Points, 1e-9)
		require.InDelta(t, float64(m.Link(*l.Points).Probability), *l.Probability, 1e-12)
	}
	require.Len(t, lines, 1000)

	code, _, errOut = runCLI(t, "fit", "--model", "scorecard", "--data", data, "--target", "creditability", "--event", "nobody")
	require.Equal(t, 1, code)
	require.Contains(t, errOut, "unusable training data")
}

func TestDemoPrintsScorecard(t *testing.T) {
	code, out, errOut := runCLI(t, "demo")
	require.Equal(t, 0, code, errOut)
	require.Contains(t, out, "points scorecard:")
	require.Contains(t, out, "scorecard german-credit-scorecard (version 1): base points")
	require.Contains(t, out, "duration_in_month")
}
