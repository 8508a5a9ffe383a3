package main

import (
	"context"
	"fmt"
	"math"
	"strings"

	"github.com/candorscore/candor/explain"
	"github.com/candorscore/candor/fairness"
)

// demoActions are the demo's recourse rules: the credit history and the
// applicant's circumstances (and the loan's purpose) are fixed; the loan can
// be shorter or smaller, and checking and savings balances can grow (closing
// an account or hiding savings to look safer would be gaming the model, so
// those moves are not offered).
const demoActions = `{
  "immutable": ["credit_history", "present_residence_since", "number_of_people_being_liable_to_provide_maintenance_for",
                "present_employment_since", "job", "telephone", "other_debtors_or_guarantors", "number_of_existing_credits_at_this_bank",
                "purpose", "property", "housing", "other_installment_plans"],
  "features": {
    "duration_in_month": {"direction": "decrease"},
    "credit_amount": {"direction": "decrease"},
    "status_of_existing_checking_account": {"transitions": {
      "... < 0 DM": ["0 <= ... < 200 DM", "... >= 200 DM / salary assignments for at least 1 year"],
      "0 <= ... < 200 DM": ["... >= 200 DM / salary assignments for at least 1 year"]}},
    "savings_account_and_bonds": {"transitions": {
      "... < 100 DM": ["100 <= ... < 500 DM", "500 <= ... < 1000 DM", "... >= 1000 DM"],
      "100 <= ... < 500 DM": ["500 <= ... < 1000 DM", "... >= 1000 DM"],
      "500 <= ... < 1000 DM": ["... >= 1000 DM"]}}
  }
}`

// demoRecourse shows, for the first declined applicants, the cheapest
// changes that would flip the scorecard's decision, in plain words.
func demoRecourse(ctx context.Context, env *demoEnv) error {
	m := env.scorecard
	if m == nil {
		m = env.model
	}
	actions, err := explain.ParseActions([]byte(demoActions))
	if err != nil {
		return err
	}
	space, err := explain.NewActionSpace(m, actions, env.table)
	if err != nil {
		return err
	}
	cat, err := explain.DefaultCatalog().With(explain.RecourseMessages...)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.out, "\nrecourse: the cheapest changes that flip the %s's decision (exact; protected attributes and history fixed)\n", m.Kind())
	shown := 0
	for i := 0; i < env.table.Len() && shown < 3; i++ {
		rec, err := env.table.Record(m.Schema(), i)
		if err != nil {
			return err
		}
		r, err := space.Recourse(ctx, rec, &explain.RecourseOptions{K: 2, MaxChanges: 2})
		if err != nil {
			return err
		}
		if r.Already {
			continue
		}
		shown++
		fmt.Fprintf(env.out, "  applicant %d (probability of bad credit %.3f, target below %.2f):\n", i+1, r.Probability, r.Target)
		if r.Infeasible {
			fmt.Fprintf(env.out, "    no allowed change reaches the target: %s\n", r.Reason)
			continue
		}
		for _, cf := range r.Counterfactuals {
			text, err := explain.CounterfactualText(cat, "en", m.Schema(), cf)
			if err != nil {
				return err
			}
			fmt.Fprintf(env.out, "    cost %.3f -> probability %.3f: %s\n", cf.Cost, cf.Probability, text)
		}
	}
	return nil
}

// demoAudit audits the scorecard's decisions by sex (derived from
// personal_status_and_sex) and age band, with intervals: the protected
// attributes were never inputs, but they are what the audit is about.
func demoAudit(ctx context.Context, env *demoEnv) error {
	m := env.scorecard
	if m == nil {
		m = env.model
	}
	n := env.table.Len()
	labels := make([]bool, n)
	probs := make([]float64, n)
	sex := make([]string, n)
	band := make([]string, n)
	ci := env.table.Column("creditability")
	si := env.table.Column("personal_status_and_sex")
	ai := env.table.Column("age_in_years")
	for i, r := range m.ScoreTable(nil, env.table, nil) {
		if r.Err != nil {
			return r.Err
		}
		probs[i] = float64(r.Result.Probability)
		labels[i] = env.table.Cell(i, ci) == "good"
		sex[i] = "male"
		if strings.HasPrefix(env.table.Cell(i, si), "female") {
			sex[i] = "female"
		}
		band[i] = "over 25"
		if age := env.table.Cell(i, ai); len(age) > 0 && parseAge(age) <= 25 {
			band[i] = "25 or under"
		}
	}
	rep, err := fairness.Audit(ctx, fairness.Data{
		Labels: labels, Scores: probs, Threshold: float64(m.Cutoff()),
		Groups: []fairness.GroupColumn{{Name: "sex", Values: sex}, {Name: "age_band", Values: band}},
	}, &fairness.Options{Direction: fairness.HigherIsUnfavorable, Bootstrap: 1000, Seed: 1})
	if err != nil {
		return err
	}
	fmt.Fprintf(env.out, "\nfairness audit of the scorecard's approvals (in-sample; favourable = approved, cutoff P(bad) < %.2f):\n", m.Cutoff())
	for _, p := range rep.ByAttribute {
		fmt.Fprintf(env.out, "  by %s:\n", p.Attribute)
		for _, g := range p.Groups {
			fmt.Fprintf(env.out, "    %-12s n=%4d  approval %.3f [%.3f, %.3f]  TPR %.3f  FPR %.3f\n",
				g.Name, g.Count, g.SelectionRate.Value, g.SelectionRate.Lo, g.SelectionRate.Hi, g.TPR.Value, g.FPR.Value)
		}
		d := p.DemographicParityDifference
		fmt.Fprintf(env.out, "    approval gap %.3f [%.3f, %.3f] (1,000 bootstrap replicates); ratio %.3f: four-fifths screen %s\n",
			d.Value, d.Lo, d.Hi, p.DemographicParityRatio.Value, screenWord(p.FourFifths.Flagged))
	}
	return nil
}

func parseAge(s string) float64 {
	var x float64
	if _, err := fmt.Sscanf(s, "%g", &x); err != nil {
		return math.NaN()
	}
	return x
}

func screenWord(flagged []string) string {
	if len(flagged) == 0 {
		return "passed (a screen, not a legal verdict)"
	}
	return "flags " + strings.Join(flagged, ", ") + " (a screen, not a legal verdict)"
}
