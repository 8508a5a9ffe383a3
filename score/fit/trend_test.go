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
