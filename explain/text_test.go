package explain_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/explain"
	"github.com/candorscore/candor/score"
)

func TestCatalogRendersEnglishAndGerman(t *testing.T) {
	cat := explain.DefaultCatalog()
	require.Equal(t, []string{"de", "en"}, cat.Languages())
	f := score.Feature{Name: "credit_amount", Kind: score.Numeric}
	a := explain.Args{Feature: f, Value: score.Num(1234.5), Bin: "(1000, 2500]", Direction: explain.Lower,
		From: score.Num(5000), To: score.Num(2500.25)}
	cases := []struct {
		lang string
		kind explain.MessageKind
		want string
	}{
		{"en", explain.ReasonMessage, "Your credit amount ((1000, 2500]) weighed against the result."},
		{"en", explain.ImproveMessage, "A lower value for your credit amount would improve the result."},
		{"en", explain.ChangeMessage, "If your credit amount were 2500.25 instead of 5000"},
		{"de", explain.ReasonMessage, "Ihr Merkmal „credit amount“ ((1000, 2500]) wirkte sich nachteilig auf das Ergebnis aus."},
		{"de", explain.ImproveMessage, "Ein niedrigerer Wert bei „credit amount“ würde das Ergebnis verbessern."},
		{"de", explain.ChangeMessage, "Wenn Ihr Merkmal „credit amount“ 2500,25 statt 5000 wäre"},
		{"en", explain.FeatureMessage, "credit amount"},
	}
	for _, c := range cases {
		got, err := cat.Text(c.lang, c.kind, a)
		require.NoError(t, err)
		require.Equal(t, c.want, got, "%s %s", c.lang, c.kind)
	}
	_, err := cat.Text("fr", explain.ReasonMessage, a)
	require.ErrorIs(t, err, explain.ErrUnknownLanguage)
}

func TestCatalogOverrides(t *testing.T) {
	cat, err := explain.DefaultCatalog().With(
		explain.Message{Lang: "en", Kind: explain.FeatureMessage, Key: "purpose", Text: "purpose of the loan"},
		explain.Message{Lang: "en", Kind: explain.ValueMessage, Key: "purpose=car (new)", Text: "a new car"},
		explain.Message{Lang: "en", Kind: explain.ReasonMessage, Key: "P1", Text: "Loans for {bin} default more often ({code})."},
		explain.Message{Lang: "en", Kind: explain.ReasonMessage, Key: "purpose", Text: "Your {feature} counted against you."},
		explain.Message{Lang: "en", Kind: explain.WordMessage, Key: explain.WordDifferent, Text: "new"},
	)
	require.NoError(t, err)
	f := score.Feature{Name: "purpose", Kind: score.Categorical}
	a := explain.Args{Feature: f, Code: "P1", Value: score.Cat("car (new)"), Bin: "car (new)"}
	got, err := cat.Text("en", explain.ReasonMessage, a)
	require.NoError(t, err)
	require.Equal(t, "Loans for a new car default more often (P1).", got, "code key beats feature key")
	a.Code = "P2"
	got, err = cat.Text("en", explain.ReasonMessage, a)
	require.NoError(t, err)
	require.Equal(t, "Your purpose of the loan counted against you.", got, "feature key beats the default")
	got, err = cat.Text("en", explain.ImproveMessage, a)
	require.NoError(t, err)
	require.Equal(t, "A new value for your purpose of the loan would improve the result.", got)
	// German is untouched by English overrides.
	got, err = cat.Text("de", explain.ReasonMessage, a)
	require.NoError(t, err)
	require.Equal(t, "Ihr Merkmal „purpose“ (car (new)) wirkte sich nachteilig auf das Ergebnis aus.", got)
}

func TestCatalogRejectsBadMessages(t *testing.T) {
	base := explain.DefaultCatalog()
	for name, m := range map[string]explain.Message{
		"unknown placeholder": {Lang: "en", Kind: explain.ReasonMessage, Text: "Your {salary} is low"},
		"unclosed brace":      {Lang: "en", Kind: explain.ReasonMessage, Text: "Your {feature is low"},
		"stray brace":         {Lang: "en", Kind: explain.ReasonMessage, Text: "Your feature} is low"},
		"unknown kind":        {Lang: "en", Kind: "shout", Text: "x"},
		"no language":         {Kind: explain.ReasonMessage, Text: "x"},
		"incomplete language": {Lang: "fr", Kind: explain.ReasonMessage, Text: "Votre {feature}"},
		"word with hole":      {Lang: "en", Kind: explain.WordMessage, Key: explain.WordHigher, Text: "{value}"},
	} {
		_, err := base.With(m)
		require.ErrorIs(t, err, explain.ErrTemplate, name)
	}
	// Literal braces.
	c, err := base.With(explain.Message{Lang: "en", Kind: explain.ChangeMessage, Text: "{{{feature}}}"})
	require.NoError(t, err)
	got, err := c.Text("en", explain.ChangeMessage, explain.Args{Feature: score.Feature{Name: "x"}})
	require.NoError(t, err)
	require.Equal(t, "{x}", got)
}

// TestSensitiveNeverShown renders every kind, in every language, with
// templates that try to show the value, and scans the output for it.
func TestSensitiveNeverShown(t *testing.T) {
	const secret = "7391"
	cat, err := explain.DefaultCatalog().With(
		explain.Message{Lang: "en", Kind: explain.ReasonMessage, Key: "income", Text: "Your {feature} of {value} ({bin}) from {from} to {to}."},
	)
	require.NoError(t, err)
	f := score.Feature{Name: "income", Kind: score.Numeric, Sensitive: true}
	a := explain.Args{Feature: f, Value: score.Num(7391), Bin: "7391 exactly", From: score.Num(7391), To: score.Num(7391)}
	for _, lang := range cat.Languages() {
		for _, k := range []explain.MessageKind{explain.ReasonMessage, explain.ImproveMessage, explain.ChangeMessage, explain.FeatureMessage} {
			got, err := cat.Text(lang, k, a)
			require.NoError(t, err)
			require.NotContains(t, got, secret, "%s %s: %q", lang, k, got)
		}
		require.NotContains(t, cat.ValueText(lang, f, a.Value), secret)
	}
	got, _ := cat.Text("en", explain.ReasonMessage, a)
	require.Equal(t, "Your income of not shown (not shown) from not shown to not shown.", got)
	got, _ = cat.Text("en", explain.ChangeMessage, a)
	require.Equal(t, "If your income were different", got, "sensitive variant chosen")

	// Through a whole report of the DMG scorecard with income sensitive.
	spec := dmgScorecard(t, false).Spec()
	spec.Features[2].Sensitive = true
	m, err := score.NewModel(spec)
	require.NoError(t, err)
	e, err := explain.NewExplainer(m, &explain.Options{KeepZero: true, MaxReasons: -1})
	require.NoError(t, err)
	var ex explain.Explanation
	require.NoError(t, e.Explain(score.Record{score.Cat("engineering"), score.Num(25), score.Num(7391)}, &ex))
	for _, lang := range []string{"en", "de"} {
		rep, err := e.AppendReport(nil, explain.DefaultCatalog(), lang, &ex, 3)
		require.NoError(t, err)
		require.NotContains(t, string(rep), secret)
		require.NotContains(t, string(rep), "> 2500", "the bin would reveal the value too")
		txt, err := e.AppendCustomerText(nil, explain.DefaultCatalog(), lang, &ex)
		require.NoError(t, err)
		require.NotContains(t, string(txt), secret)
		require.Equal(t, 3, strings.Count(string(txt), "\n"))
	}
}

func TestReadMessages(t *testing.T) {
	msgs, err := explain.ReadMessages(strings.NewReader(`[{"lang":"en","kind":"feature","key":"age","text":"your age"}]`))
	require.NoError(t, err)
	require.Equal(t, []explain.Message{{Lang: "en", Kind: explain.FeatureMessage, Key: "age", Text: "your age"}}, msgs)
	_, err = explain.ReadMessages(strings.NewReader(`[{"lang":"en","colour":"red"}]`))
	require.ErrorIs(t, err, explain.ErrTemplate)
}

func TestDirection(t *testing.T) {
	m := dmgScorecard(t, false)
	e, err := explain.NewExplainer(m, nil)
	require.NoError(t, err)
	// age bin (18, 29] (pos 2): the best range bin, > 39, lies above.
	require.Equal(t, explain.Higher, e.Direction(1, 2))
	// income > 2500 (pos 3): the best, <= 1000, lies below.
	require.Equal(t, explain.Lower, e.Direction(2, 3))
	// already in the best bin, a missing bin, a category: no direction.
	require.Equal(t, explain.AnyDirection, e.Direction(1, 4))
	require.Equal(t, explain.AnyDirection, e.Direction(1, 0))
	require.Equal(t, explain.AnyDirection, e.Direction(0, 2))
}

// TestLabelWithItsOwnDeterminer: a features file's label is often written
// as a customer would read it, with its own determiner ("your yearly
// income", "the interest rate offered"). The English templates' "your"
// before {feature} must then give way, not read "Your your yearly income"
// or "Your the interest rate offered" (found on a public credit-risk file
// with such labels). A label without one keeps the template's "your".
func TestLabelWithItsOwnDeterminer(t *testing.T) {
	cat := explain.DefaultCatalog()
	cases := []struct {
		label string
		kind  explain.MessageKind
		want  string
	}{
		{"your yearly income", explain.ReasonMessage, "Your yearly income (low) weighed against the result."},
		{"your yearly income", explain.ImproveMessage, "A higher value for your yearly income would improve the result."},
		{"your yearly income", explain.ChangeMessage, "If your yearly income were 2 instead of 1"},
		{"the interest rate offered", explain.ReasonMessage, "The interest rate offered (low) weighed against the result."},
		{"the interest rate offered", explain.ImproveMessage, "A higher value for the interest rate offered would improve the result."},
		{"The interest rate offered", explain.ChangeMessage, "If the interest rate offered were 2 instead of 1"},
		{"a default on your bureau file", explain.ReasonMessage, "A default on your bureau file (low) weighed against the result."},
		{"Your Housing", explain.ReasonMessage, "Your Housing (low) weighed against the result."},
		// no determiner of its own: the template's "your" stays
		{"months since your most recent late payment", explain.ReasonMessage,
			"Your months since your most recent late payment (low) weighed against the result."},
		{"theatre visits", explain.ImproveMessage, "A higher value for your theatre visits would improve the result."},
		{"annual income", explain.ChangeMessage, "If your annual income were 2 instead of 1"},
	}
	for _, c := range cases {
		f := score.Feature{Name: "x", Kind: score.Numeric, Label: c.label}
		a := explain.Args{Feature: f, Value: score.Num(1), Bin: "low", Direction: explain.Higher, From: score.Num(1), To: score.Num(2)}
		got, err := cat.Text("en", c.kind, a)
		require.NoError(t, err)
		require.Equal(t, c.want, got, "%q %s", c.label, c.kind)
	}
	// German quotes the label: it is shown as given.
	f := score.Feature{Name: "x", Kind: score.Numeric, Label: "Ihr Einkommen"}
	got, err := cat.Text("de", explain.ReasonMessage, explain.Args{Feature: f, Value: score.Num(1), Bin: "low"})
	require.NoError(t, err)
	require.Equal(t, "Ihr Merkmal „Ihr Einkommen“ (low) wirkte sich nachteilig auf das Ergebnis aus.", got)
}

// A column named for the customer ("person_home_ownership", the Kaggle
// credit_risk_dataset's naming) read "Your person home ownership": the
// text already addresses the customer, so the derived name drops a
// leading word that names them, when a word remains after it.
func TestFeatureNameDropsCustomerWord(t *testing.T) {
	cat := explain.DefaultCatalog()
	for name, want := range map[string]string{
		"person_home_ownership": "home ownership",
		"Customer_Age":          "age",
		"client_income":         "income",
		"applicant_emp_length":  "emp length",
		"person":                "person",          // nothing would remain
		"personal_status":       "personal status", // a different word
		"credit_amount":         "credit amount",
	} {
		require.Equal(t, want, cat.FeatureName("en", score.Feature{Name: name}), name)
	}
	// a declared label is used as written
	require.Equal(t, "person X", cat.FeatureName("en", score.Feature{Name: "person_x", Label: "person X"}))
	a := explain.Args{Feature: score.Feature{Name: "person_home_ownership", Kind: score.Categorical}, Value: score.Cat("RENT")}
	require.Equal(t, "Your home ownership (RENT) weighed against the result.", mustText(t, cat, a))
}

// TestFeatureNameSplitsCamelCase: a column named in camel case reads as
// words, as an underscored one does. The loan-prediction file (trial8)
// said "Your ApplicantIncome (between 4166 and 10099) weighed against the
// result."; its applicant word goes as person_ does. The Give Me Some
// Credit file (trial10) said "Your Number Of Times90Days Late (1)": a
// number inside a name is a word of its own, and a capitalised word reads
// in small letters, since every template puts the name mid-sentence
// ("Your number of times 90 days late (1)"); acronyms and words in
// capitals stay as written.
func TestFeatureNameSplitsCamelCase(t *testing.T) {
	cat := explain.DefaultCatalog()
	for name, want := range map[string]string{
		"ApplicantIncome":                      "income",
		"CoapplicantIncome":                    "coapplicant income",
		"MonthlyCharges":                       "monthly charges",
		"NumOfProducts":                        "num of products",
		"Loan_Amount_Term":                     "loan amount term",
		"CustomerID":                           "ID",       // an acronym stays one word
		"HbA1c":                                "hb A1c",   // a capital after a small letter starts a word
		"tenure":                               "tenure",   // one word
		"BALANCE":                              "BALANCE",  // capitals alone never split
		"Customer":                             "customer", // nothing would remain
		"PersonalLoan":                         "personal loan",
		"NumberOfTimes90DaysLate":              "number of times 90 days late",
		"NumberOfTime30-59DaysPastDueNotWorse": "number of time 30-59 days past due not worse",
		"Credit_Score":                         "credit score",
		"Months_on_book":                       "months on book",
		"Total_Ct_Chng_Q4_Q1":                  "total ct chng Q4 Q1", // a letter and a digit stay as written
	} {
		require.Equal(t, want, cat.FeatureName("en", score.Feature{Name: name}), name)
	}
	a := explain.Args{Feature: score.Feature{Name: "ApplicantIncome", Kind: score.Numeric}, Value: score.Num(4583)}
	require.Equal(t, "Your income (4583) weighed against the result.", mustText(t, cat, a))
}

func mustText(t *testing.T, cat *explain.Catalog, a explain.Args) string {
	t.Helper()
	s, err := cat.Text("en", explain.ReasonMessage, a)
	require.NoError(t, err)
	return s
}
