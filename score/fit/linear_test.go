package fit_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/examples/datasets"
	"github.com/candorscore/candor/explain"
	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/fit"
	"github.com/candorscore/candor/score/monitor"
	"github.com/candorscore/candor/score/pmml"
)

type olsRef struct {
	Columns []string   `json:"columns"`
	Aliased []string   `json:"aliased"`
	Params  []float64  `json:"params"`
	BSE     []*float64 `json:"bse"`
	R2      float64    `json:"rsquared"`
	SSR     float64    `json:"ssr"`
	LLF     float64    `json:"llf"`
	DFResid float64    `json:"df_resid"`
}

func germanTable(t testing.TB) (*score.Table, *score.Schema) {
	tab, s, err := datasets.LoadSchema(datasets.GermanCredit, "personal_status_and_sex")
	require.NoError(t, err)
	return tab, s
}

// checkOLS compares a fit with a statsmodels reference: coefficients and
// standard errors to 1e-8 relative, R^2, RSS and log-likelihood to 1e-10.
func checkOLS(t *testing.T, ref olsRef, fitted *fit.LinearFit) float64 {
	t.Helper()
	require.Len(t, fitted.Coefficients, len(ref.Columns))
	require.Equal(t, ref.Aliased, fitted.Aliased())
	rel := func(want, got float64) float64 { return math.Abs(got-want) / math.Max(math.Abs(want), 1e-300) }
	var worst float64
	for i, c := range fitted.Coefficients {
		require.Equal(t, ref.Columns[i], c.Name)
		if c.Aliased {
			require.Equal(t, 0.0, c.Estimate)
			require.Nil(t, ref.BSE[i])
			continue
		}
		worst = math.Max(worst, rel(ref.Params[i], c.Estimate))
		require.InEpsilon(t, ref.Params[i], c.Estimate, 1e-8, c.Name)
		require.InEpsilon(t, *ref.BSE[i], c.StdErr, 1e-8, c.Name)
	}
	require.InEpsilon(t, ref.R2, fitted.R2, 1e-10)
	require.InEpsilon(t, ref.SSR, fitted.RSS, 1e-8)
	require.InEpsilon(t, ref.LLF, fitted.LogLik, 1e-10)
	require.Equal(t, int(ref.DFResid), fitted.DF)
	return worst
}

func readOLSRef(t *testing.T, path string) olsRef {
	t.Helper()
	var ref olsRef
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &ref))
	return ref
}

// TestFitLinearMatchesStatsmodels: OLS of German credit's credit_amount on
// the other inputs, against statsmodels 0.13.5 (testdata/linear_german.json,
// written by testdata/linear_german.py), both with the 1000 observations
// handed to sajari/regression and through the reduced p-equation system.
// Tolerance 1e-8 relative (design condition number about 709).
func TestFitLinearMatchesStatsmodels(t *testing.T) {
	ref := readOLSRef(t, "testdata/linear_german.json")
	tab, s := germanTable(t)
	fitted, err := fit.Linear(context.Background(), tab, s, "credit_amount", nil)
	require.NoError(t, err)
	require.Equal(t, 1000, fitted.Rows)
	t.Logf("largest relative coefficient difference from statsmodels: %.3g (direct)", checkOLS(t, ref, fitted))
	reduced, err := fit.Linear(context.Background(), tab, s, "credit_amount", &fit.LinearOptions{MaxRows: 100})
	require.NoError(t, err)
	t.Logf("largest relative coefficient difference from statsmodels: %.3g (reduced)", checkOLS(t, ref, reduced))

	// The model is additive like the others: terms + intercept = fitted
	// value, and explanations add up.
	m := fitted.Model
	require.Equal(t, score.LinearModel, m.Kind())
	ex, err := explain.NewExplainer(m, nil)
	require.NoError(t, err)
	var e explain.Explanation
	rec, err := tab.Record(m.Schema(), 0)
	require.NoError(t, err)
	r, err := m.Score(rec)
	require.NoError(t, err)
	require.True(t, math.IsNaN(float64(r.Probability)))
	require.NoError(t, ex.Explain(rec, &e))
	sum := e.Baseline
	for _, c := range e.Contributions {
		sum += c
	}
	require.InDelta(t, r.Score, sum, 1e-9)
	// The population baseline of a least-squares fit with an intercept is
	// the mean of the target (residuals sum to zero).
	var mean float64
	for i := 0; i < tab.Len(); i++ {
		var x float64
		_, err := fmt.Sscan(tab.Cell(i, tab.Column("credit_amount")), &x)
		require.NoError(t, err)
		mean += x / float64(tab.Len())
	}
	require.InDelta(t, mean, e.Baseline, 1e-6)
}

// TestFitLinearTelcoAliased: Telco's MonthlyCharges (7043 rows, above
// the default MaxRows, so through the reduced system) on the other
// attributes, with seven aliased columns, against statsmodels on the
// design without them (testdata/linear_telco.json, linear_telco.py).
func TestFitLinearTelcoAliased(t *testing.T) {
	ref := readOLSRef(t, "testdata/linear_telco.json")
	tab, err := datasets.Load(datasets.TelcoChurn)
	require.NoError(t, err)
	s, err := tab.InferSchema().WithRoles(score.Ignored, "customerID", "Churn", "TotalCharges")
	require.NoError(t, err)
	fitted, err := fit.Linear(context.Background(), tab, s, "MonthlyCharges", nil)
	require.NoError(t, err)
	require.Equal(t, 7043, fitted.Rows)
	require.Len(t, fitted.Aliased(), 7)
	t.Logf("largest relative coefficient difference from statsmodels: %.3g", checkOLS(t, ref, fitted))
}

func TestFitLinearAliasedAndErrors(t *testing.T) {
	// z = 2x + 1 is aliased; c's level "b" duplicates column w.
	tab, err := score.NewTable([]string{"x", "z", "c", "w", "y"}, [][]string{
		{"1", "3", "a", "0", "2.5"}, {"2", "5", "b", "1", "4.25"}, {"3", "7", "a", "0", "5.5"},
		{"4", "9", "b", "1", "8"}, {"5", "11", "a", "0", "9.75"}, {"6", "13", "b", "1", "13"},
	})
	require.NoError(t, err)
	s, err := tab.InferSchema().WithRoles(score.Ignored, "y")
	require.NoError(t, err)
	fitted, err := fit.Linear(context.Background(), tab, s, "y", nil)
	require.NoError(t, err)
	require.Equal(t, []string{"z", "w"}, fitted.Aliased())
	// Least squares on (1, x, c=b): the residuals are orthogonal to each
	// kept column (normal equations), checked directly.
	m := fitted.Model
	var res [6]float64
	for i := range res {
		rec, err := tab.Record(m.Schema(), i)
		require.NoError(t, err)
		r, err := m.Score(rec)
		require.NoError(t, err)
		var y float64
		_, err = fmt.Sscan(tab.Cell(i, 4), &y)
		require.NoError(t, err)
		res[i] = y - r.Score
	}
	var s0, s1, s2 float64
	for i, e := range res {
		s0 += e
		s1 += e * float64(i+1)
		if i%2 == 1 {
			s2 += e
		}
	}
	require.InDelta(t, 0, s0, 1e-12)
	require.InDelta(t, 0, s1, 1e-12)
	require.InDelta(t, 0, s2, 1e-12)

	_, err = fit.Linear(context.Background(), tab, s, "c", nil)
	require.ErrorIs(t, err, score.ErrData)
	_, err = fit.Linear(context.Background(), tab, s, "nope", nil)
	require.ErrorIs(t, err, score.ErrUnknownFeature)
	// The reduced system gives the same fit.
	small, err := fit.Linear(context.Background(), tab, s, "y", &fit.LinearOptions{MaxRows: 5})
	require.NoError(t, err)
	for i, c := range small.Coefficients {
		require.InDelta(t, fitted.Coefficients[i].Estimate, c.Estimate, 1e-12, c.Name)
	}
	blank, err := score.NewTable([]string{"x", "y"}, [][]string{{"1", "2"}, {"", "3"}, {"3", ""}, {"4", "4"}, {"5", "7"}})
	require.NoError(t, err)
	bs, err := blank.InferSchema().WithRoles(score.Ignored, "y")
	require.NoError(t, err)
	_, err = fit.Linear(context.Background(), blank, bs, "y", nil)
	require.ErrorIs(t, err, score.ErrData)
	require.ErrorContains(t, err, "row 2")
	fitted, err = fit.Linear(context.Background(), blank, bs, "y", &fit.LinearOptions{Missing: fit.MissingDrop})
	require.NoError(t, err)
	require.Equal(t, 3, fitted.Rows)
	require.Equal(t, 2, fitted.Dropped)
	// (1,2), (4,4), (5,7): slope = Sxy/Sxx = (29/3)/(26/3) = 29/26.
	require.InDelta(t, 29.0/26, fitted.Coefficients[1].Estimate, 1e-12)
}

func ExampleLinear() {
	tab, _ := score.NewTable([]string{"tenure", "plan", "spend"}, [][]string{
		{"1", "basic", "10"}, {"2", "basic", "12"}, {"3", "plus", "19"}, {"4", "plus", "21"}, {"5", "basic", "18"},
	})
	s, _ := tab.InferSchema().WithRoles(score.Ignored, "spend")
	fitted, err := fit.Linear(context.Background(), tab, s, "spend", nil)
	if err != nil {
		panic(err)
	}
	for _, c := range fitted.Coefficients {
		fmt.Printf("%-10s %.4f\n", c.Name, c.Estimate)
	}
	fmt.Printf("R^2 %.4f\n", fitted.R2)
	// Output:
	// (intercept) 8.0000
	// tenure     2.0000
	// plan=plus  5.0000
	// R^2 1.0000
}

func BenchmarkFitLinearGermanCredit(b *testing.B) {
	tab, s := germanTable(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := fit.Linear(context.Background(), tab, s, "credit_amount", nil); err != nil {
			b.Fatal(err)
		}
	}
}

// TestLinearModelPMMLAndMonitor: a fitted linear model goes to PMML and
// back unchanged, and monitoring it on its own training rows reports the
// fit's R^2.
func TestLinearModelPMMLAndMonitor(t *testing.T) {
	tab, s := germanTable(t)
	fitted, err := fit.Linear(context.Background(), tab, s, "credit_amount", nil)
	require.NoError(t, err)
	m := fitted.Model
	var doc bytes.Buffer
	require.NoError(t, pmml.Write(&doc, m, nil))
	back, err := pmml.Read(&doc, nil)
	require.NoError(t, err)
	require.Equal(t, m.Fingerprint(), back.Fingerprint())
	rep, err := monitor.Run(context.Background(), m, tab, tab, nil)
	require.NoError(t, err)
	require.Equal(t, 0.0, rep.ScorePSI)
	require.InDelta(t, fitted.R2, rep.Current.R2, 1e-12)
	require.InDelta(t, math.Sqrt(fitted.RSS/1000), rep.Current.RMSE, 1e-9)
	require.Nil(t, rep.Training, "no AUC/KS for a linear model")
}

func BenchmarkFitLinearTelcoReduced(b *testing.B) {
	tab, err := datasets.Load(datasets.TelcoChurn)
	require.NoError(b, err)
	s, err := tab.InferSchema().WithRoles(score.Ignored, "customerID", "Churn", "TotalCharges")
	require.NoError(b, err)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := fit.Linear(context.Background(), tab, s, "MonthlyCharges", nil); err != nil {
			b.Fatal(err)
		}
	}
}
