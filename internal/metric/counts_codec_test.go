package metric

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// A summary that went through MarshalBinary and UnmarshalBinary merges as
// the original does: exact and pooled, the AUC, KS and quantiles of the
// merged summary equal those of one summary of all the rows.
func TestScoreCountsBinaryRoundTrip(t *testing.T) {
	for _, maxDistinct := range []int{0, 64} {
		rng := rand.New(rand.NewPCG(7, uint64(maxDistinct)))
		all := &ScoreCounts{MaxDistinct: maxDistinct}
		parts := []*ScoreCounts{{MaxDistinct: maxDistinct}, {MaxDistinct: maxDistinct}, {MaxDistinct: maxDistinct}}
		for i := range 3000 {
			s, y := float64(rng.IntN(500))/500, rng.IntN(3) == 0
			all.Add(s, y, 1)
			parts[i%3].Add(s, y, 1)
		}
		merged := &ScoreCounts{MaxDistinct: maxDistinct}
		for _, p := range parts {
			b, err := p.MarshalBinary()
			require.NoError(t, err)
			var q ScoreCounts
			require.NoError(t, q.UnmarshalBinary(b))
			require.Equal(t, p.Exact(), q.Exact())
			merged.Merge(&q)
		}
		require.Equal(t, all.Exact(), merged.Exact(), "max distinct %d", maxDistinct)
		require.Equal(t, all.AUC(), merged.AUC(), "max distinct %d", maxDistinct)
		require.Equal(t, all.KS(), merged.KS(), "max distinct %d", maxDistinct)
		require.Equal(t, all.Quantile(0.3), merged.Quantile(0.3), "max distinct %d", maxDistinct)
		n0, n1 := merged.Weight()
		require.Equal(t, 3000.0, n0+n1)
	}
	var c ScoreCounts
	require.Error(t, c.UnmarshalBinary([]byte("not gob")))
}

// Equal summaries encode to equal bytes whatever order the rows came in,
// every strict prefix of an encoding is an error (never a panic or a
// half-decoded summary), and the encoding is the documented layout: for
// one exact score, version 1, MaxDistinct 64, Skipped 2, shift 0, not
// pooled, 1 entry (score 0.5, w 1 and 2), 0 buckets.
func TestScoreCountsBinaryForm(t *testing.T) {
	a, b := &ScoreCounts{MaxDistinct: 64}, &ScoreCounts{MaxDistinct: 64}
	for i := range 200 {
		a.Add(float64(i%37)/37, i%3 == 0, 1)
		b.Add(float64((199-i)%37)/37, (199-i)%3 == 0, 1)
	}
	ea, err := a.MarshalBinary()
	require.NoError(t, err)
	eb, err := b.MarshalBinary()
	require.NoError(t, err)
	require.Equal(t, ea, eb)
	for k := range ea {
		c := ScoreCounts{Skipped: 9}
		require.Error(t, c.UnmarshalBinary(ea[:k]), "prefix of %d bytes", k)
		require.Equal(t, 9, c.Skipped, "a failed decode leaves c as it was")
	}

	one := &ScoreCounts{MaxDistinct: 64, Skipped: 2}
	one.Add(0.5, false, 1)
	one.Add(0.5, true, 2)
	got, err := one.MarshalBinary()
	require.NoError(t, err)
	want := []byte{1, 64, 2, 0, 0, 1,
		0, 0, 0, 0, 0, 0, 0xe0, 0x3f, // 0.5
		0, 0, 0, 0, 0, 0, 0xf0, 0x3f, // 1
		0, 0, 0, 0, 0, 0, 0x00, 0x40, // 2
		0}
	require.Equal(t, want, got)
}

// FuzzScoreCountsUnmarshal: any input decodes or is an error, and what
// decodes encodes back to the same bytes.
func FuzzScoreCountsUnmarshal(f *testing.F) {
	c := &ScoreCounts{MaxDistinct: 4}
	for i := range 40 {
		c.Add(float64(i)/40, i%2 == 0, 1)
	}
	b, err := c.MarshalBinary()
	require.NoError(f, err)
	f.Add(b)
	f.Add([]byte{1, 0, 0, 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		var c ScoreCounts
		if err := c.UnmarshalBinary(b); err != nil {
			return
		}
		again, err := c.MarshalBinary()
		require.NoError(t, err)
		var d ScoreCounts
		require.NoError(t, d.UnmarshalBinary(again))
		back, err := d.MarshalBinary()
		require.NoError(t, err)
		require.Equal(t, again, back)
	})
}
