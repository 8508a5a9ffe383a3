package fit_test

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/explain"
	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/fit"
)

// TestLogisticMissingIndicator: under MissingIndicator an input with blank
// training cells gets an indicator column and a neutral fill (numeric: the
// lower median of its other values; categorical: the reference level), and
// the coefficients and log-likelihood equal statsmodels Logit on that
// design (testdata/logistic_missing.py) to 1e-6. The model scores a blank
// as fitted: b*fill + g for a numeric input, g for a categorical one.
func TestLogisticMissingIndicator(t *testing.T) {
	var ref struct {
		Fills           map[string]any     `json:"fills"`
		BlankRows       map[string]float64 `json:"blank_rows"`
		ReferenceRows   float64            `json:"reference_rows"`
		ReferenceEvents float64            `json:"reference_events"`
		Names           []string           `json:"names"`
		Coef            []float64          `json:"coef"`
		StdErr          []float64          `json:"stderr"`
		LLF             float64            `json:"llf"`
	}
	tab, s := missingFixture(t, &ref)

	// Without the policy the blanks are an error, as before.
	_, err := fit.Logistic(context.Background(), tab, s, "default", "yes", nil)
	require.ErrorIs(t, err, score.ErrMissing)

	fitted, err := fit.Logistic(context.Background(), tab, s, "default", "yes", &fit.LogisticOptions{Missing: fit.MissingIndicator})
	require.NoError(t, err)
	require.Equal(t, 900, fitted.Rows)
	require.Zero(t, fitted.Dropped)
	require.Equal(t, []fit.BlankFill{
		{Feature: "income", Rows: int(ref.BlankRows["income"]), Fill: "28922"},
		{Feature: "months_since_delinquency", Rows: int(ref.BlankRows["months_since_delinquency"]), Fill: "35"},
		{Feature: "housing", Rows: int(ref.BlankRows["housing"]), Fill: "free", Level: true},
	}, fitted.Blanks) // the script's fills and counts
	require.InDelta(t, ref.LLF, fitted.LogLik, 1e-8)
	got := map[string]fit.Coefficient{}
	for _, c := range fitted.Coefficients {
		got[c.Name] = c
	}
	require.Len(t, got, len(ref.Names))
	for k, name := range ref.Names {
		require.Contains(t, got, name)
		require.InDelta(t, ref.Coef[k], got[name].Estimate, 1e-6*max(1, math.Abs(ref.Coef[k])), name)
		require.InDelta(t, ref.StdErr[k], got[name].StdErr, 1e-6*max(1, ref.StdErr[k]), name)
	}

	m := fitted.Model
	coef := func(name string) float64 { return got[name].Estimate }
	incomeFill := ref.Fills["income"].(float64)
	monthsFill := ref.Fills["months_since_delinquency"].(float64)
	checked := 0
	for j := 0; j < m.NumTerms(); j++ {
		term := m.Term(j)
		switch term.Feature {
		case "income":
			checked++
			require.Equal(t, score.BinnedTerm, term.Kind)
			last := term.Bins[len(term.Bins)-1]
			require.Equal(t, score.MissingBin, last.Kind)
			require.InDelta(t, coef("income")*incomeFill+coef("income[missing]"), last.Effect, 1e-12)
			require.Equal(t, ref.BlankRows["income"], last.Count)
		case "housing":
			checked++
			require.Equal(t, score.CategoricalTerm, term.Kind)
			require.Equal(t, "free", term.Reference)
			require.NotNil(t, term.MissingEffect)
			require.InDelta(t, coef("housing[missing]"), *term.MissingEffect, 1e-12)
			// The reference level counts its own rows, not the blanks filled with it.
			require.Equal(t, "free", term.Levels[0].Label)
			require.Equal(t, ref.ReferenceRows, term.Levels[0].Count)
			require.Equal(t, ref.ReferenceEvents, term.Levels[0].Events)
		}
	}
	require.Equal(t, 2, checked)

	// A customer with every blank scores intercept + the fitted blank
	// effects + utilisation; the same customer with the fills and
	// indicators by hand gives the same log-odds.
	sch := m.Schema()
	rec, err := tab.Record(sch, 0)
	require.NoError(t, err)
	set := func(name string, v score.Value) { rec[sch.Index(name)] = v }
	set("income", score.Missing())
	set("months_since_delinquency", score.Missing())
	set("housing", score.Missing())
	set("utilisation", score.Num(0.5))
	r, err := m.Score(rec)
	require.NoError(t, err)
	want := coef("(intercept)") + coef("income")*incomeFill + coef("income[missing]") +
		coef("months_since_delinquency")*monthsFill + coef("months_since_delinquency[missing]") +
		coef("housing[missing]") + coef("utilisation")*0.5
	require.InDelta(t, want, float64(r.LogOdds), 1e-12)
	// A special code still scores as its own bin: b*fill + its indicator.
	coded := append(score.Record(nil), rec...)
	coded[sch.Index("income")] = score.Num(30000)
	coded[sch.Index("months_since_delinquency")] = score.Num(-7)
	coded[sch.Index("housing")] = score.Cat("own")
	r2, err := m.Score(coded)
	require.NoError(t, err)
	want = coef("(intercept)") + coef("income")*30000 + coef("months_since_delinquency")*monthsFill +
		coef("months_since_delinquency[special=-7]") + coef("housing=own") + coef("utilisation")*0.5
	require.InDelta(t, want, float64(r2.LogOdds), 1e-12)
	// Exact breakdown: baseline + contributions = log-odds.
	ex, err := explain.NewExplainer(m, nil)
	require.NoError(t, err)
	var e explain.Explanation
	require.NoError(t, ex.Explain(rec, &e))
	sum := e.Baseline
	for _, c := range e.Contributions {
		sum += c
	}
	require.InDelta(t, r.Score, sum, 1e-12)

	// A blank target is still an error naming the row: it has no fill.
	rows := make([][]string, tab.Len())
	for i := range rows {
		rows[i] = tab.Row(i)
	}
	rows[4][tab.Column("default")] = ""
	blankTarget, err := score.NewTable(tab.Header(), rows)
	require.NoError(t, err)
	_, err = fit.Logistic(context.Background(), blankTarget, s, "default", "yes", &fit.LogisticOptions{Missing: fit.MissingIndicator})
	require.ErrorIs(t, err, score.ErrMissing)
	require.Contains(t, err.Error(), `row 5: feature "default"`)
}

// TestLinearMissingIndicator: Linear under MissingIndicator builds the same
// design (here utilisation on the other columns, the target default an
// input) and equals statsmodels OLS on it (testdata/logistic_missing.py,
// "ols") to 1e-8; a blank income scores b*fill + g.
func TestLinearMissingIndicator(t *testing.T) {
	var ref struct {
		OLS struct {
			Names  []string  `json:"names"`
			Coef   []float64 `json:"coef"`
			StdErr []float64 `json:"stderr"`
			R2     float64   `json:"r2"`
		} `json:"ols"`
		Fills map[string]any `json:"fills"`
	}
	tab, s := missingFixture(t, &ref)
	fitted, err := fit.Linear(context.Background(), tab, s, "utilisation", &fit.LinearOptions{Missing: fit.MissingIndicator})
	require.NoError(t, err)
	var names []string
	for k, c := range fitted.Coefficients {
		names = append(names, c.Name)
		require.InDelta(t, ref.OLS.Coef[k], c.Estimate, 1e-8*max(1, math.Abs(ref.OLS.Coef[k])), c.Name)
		require.InDelta(t, ref.OLS.StdErr[k], c.StdErr, 1e-8, c.Name)
	}
	require.Equal(t, ref.OLS.Names, names)
	require.InDelta(t, ref.OLS.R2, fitted.R2, 1e-10)

	m := fitted.Model
	sch := m.Schema()
	rec, err := tab.Record(sch, 0)
	require.NoError(t, err)
	base, err := m.Score(rec)
	require.NoError(t, err)
	x0 := rec[sch.Index("income")].Float()
	rec[sch.Index("income")] = score.Missing()
	blank, err := m.Score(rec)
	require.NoError(t, err)
	bi, gi := ref.OLS.Coef[1], ref.OLS.Coef[6] // income, income[missing]
	require.InDelta(t, bi*ref.Fills["income"].(float64)+gi-bi*x0, blank.Score-base.Score, 1e-12)
}

// missingFixture reads testdata/logistic_missing.json into ref and returns
// the file's table and schema, with months_since_delinquency's code -7
// declared as the script declares it.
func missingFixture(t *testing.T, ref any) (*score.Table, *score.Schema) {
	t.Helper()
	b, err := os.ReadFile("testdata/logistic_missing.json")
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, ref))
	f, err := os.Open("testdata/logistic_missing.csv")
	require.NoError(t, err)
	defer f.Close()
	tab, err := score.ReadCSV(f, nil)
	require.NoError(t, err)
	decl := score.Declarations{Features: map[string]score.Declaration{"months_since_delinquency": {
		Special: map[string]string{"-7": "no late payment on record"}}}}
	s, err := tab.InferSchemaWith(&decl)
	require.NoError(t, err)
	return tab, s
}

// TestMissingIndicatorAllBlankCategory: a declared categorical input whose
// every training cell is blank has no level to be the reference, so
// MissingIndicator cannot fill it; the fit says so, naming the feature,
// instead of the blank-cells error that recommends MissingIndicator.
func TestMissingIndicatorAllBlankCategory(t *testing.T) {
	var rows [][]string
	for i := range 30 {
		rows = append(rows, []string{"", strconv.Itoa(i % 7), strconv.Itoa(i % 3 / 2)})
	}
	tab, err := score.NewTable([]string{"c", "z", "y"}, rows)
	require.NoError(t, err)
	categorical := score.Categorical
	s, err := tab.InferSchemaWith(&score.Declarations{Features: map[string]score.Declaration{"c": {Kind: &categorical}}})
	require.NoError(t, err)
	_, err = fit.Logistic(context.Background(), tab, s, "y", "1", &fit.LogisticOptions{Missing: fit.MissingIndicator})
	var fe *score.FieldError
	require.ErrorAs(t, err, &fe)
	require.Equal(t, "c", fe.Feature)
	require.ErrorIs(t, err, score.ErrData)
	require.Contains(t, err.Error(), "every training cell is blank")
}

// FuzzLogisticMissingIndicator: a small table of a numeric input, a
// categorical one and a 0/1 target, with blanks anywhere in the inputs,
// fits under MissingIndicator without a panic, and a model that fits
// scores every one of its training rows, blank cells included, to a
// finite log-odds.
func FuzzLogisticMissingIndicator(f *testing.F) {
	f.Add([]byte{1, 2, 0, 3, 1, 1, 0, 0, 0, 5, 2, 1, 9, 0, 0, 7, 1, 1, 0, 2, 1, 4, 0, 0})
	f.Add([]byte{0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) > 300 {
			return
		}
		var rows [][]string
		for i := 0; i+2 < len(b); i += 3 {
			x, c := "", ""
			if b[i]%5 != 0 {
				x = strconv.Itoa(int(b[i] % 17))
			}
			if b[i+1]%4 != 0 {
				c = string(rune('a' + b[i+1]%3))
			}
			rows = append(rows, []string{x, c, strconv.Itoa(int(b[i+2] % 2))})
		}
		tab, err := score.NewTable([]string{"x", "c", "y"}, rows)
		if err != nil {
			return
		}
		categorical := score.Categorical
		s, err := tab.InferSchemaWith(&score.Declarations{Features: map[string]score.Declaration{"c": {Kind: &categorical}}})
		if err != nil {
			return
		}
		fitted, err := fit.Logistic(context.Background(), tab, s, "y", "1", &fit.LogisticOptions{Missing: fit.MissingIndicator, L2: 1})
		if err != nil {
			return
		}
		m := fitted.Model
		for r := 0; r < tab.Len(); r++ {
			rec, err := tab.Record(m.Schema(), r)
			require.NoError(t, err)
			res, err := m.Score(rec)
			require.NoError(t, err, "row %d %v", r+1, tab.Row(r))
			require.False(t, math.IsNaN(float64(res.LogOdds)) || math.IsInf(float64(res.LogOdds), 0))
		}
	})
}
