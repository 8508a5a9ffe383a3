package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/candorscore/candor/explain"
	"github.com/candorscore/candor/score"
)

// runCheck is `candor check`: the advice audit of a model over a file
// (explain.CheckAdvice). For every adverse-outcome customer it explains the
// score and searches for recourse, and reports the share of customers who
// get advice, who have advice withheld (and why), who have only
// counterfactuals the training data do not support, and who have no
// recourse, per feature; then re-checks every piece of advice and every
// counterfactual against the rules. A rule violation is an exit status 1.
func runCheck(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("check", stderr)
	modelPath := fs.String("model", "", "model file")
	data := fs.String("data", "", "CSV of customers, with a header row")
	delim := fs.String("delimiter", "", "field separator (default ',')")
	featuresPath := featuresFlag(fs)
	actionsPath := fs.String("actions", "", "JSON actions file (as for recourse)")
	train := fs.String("train", "", "training CSV for recourse's seen values and percentiles (default: the model's stored statistics)")
	rowsFlag := fs.String("rows", "", "data rows to check, 1-based: 1,4,10-12 (default all)")
	reasons := fs.Int("reasons", 0, "reasons per customer, as explain --reasons (0: the default 4, -1: all)")
	target := fs.Float64("target-probability", 0, "event probability at or above which a customer is adverse, and to get below (default: the model's cutoff)")
	margin := fs.Float64("margin", 0, "the flip must hold at the target minus this margin")
	maxChanges := fs.Int("max-changes", 0, "most features changed per counterfactual (0 = no limit)")
	format := fs.String("format", "text", "output: text or json")
	out := fs.String("out", "", "output file (default stdout)")
	mflags := addModelFlags(fs) // --verify-key, --min-version
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *modelPath == "" {
		return fmt.Errorf("--model is required")
	}
	if *format != "text" && *format != "json" {
		return fmt.Errorf("--format must be text or json, got %q", *format)
	}
	if *target != 0 && !(*target > 0 && *target < 1) {
		return fmt.Errorf("--target-probability must be in (0, 1), got %v", *target)
	}
	m, err := mflags.loadModel(*modelPath)
	if err != nil {
		return err
	}
	if m.Kind() == score.LinearModel {
		return fmt.Errorf("--model: a linear model has no adverse outcome to advise on")
	}
	if m, err = withFeatures(m, *featuresPath); err != nil {
		return err
	}
	t, err := readTable(*data, *delim)
	if err != nil {
		return err
	}
	actions, err := readActionsFile(*actionsPath, m)
	if err != nil {
		return err
	}
	rows, err := parseRows(*rowsFlag)
	if err != nil {
		return err
	}
	var selected []int
	if !rows.all() {
		if selected, err = rows.indexes(t.Len()); err != nil {
			return err
		}
	}
	pop, err := recoursePopulation("check", *train, *delim, m, t, stderr)
	if err != nil {
		return err
	}
	opts := &explain.CheckOptions{Explain: explain.Options{MaxReasons: *reasons}, Actions: actions, Train: pop, Rows: selected,
		Recourse: explain.RecourseOptions{Target: score.Probability(*target), Margin: *margin, MaxChanges: *maxChanges}}
	rep, err := explain.CheckAdvice(ctx, m, t, opts)
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(rep.Features, func(f explain.FeatureCheck) bool { return f.Actionable }) {
		fmt.Fprintln(stderr, `candor check: no feature is actionable, so no reason carries advice and nobody has recourse; declare actions with --features or --actions (an "action" per feature a customer may change)`)
	}
	w, closeFn, err := output(*out, stdout)
	if err != nil {
		return err
	}
	if *format == "json" {
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		err = enc.Encode(rep)
	} else {
		err = writeCheckText(w, rep, true)
	}
	if err != nil {
		closeFn()
		return err
	}
	if err := closeFn(); err != nil {
		return err
	}
	if n := rep.Violations.Total(); n > 0 {
		return fmt.Errorf("%d advice rule violations (a bug: please report it): %+v", n, rep.Violations)
	}
	return nil
}

// writeCheckText writes the advice audit for people; legend adds what each
// withholding code means.
func writeCheckText(w io.Writer, rep *explain.AdviceCheck, legend bool) error {
	pct := func(n int) string {
		if rep.Adverse == 0 {
			return "-"
		}
		return strconv.FormatFloat(100*float64(n)/float64(rep.Adverse), 'f', 1, 64) + "%"
	}
	fmt.Fprintf(w, "advice check of %s: %d rows, %d adverse (event probability >= %.2f)", rep.Model, rep.Rows, rep.Adverse, rep.Target)
	if rep.Margin > 0 {
		fmt.Fprintf(w, ", flips required below %.2f", rep.Target-rep.Margin)
	}
	fmt.Fprintln(w)
	if rep.Skipped > 0 {
		fmt.Fprintf(w, "  %d rows skipped (cannot be scored): %s\n", rep.Skipped, strings.Join(rep.Errors, "; "))
	}
	fmt.Fprintf(w, "advice:   %d (%s) get advice on a reason; %d (%s) have a reason whose advice is withheld; %d (%s) get no advice at all\n",
		rep.Advised, pct(rep.Advised), rep.WithheldAdvice, pct(rep.WithheldAdvice), rep.NoAdvice, pct(rep.NoAdvice))
	fmt.Fprintf(w, "recourse: %d (%s) have a supported counterfactual; %d (%s) only unsupported ones (left out); %d (%s) none\n",
		rep.Recourse, pct(rep.Recourse), rep.UnsupportedOnly, pct(rep.UnsupportedOnly), rep.NoRecourse, pct(rep.NoRecourse))
	if rep.AgainstTrend > 0 {
		var names []string
		for _, f := range rep.Features {
			if f.AgainstTrend > 0 {
				names = append(names, f.Feature)
			}
		}
		fmt.Fprintf(w, "reasons:  %d (%s) are given a reason the training data contradicts, on %s: its slope runs against its trend "+
			"(the fit report's sign contradictions; candor fit --constrain data refits without them)\n",
			rep.AgainstTrend, pct(rep.AgainstTrend), strings.Join(names, ", "))
	}
	fmt.Fprintf(w, "rule violations: %d\n\n", rep.Violations.Total())
	fmt.Fprintln(w, "per feature, as shares of the adverse customers:")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "feature\taction\treason\tadvised\twithheld (why)\tchanged\tunsupported\tlimiting\tmin change")
	for _, f := range rep.Features {
		act := "-"
		if f.Actionable {
			act = "yes"
		}
		var why []string
		for _, code := range explain.WithheldCodes {
			if n := f.Withheld[code]; n > 0 {
				why = append(why, code+" "+pct(n))
			}
		}
		mc := ""
		if f.MinChange != nil {
			mc = strconv.FormatFloat(*f.MinChange, 'g', 4, 64)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", f.Feature, act, pct(f.Reasons), pct(f.Advised),
			strings.Join(why, ", "), pct(f.Changed), pct(f.Unsupported), pct(f.Limiting), mc)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if !legend {
		return nil
	}
	fmt.Fprintln(w, "\nwithholding codes:")
	for _, code := range explain.WithheldCodes {
		fmt.Fprintf(w, "  %-27s %s\n", code, explain.WithheldText(code))
	}
	return nil
}
