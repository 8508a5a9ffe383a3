package sqlgen_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/explain"
	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/sqlgen"
)

// These tests run the statements in the sqlite3 command-line shell (they
// are skipped where it is not installed), loading the data with its
// .import, as a user would: every column TEXT, a blank cell ''. The
// typed engines (DuckDB, PostgreSQL) are in integrations/sqltest.

// sqliteRun loads csvText as table t with sqlite3's .import and returns
// the rows of query (header first), as sqlite3's CSV mode prints them.
func sqliteRun(t *testing.T, csvText, query string) [][]string {
	t.Helper()
	bin, err := exec.LookPath("sqlite3")
	if err != nil {
		t.Skip("sqlite3 is not installed")
	}
	dir := t.TempDir()
	data := filepath.Join(dir, "t.csv")
	require.NoError(t, os.WriteFile(data, []byte(csvText), 0o600))
	script := ".bail on\n.mode csv\n.import " + data + " t\n.headers on\n" + query + ";\n"
	cmd := exec.Command(bin, ":memory:")
	cmd.Stdin = strings.NewReader(script)
	var out, errs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errs
	require.NoError(t, cmd.Run(), errs.String())
	require.Empty(t, errs.String())
	rows, err := csv.NewReader(&out).ReadAll()
	require.NoError(t, err)
	return rows
}

// comparePublished runs m's statement (with n reasons) in sqlite3 over
// csvText and checks every row against what candor score publishes: the
// explainer's Publish of the row's exact explanation (points or log-odds,
// every effect and contribution column, the reasons), to 1e-9.
func comparePublished(t *testing.T, m *score.Model, csvText string, n int) {
	t.Helper()
	ex, err := explain.NewExplainer(m, &explain.Options{MaxReasons: n})
	require.NoError(t, err)
	q, err := sqlgen.Score(m, &sqlgen.Options{Dialect: sqlgen.SQLite, Table: "t", Keep: []string{"id"}, Explainer: ex})
	require.NoError(t, err)
	rows := sqliteRun(t, csvText, "SELECT * FROM ("+q+") ORDER BY CAST(id AS INTEGER)")
	tab, err := score.ParseCSV([]byte(csvText), nil)
	require.NoError(t, err)
	require.Len(t, rows, tab.Len()+1)
	at := map[string]int{}
	for i, h := range rows[0] {
		at[h] = i
	}
	num := func(row []string, col string) float64 {
		t.Helper()
		x, err := strconv.ParseFloat(row[at[col]], 64)
		require.NoError(t, err, "column %s: %q", col, row[at[col]])
		return x
	}
	var e, pub explain.Explanation
	for i := range tab.Len() {
		row := rows[i+1]
		rec, err := tab.Record(m.Schema(), i)
		require.NoError(t, err)
		if err := ex.Explain(rec, &e); err != nil {
			require.Equal(t, err.Error(), row[at[sqlgen.ColError]], "row %d", i+1)
			continue
		}
		require.Empty(t, row[at[sqlgen.ColError]], "row %d", i+1)
		// The bands without the cutoff: the statement does not move a
		// score to the exact score's side of it (doc.go).
		ex.PublishSide(&pub, &e, e.Result.Score, nil)
		if m.Kind() == score.ScorecardModel {
			require.InDelta(t, pub.Result.Score, num(row, sqlgen.ColPoints), 1e-9, "row %d: points", i+1)
		}
		require.InDelta(t, float64(pub.Result.LogOdds), num(row, sqlgen.ColLogOdds), 1e-9, "row %d: log-odds", i+1)
		for j := range m.NumTerms() {
			f := m.Schema().Feature(m.TermFeature(j)).Name
			require.InDelta(t, pub.Effects[j], num(row, sqlgen.EffectColumn(sqlgen.SQLite, j, f)), 1e-9, "row %d: effect of %s", i+1, f)
			require.InDelta(t, pub.Contributions[j], num(row, sqlgen.ContributionColumn(sqlgen.SQLite, j, f)), 1e-9, "row %d: contribution of %s", i+1, f)
		}
		for k := 1; k <= ex.MaxReasons(); k++ {
			cc, fc, ec := sqlgen.ReasonColumns(k)
			if k > len(pub.Reasons) {
				require.Empty(t, row[at[cc]], "row %d: reason %d", i+1, k)
				continue
			}
			r := pub.Reasons[k-1]
			require.Equal(t, r.Code, row[at[cc]], "row %d: reason %d code", i+1, k)
			require.Equal(t, r.Feature, row[at[fc]], "row %d: reason %d feature", i+1, k)
			require.InDelta(t, r.Effect, num(row, ec), 1e-9, "row %d: reason %d effect", i+1, k)
		}
	}
}

func ptr(x float64) *float64 { return &x }

// loanLike is a scorecard shaped as the trial's loan file (a sensitive
// binned income, a 0/1 flag, a loan amount with a missing bin, a
// categorical area): points as candor fit wrote them there, rounded.
func loanLike(t *testing.T) *score.Model {
	t.Helper()
	rng := func(lo, hi *float64, eff, n float64) score.Bin {
		return score.Bin{Kind: score.RangeBin, Lower: lo, Upper: hi, Effect: eff, Count: n}
	}
	m, err := score.NewModel(score.Spec{
		Name: "loanlike", Kind: score.ScorecardModel, Target: "Loan_Status", Event: "N",
		Features: []score.Feature{
			{Name: "ApplicantIncome", Kind: score.Numeric, Sensitive: true},
			{Name: "LoanAmount", Kind: score.Numeric},
			{Name: "Credit_History", Kind: score.Numeric},
			{Name: "Property_Area", Kind: score.Categorical, Categories: []string{"Rural", "Semiurban", "Urban"}},
		},
		Intercept: 400,
		Terms: []score.Term{
			{Feature: "ApplicantIncome", Kind: score.BinnedTerm, Bins: []score.Bin{
				rng(nil, ptr(1907), -11.8, 40), rng(ptr(1907), ptr(3600), 1.7, 250), rng(ptr(3600), ptr(14683), 4.44, 300),
				rng(ptr(14683), nil, 11.77, 24)}, Baseline: 2.9},
			{Feature: "LoanAmount", Kind: score.BinnedTerm, Bins: []score.Bin{
				rng(nil, ptr(100), 12.5, 150), rng(ptr(100), ptr(200), 3.1, 350), rng(ptr(200), nil, -9.4, 92),
				{Kind: score.MissingBin, Effect: -2.2, Count: 22}}, Baseline: 2.1},
			{Feature: "Credit_History", Kind: score.BinnedTerm, Bins: []score.Bin{
				rng(nil, ptr(1), -120.3, 89), rng(ptr(1), nil, 22.4, 475), {Kind: score.MissingBin, Effect: 1.5, Count: 50}}, Baseline: 0.3},
			{Feature: "Property_Area", Kind: score.BinnedTerm, Bins: []score.Bin{
				{Kind: score.CategoryBin, Categories: []string{"Rural"}, Effect: -6.6, Count: 179},
				{Kind: score.CategoryBin, Categories: []string{"Semiurban"}, Effect: 9.9, Count: 233},
				{Kind: score.CategoryBin, Categories: []string{"Urban"}, Effect: -2.1, Count: 202}}, Baseline: 1.2},
		},
		Scaling: new(score.NewScaling(0, 0, 0)),
	})
	require.NoError(t, err)
	return m
}

// The loan file's first rows, with its blank cells (the trial's row 1
// has a blank LoanAmount; sqlite3's .import stores it as an empty string), cells of
// spaces and tabs (blank to candor's reader: missing), a blank label
// (missing, which Property_Area has no bin for: an error), a label with
// spaces around it (trimmed) and incomes in every band.
const loanCSV = `id,ApplicantIncome,LoanAmount,Credit_History,Property_Area
1,5849,,1,Urban
2,4583,128,1,Rural
3,3000,66,1,Urban
4,2583,120,1,Urban
5,6000,141,1,Urban
6,1500,267,0,Semiurban
7,20000,95,,Rural
8,1907, ,1,Semiurban
9,2400,90,1,
10,2400,90,1, 	
11,2400,90,	, Urban	
`

// TestSQLitePublishesSensitive: the statement gives a sensitive term the
// effect candor score publishes (explain.Explainer.Publish), so points,
// effect and contribution columns and reasons are the published ones.
func TestSQLitePublishesSensitive(t *testing.T) {
	comparePublished(t, loanLike(t), loanCSV, 4)
}

// TestSQLitePublishesSensitiveLinear: a logistic model with a sensitive
// linear income (published at its band's midpoint) and a sensitive
// categorical term (published at its group's mean effect).
func TestSQLitePublishesSensitiveLinear(t *testing.T) {
	m, err := score.NewModel(score.Spec{
		Name: "lin", Kind: score.LogisticModel, Target: "bad", Event: "1",
		Features: []score.Feature{
			{Name: "income", Kind: score.Numeric, Sensitive: true},
			{Name: "marital", Kind: score.Categorical, Sensitive: true, Categories: []string{"single", "married", "divorced", "widowed"}},
			{Name: "duration", Kind: score.Numeric},
		},
		Intercept: -0.4,
		Terms: []score.Term{
			{Feature: "income", Kind: score.LinearTerm, Coef: -0.0000021, Baseline: -0.126,
				Stats: &score.Stats{Count: 1000, Mean: 60000, Min: 1000, Max: 1000000}},
			{Feature: "marital", Kind: score.CategoricalTerm, Reference: "married", Levels: []score.Level{
				{Label: "single", Effect: 0.3137, Count: 300}, {Label: "married", Effect: 0, Count: 400},
				{Label: "divorced", Effect: 0.5711, Count: 200}, {Label: "widowed", Effect: 0.1293, Count: 100}}, Baseline: 0.2},
			{Feature: "duration", Kind: score.LinearTerm, Coef: 0.041, Baseline: 0.984},
		},
	})
	require.NoError(t, err)
	// Incomes in each band, at an edge (250750 = 1000 + 999000/4), far
	// outside the training range and huge.
	var b strings.Builder
	b.WriteString("id,income,marital,duration\n")
	for i, inc := range []float64{1000, 13579.25, 250750, 987654, 500000, 2e6, -5, 1e300} {
		fmt.Fprintf(&b, "%d,%s,%s,%d\n", i+1, strconv.FormatFloat(inc, 'g', -1, 64), []string{"single", "married", "divorced", "widowed"}[i%4], 6+i*7)
	}
	comparePublished(t, m, b.String(), 2)
	ex, err := explain.NewExplainer(m, nil)
	require.NoError(t, err)
	require.Equal(t, []float64{250750, 500500, 750250}, ex.BandEdges(0))
	eff, ok := ex.PublishedEffect(0, score.Num(math.MaxFloat64), -1)
	require.True(t, ok)
	require.InDelta(t, -0.0000021*(1000+3.5*249750), eff, 1e-12, "a huge value is in the last band")
}

// TestSQLiteManyFeatures: the statement of a scorecard with 8 and with 20
// binned features and four reasons runs in SQLite (whose parser overflowed
// its stack on the nested layers, and whose flattener took minutes on
// five rows with two reasons) and matches the Go explainer on every row.
func TestSQLiteManyFeatures(t *testing.T) {
	for _, nf := range []int{8, 20} {
		t.Run(strconv.Itoa(nf), func(t *testing.T) {
			spec := score.Spec{Name: "wide", Kind: score.ScorecardModel, Target: "y", Event: "1", Intercept: 300,
				Scaling: new(score.NewScaling(0, 0, 0))}
			var b strings.Builder
			b.WriteString("id")
			for f := range nf {
				name := "f" + strconv.Itoa(f)
				spec.Features = append(spec.Features, score.Feature{Name: name, Kind: score.Numeric})
				// Effects that differ between features; a missing bin.
				e := func(k int) float64 { return float64((f*7+k*13)%17) - 8 + float64(f)/100 }
				spec.Terms = append(spec.Terms, score.Term{Feature: name, Kind: score.BinnedTerm, Bins: []score.Bin{
					{Kind: score.RangeBin, Upper: ptr(10), Effect: e(0), Count: 25},
					{Kind: score.RangeBin, Lower: ptr(10), Upper: ptr(20), Effect: e(1), Count: 25},
					{Kind: score.RangeBin, Lower: ptr(20), Upper: ptr(30), Effect: e(2), Count: 25},
					{Kind: score.RangeBin, Lower: ptr(30), Effect: e(3), Count: 20},
					{Kind: score.MissingBin, Effect: e(4), Count: 5}}, Baseline: (e(0) + e(1) + e(2) + e(3)) / 4})
				b.WriteString("," + name)
			}
			b.WriteString("\n")
			for i := range 200 {
				b.WriteString(strconv.Itoa(i + 1))
				for f := range nf {
					if (i+f)%23 == 0 {
						b.WriteString(",")
						continue
					}
					fmt.Fprintf(&b, ",%d", (i*31+f*17)%41)
				}
				b.WriteString("\n")
			}
			m, err := score.NewModel(spec)
			require.NoError(t, err)
			comparePublished(t, m, b.String(), 4)
		})
	}
}
