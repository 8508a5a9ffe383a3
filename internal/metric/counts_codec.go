package metric

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
)

// The binary form of a ScoreCounts, written by hand rather than with
// encoding/gob: this package is on the request path, and gob added 64 KiB
// to every service that links candor (examples/service) for the sake of
// Beam combiners. Layout, all integers unsigned varints and all floats
// little-endian IEEE 754 bits:
//
//	version (1), MaxDistinct, Skipped, shift, pooled (0 or 1),
//	n, then n exact entries (score, w0, w1) in ascending score order,
//	m, then m pooled buckets (key as 8 bytes, lo, hi, w0, w1) in key order.
//
// Sorted entries make equal summaries encode to equal bytes.
const countsCodecVersion = 1

// MarshalBinary encodes the summary, so that a worker can ship it to the
// one that merges (a Beam combiner's accumulator, say).
func (c *ScoreCounts) MarshalBinary() ([]byte, error) {
	if c.MaxDistinct < 0 || c.Skipped < 0 {
		return nil, fmt.Errorf("metric: encoding score counts: negative MaxDistinct %d or Skipped %d", c.MaxDistinct, c.Skipped)
	}
	b := []byte{countsCodecVersion}
	b = binary.AppendUvarint(b, uint64(c.MaxDistinct))
	b = binary.AppendUvarint(b, uint64(c.Skipped))
	b = binary.AppendUvarint(b, uint64(c.shift))
	flag := byte(0)
	if c.pooled != nil {
		flag = 1
	}
	b = append(b, flag)
	f := func(x float64) { b = binary.LittleEndian.AppendUint64(b, math.Float64bits(x)) }
	// ranges is the summary in score order: while exact one entry per
	// score, once pooled one per grid range, whose key order is the same.
	rs := c.ranges()
	if c.pooled == nil {
		b = binary.AppendUvarint(b, uint64(len(rs)))
		for _, r := range rs {
			f(r.lo)
			f(r.w[0])
			f(r.w[1])
		}
		return binary.AppendUvarint(b, 0), nil
	}
	b = binary.AppendUvarint(b, 0)
	b = binary.AppendUvarint(b, uint64(len(rs)))
	for _, r := range rs {
		b = binary.LittleEndian.AppendUint64(b, orderKey(r.lo)>>c.shift)
		f(r.lo)
		f(r.hi)
		f(r.w[0])
		f(r.w[1])
	}
	return b, nil
}

// errCountsCodec is the cause of every decoding error.
var errCountsCodec = errors.New("malformed input")

// UnmarshalBinary decodes what MarshalBinary wrote into c, replacing it.
// Malformed input is an error; the entries it allocates are bounded by
// the input's length.
func (c *ScoreCounts) UnmarshalBinary(b []byte) error {
	bad := func(what string) error {
		return fmt.Errorf("metric: decoding score counts: %w: %s", errCountsCodec, what)
	}
	if len(b) == 0 || b[0] != countsCodecVersion {
		return bad("not a score-counts encoding of version 1")
	}
	b = b[1:]
	uv := func() (uint64, bool) {
		x, n := binary.Uvarint(b)
		if n <= 0 {
			return 0, false
		}
		b = b[n:]
		return x, true
	}
	valid := true // every number finite, every weight >= 0 (as Add keeps them)
	f := func() float64 {
		x := math.Float64frombits(binary.LittleEndian.Uint64(b))
		b = b[8:]
		valid = valid && !math.IsNaN(x) && !math.IsInf(x, 0)
		return x
	}
	w := func() float64 {
		x := f()
		valid = valid && x >= 0
		return x
	}
	maxDistinct, ok1 := uv()
	skipped, ok2 := uv()
	shift, ok3 := uv()
	if !ok1 || !ok2 || !ok3 || maxDistinct > math.MaxInt32 || skipped > math.MaxInt64/2 {
		return bad("header")
	}
	if shift > 64 {
		return bad(fmt.Sprintf("grid shift %d is over 64", shift))
	}
	if len(b) == 0 || b[0] > 1 {
		return bad("pooled flag")
	}
	isPooled := b[0] == 1
	b = b[1:]
	n, ok := uv()
	if !ok || n > uint64(len(b)/24) {
		return bad("exact entry count")
	}
	next := ScoreCounts{MaxDistinct: int(maxDistinct), Skipped: int(skipped), shift: uint(shift)}
	if n > 0 {
		next.exact = make(map[float64]*[2]float64, n)
		for range n {
			s := f()
			next.exact[s] = &[2]float64{w(), w()}
		}
	}
	m, ok := uv()
	if !ok || m > uint64(len(b)/40) || len(b) != int(m)*40 {
		return bad("pooled bucket count or trailing bytes")
	}
	if isPooled {
		next.exact = nil
		next.pooled = make(map[uint64]*bucket, m)
		for range m {
			k := binary.LittleEndian.Uint64(b)
			b = b[8:]
			p := &bucket{lo: f(), hi: f(), w: [2]float64{w(), w()}}
			valid = valid && k == orderKey(p.lo)>>next.shift // the key Add would give it
			next.pooled[k] = p
		}
	} else if m > 0 {
		return bad("pooled buckets in an exact summary")
	}
	if !valid {
		return bad("a score or weight that is not finite, a negative weight, or a bucket off its grid key")
	}
	*c = next
	return nil
}
