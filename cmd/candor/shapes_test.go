package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/examples/datasets"
	"github.com/candorscore/candor/score"
)

// TestShapesAndInteractionsCLI: `candor fit --model boosted --interactions 2`
// adds two pair terms and reports them; `candor shapes` prints every
// term's table (a pair as rows by columns), its JSON matches the model's
// bins and table, --chart draws a pair, and a bad --term or a refused
// consumer (candor sql) is a clear error.
func TestShapesAndInteractionsCLI(t *testing.T) {
	dir := t.TempDir()
	tab, err := datasets.Load(datasets.GermanCredit)
	require.NoError(t, err)
	data := filepath.Join(dir, "german.csv")
	writeTableCSV(t, data, tab, tab.Len())
	model := filepath.Join(dir, "pairs.json")
	code, _, errOut := runCLI(t, "fit", "--model", "boosted", "--interactions", "2", "--data", data, "--target", "creditability", "--event", "bad",
		"--protected", "personal_status_and_sex,age_in_years,foreign_worker", "--out", model)
	require.Equal(t, 0, code, errOut)
	require.Contains(t, errOut, "features 17, pairs 2,")
	require.Equal(t, 2, strings.Count(errOut, "\npair "))
	m, err := score.LoadFile(model)
	require.NoError(t, err)
	require.True(t, m.HasPairs())
	j := m.NumTerms() - 1
	pt := m.Term(j)
	name := pt.Feature + ":" + pt.Pair.Feature

	code, out, errOut := runCLI(t, "shapes", "--model", model, "--term", name, "--format", "json", "--chart", filepath.Join(dir, "pair.svg"))
	require.Equal(t, 0, code, errOut)
	var got []shapeTermJSON
	require.NoError(t, json.Unmarshal([]byte(out), &got))
	require.Len(t, got, 1)
	require.Equal(t, pt.Feature+" × "+pt.Pair.Feature, got[0].Term)
	require.Len(t, got[0].Rows, len(pt.Bins))
	require.Len(t, got[0].Columns, len(pt.Pair.Bins))
	for k, p := range got[0].Points {
		require.Equal(t, pt.Pair.Effects[k], p.Effect)
		require.Equal(t, pt.Pair.Counts[k], p.Count)
	}
	svg, err := os.ReadFile(filepath.Join(dir, "pair.svg"))
	require.NoError(t, err)
	require.Contains(t, string(svg), "<svg")

	code, out, errOut = runCLI(t, "shapes", "--model", model)
	require.Equal(t, 0, code, errOut)
	require.Equal(t, m.NumTerms(), strings.Count(out, " term, points)\n"), "one heading per term")
	require.Contains(t, out, "duration_in_month (binned term, points)\n")

	code, _, errOut = runCLI(t, "shapes", "--model", model, "--term", "duration_in_mnth")
	require.NotEqual(t, 0, code)
	require.Contains(t, errOut, `did you mean "duration_in_month"?`)
	code, _, errOut = runCLI(t, "sql", "--model", model)
	require.NotEqual(t, 0, code)
	require.Contains(t, errOut, "pair term not supported here")
	code, _, errOut = runCLI(t, "fit", "--data", data, "--target", "creditability", "--event", "bad", "--interactions", "2")
	require.NotEqual(t, 0, code)
	require.Contains(t, errOut, "--interactions applies to --model boosted only")
}
