package explain_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/explain"
	"github.com/candorscore/candor/score"
)

// creditRiskDecl declares the three columns of the public
// credit_risk_dataset.csv whose share is a ratio of the other two:
// loan_percent_income = loan_amnt / person_income, to 2 decimals.
const creditRiskDecl = `{"features": {
  "person_income": {"label": "your yearly income", "unit": "dollars", "action": {"direction": "increase", "cost_per_unit": 0.0001,
                    "grid": [59000, 65000, 70000, 80000, 100000, 120000], "min_change": 0}},
  "loan_amnt": {"label": "the amount you asked for", "unit": "dollars", "action": {"direction": "decrease", "cost_per_unit": 0.0002,
                "grid": [5000, 10000, 20000, 24000, 25000, 30000, 35000], "min_change": 0}},
  "loan_percent_income": {"label": "the loan as a share of your income", "action": {"immutable": true},
                          "derived": {"formula": "loan_amnt / person_income", "decimals": 2}},
  "loan_intent": {"label": "the purpose of the loan"}}}`

// creditRiskModel is a credit-risk-shaped scorecard (points rise as the
// risk falls) over the income, the loan, its share of the income and the
// loan's purpose, with the declarations above; pairs adds a pair term of
// the share and the purpose, so that the derived input is in a pair too.
func creditRiskModel(t *testing.T, pairs bool) *score.Model {
	t.Helper()
	d, err := score.ParseDeclarations([]byte(creditRiskDecl))
	require.NoError(t, err)
	s, err := d.Apply(score.MustSchema(
		score.Feature{Name: "person_income"},
		score.Feature{Name: "loan_amnt"},
		score.Feature{Name: "loan_percent_income"},
		score.Feature{Name: "loan_intent", Kind: score.Categorical, Categories: []string{"EDUCATION", "PERSONAL"}},
	))
	require.NoError(t, err)
	f := func(x float64) *float64 { return &x }
	ranges := func(cuts []float64, pts ...float64) []score.Bin {
		var bins []score.Bin
		for k, p := range pts {
			b := score.Bin{Kind: score.RangeBin, Effect: p}
			if k > 0 {
				b.Lower = f(cuts[k-1])
			}
			if k < len(cuts) {
				b.Upper = f(cuts[k])
			}
			bins = append(bins, b)
		}
		return bins
	}
	sc := score.NewScaling(0, 0, 0)
	spec := score.Spec{Name: "credit-risk", Kind: score.ScorecardModel, Scaling: &sc, Intercept: 400, Features: s.Features(),
		Terms: []score.Term{
			{Feature: "person_income", Kind: score.BinnedTerm, Bins: ranges([]float64{30000, 60000, 100000}, -30, 0, 20, 35)},
			{Feature: "loan_amnt", Kind: score.BinnedTerm, Bins: ranges([]float64{10000, 25000}, 15, 5, -10)},
			{Feature: "loan_percent_income", Kind: score.BinnedTerm, Bins: ranges([]float64{0.15, 0.3, 0.45, 0.6}, 40, 20, 0, -35, -60)},
			{Feature: "loan_intent", Kind: score.BinnedTerm, Bins: []score.Bin{
				{Kind: score.CategoryBin, Categories: []string{"EDUCATION"}, Effect: 5},
				{Kind: score.CategoryBin, Categories: []string{"PERSONAL"}, Effect: -5}}},
		}}
	if pairs {
		spec.Terms = append(spec.Terms, score.Term{Feature: "loan_percent_income", Kind: score.PairTerm,
			Bins: ranges([]float64{0.3}, 0, 0),
			Pair: &score.Pair{Feature: "loan_intent", Bins: []score.Bin{
				{Kind: score.CategoryBin, Categories: []string{"EDUCATION"}}, {Kind: score.CategoryBin, Categories: []string{"PERSONAL"}}},
				Effects: []float64{12, -4, 0, -15}}})
	}
	m, err := score.NewModel(spec)
	require.NoError(t, err)
	return m
}

// creditRiskProblem is the brute-force reference for the customer with the
// given income, loan and purpose (the share as the file writes it).
func creditRiskProblem(t *testing.T, m *score.Model, income, loan float64, intent string) *refProblem {
	t.Helper()
	share := math.Round(loan/income*100) / 100
	p := &refProblem{m: m, rec: score.Record{score.Num(income), score.Num(loan), score.Num(share), score.Cat(intent)},
		target: 0.5, moves: map[int][]refMove{},
		derived: []refDerived{{col: 2, a: 1, b: 0, op: '/', dec: 2}}}
	for _, v := range []float64{59000, 65000, 70000, 80000, 100000, 120000} {
		if v > income {
			p.moves[0] = append(p.moves[0], refMove{score.Num(v), 0.0001 * (v - income)})
		}
	}
	for _, v := range []float64{5000, 10000, 20000, 24000, 25000, 30000, 35000} {
		if v < loan {
			p.moves[1] = append(p.moves[1], refMove{score.Num(v), 0.0002 * (loan - v)})
		}
	}
	return p
}

// The lead's trial on the public credit-risk file: with actions on the
// income and the loan, recourse told a customer to raise the income and,
// apart from it, to bring the loan's share of the income down, while the
// loan stayed at 35000 (35000 / 80000 = 0.44). Declared derived, the share
// follows its sources: every counterfactual's share is its loan over its
// income, listed as a change of its own that follows from them, at no cost.
func TestRecourseDerivedFollowsItsSources(t *testing.T) {
	m := creditRiskModel(t, false)
	sp, err := explain.NewActionSpace(m, nil, nil)
	require.NoError(t, err)
	p := creditRiskProblem(t, m, 59000, 35000, "PERSONAL")
	r, err := sp.Recourse(context.Background(), p.rec, &explain.RecourseOptions{K: 3, AllowUnsupported: true})
	require.NoError(t, err)
	require.NotEmpty(t, r.Counterfactuals)
	for _, cf := range r.Counterfactuals {
		p.checkDerived(t, cf, "credit risk")
	}
	// By hand: 400 - 10 - 35 - 5 = 350 points, the cutoff at odds 1:1 is
	// 600 - 50 log2(19) = 387.6. The loan alone to 24000 (cost 2.2) gains
	// 15 on the loan and 35 on the share (24000 / 59000 = 0.41): 400
	// points. The income alone to 80000 (cost 2.1) gains 20 and 35 on the
	// share (35000 / 80000 = 0.44): 405 points, the cheapest answer; to
	// 70000 (cost 1.1) the share is 0.5, still in its bin: 370 points.
	cf := r.Counterfactuals[0]
	require.InDelta(t, 2.1, cf.Cost, 1e-9)
	require.Len(t, cf.Changes, 2)
	require.Equal(t, explain.Change{Feature: "person_income", From: "59000", To: "80000", FromVal: score.Num(59000), ToVal: score.Num(80000),
		Cost: cf.Changes[0].Cost, Effect: 20}, withoutSupport(cf.Changes[0]))
	require.Equal(t, explain.Change{Feature: "loan_percent_income", From: "0.59", To: "0.44", FromVal: score.Num(0.59), ToVal: score.Num(0.44),
		Effect: 35, Derived: true}, withoutSupport(cf.Changes[1]))
	require.InDelta(t, 405, cf.Score, 1e-9)
	text, err := explain.CounterfactualText(explain.DefaultCatalog(), "en", m.Schema(), cf)
	require.NoError(t, err)
	require.Equal(t, "If your yearly income were 80000 dollars instead of 59000 dollars (so the loan as a share of your income would be 0.44 instead of 0.59), the decision would change.", text)
	b, err := json.Marshal(cf)
	require.NoError(t, err)
	require.Contains(t, string(b), `{"feature":"loan_percent_income","from":"0.59","to":"0.44","cost":0,"effect":35,"derived":true}`)
	var back struct {
		Changes []map[string]any `json:"changes"`
	}
	require.NoError(t, json.Unmarshal(b, &back))
	require.NotContains(t, back.Changes[0], "derived", "the income's change is a move of its own")
	// The second answer is the loan alone, its share following.
	require.Equal(t, []string{"loan_amnt", "loan_percent_income"}, changedFeatures(r.Counterfactuals[1]))
	require.Equal(t, "0.41", r.Counterfactuals[1].Changes[1].To)
}

func withoutSupport(ch explain.Change) explain.Change {
	ch.Support, ch.Unsupported = nil, false
	return ch
}

func changedFeatures(cf explain.Counterfactual) []string {
	var out []string
	for _, ch := range cf.Changes {
		out = append(out, ch.Feature)
	}
	return out
}

// An action on a derived input (the lead's trial declared one on all three)
// is an error naming it: it never moves on its own.
func TestRecourseDerivedActionRefused(t *testing.T) {
	m := creditRiskModel(t, false)
	_, err := explain.NewActionSpace(m, &explain.Actions{Features: map[string]explain.FeatureAction{
		"loan_percent_income": {Direction: explain.DecreaseOnly}}}, nil)
	require.ErrorIs(t, err, explain.ErrActions)
	require.Contains(t, err.Error(), `"loan_percent_income"`)
	require.Contains(t, err.Error(), "loan_amnt and person_income")
	// Immutable is what it is anyway.
	_, err = explain.NewActionSpace(m, &explain.Actions{Immutable: []string{"loan_percent_income"}}, nil)
	require.NoError(t, err)
}

// Brute force over every grid combination, the share recomputed, for
// customers across the grid, both objectives, with and without a cap on
// the changes, with and without a pair term of the share and the purpose.
func TestRecourseDerivedCreditRiskOptimal(t *testing.T) {
	for _, pairs := range []bool{false, true} {
		m := creditRiskModel(t, pairs)
		sp, err := explain.NewActionSpace(m, nil, nil)
		require.NoError(t, err)
		counts := [3]int{}
		for _, income := range []float64{20000, 41000, 59000, 64000, 90000} {
			for _, loan := range []float64{6000, 12000, 24500, 35000} {
				for _, intent := range []string{"EDUCATION", "PERSONAL"} {
					for k, maxC := range []int{0, 1, 0} {
						p := creditRiskProblem(t, m, income, loan, intent)
						p.maxC, p.maxObj = maxC, k == 1 && loan > 20000
						if k == 2 {
							p.target = 0.05 // beyond most customers' reach
						}
						label := fmt.Sprintf("pairs %v, income %v, loan %v, %s, cap %d", pairs, income, loan, intent, maxC)
						counts[p.check(t, sp, 2, label)]++
					}
				}
			}
		}
		t.Logf("pairs %v: answered %d, infeasible %d, already %d", pairs, counts[checkedAnswered], counts[checkedInfeasible], counts[checkedAlready])
		require.Greater(t, counts[checkedAnswered], 15)
		require.Greater(t, counts[checkedInfeasible], 3)
	}
}

// withRandomDerived adds a derived feature to p's model: two of its numeric
// features (when it has two) joined by a random operator, rounded to a
// random number of decimals or not at all, with a term of its own (a slope
// for a logistic model, two or three bins for a scorecard). The customer's
// value is the formula's, or (one time in five) another, as a data-entry
// error would leave it: it stays until a source moves.
func withRandomDerived(t *testing.T, rng *rand.Rand, p *refProblem) bool {
	t.Helper()
	spec := p.m.Spec()
	var nums []int
	for i, f := range spec.Features {
		if f.Kind == score.Numeric {
			nums = append(nums, i)
		}
	}
	if len(nums) < 2 {
		return false
	}
	rng.Shuffle(len(nums), func(i, j int) { nums[i], nums[j] = nums[j], nums[i] })
	d := refDerived{col: len(spec.Features), a: nums[0], b: nums[1], op: "+-*/"[rng.IntN(4)], dec: rng.IntN(4) - 1}
	der := &score.Derivation{Formula: spec.Features[d.a].Name + " " + string(d.op) + " " + spec.Features[d.b].Name}
	if d.dec >= 0 {
		n := d.dec
		der.Decimals = &n
	}
	spec.Features = append(spec.Features, score.Feature{Name: "derived", Derived: der})
	x, ok := d.value(p.rec[d.a].Float(), p.rec[d.b].Float())
	if !ok || rng.IntN(5) == 0 {
		x = math.Round(rng.NormFloat64()*40) / 4
	}
	term := score.Term{Feature: "derived"}
	if spec.Kind == score.ScorecardModel {
		term.Kind = score.BinnedTerm
		cuts := []float64{x - 0.5 - rng.Float64()*3}
		if rng.IntN(2) == 0 {
			cuts = append(cuts, x+0.5+rng.Float64()*3)
		}
		for b := 0; b <= len(cuts); b++ {
			bin := score.Bin{Kind: score.RangeBin, Effect: spec.Scaling.Factor * rng.NormFloat64()}
			if b > 0 {
				bin.Lower = &cuts[b-1]
			}
			if b < len(cuts) {
				bin.Upper = &cuts[b]
			}
			term.Bins = append(term.Bins, bin)
		}
	} else {
		term.Kind, term.Coef = score.LinearTerm, rng.NormFloat64()*0.3
	}
	spec.Terms = append(spec.Terms, term)
	m, err := score.NewModel(spec)
	require.NoError(t, err)
	p.m = m
	p.rec = append(p.rec, score.Num(x))
	p.derived = append(p.derived, d)
	return true
}

// TestRecourseOptimalRandomDerived: as TestRecourseOptimalRandom, on random
// models with a derived input (and, one time in three, pair terms, which may
// take the derived input too): brute force over every combination of the
// sources' and the other features' moves, the derived value recomputed
// whenever a source moves, finds nothing cheaper.
func TestRecourseOptimalRandomDerived(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 2026))
	var counts [3]int
	trials := 0
	for trial := 0; trials < 1500; trial++ {
		p, acts, err := randomProblem(rng)
		require.NoError(t, err)
		if !withRandomDerived(t, rng, p) {
			continue
		}
		trials++
		if rng.IntN(3) == 0 {
			withRandomPairs(t, rng, p)
		}
		p.maxObj = trial%3 == 2
		sp, err := explain.NewActionSpace(p.m, acts, nil)
		if errors.Is(err, explain.ErrNothingActionable) {
			continue
		}
		require.NoError(t, err, "trial %d", trial)
		counts[p.check(t, sp, 3, fmt.Sprintf("trial %d", trial))]++
	}
	t.Logf("answered %d, infeasible %d, already below the target %d", counts[checkedAnswered], counts[checkedInfeasible], counts[checkedAlready])
	require.Greater(t, counts[checkedAnswered], 300)
	require.Greater(t, counts[checkedInfeasible], 100)
}
