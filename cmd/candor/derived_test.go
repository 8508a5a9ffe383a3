package main

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// A loan's share of the income, written beside the loan and the income
// (as in the public credit_risk_dataset.csv), is named by `fit` as derived
// from them, for every model kind: recourse on that file told a customer
// to raise the income and, apart from it, to bring the share down while
// the loan stayed put (35000 / 80000 is 0.44, not the 0.25 advised).
func TestFitWarnsOfDerivedInput(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("income,loan,share,years,default\n")
	for i := range 600 {
		income := float64(12000 + (i*7919)%88000)
		loan := float64(500 + 25*((i*131)%1300))
		share := math.Round(loan/income*100) / 100
		def := "no"
		if (i*7)%10 < 1+int(share*6) {
			def = "yes"
		}
		fmt.Fprintf(&b, "%g,%g,%g,%d,%s\n", income, loan, share, 1+(i*17)%30, def)
	}
	data := filepath.Join(dir, "loans.csv")
	require.NoError(t, os.WriteFile(data, []byte(b.String()), 0o644))
	for _, model := range []string{"logistic", "scorecard", "boosted"} {
		code, _, stderr := runCLI(t, "fit", "--model", model, "--data", data, "--target", "default", "--event", "yes",
			"--out", filepath.Join(dir, model+".json"))
		require.Equal(t, 0, code, stderr)
		require.Contains(t, stderr, "warning: derived input: share = loan / income (rounded to 2 decimals) on 100.0% of", model)
		require.Contains(t, stderr, `{"share": {"action": {"immutable": true}}}`, model)
	}
	// Without the share, nothing is derived.
	code, _, stderr := runCLI(t, "fit", "--data", data, "--target", "default", "--event", "yes", "--exclude", "share",
		"--out", filepath.Join(dir, "m.json"))
	require.Equal(t, 0, code, stderr)
	require.Contains(t, stderr, "derived inputs: none")
}
