package monitor

import (
	"bytes"
	"cmp"
	"encoding/gob"
	"fmt"
	"maps"
	"slices"

	"github.com/candorscore/candor/internal/metric"
	"github.com/candorscore/candor/score"
)

// sampleWire is a Sample's counts in a form encoding/gob can write; the
// model, header and options are not in it (UnmarshalBinary decodes into a
// sample made by NewSample with them), only the model's fingerprint and
// the shape, to check.
type sampleWire struct {
	Fingerprint   string
	Cols, NCal    int
	Opts          SampleOptions
	Rows, Errors  int
	Score         []byte
	Terms         []termWire
	PerfRows      int
	Events, SumPr float64
	Logit         []byte
	CalN          []int
	CalS, CalE    []float64
	Mean, M2      float64
	SSE, SAE      float64
	Other         []levelWire // target values other than the event (absent in older samples)
	OtherMany     bool
	OtherTarget   int // rows skipped for a third target value (Options.NonEvent)
}

type termWire struct {
	Bins             []float64
	Levels           []levelWire // sorted by level
	Overflow         bool
	Values           []byte
	Missing, Invalid float64
	Seen             [2][]string // the named values (absent in older samples)
}

type levelWire struct {
	Level string
	N     float64
}

func marshalCounts(c *metric.ScoreCounts) ([]byte, error) {
	if c == nil {
		return nil, nil
	}
	return c.MarshalBinary()
}

// MarshalBinary encodes the sample's counts, so that a worker can ship
// them to the one that merges (a Beam combiner's accumulator, say).
// Equal samples encode to equal bytes.
func (s *Sample) MarshalBinary() ([]byte, error) {
	w := sampleWire{Fingerprint: s.m.Fingerprint(), Cols: s.ncols, NCal: s.nCal, Opts: s.opts, Rows: s.rows, Errors: s.errors,
		PerfRows: s.perf.rows, Events: s.perf.events, SumPr: s.perf.sumPr, CalN: s.perf.calN, CalS: s.perf.calS, CalE: s.perf.calE,
		Mean: s.perf.mean, M2: s.perf.m2, SSE: s.perf.sse, SAE: s.perf.sae, OtherMany: s.perf.otherMany, OtherTarget: s.perf.otherTarget}
	for _, v := range slices.Sorted(maps.Keys(s.perf.other)) {
		w.Other = append(w.Other, levelWire{Level: v, N: s.perf.other[v]})
	}
	var err error
	if w.Score, err = marshalCounts(s.score); err != nil {
		return nil, err
	}
	if w.Logit, err = marshalCounts(s.perf.logit); err != nil {
		return nil, err
	}
	for j := range s.terms {
		t := &s.terms[j]
		tw := termWire{Bins: t.bins, Overflow: t.overflow, Missing: t.missing, Invalid: t.invalid, Seen: t.seen}
		for l, n := range t.levels {
			tw.Levels = append(tw.Levels, levelWire{l, n})
		}
		slices.SortFunc(tw.Levels, func(a, b levelWire) int { return cmp.Compare(a.Level, b.Level) })
		if tw.Values, err = marshalCounts(t.values); err != nil {
			return nil, err
		}
		w.Terms = append(w.Terms, tw)
	}
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(&w); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// UnmarshalBinary decodes what MarshalBinary wrote into s, a sample made
// by NewSample with the same model, header and options, replacing its
// counts. A sample of another model or shape is an error (score.ErrData).
func (s *Sample) UnmarshalBinary(b []byte) error {
	var w sampleWire
	if err := gob.NewDecoder(bytes.NewReader(b)).Decode(&w); err != nil {
		return fmt.Errorf("monitor: decoding a sample: %w", err)
	}
	if w.Fingerprint != s.m.Fingerprint() || w.Cols != s.ncols || w.NCal != s.nCal || w.Opts != s.opts || len(w.Terms) != len(s.terms) {
		return fmt.Errorf("%w: decoding a sample of another model, header or options", score.ErrData)
	}
	s.init()
	s.rows, s.errors = w.Rows, w.Errors
	if err := unmarshalCounts(s.score, w.Score); err != nil {
		return err
	}
	p := &s.perf
	p.rows, p.events, p.sumPr, p.mean, p.m2, p.sse, p.sae = w.PerfRows, w.Events, w.SumPr, w.Mean, w.M2, w.SSE, w.SAE
	p.otherTarget = w.OtherTarget
	if p.other != nil {
		for _, l := range w.Other {
			p.other[l.Level] = l.N
		}
		p.otherMany = w.OtherMany
	}
	if p.logit != nil {
		if err := unmarshalCounts(p.logit, w.Logit); err != nil {
			return err
		}
		if len(w.CalN) != s.nCal || len(w.CalS) != s.nCal || len(w.CalE) != s.nCal {
			return fmt.Errorf("%w: decoding a sample: calibration bins differ", score.ErrData)
		}
		copy(p.calN, w.CalN)
		copy(p.calS, w.CalS)
		copy(p.calE, w.CalE)
	}
	for j := range s.terms {
		t, tw := &s.terms[j], &w.Terms[j]
		if len(tw.Bins) != len(t.bins) {
			return fmt.Errorf("%w: decoding a sample: term %d has %d bins, want %d", score.ErrData, j, len(tw.Bins), len(t.bins))
		}
		copy(t.bins, tw.Bins)
		if t.levels != nil {
			for _, l := range tw.Levels {
				t.levels[l.Level] = l.N
			}
		}
		t.overflow, t.missing, t.invalid = tw.Overflow, tw.Missing, tw.Invalid
		if t.named {
			for k := range t.seen {
				t.seen[k] = mergeNamed(nil, tw.Seen[k]) // sorted, distinct, at most MaxNamed
			}
		}
		if t.values != nil {
			if err := unmarshalCounts(t.values, tw.Values); err != nil {
				return err
			}
		}
	}
	return nil
}

func unmarshalCounts(c *metric.ScoreCounts, b []byte) error {
	if b == nil {
		return fmt.Errorf("%w: decoding a sample: counts missing", score.ErrData)
	}
	return c.UnmarshalBinary(b)
}
