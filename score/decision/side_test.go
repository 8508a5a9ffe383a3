package decision_test

import (
	"encoding/json"
	"math"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/decision"
)

// sideLogistic is a logistic model whose sensitive income (linear, range
// [0, 100], published at its band's midpoint: 12.5 for [0, 25)) crosses
// the cutoff by itself: log-odds -0.5 + 0.04*income - 0.1*tenure. Income
// 5, tenure 0: exact -0.3 (p 0.4256), banded 0 (p 0.5). Income 20, tenure
// 1: exact 0.2 (p 0.5498), banded -0.1 (p 0.4750).
func sideLogistic(t *testing.T) *score.Model {
	t.Helper()
	m, err := score.NewModel(score.Spec{Name: "side", Kind: score.LogisticModel, Target: "bad", Event: "1",
		Features:  []score.Feature{{Name: "income", Kind: score.Numeric, Sensitive: true}, {Name: "tenure", Kind: score.Numeric}},
		Intercept: -0.5,
		Terms: []score.Term{
			{Feature: "income", Kind: score.LinearTerm, Coef: 0.04, Baseline: 2, Stats: &score.Stats{Count: 100, Mean: 50, Min: 0, Max: 100}},
			{Feature: "tenure", Kind: score.LinearTerm, Coef: -0.1, Baseline: -0.5, Stats: &score.Stats{Count: 100, Mean: 5, Min: 0, Max: 10}},
		}})
	require.NoError(t, err)
	return m
}

// TestShownAgreesWithTheDecision is the trial's finding (rows 2618 and
// 2802 of testdata/trials/2026-12-02-trial3.md: "probability":0.5005 with
// "outcome":"approve" under the cutoff 0.5): the probability a decision
// shows is on the side of the cutoff, and in or out of the review band,
// as the exact score decided. On the adverse side (at or above the
// cutoff) it is shown at the cutoff; on the favourable side at the
// largest probability of 4 decimals below it; out of the band above its
// upper edge or below its lower edge likewise (0.45 - 0.0001 = 0.4499).
func TestShownAgreesWithTheDecision(t *testing.T) {
	m := sideLogistic(t)
	for _, tc := range []struct {
		name           string
		policy         decision.Policy
		income, tenure float64
		outcome        decision.Outcome
		shown          float64
		band           string // the review band's referral text, if any
	}{
		{"approved, banded at the cutoff", decision.Policy{}, 5, 0, decision.Approve, 0.4999, ""},
		{"declined, banded below", decision.Policy{}, 20, 1, decision.Decline, 0.5, ""},
		{"approved out of the band, banded in it", decision.Policy{ReviewBand: 0.05}, 5, 0, decision.Approve, 0.4499, ""},
		{"declined in the band, banded below the cutoff", decision.Policy{ReviewBand: 0.05}, 20, 1, decision.Refer, 0.5,
			"probability 0.5000 is within 0.05 of the cutoff 0.5"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dc, err := decision.NewDecider(m, &tc.policy, nil)
			require.NoError(t, err)
			d, err := dc.Decide(score.Record{score.Num(tc.income), score.Num(tc.tenure)}, nil)
			require.NoError(t, err)
			require.Equal(t, tc.outcome, d.Outcome)
			require.InDelta(t, tc.shown, float64(d.Shown().Probability), 1e-12)
			require.Equal(t, d.Shown(), d.Explained.Shown.Result)
			if tc.band == "" {
				require.Empty(t, d.Referrals)
			} else {
				require.Len(t, d.Referrals, 1)
				require.Equal(t, tc.band, d.Referrals[0].Text)
			}
			var rec struct {
				Probability float64 `json:"probability"`
			}
			b, err := json.Marshal(d)
			require.NoError(t, err)
			require.NoError(t, json.Unmarshal(b, &rec))
			require.Equal(t, d.ModelOutcome == decision.Decline, rec.Probability >= 0.5, "the record's probability %v against its outcome", rec.Probability)
		})
	}
}

// TestShownAgreesWithCutoffPoints: a scorecard decided on cutoff_points
// 590 (declined below) with a sensitive binned income (bins at -40, -10,
// 10 and 40 points, published in pairs at -25 and 25) and an amount (0 or
// -25). Income in the -10 bin, amount 0: exact 590 (approved), banded 575;
// shown at 590, the cutoff, approved at or above. Income in the 10 bin,
// amount -25: exact 585 (declined), banded 600; shown at 589.99, the
// largest 2-decimal score below the cutoff. The probability is the
// model's at the points shown (600 points at odds 19:1, 50 points to
// double them).
func TestShownAgreesWithCutoffPoints(t *testing.T) {
	f := func(x float64) *float64 { return &x }
	bin := func(lo, hi *float64, eff float64) score.Bin {
		return score.Bin{Kind: score.RangeBin, Lower: lo, Upper: hi, Effect: eff, Count: 10}
	}
	m, err := score.NewModel(score.Spec{Name: "points", Kind: score.ScorecardModel, Target: "bad", Event: "1",
		Features:  []score.Feature{{Name: "income", Kind: score.Numeric, Sensitive: true}, {Name: "amount", Kind: score.Numeric}},
		Intercept: 600,
		Terms: []score.Term{
			{Feature: "income", Kind: score.BinnedTerm, Bins: []score.Bin{bin(nil, f(1), -40), bin(f(1), f(2), -10), bin(f(2), f(3), 10), bin(f(3), nil, 40)}},
			{Feature: "amount", Kind: score.BinnedTerm, Bins: []score.Bin{bin(nil, f(100), 0), bin(f(100), nil, -25)}},
		},
		Scaling: new(score.NewScaling(0, 0, 0))})
	require.NoError(t, err)
	dc, err := decision.NewDecider(m, &decision.Policy{CutoffPoints: f(590)}, nil)
	require.NoError(t, err)
	odds := func(points float64) float64 { // event probability at these points
		return 1 / (1 + 19*math.Pow(2, (points-600)/50))
	}
	for _, tc := range []struct {
		income, amount float64
		outcome        decision.Outcome
		points         float64
	}{
		{1.5, 50, decision.Approve, 590},
		{2.5, 150, decision.Decline, 589.99},
	} {
		d, err := dc.Decide(score.Record{score.Num(tc.income), score.Num(tc.amount)}, nil)
		require.NoError(t, err)
		require.Equal(t, tc.outcome, d.Outcome)
		require.InDelta(t, tc.points, d.Shown().Score, 1e-9)
		require.InDelta(t, odds(tc.points), float64(d.Shown().Probability), 1e-12)
	}
}
