package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/explain"
	"github.com/candorscore/candor/score"
)

// auditJSON holds the fields of `candor audit` output that scripts use.
type auditJSON struct {
	Attribute string `json:"attribute"`
	Groups    []struct {
		Group                 string                      `json:"group"`
		Count                 int                         `json:"count"`
		Weight                float64                     `json:"weight"`
		SelectionRate         *float64                    `json:"selection_rate"`
		SelectionRateInterval []float64                   `json:"selection_rate_interval"`
		TPR                   *float64                    `json:"true_positive_rate"`
		FPR                   *float64                    `json:"false_positive_rate"`
		FPRReason             string                      `json:"false_positive_rate_reason"`
		PPV                   *float64                    `json:"positive_predictive_value"`
		Versus                *struct{ Reference string } `json:"versus"`
	} `json:"groups"`
	DPD         *float64  `json:"demographic_parity_difference"`
	DPDBetween  []string  `json:"demographic_parity_difference_between"`
	DPDInt      []float64 `json:"demographic_parity_difference_interval"`
	DPR         *float64  `json:"demographic_parity_ratio"`
	EOD         *float64  `json:"equal_opportunity_difference"`
	EOddsD      *float64  `json:"equalized_odds_difference"`
	EOddsReason string    `json:"equalized_odds_difference_reason"`
	FourFifths  struct {
		Note    string   `json:"note"`
		Defined bool     `json:"defined"`
		Highest string   `json:"highest_group"`
		Flagged []string `json:"flagged"`
	} `json:"four_fifths_screen"`
	Warnings []string `json:"warnings"`
	Settings struct {
		Rows      int     `json:"rows"`
		Decisions string  `json:"decisions"`
		Threshold float64 `json:"threshold"`
		Direction string  `json:"direction"`
		Weighted  bool    `json:"weighted"`
		Bootstrap int     `json:"bootstrap"`
	} `json:"settings"`
	Excluded struct {
		Policy     string `json:"policy"`
		RowsRead   int    `json:"rows_read"`
		Count      int    `json:"count"`
		BlankCells []struct {
			Column   string `json:"column"`
			Count    int    `json:"count"`
			FirstRow int    `json:"first_row"`
		} `json:"blank_cells"`
	} `json:"excluded_rows"`
	Burden []struct {
		Attribute string `json:"attribute"`
		Cheapest  string `json:"cheapest_group"`
		Groups    []struct {
			Group    string   `json:"group"`
			Adverse  int      `json:"adverse"`
			Feasible int      `json:"feasible"`
			MeanCost *float64 `json:"mean_cost"`
		} `json:"groups"`
	} `json:"recourse_burden"`
}

func f64(p *float64) float64 {
	if p == nil {
		return math.NaN()
	}
	return *p
}

// predCSV: two groups of five decided rows, plus a row with a blank group
// and one with a blank label (both excluded under --missing drop).
//
// By hand, favourable = good outcome / yes decision:
//
//	A: TP 2 (rows 1,2), FN 1 (row 3), FP 1 (row 4), TN 1 (row 5)
//	   selection 3/5 = 0.6, TPR 2/3, FPR 1/2, PPV 2/3
//	B: TP 1 (row 6), FN 2 (rows 7,8), FP 0, TN 2 (rows 9,10)
//	   selection 1/5 = 0.2, TPR 1/3, FPR 0/2 = 0, PPV 1/1 = 1
//	demographic parity difference 0.6 - 0.2 = 0.4, ratio 0.2/0.6 = 1/3,
//	equal opportunity difference 2/3 - 1/3 = 1/3, equalized odds difference
//	max(1/3, 1/2 - 0) = 1/2; four-fifths: B at 1/3 of A, flagged.
//
// Wilson 95% intervals of 3/5 and 1/5 from statsmodels 0.14
// proportion_confint(method="wilson").
const predCSV = `label,decision,sex
good,yes,A
good,yes,A
good,no,A
bad,yes,A
bad,no,A
good,yes,B
good,no,B
good,no,B
bad,no,B
bad,no,B
good,yes,
,no,B
`

func TestAuditPredictionsJSON(t *testing.T) {
	dir := t.TempDir()
	data := writeFile(t, dir, "pred.csv", predCSV)
	code, out, errOut := runCLI(t, "audit", "--data", data, "--label", "label", "--favorable", "good",
		"--prediction", "decision", "--favorable-prediction", "yes", "--group", "sex", "--min-group-size", "5")
	require.Equal(t, 0, code, errOut)
	var r auditJSON
	require.NoError(t, json.Unmarshal([]byte(out), &r), out)
	require.Equal(t, "sex", r.Attribute)
	require.Len(t, r.Groups, 2)
	a, b := r.Groups[0], r.Groups[1]
	require.Equal(t, "A", a.Group)
	require.Equal(t, "B", b.Group)
	require.Equal(t, 5, a.Count)
	require.Equal(t, 5, b.Count)
	const tol = 1e-12
	require.InDelta(t, 0.6, f64(a.SelectionRate), tol)
	require.InDelta(t, 2.0/3, f64(a.TPR), tol)
	require.InDelta(t, 0.5, f64(a.FPR), tol)
	require.InDelta(t, 2.0/3, f64(a.PPV), tol)
	require.InDelta(t, 0.2, f64(b.SelectionRate), tol)
	require.InDelta(t, 1.0/3, f64(b.TPR), tol)
	require.InDelta(t, 0.0, f64(b.FPR), tol)
	require.InDelta(t, 1.0, f64(b.PPV), tol)
	require.Len(t, a.SelectionRateInterval, 2)
	require.InDelta(t, 0.2307242812760129, a.SelectionRateInterval[0], 1e-9)
	require.InDelta(t, 0.8823792257673522, a.SelectionRateInterval[1], 1e-9)
	require.InDelta(t, 0.036224108632430196, b.SelectionRateInterval[0], 1e-9)
	require.InDelta(t, 0.6244653702374748, b.SelectionRateInterval[1], 1e-9)
	require.InDelta(t, 0.4, f64(r.DPD), tol)
	require.Equal(t, []string{"A", "B"}, r.DPDBetween)
	require.InDelta(t, 1.0/3, f64(r.DPR), tol)
	require.InDelta(t, 1.0/3, f64(r.EOD), tol)
	require.InDelta(t, 0.5, f64(r.EOddsD), tol)
	require.True(t, r.FourFifths.Defined)
	require.Equal(t, "A", r.FourFifths.Highest)
	require.Equal(t, []string{"B"}, r.FourFifths.Flagged)
	require.Contains(t, r.FourFifths.Note, "not a legal verdict")
	require.Nil(t, r.DPDInt, "no bootstrap asked")
	require.Equal(t, "predictions", r.Settings.Decisions)
	require.Equal(t, 10, r.Settings.Rows)
	// Excluded rows: read 12, left out 2 (blank group at row 11, blank label at row 12).
	require.Equal(t, "drop", r.Excluded.Policy)
	require.Equal(t, 12, r.Excluded.RowsRead)
	require.Equal(t, 2, r.Excluded.Count)
	require.Len(t, r.Excluded.BlankCells, 2)
	require.Equal(t, "label", r.Excluded.BlankCells[0].Column)
	require.Equal(t, 12, r.Excluded.BlankCells[0].FirstRow)
	require.Equal(t, "sex", r.Excluded.BlankCells[1].Column)
	require.Equal(t, 11, r.Excluded.BlankCells[1].FirstRow)
	require.Contains(t, errOut, "excluded 2 of 12 rows with a blank cell: label 1 (first at row 12), sex 1 (first at row 11)")
	require.Contains(t, errOut, "candor audit: 10 rows audited (2 excluded), 2 groups by sex; demographic parity difference 0.400; four-fifths screen flags: B")

	// The same figures as a readable table, against a named reference.
	code, out, errOut = runCLI(t, "audit", "--data", data, "--label", "label", "--favorable", "good",
		"--prediction", "decision", "--favorable-prediction", "yes", "--group", "sex", "--format", "text",
		"--reference", "sex=A", "--min-group-size", "5")
	require.Equal(t, 0, code, errOut)
	require.Contains(t, out, "excluded 2 of 12 rows with a blank cell")
	require.Contains(t, out, "== sex (reference: A) ==")
	require.Contains(t, out, "0.600 [0.231, 0.882]")
	require.Contains(t, out, "0.200 [0.036, 0.624]")
	require.Contains(t, out, "demographic parity difference  0.400  (A - B)")
	require.Contains(t, out, "demographic parity ratio       0.333  (B / A)")
	require.Contains(t, out, "equalized odds difference      0.500")
	require.Contains(t, out, "under 0.80 of A's selection rate: B")

	// --missing error refuses the blank cells, naming column and row.
	code, _, errOut = runCLI(t, "audit", "--data", data, "--label", "label", "--favorable", "good",
		"--prediction", "decision", "--favorable-prediction", "yes", "--group", "sex", "--missing", "error")
	require.Equal(t, 1, code)
	require.Contains(t, errOut, `column "label", row 12: blank cell`)
	require.Contains(t, errOut, `column "sex", row 11: blank cell`)
}

// scoreCSV: event probabilities (higher is worse) with weights.
//
// By hand, favourable decision when score < 0.5:
//
//	A: good 0.2 w2 -> TP 2; bad 0.4 w1 -> FP 1; good 0.7 w1 -> FN 1
//	   selection 3/4, TPR 2/3, FPR 1/1 = 1
//	B: good 0.5 w1 -> FN 1 (0.5 is not below 0.5); bad 0.9 w3 -> TN 3;
//	   good 0.1 w1 -> TP 1
//	   selection 1/5, TPR 1/2, FPR 0/3 = 0
//	demographic parity difference 0.75 - 0.2 = 0.55, ratio 0.2/0.75 = 4/15,
//	equal opportunity difference 2/3 - 1/2 = 1/6, equalized odds difference
//	max(1/6, 1 - 0) = 1.
//
// With the default direction (higher is favourable, score >= 0.5) A's
// selection rate is 1/4 (only 0.7 is selected).
const scoreCSV = `outcome;p_bad;sex;w
good;0.2;A;2
bad;0.4;A;1
good;0.7;A;1
good;0.5;B;1
bad;0.9;B;3
good;0.1;B;1
`

func TestAuditScoresWeightsDirection(t *testing.T) {
	dir := t.TempDir()
	data := writeFile(t, dir, "score.csv", scoreCSV)
	args := []string{"audit", "--data", data, "--delimiter", ";", "--label", "outcome", "--favorable", "good",
		"--score", "p_bad", "--threshold", "0.5", "--group", "sex", "--weights", "w"}
	code, out, errOut := runCLI(t, append(args, "--score-direction", "unfavorable")...)
	require.Equal(t, 0, code, errOut)
	var r auditJSON
	require.NoError(t, json.Unmarshal([]byte(out), &r))
	const tol = 1e-12
	a, b := r.Groups[0], r.Groups[1]
	require.InDelta(t, 4.0, a.Weight, tol)
	require.InDelta(t, 5.0, b.Weight, tol)
	require.InDelta(t, 0.75, f64(a.SelectionRate), tol)
	require.InDelta(t, 2.0/3, f64(a.TPR), tol)
	require.InDelta(t, 1.0, f64(a.FPR), tol)
	require.InDelta(t, 0.2, f64(b.SelectionRate), tol)
	require.InDelta(t, 0.5, f64(b.TPR), tol)
	require.InDelta(t, 0.0, f64(b.FPR), tol)
	require.InDelta(t, 0.55, f64(r.DPD), tol)
	require.InDelta(t, 4.0/15, f64(r.DPR), tol)
	require.InDelta(t, 1.0/6, f64(r.EOD), tol)
	require.InDelta(t, 1.0, f64(r.EOddsD), tol)
	require.Equal(t, "scores", r.Settings.Decisions)
	require.Equal(t, "higher_is_unfavorable", r.Settings.Direction)
	require.InDelta(t, 0.5, r.Settings.Threshold, 0)
	require.True(t, r.Settings.Weighted)
	require.Equal(t, 0, r.Excluded.Count)
	require.NotEmpty(t, r.Warnings, "groups under the default minimum size of 30 are flagged")

	code, out, errOut = runCLI(t, args...)
	require.Equal(t, 0, code, errOut)
	require.NoError(t, json.Unmarshal([]byte(out), &r))
	require.Equal(t, "higher_is_favorable", r.Settings.Direction)
	require.InDelta(t, 0.25, f64(r.Groups[0].SelectionRate), tol)
}

// TestAuditUndefinedRate: a group without unfavourable outcomes has no FPR;
// it is null with a reason, never 0.
func TestAuditUndefinedRate(t *testing.T) {
	dir := t.TempDir()
	data := writeFile(t, dir, "u.csv", "y,d,g\n1,1,a\n1,0,a\n0,1,a\n1,1,b\n1,1,b\n")
	code, out, errOut := runCLI(t, "audit", "--data", data, "--label", "y", "--favorable", "1", "--prediction", "d", "--group", "g")
	require.Equal(t, 0, code, errOut)
	require.Contains(t, out, `"false_positive_rate": null`)
	var r auditJSON
	require.NoError(t, json.Unmarshal([]byte(out), &r))
	require.Nil(t, r.Groups[1].FPR)
	require.NotEmpty(t, r.Groups[1].FPRReason)
	// The TPR spread is defined (1 - 1/2); the FPR spread needs two groups
	// with a defined FPR, so equalized odds is undefined and says why.
	require.InDelta(t, 0.5, f64(r.EOD), 1e-12)
	require.Nil(t, r.EOddsD)
	require.Equal(t, "fewer than two groups with a defined false positive rate", r.EOddsReason)
}

func TestAuditBootstrapAndChart(t *testing.T) {
	dir := t.TempDir()
	data := writeFile(t, dir, "pred.csv", predCSV)
	svg := filepath.Join(dir, "sel.svg")
	png := filepath.Join(dir, "sel.png")
	args := []string{"audit", "--data", data, "--label", "label", "--favorable", "good",
		"--prediction", "decision", "--favorable-prediction", "yes", "--group", "sex", "--bootstrap", "300", "--seed", "7"}
	code, out1, errOut := runCLI(t, append(args, "--chart", svg)...)
	require.Equal(t, 0, code, errOut)
	code, out2, errOut := runCLI(t, append(args, "--chart", png)...)
	require.Equal(t, 0, code, errOut)
	require.Equal(t, out1, out2, "same seed, same report")
	var r auditJSON
	require.NoError(t, json.Unmarshal([]byte(out1), &r))
	require.Len(t, r.DPDInt, 2)
	require.LessOrEqual(t, r.DPDInt[0], r.DPDInt[1])
	require.Equal(t, 300, r.Settings.Bootstrap)
	b, err := os.ReadFile(svg)
	require.NoError(t, err)
	require.Contains(t, string(b), "<svg")
	b, err = os.ReadFile(png)
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(string(b), "\x89PNG"))

	code, out3, errOut := runCLI(t, append(slices.Clone(args[:len(args)-1]), "8")...)
	require.Equal(t, 0, code, errOut)
	require.NotEqual(t, out1, out3, "another seed, other intervals")

	// --out writes the report to a file.
	outFile := filepath.Join(dir, "report.json")
	code, stdout, errOut := runCLI(t, append(args, "--out", outFile)...)
	require.Equal(t, 0, code, errOut)
	require.Empty(t, stdout)
	b, err = os.ReadFile(outFile)
	require.NoError(t, err)
	require.Equal(t, out1, string(b))
}

func TestAuditErrors(t *testing.T) {
	dir := t.TempDir()
	data := writeFile(t, dir, "pred.csv", predCSV)
	bad := writeFile(t, dir, "bad.csv", "y,s,g,w\ngood,0.1,a,1\ngood,0.2,a,-1\nbad,abc,b,1\nbad,0.3,b,1,extra\nbad,abc,b,1\n")
	base := []string{"audit", "--data", data, "--label", "label", "--favorable", "good", "--group", "sex"}
	for _, c := range []struct {
		name string
		args []string
		code int
		want []string
	}{
		{"no label", []string{"audit", "--data", data, "--prediction", "decision", "--group", "sex"}, 1,
			[]string{"--label and --favorable are required"}},
		{"no decisions", base, 1, []string{"give the decisions: --prediction COL, or --score COL --threshold T"}},
		{"no group", []string{"audit", "--data", data, "--label", "label", "--favorable", "good", "--prediction", "decision"}, 1,
			[]string{"--group is required"}},
		{"group twice", append(base[:len(base)-1], "sex,sex", "--prediction", "decision"), 1,
			[]string{`--group: column "sex" given twice`}},
		{"unknown column", append(base[:len(base)-1], "sexx", "--prediction", "decision"), 1,
			[]string{`group: no column "sexx" (did you mean "sex"?)`}},
		{"unknown column, nothing close", append(base[:len(base)-1], "region", "--prediction", "decision"), 1,
			[]string{`group: no column "region" (columns: label, decision, sex)`}},
		{"favourable value absent", []string{"audit", "--data", data, "--label", "label", "--favorable", "Good", "--group", "sex", "--prediction", "decision", "--favorable-prediction", "yes"}, 1,
			[]string{`favourable outcome "Good" never occurs in column "label" (values: "bad", "good")`}},
		{"favourable decision absent", append(base, "--prediction", "decision"), 1,
			[]string{`favourable decision "good" never occurs in column "decision" (values: "no", "yes")`}},
		{"score without threshold", append(base, "--score", "label"), 1, []string{"--score needs --threshold"}},
		{"prediction with threshold", append(base, "--prediction", "decision", "--threshold", "1"), 1,
			[]string{"--threshold applies to scores"}},
		{"bad direction", append(base, "--prediction", "decision", "--score-direction", "down"), 1,
			[]string{"--score-direction must be favorable or unfavorable"}},
		{"bad format", append(base, "--prediction", "decision", "--format", "xml"), 1, []string{"--format must be json or text"}},
		{"bad chart", append(base, "--prediction", "decision", "--chart", "x.pdf"), 1, []string{"--chart must end in .svg or .png"}},
		{"bad reference", append(base, "--prediction", "decision", "--favorable-prediction", "yes", "--reference", "sex"), 1,
			[]string{"--reference must be ATTRIBUTE=GROUP"}},
		{"unknown reference group", append(base, "--prediction", "decision", "--favorable-prediction", "yes", "--reference", "sex=C"), 1,
			[]string{`"C"`}},
		{"actions without model", append(base, "--prediction", "decision", "--actions", "a.json"), 1,
			[]string{"--actions, --train and --max-changes need --model"}},
		{"unknown flag", append(base, "--colour"), 2, []string{"flag provided but not defined: -colour"}},
		{"missing file", []string{"audit", "--data", filepath.Join(dir, "none.csv"), "--label", "y", "--favorable", "1", "--prediction", "d", "--group", "g"}, 1,
			[]string{"no such file"}},
		{"bad cells", []string{"audit", "--data", bad, "--label", "y", "--favorable", "good", "--score", "s", "--threshold", "0.5", "--group", "g", "--weights", "w"}, 1,
			[]string{`column "s", row 3: "abc" is not a number (and 1 more rows)`, `column "w", row 2: negative weight -1`, "row 4"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, c.args...)
			require.Equal(t, c.code, code, errOut)
			require.Empty(t, out)
			for _, w := range c.want {
				require.Contains(t, errOut, w)
			}
		})
	}
}

// TestAuditModelRecourseBurden: with --model the model's event
// probabilities make the decisions at its cutoff, and the recourse burden
// per group equals the mean of explain's minimal costs over the group's
// adverse rows, computed here independently with ActionSpace.MinimalCosts.
func TestAuditModelRecourseBurden(t *testing.T) {
	dir := t.TempDir()
	model, data := germanFixture(t, dir, 200)
	actions := writeFile(t, dir, "actions.json", `{"immutable": ["credit_history", "present_employment_since"],
  "features": {"duration_in_month": {"direction": "decrease"}, "credit_amount": {"direction": "decrease"}}}`)
	code, out, errOut := runCLI(t, "audit", "--data", data, "--label", "creditability", "--favorable", "good",
		"--model", model, "--actions", actions, "--train", data, "--group", "personal_status_and_sex")
	require.Equal(t, 0, code, errOut)
	var r auditJSON
	require.NoError(t, json.Unmarshal([]byte(out), &r))
	require.Equal(t, "higher_is_unfavorable", r.Settings.Direction)
	require.InDelta(t, 0.5, r.Settings.Threshold, 0)

	m, err := score.LoadFile(model)
	require.NoError(t, err)
	f, err := os.Open(data)
	require.NoError(t, err)
	tab, err := score.ReadCSV(f, nil)
	f.Close()
	require.NoError(t, err)
	acts, err := explain.ParseActions([]byte(`{"immutable": ["credit_history", "present_employment_since"],
  "features": {"duration_in_month": {"direction": "decrease"}, "credit_amount": {"direction": "decrease"}}}`))
	require.NoError(t, err)
	space, err := explain.NewActionSpace(m, acts, tab)
	require.NoError(t, err)
	costs, adverse, err := space.MinimalCosts(context.Background(), tab, nil)
	require.NoError(t, err)
	sexCol := tab.Column("personal_status_and_sex")
	type agg struct {
		n, adverse, feasible int
		sum                  float64
	}
	by := map[string]*agg{}
	for i := 0; i < tab.Len(); i++ {
		g := tab.Cell(i, sexCol)
		if by[g] == nil {
			by[g] = &agg{}
		}
		a := by[g]
		a.n++
		if adverse[i] {
			a.adverse++
			if !math.IsInf(costs[i], 1) {
				a.feasible++
				a.sum += costs[i]
			}
		}
	}
	require.Len(t, r.Burden, 1)
	require.Equal(t, "personal_status_and_sex", r.Burden[0].Attribute)
	require.Len(t, r.Burden[0].Groups, len(by))
	require.Len(t, r.Groups, len(by))
	for k, g := range r.Burden[0].Groups {
		want := by[g.Group]
		require.NotNil(t, want, g.Group)
		require.Equal(t, want.adverse, g.Adverse, g.Group)
		require.Equal(t, want.feasible, g.Feasible, g.Group)
		require.InDelta(t, want.sum/float64(want.feasible), f64(g.MeanCost), 1e-9, g.Group)
		// The audit's selection rate is the share the model does not put on the adverse side.
		require.Equal(t, g.Group, r.Groups[k].Group)
		require.InDelta(t, 1-float64(want.adverse)/float64(want.n), f64(r.Groups[k].SelectionRate), 1e-12, g.Group)
	}

	// Text output carries the burden table.
	code, out, errOut = runCLI(t, "audit", "--data", data, "--label", "creditability", "--favorable", "good",
		"--model", model, "--actions", actions, "--train", data, "--group", "personal_status_and_sex", "--format", "text")
	require.Equal(t, 0, code, errOut)
	require.Contains(t, out, "== recourse burden by personal_status_and_sex: mean minimal cost among the model's adverse decisions ==")
}

// FuzzAuditCSV: arbitrary CSV text never panics the command; it either
// fails with exit status 1 and a message, or writes one valid JSON report.
func FuzzAuditCSV(f *testing.F) {
	f.Add(predCSV)
	f.Add("label,decision,sex\ngood,yes,A\nbad,no,B\n")
	f.Add("label,decision,sex\ngood,yes\n\"x,y\ngood")
	f.Add("label,decision,sex\n,,\n")
	f.Add("label,decision,sex,score\ngood,yes,A,NaN\nbad,yes,A,1e309\n")
	f.Fuzz(func(t *testing.T, text string) {
		data := filepath.Join(t.TempDir(), "f.csv")
		require.NoError(t, os.WriteFile(data, []byte(text), 0o644))
		for _, args := range [][]string{
			{"--prediction", "decision", "--favorable-prediction", "yes"},
			{"--score", "score", "--threshold", "0.5", "--bootstrap", "20"},
		} {
			code, out, errOut := runCLI(t, append([]string{"audit", "--data", data, "--label", "label", "--favorable", "good", "--group", "sex"}, args...)...)
			switch code {
			case 0:
				require.True(t, json.Valid([]byte(out)), out)
			case 1:
				require.Empty(t, out)
				require.True(t, strings.HasPrefix(errOut, "candor audit: "), errOut)
			default:
				t.Fatalf("exit %d: %s", code, errOut)
			}
		}
	})
}

// TestAuditSummaryListsTenFlagged: the stderr summary is one line; by a
// numeric column (the loan-prediction file's ApplicantIncome, 505 groups)
// it named 95 flagged groups. It names the first 10 and counts the rest,
// which the report lists (10, as `fit` lists a target's values).
func TestAuditSummaryListsTenFlagged(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "groups.csv")
	var b strings.Builder
	b.WriteString("label,decision,g\n")
	// Group g0 selects every row; g1..g14 select none: 14 flagged.
	for g := range 15 {
		for range 2 {
			d := "no"
			if g == 0 {
				d = "yes"
			}
			fmt.Fprintf(&b, "good,%s,g%02d\n", d, g)
		}
	}
	require.NoError(t, os.WriteFile(data, []byte(b.String()), 0o644))
	code, _, errOut := runCLI(t, "audit", "--data", data, "--label", "label", "--favorable", "good",
		"--prediction", "decision", "--favorable-prediction", "yes", "--group", "g")
	require.Equal(t, 0, code, errOut)
	require.Contains(t, errOut, "four-fifths screen flags: g01, g02, g03, g04, g05, g06, g07, g08, g09, g10 and 4 more (in the report);")
}

// TestAuditErrorsNameTheFile: an audit's data error (a ragged row, a
// favourable outcome that never occurs) said "candor audit: row 50: ..."
// without the file; with --model and without, it names --data first.
func TestAuditErrorsNameTheFile(t *testing.T) {
	dir := t.TempDir()
	model, data := germanFixture(t, dir, 40)
	raw, err := os.ReadFile(data)
	require.NoError(t, err)
	lines := strings.SplitAfter(string(raw), "\n")
	junk := filepath.Join(dir, "junk.csv")
	require.NoError(t, os.WriteFile(junk, []byte(strings.Join(lines[:11], "")+"LP9,garbage row here\n"+strings.Join(lines[11:], "")), 0o644))
	for _, args := range [][]string{
		{"--model", model},
		{"--score", "age_in_years", "--threshold", "30"},
	} {
		code, _, errOut := runCLI(t, append([]string{"audit", "--data", junk, "--label", "creditability", "--favorable", "good",
			"--group", "foreign_worker"}, args...)...)
		require.Equal(t, 1, code, errOut)
		require.Contains(t, errOut, "candor audit: "+junk+": row 11: ", args)
	}
}

// A --label or --group that is not a column of --data names the file and
// the close match, with --model (the table read into memory) and with
// --score (the rows streamed), as fit's column flags do. Before:
// `candor audit: fairness: no such column or value: label: no column
// "churn" (columns: ...)`, no file and no match (the Iranian churn file's
// "Churn" and "Age Group").
func TestAuditColumnErrorsNameFileAndMatch(t *testing.T) {
	dir := t.TempDir()
	model, data := germanFixture(t, dir, 40)
	for _, args := range [][]string{
		{"--model", model},
		{"--score", "age_in_years", "--threshold", "30"},
	} {
		for _, tc := range []struct{ label, group, want string }{
			{"Creditability", "foreign_worker", `label: no column "Creditability" (did you mean "creditability"?)`},
			{"creditability", "Foreign_Worker", `group: no column "Foreign_Worker" (did you mean "foreign_worker"?)`},
		} {
			code, _, errOut := runCLI(t, append([]string{"audit", "--data", data, "--label", tc.label, "--favorable", "good",
				"--group", tc.group}, args...)...)
			require.Equal(t, 1, code, errOut)
			require.Contains(t, errOut, "candor audit: "+data+": ", args)
			require.Contains(t, errOut, tc.want, args)
		}
	}
}
