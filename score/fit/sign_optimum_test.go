package fit

import (
	"context"
	"math"
	"slices"
	"testing"

	"github.com/candorscore/candor/examples/datasets"
	"github.com/candorscore/candor/internal/glm"
	"github.com/candorscore/candor/score"
	"github.com/stretchr/testify/require"
)

// TestSignDropIsTheConstrainedOptimum backs the README's claim about the
// sign check on Telco (testdata/auc/README.md, "The sign check on Telco and
// on the card data"): dropping the most wrong coefficient and refitting
// until every WoE coefficient is negative ends where the maximum likelihood
// under the constraints b_j <= 0 over all the features it started from is:
// the constrained optimum puts exactly the dropped features at the bound 0,
// and its log-likelihood is the final regression's. So no scorecard on
// these bins with sound signs fits the training rows better, and the seven
// features the check drops (PhoneService, StreamingTV, StreamingMovies,
// DeviceProtection, Partner, MonthlyCharges, OnlineBackup) are what the
// signs cost, not the greedy order.
func TestSignDropIsTheConstrainedOptimum(t *testing.T) {
	full, err := datasets.Load("telco_churn")
	require.NoError(t, err)
	var rows [][]string
	for i := range full.Len() {
		if i%10 >= 3 {
			rows = append(rows, full.Row(i))
		}
	}
	train, err := score.NewTable(full.Header(), rows)
	require.NoError(t, err)
	s, err := train.InferSchema().WithRoles(score.Ignored, "Churn", "customerID")
	require.NoError(t, err)
	fitted, err := Scorecard(context.Background(), train, s, "Churn", "Yes", nil)
	require.NoError(t, err)
	require.Empty(t, fitted.Selection.Readmitted, "a readmitted feature would join after the check")

	var dropped []string
	for _, d := range fitted.Selection.Dropped {
		if d.Stage == DropWrongSign {
			dropped = append(dropped, d.Feature)
		}
	}
	slices.Sort(dropped)
	require.Equal(t, []string{"DeviceProtection", "MonthlyCharges", "OnlineBackup", "Partner", "PhoneService", "StreamingMovies", "StreamingTV"}, dropped)

	d, err := scorecardDesign(train, s, "Churn", "Yes", "", 0, nil, MissingError)
	require.NoError(t, err)
	n := len(d.Rows)
	y := make([]float64, n)
	one := make([]float64, n)
	for r, e := range d.Events {
		one[r] = 1
		if e {
			y[r] = 1
		}
	}
	cols := [][]float64{one}
	names := []string{"(intercept)"}
	for k, b := range fitted.Binnings {
		if !slices.Contains(fitted.Selection.Kept, b.Feature) && !slices.Contains(dropped, b.Feature) {
			continue
		}
		col, _, err := b.columns(s.Feature(d.Inputs[k]), d.Values[k])
		require.NoError(t, err)
		cols = append(cols, col)
		names = append(names, b.Feature)
	}
	require.Len(t, cols, 1+len(fitted.Selection.Kept)+len(dropped))
	lower, upper, keep := make([]float64, len(cols)), make([]float64, len(cols)), make([]bool, len(cols))
	for j := range cols {
		lower[j], upper[j], keep[j] = math.Inf(-1), 0, true
	}
	upper[0] = math.Inf(1)
	br, err := glm.FitLogisticBounded(context.Background(), glm.Problem{X: cols, Y: y, Names: names}, keep, lower, upper, nil, 200, 1e-10)
	require.NoError(t, err)
	require.True(t, br.Converged)
	var atBound []string
	for j := 1; j < len(cols); j++ {
		if br.Bound[j] {
			atBound = append(atBound, names[j])
			// KKT: at the upper bound the log-likelihood would rise with a
			// positive coefficient (the reason it is held at 0).
			require.Greater(t, br.Gradient[j], 0.0, names[j])
		} else {
			require.Less(t, br.Coef[j], 0.0, names[j])
			require.InDelta(t, 0, br.Gradient[j], 1e-4, names[j])
		}
	}
	slices.Sort(atBound)
	require.Equal(t, dropped, atBound)
	require.InDelta(t, fitted.LogLik, br.LogLik, 1e-6*math.Abs(fitted.LogLik))
}
