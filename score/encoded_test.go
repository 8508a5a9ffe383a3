package score_test

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/score"
)

// sameResult fails unless a and b are bit-identical.
func sameResult(t *testing.T, a, b score.Result, what string) {
	t.Helper()
	if math.Float64bits(a.Score) != math.Float64bits(b.Score) ||
		math.Float64bits(float64(a.LogOdds)) != math.Float64bits(float64(b.LogOdds)) ||
		math.Float64bits(float64(a.Probability)) != math.Float64bits(float64(b.Probability)) {
		t.Fatalf("%s: results differ: %+v vs %+v", what, a, b)
	}
}

func sameTerms(t *testing.T, a, b []float64, what string) {
	t.Helper()
	for j := range a {
		if math.Float64bits(a[j]) != math.Float64bits(b[j]) {
			t.Fatalf("%s: term %d differs: %v vs %v", what, j, a[j], b[j])
		}
	}
}

var sentinels = []error{score.ErrUnknownFeature, score.ErrNotFinite, score.ErrUnknownCategory, score.ErrMissing,
	score.ErrWrongKind, score.ErrSchema, score.ErrModel}

// sameError fails unless a and b are both nil or both errors with the same
// text and the same sentinels under errors.Is.
func sameError(t *testing.T, a, b error, what string) {
	t.Helper()
	if (a == nil) != (b == nil) {
		t.Fatalf("%s: errors differ: %v vs %v", what, a, b)
	}
	if a == nil {
		return
	}
	for _, s := range sentinels {
		if errors.Is(a, s) != errors.Is(b, s) {
			t.Fatalf("%s: errors.Is(%v) differs: %v vs %v", what, s, a, b)
		}
	}
	if a.Error() != b.Error() {
		t.Fatalf("%s: error text differs: %q vs %q", what, a, b)
	}
}

// scoreBoth scores rec through the record and through its encoding, and
// fails unless results, terms and errors agree exactly.
func scoreBoth(t *testing.T, m *score.Model, rec score.Record, enc *score.Encoded, what string) (score.Result, error) {
	t.Helper()
	want := make([]float64, m.NumTerms())
	got := make([]float64, m.NumTerms())
	r1, err1 := m.ScoreTerms(rec, want)
	encErr := m.Encode(rec, enc)
	r2, err2 := m.ScoreEncoded(enc, got)
	sameError(t, err1, encErr, what+" (Encode)")
	sameError(t, err1, err2, what+" (ScoreEncoded)")
	if err1 == nil {
		sameResult(t, r1, r2, what)
		sameTerms(t, want, got, what)
		for j := range m.NumTerms() {
			v := rec[m.TermFeature(j)]
			require.Equal(t, v, enc.Value(j), "%s: value of term %d", what, j)
			_, pos, err := m.Effect(j, v)
			require.NoError(t, err)
			require.Equal(t, pos, enc.Position(j), "%s: position of term %d", what, j)
		}
	}
	return r1, err1
}

// TestEncodedGermanAllRows: the 1000 German credit applicants score the
// same, bit for bit, from their records and from their encodings.
func TestEncodedGermanAllRows(t *testing.T) {
	tab, fitted := germanFit(t)
	m := fitted.Model
	require.Equal(t, 20, m.NumTerms())
	var enc score.Encoded
	for i := range tab.Len() {
		rec, err := tab.Record(m.Schema(), i)
		require.NoError(t, err)
		_, err = scoreBoth(t, m, rec, &enc, fmt.Sprintf("row %d", i+1))
		require.NoError(t, err)
	}
}

func TestEncodedErrors(t *testing.T) {
	m, err := score.NewModel(tinySpec())
	require.NoError(t, err)
	var enc score.Encoded
	var ee *score.EncodingError

	_, err = m.ScoreEncoded(&enc, nil)
	require.ErrorIs(t, err, score.ErrModel, "the zero Encoded")
	require.ErrorAs(t, err, &ee)

	// A bad record: Encode and ScoreEncoded both return its errors.
	bad := score.Record{score.Num(math.NaN()), score.Cat("castle"), score.Missing(), score.Missing()}
	_, err = scoreBoth(t, m, bad, &enc, "bad record")
	require.ErrorIs(t, err, score.ErrNotFinite)
	require.ErrorIs(t, err, score.ErrUnknownCategory)
	_, err = scoreBoth(t, m, bad[:2], &enc, "short record")
	require.ErrorIs(t, err, score.ErrSchema)

	// Another model's encoding is refused; one with the same fingerprint
	// (the same model loaded twice) is accepted.
	rec := score.Record{score.Num(2), score.Cat("rent"), score.Missing(), score.Missing()}
	require.NoError(t, m.Encode(rec, &enc))
	other := tinySpec()
	other.Intercept = 3
	m2, err := score.NewModel(other)
	require.NoError(t, err)
	_, err = m2.ScoreEncoded(&enc, nil)
	require.ErrorIs(t, err, score.ErrModel)
	require.ErrorAs(t, err, &ee)
	require.Equal(t, m.Fingerprint(), ee.Encoder)
	require.Equal(t, m2.Fingerprint(), ee.Model)
	twin, err := score.NewModel(tinySpec())
	require.NoError(t, err)
	r1, err := m.ScoreEncoded(&enc, nil)
	require.NoError(t, err)
	r2, err := twin.ScoreEncoded(&enc, nil)
	require.NoError(t, err)
	require.Equal(t, r1, r2)

	_, err = m.ScoreEncoded(&enc, make([]float64, 1))
	require.ErrorIs(t, err, score.ErrModel, "short terms buffer")
}

// TestZeroModel: the zero Model is unusable but never panics.
func TestZeroModel(t *testing.T) {
	var m score.Model
	var enc score.Encoded
	_, err := m.Score(score.Record{})
	require.ErrorIs(t, err, score.ErrModel)
	_, err = m.ScoreTerms(score.Record{score.Num(1)}, nil)
	require.ErrorIs(t, err, score.ErrModel)
	_, _, err = m.Effect(0, score.Num(1))
	require.ErrorIs(t, err, score.ErrModel)
	require.ErrorIs(t, m.Encode(score.Record{}, &enc), score.ErrModel)
	_, err = m.ScoreEncoded(&enc, nil)
	require.ErrorIs(t, err, score.ErrModel)
	good, err := score.NewModel(tinySpec())
	require.NoError(t, err)
	require.NoError(t, good.Encode(score.Record{score.Num(2), score.Cat("rent"), score.Missing(), score.Missing()}, &enc))
	_, err = m.ScoreEncoded(&enc, nil)
	require.ErrorIs(t, err, score.ErrModel, "a real model's encoding on the zero Model")
	_, err = m.ScoreWithConsent(score.Record{}, nil, "credit", nil)
	require.ErrorIs(t, err, score.ErrModel)
	_, err = m.ScoreWithConsent(score.Record{score.Num(1)}, nil, "credit", nil)
	require.ErrorIs(t, err, score.ErrModel)
	require.NoError(t, m.CheckConsent(nil, "credit"))
	b, err := score.Bind[customer](good.Schema())
	require.NoError(t, err)
	require.ErrorIs(t, b.Encode(&m, &enc, &customer{}), score.ErrModel)

	require.Zero(t, m.NumTerms())
	require.Zero(t, m.Schema().Len())
	require.Equal(t, -1, m.Schema().Index("x"))
	require.Equal(t, -1, m.TermOf("x"))
	require.Equal(t, "", m.Fingerprint())
	require.Equal(t, score.Probability(0.5), m.Cutoff())
	_, ok := m.Scaling()
	require.False(t, ok)
	_ = m.Spec()
	_ = m.Link(0)
	_ = m.ScoreFor(0)
}

// TestBindingEncode: encoding through a Binding is encoding the record it
// would build, also through an equal schema that is not the model's.
func TestBindingEncode(t *testing.T) {
	spec := tinySpec()
	spec.Terms[0].Fill = ptr(4)
	m, err := score.NewModel(spec)
	require.NoError(t, err)
	fields := []score.Field[customer]{
		score.OptNumField("income", func(c *customer) (float64, bool) {
			if c.Income == nil {
				return 0, false
			}
			return *c.Income, true
		}),
		score.CatField("housing", func(c *customer) string { return c.Housing }),
	}
	same, err := score.Bind(m.Schema(), fields...)
	require.NoError(t, err)
	equal, err := score.Bind(score.MustSchema(m.Schema().Features()...), fields...)
	require.NoError(t, err)
	var enc score.Encoded
	terms := make([]float64, m.NumTerms())
	for _, c := range []customer{{Housing: "own", Income: ptr(3)}, {Housing: "rent"}, {Housing: ""}, {Housing: "castle", Income: ptr(math.Inf(1))}} {
		for _, b := range []*score.Binding[customer]{same, equal} {
			rec := b.Record(nil, &c)
			want, wantErr := m.ScoreTerms(rec, terms)
			err := b.Encode(m, &enc, &c)
			sameError(t, wantErr, err, "binding encode")
			got, err := m.ScoreEncoded(&enc, terms)
			sameError(t, wantErr, err, "binding score")
			if wantErr == nil {
				sameResult(t, want, got, "binding")
			}
		}
	}
	c := customer{Housing: "rent", Income: ptr(3)}
	require.NoError(t, same.Encode(m, &enc, &c))
	allocs := testing.AllocsPerRun(100, func() {
		if err := same.Encode(m, &enc, &c); err != nil {
			panic(err)
		}
	})
	require.Zero(t, allocs)

	other, err := score.Bind[customer](score.MustSchema(score.Feature{Name: "income"}))
	require.NoError(t, err)
	require.ErrorIs(t, other.Encode(m, &enc, &c), score.ErrSchema)
}

func TestScoreEncodedZeroAllocs(t *testing.T) {
	tab, fitted := germanFit(t)
	m := fitted.Model
	rec, err := tab.Record(m.Schema(), 3)
	require.NoError(t, err)
	var enc score.Encoded
	require.NoError(t, m.Encode(rec, &enc))
	terms := make([]float64, m.NumTerms())
	allocs := testing.AllocsPerRun(100, func() {
		if _, err := m.ScoreEncoded(&enc, terms); err != nil {
			panic(err)
		}
	})
	require.Zero(t, allocs, "ScoreEncoded")
	allocs = testing.AllocsPerRun(100, func() {
		if err := m.Encode(rec, &enc); err != nil {
			panic(err)
		}
	})
	require.Zero(t, allocs, "Encode into a reused Encoded")
}

// germanBench is the fitted 20-feature German credit model and the
// encodings of its applicants.
func germanBench(b *testing.B) (*score.Model, []score.Record, []score.Encoded) {
	tab, fitted := germanFit(b)
	m := fitted.Model
	if m.NumTerms() != 20 {
		b.Fatalf("want a 20-feature model, have %d", m.NumTerms())
	}
	recs := make([]score.Record, tab.Len())
	encs := make([]score.Encoded, tab.Len())
	for i := range recs {
		var err error
		if recs[i], err = tab.Record(m.Schema(), i); err != nil {
			b.Fatal(err)
		}
		if err := m.Encode(recs[i], &encs[i]); err != nil {
			b.Fatal(err)
		}
	}
	return m, recs, encs
}

// BenchmarkScoreEncoded20Features scores the encoding of one German credit
// applicant (the second, as BenchmarkScore20Features) with the 20-feature
// logistic model; population: the 1000 applicants' encodings in turn.
func BenchmarkScoreEncoded20Features(b *testing.B) {
	m, _, encs := germanBench(b)
	terms := make([]float64, m.NumTerms())
	b.Run("one", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := m.ScoreEncoded(&encs[1], terms); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("population", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			if _, err := m.ScoreEncoded(&encs[i], terms); err != nil {
				b.Fatal(err)
			}
			if i++; i == len(encs) {
				i = 0
			}
		}
	})
}

// BenchmarkEncode20Features is the price of the encoded path for a service
// that receives strings: encode (labels matched, bins found) one German
// applicant, and encode then score.
func BenchmarkEncode20Features(b *testing.B) {
	m, recs, _ := germanBench(b)
	var enc score.Encoded
	terms := make([]float64, m.NumTerms())
	b.Run("encode", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := m.Encode(recs[1], &enc); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encode+score", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := m.Encode(recs[1], &enc); err != nil {
				b.Fatal(err)
			}
			if _, err := m.ScoreEncoded(&enc, terms); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// FuzzEncodedMatchesRecord is the differential test of the encoded path
// against the record path (STYLE rule 18): for random models (linear,
// categorical and binned terms with missing, other, special and sloped
// bins) and random records (NaN, ±Inf, boundaries, unknown labels, wrong
// kinds, missing values, plus the fuzzer's own number and label), the
// record and its encoding give bit-identical results and terms, or the
// same errors.
func FuzzEncodedMatchesRecord(f *testing.F) {
	f.Add(uint64(1), uint64(2), 0.5, "a")
	f.Add(uint64(7), uint64(9), math.NaN(), "")
	f.Add(uint64(3), uint64(3), math.Inf(-1), "zz")
	f.Add(uint64(11), uint64(5), -9.0, "a much longer label of 33 bytes!")
	f.Add(uint64(42), uint64(0), math.Copysign(0, -1), "bb")
	f.Fuzz(func(t *testing.T, modelSeed, recSeed uint64, x float64, label string) {
		rng := rand.New(rand.NewPCG(modelSeed, 17))
		spec := randomSpec(rng)
		m, err := score.NewModel(spec)
		if err != nil {
			t.Fatalf("random spec refused: %v", err)
		}
		b := recordBinding(t, m.Schema())
		rr := rand.New(rand.NewPCG(recSeed, 23))
		var enc, benc score.Encoded
		for range 8 {
			rec := randomRecord(rr, m, x, label)
			scoreBoth(t, m, rec, &enc, fmt.Sprintf("record %v", rec))
			// Through a Binding: the same as encoding the record it builds.
			brec := b.Record(nil, &rec)
			_, err := scoreBoth(t, m, brec, &enc, fmt.Sprintf("bound record %v", brec))
			sameError(t, err, b.Encode(m, &benc, &rec), "Binding.Encode")
			r1, err1 := m.ScoreEncoded(&enc, nil)
			r2, err2 := m.ScoreEncoded(&benc, nil)
			sameError(t, err1, err2, "Binding.Encode score")
			if err1 == nil {
				sameResult(t, r1, r2, "Binding.Encode")
			}
		}
	})
}

// recordBinding binds every feature of s to a getter reading a Record, as
// a caller's struct would be read: a value of the wrong kind is missing.
func recordBinding(t *testing.T, s *score.Schema) *score.Binding[score.Record] {
	var fields []score.Field[score.Record]
	for i := range s.Len() {
		f := s.Feature(i)
		if f.Kind == score.Numeric {
			fields = append(fields, score.OptNumField(f.Name, func(r *score.Record) (float64, bool) { return (*r)[i].Float(), (*r)[i].IsNum() }))
		} else {
			fields = append(fields, score.CatField(f.Name, func(r *score.Record) string { return (*r)[i].Label() }))
		}
	}
	b, err := score.Bind(s, fields...)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

var labelPool = []string{"a", "b", "bb", "own", "rent", "a much longer label of 33 bytes!", "a much longer label of 33 bytes?", "", "é"}

var numberPool = []float64{-9, -2, -1, -0.5, 0, math.Copysign(0, -1), 0.5, 1, 3, 99, 1e300, -1e300,
	math.NaN(), math.Inf(1), math.Inf(-1), math.Nextafter(1, 0), math.Nextafter(0, -1), 5}

func randomEffect(rng *rand.Rand) float64 {
	switch rng.IntN(6) {
	case 0:
		return 0
	case 1:
		return math.Copysign(0, -1)
	case 2:
		return float64(rng.IntN(21) - 10)
	}
	return rng.NormFloat64() * 3
}

// randomSpec builds a small random valid model.
func randomSpec(rng *rand.Rand) score.Spec {
	kinds := []score.ModelKind{score.LogisticModel, score.ScorecardModel, score.LinearModel}
	spec := score.Spec{Name: "fuzz", Kind: kinds[rng.IntN(3)], Intercept: randomEffect(rng)}
	if spec.Kind == score.ScorecardModel {
		sc := score.NewScaling(0, 0, 0)
		spec.Scaling = &sc
	}
	opt := func() *float64 {
		if rng.IntN(2) == 0 {
			return nil
		}
		return ptr(randomEffect(rng))
	}
	labels := func(n int) []string {
		out := make([]string, 0, n)
		for _, k := range rng.Perm(len(labelPool)) {
			out = append(out, labelPool[k])
		}
		for k := len(out); k < n; k++ {
			out = append(out, fmt.Sprintf("L%02d", k))
		}
		return out[:n]
	}
	for i := range 1 + rng.IntN(6) {
		name := fmt.Sprintf("f%d", i)
		f := score.Feature{Name: name, Kind: score.Numeric}
		t := score.Term{Feature: name}
		switch rng.IntN(6) {
		case 0: // linear
			t.Kind, t.Coef, t.Fill = score.LinearTerm, randomEffect(rng), opt()
		case 1: // categorical; sometimes more labels than the linear scan takes
			f.Kind = score.Categorical
			n := 1 + rng.IntN(5)
			if rng.IntN(6) == 0 {
				n = 30
			}
			t.Kind, t.MissingEffect, t.OtherEffect = score.CategoricalTerm, opt(), opt()
			for _, l := range labels(n) {
				t.Levels = append(t.Levels, score.Level{Label: l, Effect: randomEffect(rng), Count: float64(rng.IntN(3))})
			}
		case 2: // binned numeric: ranges (some sloped), specials, missing
			t.Kind = score.BinnedTerm
			cuts := []float64{}
			for _, c := range []float64{-2, -0.5, 0, 0.5, 1, 3} {
				if rng.IntN(3) == 0 {
					cuts = append(cuts, c)
				}
			}
			if rng.IntN(5) > 0 { // else: no range bins, only specials and missing
				for k := 0; k <= len(cuts); k++ {
					b := score.Bin{Kind: score.RangeBin, Effect: randomEffect(rng), Count: float64(rng.IntN(3))}
					if k > 0 {
						b.Lower = ptr(cuts[k-1])
					}
					if k < len(cuts) {
						b.Upper = ptr(cuts[k])
					}
					if rng.IntN(3) == 0 {
						b.Slope = randomEffect(rng)
					}
					t.Bins = append(t.Bins, b)
				}
			}
			for _, sp := range []float64{-9, 0, 1} {
				if rng.IntN(3) == 0 {
					t.Bins = append(t.Bins, score.Bin{Kind: score.SpecialBin, Special: ptr(sp), Effect: randomEffect(rng)})
				}
			}
			if rng.IntN(2) == 0 || len(t.Bins) == 0 {
				t.Bins = append(t.Bins, score.Bin{Kind: score.MissingBin, Effect: randomEffect(rng)})
			}
			rng.Shuffle(len(t.Bins), func(a, b int) { t.Bins[a], t.Bins[b] = t.Bins[b], t.Bins[a] })
		case 3: // binned categorical: category bins, other, missing
			f.Kind = score.Categorical
			t.Kind = score.BinnedTerm
			ls := labels(1 + rng.IntN(6))
			for len(ls) > 0 {
				n := 1 + rng.IntN(len(ls))
				t.Bins = append(t.Bins, score.Bin{Kind: score.CategoryBin, Categories: ls[:n], Effect: randomEffect(rng), Count: float64(rng.IntN(3))})
				ls = ls[n:]
			}
			if rng.IntN(2) == 0 {
				t.Bins = append(t.Bins, score.Bin{Kind: score.OtherBin, Effect: randomEffect(rng)})
			}
			if rng.IntN(2) == 0 {
				t.Bins = append(t.Bins, score.Bin{Kind: score.MissingBin, Effect: randomEffect(rng)})
			}
			rng.Shuffle(len(t.Bins), func(a, b int) { t.Bins[a], t.Bins[b] = t.Bins[b], t.Bins[a] })
		case 4: // not an input
			f.Role = score.Ignored
		default:
			f.Kind, f.Role = score.Categorical, score.Protected
		}
		spec.Features = append(spec.Features, f)
		if t.Kind != "" {
			spec.Terms = append(spec.Terms, t)
		}
	}
	rng.Shuffle(len(spec.Terms), func(a, b int) { spec.Terms[a], spec.Terms[b] = spec.Terms[b], spec.Terms[a] })
	return spec
}

// randomRecord draws a record for m's schema: mostly values of the right
// kind from the pools, some missing, some of the wrong kind, and the
// fuzzer's own x and label.
func randomRecord(rng *rand.Rand, m *score.Model, x float64, label string) score.Record {
	rec := make(score.Record, m.Schema().Len())
	for i := range rec {
		num := m.Schema().Feature(i).Kind == score.Numeric
		r := rng.IntN(12)
		if r == 3 {
			num = !num // the wrong kind
		}
		switch {
		case r == 0:
			rec[i] = score.Missing()
		case r == 1:
			rec[i] = score.Num(x)
		case r == 2:
			rec[i] = score.Cat(label)
		case num && rng.IntN(4) == 0:
			rec[i] = score.Num(rng.NormFloat64() * 3)
		case num:
			rec[i] = score.Num(numberPool[rng.IntN(len(numberPool))])
		case rng.IntN(8) == 0:
			rec[i] = score.Cat(fmt.Sprintf("L%02d", rng.IntN(32)))
		default:
			rec[i] = score.Cat(append(labelPool, "zz")[rng.IntN(len(labelPool)+1)])
		}
	}
	return rec
}

// TestScoreEncodedConcurrent: goroutines score shared encodings and encode
// into their own; run with -race.
func TestScoreEncodedConcurrent(t *testing.T) {
	tab, fitted := germanFit(t)
	m := fitted.Model
	recs := make([]score.Record, tab.Len())
	encs := make([]score.Encoded, tab.Len())
	want := make([]float64, tab.Len())
	for i := range recs {
		var err error
		recs[i], err = tab.Record(m.Schema(), i)
		require.NoError(t, err)
		require.NoError(t, m.Encode(recs[i], &encs[i]))
		r, err := m.Score(recs[i])
		require.NoError(t, err)
		want[i] = r.Score
	}
	done := make(chan error, 8)
	for g := range 8 {
		go func() {
			var own score.Encoded
			terms := make([]float64, m.NumTerms())
			for k := range recs {
				i := (k + g*127) % len(recs)
				r1, err1 := m.ScoreEncoded(&encs[i], terms)
				err2 := m.Encode(recs[i], &own)
				r2, _ := m.ScoreEncoded(&own, nil)
				if err1 != nil || err2 != nil || r1.Score != want[i] || r2.Score != want[i] {
					done <- fmt.Errorf("row %d: %v %v %v %v", i+1, err1, err2, r1.Score, r2.Score)
					return
				}
			}
			done <- nil
		}()
	}
	for range 8 {
		require.NoError(t, <-done)
	}
}
