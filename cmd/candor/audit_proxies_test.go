package main

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/fairness"
	"github.com/candorscore/candor/score"
)

// proxiesJSON is the "proxies" field of candor audit --proxies.
type proxiesJSON struct {
	Associations []struct {
		Input     string   `json:"input"`
		Protected string   `json:"protected"`
		Measure   string   `json:"measure"`
		Value     *float64 `json:"value"`
		Rows      int      `json:"rows"`
		Flagged   bool     `json:"flagged"`
	} `json:"associations"`
	Predictability []struct {
		Protected string   `json:"protected"`
		AUC       *float64 `json:"auc"`
		Classes   []struct {
			Group string `json:"group"`
			Count int    `json:"count"`
		} `json:"classes"`
		Flagged bool `json:"flagged"`
	} `json:"predictability"`
	AssociationLevel float64 `json:"association_level"`
	AUCLevel         float64 `json:"auc_level"`
	Folds            int     `json:"folds"`
	Rows             int     `json:"rows"`
	Excluded         struct {
		RowsRead   int `json:"rows_read"`
		Count      int `json:"count"`
		BlankCells []struct {
			Column   string `json:"column"`
			Count    int    `json:"count"`
			FirstRow int    `json:"first_row"`
		} `json:"blank_cells"`
	} `json:"excluded_rows"`
	LeftOut []string `json:"inputs_left_out"`
}

// auditProxiesOut runs candor audit with args and returns the decoded
// "proxies" field and the raw JSON report.
func auditProxiesOut(t *testing.T, args ...string) (proxiesJSON, map[string]json.RawMessage) {
	t.Helper()
	code, out, errOut := runCLI(t, append([]string{"audit"}, args...)...)
	require.Equal(t, 0, code, errOut)
	var raw map[string]json.RawMessage
	require.NoError(t, json.Unmarshal([]byte(out), &raw), out)
	require.Contains(t, raw, "proxies", out)
	var p proxiesJSON
	require.NoError(t, json.Unmarshal(raw["proxies"], &p))
	return p, raw
}

// proxyCSV: protected g (A, B), categorical input c, numeric input z.
// Row 9 has a blank g (left out of the audit and of the proxies); row 10
// a blank z (left out of z's association only).
//
// By hand, over the 9 rows with a g:
//
//	c: A x3 y1 (4), B x1 y4 (5); columns x 4, y 5; n 9.
//	   Expected A,x 16/9, A,y 20/9, B,x 20/9, B,y 25/9;
//	   chi² = (11/9)² (9/16 + 9/20 + 9/20 + 9/25) = 121 · 81/3600 = 9801/3600;
//	   V = sqrt(chi² / (9 · (2-1))) = sqrt(9801/32400) = 99/180 = 0.55,
//	   flagged (above 0.5).
//	z: 8 rows; A 1,2,3,4 (mean 2.5), B 3,4,5,6 (mean 4.5), overall 3.5;
//	   SS_between = 4·1² + 4·1² = 8; SS_total = 2(2.5² + 1.5² + 0.5² + 0.5²) = 18;
//	   eta = sqrt(8/18) = 2/3, flagged.
//
// age is g again as a number, for --bands age=30 (A under 30, B from 30).
const proxyCSV = `y,d,g,age,c,z
good,yes,A,21,x,1
good,yes,A,22,x,2
bad,no,A,23,x,3
good,yes,A,29.5,y,4
bad,no,B,30,x,3
good,yes,B,40,y,4
bad,no,B,50,y,5
bad,no,B,60,y,6
good,yes,,,x,7
bad,no,B,70,y,
`

func TestAuditProxiesHand(t *testing.T) {
	data := writeFile(t, t.TempDir(), "proxy.csv", proxyCSV)
	p, raw := auditProxiesOut(t, "--data", data, "--label", "y", "--favorable", "good", "--prediction", "d",
		"--favorable-prediction", "yes", "--group", "g", "--min-group-size", "-1", "--proxies", "--proxy-inputs", "c,z")
	require.Contains(t, raw, "groups", "the audit is still there")
	require.Len(t, p.Associations, 2)
	c, z := p.Associations[0], p.Associations[1]
	require.Equal(t, "c", c.Input)
	require.Equal(t, "g", c.Protected)
	require.Equal(t, "cramers_v", c.Measure)
	require.InDelta(t, 0.55, *c.Value, 1e-9)
	require.Equal(t, 9, c.Rows)
	require.True(t, c.Flagged)
	require.Equal(t, "z", z.Input)
	require.Equal(t, "correlation_ratio", z.Measure)
	require.InDelta(t, 2.0/3, *z.Value, 1e-9)
	require.Equal(t, 8, z.Rows)
	require.True(t, z.Flagged)
	require.Equal(t, 9, p.Rows)
	require.Equal(t, 10, p.Excluded.RowsRead)
	require.Equal(t, 1, p.Excluded.Count)
	require.Equal(t, "g", p.Excluded.BlankCells[0].Column)
	require.Equal(t, 9, p.Excluded.BlankCells[0].FirstRow)
	require.Equal(t, 0.5, p.AssociationLevel)
	require.Equal(t, 0.7, p.AUCLevel)
	require.Len(t, p.Predictability, 1)
	require.Equal(t, "g", p.Predictability[0].Protected)
	require.Nil(t, p.LeftOut)

	// --proxy-inputs implies --proxies.
	q, _ := auditProxiesOut(t, "--data", data, "--label", "y", "--favorable", "good", "--prediction", "d",
		"--favorable-prediction", "yes", "--group", "g", "--min-group-size", "-1", "--proxy-inputs", "c,z")
	require.Equal(t, p, q)
}

// Without --proxies the report has no "proxies" field and is what it was.
func TestAuditProxiesNotAsked(t *testing.T) {
	data := writeFile(t, t.TempDir(), "proxy.csv", proxyCSV)
	args := []string{"audit", "--data", data, "--label", "y", "--favorable", "good", "--prediction", "d",
		"--favorable-prediction", "yes", "--group", "g", "--min-group-size", "-1"}
	for _, format := range []string{"json", "text"} {
		code, out, errOut := runCLI(t, append(args, "--format", format)...)
		require.Equal(t, 0, code, errOut)
		require.NotContains(t, out, "proxies")
		require.NotContains(t, out, "Proxies")
		code, with, errOut := runCLI(t, append(args, "--format", format, "--proxy-inputs", "c,z")...)
		require.Equal(t, 0, code, errOut)
		if format == "text" {
			require.True(t, strings.HasPrefix(with, out), "the proxies section follows the report as it was")
		}
	}
}

// --bands bands the protected attribute before the proxies: age banded at
// 30 is g, so the figures are proxyCSV's and the groups are the bands. A
// --group column among the inputs is left out of them, and said.
func TestAuditProxiesBands(t *testing.T) {
	data := writeFile(t, t.TempDir(), "proxy.csv", proxyCSV)
	p, _ := auditProxiesOut(t, "--data", data, "--label", "y", "--favorable", "good", "--prediction", "d",
		"--favorable-prediction", "yes", "--group", "age", "--bands", "age=30", "--min-group-size", "-1",
		"--proxy-inputs", "c,age,z")
	require.Equal(t, []string{"age"}, p.LeftOut)
	require.Len(t, p.Associations, 2)
	require.Equal(t, "age", p.Associations[0].Protected)
	require.InDelta(t, 0.55, *p.Associations[0].Value, 1e-9)
	require.InDelta(t, 2.0/3, *p.Associations[1].Value, 1e-9)
	require.Len(t, p.Predictability, 1)
	var groups []string
	for _, c := range p.Predictability[0].Classes {
		groups = append(groups, c.Group)
	}
	require.ElementsMatch(t, []string{"< 30", ">= 30"}, groups)
	require.Equal(t, 1, p.Excluded.Count)
	require.Equal(t, "age", p.Excluded.BlankCells[0].Column)

	// Every input a --group column: nothing to measure.
	code, _, errOut := runCLI(t, "audit", "--data", data, "--label", "y", "--favorable", "good", "--prediction", "d",
		"--favorable-prediction", "yes", "--group", "age", "--bands", "age=30", "--proxy-inputs", "age")
	require.Equal(t, 1, code)
	require.Contains(t, errOut, "no input left to measure: age are --group columns")
}

func TestAuditProxiesText(t *testing.T) {
	data := writeFile(t, t.TempDir(), "proxy.csv", proxyCSV)
	code, out, errOut := runCLI(t, "audit", "--data", data, "--label", "y", "--favorable", "good", "--prediction", "d",
		"--favorable-prediction", "yes", "--group", "age", "--bands", "age=30", "--min-group-size", "-1",
		"--proxy-inputs", "c,z", "--format", "text")
	require.Equal(t, 0, code, errOut)
	_, sec, ok := strings.Cut(out, "\n== Proxies for protected attributes ==\n")
	require.True(t, ok, out)
	require.Contains(t, sec, "9 rows (excluded 1 of 10 rows with a blank cell: age 1 (first at row 9))")
	require.Contains(t, sec, "flagged above 0.5:")
	require.Contains(t, sec, "flagged above 0.7:")
	lines := strings.Split(sec, "\n")
	var assoc []string
	for _, l := range lines {
		if f := strings.Fields(l); len(f) >= 4 && f[1] == "age" {
			assoc = append(assoc, l)
		}
	}
	// Largest first: z (0.667) before c (0.550), though c comes first in
	// --proxy-inputs; both above 0.5.
	require.Len(t, assoc, 2, sec)
	require.Regexp(t, `^z\s+age\s+correlation_ratio\s+0\.667\s+8\s+flagged$`, assoc[0])
	require.Regexp(t, `^c\s+age\s+cramers_v\s+0\.550\s+9\s+flagged$`, assoc[1])
	// The bands in band order under their attribute's AUC.
	require.Regexp(t, `\nage\s+all \(mean\)\s+9\s+\d\.\d{3}\s*\n\s+< 30\s+4\s+\d\.\d{3}\s*\n\s+>= 30\s+5\s`, sec)
	require.Contains(t, sec, "naive Bayes ignores the correlation between inputs")
}

// germanProxies runs audit --proxies --model on the German credit data,
// by sex and age band.
func germanProxies(t *testing.T) (model, data string, raw map[string]json.RawMessage, p proxiesJSON) {
	t.Helper()
	model, data = germanFixture(t, t.TempDir(), 1000)
	p, raw = auditProxiesOut(t, "--data", data, "--label", "creditability", "--favorable", "good", "--model", model,
		"--group", "personal_status_and_sex,age_in_years", "--bands", "age_in_years=25,35,65", "--proxies")
	return model, data, raw, p
}

// On German credit the CLI's proxies are fairness.Proxies' on the model's
// inputs and the banded protected columns, built here from the file
// independently of the command, to the last bit.
func TestAuditProxiesGermanEqualsLibrary(t *testing.T) {
	model, data, raw, _ := germanProxies(t)
	m, err := score.LoadFile(model)
	require.NoError(t, err)
	f, err := os.Open(data)
	require.NoError(t, err)
	defer f.Close()
	tab, err := score.ReadCSV(f, nil)
	require.NoError(t, err)
	col := func(name string) []string {
		j := tab.Column(name)
		require.GreaterOrEqual(t, j, 0, name)
		out := make([]string, tab.Len())
		for i := range out {
			out[i] = tab.Cell(i, j)
		}
		return out
	}
	s := m.Schema()
	used := map[int]bool{}
	for j := range m.NumTerms() {
		used[m.TermFeature(j)] = true
	}
	var inputs []fairness.Column
	for i := range s.Len() {
		if !used[i] {
			continue
		}
		feat := s.Feature(i)
		cells := col(feat.Name)
		if feat.Kind == score.Categorical {
			inputs = append(inputs, fairness.Column{Name: feat.Name, Categories: cells})
			continue
		}
		xs := make([]float64, len(cells))
		for r, c := range cells {
			if c == "" {
				xs[r] = math.NaN()
				continue
			}
			xs[r], err = strconv.ParseFloat(c, 64)
			require.NoError(t, err)
		}
		inputs = append(inputs, fairness.Column{Name: feat.Name, Numeric: xs})
	}
	require.Greater(t, len(inputs), 5)
	bands := fairness.Bands{25, 35, 65}
	ages := col("age_in_years")
	for r, c := range ages {
		x, err := strconv.ParseFloat(c, 64)
		require.NoError(t, err)
		ages[r] = bands.Name(bands.Of(x))
	}
	want, err := fairness.Proxies(inputs, []fairness.GroupColumn{
		{Name: "personal_status_and_sex", Values: col("personal_status_and_sex")},
		{Name: "age_in_years", Values: ages},
	}, nil)
	require.NoError(t, err)
	wantJSON, err := json.Marshal(want)
	require.NoError(t, err)

	var got map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(raw["proxies"], &got))
	for _, k := range []string{"rows", "excluded_rows", "inputs_left_out"} {
		delete(got, k)
	}
	var wantMap map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(wantJSON, &wantMap))
	require.Equal(t, len(wantMap), len(got))
	for k, w := range wantMap {
		var a, b bytes.Buffer
		require.NoError(t, json.Compact(&a, w))
		require.NoError(t, json.Compact(&b, got[k]))
		require.Equal(t, a.String(), b.String(), k)
	}
}

// Two values on German credit against scipy and numpy:
// cmd/candor/testdata/proxies_check.py printed them.
func TestAuditProxiesAgainstScipy(t *testing.T) {
	const (
		housingAgeV    = 0.26700849274584443 // scipy.stats.contingency.association(correction=False)
		amountSexRatio = 0.18701357670396546 // numpy, sqrt(SS_between / SS_total)
	)
	_, _, _, p := germanProxies(t)
	found := 0
	for _, a := range p.Associations {
		switch {
		case a.Input == "housing" && a.Protected == "age_in_years":
			require.InDelta(t, housingAgeV, *a.Value, 1e-12)
			found++
		case a.Input == "credit_amount" && a.Protected == "personal_status_and_sex":
			require.InDelta(t, amountSexRatio, *a.Value, 1e-12)
			found++
		}
	}
	require.Equal(t, 2, found, "the model reads housing and credit_amount")
	require.Equal(t, 1000, p.Rows)
	require.Nil(t, p.LeftOut, "the model keeps its protected attributes out")
}

func TestAuditProxiesUsageErrors(t *testing.T) {
	dir := t.TempDir()
	data := writeFile(t, dir, "proxy.csv", proxyCSV)
	base := []string{"audit", "--label", "y", "--favorable", "good", "--prediction", "d", "--favorable-prediction", "yes", "--group", "g"}
	for _, tc := range []struct {
		name string
		args []string
		want []string
	}{
		{"no inputs", []string{"--data", data, "--proxies"}, []string{"--proxies needs the inputs", "--model", "--proxy-inputs"}},
		{"empty list", []string{"--data", data, "--proxy-inputs", " , "}, []string{"--proxy-inputs names no column"}},
		{"twice", []string{"--data", data, "--proxy-inputs", "c,c"}, []string{`--proxy-inputs: column "c" given twice`}},
		{"stdin", []string{"--data", "-", "--proxy-inputs", "c"}, []string{"--proxies needs --data to be a file", "standard input (-)"}},
		{"unknown column", []string{"--data", data, "--proxy-inputs", "c,zz"}, []string{`--proxy-inputs: no column "zz" in ` + data, `did you mean "z"?`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, append(base, tc.args...)...)
			require.Equal(t, 1, code, out)
			require.Empty(t, out)
			for _, w := range tc.want {
				require.Contains(t, errOut, w)
			}
		})
	}
}

// A numeric model input with text in it: the row is left out of the
// proxies and counted, naming the feature and the row, as audit --model
// leaves out a row it cannot score.
func TestAuditProxiesUnreadableRow(t *testing.T) {
	dir := t.TempDir()
	model, german := germanFixture(t, dir, 30)
	b, err := os.ReadFile(german)
	require.NoError(t, err)
	lines := strings.Split(string(b), "\n")
	lines[3] = strings.Replace(lines[3], ",", ",x", 1) // duration_in_month, the second column
	bad := filepath.Join(dir, "bad.csv")
	require.NoError(t, os.WriteFile(bad, []byte(strings.Join(lines, "\n")), 0o644))
	code, out, errOut := runCLI(t, "audit", "--data", bad, "--label", "creditability", "--favorable", "good",
		"--prediction", "creditability", "--group", "age_in_years", "--bands", "age_in_years=30", "--proxies", "--model", model)
	require.Equal(t, 0, code, errOut)
	var raw map[string]json.RawMessage
	require.NoError(t, json.Unmarshal([]byte(out), &raw))
	var p struct {
		Rows       int          `json:"rows"`
		Unreadable unscoredRows `json:"unreadable_rows"`
	}
	require.NoError(t, json.Unmarshal(raw["proxies"], &p))
	require.Equal(t, 29, p.Rows)
	require.Equal(t, 1, p.Unreadable.Count)
	require.Equal(t, []int{3}, p.Unreadable.Rows)
	require.Contains(t, p.Unreadable.FirstError, `row 3: feature "duration_in_month"`)
	require.Contains(t, errOut, "candor audit: proxies: left out 1 row with an input cell not of its kind (first: row 3")
}
