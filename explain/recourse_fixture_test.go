package explain_test

import (
	"context"
	"math"
	"slices"
	"sync"
	"testing"

	"github.com/candorscore/candor/examples/datasets"
	"github.com/candorscore/candor/explain"
	"github.com/candorscore/candor/internal/metric"
	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/fit"
	"github.com/stretchr/testify/require"
)

// German credit fixtures shared by the recourse tests: the data, a
// logistic model fitted by candor, a points scorecard built by hand from the
// data (quintile bins of numeric features, one bin per label, points =
// factor * WoE: the naive-Bayes scorecard, with all 18 inputs), and the
// scorecard fitted by fit.Scorecard (optimal binning, IV selection).
type germanFixture struct {
	table     *score.Table
	schema    *score.Schema
	logistic  *score.Model
	scorecard *score.Model
	fitted    *score.Model // fit.Scorecard with its defaults
}

var (
	germanOnce sync.Once
	germanFix  germanFixture
	germanErr  error
)

// germanProtected are never inputs; age is an input the actions keep fixed.
var germanProtected = []string{"personal_status_and_sex", "foreign_worker"}

func german(t testing.TB) germanFixture {
	t.Helper()
	germanOnce.Do(func() {
		var tab *score.Table
		tab, germanErr = datasets.Load(datasets.GermanCredit)
		if germanErr != nil {
			return
		}
		var s *score.Schema
		s, germanErr = tab.InferSchema().WithRoles(score.Ignored, "creditability")
		if germanErr != nil {
			return
		}
		s, germanErr = s.WithRoles(score.Protected, germanProtected...)
		if germanErr != nil {
			return
		}
		var fitted *fit.LogisticFit
		fitted, germanErr = fit.Logistic(context.Background(), tab, s, "creditability", "bad", &fit.LogisticOptions{Name: "german-logistic"})
		if germanErr != nil {
			return
		}
		var sc *score.Model
		sc, germanErr = handScorecard(tab, s, "creditability", "bad")
		if germanErr != nil {
			return
		}
		var scf *fit.ScorecardFit
		scf, germanErr = fit.Scorecard(context.Background(), tab, s, "creditability", "bad", &fit.ScorecardOptions{Name: "german-scorecard"})
		if germanErr != nil {
			return
		}
		germanFix = germanFixture{table: tab, schema: s, logistic: fitted.Model, scorecard: sc, fitted: scf.Model}
	})
	require.NoError(t, germanErr)
	return germanFix
}

// handScorecard builds a naive-Bayes points scorecard: every input feature
// binned (numeric: at the 20/40/60/80th percentiles; categorical: one bin per
// label), WoE = ln(share of non-events / share of events) with 0.5 added to
// empty cells, points = factor * WoE, base points = offset + factor *
// ln(non-events / events). Numeric terms carry training percentiles.
func handScorecard(tab *score.Table, s *score.Schema, target, event string) (*score.Model, error) {
	sc := score.NewScaling(0, 0, 0)
	tc := tab.Column(target)
	var ev, nev float64
	for i := 0; i < tab.Len(); i++ {
		if tab.Cell(i, tc) == event {
			ev++
		} else {
			nev++
		}
	}
	spec := score.Spec{Name: "german-hand-scorecard", Kind: score.ScorecardModel, Target: target, Event: event,
		Features: s.Features(), Scaling: &sc, Intercept: sc.Offset + sc.Factor*math.Log(nev/ev)}
	for _, f := range s.Features() {
		if f.Role != score.Input {
			continue
		}
		col := tab.Column(f.Name)
		term := score.Term{Feature: f.Name, Kind: score.BinnedTerm}
		var bins []score.Bin
		if f.Kind == score.Numeric {
			var xs []float64
			for i := 0; i < tab.Len(); i++ {
				v, err := score.ParseValue(score.Numeric, tab.Cell(i, col))
				if err != nil {
					return nil, err
				}
				xs = append(xs, v.Float())
			}
			slices.Sort(xs)
			var cuts []float64
			for _, q := range []float64{0.2, 0.4, 0.6, 0.8} {
				c := metric.Quantile(xs, q)
				if c > xs[0] && (len(cuts) == 0 || c > cuts[len(cuts)-1]) {
					cuts = append(cuts, c)
				}
			}
			for k := 0; k <= len(cuts); k++ {
				b := score.Bin{Kind: score.RangeBin}
				if k > 0 {
					b.Lower = &cuts[k-1]
				}
				if k < len(cuts) {
					b.Upper = &cuts[k]
				}
				bins = append(bins, b)
			}
			st := &score.Stats{Count: float64(len(xs)), Min: xs[0], Max: xs[len(xs)-1], Quantiles: make([]float64, 101)}
			for q := range st.Quantiles {
				st.Quantiles[q] = metric.Quantile(xs, float64(q)/100)
			}
			term.Stats = st
		} else {
			for _, c := range f.Categories {
				bins = append(bins, score.Bin{Kind: score.CategoryBin, Categories: []string{c}})
			}
		}
		// Counts per bin.
		for i := 0; i < tab.Len(); i++ {
			cell := tab.Cell(i, col)
			k := -1
			for b := range bins {
				if f.Kind == score.Numeric {
					v, _ := score.ParseValue(score.Numeric, cell)
					x := v.Float()
					if (bins[b].Lower == nil || x >= *bins[b].Lower) && (bins[b].Upper == nil || x < *bins[b].Upper) {
						k = b
						break
					}
				} else if bins[b].Categories[0] == cell {
					k = b
					break
				}
			}
			bins[k].Count++
			if tab.Cell(i, tc) == event {
				bins[k].Events++
			}
		}
		var base float64
		for b := range bins {
			e, n := bins[b].Events, bins[b].Count-bins[b].Events
			if e == 0 || n == 0 {
				e, n = e+0.5, n+0.5
			}
			bins[b].WoE = math.Log((n / nev) / (e / ev))
			bins[b].Effect = sc.Factor * bins[b].WoE
			base += bins[b].Effect * bins[b].Count / float64(tab.Len())
		}
		term.Bins, term.Baseline = bins, base
		spec.Terms = append(spec.Terms, term)
	}
	return score.NewModel(spec)
}

// germanActions are the action sets of the German tests: age fixed, loan
// duration and amount only down (amount at most 10000), savings only up
// (ordered), other debtors only to "guarantor", everything else free.
func germanActions() *explain.Actions {
	ten := 10000.0
	return &explain.Actions{
		Immutable: []string{"age_in_years", "personal_status_and_sex", "foreign_worker", "number_of_people_being_liable_to_provide_maintenance_for"},
		Features: map[string]explain.FeatureAction{
			"duration_in_month": {Direction: explain.DecreaseOnly},
			"credit_amount":     {Direction: explain.DecreaseOnly, Max: &ten},
			"savings_account_and_bonds": {Direction: explain.IncreaseOnly, Order: []string{
				"unknown/ no savings account", "... < 100 DM", "100 <= ... < 500 DM", "500 <= ... < 1000 DM", "... >= 1000 DM"}},
			"other_debtors_or_guarantors": {Transitions: map[string][]string{"none": {"guarantor"}, "co-applicant": {"guarantor"}}},
			// Declared both ways, as unlisted features were before
			// actionability had to be declared: these tests exercise the
			// search over many features, not the choice of actions.
			"status_of_existing_checking_account": {}, "credit_history": {}, "purpose": {},
			"installment_rate_in_percentage_of_disposable_income": {}, "present_employment_since": {},
			"present_residence_since": {}, "property": {}, "other_installment_plans": {}, "housing": {},
			"number_of_existing_credits_at_this_bank": {}, "job": {}, "telephone": {},
		},
	}
}

// declined returns the 0-based rows whose event probability is at or above p.
func declined(t testing.TB, m *score.Model, tab *score.Table, p score.Probability) []int {
	t.Helper()
	var rows []int
	for i := 0; i < tab.Len(); i++ {
		rec, err := tab.Record(m.Schema(), i)
		require.NoError(t, err)
		res, err := m.Score(rec)
		require.NoError(t, err)
		if res.Probability >= p {
			rows = append(rows, i)
		}
	}
	return rows
}
