package monitor

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/examples/datasets"
	"github.com/candorscore/candor/score/fit"
)

// TestSamplePairTermsHoldNoCounts: a pair term's PSI is never reported
// (its features are monitored through their own terms), so a Sample sets
// up no counts for it and counts nothing there; the other terms count as
// before, and encoding and merging still work.
func TestSamplePairTermsHoldNoCounts(t *testing.T) {
	tab, s, err := datasets.LoadSchema(datasets.GermanCredit, "personal_status_and_sex")
	require.NoError(t, err)
	bf, err := fit.Boosted(context.Background(), tab, s, "creditability", "bad", &fit.BoostedOptions{OuterBags: 1, Interactions: 2})
	require.NoError(t, err)
	m := bf.Model
	smp, err := NewSample(m, tab.Header(), nil, nil)
	require.NoError(t, err)
	for i := 0; i < tab.Len(); i++ {
		smp.Add(tab.Row(i))
	}
	pairs := 0
	for j := range smp.terms {
		tc := &smp.terms[j]
		if m.PairFeature(j) >= 0 {
			pairs++
			require.Nil(t, tc.bins, "pair term %d", j)
			require.Nil(t, tc.levels, "pair term %d", j)
			require.Nil(t, tc.values, "pair term %d", j)
			require.Zero(t, tc.missing+tc.invalid, "pair term %d", j)
			continue
		}
		require.True(t, tc.bins != nil || tc.levels != nil || tc.values != nil, "term %d", j)
	}
	require.Equal(t, 2, pairs)

	b, err := smp.MarshalBinary()
	require.NoError(t, err)
	back, err := NewSample(m, tab.Header(), nil, nil)
	require.NoError(t, err)
	require.NoError(t, back.UnmarshalBinary(b))
	require.NoError(t, back.Merge(smp))
	rep, err := Compare(context.Background(), back, smp, nil)
	require.NoError(t, err)
	require.Len(t, rep.Features, m.NumTerms()-pairs)
}
