package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// describedFile writes a small churn-like file the way a public copy of a
// bank's card-churn data ships it: a second row of column descriptions
// under the header, then n customers (a unique id, an age, a balance and
// the churn flag).
func describedFile(t *testing.T, n int) string {
	var b strings.Builder
	b.WriteString("CLIENTNUM,age,balance,churned\n")
	b.WriteString("Client number. Unique identifier,age in years,revolving balance,1 if the account closed\n")
	for i := range n {
		churned := "no"
		if i%3 == 0 {
			churned = "yes"
		}
		fmt.Fprintf(&b, "%d,%d,%d,%s\n", 700000000+i*7919, 25+i%40, (i*37)%2500, churned)
	}
	path := filepath.Join(t.TempDir(), "described.csv")
	require.NoError(t, os.WriteFile(path, []byte(b.String()), 0o644))
	return path
}

// --exclude takes a column out before the fit's checks: an id column of
// 12,000 distinct values (over the 10,000-level limit because a text row
// makes it categorical) no longer stops the fit when it is excluded. Before,
// the level limit fired while inferring the schema, --exclude or not.
func TestExcludedColumnIsNotChecked(t *testing.T) {
	data := describedFile(t, 12000)
	code, _, stderr := runCLI(t, "fit", "--data", data, "--target", "churned", "--event", "yes", "--exclude", "CLIENTNUM,age,balance")
	require.NotEqual(t, 0, code)
	require.NotContains(t, stderr, "CLIENTNUM", "an excluded column is not checked")
}

// A column of numbers with a few stray texts (a description row, an "NA"
// marker) is not silently made categorical with a level per number: fit
// stops, naming the column, the text, its row and what to do. Before,
// age became a 41-level categorical input and CLIENTNUM hit the level
// limit with a hint naming a Go field ("Limits.Levels").
func TestStrayTextInNumericColumn(t *testing.T) {
	data := describedFile(t, 600)
	code, _, stderr := runCLI(t, "fit", "--data", data, "--target", "churned", "--event", "yes", "--exclude", "CLIENTNUM")
	require.NotEqual(t, 0, code)
	require.Contains(t, stderr, `column "age"`)
	require.Contains(t, stderr, `600 of its 601 cells are numbers`)
	require.Contains(t, stderr, `"age in years" (row 1)`)
	require.Contains(t, stderr, `"kind": "categorical"`)

	// Over the level limit, the same diagnosis, and the command-line way
	// to raise the limit.
	big := describedFile(t, 12000)
	code, _, stderr = runCLI(t, "fit", "--data", big, "--target", "churned", "--event", "yes")
	require.NotEqual(t, 0, code)
	require.Contains(t, stderr, `column "CLIENTNUM"`)
	require.Contains(t, stderr, `12000 of its 12001 cells are numbers`)

	// Declared categorical, the column is what the file says it is: the
	// check is the user's to waive.
	features := filepath.Join(t.TempDir(), "f.json")
	require.NoError(t, os.WriteFile(features, []byte(`{"features": {"age": {"kind": "categorical"}, "balance": {"role": "ignored"}}}`), 0o644))
	code, _, stderr = runCLI(t, "fit", "--data", data, "--target", "churned", "--event", "yes", "--exclude", "CLIENTNUM", "--features", features, "--nonevent", "no")
	require.Equal(t, 0, code, stderr)

	// A few number labels and a text one ("0", "1", "2", "3+": a count
	// with an open top) stay a categorical column: the numbers take too
	// few values to be a quantity with stray text.
	var b strings.Builder
	b.WriteString("dependents,y\n")
	for i := range 400 {
		d := []string{"0", "1", "2", "3+"}[i%4]
		fmt.Fprintf(&b, "%s,%d\n", d, (i/4)%2)
	}
	small := filepath.Join(t.TempDir(), "dependents.csv")
	require.NoError(t, os.WriteFile(small, []byte(b.String()), 0o644))
	code, _, stderr = runCLI(t, "fit", "--data", small, "--target", "y", "--event", "1")
	require.Equal(t, 0, code, stderr)
}

// questionFile writes a churn-like file that marks a missing value "?", as
// a public 6,380-customer extract of the Cell2Cell churn data does in 21
// columns (testdata/trials/2026-12-05-trial22.md): a monthly revenue that
// is "?" on every 50th row, a handset price that is "?" on every third,
// and the churn flag.
func questionFile(t *testing.T, n int) string {
	var b strings.Builder
	b.WriteString("MonthlyRevenue,HandsetPrice,Churn\n")
	for i := range n {
		revenue, price := fmt.Sprintf("%.2f", 20+float64((i*37)%900)/10), fmt.Sprint(10+10*(i%15))
		if i%50 == 7 {
			revenue = "?"
		}
		if i%3 == 1 {
			price = "?"
		}
		churn := "No"
		if (i*7)%10 < 3 {
			churn = "Yes"
		}
		fmt.Fprintf(&b, "%s,%s,%s\n", revenue, price, churn)
	}
	path := filepath.Join(t.TempDir(), "question.csv")
	require.NoError(t, os.WriteFile(path, []byte(b.String()), 0o644))
	return path
}

// A file's own marker for a missing value: the stray-text error says how
// to read it as missing (CANDOR_MISSING), and with CANDOR_MISSING='?' every
// command reads a "?" cell as blank: fit reads both columns as numbers (a
// blank is missing: a scorecard gives it a missing bin) and score scores
// the rows with a "?" as it scores those with a blank. Before, the only
// way was to rewrite the file.
func TestMissingMarkerFromEnvironment(t *testing.T) {
	data := questionFile(t, 600)
	code, _, stderr := runCLI(t, "fit", "--data", data, "--target", "Churn", "--event", "Yes", "--model", "scorecard")
	require.NotEqual(t, 0, code)
	require.Contains(t, stderr, `column "MonthlyRevenue": 588 of its 600 cells are numbers and the others are text: "?" (12 cells, first in row 8)`)
	require.Contains(t, stderr, `CANDOR_MISSING='?'`)

	t.Setenv("CANDOR_MISSING", "?")
	model := filepath.Join(t.TempDir(), "m.json")
	code, _, stderr = runCLI(t, "fit", "--data", data, "--target", "Churn", "--event", "Yes", "--model", "scorecard", "--out", model)
	require.Equal(t, 0, code, stderr)
	require.Contains(t, stderr, "rows used 600, dropped 0")
	code, stdout, stderr := runCLI(t, "score", "--model", model, "--data", data)
	require.Equal(t, 0, code, stderr)
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	require.Len(t, lines, 600)
	// Row 8 has a "?" revenue and price: scored, not an error, and as the
	// same file with those cells blank is scored without CANDOR_MISSING.
	require.NotContains(t, lines[7], "error")
	raw, err := os.ReadFile(data)
	require.NoError(t, err)
	blankPath := filepath.Join(t.TempDir(), "blank.csv")
	require.NoError(t, os.WriteFile(blankPath, []byte(strings.ReplaceAll(string(raw), "?", "")), 0o644))
	// The commands that read a file in parallel blocks (monitor, audit)
	// read it alike: every row scored. Before, their fast line splitter
	// kept "?" as text, and monitor counted 208 rows of 600 "not scored".
	code, _, stderr = runCLI(t, "monitor", "--model", model, "--baseline", data, "--current", data, "--format", "json")
	require.Equal(t, 0, code, stderr)
	require.Contains(t, stderr, "0 baseline and 0 current rows not scored")
	t.Setenv("CANDOR_MISSING", "")
	code, blankOut, stderr := runCLI(t, "score", "--model", model, "--data", blankPath)
	require.Equal(t, 0, code, stderr)
	require.Equal(t, stdout, blankOut)
}

// A "?" in a categorical column is a level, so no error stops the fit,
// but the fit warns that it reads as a missing-value marker and says how
// to read it as one; with CANDOR_MISSING='?' the warning is gone. Before,
// an insurance claims file's property_damage ("YES", "NO", "?" on 360 of
// 1,000 rows) was fitted with "?" as a level, silently.
func TestFitWarnsOfAMarkerLevel(t *testing.T) {
	var b strings.Builder
	b.WriteString("damage,amount,fraud\n")
	for i := range 300 {
		damage := []string{"YES", "NO", "?"}[i%3]
		fraud := "N"
		if (i/3*7)%20 < []int{10, 3, 6}[i%3] { // YES 50%, NO 15%, "?" 30%
			fraud = "Y"
		}
		fmt.Fprintf(&b, "%s,%d,%s\n", damage, 100+(i*37)%500, fraud)
	}
	data := filepath.Join(t.TempDir(), "claims.csv")
	require.NoError(t, os.WriteFile(data, []byte(b.String()), 0o644))
	out := filepath.Join(t.TempDir(), "m.json")
	code, _, stderr := runCLI(t, "fit", "--data", data, "--target", "fraud", "--event", "Y", "--model", "scorecard", "--out", out)
	require.Equal(t, 0, code, stderr)
	require.Contains(t, stderr, `warning: missing marker?: damage: level "?" on 100 of 300 rows has no letter or digit`)
	require.Contains(t, stderr, "CANDOR_MISSING='?'")
	t.Setenv("CANDOR_MISSING", "?")
	code, _, stderr = runCLI(t, "fit", "--data", data, "--target", "fraud", "--event", "Y", "--model", "scorecard", "--out", out)
	require.Equal(t, 0, code, stderr)
	require.NotContains(t, stderr, "missing marker?")
}
