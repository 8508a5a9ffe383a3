package monitor_test

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/internal/crosscheck"
	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/monitor"
)

// TestSampleBinaryRoundTrip: for every built-in data set's model, samples
// of three parts of each split, each encoded with MarshalBinary and
// decoded with UnmarshalBinary into a fresh NewSample (as a worker ships
// its accumulator to the one that merges), merge and compare into Run's
// report, within the merge's own bound (TestSampleSplitsMerge: a relative
// 1e-12 on sums of probabilities and errors, everything else equal).
func TestSampleBinaryRoundTrip(t *testing.T) {
	for _, c := range monitorCases {
		t.Run(c.name, func(t *testing.T) {
			base, cur := c.split(t)
			m, err := score.LoadFile(filepath.Join("testdata", "inmemory", c.name+".model.json"))
			require.NoError(t, err)
			want, err := monitor.Run(context.Background(), m, base, cur, nil)
			require.NoError(t, err)
			wb, err := json.Marshal(want)
			require.NoError(t, err)
			shipped := func(tab *score.Table) *monitor.Sample {
				rng := rand.New(rand.NewPCG(uint64(tab.Len()), 3))
				parts := make([]*monitor.Sample, 3)
				for p := range parts {
					parts[p], err = monitor.NewSample(m, tab.Header(), nil, nil)
					require.NoError(t, err)
				}
				for i := 0; i < tab.Len(); i++ {
					parts[rng.IntN(3)].Add(tab.Row(i))
				}
				var merged *monitor.Sample
				for _, p := range parts {
					b, err := p.MarshalBinary()
					require.NoError(t, err)
					q, err := monitor.NewSample(m, tab.Header(), nil, nil)
					require.NoError(t, err)
					require.NoError(t, q.UnmarshalBinary(b))
					b2, err := q.MarshalBinary()
					require.NoError(t, err)
					require.Equal(t, b, b2, "encoding is deterministic")
					if merged == nil {
						merged = q
						continue
					}
					require.NoError(t, merged.Merge(q))
				}
				return merged
			}
			got, err := monitor.Compare(context.Background(), shipped(base), shipped(cur), nil)
			require.NoError(t, err)
			gb, err := json.Marshal(got)
			require.NoError(t, err)
			crosscheck.RequireJSONClose(t, wb, gb, 1e-12)
			require.Equal(t, want.ScorePSI, got.ScorePSI)
		})
	}
	// A sample of another header does not decode.
	base, _ := monitorCases[0].split(t)
	m, err := score.LoadFile(filepath.Join("testdata", "inmemory", monitorCases[0].name+".model.json"))
	require.NoError(t, err)
	s, err := monitor.NewSample(m, base.Header(), nil, nil)
	require.NoError(t, err)
	b, err := s.MarshalBinary()
	require.NoError(t, err)
	other, err := monitor.NewSample(m, append(base.Header(), "extra"), nil, nil)
	require.NoError(t, err)
	require.ErrorIs(t, other.UnmarshalBinary(b), score.ErrData)
}
