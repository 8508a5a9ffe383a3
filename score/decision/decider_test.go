package decision_test

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/examples/datasets"
	"github.com/candorscore/candor/explain"
	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/decision"
)

// checkReasons compares reasons field by field, effects to 1e-12.
func checkReasons(t *testing.T, want, got []decision.LoggedReason) {
	t.Helper()
	require.Len(t, got, len(want), "%v", got)
	for i := range want {
		require.Equal(t, want[i].Code, got[i].Code, "reason %d", i)
		require.Equal(t, want[i].Feature, got[i].Feature, "reason %d", i)
		require.InDelta(t, want[i].Effect, got[i].Effect, 1e-12, "reason %d", i)
	}
}

// checkExact asserts the invariants of a decision's explanation: the
// breakdown adds up to the consent-aware score, a neutralised feature
// contributes nothing and is no reason, each reason's effect is its term's
// contribution (every term of these models has its own code), and the
// logged reasons are explain's.
func checkExact(t assert.TestingT, d *decision.Decision) bool {
	x := d.Explained
	if !assert.NotNil(t, x) {
		return false
	}
	ex := &x.Explanation
	ok := assert.InDelta(t, d.Score.Score, x.Score.Score, 0)
	sum := ex.Baseline
	for _, c := range ex.Contributions {
		sum += c
	}
	ok = assert.InDelta(t, d.Score.Score, sum, 1e-12, "baseline + contributions = consent-aware score") && ok
	for _, n := range d.Score.Neutralised {
		j := x.Explainer.Model().TermOf(n)
		ok = assert.Zero(t, ex.Contributions[j], "neutralised %s contributes", n) && ok
		ok = assert.True(t, ex.Values[j].IsMissing(), "neutralised %s value is read", n) && ok
	}
	for _, r := range ex.Reasons {
		ok = assert.False(t, d.Score.IsNeutralised(r.Feature), "neutralised %s is a reason", r.Feature) && ok
		ok = assert.InDelta(t, ex.Contributions[r.Term], r.Effect, 1e-12) && ok
	}
	// The logged reasons are those of the published explanation (sensitive
	// terms at their bands), which adds up to the published score.
	sh := &x.Shown
	sum = sh.Baseline
	for _, c := range sh.Contributions {
		sum += c
	}
	ok = assert.InDelta(t, d.Shown().Score, sum, 1e-12, "published baseline + contributions = published score") && ok
	ok = assert.Len(t, d.Reasons, len(sh.Reasons)) && ok
	for i, r := range sh.Reasons {
		ok = assert.False(t, d.Score.IsNeutralised(r.Feature), "neutralised %s is a reason", r.Feature) && ok
		ok = assert.InDelta(t, sh.Contributions[r.Term], r.Effect, 1e-12) && ok
		if i < len(d.Reasons) {
			ok = assert.Equal(t, decision.LoggedReason{Code: r.Code, Feature: r.Feature, Effect: r.Effect}, d.Reasons[i]) && ok
		}
	}
	return ok
}

func TestDecisionReasonsExcludeNeutralised(t *testing.T) {
	m := datasets.MustModel(datasets.ConsentSample)
	dc, err := decision.NewDecider(m, &decision.Policy{Version: "p1", Purpose: "credit"}, nil)
	require.NoError(t, err)
	rec := cust(1, "b", 10)

	// With consent: log-odds 1 - 0.5 + 0.4 + 3 = 3.9; contributions by hand
	// (population baselines -2.5, 0.203, 1.2): income 2, phone usage 1.8,
	// region 0.197; all adverse, so the reasons are the whole breakdown.
	// Income is sensitive: the reasons logged give it at its band (training
	// range 1 to 10 in 4 bands of 2.25; income 1 is in [1, 3.25), midpoint
	// 2.125, effect -1.0625), contribution -1.0625 + 2.5 = 1.4375.
	d, err := dc.Decide(rec, score.Consents{{Purpose: "credit"}})
	require.NoError(t, err)
	require.InDelta(t, 3.9, d.Score.Score, 1e-12)
	require.InDelta(t, 3.9-0.5625, d.Shown().Score, 1e-12)
	checkReasons(t, []decision.LoggedReason{{Code: "phone_usage", Feature: "phone_usage", Effect: 1.8},
		{Code: "income", Feature: "income", Effect: 1.4375}, {Code: "region", Feature: "region", Effect: 0.197}}, d.Reasons)
	checkExact(t, &d)

	// Without consent phone usage counts at its baseline 1.2: log-odds
	// 1 - 0.5 + 0.4 + 1.2 = 2.1, and it is no longer a reason.
	d, err = dc.Decide(rec, nil)
	require.NoError(t, err)
	require.Equal(t, []string{"phone_usage"}, d.Score.Neutralised)
	require.InDelta(t, 2.1, d.Score.Score, 1e-12)
	want := []decision.LoggedReason{{Code: "income", Feature: "income", Effect: 1.4375}, {Code: "region", Feature: "region", Effect: 0.197}}
	checkReasons(t, want, d.Reasons)
	checkExact(t, &d)
	// The reasons are every adverse contribution here, so their effects and
	// the baseline (1 - 2.5 + 0.203 + 1.2 = -0.097, phone usage in it at
	// its population value) add up to the published score, 2.1 - 0.5625.
	ex := &d.Explained.Explanation
	require.InDelta(t, -0.097, ex.Baseline, 1e-12)
	require.InDelta(t, 2.1-0.5625, ex.Baseline+d.Reasons[0].Effect+d.Reasons[1].Effect, 1e-12)
	require.InDelta(t, 2.1, ex.Result.Score, 1e-12)

	// Policy.Decide, building everything for the call, gives the same.
	d2, err := (&decision.Policy{Version: "p1", Purpose: "credit"}).Decide(m, rec, nil, nil)
	require.NoError(t, err)
	require.Equal(t, d.Reasons, d2.Reasons)
	checkExact(t, &d2)
}

// TestDecisionReasonsOtherBaseline: with the best-effect baseline
// (explain.BestBaseline), a neutralised feature is still no reason: its
// baseline is its population value, as in the score.
func TestDecisionReasonsOtherBaseline(t *testing.T) {
	m := datasets.MustModel(datasets.ConsentSample)
	best, err := explain.BestBaseline(m)
	require.NoError(t, err)
	dc, err := decision.NewDecider(m, &decision.Policy{Version: "p", Purpose: "credit"},
		&decision.DeciderOptions{Explain: &explain.Options{Baseline: &best, MaxReasons: 1}})
	require.NoError(t, err)
	d, err := dc.Decide(cust(1, "b", 10), nil)
	require.NoError(t, err)
	// Best effects by hand: income -0.5*10 = -5, region 0 (level a),
	// phone usage 0 (at 0). Baseline: 1 - 5 + 0 + 1.2 = -2.8; contributions
	// income 4.5, region 0.4, phone usage 0; one reason asked for.
	ex := &d.Explained.Explanation
	require.InDelta(t, -2.8, ex.Baseline, 1e-12)
	require.InDelta(t, 4.5, ex.Contributions[0], 1e-12)
	require.InDelta(t, 0.4, ex.Contributions[1], 1e-12)
	require.Zero(t, ex.Contributions[2])
	// Logged at income's band (effect -1.0625): 5 - 1.0625.
	checkReasons(t, []decision.LoggedReason{{Code: "income", Feature: "income", Effect: 3.9375}}, d.Reasons)
	checkExact(t, &d)
}

func TestLoggedDecisionCarriesReasons(t *testing.T) {
	m := datasets.MustModel(datasets.ConsentSample)
	dc, err := decision.NewDecider(m, &decision.Policy{Version: "p1", Purpose: "credit"}, nil)
	require.NoError(t, err)
	var buf bytes.Buffer
	l, err := decision.NewLog(&buf, testOpts())
	require.NoError(t, err)
	rec := cust(1, "b", 10)
	d, err := dc.Decide(rec, nil)
	require.NoError(t, err)
	_, err = l.AppendDecision(decision.Input{Time: t0, Model: dc.Model(), Record: rec, Decision: &d})
	require.NoError(t, err)
	entries, _, err := decision.ReadLog(bytes.NewReader(buf.Bytes()), testVerify)
	require.NoError(t, err)
	require.Len(t, entries, 1)
	e := entries[0].Decision
	require.Equal(t, []string{"phone_usage"}, e.Neutralised)
	// The published score: income 1 at its band's effect -1.0625, not -0.5.
	require.InDelta(t, 2.1-0.5625, e.Score, 1e-12)
	checkReasons(t, []decision.LoggedReason{{Code: "income", Feature: "income", Effect: 1.4375}, {Code: "region", Feature: "region", Effect: 0.197}}, e.Reasons)
	require.Equal(t, d.Reasons, e.Reasons)

	// A hand-built decision with a reason on a feature it did not use is
	// refused: that reason cannot be exact.
	bad := d
	bad.Reasons = append([]decision.LoggedReason{{Feature: "phone_usage", Effect: 1.8}}, d.Reasons...)
	_, err = l.AppendDecision(decision.Input{Time: t0, Model: m, Record: rec, Decision: &bad})
	require.ErrorIs(t, err, score.ErrMalformed)
	require.Equal(t, int64(1), l.Head().Seq)
}

// consentModel3 has three features needing consent for credit, each its own
// data category, and one that needs none: eight consent sets.
//
//	log-odds = -0.5 + 0.8*a + 0.5*b - 0.6*c + 0.4*x, each in [0, 4], mean 2.
func consentModel3(t testing.TB) *score.Model {
	t.Helper()
	st := &score.Stats{Count: 100, Mean: 2, Min: 0, Max: 4}
	var feats []score.Feature
	var terms []score.Term
	for _, f := range []struct {
		name, cat string
		coef      float64
	}{{"a", "contact", 0.8}, {"b", "behavioural", 0.5}, {"c", "location", -0.6}, {"x", "", 0.4}} {
		feat := score.Feature{Name: f.name, Kind: score.Numeric, DataCategory: f.cat}
		if f.cat != "" {
			feat.Consent = []string{"credit"}
		}
		feats = append(feats, feat)
		terms = append(terms, score.Term{Feature: f.name, Kind: score.LinearTerm, Coef: f.coef, Baseline: 2 * f.coef, Stats: st})
	}
	m, err := score.NewModel(score.Spec{Name: "three", Kind: score.LogisticModel, Intercept: -0.5, Features: feats, Terms: terms, Cutoff: 0.5})
	require.NoError(t, err)
	return m
}

func TestDeciderConcurrent(t *testing.T) {
	m := consentModel3(t)
	pol := &decision.Policy{Version: "p", Purpose: "credit", ReviewBand: 0.05}
	cats := []string{"contact", "behavioural", "location"}
	var sets []score.Consents
	for mask := range 8 {
		var c score.Consents
		for k, cat := range cats {
			if mask&(1<<k) != 0 {
				c = append(c, score.Grant{Purpose: "credit", Category: cat})
			}
		}
		sets = append(sets, c)
	}
	recs := make([]score.Record, 25)
	for i := range recs {
		recs[i] = score.Record{score.Num(float64(i % 5)), score.Num(float64(i/5) * 0.9), score.Num(float64((i * 3) % 5)), score.Num(float64(i%4) + 0.5)}
	}
	// References, one at a time and without the Decider's cache.
	want := make([][]decision.Decision, len(recs))
	for i, r := range recs {
		for _, c := range sets {
			d, err := pol.Decide(m, r, c, nil)
			require.NoError(t, err)
			require.True(t, checkExact(t, &d))
			want[i] = append(want[i], d)
		}
	}
	// Three views may be kept: the other four neutralised sets (all
	// consents neutralise nothing) are built per call.
	dc, err := decision.NewDecider(m, pol, &decision.DeciderOptions{MaxViews: 3})
	require.NoError(t, err)
	var wg sync.WaitGroup
	for g := range 32 {
		wg.Go(func() {
			for k := range 200 {
				i, s := (g*7+k)%len(recs), (g+k*5)%len(sets)
				d, err := dc.Decide(recs[i], sets[s])
				if !assert.NoError(t, err) {
					return
				}
				w := want[i][s]
				assert.Equal(t, w.Outcome, d.Outcome)
				assert.Equal(t, w.Referrals, d.Referrals)
				assert.Equal(t, w.Score.Neutralised, d.Score.Neutralised)
				assert.Equal(t, w.Score.Score, d.Score.Score)
				assert.Equal(t, w.Reasons, d.Reasons)
				checkExact(t, &d)
			}
		})
	}
	wg.Wait()
	require.Equal(t, 3, decision.CachedViews(dc))
}

func TestZeroValues(t *testing.T) {
	m := datasets.MustModel(datasets.ConsentSample)
	card := datasets.MustModel(datasets.ScorecardSample)
	// The zero Policy names no purpose: a model with a feature that needs
	// consent is refused, not scored without it.
	var p decision.Policy
	_, err := p.Decide(m, cust(6, "a", 2), score.Consents{{Purpose: "credit"}}, nil)
	require.ErrorIs(t, err, score.ErrNoConsent)
	// With a model needing no consent it decides by the model's cutoff:
	// 500 + 10 points are 90 below 600 (odds 19:1, 50 points to double), so
	// non-event odds 19/2^(90/50).
	d, err := p.Decide(card, score.Record{score.Num(5)}, nil, nil)
	require.NoError(t, err)
	require.InDelta(t, 1/(1+19/math.Pow(2, 90.0/50)), float64(d.Score.Probability), 1e-12)
	require.Equal(t, decision.Approve, d.Outcome, "below the default cutoff 0.5")
	require.Empty(t, d.Referrals)
	require.Equal(t, "", d.PolicyVersion)
	// Scorecard reasons are points below the baseline: 10 - 31.1.
	checkReasons(t, []decision.LoggedReason{{Code: "tenure", Feature: "tenure", Effect: 10 - 31.1}}, d.Reasons)
	_, err = p.Decide(nil, score.Record{score.Num(5)}, nil, nil)
	require.ErrorIs(t, err, score.ErrModel)
	var nilPolicy *decision.Policy
	require.NoError(t, nilPolicy.Validate())
	_, err = nilPolicy.Decide(card, score.Record{score.Num(5)}, nil, nil)
	require.NoError(t, err)

	// The zero Decider, and a nil one, have no model.
	var dc decision.Decider
	_, err = dc.Decide(cust(6, "a", 2), nil)
	require.ErrorIs(t, err, score.ErrModel)
	_, err = dc.Explain(cust(6, "a", 2), nil)
	require.ErrorIs(t, err, score.ErrModel)
	var nilDecider *decision.Decider
	_, err = nilDecider.Decide(cust(6, "a", 2), nil)
	require.ErrorIs(t, err, score.ErrModel)
	require.Nil(t, nilDecider.Model())
	_, err = decision.NewDecider(nil, nil, nil)
	require.ErrorIs(t, err, score.ErrModel)
	_, err = decision.NewDecider(card, nil, nil)
	require.NoError(t, err)
	_, err = decision.NewDecider(m, &decision.Policy{Cutoff: 2}, nil)
	require.ErrorIs(t, err, decision.ErrPolicy)
	_, err = decision.NewDecider(m, nil, &decision.DeciderOptions{Explain: &explain.Options{Algorithm: "sideways"}})
	require.ErrorIs(t, err, explain.ErrBaseline)

	// The zero Log, and a nil one, are not open.
	var l decision.Log
	_, err = l.AppendDecision(decision.Input{Time: t0, Model: card, Record: score.Record{score.Num(5)}, Decision: &d})
	require.ErrorIs(t, err, decision.ErrNoLog)
	_, err = l.AppendReview(t0, 1, "r", decision.Approve, "")
	require.ErrorIs(t, err, decision.ErrNoLog)
	_, err = l.Digest(card.Schema(), score.Record{score.Num(5)})
	require.ErrorIs(t, err, decision.ErrNoLog)
	require.Equal(t, decision.LogHead{}, l.Head())
	require.NoError(t, l.Sync())
	require.NoError(t, l.Close())
	var nl *decision.Log
	_, err = nl.AppendDecision(decision.Input{Time: t0, Model: card, Record: score.Record{score.Num(5)}, Decision: &d})
	require.ErrorIs(t, err, decision.ErrNoLog)
	_, err = nl.AppendReview(t0, 1, "r", decision.Approve, "")
	require.ErrorIs(t, err, decision.ErrNoLog)
	require.Equal(t, decision.LogHead{}, nl.Head())
	require.NoError(t, nl.Sync())
	require.NoError(t, nl.Close())
}

func TestDeciderExplain(t *testing.T) {
	m := datasets.MustModel(datasets.ConsentSample)
	dc, err := decision.NewDecider(m, &decision.Policy{Version: "p", Purpose: "credit", Consent: score.Refuse}, nil)
	require.NoError(t, err)
	_, err = dc.Explain(cust(1, "b", 10), nil)
	require.ErrorIs(t, err, score.ErrNoConsent)
	x, err := dc.Explain(cust(1, "b", 10), score.Consents{{Purpose: "credit"}})
	require.NoError(t, err)
	require.InDelta(t, 3.9, x.Score.Score, 1e-12)
	require.Len(t, x.Explanation.Reasons, 3)
	_, err = dc.Explain(score.Record{score.Num(1)}, nil)
	var re *score.RecordError
	require.True(t, errors.As(err, &re) || errors.Is(err, score.ErrNoConsent), "%v", err)
	_, err = dc.Explain(cust(1, "b", 10)[:2], score.Consents{{Purpose: "credit"}})
	require.ErrorIs(t, err, score.ErrSchema)
	p := dc.Policy()
	require.Equal(t, score.Refuse, p.Consent)
}

func BenchmarkDeciderDecide(b *testing.B) {
	m := datasets.MustModel(datasets.ConsentSample)
	dc, err := decision.NewDecider(m, &decision.Policy{Version: "p1", Purpose: "credit", ReviewBand: 0.05}, nil)
	require.NoError(b, err)
	rec := cust(6, "a", 2)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := dc.Decide(rec, nil); err != nil {
			b.Fatal(err)
		}
	}
}

func ExampleDecider() {
	m := datasets.MustModel(datasets.ConsentSample)
	// Built once; safe for concurrent use.
	dc, err := decision.NewDecider(m, &decision.Policy{Version: "2026-11", Purpose: "credit"}, nil)
	if err != nil {
		panic(err)
	}
	rec := score.Record{score.Num(1), score.Cat("b"), score.Num(10), score.Missing()}
	// Without consent phone usage counts as average (its effect could range
	// over 0 to 3: not across the cutoff, so no referral) and is no reason.
	for _, consents := range []score.Consents{{{Purpose: "credit"}}, nil} {
		d, err := dc.Decide(rec, consents)
		if err != nil {
			panic(err)
		}
		fmt.Printf("log-odds %.2f %s, not used: %v\n", d.Score.Score, d.Outcome, d.Score.Neutralised)
		for _, r := range d.Reasons {
			fmt.Printf("  %s %+.3f\n", r.Feature, r.Effect)
		}
	}
	// Output:
	// log-odds 3.90 decline, not used: []
	//   phone_usage +1.800
	//   income +1.438
	//   region +0.197
	// log-odds 2.10 decline, not used: [phone_usage]
	//   income +1.438
	//   region +0.197
}

// The consent sample declares no actions, so its reasons carry no advice
// (explain: actionability is declared, never assumed).
func ExampleDecider_Explain() {
	m := datasets.MustModel(datasets.ConsentSample)
	dc, err := decision.NewDecider(m, &decision.Policy{Version: "2026-11", Purpose: "credit"}, nil)
	if err != nil {
		panic(err)
	}
	// No consent for phone usage: it is not read, and counts as average.
	// By hand: baseline 1 - 2.5 + 0.203 + 1.2 (phone usage's population
	// value) = -0.097; contributions -0.5*1 + 2.5 = 2 and 0.4 - 0.203.
	rec := score.Record{score.Num(1), score.Cat("b"), score.Num(10), score.Missing()}
	x, err := dc.Explain(rec, nil)
	if err != nil {
		panic(err)
	}
	ex := &x.Explanation
	fmt.Printf("baseline %.3f\n", ex.Baseline)
	for _, j := range x.Explainer.Order(nil, ex) {
		fmt.Printf("  %-11s %+.3f\n", m.Term(j).Feature, ex.Contributions[j])
	}
	fmt.Printf("score %.3f\n", x.Score.Score)
	text, err := x.Explainer.AppendCustomerText(nil, explain.DefaultCatalog(), "en", ex)
	if err != nil {
		panic(err)
	}
	fmt.Print(string(text))
	fmt.Println(score.NeutralisedText(m.Schema(), &x.Score))
	// Output:
	// baseline -0.097
	//   income      +2.000
	//   region      +0.197
	//   phone_usage +0.000
	// score 2.100
	// Your income weighed against the result.
	// Your region (b) weighed against the result.
	// We did not use your phone usage, because you have not consented to its use for credit; it counted as the average of all customers, neither for nor against you.
}
