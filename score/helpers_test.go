package score_test

import (
	"context"
	"testing"

	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/fit"

	"github.com/candorscore/candor/examples/datasets"
	"github.com/stretchr/testify/require"
)

func f64(x float64) *float64 { return &x }

// consentModel is a hand-built logistic model used by the consent, decision
// and log tests. Every expected number in those tests is computed by hand
// from it:
//
//	log-odds = 1 - 0.5*income + region effect + 0.3*phone_usage
//
// income is sensitive (range 1..10 in training, mean 5, baseline -2.5);
// region levels a (0, 100 rows), b (0.4, 99 rows), c (1.0, 1 row: 0.5% of
// 200), d (0.1, 0 rows), other labels 0.2; phone_usage needs consent for
// credit and marketing (behavioural data, range 0..10, mean 4, baseline 1.2).
func consentModel(t testing.TB) *score.Model {
	t.Helper()
	m, err := score.NewModel(consentSpec())
	require.NoError(t, err)
	return m
}

func consentSpec() score.Spec {
	return score.Spec{
		Name: "consent-test", Version: "3", Kind: score.LogisticModel,
		Features: []score.Feature{
			{Name: "income", Kind: score.Numeric, Sensitive: true, DataCategory: "financial", Description: "income"},
			{Name: "region", Kind: score.Categorical},
			{Name: "phone_usage", Kind: score.Numeric, DataCategory: "behavioural", Consent: []string{"credit", "marketing"},
				Description: "phone usage"},
			{Name: "age_band", Kind: score.Categorical, Role: score.Protected},
		},
		Intercept: 1,
		Terms: []score.Term{
			{Feature: "income", Kind: score.LinearTerm, Coef: -0.5, Baseline: -2.5,
				Stats: &score.Stats{Count: 200, Mean: 5, Min: 1, Max: 10}},
			{Feature: "region", Kind: score.CategoricalTerm, Reference: "a", OtherEffect: f64(0.2),
				Levels: []score.Level{{Label: "a", Effect: 0, Count: 100}, {Label: "b", Effect: 0.4, Count: 99},
					{Label: "c", Effect: 1.0, Count: 1}, {Label: "d", Effect: 0.1, Count: 0}},
				Baseline: (0*100 + 0.4*99 + 1.0*1) / 200},
			{Feature: "phone_usage", Kind: score.LinearTerm, Coef: 0.3, Baseline: 1.2,
				Stats: &score.Stats{Count: 200, Mean: 4, Min: 0, Max: 10}},
		},
		Cutoff: 0.5,
	}
}

// cust builds a record of consentModel's schema.
func cust(income float64, region string, phone float64) score.Record {
	return score.Record{score.Num(income), score.Cat(region), score.Num(phone), score.Cat("30-39")}
}

// scorecardModel is a hand-built scorecard: points = 500 + tenure bin
// points. Bins (weighted training rows): tenure < 12: 10 points (30),
// [12, 60): 40 (69.5), >= 60: 60 (0.5, 0.5% of 100), missing: 20 (0).
func scorecardModel(t testing.TB) *score.Model {
	t.Helper()
	sc := score.NewScaling(600, 19, 50)
	m, err := score.NewModel(score.Spec{
		Name: "card", Version: "1", Kind: score.ScorecardModel, Scaling: &sc,
		Features:  []score.Feature{{Name: "tenure", Kind: score.Numeric}},
		Intercept: 500,
		Terms: []score.Term{{Feature: "tenure", Kind: score.BinnedTerm, Baseline: 31.1, Bins: []score.Bin{
			{Kind: score.RangeBin, Upper: f64(12), Effect: 10, Count: 30},
			{Kind: score.RangeBin, Lower: f64(12), Upper: f64(60), Effect: 40, Count: 69.5},
			{Kind: score.RangeBin, Lower: f64(60), Effect: 60, Count: 0.5},
			{Kind: score.MissingBin, Effect: 20, Count: 0},
		}}},
	})
	require.NoError(t, err)
	return m
}

func fitDataset(t testing.TB, name, target, event string, exclude []string, opts *fit.LogisticOptions) (*score.Table, *fit.LogisticFit) {
	t.Helper()
	tab, err := datasets.Load(name)
	require.NoError(t, err)
	s, err := tab.InferSchema().WithRoles(score.Ignored, append([]string{target}, exclude...)...)
	require.NoError(t, err)
	fitted, err := fit.Logistic(context.Background(), tab, s, target, event, opts)
	require.NoError(t, err)
	return tab, fitted
}
