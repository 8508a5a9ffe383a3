package explain_test

// Tests of what a customer reads from a model with fine bins (a boosted
// additive model: up to 1,024 bins a numeric feature, some one distinct
// value wide and holding 1 to 4 training rows): the range words use the
// data's numbers, a bin too narrow to describe a group names the
// customer's value, and the support of advice and recourse is a cell of at
// least explain.MinCellShare of the training rows, so that no move across
// a narrow bin edge is supported by a one-row bin.

import (
	"context"
	"math"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/examples/datasets"
	"github.com/candorscore/candor/explain"
	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/fit"
)

// telcoMonthlyQuantiles are the stored training percentiles 0..100 of
// MonthlyCharges (amounts with two decimals, 7,043 rows) in the boosted
// model `candor fit --model boosted --data telco.csv --target Churn
// --event Yes --exclude customerID` fits on examples/datasets'
// telco_churn.csv.gz.
var telcoMonthlyQuantiles = []float64{18.25, 19.2, 19.35, 19.5, 19.6, 19.65, 19.75, 19.85, 19.9, 20, 20.05, 20.15, 20.25, 20.35, 20.45, 20.6, 20.85, 23.75, 24.4, 24.75, 25.05,
	25.25, 25.7, 29.333000000000006, 33.17399999999998, 35.5, 39.7, 43.56700000000001, 44.58800000000001, 45.15, 45.85, 48.8, 49.65, 50.2, 50.8, 53.13499999999999, 54.25599999999999,
	54.85, 55.45, 56.25, 58.83000000000002, 59.8, 60.63199999999999, 62.15, 64.45, 65.45, 66.9, 69.05, 69.6, 69.95, 70.35, 70.85, 72.19200000000001, 73.8, 74.35, 74.75, 75.15,
	75.55, 76.36799999999998, 78.45, 79.1, 79.55, 80, 80.4, 80.8, 81.45, 83.2, 84.15, 84.62800000000001, 85.05, 85.5, 86.1, 87.25, 88.9, 89.45, 89.85, 90.4, 90.867, 92,
	93.55900000000001, 94.25, 94.75, 95.2, 95.85, 96.9, 98.55, 99.25, 99.9, 100.45, 101.15, 102.6, 103.95, 104.55, 105.25, 106, 107.4, 108.95, 110.1, 111.55799999999999, 114.729, 118.75}

// monthlyModel is a one-term logistic model of MonthlyCharges with the
// given range bins (a scorecard with fine bins reads the same way).
func monthlyModel(t *testing.T, bins ...score.Bin) *score.Model {
	t.Helper()
	s := score.MustSchema(score.Feature{Name: "MonthlyCharges"})
	m, err := score.NewModel(score.Spec{Name: "telco", Kind: score.LogisticModel, Features: s.Features(), Intercept: -1,
		Terms: []score.Term{{Feature: "MonthlyCharges", Kind: score.BinnedTerm,
			Stats: &score.Stats{Count: 7043, Min: 18.25, Max: 118.75, Quantiles: telcoMonthlyQuantiles},
			Bins:  append(bins, score.Bin{Kind: score.MissingBin})}}})
	require.NoError(t, err)
	return m
}

func customerText(t *testing.T, m *score.Model, rec score.Record) string {
	t.Helper()
	e, err := explain.NewExplainer(m, &explain.Options{MaxReasons: explain.AllReasons})
	require.NoError(t, err)
	var ex explain.Explanation
	require.NoError(t, e.Explain(rec, &ex))
	b, err := e.AppendCustomerText(nil, explain.DefaultCatalog(), "en", &ex)
	require.NoError(t, err)
	return string(b)
}

func edge(x float64) *float64 { return &x }

// TestRangeWordsUseTheDataNumbers: Telco's row 152 was told "Your
// MonthlyCharges ([94.92500000000001, 95.025)) weighed against the
// result.": a boosted cut is the midpoint of two neighbouring training
// values, computed in floating point, and the words fell back to the
// bin's raw label. The training values have two decimals (their
// percentiles say so), so each edge is said as the first amount of two
// decimals at or above it, which cuts the amounts of two decimals where the
// edge does: [94.925..., 95.025) holds 94.93 to 95.02, "from 94.93 to less
// than 95.03"; [18.775, 18.825...) holds 18.78 to 18.82; a span of one
// such amount is that amount.
func TestRangeWordsUseTheDataNumbers(t *testing.T) {
	for _, c := range []struct {
		name   string
		lo, hi float64
		x      float64
		want   string
	}{
		{"noisy lower edge", 94.92500000000001, 95.025, 95, "from 94.93 to less than 95.03"},
		{"noisy upper edge", 18.775, 18.825000000000003, 18.8, "from 18.78 to less than 18.83"},
		{"one amount", 94.92500000000001, 94.935, 94.93, "94.93"},
		{"edges on the grid", 20, 30, 25.5, "from 20 to less than 30"},
		// A customer value with more decimals than the training values:
		// the grid is the customer's, so the words still hold the value.
		{"customer's decimals", 94.92500000000001, 95.025, 94.9251, "from 94.9251 to less than 95.025"},
	} {
		t.Run(c.name, func(t *testing.T) {
			m := monthlyModel(t,
				score.Bin{Kind: score.RangeBin, Upper: edge(c.lo), Effect: -0.2, Count: 3000, Events: 500},
				score.Bin{Kind: score.RangeBin, Lower: edge(c.lo), Upper: edge(c.hi), Effect: 0.5, Count: 1000, Events: 400},
				score.Bin{Kind: score.RangeBin, Lower: edge(c.hi), Effect: -0.1, Count: 3043, Events: 969})
			got := customerText(t, m, score.Record{score.Num(c.x)})
			require.Contains(t, got, "Your monthly charges ("+c.want+") weighed against the result.")
		})
	}
}

// TestNarrowBinNamesTheValue: a bin that holds fewer than MinCellShare
// (5%) of the training rows describes no group a customer would
// recognise, and its edges are two neighbouring training values' midpoints
// (Telco's [94.925, 95.025) holds 17 of 7,043 rows, 0.24%): the words name
// the customer's own value instead.
func TestNarrowBinNamesTheValue(t *testing.T) {
	m := monthlyModel(t,
		score.Bin{Kind: score.RangeBin, Upper: edge(94.92500000000001), Effect: -0.2, Count: 3500, Events: 700},
		score.Bin{Kind: score.RangeBin, Lower: edge(94.92500000000001), Upper: edge(95.025), Effect: 0.5, Count: 17, Events: 5},
		score.Bin{Kind: score.RangeBin, Lower: edge(95.025), Effect: -0.1, Count: 3526, Events: 1164})
	got := customerText(t, m, score.Record{score.Num(95)})
	require.Contains(t, got, "Your monthly charges (95) weighed against the result.")
}

// fineAmountModel is a hand-built model of credit amounts with German
// credit's tail: two bins of one row each either side of the edge 5952.5
// (the one below with no event, the one above with one), between wide bins
// of 100 and 199 rows; a lower amount is allowed by any amount.
func fineAmountModel(t *testing.T, eventsBelow5000 float64) *score.Model {
	t.Helper()
	f := score.Feature{Name: "credit_amount", Action: &score.Action{Direction: score.DecreaseOnly, MinChange: new(float64)}}
	s := score.MustSchema(f)
	q := make([]float64, 101)
	for k := range q {
		q[k] = 250 + float64(k)*100 // whole amounts from 250 to 10250
	}
	m, err := score.NewModel(score.Spec{Name: "fine", Kind: score.LogisticModel, Features: s.Features(), Intercept: 0,
		Terms: []score.Term{{Feature: "credit_amount", Kind: score.BinnedTerm,
			Stats: &score.Stats{Count: 400, Min: 250, Max: 10250, Quantiles: q},
			Bins: []score.Bin{
				{Kind: score.RangeBin, Upper: edge(5000), Effect: -0.3, Count: 100, Events: eventsBelow5000},
				{Kind: score.RangeBin, Lower: edge(5000), Upper: edge(5947), Effect: 0.05, Count: 99, Events: 40},
				{Kind: score.RangeBin, Lower: edge(5947), Upper: edge(5952.5), Effect: -0.05, Count: 1, Events: 0},
				{Kind: score.RangeBin, Lower: edge(5952.5), Upper: edge(5960.5), Effect: 0.1, Count: 1, Events: 1},
				{Kind: score.RangeBin, Lower: edge(5960.5), Effect: 0.3, Count: 199, Events: 79},
				{Kind: score.MissingBin},
			}}}})
	require.NoError(t, err)
	return m
}

// TestNoSupportFromOneRowBins: the customer at 5953 sits in a bin of one
// row whose one row had the event (rate 1), and the bin just below the
// edge 5952.5 holds one row without it (rate 0). Compared bin by bin, the
// move 5953 -> 5950 was supported and flips the decision (log-odds 0.1 ->
// -0.05, probability 0.525 -> 0.488); but the rate of one row is no
// evidence, and the project forbids gaming a bin edge. Pooled in order
// into cells of at least 5% of the rows (20 of 400), the cells are the
// 100 rows below 5000 (30 events: rate 0.30), the 99 rows up to 5947
// (40/99 = 0.404) and the rest, 1 + 1 + 199 rows with 80 events (0.398),
// which holds both one-row bins: no move inside it is supported, and the
// only supported move is below 5000.
func TestNoSupportFromOneRowBins(t *testing.T) {
	r, reason := recourseAndReason(t, fineAmountModel(t, 30), score.Record{score.Num(5953)})
	require.False(t, r.Infeasible, r.Reason)
	require.NotEmpty(t, r.Counterfactuals)
	for _, cf := range r.Counterfactuals {
		for _, ch := range cf.Changes {
			require.Less(t, ch.ToVal.Float(), 5000.0, "a move across a narrow edge: %+v", ch)
			require.NotNil(t, ch.Support)
			require.InDelta(t, 80.0/201, ch.Support.CurrentRate, 1e-12)
			require.InDelta(t, 201, ch.Support.CurrentRows, 1e-12)
			require.InDelta(t, 0.30, ch.Support.ProposedRate, 1e-12)
			require.InDelta(t, 100, ch.Support.ProposedRows, 1e-12)
		}
	}
	require.Equal(t, explain.AdviceDecrease, reason.Advice)
}

// TestNoSupportInsideOneCell: the same model with the 100 rows below 5000
// made riskier (60 events: rate 0.60) than the customer's cell (0.398):
// nothing lower is supported, so neither advice nor recourse may propose
// the one-row bin below 5952.5.
func TestNoSupportInsideOneCell(t *testing.T) {
	r, reason := recourseAndReason(t, fineAmountModel(t, 60), score.Record{score.Num(5953)})
	require.True(t, r.Infeasible, "proposed %+v", r.Counterfactuals)
	require.Equal(t, explain.WithheldNoSupport, reason.AdviceWithheld)
}

// recourseAndReason is the recourse of rec at the target probability 0.5
// and its first reason.
func recourseAndReason(t *testing.T, m *score.Model, rec score.Record) (*explain.Recourse, explain.Reason) {
	t.Helper()
	sp, err := explain.NewActionSpace(m, nil, nil)
	require.NoError(t, err)
	r, err := sp.Recourse(context.Background(), rec, &explain.RecourseOptions{Target: 0.5})
	require.NoError(t, err)
	e, err := explain.NewExplainer(m, nil)
	require.NoError(t, err)
	var ex explain.Explanation
	require.NoError(t, e.Explain(rec, &ex))
	require.NotEmpty(t, ex.Reasons)
	return r, ex.Reasons[0]
}

var (
	germanBoostedOnce sync.Once
	germanBoostedM    *score.Model
	germanBoostedErr  error
)

// germanBoosted is `candor fit --model boosted` on German credit with its
// features file (examples/datasets/features/german_credit.json: credit
// amount and duration may decrease), main effects and the defaults.
func germanBoosted(t *testing.T) (*score.Model, *score.Table) {
	t.Helper()
	tab, err := datasets.Load(datasets.GermanCredit)
	require.NoError(t, err)
	germanBoostedOnce.Do(func() {
		var d *score.Declarations
		if d, germanBoostedErr = datasets.Features(datasets.GermanCredit); germanBoostedErr != nil {
			return
		}
		var s *score.Schema
		if s, germanBoostedErr = tab.InferSchemaWith(d); germanBoostedErr != nil {
			return
		}
		if s, germanBoostedErr = s.WithRoles(score.Ignored, "creditability"); germanBoostedErr != nil {
			return
		}
		var bf *fit.BoostedFit
		if bf, germanBoostedErr = fit.Boosted(context.Background(), tab, s, "creditability", "bad", nil); germanBoostedErr == nil {
			germanBoostedM = bf.Model
		}
	})
	require.NoError(t, germanBoostedErr)
	return germanBoostedM, tab
}

// TestGermanBoostedSupport: on every German credit applicant the boosted
// model declines, with credit amount and duration free to decrease by any
// amount (min_change 0, so that only the support rule stands between a
// customer and a bin edge), every supported change's cells hold at least
// 5% of the 1,000 training rows, and every proposed value is a whole
// number, as the training values are (row 2 was offered credit_amount
// 5951 -> 3646.5, a bin edge, on the evidence of one row either side:
// rates 1 and 0). The customer text of row 2 names its amount (5951 DM)
// rather than its one-row bin [5947, 5952.5).
func TestGermanBoostedSupport(t *testing.T) {
	m, tab := germanBoosted(t)
	zero := 0.0
	acts := &explain.Actions{Features: map[string]explain.FeatureAction{
		"duration_in_month": {Direction: score.DecreaseOnly, MinChange: &zero},
		"credit_amount":     {Direction: score.DecreaseOnly, MinChange: &zero}}}
	sp, err := explain.NewActionSpace(m, acts, nil)
	require.NoError(t, err)
	declined, changes := 0, 0
	for i := 0; i < tab.Len(); i++ {
		rec, err := tab.Record(m.Schema(), i)
		require.NoError(t, err)
		r, err := sp.Recourse(context.Background(), rec, &explain.RecourseOptions{K: 3})
		require.NoError(t, err)
		if r.Already {
			continue
		}
		declined++
		for _, cf := range r.Counterfactuals {
			for _, ch := range cf.Changes {
				if !ch.ToVal.IsNum() {
					continue // a level is a group of its own, whatever its rows
				}
				changes++
				require.NotNil(t, ch.Support, "row %d %+v", i+1, ch)
				require.GreaterOrEqual(t, ch.Support.CurrentRows, 50.0, "row %d %+v", i+1, ch)
				require.GreaterOrEqual(t, ch.Support.ProposedRows, 50.0, "row %d %+v", i+1, ch)
				require.Equal(t, math.Trunc(ch.ToVal.Float()), ch.ToVal.Float(), "row %d %+v", i+1, ch)
			}
		}
	}
	require.Greater(t, declined, 100)
	require.Greater(t, changes, 100)
	rec, err := tab.Record(m.Schema(), 1)
	require.NoError(t, err)
	require.Contains(t, customerText(t, m, rec), "Your amount of credit (5951 DM)")
}

// TestShapeLabelsInTheDataDecimals: `candor shapes` on Telco's boosted
// model printed 333 of MonthlyCharges' bin labels with float noise
// ("[18.775, 18.825000000000003)"). An edge between values of two
// decimals is printed with three, when that cuts the values of two
// decimals where the edge does (18.825000000000003 and 18.825 both put
// 18.82 below and 18.83 above); an edge it would move stays as it is (the
// float just above 20 is not 20: 20.00 falls below it).
func TestShapeLabelsInTheDataDecimals(t *testing.T) {
	justAbove20 := math.Nextafter(20, 21)
	m := monthlyModel(t,
		score.Bin{Kind: score.RangeBin, Upper: edge(18.775), Effect: -0.2, Count: 3000, Events: 500},
		score.Bin{Kind: score.RangeBin, Lower: edge(18.775), Upper: edge(18.825000000000003), Effect: 0.5, Count: 1000, Events: 400},
		score.Bin{Kind: score.RangeBin, Lower: edge(18.825000000000003), Upper: &justAbove20, Effect: 0.1, Count: 1000, Events: 300},
		score.Bin{Kind: score.RangeBin, Lower: &justAbove20, Effect: -0.1, Count: 2043, Events: 669})
	e, err := explain.NewExplainer(m, nil)
	require.NoError(t, err)
	sh, err := e.Shape(0)
	require.NoError(t, err)
	var labels []string
	for _, p := range sh {
		labels = append(labels, p.Label)
	}
	require.Equal(t, []string{"< 18.775", "[18.775, 18.825)", "[18.825, 20.000000000000004)", ">= 20.000000000000004", "missing"}, labels)
}

// appHoursModel is the boosted model's term of HourSpendOnApp on the
// e-commerce churn file of testdata/trials/2026-12-02-trial4.md (`candor
// fit --model boosted` with that log's features file): the bins' counts and
// events are the file's (5,630 rows; hours 0 to 5, 255 blank), the effects
// the fit's (log-odds of churn), the intercept chosen so that 3 hours is a
// decline and the effect at 5 hours flips it. The three customers at 5
// hours, none of whom churned, gave that one-value bin -1.456 log-odds;
// the 1,176 at 4 hours +0.098. The customer may spend more hours, up to 5.
// below is added to the effects of the bins under 2.5 hours (0: the fit's).
func appHoursModel(t *testing.T, below float64) *score.Model {
	t.Helper()
	five := 5.0
	f := score.Feature{Name: "HourSpendOnApp", Action: &score.Action{Direction: score.IncreaseOnly, Max: &five}}
	s := score.MustSchema(f)
	q := make([]float64, 101) // percentiles of the 5,375 non-blank values
	for k := range q {
		switch {
		case k == 0:
			q[k] = 0
		case k <= 28:
			q[k] = 2
		case k <= 78:
			q[k] = 3
		case k < 100:
			q[k] = 4
		default:
			q[k] = 5
		}
	}
	m, err := score.NewModel(score.Spec{Name: "ecom", Kind: score.LogisticModel, Features: s.Features(), Intercept: 0.5,
		Terms: []score.Term{{Feature: "HourSpendOnApp", Kind: score.BinnedTerm,
			Stats: &score.Stats{Count: 5630, Min: 0, Max: 5, Quantiles: q},
			Bins: []score.Bin{
				{Kind: score.RangeBin, Upper: edge(0.5), Effect: -4.7567 + below, Count: 3, Events: 0},
				{Kind: score.RangeBin, Lower: edge(0.5), Upper: edge(1.5), Effect: -3.3639 + below, Count: 35, Events: 0},
				{Kind: score.RangeBin, Lower: edge(1.5), Upper: edge(2.5), Effect: -0.0763 + below, Count: 1471, Events: 232},
				{Kind: score.RangeBin, Lower: edge(2.5), Upper: edge(3.5), Effect: 0.0271, Count: 2687, Events: 460},
				{Kind: score.RangeBin, Lower: edge(3.5), Upper: edge(4.5), Effect: 0.0980, Count: 1176, Events: 198},
				{Kind: score.RangeBin, Lower: edge(4.5), Effect: -1.4560, Count: 3, Events: 0},
				{Kind: score.MissingBin, Effect: 0.2371, Count: 255, Events: 58},
			}}}})
	require.NoError(t, err)
	return m
}

// TestNoSupportFromANarrowBinInAWorseCell: recourse told the trial4
// customer at 3 hours "If your hours you spend on our app were 5 hours
// instead of 3 hours, the decision would change.", on the support of the
// cell that pools 4 and 5 hours (1,179 rows, churn 0.168 against 0.171 at 3
// hours): a lower rate, so the move passed. But its whole gain was the
// three-row bin at 5 hours: at the resolution of the cells the model puts
// 4-5 hours above 3 (row-weighted mean effect (1176 * 0.0980 + 3 * -1.456)
// / 1179 = 0.0941 against 0.0271 log-odds), so the move to 4 hours, the
// cell's own rows, raises the risk. A move whose gain the cells do not
// show rests on the narrow bin alone: neither recourse nor advice may
// propose it.
func TestNoSupportFromANarrowBinInAWorseCell(t *testing.T) {
	r, reason := recourseAndReason(t, appHoursModel(t, 0), score.Record{score.Num(3)})
	require.True(t, r.Infeasible, "proposed %+v", r.Counterfactuals)
	require.Equal(t, "HourSpendOnApp", reason.Feature)
	// The advice is to spend fewer hours (the cells below 3 hours are
	// better), which the declared direction forbids.
	require.Equal(t, explain.WithheldDeclaredDirection, reason.AdviceWithheld)

	// Allowed, it is proposed and flagged: the model's exact gain is there.
	sp, err := explain.NewActionSpace(appHoursModel(t, 0), nil, nil)
	require.NoError(t, err)
	loose, err := sp.Recourse(context.Background(), score.Record{score.Num(3)}, &explain.RecourseOptions{Target: 0.5, AllowUnsupported: true})
	require.NoError(t, err)
	require.NotEmpty(t, loose.Counterfactuals)
	ch := loose.Counterfactuals[0].Changes[0]
	require.InDelta(t, 5, ch.ToVal.Float(), 0)
	require.True(t, ch.Unsupported)
	require.InDelta(t, 198.0/1179, ch.Support.ProposedRate, 1e-12)
	require.InDelta(t, 460.0/2687, ch.Support.CurrentRate, 1e-12)

	// With the bins under 2.5 hours made the worst (+5 log-odds), only more
	// hours could help, and only the narrow bin does: the advice "a higher
	// value would improve the result" rested on it and is withheld.
	_, reason = recourseAndReason(t, appHoursModel(t, 5), score.Record{score.Num(3)})
	require.Equal(t, explain.WithheldNoSupport, reason.AdviceWithheld)
}
