package fit_test

import (
	"context"
	"math"
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/fit"
)

// cityTable is n rows of a categorical city (four levels of different
// risk), a numeric x whose slope depends on the city (a pair), and a
// yes/no target.
func cityTable(t *testing.T, n int) *score.Table {
	t.Helper()
	rng := rand.New(rand.NewPCG(3, 9))
	risk := map[string]float64{"a": -1, "b": 0, "c": 0.7, "d": 1.5}
	cities := []string{"a", "b", "c", "d"}
	rows := make([][]string, n)
	for i := range rows {
		c := cities[rng.IntN(4)]
		x := rng.NormFloat64()
		lo := risk[c] + x*map[string]float64{"a": 1, "b": -1, "c": 0.5, "d": -0.5}[c]
		y := "no"
		if rng.Float64() < 1/(1+math.Exp(-lo)) {
			y = "yes"
		}
		rows[i] = []string{c, strconv.FormatFloat(x, 'f', 3, 64), y}
	}
	tab, err := score.NewTable([]string{"city", "x", "y"}, rows)
	require.NoError(t, err)
	return tab
}

// TestBoostedUnseenCategory: a city unseen in training is an error by
// default (ErrUnknownCategory), as before; with BoostedOptions.Unseen it
// scores: UnseenNeutral gives its main term an other bin of 0 points (the
// shapes are centred: the training customers' average) and UnseenRiskiest
// the lowest points of any city; in a pair term an unseen city adds 0
// either way (no evidence of an interaction), so the row scores the
// intercept plus x's main effect plus the city's other bin.
func TestBoostedUnseenCategory(t *testing.T) {
	tab := cityTable(t, 3000)
	s := tab.InferSchema()
	s, err := s.WithRoles(score.Ignored, "y")
	require.NoError(t, err)
	fitWith := func(u fit.UnseenPolicy) *score.Model {
		f, err := fit.Boosted(context.Background(), tab, s, "y", "yes", &fit.BoostedOptions{Interactions: 1, OuterBags: 2, Unseen: u})
		require.NoError(t, err)
		require.Len(t, f.Pairs, 1)
		return f.Model
	}
	rec := func(m *score.Model, city string, x float64) score.Record {
		r := make(score.Record, m.Schema().Len())
		for i := range r {
			r[i] = score.Missing()
		}
		r[m.Schema().Index("city")] = score.Cat(city)
		r[m.Schema().Index("x")] = score.Num(x)
		return r
	}
	plain := fitWith(fit.UnseenError)
	_, err = plain.Score(rec(plain, "zz", 0.3))
	require.ErrorIs(t, err, score.ErrUnknownCategory)

	for _, u := range []fit.UnseenPolicy{fit.UnseenNeutral, fit.UnseenRiskiest} {
		m := fitWith(u)
		other, lowest := math.NaN(), math.Inf(1)
		city, pair := m.TermOf("city"), -1
		for j := 0; j < m.NumTerms(); j++ {
			if m.TermKind(j) == score.PairTerm {
				pair = j
			}
		}
		require.GreaterOrEqual(t, pair, 0, "one pair term")
		for _, b := range m.Term(city).Bins {
			switch b.Kind {
			case score.OtherBin:
				other = b.Effect
			case score.CategoryBin:
				lowest = min(lowest, b.Effect)
			}
		}
		want := map[fit.UnseenPolicy]float64{fit.UnseenNeutral: 0, fit.UnseenRiskiest: lowest}[u]
		require.Equal(t, want, other, "%s", u)
		terms := make([]float64, m.NumTerms())
		r, err := m.ScoreTerms(rec(m, "zz", 0.3), terms)
		require.NoError(t, err, "%s", u)
		require.Equal(t, want, terms[city], "%s", u)
		require.Equal(t, 0.0, terms[pair], "%s: an unseen city adds nothing in the pair", u)
		sum := m.Spec().Intercept
		for _, e := range terms {
			sum += e
		}
		require.InDelta(t, sum, r.Score, 1e-9)
		// a known city scores as it does without the policy's bin
		r1, err := m.Score(rec(m, "c", 0.3))
		require.NoError(t, err)
		r0, err := plain.Score(rec(plain, "c", 0.3))
		require.NoError(t, err)
		require.InDelta(t, r0.Score, r1.Score, 1e-9)
	}
}

// TestScorecardUnseenWithNumericInputs: ScorecardOptions.Binning.Unseen
// (candor fit --model scorecard --unseen neutral) applies to the
// categorical inputs; a numeric one has no labels to be unseen. Before, it
// reached every feature, and any file with a numeric input failed with
// "unseen-label policy on a numeric feature" (trial9's hotel file).
func TestScorecardUnseenWithNumericInputs(t *testing.T) {
	tab := cityTable(t, 2000)
	s, err := tab.InferSchema().WithRoles(score.Ignored, "y")
	require.NoError(t, err)
	f, err := fit.Scorecard(context.Background(), tab, s, "y", "yes", &fit.ScorecardOptions{Binning: fit.BinningOptions{Unseen: fit.UnseenNeutral}})
	require.NoError(t, err)
	m := f.Model
	other := -1
	for k, b := range m.Term(m.TermOf("city")).Bins {
		if b.Kind == score.OtherBin {
			other = k
		}
	}
	require.GreaterOrEqual(t, other, 0)
	require.Equal(t, 0.0, m.Term(m.TermOf("city")).Bins[other].WoE) // neutral: weight of evidence 0
	r := make(score.Record, m.Schema().Len())
	for i := range r {
		r[i] = score.Missing()
	}
	r[m.Schema().Index("city")], r[m.Schema().Index("x")] = score.Cat("zz"), score.Num(0.3)
	_, err = m.Score(r)
	require.NoError(t, err)
}

// TestLogisticUnseenCategory: LogisticOptions.Unseen gives each
// categorical term an effect for a category unseen in training: neutral,
// the term's training average (its Baseline), so an unseen city moves the
// score by nothing against the population; riskiest, the largest level
// effect (log-odds of the event). The default stays an error.
func TestLogisticUnseenCategory(t *testing.T) {
	tab := cityTable(t, 2000)
	s, err := tab.InferSchema().WithRoles(score.Ignored, "y")
	require.NoError(t, err)
	rec := func(m *score.Model) score.Record {
		r := make(score.Record, m.Schema().Len())
		for i := range r {
			r[i] = score.Missing()
		}
		r[m.Schema().Index("city")], r[m.Schema().Index("x")] = score.Cat("zz"), score.Num(0.3)
		return r
	}
	plain, err := fit.Logistic(context.Background(), tab, s, "y", "yes", nil)
	require.NoError(t, err)
	_, err = plain.Model.Score(rec(plain.Model))
	require.ErrorIs(t, err, score.ErrUnknownCategory)
	for _, u := range []fit.UnseenPolicy{fit.UnseenNeutral, fit.UnseenRiskiest} {
		f, err := fit.Logistic(context.Background(), tab, s, "y", "yes", &fit.LogisticOptions{Unseen: u})
		require.NoError(t, err)
		require.Equal(t, plain.Coefficients, f.Coefficients, "the fit itself is unchanged")
		m := f.Model
		term := m.Term(m.TermOf("city"))
		require.NotNil(t, term.OtherEffect)
		want := term.Baseline
		if u == fit.UnseenRiskiest {
			want = math.Inf(-1)
			for _, l := range term.Levels {
				want = max(want, l.Effect)
			}
		}
		require.Equal(t, want, *term.OtherEffect, "%s", u)
		terms := make([]float64, m.NumTerms())
		_, err = m.ScoreTerms(rec(m), terms)
		require.NoError(t, err)
		require.Equal(t, want, terms[m.TermOf("city")])
	}
	_, err = fit.Logistic(context.Background(), tab, s, "y", "yes", &fit.LogisticOptions{Unseen: "sometimes"})
	require.ErrorIs(t, err, score.ErrData)
}

// Under MissingIndicator the neutral effect is the folded term's
// baseline, which counts the blank rows at their fitted effect.
func TestLogisticUnseenWithBlanks(t *testing.T) {
	var ref map[string]any
	tab, s := missingFixture(t, &ref)
	f, err := fit.Logistic(context.Background(), tab, s, "default", "yes", &fit.LogisticOptions{Missing: fit.MissingIndicator, Unseen: fit.UnseenNeutral})
	require.NoError(t, err)
	term := f.Model.Term(f.Model.TermOf("housing"))
	require.NotNil(t, term.OtherEffect)
	require.NotNil(t, term.MissingEffect)
	// the baseline by hand: levels' effects and the blanks', weighted by their rows
	var sum, n float64
	for _, l := range term.Levels {
		sum += l.Effect * l.Count
		n += l.Count
	}
	blanks := ref["blank_rows"].(map[string]any)["housing"].(float64)
	sum += *term.MissingEffect * blanks
	n += blanks
	require.InDelta(t, sum/n, term.Baseline, 1e-12)
	require.Equal(t, term.Baseline, *term.OtherEffect)
	// a policy that is none of the three is refused here too, not taken for neutral
	_, err = fit.Logistic(context.Background(), tab, s, "default", "yes", &fit.LogisticOptions{Missing: fit.MissingIndicator, Unseen: "sometimes"})
	require.ErrorIs(t, err, score.ErrData)
}
