package fairness_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/fairness"
	"github.com/candorscore/candor/internal/crosscheck"
)

// TestTallyBinaryRoundTrip: tallies of three parts of Adult, each encoded
// with MarshalBinary and decoded with UnmarshalBinary (as a worker ships
// its accumulator to the one that merges), merge into the report of one
// pass, within a relative 1e-12: the bound of the merge itself
// (TestTallySplitsMerge: calibration sums of scores, and weighted sums, add
// in another order).
func TestTallyBinaryRoundTrip(t *testing.T) {
	for _, weighted := range []bool{false, true} {
		d := auditCases[3].load(t, weighted) // Adult
		opts := &fairness.Options{Direction: fairness.HigherIsUnfavorable, Bootstrap: 20, Seed: 3}
		one := reportJSON(t, tallyOf(t, d, opts, 1, func(int) int { return 0 }))
		parts := make([]*fairness.Tally, 3)
		for k := range parts {
			parts[k] = partTally(t, d, opts, func(i int) bool { return i%3 == k })
		}
		var merged *fairness.Tally
		for _, p := range parts {
			b, err := p.MarshalBinary()
			require.NoError(t, err)
			var q fairness.Tally
			require.NoError(t, q.UnmarshalBinary(b))
			b2, err := q.MarshalBinary()
			require.NoError(t, err)
			require.Equal(t, b, b2, "encoding is deterministic")
			if merged == nil {
				merged = &q
				continue
			}
			require.NoError(t, merged.Merge(&q))
		}
		crosscheck.RequireJSONClose(t, one, reportJSON(t, merged), 1e-12)
	}
	var bad fairness.Tally
	require.Error(t, bad.UnmarshalBinary([]byte{1, 2, 3}))
}

// partTally tallies the rows of d that keep selects.
func partTally(t *testing.T, d fairness.Data, opts *fairness.Options, keep func(i int) bool) *fairness.Tally {
	t.Helper()
	spec := fairness.TallySpec{Predictions: d.Predictions != nil, Scores: d.Scores != nil, Threshold: d.Threshold, Weights: d.Weights != nil}
	for _, g := range d.Groups {
		spec.Groups = append(spec.Groups, g.Name)
	}
	tl, err := fairness.NewTally(spec, opts)
	require.NoError(t, err)
	for i := range d.Labels {
		if !keep(i) {
			continue
		}
		r := fairness.Row{Index: uint64(i), Label: d.Labels[i]}
		if d.Scores != nil {
			r.Score = d.Scores[i]
		}
		if d.Weights != nil {
			r.Weight = d.Weights[i]
		}
		for _, g := range d.Groups {
			r.Groups = append(r.Groups, g.Values[i])
		}
		require.NoError(t, tl.Add(r))
	}
	return tl
}
