// Command recourse shows what would change a model's decision, exactly and
// at minimal cost, on two built-in data sets:
//
//   - German credit: for declined applicants, the cheapest changes to the
//     application that would get it approved (loan term, amount, savings,
//     a guarantor ...), with age fixed and sex/marital status and
//     foreign-worker status protected (never model inputs, never changed);
//   - Telco churn: for customers at risk of churning, the cheapest retention
//     offers that would keep them (a longer contract, an automatic payment
//     method, added security or support services, a discount), with what the
//     customer is (tenure, household, gender, age band) fixed.
//
// Run it with:
//
//	go run ./examples/recourse             # three customers of each
//	go run ./examples/recourse -n 5 -lang de
//
// Each answer is the exact minimum of the action costs (the shift in
// training percentile of a number; 1 - share of customers holding a new
// label; a price per unit for discounts), found by branch and bound, with
// up to two alternatives that use different features. Every change is
// applied to the customer's record and scored again before it is shown.
// The output is deterministic: the same data gives the same bytes.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/candorscore/candor/examples/datasets"
	"github.com/candorscore/candor/explain"
	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/fit"
)

func main() {
	n := flag.Int("n", 3, "customers to show per data set")
	lang := flag.String("lang", "en", "language of the sentences: en or de")
	flag.Parse()
	if err := run(context.Background(), os.Stdout, os.Stderr, *n, *lang); err != nil {
		fmt.Fprintln(os.Stderr, "recourse:", err)
		os.Exit(1)
	}
}

// germanActions: what an applicant can change, as the example
// spells it, plus ordered savings that may only grow and a guarantor that
// may be added.
const germanActions = `{
  "immutable": ["age_in_years", "personal_status_and_sex", "foreign_worker",
                "number_of_people_being_liable_to_provide_maintenance_for", "present_residence_since", "job"],
  "features": {
    "duration_in_month": {"direction": "decrease"},
    "credit_amount": {"direction": "decrease", "max": 10000},
    "savings_account_and_bonds": {"direction": "increase", "order": [
      "unknown/ no savings account", "... < 100 DM", "100 <= ... < 500 DM", "500 <= ... < 1000 DM", "... >= 1000 DM"]},
    "other_debtors_or_guarantors": {"transitions": {"none": ["guarantor"], "co-applicant": ["guarantor"]}},
    "credit_history": {"immutable": true},
    "present_employment_since": {"immutable": true}
  }
}`

// telcoActions: the retention offers an account team can make. Contracts
// only lengthen, payments move to automatic methods, services are added
// (never removed), the monthly charge may fall by a discount priced at 0.02
// per dollar a month. Who the customer is stays fixed.
//
// The search follows the model, not intuition: once the services are in the
// model, they carry the price, and MonthlyCharges gets a small negative
// coefficient (-0.03 log-odds per dollar), so a discount alone never lowers
// this model's churn probability and is never proposed.
const telcoActions = `{
  "immutable": ["tenure", "Partner", "Dependents", "PhoneService", "MultipleLines", "InternetService",
                "StreamingTV", "StreamingMovies"],
  "features": {
    "Contract": {"transitions": {"Month-to-month": ["One year", "Two year"], "One year": ["Two year"]}},
    "PaymentMethod": {"transitions": {
      "Electronic check": ["Bank transfer (automatic)", "Credit card (automatic)"],
      "Mailed check": ["Bank transfer (automatic)", "Credit card (automatic)"]}},
    "OnlineSecurity": {"transitions": {"No": ["Yes"]}},
    "OnlineBackup": {"transitions": {"No": ["Yes"]}},
    "DeviceProtection": {"transitions": {"No": ["Yes"]}},
    "TechSupport": {"transitions": {"No": ["Yes"]}},
    "PaperlessBilling": {"transitions": {"Yes": ["No"]}},
    "MonthlyCharges": {"direction": "decrease", "cost_per_unit": 0.02}
  }
}`

// names are catalogue overrides: features and labels as customers say them.
var names = []explain.Message{
	{Lang: "en", Kind: explain.FeatureMessage, Key: "duration_in_month", Text: "loan term in months"},
	{Lang: "en", Kind: explain.FeatureMessage, Key: "credit_amount", Text: "amount requested in DM"},
	{Lang: "en", Kind: explain.FeatureMessage, Key: "savings_account_and_bonds", Text: "savings"},
	{Lang: "en", Kind: explain.FeatureMessage, Key: "other_debtors_or_guarantors", Text: "guarantor"},
	{Lang: "en", Kind: explain.FeatureMessage, Key: "status_of_existing_checking_account", Text: "checking account"},
	{Lang: "en", Kind: explain.FeatureMessage, Key: "installment_rate_in_percentage_of_disposable_income", Text: "instalment in % of disposable income"},
	{Lang: "en", Kind: explain.FeatureMessage, Key: "Contract", Text: "contract"},
	{Lang: "en", Kind: explain.FeatureMessage, Key: "PaymentMethod", Text: "payment method"},
	{Lang: "en", Kind: explain.FeatureMessage, Key: "MonthlyCharges", Text: "monthly charge in $"},
	{Lang: "en", Kind: explain.FeatureMessage, Key: "OnlineSecurity", Text: "online security service"},
	{Lang: "en", Kind: explain.FeatureMessage, Key: "TechSupport", Text: "tech support service"},
	{Lang: "en", Kind: explain.FeatureMessage, Key: "OnlineBackup", Text: "online backup service"},
	{Lang: "en", Kind: explain.FeatureMessage, Key: "DeviceProtection", Text: "device protection"},
	{Lang: "en", Kind: explain.FeatureMessage, Key: "PaperlessBilling", Text: "paperless billing"},
	{Lang: "en", Kind: explain.ValueMessage, Key: "PaperlessBilling=No", Text: "off"},
	{Lang: "en", Kind: explain.ValueMessage, Key: "PaperlessBilling=Yes", Text: "on"},
	{Lang: "de", Kind: explain.FeatureMessage, Key: "duration_in_month", Text: "Laufzeit in Monaten"},
	{Lang: "de", Kind: explain.FeatureMessage, Key: "credit_amount", Text: "beantragter Betrag in DM"},
	{Lang: "de", Kind: explain.FeatureMessage, Key: "savings_account_and_bonds", Text: "Ersparnisse"},
	{Lang: "de", Kind: explain.FeatureMessage, Key: "other_debtors_or_guarantors", Text: "Bürge"},
	{Lang: "de", Kind: explain.FeatureMessage, Key: "status_of_existing_checking_account", Text: "Girokonto"},
	{Lang: "de", Kind: explain.FeatureMessage, Key: "installment_rate_in_percentage_of_disposable_income", Text: "Rate in % des verfügbaren Einkommens"},
	{Lang: "de", Kind: explain.FeatureMessage, Key: "Contract", Text: "Vertrag"},
	{Lang: "de", Kind: explain.FeatureMessage, Key: "PaymentMethod", Text: "Zahlungsart"},
	{Lang: "de", Kind: explain.FeatureMessage, Key: "MonthlyCharges", Text: "Monatsgebühr in $"},
	{Lang: "de", Kind: explain.FeatureMessage, Key: "OnlineSecurity", Text: "Online-Sicherheitsdienst"},
	{Lang: "de", Kind: explain.FeatureMessage, Key: "TechSupport", Text: "technischer Support"},
}

// serviceValues shows added services as "included" rather than "Yes".
func serviceValues() []explain.Message {
	var out []explain.Message
	for _, f := range []string{"OnlineSecurity", "OnlineBackup", "DeviceProtection", "TechSupport"} {
		out = append(out,
			explain.Message{Lang: "en", Kind: explain.ValueMessage, Key: f + "=Yes", Text: "included"},
			explain.Message{Lang: "en", Kind: explain.ValueMessage, Key: f + "=No", Text: "not included"},
			explain.Message{Lang: "de", Kind: explain.ValueMessage, Key: f + "=Yes", Text: "enthalten"},
			explain.Message{Lang: "de", Kind: explain.ValueMessage, Key: f + "=No", Text: "nicht enthalten"})
	}
	return out
}

// study is one data set's recourse run.
type study struct {
	title, what, dataset, target, event string
	ignored, protected                  []string
	actions                             string
	scorecard                           bool
}

var studies = []study{
	{title: "German credit: declined applicants (logistic model)", what: "probability of bad credit",
		dataset: datasets.GermanCredit, target: "creditability", event: "bad",
		protected: []string{"personal_status_and_sex", "foreign_worker"}, actions: germanActions},
	{title: "German credit: declined applicants (points scorecard)", what: "probability of bad credit",
		dataset: datasets.GermanCredit, target: "creditability", event: "bad",
		protected: []string{"personal_status_and_sex", "foreign_worker"}, actions: germanActions, scorecard: true},
	{title: "Telco: customers at risk of churning (logistic model)", what: "probability of churn",
		dataset: datasets.TelcoChurn, target: "Churn", event: "Yes",
		// TotalCharges is about tenure x MonthlyCharges and blank for new
		// customers: left out.
		ignored: []string{"customerID", "TotalCharges"}, protected: []string{"gender", "SeniorCitizen"}, actions: telcoActions},
}

func run(ctx context.Context, w, stderr io.Writer, n int, lang string) error {
	msgs := append(append(append([]explain.Message{}, explain.RecourseMessages...), names...), serviceValues()...)
	cat, err := explain.DefaultCatalog().With(msgs...)
	if err != nil {
		return err
	}
	for k, st := range studies {
		if k > 0 {
			fmt.Fprintln(w)
		}
		if err := st.run(ctx, w, stderr, n, cat, lang); err != nil {
			return fmt.Errorf("%s: %w", st.title, err)
		}
	}
	return nil
}

func (st study) run(ctx context.Context, w, stderr io.Writer, n int, cat *explain.Catalog, lang string) error {
	tab, err := datasets.Load(st.dataset)
	if err != nil {
		return err
	}
	s, err := tab.InferSchema().WithRoles(score.Ignored, append([]string{st.target}, st.ignored...)...)
	if err != nil {
		return err
	}
	if s, err = s.WithRoles(score.Protected, st.protected...); err != nil {
		return err
	}
	var m *score.Model
	if st.scorecard {
		fitted, err := fit.Scorecard(ctx, tab, s, st.target, st.event, &fit.ScorecardOptions{Name: "scorecard"})
		if err != nil {
			return err
		}
		m = fitted.Model
	} else {
		fitted, err := fit.Logistic(ctx, tab, s, st.target, st.event, &fit.LogisticOptions{Name: "logistic"})
		if err != nil {
			return err
		}
		m = fitted.Model
	}
	actions, err := explain.ParseActions([]byte(st.actions))
	if err != nil {
		return err
	}
	space, err := explain.NewActionSpace(m, actions, tab)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "== %s\n", st.title)
	opts := &explain.RecourseOptions{K: 3}
	var flagged, answered, single, shown int
	var cost float64
	var elapsed time.Duration
	for i := 0; i < tab.Len(); i++ {
		rec, err := tab.Record(m.Schema(), i)
		if err != nil {
			return err
		}
		start := time.Now()
		r, err := space.Recourse(ctx, rec, opts)
		elapsed += time.Since(start)
		if err != nil {
			return err
		}
		if r.Already {
			continue
		}
		flagged++
		if r.Infeasible {
			if shown < n {
				fmt.Fprintf(w, "\ncustomer %d: %s %.2f: %s\n", i+1, st.what, r.Probability, r.Reason)
				shown++
			}
			continue
		}
		answered++
		cost += r.Counterfactuals[0].Cost
		if len(r.Counterfactuals[0].Changes) == 1 {
			single++
		}
		if shown >= n {
			continue
		}
		shown++
		fmt.Fprintf(w, "\ncustomer %d: %s %.2f (must fall below %.2f)\n", i+1, st.what, r.Probability, r.Target)
		for k, cf := range r.Counterfactuals {
			fmt.Fprintf(w, "  %d. cost %.3f, then %.4f:", k+1, cf.Cost, cf.Probability)
			for _, ch := range cf.Changes {
				fmt.Fprintf(w, "  %s %s -> %s", ch.Feature, ch.From, ch.To)
			}
			text, err := explain.CounterfactualText(cat, lang, m.Schema(), cf)
			if err != nil {
				return err
			}
			fmt.Fprintf(w, "\n     %s\n", text)
		}
	}
	fmt.Fprintf(w, "\n%d of %d customers on the adverse side; %d can be flipped within the actions (%d by one change), mean cheapest cost %.3f\n",
		flagged, tab.Len(), answered, single, cost/float64(max(answered, 1)))
	fmt.Fprintf(stderr, "%s: %d searches (k=3) in %v, %v per customer\n", st.title, tab.Len(), elapsed.Round(time.Millisecond), (elapsed / time.Duration(tab.Len())).Round(time.Microsecond))
	return nil
}
