package fairness

import (
	"bytes"
	"encoding/gob"
	"fmt"
	"slices"
	"strings"

	"github.com/candorscore/candor/internal/metric"
)

// tallyWire is a Tally in a form encoding/gob can write, its groups in
// sorted order so that equal tallies encode to equal bytes.
type tallyWire struct {
	Spec    TallySpec
	Opts    Options
	Rows    int
	Outside bool
	Fine    []fineWire
}

type fineWire struct {
	Values []string
	W, W2  [4]float64
	N      [4]int
	Scores []byte // metric.ScoreCounts.MarshalBinary; nil without scores
	Cal    []calWire
	Boot   [][4]float64
}

type calWire struct {
	N       int
	W, S, Y float64
}

// MarshalBinary encodes the tally, so that a worker can ship it to the one
// that merges (a Beam combiner's accumulator, say). UnmarshalBinary reads
// it back; the decoded tally merges and reports as the original does.
func (t *Tally) MarshalBinary() ([]byte, error) {
	w := tallyWire{Spec: t.spec, Opts: t.opts, Rows: t.rows, Outside: t.outside}
	for _, f := range t.fine {
		fw := fineWire{Values: f.values, W: f.t.w, W2: f.t.w2, N: f.t.n, Boot: f.boot}
		if f.sc != nil {
			b, err := f.sc.MarshalBinary()
			if err != nil {
				return nil, err
			}
			fw.Scores = b
		}
		for _, c := range f.cal {
			fw.Cal = append(fw.Cal, calWire{N: c.n, W: c.w, S: c.s, Y: c.y})
		}
		w.Fine = append(w.Fine, fw)
	}
	slices.SortFunc(w.Fine, func(x, y fineWire) int { return slices.Compare(x.Values, y.Values) })
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(&w); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// UnmarshalBinary decodes what MarshalBinary wrote into t, replacing it.
// The spec and options are checked as NewTally checks them.
func (t *Tally) UnmarshalBinary(b []byte) error {
	var w tallyWire
	if err := gob.NewDecoder(bytes.NewReader(b)).Decode(&w); err != nil {
		return fmt.Errorf("fairness: decoding a tally: %w", err)
	}
	nt, err := NewTally(w.Spec, &w.Opts)
	if err != nil {
		return fmt.Errorf("fairness: decoding a tally: %w", err)
	}
	nt.rows, nt.outside = w.Rows, w.Outside
	for _, fw := range w.Fine {
		if len(fw.Values) != len(nt.spec.Groups) {
			return fmt.Errorf("fairness: decoding a tally: %w: %d group values for %d group columns", ErrLength, len(fw.Values), len(nt.spec.Groups))
		}
		f := nt.group(fw.Values)
		f.t.w, f.t.w2, f.t.n = fw.W, fw.W2, fw.N
		if f.sc != nil {
			sc := &metric.ScoreCounts{}
			if err := sc.UnmarshalBinary(fw.Scores); err != nil {
				return fmt.Errorf("fairness: decoding a tally: group %q: %w", strings.Join(fw.Values, " & "), err)
			}
			f.sc = sc
			if len(fw.Cal) != len(f.cal) {
				return fmt.Errorf("fairness: decoding a tally: group %q: %d calibration bins, want %d", strings.Join(fw.Values, " & "), len(fw.Cal), len(f.cal))
			}
			for k, c := range fw.Cal {
				f.cal[k] = calAcc{n: c.N, w: c.W, s: c.S, y: c.Y}
			}
		}
		if f.boot != nil {
			if len(fw.Boot) != len(f.boot) {
				return fmt.Errorf("fairness: decoding a tally: group %q: %d bootstrap replicates, want %d", strings.Join(fw.Values, " & "), len(fw.Boot), len(f.boot))
			}
			copy(f.boot, fw.Boot)
		}
	}
	*t = *nt
	return nil
}
