package glm

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Sentinel errors. Callers test for them with errors.Is; the errors returned
// by FitLogistic wrap them (data errors in a *DataError, separation in a
// *SeparationError, several data errors joined with errors.Join).
var (
	// ErrEmpty: no columns, no rows, or no row with a positive weight.
	ErrEmpty = errors.New("glm: empty problem")
	// ErrDimension: a column, Y, Weights, Penalize or Names has the wrong length.
	ErrDimension = errors.New("glm: mismatched dimensions")
	// ErrNotFinite: NaN or ±Inf in X, Y or Weights.
	ErrNotFinite = errors.New("glm: value not finite")
	// ErrBadWeight: a negative weight.
	ErrBadWeight = errors.New("glm: negative weight")
	// ErrBadResponse: a response outside [0, 1].
	ErrBadResponse = errors.New("glm: response outside [0, 1]")
	// ErrBadSetting: negative or non-finite L2, MaxIter, Tol or AliasTol.
	ErrBadSetting = errors.New("glm: invalid setting")
	// ErrSeparation: the data are (quasi-)completely separated, so the
	// maximum-likelihood estimate does not exist (some coefficients run off to
	// infinity). Returned only when the fit did not converge; with L2 > 0 the
	// penalised optimum is usually finite and only Result.Separation is set.
	ErrSeparation = errors.New("glm: separation: maximum-likelihood estimate does not exist")
	// ErrNumerical: a linear-algebra failure (for example a Hessian that is
	// not positive definite at the start although no column was aliased).
	ErrNumerical = errors.New("glm: numerical failure")
)

// Problem is a logistic-regression problem. It is read, never modified.
type Problem struct {
	// X is the design matrix by column: X[j] is column j and all columns have
	// the same length n (the number of rows). No column is special: an
	// intercept is a column of ones that the caller adds.
	X [][]float64
	// Y is the response per row, 0 or 1, or a fraction of successes in [0, 1].
	Y []float64
	// Weights are non-negative row weights (frequency weights: a row with
	// weight 2 counts as two identical rows). nil means all ones. Rows with
	// weight 0 take no part in the fit.
	Weights []float64
	// L2 is the ridge penalty on the negative log-likelihood scale: the fit
	// minimises -LogLik(beta) + L2/2 * sum_{j penalised} beta_j^2.
	// 0 is plain maximum likelihood.
	L2 float64
	// Penalize[j] says whether column j is penalised. nil means every column
	// except column 0 (the usual intercept position).
	Penalize []bool
	// Names are optional column names used in errors and reports.
	Names []string
}

// Settings tune the iteration. The zero value and nil mean the defaults.
type Settings struct {
	// MaxIter is the maximum number of Newton iterations; 0 means 100.
	MaxIter int
	// Tol is the convergence tolerance; 0 means 1e-10. The fit has converged
	// when |D_k - D_{k-1}| / (|D_k| + 0.1) <= Tol, where D is the penalised
	// deviance -2*LogLik + L2*sum(beta_j^2) + saturated constant, AND every
	// coefficient moved by at most sqrt(Tol) * (1 + |beta_j|) in the last step.
	Tol float64
	// AliasTol is the relative tolerance of the aliasing test; 0 means 1e-7
	// (R's qr default). Column j is aliased when the part of it (weighted,
	// scaled to unit norm) not explained by the earlier kept columns has norm
	// below AliasTol.
	AliasTol float64
}

// Result is a fitted logistic regression. Slices are indexed like Problem.X.
type Result struct {
	// Coef are the coefficients on the log-odds scale, one per column;
	// aliased columns have 0.
	Coef []float64
	// Aliased[j] is true when column j is (numerically) a linear combination
	// of earlier non-aliased columns; it was left out of the fit, like R's NA
	// coefficients.
	Aliased []bool
	// StdErr are standard errors on the log-odds scale, the square roots of
	// the diagonal of (X'WX + L2*P)^-1 at the returned coefficients; NaN for
	// aliased columns or when that matrix is singular.
	StdErr []float64
	// Cov is the covariance matrix of the coefficients, (X'WX + L2*P)^-1,
	// row by row (Cov[j][k]); NaN in the rows and columns of aliased
	// columns, nil when that matrix is singular.
	Cov [][]float64
	// Iterations is the number of Newton steps taken.
	Iterations int
	// Converged reports whether the convergence rule of Settings.Tol was met.
	// It is false under separation without a penalty. Not converging is not
	// an error in itself.
	Converged bool
	// LogLik is the weighted log-likelihood (natural log, without the
	// penalty): sum_i w_i [y_i log p_i + (1-y_i) log(1-p_i)].
	LogLik float64
	// Deviance is 2 * sum_i w_i [y_i log(y_i/p_i) + (1-y_i) log((1-y_i)/(1-p_i))],
	// which equals -2*LogLik when every y_i is 0 or 1.
	Deviance float64
	// Separation is non-nil when the data are separated.
	Separation *Separation
}

// Separation describes (quasi-)complete separation: a direction b != 0 in
// coefficient space with x_i'b >= 0 for every row with y_i = 1 and x_i'b <= 0
// for every row with y_i = 0 (x_i'b = 0 for fractional y_i).
type Separation struct {
	// Complete is true when every row with positive weight is perfectly
	// predicted (x_i'b != 0 for all of them); false means quasi-complete.
	Complete bool
	// Columns are the indices (into Problem.X, ascending) of the columns
	// whose coefficients run off to infinity along the separating directions
	// found.
	Columns []int
	// Rows is the number of rows (with positive weight) that are perfectly
	// predicted, i.e. whose fitted probability goes to 0 or 1.
	Rows int
}

// SeparationError is returned (wrapping ErrSeparation) when separation stops
// the fit from converging.
type SeparationError struct {
	Separation
	// Names are the names of Separation.Columns ("x3" when Problem.Names is nil).
	Names []string
}

func (e *SeparationError) Error() string {
	kind := "quasi-complete"
	if e.Complete {
		kind = "complete"
	}
	return fmt.Sprintf("glm: %s separation (%d rows perfectly predicted) in columns %s; maximum-likelihood estimate does not exist",
		kind, e.Rows, strings.Join(e.Names, ", "))
}

// Unwrap returns ErrSeparation.
func (e *SeparationError) Unwrap() error { return ErrSeparation }

// DataError names the column (and row, if any) of a bad input.
type DataError struct {
	// Field is "X", "Y", "Weights", "Offset" (Sums only), "Penalize",
	// "Names", "L2" or "Settings".
	Field string
	// Column is the column index for X, or -1.
	Column int
	// Name is the column name, if Problem.Names has one.
	Name string
	// Row is the first offending row, or -1.
	Row int
	// Err is the sentinel.
	Err error
	// Detail is optional extra text.
	Detail string
}

func (e *DataError) Error() string {
	var b strings.Builder
	b.WriteString(e.Err.Error())
	b.WriteString(": ")
	b.WriteString(e.Field)
	if e.Column >= 0 {
		b.WriteString(" column ")
		b.WriteString(strconv.Itoa(e.Column))
		if e.Name != "" {
			b.WriteString(" (" + e.Name + ")")
		}
	}
	if e.Row >= 0 {
		b.WriteString(" row ")
		b.WriteString(strconv.Itoa(e.Row))
	}
	if e.Detail != "" {
		b.WriteString(": " + e.Detail)
	}
	return b.String()
}

// Unwrap returns the sentinel.
func (e *DataError) Unwrap() error { return e.Err }

func (p *Problem) name(j int) string {
	if j < len(p.Names) && p.Names[j] != "" {
		return p.Names[j]
	}
	return "x" + strconv.Itoa(j)
}

type settings struct {
	maxIter  int
	tol      float64
	aliasTol float64
}

func resolve(s *Settings) (settings, error) {
	out := settings{maxIter: 100, tol: 1e-10, aliasTol: 1e-7}
	if s == nil {
		return out, nil
	}
	bad := func(what string) error {
		return &DataError{Field: "Settings", Column: -1, Row: -1, Err: ErrBadSetting, Detail: what}
	}
	switch {
	case s.MaxIter < 0:
		return out, bad("MaxIter < 0")
	case s.Tol < 0 || math.IsNaN(s.Tol) || math.IsInf(s.Tol, 0):
		return out, bad("Tol")
	case s.AliasTol < 0 || math.IsNaN(s.AliasTol) || s.AliasTol >= 1:
		return out, bad("AliasTol")
	}
	if s.MaxIter > 0 {
		out.maxIter = s.MaxIter
	}
	if s.Tol > 0 {
		out.tol = s.Tol
	}
	if s.AliasTol > 0 {
		out.aliasTol = s.AliasTol
	}
	return out, nil
}

// validate checks the problem and reports all bad fields at once.
func validate(p *Problem) error {
	if len(p.X) == 0 || len(p.Y) == 0 {
		return ErrEmpty
	}
	n := len(p.Y)
	var errs []error
	add := func(e *DataError) { errs = append(errs, e) }
	for j, col := range p.X {
		if len(col) != n {
			add(&DataError{Field: "X", Column: j, Name: p.name(j), Row: -1, Err: ErrDimension,
				Detail: fmt.Sprintf("length %d, want %d", len(col), n)})
			continue
		}
		for i, v := range col {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				add(&DataError{Field: "X", Column: j, Name: p.name(j), Row: i, Err: ErrNotFinite})
				break
			}
		}
	}
	for i, v := range p.Y {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			add(&DataError{Field: "Y", Column: -1, Row: i, Err: ErrNotFinite})
			break
		}
		if v < 0 || v > 1 {
			add(&DataError{Field: "Y", Column: -1, Row: i, Err: ErrBadResponse})
			break
		}
	}
	positive := false
	if p.Weights == nil {
		positive = true
	} else if len(p.Weights) != n {
		add(&DataError{Field: "Weights", Column: -1, Row: -1, Err: ErrDimension,
			Detail: fmt.Sprintf("length %d, want %d", len(p.Weights), n)})
		positive = true // reported already
	} else {
		for i, v := range p.Weights {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				add(&DataError{Field: "Weights", Column: -1, Row: i, Err: ErrNotFinite})
				positive = true
				break
			}
			if v < 0 {
				add(&DataError{Field: "Weights", Column: -1, Row: i, Err: ErrBadWeight})
				positive = true
				break
			}
			if v > 0 {
				positive = true
			}
		}
	}
	if p.Penalize != nil && len(p.Penalize) != len(p.X) {
		add(&DataError{Field: "Penalize", Column: -1, Row: -1, Err: ErrDimension,
			Detail: fmt.Sprintf("length %d, want %d", len(p.Penalize), len(p.X))})
	}
	if p.Names != nil && len(p.Names) != len(p.X) {
		add(&DataError{Field: "Names", Column: -1, Row: -1, Err: ErrDimension,
			Detail: fmt.Sprintf("length %d, want %d", len(p.Names), len(p.X))})
	}
	if math.IsNaN(p.L2) || math.IsInf(p.L2, 0) || p.L2 < 0 {
		add(&DataError{Field: "L2", Column: -1, Row: -1, Err: ErrBadSetting, Detail: "L2 must be finite and >= 0"})
	}
	if len(errs) == 0 && !positive {
		return ErrEmpty
	}
	return errors.Join(errs...)
}

// FitLogistic fits a logistic regression by Newton's method (IRLS) with step
// halving, after removing aliased columns. See the package documentation for
// the objective, the convergence rule and the meaning of aliasing and
// separation.
//
// On success the error is nil even if Converged is false. Under separation
// without a finite optimum it returns the last iterate together with an error
// wrapping ErrSeparation (a *SeparationError). If ctx is cancelled between
// iterations it returns the current iterate and ctx.Err().
func FitLogistic(ctx context.Context, p Problem, s *Settings) (res Result, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: %v", ErrNumerical, r)
		}
	}()
	st, err := resolve(s)
	if err != nil {
		return Result{}, err
	}
	if err := validate(&p); err != nil {
		return Result{}, err
	}
	if ctx == nil {
		ctx = context.Background()
	}
	return fit(ctx, &p, st)
}
