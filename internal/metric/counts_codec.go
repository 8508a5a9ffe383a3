package metric

import (
	"bytes"
	"cmp"
	"encoding/gob"
	"fmt"
	"slices"
)

// scoreCountsWire is ScoreCounts in a form encoding/gob can write: the
// exact counts or the pooled ranges, sorted so that equal summaries
// encode to equal bytes.
type scoreCountsWire struct {
	MaxDistinct, Skipped int
	Exact                []exactWire
	Pooled               []pooledWire
	IsPooled             bool
	Shift                uint
}

type exactWire struct {
	Score float64
	W     [2]float64
}

type pooledWire struct {
	Key    uint64
	Lo, Hi float64
	W      [2]float64
}

// MarshalBinary encodes the summary, so that a worker can ship it to the
// one that merges (a Beam combiner's accumulator, say).
func (c *ScoreCounts) MarshalBinary() ([]byte, error) {
	w := scoreCountsWire{MaxDistinct: c.MaxDistinct, Skipped: c.Skipped, IsPooled: c.pooled != nil, Shift: c.shift}
	for s, e := range c.exact {
		w.Exact = append(w.Exact, exactWire{Score: s, W: *e})
	}
	slices.SortFunc(w.Exact, func(x, y exactWire) int { return cmp.Compare(x.Score, y.Score) })
	for k, b := range c.pooled {
		w.Pooled = append(w.Pooled, pooledWire{Key: k, Lo: b.lo, Hi: b.hi, W: b.w})
	}
	slices.SortFunc(w.Pooled, func(x, y pooledWire) int { return cmp.Compare(x.Key, y.Key) })
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(&w); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// UnmarshalBinary decodes what MarshalBinary wrote into c, replacing it.
func (c *ScoreCounts) UnmarshalBinary(b []byte) error {
	var w scoreCountsWire
	if err := gob.NewDecoder(bytes.NewReader(b)).Decode(&w); err != nil {
		return fmt.Errorf("metric: decoding score counts: %w", err)
	}
	if w.Shift > 64 {
		return fmt.Errorf("metric: decoding score counts: grid shift %d is over 64", w.Shift)
	}
	*c = ScoreCounts{MaxDistinct: w.MaxDistinct, Skipped: w.Skipped, shift: w.Shift}
	if len(w.Exact) > 0 {
		c.exact = make(map[float64]*[2]float64, len(w.Exact))
		for _, e := range w.Exact {
			c.exact[e.Score] = &[2]float64{e.W[0], e.W[1]}
		}
	}
	if w.IsPooled {
		c.exact = nil
		c.pooled = make(map[uint64]*bucket, len(w.Pooled))
		for _, p := range w.Pooled {
			c.pooled[p.Key] = &bucket{lo: p.Lo, hi: p.Hi, w: p.W}
		}
	}
	return nil
}
