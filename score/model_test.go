package score_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/score"
)

func ptr(x float64) *float64 { return &x }

// tinySpec is a hand-built logistic model: log-odds = -1 + 0.5*income(k) +
// housing effect; all values below are computed by hand from it.
func tinySpec() score.Spec {
	return score.Spec{
		Name: "tiny", Version: "1", Kind: score.LogisticModel,
		Features: []score.Feature{
			{Name: "income", Kind: score.Numeric},
			{Name: "housing", Kind: score.Categorical, Categories: []string{"own", "rent"}},
			{Name: "ssn", Kind: score.Categorical, Role: score.Ignored, Sensitive: true},
			{Name: "sex", Kind: score.Categorical, Role: score.Protected},
		},
		Intercept: -1,
		Terms: []score.Term{
			{Feature: "income", Kind: score.LinearTerm, Coef: 0.5, Baseline: 1},
			{Feature: "housing", Kind: score.CategoricalTerm, Reference: "own",
				Levels: []score.Level{{Label: "own", Effect: 0}, {Label: "rent", Effect: 0.75}}},
		},
	}
}

func TestScoreByHand(t *testing.T) {
	m, err := score.NewModel(tinySpec())
	require.NoError(t, err)
	rec := score.Record{score.Num(2), score.Cat("rent"), score.Missing(), score.Cat("f")}
	terms := make([]float64, m.NumTerms())
	res, err := m.ScoreTerms(rec, terms)
	require.NoError(t, err)
	// -1 + 0.5*2 + 0.75 = 0.75; p = 1/(1+e^-0.75) = 0.679178699175393
	require.InDelta(t, 0.75, res.Score, 1e-15)
	require.InDelta(t, 0.75, float64(res.LogOdds), 1e-15)
	require.InDelta(t, 0.679178699175393, float64(res.Probability), 1e-15)
	require.Equal(t, []float64{1, 0.75}, terms)
	// Terms add up to the score exactly.
	require.Equal(t, res.Score, m.Intercept()+terms[0]+terms[1])
}

func TestScoreErrorsAllAtOnce(t *testing.T) {
	m, err := score.NewModel(tinySpec())
	require.NoError(t, err)
	cases := []struct {
		name string
		rec  score.Record
		want []error
	}{
		{"nan", score.Record{score.Num(math.NaN()), score.Cat("own"), {}, {}}, []error{score.ErrNotFinite}},
		{"inf", score.Record{score.Num(math.Inf(1)), score.Cat("own"), {}, {}}, []error{score.ErrNotFinite}},
		{"unknown category", score.Record{score.Num(1), score.Cat("castle"), {}, {}}, []error{score.ErrUnknownCategory}},
		{"missing", score.Record{score.Missing(), score.Cat("own"), {}, {}}, []error{score.ErrMissing}},
		{"wrong kind", score.Record{score.Cat("x"), score.Num(1), {}, {}}, []error{score.ErrWrongKind, score.ErrWrongKind}},
		{"two problems", score.Record{score.Num(math.NaN()), score.Cat("castle"), {}, {}}, []error{score.ErrNotFinite, score.ErrUnknownCategory}},
		{"short record", score.Record{score.Num(1)}, []error{score.ErrSchema}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := m.Score(c.rec)
			require.Error(t, err)
			for _, w := range c.want {
				require.ErrorIs(t, err, w)
			}
			var re *score.RecordError
			require.ErrorAs(t, err, &re)
			require.Len(t, re.Fields, len(c.want))
		})
	}
	_, err = m.Score(score.Record{score.Num(1), score.Cat("castle"), {}, {}})
	var fe *score.FieldError
	require.ErrorAs(t, err, &fe)
	require.Equal(t, "housing", fe.Feature)
	require.Equal(t, `row 7: feature "housing": unknown category ("castle")`, score.WithRow(err, 7).Error())
}

func TestOtherAndMissingEffects(t *testing.T) {
	spec := tinySpec()
	spec.Terms[0].Fill = ptr(4)
	spec.Terms[1].OtherEffect = ptr(0.25)
	spec.Terms[1].MissingEffect = ptr(0.5)
	m, err := score.NewModel(spec)
	require.NoError(t, err)
	res, err := m.Score(score.Record{score.Missing(), score.Cat("castle"), {}, {}})
	require.NoError(t, err)
	require.InDelta(t, -1+0.5*4+0.25, res.Score, 1e-15)
	res, err = m.Score(score.Record{score.Num(0), score.Missing(), {}, {}})
	require.NoError(t, err)
	require.InDelta(t, -1+0.5, res.Score, 1e-15)
}

func TestBinnedTerm(t *testing.T) {
	spec := score.Spec{
		Name: "card", Kind: score.ScorecardModel, Scaling: &score.Scaling{Offset: 487.123, Factor: 72.1348},
		Features:  []score.Feature{{Name: "age", Kind: score.Numeric}, {Name: "job", Kind: score.Categorical}},
		Intercept: 400,
		Terms: []score.Term{
			{Feature: "age", Kind: score.BinnedTerm, Bins: []score.Bin{
				{Kind: score.RangeBin, Upper: ptr(25), Effect: 10},
				{Kind: score.RangeBin, Lower: ptr(25), Upper: ptr(40), Effect: 30},
				{Kind: score.RangeBin, Lower: ptr(40), Effect: 50},
				{Kind: score.SpecialBin, Special: ptr(-9), Effect: 5},
				{Kind: score.MissingBin, Effect: 20},
			}},
			{Feature: "job", Kind: score.BinnedTerm, Bins: []score.Bin{
				{Kind: score.CategoryBin, Categories: []string{"a", "b"}, Effect: 7},
				{Kind: score.CategoryBin, Categories: []string{"c"}, Effect: 3},
			}},
		},
	}
	m, err := score.NewModel(spec)
	require.NoError(t, err)
	cases := []struct {
		age  score.Value
		want float64
		bin  int
	}{
		{score.Num(18), 10, 0}, {score.Num(25), 30, 1}, {score.Num(39.999), 30, 1}, {score.Num(40), 50, 2},
		{score.Num(-9), 5, 3}, {score.Missing(), 20, 4}, {score.Num(-10), 10, 0},
	}
	for _, c := range cases {
		e, pos, err := m.Effect(0, c.age)
		require.NoError(t, err)
		require.Equal(t, c.want, e, c.age.String())
		require.Equal(t, c.bin, pos, c.age.String())
	}
	res, err := m.Score(score.Record{score.Num(30), score.Cat("b")})
	require.NoError(t, err)
	require.Equal(t, 437.0, res.Score)
	// points = offset - factor*logodds  =>  logodds = (487.123-437)/72.1348
	require.InDelta(t, (487.123-437)/72.1348, float64(res.LogOdds), 1e-12)
	require.InDelta(t, 437, m.ScoreFor(res.LogOdds), 1e-9)
	_, err = m.Score(score.Record{score.Num(30), score.Cat("zzz")})
	require.ErrorIs(t, err, score.ErrUnknownCategory)

	// Gaps between range bins are refused.
	bad := m.Spec()
	bad.Terms[0].Bins[1].Lower = ptr(26)
	_, err = score.NewModel(bad)
	require.ErrorIs(t, err, score.ErrModel)
}

func TestNewScalingDefaults(t *testing.T) {
	s := score.NewScaling(0, 0, 0)
	// REFERENCE.md: b = pdo/ln2 = 72.13; a = 600 - b ln 19 (odds 19:1 good:bad)
	require.InDelta(t, 72.13475204444817, s.Factor, 1e-12)
	require.InDelta(t, 600-72.13475204444817*math.Log(19), s.Offset, 1e-9)
	// At 19:1 non-event:event odds (event log-odds ln(1/19)) the score is 600.
	require.InDelta(t, 600, s.Offset-s.Factor*math.Log(1.0/19), 1e-9)
}

func TestModelFileRoundTrip(t *testing.T) {
	_, fitted := germanFit(t)
	var a bytes.Buffer
	require.NoError(t, fitted.Model.Save(&a))
	m2, err := score.Load(bytes.NewReader(a.Bytes()))
	require.NoError(t, err)
	require.Equal(t, fitted.Model.Fingerprint(), m2.Fingerprint())
	var b bytes.Buffer
	require.NoError(t, m2.Save(&b))
	require.Equal(t, a.String(), b.String(), "save(load(save(m))) must be byte-identical")
	require.Equal(t, fitted.Model.Spec(), m2.Spec())
}

func TestLoadRefusals(t *testing.T) {
	m, err := score.NewModel(tinySpec())
	require.NoError(t, err)
	var buf bytes.Buffer
	require.NoError(t, m.Save(&buf))
	good := buf.String()

	edit := func(f func(map[string]any)) string {
		var doc map[string]any
		require.NoError(t, json.Unmarshal([]byte(good), &doc))
		f(doc)
		b, err := json.Marshal(doc)
		require.NoError(t, err)
		return string(b)
	}
	cases := []struct {
		name string
		file string
		want error
	}{
		{"malformed", good[:len(good)/2], score.ErrMalformed},
		{"not json", "hello", score.ErrMalformed},
		{"unknown field", edit(func(d map[string]any) { d["extra"] = 1 }), score.ErrMalformed},
		{"future version", edit(func(d map[string]any) { d["format_version"] = 99 }), score.ErrFormatVersion},
		{"tampered coefficient", strings.Replace(good, `"coef": 0.5`, `"coef": 0.6`, 1), score.ErrFingerprint},
		{"protected input", edit(func(d map[string]any) {
			d["features"].([]any)[0].(map[string]any)["role"] = "protected"
		}), score.ErrProtectedInput},
		{"bad role", edit(func(d map[string]any) { d["features"].([]any)[0].(map[string]any)["role"] = "boss" }), score.ErrMalformed},
		{"trailing data", good + "{}", score.ErrMalformed},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := score.Load(strings.NewReader(c.file))
			require.ErrorIs(t, err, c.want)
		})
	}
	require.NotEqual(t, good, cases[4].file, "the tamper must change the file")
}

func TestScoreZeroAllocs(t *testing.T) {
	tab, fitted := germanFit(t)
	m := fitted.Model
	rec, err := tab.Record(m.Schema(), 3)
	require.NoError(t, err)
	terms := make([]float64, m.NumTerms())
	allocs := testing.AllocsPerRun(100, func() {
		if _, err := m.ScoreTerms(rec, terms); err != nil {
			panic(err)
		}
	})
	require.Zero(t, allocs)
}

// TestScoreConcurrent scores from many goroutines; run with -race.
func TestScoreConcurrent(t *testing.T) {
	tab, fitted := germanFit(t)
	m := fitted.Model
	want := make([]float64, tab.Len())
	recs := make([]score.Record, tab.Len())
	for i := range recs {
		var err error
		recs[i], err = tab.Record(m.Schema(), i)
		require.NoError(t, err)
		r, err := m.Score(recs[i])
		require.NoError(t, err)
		want[i] = r.Score
	}
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for g := 0; g < 16; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			terms := make([]float64, m.NumTerms())
			for k := 0; k < len(recs); k++ {
				i := (k + g*61) % len(recs)
				r, err := m.ScoreTerms(recs[i], terms)
				if err != nil || r.Score != want[i] {
					errs <- errors.New("concurrent score differs")
					return
				}
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
}

// BenchmarkScore20Features scores one German credit applicant (the second)
// with the 20-feature logistic model.
func BenchmarkScore20Features(b *testing.B) {
	tab, fitted := germanFit(b)
	m := fitted.Model
	if m.NumTerms() != 20 {
		b.Fatalf("want a 20-feature model, have %d", m.NumTerms())
	}
	rec, err := tab.Record(m.Schema(), 1)
	if err != nil {
		b.Fatal(err)
	}
	terms := make([]float64, m.NumTerms())
	b.ReportAllocs()
	for b.Loop() {
		if _, err := m.ScoreTerms(rec, terms); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkScore20FeaturesPopulation scores the 1000 German credit
// applicants in turn (one applicant per op), so that the figure is an
// average over real customers and their records' memory, not one record
// that stays in cache.
func BenchmarkScore20FeaturesPopulation(b *testing.B) {
	tab, fitted := germanFit(b)
	m := fitted.Model
	if m.NumTerms() != 20 {
		b.Fatalf("want a 20-feature model, have %d", m.NumTerms())
	}
	recs := make([]score.Record, tab.Len())
	for i := range recs {
		var err error
		if recs[i], err = tab.Record(m.Schema(), i); err != nil {
			b.Fatal(err)
		}
	}
	terms := make([]float64, m.NumTerms())
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := m.ScoreTerms(recs[i], terms); err != nil {
			b.Fatal(err)
		}
		if i++; i == len(recs) {
			i = 0
		}
	}
}

// TestFastPathMatchesEffects: the scoring loop's inline cases (numbers,
// labels, range bins) give exactly the effects of the general path
// (Model.Effect), on a scorecard's bin boundaries and around them, with
// missing values and unknown labels sent down the general path.
func TestFastPathMatchesEffects(t *testing.T) {
	m, err := score.NewModel(score.Spec{
		Name: "card", Kind: score.ScorecardModel, Scaling: &score.Scaling{Offset: 487.123, Factor: 72.1348},
		Features:  []score.Feature{{Name: "age", Kind: score.Numeric}, {Name: "job", Kind: score.Categorical}, {Name: "x", Kind: score.Numeric}},
		Intercept: 400,
		Terms: []score.Term{
			{Feature: "age", Kind: score.BinnedTerm, Bins: []score.Bin{
				{Kind: score.RangeBin, Upper: ptr(25), Effect: 10, Count: 5},
				{Kind: score.RangeBin, Lower: ptr(25), Upper: ptr(40), Effect: 30, Count: 9},
				{Kind: score.RangeBin, Lower: ptr(40), Effect: 50, Count: 2},
				{Kind: score.MissingBin, Effect: 20},
			}},
			{Feature: "job", Kind: score.BinnedTerm, Bins: []score.Bin{
				{Kind: score.CategoryBin, Categories: []string{"a", "bbbbbbbbb"}, Effect: 7, Count: 3},
				{Kind: score.CategoryBin, Categories: []string{"c", "a much longer label of 33 bytes!"}, Effect: 3, Count: 8},
				{Kind: score.OtherBin, Effect: -4},
			}},
			{Feature: "x", Kind: score.LinearTerm, Coef: -2, Fill: ptr(1)},
		},
	})
	require.NoError(t, err)
	ages := []score.Value{score.Num(-1e300), score.Num(24.999999), score.Num(25), score.Num(39.5), score.Num(40), score.Num(1e300), score.Missing()}
	jobs := []score.Value{score.Cat("a"), score.Cat("bbbbbbbbb"), score.Cat("bbbbbbbbc"), score.Cat("c"),
		score.Cat("a much longer label of 33 bytes!"), score.Cat("a much longer label of 33 bytes?"), score.Cat("zz"), score.Cat("")}
	xs := []score.Value{score.Num(0), score.Num(-3.5), score.Missing()}
	terms := make([]float64, 3)
	for _, a := range ages {
		for _, j := range jobs {
			for _, x := range xs {
				rec := score.Record{a, j, x}
				res, err := m.ScoreTerms(rec, terms)
				require.NoError(t, err)
				want := m.Intercept()
				for k, v := range rec {
					e, _, err := m.Effect(k, v)
					require.NoError(t, err)
					require.Equal(t, e, terms[k], "term %d of %v", k, rec)
					want += e
				}
				require.Equal(t, want, res.Score)
			}
		}
	}
}

func TestTermEffectRange(t *testing.T) {
	fill, other := 30.0, -2.0
	inf := math.Inf(1)
	lo5, hi10 := 5.0, 10.0
	cases := []struct {
		name   string
		term   score.Term
		lo, hi float64
		ok     bool
	}{
		// -0.5 * [2, 20] and the fill 30 -> [-15, -1].
		{"linear with stats and fill", score.Term{Kind: score.LinearTerm, Coef: -0.5, Fill: &fill,
			Stats: &score.Stats{Count: 10, Min: 2, Max: 20}}, -15, -1, true},
		{"linear without stats", score.Term{Kind: score.LinearTerm, Coef: 2}, -inf, inf, true},
		{"linear with coefficient 0", score.Term{Kind: score.LinearTerm}, 0, 0, true},
		// Levels 1.5 and 0.5, the reference "a" (absent from Levels) at 0, other -2.
		{"categorical", score.Term{Kind: score.CategoricalTerm, Reference: "a", OtherEffect: &other,
			Levels: []score.Level{{Label: "b", Effect: 1.5}, {Label: "c", Effect: 0.5}}}, -2, 1.5, true},
		// Bins 3 and -4, and a sloped bin 1 + 0.1*x over [5, 10] -> 1.5 to 2.
		{"binned", score.Term{Kind: score.BinnedTerm, Stats: &score.Stats{Count: 4, Min: 0, Max: 10},
			Bins: []score.Bin{{Kind: score.RangeBin, Upper: &lo5, Effect: 3}, {Kind: score.RangeBin, Lower: &lo5, Upper: &hi10, Effect: 1, Slope: 0.1},
				{Kind: score.MissingBin, Effect: -4}}}, -4, 3, true},
		{"no levels or bins", score.Term{Kind: score.BinnedTerm}, inf, -inf, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			lo, hi, ok := c.term.EffectRange()
			require.Equal(t, c.ok, ok)
			require.Equal(t, c.lo, lo)
			require.Equal(t, c.hi, hi)
		})
	}
}
