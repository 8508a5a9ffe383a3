package fit_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/examples/datasets"
	"github.com/candorscore/candor/internal/crosscheck"
	"github.com/candorscore/candor/internal/metric"
	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/fit"
)

// splitPreBins counts c's rows permuted and cut into k parts
// (crosscheck.Split), each in a PreBins of its own (every other part
// through MarshalBinary and UnmarshalBinary, as a worker would ship it),
// merged by tree (crosscheck.MergeTree).
func splitPreBins(t *testing.T, c binningCase, k int, tree string, seed uint64) *fit.PreBins {
	t.Helper()
	var parts []*fit.PreBins
	for p, rows := range crosscheck.Split(len(c.Values), k, seed) {
		pb := fit.NewPreBins(c.Feature, nil)
		for _, r := range rows {
			require.NoError(t, pb.Add(c.Values[r], c.Events[r], metric.Weight(c.Weights, r)))
		}
		if p%2 == 1 {
			b, err := pb.MarshalBinary()
			require.NoError(t, err)
			pb = fit.NewPreBins(c.Feature, nil)
			require.NoError(t, pb.UnmarshalBinary(b))
		}
		parts = append(parts, pb)
	}
	merged, err := crosscheck.MergeTree(parts, tree, (*fit.PreBins).Merge)
	require.NoError(t, err)
	return merged
}

// TestPreBinsSplitMergeDatasets: on every data set in examples/datasets,
// the rows in random order, split into 1, 3, 5 or 8 parts (one split a
// case, in turn), counted apart
// and merged by any tree, bin to the golden bins of
// TestBinningDatasetsGolden exactly (cut points, groups, counts), and
// applying the resulting spec to the merged counts gives the same bins as
// ApplyBins over the rows in memory. The weights are integers, so every
// count is exact whatever the order.
func TestPreBinsSplitMergeDatasets(t *testing.T) {
	seed := uint64(0)
	for name, cases := range binningCases(t) {
		want := readGoldenBinnings(t, name)
		for _, c := range cases {
			// One split a case, the parts and trees taking turns.
			k := []int{3, 8, 1, 5}[seed%4]
			tree := crosscheck.Trees[seed%3]
			seed++
			pb := splitPreBins(t, c, k, tree, seed)
			require.Equal(t, len(c.Values), pb.Rows())
			b, err := pb.Bin(c.Options)
			require.NoError(t, err, "%s %s", name, c.Key)
			require.Equal(t, want[c.Key], goldenBins(b), "%s %s k=%d %s", name, c.Key, k, tree)
			applied, err := pb.Apply(b.Spec())
			require.NoError(t, err)
			inMemory, err := fit.ApplyBins(c.Feature, c.Values, c.Events, c.Weights, b.Spec())
			require.NoError(t, err)
			require.Equal(t, goldenBins(inMemory), goldenBins(applied), "%s %s", name, c.Key)
		}
	}
}

func TestPreBinsErrors(t *testing.T) {
	num := score.Feature{Name: "x", Kind: score.Numeric}
	cat := score.Feature{Name: "c", Kind: score.Categorical, Categories: []string{"a", "b"}}
	pb := fit.NewPreBins(num, &fit.PreBinsOptions{MaxDistinct: 2})
	require.NoError(t, pb.Add(score.Num(1), true, 1))
	require.NoError(t, pb.Add(score.Num(-0.0), false, 1))
	require.NoError(t, pb.Add(score.Num(0), false, 2)) // -0 is 0: no new value
	require.NoError(t, pb.Add(score.Missing(), false, 1))
	var fe *score.FieldError
	err := pb.Add(score.Num(2), false, 1)
	require.ErrorIs(t, err, score.ErrLimit)
	require.True(t, errors.As(err, &fe))
	require.Equal(t, 5, fe.Row)
	require.Equal(t, "x", fe.Feature)
	require.ErrorIs(t, pb.Add(score.Cat("a"), false, 1), score.ErrWrongKind)
	require.ErrorIs(t, pb.Add(score.Num(3), false, -1), score.ErrData)
	require.Equal(t, 2, pb.Distinct())

	other := fit.NewPreBins(num, nil)
	require.NoError(t, other.Add(score.Num(7), true, 1))
	require.ErrorIs(t, pb.Merge(other), score.ErrLimit, "a third distinct value")
	require.ErrorIs(t, pb.Merge(fit.NewPreBins(cat, nil)), score.ErrData)

	// The bins: 0 (3 rows, none an event) and 1 (1 row, an event).
	b, err := pb.Apply(fit.BinSpec{Cuts: []float64{0.5}})
	require.NoError(t, err)
	require.Equal(t, 3.0, b.Bins[0].Count)
	require.Equal(t, 0.0, b.Bins[0].Events)
	require.Equal(t, 1.0, b.Bins[1].Count)
	require.Equal(t, 1.0, b.Bins[1].Events)
	require.Equal(t, 1.0, b.Bins[2].Count) // missing

	cb := fit.NewPreBins(cat, nil)
	require.NoError(t, cb.Add(score.Cat("b"), true, 1))
	require.NoError(t, cb.Add(score.Cat("z"), false, 1))
	require.ErrorIs(t, cb.Add(score.Num(1), false, 1), score.ErrWrongKind)
	raw, err := cb.MarshalBinary()
	require.NoError(t, err)
	require.ErrorIs(t, fit.NewPreBins(num, nil).UnmarshalBinary(raw), score.ErrMalformed)
	require.ErrorIs(t, cb.UnmarshalBinary([]byte("junk")), score.ErrMalformed)
	again := fit.NewPreBins(cat, nil)
	require.NoError(t, again.UnmarshalBinary(raw))
	raw2, err := again.MarshalBinary()
	require.NoError(t, err)
	require.Equal(t, raw, raw2)
	require.ErrorIs(t, fit.NewPreBins(cat, &fit.PreBinsOptions{MaxDistinct: 2}).UnmarshalBinary(raw), score.ErrLimit)
}

// BenchmarkPreBinsAdult bins Adult's age and hours-per-week (numeric) and
// occupation (categorical) from the rows in memory, through PreBins.
func BenchmarkBinFeatureAdult(b *testing.B) {
	cases := binningCases(b)[datasets.Adult]
	b.ReportAllocs()
	for b.Loop() {
		for _, c := range cases {
			if _, err := fit.BinFeature(c.Feature, c.Values, c.Events, c.Weights, c.Options); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// FuzzPreBinsUnmarshal: any bytes decode into a feature's PreBins to an
// error or to counts that encode and decode again and bin without a
// panic.
func FuzzPreBinsUnmarshal(f *testing.F) {
	num := score.Feature{Name: "x", Kind: score.Numeric}
	cat := score.Feature{Name: "c", Kind: score.Categorical, Categories: []string{"a"}}
	for _, feat := range []score.Feature{num, cat} {
		pb := fit.NewPreBins(feat, nil)
		for i, v := range []score.Value{score.Num(1), score.Num(2), score.Cat("a"), score.Cat("b"), score.Missing()} {
			_ = pb.Add(v, i%2 == 0, 1)
		}
		b, _ := pb.MarshalBinary()
		f.Add(b, feat.Kind == score.Numeric)
	}
	f.Fuzz(func(t *testing.T, b []byte, numeric bool) {
		feat := cat
		if numeric {
			feat = num
		}
		pb := fit.NewPreBins(feat, &fit.PreBinsOptions{MaxDistinct: 1000})
		if pb.UnmarshalBinary(b) != nil {
			return
		}
		again, err := pb.MarshalBinary()
		require.NoError(t, err)
		back := fit.NewPreBins(feat, nil)
		require.NoError(t, back.UnmarshalBinary(again))
		_, _ = pb.Bin(nil)
	})
}
