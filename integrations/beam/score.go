package candorbeam

import (
	"bytes"
	"fmt"
	"slices"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"

	"github.com/candorscore/candor/score"
)

// Scored is a row's score.
type Scored struct {
	File string
	Num  int64
	// Score is in the model's units (log-odds, points or the linear
	// response); LogOdds and Probability are of the event (NaN for a
	// linear model).
	Score       float64
	LogOdds     float64
	Probability float64
	// Keep holds the cells of ScoreOptions.Keep (an id column, say), in
	// that order.
	Keep []string
}

// ScoreOptions configure Score.
type ScoreOptions struct {
	// Keep names columns whose cells are carried into Scored.Keep.
	Keep []string
}

// Score scores each row with m; rows have the given header. It returns the
// scores and the rows the model could not score (a value of the wrong
// kind, an unknown category, ...), as BadRow with score's error. The model
// travels to the workers as its model file; the workers check its
// fingerprint when they load it.
func Score(s beam.Scope, m *score.Model, header []string, rows beam.PCollection, opts *ScoreOptions) (scored, bad beam.PCollection) {
	s = s.Scope("candorbeam.Score")
	fn, err := newScoreFn(m, header, opts)
	if err != nil {
		panic(err) // a pipeline construction error, as Beam's own transforms report them
	}
	return beam.ParDo2(s, fn, rows)
}

// newScoreFn checks the header against the model at construction time.
func newScoreFn(m *score.Model, header []string, opts *ScoreOptions) (*scoreFn, error) {
	var buf bytes.Buffer
	if err := m.Save(&buf); err != nil {
		return nil, fmt.Errorf("candorbeam.Score: %w", err)
	}
	fn := &scoreFn{Model: buf.Bytes(), Header: slices.Clone(header)}
	if opts != nil {
		fn.Keep = slices.Clone(opts.Keep)
	}
	if err := fn.Setup(); err != nil {
		return nil, err
	}
	return fn, nil
}

// scoreFn is the DoFn of Score. Its exported fields are what Beam ships to
// the workers; the rest is rebuilt by Setup.
type scoreFn struct {
	Model  []byte // the model file
	Header []string
	Keep   []string

	m    *score.Model
	keep []int
}

// Setup loads the model and resolves the columns.
func (fn *scoreFn) Setup() error {
	m, err := score.Load(bytes.NewReader(fn.Model))
	if err != nil {
		return fmt.Errorf("candorbeam.Score: model: %w", err)
	}
	fn.m = m
	fn.keep, err = columns(fn.Header, fn.Keep)
	if err != nil {
		return fmt.Errorf("candorbeam.Score: %w", err)
	}
	for j := range m.NumTerms() {
		if name := m.Term(j).Feature; !slices.Contains(fn.Header, name) {
			return fmt.Errorf("candorbeam.Score: %w: model input %q is not a column of the data", score.ErrUnknownFeature, name)
		}
	}
	return nil
}

// ProcessElement scores one row.
func (fn *scoreFn) ProcessElement(r Row, emit func(Scored), emitBad func(BadRow)) {
	res, err := scoreRow(fn.m, fn.Header, r)
	if err != nil {
		emitBad(badRow(r, err))
		return
	}
	out := Scored{File: r.File, Num: r.Num, Score: res.Score, LogOdds: float64(res.LogOdds), Probability: float64(res.Probability)}
	if len(fn.keep) > 0 {
		out.Keep = make([]string, len(fn.keep))
		for k, c := range fn.keep {
			out.Keep[k] = r.Cells[c]
		}
	}
	emit(out)
}

// scoreRow scores r as candor score does: the row's cells bound to the
// model's schema by column name (other columns ignored), errors carrying
// the 1-based data row.
func scoreRow(m *score.Model, header []string, r Row) (score.Result, error) {
	rec, err := m.Schema().RecordFromStrings(header, r.Cells, true)
	if err != nil {
		return score.Result{}, score.WithRow(err, int(r.Num))
	}
	res, err := m.Score(rec)
	if err != nil {
		return score.Result{}, score.WithRow(err, int(r.Num))
	}
	return res, nil
}

func badRow(r Row, err error) BadRow {
	return BadRow{File: r.File, Num: r.Num, Cells: r.Cells, Err: fmt.Sprintf("%s: %v", r.File, err)}
}

// columns returns the positions of names in header.
func columns(header, names []string) ([]int, error) {
	out := make([]int, len(names))
	for k, n := range names {
		out[k] = slices.Index(header, n)
		if out[k] < 0 {
			return nil, fmt.Errorf("%w: column %q is not in the header %q", ErrHeader, n, header)
		}
	}
	return out, nil
}

func init() {
	register.DoFn3x0[Row, func(Scored), func(BadRow)](&scoreFn{})
	register.Emitter1[Scored]()
}
