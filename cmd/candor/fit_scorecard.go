package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"

	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/fit"
	"github.com/candorscore/candor/score/monitor"
)

// scorecardArgs are the flags of `candor fit --model scorecard`; the zero
// value of each means the library's default.
type scorecardArgs struct {
	special                     string
	pdo, basePoints, baseOdds   float64
	round                       bool
	maxBins, preBins            int
	minBinShare, minIV, maxCorr float64
	unseen, sign                string
}

// addScorecardFlags registers the scorecard flags on fs.
func addScorecardFlags(fs *flag.FlagSet, a *scorecardArgs) {
	fs.StringVar(&a.special, "special", "declared", "scorecard: special codes are the declared ones (declared), or also the suspects the fit finds (auto)")
	fs.Float64Var(&a.pdo, "pdo", 0, "scorecard: points to double the odds (default 50)")
	fs.Float64Var(&a.basePoints, "base-points", 0, "scorecard: points at the base odds (default 600)")
	fs.Float64Var(&a.baseOdds, "base-odds", 0, "scorecard: non-event:event odds at the base points (default 19)")
	fs.BoolVar(&a.round, "round", false, "scorecard: round every bin's points and the base points to integers")
	fs.IntVar(&a.maxBins, "max-bins", 0, fmt.Sprintf("scorecard: most bins per feature, besides special and missing bins (default %d)", fit.DefaultMaxBins))
	fs.IntVar(&a.preBins, "prebins", 0, fmt.Sprintf("scorecard: pre-bins per feature, among which cut points are chosen (default %d, i.e. 5%% of the rows each)", fit.DefaultPreBins))
	fs.Float64Var(&a.minBinShare, "min-bin-share", 0, "scorecard: smallest share of the rows in a bin, 0-1 (default: none beyond the pre-bins')")
	fs.Float64Var(&a.minIV, "min-iv", 0, "scorecard: features with a smaller information value are dropped (default: no IV floor; the regression and its sign check select)")
	fs.Float64Var(&a.maxCorr, "max-correlation", 0, "scorecard: of two features whose WoE columns correlate above this, the weaker is dropped (default: no screen)")
	fs.StringVar(&a.unseen, "unseen", "error", "scorecard: a category unseen in training is an error, or gets a neutral (WoE 0) or riskiest bin: error, neutral or riskiest")
	fs.StringVar(&a.sign, "sign", "drop", "scorecard: a WoE coefficient of the wrong sign drops its feature (drop) or fails the fit (refuse)")
}

// unseenPolicy is --unseen as a fit.UnseenPolicy ("error" is the zero value).
func (a scorecardArgs) unseenPolicy() fit.UnseenPolicy {
	if a.unseen == "error" {
		return fit.UnseenError
	}
	return fit.UnseenPolicy(a.unseen)
}

// check refuses scorecard flags with other model families, and bad values.
func (a scorecardArgs) check(model string) error {
	def := scorecardArgs{special: "declared", unseen: "error", sign: "drop"}
	if model == "boosted" || model == "logistic" || model == "linear" {
		def.unseen = a.unseen // boosted, logistic and linear models take --unseen too
	}
	if model != "scorecard" && a != def {
		return fmt.Errorf("--special, --pdo, --base-points, --base-odds, --round, --max-bins, --prebins, --min-bin-share, --min-iv, --max-correlation and --sign apply to --model scorecard only")
	}
	switch {
	case a.special != "declared" && a.special != "auto":
		return fmt.Errorf("--special must be declared or auto, got %q", a.special)
	case a.unseen != "error" && a.unseen != "neutral" && a.unseen != "riskiest":
		return fmt.Errorf("--unseen must be error, neutral or riskiest, got %q", a.unseen)
	case a.sign != "drop" && a.sign != "refuse":
		return fmt.Errorf("--sign must be drop or refuse, got %q", a.sign)
	case a.pdo < 0 || a.basePoints < 0 || a.baseOdds < 0:
		return fmt.Errorf("--pdo, --base-points and --base-odds must be positive")
	case a.maxBins < 0 || a.preBins < 0:
		return fmt.Errorf("--max-bins and --prebins must be positive")
	case a.minBinShare < 0 || a.minBinShare >= 1:
		return fmt.Errorf("--min-bin-share must be in [0, 1), got %g", a.minBinShare)
	}
	return nil
}

// options turns the flags into fit.ScorecardOptions.
func (a scorecardArgs) options() *fit.ScorecardOptions {
	o := &fit.ScorecardOptions{Round: a.round}
	if a.special == "auto" {
		o.Special = fit.SpecialAuto
	}
	if a.pdo != 0 || a.basePoints != 0 || a.baseOdds != 0 {
		sc := score.NewScaling(a.basePoints, a.baseOdds, a.pdo)
		o.Scaling = &sc
	}
	o.Binning = fit.BinningOptions{MaxBins: a.maxBins, PreBins: a.preBins, MinBinShare: a.minBinShare, MinCategoryShare: a.minBinShare}
	o.Binning.Unseen = a.unseenPolicy()
	if a.sign == "refuse" {
		o.Sign = fit.SignRefuse
	}
	o.Selection = fit.SelectionOptions{MinIV: a.minIV, MaxCorrelation: a.maxCorr}
	return o
}

// fitScorecardCmd is `candor fit --model scorecard`: automatic optimal
// binning (special codes and trends from --features), selection, logistic
// regression on WoE with the sign check, and points at the scaling of
// --base-points, --base-odds and --pdo (default 600 points at 19:1, 50
// points to double the odds). Blank feature cells are data (the missing
// bin); --missing applies to blank target cells only.
func fitScorecardCmd(ctx context.Context, t *score.Table, s *score.Schema, a fitArgs, policy fit.MissingPolicy) (*score.Model, string, error) {
	opts := a.sc.options()
	opts.L2, opts.Missing, opts.Name = a.l2, policy, a.name
	opts.NonEvent, opts.MaxLevels = a.nonevent, a.maxLevels
	w, err := weightsColumn(t, a.weights)
	if err != nil {
		return nil, "", err
	}
	opts.Weights = w
	fitted, err := fit.Scorecard(ctx, t, s, a.target, a.event, opts)
	if err != nil {
		return nil, "", err
	}
	return fitted.Model, otherTargetLine(fitted.OtherTarget, a) + scorecardReport(fitted, a.target, a.event), nil
}

// logisticSuspects is the logistic fit report's list of undeclared values
// that look like special codes (fit.FindSuspects), with how to declare
// them; declared codes become indicator terms.
func logisticSuspects(t *score.Table, s *score.Schema, a fitArgs, w []float64) string {
	ss := fit.FindSuspects(t, s, a.target, a.event, w)
	if len(ss) == 0 {
		return "\n== special-value suspects ==\nnone\n"
	}
	return "\n== special-value suspects ==\n" + fit.FormatSuspects(ss) +
		"(declared codes get an indicator term each, the numeric part the training median; --special auto applies to scorecards)\n"
}

// weightsColumn reads --weights: one non-negative number per row; nil
// for "". Errors name the column and the row.
func weightsColumn(t *score.Table, col string) ([]float64, error) {
	if col == "" {
		return nil, nil
	}
	j := t.Column(col)
	if j < 0 {
		msg := fmt.Sprintf("--weights %q is not a column", col)
		if near := score.CloseMatches(col, t.Header()); len(near) > 0 {
			msg += fmt.Sprintf(" (did you mean %q?)", near[0])
		}
		return nil, errors.New(msg)
	}
	w := make([]float64, t.Len())
	for r := range w {
		x, err := score.ParseNumber(t.Cell(r, j))
		if err != nil || x < 0 {
			return nil, &score.FieldError{Row: r + 1, Feature: col, Value: t.Cell(r, j), Err: fmt.Errorf("%w: a weight must be a non-negative number", score.ErrData)}
		}
		w[r] = x
	}
	return w, nil
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
	if len(fitted.Suspects) > 0 {
		b.WriteString("\n== special-value suspects ==\n")
		b.WriteString(fit.FormatSuspects(fitted.Suspects))
	} else {
		b.WriteString("\n== special-value suspects ==\nnone\n")
	}
	b.WriteString("\n== shapes (event rate as the value rises; auto = chosen by -2 loglik + ln(rows) * bins at each shape's best bin count, among the shapes that split) ==\n")
	for _, bn := range fitted.Binnings {
		if bn.Kind != score.Numeric {
			continue
		}
		how := "declared"
		if len(bn.Choice) > 0 {
			how = "auto:"
			for _, c := range bn.Choice {
				how += " " + c.String() + ";"
			}
		}
		fmt.Fprintf(&b, "%-40s %-14s %s\n", bn.Feature, bn.Shape(), how)
	}
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
