package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"

	"github.com/candorscore/candor/explain"
	"github.com/candorscore/candor/score"
)

// scoreLine is one JSON line of `candor score`.
type scoreLine struct {
	Row         int          `json:"row"`
	Probability *float64     `json:"probability,omitempty"`
	LogOdds     *float64     `json:"log_odds,omitempty"`
	Points      *float64     `json:"points,omitempty"`
	Score       *float64     `json:"score,omitempty"` // linear models: the response
	Reasons     []reason     `json:"reasons,omitempty"`
	Decision    *decisionOut `json:"decision,omitempty"` // with --decisions
	Error       string       `json:"error,omitempty"`
}

// reason is one entry of a score line's reasons.
type reason struct {
	Code    string  `json:"code,omitempty"`
	Feature string  `json:"feature"`
	Effect  float64 `json:"effect"`
}

func runScore(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("score", stderr)
	modelPath := fs.String("model", "", "model file")
	data := fs.String("data", "", "CSV to score, with a header row")
	delim := fs.String("delimiter", "", "field separator (default ',')")
	nReasons := fs.Int("reasons", 0, "reasons to give per row (0: none; -1: all)")
	out := fs.String("out", "", "output file (default stdout)")
	mflags := addModelFlags(fs)    // --verify-key, --min-version
	dflags := addDecisionFlags(fs) // --decisions and its options
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
	if *nReasons < explain.AllReasons {
		return fmt.Errorf("--reasons must be 0 or more, or -1 for all")
	}
	m, err := mflags.loadModel(*modelPath)
	if err != nil {
		return err
	}
	if m, err = withFeatures(m, *featuresPath); err != nil {
		return err
	}
	if *dflags.decisions == "" {
		return streamScore(ctx, m, scoreArgs{data: *data, delim: *delim, out: *out, reasons: *nReasons, workers: *workers}, dflags, stdout, stderr)
	}
	// A decision log is one chain, appended in row order: rows are scored
	// on one core, from the table in memory.
	t, err := readTable(*data, *delim)
	if err != nil {
		return err
	}
	if err := m.CheckTable(t); err != nil {
		return fmt.Errorf("%s: %w", *data, err)
	}
	dlog, err := dflags.open(m, t, *nReasons, stderr)
	if err != nil {
		return err
	}
	defer dlog.close() // on early returns; finish below closes it on success
	// With a decision log the reasons are the decision's own (those of the
	// consent-aware score); without one, the model's, from one explainer.
	// A model with sensitive terms is published through an explainer too:
	// the score lines show its published score (explain.Explainer.Publish).
	var reasons *explain.Explainer
	if (*nReasons != 0 || hasSensitiveTerm(m)) && dlog == nil {
		if reasons, err = explain.NewExplainer(m, &explain.Options{MaxReasons: *nReasons}); err != nil {
			return err
		}
	}
	w, closeFn, err := output(*out, stdout)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(w)
	failed := 0
	for _, r := range scoreRows(m, t, nil) {
		if ctx.Err() != nil {
			closeFn()
			return ctx.Err()
		}
		line := scoreLine{Row: r.Row}
		rec, res, err := r.Record, r.Result, r.Err
		if err == nil && reasons != nil {
			var rs []reason
			rs, res, err = reasonsOf(reasons, rec)
			if *nReasons != 0 {
				line.Reasons = rs
			}
		}
		if err == nil && dlog != nil {
			err = dlog.decide(m, rec, r.Row, &line, &res)
		}
		if err != nil {
			failed++
			line = scoreLine{Row: r.Row, Error: score.WithRow(err, r.Row).Error()}
		} else {
			fillScore(&line, m, res)
		}
		if err := enc.Encode(&line); err != nil {
			closeFn()
			return err
		}
	}
	if err := closeFn(); err != nil {
		return err
	}
	if err := dlog.finish(stderr); err != nil {
		return err
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d rows could not be scored", failed, t.Len())
	}
	return nil
}

// scoreArgs are the flags of a streamed `candor score`.
type scoreArgs struct {
	data, delim, out string
	reasons, workers int
}

// scoreScratch is a batch's scratch for streamScore.
type scoreScratch struct {
	bind    *binder
	rec     score.Record
	ex, pub explain.Explanation
	reasons []reason
	nums    [4]float64
}

// streamScore is `candor score` without a decision log: rows are read as
// they come, scored on a.workers cores and written in input order, in the
// bytes encoding/json gives (appendScoreLine).
func streamScore(ctx context.Context, m *score.Model, a scoreArgs, dflags *decisionFlags, stdout, stderr io.Writer) error {
	src, err := openSource(a.data, a.delim)
	if err != nil {
		return err
	}
	defer src.Close()
	header := src.Header()
	if err := checkHeader(m, header); err != nil {
		return fmt.Errorf("%s: %w", a.data, err)
	}
	if _, err := dflags.open(m, nil, a.reasons, stderr); err != nil {
		return err // a decision flag without --decisions
	}
	var reasons *explain.Explainer
	if a.reasons != 0 || hasSensitiveTerm(m) {
		if reasons, err = explain.NewExplainer(m, &explain.Options{MaxReasons: a.reasons}); err != nil {
			return err
		}
	}
	w, closeFn, err := output(a.out, stdout)
	if err != nil {
		return err
	}
	bind := newBinder(m.Schema(), header)
	st := newStream("score", src, rowSet{}, stderr)
	err = st.run(ctx, a.workers, w, func() any { return &scoreScratch{bind: bind.fork()} }, func(b *rowBatch, out []byte) ([]byte, error) {
		sc := b.scr.(*scoreScratch)
		for k, row := range b.rows {
			err := b.errs[k]
			var res score.Result
			if err == nil {
				// With an explainer, Explain scores the record: the same
				// result, and the same error as Score (it defers to
				// ScoreTerms for a bad record or an overflow).
				if sc.rec, err = sc.bind.record(sc.rec, b, k); err == nil && reasons == nil {
					res, err = m.Score(sc.rec)
				}
			}
			line := scoreLine{Row: row}
			if err == nil && reasons != nil {
				if err = reasons.Explain(sc.rec, &sc.ex); err == nil {
					reasons.Publish(&sc.pub, &sc.ex)
					res = sc.pub.Result
					if a.reasons != 0 {
						sc.reasons = sc.reasons[:0]
						for _, r := range sc.pub.Reasons {
							sc.reasons = append(sc.reasons, reason{Code: r.Code, Feature: r.Feature, Effect: r.Effect})
						}
						line.Reasons = sc.reasons
					}
				}
			}
			if err != nil {
				b.failed++
				line = scoreLine{Row: row, Error: score.WithRow(err, row).Error()}
			} else {
				resultFloats(&line, m, res, &sc.nums)
			}
			if out, err = appendScoreLine(out, &line); err != nil {
				return out, err
			}
		}
		return out, nil
	})
	return st.finish(err, closeFn, "scored")
}

func fillScore(line *scoreLine, m *score.Model, res score.Result) {
	f := func(x float64) *float64 { return &x }
	switch m.Kind() {
	case score.LinearModel:
		line.Score = f(res.Score)
		return
	case score.ScorecardModel:
		line.Points = f(res.Score)
	}
	if !math.IsNaN(float64(res.Probability)) {
		line.Probability = f(float64(res.Probability))
		line.LogOdds = f(float64(res.LogOdds))
	}
}

// hasSensitiveTerm reports whether some term of m is on a feature marked
// Sensitive: its outputs are then published (explain.Explainer.Publish).
func hasSensitiveTerm(m *score.Model) bool {
	for j := range m.NumTerms() {
		if m.Schema().Feature(m.TermFeature(j)).Sensitive {
			return true
		}
		if k := m.PairFeature(j); k >= 0 && m.Schema().Feature(k).Sensitive {
			return true
		}
	}
	return false
}

// refusesSensitive refuses a column of the data that is a sensitive
// feature of m as a source of text written out as it is (--ref-column):
// its raw values would be in every record.
func refusesSensitive(m *score.Model, column string) error {
	if f, ok := m.Schema().Lookup(column); ok && f.Sensitive {
		return fmt.Errorf("--ref-column: column %q is a sensitive feature of the model; its values would be written into the log as they are", column)
	}
	return nil
}
