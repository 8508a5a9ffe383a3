package metric

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// rows draws n scores with few distinct values (a scorecard's points) or
// many (a logistic model's probabilities), and events that rise with them.
func rows(n int, distinct bool, seed uint64) ([]float64, []bool) {
	r := rand.New(rand.NewPCG(seed, 1))
	s := make([]float64, n)
	e := make([]bool, n)
	for i := range s {
		if distinct {
			s[i] = r.Float64()
		} else {
			s[i] = float64(r.IntN(40) * 5)
		}
		e[i] = r.Float64() < 0.2+0.5*s[i]/math.Max(1, 200*b2f(!distinct))
	}
	return s, e
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// Exact while the distinct scores fit: AUC, KS and quantiles equal the
// in-memory functions bit for bit, however the rows are split and merged.
func TestScoreCountsExactEqualsInMemory(t *testing.T) {
	for _, distinct := range []bool{false, true} {
		s, e := rows(20000, distinct, 7)
		var whole ScoreCounts
		parts := make([]ScoreCounts, 7)
		for i := range s {
			whole.Add(s[i], e[i], 1)
			parts[i%7].Add(s[i], e[i], 1)
		}
		var merged ScoreCounts
		for k := range parts {
			merged.Merge(&parts[k])
		}
		sorted := slices.Clone(s)
		slices.Sort(sorted)
		for _, c := range []*ScoreCounts{&whole, &merged} {
			if !c.Exact() {
				t.Fatal("compressed below the limit")
			}
			if got, want := c.AUC(), AUC(s, e, nil); got != want {
				t.Errorf("distinct=%v: AUC %v, in memory %v", distinct, got, want)
			}
			if got, want := c.KS(), KS(s, e, nil); got != want {
				t.Errorf("distinct=%v: KS %v, in memory %v", distinct, got, want)
			}
			for _, q := range []float64{0, 0.01, 0.25, 0.5, 0.9, 0.99, 1} {
				if got, want := c.Quantile(q), Quantile(sorted, q); got != want {
					t.Errorf("distinct=%v: quantile %v = %v, in memory %v", distinct, q, got, want)
				}
			}
		}
	}
}

// Past MaxDistinct the summary pools ranges, stays within its memory, and
// the AUC is within the stated bound of the true AUC.
func TestScoreCountsCompressedWithinBound(t *testing.T) {
	s, e := rows(50000, true, 3)
	c := ScoreCounts{MaxDistinct: 512}
	halves := [2]ScoreCounts{{MaxDistinct: 512}, {MaxDistinct: 512}}
	for i := range s {
		c.Add(s[i], e[i], 1)
		halves[i%2].Add(s[i], e[i], 1)
	}
	halves[0].Merge(&halves[1])
	want := AUC(s, e, nil)
	// The grid is fixed, so the merged halves are the summary of all rows.
	if a, b := c.AUC(), halves[0].AUC(); a != b {
		t.Errorf("pooled AUC %v, merged halves %v: merging changed the summary", a, b)
	}
	sorted := slices.Clone(s)
	slices.Sort(sorted)
	for name, c := range map[string]*ScoreCounts{"one": &c, "merged": &halves[0]} {
		if c.Exact() || len(c.pooled) > 256 {
			t.Fatalf("%s: exact=%v with %d ranges, want pooled into at most 256", name, c.Exact(), len(c.pooled))
		}
		bound := c.AUCErrorBound()
		// About one range in 256 of the event/non-event pairs: 1/256/2 < 0.02.
		if !(bound > 0 && bound < 0.02) {
			t.Errorf("%s: AUC error bound %v", name, bound)
		}
		if got := c.AUC(); math.Abs(got-want) > bound {
			t.Errorf("%s: AUC %v vs %v: off by %v, bound %v", name, got, want, math.Abs(got-want), bound)
		}
		if ne, ev := c.Weight(); ne+ev != 50000 {
			t.Errorf("%s: weight %v, want 50000", name, ne+ev)
		}
		rankErr := c.QuantileRankError()
		for _, q := range []float64{0.1, 0.5, 0.9} {
			got := c.Quantile(q)
			rank, _ := slices.BinarySearch(sorted, got)
			if d := math.Abs(float64(rank)/float64(len(s)) - q); d > rankErr+1e-3 {
				t.Errorf("%s: quantile %v at rank share %v, off by %v, bound %v", name, q, float64(rank)/float64(len(s)), d, rankErr)
			}
		}
	}
}

// By hand: scores 1,1,2 (events at 2 and one 1), 3 non-event.
// Pairs (event, non-event): (1e,1n) tie 1/2, (1e,3n) 0, (2e,1n) 1, (2e,3n) 0:
// AUC = 1.5/4 = 0.375.
func TestScoreCountsByHand(t *testing.T) {
	var c ScoreCounts
	c.Add(1, true, 1)
	c.Add(1, false, 1)
	c.Add(2, true, 1)
	c.Add(3, false, 1)
	c.Add(math.NaN(), true, 1)
	c.Add(2, true, 0)
	c.Add(math.Copysign(0, -1), false, 1)
	c.Add(0, false, 1)
	// With the two zeros (non-events, below every event): pairs 2*4 = 8,
	// area 1.5 + 2*2 = 5.5.
	if got := c.AUC(); math.Abs(got-5.5/8) > 1e-15 {
		t.Errorf("AUC = %v, want %v", got, 5.5/8)
	}
	if c.Skipped != 2 {
		t.Errorf("skipped %d, want 2 (NaN score, zero weight)", c.Skipped)
	}
	if len(c.exact) != 4 {
		t.Errorf("%d distinct scores, want 4 (-0 and 0 are one)", len(c.exact))
	}
	var empty ScoreCounts
	if !math.IsNaN(empty.AUC()) || !math.IsNaN(empty.KS()) || !math.IsNaN(empty.Quantile(0.5)) {
		t.Error("an empty summary defines no statistic")
	}
}
