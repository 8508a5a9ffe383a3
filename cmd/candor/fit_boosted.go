package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/fit"
)

// fitBoostedCmd is `candor fit --model boosted`: a boosted additive model
// (fit.Boosted with its defaults), saved as a scorecard with fine bins.
// Blank feature cells are data (the missing bin); --missing applies to
// blank target cells only. Trends declared in the features file are
// enforced (ascending and descending: monotone shapes; peak and valley:
// unimodal shapes) and listed in the report.
func fitBoostedCmd(ctx context.Context, t *score.Table, s *score.Schema, a fitArgs, policy fit.MissingPolicy) (*score.Model, string, error) {
	if a.l2 != 0 {
		return nil, "", fmt.Errorf("--l2 does not apply to --model boosted")
	}
	w, err := weightsColumn(t, a.weights)
	if err != nil {
		return nil, "", err
	}
	fitted, err := fit.Boosted(ctx, t, s, a.target, a.event, &fit.BoostedOptions{Missing: policy, Name: a.name, Interactions: int(a.interactions),
		NonEvent: a.nonevent, MaxLevels: a.maxLevels, Weights: w, Unseen: a.sc.unseenPolicy()})
	if err != nil {
		return nil, "", err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "candor fit: boosted additive model of %s=%s\n", a.target, a.event)
	b.WriteString(otherTargetLine(fitted.OtherTarget, a))
	fmt.Fprintf(&b, "rows used %d, dropped %d, events %g\n", fitted.Rows, fitted.Dropped, fitted.Events)
	fmt.Fprintf(&b, "features %d, pairs %d, bags %d, rounds per bag %v\n", fitted.Model.NumTerms()-len(fitted.Pairs), len(fitted.Pairs), len(fitted.Rounds), fitted.Rounds)
	var mono, uni []string
	for _, f := range s.Features() {
		if f.Role != score.Input || f.Name == a.target || f.Kind != score.Numeric {
			continue
		}
		switch f.Trend {
		case score.Ascending, score.Descending:
			mono = append(mono, f.Name+" "+string(f.Trend))
		case score.Peak, score.Valley:
			uni = append(uni, f.Name+" "+string(f.Trend))
		}
	}
	if len(mono) > 0 {
		fmt.Fprintf(&b, "monotone shapes (declared trends): %s\n", strings.Join(mono, ", "))
	}
	if len(uni) > 0 {
		fmt.Fprintf(&b, "unimodal shapes (declared trends): %s\n", strings.Join(uni, ", "))
	}
	fmt.Fprintf(&b, "training AUC %.4f, KS %.4f\n", fitted.AUC, fitted.KS)
	for _, p := range fitted.Pairs {
		fmt.Fprintf(&b, "pair %s x %s, interaction strength %.4g\n", p.Features[0], p.Features[1], p.Strength)
	}
	b.WriteString("\n== unseen categories (at scoring time; --unseen) ==\n")
	b.WriteString(fit.FormatUnseen(fitted.Model))
	b.WriteString("\n== shape functions (points per bin) ==\n")
	b.WriteString(fit.FormatScorecard(fitted.Model))
	return fitted.Model, b.String(), nil
}

// interactionsFlag is --interactions: a number of pair terms, 0 or more,
// or "auto" (fit.BoostedAutoInteractions: InterpretML's default of three
// pairs per feature).
type interactionsFlag int

func (f *interactionsFlag) String() string {
	if *f == fit.BoostedAutoInteractions {
		return "auto"
	}
	return strconv.Itoa(int(*f))
}

func (f *interactionsFlag) Set(v string) error {
	if v == "auto" {
		*f = fit.BoostedAutoInteractions
		return nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return fmt.Errorf("--interactions must be 0 or more, or auto, got %q", v)
	}
	*f = interactionsFlag(n)
	return nil
}
