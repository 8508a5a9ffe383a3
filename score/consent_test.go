package score_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/examples/datasets"
	"github.com/candorscore/candor/score"
)

func TestScoreWithConsent(t *testing.T) {
	m := datasets.MustModel(datasets.ConsentSample)
	credit := score.Consents{{Purpose: "credit", Category: "behavioural"}}
	// Hand computation: 1 - 0.5*6 + 0 (region a) + 0.3*2 = -1.4 with phone
	// usage; with it neutralised, its baseline 1.2 replaces 0.6: -0.8.
	cases := []struct {
		name     string
		rec      score.Record
		consents score.Consents
		purpose  string
		want     float64
		phone    float64 // term of phone_usage
		neutral  []string
	}{
		{"consented", cust(6, "a", 2), credit, "credit", -1.4, 0.6, nil},
		{"purpose-wide grant", cust(6, "a", 2), score.Consents{{Purpose: "credit"}}, "credit", -1.4, 0.6, nil},
		{"no consents", cust(6, "a", 2), nil, "credit", -0.8, 1.2, []string{"phone_usage"}},
		{"consent for another purpose", cust(6, "a", 2), score.Consents{{Purpose: "marketing"}}, "credit", -0.8, 1.2, []string{"phone_usage"}},
		{"consent for another category", cust(6, "a", 2), score.Consents{{Purpose: "credit", Category: "financial"}}, "credit", -0.8, 1.2, []string{"phone_usage"}},
		{"purpose that needs no consent", cust(6, "a", 2), nil, "fraud", -1.4, 0.6, nil},
		{"neutralised value may be missing", score.Record{score.Num(6), score.Cat("a"), score.Missing(), score.Missing()}, nil, "credit", -0.8, 1.2, []string{"phone_usage"}},
		{"neutralised value is never read", score.Record{score.Num(6), score.Cat("a"), score.Num(math.NaN()), score.Missing()}, nil, "credit", -0.8, 1.2, []string{"phone_usage"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			terms := make([]float64, m.NumTerms())
			r, err := m.ScoreWithConsent(c.rec, c.consents, c.purpose, terms)
			require.NoError(t, err)
			require.InDelta(t, c.want, r.Score, 1e-12)
			require.InDelta(t, c.phone, terms[2], 1e-12)
			require.InDelta(t, -3.0, terms[0], 1e-12)
			require.Equal(t, c.neutral, r.Neutralised)
			require.Equal(t, c.purpose, r.Purpose)
			// The terms still add up to the score.
			require.InDelta(t, r.Score, m.Intercept()+terms[0]+terms[1]+terms[2], 1e-12)
			require.InDelta(t, 1/(1+math.Exp(-c.want)), float64(r.Probability), 1e-12)
			for _, n := range c.neutral {
				require.True(t, r.IsNeutralised(n))
			}
		})
	}
}

func TestNeutralisedFeatureContributesNothing(t *testing.T) {
	// Whatever the customer's phone usage, without consent the score is the
	// same: the feature contributes nothing beyond the population baseline.
	m := datasets.MustModel(datasets.ConsentSample)
	first, err := m.ScoreWithConsent(cust(6, "b", 0), nil, "credit", nil)
	require.NoError(t, err)
	for _, phone := range []float64{0, 3, 10, 1e6} {
		r, err := m.ScoreWithConsent(cust(6, "b", phone), nil, "credit", nil)
		require.NoError(t, err)
		require.Equal(t, first.Score, r.Score)
		require.Equal(t, []string{"phone_usage"}, r.Neutralised)
	}
	// 1 - 3 + 0.4 + 1.2 (baseline) = -0.4
	require.InDelta(t, -0.4, first.Score, 1e-12)
}

func TestConsentErrors(t *testing.T) {
	m := datasets.MustModel(datasets.ConsentSample)
	_, err := m.ScoreWithConsent(cust(6, "a", 2), nil, "", nil)
	require.ErrorIs(t, err, score.ErrNoConsent, "an empty purpose must not bypass consent")
	var fe *score.FieldError
	require.ErrorAs(t, err, &fe)
	require.Equal(t, "phone_usage", fe.Feature)

	err = m.CheckConsent(nil, "credit")
	require.ErrorIs(t, err, score.ErrNoConsent)
	require.ErrorAs(t, err, &fe)
	require.Equal(t, "phone_usage", fe.Feature)
	require.Contains(t, err.Error(), `"credit"`)
	require.NoError(t, m.CheckConsent(score.Consents{{Purpose: "credit"}}, "credit"))
	require.NoError(t, m.CheckConsent(nil, "fraud"))

	// A consented feature's bad value is still an error.
	_, err = m.ScoreWithConsent(score.Record{score.Num(6), score.Cat("a"), score.Missing(), score.Missing()},
		score.Consents{{Purpose: "credit"}}, "credit", nil)
	require.ErrorIs(t, err, score.ErrMissing)

	_, err = m.ScoreWithConsent(score.Record{score.Num(1)}, nil, "credit", nil)
	require.ErrorIs(t, err, score.ErrSchema)
	_, err = m.ScoreWithConsent(cust(6, "a", 2), nil, "credit", make([]float64, 1))
	require.ErrorIs(t, err, score.ErrModel)

	// A model with no consent features needs no purpose.
	card := datasets.MustModel(datasets.ScorecardSample)
	_, err = card.ScoreWithConsent(score.Record{score.Num(5)}, nil, "", nil)
	require.NoError(t, err)
}

func TestSensitiveValueNotInConsentErrors(t *testing.T) {
	m := datasets.MustModel(datasets.ConsentSample)
	// income is sensitive: a bad income must not show in the error.
	_, err := m.ScoreWithConsent(score.Record{score.Cat("secret-income-927"), score.Cat("a"), score.Num(1), score.Missing()},
		score.Consents{{Purpose: "credit"}}, "credit", nil)
	require.ErrorIs(t, err, score.ErrWrongKind)
	require.NotContains(t, err.Error(), "secret-income-927")
	require.Contains(t, err.Error(), "income")
}

func TestParseConsents(t *testing.T) {
	c, err := score.ParseConsents(" credit:behavioural, marketing ,,")
	require.NoError(t, err)
	require.Equal(t, score.Consents{{Purpose: "credit", Category: "behavioural"}, {Purpose: "marketing"}}, c)
	require.True(t, c.Allows("marketing", "anything"))
	require.True(t, c.Allows("credit", "behavioural"))
	require.False(t, c.Allows("credit", "financial"))
	_, err = score.ParseConsents(":behavioural")
	require.ErrorIs(t, err, score.ErrMalformed)
	c, err = score.ParseConsents("")
	require.NoError(t, err)
	require.Nil(t, c)
}

func FuzzParseConsents(f *testing.F) {
	for _, s := range []string{"credit", "credit:financial,marketing", ":x", ",,", "a:b:c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := score.ParseConsents(s)
		if err != nil {
			require.ErrorIs(t, err, score.ErrMalformed)
			return
		}
		for _, g := range c {
			require.NotEmpty(t, g.Purpose)
			require.True(t, c.Allows(g.Purpose, g.Category))
		}
	})
}

func TestConsentModeText(t *testing.T) {
	for _, m := range []score.ConsentMode{score.Neutralise, score.Refuse} {
		b, err := m.MarshalText()
		require.NoError(t, err)
		var back score.ConsentMode
		require.NoError(t, back.UnmarshalText(b))
		require.Equal(t, m, back)
	}
	var c score.ConsentMode
	require.ErrorIs(t, c.UnmarshalText([]byte("ignore")), score.ErrMalformed)
}

func TestNeutralisedText(t *testing.T) {
	m := datasets.MustModel(datasets.ConsentSample)
	r, err := m.ScoreWithConsent(cust(6, "a", 2), nil, "credit", nil)
	require.NoError(t, err)
	require.Equal(t, "We did not use your phone usage, because you have not consented to its use for credit; "+
		"it counted as the average of all customers, neither for nor against you.", score.NeutralisedText(m.Schema(), &r))
	r.Neutralised = append(r.Neutralised, "region", "income")
	require.Equal(t, "We did not use your phone usage, region and income, because you have not consented to their use for credit; "+
		"each counted as the average of all customers, neither for nor against you.", score.NeutralisedText(m.Schema(), &r))
	r.Neutralised = nil
	require.Equal(t, "", score.NeutralisedText(m.Schema(), &r))
}

func TestScoreWithConsentAllocs(t *testing.T) {
	m := datasets.MustModel(datasets.ConsentSample)
	rec := cust(6, "b", 2)
	consents := score.Consents{{Purpose: "marketing"}, {Purpose: "credit", Category: "behavioural"}}
	terms := make([]float64, m.NumTerms())
	allocs := testing.AllocsPerRun(1000, func() {
		if _, err := m.ScoreWithConsent(rec, consents, "credit", terms); err != nil {
			t.Fatal(err)
		}
	})
	require.Zero(t, allocs, "consented scoring must not allocate")
}

func BenchmarkScoreWithConsent(b *testing.B) {
	m := datasets.MustModel(datasets.ConsentSample)
	rec := cust(6, "b", 2)
	terms := make([]float64, m.NumTerms())
	b.Run("consented", func(b *testing.B) {
		consents := score.Consents{{Purpose: "credit", Category: "behavioural"}}
		b.ReportAllocs()
		for b.Loop() {
			if _, err := m.ScoreWithConsent(rec, consents, "credit", terms); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("neutralised", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := m.ScoreWithConsent(rec, nil, "credit", terms); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func ExampleModel_ScoreWithConsent() {
	m := datasets.MustModel(datasets.ConsentSample)
	rec := score.Record{score.Num(6), score.Cat("a"), score.Num(2), score.Cat("30-39")}
	// The customer agreed to the use of their behavioural data for credit.
	r, _ := m.ScoreWithConsent(rec, score.Consents{{Purpose: "credit", Category: "behavioural"}}, "credit", nil)
	fmt.Printf("with consent: log-odds %.2f, neutralised %v\n", r.Score, r.Neutralised)
	// Without consent, phone usage counts as its population baseline.
	r, _ = m.ScoreWithConsent(rec, nil, "credit", nil)
	fmt.Printf("without: log-odds %.2f, neutralised %v\n", r.Score, r.Neutralised)
	fmt.Println(score.NeutralisedText(m.Schema(), &r))
	// Output:
	// with consent: log-odds -1.40, neutralised []
	// without: log-odds -0.80, neutralised [phone_usage]
	// We did not use your phone usage, because you have not consented to its use for credit; it counted as the average of all customers, neither for nor against you.
}

func TestNeutralise(t *testing.T) {
	m := datasets.MustModel(datasets.ConsentSample)
	n, err := m.Neutralise([]string{"phone_usage", "region"})
	require.NoError(t, err)
	require.NotEqual(t, m.Fingerprint(), n.Fingerprint())
	// Intercept 1 + phone baseline 1.2 + region baseline (0.4*99 + 1)/200 = 0.203.
	require.InDelta(t, 1+1.2+0.203, n.Intercept(), 1e-12)
	// Region and phone usage are ignored, even missing: 1 - 3 + 1.2 + 0.203.
	r, err := n.Score(score.Record{score.Num(6), score.Missing(), score.Missing(), score.Missing()})
	require.NoError(t, err)
	require.InDelta(t, -0.597, r.Score, 1e-12)
	// Same score as ScoreWithConsent when phone usage alone is neutralised.
	n1, err := m.Neutralise([]string{"phone_usage"})
	require.NoError(t, err)
	for _, rec := range []score.Record{cust(6, "a", 2), cust(2, "c", 9), cust(9.5, "zz", 0)} {
		want, err := m.ScoreWithConsent(rec, nil, "credit", nil)
		require.NoError(t, err)
		got, err := n1.Score(score.Record{rec[0], rec[1], score.Missing(), rec[3]})
		require.NoError(t, err)
		require.InDelta(t, want.Score, got.Score, 1e-12)
	}
	_, err = m.Neutralise([]string{"nope"})
	require.ErrorIs(t, err, score.ErrUnknownFeature)
	_, err = m.Neutralise([]string{"age_band"}) // protected, not a term
	require.ErrorIs(t, err, score.ErrUnknownFeature)
}

func BenchmarkScoreWithoutConsentCheck(b *testing.B) {
	m := datasets.MustModel(datasets.ConsentSample)
	rec := cust(6, "b", 2)
	terms := make([]float64, m.NumTerms())
	b.ReportAllocs()
	for b.Loop() {
		if _, err := m.ScoreTerms(rec, terms); err != nil {
			b.Fatal(err)
		}
	}
}
