package monitor_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/score/fit"
	"github.com/candorscore/candor/score/monitor"
)

// TestMonitorPairTerms: a model with pair terms is monitored feature by
// feature through the features' own terms: one feature PSI per input, none
// for a pair, and the score PSI over the whole score (pairs included).
func TestMonitorPairTerms(t *testing.T) {
	tab, s := germanTable(t)
	bf, err := fit.Boosted(context.Background(), tab, s, "creditability", "bad", &fit.BoostedOptions{OuterBags: 1, Interactions: 2})
	require.NoError(t, err)
	m := bf.Model
	require.True(t, m.HasPairs())
	rep, err := monitor.Run(context.Background(), m, tab, tab, nil)
	require.NoError(t, err)
	require.Len(t, rep.Features, m.NumTerms()-2)
	seen := map[string]bool{}
	for _, f := range rep.Features {
		require.False(t, seen[f.Feature], "%s twice", f.Feature)
		seen[f.Feature] = true
		require.InDelta(t, 0, f.Value, 1e-12, "the same sample twice: PSI 0")
	}
	require.InDelta(t, 0, rep.ScorePSI, 1e-12)
}
