package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image/color"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"github.com/candorscore/candor/explain"
	"github.com/candorscore/candor/score"
)

// explainLine is one JSON object of `candor explain --format json`.
type explainLine struct {
	Row          int      `json:"row"`
	Units        string   `json:"units,omitempty"`
	BaselineKind string   `json:"baseline_kind,omitempty"`
	Baseline     *float64 `json:"baseline,omitempty"`
	Total        *float64 `json:"total,omitempty"`
	Probability  *float64 `json:"probability,omitempty"`
	// BaselineProbability is the event probability at the baseline; each
	// contribution's probability_effect is its share of Probability -
	// BaselineProbability (see explain.ProbabilityView for the method).
	BaselineProbability *float64         `json:"baseline_probability,omitempty"`
	Contributions       []contributionJS `json:"contributions,omitempty"`
	Reasons             []reasonJS       `json:"reasons,omitempty"`
	Text                []string         `json:"text,omitempty"`
	Error               string           `json:"error,omitempty"`
}

type contributionJS struct {
	Feature           string   `json:"feature"`
	Value             any      `json:"value"`
	Effect            float64  `json:"effect"`
	ProbabilityEffect *float64 `json:"probability_effect,omitempty"`
}

type reasonJS struct {
	Code    string  `json:"code"`
	Feature string  `json:"feature"`
	Value   any     `json:"value"`
	Bin     string  `json:"bin,omitempty"`
	Effect  float64 `json:"effect"`
	// Advice is "increase", "decrease" or "change"; when the reason carries
	// none, AdviceWithheld says why (explain.WithheldNotActionable, ...).
	Advice         string `json:"advice,omitempty"`
	AdviceWithheld string `json:"advice_withheld,omitempty"`
	// AdviceTo, for a "change", lists the levels the customer could move
	// to, best first (explain.Explainer.AdviceLevels; the text names the
	// first three). Never for a sensitive feature.
	AdviceTo []string `json:"advice_to,omitempty"`
}

type explainArgs struct {
	model, data, delim, rows, format, lang, chartPath, baseline, messages, out string
	actions                                                                    string
	reasons, refSize, workers                                                  int
	showSensitive, global                                                      bool
}

func runExplain(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("explain", stderr)
	var a explainArgs
	fs.StringVar(&a.model, "model", "", "model file")
	fs.StringVar(&a.data, "data", "", "CSV of customers, with a header row")
	fs.StringVar(&a.delim, "delimiter", "", "field separator (default ',')")
	fs.StringVar(&a.rows, "rows", "", "data rows to explain, 1-based (e.g. 1,4,10-12; default all)")
	fs.StringVar(&a.format, "format", "text", "output: text or json")
	fs.StringVar(&a.lang, "lang", "en", "language of customer text (en, de, or one added by --messages)")
	fs.StringVar(&a.chartPath, "chart", "", "draw each row's breakdown as a waterfall to this .svg or .png file (-rowN added for several rows)")
	fs.StringVar(&a.baseline, "baseline", "", "population, best, declared or cutoff (default: declared when the model has reason codes, else population)")
	fs.IntVar(&a.refSize, "reference-size", 50, "with --baseline cutoff: how many non-adverse rows nearest the cutoff form the reference set")
	fs.IntVar(&a.reasons, "reasons", 4, "reasons per row, as explain.Options.MaxReasons: 0 is the default (4), -1 (explain.AllReasons) all")
	fs.StringVar(&a.messages, "messages", "", "JSON file of catalogue messages that add to or override the built-in text")
	fs.BoolVar(&a.showSensitive, "show-sensitive", false, "show values of sensitive features in JSON and charts (never in customer text)")
	fs.BoolVar(&a.global, "global", false, "instead of rows: feature importance over the (selected) rows and each feature's effect shape")
	fs.StringVar(&a.out, "out", "", "output file (default stdout)")
	mflags := addModelFlags(fs)
	featuresPath := featuresFlag(fs)
	fs.StringVar(&a.actions, "actions", "", "JSON actions file (as for recourse): which features a customer may change; reasons on others carry no advice")
	fs.IntVar(&a.workers, "workers", runtime.GOMAXPROCS(0), "rows are explained on this many cores at once (output stays in input order)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if a.model == "" {
		return fmt.Errorf("--model is required")
	}
	if err := checkWorkers(a.workers); err != nil {
		return err
	}
	if a.format != "text" && a.format != "json" {
		return fmt.Errorf("--format must be text or json, got %q", a.format)
	}
	m, err := mflags.loadModel(a.model)
	if err != nil {
		return err
	}
	if m, err = withFeatures(m, *featuresPath); err != nil {
		return err
	}
	acts, err := readActionsFile(a.actions, m)
	if err != nil {
		return err
	}
	// Rows stream, unless the run needs them all at once: a cutoff
	// baseline is drawn from the whole file, --global sums over it, and
	// --chart names its files by the number of rows selected.
	if !a.global && a.chartPath == "" && a.baseline != "cutoff" {
		return streamExplain(ctx, m, acts, a, stdout, stderr)
	}
	t, err := readTable(a.data, a.delim)
	if err != nil {
		return err
	}
	if err := m.CheckTable(t); err != nil {
		return fmt.Errorf("%s: %w", a.data, err)
	}
	rows, err := parseRows(a.rows)
	if err != nil {
		return err
	}
	e, cat, err := newExplainer(m, t, a, acts)
	if err != nil {
		return err
	}
	w, closeFn, err := output(a.out, stdout)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	selected, err := rows.indexes(t.Len())
	if err != nil {
		closeFn()
		return err
	}
	if a.global {
		if err := explainGlobal(e, t, selected, a, w, enc); err != nil {
			closeFn()
			return err
		}
		if err := closeFn(); err != nil {
			return err
		}
		return nil
	}
	failed := 0
	var ex, exact explain.Explanation
	for _, i := range selected {
		if ctx.Err() != nil {
			closeFn()
			return ctx.Err()
		}
		rec, err := t.Record(m.Schema(), i)
		if err == nil {
			err = e.Explain(rec, &exact)
		}
		// Everything shown is the published explanation: sensitive terms
		// at their bands' effects (the exact one with --show-sensitive).
		e.Publish(&ex, &exact)
		if err != nil {
			failed++
			msg := score.WithRow(err, i+1).Error()
			if a.format == "json" {
				err = enc.Encode(explainLine{Row: i + 1, Error: msg})
			} else {
				_, err = fmt.Fprintf(w, "row %d: error: %s\n\n", i+1, msg)
			}
			if err != nil {
				closeFn()
				return err
			}
			continue
		}
		if a.format == "json" {
			line, err := explainJSON(e, cat, a, i+1, &ex, nil)
			if err == nil {
				err = enc.Encode(line)
			}
			if err != nil {
				closeFn()
				return err
			}
		} else {
			b := fmt.Appendf(nil, "row %d: ", i+1)
			b, err = e.AppendReport(b, cat, a.lang, &ex, 4)
			if err != nil {
				closeFn()
				return err
			}
			b = append(b, '\n')
			if _, err := w.Write(b); err != nil {
				closeFn()
				return err
			}
		}
		if a.chartPath != "" {
			path := a.chartPath
			if len(selected) > 1 {
				ext := filepath.Ext(path)
				path = strings.TrimSuffix(path, ext) + "-row" + strconv.Itoa(i+1) + ext
			}
			if err := waterfall(e, cat, a, &ex, i+1, path); err != nil {
				closeFn()
				return err
			}
			fmt.Fprintf(stderr, "candor explain: wrote %s\n", path)
		}
	}
	if err := closeFn(); err != nil {
		return err
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d rows could not be explained", failed, len(selected))
	}
	return nil
}

// explainScratch is a batch's scratch for streamExplain.
type explainScratch struct {
	bind      *binder
	rec       score.Record
	ex, exact explain.Explanation
	buf       bytes.Buffer
	enc       *json.Encoder
}

// streamExplain is `candor explain` on rows read as they come, explained
// on a.workers cores and written in input order.
func streamExplain(ctx context.Context, m *score.Model, acts *explain.Actions, a explainArgs, stdout, stderr io.Writer) error {
	src, err := openSource(a.data, a.delim)
	if err != nil {
		return err
	}
	defer src.Close()
	header := src.Header()
	if err := checkHeader(m, header); err != nil {
		return fmt.Errorf("%s: %w", a.data, err)
	}
	rows, err := parseRows(a.rows)
	if err != nil {
		return err
	}
	e, cat, err := newExplainer(m, nil, a, acts)
	if err != nil {
		return err
	}
	if err := checkRowsInFile(a.data, a.delim, rows); err != nil {
		return err
	}
	w, closeFn, err := output(a.out, stdout)
	if err != nil {
		return err
	}
	bind := newBinder(m.Schema(), header)
	names := termNames(m)
	newScratch := func() any {
		sc := &explainScratch{bind: bind.fork()}
		sc.enc = json.NewEncoder(&sc.buf)
		sc.enc.SetEscapeHTML(false)
		return sc
	}
	st := newStream("explain", src, rows, stderr)
	err = st.run(ctx, a.workers, w, newScratch, func(b *rowBatch, out []byte) ([]byte, error) {
		sc := b.scr.(*explainScratch)
		for k, row := range b.rows {
			if ctx.Err() != nil {
				return out, ctx.Err()
			}
			err := b.errs[k]
			if err == nil {
				if sc.rec, err = sc.bind.record(sc.rec, b, k); err == nil {
					err = e.Explain(sc.rec, &sc.exact)
				}
			}
			// Everything shown is the published explanation: sensitive
			// terms at their bands' effects (the exact one with
			// --show-sensitive).
			e.Publish(&sc.ex, &sc.exact)
			sc.buf.Reset()
			if err != nil {
				b.failed++
				msg := score.WithRow(err, row).Error()
				if a.format == "json" {
					if err := sc.enc.Encode(explainLine{Row: row, Error: msg}); err != nil {
						return out, err
					}
					out = append(out, sc.buf.Bytes()...)
				} else {
					out = fmt.Appendf(out, "row %d: error: %s\n\n", row, msg)
				}
				continue
			}
			if a.format == "json" {
				line, err := explainJSON(e, cat, a, row, &sc.ex, names)
				if err == nil {
					out, err = appendExplainLine(out, &line)
				}
				if err != nil {
					return out, err
				}
				continue
			}
			out = append(out, "row "...)
			out = strconv.AppendInt(out, int64(row), 10)
			out = append(out, ": "...)
			if out, err = e.AppendReport(out, cat, a.lang, &sc.ex, 4); err != nil {
				return out, err
			}
			out = append(out, '\n')
		}
		return out, nil
	})
	return st.finish(err, closeFn, "explained")
}

// newExplainer is explain's explainer and catalogue from its flags: the
// built-in catalogue with --messages added, checked to have --lang, and
// the explainer with --reasons, --show-sensitive, the actions and the
// baseline chooseBaseline picks (t is the data in memory, nil for a
// stream).
func newExplainer(m *score.Model, t *score.Table, a explainArgs, acts *explain.Actions) (*explain.Explainer, *explain.Catalog, error) {
	cat := explain.DefaultCatalog()
	if a.messages != "" {
		var err error
		if cat, err = loadMessages(cat, a.messages); err != nil {
			return nil, nil, err
		}
	}
	if !cat.HasLanguage(a.lang) {
		return nil, nil, fmt.Errorf("%w: --lang %q (have %s)", explain.ErrUnknownLanguage, a.lang, strings.Join(cat.Languages(), ", "))
	}
	opts := &explain.Options{MaxReasons: a.reasons, ShowSensitive: a.showSensitive, Actions: acts}
	var err error
	if opts.Baseline, err = chooseBaseline(m, t, a); err != nil {
		return nil, nil, err
	}
	e, err := explain.NewExplainer(m, opts)
	if err != nil {
		return nil, nil, err
	}
	return e, cat, nil
}

func loadMessages(cat *explain.Catalog, path string) (*explain.Catalog, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	msgs, err := explain.ReadMessages(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return cat.With(msgs...)
}

// minSensitiveReference is the fewest reference customers a cutoff
// baseline averages over when the model has sensitive features.
const minSensitiveReference = 10

// chooseBaseline turns --baseline into a baseline; nil means the
// explainer's default.
func chooseBaseline(m *score.Model, t *score.Table, a explainArgs) (*explain.Baseline, error) {
	var b explain.Baseline
	var err error
	switch a.baseline {
	case "":
		return nil, nil
	case "population":
		b = explain.PopulationBaseline(m)
	case "best":
		b, err = explain.BestBaseline(m)
	case "declared":
		b, err = explain.DeclaredBaseline(m)
	case "cutoff":
		// The baseline's terms are the reference customers' mean effects:
		// over too few of them a sensitive term's baseline is another
		// customer's exact value, published in every contribution.
		if hasSensitiveTerm(m) && !a.showSensitive && a.refSize < minSensitiveReference {
			return nil, fmt.Errorf("--baseline cutoff: --reference-size %d is below %d, and the model has sensitive features: the baseline would give the reference customers' values away", a.refSize, minSensitiveReference)
		}
		if b, _, err = explain.CutoffBaseline(m, t, a.refSize); err != nil {
			return nil, fmt.Errorf("--baseline cutoff: %w", err)
		}
	default:
		return nil, fmt.Errorf("--baseline must be population, best, declared or cutoff, got %q", a.baseline)
	}
	if err != nil {
		return nil, err
	}
	return &b, nil
}

// explainJSON is the JSON line of row's explanation. names are the
// features of the model's terms (termNames), or nil.
func explainJSON(e *explain.Explainer, cat *explain.Catalog, a explainArgs, row int, ex *explain.Explanation, names []string) (explainLine, error) {
	m := e.Model()
	if names == nil {
		names = termNames(m)
	}
	f := func(x float64) *float64 { return &x }
	line := explainLine{Row: row, Units: explain.Units(m), BaselineKind: string(e.Baseline().Kind),
		Baseline: f(ex.Baseline), Total: f(ex.Result.Score)}
	if p := float64(ex.Result.Probability); !math.IsNaN(p) {
		line.Probability = f(p)
	}
	var pv explain.ProbabilityView
	if m.Kind() != score.LinearModel {
		var err error
		if pv, err = e.Probability(nil, ex); err != nil {
			return line, err
		}
		line.BaselineProbability = f(float64(pv.Baseline))
	}
	for _, j := range e.Order(nil, ex) {
		c := contributionJS{Feature: names[j], Value: ex.JSONValue(j), Effect: ex.Contributions[j]}
		if pv.Contributions != nil {
			c.ProbabilityEffect = f(pv.Contributions[j])
		}
		line.Contributions = append(line.Contributions, c)
	}
	for _, r := range ex.Reasons {
		bin := r.Bin
		if r.Withheld {
			bin = ""
		}
		rj := reasonJS{Code: r.Code, Feature: r.Feature,
			Value: r.JSONValue(), Bin: bin, Effect: r.Effect, Advice: string(r.Advice), AdviceWithheld: r.AdviceWithheld}
		if r.Term >= 0 {
			rj.AdviceTo = e.AdviceLevels(r, ex.Positions[r.Term])
		}
		line.Reasons = append(line.Reasons, rj)
	}
	txt, err := e.AppendCustomerText(nil, cat, a.lang, ex)
	if err != nil {
		return line, err
	}
	for _, s := range strings.Split(strings.TrimSuffix(string(txt), "\n"), "\n") {
		if s != "" {
			line.Text = append(line.Text, s)
		}
	}
	return line, nil
}

// termNames are the features of m's terms, in term order (a pair term's
// two as explain.PairName).
func termNames(m *score.Model) []string {
	names := make([]string, m.NumTerms())
	for j := range names {
		names[j] = m.Schema().Feature(m.TermFeature(j)).Name
		if k := m.PairFeature(j); k >= 0 {
			names[j] = explain.PairName(names[j], m.Schema().Feature(k).Name)
		}
	}
	return names
}

// waterfall draws the breakdown as a horizontal waterfall: the baseline,
// one bar per term in Order from the running total, and the score.
func waterfall(e *explain.Explainer, cat *explain.Catalog, a explainArgs, ex *explain.Explanation, row int, path string) error {
	ext := strings.ToLower(filepath.Ext(path))
	if ext != ".svg" && ext != ".png" {
		return fmt.Errorf("--chart: %s: the file name must end in .svg or .png", path)
	}
	m := e.Model()
	order := e.Order(nil, ex)
	n := len(order) + 2
	p := plot.New()
	p.Title.Text = fmt.Sprintf("%s, row %d: %.4g from baseline %.4g", m.Name(), row, ex.Result.Score, ex.Baseline)
	p.X.Label.Text = explain.Units(m)
	labels := make([]string, n)
	// Rows from the top: baseline, terms, score. y = n-1-k for bar k.
	bar := func(k int, from, to float64, c color.Color) error {
		y := float64(n - 1 - k)
		lo, hi := math.Min(from, to), math.Max(from, to)
		if hi-lo < 1e-12 {
			hi = lo + 1e-12
		}
		poly, err := plotter.NewPolygon(plotter.XYs{{X: lo, Y: y - 0.35}, {X: hi, Y: y - 0.35}, {X: hi, Y: y + 0.35}, {X: lo, Y: y + 0.35}})
		if err != nil {
			return err
		}
		poly.Color = c
		poly.LineStyle.Width = 0
		p.Add(poly)
		return nil
	}
	grey := color.RGBA{R: 120, G: 120, B: 120, A: 255}
	red := color.RGBA{R: 200, G: 60, B: 50, A: 255}
	green := color.RGBA{R: 40, G: 150, B: 80, A: 255}
	// Which sign counts against the customer: positive for PointsAbove.
	adverse := 1.0
	if e.Algorithm() == explain.PointsBelow {
		adverse = -1
	}
	// The baseline and score bars start at the left edge of the path the
	// contributions walk, so that small contributions stay visible on
	// scales (points) far from zero.
	pmin, pmax := math.Min(ex.Baseline, ex.Result.Score), math.Max(ex.Baseline, ex.Result.Score)
	for walk, k := ex.Baseline, 0; k < len(order); k++ {
		walk += ex.Contributions[order[k]]
		pmin, pmax = math.Min(pmin, walk), math.Max(pmax, walk)
	}
	pad := 0.05 * math.Max(pmax-pmin, 1e-9)
	lo := pmin - pad
	p.X.Min, p.X.Max = lo, pmax+pad
	if err := bar(0, lo, ex.Baseline, grey); err != nil {
		return err
	}
	labels[0] = "baseline (" + string(e.Baseline().Kind) + ")"
	run := ex.Baseline
	for k, j := range order {
		c := ex.Contributions[j]
		col := green
		if c*adverse > 0 {
			col = red
		}
		if err := bar(k+1, run, run+c, col); err != nil {
			return err
		}
		run += c
		feat := m.Schema().Feature(m.TermFeature(j))
		v := cat.ValueText(a.lang, feat, ex.Values[j])
		if feat.Sensitive && !ex.IsWithheld(j) {
			v = ex.Values[j].String()
		}
		if k2 := m.PairFeature(j); k2 >= 0 {
			f2 := m.Schema().Feature(k2)
			v2 := cat.ValueText(a.lang, f2, ex.PairValues[j])
			if f2.Sensitive && !ex.IsWithheld(j) {
				v2 = ex.PairValues[j].String()
			}
			v += explain.PairSeparator + v2
		}
		labels[k+1] = fmt.Sprintf("%s = %s (%+.3g)", e.TermName(j), v, c)
	}
	if err := bar(n-1, lo, ex.Result.Score, grey); err != nil {
		return err
	}
	labels[n-1] = "score"
	ticks := make([]plot.Tick, n)
	for k := range labels {
		ticks[k] = plot.Tick{Value: float64(n - 1 - k), Label: labels[k]}
	}
	p.Y.Tick.Marker = plot.ConstantTicks(ticks)
	p.Y.Min, p.Y.Max = -0.6, float64(n)-0.4
	height := vg.Length(n)*0.3*vg.Inch + 1.2*vg.Inch
	return p.Save(9*vg.Inch, height, path)
}

// reasonsOf gives `candor score --reasons N`: the record's top reason
// codes from e (built with MaxReasons N) against its default baseline,
// each with its effect in model units (log-odds for logistic models,
// points for scorecards).
//
// The reasons and the score returned are published (Explainer.Publish):
// with sensitive terms at their bands' effects.
func reasonsOf(e *explain.Explainer, rec score.Record) ([]reason, score.Result, error) {
	var ex, pub explain.Explanation
	if err := e.Explain(rec, &ex); err != nil {
		return nil, score.Result{}, err
	}
	e.Publish(&pub, &ex)
	out := make([]reason, 0, len(pub.Reasons))
	for _, r := range pub.Reasons {
		out = append(out, reason{Code: r.Code, Feature: r.Feature, Effect: r.Effect})
	}
	return out, pub.Result, nil
}

// demoExplain is the explanation stage of `candor demo`: the first
// applicant the logistic model declines, explained against the approved
// applicants nearest the cutoff (Regulation B), with reason codes, the
// exact breakdown and the customer text in English and German; and, when
// the scorecard stage ran, the same applicant's scorecard reason codes.
func demoExplain(_ context.Context, env *demoEnv) error {
	m := env.model
	base, near, err := explain.CutoffBaseline(m, env.table, 100)
	if err != nil {
		return err
	}
	e, err := explain.NewExplainer(m, &explain.Options{Baseline: &base})
	if err != nil {
		return err
	}
	cat := env.catalog
	var ex explain.Explanation
	for _, r := range m.ScoreTable(nil, env.table, nil) {
		if r.Err != nil {
			continue
		}
		if err := e.Explain(r.Record, &ex); err != nil {
			return err
		}
		if ex.Result.Probability < m.Cutoff() {
			continue
		}
		fmt.Fprintf(env.out, "\nexplanation: applicant %d is declined (probability %.3f >= cutoff %.2f); reasons against the %d approved applicants nearest the cutoff:\n",
			r.Row, float64(ex.Result.Probability), float64(m.Cutoff()), near)
		b, err := e.AppendReport(nil, cat, "en", &ex, 3)
		if err != nil {
			return err
		}
		env.out.Write(b)
		for _, lang := range []string{"en", "de"} {
			txt, err := e.AppendCustomerText(nil, cat, lang, &ex)
			if err != nil {
				return err
			}
			fmt.Fprintf(env.out, "customer text (%s):\n%s", lang, txt)
		}
		if env.scorecard != nil {
			return demoScorecardReasons(env, r.Row-1)
		}
		return nil
	}
	fmt.Fprintln(env.out, "\nexplanation: no applicant is declined at the cutoff")
	return nil
}

// demoScorecardReasons prints the scorecard's reason codes for data row i:
// points below the average applicant (PMML pointsBelow), with the bin.
func demoScorecardReasons(env *demoEnv, i int) error {
	sc := env.scorecard
	rec, err := env.table.Record(sc.Schema(), i)
	if err != nil {
		return err
	}
	e, err := explain.NewExplainer(sc, nil)
	if err != nil {
		return err
	}
	var ex explain.Explanation
	if err := e.Explain(rec, &ex); err != nil {
		return err
	}
	fmt.Fprintf(env.out, "scorecard: %.1f points (the average applicant: %.1f); reason codes, points below the average:\n", ex.Result.Score, ex.Baseline)
	for k, r := range ex.Reasons {
		fmt.Fprintf(env.out, "  %d. %-40s %-28s %+.1f points\n", k+1, r.Feature, r.Bin, r.Effect)
	}
	return nil
}

// globalJSON is the output of `candor explain --global --format json`.
type globalJSON struct {
	Rows         int              `json:"rows"`
	Skipped      int              `json:"skipped,omitempty"`
	Units        string           `json:"units"`
	BaselineKind string           `json:"baseline_kind"`
	Importance   []importanceJSON `json:"importance"`
	Shapes       []shapeJSON      `json:"shapes"`
}

type importanceJSON struct {
	Feature      string  `json:"feature"`
	MeanAbs      float64 `json:"mean_abs"`
	Mean         float64 `json:"mean"`
	AdverseShare float64 `json:"adverse_share"`
}

type shapeJSON struct {
	Feature string      `json:"feature"`
	Points  []pointJSON `json:"points"`
}

type pointJSON struct {
	Label        string   `json:"label"`
	X            *float64 `json:"x,omitempty"`
	Effect       float64  `json:"effect"`
	Contribution float64  `json:"contribution"`
	Count        float64  `json:"count,omitempty"`
}

// explainGlobal writes feature importance over the selected rows (rows
// that cannot be scored are skipped and counted) and the effect shape of
// every term, in model order.
func explainGlobal(e *explain.Explainer, t *score.Table, selected []int, a explainArgs, w io.Writer, enc *json.Encoder) error {
	m := e.Model()
	recs, skipped := score.Scored(m.ScoreTable(nil, t, selected))
	imp, err := e.Importances(recs)
	if err != nil {
		return err
	}
	g := globalJSON{Rows: len(recs), Skipped: skipped, Units: explain.Units(m), BaselineKind: string(e.Baseline().Kind)}
	for _, v := range imp {
		g.Importance = append(g.Importance, importanceJSON{Feature: v.Feature, MeanAbs: v.MeanAbs, Mean: v.Mean, AdverseShare: v.AdverseShare})
	}
	for j := range m.NumTerms() {
		sh, err := e.Shape(j)
		if err != nil {
			return err
		}
		s := shapeJSON{Feature: e.TermName(j)}
		for _, p := range sh {
			pj := pointJSON{Label: p.Label, Effect: p.Effect, Contribution: p.Contribution, Count: p.Count}
			if !math.IsNaN(p.X) {
				x := p.X
				pj.X = &x
			}
			s.Points = append(s.Points, pj)
		}
		g.Shapes = append(g.Shapes, s)
	}
	if a.format == "json" {
		return enc.Encode(g)
	}
	fmt.Fprintf(w, "feature importance over %d rows (mean |contribution| in %s from the %s baseline; share of rows where the feature is a reason)", g.Rows, g.Units, g.BaselineKind)
	if skipped > 0 {
		fmt.Fprintf(w, "; %d rows skipped as unscorable", skipped)
	}
	fmt.Fprintln(w)
	for _, v := range g.Importance {
		fmt.Fprintf(w, "  %10.4f  %5.1f%%  %s\n", v.MeanAbs, 100*v.AdverseShare, v.Feature)
	}
	fmt.Fprintf(w, "\ncontribution of each value (%s from the %s baseline: the feature's effect there minus the baseline's):\n", g.Units, g.BaselineKind)
	for _, s := range g.Shapes {
		fmt.Fprintf(w, "%s\n", s.Feature)
		for _, p := range s.Points {
			fmt.Fprintf(w, "  %+10.4f  %s\n", p.Contribution, p.Label)
		}
	}
	return nil
}
