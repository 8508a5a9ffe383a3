package glm

import (
	"context"
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

// crossProd holds a column-major design cut into blocks of chunkRows rows,
// with index lists for its sparse (one-hot) column blocks: the layout the
// Sums of a block are computed over (sumBlock).
type crossProd struct {
	n, q int
	cols [][]float64
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
	c := &crossProd{n: n, q: q, cols: cols}
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

// blocks is the number of row blocks.
func (c *crossProd) blocks() int { return len(c.nz) }

// scratch is one worker's buffers for sumBlock.
type scratch struct {
	buf       []float64 // q*chunkRows
	eta, v, r []float64 // chunkRows
}

func (c *crossProd) newScratch() *scratch {
	m := min(chunkRows, c.n)
	return &scratch{buf: make([]float64, c.q*m), eta: make([]float64, m), v: make([]float64, m), r: make([]float64, m)}
}

// sumBlock sets out (emptied first; taken at beta) to the Sums of block b:
// eta = X beta + offset over the block's rows, each row's terms
// (rowTerms), then the Hessian and gradient (crossBlock). y, w and offset
// (nil: 0) are indexed like the columns.
func (c *crossProd) sumBlock(b int, beta, y, w, offset []float64, sc *scratch, out *Sums) {
	out.reset()
	lo := b * chunkRows
	hi := min(lo+chunkRows, c.n)
	m := hi - lo
	e := sc.eta[:m]
	c.blockEta(b, beta, e)
	if offset != nil {
		floats.Add(e, offset[lo:hi])
	}
	v, r := sc.v[:m], sc.r[:m]
	for i, ei := range e {
		wi := w[lo+i]
		if wi == 0 {
			v[i], r[i] = 0, 0
			continue
		}
		vi, ri, ll, ext := rowTerms(ei, y[lo+i], wi)
		v[i], r[i] = vi, ri
		out.count(y[lo+i], wi, ll, ext)
	}
	if out.hessian {
		c.crossBlock(b, v, r, sc.buf, out.h, out.g)
	}
}

// blockEta sets e (one entry per row of block b) to the block's X beta.
func (c *crossProd) blockEta(b int, beta, e []float64) {
	lo := b * chunkRows
	hi := min(lo+chunkRows, c.n)
	clear(e)
	nz := c.nz[b]
	for j, bj := range beta {
		if bj == 0 {
			continue
		}
		x := c.cols[j][lo:hi]
		if idx := nz[j]; idx != nil {
			for _, i := range idx {
				e[i] += bj * x[i]
			}
		} else {
			floats.AddScaled(e, bj, x)
		}
	}
}

// weightsOrOnes returns w, or n ones when w is nil.
func weightsOrOnes(w []float64, n int) []float64 {
	if w != nil {
		return w
	}
	w = make([]float64, n)
	for i := range w {
		w[i] = 1
	}
	return w
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

// crossBlock sets h (q*q, upper triangle, row-major; zero on entry) to
// block b's sum_i v_i x_i x_i' and g to its sum_i r_i x_i, where v and r
// hold the block's rows.
func (c *crossProd) crossBlock(b int, vb, rb, buf, h, g []float64) {
	q := c.q
	lo := b * chunkRows
	hi := min(lo+chunkRows, c.n)
	m := hi - lo
	nz := c.nz[b]
	for j := 0; j < q; j++ {
		if nz[j] == nil {
			floats.MulTo(buf[j*m:(j+1)*m], vb, c.cols[j][lo:hi])
		}
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
				h[j*q+k] = s
			} else {
				h[k*q+j] = s
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
			row := h[int(ja)*q : (int(ja)+1)*q]
			for bb := a; bb < len(cols); bb++ {
				row[cols[bb]] += t * vals[bb]
			}
		}
	}
	for j := 0; j < q; j++ {
		if idx := nz[j]; idx != nil {
			g[j] = gather(idx, rb, c.cols[j][lo:hi])
		} else {
			g[j] = floats.Dot(rb, c.cols[j][lo:hi])
		}
	}
}

// memPass computes the Sums of an in-memory design: every block's sums
// on all CPUs, merged in block order, so the result does not depend on the
// number of CPUs.
type memPass struct {
	cp      *crossProd
	y, w    []float64
	parts   []*Sums
	scratch []*scratch
}

func newMemPass(cp *crossProd, y, w []float64) *memPass {
	nb := cp.blocks()
	m := &memPass{cp: cp, y: y, w: w, parts: make([]*Sums, nb)}
	zero := make([]float64, cp.q)
	for b := range m.parts {
		m.parts[b] = NewSums(zero, true)
	}
	workers := max(1, min(runtime.GOMAXPROCS(0), nb))
	m.scratch = make([]*scratch, workers)
	for i := range m.scratch {
		m.scratch[i] = cp.newScratch()
	}
	return m
}

// pass is a Pass over the in-memory rows.
func (m *memPass) pass(ctx context.Context, beta []float64, hessian bool) (*Sums, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for _, part := range m.parts {
		copy(part.beta, beta)
		part.hessian = hessian
	}
	nb := len(m.parts)
	var next atomic.Int64
	work := func(sc *scratch) {
		for {
			b := int(next.Add(1) - 1)
			if b >= nb {
				return
			}
			m.cp.sumBlock(b, beta, m.y, m.w, nil, sc, m.parts[b])
		}
	}
	if len(m.scratch) == 1 {
		work(m.scratch[0])
	} else {
		var wg sync.WaitGroup
		for _, sc := range m.scratch {
			wg.Add(1)
			go func() {
				defer wg.Done()
				work(sc)
			}()
		}
		wg.Wait()
	}
	total := NewSums(beta, hessian)
	for _, part := range m.parts {
		if err := total.Merge(part); err != nil {
			return nil, err
		}
	}
	return total, nil
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

// irls is an in-memory fit's rows over the kept columns, for the
// separation tests; eta, v and r are set at beta by at.
type irls struct {
	n, q int
	cols [][]float64
	y, w []float64
	pen  []float64 // L2 for penalised kept columns, else 0
	cp   *crossProd
	eta  []float64
	v, r []float64
	h    []float64 // X'VX + diag(pen) at beta (upper triangle)
	beta []float64
}

// at sets f's iterate to beta, with cur the Sums there: eta = X beta, the
// working weights and residuals, and the penalised Hessian.
func (f *irls) at(beta []float64, cur *Sums) {
	if f.eta == nil {
		f.eta = make([]float64, f.n)
		f.v = make([]float64, f.n)
		f.r = make([]float64, f.n)
	}
	f.beta = slices.Clone(beta)
	f.h, _ = system(cur, beta, f.pen)
	f.setEta(f.eta, beta)
	for i, e := range f.eta {
		if f.w[i] == 0 {
			f.v[i], f.r[i] = 0, 0
			continue
		}
		f.v[i], f.r[i], _, _ = rowTerms(e, f.y[i], f.w[i])
	}
}

// setEta sets dst = X beta.
func (f *irls) setEta(dst, beta []float64) {
	for blk := 0; blk < f.cp.blocks(); blk++ {
		lo := blk * chunkRows
		f.cp.blockEta(blk, beta, dst[lo:min(lo+chunkRows, f.n)])
	}
}

// softplus returns log(1 + exp(x)) without overflow.
func softplus(x float64) float64 {
	if x > 0 {
		return x + math.Log1p(math.Exp(-x))
	}
	return math.Log1p(math.Exp(x))
}

func fit(ctx context.Context, p *Problem, st settings) (Result, error) {
	n, pAll := len(p.Y), len(p.X)
	w := weightsOrOnes(p.Weights, n)
	// The Sums at beta = 0 over all columns: 4 times their Hessian
	// (exactly: p(1-p) = 1/4) is X'diag(w)X, for the aliasing test.
	cpAll := newCrossProd(p.X, n)
	mpAll := newMemPass(cpAll, p.Y, w)
	first, err := mpAll.pass(ctx, make([]float64, pAll), true)
	if err != nil {
		return Result{}, err
	}
	var f *irls
	e := &newton{st: st, pAll: pAll, l2: p.L2, penalize: p.Penalize, name: p.name}
	e.passFor = func(keep []int) Pass {
		if len(keep) == pAll {
			f = &irls{n: n, q: pAll, cols: p.X, y: p.Y, w: w, cp: cpAll}
			f.pen = e.pen
			return mpAll.pass
		}
		cols := make([][]float64, len(keep))
		for k, j := range keep {
			cols[k] = p.X[j]
		}
		cp := newCrossProd(cols, n)
		f = &irls{n: n, q: len(keep), cols: cols, y: p.Y, w: w, cp: cp, pen: e.pen}
		return newMemPass(cp, p.Y, w).pass
	}
	e.separation = func(ctx context.Context, keep []int, beta []float64, cur *Sums) (*Separation, error) {
		f.at(beta, cur)
		return f.separation(ctx, keep)
	}
	return e.run(ctx, first)
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
			return f.signsOK(r) && f.visible(r, scale)
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

// visibleShare is how far above the certificate's tolerance (1e-10 of the
// column's sum of |r_i x_ij|) each row's own term must be in some column.
const visibleShare = 1e-9

// visible reports whether every 0/1 row of positive weight has a term
// |r_i x_ij| of at least visibleShare of scale_j (the column's sum of
// |r_i x_ij|) in some column j. The certificate's X'r' = 0 holds only to
// 1e-10 of those sums, so a row whose residual is below that (a fitted
// probability of 1e-15 on rows the coefficients are running away on) adds
// nothing the test can see, and the rows it proves unseparated could be the
// others only: on a department whose only other role is nested in it, the
// 6 managers of that department, none of them an event, were separated at
// coefficients near 35 while the certificate passed, and the fit returned
// unconverged coefficients without an error (TestSeparationNamesANestedCell
// in score/fit). Without the certificate the linear program decides.
func (f *irls) visible(r, scale []float64) bool {
	for i, ri := range r {
		if !(f.w[i] > 0) || (f.y[i] != 0 && f.y[i] != 1) {
			continue
		}
		seen := false
		for j, col := range f.cols {
			if math.Abs(ri*col[i]) >= visibleShare*scale[j] {
				seen = true
				break
			}
		}
		if !seen {
			return false
		}
	}
	return true
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
