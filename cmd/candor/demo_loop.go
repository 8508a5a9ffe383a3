package main

import (
	"context"
	"fmt"
	"math"
	"strings"

	"github.com/candorscore/candor/explain"
	"github.com/candorscore/candor/fairness"
)

// demoRecourse shows, for the first declined applicants, the cheapest
// honest changes that would flip the scorecard's decision, in plain words
// in English and German: only what the features file lets an applicant
// change (the loan's term and amount down, savings and checking balances
// up, a guarantor added; closing an account or hiding savings to look
// safer would be gaming the model, so those moves are not declared), each
// change backed by the training data (the proposed bin's bad rate is
// lower than the current one's) and of at least its min_change.
func demoRecourse(ctx context.Context, env *demoEnv) error {
	m := env.scorecard
	if m == nil {
		m = env.model
	}
	space, err := explain.NewActionSpace(m, nil, env.table)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.out, "\nrecourse: the cheapest honest changes that flip the %s's decision (exact; only declared actions, backed by the training data)\n", m.Kind())
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
			fmt.Fprintf(env.out, "    cost %.3f -> probability %.3f:", cf.Cost, cf.Probability)
			for _, ch := range cf.Changes {
				if s := ch.Support; s != nil {
					fmt.Fprintf(env.out, " [%s: bad rate %.2f of %.0f applicants -> %.2f of %.0f]", ch.Feature, s.CurrentRate, s.CurrentRows, s.ProposedRate, s.ProposedRows)
				}
			}
			fmt.Fprintln(env.out)
			for _, lang := range []string{"en", "de"} {
				text, err := explain.CounterfactualText(env.catalog, lang, m.Schema(), cf)
				if err != nil {
					return err
				}
				fmt.Fprintf(env.out, "      (%s) %s\n", lang, text)
			}
		}
	}
	return nil
}

// demoCheck audits the scorecard's advice over every applicant
// (explain.CheckAdvice, as `candor check` does): how many declined
// applicants get advice, have advice withheld and why, and have recourse.
func demoCheck(ctx context.Context, env *demoEnv) error {
	m := env.scorecard
	if m == nil {
		m = env.model
	}
	rep, err := explain.CheckAdvice(ctx, m, env.table, &explain.CheckOptions{Train: env.table})
	if err != nil {
		return err
	}
	fmt.Fprintln(env.out)
	return writeCheckText(env.out, rep, false)
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
