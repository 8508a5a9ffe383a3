package monitor_test

import (
	"math"
	"testing"

	"github.com/candorscore/candor/examples/datasets"
	"github.com/candorscore/candor/score"
	"github.com/stretchr/testify/require"
)

func germanTable(t testing.TB) (*score.Table, *score.Schema) {
	t.Helper()
	tab, err := datasets.Load(datasets.GermanCredit)
	require.NoError(t, err)
	s, err := tab.InferSchema().WithRoles(score.Ignored, "creditability")
	require.NoError(t, err)
	s, err = s.WithRoles(score.Protected, "personal_status_and_sex")
	require.NoError(t, err)
	return tab, s
}

// handScorecard exercises every bin kind: missing, special, ranges with
// PMML-style "<=" bounds, category groups, other.
func handScorecard(t testing.TB) *score.Model {
	t.Helper()
	f := func(x float64) *float64 { return &x }
	up := func(x float64) *float64 { return f(math.Nextafter(x, math.Inf(1))) }
	sc := score.NewScaling(0, 0, 0)
	spec := score.Spec{Name: "hand", Version: "3", Kind: score.ScorecardModel, Target: "bad", Event: "1",
		Features: []score.Feature{
			{Name: "id", Kind: score.Categorical, Role: score.Ignored},
			{Name: "months", Kind: score.Numeric},
			{Name: "housing", Kind: score.Categorical, Categories: []string{"free", "own", "rent"}},
			{Name: "sex", Kind: score.Categorical, Role: score.Protected},
			{Name: "balance", Kind: score.Numeric},
		},
		Intercept: 431.5, Scaling: &sc,
		Terms: []score.Term{
			{Feature: "months", Kind: score.BinnedTerm, Baseline: 20.25, ReasonCode: "M1", Bins: []score.Bin{
				{Kind: score.RangeBin, Lower: up(12), Upper: f(24), Effect: 15, WoE: 0.1, Count: 300},
				{Kind: score.RangeBin, Upper: up(12), Effect: 30.5, Label: "<= 12", Count: 200, Events: 20},
				{Kind: score.MissingBin, Effect: -4},
				{Kind: score.RangeBin, Lower: f(24), Effect: -2.25},
				{Kind: score.SpecialBin, Special: f(-9), Effect: 7, ReasonCode: "M9"},
			}},
			{Feature: "housing", Kind: score.BinnedTerm, Baseline: 3, Bins: []score.Bin{
				{Kind: score.CategoryBin, Categories: []string{"rent", "free"}, Effect: -6},
				{Kind: score.CategoryBin, Categories: []string{"own"}, Effect: 9},
				{Kind: score.OtherBin, Effect: 0.5},
			}},
			{Feature: "balance", Kind: score.BinnedTerm, Baseline: 1, ReasonBaseline: f(5), Bins: []score.Bin{
				{Kind: score.RangeBin, Upper: f(0), Effect: -10},
				{Kind: score.RangeBin, Lower: f(0), Effect: 5},
				{Kind: score.SpecialBin, Special: f(0), Effect: 1},
			}},
		}}
	m, err := score.NewModel(spec)
	require.NoError(t, err)
	return m
}
