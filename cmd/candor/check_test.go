package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/explain"
)

// germanFeatures is German credit's features file in the repository.
const germanFeatures = "../../examples/datasets/features/german_credit.json"

// germanMessages is German credit's catalogue of labels.
const germanMessages = "../../examples/datasets/features/german_credit.messages.json"

// germanFeaturesFixture fits the German credit logistic model with the data
// set's features file (labels, units, trends, actions stored in the model
// file) through the command line, and writes the first n rows of the data.
func germanFeaturesFixture(t *testing.T, dir string, n int) (model, data string) {
	t.Helper()
	tab, _, _ := germanFit(t)
	data = filepath.Join(dir, "data.csv")
	writeTableCSV(t, data, tab, tab.Len())
	model = filepath.Join(dir, "model.json")
	code, _, errOut := runCLI(t, "fit", "--data", data, "--target", "creditability", "--event", "bad", "--name", "german",
		"--protected", "personal_status_and_sex,age_in_years,foreign_worker", "--features", germanFeatures, "--out", model)
	require.Equal(t, 0, code, errOut)
	if n < tab.Len() {
		writeTableCSV(t, data, tab, n)
	}
	return model, data
}

// TestCheckCLI: the advice audit over a file, as JSON and text; with no
// declared actions it still runs and says why nobody has recourse.
func TestCheckCLI(t *testing.T) {
	dir := t.TempDir()
	model, data := germanFeaturesFixture(t, dir, 1000)
	code, out, errOut := runCLI(t, "check", "--model", model, "--data", data, "--format", "json")
	require.Equal(t, 0, code, errOut)
	var rep explain.AdviceCheck
	require.NoError(t, json.Unmarshal([]byte(out), &rep))
	require.Equal(t, 1000, rep.Rows)
	require.Equal(t, 232, rep.Adverse, "declined applicants under the logistic model")
	require.Zero(t, rep.Violations.Total())
	require.Equal(t, rep.Adverse, rep.Recourse+rep.UnsupportedOnly+rep.NoRecourse)
	byName := map[string]explain.FeatureCheck{}
	for _, f := range rep.Features {
		byName[f.Feature] = f
	}
	require.True(t, byName["duration_in_month"].Actionable)
	require.False(t, byName["credit_history"].Actionable)
	require.Zero(t, byName["credit_history"].Advised)
	require.Equal(t, byName["credit_history"].Reasons, byName["credit_history"].Withheld[explain.WithheldNotActionable])
	require.NotNil(t, byName["duration_in_month"].MinChange)

	code, out, errOut = runCLI(t, "check", "--model", model, "--data", data)
	require.Equal(t, 0, code, errOut)
	for _, want := range []string{"advice check of german: 1000 rows, 232 adverse", "rule violations: 0", "not_actionable", "withholding codes:"} {
		require.Contains(t, out, want)
	}

	// A model fitted without a features file: every reason is given
	// without advice, nobody has recourse, and stderr says how to declare
	// actions.
	plain, _ := germanFixture(t, t.TempDir(), 1000)
	code, out, errOut = runCLI(t, "check", "--model", plain, "--data", data, "--format", "json")
	require.Equal(t, 0, code, errOut)
	require.Contains(t, errOut, "declare actions with --features or --actions")
	require.NoError(t, json.Unmarshal([]byte(out), &rep))
	require.Equal(t, rep.Adverse, rep.NoRecourse)
	require.Zero(t, rep.Advised)

	code, _, errOut = runCLI(t, "check", "--data", data)
	require.Equal(t, 1, code)
	require.Contains(t, errOut, "--model is required")
}

// TestExplainCLIAdvice: each reason in explain's JSON carries "advice" or
// "advice_withheld"; an undeclared feature is never advised on; the text
// says which reasons carry no advice and why.
func TestExplainCLIAdvice(t *testing.T) {
	dir := t.TempDir()
	model, data := germanFeaturesFixture(t, dir, 60)
	code, out, errOut := runCLI(t, "explain", "--model", model, "--data", data, "--format", "json", "--reasons", "-1")
	require.Equal(t, 0, code, errOut)
	advised, withheld := 0, 0
	for _, l := range jsonLines[map[string]any](t, out) {
		rs, _ := l["reasons"].([]any)
		for _, x := range rs {
			r := x.(map[string]any)
			adv, hasAdv := r["advice"]
			code, hasCode := r["advice_withheld"]
			require.True(t, hasAdv != hasCode, "%v", r)
			to, hasTo := r["advice_to"].([]any)
			require.Equal(t, adv == "change", hasTo, "%v", r) // the levels of a change, and only of a change
			for _, l := range to {
				require.NotEqual(t, r["value"], l, "%v", r)
			}
			if hasAdv {
				advised++
				require.Contains(t, []any{"increase", "decrease", "change"}, adv)
				require.Contains(t, []any{"duration_in_month", "credit_amount", "status_of_existing_checking_account",
					"savings_account_and_bonds", "other_debtors_or_guarantors"}, r["feature"])
			} else {
				withheld++
				require.Contains(t, explain.WithheldCodes, code)
			}
		}
	}
	require.Positive(t, advised)
	require.Positive(t, withheld)

	code, out, errOut = runCLI(t, "explain", "--model", model, "--data", data, "--rows", "2", "--reasons", "-1", "--lang", "de", "--messages", germanMessages)
	require.Equal(t, 0, code, errOut)
	require.Contains(t, out, "Ihr Merkmal „Laufzeit“ (48 Monate) wirkte sich nachteilig auf das Ergebnis aus. Ein niedrigerer Wert bei „Laufzeit“ würde das Ergebnis verbessern.")
	require.Contains(t, out, "no advice (not_actionable)")

	// --actions makes a feature actionable for explain as for recourse.
	plain, _ := germanFixture(t, t.TempDir(), 60)
	acts := writeFile(t, dir, "actions.json", `{"features": {"credit_history": {}}}`)
	code, out, errOut = runCLI(t, "explain", "--model", plain, "--data", data, "--actions", acts, "--format", "json", "--reasons", "-1")
	require.Equal(t, 0, code, errOut)
	seen := 0
	for _, l := range jsonLines[map[string]any](t, out) {
		rs, _ := l["reasons"].([]any)
		for _, x := range rs {
			r := x.(map[string]any)
			if r["feature"] == "credit_history" {
				seen++
				require.NotEqual(t, explain.WithheldNotActionable, r["advice_withheld"], "%v", r)
			} else {
				require.Equal(t, explain.WithheldNotActionable, r["advice_withheld"], "%v", r)
			}
		}
	}
	require.Positive(t, seen)
}

// TestRecourseCLIAdvice: with nothing actionable recourse is an error that
// says how to declare actions; with the features file every change has its
// training support, the margin holds, and --messages gives German words.
func TestRecourseCLIAdvice(t *testing.T) {
	dir := t.TempDir()
	plain, data := germanFixture(t, dir, 40)
	code, out, errOut := runCLI(t, "recourse", "--model", plain, "--data", data)
	require.Equal(t, 1, code)
	require.Empty(t, out)
	require.Contains(t, errOut, "no model input is actionable")
	require.Contains(t, errOut, `"action"`)
	require.Contains(t, errOut, "--features")

	model, _ := germanFeaturesFixture(t, t.TempDir(), 40)
	code, out, errOut = runCLI(t, "recourse", "--model", model, "--data", data, "--k", "2", "--margin", "0.1",
		"--lang", "de", "--messages", germanMessages)
	require.Equal(t, 0, code, errOut)
	lines := jsonLines[recourseLine](t, out)
	require.Len(t, lines, 40)
	answered := 0
	for _, l := range lines {
		require.Empty(t, l.Error)
		for _, cf := range l.Counterfactuals {
			answered++
			require.Less(t, float64(cf.Probability), 0.4)
			require.False(t, cf.Unsupported)
			require.True(t, strings.HasPrefix(cf.Text, "Wenn Ihr Merkmal „"), cf.Text)
			require.NotContains(t, cf.Text, "_")
			for _, ch := range cf.Changes {
				require.NotNil(t, ch.Support, "row %d %s", l.Row, ch.Feature)
				require.Less(t, ch.Support.ProposedRate, ch.Support.CurrentRate)
				require.Contains(t, []string{"duration_in_month", "credit_amount", "status_of_existing_checking_account",
					"savings_account_and_bonds", "other_debtors_or_guarantors"}, ch.Feature)
			}
		}
	}
	require.Positive(t, answered)
	// The raw JSON names the support fields.
	require.Contains(t, out, `"support":{"current_rate":`)

	// --allow-unsupported is accepted and flags what it adds.
	code, out, errOut = runCLI(t, "recourse", "--model", model, "--data", data, "--allow-unsupported", "--k", "3")
	require.Equal(t, 0, code, errOut)
	for _, l := range jsonLines[recourseLine](t, out) {
		for _, cf := range l.Counterfactuals {
			any := false
			for _, ch := range cf.Changes {
				any = any || ch.Unsupported
			}
			require.Equal(t, any, cf.Unsupported)
		}
	}
	code, _, errOut = runCLI(t, "recourse", "--model", model, "--data", data, "--margin", "1.5")
	require.Equal(t, 1, code)
	require.Contains(t, errOut, "--margin")
	code, _, errOut = runCLI(t, "recourse", "--model", model, "--data", data, "--features", filepath.Join(dir, "none.json"))
	require.Equal(t, 1, code)
	require.Contains(t, errOut, "none.json")
	bad := writeFile(t, dir, "bad.json", `{"features": {"duration_in_mnth": {"action": {}}}}`)
	code, _, errOut = runCLI(t, "recourse", "--model", model, "--data", data, "--features", bad)
	require.Equal(t, 1, code)
	require.Contains(t, errOut, "duration_in_month", "the close match is named")
}
