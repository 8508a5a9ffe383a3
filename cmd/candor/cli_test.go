package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/examples/datasets"
	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/fit"
)

// Helpers shared by the command tests: run the CLI in-process, write
// fixtures into a test's temporary directory.

// runCLI runs a candor command line and returns exit status, stdout, stderr.
func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

// germanFit fits the German credit logistic model (event bad credit, the
// three protected attributes kept out of the inputs) and returns it with
// its data and schema.
func germanFit(t *testing.T) (*score.Table, *score.Schema, *fit.LogisticFit) {
	t.Helper()
	tab, err := datasets.Load(datasets.GermanCredit)
	require.NoError(t, err)
	s, err := tab.InferSchema().WithRoles(score.Ignored, "creditability")
	require.NoError(t, err)
	s, err = s.WithRoles(score.Protected, "personal_status_and_sex", "age_in_years", "foreign_worker")
	require.NoError(t, err)
	fitted, err := fit.Logistic(context.Background(), tab, s, "creditability", "bad", &fit.LogisticOptions{Name: "german"})
	require.NoError(t, err)
	return tab, s, fitted
}

// germanFixture fits the German credit logistic model and writes it and the
// first n rows of the data (as CSV) into dir.
func germanFixture(t *testing.T, dir string, n int) (model, data string) {
	t.Helper()
	tab, _, fitted := germanFit(t)
	model = filepath.Join(dir, "model.json")
	require.NoError(t, fitted.Model.SaveFile(model))
	data = filepath.Join(dir, "data.csv")
	writeTableCSV(t, data, tab, n)
	return model, data
}

// writeTableCSV writes tab's header and its first n rows to path as CSV.
func writeTableCSV(t *testing.T, path string, tab *score.Table, n int) {
	t.Helper()
	fh, err := os.Create(path)
	require.NoError(t, err)
	w := csv.NewWriter(fh)
	require.NoError(t, w.Write(tab.Header()))
	for i := 0; i < n; i++ {
		require.NoError(t, w.Write(tab.Row(i)))
	}
	w.Flush()
	require.NoError(t, w.Error())
	require.NoError(t, fh.Close())
}

// jsonLines decodes out, one JSON value of type T per line.
func jsonLines[T any](t *testing.T, out string) []T {
	t.Helper()
	var lines []T
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var l T
		require.NoError(t, json.Unmarshal(sc.Bytes(), &l))
		lines = append(lines, l)
	}
	require.NoError(t, sc.Err())
	return lines
}

// writeFile writes text to dir/name and returns the path.
func writeFile(t *testing.T, dir, name, text string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	require.NoError(t, os.WriteFile(p, []byte(text), 0o644))
	return p
}

// editFeature loads the model at path, applies edit to the feature called
// name, saves the rebuilt model back to path and returns it.
func editFeature(t *testing.T, path, name string, edit func(*score.Feature)) *score.Model {
	t.Helper()
	m, err := score.LoadFile(path)
	require.NoError(t, err)
	spec := m.Spec()
	for i := range spec.Features {
		if spec.Features[i].Name == name {
			edit(&spec.Features[i])
		}
	}
	m, err = score.NewModel(spec)
	require.NoError(t, err)
	require.NoError(t, m.SaveFile(path))
	return m
}
