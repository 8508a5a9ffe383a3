package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/score"
)

func TestConvertRoundTrip(t *testing.T) {
	dir := t.TempDir()
	model, data := germanFixture(t, dir, 30)
	doc := filepath.Join(dir, "model.pmml")
	code, _, errOut := runCLI(t, "convert", "--model", model, "--to", "pmml", "--out", doc)
	require.Equal(t, 0, code, errOut)
	require.Contains(t, errOut, "from json to pmml")
	b, err := os.ReadFile(doc)
	require.NoError(t, err)
	require.Contains(t, string(b), `<RegressionModel modelName="german" functionName="classification" normalizationMethod="logit">`)

	back := filepath.Join(dir, "back.json")
	code, _, errOut = runCLI(t, "convert", "--model", doc, "--to", "json", "--out", back)
	require.Equal(t, 0, code, errOut)
	require.Contains(t, errOut, "from pmml to json")
	orig, err := score.LoadFile(model)
	require.NoError(t, err)
	again, err := score.LoadFile(back)
	require.NoError(t, err)
	require.Equal(t, orig.Fingerprint(), again.Fingerprint())

	// Scoring the converted model gives the same lines.
	_, s1, _ := runCLI(t, "score", "--model", model, "--data", data)
	_, s2, _ := runCLI(t, "score", "--model", back, "--data", data)
	require.Equal(t, s1, s2)

	// PMML to stdout, without metadata, and the sklearn format as input.
	code, out, errOut := runCLI(t, "convert", "--model", model, "--to", "pmml", "--no-metadata")
	require.Equal(t, 0, code, errOut)
	require.NotContains(t, out, `extender="candor"`)
	code, out, errOut = runCLI(t, "convert", "--model", "../../score/sklearn/testdata/sklearn_german.json", "--to", "json")
	require.Equal(t, 0, code, errOut)
	require.Contains(t, errOut, "from sklearn to json")
	m, err := score.Load(strings.NewReader(out))
	require.NoError(t, err)
	require.Equal(t, "bad", m.Event())
	// The DMG sample scorecard.
	code, out, errOut = runCLI(t, "convert", "--model", "../../score/pmml/testdata/pmml_dmg_sample_scorecard.xml", "--to", "json", "--pdo", "20")
	require.Equal(t, 0, code, errOut)
	m, err = score.Load(strings.NewReader(out))
	require.NoError(t, err)
	sc, _ := m.Scaling()
	require.Equal(t, 20.0, sc.PDO)
}

func TestConvertErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	require.NoError(t, os.WriteFile(bad, []byte(`{"format":"onnx"}`), 0o644))
	// A partial score that is not affine in its field (x*x) cannot be held.
	square := filepath.Join(dir, "square.xml")
	require.NoError(t, os.WriteFile(square, []byte(`<PMML version="4.4"><DataDictionary><DataField name="x" optype="continuous" dataType="double"/></DataDictionary>
<Scorecard functionName="regression" useReasonCodes="false"><MiningSchema><MiningField name="x"/></MiningSchema><Characteristics><Characteristic name="a">
<Attribute><SimplePredicate field="x" operator="isNotMissing"/><ComplexPartialScore><Apply function="*"><FieldRef field="x"/><FieldRef field="x"/></Apply></ComplexPartialScore></Attribute>
</Characteristic></Characteristics></Scorecard></PMML>`), 0o644))
	cases := []struct {
		args []string
		msg  string
	}{
		{[]string{"--model", bad, "--to", "yaml"}, "--to must be pmml or json"},
		{[]string{"--to", "pmml"}, "--model is required"},
		{[]string{"--model", bad, "--to", "pmml"}, `JSON with format "onnx"`},
		{[]string{"--model", square, "--to", "json"}, "ComplexPartialScore"},
		{[]string{"--model", filepath.Join(dir, "none.json"), "--to", "json"}, "no such file"},
	}
	for _, c := range cases {
		code, _, errOut := runCLI(t, append([]string{"convert"}, c.args...)...)
		require.Equal(t, 1, code, c.args)
		require.Contains(t, errOut, c.msg)
	}
}

// Every command that loads a model reads every format (issue 11): before,
// score, explain and recourse failed on PMML and scikit-learn files with
// "invalid character '<'".
func TestEveryCommandReadsEveryFormat(t *testing.T) {
	dir := t.TempDir()
	model, data := germanFixture(t, dir, 5)
	doc := filepath.Join(dir, "model.pmml")
	code, _, errOut := runCLI(t, "convert", "--model", model, "--to", "pmml", "--out", doc)
	require.Equal(t, 0, code, errOut)
	actions := writeFile(t, dir, "actions.json", `{"features": {"duration_in_month": {"direction": "decrease"}}}`)
	for _, path := range []string{doc, "../../score/sklearn/testdata/sklearn_german.json"} {
		for _, args := range [][]string{
			{"score", "--model", path, "--data", data},
			{"explain", "--model", path, "--data", data, "--rows", "1"},
			{"recourse", "--model", path, "--data", data, "--rows", "1", "--k", "1", "--actions", actions},
			{"monitor", "--model", path, "--baseline", data, "--current", data},
		} {
			code, out, errOut := runCLI(t, args...)
			require.Equal(t, 0, code, "%v: %s", args, errOut)
			require.NotEmpty(t, out, args)
		}
	}
}

// A conversion that fails leaves --out as it was: before, convert created
// (or truncated) the file first, so a model the output cannot hold (here
// a logistic model with a blank indicator, written as a PMML Scorecard of
// log-odds, asked for without the metadata that says so) left an empty
// model.pmml behind, or wiped the one that was there.
func TestConvertFailureKeepsOut(t *testing.T) {
	dir := t.TempDir()
	data := blankTenureFile(t, dir, true)
	model := filepath.Join(dir, "m.json")
	code, _, errOut := runCLI(t, "fit", "--data", data, "--target", "Churn", "--event", "1", "--missing", "indicator", "--out", model)
	require.Equal(t, 0, code, errOut)

	fresh := filepath.Join(dir, "fresh.pmml")
	code, _, errOut = runCLI(t, "convert", "--model", model, "--to", "pmml", "--no-metadata", "--out", fresh)
	require.Equal(t, 1, code)
	require.Contains(t, errOut, "export it with the metadata")
	_, err := os.Stat(fresh)
	require.ErrorIs(t, err, os.ErrNotExist)

	kept := filepath.Join(dir, "kept.pmml")
	require.NoError(t, os.WriteFile(kept, []byte("<PMML/>\n"), 0o644))
	code, _, _ = runCLI(t, "convert", "--model", model, "--to", "pmml", "--no-metadata", "--out", kept)
	require.Equal(t, 1, code)
	b, err := os.ReadFile(kept)
	require.NoError(t, err)
	require.Equal(t, "<PMML/>\n", string(b))
}
