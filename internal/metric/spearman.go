package metric

import "math"

// Spearman returns Spearman's rank correlation of x and y and its
// two-sided p-value, as scipy.stats.spearmanr computes them: ties take
// their average rank, rho is the Pearson correlation of the ranks, and p
// comes from Student's t distribution with n-2 degrees of freedom,
//
//	t = rho * sqrt((n-2) / ((1+rho)(1-rho))),  p = 2 P(T > |t|) = I_{df/(df+t²)}(df/2, 1/2)
//
// where I is the regularised incomplete beta function.
//
// w nil means all ones (scipy's unweighted statistic). With weights, a
// row's rank is the midpoint of its tie group's cumulative weight, rho is
// the weighted Pearson correlation of those ranks, and n is Kish's
// effective sample size (sum w)² / sum w². Rows with a zero weight take no
// part. x and y must have the same length.
//
// NaN, NaN when fewer than 3 rows take part or either variable is constant
// (scipy returns nan there too); p is 0 when |rho| = 1.
func Spearman(x, y, w []float64) (rho, p float64) {
	n := len(x)
	if len(y) != n || (w != nil && len(w) != n) {
		return math.NaN(), math.NaN()
	}
	rx, ry := midRanks(x, w), midRanks(y, w)
	var sw, sw2, mx, my float64
	rows := 0
	for i := range n {
		wi := Weight(w, i)
		if !(wi > 0) {
			continue
		}
		rows++
		sw += wi
		sw2 += wi * wi
		mx += wi * rx[i]
		my += wi * ry[i]
	}
	if rows < 3 {
		return math.NaN(), math.NaN()
	}
	mx /= sw
	my /= sw
	var sxx, syy, sxy float64
	for i := range n {
		wi := Weight(w, i)
		if !(wi > 0) {
			continue
		}
		dx, dy := rx[i]-mx, ry[i]-my
		sxx += wi * dx * dx
		syy += wi * dy * dy
		sxy += wi * dx * dy
	}
	if sxx == 0 || syy == 0 {
		return math.NaN(), math.NaN()
	}
	rho = sxy / math.Sqrt(sxx*syy)
	rho = math.Max(-1, math.Min(1, rho))
	neff := sw * sw / sw2
	return rho, tTestP(rho, neff-2)
}

// tTestP is the two-sided p-value of a correlation rho on df degrees of
// freedom (the t test of scipy.stats.spearmanr and pearsonr).
func tTestP(rho, df float64) float64 {
	if !(df > 0) {
		return math.NaN()
	}
	if math.Abs(rho) == 1 {
		return 0
	}
	t2 := rho * rho * df / ((1 + rho) * (1 - rho))
	return RegIncBeta(df/2, 0.5, df/(df+t2))
}

// midRanks returns the ranks of x (1-based) with ties at their average
// rank; with weights, the midpoint of each tie group's cumulative weight
// (plus one half, so that unit weights give the ordinary ranks). Rows with
// zero weight get rank 0 and count for nothing.
func midRanks(x, w []float64) []float64 {
	idx := SortedByScore(x)
	r := make([]float64, len(x))
	var below float64
	for a := 0; a < len(idx); {
		b := a
		var tw float64
		for ; b < len(idx) && x[idx[b]] == x[idx[a]]; b++ {
			tw += Weight(w, idx[b])
		}
		mid := below + (tw+1)/2
		for k := a; k < b; k++ {
			r[idx[k]] = mid
		}
		below += tw
		a = b
	}
	return r
}

// RegIncBeta is the regularised incomplete beta function I_x(a, b) for
// a, b > 0 and 0 <= x <= 1, by the continued fraction of Numerical Recipes
// (Press et al., 3rd ed., 6.4) evaluated with the modified Lentz method,
// using the symmetry I_x(a,b) = 1 - I_{1-x}(b,a) where the fraction
// converges faster. Relative accuracy about 1e-14; NaN outside the domain.
func RegIncBeta(a, b, x float64) float64 {
	switch {
	case !(a > 0) || !(b > 0) || !(x >= 0 && x <= 1):
		return math.NaN()
	case x == 0:
		return 0
	case x == 1:
		return 1
	}
	la, _ := math.Lgamma(a + b)
	lb, _ := math.Lgamma(a)
	lc, _ := math.Lgamma(b)
	front := math.Exp(la - lb - lc + a*math.Log(x) + b*math.Log1p(-x))
	if x < (a+1)/(a+b+2) {
		return front * betaCF(a, b, x) / a
	}
	return 1 - front*betaCF(b, a, 1-x)/b
}

// betaCF evaluates the continued fraction of the incomplete beta function.
func betaCF(a, b, x float64) float64 {
	const tiny = 1e-300
	const eps = 1e-15
	qab, qap, qam := a+b, a+1, a-1
	c := 1.0
	d := 1 - qab*x/qap
	if math.Abs(d) < tiny {
		d = tiny
	}
	d = 1 / d
	h := d
	// The fraction converges in O(sqrt(max(a, b))) steps; 1e5 covers
	// samples of billions of rows.
	for m := 1; m <= 100000; m++ {
		fm := float64(m)
		m2 := 2 * fm
		aa := fm * (b - fm) * x / ((qam + m2) * (a + m2))
		d = 1 + aa*d
		if math.Abs(d) < tiny {
			d = tiny
		}
		c = 1 + aa/c
		if math.Abs(c) < tiny {
			c = tiny
		}
		d = 1 / d
		h *= d * c
		aa = -(a + fm) * (qab + fm) * x / ((a + m2) * (qap + m2))
		d = 1 + aa*d
		if math.Abs(d) < tiny {
			d = tiny
		}
		c = 1 + aa/c
		if math.Abs(c) < tiny {
			c = tiny
		}
		d = 1 / d
		del := d * c
		h *= del
		if math.Abs(del-1) < eps {
			break
		}
	}
	return h
}

// SignificantTrend returns +1 or -1, the sign of Spearman's rank
// correlation of x with the event indicator, when its two-sided p-value is
// below alpha; 0 otherwise (not significant, or undefined).
func SignificantTrend(x []float64, events []bool, w []float64, alpha float64) int {
	y := make([]float64, len(events))
	for i, e := range events {
		if e {
			y[i] = 1
		}
	}
	rho, p := Spearman(x, y, w)
	if !(p < alpha) || rho == 0 {
		return 0
	}
	if rho > 0 {
		return 1
	}
	return -1
}
