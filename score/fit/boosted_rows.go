package fit

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

// stepRows moves the odds te of each row by the factor f of its bin of
// the pending feature (pc) and sums the gradient and hessian of the
// log-loss, w-weighted (nil: unweighted), into g and h by the row's bin of
// the feature being boosted (col): with the event probability
// p = e/(1+e), the gradient is p - y and the hessian p(1-p) = p/(1+e).
// f, g and h hold at least as many entries as the columns have bins.
func stepRows(te, y, w []float64, pc, col binCol, f, g, h []float64) {
	if pc.u8 != nil && col.u8 != nil {
		// The byte path: 256-entry arrays need no bounds checks.
		fa, ga, ha := (*[256]float64)(f[:256]), (*[256]float64)(g[:256]), (*[256]float64)(h[:256])
		if w == nil {
			stepRows8(te, y, pc.u8, col.u8, fa, ga, ha)
		} else {
			stepRows8w(te, y, w, pc.u8, col.u8, fa, ga, ha)
		}
		return
	}
	if w == nil {
		switch {
		case pc.u8 != nil:
			stepRowsNoWeights(te, y, pc.u8, col.u16, f, g, h)
		case col.u8 != nil:
			stepRowsNoWeights(te, y, pc.u16, col.u8, f, g, h)
		default:
			stepRowsNoWeights(te, y, pc.u16, col.u16, f, g, h)
		}
		return
	}
	switch {
	case pc.u8 != nil:
		stepRowsAny(te, y, w, pc.u8, col.u16, f, g, h)
	case col.u8 != nil:
		stepRowsAny(te, y, w, pc.u16, col.u8, f, g, h)
	default:
		stepRowsAny(te, y, w, pc.u16, col.u16, f, g, h)
	}
}

func stepRowsNoWeights[P, C uint8 | uint16](te, y []float64, pc []P, col []C, f, g, h []float64) {
	y, pc, col = y[:len(te)], pc[:len(te)], col[:len(te)]
	for i, e := range te {
		e *= f[pc[i]]
		te[i] = e
		r := 1 / (1 + e)
		p := e * r
		b := col[i]
		g[b] += p - y[i]
		h[b] += p * r
	}
}

func stepRows8(te, y []float64, pc, col []uint8, f, g, h *[256]float64) {
	y, pc, col = y[:len(te)], pc[:len(te)], col[:len(te)]
	for i, e := range te {
		e *= f[pc[i]]
		te[i] = e
		r := 1 / (1 + e)
		p := e * r
		b := col[i]
		g[b] += p - y[i]
		h[b] += p * r
	}
}

func stepRows8w(te, y, w []float64, pc, col []uint8, f, g, h *[256]float64) {
	y, w, pc, col = y[:len(te)], w[:len(te)], pc[:len(te)], col[:len(te)]
	for i, e := range te {
		e *= f[pc[i]]
		te[i] = e
		r := 1 / (1 + e)
		p := e * r
		b := col[i]
		g[b] += w[i] * (p - y[i])
		h[b] += w[i] * p * r
	}
}

func stepRowsAny[P, C uint8 | uint16](te, y, w []float64, pc []P, col []C, f, g, h []float64) {
	y, pc, col = y[:len(te)], pc[:len(te)], col[:len(te)]
	for i, e := range te {
		e *= f[pc[i]]
		te[i] = e
		r := 1 / (1 + e)
		p := e * r
		wi := 1.0
		if w != nil {
			wi = w[i]
		}
		b := col[i]
		g[b] += wi * (p - y[i])
		h[b] += wi * p * r
	}
}

// addShape adds d[bin] to each row's log-odds s.
func addShape(s []float64, col binCol, d []float64) {
	if col.u8 != nil {
		da := (*[256]float64)(d[:256])
		c := col.u8[:len(s)]
		for i := range s {
			s[i] += da[c[i]]
		}
		return
	}
	c := col.u16[:len(s)]
	for i := range s {
		s[i] += d[c[i]]
	}
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
// the rows' bins col.
func scatterRows(col binCol, gr, hr, g, h []float64) {
	if col.u8 != nil {
		ga, ha := (*[256]float64)(g[:256]), (*[256]float64)(h[:256])
		c := col.u8[:len(gr)]
		hr = hr[:len(gr)]
		for i, x := range gr {
			b := c[i]
			ga[b] += x
			ha[b] += hr[i]
		}
		return
	}
	c := col.u16[:len(gr)]
	hr = hr[:len(gr)]
	for i, x := range gr {
		b := c[i]
		g[b] += x
		h[b] += hr[i]
	}
}
