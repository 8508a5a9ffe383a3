package main

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// writeLoans writes dir/loans.csv: 600 loans with the income, the loan,
// the loan's share of the income (rounded to 2 decimals), with years a
// fourth input, and the default; it returns the path.
func writeLoans(t *testing.T, dir string, years bool) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("income,loan,share,")
	if years {
		b.WriteString("years,")
	}
	b.WriteString("default\n")
	for i := range 600 {
		income := float64(12000 + (i*7919)%88000)
		loan := float64(500 + 25*((i*131)%1300))
		share := math.Round(loan/income*100) / 100
		def := "no"
		if (i*7)%10 < 1+int(share*6) {
			def = "yes"
		}
		fmt.Fprintf(&b, "%g,%g,%g,", income, loan, share)
		if years {
			fmt.Fprintf(&b, "%d,", 1+(i*17)%30)
		}
		fmt.Fprintf(&b, "%s\n", def)
	}
	data := filepath.Join(dir, "loans.csv")
	require.NoError(t, os.WriteFile(data, []byte(b.String()), 0o644))
	return data
}

// A loan's share of the income, written beside the loan and the income
// (as in the public credit_risk_dataset.csv), is named by `fit` as derived
// from them, for every model kind: recourse on that file told a customer
// to raise the income and, apart from it, to bring the share down while
// the loan stayed put (35000 / 80000 is 0.44, not the 0.25 advised).
func TestFitWarnsOfDerivedInput(t *testing.T) {
	dir := t.TempDir()
	data := writeLoans(t, dir, true)
	for _, model := range []string{"logistic", "scorecard", "boosted"} {
		code, _, stderr := runCLI(t, "fit", "--model", model, "--data", data, "--target", "default", "--event", "yes",
			"--out", filepath.Join(dir, model+".json"))
		require.Equal(t, 0, code, stderr)
		require.Contains(t, stderr, "warning: derived input: share = loan / income (rounded to 2 decimals) on 100.0% of", model)
		require.Contains(t, stderr, `declare it derived in the features file ({"share": {"derived": {"formula": "loan / income", "decimals": 2}}}`, model)
		require.Contains(t, stderr, "or leave it out (--exclude share)", model)
	}
	// Without the share, nothing is derived.
	code, _, stderr := runCLI(t, "fit", "--data", data, "--target", "default", "--event", "yes", "--exclude", "share",
		"--out", filepath.Join(dir, "m.json"))
	require.Equal(t, 0, code, stderr)
	require.Contains(t, stderr, "derived inputs: none")
}

// Declared derived (the suggestion above), fit checks the declaration
// against the rows and says how often it holds: on every row here, so no
// warning; declared without the decimals the file rounds to, it holds on
// almost none, and the warning says what the column is written with. Either
// way the summary line names the declared one instead of saying "derived
// inputs: none" right after it.
func TestFitChecksDeclaredDerived(t *testing.T) {
	dir := t.TempDir()
	data := writeLoans(t, dir, false)
	for _, c := range []struct{ derived, want, not string }{
		{`{"formula": "loan / income", "decimals": 2}`, "derived input (declared): share = loan / income (rounded to 2 decimals) on 100.0% of", "warning: derived"},
		{`{"formula": "loan / income"}`, `warning: derived input: the declared share = loan / income (not rounded) on 0.`, "derived input (declared)"},
	} {
		features := filepath.Join(dir, "features.json")
		require.NoError(t, os.WriteFile(features, []byte(`{"features": {"share": {"derived": `+c.derived+`}}}`), 0o644))
		code, _, stderr := runCLI(t, "fit", "--data", data, "--target", "default", "--event", "yes", "--features", features,
			"--out", filepath.Join(dir, "m.json"))
		require.Equal(t, 0, code, stderr)
		require.Contains(t, stderr, c.want)
		require.NotContains(t, stderr, c.not)
		require.Contains(t, stderr, "derived inputs: none undeclared (declared: share = loan / income)\n")
		require.NotContains(t, stderr, "derived inputs: none (")
		if strings.Contains(c.want, "warning") {
			require.Contains(t, stderr, `the column is written with 2 decimals ("decimals": 2?)`)
		}
	}
}

// A model fitted before its share was declared derived takes the
// declaration at recourse and check time (--features adds it, as it adds
// labels and actions): recourse then moves the income or the loan and
// recomputes the share, and check withholds advice on the share as
// "derived".
func TestDerivedDeclaredAfterFit(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("income,loan,share,default\n")
	var rows [][2]float64
	for i := range 800 {
		income := float64(12000 + 500*((i*7919)%180))
		loan := float64(1000 + 500*((i*131)%60))
		rows = append(rows, [2]float64{income, loan})
		share := math.Round(loan/income*100) / 100
		def := "no"
		if (i*7)%10 < int(share*25) {
			def = "yes"
		}
		fmt.Fprintf(&b, "%g,%g,%g,%s\n", income, loan, share, def)
	}
	data := filepath.Join(dir, "loans.csv")
	require.NoError(t, os.WriteFile(data, []byte(b.String()), 0o644))
	model := filepath.Join(dir, "m.json")
	code, _, stderr := runCLI(t, "fit", "--model", "scorecard", "--data", data, "--target", "default", "--event", "yes", "--out", model)
	require.Equal(t, 0, code, stderr)
	features := filepath.Join(dir, "features.json")
	require.NoError(t, os.WriteFile(features, []byte(`{"features": {
	  "income": {"action": {"direction": "increase"}}, "loan": {"action": {"direction": "decrease"}},
	  "share": {"derived": {"formula": "loan / income", "decimals": 2}}}}`), 0o644))
	code, stdout, stderr := runCLI(t, "recourse", "--model", model, "--data", data, "--features", features, "--rows", "1-40")
	require.Equal(t, 0, code, stderr)
	derived := 0
	for _, line := range strings.Split(strings.TrimSpace(stdout), "\n") {
		var r struct {
			Row             int
			Counterfactuals []struct {
				Changes []struct {
					Feature, From, To string
					Derived           bool
				}
			}
		}
		require.NoError(t, json.Unmarshal([]byte(line), &r), line)
		for _, cf := range r.Counterfactuals {
			vals := map[string]float64{"income": rows[r.Row-1][0], "loan": rows[r.Row-1][1]}
			for _, ch := range cf.Changes {
				require.Equal(t, ch.Feature == "share", ch.Derived, line)
				x, err := strconv.ParseFloat(ch.To, 64)
				require.NoError(t, err)
				vals[ch.Feature] = x
			}
			if s, ok := vals["share"]; ok {
				derived++
				require.Greater(t, len(cf.Changes), 1, "the share changes with a source: %s", line)
				require.Equal(t, math.Round(vals["loan"]/vals["income"]*100)/100, s, line)
			}
		}
	}
	require.Positive(t, derived, stdout)
	code, stdout, stderr = runCLI(t, "check", "--model", model, "--data", data, "--features", features)
	require.Equal(t, 0, code, stderr)
	require.Regexp(t, `share +- +\S+ +0\.0% +derived `, stdout)
	require.Contains(t, stdout, "rule violations: 0")
}

// A charge that is its minutes at a tariff (the BigML churn files of
// testdata/trials/2026-12-04-trial17.md) is named when the model scores
// both, with the rate and the way out; with the charge left out nothing is
// named.
func TestFitWarnsOfAChargeAtARate(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("Total day minutes,Total day charge,Customer service calls,Churn\n")
	for i := range 800 {
		minutes := math.Round(float64(200+(i*7919)%3300)) / 10
		calls := i % 7
		churn := calls >= 4 && i%3 != 0 || minutes > 280 && i%2 == 0
		fmt.Fprintf(&b, "%.1f,%.2f,%d,%v\n", minutes, math.Round(17*minutes)/100, calls, churn)
	}
	data := writeFile(t, dir, "calls.csv", b.String())
	code, _, stderr := runCLI(t, "fit", "--model", "boosted", "--data", data, "--target", "Churn", "--event", "true", "--out", filepath.Join(dir, "m.json"))
	require.Equal(t, 0, code, stderr)
	require.Contains(t, stderr, `warning: derived input: Total day charge = 0.17 * Total day minutes (rounded to 2 decimals) on 100.0% of `)
	require.Contains(t, stderr, `leave one out (--exclude "Total day charge")`)
	code, _, stderr = runCLI(t, "fit", "--model", "boosted", "--data", data, "--target", "Churn", "--event", "true", "--exclude", "Total day charge", "--out", filepath.Join(dir, "m.json"))
	require.Equal(t, 0, code, stderr)
	require.NotContains(t, stderr, "warning: derived input")
	require.Contains(t, stderr, "derived inputs: none (no input is the sum, difference, product or ratio of two others, or a multiple of one)")
}
