package fairness

import (
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// exactSum's value is the exact sum rounded once to the nearest float64
// (ties to even), whatever the order of the additions and merges: checked
// against math/big at 4096 bits (exact for these terms) on sums built to
// cancel and to tie.
func TestExactSum(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	cases := map[string][]float64{
		"cancelling":   {1e100, 1, -1e100, 1e-100},
		"tie to even":  {1, 0x1p-53, 0x1p-106},
		"exact tie":    {1, 0x1p-53},
		"many small":   nil,
		"mixed scales": nil,
	}
	for range 1000 {
		cases["many small"] = append(cases["many small"], rng.Float64()*1e-3)
		cases["mixed scales"] = append(cases["mixed scales"], (rng.Float64()-0.3)*math.Pow(10, float64(rng.IntN(40)-20)))
	}
	for name, xs := range cases {
		t.Run(name, func(t *testing.T) {
			ref := new(big.Float).SetPrec(4096)
			for _, x := range xs {
				ref.Add(ref, new(big.Float).SetPrec(4096).SetFloat64(x))
			}
			want, _ := ref.Float64() // nearest, ties to even
			var s exactSum
			for _, x := range xs {
				s.add(x)
			}
			require.Equal(t, want, s.value())
			// Shuffled, in three parts merged: the same bits.
			perm := rng.Perm(len(xs))
			var parts [3]exactSum
			for k, i := range perm {
				parts[k%3].add(xs[i])
			}
			parts[2].merge(&parts[0])
			parts[2].merge(&parts[1])
			require.Equal(t, want, parts[2].value())
		})
	}
	var inf exactSum
	inf.add(math.MaxFloat64)
	inf.add(math.MaxFloat64)
	assert.True(t, math.IsInf(inf.value(), 1), "an overflowing sum is +Inf")
}

// burdenRows is a random burden data set: two group columns, adverse rows
// with costs (some without recourse).
func burdenRows(seed uint64, n int) (costs []float64, adverse []bool, a, b GroupColumn) {
	rng := rand.New(rand.NewPCG(seed, 1))
	a, b = GroupColumn{Name: "sex"}, GroupColumn{Name: "age"}
	for range n {
		adv := rng.Float64() < 0.4
		c := rng.ExpFloat64() * 0.37
		if rng.Float64() < 0.15 {
			c = math.Inf(1)
		}
		costs, adverse = append(costs, c), append(adverse, adv)
		a.Values = append(a.Values, []string{"female", "male"}[rng.IntN(2)])
		b.Values = append(b.Values, []string{"young", "middle", "old", "rare"}[min(rng.IntN(7), 3)])
	}
	return costs, adverse, a, b
}

// Any split of the rows, tallied and merged in any order, gives
// RecourseBurdens' result on the whole: to the last bit without a
// bootstrap, and the bootstrap's intervals within a relative 1e-12 (its
// replicate sums add in another order).
func TestBurdenTallySplits(t *testing.T) {
	costs, adverse, sex, age := burdenRows(3, 5000)
	for _, boot := range []int{0, 200} {
		opts := &BurdenOptions{Bootstrap: boot, Seed: 11, MinGroupSize: 100}
		want, err := RecourseBurdens(costs, adverse, []GroupColumn{sex, age}, opts)
		require.NoError(t, err)
		require.Len(t, want, 3)
		for _, parts := range []int{1, 2, 7} {
			t.Run(fmt.Sprintf("bootstrap %d/%d parts", boot, parts), func(t *testing.T) {
				tallies := make([]*BurdenTally, parts)
				for k := range tallies {
					tallies[k], err = NewBurdenTally([]string{"sex", "age"}, opts)
					require.NoError(t, err)
				}
				rng := rand.New(rand.NewPCG(uint64(parts), 2))
				for i := range costs {
					r := BurdenRow{Index: uint64(i), Adverse: adverse[i], Cost: costs[i], Groups: []string{sex.Values[i], age.Values[i]}}
					require.NoError(t, tallies[rng.IntN(parts)].Add(r))
				}
				for k := parts - 1; k > 0; k-- { // merged in reverse
					require.NoError(t, tallies[0].Merge(tallies[k]))
				}
				require.Equal(t, len(costs), tallies[0].Rows())
				got, err := tallies[0].Burdens()
				require.NoError(t, err)
				require.Len(t, got, len(want))
				for k := range want {
					w, g := *want[k], *got[k]
					w.Groups = slices.Clone(w.Groups) // the blanking below leaves want alone
					if boot == 0 {
						require.Equal(t, fmt.Sprintf("%+v", w), fmt.Sprintf("%+v", g))
						continue
					}
					require.Len(t, g.Groups, len(w.Groups))
					for gi := range w.Groups {
						wd, gd := w.Groups[gi].Difference, g.Groups[gi].Difference
						require.Equal(t, wd.Replicates, gd.Replicates, w.Groups[gi].Group)
						if !math.IsNaN(wd.Lo) {
							require.InDelta(t, wd.Lo, gd.Lo, 1e-12)
							require.InDelta(t, wd.Hi, gd.Hi, 1e-12)
						}
						w.Groups[gi].Difference, g.Groups[gi].Difference = Disparity{}, Disparity{}
					}
					require.Equal(t, fmt.Sprintf("%+v", w), fmt.Sprintf("%+v", g))
				}
			})
		}
	}
}

// The tally's point values by hand on a small case: group A's adverse
// costs 1, 3 and none; B's 4 and 6; C has only a row that is not adverse
// (reported, with no adverse rows).
func TestBurdenTallyHand(t *testing.T) {
	tl, err := NewBurdenTally([]string{"g"}, &BurdenOptions{MinGroupSize: -1})
	require.NoError(t, err)
	for i, r := range []struct {
		adv  bool
		cost float64
		g    string
	}{{true, 1, "A"}, {true, 3, "A"}, {true, math.NaN(), "A"}, {true, 4, "B"}, {true, 6, "B"}, {false, -5, "C"}} {
		require.NoError(t, tl.Add(BurdenRow{Index: uint64(i), Adverse: r.adv, Cost: r.cost, Groups: []string{r.g}}))
	}
	bs, err := tl.Burdens()
	require.NoError(t, err)
	require.Len(t, bs, 1)
	b := bs[0]
	require.Len(t, b.Groups, 3)
	assert.Equal(t, "A", b.Cheapest)
	assert.InDelta(t, 2.0, b.Groups[0].MeanCost.Value, 0)
	assert.Equal(t, 2, b.Groups[0].Feasible)
	assert.InDelta(t, 1.0/3, b.Groups[0].Infeasible.Value, 1e-15)
	assert.InDelta(t, 3.0, b.Groups[1].Difference.Value, 0)
	assert.Equal(t, 0, b.Groups[2].Adverse)
	assert.False(t, b.Groups[2].MeanCost.Defined)
	assert.Empty(t, b.Warnings)
}

func TestBurdenTallyErrors(t *testing.T) {
	_, err := NewBurdenTally(nil, nil)
	assert.ErrorIs(t, err, ErrNoGroups)
	_, err = NewBurdenTally([]string{"g"}, &BurdenOptions{Level: 2})
	assert.ErrorIs(t, err, ErrOption)
	tl, err := NewBurdenTally([]string{"g"}, nil)
	require.NoError(t, err)
	assert.ErrorIs(t, tl.Add(BurdenRow{Index: 4, Adverse: true, Cost: -1, Groups: []string{"A"}}), ErrNegative)
	assert.ErrorIs(t, tl.Add(BurdenRow{Adverse: true, Cost: 1, Groups: []string{"A", "B"}}), ErrLength)
	assert.ErrorIs(t, tl.Add(BurdenRow{Adverse: true, Cost: 1, Groups: []string{""}}), ErrMissingGroup)
	_, err = tl.Burdens()
	assert.ErrorIs(t, err, ErrEmpty)
	other, err := NewBurdenTally([]string{"h"}, nil)
	require.NoError(t, err)
	assert.ErrorIs(t, tl.Merge(other), ErrOption)
}
