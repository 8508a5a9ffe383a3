package explain_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/explain"
	"github.com/candorscore/candor/score"
)

// binnedIncome is a scorecard with a sensitive binned income (the trial's
// loan file: bins < 1907, [1907, 3600), [3600, 14683), >= 14683 at -11.8,
// 1.7, 4.44 and 11.77 points) and a loan amount. Published groups of the
// income, sorted by effect in pairs: {< 1907, [1907, 3600)} at
// (-11.8+1.7)/2 = -5.05 and {[3600, 14683), >= 14683} at (4.44+11.77)/2 =
// 8.105.
func binnedIncome(t *testing.T) *score.Model {
	t.Helper()
	rng := func(lo, hi *float64, eff float64) score.Bin {
		return score.Bin{Kind: score.RangeBin, Lower: lo, Upper: hi, Effect: eff, Count: 10}
	}
	m, err := score.NewModel(score.Spec{Name: "loan", Kind: score.ScorecardModel, Target: "s", Event: "N",
		Features: []score.Feature{
			{Name: "income", Kind: score.Numeric, Sensitive: true, Label: "monthly income"},
			{Name: "amount", Kind: score.Numeric, Label: "loan amount"},
		},
		Intercept: 400,
		Terms: []score.Term{
			{Feature: "income", Kind: score.BinnedTerm, Bins: []score.Bin{
				rng(nil, fp(1907), -11.8), rng(fp(1907), fp(3600), 1.7), rng(fp(3600), fp(14683), 4.44), rng(fp(14683), nil, 11.77)}, Baseline: 1.5},
			{Feature: "amount", Kind: score.BinnedTerm, Bins: []score.Bin{
				rng(nil, fp(100), 20), rng(fp(100), nil, -20)}, Baseline: 0},
		},
		Scaling: new(score.NewScaling(0, 0, 0))})
	require.NoError(t, err)
	return m
}

// TestPublishRecourseDirections: a published change of a sensitive
// feature reads as a move ("higher", "at least 7.75"), and one that stays
// within its band or group (published effect 0) is not listed; a
// counterfactual (or Best) left with no change is dropped. The trial's
// infeasible row listed the income going "to" "[1907, 3600) or [3600,
// 14683) or [14683, +inf)" with effect 0, said "If your monthly income
// were different and ...".
func TestPublishRecourseDirections(t *testing.T) {
	m := binnedIncome(t)
	e, err := explain.NewExplainer(m, nil)
	require.NoError(t, err)
	cat := explain.DefaultCatalog()
	amountDown := explain.Change{Feature: "amount", From: "150", To: "56", FromVal: score.Num(150), ToVal: score.Num(56), Effect: 40, Cost: 0.65}
	explainRow := func(income float64) *explain.Explanation {
		var ex explain.Explanation
		require.NoError(t, e.Explain(score.Record{score.Num(income), score.Num(150)}, &ex))
		return &ex
	}

	// 5000 -> 20000: from [3600, 14683) to >= 14683, both in the upper
	// group: not listed. The counterfactual keeps the amount's change; the
	// one with only the income's change is dropped.
	ex := explainRow(5000)
	within := explain.Change{Feature: "income", From: "5000", To: "20000", FromVal: score.Num(5000), ToVal: score.Num(20000), Effect: 11.77 - 4.44, Cost: 1}
	r := &explain.Recourse{Infeasible: true, Target: 0.5,
		Counterfactuals: []explain.Counterfactual{
			{Changes: []explain.Change{within, amountDown}, Score: ex.Result.Score + 40 + 7.33},
			{Changes: []explain.Change{within}, Score: ex.Result.Score + 7.33}},
		Best: &explain.Counterfactual{Changes: []explain.Change{within}, Score: ex.Result.Score + 7.33}}
	e.PublishRecourse(ex, r, nil)
	require.Len(t, r.Counterfactuals, 1)
	require.Equal(t, []string{"amount"}, features(r.Counterfactuals[0].Changes))
	// 400 + 8.105 (published income) - 20 + 40 (the amount's change).
	require.InDelta(t, 428.105, r.Counterfactuals[0].Score, 1e-9)
	require.Nil(t, r.Best, "the best change moved the income within its group only")

	// 2500 -> 5000: from the lower group to the upper one, higher.
	ex = explainRow(2500)
	up := explain.Change{Feature: "income", From: "2500", To: "5000", FromVal: score.Num(2500), ToVal: score.Num(5000), Effect: 4.44 - 1.7, Cost: 1}
	r = &explain.Recourse{Counterfactuals: []explain.Counterfactual{{Changes: []explain.Change{up, amountDown}, Score: ex.Result.Score + 40 + 2.74}}}
	e.PublishRecourse(ex, r, nil)
	ch := r.Counterfactuals[0].Changes[0]
	require.True(t, ch.Withheld)
	require.Equal(t, "higher", ch.To)
	require.Equal(t, explain.Higher, ch.Direction)
	require.InDelta(t, 8.105-(-5.05), ch.Effect, 1e-12)
	text, err := explain.CounterfactualText(cat, "en", m.Schema(), r.Counterfactuals[0])
	require.NoError(t, err)
	require.Equal(t, "If your monthly income were higher and if your loan amount were 56 instead of 150, the decision would change.", text)

	// A linear sensitive income (publishModel: bands of 2.25 from 1, edges
	// 3.25, 5.5, 7.75): 3.25 -> 8 is a move into the top band, "at least
	// 7.75"; 8 -> 2 into the bottom one, "less than 3.25".
	lm := publishModel(t)
	le, err := explain.NewExplainer(lm, nil)
	require.NoError(t, err)
	for _, c := range []struct {
		from, to float64
		want     string
		dir      explain.Direction
	}{{3.25, 8, "at least 7.75", explain.Higher}, {8, 2, "less than 3.25", explain.Lower}} {
		var lex explain.Explanation
		require.NoError(t, le.Explain(score.Record{score.Num(c.from), score.Cat("a"), score.Cat("g1")}, &lex))
		r := &explain.Recourse{Counterfactuals: []explain.Counterfactual{{Changes: []explain.Change{
			{Feature: "income", FromVal: score.Num(c.from), ToVal: score.Num(c.to), Effect: -0.5 * (c.to - c.from)}},
			Score: lex.Result.Score - 0.5*(c.to-c.from)}}}
		le.PublishRecourse(&lex, r, nil)
		require.Equal(t, c.want, r.Counterfactuals[0].Changes[0].To)
		require.Equal(t, c.dir, r.Counterfactuals[0].Changes[0].Direction)
	}
}

func features(chs []explain.Change) []string {
	var out []string
	for _, c := range chs {
		out = append(out, c.Feature)
	}
	return out
}
