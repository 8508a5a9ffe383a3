package glm

import (
	"context"
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// Pass returns the Sums of every row of a fit at beta: with hessian true
// a Sums of NewSums(beta, true), otherwise one with the log-likelihood
// and counts only (a full one will do). How it gets them is the caller's
// business (rows in memory on one core or many, a file read again, the
// workers of a cluster, each Adding its rows and the results Merged), but
// every pass must see the same rows.
type Pass func(ctx context.Context, beta []float64, hessian bool) (*Sums, error)

// Passes is a logistic-regression problem whose rows the caller holds:
// FitPasses runs FitLogistic's Newton iteration, asking Pass for the Sums
// at each iterate (one pass per iteration, one more per step halving).
type Passes struct {
	// Columns is the number of coefficients (columns of the design).
	Columns int
	// Pass computes the Sums of every row at a coefficient vector.
	Pass Pass
	// L2 and Penalize are Problem's: the ridge penalty and the columns
	// it applies to (nil: all but column 0).
	L2       float64
	Penalize []bool
	// Names are optional column names used in errors.
	Names []string
}

// FitPasses fits a logistic regression whose rows are summed by p.Pass,
// with the objective, aliasing test, convergence rule and step halving of
// FitLogistic (see the package documentation). It cannot look for
// separation, which needs the rows: a separated fit without a penalty
// ends with Converged false and no Separation. A pass's error stops the
// fit and is returned with the current iterate.
func FitPasses(ctx context.Context, p Passes, s *Settings) (res Result, err error) {
	defer func() {
		if r := recover(); r != nil {
			var me mat.Error
			if e, ok := r.(error); ok && errors.As(e, &me) {
				err = fmt.Errorf("%w: %v", ErrNumerical, r)
				return
			}
			panic(r)
		}
	}()
	st, err := resolve(s)
	if err != nil {
		return Result{}, err
	}
	pr := Problem{L2: p.L2, Penalize: p.Penalize, Names: p.Names}
	var errs []error
	if p.Columns <= 0 || p.Pass == nil {
		return Result{}, ErrEmpty
	}
	if p.Penalize != nil && len(p.Penalize) != p.Columns {
		errs = append(errs, &DataError{Field: "Penalize", Column: -1, Row: -1, Err: ErrDimension,
			Detail: fmt.Sprintf("length %d, want %d", len(p.Penalize), p.Columns)})
	}
	if p.Names != nil && len(p.Names) != p.Columns {
		errs = append(errs, &DataError{Field: "Names", Column: -1, Row: -1, Err: ErrDimension,
			Detail: fmt.Sprintf("length %d, want %d", len(p.Names), p.Columns)})
	}
	if !isFinite(p.L2) || p.L2 < 0 {
		errs = append(errs, &DataError{Field: "L2", Column: -1, Row: -1, Err: ErrBadSetting, Detail: "L2 must be finite and >= 0"})
	}
	if len(errs) > 0 {
		return Result{}, errors.Join(errs...)
	}
	if ctx == nil {
		ctx = context.Background()
	}
	checked := func(ctx context.Context, beta []float64, hessian bool) (*Sums, error) {
		out, err := p.Pass(ctx, beta, hessian)
		if err != nil {
			return nil, err
		}
		if out == nil || len(out.beta) != len(beta) || (hessian && !out.hessian) {
			return nil, fmt.Errorf("%w: the pass returned sums of another kind", ErrMerge)
		}
		for j := range beta {
			if math.Float64bits(beta[j]) != math.Float64bits(out.beta[j]) {
				return nil, fmt.Errorf("%w: the pass returned sums at coefficient %d = %v, asked %v", ErrMerge, j, out.beta[j], beta[j])
			}
		}
		return out, nil
	}
	first, err := checked(ctx, make([]float64, p.Columns), true)
	if err != nil {
		return Result{}, err
	}
	if first.rows == 0 || !(first.weight > 0) {
		return Result{}, ErrEmpty
	}
	e := &newton{st: st, pAll: p.Columns, l2: p.L2, penalize: p.Penalize, name: pr.name}
	e.passFor = func(keep []int) Pass {
		if len(keep) == p.Columns {
			return checked
		}
		return func(ctx context.Context, beta []float64, hessian bool) (*Sums, error) {
			full := make([]float64, p.Columns)
			for a, j := range keep {
				full[j] = beta[a]
			}
			out, err := checked(ctx, full, hessian)
			if err != nil {
				return nil, err
			}
			return out.sub(keep), nil
		}
	}
	return e.run(ctx, first)
}

// newton is the Newton (IRLS) iteration over Sums that FitLogistic and
// FitPasses share.
type newton struct {
	st       settings
	pAll     int
	l2       float64
	penalize []bool
	name     func(int) string
	// passFor returns the pass over the kept columns (ascending indexes).
	passFor func(keep []int) Pass
	// separation, when not nil, looks for separation at beta (kept
	// columns), where the sums are cur.
	separation func(ctx context.Context, keep []int, beta []float64, cur *Sums) (*Separation, error)
	pen        []float64 // per kept column: L2 if penalised, else 0
}

// system returns the penalised Hessian H + diag(pen) (q*q, upper
// triangle) and gradient g - pen*beta of the sums cur at beta.
func system(cur *Sums, beta, pen []float64) (h, g []float64) {
	q := len(beta)
	h = make([]float64, q*q)
	copy(h, cur.h)
	g = make([]float64, q)
	copy(g, cur.g)
	for j := 0; j < q; j++ {
		h[j*q+j] += pen[j]
		g[j] -= pen[j] * beta[j]
	}
	return h, g
}

// objective is the penalised deviance 2(sat - ll) + sum pen_j beta_j^2.
func objective(s *Sums, beta, pen []float64) float64 {
	p := 0.0
	for j, b := range beta {
		p += pen[j] * b * b
	}
	return 2*(s.sat-s.loglik) + p
}

// setPenalty sets e.pen for the kept columns: L2 on the penalised ones.
func (e *newton) setPenalty(keep []int) {
	e.pen = make([]float64, len(keep))
	for k, j := range keep {
		penalised := j != 0
		if e.penalize != nil {
			penalised = e.penalize[j]
		}
		if penalised {
			e.pen[k] = e.l2
		}
	}
}

// roundingAliased returns the column (an index of all columns) to alias
// when the penalised X'WX over the kept columns, from the sums at zero,
// is numerically singular (no Cholesky factor, or a condition number
// above mat.ConditionTolerance): the last of those loading on its weakest
// direction (see weakest). It returns -1 when the matrix is fine or no
// column can be named.
func (e *newton) roundingAliased(cur *Sums, keep []int) int {
	q := len(keep)
	if q < 2 {
		return -1
	}
	h, _ := system(cur, make([]float64, q), e.pen)
	sym := mat.NewSymDense(q, h)
	var ch mat.Cholesky
	if ch.Factorize(sym) && ch.Cond() <= mat.ConditionTolerance {
		return -1
	}
	cols := weakest(sym)
	if len(cols) == 0 {
		return -1
	}
	return keep[cols[len(cols)-1]]
}

// run fits from first, the Sums at beta = 0 over all columns.
func (e *newton) run(ctx context.Context, first *Sums) (Result, error) {
	pAll, st := e.pAll, e.st
	gram := make([]float64, pAll*pAll)
	for i, h := range first.h {
		gram[i] = 4 * h
	}
	res := Result{
		Coef:    make([]float64, pAll),
		Aliased: findAliased(gram, pAll, st.aliasTol),
		StdErr:  make([]float64, pAll),
	}
	for j := range res.StdErr {
		res.StdErr[j] = math.NaN()
	}
	var keep []int
	var cur *Sums
	for {
		keep = keep[:0]
		for j, a := range res.Aliased {
			if !a {
				keep = append(keep, j)
			}
		}
		e.setPenalty(keep)
		cur = first
		if len(keep) < pAll {
			cur = first.sub(keep)
		}
		// The aliasing test's squared residuals carry a rounding error of
		// some machine epsilons (they are 1 - a sum of squares), so an
		// exactly aliased column can pass it and leave X'WX numerically
		// singular. Then the last column of the direction in which the
		// columns cancel is aliased too (a combination of earlier ones, the
		// test's own rule) and the check is repeated.
		j := e.roundingAliased(cur, keep)
		if j < 0 {
			break
		}
		res.Aliased[j] = true
	}
	q := len(keep)
	pass := e.passFor(keep)
	beta := make([]float64, q)
	obj := objective(cur, beta, e.pen)
	sqrtTol := math.Sqrt(st.tol)
	delta := make([]float64, q)
	betaNew := make([]float64, q)
	var sep *Separation
	sepChecked := false
	var stopErr error

	// Invariant: cur holds the Sums (with the Hessian) at beta.
iterate:
	for q > 0 && res.Iterations < st.maxIter {
		if err := ctx.Err(); err != nil {
			stopErr = err
			break
		}
		if res.Iterations >= sepCheckIter && cur.extreme > 0 && e.l2 == 0 && !sepChecked && e.separation != nil {
			sepChecked = true
			s, err := e.separation(ctx, keep, beta, cur)
			if err != nil {
				stopErr = err
				break
			}
			if s != nil {
				sep = s
				break
			}
		}
		h, g := system(cur, beta, e.pen)
		var ch mat.Cholesky
		if !ch.Factorize(mat.NewSymDense(q, h)) {
			if res.Iterations == 0 {
				return res, fmt.Errorf("%w: X'WX is not positive definite at the start: %s", ErrNumerical,
					collinear(mat.NewSymDense(q, h), func(u int) string { return e.name(keep[u]) }))
			}
			break // saturated weights; treated as not converged
		}
		if err := ch.SolveVecTo(mat.NewVecDense(q, delta), mat.NewVecDense(q, g)); err != nil && res.Iterations == 0 {
			return res, fmt.Errorf("%w: %v: %s", ErrNumerical, err,
				collinear(mat.NewSymDense(q, h), func(u int) string { return e.name(keep[u]) }))
		}
		res.Iterations++
		step := 1.0
		accepted := false
		var trial *Sums
		var objNew float64
		for halving := 0; halving < 50; halving++ {
			for j := range betaNew {
				betaNew[j] = beta[j] + step*delta[j]
			}
			var err error
			if trial, err = pass(ctx, betaNew, halving == 0); err != nil {
				stopErr = err
				break iterate
			}
			objNew = objective(trial, betaNew, e.pen)
			if objNew <= obj+1e-13*(math.Abs(obj)+0.1) {
				accepted = true
				break
			}
			step /= 2
		}
		maxStep := 0.0
		for j := range delta {
			maxStep = math.Max(maxStep, math.Abs(delta[j])/(1+math.Abs(beta[j])))
		}
		if !accepted {
			// No decrease along the Newton direction: we are at the optimum to
			// rounding, provided the full step was already tiny.
			res.Converged = maxStep <= sqrtTol
			break
		}
		if !trial.hessian {
			var err error
			if trial, err = pass(ctx, betaNew, true); err != nil {
				stopErr = err
				break
			}
		}
		maxStep *= step
		rel := math.Abs(obj-objNew) / (math.Abs(objNew) + 0.1)
		copy(beta, betaNew)
		cur, obj = trial, objNew
		if rel <= st.tol && maxStep <= sqrtTol {
			res.Converged = true
			break
		}
	}
	if q == 0 {
		res.Converged = true
	}

	res.LogLik = cur.loglik
	res.Deviance = 2 * (cur.sat - cur.loglik)
	for k, j := range keep {
		res.Coef[j] = beta[k]
	}
	if q > 0 {
		h, _ := system(cur, beta, e.pen)
		var ch mat.Cholesky
		if ch.Factorize(mat.NewSymDense(q, h)) {
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
	if stopErr != nil {
		return res, stopErr
	}

	if sep == nil && !sepChecked && q > 0 && e.separation != nil && (e.l2 > 0 || !res.Converged || cur.extreme > 0) {
		s, err := e.separation(ctx, keep, beta, cur)
		if err != nil {
			return res, err
		}
		sep = s
	}
	if sep == nil {
		return res, nil
	}
	res.Separation = sep
	if e.l2 == 0 {
		res.Converged = false
	}
	if res.Converged {
		return res, nil
	}
	se := &SeparationError{Separation: *sep}
	se.Columns = append([]int(nil), sep.Columns...)
	for _, j := range sep.Columns {
		se.Names = append(se.Names, e.name(j))
	}
	return res, se
}
