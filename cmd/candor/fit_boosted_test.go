package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/examples/datasets"
	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/fit"
)

// TestFitBoostedCLI: `candor fit --model boosted` writes a scorecard model
// without the protected attributes, the same file twice, and the other
// commands (explain, convert to PMML) take it as they take a scorecard.
func TestFitBoostedCLI(t *testing.T) {
	dir := t.TempDir()
	tab, err := datasets.Load(datasets.GermanCredit)
	require.NoError(t, err)
	data := filepath.Join(dir, "german.csv")
	writeTableCSV(t, data, tab, tab.Len())
	fitTo := func(model string) []byte {
		code, out, errOut := runCLI(t, "fit", "--model", "boosted", "--data", data, "--target", "creditability", "--event", "bad",
			"--protected", "personal_status_and_sex,age_in_years,foreign_worker", "--out", model)
		require.Equal(t, 0, code, errOut)
		require.Empty(t, out, "the model goes to --out")
		require.Contains(t, errOut, "candor fit: boosted additive model of creditability=bad")
		require.Contains(t, errOut, "== shape functions (points per bin) ==")
		b, err := os.ReadFile(model)
		require.NoError(t, err)
		return b
	}
	model := filepath.Join(dir, "boosted.json")
	first := fitTo(model)
	require.Equal(t, first, fitTo(filepath.Join(dir, "again.json")), "same data and seed: same file")
	m, err := score.LoadFile(model)
	require.NoError(t, err)
	require.Equal(t, score.ScorecardModel, m.Kind())
	require.Equal(t, 17, m.NumTerms())
	for j := 0; j < m.NumTerms(); j++ {
		require.NotContains(t, []string{"personal_status_and_sex", "age_in_years", "foreign_worker"}, m.Term(j).Feature)
	}
	code, out, errOut := runCLI(t, "explain", "--model", model, "--data", data, "--rows", "1", "--format", "json")
	require.Equal(t, 0, code, errOut)
	require.Contains(t, out, `"contributions"`)
	code, _, errOut = runCLI(t, "convert", "--model", model, "--to", "pmml", "--out", filepath.Join(dir, "boosted.pmml"))
	require.Equal(t, 0, code, errOut)
	code, _, errOut = runCLI(t, "fit", "--model", "boosted", "--data", data, "--target", "creditability", "--event", "bad", "--l2", "1")
	require.NotEqual(t, 0, code)
	require.Contains(t, errOut, "--l2 does not apply")
}

// TestFitBoostedDeclaredTrend: with German credit's features file, whose
// duration_in_month is declared ascending, the boosted fit lists the
// constraint and the shape's points never rise with the duration.
func TestFitBoostedDeclaredTrend(t *testing.T) {
	dir := t.TempDir()
	tab, err := datasets.Load(datasets.GermanCredit)
	require.NoError(t, err)
	data := filepath.Join(dir, "german.csv")
	writeTableCSV(t, data, tab, tab.Len())
	model := filepath.Join(dir, "boosted.json")
	code, _, errOut := runCLI(t, "fit", "--model", "boosted", "--data", data, "--target", "creditability", "--event", "bad",
		"--protected", "personal_status_and_sex,age_in_years,foreign_worker", "--features", germanFeatures, "--out", model)
	require.Equal(t, 0, code, errOut)
	require.Contains(t, errOut, "monotone shapes (declared trends): duration_in_month ascending")
	m, err := score.LoadFile(model)
	require.NoError(t, err)
	var pts []float64
	for _, b := range m.Term(m.TermOf("duration_in_month")).Bins {
		if b.Kind == score.RangeBin {
			pts = append(pts, b.Effect)
		}
	}
	require.Greater(t, len(pts), 1)
	for k := 1; k < len(pts); k++ {
		require.LessOrEqual(t, pts[k], pts[k-1], "bin %d", k)
	}
}

// TestInteractionsFlag: --interactions takes a count or auto
// (InterpretML's three pairs per feature), and refuses anything else.
func TestInteractionsFlag(t *testing.T) {
	var f interactionsFlag
	require.NoError(t, f.Set("auto"))
	require.Equal(t, interactionsFlag(fit.BoostedAutoInteractions), f)
	require.Equal(t, "auto", f.String())
	require.NoError(t, f.Set("7"))
	require.Equal(t, "7", f.String())
	for _, bad := range []string{"-1", "x", "3x", ""} {
		require.ErrorContains(t, f.Set(bad), "--interactions must be 0 or more, or auto")
	}
	code, _, errOut := runCLI(t, "fit", "--model", "scorecard", "--data", "x.csv", "--target", "y", "--event", "1", "--interactions", "auto")
	require.NotEqual(t, 0, code)
	require.Contains(t, errOut, "--interactions applies to --model boosted only")
}
