// Command adverse-action writes adverse-action style notices for the
// applicants a credit model declines, on the built-in German credit data.
//
//	go run ./examples/adverse-action            # English notices
//	go run ./examples/adverse-action -lang de   # German notices
//	go run ./examples/adverse-action -n 5       # five notices
//
// It follows the method US Regulation B (commentary 9(b)(2)) names for
// picking principal reasons: compare the applicant with the applicants at
// or just above the cutoff, and give the factors where the applicant fell
// furthest short, at most four. Concretely:
//
//  1. fit a logistic model of bad credit, with sex/marital status, age and
//     foreign-worker status declared protected (never inputs) and savings
//     marked sensitive (used, but neither its value nor its exact effect
//     is shown to anyone: the notice and the staff line give the published
//     explanation, explain.Publish, where savings has its group's effect);
//  2. build the reference baseline from the 100 approved applicants whose
//     probability of bad credit is closest below the cutoff (0.5);
//  3. for each declined applicant (probability >= cutoff) take the top four
//     reason codes against that baseline, and render them with a message
//     catalogue that gives the features names a customer understands; a
//     reason says what would improve the result only for a feature the
//     features file (examples/datasets/features) declares changeable, in a
//     direction the training data support;
//  4. summarise how often each reason is the principal one.
//
// The output is deterministic: the same data gives the same bytes.
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/candorscore/candor/examples/datasets"
	"github.com/candorscore/candor/explain"
	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/fit"
)

func main() {
	lang := flag.String("lang", "en", "language of the notices: en or de")
	n := flag.Int("n", 3, "notices to print (the first n declined applicants)")
	flag.Parse()
	if err := run(context.Background(), os.Stdout, *lang, *n); err != nil {
		fmt.Fprintln(os.Stderr, "adverse-action:", err)
		os.Exit(1)
	}
}

// names gives the German credit features names a customer understands, in
// English and German, as catalogue overrides.
var names = []struct{ feature, en, de string }{
	{"status_of_existing_checking_account", "checking account balance", "Kontostand des Girokontos"},
	{"duration_in_month", "loan term in months", "Laufzeit in Monaten"},
	{"credit_history", "credit history", "bisherige Kreditgeschichte"},
	{"purpose", "purpose of the loan", "Verwendungszweck"},
	{"credit_amount", "amount requested in DM", "beantragter Betrag in DM"},
	{"savings_account_and_bonds", "savings", "Ersparnisse"},
	{"present_employment_since", "time with current employer", "Dauer der jetzigen Beschäftigung"},
	{"installment_rate_in_percentage_of_disposable_income", "instalment rate in percent of disposable income", "Rate in Prozent des verfügbaren Einkommens"},
	{"other_debtors_or_guarantors", "co-applicants or guarantors", "weitere Schuldner oder Bürgen"},
	{"present_residence_since", "years at current address", "Jahre an der jetzigen Adresse"},
	{"property", "property", "Vermögenswerte"},
	{"other_installment_plans", "other instalment plans", "andere Ratenkredite"},
	{"housing", "housing", "Wohnsituation"},
	{"number_of_existing_credits_at_this_bank", "number of loans with us", "Anzahl Kredite bei uns"},
	{"job", "occupation", "Beruf"},
	{"number_of_people_being_liable_to_provide_maintenance_for", "number of dependants", "Anzahl Unterhaltsberechtigter"},
	{"telephone", "telephone on record", "hinterlegtes Telefon"},
}

// catalog adds the feature names and notice-style reason sentences to the
// built-in catalogue.
func catalog() (*explain.Catalog, error) {
	// German credit's catalogue: its category labels in plain English and
	// in German (so that a German notice is German throughout).
	b, err := datasets.Messages(datasets.GermanCredit)
	if err != nil {
		return nil, err
	}
	msgs, err := explain.ReadMessages(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	msgs = append(msgs, []explain.Message{
		{Lang: "en", Kind: explain.ReasonMessage, Text: "Your {feature} ({bin}) compared unfavourably with approved applicants."},
		{Lang: "en", Kind: explain.ReasonMessage, Sensitive: true, Text: "Your {feature} compared unfavourably with approved applicants."},
		{Lang: "de", Kind: explain.ReasonMessage, Text: "Ihr Merkmal „{feature}“ ({bin}) schnitt schlechter ab als bei bewilligten Anträgen."},
		{Lang: "de", Kind: explain.ReasonMessage, Sensitive: true, Text: "Ihr Merkmal „{feature}“ schnitt schlechter ab als bei bewilligten Anträgen."},
	}...)
	for _, n := range names {
		msgs = append(msgs,
			explain.Message{Lang: "en", Kind: explain.FeatureMessage, Key: n.feature, Text: n.en},
			explain.Message{Lang: "de", Kind: explain.FeatureMessage, Key: n.feature, Text: n.de})
	}
	// These names already say the unit ("loan term in months"): no unit
	// after the number.
	for _, f := range []string{"duration_in_month", "credit_amount"} {
		msgs = append(msgs, explain.Message{Lang: "en", Kind: explain.UnitMessage, Key: f, Text: ""},
			explain.Message{Lang: "de", Kind: explain.UnitMessage, Key: f, Text: ""})
	}
	return explain.DefaultCatalog().With(msgs...)
}

var notice = map[string]struct{ title, body, reasons, footer string }{
	"en": {
		title:   "NOTICE OF ACTION TAKEN - application %d",
		body:    "Thank you for your application. We are unable to approve it. Our decision was based on a credit scoring system that assigns values to the information you gave us; the principal reasons, most important first, are:",
		reasons: "  %d. ",
		footer:  "You may ask us within 60 days for the specific reasons again and for a copy of the information we used. This decision did not use your sex, marital status, age or nationality.",
	},
	"de": {
		title:   "MITTEILUNG ÜBER DIE ABLEHNUNG - Antrag %d",
		body:    "Vielen Dank für Ihren Antrag. Wir können ihm leider nicht entsprechen. Die Entscheidung beruht auf einem Bewertungsverfahren, das Ihre Angaben gewichtet; die wichtigsten Gründe, der wichtigste zuerst:",
		reasons: "  %d. ",
		footer:  "Sie können innerhalb von 60 Tagen die Gründe erneut und eine Kopie der verwendeten Angaben anfordern. Geschlecht, Familienstand, Alter und Staatsangehörigkeit wurden nicht verwendet.",
	},
}

func run(ctx context.Context, w io.Writer, lang string, show int) error {
	nt, ok := notice[lang]
	if !ok {
		return fmt.Errorf("%w: %q (en or de)", explain.ErrUnknownLanguage, lang)
	}
	tab, err := datasets.Load(datasets.GermanCredit)
	if err != nil {
		return err
	}
	s, err := tab.InferSchema().WithRoles(score.Ignored, "creditability")
	if err != nil {
		return err
	}
	s, err = s.WithRoles(score.Protected, "personal_status_and_sex", "age_in_years", "foreign_worker")
	if err != nil {
		return err
	}
	// The features file declares what an applicant may change: a reason on
	// any other feature (credit history, purpose, ...) carries no advice.
	decl, err := datasets.Features(datasets.GermanCredit)
	if err != nil {
		return err
	}
	if s, err = decl.Apply(s); err != nil {
		return err
	}
	fs := s.Features()
	for i := range fs {
		if fs[i].Name == "savings_account_and_bonds" {
			fs[i].Sensitive = true
		}
	}
	if s, err = score.NewSchema(fs...); err != nil {
		return err
	}
	fitted, err := fit.Logistic(ctx, tab, s, "creditability", "bad", &fit.LogisticOptions{Name: "german-credit"})
	if err != nil {
		return err
	}
	m := fitted.Model
	recs := make([]score.Record, tab.Len())
	for i, r := range m.ScoreTable(nil, tab, nil) {
		if r.Err != nil {
			return r.Err
		}
		recs[i] = r.Record
	}
	// Regulation B: compare with applicants at or just above the cutoff.
	near, err := explain.NearCutoff(m, recs, 100)
	if err != nil {
		return err
	}
	base, err := explain.ReferenceBaseline(m, near)
	if err != nil {
		return err
	}
	e, err := explain.NewExplainer(m, &explain.Options{Baseline: &base, MaxReasons: 4})
	if err != nil {
		return err
	}
	cat, err := catalog()
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "model %s: %d applicants, cutoff %.2f probability of bad credit\n", m.Name(), len(recs), float64(m.Cutoff()))
	fmt.Fprintf(w, "reference: %d approved applicants nearest the cutoff (probability %.3f to %.3f)\n\n",
		len(near), prob(m, near[len(near)-1]), prob(m, near[0]))

	principal := map[string]int{}
	declined, printed := 0, 0
	// ex is the exact explanation, which decides; pub is what may be shown
	// (explain.Publish: savings at its group's effect, its level never
	// named). The notice and the staff line both give pub: an exact effect
	// of savings would name its level to anyone with the model file.
	var ex, pub explain.Explanation
	for i, r := range recs {
		if err := e.Explain(r, &ex); err != nil {
			return score.WithRow(err, i+1)
		}
		if ex.Result.Probability < m.Cutoff() {
			continue
		}
		declined++
		e.Publish(&pub, &ex)
		if len(pub.Reasons) > 0 {
			principal[pub.Reasons[0].Feature]++
		}
		if printed == show {
			continue
		}
		printed++
		fmt.Fprintf(w, nt.title+"\n\n%s\n", i+1, nt.body)
		for k, rs := range pub.Reasons {
			a := e.ReasonArgs(rs, pub.Positions[rs.Term])
			txt, err := cat.Text(lang, explain.ReasonMessage, a)
			if err != nil {
				return err
			}
			imp, err := cat.Text(lang, explain.ImproveMessage, a) // "" when the reason carries no advice
			if err != nil {
				return err
			}
			if imp != "" {
				txt += " " + imp
			}
			fmt.Fprintf(w, nt.reasons+"%s\n", k+1, txt)
		}
		fmt.Fprintf(w, "\n%s\n", nt.footer)
		// Staff see the notice's reasons with their published effects and
		// the reason codes; the probability is the published one (the
		// exact one, less the published, would give savings' exact effect).
		fmt.Fprintf(w, "[for staff: declined on the exact score; published probability %.3f; reason effects in log-odds:", float64(pub.Result.Probability))
		for _, rs := range pub.Reasons {
			fmt.Fprintf(w, " %s %+.3f", rs.Code, rs.Effect)
			if rs.Withheld {
				fmt.Fprint(w, " banded (sensitive: the effect of its group of levels)")
			}
		}
		fmt.Fprint(w, "]\n\n")
	}
	fmt.Fprintf(w, "%d of %d applicants declined; principal reason across declined applicants:\n", declined, len(recs))
	keys := make([]string, 0, len(principal))
	for k := range principal {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int {
		if principal[a] != principal[b] {
			return principal[b] - principal[a]
		}
		return strings.Compare(a, b)
	})
	for _, k := range keys {
		f, _ := m.Schema().Lookup(k)
		fmt.Fprintf(w, "  %4d  %s\n", principal[k], cat.FeatureName(lang, f))
	}
	return nil
}

func prob(m *score.Model, r score.Record) float64 {
	res, err := m.Score(r)
	if err != nil {
		return 0
	}
	return float64(res.Probability)
}
