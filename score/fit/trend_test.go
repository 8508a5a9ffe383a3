package fit_test

import (
	"context"
	"math"
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/examples/datasets"
	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/fit"
)

// germanTrends are the signs of scipy.stats.spearmanr(x, creditability ==
// "bad") on German credit (internal/metric/testdata/spearman.json): duration
// rho 0.206 (p 5e-11), credit amount 0.087 (p 0.0059), age -0.112 (p 4e-4);
// all below the 1% level.
var germanTrends = map[string]int{"duration_in_month": 1, "credit_amount": 1, "age_in_years": -1}

func TestLogisticFillsDataTrend(t *testing.T) {
	_, fitted := fitDataset(t, datasets.GermanCredit, "creditability", "bad", nil, nil)
	spec := fitted.Model.Spec()
	seen := 0
	for _, term := range spec.Terms {
		switch term.Kind {
		case score.LinearTerm:
			if want, ok := germanTrends[term.Feature]; ok {
				require.Equal(t, want, term.Stats.DataTrend, term.Feature)
				seen++
			}
			// Cells partition the rows with their events.
			var n, ev float64
			for _, c := range term.Stats.Cells {
				n += c.Count
				ev += c.Events
			}
			require.InDelta(t, 1000, n, 1e-9, term.Feature)
			require.InDelta(t, 300, ev, 1e-9, term.Feature)
		case score.CategoricalTerm:
			var n, ev float64
			for _, l := range term.Levels {
				require.LessOrEqual(t, l.Events, l.Count)
				n += l.Count
				ev += l.Events
			}
			require.InDelta(t, 1000, n, 1e-9, term.Feature)
			require.InDelta(t, 300, ev, 1e-9, term.Feature)
		}
	}
	require.Equal(t, len(germanTrends), seen)
	// The checking-account level "no checking account" has 46 bad of 394
	// (counted with Python's collections.Counter over the CSV).
	found := false
	for _, term := range spec.Terms {
		for _, l := range term.Levels {
			if term.Feature == "status_of_existing_checking_account" && l.Label == "no checking account" {
				require.Equal(t, 394.0, l.Count)
				require.Equal(t, 46.0, l.Events)
				found = true
			}
		}
	}
	require.True(t, found)
}

func TestScorecardFillsDataTrend(t *testing.T) {
	tab, err := datasets.Load(datasets.GermanCredit)
	require.NoError(t, err)
	s, err := tab.InferSchema().WithRoles(score.Ignored, "creditability")
	require.NoError(t, err)
	fitted, err := fit.Scorecard(context.Background(), tab, s, "creditability", "bad", nil)
	require.NoError(t, err)
	seen := 0
	for _, term := range fitted.Model.Spec().Terms {
		if want, ok := germanTrends[term.Feature]; ok {
			require.Equal(t, want, term.Stats.DataTrend, term.Feature)
			seen++
		}
	}
	require.Positive(t, seen)
}

// collinearPair is a synthetic table where x2 = x1 + small noise and the
// event log-odds are 2*x1 - x2: each input alone rises with the event, but
// the fit gives x2 a negative coefficient (true value -1).
func collinearPair(t testing.TB, n int) *score.Table {
	rng := rand.New(rand.NewPCG(1, 2))
	rows := make([][]string, n)
	for i := range rows {
		x1 := rng.NormFloat64()
		x2 := x1 + 0.3*rng.NormFloat64()
		p := 1 / (1 + math.Exp(-(2*x1 - x2)))
		y := "no"
		if rng.Float64() < p {
			y = "yes"
		}
		rows[i] = []string{strconv.FormatFloat(x1, 'g', 8, 64), strconv.FormatFloat(x2, 'g', 8, 64), y}
	}
	tab, err := score.NewTable([]string{"x1", "x2", "y"}, rows)
	require.NoError(t, err)
	return tab
}

func TestSignContradictionCollinearPair(t *testing.T) {
	tab := collinearPair(t, 4000)
	s, err := tab.InferSchema().WithRoles(score.Ignored, "y")
	require.NoError(t, err)
	fitted, err := fit.Logistic(context.Background(), tab, s, "y", "yes", nil)
	require.NoError(t, err)
	for _, term := range fitted.Model.Spec().Terms {
		require.Equal(t, 1, term.Stats.DataTrend, term.Feature)
	}
	require.Len(t, fitted.Contradictions, 1)
	c := fitted.Contradictions[0]
	require.Equal(t, "x2", c.Feature)
	require.Equal(t, 1, c.Trend)
	require.Less(t, c.Coef, 0.0)
	require.InDelta(t, -1, c.Coef, 0.3) // the generating value, within sampling error
	require.Contains(t, c.String(), "x2")
}

// German credit, housing: "for free" (reference) has 44 bad of 108, "own"
// 186 of 713 (Python Counter over the CSV): own is significantly safer (z = -3.16,
// p = 0.0016) yet the full fit gives it a positive coefficient.
func TestSignContradictionGermanLevel(t *testing.T) {
	_, fitted := fitDataset(t, datasets.GermanCredit, "creditability", "bad", nil, nil)
	var cols []string
	for _, c := range fitted.Contradictions {
		cols = append(cols, c.Column)
	}
	require.Contains(t, cols, "housing=own")
}

// telcoWithNumericID is Telco churn with customerID replaced by a number
// near 1.5e7 (15,000,000 + 37 * row): before internal scaling the fit
// failed with "matrix singular, condition number 1e19", naming no column.
func telcoWithNumericID(t *testing.T) *score.Table {
	tab, err := datasets.Load(datasets.TelcoChurn)
	require.NoError(t, err)
	header := tab.Header()
	rows := make([][]string, tab.Len())
	for r := range rows {
		rows[r] = tab.Row(r)
		rows[r][0] = strconv.Itoa(15000000 + 37*(r+2))
	}
	out, err := score.NewTable(header, rows)
	require.NoError(t, err)
	return out
}

func TestLargeMagnitudeColumnFits(t *testing.T) {
	tab := telcoWithNumericID(t)
	s, err := tab.InferSchema().WithRoles(score.Ignored, "Churn")
	require.NoError(t, err)
	withID, err := fit.Logistic(context.Background(), tab, s, "Churn", "Yes", &fit.LogisticOptions{Missing: fit.MissingDrop})
	require.NoError(t, err)
	s2, err := s.WithRoles(score.Ignored, "customerID")
	require.NoError(t, err)
	without, err := fit.Logistic(context.Background(), tab, s2, "Churn", "Yes", &fit.LogisticOptions{Missing: fit.MissingDrop})
	require.NoError(t, err)
	// Nested models: the id can only raise the likelihood; statsmodels'
	// Telco optimum without it is -2913.136 (testdata/telco_mle.json).
	require.GreaterOrEqual(t, withID.LogLik, without.LogLik-1e-9)
	require.InDelta(t, -2913.136182, without.LogLik, 1e-5)
	require.True(t, withID.Converged)
}

// Scaling is exact: the fit on x*1e6 + 1.5e7 has the same likelihood as on
// x, its coefficient is 1e-6 times as large, and the un-scaled standard
// errors (intercept included, through the covariance) equal those of the
// unscaled solver path (a tiny L2 penalty skips the scaling).
func TestScalingIsExact(t *testing.T) {
	tab := collinearPair(t, 2000)
	big := make([][]string, tab.Len())
	for r := range big {
		row := tab.Row(r)
		x, err := strconv.ParseFloat(row[0], 64)
		require.NoError(t, err)
		big[r] = []string{strconv.FormatFloat(x*1e6+1.5e7, 'g', 17, 64), row[1], row[2]}
	}
	tbig, err := score.NewTable([]string{"x1", "x2", "y"}, big)
	require.NoError(t, err)
	s, err := tab.InferSchema().WithRoles(score.Ignored, "y")
	require.NoError(t, err)
	a, err := fit.Logistic(context.Background(), tab, s, "y", "yes", nil)
	require.NoError(t, err)
	b, err := fit.Logistic(context.Background(), tbig, s, "y", "yes", nil)
	require.NoError(t, err)
	require.InDelta(t, a.LogLik, b.LogLik, 1e-8)
	require.InEpsilon(t, a.Coefficients[1].Estimate*1e-6, b.Coefficients[1].Estimate, 1e-6)
	require.InEpsilon(t, a.Coefficients[2].Estimate, b.Coefficients[2].Estimate, 1e-6)
	raw, err := fit.Logistic(context.Background(), tab, s, "y", "yes", &fit.LogisticOptions{L2: 1e-12})
	require.NoError(t, err)
	for j, c := range a.Coefficients {
		require.InEpsilon(t, raw.Coefficients[j].Estimate, c.Estimate, 1e-6, c.Name)
		require.InEpsilon(t, raw.Coefficients[j].StdErr, c.StdErr, 1e-6, c.Name)
	}
}
