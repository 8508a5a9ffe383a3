package candorbeam

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strings"
	"sync/atomic"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"

	"github.com/candorscore/candor/fairness"
	"github.com/candorscore/candor/score"
)

// AuditOptions say which columns an audit reads, as candor audit's flags
// do.
type AuditOptions struct {
	// Label is the column of the observed outcome; Favorable its
	// favourable value (every other value is unfavourable).
	Label, Favorable string
	// Groups are the protected attribute columns; with several, the audit
	// also covers their intersection.
	Groups []string
	// Decisions come from one of: Prediction (a column, favourable where
	// it equals FavorablePrediction, default Favorable); Score with
	// Threshold (a numeric column, in the direction of
	// Fairness.Direction); or Model, whose event probability of each row
	// is the score, favourable below Threshold (0: the model's cutoff), as
	// candor audit --model decides. With Prediction, Score or Model still
	// feed the AUC and calibration.
	Prediction, FavorablePrediction string
	Score                           string
	Threshold                       float64
	Model                           *score.Model
	// Weights is an optional column of non-negative row weights.
	Weights string
	// Fairness are the audit's options (level, minimum group size,
	// references, bootstrap and its seed, direction of Score).
	Fairness fairness.Options
}

// ErrAuditOptions is the error of AuditOptions that cannot make an audit.
var ErrAuditOptions = errors.New("candorbeam.Audit: bad options")

// Audit audits the rows (with the given header) for fairness across the
// groups: each row becomes a fairness.Row, the rows are combined into a
// fairness.Tally (each worker tallies its rows, the runner merges the
// tallies), and the merged tally's report comes out as one element, the
// JSON of a *fairness.Report, as candor audit --format json writes its
// fields. Rows with a blank label, decision, group, score or weight are
// left out as candor audit's --missing drop leaves them out, and with the
// rows the model cannot score or whose score or weight is bad they come
// out in bad, each with its error.
//
// Row.Num is the fairness.Row's Index, which seeds a weighted row's
// bootstrap multiplicities: over several files, rows with the same number
// in different files draw the same multiplicities.
func Audit(s beam.Scope, header []string, rows beam.PCollection, opts AuditOptions) (report, bad beam.PCollection) {
	s = s.Scope("candorbeam.Audit")
	rowFn, combineFn, err := newAudit(header, opts)
	if err != nil {
		panic(err) // a pipeline construction error, as Beam's own transforms report them
	}
	trows, bad := beam.ParDo2(s, rowFn, rows)
	return beam.Combine(s, combineFn, trows), bad
}

// newAudit checks the options and builds the row and combine functions.
func newAudit(header []string, o AuditOptions) (*auditRowFn, *auditCombineFn, error) {
	fn := &auditRowFn{Header: slices.Clone(header), Label: o.Label, Favorable: o.Favorable, Groups: slices.Clone(o.Groups),
		Prediction: o.Prediction, FavorablePrediction: o.FavorablePrediction, Score: o.Score, Weights: o.Weights,
		Direction: o.Fairness.Direction}
	if fn.FavorablePrediction == "" {
		fn.FavorablePrediction = o.Favorable
	}
	spec := fairness.TallySpec{Groups: slices.Clone(o.Groups), Predictions: o.Prediction != "", Threshold: o.Threshold, Weights: o.Weights != ""}
	fopts := o.Fairness
	var errs []error
	if o.Label == "" || o.Favorable == "" {
		errs = append(errs, fmt.Errorf("%w: Label and Favorable are required", ErrAuditOptions))
	}
	switch {
	case o.Score != "" && o.Model != nil:
		errs = append(errs, fmt.Errorf("%w: give Score or Model, not both", ErrAuditOptions))
	case o.Prediction == "" && o.Score == "" && o.Model == nil:
		errs = append(errs, fmt.Errorf("%w: give the decisions: Prediction, Score with Threshold, or Model", ErrAuditOptions))
	}
	if o.Model != nil {
		if o.Model.Kind() == score.LinearModel {
			errs = append(errs, fmt.Errorf("%w: a linear model has no probability to audit", ErrAuditOptions))
		}
		var buf bytes.Buffer
		if err := o.Model.Save(&buf); err != nil {
			errs = append(errs, err)
		}
		fn.Model = buf.Bytes()
		fopts.Direction = fairness.HigherIsUnfavorable
		fn.Direction = fopts.Direction
		if spec.Threshold == 0 {
			spec.Threshold = float64(o.Model.Cutoff())
		}
	}
	spec.Scores = o.Score != "" || o.Model != nil
	if err := errors.Join(errs...); err != nil {
		return nil, nil, err
	}
	if err := fn.Setup(); err != nil {
		return nil, nil, err
	}
	cf := &auditCombineFn{Spec: spec, Options: fopts}
	if _, err := cf.CreateAccumulator(); err != nil {
		return nil, nil, fmt.Errorf("%w: %w", ErrAuditOptions, err)
	}
	return fn, cf, nil
}

// auditRowFn turns a Row into a fairness.Row.
type auditRowFn struct {
	Header                          []string
	Label, Favorable                string
	Groups                          []string
	Prediction, FavorablePrediction string
	Score, Weights                  string
	Direction                       fairness.Direction
	Model                           []byte // a model file, or nil

	m                                    *score.Model
	label, prediction, scoreCol, weights int
	groups                               []int
}

// Setup resolves the columns and loads the model.
func (fn *auditRowFn) Setup() error {
	cols := func(name string) int {
		if name == "" {
			return -1
		}
		return slices.Index(fn.Header, name)
	}
	var missing []string
	for _, n := range append([]string{fn.Label, fn.Prediction, fn.Score, fn.Weights}, fn.Groups...) {
		if n != "" && cols(n) < 0 {
			missing = append(missing, n)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("%w: %w: no column %q (columns: %s)", ErrAuditOptions, ErrHeader, missing, strings.Join(fn.Header, ", "))
	}
	fn.label, fn.prediction, fn.scoreCol, fn.weights = cols(fn.Label), cols(fn.Prediction), cols(fn.Score), cols(fn.Weights)
	fn.groups = make([]int, len(fn.Groups))
	for k, g := range fn.Groups {
		fn.groups[k] = cols(g)
	}
	if fn.Model != nil {
		m, err := score.Load(bytes.NewReader(fn.Model))
		if err != nil {
			return fmt.Errorf("candorbeam.Audit: model: %w", err)
		}
		fn.m = m
	}
	return nil
}

// ProcessElement reads one row's label, decision, score, weight and groups.
func (fn *auditRowFn) ProcessElement(r Row, emit func(fairness.Row), emitBad func(BadRow)) {
	out, err := fn.row(r)
	if err != nil {
		emitBad(badRow(r, err))
		return
	}
	emit(out)
}

// ErrBlank is the error of a row left out of an audit for a blank cell in
// a column the audit reads (candor audit's --missing drop).
var ErrBlank = errors.New("blank cell in a column the audit reads: row left out")

func (fn *auditRowFn) row(r Row) (fairness.Row, error) {
	if len(r.Cells) != len(fn.Header) {
		return fairness.Row{}, fmt.Errorf("row %d: %w: %d cells for %d columns", r.Num, score.ErrMalformed, len(r.Cells), len(fn.Header))
	}
	cell := func(j int) string { return strings.TrimSpace(r.Cells[j]) }
	for _, j := range append([]int{fn.label, fn.prediction, fn.scoreCol, fn.weights}, fn.groups...) {
		if j >= 0 && cell(j) == "" {
			return fairness.Row{}, fmt.Errorf("row %d: column %q: %w", r.Num, fn.Header[j], ErrBlank)
		}
	}
	out := fairness.Row{Index: uint64(r.Num), Label: cell(fn.label) == fn.Favorable, Groups: make([]string, len(fn.groups))}
	for k, j := range fn.groups {
		out.Groups[k] = cell(j)
	}
	if fn.prediction >= 0 {
		out.Prediction = cell(fn.prediction) == fn.FavorablePrediction
	}
	number := func(j int) (float64, error) {
		v := cell(j)
		x, err := score.ParseNumber(v)
		switch {
		case err != nil:
			return 0, fmt.Errorf("row %d: column %q: %q is not a number", r.Num, fn.Header[j], v)
		case math.IsNaN(x) || math.IsInf(x, 0):
			return 0, fmt.Errorf("row %d: column %q: %q is not finite", r.Num, fn.Header[j], v)
		}
		return x, nil
	}
	var err error
	if fn.scoreCol >= 0 {
		if out.Score, err = number(fn.scoreCol); err != nil {
			return out, err
		}
	}
	if fn.weights >= 0 {
		if out.Weight, err = number(fn.weights); err != nil {
			return out, err
		}
		if out.Weight < 0 {
			return out, fmt.Errorf("row %d: column %q: negative weight %v", r.Num, fn.Weights, out.Weight)
		}
	}
	if fn.m != nil {
		res, err := scoreRow(fn.m, fn.Header, r)
		if err != nil {
			return out, err
		}
		out.Score = float64(res.Probability)
	}
	return out, nil
}

// auditCombineFn combines fairness.Rows into a fairness.Tally and reports.
type auditCombineFn struct {
	Spec    fairness.TallySpec
	Options fairness.Options
}

// tallyAcc is the combiner's accumulator; Beam encodes it with the
// tally's own MarshalBinary (see the coder registered in init).
type tallyAcc struct {
	t *fairness.Tally
}

// CreateAccumulator returns an empty tally.
func (fn *auditCombineFn) CreateAccumulator() (tallyAcc, error) {
	t, err := fairness.NewTally(fn.Spec, &fn.Options)
	return tallyAcc{t}, err
}

// AddInput adds one row.
func (fn *auditCombineFn) AddInput(a tallyAcc, r fairness.Row) (tallyAcc, error) {
	return a, a.t.Add(r)
}

// MergeAccumulators merges b into a.
func (fn *auditCombineFn) MergeAccumulators(a, b tallyAcc) (tallyAcc, error) {
	return a, a.t.Merge(b.t)
}

// ExtractOutput reports, as JSON.
func (fn *auditCombineFn) ExtractOutput(a tallyAcc) (string, error) {
	rep, err := a.t.Report(context.Background())
	if err != nil {
		return "", fmt.Errorf("candorbeam.Audit: %w", err)
	}
	b, err := json.Marshal(rep)
	return string(b), err
}

// encoded counts the accumulators encoded in this process: the tests
// check that the runner shipped some (combiner lifting), so that merging
// decoded accumulators is what they test.
var encoded atomic.Int64

func encodeTally(a tallyAcc) ([]byte, error) {
	encoded.Add(1)
	return a.t.MarshalBinary()
}

func decodeTally(b []byte) (tallyAcc, error) {
	var t fairness.Tally
	if err := t.UnmarshalBinary(b); err != nil {
		return tallyAcc{}, err
	}
	return tallyAcc{&t}, nil
}

func init() {
	register.DoFn3x0[Row, func(fairness.Row), func(BadRow)](&auditRowFn{})
	register.Emitter1[fairness.Row]()
	register.Combiner3[tallyAcc, fairness.Row, string](&auditCombineFn{})
	beam.RegisterCoder(reflect.TypeOf(tallyAcc{}), encodeTally, decodeTally)
}
