package fairness

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/internal/metric"
)

// row builds the columns of a hand table: n copies of (label, prediction)
// in group g.
type handRow struct {
	g    string
	y, p bool
	n    int
}

func handData(rows []handRow) Data {
	var d Data
	var g []string
	for _, r := range rows {
		for range r.n {
			d.Labels = append(d.Labels, r.y)
			d.Predictions = append(d.Predictions, r.p)
			g = append(g, r.g)
		}
	}
	d.Groups = []GroupColumn{{Name: "g", Values: g}}
	return d
}

// The hand table used by several tests:
//
//	group A: TP 2, FP 1, TN 2, FN 1 (n 6)
//	group B: TP 1, FP 0, TN 3, FN 0 (n 4)
//	group C: TP 0, FP 1, TN 2, FN 0 (n 3; no favourable outcome, TPR undefined)
var handTable = []handRow{
	{"A", true, true, 2}, {"A", false, true, 1}, {"A", false, false, 2}, {"A", true, false, 1},
	{"B", true, true, 1}, {"B", false, false, 3},
	{"C", false, true, 1}, {"C", false, false, 2},
}

func TestAuditHandTable(t *testing.T) {
	rep, err := Audit(context.Background(), handData(handTable), &Options{MinGroupSize: 5})
	require.NoError(t, err)
	require.Len(t, rep.Groups, 3)
	const tol = 1e-15
	type want struct {
		base, sel, tpr, fpr, ppv, npv float64 // NaN = undefined
	}
	nan := math.NaN()
	for i, w := range []want{
		{3.0 / 6, 3.0 / 6, 2.0 / 3, 1.0 / 3, 2.0 / 3, 2.0 / 3},
		{1.0 / 4, 1.0 / 4, 1, 0, 1, 1},
		{0, 1.0 / 3, nan, 1.0 / 3, 0, 1},
	} {
		g := rep.Groups[i]
		for _, c := range []struct {
			name string
			r    Rate
			want float64
		}{{"base", g.BaseRate, w.base}, {"sel", g.SelectionRate, w.sel}, {"tpr", g.TPR, w.tpr},
			{"fpr", g.FPR, w.fpr}, {"ppv", g.PPV, w.ppv}, {"npv", g.NPV, w.npv}} {
			if math.IsNaN(c.want) {
				assert.False(t, c.r.Defined, "%s %s", g.Name, c.name)
				assert.True(t, math.IsNaN(c.r.Value), "%s %s", g.Name, c.name)
				assert.NotEmpty(t, c.r.Reason)
				continue
			}
			assert.True(t, c.r.Defined, "%s %s", g.Name, c.name)
			assert.InDelta(t, c.want, c.r.Value, tol, "%s %s", g.Name, c.name)
		}
	}
	assert.Equal(t, []string{"A", "B", "C"}, []string{rep.Groups[0].Name, rep.Groups[1].Name, rep.Groups[2].Name})
	assert.Equal(t, Confusion{TP: 2, FP: 1, TN: 2, FN: 1}, rep.Groups[0].Confusion)
	assert.Equal(t, reasonNoPositives, rep.Groups[2].TPR.Reason)

	// Wilson intervals, compared with statsmodels 0.13.5
	// proportion_confint(k, n, method="wilson").
	a := rep.Groups[0]
	assert.InDelta(t, 0.18761630648265054, a.SelectionRate.Lo, 1e-12)
	assert.InDelta(t, 0.8123836935173494, a.SelectionRate.Hi, 1e-12)
	assert.InDelta(t, 0.2076596008020477, a.TPR.Lo, 1e-12) // 2/3
	assert.InDelta(t, 0.9385080552796037, a.TPR.Hi, 1e-12)
	b := rep.Groups[1]
	assert.InDelta(t, 0.0, b.FPR.Lo, 1e-12) // 0/3
	assert.InDelta(t, 0.5614970317550455, b.FPR.Hi, 1e-12)
	assert.InDelta(t, 0.2065493143772374, b.TPR.Lo, 1e-12) // 1/1
	assert.InDelta(t, 1.0, b.TPR.Hi, 1e-12)

	// Summary: C is left out of the TPR spread only.
	assert.InDelta(t, 0.25, rep.DemographicParityDifference.Value, tol)
	assert.Equal(t, "A", rep.DemographicParityDifference.High)
	assert.Equal(t, "B", rep.DemographicParityDifference.Low)
	assert.InDelta(t, 0.5, rep.DemographicParityRatio.Value, tol)
	// fairlearn would report C's TPR as 0 and this difference as 1.
	assert.InDelta(t, 1.0/3, rep.EqualOpportunityDifference.Value, tol)
	assert.InDelta(t, 1.0/3, rep.EqualizedOddsDifference.Value, tol)
	assert.InDelta(t, 1.0/3, rep.AverageOddsDifference.Value, tol)
	assert.InDelta(t, 1.0, rep.PredictiveParityDifference.Value, tol)
	assert.Equal(t, []Exclusion{{Group: "C", Metric: MetricTPR, Reason: reasonNoPositives}}, rep.Excluded)

	// Four-fifths: highest A (0.5); B 0.5 and C 2/3 of it.
	ff := rep.FourFifths
	require.True(t, ff.Defined)
	assert.Equal(t, "A", ff.Highest)
	assert.Equal(t, []string{"B", "C"}, ff.Flagged)
	assert.InDelta(t, 2.0/3, ff.Groups[2].Ratio, tol)

	// Overall and comparison with it: overall selection 5/13.
	assert.InDelta(t, 5.0/13, rep.Overall.SelectionRate.Value, tol)
	assert.InDelta(t, 0.17709707797762567, rep.Overall.SelectionRate.Lo, 1e-12)
	assert.Equal(t, OverallName, a.Versus.Reference)
	assert.InDelta(t, 0.5-5.0/13, a.Versus.SelectionRateDifference.Value, tol)
	assert.InDelta(t, 0.5/(5.0/13), a.Versus.SelectionRateRatio.Value, tol)
	assert.False(t, rep.Groups[2].Versus.TPRDifference.Defined)

	// Small groups (MinGroupSize 5): B and C.
	assert.False(t, a.Small)
	assert.True(t, b.Small)
	assert.Contains(t, strings.Join(rep.Warnings, "\n"), `group "C" has 3 rows`)
	assert.Contains(t, strings.Join(rep.Warnings, "\n"), `group "C" left out of the true_positive_rate summary`)
}

func TestAuditLevel(t *testing.T) {
	// 90% Wilson interval for 3/6, compared with statsmodels 0.13.5
	// proportion_confint(3, 6, alpha=0.1, method="wilson").
	rep, err := Audit(context.Background(), handData(handTable), &Options{Level: 0.9})
	require.NoError(t, err)
	assert.InDelta(t, 0.2212599861403487, rep.Groups[0].SelectionRate.Lo, 1e-12)
	assert.InDelta(t, 0.7787400138596513, rep.Groups[0].SelectionRate.Hi, 1e-12)
}

func TestAuditReferenceGroup(t *testing.T) {
	rep, err := Audit(context.Background(), handData(handTable), &Options{Reference: map[string]string{"g": "B"}})
	require.NoError(t, err)
	assert.Equal(t, "B", rep.Reference)
	a := rep.Groups[0]
	assert.InDelta(t, 0.25, a.Versus.SelectionRateDifference.Value, 1e-15)
	assert.InDelta(t, 2.0, a.Versus.SelectionRateRatio.Value, 1e-15)
	assert.InDelta(t, 2.0/3-1, a.Versus.TPRDifference.Value, 1e-15)
	assert.InDelta(t, 1.0/3, a.Versus.FPRDifference.Value, 1e-15)
	assert.InDelta(t, 2.0/3-1, a.Versus.PPVDifference.Value, 1e-15)

	_, err = Audit(context.Background(), handData(handTable), &Options{Reference: map[string]string{"g": "Z"}})
	assert.ErrorIs(t, err, ErrUnknownGroup)
	_, err = Audit(context.Background(), handData(handTable), &Options{Reference: map[string]string{"sex": "B"}})
	assert.ErrorIs(t, err, ErrOption)
}

func TestAuditUndefinedCases(t *testing.T) {
	ctx := context.Background()
	t.Run("no favourable decisions anywhere", func(t *testing.T) {
		rep, err := Audit(ctx, handData([]handRow{{"A", true, false, 2}, {"A", false, false, 2}, {"B", false, false, 3}}), nil)
		require.NoError(t, err)
		for _, g := range rep.Groups {
			assert.False(t, g.PPV.Defined)
			assert.Equal(t, reasonNoSelected, g.PPV.Reason)
			assert.True(t, g.SelectionRate.Defined)
		}
		assert.InDelta(t, 0, rep.DemographicParityDifference.Value, 0)
		assert.False(t, rep.DemographicParityRatio.Defined)
		assert.Equal(t, "highest selection rate is 0", rep.DemographicParityRatio.Reason)
		assert.False(t, rep.FourFifths.Defined)
		assert.False(t, rep.PredictiveParityDifference.Defined)
		assert.False(t, rep.Groups[0].Versus.SelectionRateRatio.Defined)
		// B has no favourable outcome: TPR undefined, so fewer than two groups.
		assert.False(t, rep.EqualOpportunityDifference.Defined)
		assert.Contains(t, rep.EqualOpportunityDifference.Reason, "fewer than two groups")
		assert.False(t, rep.EqualizedOddsDifference.Defined)
		assert.False(t, rep.AverageOddsDifference.Defined)
	})
	t.Run("no unfavourable decisions, no unfavourable outcomes", func(t *testing.T) {
		rep, err := Audit(ctx, handData([]handRow{{"A", true, true, 2}, {"B", true, true, 2}}), nil)
		require.NoError(t, err)
		g := rep.Groups[0]
		assert.False(t, g.NPV.Defined)
		assert.Equal(t, reasonNoRejected, g.NPV.Reason)
		assert.False(t, g.FPR.Defined)
		assert.Equal(t, reasonNoNegatives, g.FPR.Reason)
		assert.False(t, rep.EqualizedOddsDifference.Defined)
		assert.True(t, rep.EqualOpportunityDifference.Defined)
	})
	t.Run("zero weight group", func(t *testing.T) {
		d := handData(handTable)
		d.Weights = make([]float64, len(d.Labels))
		for i := range d.Weights {
			if d.Groups[0].Values[i] != "C" {
				d.Weights[i] = 1
			}
		}
		rep, err := Audit(ctx, d, nil)
		require.NoError(t, err)
		c := rep.Groups[2]
		assert.Equal(t, 3, c.Count)
		assert.False(t, c.SelectionRate.Defined)
		assert.Equal(t, reasonNoWeight, c.BaseRate.Reason)
		// Same summary as the table without C.
		assert.InDelta(t, 0.25, rep.DemographicParityDifference.Value, 1e-15)
		assert.Len(t, rep.Excluded, 4)
	})
	t.Run("single group", func(t *testing.T) {
		rep, err := Audit(ctx, handData([]handRow{{"A", true, true, 2}, {"A", false, false, 2}}), nil)
		require.NoError(t, err)
		assert.False(t, rep.DemographicParityDifference.Defined)
		assert.True(t, rep.FourFifths.Defined)
		assert.Empty(t, rep.FourFifths.Flagged)
	})
}

func TestAuditWeighted(t *testing.T) {
	// Group A: TP row weight 2, FP rows weights 1 and 3, FN row weight 2.
	d := Data{
		Labels:      []bool{true, false, false, true, true},
		Predictions: []bool{true, true, true, false, true},
		Weights:     []float64{2, 1, 3, 2, 1},
		Groups:      []GroupColumn{{Name: "g", Values: []string{"A", "A", "A", "A", "B"}}},
	}
	rep, err := Audit(context.Background(), d, nil)
	require.NoError(t, err)
	a := rep.Groups[0]
	assert.Equal(t, Confusion{TP: 2, FP: 4, TN: 0, FN: 2}, a.Confusion)
	assert.InDelta(t, 6.0/8, a.SelectionRate.Value, 1e-15)
	assert.InDelta(t, 0.5, a.TPR.Value, 1e-15)
	assert.Equal(t, 4, a.Count)
	assert.InDelta(t, 8.0, a.Weight, 0)
	// Wilson on Kish's effective size: (2+1+3+2)^2 / (4+1+9+4) = 64/18.
	lo, hi := metric.Wilson(0.75, 64.0/18, normalQuantile(0.95))
	assert.InDelta(t, lo, a.SelectionRate.Lo, 1e-15)
	assert.InDelta(t, hi, a.SelectionRate.Hi, 1e-15)
}

func TestAuditScores(t *testing.T) {
	// One group; scores are probabilities of the favourable outcome.
	d := Data{
		Labels:    []bool{false, true, false, true, true, false},
		Scores:    []float64{0.05, 0.15, 0.15, 0.95, 0.4, 0.4},
		Threshold: 0.4,
		Groups:    []GroupColumn{{Name: "g", Values: []string{"A", "A", "A", "A", "B", "B"}}},
	}
	rep, err := Audit(context.Background(), d, nil)
	require.NoError(t, err)
	a := rep.Groups[0]
	// score >= 0.4 is favourable: only 0.95 in A.
	assert.Equal(t, Confusion{TP: 1, FP: 0, TN: 2, FN: 1}, a.Confusion)
	// AUC in A: positives {0.15, 0.95}, negatives {0.05, 0.15}:
	// pairs 1 + 0.5 + 1 + 1 = 3.5 of 4.
	assert.InDelta(t, 0.875, a.AUC.Value, 1e-15)
	// B has one positive and one negative tied: 0.5.
	assert.InDelta(t, 0.5, rep.Groups[1].AUC.Value, 1e-15)
	// Calibration in A: bins [0,.1): 0.05 vs 0; [.1,.2): 0.15 vs 0.5;
	// [.9,1]: 0.95 vs 1. ECE = 1/4*0.05 + 2/4*0.35 + 1/4*0.05 = 0.2.
	c := a.Calibration
	require.NotNil(t, c)
	assert.InDelta(t, 0.2, c.ECE.Value, 1e-15)
	assert.InDelta(t, 1.3/4, c.MeanScore.Value, 1e-15)
	assert.InDelta(t, 0.5, c.ObservedRate.Value, 1e-15)
	require.Len(t, c.Bins, 3)
	assert.Equal(t, 2, c.Bins[1].Count)
	assert.InDelta(t, 0.9, c.Bins[2].Lo, 1e-15)

	t.Run("higher is unfavourable", func(t *testing.T) {
		// The same numbers read as event probabilities: favourable when
		// score < 0.4, and the AUC is oriented so that a lower score is
		// more favourable.
		rep, err := Audit(context.Background(), d, &Options{Direction: HigherIsUnfavorable})
		require.NoError(t, err)
		a := rep.Groups[0]
		assert.Equal(t, Confusion{TP: 1, FP: 2, TN: 0, FN: 1}, a.Confusion)
		assert.InDelta(t, 0.125, a.AUC.Value, 1e-15)
		// Calibration against the unfavourable outcome: observed 0.5;
		// bins: 0.05 vs 1, 0.15 vs 0.5, 0.95 vs 0: ECE = (0.95 + 0.7 + 0.95)/4.
		assert.InDelta(t, 2.6/4, a.Calibration.ECE.Value, 1e-15)
	})
	t.Run("undefined AUC and calibration", func(t *testing.T) {
		d := Data{Labels: []bool{true, true}, Scores: []float64{2, 3}, Threshold: 2.5,
			Groups: []GroupColumn{{Name: "g", Values: []string{"A", "A"}}}}
		rep, err := Audit(context.Background(), d, nil)
		require.NoError(t, err)
		g := rep.Groups[0]
		assert.False(t, g.AUC.Defined)
		assert.Equal(t, reasonAUCOneOutcome, g.AUC.Reason)
		assert.False(t, g.Calibration.ECE.Defined)
		assert.Equal(t, reasonNotProbs, g.Calibration.ECE.Reason)
	})
}

func TestAuditIntersections(t *testing.T) {
	d := Data{
		Labels:      []bool{true, false, true, false, true, true},
		Predictions: []bool{true, false, false, true, true, false},
		Groups: []GroupColumn{
			{Name: "sex", Values: []string{"M", "M", "F", "F", "M", "F"}},
			{Name: "age", Values: []string{"old", "young", "old", "young", "old", "old"}},
		},
	}
	rep, err := Audit(context.Background(), d, nil)
	require.NoError(t, err)
	assert.Equal(t, "sex & age", rep.Attribute)
	var names []string
	for _, g := range rep.Groups {
		names = append(names, g.Name)
	}
	assert.Equal(t, []string{"F & old", "F & young", "M & old", "M & young"}, names)
	require.Len(t, rep.ByAttribute, 2)
	assert.Equal(t, "sex", rep.ByAttribute[0].Attribute)
	assert.Equal(t, "F", rep.ByAttribute[0].Groups[0].Name)
	// F & old: rows 2 and 5, both favourable outcomes, neither selected.
	g, ok := rep.Group("F & old")
	require.True(t, ok)
	assert.Equal(t, []string{"F", "old"}, g.Values)
	assert.InDelta(t, 0.0, g.TPR.Value, 0)
	assert.False(t, g.FPR.Defined)
	// sex = M: 3 rows, selection 2/3.
	m, ok := rep.Group("M")
	require.True(t, ok)
	assert.InDelta(t, 2.0/3, m.SelectionRate.Value, 1e-15)
}

func TestAuditBootstrapReproducible(t *testing.T) {
	d := handData([]handRow{
		{"A", true, true, 40}, {"A", false, true, 15}, {"A", false, false, 30}, {"A", true, false, 15},
		{"B", true, true, 10}, {"B", false, true, 5}, {"B", false, false, 40}, {"B", true, false, 5},
	})
	run := func(seed uint64, workers int, weights []float64) *Report {
		d := d
		d.Weights = weights
		r, err := Audit(context.Background(), d, &Options{Bootstrap: 300, Seed: seed, Workers: workers})
		require.NoError(t, err)
		return r
	}
	a, b := run(7, 1, nil), run(7, 3, nil)
	assert.Equal(t, a.DemographicParityDifference, b.DemographicParityDifference)
	assert.Equal(t, a.EqualizedOddsDifference, b.EqualizedOddsDifference)
	assert.Equal(t, 300, a.DemographicParityDifference.Replicates)
	c := run(8, 2, nil)
	assert.NotEqual(t, a.DemographicParityDifference.Lo, c.DemographicParityDifference.Lo)
	// The point estimate 0.55 - 0.25 = 0.3 lies in the interval, whose
	// width is near the normal approximation's 2*1.96*sqrt(.55*.45/100 + .25*.75/60).
	dp := a.DemographicParityDifference
	assert.InDelta(t, 0.3, dp.Value, 1e-15)
	assert.Less(t, dp.Lo, 0.3)
	assert.Greater(t, dp.Hi, 0.3)
	se := math.Sqrt(.55*.45/100 + .25*.75/60)
	assert.InDelta(t, 2*1.96*se, dp.Hi-dp.Lo, 0.25*2*1.96*se)

	// Weighted path (row resampling) with all weights 1 estimates the same
	// distribution as the unweighted path (multinomial counts).
	ones := make([]float64, len(d.Labels))
	for i := range ones {
		ones[i] = 1
	}
	w := run(7, 2, ones)
	assert.Equal(t, a.DemographicParityDifference.Value, w.DemographicParityDifference.Value)
	assert.InDelta(t, dp.Hi-dp.Lo, w.DemographicParityDifference.Hi-w.DemographicParityDifference.Lo, 0.25*(dp.Hi-dp.Lo))
	w2 := run(7, 1, ones)
	assert.Equal(t, w.EqualizedOddsDifference, w2.EqualizedOddsDifference)
}

func TestAuditContextCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Audit(ctx, handData(handTable), &Options{Bootstrap: 10})
	assert.ErrorIs(t, err, context.Canceled)
}

func TestAuditErrors(t *testing.T) {
	good := handData(handTable)
	n := len(good.Labels)
	cases := []struct {
		name   string
		mutate func(d *Data)
		opts   *Options
		want   []error
		column string
		row    int
	}{
		{"no rows", func(d *Data) { *d = Data{Predictions: []bool{}, Groups: d.Groups} }, nil, []error{ErrEmpty}, "labels", -1},
		{"no decisions", func(d *Data) { d.Predictions = nil }, nil, []error{ErrNoDecisions}, "predictions", -1},
		{"short predictions", func(d *Data) { d.Predictions = d.Predictions[:3] }, nil, []error{ErrLength}, "predictions", -1},
		{"NaN score", func(d *Data) {
			d.Predictions = nil
			d.Scores = make([]float64, n)
			d.Scores[4], d.Scores[7] = math.NaN(), math.Inf(1)
		}, nil, []error{ErrNotFinite}, "scores", 4},
		{"NaN threshold", func(d *Data) {
			d.Predictions, d.Scores, d.Threshold = nil, make([]float64, n), math.NaN()
		}, nil, []error{ErrNotFinite}, "threshold", -1},
		{"negative weight", func(d *Data) { d.Weights = make([]float64, n); d.Weights[2] = -1 }, nil, []error{ErrNegative}, "weights", 2},
		{"no groups", func(d *Data) { d.Groups = nil }, nil, []error{ErrNoGroups}, "groups", -1},
		{"empty group value", func(d *Data) {
			d.Groups = []GroupColumn{{Name: "g", Values: make([]string, n)}}
		}, nil, []error{ErrMissingGroup}, "g", 0},
		{"short group", func(d *Data) { d.Groups = []GroupColumn{{Name: "g", Values: []string{"A"}}} }, nil, []error{ErrLength}, "g", -1},
		{"several at once", func(d *Data) {
			d.Predictions = d.Predictions[:1]
			d.Weights = make([]float64, n)
			d.Weights[5] = math.NaN()
		}, nil, []error{ErrLength, ErrNotFinite}, "predictions", -1},
		{"bad level", nil, &Options{Level: 1.5}, []error{ErrOption}, "", 0},
		{"bad bootstrap", nil, &Options{Bootstrap: -1}, []error{ErrOption}, "", 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := handData(handTable)
			if tc.mutate != nil {
				tc.mutate(&d)
			}
			rep, err := Audit(context.Background(), d, tc.opts)
			require.Error(t, err)
			assert.Nil(t, rep)
			for _, w := range tc.want {
				assert.ErrorIs(t, err, w)
			}
			if tc.column == "" {
				return
			}
			var de *DataError
			require.True(t, errors.As(err, &de), err.Error())
			assert.Equal(t, tc.column, de.Column)
			assert.Equal(t, tc.row, de.Row)
		})
	}
}

func TestReportJSON(t *testing.T) {
	rep, err := Audit(context.Background(), handData(handTable), &Options{Bootstrap: 50, Seed: 1})
	require.NoError(t, err)
	b, err := json.Marshal(rep)
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(b, &m))
	for _, k := range []string{"groups", "demographic_parity_difference", "demographic_parity_ratio",
		"equal_opportunity_difference", "equalized_odds_difference", "four_fifths_screen"} {
		assert.Contains(t, m, k)
	}
	assert.InDelta(t, 0.25, m["demographic_parity_difference"], 1e-15)
	assert.Len(t, m["demographic_parity_difference_interval"], 2)
	groups := m["groups"].([]any)
	c := groups[2].(map[string]any)
	assert.Equal(t, "C", c["group"])
	assert.EqualValues(t, 3, c["count"])
	assert.Nil(t, c["true_positive_rate"])
	assert.Contains(t, c, "true_positive_rate")
	assert.Equal(t, reasonNoPositives, c["true_positive_rate_reason"])
	for _, k := range []string{"selection_rate", "false_positive_rate", "positive_predictive_value"} {
		assert.Contains(t, c, k)
	}
	assert.Len(t, c["selection_rate_interval"], 2)
	ff := m["four_fifths_screen"].(map[string]any)
	assert.Equal(t, FourFifthsNote, ff["note"])
	assert.Equal(t, []any{"B", "C"}, ff["flagged"])
	ex := m["excluded"].([]any)
	assert.Len(t, ex, 1)

	// Rate on its own.
	rb, err := json.Marshal(rep.Groups[2].TPR)
	require.NoError(t, err)
	assert.JSONEq(t, `{"value":null,"reason":"`+reasonNoPositives+`","num":0,"den":0}`, string(rb))
}

func TestReportText(t *testing.T) {
	rep, err := Audit(context.Background(), handData(handTable), nil)
	require.NoError(t, err)
	var sb strings.Builder
	require.NoError(t, rep.WriteText(&sb))
	s := sb.String()
	assert.Contains(t, s, "undefined")
	assert.Contains(t, s, "demographic parity difference  0.250  (A - B)")
	assert.Contains(t, s, "left out of true_positive_rate: C")
	assert.Contains(t, s, "not a legal verdict")
	// No line nests parentheses: a reason that ends "(TP+FN = 0)" is not
	// itself put in parentheses (it was: "C (no observed ... (TP+FN = 0))").
	for _, line := range strings.Split(s, "\n") {
		depth := 0
		for _, r := range line {
			switch r {
			case '(':
				depth++
				assert.LessOrEqual(t, depth, 1, line)
			case ')':
				depth--
			}
		}
	}
}
