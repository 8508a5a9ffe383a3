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
	"bytes"
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

// The actions are the data sets' features files
// (examples/datasets/features): what a customer may honestly change.
// German credit: the loan's term and amount down, savings and checking
// balances up (step by step), a guarantor added. Telco: contracts only
// lengthen, payments move to automatic methods, services are added (never
// removed), the monthly charge may fall by a discount priced at 0.02 per
// dollar a month. Everything else (age, history, tenure, household) is
// immutable because nobody declared it changeable.
//
// The search follows the model, within what the data support: once the
// services are in the Telco model they carry the price, and MonthlyCharges
// gets a negative coefficient (-0.03 log-odds per dollar) although churn
// rises with the charge in the data; a discount alone never lowers this
// model's churn probability and is never proposed, and the model's hint
// that a higher charge would help is never given either.

// names are catalogue overrides for Telco in German (the English words are
// the features file's labels; German credit brings its own catalogue).
var names = []explain.Message{
	{Lang: "de", Kind: explain.FeatureMessage, Key: "Contract", Text: "Vertrag"},
	{Lang: "de", Kind: explain.FeatureMessage, Key: "PaymentMethod", Text: "Zahlungsart"},
	{Lang: "de", Kind: explain.FeatureMessage, Key: "MonthlyCharges", Text: "Monatsgebühr"},
	{Lang: "de", Kind: explain.FeatureMessage, Key: "OnlineSecurity", Text: "Online-Sicherheitsdienst"},
	{Lang: "de", Kind: explain.FeatureMessage, Key: "OnlineBackup", Text: "Online-Datensicherung"},
	{Lang: "de", Kind: explain.FeatureMessage, Key: "DeviceProtection", Text: "Geräteschutz"},
	{Lang: "de", Kind: explain.FeatureMessage, Key: "TechSupport", Text: "technischer Support"},
	{Lang: "de", Kind: explain.ValueMessage, Key: "Contract=Month-to-month", Text: "monatlich kündbar"},
	{Lang: "de", Kind: explain.ValueMessage, Key: "Contract=One year", Text: "ein Jahr"},
	{Lang: "de", Kind: explain.ValueMessage, Key: "Contract=Two year", Text: "zwei Jahre"},
	{Lang: "de", Kind: explain.ValueMessage, Key: "PaymentMethod=Electronic check", Text: "elektronischer Scheck"},
	{Lang: "de", Kind: explain.ValueMessage, Key: "PaymentMethod=Mailed check", Text: "Scheck per Post"},
	{Lang: "de", Kind: explain.ValueMessage, Key: "PaymentMethod=Bank transfer (automatic)", Text: "Überweisung (automatisch)"},
	{Lang: "de", Kind: explain.ValueMessage, Key: "PaymentMethod=Credit card (automatic)", Text: "Kreditkarte (automatisch)"},
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
	scorecard                           bool
}

var studies = []study{
	{title: "German credit: declined applicants (logistic model)", what: "probability of bad credit",
		dataset: datasets.GermanCredit, target: "creditability", event: "bad",
		protected: []string{"personal_status_and_sex", "foreign_worker"}},
	{title: "German credit: declined applicants (points scorecard)", what: "probability of bad credit",
		dataset: datasets.GermanCredit, target: "creditability", event: "bad",
		protected: []string{"personal_status_and_sex", "foreign_worker"}, scorecard: true},
	{title: "Telco: customers at risk of churning (logistic model)", what: "probability of churn",
		dataset: datasets.TelcoChurn, target: "Churn", event: "Yes",
		// TotalCharges is about tenure x MonthlyCharges and blank for new
		// customers: left out.
		ignored: []string{"customerID", "TotalCharges"}, protected: []string{"gender", "SeniorCitizen"}},
}

func run(ctx context.Context, w, stderr io.Writer, n int, lang string) error {
	german, err := datasets.Messages(datasets.GermanCredit)
	if err != nil {
		return err
	}
	gm, err := explain.ReadMessages(bytes.NewReader(german))
	if err != nil {
		return err
	}
	msgs := append(append(append(append([]explain.Message{}, explain.RecourseMessages...), gm...), names...), serviceValues()...)
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
	decl, err := datasets.Features(st.dataset)
	if err != nil {
		return err
	}
	if s, err = decl.Apply(s); err != nil {
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
	space, err := explain.NewActionSpace(m, nil, tab)
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
	// The advice audit (candor check): who gets advice, who has it withheld
	// and why, who has recourse.
	rep, err := explain.CheckAdvice(ctx, m, tab, &explain.CheckOptions{Train: tab})
	if err != nil {
		return err
	}
	pct := func(n int) float64 { return 100 * float64(n) / float64(max(rep.Adverse, 1)) }
	withheld := map[string]int{}
	for _, f := range rep.Features {
		for code, n := range f.Withheld {
			withheld[code] += n
		}
	}
	fmt.Fprintf(w, "advice check: %d adverse; %.1f%% get advice, %.1f%% have a reason without advice (", rep.Adverse, pct(rep.Advised), pct(rep.WithheldAdvice))
	sep := ""
	for _, code := range explain.WithheldCodes {
		if withheld[code] > 0 {
			fmt.Fprintf(w, "%s%s %d", sep, code, withheld[code])
			sep = ", "
		}
	}
	fmt.Fprintf(w, "); recourse %.1f%%, only unsupported %.1f%%, none %.1f%%; rule violations %d\n",
		pct(rep.Recourse), pct(rep.UnsupportedOnly), pct(rep.NoRecourse), rep.Violations.Total())
	fmt.Fprintf(stderr, "%s: %d searches (k=3) in %v, %v per customer\n", st.title, tab.Len(), elapsed.Round(time.Millisecond), (elapsed / time.Duration(tab.Len())).Round(time.Microsecond))
	return nil
}
