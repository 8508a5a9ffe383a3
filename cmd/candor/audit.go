package main

// candor audit: fairness of decisions or scores across groups of customers,
// over plain CSV columns (see DESIGN.md and the fairness package).
//
// Decisions come from one of:
//   - --prediction COL: the decision is favourable where the cell equals
//     --favorable-prediction (default: the --favorable value);
//   - --score COL --threshold T: favourable where score >= T, or score < T
//     with --score-direction unfavorable (an event probability such as
//     candor score's "probability" of default or churn);
//   - --model M without --prediction or --score: the model's event
//     probability of each row at --threshold (default: the model's cutoff),
//     favourable below it.
//
// With --prediction, --score (or --model) still supplies scores, which feed
// the per-group AUC and calibration only.
//
// Rows with a blank cell in a used column (label, decision, group, weight)
// are excluded under --missing drop (the default) and counted in the report
// ("excluded_rows") and on stderr; --missing error refuses them instead.
// A cell that is present but bad (a score that is not a number, a negative
// weight, a ragged row) is always an error naming the column and the 1-based
// data row.
//
// --bands COLUMN=E1,E2,... audits a numeric group column by band (< E1,
// [E1, E2), ..., >= En; fairness.Bands) on every path: a blank cell there
// is missing, as in any group column, and a cell that is not a number is
// an error naming the row.
//
// With --model, the report adds "recourse_burden": among the rows the model
// puts on the adverse side (event probability at or above the threshold),
// the mean minimal cost of the cheapest change that flips the decision
// (explain's exact recourse search under --actions), per group. The glue
// lives here, not in package fairness, so that fairness depends on score
// only and takes plain cost columns.
//
// --proxies (implied by --proxy-inputs) adds "proxies": which inputs stand
// in for each --group attribute (fairness.Proxies; audit_proxies.go).
//
// The data is streamed (audit_model.go, rowblocks.go): memory holds
// accumulators, not rows, except when --data is also the population of the
// recourse costs (a model without stored percentiles and no --train) and
// with --proxies, which reads --data again into memory.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/candorscore/candor/explain"
	"github.com/candorscore/candor/fairness"
	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/chart"
)

// repeated is a flag that may be given several times.
type repeated []string

func (r *repeated) String() string     { return strings.Join(*r, " ") }
func (r *repeated) Set(s string) error { *r = append(*r, s); return nil }

type auditArgs struct {
	data, delim, label, favorable, prediction, favPrediction, scoreCol string
	direction, groups, weights, format, chartPath, out, missing        string
	modelPath, actionsPath, trainPath, features, proxyInputs           string
	threshold, level                                                   float64
	bootstrap, minGroup, maxChanges, workers                           int
	seed                                                               uint64
	proxies                                                            bool
	references, bands                                                  repeated
	bandEdges                                                          map[string]fairness.Bands // --bands, parsed
	set                                                                map[string]bool
	mflags                                                             *modelFlags // --verify-key, --min-version for --model
}

func runAudit(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var a auditArgs
	fs := newFlags("audit", stderr)
	fs.StringVar(&a.data, "data", "", "CSV of customers with a header row (\"-\" for stdin)")
	fs.StringVar(&a.delim, "delimiter", "", "field separator (default ',')")
	fs.StringVar(&a.label, "label", "", "column with the observed outcome")
	fs.StringVar(&a.favorable, "favorable", "", "value of --label that is the favourable outcome (e.g. good); every other value is unfavourable")
	fs.StringVar(&a.prediction, "prediction", "", "column with the decision")
	fs.StringVar(&a.favPrediction, "favorable-prediction", "", "value of --prediction that is the favourable decision (default: the --favorable value)")
	fs.StringVar(&a.scoreCol, "score", "", "numeric score column; with --threshold it makes the decisions")
	fs.Float64Var(&a.threshold, "threshold", 0, "score cutoff: favourable when score >= T (or < T with --score-direction unfavorable)")
	fs.StringVar(&a.direction, "score-direction", "favorable", "favorable: a higher score is more favourable (a credit score); unfavorable: higher is worse (candor's event probability of default or churn)")
	fs.StringVar(&a.groups, "group", "", "protected attribute column(s), comma-separated; several also give their intersection")
	fs.StringVar(&a.weights, "weights", "", "column of non-negative row weights (default all 1)")
	fs.Var(&a.references, "reference", "reference group of an attribute, ATTRIBUTE=GROUP (e.g. sex=male; \"sex & race=Male & White\" for the intersection); repeatable; default: the overall population")
	fs.Var(&a.bands, "bands", "band a numeric group column before the audit, COLUMN=E1,E2,... with edges strictly ascending (age=25,35,65: groups < 25, [25, 35), [35, 65), >= 65; a value on an edge goes up); repeatable")
	fs.IntVar(&a.bootstrap, "bootstrap", 0, "bootstrap replicates for intervals on the disparities (0 = none)")
	fs.Uint64Var(&a.seed, "seed", 1, "seed of the bootstrap")
	fs.IntVar(&a.minGroup, "min-group-size", 30, "flag groups with fewer rows (-1 flags none)")
	fs.Float64Var(&a.level, "level", 0.95, "confidence level of the intervals")
	fs.StringVar(&a.missing, "missing", "drop", "rows with a blank label, decision, group or weight: drop (excluded and counted) or error")
	fs.StringVar(&a.format, "format", "json", "output format: json or text")
	fs.StringVar(&a.chartPath, "chart", "", "also draw selection rates with intervals per group to this file (.svg or .png)")
	fs.StringVar(&a.out, "out", "", "output file (default stdout)")
	fs.StringVar(&a.modelPath, "model", "", "model file: adds the recourse burden per group; without --prediction/--score its event probabilities are the scores")
	fs.StringVar(&a.features, "features", "", "with --model: "+featuresUsage)
	fs.StringVar(&a.actionsPath, "actions", "", "with --model: JSON actions for the recourse search (see candor recourse)")
	fs.StringVar(&a.trainPath, "train", "", "with --model: training CSV for recourse percentiles (default: the model's stored statistics, else --data)")
	fs.IntVar(&a.maxChanges, "max-changes", 0, "with --model: most features changed per recourse (0 = no limit)")
	fs.IntVar(&a.workers, "workers", 0, "cores that read and count rows (default all); the data is streamed, in memory independent of its rows (with --model, unless --data is also the recourse population: a model without stored percentiles and no --train)")
	fs.BoolVar(&a.proxies, "proxies", false, "also measure which inputs stand in for each --group attribute (fairness.Proxies: Cramér's V or correlation ratio per input, naive-Bayes AUC of all inputs): the --model's inputs or --proxy-inputs; reads --data a second time, into memory (rows × inputs), so --data must be a file")
	fs.StringVar(&a.proxyInputs, "proxy-inputs", "", "the inputs for --proxies (and implies it), comma-separated columns of --data, instead of the --model's inputs; a column is numeric when every non-blank cell is a number")
	a.mflags = addModelFlags(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	a.set = map[string]bool{}
	fs.Visit(func(f *flag.Flag) { a.set[f.Name] = true })
	a.proxies = a.proxies || a.set["proxy-inputs"]
	res, err := audit(ctx, a, stderr)
	if err != nil {
		return err
	}
	rep, excl := res.rep, res.excl
	if err := writeAudit(a, res, stdout); err != nil {
		return err
	}
	if a.chartPath != "" {
		cw, cclose, err := output(a.chartPath, stdout)
		if err != nil {
			return err
		}
		if err := chart.Selection(cw, rep, chartFormat(a.chartPath)); err != nil {
			cclose()
			return err
		}
		if err := cclose(); err != nil {
			return err
		}
	}
	auditSummary(stderr, rep, excl)
	return nil
}

func chartFormat(path string) string {
	return strings.TrimPrefix(strings.ToLower(filepath.Ext(path)), ".")
}

// checkAuditArgs checks the flags that need no data.
func checkAuditArgs(a auditArgs) error {
	var errs []error
	if a.data == "" {
		errs = append(errs, errors.New("--data is required"))
	}
	if a.label == "" || !a.set["favorable"] {
		errs = append(errs, errors.New("--label and --favorable are required"))
	}
	groups := splitList(a.groups)
	if len(groups) == 0 {
		errs = append(errs, errors.New("--group is required"))
	}
	for i, g := range groups {
		if slices.Contains(groups[:i], g) {
			errs = append(errs, fmt.Errorf("--group: column %q given twice", g))
		}
	}
	switch {
	case a.prediction == "" && a.scoreCol == "" && a.modelPath == "":
		errs = append(errs, errors.New("give the decisions: --prediction COL, or --score COL --threshold T (or --model M)"))
	case a.scoreCol != "" && a.prediction == "" && !a.set["threshold"]:
		errs = append(errs, errors.New("--score needs --threshold (the cutoff that makes the decision)"))
	case a.prediction != "" && a.set["threshold"]:
		errs = append(errs, errors.New("--threshold applies to scores; with --prediction the decisions are given"))
	}
	if a.set["favorable-prediction"] && a.prediction == "" {
		errs = append(errs, errors.New("--favorable-prediction needs --prediction"))
	}
	if a.direction != "favorable" && a.direction != "unfavorable" {
		errs = append(errs, fmt.Errorf("--score-direction must be favorable or unfavorable, got %q", a.direction))
	}
	if a.set["score-direction"] && a.scoreCol == "" {
		errs = append(errs, errors.New("--score-direction applies to --score (model probabilities are of the event: higher is unfavourable)"))
	}
	if a.missing != "drop" && a.missing != "error" {
		errs = append(errs, fmt.Errorf("--missing must be drop or error, got %q", a.missing))
	}
	if a.format != "json" && a.format != "text" {
		errs = append(errs, fmt.Errorf("--format must be json or text, got %q", a.format))
	}
	if a.chartPath != "" {
		if f := chartFormat(a.chartPath); f != "svg" && f != "png" {
			errs = append(errs, fmt.Errorf("--chart must end in .svg or .png, got %q", a.chartPath))
		}
	}
	if a.bootstrap < 0 {
		errs = append(errs, fmt.Errorf("--bootstrap must be 0 or more, got %d", a.bootstrap))
	}
	if a.minGroup < -1 {
		errs = append(errs, fmt.Errorf("--min-group-size must be -1 or more, got %d", a.minGroup))
	}
	if !(a.level > 0 && a.level < 1) {
		errs = append(errs, fmt.Errorf("--level must be in (0, 1), got %v", a.level))
	}
	if math.IsNaN(a.threshold) || math.IsInf(a.threshold, 0) {
		errs = append(errs, fmt.Errorf("--threshold must be finite, got %v", a.threshold))
	}
	if a.modelPath == "" && (a.actionsPath != "" || a.trainPath != "" || a.maxChanges != 0) {
		errs = append(errs, errors.New("--actions, --train and --max-changes need --model"))
	}
	if a.maxChanges < 0 {
		errs = append(errs, fmt.Errorf("--max-changes must be 0 or more, got %d", a.maxChanges))
	}
	if a.workers < 0 {
		errs = append(errs, fmt.Errorf("--workers must be 0 (all cores) or more, got %d", a.workers))
	}
	errs = append(errs, checkProxyArgs(a)...)
	return errors.Join(errs...)
}

// parseReferences turns repeated ATTRIBUTE=GROUP flags into the audit's map.
func parseReferences(refs []string) (map[string]string, error) {
	if len(refs) == 0 {
		return nil, nil
	}
	out := map[string]string{}
	for _, r := range refs {
		attr, group, ok := strings.Cut(r, "=")
		attr, group = strings.TrimSpace(attr), strings.TrimSpace(group)
		if !ok || attr == "" || group == "" {
			return nil, fmt.Errorf("--reference must be ATTRIBUTE=GROUP (e.g. sex=male), got %q", r)
		}
		if _, dup := out[attr]; dup {
			return nil, fmt.Errorf("--reference: attribute %q given twice", attr)
		}
		out[attr] = group
	}
	return out, nil
}

// parseBands turns repeated COLUMN=E1,E2,... flags into the audit's bands
// (the edges' order is checked by fairness, with the column's name).
func parseBands(flags []string) (map[string]fairness.Bands, error) {
	if len(flags) == 0 {
		return nil, nil
	}
	out := map[string]fairness.Bands{}
	for _, f := range flags {
		col, list, ok := strings.Cut(f, "=")
		col = strings.TrimSpace(col)
		if !ok || col == "" || strings.TrimSpace(list) == "" {
			return nil, fmt.Errorf("--bands must be COLUMN=E1,E2,... (e.g. age=25,35,45,55,65), got %q", f)
		}
		if _, dup := out[col]; dup {
			return nil, fmt.Errorf("--bands: column %q given twice", col)
		}
		var edges fairness.Bands
		for _, e := range strings.Split(list, ",") {
			x, err := score.ParseNumber(strings.TrimSpace(e))
			if err != nil {
				return nil, fmt.Errorf("--bands %s: edge %q is not a number", f, strings.TrimSpace(e))
			}
			edges = append(edges, x)
		}
		out[col] = edges
	}
	return out, nil
}

// auditResult is what audit found: the report and its excluded rows;
// with --model the recourse burden and the unscored rows; with --proxies
// the proxies.
type auditResult struct {
	rep      *fairness.Report
	burdens  []*fairness.Burden
	excl     *fairness.Excluded
	unscored *unscoredRows
	proxies  *proxyAudit
}

func audit(ctx context.Context, a auditArgs, stderr io.Writer) (*auditResult, error) {
	if err := checkAuditArgs(a); err != nil {
		return nil, err
	}
	refs, err := parseReferences(a.references)
	if err != nil {
		return nil, err
	}
	if a.bandEdges, err = parseBands(a.bands); err != nil {
		return nil, err
	}
	var (
		res auditResult
		m   *score.Model
	)
	if a.modelPath == "" {
		res.rep, res.excl, err = auditStream(ctx, a, refs, stderr)
	} else if m, err = loadAuditModel(a); err == nil {
		res.rep, res.burdens, res.excl, res.unscored, err = auditModel(ctx, a, refs, m, stderr)
	}
	if err != nil {
		return nil, err
	}
	if a.proxies {
		if res.proxies, err = auditProxies(a, m); err != nil {
			return nil, err
		}
		if res.proxies.Excluded.Count > 0 {
			fmt.Fprintf(stderr, "candor audit: proxies: %s\n", res.proxies.Excluded)
		}
		if res.proxies.Unreadable != nil {
			fmt.Fprintf(stderr, "candor audit: proxies: %s\n", res.proxies.unreadableText())
		}
	}
	return &res, nil
}

// auditModel is audit --model: streamed, or in memory when --data is
// also the population of the recourse costs.
func auditModel(ctx context.Context, a auditArgs, refs map[string]string, m *score.Model, stderr io.Writer) (*fairness.Report, []*fairness.Burden, *fairness.Excluded, *unscoredRows, error) {
	if a.trainPath == "" && !explain.HasPercentiles(m) {
		// --data is the population of the recourse costs: in memory.
		return auditInMemory(ctx, a, refs, m, stderr)
	}
	var pop *score.Table
	if a.trainPath != "" {
		var err error
		if pop, err = readTable(a.trainPath, a.delim); err != nil {
			return nil, nil, nil, nil, err
		}
	}
	return auditModelStream(ctx, a, refs, m, pop, stderr)
}

// auditInMemory is audit --model on --data read into memory, for a model
// without stored percentiles and no --train: --data is then also the
// population of the recourse costs.
func auditInMemory(ctx context.Context, a auditArgs, refs map[string]string, m *score.Model, stderr io.Writer) (*fairness.Report, []*fairness.Burden, *fairness.Excluded, *unscoredRows, error) {
	t, err := readTable(a.data, a.delim)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	in, err := readAuditColumns(t, a)
	if err != nil {
		return nil, nil, nil, nil, fmt.Errorf("%s: %w", a.data, err)
	}
	if in.Excluded.Count > 0 {
		fmt.Fprintf(stderr, "candor audit: %s\n", in.Excluded)
	}
	var (
		probs    []float64
		unscored *unscoredRows
	)
	if err := m.CheckTable(t); err != nil {
		return nil, nil, nil, nil, fmt.Errorf("%s: %w", a.data, err)
	}
	if probs, unscored, err = modelProbabilities(ctx, m, t, in); err != nil {
		return nil, nil, nil, nil, err
	}
	if unscored.Count > 0 {
		fmt.Fprintf(stderr, "candor audit: %s\n", unscored)
	}
	opts := auditOptions(a, refs)
	if a.scoreCol != "" {
		in.Data.Threshold = a.threshold
	}
	target, err := auditModelTarget(a)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	if in.Data.Scores == nil {
		// The model's event probabilities are the scores: higher is worse.
		in.Data.Scores = probs
		opts.Direction = fairness.HigherIsUnfavorable
		in.Data.Threshold = float64(m.Cutoff())
		if target != 0 {
			in.Data.Threshold = float64(target)
		}
	}
	rep, err := fairness.Audit(ctx, in.Data, opts)
	if err != nil {
		return nil, nil, nil, nil, in.RowError(err)
	}
	burdens, err := auditBurden(ctx, a, m, t, in, target, stderr)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	return rep, burdens, &in.Excluded, unscored, nil
}

// auditOptions are the audit's options from its flags.
func auditOptions(a auditArgs, refs map[string]string) *fairness.Options {
	opts := &fairness.Options{
		Level: a.level, MinGroupSize: a.minGroup, Reference: refs,
		Bootstrap: a.bootstrap, Seed: a.seed,
	}
	if a.direction == "unfavorable" {
		opts.Direction = fairness.HigherIsUnfavorable
	}
	return opts
}

// auditColumns are the columns the flags name.
func auditColumns(a auditArgs) fairness.Columns {
	c := fairness.Columns{Label: a.label, Favorable: a.favorable, Prediction: a.prediction,
		Score: a.scoreCol, Weights: a.weights, Groups: splitList(a.groups), Blank: fairness.BlankPolicy(a.missing), Bands: a.bandEdges}
	if a.set["favorable-prediction"] {
		c.FavorablePrediction = a.favPrediction
	}
	return c
}

// auditStream audits --data as its rows come, on --workers cores: each
// worker parses blocks of rows (fairness.RowParser) into a
// fairness.Tally of its own, and the tallies merge. Memory depends on the
// groups and the distinct scores per group, not on the rows.
func auditStream(ctx context.Context, a auditArgs, refs map[string]string, stderr io.Writer) (*fairness.Report, *fairness.Excluded, error) {
	in, err := openBlocks(a.data, a.delim)
	if err != nil {
		return nil, nil, err
	}
	defer in.Close()
	p, err := fairness.NewRowParser(in.Header(), auditColumns(a))
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", a.data, err)
	}
	opts := auditOptions(a, refs)
	spec := p.Spec()
	if a.scoreCol != "" {
		spec.Threshold = a.threshold
	}
	if _, err := fairness.NewTally(spec, opts); err != nil {
		return nil, nil, err
	}
	sinks, err := streamBlocks(ctx, in, workerCount(a.workers), func() *auditSink {
		t, _ := fairness.NewTally(spec, opts) // checked above
		return &auditSink{p: p.Clone(), t: t}
	})
	if err != nil {
		return nil, nil, err
	}
	all, tally := sinks[0].p, sinks[0].t
	for _, s := range sinks[1:] {
		all.Merge(s.p)
		if err := tally.Merge(s.t); err != nil {
			return nil, nil, err
		}
	}
	for _, s := range sinks {
		if s.err != nil {
			return nil, nil, s.err
		}
	}
	excl, err := all.Finish()
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", a.data, err)
	}
	if excl.Count > 0 {
		fmt.Fprintf(stderr, "candor audit: %s\n", excl)
	}
	rep, err := tally.Report(ctx)
	if err != nil {
		return nil, nil, err
	}
	return rep, &excl, nil
}

// auditSink is one worker's parser and tally.
type auditSink struct {
	p   *fairness.RowParser
	t   *fairness.Tally
	r   fairness.Row
	err error
}

func (s *auditSink) row(n int, cells []string) {
	if !s.p.Parse(n, cells, &s.r) {
		return
	}
	if err := s.t.Add(s.r); err != nil && s.err == nil {
		s.err = err
	}
}

func (s *auditSink) bad(n int, err error) { s.p.Bad(n, err) }

// workerCount is --workers, 0 meaning every core.
func workerCount(n int) int {
	if n > 0 {
		return n
	}
	return runtime.GOMAXPROCS(0)
}

// readAuditColumns reads the used columns of t (fairness.FromTable).
func readAuditColumns(t *score.Table, a auditArgs) (*fairness.TableData, error) {
	return fairness.FromTable(t, auditColumns(a))
}

// modelProbabilities scores the kept rows with m: event probabilities.
func modelProbabilities(ctx context.Context, m *score.Model, t *score.Table, in *fairness.TableData) ([]float64, *unscoredRows, error) {
	if m.Kind() == score.LinearModel {
		return nil, nil, fmt.Errorf("--model: a linear model has no probability to audit or to move")
	}
	probs := make([]float64, 0, len(in.Rows))
	keep := make([]int, 0, len(in.Rows)) // positions in in.Rows of the scored rows
	un := &unscoredRows{Rows: []int{}}
	for k, r := range scoreRows(m, t, in.Rows) {
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		if r.Err != nil {
			un.add(r.Row, r.Err)
			continue
		}
		probs = append(probs, float64(r.Result.Probability))
		keep = append(keep, k)
	}
	if un.Count > 0 {
		keepAuditRows(in, keep)
	}
	return probs, un, nil
}

// keepAuditRows keeps the rows of in at the given positions (ascending).
func keepAuditRows(in *fairness.TableData, keep []int) {
	d := &in.Data
	d.Labels = keepAt(d.Labels, keep)
	d.Predictions = keepAt(d.Predictions, keep)
	d.Scores = keepAt(d.Scores, keep)
	d.Weights = keepAt(d.Weights, keep)
	for g := range d.Groups {
		d.Groups[g].Values = keepAt(d.Groups[g].Values, keep)
	}
	in.Rows = keepAt(in.Rows, keep)
}

func keepAt[T any](xs []T, keep []int) []T {
	if xs == nil {
		return nil
	}
	out := make([]T, len(keep))
	for i, k := range keep {
		out[i] = xs[k]
	}
	return out
}

// unscoredRows counts the rows that audit --model left out because the
// model could not score them; Rows lists the first 10 (1-based).
type unscoredRows struct {
	Count      int    `json:"count"`
	Rows       []int  `json:"rows"`
	FirstError string `json:"first_error,omitempty"`
}

func (u *unscoredRows) add(row int, err error) {
	if u.Count == 0 {
		u.FirstError = score.WithRow(err, row).Error()
	}
	u.Count++
	if len(u.Rows) < 10 {
		u.Rows = append(u.Rows, row)
	}
}

func (u *unscoredRows) String() string {
	noun := "rows"
	if u.Count == 1 {
		noun = "row"
	}
	return fmt.Sprintf("left out %d %s the model could not score (first: %s)", u.Count, noun, u.FirstError)
}

// auditBurden runs the exact recourse search for every kept row the model
// puts on the adverse side and compares the minimal costs across groups:
// each group column alone and, when there are several, their intersection.
// The population of the costs is t itself (auditInMemory).
func auditBurden(ctx context.Context, a auditArgs, m *score.Model, t *score.Table, in *fairness.TableData, target score.Probability, stderr io.Writer) ([]*fairness.Burden, error) {
	actions, err := readActionsFile(a.actionsPath, m)
	if err != nil {
		return nil, err
	}
	fmt.Fprintln(stderr, "candor audit: the model stores no percentiles for some numeric features; using --data as the population for recourse costs (give --train to choose)")
	space, err := auditSpace(m, actions, t, stderr)
	if space == nil || err != nil {
		return nil, err
	}
	costs, adverse, err := space.MinimalCostsOf(ctx, t, in.Rows, &explain.RecourseOptions{Target: target, MaxChanges: a.maxChanges})
	if err != nil {
		return nil, fmt.Errorf("--model: recourse: %w", err)
	}
	burdens, err := fairness.RecourseBurdens(costs, adverse, in.Data.Groups,
		&fairness.BurdenOptions{Level: a.level, MinGroupSize: a.minGroup, Bootstrap: a.bootstrap, Seed: a.seed})
	if err != nil {
		return nil, in.RowError(err)
	}
	return burdens, nil
}

// writeAudit writes the report as JSON (the fairness report's fields, then
// "excluded_rows", with --model "recourse_burden", with --proxies
// "proxies") or as text.
func writeAudit(a auditArgs, res *auditResult, stdout io.Writer) error {
	w, closeFn, err := output(a.out, stdout)
	if err != nil {
		return err
	}
	if a.format == "json" {
		err = writeAuditJSONProxies(w, res.rep, res.burdens, res.excl, res.unscored, res.proxies)
	} else {
		err = writeAuditText(w, res.rep, res.burdens, res.excl, res.unscored)
		if err == nil && res.proxies != nil {
			ew := &errWriterAudit{w: w}
			writeProxiesText(ew, res.proxies)
			err = ew.err
		}
	}
	if err != nil {
		closeFn()
		return err
	}
	return closeFn()
}

// writeAuditJSON writes the report without proxies as indented JSON.
func writeAuditJSON(w io.Writer, rep *fairness.Report, burdens []*fairness.Burden, excl *fairness.Excluded, unscored *unscoredRows) error {
	return writeAuditJSONProxies(w, rep, burdens, excl, unscored, nil)
}

// writeAuditJSONProxies is writeAuditJSON with the proxies, when not nil.
func writeAuditJSONProxies(w io.Writer, rep *fairness.Report, burdens []*fairness.Burden, excl *fairness.Excluded, unscored *unscoredRows, proxies *proxyAudit) error {
	b, err := json.Marshal(rep)
	if err != nil {
		return err
	}
	b = bytes.TrimSpace(b)
	if len(b) < 2 || b[len(b)-1] != '}' {
		return fmt.Errorf("audit report is not a JSON object")
	}
	var buf bytes.Buffer
	buf.Write(b[:len(b)-1])
	field := func(key string, v any) error {
		vb, err := json.Marshal(v)
		if err != nil {
			return err
		}
		buf.WriteString(`,"` + key + `":`)
		buf.Write(vb)
		return nil
	}
	if err := field("excluded_rows", excl); err != nil {
		return err
	}
	if unscored != nil {
		if err := field("unscored_rows", unscored); err != nil {
			return err
		}
	}
	if burdens != nil {
		if err := field("recourse_burden", burdens); err != nil {
			return err
		}
	}
	if proxies != nil {
		if err := field("proxies", proxies); err != nil {
			return err
		}
	}
	buf.WriteByte('}')
	var out bytes.Buffer
	if err := json.Indent(&out, buf.Bytes(), "", "  "); err != nil {
		return err
	}
	out.WriteByte('\n')
	_, err = w.Write(out.Bytes())
	return err
}

func writeAuditText(w io.Writer, rep *fairness.Report, burdens []*fairness.Burden, excl *fairness.Excluded, unscored *unscoredRows) error {
	if excl.Count > 0 {
		if _, err := fmt.Fprintf(w, "%s\n\n", excl.String()); err != nil {
			return err
		}
	}
	if unscored != nil && unscored.Count > 0 {
		if _, err := fmt.Fprintf(w, "%s\n\n", unscored); err != nil {
			return err
		}
	}
	if err := rep.WriteText(w); err != nil {
		return err
	}
	ew := &errWriterAudit{w: w}
	for _, b := range burdens {
		fmt.Fprintf(ew, "\n== recourse burden by %s: mean minimal cost among the model's adverse decisions ==\n", b.Attribute)
		tw := tabwriter.NewWriter(ew, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "group\tadverse\tshare without recourse\tmean cost\tvs cheapest [CI]\tnote")
		for _, g := range b.Groups {
			mean, diff, note := "undefined", "undefined", ""
			if g.MeanCost.Defined {
				mean = fmt.Sprintf("%.3f", g.MeanCost.Value)
			}
			if g.Group == b.Cheapest {
				diff = "cheapest"
			} else if g.Difference.Defined {
				diff = fmt.Sprintf("%+.3f", g.Difference.Value)
				if g.Difference.Replicates > 0 && !math.IsNaN(g.Difference.Lo) {
					diff += fmt.Sprintf(" [%+.3f, %+.3f]", g.Difference.Lo, g.Difference.Hi)
				}
			}
			if g.Small {
				note = "small group"
			}
			infeasible := "-"
			if g.Infeasible.Defined {
				infeasible = fmt.Sprintf("%.3f", g.Infeasible.Value)
			}
			fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t%s\n", g.Group, g.Adverse, infeasible, mean, diff, note)
		}
		tw.Flush()
		for _, s := range b.Warnings {
			fmt.Fprintf(ew, "  - %s\n", s)
		}
	}
	return ew.err
}

type errWriterAudit struct {
	w   io.Writer
	err error
}

func (e *errWriterAudit) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(p)
	e.err = err
	return n, err
}

// summaryFlagged is how many flagged groups the summary line names: it is
// one line (a numeric group column once named 95), the report lists them
// all, and 10 is what `fit` lists of a target's values.
const summaryFlagged = 10

// auditSummary writes one line of the main figures to stderr.
func auditSummary(stderr io.Writer, rep *fairness.Report, excl *fairness.Excluded) {
	dp := "undefined"
	if d := rep.DemographicParityDifference; d.Defined {
		dp = fmt.Sprintf("%.3f", d.Value)
	}
	flagged := "none"
	if f := rep.FourFifths.Flagged; len(f) > summaryFlagged {
		flagged = fmt.Sprintf("%s and %d more (in the report)", strings.Join(f[:summaryFlagged], ", "), len(f)-summaryFlagged)
	} else if len(f) > 0 {
		flagged = strings.Join(f, ", ")
	}
	fmt.Fprintf(stderr, "candor audit: %d rows audited (%d excluded), %d groups by %s; demographic parity difference %s; four-fifths screen flags: %s; %d warnings\n",
		rep.Rows, excl.Count, len(rep.Groups), rep.Attribute, dp, flagged, len(rep.Warnings))
}
