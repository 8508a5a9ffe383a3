package explain_test

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/explain"
	"github.com/candorscore/candor/score"
)

func fp(x float64) *float64 { return &x }

// upTo returns the bound that makes a [Lower, Upper) range include x
// itself, so that PMML's "lessOrEqual x" is reproduced exactly.
func upTo(x float64) *float64 { return fp(math.Nextafter(x, math.Inf(1))) }

// dmgScorecard is the sample scorecard of the PMML Scorecard specification
// (DMG, http://dmg.org/pmml/v4-4/Scorecard.html, "Sample scorecard",
// identical since PMML 4.1): characteristics departmentScore (RC1, baseline
// 19), ageScore (RC2, baseline 18) and incomeScore (RC3, baseline 10),
// initialScore 0, reasonCodeAlgorithm pointsBelow, baselineMethod other.
// With attributeCodes the age attributes carry their own codes RC2_1..RC2_5
// and the characteristic none, as in the specification's variant.
func dmgScorecard(t testing.TB, attributeCodes bool) *score.Model {
	t.Helper()
	age := score.Term{Feature: "age", Kind: score.BinnedTerm, ReasonCode: "RC2", ReasonBaseline: fp(18), Bins: []score.Bin{
		{Kind: score.MissingBin, Effect: -1},
		{Kind: score.RangeBin, Upper: upTo(18), Effect: -3, Label: "<= 18"},
		{Kind: score.RangeBin, Lower: upTo(18), Upper: upTo(29), Effect: 0, Label: "(18, 29]"},
		{Kind: score.RangeBin, Lower: upTo(29), Upper: upTo(39), Effect: 12, Label: "(29, 39]"},
		{Kind: score.RangeBin, Lower: upTo(39), Effect: 18, Label: "> 39"},
	}}
	if attributeCodes {
		age.ReasonCode = ""
		for k := range age.Bins {
			age.Bins[k].ReasonCode = []string{"RC2_1", "RC2_2", "RC2_3", "RC2_4", "RC2_5"}[k]
		}
	}
	spec := score.Spec{
		Name: "SampleScorecard", Kind: score.ScorecardModel,
		Features: []score.Feature{
			{Name: "department", Kind: score.Categorical},
			{Name: "age", Kind: score.Numeric},
			{Name: "income", Kind: score.Numeric},
		},
		Intercept: 0,
		Scaling:   &score.Scaling{Offset: 600, Factor: 50 / math.Ln2, BasePoints: 600, BaseOdds: 1, PDO: 50},
		Reasons:   &score.ReasonSpec{Algorithm: "pointsBelow"},
		Terms: []score.Term{
			{Feature: "department", Kind: score.BinnedTerm, ReasonCode: "RC1", ReasonBaseline: fp(19), Bins: []score.Bin{
				{Kind: score.MissingBin, Effect: -9},
				{Kind: score.CategoryBin, Categories: []string{"marketing"}, Effect: 19},
				{Kind: score.CategoryBin, Categories: []string{"engineering"}, Effect: 3},
				{Kind: score.CategoryBin, Categories: []string{"business"}, Effect: 6},
			}},
			age,
			{Feature: "income", Kind: score.BinnedTerm, ReasonCode: "RC3", ReasonBaseline: fp(10), Bins: []score.Bin{
				{Kind: score.MissingBin, Effect: 5},
				{Kind: score.RangeBin, Upper: upTo(1000), Effect: 26, Label: "<= 1000"},
				{Kind: score.RangeBin, Lower: upTo(1000), Upper: upTo(2500), Effect: 5, Label: "(1000, 2500]"},
				{Kind: score.RangeBin, Lower: upTo(2500), Effect: -3, Label: "> 2500"},
			}},
		},
	}
	m, err := score.NewModel(spec)
	require.NoError(t, err)
	return m
}

func codes(rs []explain.Reason) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.Code
	}
	return out
}

// TestDMGSampleScorecard checks the specification's worked example: for
// department "engineering", age 25 and income 500 the final score is 29
// and the reason codes are RC2 then RC1, with no third code (RC3's gap is
// negative); with attribute-level codes, RC2_3 then RC1. The same inputs
// and expected outputs are used by the JPMML-Evaluator test suite
// (CharacteristicReasonCodeTest and AttributeReasonCodeTest in
// github.com/jpmml/jpmml-evaluator). The other cases are hand computations
// from the same tables (gap = baseline - partial score).
func TestDMGSampleScorecard(t *testing.T) {
	cases := []struct {
		name      string
		attrCodes bool
		rec       score.Record
		opts      explain.Options
		score     float64
		codes     []string
		gaps      []float64
	}{
		{"spec example, characteristic codes", false, score.Record{score.Cat("engineering"), score.Num(25), score.Num(500)}, explain.Options{MaxReasons: 3},
			29, []string{"RC2", "RC1"}, []float64{18, 16}},
		{"spec example, attribute codes", true, score.Record{score.Cat("engineering"), score.Num(25), score.Num(500)}, explain.Options{MaxReasons: 3},
			29, []string{"RC2_3", "RC1"}, []float64{18, 16}},
		{"spec example, padded to three like fixed output fields", false, score.Record{score.Cat("engineering"), score.Num(25), score.Num(500)}, explain.Options{MaxReasons: 3, Pad: true},
			29, []string{"RC2", "RC1", ""}, []float64{18, 16, 0}},
		// -9 + 18 - 3 = 6; gaps RC1 19+9=28, RC2 18-18=0, RC3 10+3=13.
		{"missing department, zero gap dropped", false, score.Record{score.Missing(), score.Num(45), score.Num(3000)}, explain.Options{},
			6, []string{"RC1", "RC3"}, []float64{28, 13}},
		{"missing department, zero gap kept", false, score.Record{score.Missing(), score.Num(45), score.Num(3000)}, explain.Options{KeepZero: true},
			6, []string{"RC1", "RC3", "RC2"}, []float64{28, 13, 0}},
		// Boundaries: age 18 is "<= 18" (-3), income 1000 is "<= 1000" (26); 19-3+26 = 42.
		{"bin edges follow lessOrEqual", false, score.Record{score.Cat("marketing"), score.Num(18), score.Num(1000)}, explain.Options{KeepZero: true},
			42, []string{"RC2", "RC1"}, []float64{21, 0}},
		{"one reason asked", false, score.Record{score.Cat("engineering"), score.Num(25), score.Num(500)}, explain.Options{MaxReasons: 1},
			29, []string{"RC2"}, []float64{18}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := dmgScorecard(t, c.attrCodes)
			e, err := explain.NewExplainer(m, &c.opts)
			require.NoError(t, err)
			require.Equal(t, explain.PointsBelow, e.Algorithm())
			var ex explain.Explanation
			require.NoError(t, e.Explain(c.rec, &ex))
			require.InDelta(t, c.score, ex.Result.Score, 1e-12)
			require.Equal(t, c.codes, codes(ex.Reasons))
			for i, g := range c.gaps {
				require.InDelta(t, g, ex.Reasons[i].Gap, 1e-12, "reason %d", i)
				if ex.Reasons[i].Code != "" {
					require.InDelta(t, -g, ex.Reasons[i].Effect, 1e-12, "points lost")
				}
			}
			// declared baselines: 19 + 18 + 10
			require.InDelta(t, 47, ex.Baseline, 1e-12)
		})
	}
}

// TestSharedCodeSummed: two characteristics sharing a code have their gaps
// summed (PMML), and the lead feature is the one with the larger gap.
func TestSharedCodeSummed(t *testing.T) {
	spec := dmgScorecard(t, false).Spec()
	spec.Terms[2].ReasonCode = "RC1" // income shares department's code
	m, err := score.NewModel(spec)
	require.NoError(t, err)
	e, err := explain.NewExplainer(m, nil)
	require.NoError(t, err)
	var ex explain.Explanation
	// engineering: gap 16; age 25: gap 18; income 1500: gap 10-5 = 5 -> RC1 = 21.
	require.NoError(t, e.Explain(score.Record{score.Cat("engineering"), score.Num(25), score.Num(1500)}, &ex))
	require.Equal(t, []string{"RC1", "RC2"}, codes(ex.Reasons))
	require.InDelta(t, 21, ex.Reasons[0].Gap, 1e-12)
	require.Equal(t, "department", ex.Reasons[0].Feature)
	require.Equal(t, "engineering", ex.Reasons[0].Bin)
}

// TestTiesInDocumentOrder: equal totals keep the order of the terms.
func TestTiesInDocumentOrder(t *testing.T) {
	spec := score.Spec{Name: "tie", Kind: score.LogisticModel,
		Features: []score.Feature{{Name: "b", Kind: score.Categorical}, {Name: "a", Kind: score.Categorical}},
		Terms: []score.Term{
			{Feature: "b", Kind: score.CategoricalTerm, Reference: "x", Levels: []score.Level{{Label: "x"}, {Label: "y", Effect: 0.5}}},
			{Feature: "a", Kind: score.CategoricalTerm, Reference: "x", Levels: []score.Level{{Label: "x"}, {Label: "y", Effect: 0.5}}},
		}}
	m, err := score.NewModel(spec)
	require.NoError(t, err)
	e, err := explain.NewExplainer(m, nil)
	require.NoError(t, err)
	var ex explain.Explanation
	require.NoError(t, e.Explain(score.Record{score.Cat("y"), score.Cat("y")}, &ex))
	require.Equal(t, []string{"b", "a"}, codes(ex.Reasons), "PMML: ties in document order, not by name")
	byName, err := explain.NewExplainer(m, &explain.Options{TiesByName: true})
	require.NoError(t, err)
	require.NoError(t, byName.Explain(score.Record{score.Cat("y"), score.Cat("y")}, &ex))
	require.Equal(t, []string{"a", "b"}, codes(ex.Reasons), "TiesByName")
	one, err := explain.NewExplainer(m, &explain.Options{TiesByName: true, MaxReasons: 1})
	require.NoError(t, err)
	require.NoError(t, one.Explain(score.Record{score.Cat("y"), score.Cat("y")}, &ex))
	require.Equal(t, []string{"a"}, codes(ex.Reasons), "a later code can displace an earlier one on a tie")
	// The breakdown order, by contrast, breaks ties by feature name.
	require.Equal(t, []int{1, 0}, e.Order(nil, &ex))
}

func TestBaselines(t *testing.T) {
	m := dmgScorecard(t, false)
	best, err := explain.BestBaseline(m)
	require.NoError(t, err)
	require.Equal(t, []float64{19, 18, 26}, best.Terms, "max partial score per characteristic")
	require.InDelta(t, 63, best.Score, 0)

	decl, err := explain.DeclaredBaseline(m)
	require.NoError(t, err)
	require.Equal(t, []float64{19, 18, 10}, decl.Terms)

	recs := []score.Record{
		{score.Cat("marketing"), score.Num(45), score.Num(500)},    // 19 18 26
		{score.Cat("business"), score.Num(35), score.Num(2000)},    // 6 12 5
		{score.Cat("engineering"), score.Num(20), score.Num(9000)}, // 3 0 -3
	}
	ref, err := explain.ReferenceBaseline(m, recs)
	require.NoError(t, err)
	require.InDeltaSlice(t, []float64{28.0 / 3, 30.0 / 3, 28.0 / 3}, ref.Terms, 1e-12)

	_, err = explain.ReferenceBaseline(m, nil)
	require.ErrorIs(t, err, explain.ErrBaseline)
	_, err = explain.ReferenceBaseline(m, []score.Record{{score.Cat("sales"), score.Num(1), score.Num(1)}})
	require.ErrorIs(t, err, score.ErrUnknownCategory)

	// Points below maximum: every contribution <= 0, and reasons rank by
	// the points lost. engineering 3 (-16), age 25 0 (-18), income 500 26 (0).
	e, err := explain.NewExplainer(m, &explain.Options{Baseline: &best})
	require.NoError(t, err)
	var ex explain.Explanation
	require.NoError(t, e.Explain(recs[2], &ex))
	require.Equal(t, []float64{-16, -18, -29}, ex.Contributions)
	require.Equal(t, []string{"RC3", "RC2", "RC1"}, codes(ex.Reasons))

	// Declared baseline missing: a model without reason baselines.
	spec := m.Spec()
	spec.Reasons = nil
	spec.Terms[1].ReasonBaseline = nil
	m2, err := score.NewModel(spec)
	require.NoError(t, err)
	_, err = explain.DeclaredBaseline(m2)
	require.ErrorIs(t, err, explain.ErrBaseline)
}

func TestBinLabelsAndAccessors(t *testing.T) {
	for _, c := range []struct {
		b    score.Bin
		want string
	}{
		{score.Bin{Kind: score.RangeBin, Upper: fp(25)}, "< 25"},
		{score.Bin{Kind: score.RangeBin, Lower: fp(25), Upper: fp(40.5)}, "[25, 40.5)"},
		{score.Bin{Kind: score.RangeBin, Lower: fp(40.5)}, ">= 40.5"},
		{score.Bin{Kind: score.RangeBin}, "any"},
		{score.Bin{Kind: score.SpecialBin, Special: fp(-9)}, "= -9"},
		{score.Bin{Kind: score.MissingBin}, "missing"},
		{score.Bin{Kind: score.OtherBin}, "other"},
		{score.Bin{Kind: score.CategoryBin, Categories: []string{"a", "b"}}, "a, b"},
		{score.Bin{Kind: score.CategoryBin, Categories: []string{"a"}, Label: "mine"}, "mine"},
	} {
		require.Equal(t, c.want, explain.BinLabel(c.b))
	}
	m := dmgScorecard(t, true)
	e, err := explain.NewExplainer(m, nil)
	require.NoError(t, err)
	require.Same(t, m, e.Model())
	require.Equal(t, []string{"RC1", "RC2_1", "RC2_2", "RC2_3", "RC2_4", "RC2_5", "RC3"}, e.Codes())
	b := e.Baseline()
	require.Equal(t, explain.Declared, b.Kind)
	b.Terms[0] = 1000 // a copy: the explainer is unchanged
	require.InDelta(t, 19, e.Baseline().Terms[0], 0)
	require.Equal(t, "", e.Label(1, -1))
	require.Equal(t, "(18, 29]", e.Label(1, 2))
	require.Equal(t, "points", explain.Units(m))
}
