package glm

import (
	"context"
	"encoding/binary"
	"errors"
	"math"
	"slices"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
)

// Tolerances of the separation linear program, on the scale of columns
// divided by their largest absolute value (so |x_ij| <= 1 and |b_j| <= 1).
const (
	lpTol     = 1e-9 // reduced-cost and pivot tolerance
	sepMargin = 1e-7 // a row is perfectly predicted when s_i x_i'b > sepMargin
	sepRounds = 20   // maximum refinement rounds
)

var errLP = errors.New("glm: separation linear program failed")

// sepRows is the separation problem over distinct rows: z holds the rows
// (scaled columns) row-major, s the sign (+1 for y=1, -1 for y=0, 0 for a
// fractional y) and count how many original rows each distinct row stands for.
type sepRows struct {
	q     int
	z     []float64
	s     []int8
	count []int
}

func (r *sepRows) row(i int) []float64 { return r.z[i*r.q : (i+1)*r.q] }

// detectSeparation looks for a direction b != 0 with s_i x_i'b >= 0 for all
// rows (Konis 2007): it maximises sum_i s_i x_i'b subject to those
// constraints and |b_j| <= 1, then repeats with the objective restricted to
// rows not yet strictly separated until no more rows join. keep maps the
// columns in cols to Problem columns. It returns nil when there is no
// separation (or the program could not be solved).
func detectSeparation(ctx context.Context, cols [][]float64, y, w []float64, keep []int) (*Separation, error) {
	q := len(cols)
	if q == 0 {
		return nil, nil
	}
	n := len(y)
	scale := make([]float64, q)
	for j, c := range cols {
		for i, v := range c {
			if w[i] > 0 {
				scale[j] = math.Max(scale[j], math.Abs(v))
			}
		}
		if scale[j] == 0 {
			scale[j] = 1
		}
	}
	rows := &sepRows{q: q}
	index := make(map[string]int)
	key := make([]byte, 8*q+1)
	rowBuf := make([]float64, q)
	active := 0 // rows with positive weight
	for i := 0; i < n; i++ {
		if !(w[i] > 0) {
			continue
		}
		active++
		zero := true
		for j, c := range cols {
			rowBuf[j] = c[i] / scale[j]
			if rowBuf[j] != 0 {
				zero = false
			}
			binary.LittleEndian.PutUint64(key[8*j:], math.Float64bits(rowBuf[j]))
		}
		if zero {
			continue // x_i'b = 0 for every b: never separated, never constrains
		}
		var s int8
		switch y[i] {
		case 1:
			s = 1
		case 0:
			s = -1
		}
		key[8*q] = byte(s)
		if k, ok := index[string(key)]; ok {
			rows.count[k]++
			continue
		}
		index[string(key)] = len(rows.s)
		rows.z = append(rows.z, rowBuf...)
		rows.s = append(rows.s, s)
		rows.count = append(rows.count, 1)
	}
	nd := len(rows.s)
	strict := make([]bool, nd)
	involved := make([]bool, q)
	found := false
	c := make([]float64, q)
	for round := 0; round < sepRounds; round++ {
		for j := range c {
			c[j] = 0
		}
		any := false
		for i := 0; i < nd; i++ {
			if strict[i] || rows.s[i] == 0 {
				continue
			}
			any = true
			zi := rows.row(i)
			for j := range c {
				c[j] += float64(rows.s[i]) * zi[j]
			}
		}
		if !any {
			break
		}
		b, val, err := solveSepLP(ctx, rows, c)
		if err != nil {
			if errors.Is(err, errLP) {
				break // keep what was found so far
			}
			return nil, err
		}
		if val <= sepMargin {
			break
		}
		// Check feasibility and mark newly strict rows.
		newRows := 0
		feasible := true
		for i := 0; i < nd; i++ {
			m := dot(rows.row(i), b)
			if rows.s[i] == 0 {
				if math.Abs(m) > 1e3*sepMargin {
					feasible = false
				}
				continue
			}
			m *= float64(rows.s[i])
			if m < -1e3*sepMargin {
				feasible = false
			}
			if m > sepMargin && !strict[i] {
				strict[i] = true
				newRows++
			}
		}
		if !feasible || newRows == 0 {
			break
		}
		found = true
		for j, v := range b {
			if math.Abs(v) > sepMargin {
				involved[j] = true
			}
		}
	}
	if !found {
		return nil, nil
	}
	sep := &Separation{}
	for i, st := range strict {
		if st {
			sep.Rows += rows.count[i]
		}
	}
	sep.Complete = sep.Rows == active
	for j, in := range involved {
		if in {
			sep.Columns = append(sep.Columns, keep[j])
		}
	}
	return sep, nil
}

func dot(a, b []float64) float64 { return floats.Dot(a, b) }

// solveSepLP maximises c'b subject to s_i z_i'b >= 0 (= 0 when s_i = 0) and
// -1 <= b_j <= 1. It runs a revised primal simplex on the dual problem
//
//	minimise   sum_j (alpha_j + gamma_j)
//	subject to sum_i lambda_i (-s_i z_i) + alpha - gamma = c,  lambda, alpha, gamma >= 0,
//
// which has only q equality rows however many data rows there are, and whose
// simplex multipliers are the optimal b. (gonum's lp.Simplex works on the
// dense primal, with one row per data row, and does not return multipliers.)
// The starting basis is alpha_j or gamma_j by the sign of c_j.
func solveSepLP(ctx context.Context, rows *sepRows, c []float64) (b []float64, val float64, err error) {
	q := rows.q
	nd := len(rows.s)
	// Variables: for each distinct row i, one column (-s_i z_i), and for
	// fractional rows a second column (+z_i) after all of them; then alpha_j
	// (e_j) and gamma_j (-e_j).
	var frac []int
	for i, s := range rows.s {
		if s == 0 {
			frac = append(frac, i)
		}
	}
	nRow := nd + len(frac)
	nVar := nRow + 2*q
	column := func(k int, dst []float64) {
		for j := range dst {
			dst[j] = 0
		}
		switch {
		case k < nd:
			s := float64(rows.s[k])
			if s == 0 {
				s = 1 // first column of a fractional row: -z
			}
			for j, v := range rows.row(k) {
				dst[j] = -s * v
			}
		case k < nRow:
			copy(dst, rows.row(frac[k-nd]))
		case k < nRow+q:
			dst[k-nRow] = 1
		default:
			dst[k-nRow-q] = -1
		}
	}
	cost := func(k int) float64 {
		if k < nRow {
			return 0
		}
		return 1
	}
	// reduced cost r_k = cost_k - a_k'y
	reduced := func(k int, y []float64) float64 {
		switch {
		case k < nd:
			s := float64(rows.s[k])
			if s == 0 {
				s = 1
			}
			return s * dot(rows.row(k), y)
		case k < nRow:
			return -dot(rows.row(frac[k-nd]), y)
		case k < nRow+q:
			return 1 - y[k-nRow]
		default:
			return 1 + y[k-nRow-q]
		}
	}

	// Perturb the right-hand side slightly (deterministically) so that ties
	// and degenerate pivots, common with one-hot designs, are rare. The
	// constraints do not depend on c, so the b found stays feasible; its
	// objective is evaluated with the original c.
	cMax := 0.0
	for _, v := range c {
		cMax = math.Max(cMax, math.Abs(v))
	}
	cp := make([]float64, q)
	for j, v := range c {
		_, frac := math.Modf(float64(j+1) * 0.6180339887498949)
		cp[j] = v + 1e-7*(cMax+1)*(0.5+frac)
	}
	basis := make([]int, q)
	inBasis := make([]bool, nVar)
	for j := range basis {
		if cp[j] >= 0 {
			basis[j] = nRow + j
		} else {
			basis[j] = nRow + q + j
		}
		inBasis[basis[j]] = true
	}
	col := make([]float64, q)
	y := make([]float64, q)
	xb := make([]float64, q)
	u := make([]float64, q)
	cb := make([]float64, q)
	binv := make([]float64, q*q) // B^-1, row-major, updated by pivots
	bm := mat.NewDense(q, q, nil)
	var inv mat.Dense
	refactor := func() error {
		for i, k := range basis {
			column(k, col)
			bm.SetCol(i, col)
		}
		if err := solveErr(inv.Inverse(bm)); err != nil {
			return errLP
		}
		for i := 0; i < q; i++ {
			copy(binv[i*q:(i+1)*q], inv.RawRowView(i))
		}
		return nil
	}
	bland := false
	degenerate := 0
	maxIter := 50 * (q + nVar)
	const maxCand = 256
	var (
		cand     []int
		full     []scored
		lastFull int
	)
	price := func(cand []int, y []float64) int {
		enter, best := -1, -lpTol
		for _, k := range cand {
			if inBasis[k] {
				continue
			}
			if rk := reduced(k, y); rk < best || rk == best && enter >= 0 && k < enter {
				best, enter = rk, k
			}
		}
		return enter
	}
	for iter := 0; iter < maxIter; iter++ {
		if iter%64 == 63 {
			if err := ctx.Err(); err != nil {
				return nil, 0, err
			}
		}
		if iter%100 == 0 {
			if err := refactor(); err != nil {
				return nil, 0, err
			}
		}
		for i, k := range basis {
			cb[i] = cost(k)
		}
		// y = B^-T c_B, xb = B^-1 c.
		for j := range y {
			y[j] = 0
		}
		for i := 0; i < q; i++ {
			row := binv[i*q : (i+1)*q]
			for j, v := range row {
				y[j] += v * cb[i]
			}
			xb[i] = math.Max(dot(row, cp), 0)
		}
		// Pricing: Dantzig's rule over a candidate list that is refreshed by
		// a full pass when it runs dry or every 50 iterations (partial
		// pricing keeps iterations cheap with many rows), Bland's rule over
		// everything after many degenerate pivots.
		enter := -1
		if bland {
			for k := 0; k < nVar; k++ {
				if !inBasis[k] && reduced(k, y) < -lpTol {
					enter = k
					break
				}
			}
		} else {
			enter = price(cand, y)
			if enter < 0 || iter-lastFull >= 50 {
				cand = cand[:0]
				full = full[:0] // max-heap on (r, k) of the maxCand most negative
				for k := 0; k < nVar; k++ {
					if inBasis[k] {
						continue
					}
					rk := reduced(k, y)
					if rk >= -lpTol {
						continue
					}
					if len(full) < maxCand {
						full = append(full, scored{k, rk})
						siftUp(full, len(full)-1)
					} else if rk < full[0].r {
						full[0] = scored{k, rk}
						siftDown(full, 0)
					}
				}
				for _, sc := range full {
					cand = append(cand, sc.k)
				}
				slices.Sort(cand)
				lastFull = iter
				enter = price(cand, y)
			}
		}
		if enter < 0 {
			val = dot(c, y)
			return y, val, nil
		}
		column(enter, col)
		for i := 0; i < q; i++ {
			u[i] = dot(binv[i*q:(i+1)*q], col)
		}
		leave := -1
		theta := math.Inf(1)
		for i, ui := range u {
			if ui <= lpTol {
				continue
			}
			t := xb[i] / ui
			if t < theta-1e-12 || (t <= theta+1e-12 && leave >= 0 && basis[i] < basis[leave]) {
				theta, leave = t, i
			}
		}
		if leave < 0 {
			return nil, 0, errLP // unbounded dual: cannot happen, b = 0 is feasible
		}
		if theta <= 1e-12 {
			degenerate++
			if degenerate > 50 {
				bland = true // consecutive degenerate pivots: avoid cycling
			}
		} else {
			degenerate = 0
		}
		// Pivot: row leave of B^-1 is divided by u_leave and eliminated
		// from the others.
		pr := binv[leave*q : (leave+1)*q]
		inv := 1 / u[leave]
		for j := range pr {
			pr[j] *= inv
		}
		for i := 0; i < q; i++ {
			if i == leave || u[i] == 0 {
				continue
			}
			row := binv[i*q : (i+1)*q]
			f := u[i]
			for j, v := range pr {
				row[j] -= f * v
			}
		}
		inBasis[basis[leave]] = false
		basis[leave] = enter
		inBasis[enter] = true
	}
	return nil, 0, errLP
}

// solveErr keeps gonum's ill-conditioning warning (the solution is still
// computed) unless the matrix is numerically singular.
func solveErr(err error) error {
	var c mat.Condition
	if errors.As(err, &c) && float64(c) < 1e15 {
		return nil
	}
	return err
}

type scored struct {
	k int
	r float64
}

// siftUp and siftDown maintain a max-heap on r (ties: larger k on top).
func heapLess(a, b scored) bool { return a.r > b.r || a.r == b.r && a.k > b.k }

func siftUp(h []scored, i int) {
	for i > 0 {
		p := (i - 1) / 2
		if !heapLess(h[i], h[p]) {
			return
		}
		h[i], h[p] = h[p], h[i]
		i = p
	}
}

func siftDown(h []scored, i int) {
	for {
		l := 2*i + 1
		if l >= len(h) {
			return
		}
		m := l
		if r := l + 1; r < len(h) && heapLess(h[r], h[l]) {
			m = r
		}
		if !heapLess(h[m], h[i]) {
			return
		}
		h[i], h[m] = h[m], h[i]
		i = m
	}
}
