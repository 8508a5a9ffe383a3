package score

import (
	"math"
	"slices"
)

// AUC is the area under the ROC curve of scores that rise with the event:
// the probability that a random event scores above a random non-event, ties
// counting one half. weights nil means all ones. NaN when either class is
// empty.
func AUC(scores []float64, events []bool, weights []float64) float64 {
	idx := sortedByScore(scores)
	var pos, neg, area, negBelow float64
	for a := 0; a < len(idx); {
		b := a
		var tp, tn float64
		for ; b < len(idx) && scores[idx[b]] == scores[idx[a]]; b++ {
			w := weightAt(weights, idx[b])
			if events[idx[b]] {
				tp += w
			} else {
				tn += w
			}
		}
		area += tp * (negBelow + tn/2)
		negBelow += tn
		pos += tp
		neg += tn
		a = b
	}
	if pos == 0 || neg == 0 {
		return math.NaN()
	}
	return area / (pos * neg)
}

// KS is the Kolmogorov-Smirnov statistic: the largest gap between the
// cumulative score distributions of events and non-events. NaN when either
// class is empty.
func KS(scores []float64, events []bool, weights []float64) float64 {
	idx := sortedByScore(scores)
	var pos, neg float64
	for i := range scores {
		if events[i] {
			pos += weightAt(weights, i)
		} else {
			neg += weightAt(weights, i)
		}
	}
	if pos == 0 || neg == 0 {
		return math.NaN()
	}
	var cp, cn, ks float64
	for a := 0; a < len(idx); {
		b := a
		for ; b < len(idx) && scores[idx[b]] == scores[idx[a]]; b++ {
			if events[idx[b]] {
				cp += weightAt(weights, idx[b])
			} else {
				cn += weightAt(weights, idx[b])
			}
		}
		ks = math.Max(ks, math.Abs(cp/pos-cn/neg))
		a = b
	}
	return ks
}

// sortedByScore returns the row indexes in ascending score order (ties in
// any order: AUC and KS treat tied scores as one group).
func sortedByScore(scores []float64) []int {
	type pair struct {
		s float64
		i int
	}
	ps := make([]pair, len(scores))
	for i, s := range scores {
		ps[i] = pair{s, i}
	}
	slices.SortFunc(ps, func(a, b pair) int { return cmpFloat(a.s, b.s) })
	idx := make([]int, len(scores))
	for k, p := range ps {
		idx[k] = p.i
	}
	return idx
}

func weightAt(w []float64, i int) float64 {
	if w == nil {
		return 1
	}
	return w[i]
}

// Quantile returns the q-quantile (0 <= q <= 1) of sorted x by linear
// interpolation between order statistics (Hyndman-Fan type 7, the default of
// R and NumPy). NaN for empty x.
func Quantile(sorted []float64, q float64) float64 {
	n := len(sorted)
	if n == 0 {
		return math.NaN()
	}
	h := q * float64(n-1)
	lo := int(math.Floor(h))
	if lo >= n-1 {
		return sorted[n-1]
	}
	return sorted[lo] + (h-float64(lo))*(sorted[lo+1]-sorted[lo])
}
