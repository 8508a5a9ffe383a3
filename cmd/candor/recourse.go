package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"

	"github.com/candorscore/candor/explain"
	"github.com/candorscore/candor/score"
)

// recourseLine is one JSON line of `candor recourse`. A row already on the
// favourable side has "already": true and no counterfactuals; a row no
// allowed change can flip has "infeasible": true, a reason, the best
// reachable change ("best") and the constraints that limit it ("limits").
type recourseLine struct {
	Row             int             `json:"row"`
	Probability     *float64        `json:"probability,omitempty"`
	Points          *float64        `json:"points,omitempty"`
	Target          float64         `json:"target,omitempty"`
	Margin          float64         `json:"margin,omitempty"`
	Already         bool            `json:"already,omitempty"`
	Counterfactuals []recourseCF    `json:"counterfactuals"`
	Infeasible      bool            `json:"infeasible,omitempty"`
	Reason          string          `json:"reason,omitempty"`
	BestProbability *float64        `json:"best_probability,omitempty"`
	Best            *recourseCF     `json:"best,omitempty"`
	Limits          []explain.Limit `json:"limits,omitempty"`
	Error           string          `json:"error,omitempty"`
}

// recourseCF is a counterfactual with its sentence when --lang is given
// (never for the best reachable change of an infeasible row, which does not
// change the decision).
type recourseCF struct {
	explain.Counterfactual
	Text string `json:"text,omitempty"`
}

// MarshalJSON writes the counterfactual's fields (as
// explain.Counterfactual marshals them: no cost when it is withheld) and
// the text.
func (c recourseCF) MarshalJSON() ([]byte, error) {
	b, err := json.Marshal(c.Counterfactual)
	if err != nil || c.Text == "" {
		return b, err
	}
	t, err := json.Marshal(c.Text)
	if err != nil {
		return nil, err
	}
	return append(append(append(b[:len(b)-1], `,"text":`...), t...), '}'), nil
}

func runRecourse(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("recourse", stderr)
	modelPath := fs.String("model", "", "model file")
	data := fs.String("data", "", "CSV of customers, with a header row")
	train := fs.String("train", "", "training CSV for seen values and percentiles (default: the model's stored statistics)")
	delim := fs.String("delimiter", "", "field separator (default ',')")
	actionsPath := fs.String("actions", "", "JSON file of actions: immutable features, directions, bounds, grids, costs")
	rowsFlag := fs.String("rows", "", "data rows to answer, 1-based: 1,4,10-12 (default all)")
	maxChanges := fs.Int("max-changes", 0, "most features changed per counterfactual (0 = no limit)")
	k := fs.Int("k", 3, "diverse counterfactuals per row (different sets of features)")
	target := fs.Float64("target-probability", 0, "event probability to get below (default: the model's cutoff)")
	costObj := fs.String("cost", "sum", "what to minimise: sum (of the changes' costs) or max (the largest change's cost)")
	lang := fs.String("lang", "", "add each counterfactual as a sentence in this language (en, de, or one added by --messages)")
	messages := fs.String("messages", "", "JSON file of catalogue messages that add to or override the built-in text (labels per language, as for explain)")
	allowUnsupported := fs.Bool("allow-unsupported", false, "also propose changes whose proposed cell's training event rate is not below the current cell's (flagged \"unsupported\")")
	margin := fs.Float64("margin", 0, "the flip must hold at the target probability minus this margin")
	out := fs.String("out", "", "output file (default stdout)")
	mflags := addModelFlags(fs)
	featuresPath := featuresFlag(fs)
	workers := workersFlag(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *modelPath == "" {
		return fmt.Errorf("--model is required")
	}
	if err := checkWorkers(*workers); err != nil {
		return err
	}
	if *messages != "" && *lang == "" {
		return fmt.Errorf("--messages needs --lang")
	}
	if *k < 1 || *maxChanges < 0 {
		return fmt.Errorf("--k must be 1 or more and --max-changes 0 or more")
	}
	if *target != 0 && !(*target > 0 && *target < 1) {
		return fmt.Errorf("--target-probability must be in (0, 1), got %v", *target)
	}
	if !(*margin >= 0 && *margin < 1) {
		return fmt.Errorf("--margin must be in [0, 1), got %v", *margin)
	}
	objective := explain.SumCost
	switch *costObj {
	case "sum":
	case "max":
		objective = explain.MaxCost
	default:
		return fmt.Errorf("--cost must be sum or max, got %q", *costObj)
	}
	rows, err := parseRows(*rowsFlag)
	if err != nil {
		return err
	}
	m, err := mflags.loadModel(*modelPath)
	if err != nil {
		return err
	}
	if m, err = withFeatures(m, *featuresPath); err != nil {
		return err
	}
	opts := &explain.RecourseOptions{Target: score.Probability(*target), MaxChanges: *maxChanges, K: *k, Objective: objective,
		AllowUnsupported: *allowUnsupported, Margin: *margin}
	// Rows stream unless --data is also the population (the model stores
	// no percentiles and no --train is given).
	if *train != "" || explain.HasPercentiles(m) {
		return streamRecourse(ctx, m, recourseArgs{data: *data, train: *train, delim: *delim, actions: *actionsPath,
			lang: *lang, messages: *messages, out: *out, workers: *workers}, rows, opts, stdout, stderr)
	}
	t, err := readTable(*data, *delim)
	if err != nil {
		return err
	}
	if err := m.CheckTable(t); err != nil {
		return fmt.Errorf("%s: %w", *data, err)
	}
	selected, err := rows.indexes(t.Len())
	if err != nil {
		return err
	}
	pop, err := recoursePopulation("recourse", *train, *delim, m, t, stderr)
	if err != nil {
		return err
	}
	space, cat, err := recourseSetup(m, *actionsPath, pop, *lang, *messages)
	if err != nil {
		return err
	}
	w, closeFn, err := output(*out, stdout)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	failed, answered := 0, 0
	pub, err := explain.NewExplainer(m, nil)
	if err != nil {
		closeFn()
		return err
	}
	for _, i := range selected {
		if ctx.Err() != nil {
			closeFn()
			return ctx.Err()
		}
		rec, err := t.Record(m.Schema(), i)
		line, err := answerRecourse(ctx, m, space, pub, cat, *lang, opts, rec, i+1, err)
		if err != nil {
			if ctx.Err() != nil {
				closeFn()
				return ctx.Err()
			}
			failed++
			line = recourseLine{Row: i + 1, Error: score.WithRow(err, i+1).Error()}
		}
		answered++
		if err := enc.Encode(&line); err != nil {
			closeFn()
			return err
		}
	}
	if err := closeFn(); err != nil {
		return err
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d rows could not be answered", failed, answered)
	}
	return nil
}

// answerRecourse is the line for one row of recourse: rec and err are
// the row's record or the error reading it.
func answerRecourse(ctx context.Context, m *score.Model, space *explain.ActionSpace, pub *explain.Explainer, cat *explain.Catalog,
	lang string, opts *explain.RecourseOptions, rec score.Record, row int, err error) (recourseLine, error) {
	line := recourseLine{Row: row, Counterfactuals: []recourseCF{}}
	var r *explain.Recourse
	if err == nil {
		r, err = space.Recourse(ctx, rec, opts)
	}
	if err == nil && pub.Withholds() {
		// Shown as published: sensitive terms at their bands' effects,
		// a change of a sensitive feature as the band of its new value.
		var ex explain.Explanation
		if err = pub.Explain(rec, &ex); err == nil {
			pub.PublishRecourse(&ex, r, opts)
		}
	}
	if err == nil {
		err = fillRecourse(&line, m, r, cat, lang)
	}
	return line, err
}

// recourseSetup reads the actions and the catalogue of recourse and
// builds its action space over pop.
func recourseSetup(m *score.Model, actionsPath string, pop *score.Table, lang, messages string) (*explain.ActionSpace, *explain.Catalog, error) {
	actions, err := readActionsFile(actionsPath, m)
	if err != nil {
		return nil, nil, err
	}
	space, err := explain.NewActionSpace(m, actions, pop)
	if err != nil {
		return nil, nil, err
	}
	var cat *explain.Catalog
	if lang != "" {
		cat, err = explain.DefaultCatalog().With(explain.RecourseMessages...)
		if err != nil {
			return nil, nil, err
		}
		if messages != "" {
			if cat, err = loadMessages(cat, messages); err != nil {
				return nil, nil, err
			}
		}
		if !cat.HasLanguage(lang) {
			return nil, nil, fmt.Errorf("--lang %q: the catalogue has %v", lang, cat.Languages())
		}
	}
	return space, cat, nil
}

// recourseArgs are the flags of a streamed `candor recourse`.
type recourseArgs struct {
	data, train, delim, actions, lang, messages, out string
	workers                                          int
}

// recourseScratch is a batch's scratch for streamRecourse.
type recourseScratch struct {
	bind *binder
	rec  score.Record
	buf  bytes.Buffer
	enc  *json.Encoder
}

// streamRecourse is `candor recourse` on rows read as they come, answered
// on a.workers cores and written in input order. The population is
// --train, or the model's stored percentiles.
func streamRecourse(ctx context.Context, m *score.Model, a recourseArgs, rows rowSet, opts *explain.RecourseOptions, stdout, stderr io.Writer) error {
	src, err := openSource(a.data, a.delim)
	if err != nil {
		return err
	}
	defer src.Close()
	header := src.Header()
	if err := checkHeader(m, header); err != nil {
		return fmt.Errorf("%s: %w", a.data, err)
	}
	if err := checkRowsInFile(a.data, a.delim, rows); err != nil {
		return err
	}
	var pop *score.Table
	if a.train != "" {
		if pop, err = readTable(a.train, a.delim); err != nil {
			return err
		}
	}
	space, cat, err := recourseSetup(m, a.actions, pop, a.lang, a.messages)
	if err != nil {
		return err
	}
	pub, err := explain.NewExplainer(m, nil)
	if err != nil {
		return err
	}
	w, closeFn, err := output(a.out, stdout)
	if err != nil {
		return err
	}
	bind := newBinder(m.Schema(), header)
	newScratch := func() any {
		sc := &recourseScratch{bind: bind.fork()}
		sc.enc = json.NewEncoder(&sc.buf)
		sc.enc.SetEscapeHTML(false)
		return sc
	}
	st := newStream("recourse", src, rows, stderr)
	err = st.run(ctx, a.workers, w, newScratch, func(b *rowBatch, out []byte) ([]byte, error) {
		sc := b.scr.(*recourseScratch)
		for k, row := range b.rows {
			err := b.errs[k]
			if err == nil {
				sc.rec, err = sc.bind.record(sc.rec, b, k)
			}
			line, err := answerRecourse(ctx, m, space, pub, cat, a.lang, opts, sc.rec, row, err)
			if err != nil {
				if ctx.Err() != nil {
					return out, ctx.Err()
				}
				b.failed++
				line = recourseLine{Row: row, Error: score.WithRow(err, row).Error()}
			}
			sc.buf.Reset()
			if err := sc.enc.Encode(&line); err != nil {
				return out, err
			}
			out = append(out, sc.buf.Bytes()...)
		}
		return out, nil
	})
	return st.finish(err, closeFn, "answered")
}

func fillRecourse(line *recourseLine, m *score.Model, r *explain.Recourse, cat *explain.Catalog, lang string) error {
	f := func(x float64) *float64 { return &x }
	line.Probability = f(float64(r.Probability))
	if m.Kind() == score.ScorecardModel {
		line.Points = f(r.Score)
	}
	line.Target = float64(r.Target)
	line.Margin = r.Margin
	line.Already = r.Already
	line.Infeasible = r.Infeasible
	line.Reason = r.Reason
	line.Limits = r.Limits
	conv := func(cf explain.Counterfactual) (recourseCF, error) {
		out := recourseCF{Counterfactual: cf}
		if cat != nil {
			s, err := explain.CounterfactualText(cat, lang, m.Schema(), cf)
			if err != nil {
				return out, err
			}
			out.Text = s
		}
		return out, nil
	}
	for _, cf := range r.Counterfactuals {
		c, err := conv(cf)
		if err != nil {
			return err
		}
		line.Counterfactuals = append(line.Counterfactuals, c)
	}
	if r.Infeasible {
		line.BestProbability = f(float64(r.Probability))
		if r.Best != nil {
			// No sentence: the catalogue's ends "the decision would
			// change", which the best reachable change does not do.
			c := recourseCF{Counterfactual: *r.Best}
			line.Best = &c
			line.BestProbability = f(float64(r.Best.Probability))
		}
	}
	return nil
}

// recoursePopulation is the training population that recourse candidates
// and costs come from: --train when given; else nil (the model's stored
// percentiles), or --data itself, with a note on stderr, when the model
// lacks percentiles for some numeric feature.
func recoursePopulation(cmd, train, delim string, m *score.Model, t *score.Table, stderr io.Writer) (*score.Table, error) {
	if train != "" {
		return readTable(train, delim)
	}
	if !explain.HasPercentiles(m) {
		fmt.Fprintf(stderr, "candor %s: the model stores no percentiles for some numeric features; using --data as the population (give --train to choose)\n", cmd)
		return t, nil
	}
	return nil, nil
}
