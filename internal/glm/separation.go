package glm

import (
	"context"
	"encoding/binary"
	"errors"
	"math"

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

func dot(a, b []float64) float64 {
	s := 0.0
	for i, v := range a {
		s += v * b[i]
	}
	return s
}

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

	basis := make([]int, q)
	inBasis := make([]bool, nVar)
	for j := range basis {
		if c[j] >= 0 {
			basis[j] = nRow + j
		} else {
			basis[j] = nRow + q + j
		}
		inBasis[basis[j]] = true
	}
	bm := mat.NewDense(q, q, nil)
	col := make([]float64, q)
	y := make([]float64, q)
	xb := make([]float64, q)
	u := make([]float64, q)
	cb := make([]float64, q)
	var lu mat.LU
	bland := false
	degenerate := 0
	maxIter := 50 * (q + nVar)
	for iter := 0; iter < maxIter; iter++ {
		if iter%64 == 63 {
			if err := ctx.Err(); err != nil {
				return nil, 0, err
			}
		}
		for i, k := range basis {
			column(k, col)
			bm.SetCol(i, col)
			cb[i] = cost(k)
		}
		lu.Factorize(bm)
		yv := mat.NewVecDense(q, y)
		if err := solveErr(lu.SolveVecTo(yv, true, mat.NewVecDense(q, cb))); err != nil {
			return nil, 0, errLP
		}
		xv := mat.NewVecDense(q, xb)
		if err := solveErr(lu.SolveVecTo(xv, false, mat.NewVecDense(q, c))); err != nil {
			return nil, 0, errLP
		}
		for i := range xb {
			if xb[i] < 0 {
				xb[i] = 0
			}
		}
		// Pricing.
		enter := -1
		best := -lpTol
		for k := 0; k < nVar; k++ {
			if inBasis[k] {
				continue
			}
			rk := reduced(k, y)
			if bland {
				if rk < -lpTol {
					enter = k
					break
				}
			} else if rk < best {
				best, enter = rk, k
			}
		}
		if enter < 0 {
			val = dot(c, y)
			return y, val, nil
		}
		column(enter, col)
		uv := mat.NewVecDense(q, u)
		if err := solveErr(lu.SolveVecTo(uv, false, mat.NewVecDense(q, col))); err != nil {
			return nil, 0, errLP
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
			if degenerate > 20 {
				bland = true
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
