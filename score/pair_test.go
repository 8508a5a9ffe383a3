package score_test

import (
	"bytes"
	"errors"
	"math"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/score"
)

func fp(x float64) *float64 { return &x }

// pairSpec is a hand-made logistic model with two main effects and the
// pair of income (rows: below 50, 50 and above, missing) and region
// (columns: north, south):
//
//	score = -1 + income term + region term + table[row][col]
func pairSpec() score.Spec {
	return score.Spec{
		Name: "pair", Kind: score.LogisticModel,
		Features:  []score.Feature{{Name: "income", Kind: score.Numeric}, {Name: "region", Kind: score.Categorical}},
		Intercept: -1,
		Terms: []score.Term{
			{Feature: "income", Kind: score.BinnedTerm, Bins: []score.Bin{
				{Kind: score.RangeBin, Upper: fp(50), Effect: 0.5},
				{Kind: score.RangeBin, Lower: fp(50), Effect: -0.25},
				{Kind: score.MissingBin, Effect: 0.125},
			}},
			{Feature: "region", Kind: score.BinnedTerm, Bins: []score.Bin{
				{Kind: score.CategoryBin, Categories: []string{"north"}, Effect: 0.0625},
				{Kind: score.CategoryBin, Categories: []string{"south"}, Effect: -0.0625},
			}},
			{Feature: "income", Kind: score.PairTerm,
				Bins: []score.Bin{{Kind: score.RangeBin, Upper: fp(50)}, {Kind: score.RangeBin, Lower: fp(50)}, {Kind: score.MissingBin}},
				Pair: &score.Pair{Feature: "region",
					Bins:    []score.Bin{{Kind: score.CategoryBin, Categories: []string{"north"}}, {Kind: score.CategoryBin, Categories: []string{"south"}}},
					Effects: []float64{0.3, -0.3, -0.2, 0.2, 0, 0},
					Counts:  []float64{10, 10, 10, 10, 1, 1},
				}},
		},
	}
}

func TestPairTermScoresByHand(t *testing.T) {
	m, err := score.NewModel(pairSpec())
	require.NoError(t, err)
	require.True(t, m.HasPairs())
	require.Equal(t, 3, m.NumTerms())
	require.Equal(t, 0, m.TermFeature(2))
	require.Equal(t, 1, m.PairFeature(2))
	require.Equal(t, -1, m.PairFeature(0))
	require.Equal(t, 0, m.TermOf("income"), "TermOf names the main effect, not the pair")
	cases := []struct {
		name string
		rec  score.Record
		want float64 // by hand from pairSpec's table
		cell int
	}{
		{"low north", score.Record{score.Num(20), score.Cat("north")}, -1 + 0.5 + 0.0625 + 0.3, 0},
		{"low south", score.Record{score.Num(20), score.Cat("south")}, -1 + 0.5 - 0.0625 - 0.3, 1},
		{"high north", score.Record{score.Num(50), score.Cat("north")}, -1 - 0.25 + 0.0625 - 0.2, 2},
		{"high south", score.Record{score.Num(80), score.Cat("south")}, -1 - 0.25 - 0.0625 + 0.2, 3},
		{"missing south", score.Record{score.Missing(), score.Cat("south")}, -1 + 0.125 - 0.0625 + 0, 5},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			terms := make([]float64, 3)
			res, err := m.ScoreTerms(c.rec, terms)
			require.NoError(t, err)
			require.InDelta(t, c.want, res.Score, 1e-15)
			require.InDelta(t, res.Score, -1+terms[0]+terms[1]+terms[2], 1e-15)
			e, pos, err := m.EffectOf(2, c.rec)
			require.NoError(t, err)
			require.Equal(t, c.cell, pos)
			require.Equal(t, terms[2], e)
			e2, pos2, err := m.PairEffect(2, c.rec[0], c.rec[1])
			require.NoError(t, err)
			require.Equal(t, e, e2)
			require.Equal(t, pos, pos2)
			// The encoded path gives the same terms, bit for bit.
			var enc score.Encoded
			require.NoError(t, m.Encode(c.rec, &enc))
			eterms := make([]float64, 3)
			eres, err := m.ScoreEncoded(&enc, eterms)
			require.NoError(t, err)
			require.Equal(t, res, eres)
			require.Equal(t, terms, eterms)
			require.Equal(t, c.cell, enc.Position(2))
		})
	}
	_, _, err = m.Effect(2, score.Num(20))
	require.ErrorIs(t, err, score.ErrPairTerm, "one value cannot say a pair's effect")
	require.ErrorIs(t, m.RefusePairs("SQL generation"), score.ErrPairTerm)
	require.ErrorContains(t, m.RefusePairs("SQL generation"), "SQL generation handles terms of one feature, and term 2 is the pair of income and region")
	pt := m.Term(2)
	lo, hi, ok := pt.EffectRange()
	require.True(t, ok)
	require.Equal(t, [2]float64{-0.3, 0.3}, [2]float64{lo, hi})
}

func TestPairTermBadValueNamesTheFeature(t *testing.T) {
	spec := pairSpec()
	// Region's own term gets an other bin, the pair does not: an unseen
	// region is the pair's error, named once.
	spec.Terms[1].Bins = append(spec.Terms[1].Bins, score.Bin{Kind: score.OtherBin})
	m, err := score.NewModel(spec)
	require.NoError(t, err)
	_, err = m.Score(score.Record{score.Num(20), score.Cat("east")})
	var re *score.RecordError
	require.ErrorAs(t, err, &re)
	require.Len(t, re.Fields, 1)
	require.Equal(t, "region", re.Fields[0].Feature)
	require.ErrorIs(t, err, score.ErrUnknownCategory)
	var enc score.Encoded
	require.ErrorIs(t, m.Encode(score.Record{score.Num(20), score.Cat("east")}, &enc), score.ErrUnknownCategory)
	_, _, err = m.EffectOf(2, score.Record{score.Num(20), score.Cat("east")})
	require.ErrorIs(t, err, score.ErrUnknownCategory)
	// A wrong kind on both: each feature named once.
	_, err = m.Score(score.Record{score.Cat("x"), score.Num(3)})
	require.ErrorAs(t, err, &re)
	require.Len(t, re.Fields, 2)
}

func TestPairTermValidation(t *testing.T) {
	cases := []struct {
		name string
		edit func(s *score.Spec)
		want error
	}{
		{"short table", func(s *score.Spec) { s.Terms[2].Pair.Effects = s.Terms[2].Pair.Effects[:5] }, score.ErrModel},
		{"NaN cell", func(s *score.Spec) { s.Terms[2].Pair.Effects[3] = math.NaN() }, score.ErrModel},
		{"negative count", func(s *score.Spec) { s.Terms[2].Pair.Counts[0] = -1 }, score.ErrModel},
		{"counts of another size", func(s *score.Spec) { s.Terms[2].Pair.Counts = []float64{1} }, score.ErrModel},
		{"bin with an effect", func(s *score.Spec) { s.Terms[2].Bins[0].Effect = 1 }, score.ErrModel},
		{"bins with a gap", func(s *score.Spec) { s.Terms[2].Bins[1].Lower = fp(60) }, score.ErrModel},
		{"no pair", func(s *score.Spec) { s.Terms[2].Pair = nil }, score.ErrModel},
		{"unknown second feature", func(s *score.Spec) { s.Terms[2].Pair.Feature = "regio" }, score.ErrUnknownFeature},
		{"self pair", func(s *score.Spec) { s.Terms[2].Pair.Feature = "income" }, score.ErrModel},
		{"duplicate pair", func(s *score.Spec) {
			p := s.Terms[2]
			p.Feature, p.Bins, p.Pair = "region", p.Pair.Bins, &score.Pair{Feature: "income", Bins: p.Bins, Effects: make([]float64, 6)}
			s.Terms = append(s.Terms, p)
		}, score.ErrModel},
		{"protected second feature", func(s *score.Spec) { s.Features[1].Role = score.Protected }, score.ErrProtectedInput},
		{"coefficient", func(s *score.Spec) { s.Terms[2].Coef = 1 }, score.ErrModel},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			spec := pairSpec()
			c.edit(&spec)
			_, err := score.NewModel(spec)
			require.ErrorIs(t, err, c.want)
			var fe *score.FieldError
			require.True(t, errors.As(err, &fe), "names the feature: %v", err)
		})
	}
}

func TestPairTermFileRoundTripAndFingerprint(t *testing.T) {
	m, err := score.NewModel(pairSpec())
	require.NoError(t, err)
	var buf bytes.Buffer
	require.NoError(t, m.Save(&buf))
	back, err := score.Load(&buf)
	require.NoError(t, err)
	require.Equal(t, m.Fingerprint(), back.Fingerprint())
	require.Equal(t, m.Spec(), back.Spec())
	// Editing one cell changes the fingerprint and the score by the edit.
	spec := m.Spec()
	spec.Terms[2].Pair.Effects[0] += 0.5
	ed, err := score.NewModel(spec)
	require.NoError(t, err)
	require.NotEqual(t, m.Fingerprint(), ed.Fingerprint())
	rec := score.Record{score.Num(20), score.Cat("north")}
	a, _ := m.Score(rec)
	b, _ := ed.Score(rec)
	require.InDelta(t, 0.5, b.Score-a.Score, 1e-15)
	// Term hands out a copy: editing it leaves the model alone.
	tm := m.Term(2)
	tm.Pair.Effects[0] = 99
	tm.Pair.Bins[0].Categories[0] = "x"
	require.Equal(t, 0.3, m.Term(2).Pair.Effects[0])
	require.Equal(t, "north", m.Term(2).Pair.Bins[0].Categories[0])
}

// TestPairTermConsent: a pair term is neutralised when either of its
// features lacks consent: region needs consent for "credit", the customer
// gave none, so region's term and the pair take their baselines and region
// is named once.
func TestPairTermConsent(t *testing.T) {
	spec := pairSpec()
	spec.Features[1].DataCategory, spec.Features[1].Consent = "location", []string{"credit"}
	spec.Terms[1].Baseline, spec.Terms[2].Baseline = 0.01, 0.02
	m, err := score.NewModel(spec)
	require.NoError(t, err)
	terms := make([]float64, 3)
	cr, err := m.ScoreWithConsent(score.Record{score.Num(20), score.Missing()}, nil, "credit", terms)
	require.NoError(t, err)
	require.Equal(t, []string{"region"}, cr.Neutralised)
	require.Equal(t, []float64{0.5, 0.01, 0.02}, terms)
	require.InDelta(t, -1+0.5+0.01+0.02, cr.Result.Score, 1e-15)
	err = m.CheckConsent(nil, "credit")
	var re *score.RecordError
	require.ErrorAs(t, err, &re)
	require.Len(t, re.Fields, 1, "region named once, for its own term and the pair")
}

// FuzzPairScore: a model with a pair term scores any values without
// panicking, the terms add up to the score, and the encoded path agrees.
func FuzzPairScore(f *testing.F) {
	m, err := score.NewModel(pairSpec())
	if err != nil {
		f.Fatal(err)
	}
	f.Add(20.0, "north", true)
	f.Add(math.NaN(), "east", false)
	f.Add(math.Inf(1), "", true)
	f.Fuzz(func(t *testing.T, x float64, label string, present bool) {
		rec := score.Record{score.Num(x), score.Cat(label)}
		if !present {
			rec[0] = score.Missing()
		}
		terms := make([]float64, m.NumTerms())
		res, err := m.ScoreTerms(rec, terms)
		var enc score.Encoded
		eerr := m.Encode(rec, &enc)
		if (err == nil) != (eerr == nil) {
			t.Fatalf("score error %v, encode error %v", err, eerr)
		}
		if err != nil {
			return
		}
		sum := m.Intercept()
		for _, e := range terms {
			sum += e
		}
		if math.Abs(sum-res.Score) > 1e-12 {
			t.Fatalf("terms add to %v, score %v", sum, res.Score)
		}
		eres, err := m.ScoreEncoded(&enc, nil)
		if err != nil || eres != res {
			t.Fatalf("encoded %v %v, want %v", eres, err, res)
		}
	})
}
