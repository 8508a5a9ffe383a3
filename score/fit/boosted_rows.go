package fit

import "math"

// The row loops of a boosting step, the fit's only work proportional to
// the rows: every other part of a step costs O(bins).

// binCol is one feature's bin per row of a bag: one byte per row when the
// feature has at most 256 bins (the usual case with the default 255
// pre-bins), two otherwise.
type binCol struct {
	u8  []uint8
	u16 []uint16
}

func makeBinCol(bins, rows int) binCol {
	if bins <= 256 {
		return binCol{u8: make([]uint8, rows)}
	}
	return binCol{u16: make([]uint16, rows)}
}

func (c binCol) set(i int, b uint16) {
	if c.u8 != nil {
		c.u8[i] = uint8(b)
	} else {
		c.u16[i] = b
	}
}

// histCopies is the number of interleaved copies of a histogram that the
// row loops sum into (row i into copy i % histCopies), added up bin by bin
// in a fixed order afterwards (histSum). With one copy, consecutive rows in
// the same bin (a feature of few bins) wait on each other: each sum must
// be stored before the next row can load it (store-to-load forwarding).
// A copy is 256 or more bins of {gradient, hessian} side by side.
const histCopies = 4

// histSplit returns the copies of the scratch acc (histCopies x stride
// entries).
func histSplit(acc [][2]float64) [histCopies][][2]float64 {
	stride := len(acc) / histCopies
	var a [histCopies][][2]float64
	for k := range a {
		a[k] = acc[k*stride : (k+1)*stride]
	}
	return a
}

// histSum writes the sums of the copies of acc into g and h for the
// first nb bins, in a fixed order, and leaves acc zero. A column of more
// than 256 bins (two bytes a row) is summed into the first copy only:
// consecutive rows rarely share one of so many bins, and four copies of
// them would not fit the processor's first-level cache.
func histSum(acc [][2]float64, nb int, g, h []float64) {
	a := histSplit(acc)
	a0, a1, a2, a3 := a[0][:nb], a[1][:nb], a[2][:nb], a[3][:nb]
	g, h = g[:nb], h[:nb]
	if nb > 256 {
		for b := range g {
			g[b], h[b] = a0[b][0], a0[b][1]
			a0[b] = [2]float64{}
		}
		return
	}
	for b := range g {
		g[b] = (a0[b][0] + a1[b][0]) + (a2[b][0] + a3[b][0])
		h[b] = (a0[b][1] + a1[b][1]) + (a2[b][1] + a3[b][1])
		a0[b], a1[b], a2[b], a3[b] = [2]float64{}, [2]float64{}, [2]float64{}, [2]float64{}
	}
}

// stepRows moves the odds te of each row by the factor f of its bin of
// the pending feature (pc) and sums the gradient and hessian of the
// log-loss, w-weighted (nil: unweighted), into g and h by the row's bin of
// the feature being boosted (col, nb bins): with the event probability
// p = e/(1+e), the gradient is p - y and the hessian p(1-p) = p/(1+e).
// f holds at least as many entries as pc has bins (and at least 256); acc
// is zero scratch of histCopies copies of at least max(nb, 256) bins each,
// left zero.
func stepRows(te, y, w []float64, pc, col binCol, f []float64, acc [][2]float64, nb int, g, h []float64) {
	a := histSplit(acc)
	if pc.u8 != nil && col.u8 != nil {
		// The byte path: 256-entry arrays need no bounds checks.
		fa := (*[256]float64)(f[:256])
		a8 := [histCopies]*[256][2]float64{(*[256][2]float64)(a[0][:256]), (*[256][2]float64)(a[1][:256]),
			(*[256][2]float64)(a[2][:256]), (*[256][2]float64)(a[3][:256])}
		if w == nil {
			stepRows8(te, y, pc.u8, col.u8, fa, &a8)
		} else {
			stepRows8w(te, y, w, pc.u8, col.u8, fa, &a8)
		}
	} else {
		switch {
		case col.u8 != nil:
			stepRowsAny(te, y, w, pc.u16, col.u8, f, &a)
		case pc.u8 != nil:
			stepRowsAny(te, y, w, pc.u8, col.u16, f, &[histCopies][][2]float64{a[0], a[0], a[0], a[0]})
		default:
			stepRowsAny(te, y, w, pc.u16, col.u16, f, &[histCopies][][2]float64{a[0], a[0], a[0], a[0]})
		}
	}
	histSum(acc, nb, g, h)
}

// rowGrad adds one row's w-weighted gradient and hessian at odds e to its
// bin b of a copy.
func rowGrad(a *[256][2]float64, b uint8, e, y, w float64) {
	rowGradAt(&a[b], e, y, w)
}

// stepRows8 is stepRows on byte columns without weights, four rows at a
// time (row i into copy i % histCopies).
func stepRows8(te, y []float64, pc, col []uint8, f *[256]float64, a *[histCopies]*[256][2]float64) {
	n := len(te)
	y, pc, col = y[:n], pc[:n], col[:n]
	a0, a1, a2, a3 := a[0], a[1], a[2], a[3]
	i := 0
	for ; i+4 <= n; i += 4 {
		t, p, c, yy := te[i:i+4:i+4], pc[i:i+4:i+4], col[i:i+4:i+4], y[i:i+4:i+4]
		e0, e1, e2, e3 := t[0]*f[p[0]], t[1]*f[p[1]], t[2]*f[p[2]], t[3]*f[p[3]]
		t[0], t[1], t[2], t[3] = e0, e1, e2, e3
		rowGrad(a0, c[0], e0, yy[0], 1)
		rowGrad(a1, c[1], e1, yy[1], 1)
		rowGrad(a2, c[2], e2, yy[2], 1)
		rowGrad(a3, c[3], e3, yy[3], 1)
	}
	for ; i < n; i++ {
		e := te[i] * f[pc[i]]
		te[i] = e
		rowGrad(a[i%histCopies], col[i], e, y[i], 1)
	}
}

// stepRows8w is stepRows8 with weights.
func stepRows8w(te, y, w []float64, pc, col []uint8, f *[256]float64, a *[histCopies]*[256][2]float64) {
	n := len(te)
	y, w, pc, col = y[:n], w[:n], pc[:n], col[:n]
	a0, a1, a2, a3 := a[0], a[1], a[2], a[3]
	i := 0
	for ; i+4 <= n; i += 4 {
		t, p, c, yy, ww := te[i:i+4:i+4], pc[i:i+4:i+4], col[i:i+4:i+4], y[i:i+4:i+4], w[i:i+4:i+4]
		e0, e1, e2, e3 := t[0]*f[p[0]], t[1]*f[p[1]], t[2]*f[p[2]], t[3]*f[p[3]]
		t[0], t[1], t[2], t[3] = e0, e1, e2, e3
		rowGrad(a0, c[0], e0, yy[0], ww[0])
		rowGrad(a1, c[1], e1, yy[1], ww[1])
		rowGrad(a2, c[2], e2, yy[2], ww[2])
		rowGrad(a3, c[3], e3, yy[3], ww[3])
	}
	for ; i < n; i++ {
		e := te[i] * f[pc[i]]
		te[i] = e
		rowGrad(a[i%histCopies], col[i], e, y[i], w[i])
	}
}

// stepRowsAny is stepRows on any pair of column widths (w nil:
// unweighted, four rows at a time as stepRows8).
func stepRowsAny[P, C uint8 | uint16](te, y, w []float64, pc []P, col []C, f []float64, a *[histCopies][][2]float64) {
	n := len(te)
	y, pc, col = y[:n], pc[:n], col[:n]
	i := 0
	if w == nil {
		a0, a1, a2, a3 := a[0], a[1], a[2], a[3]
		for ; i+4 <= n; i += 4 {
			t, p, c, yy := te[i:i+4:i+4], pc[i:i+4:i+4], col[i:i+4:i+4], y[i:i+4:i+4]
			e0, e1, e2, e3 := t[0]*f[p[0]], t[1]*f[p[1]], t[2]*f[p[2]], t[3]*f[p[3]]
			t[0], t[1], t[2], t[3] = e0, e1, e2, e3
			rowGradAt(&a0[c[0]], e0, yy[0], 1)
			rowGradAt(&a1[c[1]], e1, yy[1], 1)
			rowGradAt(&a2[c[2]], e2, yy[2], 1)
			rowGradAt(&a3[c[3]], e3, yy[3], 1)
		}
	}
	for ; i < n; i++ {
		e := te[i] * f[pc[i]]
		te[i] = e
		wi := 1.0
		if w != nil {
			wi = w[i]
		}
		rowGradAt(&a[i%histCopies][col[i]], e, y[i], wi)
	}
}

// rowGradAt is rowGrad into the sums s of one bin.
func rowGradAt(s *[2]float64, e, y, w float64) {
	r := 1 / (1 + e)
	p := e * r
	s[0] += w * (p - y)
	s[1] += w * p * r
}

// scaleRows multiplies each row's odds u by the factor f of its bin, the
// rows being those of col from position from on.
func scaleRows(u []float64, col binCol, from int, f []float64) {
	if col.u8 != nil {
		fa := (*[256]float64)(f[:256])
		c := col.u8[from : from+len(u)]
		for i := range u {
			u[i] *= fa[c[i]]
		}
		return
	}
	c := col.u16[from : from+len(u)]
	for i := range u {
		u[i] *= f[c[i]]
	}
}

// sumLog1p returns the sum of log(1 + x) over xs (every x at least 0) as
// the log of the product of the 1 + x, one multiply a row instead of a
// logarithm: the product is renormalised by its power of two (math.Frexp)
// whenever it reaches 2^500, and an x that large adds its own log1p, so
// nothing overflows. The product's rounding error is at most one unit in
// the last place a row (relative), so the sum's absolute error is about
// len(xs) * 1.1e-16 nats.
func sumLog1p(xs []float64) float64 {
	var sum float64
	prod, exp := 1.0, 0
	for _, x := range xs {
		if x >= 0x1p500 {
			sum += math.Log1p(x)
			continue
		}
		prod *= 1 + x
		if prod >= 0x1p500 {
			fr, e := math.Frexp(prod)
			prod, exp = fr, exp+e
		}
	}
	return sum + math.Log(prod) + float64(exp)*math.Ln2
}

// gradRows moves the odds te of each row by the factor f of its bin of
// the pending feature (pc; none when !pending) and writes each row's
// gradient and hessian of the log-loss, w-weighted (nil: unweighted), into
// gr and hr.
func gradRows(te, y, w []float64, pc binCol, f []float64, pending bool, gr, hr []float64) {
	y, gr, hr = y[:len(te)], gr[:len(te)], hr[:len(te)]
	for i, e := range te {
		if pending {
			if pc.u8 != nil {
				e *= f[pc.u8[i]]
			} else {
				e *= f[pc.u16[i]]
			}
			te[i] = e
		}
		r := 1 / (1 + e)
		p := e * r
		wi := 1.0
		if w != nil {
			wi = w[i]
		}
		gr[i] = wi * (p - y[i])
		hr[i] = wi * p * r
	}
}

// scatterRows sums the rows' gradients gr and hessians hr into g and h by
// the rows' bins col (nb bins), through the copies of the zero scratch acc
// as stepRows does (left zero).
func scatterRows(col binCol, gr, hr []float64, acc [][2]float64, nb int, g, h []float64) {
	a := histSplit(acc)
	hr = hr[:len(gr)]
	if col.u8 != nil {
		c := col.u8[:len(gr)]
		a0, a1, a2, a3 := (*[256][2]float64)(a[0][:256]), (*[256][2]float64)(a[1][:256]),
			(*[256][2]float64)(a[2][:256]), (*[256][2]float64)(a[3][:256])
		i := 0
		for ; i+4 <= len(gr); i += 4 {
			cc, gg, hh := c[i:i+4:i+4], gr[i:i+4:i+4], hr[i:i+4:i+4]
			a0[cc[0]][0], a0[cc[0]][1] = a0[cc[0]][0]+gg[0], a0[cc[0]][1]+hh[0]
			a1[cc[1]][0], a1[cc[1]][1] = a1[cc[1]][0]+gg[1], a1[cc[1]][1]+hh[1]
			a2[cc[2]][0], a2[cc[2]][1] = a2[cc[2]][0]+gg[2], a2[cc[2]][1]+hh[2]
			a3[cc[3]][0], a3[cc[3]][1] = a3[cc[3]][0]+gg[3], a3[cc[3]][1]+hh[3]
		}
		for ; i < len(gr); i++ {
			s := &a[i%histCopies][c[i]]
			s[0] += gr[i]
			s[1] += hr[i]
		}
	} else {
		c, a0 := col.u16[:len(gr)], a[0]
		for i, x := range gr {
			s := &a0[c[i]]
			s[0] += x
			s[1] += hr[i]
		}
	}
	histSum(acc, nb, g, h)
}
