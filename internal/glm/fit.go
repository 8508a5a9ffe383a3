package glm

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
)

// chunkRows is the number of rows per block in the cross-product loops: a
// block of 64 columns fits in L2 cache. Blocks, not goroutines, are the unit
// of summation, so results do not depend on the number of CPUs.
const chunkRows = 1024

// extremeProb is the distance from 0 or 1 below which a fitted probability
// makes FitLogistic look for separation.
const extremeProb = 1e-8

// sepCheckIter is the iteration from which extreme probabilities trigger an
// early separation check.
const sepCheckIter = 12

// crossProd accumulates weighted cross products over row blocks in parallel.
type crossProd struct {
	n, q  int
	cols  [][]float64
	parts [][]float64 // per block: q*q upper triangle (row-major) then q gradient
	bufs  [][]float64 // per worker: q*chunkRows scratch
	// nz[b][j] lists the rows (offsets in block b) where column j is
	// non-zero, when at most a quarter of them are; nil for denser columns.
	// One-hot columns make most designs sparse.
	nz [][][]int32
	// csr[b] lists, row by row, the non-zeros of the sparse columns of
	// block b (in column order): sparse x sparse products are accumulated
	// row-wise, which touches only pairs that are both non-zero.
	csr []sparseRows
}

type sparseRows struct {
	start []int32   // row i's entries are col[start[i]:start[i+1]]
	col   []int32   // column index
	val   []float64 // x_ij
}

// maxSparseDensity is the largest fraction of non-zeros for which a column
// block is handled by index lists instead of dense dot products.
const maxSparseDensity = 0.25

func newCrossProd(cols [][]float64, n int) *crossProd {
	q := len(cols)
	nb := (n + chunkRows - 1) / chunkRows
	c := &crossProd{n: n, q: q, cols: cols, parts: make([][]float64, nb)}
	flat := make([]float64, nb*(q*q+q))
	for b := range c.parts {
		c.parts[b] = flat[b*(q*q+q) : (b+1)*(q*q+q)]
	}
	workers := runtime.GOMAXPROCS(0)
	if workers > nb {
		workers = nb
	}
	if workers < 1 {
		workers = 1
	}
	c.bufs = make([][]float64, workers)
	for i := range c.bufs {
		c.bufs[i] = make([]float64, q*min(chunkRows, n))
	}
	c.nz = make([][][]int32, nb)
	var pool []int32
	for b := range c.nz {
		lo := b * chunkRows
		hi := min(lo+chunkRows, n)
		limit := int(maxSparseDensity * float64(hi-lo))
		c.nz[b] = make([][]int32, q)
		for j, col := range cols {
			cnt := 0
			for _, v := range col[lo:hi] {
				if v != 0 {
					cnt++
				}
			}
			if cnt > limit {
				continue
			}
			if len(pool) < cnt {
				pool = make([]int32, max(cnt, 1<<14))
			}
			idx := pool[:0:cnt]
			pool = pool[cnt:]
			for i, v := range col[lo:hi] {
				if v != 0 {
					idx = append(idx, int32(i))
				}
			}
			c.nz[b][j] = idx
		}
	}
	c.csr = make([]sparseRows, nb)
	for b := range c.csr {
		lo := b * chunkRows
		hi := min(lo+chunkRows, n)
		m := hi - lo
		sr := sparseRows{start: make([]int32, m+1)}
		total := 0
		for _, idx := range c.nz[b] {
			for _, i := range idx {
				sr.start[i+1]++
			}
			total += len(idx)
		}
		for i := 0; i < m; i++ {
			sr.start[i+1] += sr.start[i]
		}
		sr.col = make([]int32, total)
		sr.val = make([]float64, total)
		fill := make([]int32, m)
		copy(fill, sr.start[:m])
		for j, idx := range c.nz[b] { // ascending j keeps each row sorted
			for _, i := range idx {
				sr.col[fill[i]] = int32(j)
				sr.val[fill[i]] = cols[j][lo+int(i)]
				fill[i]++
			}
		}
		c.csr[b] = sr
	}
	return c
}

// gather returns sum over idx of z[i]*x[i].
// Four accumulators hide the latency of floating-point addition.
func gather(idx []int32, z, x []float64) float64 {
	var s0, s1, s2, s3 float64
	k := 0
	for ; k+4 <= len(idx); k += 4 {
		i0, i1, i2, i3 := idx[k], idx[k+1], idx[k+2], idx[k+3]
		s0 += z[i0] * x[i0]
		s1 += z[i1] * x[i1]
		s2 += z[i2] * x[i2]
		s3 += z[i3] * x[i3]
	}
	for ; k < len(idx); k++ {
		i := idx[k]
		s0 += z[i] * x[i]
	}
	return (s0 + s1) + (s2 + s3)
}

// compute sets h (q*q, upper triangle filled, row-major) to sum_i v_i x_i x_i'
// and, if r != nil, g to sum_i r_i x_i.
func (c *crossProd) compute(v, r, h, g []float64) {
	q := c.q
	nb := len(c.parts)
	var next atomic.Int64
	work := func(buf []float64) {
		for {
			b := int(next.Add(1) - 1)
			if b >= nb {
				return
			}
			lo := b * chunkRows
			hi := min(lo+chunkRows, c.n)
			m := hi - lo
			part := c.parts[b]
			vb := v[lo:hi]
			nz := c.nz[b]
			for j := 0; j < q; j++ {
				if nz[j] == nil {
					floats.MulTo(buf[j*m:(j+1)*m], vb, c.cols[j][lo:hi])
				}
			}
			for i := range part[:q*q] {
				part[i] = 0
			}
			for j := 0; j < q; j++ {
				if nz[j] != nil {
					continue // sparse x anything is handled below
				}
				z := buf[j*m : (j+1)*m]
				for k := 0; k < q; k++ {
					var s float64
					if nz[k] != nil {
						s = gather(nz[k], z, c.cols[k][lo:hi])
					} else if k >= j {
						s = floats.Dot(z, c.cols[k][lo:hi])
					} else {
						continue
					}
					if k >= j {
						part[j*q+k] = s
					} else {
						part[k*q+j] = s
					}
				}
			}
			sr := c.csr[b]
			for i := 0; i < m; i++ {
				e0, e1 := sr.start[i], sr.start[i+1]
				if e0 == e1 || vb[i] == 0 {
					continue
				}
				cols, vals := sr.col[e0:e1], sr.val[e0:e1]
				for a, ja := range cols {
					t := vb[i] * vals[a]
					row := part[int(ja)*q : (int(ja)+1)*q]
					for bb := a; bb < len(cols); bb++ {
						row[cols[bb]] += t * vals[bb]
					}
				}
			}
			if r != nil {
				gp := part[q*q:]
				rb := r[lo:hi]
				for j := 0; j < q; j++ {
					if idx := nz[j]; idx != nil {
						gp[j] = gather(idx, rb, c.cols[j][lo:hi])
					} else {
						gp[j] = floats.Dot(rb, c.cols[j][lo:hi])
					}
				}
			}
		}
	}
	if len(c.bufs) == 1 {
		work(c.bufs[0])
	} else {
		var wg sync.WaitGroup
		for _, buf := range c.bufs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				work(buf)
			}()
		}
		wg.Wait()
	}
	for i := range h {
		h[i] = 0
	}
	for b := 0; b < nb; b++ {
		part := c.parts[b]
		for j := 0; j < q; j++ {
			floats.Add(h[j*q+j:(j+1)*q], part[j*q+j:(j+1)*q])
		}
	}
	if r != nil {
		for j := range g {
			g[j] = 0
		}
		for b := 0; b < nb; b++ {
			floats.Add(g, c.parts[b][q*q:])
		}
	}
}

// findAliased marks columns that are linear combinations of earlier kept
// columns, by a pivot-free Cholesky factorisation of the column-scaled
// weighted cross product g = X'diag(w)X (p*p, upper triangle, row-major).
func findAliased(g []float64, p int, tol float64) []bool {
	d := make([]float64, p)
	for j := range d {
		d[j] = math.Sqrt(g[j*p+j])
	}
	aliased := make([]bool, p)
	l := make([]float64, p*p) // lower triangle, row j = column j's factor
	var kept []int
	for j := 0; j < p; j++ {
		if !(d[j] > 0) {
			aliased[j] = true
			continue
		}
		sum := 0.0
		lj := l[j*p : (j+1)*p]
		for _, k := range kept {
			lk := l[k*p : (k+1)*p]
			cjk := g[k*p+j] / (d[j] * d[k]) // upper triangle: k < j
			s := cjk
			for _, m := range kept {
				if m >= k {
					break
				}
				s -= lj[m] * lk[m]
			}
			lj[k] = s / lk[k]
			sum += lj[k] * lj[k]
		}
		r2 := 1 - sum
		if r2 < tol*tol {
			aliased[j] = true
			for _, k := range kept {
				lj[k] = 0
			}
			continue
		}
		lj[j] = math.Sqrt(r2)
		kept = append(kept, j)
	}
	return aliased
}

// irls holds the state of one fit over the kept columns.
type irls struct {
	n, q   int
	cols   [][]float64
	y, w   []float64
	pen    []float64 // L2 for penalised kept columns, else 0
	sat    float64   // sum w [y log y + (1-y) log(1-y)]
	cp     *crossProd
	eta    []float64
	v, r   []float64
	h, g   []float64
	beta   []float64
	extrem bool
}

// setEta sets dst = X beta.
func (f *irls) setEta(dst, beta []float64) {
	for blk, lo := 0, 0; lo < f.n; blk, lo = blk+1, lo+chunkRows {
		hi := min(lo+chunkRows, f.n)
		e := dst[lo:hi]
		for i := range e {
			e[i] = 0
		}
		nz := f.cp.nz[blk]
		for j, b := range beta {
			if b == 0 {
				continue
			}
			x := f.cols[j][lo:hi]
			if idx := nz[j]; idx != nil {
				for _, i := range idx {
					e[i] += b * x[i]
				}
			} else {
				floats.AddScaled(e, b, x)
			}
		}
	}
}

// softplus returns log(1 + exp(x)) without overflow.
func softplus(x float64) float64 {
	if x > 0 {
		return x + math.Log1p(math.Exp(-x))
	}
	return math.Log1p(math.Exp(x))
}

// loglik returns the weighted log-likelihood at eta.
func (f *irls) loglik(eta []float64) float64 {
	ll := 0.0
	for i, e := range eta {
		w := f.w[i]
		if w == 0 {
			continue
		}
		ll += w * (f.y[i]*e - softplus(e))
	}
	return ll
}

// objective is the penalised deviance 2(sat - ll) + sum pen_j beta_j^2.
func (f *irls) objective(ll float64, beta []float64) float64 {
	pen := 0.0
	for j, b := range beta {
		pen += f.pen[j] * b * b
	}
	return 2*(f.sat-ll) + pen
}

// working sets v (working weights) and r (weighted residuals) from f.eta and
// notes whether any fitted probability is extreme.
func (f *irls) working() {
	f.extrem = false
	for i, e := range f.eta {
		w := f.w[i]
		if w == 0 {
			f.v[i], f.r[i] = 0, 0
			continue
		}
		var p, q float64 // p = P(y=1), q = 1-p, both accurate
		if e >= 0 {
			x := math.Exp(-e)
			p = 1 / (1 + x)
			q = x / (1 + x)
		} else {
			x := math.Exp(e)
			p = x / (1 + x)
			q = 1 / (1 + x)
		}
		if p < extremeProb || q < extremeProb {
			f.extrem = true
		}
		y := f.y[i]
		f.v[i] = w * p * q
		f.r[i] = w * (y*q - (1-y)*p)
	}
}

// hessian computes f.h = X'VX + diag(pen) and f.g = X'r - pen*beta at f.eta.
func (f *irls) hessian() {
	f.working()
	f.cp.compute(f.v, f.r, f.h, f.g)
	for j := 0; j < f.q; j++ {
		f.h[j*f.q+j] += f.pen[j]
		f.g[j] -= f.pen[j] * f.beta[j]
	}
}

func (f *irls) factor() (*mat.Cholesky, bool) {
	h := make([]float64, len(f.h))
	copy(h, f.h)
	var ch mat.Cholesky
	ok := ch.Factorize(mat.NewSymDense(f.q, h))
	return &ch, ok
}

func fit(ctx context.Context, p *Problem, st settings) (Result, error) {
	n, pAll := len(p.Y), len(p.X)
	w := p.Weights
	if w == nil {
		w = make([]float64, n)
		for i := range w {
			w[i] = 1
		}
	}
	// X'diag(w)X over all columns serves the aliasing test and, divided by
	// 4 (exactly), the first Hessian at beta = 0 where p_i(1-p_i) = 1/4.
	cpAll := newCrossProd(p.X, n)
	gram := make([]float64, pAll*pAll)
	cpAll.compute(w, nil, gram, nil)
	res := Result{
		Coef:    make([]float64, pAll),
		Aliased: findAliased(gram, pAll, st.aliasTol),
		StdErr:  make([]float64, pAll),
	}
	var keep []int
	for j, a := range res.Aliased {
		if !a {
			keep = append(keep, j)
		}
	}
	for j := range res.StdErr {
		res.StdErr[j] = math.NaN()
	}
	q := len(keep)
	f := &irls{n: n, q: q, y: p.Y, w: w, pen: make([]float64, q), cols: make([][]float64, q)}
	for k, j := range keep {
		f.cols[k] = p.X[j]
		penalised := j != 0
		if p.Penalize != nil {
			penalised = p.Penalize[j]
		}
		if penalised {
			f.pen[k] = p.L2
		}
	}
	for i, y := range p.Y {
		if w[i] > 0 && y > 0 && y < 1 {
			f.sat += w[i] * (y*math.Log(y) + (1-y)*math.Log1p(-y))
		}
	}
	f.eta = make([]float64, n)
	f.v = make([]float64, n)
	f.r = make([]float64, n)
	f.h = make([]float64, q*q)
	f.g = make([]float64, q)
	f.beta = make([]float64, q)
	if q == pAll {
		f.cp = cpAll
	} else {
		f.cp = newCrossProd(f.cols, n)
	}

	// Hessian and gradient at beta = 0.
	f.working()
	for a, j := range keep {
		for b, k := range keep[a:] {
			f.h[a*q+a+b] = gram[j*pAll+k] / 4
		}
		f.h[a*q+a] += f.pen[a]
		f.g[a] = floats.Dot(f.r, f.cols[a])
	}

	ll := f.loglik(f.eta)
	obj := f.objective(ll, f.beta)
	sqrtTol := math.Sqrt(st.tol)
	delta := make([]float64, q)
	dEta := make([]float64, n)
	etaNew := make([]float64, n)
	betaNew := make([]float64, q)
	var sep *Separation
	sepChecked := false
	var ctxErr error

	// Invariant: f.h, f.g, f.v, f.r and f.extrem are evaluated at f.beta.
	for q > 0 && res.Iterations < st.maxIter {
		if err := ctx.Err(); err != nil {
			ctxErr = err
			break
		}
		if res.Iterations >= sepCheckIter && f.extrem && p.L2 == 0 && !sepChecked {
			sepChecked = true
			s, err := f.separation(ctx, keep)
			if err != nil {
				ctxErr = err
				break
			}
			if s != nil {
				sep = s
				break
			}
		}
		ch, ok := f.factor()
		if !ok {
			if res.Iterations == 0 {
				hs := mat.NewSymDense(f.q, slices.Clone(f.h))
				return res, fmt.Errorf("%w: X'WX is not positive definite at the start: %s", ErrNumerical,
					collinear(hs, func(u int) string { return p.name(keep[u]) }))
			}
			break // saturated weights; treated as not converged
		}
		dv := mat.NewVecDense(q, delta)
		if err := ch.SolveVecTo(dv, mat.NewVecDense(q, f.g)); err != nil && res.Iterations == 0 {
			return res, fmt.Errorf("%w: %v", ErrNumerical, err)
		}
		f.setEta(dEta, delta)
		res.Iterations++
		step := 1.0
		accepted := false
		var llNew, objNew float64
		for halving := 0; halving < 50; halving++ {
			for i := range etaNew {
				etaNew[i] = f.eta[i] + step*dEta[i]
			}
			for j := range betaNew {
				betaNew[j] = f.beta[j] + step*delta[j]
			}
			llNew = f.loglik(etaNew)
			objNew = f.objective(llNew, betaNew)
			if objNew <= obj+1e-13*(math.Abs(obj)+0.1) {
				accepted = true
				break
			}
			step /= 2
		}
		maxStep := 0.0
		for j := range delta {
			maxStep = math.Max(maxStep, math.Abs(delta[j])/(1+math.Abs(f.beta[j])))
		}
		if !accepted {
			// No decrease along the Newton direction: we are at the optimum to
			// rounding, provided the full step was already tiny.
			res.Converged = maxStep <= sqrtTol
			break
		}
		maxStep *= step
		rel := math.Abs(obj-objNew) / (math.Abs(objNew) + 0.1)
		f.eta, etaNew = etaNew, f.eta
		copy(f.beta, betaNew)
		ll, obj = llNew, objNew
		f.hessian()
		if rel <= st.tol && maxStep <= sqrtTol {
			res.Converged = true
			break
		}
	}
	if q == 0 {
		res.Converged = true
	}

	res.LogLik = ll
	res.Deviance = 2 * (f.sat - ll)
	for k, j := range keep {
		res.Coef[j] = f.beta[k]
	}
	if q > 0 {
		if ch, ok := f.factor(); ok {
			var inv mat.SymDense
			if err := ch.InverseTo(&inv); err == nil {
				for k, j := range keep {
					if d := inv.At(k, k); d >= 0 {
						res.StdErr[j] = math.Sqrt(d)
					}
				}
				res.Cov = make([][]float64, pAll)
				for j := range res.Cov {
					res.Cov[j] = make([]float64, pAll)
					for i := range res.Cov[j] {
						res.Cov[j][i] = math.NaN()
					}
				}
				for k, j := range keep {
					for l, i := range keep {
						res.Cov[j][i] = inv.At(k, l)
					}
				}
			}
		}
	}
	if ctxErr != nil {
		return res, ctxErr
	}

	if sep == nil && !sepChecked && q > 0 && (p.L2 > 0 || !res.Converged || f.extrem) {
		s, err := f.separation(ctx, keep)
		if err != nil {
			return res, err
		}
		sep = s
	}
	if sep == nil {
		return res, nil
	}
	res.Separation = sep
	if p.L2 == 0 {
		res.Converged = false
	}
	if res.Converged {
		return res, nil
	}
	e := &SeparationError{Separation: *sep}
	e.Columns = append([]int(nil), sep.Columns...)
	for _, j := range sep.Columns {
		e.Names = append(e.Names, p.name(j))
	}
	return res, e
}

// separation looks for separation at the current iterate: first it tries to
// prove there is none, and only if that fails runs the linear program.
func (f *irls) separation(ctx context.Context, keep []int) (*Separation, error) {
	if f.noSeparation() {
		return nil, nil
	}
	if s := f.completeSeparation(keep); s != nil {
		return s, nil
	}
	return detectSeparation(ctx, f.cols, f.y, f.w, keep)
}

// completeSeparation reports complete separation when the current
// coefficients already classify every row of positive weight strictly
// (y_i = 1 exactly where x_i'beta > 0), which spares the linear program on
// large data. The columns are those with a non-zero coefficient.
func (f *irls) completeSeparation(keep []int) *Separation {
	rows := 0
	for i, e := range f.eta {
		if !(f.w[i] > 0) {
			continue
		}
		switch {
		case f.y[i] == 1 && e > 0, f.y[i] == 0 && e < 0:
			rows++
		default:
			return nil
		}
	}
	s := &Separation{Complete: true, Rows: rows}
	for k, b := range f.beta {
		if b != 0 {
			s.Columns = append(s.Columns, keep[k])
		}
	}
	return s
}

// noSeparation tries to build a certificate that the data are not
// separated (Stiemke's lemma): residuals r'_i with the sign of y_i - 1/2 on
// every 0/1 row of positive weight and X'r' = 0 (relative to sum |r'_i x_ij|,
// to 1e-10). Then for any b with s_i x_i'b >= 0 for all rows,
// sum |r'_i| s_i x_i'b = b'X'r' ~ 0, so no row can be separated.
// It starts from the residuals r = w(y - p) at the current iterate and
// applies Newton corrections r' = r + V X t with X'VX t = -X'r: at an
// unpenalised optimum r already qualifies, at a penalised optimum one step
// usually suffices. It costs O(n q) and is cheaper than the LP by far.
func (f *irls) noSeparation() bool {
	q, n := f.q, f.n
	h := make([]float64, q*q)
	copy(h, f.h)
	for j := 0; j < q; j++ {
		h[j*q+j] -= f.pen[j]
	}
	var ch mat.Cholesky
	if !ch.Factorize(mat.NewSymDense(q, h)) {
		return false
	}
	r := make([]float64, n)
	copy(r, f.r)
	xr := make([]float64, q)
	scale := make([]float64, q)
	t := make([]float64, q)
	dEta := make([]float64, n)
	for round := 0; round < 4; round++ {
		ok := true
		for j, col := range f.cols {
			s, a := 0.0, 0.0
			for i, x := range col {
				s += r[i] * x
				a += math.Abs(r[i] * x)
			}
			xr[j], scale[j] = s, a
			if math.Abs(s) > 1e-10*a {
				ok = false
			}
		}
		if ok {
			return f.signsOK(r)
		}
		for j := range xr {
			xr[j] = -xr[j]
		}
		if err := ch.SolveVecTo(mat.NewVecDense(q, t), mat.NewVecDense(q, xr)); err != nil {
			return false
		}
		f.setEta(dEta, t)
		for i := range r {
			r[i] += f.v[i] * dEta[i]
		}
		if !f.signsOK(r) {
			return false
		}
	}
	return false
}

// signsOK reports whether r_i has the sign of y_i - 1/2 (strictly) on every
// 0/1 row with positive weight.
func (f *irls) signsOK(r []float64) bool {
	for i, ri := range r {
		if !(f.w[i] > 0) {
			continue
		}
		switch f.y[i] {
		case 1:
			if !(ri > 0) {
				return false
			}
		case 0:
			if !(ri < 0) {
				return false
			}
		}
	}
	return true
}
