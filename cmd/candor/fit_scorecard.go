package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/fit"
	"github.com/candorscore/candor/score/monitor"
)

// fitScorecardCmd is `candor fit --model scorecard`: automatic optimal
// binning, selection, logistic regression on WoE with the sign check, and
// points at the default scaling (600 points at 19:1, 50 points to double
// the odds). Blank feature cells are data (the missing bin); --missing
// applies to blank target cells only.
func fitScorecardCmd(ctx context.Context, t *score.Table, s *score.Schema, a fitArgs, policy fit.MissingPolicy) (*score.Model, string, error) {
	fitted, err := fit.Scorecard(ctx, t, s, a.target, a.event, &fit.ScorecardOptions{
		L2: a.l2, Missing: policy, Name: a.name, NonEvent: a.nonevent, MaxLevels: a.maxLevels})
	if err != nil {
		return nil, "", err
	}
	return fitted.Model, otherTargetLine(fitted.OtherTarget, a) + scorecardReport(fitted, a.target, a.event), nil
}

// scorecardReport is the fit summary, the selection, the points table and
// the binning tables.
func scorecardReport(fitted *fit.ScorecardFit, target, event string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "candor fit: scorecard of %s=%s\n", target, event)
	fmt.Fprintf(&b, "rows used %d, dropped %d, events %g\n", fitted.Rows, fitted.Dropped, fitted.Events)
	fmt.Fprintf(&b, "features binned %d, kept %d\n", len(fitted.Binnings), len(fitted.Selection.Kept))
	fmt.Fprintf(&b, "iterations %d, converged %v, log-likelihood %.6f\n", fitted.Iterations, fitted.Converged, fitted.LogLik)
	fmt.Fprintf(&b, "training AUC %.4f, Gini %.4f, KS %.4f\n", fitted.AUC, 2*fitted.AUC-1, fitted.KS)
	b.WriteString("\n== selection ==\n")
	b.WriteString(fitted.Selection.Format())
	b.WriteString("\n== coefficients (log-odds of the event per unit WoE; WoE coefficients must be negative) ==\n")
	for _, c := range fitted.Coefficients {
		fmt.Fprintf(&b, "%-50s %12.6f %10.4f\n", c.Name, c.Estimate, c.StdErr)
	}
	b.WriteString("\n== unseen categories (at scoring time) ==\n")
	b.WriteString(fit.FormatUnseen(fitted.Model))
	b.WriteString("\n== points ==\n")
	b.WriteString(fit.FormatScorecard(fitted.Model))
	b.WriteString("\n== binning (weight of evidence = ln(share of non-events / share of events), + = safer) ==\n")
	b.WriteString(fitted.FormatBinnings())
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
	opts := &fit.ScorecardOptions{Round: true, Name: "german-credit-scorecard"}
	split, err := fit.Scorecard(ctx, trainT, env.schema, "creditability", "bad", opts)
	if err != nil {
		return err
	}
	perf, err := monitor.Assess(split.Model, testT, "creditability", "bad")
	if err != nil {
		return err
	}
	fitted, err := fit.Scorecard(ctx, env.table, env.schema, "creditability", "bad", opts)
	if err != nil {
		return err
	}
	env.scorecard = fitted.Model
	fmt.Fprintf(env.out, "\npoints scorecard: %d of %d features kept, training AUC %.4f; fitted on 70%% of the rows, test AUC %.4f (Gini %.4f, KS %.4f)\n",
		len(fitted.Selection.Kept), len(fitted.Binnings), fitted.AUC, perf.AUC, perf.Gini, perf.KS)
	for _, d := range fitted.Selection.Dropped {
		fmt.Fprintf(env.out, "  dropped %s: %s\n", d.Feature, d.Reason)
	}
	fmt.Fprintln(env.out)
	fmt.Fprint(env.out, fit.FormatScorecard(fitted.Model))
	return nil
}
