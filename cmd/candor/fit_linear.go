package main

import (
	"context"
	"fmt"
	"math"
	"strings"

	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/fit"
)

// fitLinearCmd is `candor fit --model linear`: ordinary least squares of a
// numeric target (spend, lifetime value) on every input, categorical
// features one-hot with the first sorted level as reference, aliased
// columns reported and fixed at 0. --l2 does not apply.
func fitLinearCmd(ctx context.Context, t *score.Table, s *score.Schema, a fitArgs, policy fit.MissingPolicy) (*score.Model, string, error) {
	switch {
	case a.l2 != 0:
		return nil, "", fmt.Errorf("--l2 does not apply to --model linear")
	case a.weights != "":
		return nil, "", fmt.Errorf("--weights does not apply to --model linear: its least-squares fit is unweighted")
	case a.nonevent != "":
		return nil, "", fmt.Errorf("--nonevent does not apply to --model linear: its target is a number")
	case a.maxLevels != fit.DefaultMaxLevels:
		return nil, "", fmt.Errorf("--max-levels does not apply to --model linear")
	}
	fitted, err := fit.Linear(ctx, t, s, a.target, &fit.LinearOptions{Missing: policy, Name: a.name, Unseen: a.sc.unseenPolicy()})
	if err != nil {
		return nil, "", err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "candor fit: linear regression (OLS) of %s\n", a.target)
	fmt.Fprintf(&b, "rows used %d, dropped %d, residual df %d\n", fitted.Rows, fitted.Dropped, fitted.DF)
	fmt.Fprintf(&b, "R2 %.4f, adjusted R2 %.4f, residual standard error %.6g, log-likelihood %.6f\n", fitted.R2, fitted.AdjR2, fitted.Sigma, fitted.LogLik)
	fmt.Fprintf(&b, "%-60s %14s %12s\n", "column", "estimate", "std.err")
	for _, c := range fitted.Coefficients {
		if c.Aliased {
			fmt.Fprintf(&b, "%-60s %14s\n", c.Name, "NA (aliased)")
			continue
		}
		se := "NaN"
		if !math.IsNaN(c.StdErr) {
			se = fmt.Sprintf("%.4g", c.StdErr)
		}
		fmt.Fprintf(&b, "%-60s %14.6g %12s\n", c.Name, c.Estimate, se)
	}
	b.WriteString(blankLines(fitted.Blanks))
	b.WriteString(collinearLines(fitted.Collinear, false))
	b.WriteString("unseen categories (at scoring time; --unseen):\n" + fit.FormatUnseen(fitted.Model))
	return fitted.Model, b.String(), nil
}
