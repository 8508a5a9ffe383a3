package main

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/score"
)

// TestRecourseCLIFlips applies every change the command proposes to the CSV
// row, as text, and scores the row again: each one flips the outcome, and
// immutable features never change.
func TestRecourseCLIFlips(t *testing.T) {
	dir := t.TempDir()
	model, data := germanFixture(t, dir, 20)
	actions := filepath.Join(dir, "actions.json")
	// Actionability is declared: the two amounts, and (both ways, as every
	// unlisted feature used to be) the accounts, the purpose and the
	// guarantor.
	require.NoError(t, os.WriteFile(actions, []byte(`{"immutable": ["age_in_years", "personal_status_and_sex", "foreign_worker", "job"],
	  "features": {"duration_in_month": {"direction": "decrease"}, "credit_amount": {"direction": "decrease", "max": 10000},
	    "status_of_existing_checking_account": {}, "savings_account_and_bonds": {}, "purpose": {}, "other_debtors_or_guarantors": {},
	    "property": {}, "credit_history": {}, "present_employment_since": {}, "housing": {}, "other_installment_plans": {}}}`), 0o644))
	code, out, errOut := runCLI(t, "recourse", "--model", model, "--data", data, "--actions", actions, "--k", "2", "--lang", "en")
	require.Equal(t, 0, code, errOut)
	lines := jsonLines[recourseLine](t, out)
	require.Len(t, lines, 20)

	m, err := score.LoadFile(model)
	require.NoError(t, err)
	fh, err := os.Open(data)
	require.NoError(t, err)
	rows, err := csv.NewReader(fh).ReadAll()
	fh.Close()
	require.NoError(t, err)
	header := rows[0]
	flipped, already := 0, 0
	for _, l := range lines {
		require.Empty(t, l.Error)
		require.Equal(t, 0.5, l.Target)
		if l.Already {
			already++
			require.Less(t, *l.Probability, 0.5)
			require.Empty(t, l.Counterfactuals)
			continue
		}
		require.GreaterOrEqual(t, *l.Probability, 0.5)
		require.False(t, l.Infeasible, "row %d: %s", l.Row, l.Reason)
		require.NotEmpty(t, l.Counterfactuals)
		require.LessOrEqual(t, len(l.Counterfactuals), 2)
		for _, cf := range l.Counterfactuals {
			cells := slices.Clone(rows[l.Row])
			for _, ch := range cf.Changes {
				require.NotContains(t, []string{"age_in_years", "personal_status_and_sex", "foreign_worker", "job"}, ch.Feature)
				c := slices.Index(header, ch.Feature)
				f, _ := m.Schema().Lookup(ch.Feature)
				was, _ := score.ParseValue(f.Kind, cells[c])
				from, _ := score.ParseValue(f.Kind, ch.From)
				require.Equal(t, was, from)
				cells[c] = ch.To
			}
			rec, err := m.Schema().RecordFromStrings(header, cells, true)
			require.NoError(t, err)
			res, err := m.Score(rec)
			require.NoError(t, err)
			require.Less(t, float64(res.Probability), 0.5, "row %d", l.Row)
			require.InDelta(t, float64(cf.Probability), float64(res.Probability), 1e-12)
			require.True(t, strings.HasPrefix(cf.Text, "If your "), cf.Text)
			require.True(t, strings.HasSuffix(cf.Text, ", the decision would change."), cf.Text)
		}
		flipped++
	}
	require.Positive(t, flipped)
	require.Positive(t, already)
	require.Equal(t, 20, flipped+already)

	// --cost max: each answer's cost is its largest change's cost, never
	// above the largest change of the sum-optimal answer.
	code, out, errOut = runCLI(t, "recourse", "--model", model, "--data", data, "--actions", actions, "--k", "1", "--cost", "max")
	require.Equal(t, 0, code, errOut)
	maxLines := jsonLines[recourseLine](t, out)
	require.Len(t, maxLines, 20)
	for i, l := range maxLines {
		if l.Already {
			continue
		}
		cf := l.Counterfactuals[0]
		top := 0.0
		for _, ch := range cf.Changes {
			top = max(top, ch.Cost)
		}
		require.Equal(t, top, cf.Cost)
		sumTop := 0.0
		for _, ch := range lines[i].Counterfactuals[0].Changes {
			sumTop = max(sumTop, ch.Cost)
		}
		require.LessOrEqual(t, cf.Cost, sumTop+1e-12, "row %d", l.Row)
		require.Less(t, float64(cf.Probability), 0.5)
	}
}

// TestRecourseCLIInfeasibleAndErrors: a row nothing allowed can flip gets
// "infeasible" with a reason and the best reachable probability; bad flags
// and actions fail with status 1 or 2.
func TestRecourseCLIInfeasibleAndErrors(t *testing.T) {
	dir := t.TempDir()
	model, data := germanFixture(t, dir, 5)
	m, err := score.LoadFile(model)
	require.NoError(t, err)
	var imm []string
	for _, f := range m.Schema().Features() {
		if f.Role == score.Input && f.Name != "telephone" {
			imm = append(imm, f.Name)
		}
	}
	b, err := json.Marshal(map[string]any{"immutable": imm, "features": map[string]any{"telephone": map[string]any{}}})
	require.NoError(t, err)
	actions := filepath.Join(dir, "actions.json")
	require.NoError(t, os.WriteFile(actions, b, 0o644))
	// Row 2 (probability 0.6 under this model): the telephone alone cannot flip it.
	code, out, errOut := runCLI(t, "recourse", "--model", model, "--data", data, "--actions", actions, "--rows", "2", "--target-probability", "0.2")
	require.Equal(t, 0, code, errOut)
	lines := jsonLines[recourseLine](t, out)
	require.Len(t, lines, 1)
	l := lines[0]
	require.Equal(t, 2, l.Row)
	require.True(t, l.Infeasible)
	require.Empty(t, l.Counterfactuals)
	require.Contains(t, l.Reason, "no allowed change brings the probability below 0.200")
	require.NotNil(t, l.BestProbability)
	require.GreaterOrEqual(t, *l.BestProbability, 0.2)
	require.LessOrEqual(t, *l.BestProbability, *l.Probability)
	require.NotEmpty(t, l.Limits)
	require.Equal(t, "immutable", l.Limits[0].Constraint)

	bad := filepath.Join(dir, "bad.json")
	require.NoError(t, os.WriteFile(bad, []byte(`{"features": {"duration_in_month": {"direction": "sideways"}}}`), 0o644))
	code, _, errOut = runCLI(t, "recourse", "--model", model, "--data", data, "--actions", bad)
	require.Equal(t, 1, code)
	require.Contains(t, errOut, "duration_in_month")

	// With --lang the best reachable change gets no customer sentence: the
	// catalogue's sentence ends ", the decision would change.", which is
	// false of a change that leaves the probability at or above the target
	// (on the public loan-prediction file: "If ... the loan amount were 56
	// thousand rupees instead of 158 thousand rupees, the decision would
	// change." at a best probability of 0.648 against the target 0.5).
	code, out, errOut = runCLI(t, "recourse", "--model", model, "--data", data, "--actions", actions, "--rows", "2",
		"--target-probability", "0.2", "--lang", "en")
	require.Equal(t, 0, code, errOut)
	lines = jsonLines[recourseLine](t, out)
	require.Len(t, lines, 1)
	require.True(t, lines[0].Infeasible)
	require.NotNil(t, lines[0].Best)
	require.GreaterOrEqual(t, float64(lines[0].Best.Probability), 0.2)
	require.Empty(t, lines[0].Best.Text)
	require.NotContains(t, out, "the decision would change")
	require.NoError(t, os.WriteFile(bad, []byte(`{"imutable": ["age_in_years"]}`), 0o644))
	code, _, errOut = runCLI(t, "recourse", "--model", model, "--data", data, "--actions", bad)
	require.Equal(t, 1, code)
	require.Contains(t, errOut, "imutable")
	code, _, _ = runCLI(t, "recourse", "--model", model, "--data", data, "--cost", "median")
	require.Equal(t, 1, code)
	code, _, _ = runCLI(t, "recourse", "--model", model, "--data", data, "--k", "0")
	require.Equal(t, 1, code)
	code, _, _ = runCLI(t, "recourse", "--model", model, "--data", data, "--target-probability", "1.5")
	require.Equal(t, 1, code)
	code, _, _ = runCLI(t, "recourse", "--data", data)
	require.Equal(t, 1, code)
}
