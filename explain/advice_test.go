package explain_test

// Tests of the advice rules (issue "Advice a customer can trust"): on German
// credit, Telco churn and Bank marketing, each test builds a case (a
// collinear pair with opposite signs, a special code, an immutable
// feature, a categorical move the data does not support) and asserts each
// rule on every declined customer:
//
//  1. advice and counterfactual changes only on features with a declared
//     action, in an allowed direction;
//  2. never against the declared trend or the data's trend, never to or from
//     a special code;
//  3. every counterfactual change has a proposed cell whose training event
//     rate is below the current cell's (unless asked to allow otherwise,
//     then flagged);
//  4. numeric changes of at least min_change; the flip holds at the margin;
//  5. readable words; 6. JSON; 7. the audit.

import (
	"context"
	"encoding/json"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/examples/datasets"
	"github.com/candorscore/candor/explain"
	"github.com/candorscore/candor/score"
)

const germanTransitions = `
  "status_of_existing_checking_account": {"label": "checking account", "action": {"transitions": {
      "... < 0 DM": ["0 <= ... < 200 DM", "... >= 200 DM / salary assignments for at least 1 year"],
      "0 <= ... < 200 DM": ["... >= 200 DM / salary assignments for at least 1 year"]}}},
  "savings_account_and_bonds": {"label": "savings", "action": {"transitions": {
      "... < 100 DM": ["100 <= ... < 500 DM", "500 <= ... < 1000 DM", "... >= 1000 DM"],
      "100 <= ... < 500 DM": ["500 <= ... < 1000 DM", "... >= 1000 DM"],
      "500 <= ... < 1000 DM": ["... >= 1000 DM"]}}}`

// germanCollinear: credit_amount and a noisy copy in euro, both actionable
// both ways, both rising with the bad rate in the data; age an input that
// nobody declared changeable.
var germanCollinear = fixtureSpec{
	dataset: datasets.GermanCredit, target: "creditability", event: "bad",
	protected: []string{"personal_status_and_sex", "foreign_worker"},
	edit:      addNoisyCopy("credit_amount", "credit_amount_eur", 0.5113, 0.02),
	features: `{"features": {
  "duration_in_month": {"label": "loan duration", "unit": "months", "action": {"direction": "decrease"}},
  "credit_amount": {"label": "amount of credit", "unit": "DM", "action": {}},
  "credit_amount_eur": {"label": "amount of credit in euro", "unit": "EUR", "action": {}},
  "installment_rate_in_percentage_of_disposable_income": {"label": "instalment as a share of income", "unit": "%", "action": {}},
  "age_in_years": {"label": "age", "unit": "years"},` + germanTransitions + `}}`,
}

// germanScorecard: the scorecard with honest actions and readable labels.
var germanScorecard = fixtureSpec{
	dataset: datasets.GermanCredit, target: "creditability", event: "bad", scorecard: true,
	protected: []string{"personal_status_and_sex", "foreign_worker"},
	features: `{"features": {
  "duration_in_month": {"label": "loan duration", "unit": "months", "trend": "ascending", "action": {"direction": "decrease"}},
  "credit_amount": {"label": "amount of credit", "unit": "DM", "action": {"direction": "decrease"}},
  "installment_rate_in_percentage_of_disposable_income": {"label": "instalment as a share of income", "unit": "%", "action": {"direction": "decrease"}},
  "other_debtors_or_guarantors": {"label": "guarantor", "action": {"transitions": {"none": ["guarantor"], "co-applicant": ["guarantor"]}}},
  "age_in_years": {"label": "age", "unit": "years"},` + germanTransitions + `}}`,
}

// telco: MonthlyCharges and TotalCharges are collinear with tenure; the
// logistic fit gives MonthlyCharges a negative coefficient although churn
// rises with the charge in the data, and TotalCharges a positive one
// although churn falls with it. Both are declared actionable both ways (so
// that only the data can stop the advice); tenure is undeclared.
var telco = fixtureSpec{
	dataset: datasets.TelcoChurn, target: "Churn", event: "Yes",
	ignored: []string{"customerID"}, protected: []string{"gender", "SeniorCitizen"},
	features: `{"features": {
  "MonthlyCharges": {"label": "monthly charge", "unit": "$", "action": {}},
  "TotalCharges": {"label": "total charges so far", "unit": "$", "action": {}},
  "tenure": {"label": "months with us", "unit": "months"},
  "Contract": {"label": "contract", "action": {"transitions": {"Month-to-month": ["One year", "Two year"], "One year": ["Two year"]}}},
  "InternetService": {"label": "internet service", "action": {}},
  "PaymentMethod": {"label": "payment method", "action": {}},
  "OnlineSecurity": {"label": "online security", "action": {"transitions": {"No": ["Yes"]}}},
  "TechSupport": {"label": "tech support", "action": {"transitions": {"No": ["Yes"]}}}}}`,
}

// bank: pdays is -1 for a customer never contacted before (a special code,
// not a number of days); the scorecard gives it its own bin. balance and
// pdays may move both ways; age is undeclared. The adverse outcome is not
// subscribing (event "no", cutoff 0.9).
var bankSpecial = fixtureSpec{
	dataset: datasets.BankMarketing, target: "y", event: "no", cutoff: 0.9, every: 5,
	edit:    everyThird, // 15,071 rows: enough for the case, quick under -race
	ignored: []string{"duration", "day", "month", "poutcome"},
	special: map[string][]float64{"pdays": {-1}},
	features: `{"features": {
  "pdays": {"label": "days since we last called you", "unit": "days", "special": {"-1": "not contacted before"}, "action": {}},
  "balance": {"label": "account balance", "unit": "EUR", "action": {}},
  "campaign": {"label": "calls in this campaign", "action": {}},
  "housing": {"label": "housing loan", "action": {"transitions": {"yes": ["no"]}}},
  "loan": {"label": "personal loan", "action": {"transitions": {"yes": ["no"]}}},
  "age": {"label": "age", "unit": "years"}}}`,
}

// honesty counts what the checks saw over one fixture.
type honesty struct {
	reasons, advised int
	withheld         map[string]int            // by code
	withheldOn       map[string]map[string]int // feature -> code -> count
	answered         int                       // customers with a counterfactual
	changes          int
}

// checkHonest explains and answers every declined customer of fx and
// asserts each rule, independently of explain's own code paths.
func checkHonest(t *testing.T, fx *adviceFixture, k int) honesty {
	t.Helper()
	m := fx.m
	e, err := explain.NewExplainer(m, &explain.Options{MaxReasons: explain.AllReasons})
	require.NoError(t, err)
	space, err := explain.NewActionSpace(m, nil, fx.tab)
	require.NoError(t, err)
	cat := explain.DefaultCatalog()
	h := honesty{withheld: map[string]int{}, withheldOn: map[string]map[string]int{}}
	rows, recs := fx.declined(t)
	var ex explain.Explanation
	for n, rec := range recs {
		row := rows[n] + 1
		require.NoError(t, e.Explain(rec, &ex))
		for _, r := range ex.Reasons {
			h.reasons++
			f, _ := m.Schema().Lookup(r.Feature)
			j := r.Term
			// Every adverse term has a reason; exactly one of advice and a
			// withholding code.
			require.True(t, (r.Advice == "") != (r.AdviceWithheld == ""), "row %d %s: advice %q withheld %q", row, r.Feature, r.Advice, r.AdviceWithheld)
			if r.Advice == "" {
				h.withheld[r.AdviceWithheld]++
				if h.withheldOn[r.Feature] == nil {
					h.withheldOn[r.Feature] = map[string]int{}
				}
				h.withheldOn[r.Feature][r.AdviceWithheld]++
				continue
			}
			h.advised++
			require.True(t, f.Actionable(), "row %d: advice on %s, which has no declared action", row, r.Feature)
			require.False(t, isSpecial(m, j, r.Value), "row %d: advice on the special value of %s", row, r.Feature)
			tr := trendOf(m, j)
			switch r.Advice {
			case explain.AdviceIncrease:
				require.NotEqual(t, score.DecreaseOnly, f.Action.Direction, "row %d %s", row, r.Feature)
				require.NotEqual(t, 1, tr, "row %d: advice to increase %s, whose event rate rises with it", row, r.Feature)
				require.True(t, lowerRateBeyond(m, j, r.Value, true), "row %d: advice to increase %s: no higher bin has a lower event rate", row, r.Feature)
			case explain.AdviceDecrease:
				require.NotEqual(t, score.IncreaseOnly, f.Action.Direction, "row %d %s", row, r.Feature)
				require.NotEqual(t, -1, tr, "row %d: advice to decrease %s, whose event rate falls as it rises", row, r.Feature)
				require.True(t, lowerRateBeyond(m, j, r.Value, false), "row %d: advice to decrease %s: no lower bin has a lower event rate", row, r.Feature)
			case explain.AdviceChange:
				require.Equal(t, score.Categorical, f.Kind, "row %d %s", row, r.Feature)
			default:
				t.Fatalf("row %d %s: advice %q", row, r.Feature, r.Advice)
			}
		}
		// The customer text has an improve sentence exactly where there is
		// advice.
		txt, err := e.AppendCustomerText(nil, cat, "en", &ex)
		require.NoError(t, err)
		lines := strings.Split(strings.TrimSuffix(string(txt), "\n"), "\n")
		require.Len(t, lines, len(ex.Reasons))
		for i, r := range ex.Reasons {
			require.Equal(t, r.Advice != "", strings.Contains(lines[i], "would improve the result"), "row %d: %q (advice %q)", row, lines[i], r.Advice)
		}

		res, err := space.Recourse(context.Background(), rec, &explain.RecourseOptions{K: k})
		require.NoError(t, err)
		if len(res.Counterfactuals) > 0 {
			h.answered++
		}
		for _, cf := range res.Counterfactuals {
			require.False(t, cf.Unsupported, "row %d", row)
			require.Less(t, float64(cf.Probability), float64(res.Target), "row %d", row)
			for _, ch := range cf.Changes {
				h.changes++
				checkChange(t, m, row, ch)
			}
		}
	}
	t.Logf("%s: %d declined, %d reasons, %d advised, withheld %v; %d answered, %d changes", fx.name, len(recs), h.reasons, h.advised, h.withheld, h.answered, h.changes)
	return h
}

// checkChange asserts the rules on one counterfactual change.
func checkChange(t *testing.T, m *score.Model, row int, ch explain.Change) {
	t.Helper()
	j := m.TermOf(ch.Feature)
	f, _ := m.Schema().Lookup(ch.Feature)
	require.True(t, f.Actionable(), "row %d: changes %s, which has no declared action", row, ch.Feature)
	require.False(t, isSpecial(m, j, ch.ToVal), "row %d: %s to the special code %s", row, ch.Feature, ch.To)
	require.False(t, isSpecial(m, j, ch.FromVal), "row %d: %s from the special code %s", row, ch.Feature, ch.From)
	if f.Kind == score.Numeric {
		up := ch.ToVal.Float() > ch.FromVal.Float()
		if f.Action.Direction == score.IncreaseOnly {
			require.True(t, up, "row %d %s", row, ch.Feature)
		}
		if f.Action.Direction == score.DecreaseOnly {
			require.False(t, up, "row %d %s", row, ch.Feature)
		}
		tr := trendOf(m, j)
		require.False(t, up && tr == 1, "row %d: raises %s, whose event rate rises with it", row, ch.Feature)
		require.False(t, !up && tr == -1, "row %d: lowers %s, whose event rate falls as it rises", row, ch.Feature)
		minc := defaultMinChange(m, j)
		if f.Action.MinChange != nil {
			minc = *f.Action.MinChange
		}
		require.GreaterOrEqual(t, math.Abs(ch.ToVal.Float()-ch.FromVal.Float()), minc, "row %d %s %s -> %s", row, ch.Feature, ch.From, ch.To)
	} else if tr := f.Action.Transitions; tr != nil {
		require.Contains(t, tr[ch.From], ch.To, "row %d %s", row, ch.Feature)
	}
	// Data support, from the model's own counts.
	cr, cn, ok1 := cellOf(m, j, ch.FromVal)
	pr, pn, ok2 := cellOf(m, j, ch.ToVal)
	require.True(t, ok1 && ok2, "row %d %s: no training cell", row, ch.Feature)
	require.Less(t, pr, cr, "row %d %s %s -> %s: proposed cell's event rate is not lower", row, ch.Feature, ch.From, ch.To)
	require.NotNil(t, ch.Support, "row %d %s", row, ch.Feature)
	require.InDelta(t, cr, ch.Support.CurrentRate, 1e-12)
	require.InDelta(t, pr, ch.Support.ProposedRate, 1e-12)
	require.InDelta(t, cn, ch.Support.CurrentRows, 1e-9)
	require.InDelta(t, pn, ch.Support.ProposedRows, 1e-9)
}

// TestAdviceGermanCollinearPair: the noisy copy gets a coefficient of the
// opposite sign; its "improve" sentence would tell declined applicants to
// borrow more. It is withheld (against_data_trend), and recourse never
// raises either amount. Age, an input nobody declared changeable, is never
// advised and never changed.
func TestAdviceGermanCollinearPair(t *testing.T) {
	fx := buildFixture(t, "german-collinear", germanCollinear)
	a, b := fx.m.Term(fx.m.TermOf("credit_amount")), fx.m.Term(fx.m.TermOf("credit_amount_eur"))
	require.Negative(t, a.Coef*b.Coef, "the pair must have opposite signs: %v %v", a.Coef, b.Coef)
	require.Equal(t, 1, a.Stats.DataTrend)
	require.Equal(t, 1, b.Stats.DataTrend)
	neg := "credit_amount"
	if b.Coef < 0 {
		neg = "credit_amount_eur"
	}
	h := checkHonest(t, fx, 3)
	require.Positive(t, h.withheldOn[neg][explain.WithheldDataTrend], "%+v", h.withheldOn)
	require.Positive(t, h.withheldOn["age_in_years"][explain.WithheldNotActionable], "%+v", h.withheldOn)
	require.Positive(t, h.advised)
	require.Positive(t, h.answered)
}

// TestAdviceTelcoCollinear: the natural collinear trio tenure, MonthlyCharges
// and TotalCharges. The model says a higher monthly charge and a lower total
// would keep customers; the data says the opposite; neither is advised.
// Tenure is undeclared, so never advised or changed.
func TestAdviceTelcoCollinear(t *testing.T) {
	fx := buildFixture(t, "telco", telco)
	mc, tc := fx.m.Term(fx.m.TermOf("MonthlyCharges")), fx.m.Term(fx.m.TermOf("TotalCharges"))
	require.Negative(t, mc.Coef)
	require.Equal(t, 1, mc.Stats.DataTrend)
	require.Positive(t, tc.Coef)
	require.Equal(t, -1, tc.Stats.DataTrend)
	h := checkHonest(t, fx, 3)
	require.Positive(t, h.withheldOn["MonthlyCharges"][explain.WithheldDataTrend], "%+v", h.withheldOn)
	require.Positive(t, h.withheldOn["TotalCharges"][explain.WithheldDataTrend], "%+v", h.withheldOn)
	require.Positive(t, h.withheldOn["tenure"][explain.WithheldNotActionable], "%+v", h.withheldOn)
	require.Positive(t, h.answered)
}

// TestAdviceBankSpecialCode: pdays -1 ("not contacted before") is never a
// target, never a starting point, and a customer at -1 reads a reason but
// no advice (special_value). Both on the scorecard (its own bin) and on a
// logistic model (where -1 sits inside the linear term).
func TestAdviceBankSpecialCode(t *testing.T) {
	for _, sc := range []bool{true, false} {
		spec := bankSpecial
		spec.scorecard = sc
		fx := buildFixture(t, map[bool]string{true: "bank-scorecard", false: "bank-logistic"}[sc], spec)
		if fx.m.TermOf("pdays") < 0 {
			t.Fatalf("%s: pdays not in the model", fx.name)
		}
		h := checkHonest(t, fx, 2)
		require.Positive(t, h.withheldOn["pdays"][explain.WithheldSpecialValue], "%s: %+v", fx.name, h.withheldOn)
		require.Positive(t, h.withheldOn["age"][explain.WithheldNotActionable]+h.withheld[explain.WithheldNotActionable], "%s: %+v", fx.name, h.withheldOn)
		require.Positive(t, h.answered, fx.name)
	}
}

// TestAdviceGermanScorecard: the honest actions on the scorecard; the
// declared trend of the loan duration and its decrease-only direction.
func TestAdviceGermanScorecard(t *testing.T) {
	fx := buildFixture(t, "german-scorecard", germanScorecard)
	h := checkHonest(t, fx, 3)
	require.Positive(t, h.advised)
	require.Positive(t, h.answered)
	require.Positive(t, h.withheld[explain.WithheldNotActionable])
}

// TestRecourseUnsupportedLeftOut: with every Telco service change allowed,
// the model proposes moves the data does not support (the proposed level
// churns at least as often as the current one). They are left out by
// default; AllowUnsupported keeps them, flagged, with their support.
func TestRecourseUnsupportedLeftOut(t *testing.T) {
	fx := buildFixture(t, "telco", telco)
	space, err := explain.NewActionSpace(fx.m, nil, fx.tab)
	require.NoError(t, err)
	_, recs := fx.declined(t)
	flagged := 0
	for _, rec := range recs {
		r, err := space.Recourse(context.Background(), rec, &explain.RecourseOptions{K: 3, AllowUnsupported: true})
		require.NoError(t, err)
		for _, cf := range r.Counterfactuals {
			unsupported := false
			for _, ch := range cf.Changes {
				require.NotNil(t, ch.Support)
				bad := !(ch.Support.ProposedRate < ch.Support.CurrentRate)
				require.Equal(t, bad, ch.Unsupported, "%+v", ch)
				unsupported = unsupported || bad
			}
			require.Equal(t, unsupported, cf.Unsupported)
			if cf.Unsupported {
				flagged++
			}
		}
	}
	require.Positive(t, flagged, "no unsupported counterfactual to leave out: the case is not built")
}

// TestRecourseNothingActionable: with no declared action, recourse is an
// error that says how to declare one.
func TestRecourseNothingActionable(t *testing.T) {
	fx := buildFixture(t, "german", fixtureSpec{dataset: datasets.GermanCredit, target: "creditability", event: "bad",
		protected: []string{"personal_status_and_sex", "foreign_worker"}})
	_, err := explain.NewActionSpace(fx.m, nil, fx.tab)
	require.ErrorIs(t, err, explain.ErrNothingActionable)
	require.Contains(t, err.Error(), `"action"`)
	// An actions file that only lists immutable features is no better.
	_, err = explain.NewActionSpace(fx.m, &explain.Actions{Immutable: []string{"age_in_years"}}, fx.tab)
	require.ErrorIs(t, err, explain.ErrNothingActionable)
	// --actions declares an action: that feature, and only it, may move.
	space, err := explain.NewActionSpace(fx.m, &explain.Actions{Features: map[string]explain.FeatureAction{
		"duration_in_month": {Direction: explain.DecreaseOnly}}}, fx.tab)
	require.NoError(t, err)
	_, recs := fx.declined(t)
	for _, rec := range recs {
		r, err := space.Recourse(context.Background(), rec, &explain.RecourseOptions{K: 2})
		require.NoError(t, err)
		for _, cf := range r.Counterfactuals {
			for _, ch := range cf.Changes {
				require.Equal(t, "duration_in_month", ch.Feature)
			}
		}
	}
	// The explainer gives every reason but no advice.
	e, err := explain.NewExplainer(fx.m, nil)
	require.NoError(t, err)
	var ex explain.Explanation
	require.NoError(t, e.Explain(recs[0], &ex))
	require.NotEmpty(t, ex.Reasons)
	for _, r := range ex.Reasons {
		require.Empty(t, r.Advice)
		require.Equal(t, explain.WithheldNotActionable, r.AdviceWithheld)
	}
}

// TestRecourseMinChangeAndMargin: no numeric change is smaller than its
// min_change (default: a tenth of the interquartile range, which stops
// one-unit bin-edge crossings), an explicit min_change is honoured, and
// with a margin the flip holds at target - margin.
func TestRecourseMinChangeAndMargin(t *testing.T) {
	fx := buildFixture(t, "german-scorecard", germanScorecard)
	j := fx.m.TermOf("duration_in_month")
	require.Positive(t, defaultMinChange(fx.m, j))
	space, err := explain.NewActionSpace(fx.m, nil, fx.tab)
	require.NoError(t, err)
	six := 6.0
	strict, err := explain.NewActionSpace(fx.m, &explain.Actions{Features: map[string]explain.FeatureAction{
		"duration_in_month": {Direction: explain.DecreaseOnly, MinChange: &six}}}, fx.tab)
	require.NoError(t, err)
	_, recs := fx.declined(t)
	edge := 0
	for _, rec := range recs {
		r, err := space.Recourse(context.Background(), rec, &explain.RecourseOptions{K: 3})
		require.NoError(t, err)
		for _, cf := range r.Counterfactuals {
			for _, ch := range cf.Changes {
				checkChange(t, fx.m, 0, ch)
			}
		}
		r, err = strict.Recourse(context.Background(), rec, &explain.RecourseOptions{K: 3})
		require.NoError(t, err)
		for _, cf := range r.Counterfactuals {
			for _, ch := range cf.Changes {
				if ch.Feature == "duration_in_month" {
					require.GreaterOrEqual(t, ch.FromVal.Float()-ch.ToVal.Float(), 6.0)
					edge++
				}
			}
		}
		m, err := space.Recourse(context.Background(), rec, &explain.RecourseOptions{K: 2, Margin: 0.1})
		require.NoError(t, err)
		require.InDelta(t, 0.5, float64(m.Target), 1e-12)
		for _, cf := range m.Counterfactuals {
			require.Less(t, float64(cf.Probability), 0.4)
		}
	}
	require.Positive(t, edge)
	_, err = space.Recourse(context.Background(), recs[0], &explain.RecourseOptions{Margin: 0.6})
	require.ErrorIs(t, err, explain.ErrRecourseModel)
}

// TestAdviceWords: labels from the features file, units, bins as ranges
// in words, special values by their meaning; German text in German from a
// catalogue of labels.
func TestAdviceWords(t *testing.T) {
	fx := buildFixture(t, "german-scorecard", germanScorecard)
	e, err := explain.NewExplainer(fx.m, &explain.Options{MaxReasons: explain.AllReasons})
	require.NoError(t, err)
	cat := explain.DefaultCatalog()
	_, recs := fx.declined(t)
	var ex explain.Explanation
	var all strings.Builder
	for _, rec := range recs {
		require.NoError(t, e.Explain(rec, &ex))
		b, err := e.AppendCustomerText(nil, cat, "en", &ex)
		require.NoError(t, err)
		all.Write(b)
	}
	txt := all.String()
	for _, bad := range []string{"[", "inf", "= -", "duration_in_month", "credit_amount", "installment_rate"} {
		require.NotContains(t, txt, bad)
	}
	require.Contains(t, txt, "Your loan duration (")
	require.Regexp(t, `\(\d+ months or more\)|\(between \d+ and \d+ months\)|\(less than \d+ months\)`, txt)
	require.Contains(t, txt, " DM")

	// The words of a range bin, exactly.
	lo, hi := 12.0, 24.0
	f := score.Feature{Name: "duration_in_month", Label: "loan duration", Unit: "months"}
	words := func(lang string, b score.Bin, whole bool) string {
		s, err := cat.Text(lang, explain.ReasonMessage, explain.Args{Feature: f, Value: score.Num(13), Range: &b, Whole: whole})
		require.NoError(t, err)
		return s
	}
	require.Equal(t, "Your loan duration (between 12 and 23 months) weighed against the result.", words("en", score.Bin{Kind: score.RangeBin, Lower: &lo, Upper: &hi}, true))
	require.Equal(t, "Your loan duration (from 12 to less than 24 months) weighed against the result.", words("en", score.Bin{Kind: score.RangeBin, Lower: &lo, Upper: &hi}, false))
	require.Equal(t, "Your loan duration (24 months or more) weighed against the result.", words("en", score.Bin{Kind: score.RangeBin, Lower: &hi}, true))
	require.Equal(t, "Your loan duration (less than 12 months) weighed against the result.", words("en", score.Bin{Kind: score.RangeBin, Upper: &lo}, true))

	// German: labels, units and ranges from the catalogue.
	de, err := cat.With(
		explain.Message{Lang: "de", Kind: explain.FeatureMessage, Key: "duration_in_month", Text: "Laufzeit"},
		explain.Message{Lang: "de", Kind: explain.UnitMessage, Key: "duration_in_month", Text: "Monate"})
	require.NoError(t, err)
	s, err := de.Text("de", explain.ReasonMessage, explain.Args{Feature: f, Value: score.Num(30), Range: &score.Bin{Kind: score.RangeBin, Lower: &hi}, Whole: true})
	require.NoError(t, err)
	require.Equal(t, "Ihr Merkmal „Laufzeit“ (24 Monate oder mehr) wirkte sich nachteilig auf das Ergebnis aus.", s)

	// A special value by its meaning, in each language.
	sp := score.Feature{Name: "pdays", Label: "days since we last called you", Unit: "days", Special: map[string]string{"-1": "not contacted before"}}
	require.Equal(t, "not contacted before", cat.ValueText("en", sp, score.Num(-1)))
	require.Equal(t, "30 days", cat.ValueText("en", sp, score.Num(30)))
	de, err = cat.With(explain.Message{Lang: "de", Kind: explain.ValueMessage, Key: "pdays=-1", Text: "noch nie angerufen"})
	require.NoError(t, err)
	require.Equal(t, "noch nie angerufen", de.ValueText("de", sp, score.Num(-1)))
}

// TestAdviceJSON: each reason carries "advice" or "advice_withheld"; each
// counterfactual change carries "support".
func TestAdviceJSON(t *testing.T) {
	fx := buildFixture(t, "german-scorecard", germanScorecard)
	e, err := explain.NewExplainer(fx.m, &explain.Options{MaxReasons: explain.AllReasons})
	require.NoError(t, err)
	space, err := explain.NewActionSpace(fx.m, nil, fx.tab)
	require.NoError(t, err)
	_, recs := fx.declined(t)
	var ex explain.Explanation
	sawAdvice, sawWithheld, sawSupport := false, false, false
	for _, rec := range recs {
		require.NoError(t, e.Explain(rec, &ex))
		b, err := json.Marshal(ex)
		require.NoError(t, err)
		var out struct {
			Reasons []map[string]any `json:"reasons"`
		}
		require.NoError(t, json.Unmarshal(b, &out))
		for k, r := range out.Reasons {
			adv, hasAdv := r["advice"]
			wh, hasWh := r["advice_withheld"]
			require.True(t, hasAdv != hasWh, "%v", r)
			if hasAdv {
				require.Contains(t, []any{"increase", "decrease", "change"}, adv)
				require.Equal(t, string(ex.Reasons[k].Advice), adv)
				sawAdvice = true
			} else {
				require.Equal(t, ex.Reasons[k].AdviceWithheld, wh)
				sawWithheld = true
			}
		}
		r, err := space.Recourse(context.Background(), rec, &explain.RecourseOptions{K: 1})
		require.NoError(t, err)
		for _, cf := range r.Counterfactuals {
			b, err := json.Marshal(cf)
			require.NoError(t, err)
			var c struct {
				Changes []struct {
					Support map[string]float64 `json:"support"`
				} `json:"changes"`
			}
			require.NoError(t, json.Unmarshal(b, &c))
			for _, ch := range c.Changes {
				keys := make([]string, 0, 4)
				for k := range ch.Support {
					keys = append(keys, k)
				}
				slices.Sort(keys)
				require.Equal(t, []string{"current_rate", "current_rows", "proposed_rate", "proposed_rows"}, keys)
				sawSupport = true
			}
		}
	}
	require.True(t, sawAdvice && sawWithheld && sawSupport)
}

// TestCheckAdvice: the audit over a whole file: every adverse customer
// counted once per outcome, per feature, and no rule broken.
func TestCheckAdvice(t *testing.T) {
	for _, spec := range []fixtureSpec{germanCollinear, germanScorecard, telco} {
		fx := buildFixture(t, "check", spec)
		rep, err := explain.CheckAdvice(context.Background(), fx.m, fx.tab, &explain.CheckOptions{Train: fx.tab})
		require.NoError(t, err)
		rows, _ := fx.declined(t)
		require.Equal(t, len(rows), rep.Adverse)
		require.Equal(t, fx.tab.Len(), rep.Rows)
		require.Zero(t, rep.Violations.Total(), "%+v", rep.Violations)
		require.Equal(t, rep.Adverse, rep.Recourse+rep.UnsupportedOnly+rep.NoRecourse)
		require.LessOrEqual(t, rep.WithheldAdvice, rep.Adverse)
		for _, f := range rep.Features {
			require.LessOrEqual(t, f.Advised, f.Reasons, f.Feature)
			w := 0
			for _, n := range f.Withheld {
				w += n
			}
			require.Equal(t, f.Reasons, f.Advised+w, f.Feature)
			require.LessOrEqual(t, f.Share(f.Reasons, rep.Adverse), 1.0)
		}
		require.NotEmpty(t, rep.Features)
	}
}

// TestRecourseFoundWhenHonestChangeExists: brute force over each actionable
// feature's honest values (allowed direction, bounds, trend, support,
// min_change, no special codes) tells, by additivity, whether some honest
// change flips the customer; recourse must then find one, and otherwise
// report the customer infeasible.
func TestRecourseFoundWhenHonestChangeExists(t *testing.T) {
	narrow := fixtureSpec{dataset: datasets.GermanCredit, target: "creditability", event: "bad",
		protected: []string{"personal_status_and_sex", "foreign_worker"},
		features: `{"features": {"credit_amount": {"action": {"direction": "decrease"}},
		  "installment_rate_in_percentage_of_disposable_income": {"action": {"direction": "decrease"}}}}`}
	infeasible := 0
	sampled := telco
	sampled.every = 3 // a third of the customers: the brute force scans every seen value
	for _, spec := range []fixtureSpec{germanScorecard, germanCollinear, sampled, narrow} {
		fx := buildFixture(t, "brute", spec)
		m := fx.m
		space, err := explain.NewActionSpace(m, nil, fx.tab)
		require.NoError(t, err)
		rows, recs := fx.declined(t)
		exists, found := 0, 0
		seen := distinctValues(fx)
		for n, rec := range recs {
			best := bruteBest(t, fx, seen, rec)
			res, err := m.Score(best)
			require.NoError(t, err)
			honest := float64(res.Probability) < float64(m.Cutoff())*(1-1e-9)
			r, err := space.Recourse(context.Background(), rec, nil)
			require.NoError(t, err)
			if honest {
				exists++
				require.False(t, r.Infeasible, "%s row %d: an honest change exists (probability %.4f) but recourse says: %s", fx.name, rows[n]+1, float64(res.Probability), r.Reason)
				found++
			} else {
				require.True(t, r.Infeasible, "%s row %d: recourse found a change brute force calls dishonest: %+v", fx.name, rows[n]+1, r.Counterfactuals)
				infeasible++
			}
		}
		require.Positive(t, exists, fx.name)
		t.Logf("%s: %d declined, an honest change exists for %d, recourse found %d", fx.name, len(recs), exists, found)
	}
	require.Positive(t, infeasible, "no customer without an honest change: the narrow case is not built")
}

// distinctValues lists each numeric column's distinct values.
func distinctValues(fx *adviceFixture) map[string][]float64 {
	out := map[string][]float64{}
	for _, name := range fx.tab.Header() {
		f, ok := fx.m.Schema().Lookup(name)
		if !ok || f.Kind != score.Numeric {
			continue
		}
		c := fx.tab.Column(name)
		var xs []float64
		for i := 0; i < fx.tab.Len(); i++ {
			if y, err := score.ParseNumber(fx.tab.Cell(i, c)); err == nil {
				xs = append(xs, y)
			}
		}
		slices.Sort(xs)
		out[name] = slices.Compact(xs)
	}
	return out
}

// bruteBest applies, for every actionable feature, its honest value with
// the largest gain (by additivity, the best reachable record).
func bruteBest(t *testing.T, fx *adviceFixture, seen map[string][]float64, rec score.Record) score.Record {
	m := fx.m
	out := slices.Clone(rec)
	sign := -1.0 // logistic: lower log-odds is better
	if m.Kind() == score.ScorecardModel {
		sign = 1
	}
	for j := 0; j < m.NumTerms(); j++ {
		tm := m.Term(j)
		col := m.TermFeature(j)
		f := m.Schema().Feature(col)
		if !f.Actionable() {
			continue
		}
		x := rec[col]
		if x.IsMissing() || isSpecialTerm(m, j, &tm, x) {
			continue
		}
		e0, _, err := m.Effect(j, x)
		require.NoError(t, err)
		cr, _, ok := cellOfTerm(m, j, &tm, x)
		if !ok {
			continue
		}
		var cands []score.Value
		if f.Kind == score.Numeric {
			lo, hi := tm.Stats.Quantiles[1], tm.Stats.Quantiles[99]
			if f.Action.Min != nil {
				lo = *f.Action.Min
			}
			if f.Action.Max != nil {
				hi = *f.Action.Max
			}
			minc := defaultMinChange(m, j)
			if f.Action.MinChange != nil {
				minc = *f.Action.MinChange
			}
			tr := trendOf(m, j)
			for _, y := range seen[f.Name] {
				up := y > x.Float()
				switch {
				case y < lo || y > hi, math.Abs(y-x.Float()) < minc,
					up && (f.Action.Direction == score.DecreaseOnly || tr == 1),
					!up && (f.Action.Direction == score.IncreaseOnly || tr == -1):
					continue
				}
				cands = append(cands, score.Num(y))
			}
		} else {
			var labels []string
			for _, l := range tm.Levels {
				if l.Count > 0 {
					labels = append(labels, l.Label)
				}
			}
			for _, b := range tm.Bins {
				if b.Kind == score.CategoryBin && b.Count > 0 {
					labels = append(labels, b.Categories...)
				}
			}
			for _, l := range labels {
				if l == x.Label() {
					continue
				}
				if tr := f.Action.Transitions; tr != nil && !slices.Contains(tr[x.Label()], l) {
					continue
				}
				cands = append(cands, score.Cat(l))
			}
		}
		bestGain := 0.0
		for _, v := range cands {
			if isSpecialTerm(m, j, &tm, v) {
				continue
			}
			pr, _, ok := cellOfTerm(m, j, &tm, v)
			if !ok || !(pr < cr) {
				continue
			}
			e, _, err := m.Effect(j, v)
			if err != nil {
				continue
			}
			if g := sign * (e - e0); g > bestGain {
				bestGain, out[col] = g, v
			}
		}
	}
	return out
}

// TestCustomerTextAgreesWithData needs nothing but the customer text: on
// Telco, no declined customer reads that a higher monthly charge or lower
// total charges would keep them, and nobody is told to change their tenure.
func TestCustomerTextAgreesWithData(t *testing.T) {
	fx := buildFixture(t, "telco", telco)
	e, err := explain.NewExplainer(fx.m, &explain.Options{MaxReasons: explain.AllReasons})
	require.NoError(t, err)
	_, recs := fx.declined(t)
	var ex explain.Explanation
	for _, rec := range recs {
		require.NoError(t, e.Explain(rec, &ex))
		b, err := e.AppendCustomerText(nil, explain.DefaultCatalog(), "en", &ex)
		require.NoError(t, err)
		for _, bad := range []string{"A higher value for your monthly charge", "A higher value for your MonthlyCharges",
			"A lower value for your total charges", "A lower value for your TotalCharges",
			"value for your tenure", "value for your months with us"} {
			require.NotContains(t, string(b), bad)
		}
	}
}

// TestRecourseLimitsTrendAndSupport: an infeasible answer names the data
// trend and the data support when they are what stands in the way. By
// hand: log-odds = -1 + 0.5 x + effect(y). The model says a lower x helps,
// and the training cells agree (0.2 below 3, 0.4 from 3), but the domain
// declared that the event rate falls as x rises (trend descending):
// lowering x is against the declared trend. y's level "b" has the better
// effect (-2) but a higher training event rate (0.6 against 0.5):
// unsupported.
func TestRecourseLimitsTrendAndSupport(t *testing.T) {
	q := make([]float64, 101)
	for k := range q {
		q[k] = float64(k) / 10
	}
	c3 := 3.0
	s := score.MustSchema(score.Feature{Name: "x", Action: &score.Action{}, Trend: score.Descending},
		score.Feature{Name: "y", Kind: score.Categorical, Action: &score.Action{}})
	m, err := score.NewModel(score.Spec{Name: "limits", Kind: score.LogisticModel, Features: s.Features(), Intercept: -1,
		Terms: []score.Term{
			{Feature: "x", Kind: score.LinearTerm, Coef: 0.5, Stats: &score.Stats{Count: 101, Quantiles: q,
				Cells: []score.Cell{{Upper: &c3, Count: 30, Events: 6}, {Lower: &c3, Count: 71, Events: 28}}}},
			{Feature: "y", Kind: score.CategoricalTerm, Reference: "a", Levels: []score.Level{
				{Label: "a", Count: 10, Events: 5}, {Label: "b", Effect: -2, Count: 10, Events: 6}}},
		}})
	require.NoError(t, err)
	sp, err := explain.NewActionSpace(m, nil, nil)
	require.NoError(t, err)
	rec := score.Record{score.Num(5), score.Cat("a")} // log-odds 1.5
	r, err := sp.Recourse(context.Background(), rec, nil)
	require.NoError(t, err)
	require.True(t, r.Infeasible)
	var got []string
	for _, l := range r.Limits {
		got = append(got, l.Feature+" "+l.Constraint)
	}
	require.ElementsMatch(t, []string{"x trend", "y support"}, got)
	require.Contains(t, r.Reason, "the data trend of x")
	require.Contains(t, r.Reason, "the data support of y")

	// The explanation withholds both pieces of advice, for those reasons.
	e, err := explain.NewExplainer(m, &explain.Options{MaxReasons: explain.AllReasons, Baseline: &explain.Baseline{Terms: []float64{0, -1}}})
	require.NoError(t, err)
	var ex explain.Explanation
	require.NoError(t, e.Explain(rec, &ex))
	codes := map[string]string{}
	for _, r := range ex.Reasons {
		codes[r.Feature] = r.AdviceWithheld
	}
	require.Equal(t, map[string]string{"x": explain.WithheldDeclaredTrend, "y": explain.WithheldDataTrend}, codes)
}
