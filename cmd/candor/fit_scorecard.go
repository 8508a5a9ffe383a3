package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/candorscore/candor/score"
)

// fitScorecardCmd is `candor fit --model scorecard`: automatic optimal
// binning, selection, logistic regression on WoE with the sign check, and
// points at the default scaling (600 points at 19:1, 50 points to double
// the odds). Blank feature cells are data (the missing bin); --missing
// applies to blank target cells only.
func fitScorecardCmd(ctx context.Context, t *score.Table, s *score.Schema, a fitArgs, policy score.MissingPolicy) (*score.Model, string, error) {
	fit, err := score.FitScorecard(ctx, t, s, a.target, a.event, &score.ScorecardOptions{
		L2: a.l2, Missing: policy, Name: a.name})
	if err != nil {
		return nil, "", err
	}
	return fit.Model, scorecardReport(fit, a.target, a.event), nil
}

// scorecardReport is the fit summary, the selection, the points table and
// the binning tables.
func scorecardReport(fit *score.ScorecardFit, target, event string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "candor fit: scorecard of %s=%s\n", target, event)
	fmt.Fprintf(&b, "rows used %d, dropped %d, events %g\n", fit.Rows, fit.Dropped, fit.Events)
	fmt.Fprintf(&b, "features binned %d, kept %d\n", len(fit.Binnings), len(fit.Selection.Kept))
	fmt.Fprintf(&b, "iterations %d, converged %v, log-likelihood %.6f\n", fit.Iterations, fit.Converged, fit.LogLik)
	fmt.Fprintf(&b, "training AUC %.4f, Gini %.4f, KS %.4f\n", fit.AUC, 2*fit.AUC-1, fit.KS)
	b.WriteString("\n== selection ==\n")
	b.WriteString(fit.Selection.Format())
	b.WriteString("\n== coefficients (log-odds of the event per unit WoE; WoE coefficients must be negative) ==\n")
	for _, c := range fit.Coefficients {
		fmt.Fprintf(&b, "%-50s %12.6f %10.4f\n", c.Name, c.Estimate, c.StdErr)
	}
	b.WriteString("\n== points ==\n")
	b.WriteString(score.FormatScorecard(fit.Model))
	b.WriteString("\n== binning (weight of evidence = ln(share of non-events / share of events), + = safer) ==\n")
	b.WriteString(fit.FormatBinnings())
	return b.String()
}

// demoScorecard is the demo stage that builds the German credit scorecard
// (protected attributes excluded, integer points) and prints its points
// table and its test AUC on the acceptance split (row i is test when
// i % 10 < 3).
func demoScorecard(ctx context.Context, env *demoEnv) error {
	var train, test [][]string
	for i := 0; i < env.table.Len(); i++ {
		if i%10 < 3 {
			test = append(test, env.table.Row(i))
		} else {
			train = append(train, env.table.Row(i))
		}
	}
	trainT, err := score.NewTable(env.table.Header(), train)
	if err != nil {
		return err
	}
	testT, err := score.NewTable(env.table.Header(), test)
	if err != nil {
		return err
	}
	opts := &score.ScorecardOptions{Round: true, Name: "german-credit-scorecard"}
	split, err := score.FitScorecard(ctx, trainT, env.schema, "creditability", "bad", opts)
	if err != nil {
		return err
	}
	perf, err := score.Assess(split.Model, testT, "creditability", "bad")
	if err != nil {
		return err
	}
	fit, err := score.FitScorecard(ctx, env.table, env.schema, "creditability", "bad", opts)
	if err != nil {
		return err
	}
	env.scorecard = fit.Model
	fmt.Fprintf(env.out, "\npoints scorecard: %d of %d features kept, training AUC %.4f; fitted on 70%% of the rows, test AUC %.4f (Gini %.4f, KS %.4f)\n",
		len(fit.Selection.Kept), len(fit.Binnings), fit.AUC, perf.AUC, perf.Gini, perf.KS)
	for _, d := range fit.Selection.Dropped {
		fmt.Fprintf(env.out, "  dropped %s: %s\n", d.Feature, d.Reason)
	}
	fmt.Fprintln(env.out)
	fmt.Fprint(env.out, score.FormatScorecard(fit.Model))
	return nil
}
