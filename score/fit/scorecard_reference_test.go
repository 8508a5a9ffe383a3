package fit_test

import (
	"context"
	"encoding/json"
	"os"
	"slices"
	"testing"

	"github.com/candorscore/candor/examples/datasets"
	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/fit"
	"github.com/stretchr/testify/require"
)

// scorecardReference is testdata/scorecard_reference.json, written by
// testdata/scorecard_reference.py (pandas + statsmodels 0.13.5 GLM).
type scorecardReference struct {
	BasePoints   float64            `json:"base_points"`
	Coefficients map[string]float64 `json:"coefficients"`
	LogLik       float64            `json:"log_likelihood"`
	Features     []struct {
		Feature string  `json:"feature"`
		IV      float64 `json:"iv"`
		Bins    []struct {
			Count, Events, WoE, Points float64
		} `json:"bins"`
	} `json:"features"`
}

// TestScorecardReference cross-checks WoE, IV, the regression on WoE and
// the points against an independent Python computation on German credit
// with the same hand-given bins.
func TestScorecardReference(t *testing.T) {
	raw, err := os.ReadFile("testdata/scorecard_reference.json")
	require.NoError(t, err)
	var ref scorecardReference
	require.NoError(t, json.Unmarshal(raw, &ref))

	full, err := datasets.Load(datasets.GermanCredit)
	require.NoError(t, err)
	inputs := []string{"duration_in_month", "credit_amount", "age_in_years", "status_of_existing_checking_account", "savings_account_and_bonds"}
	var ignored []string
	for _, h := range full.Header() {
		if !slices.Contains(inputs, h) {
			ignored = append(ignored, h)
		}
	}
	s, err := full.InferSchema().WithRoles(score.Ignored, ignored...)
	require.NoError(t, err)
	status, _ := s.Lookup("status_of_existing_checking_account")
	var statusGroups [][]string
	for _, c := range status.Categories { // sorted, as in the script
		statusGroups = append(statusGroups, []string{c})
	}
	fitted, err := fit.Scorecard(context.Background(), full, s, "creditability", "bad", &fit.ScorecardOptions{
		Bins: map[string]fit.BinSpec{
			"duration_in_month":                   {Cuts: []float64{12, 24, 36}},
			"credit_amount":                       {Cuts: []float64{2000, 5000}},
			"age_in_years":                        {Cuts: []float64{26, 35, 50}},
			"status_of_existing_checking_account": {Groups: statusGroups},
			"savings_account_and_bonds": {Groups: [][]string{{"... < 100 DM"}, {"100 <= ... < 500 DM"},
				{"500 <= ... < 1000 DM", "... >= 1000 DM"}, {"unknown/ no savings account"}}},
		},
		Selection: fit.SelectionOptions{MinIV: -1, MaxCorrelation: -1},
	})
	require.NoError(t, err)
	require.ElementsMatch(t, inputs, fitted.Selection.Kept)
	require.InDelta(t, ref.LogLik, fitted.LogLik, 1e-8)
	require.InDelta(t, ref.Coefficients["(intercept)"], fitted.Coefficients[0].Estimate, 1e-7)
	require.InDelta(t, ref.BasePoints, fitted.Model.Intercept(), 1e-5)
	m := fitted.Model
	for _, rf := range ref.Features {
		t.Run(rf.Feature, func(t *testing.T) {
			b := fitted.Binning(rf.Feature)
			require.NotNil(t, b)
			require.InDelta(t, rf.IV, b.IV, 1e-12)
			var coef float64
			for _, c := range fitted.Coefficients {
				if c.Name == "woe("+rf.Feature+")" {
					coef = c.Estimate
				}
			}
			require.InDelta(t, ref.Coefficients[rf.Feature], coef, 1e-7)
			var term score.Term
			for j := 0; j < m.NumTerms(); j++ {
				if m.Term(j).Feature == rf.Feature {
					term = m.Term(j)
				}
			}
			for k, rb := range rf.Bins {
				require.InDelta(t, rb.Count, b.Bins[k].Count, 0, "bin %d", k)
				require.InDelta(t, rb.Events, b.Bins[k].Events, 0, "bin %d", k)
				require.InDelta(t, rb.WoE, b.Bins[k].WoE, 1e-12, "bin %d", k)
				require.InDelta(t, rb.Points, term.Bins[k].Effect, 1e-5, "bin %d", k)
			}
			// Every bin beyond the reference's is the (empty) missing bin.
			require.Len(t, term.Bins, len(rf.Bins)+1)
			require.Equal(t, score.MissingBin, term.Bins[len(rf.Bins)].Kind)
		})
	}
}
