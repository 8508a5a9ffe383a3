package glm

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"

	"gonum.org/v1/gonum/mat"
)

// ErrBounded: the bound-constrained fit could not proceed (a singular
// Hessian on the free coefficients, or no progress).
var ErrBounded = errors.New("glm: bound-constrained fit failed")

// BoundedResult is the maximum-likelihood fit under bounds.
type BoundedResult struct {
	Coef       []float64 // one per column; 0 for columns left out
	Bound      []bool    // the coefficient sits on a bound at the optimum
	Gradient   []float64 // gradient of the log-likelihood at Coef
	LogLik     float64
	Iterations int
	Converged  bool
}

// FitLogisticBounded maximises the weighted logistic log-likelihood of
// p.X (p.L2 is not supported and must be 0) subject to lower[j] <= b_j <=
// upper[j] (use ±Inf for no bound), over the columns with keep[j] true
// (the others are fixed at 0: aliased columns). start, when not nil, is
// projected onto the bounds and used as the first iterate.
//
// The method is Bertsekas' projected Newton (1982): at each step the
// coefficients at a bound whose gradient pushes outward are held, a Newton
// step is taken on the others (the Cholesky factor of X'WX restricted to
// them), and a projected Armijo line search keeps the iterate feasible.
// It stops when the projected gradient is below tol (in the units of the
// log-likelihood per coefficient, times the total weight: the gradient is
// a sum over rows), when a step no longer raises the log-likelihood, or
// after maxIter steps. The result
// satisfies the KKT conditions: gradient 0 on free coefficients, the
// right sign on bound ones.
func FitLogisticBounded(ctx context.Context, p Problem, keep []bool, lower, upper, start []float64, maxIter int, tol float64) (BoundedResult, error) {
	cols := len(p.X)
	n := len(p.Y)
	var idx []int
	for j := 0; j < cols; j++ {
		if keep[j] {
			idx = append(idx, j)
		}
	}
	q := len(idx)
	b := make([]float64, cols)
	proj := func(j int, x float64) float64 { return math.Min(upper[j], math.Max(lower[j], x)) }
	for _, j := range idx {
		if start != nil {
			b[j] = proj(j, start[j])
		} else {
			b[j] = proj(j, 0)
		}
	}
	// The log-likelihood, its gradient and Hessian come from the Sums of
	// the kept columns (FitLogistic's pass: all CPUs, fixed blocks).
	sub := make([][]float64, q)
	for a, j := range idx {
		sub[a] = p.X[j]
	}
	mp := newMemPass(newCrossProd(sub, n), p.Y, weightsOrOnes(p.Weights, n))
	kb := make([]float64, q)
	at := func(beta []float64, hessian bool) (*Sums, error) {
		for a, j := range idx {
			kb[a] = beta[j]
		}
		return mp.pass(ctx, kb, hessian)
	}
	grad := make([]float64, cols)
	h := mat.NewSymDense(max(q, 1), nil)
	// gradHess sets grad (and, with withHess, h) at beta; it returns the
	// log-likelihood there.
	gradHess := func(beta []float64, withHess bool) (float64, error) {
		s, err := at(beta, true)
		if err != nil {
			return 0, err
		}
		for a, j := range idx {
			grad[j] = s.g[a]
			if withHess {
				for c := a; c < q; c++ {
					h.SetSym(a, c, s.h[a*q+c])
				}
			}
		}
		return s.loglik, nil
	}
	// atBound: held at a bound because the log-likelihood gradient points
	// outside the feasible box.
	eps := func(j int) float64 { return 1e-12 * (1 + math.Abs(b[j])) }
	held := func(j int) bool {
		return (b[j] <= lower[j]+eps(j) && grad[j] < 0) || (b[j] >= upper[j]-eps(j) && grad[j] > 0)
	}
	res := BoundedResult{}
	first, err := at(b, false)
	if err != nil {
		return res, err
	}
	ll := first.loglik
	tol *= math.Max(1, first.weight) // the gradient is a sum over rows
	for it := 0; it < maxIter; it++ {
		if err := ctx.Err(); err != nil {
			return res, err
		}
		if _, err := gradHess(b, true); err != nil {
			return res, err
		}
		// Projected gradient norm.
		pg := 0.0
		for _, j := range idx {
			if !held(j) {
				pg = math.Max(pg, math.Abs(grad[j]))
			}
		}
		res.Iterations = it
		if pg < tol {
			res.Converged = true
			break
		}
		var free []int // positions in idx
		for a, j := range idx {
			if !held(j) {
				free = append(free, a)
			}
		}
		hf := mat.NewSymDense(len(free), nil)
		gf := mat.NewVecDense(len(free), nil)
		for u, a := range free {
			gf.SetVec(u, grad[idx[a]])
			for v := u; v < len(free); v++ {
				c := free[v]
				lo, hi := min(a, c), max(a, c)
				hf.SetSym(u, v, h.At(lo, hi))
			}
		}
		var ch mat.Cholesky
		if !ch.Factorize(hf) {
			return res, fmt.Errorf("%w: X'WX on the free coefficients is singular: %s", ErrBounded,
				collinear(hf, func(u int) string { return p.name(idx[free[u]]) }))
		}
		var d mat.VecDense
		if err := ch.SolveVecTo(&d, gf); err != nil && d.Len() == 0 {
			return res, ErrBounded
		}
		// Projected Armijo search on the log-likelihood (ascent).
		step := 1.0
		trial := make([]float64, cols)
		improved := false
		for ls := 0; ls < 60; ls++ {
			copy(trial, b)
			for u, a := range free {
				j := idx[a]
				trial[j] = proj(j, b[j]+step*d.AtVec(u))
			}
			ts, err := at(trial, false)
			if err != nil {
				return res, err
			}
			nll := ts.loglik
			var gain float64
			for _, j := range idx {
				gain += grad[j] * (trial[j] - b[j])
			}
			if nll >= ll+1e-4*gain && nll > ll {
				copy(b, trial)
				ll = nll
				improved = true
				break
			}
			step /= 2
		}
		if !improved {
			res.Iterations = it + 1
			break
		}
	}
	if res.LogLik, err = gradHess(b, false); err != nil {
		return res, err
	}
	res.Coef = b
	res.Gradient = grad
	res.Bound = make([]bool, cols)
	pg := 0.0
	for _, j := range idx {
		res.Bound[j] = b[j] <= lower[j]+eps(j) || b[j] >= upper[j]-eps(j)
		if !held(j) {
			pg = math.Max(pg, math.Abs(grad[j]))
		}
	}
	res.Converged = pg < tol
	return res, nil
}

// collinear names the columns of a singular symmetric matrix h (a
// cross-product matrix) that make it so (see weakest).
func collinear(h *mat.SymDense, name func(int) string) string {
	cols := weakest(h)
	if cols == nil {
		return "its columns are (nearly) linearly dependent"
	}
	names := make([]string, len(cols))
	for k, u := range cols {
		names[k] = name(u)
	}
	return "columns " + strings.Join(names, ", ") + " are (nearly) linearly dependent"
}

// weakest returns, ascending, the columns of a symmetric matrix h (a
// cross-product matrix) with a loading of at least 0.1 in the eigenvector
// of the smallest eigenvalue of its correlation form, the direction in
// which the columns nearly cancel, and those with a zero diagonal (all
// zero under the weights); nil when the eigendecomposition fails.
func weakest(h *mat.SymDense) []int {
	// On the correlation scale (unit diagonal), so that a column's weight
	// or magnitude does not decide which direction is the weakest.
	q := h.SymmetricDim()
	c := mat.NewSymDense(q, nil)
	for u := 0; u < q; u++ {
		for v := u; v < q; v++ {
			if d := math.Sqrt(h.At(u, u) * h.At(v, v)); d > 0 {
				c.SetSym(u, v, h.At(u, v)/d)
			}
		}
	}
	var es mat.EigenSym
	if !es.Factorize(c, true) {
		return nil
	}
	var vecs mat.Dense
	es.VectorsTo(&vecs)
	vals := es.Values(nil)
	lo := 0
	for k := range vals {
		if vals[k] < vals[lo] {
			lo = k
		}
	}
	var cols []int
	for u := 0; u < len(vals); u++ {
		if math.Abs(vecs.At(u, lo)) >= 0.1 || h.At(u, u) == 0 {
			cols = append(cols, u)
		}
	}
	return cols
}
