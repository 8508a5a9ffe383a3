// Package metric holds the few numerical summaries that several candor
// packages share: the area under the ROC curve, the Kolmogorov-Smirnov
// statistic, quantiles, Wilson score intervals and a float comparison for
// sorting. Each is written once here, so that fitting, monitoring, fairness
// audits and explanations report the same number for the same data.
//
// Functions take plain slices; nil weights mean all ones; a statistic that
// the data cannot define is NaN, never 0.
package metric

import (
	"math"
	"slices"
)

// AUC is the area under the ROC curve of scores that rise with the event:
// the probability that a random event scores above a random non-event, ties
// counting one half. weights nil means all ones. NaN when either class is
// empty.
func AUC(scores []float64, events []bool, weights []float64) float64 {
	idx := SortedByScore(scores)
	return AUCOrdered(len(idx), func(k int) (float64, bool, float64) {
		i := idx[k]
		return scores[i], events[i], Weight(weights, i)
	})
}

// AUCOrdered is AUC over n rows already in ascending score order: row(k)
// gives the k-th row's score, whether it is an event, and its weight. Rows
// with equal scores are one group (ties count one half). NaN when either
// class has no weight.
func AUCOrdered(n int, row func(k int) (score float64, event bool, weight float64)) float64 {
	var pos, neg, area, negBelow float64
	for a := 0; a < n; {
		s, _, _ := row(a)
		var tp, tn float64
		b := a
		for ; b < n; b++ {
			sb, ev, w := row(b)
			if sb != s {
				break
			}
			if ev {
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
	if !(pos > 0 && neg > 0) {
		return math.NaN()
	}
	return area / (pos * neg)
}

// KS is the Kolmogorov-Smirnov statistic: the largest gap between the
// cumulative score distributions of events and non-events. NaN when either
// class is empty.
func KS(scores []float64, events []bool, weights []float64) float64 {
	idx := SortedByScore(scores)
	var pos, neg float64
	for i := range scores {
		if events[i] {
			pos += Weight(weights, i)
		} else {
			neg += Weight(weights, i)
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
				cp += Weight(weights, idx[b])
			} else {
				cn += Weight(weights, idx[b])
			}
		}
		ks = math.Max(ks, math.Abs(cp/pos-cn/neg))
		a = b
	}
	return ks
}

// SortedByScore returns the row indexes in ascending score order (ties in
// any order: AUC and KS treat tied scores as one group).
func SortedByScore(scores []float64) []int {
	type pair struct {
		s float64
		i int
	}
	ps := make([]pair, len(scores))
	for i, s := range scores {
		ps[i] = pair{s, i}
	}
	slices.SortFunc(ps, func(a, b pair) int { return Compare(a.s, b.s) })
	idx := make([]int, len(scores))
	for k, p := range ps {
		idx[k] = p.i
	}
	return idx
}

// Weight returns w[i], or 1 when w is nil (no weights).
func Weight(w []float64, i int) float64 {
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

// Wilson returns the Wilson score interval for a proportion p observed on
// n trials (n may be an effective, non-integer count) at normal quantile z
// (1.959963984540054 for 95%):
//
//	centre = (p + z²/2n) / (1 + z²/n)
//	half   = z / (1 + z²/n) * sqrt(p(1-p)/n + z²/4n²)
//
// clipped to [0, 1] (E. B. Wilson, "Probable inference, the law of
// succession, and statistical inference", JASA 22, 1927; the same interval
// as statsmodels' proportion_confint(k, n, method="wilson")). NaN, NaN when
// n is not positive.
func Wilson(p, n, z float64) (lo, hi float64) {
	if !(n > 0) {
		return math.NaN(), math.NaN()
	}
	z2 := z * z
	d := 1 + z2/n
	c := (p + z2/(2*n)) / d
	h := z / d * math.Sqrt(p*(1-p)/n+z2/(4*n*n))
	return math.Max(0, c-h), math.Min(1, c+h)
}

// Compare orders floats for sorting: -1 when a < b, 1 when a > b, else 0
// (NaN compares equal to everything, so sorts stay stable around it).
func Compare(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
