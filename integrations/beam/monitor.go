package candorbeam

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"sync"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"

	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/monitor"
)

// MonitorOptions configure Monitor: the report's PSI bins and smoothing
// and calibration bins (as candor monitor's --bins), and the samples'
// memory bounds. The zero value means the defaults.
type MonitorOptions struct {
	Monitor monitor.Options
	Limits  monitor.SampleOptions
}

// Monitor compares the current rows with the baseline rows for model m,
// both with the given header, as candor monitor does: the stability (PSI)
// of the score and of every model input, and the model's performance on
// each sample that carries its target. Each sample's rows are counted
// into a monitor.Sample (each worker counts its rows, the runner merges
// the samples), and the report, the JSON of a *monitor.Report, comes out
// as one element. Rows the model cannot score are counted, as candor
// monitor counts them, not errors. The rows ReadCSV could not read at all
// are not seen here; candor monitor counts such a row as unscorable.
func Monitor(s beam.Scope, m *score.Model, header []string, baseline, current beam.PCollection, opts *MonitorOptions) beam.PCollection {
	s = s.Scope("candorbeam.Monitor")
	fn, err := newMonitorFn(m, header, opts)
	if err != nil {
		panic(err) // a pipeline construction error, as Beam's own transforms report them
	}
	tagged := beam.Flatten(s, beam.ParDo(s, tagBaseline, baseline), beam.ParDo(s, tagCurrent, current))
	return beam.Combine(s, fn, tagged)
}

// sampleRow is a row of one of the two samples.
type sampleRow struct {
	Current bool
	Cells   []string
}

func tagBaseline(r Row) sampleRow { return sampleRow{Cells: r.Cells} }
func tagCurrent(r Row) sampleRow  { return sampleRow{Current: true, Cells: r.Cells} }

func newMonitorFn(m *score.Model, header []string, opts *MonitorOptions) (*monitorCombineFn, error) {
	var buf bytes.Buffer
	if err := m.Save(&buf); err != nil {
		return nil, fmt.Errorf("candorbeam.Monitor: %w", err)
	}
	fn := &monitorCombineFn{Model: buf.Bytes(), Header: slices.Clone(header)}
	if opts != nil {
		fn.Options = *opts
	}
	if _, err := fn.CreateAccumulator(); err != nil {
		return nil, err
	}
	return fn, nil
}

// monitorCombineFn counts rows into a baseline and a current
// monitor.Sample and compares them.
type monitorCombineFn struct {
	Model   []byte // the model file
	Header  []string
	Options MonitorOptions

	once sync.Once
	m    *score.Model
	err  error
}

// sampleAcc is the combiner's accumulator: two samples, or, as decoded by
// the coder (which has no model to build a Sample with), their encodings,
// turned into samples by the CombineFn when it first uses them.
type sampleAcc struct {
	base, cur       *monitor.Sample
	baseEnc, curEnc []byte
}

func (fn *monitorCombineFn) model() (*score.Model, error) {
	fn.once.Do(func() {
		fn.m, fn.err = score.Load(bytes.NewReader(fn.Model))
		if fn.err != nil {
			fn.err = fmt.Errorf("candorbeam.Monitor: model: %w", fn.err)
		}
	})
	return fn.m, fn.err
}

func (fn *monitorCombineFn) newSample(enc []byte) (*monitor.Sample, error) {
	m, err := fn.model()
	if err != nil {
		return nil, err
	}
	s, err := monitor.NewSample(m, fn.Header, &fn.Options.Monitor, &fn.Options.Limits)
	if err != nil {
		return nil, fmt.Errorf("candorbeam.Monitor: %w", err)
	}
	if enc != nil {
		if err := s.UnmarshalBinary(enc); err != nil {
			return nil, fmt.Errorf("candorbeam.Monitor: %w", err)
		}
	}
	return s, nil
}

// samples turns a decoded accumulator into samples.
func (fn *monitorCombineFn) samples(a *sampleAcc) error {
	var err error
	if a.base == nil {
		if a.base, err = fn.newSample(a.baseEnc); err != nil {
			return err
		}
		a.baseEnc = nil
	}
	if a.cur == nil {
		if a.cur, err = fn.newSample(a.curEnc); err != nil {
			return err
		}
		a.curEnc = nil
	}
	return nil
}

// CreateAccumulator returns two empty samples.
func (fn *monitorCombineFn) CreateAccumulator() (*sampleAcc, error) {
	a := &sampleAcc{}
	return a, fn.samples(a)
}

// AddInput counts one row in its sample.
func (fn *monitorCombineFn) AddInput(a *sampleAcc, r sampleRow) (*sampleAcc, error) {
	if err := fn.samples(a); err != nil {
		return a, err
	}
	s := a.base
	if r.Current {
		s = a.cur
	}
	if len(r.Cells) != len(fn.Header) {
		s.AddBad()
		return a, nil
	}
	s.Add(r.Cells)
	return a, nil
}

// MergeAccumulators merges b into a.
func (fn *monitorCombineFn) MergeAccumulators(a, b *sampleAcc) (*sampleAcc, error) {
	if err := fn.samples(a); err != nil {
		return a, err
	}
	if err := fn.samples(b); err != nil {
		return a, err
	}
	if err := a.base.Merge(b.base); err != nil {
		return a, err
	}
	return a, a.cur.Merge(b.cur)
}

// ExtractOutput compares the samples and reports, as JSON.
func (fn *monitorCombineFn) ExtractOutput(a *sampleAcc) (string, error) {
	if err := fn.samples(a); err != nil {
		return "", err
	}
	rep, err := monitor.Compare(context.Background(), a.base, a.cur, &fn.Options.Monitor)
	if err != nil {
		return "", fmt.Errorf("candorbeam.Monitor: %w", err)
	}
	b, err := json.Marshal(rep)
	return string(b), err
}

// sampleAccWire is the encoded accumulator.
type sampleAccWire struct {
	Base, Cur []byte
}

func encodeSamples(a *sampleAcc) ([]byte, error) {
	w := sampleAccWire{Base: a.baseEnc, Cur: a.curEnc}
	var err error
	if a.base != nil {
		if w.Base, err = a.base.MarshalBinary(); err != nil {
			return nil, err
		}
	}
	if a.cur != nil {
		if w.Cur, err = a.cur.MarshalBinary(); err != nil {
			return nil, err
		}
	}
	encoded.Add(1)
	return json.Marshal(w)
}

func decodeSamples(b []byte) (*sampleAcc, error) {
	var w sampleAccWire
	if err := json.Unmarshal(b, &w); err != nil {
		return nil, fmt.Errorf("candorbeam.Monitor: decoding an accumulator: %w", err)
	}
	return &sampleAcc{baseEnc: w.Base, curEnc: w.Cur}, nil
}

func init() {
	register.Function1x1(tagBaseline)
	register.Function1x1(tagCurrent)
	register.Combiner3[*sampleAcc, sampleRow, string](&monitorCombineFn{})
	beam.RegisterCoder(reflect.TypeOf((*sampleAcc)(nil)), encodeSamples, decodeSamples)
}
