package main

// audit --model, streamed: the rows are read as they come (rowblocks.go),
// and each worker parses its rows (fairness.RowParser), scores them with
// the model, tallies them (fairness.Tally) and answers the exact recourse
// search for each into a fairness.BurdenTally of its own; the parsers,
// tallies, burden tallies and unscored rows merge. Memory depends on the
// groups (and the bootstrap's replicates), never on the rows. The
// population for the recourse costs must then be --train or the model's
// stored percentiles: a model without them, and no --train, uses --data
// itself as the population, which is read into memory (auditInMemory).

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"

	"github.com/candorscore/candor/explain"
	"github.com/candorscore/candor/fairness"
	"github.com/candorscore/candor/score"
)

// loadAuditModel loads --model with --features and refuses one that
// predicts the favourable outcome.
func loadAuditModel(a auditArgs) (*score.Model, error) {
	m, err := a.mflags.loadModel(a.modelPath)
	if err != nil {
		return nil, err
	}
	if m, err = withFeatures(m, a.features); err != nil {
		return nil, err
	}
	if m.Target() == a.label && m.Event() == a.favorable {
		// candor's event is the adverse outcome (default, churn): its
		// probability falling is what recourse and the decision pursue.
		return nil, fmt.Errorf("--model predicts %s=%q, the favourable outcome; candor models predict the adverse event (refit with the other value as --event)", m.Target(), m.Event())
	}
	return m, nil
}

// auditModelTarget is the probability recourse must get below: --threshold
// when it is on the model's probabilities (no --score or --prediction),
// else 0 (the model's cutoff).
func auditModelTarget(a auditArgs) (score.Probability, error) {
	if a.scoreCol != "" || a.prediction != "" || !a.set["threshold"] {
		return 0, nil
	}
	if !(a.threshold > 0 && a.threshold < 1) {
		return 0, fmt.Errorf("--threshold on the model's event probability must be in (0, 1), got %v", a.threshold)
	}
	return score.Probability(a.threshold), nil
}

// auditSpace is the recourse search of the burden: nil, with a note on
// stderr, when no model input is actionable.
func auditSpace(m *score.Model, actions *explain.Actions, pop *score.Table, stderr io.Writer) (*explain.ActionSpace, error) {
	space, err := explain.NewActionSpace(m, actions, pop)
	if errors.Is(err, explain.ErrNothingActionable) {
		fmt.Fprintln(stderr, `candor audit: no model input is actionable, so nobody has recourse: the recourse burden is left out (declare actions with --actions, or an "action" per feature in the model's features file)`)
		return nil, nil
	}
	return space, err
}

// auditModelStream is audit --model over a stream of --data, with the
// population of the recourse costs from --train or the model (pop, nil
// for the model's percentiles).
func auditModelStream(ctx context.Context, a auditArgs, refs map[string]string, m *score.Model, pop *score.Table, stderr io.Writer) (*fairness.Report, []*fairness.Burden, *fairness.Excluded, *unscoredRows, error) {
	target, err := auditModelTarget(a)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	in, err := openBlocks(a.data, a.delim)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	defer in.Close()
	header := in.Header()
	p, err := fairness.NewRowParser(header, auditColumns(a))
	if err != nil {
		return nil, nil, nil, nil, fmt.Errorf("%s: %w", a.data, err)
	}
	if err := checkHeader(m, header); err != nil {
		return nil, nil, nil, nil, fmt.Errorf("%s: %w", a.data, err)
	}
	if m.Kind() == score.LinearModel {
		return nil, nil, nil, nil, fmt.Errorf("--model: a linear model has no probability to audit or to move")
	}
	opts := auditOptions(a, refs)
	spec := p.Spec()
	useProbs := !spec.Scores // the model's event probabilities are the scores
	switch {
	case a.scoreCol != "":
		spec.Threshold = a.threshold
	case useProbs:
		spec.Scores = true
		opts.Direction = fairness.HigherIsUnfavorable
		spec.Threshold = float64(m.Cutoff())
		if target != 0 {
			spec.Threshold = float64(target)
		}
	}
	if _, err := fairness.NewTally(spec, opts); err != nil {
		return nil, nil, nil, nil, err
	}
	actions, err := readActionsFile(a.actionsPath, m)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	space, err := auditSpace(m, actions, pop, stderr)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	bopts := &fairness.BurdenOptions{Level: a.level, MinGroupSize: a.minGroup, Bootstrap: a.bootstrap, Seed: a.seed}
	if _, err := fairness.NewBurdenTally(spec.Groups, bopts); err != nil {
		return nil, nil, nil, nil, err
	}
	ropts := &explain.RecourseOptions{Target: target, MaxChanges: a.maxChanges, K: 1}
	sinks, err := streamBlocks(ctx, in, workerCount(a.workers), func() *auditModelSink {
		t, _ := fairness.NewTally(spec, opts)                // checked above
		bt, _ := fairness.NewBurdenTally(spec.Groups, bopts) // checked above
		return &auditModelSink{ctx: ctx, p: p.Clone(), t: t, bt: bt, m: m, header: header,
			space: space, ropts: ropts, useProbs: useProbs, un: &unscoredRows{Rows: []int{}}}
	})
	if err != nil {
		return nil, nil, nil, nil, err
	}
	s0 := sinks[0]
	for _, s := range sinks[1:] {
		s0.p.Merge(s.p)
		if err := s0.t.Merge(s.t); err != nil {
			return nil, nil, nil, nil, err
		}
		if err := s0.bt.Merge(s.bt); err != nil {
			return nil, nil, nil, nil, err
		}
		s0.un.merge(s.un)
	}
	excl, err := s0.p.Finish()
	if err != nil {
		return nil, nil, nil, nil, fmt.Errorf("%s: %w", a.data, err)
	}
	// The error of the first row in the file, whichever worker met it.
	var first *auditModelSink
	for _, s := range sinks {
		if s.err != nil && (first == nil || s.errRow < first.errRow) {
			first = s
		}
	}
	if first != nil {
		return nil, nil, nil, nil, first.err
	}
	if excl.Count > 0 {
		fmt.Fprintf(stderr, "candor audit: %s\n", excl)
	}
	if s0.un.Count > 0 {
		fmt.Fprintf(stderr, "candor audit: %s\n", s0.un)
	}
	rep, err := s0.t.Report(ctx)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	var burdens []*fairness.Burden
	if space != nil {
		if burdens, err = s0.bt.Burdens(); err != nil {
			return nil, nil, nil, nil, err
		}
	}
	return rep, burdens, &excl, s0.un, nil
}

// auditModelSink is one worker's parser, tally, burden tally and unscored
// rows.
type auditModelSink struct {
	ctx      context.Context
	p        *fairness.RowParser
	t        *fairness.Tally
	bt       *fairness.BurdenTally
	m        *score.Model
	header   []string
	space    *explain.ActionSpace // nil: no burden
	ropts    *explain.RecourseOptions
	useProbs bool
	un       *unscoredRows
	r        fairness.Row
	err      error // the worker's first error, at row errRow
	errRow   int
}

func (s *auditModelSink) fail(row int, err error) {
	if s.err == nil {
		s.err, s.errRow = err, row
	}
}

func (s *auditModelSink) row(n int, cells []string) {
	if s.err != nil || !s.p.Parse(n, cells, &s.r) {
		return
	}
	rec, err := s.m.Schema().RecordFromStrings(s.header, cells, true)
	var res score.Result
	if err == nil {
		res, err = s.m.Score(rec)
	}
	if err != nil {
		s.un.add(n, err)
		return
	}
	if s.useProbs {
		s.r.Score = float64(res.Probability)
	}
	if err := s.t.Add(s.r); err != nil {
		s.fail(n, err)
		return
	}
	if s.space == nil {
		return
	}
	br := fairness.BurdenRow{Index: uint64(n), Groups: s.r.Groups}
	rc, err := s.space.Recourse(s.ctx, rec, s.ropts)
	switch {
	case err != nil && s.ctx.Err() != nil:
		s.fail(n, s.ctx.Err())
		return
	case err != nil:
		s.fail(n, fmt.Errorf("--model: recourse: %w", score.WithRow(err, n)))
		return
	case rc.Already:
	case rc.Infeasible:
		br.Adverse, br.Cost = true, math.Inf(1)
	default:
		br.Adverse, br.Cost = true, rc.Counterfactuals[0].Cost
	}
	if err := s.bt.Add(br); err != nil {
		s.fail(n, err)
	}
}

func (s *auditModelSink) bad(n int, err error) { s.p.Bad(n, err) }

// merge adds o's rows (a worker's) to u: the first error is that of the
// first row, and Rows the first 10 of both.
func (u *unscoredRows) merge(o *unscoredRows) {
	if o.Count == 0 {
		return
	}
	if u.Count == 0 || o.Rows[0] < u.Rows[0] {
		u.FirstError = o.FirstError
	}
	u.Count += o.Count
	u.Rows = append(u.Rows, o.Rows...)
	slices.Sort(u.Rows)
	u.Rows = u.Rows[:min(len(u.Rows), 10)]
}
