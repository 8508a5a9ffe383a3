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
