package fit

// unimodal returns the unimodal sequence closest to v in w-weighted least
// squares: non-decreasing then non-increasing (peak) or non-increasing then
// non-decreasing (valley, !peak). Every unimodal sequence is a
// non-decreasing prefix v[:L] followed by a non-increasing suffix v[L:]
// for some L in 0..len(v), and for a fixed L the two parts are independent
// isotonic regressions; so the projection is the best L's pair of
// isotonic regressions (Stout, "Unimodal regression via prefix isotonic
// regression", 2008). Pool adjacent violators is online, so the squared
// error of every prefix's (and suffix's) isotonic regression is had in one
// pass each; the best L (the smallest, on ties) is then fitted. Time
// O(len(v)). Weights must be positive.
func unimodal(v, w []float64, peak bool) []float64 {
	n := len(v)
	sign := 1.0
	if !peak {
		sign = -1
	}
	x := make([]float64, n)
	for i := range v {
		x[i] = sign * v[i]
	}
	pre := isoErrors(x, w, false) // pre[L]: error of v[:L] non-decreasing
	suf := isoErrors(x, w, true)  // suf[L]: error of v[L:] non-increasing
	best := 0
	for l := 1; l <= n; l++ {
		if pre[l]+suf[l] < pre[best]+suf[best] {
			best = l
		}
	}
	out := make([]float64, n)
	copy(out, x)
	poolAdjacent(out[:best], w[:best], 1)
	poolAdjacent(out[best:], w[best:], -1)
	for i := range out {
		out[i] *= sign
	}
	return out
}

// isoErrors returns, for L in 0..len(x), the weighted squared error of the
// non-decreasing isotonic regression of x[:L] (reverse: of the
// non-increasing regression of x[L:], read right to left as non-decreasing).
func isoErrors(x, w []float64, reverse bool) []float64 {
	n := len(x)
	type block struct{ sw, swx, swxx float64 }
	sse := func(b block) float64 { return b.swxx - b.swx*b.swx/b.sw }
	errs := make([]float64, n+1)
	var stack []block
	total := 0.0 // the sum of sse over the stack's blocks
	for k := range n {
		i := k
		if reverse {
			i = n - 1 - k
		}
		nb := block{w[i], w[i] * x[i], w[i] * x[i] * x[i]}
		for len(stack) > 0 {
			top := stack[len(stack)-1]
			if top.swx/top.sw <= nb.swx/nb.sw {
				break
			}
			stack = stack[:len(stack)-1]
			total -= sse(top)
			nb = block{top.sw + nb.sw, top.swx + nb.swx, top.swxx + nb.swxx}
		}
		stack = append(stack, nb)
		total += sse(nb)
		if reverse {
			errs[i] = max(total, 0)
		} else {
			errs[k+1] = max(total, 0)
		}
	}
	return errs
}
