package glm

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/floats"
)

// ErrMerge: two Sums taken at different coefficients (or of different
// kinds) cannot be merged.
var ErrMerge = errors.New("glm: sums taken at different coefficients")

// Sums are the sums over rows that one Newton (IRLS) iteration of the
// logistic fit needs, taken at one coefficient vector beta (log-odds
// scale): with eta_i = x_i'beta + offset_i, p_i = 1/(1+exp(-eta_i)) and
// weight w_i,
//
//	Hessian  sum_i w_i p_i (1-p_i) x_i x_i'   (X'VX, upper triangle)
//	Gradient sum_i w_i (y_i - p_i) x_i        (X'r)
//	LogLik   sum_i w_i [y_i eta_i - log(1 + exp(eta_i))]
//
// and the counts: rows of positive weight, their weight, their weighted
// events, rows whose p_i is within 1e-8 of 0 or 1, and the saturated
// log-likelihood sum_i w_i [y_i log y_i + (1-y_i) log(1-y_i)] (0 for 0/1
// responses). Rows of weight 0 take no part.
//
// Sums is a mergeable accumulator: Add (one row) or AddBlock (a block of
// rows) in any split of the rows, then Merge, give the sums of all rows.
// FitLogistic is a pass of this accumulator over fixed blocks of 1024
// rows merged in block order (so its result does not depend on the number
// of CPUs); FitPasses runs the same Newton iteration over Sums that the
// caller computes however it likes (a stream read again each iteration,
// workers of a cluster). Sums of one split equal those of another to
// floating-point rounding only: addition is not associative, so a
// different split or merge order changes the last bits (a relative
// 1e-15 or so per sum). A Sums of a HessianFree kind (NewSums with
// hessian false) holds only LogLik and the counts, for the step-halving
// passes that need nothing else.
//
// The zero value is not usable; build one with NewSums. A Sums is not safe
// for concurrent use: give each goroutine its own and merge them.
type Sums struct {
	beta    []float64
	hessian bool
	h       []float64 // q*q, upper triangle row-major; nil without hessian
	g       []float64 // q; nil without hessian
	loglik  float64
	sat     float64
	rows    int64
	weight  float64
	events  float64
	extreme int64
}

// NewSums returns empty sums at beta (copied). With hessian false the
// sums hold the log-likelihood and the counts only.
func NewSums(beta []float64, hessian bool) *Sums {
	s := &Sums{beta: slices.Clone(beta), hessian: hessian}
	if s.beta == nil {
		s.beta = []float64{}
	}
	if hessian {
		q := len(beta)
		s.h = make([]float64, q*q)
		s.g = make([]float64, q)
	}
	return s
}

// Beta returns (a copy of) the coefficients the sums are taken at.
func (s *Sums) Beta() []float64 { return slices.Clone(s.beta) }

// HasHessian reports whether the sums hold the Hessian and the gradient.
func (s *Sums) HasHessian() bool { return s.hessian }

// Hessian returns sum_i w_i p_i (1-p_i) x_i x_i' as a q*q row-major
// matrix (both triangles filled), or nil without the Hessian.
func (s *Sums) Hessian() []float64 {
	if !s.hessian {
		return nil
	}
	q := len(s.beta)
	out := make([]float64, q*q)
	for j := 0; j < q; j++ {
		for k := j; k < q; k++ {
			out[j*q+k] = s.h[j*q+k]
			out[k*q+j] = s.h[j*q+k]
		}
	}
	return out
}

// Gradient returns sum_i w_i (y_i - p_i) x_i, the gradient of LogLik, or
// nil without the Hessian.
func (s *Sums) Gradient() []float64 {
	if !s.hessian {
		return nil
	}
	return slices.Clone(s.g)
}

// LogLik is the weighted log-likelihood (natural log) at Beta.
func (s *Sums) LogLik() float64 { return s.loglik }

// Saturated is the log-likelihood of the saturated model,
// sum_i w_i [y_i log y_i + (1-y_i) log(1-y_i)]: 0 when every y_i is 0 or 1.
func (s *Sums) Saturated() float64 { return s.sat }

// Rows is the number of rows with positive weight.
func (s *Sums) Rows() int64 { return s.rows }

// Weight is the total weight of the rows.
func (s *Sums) Weight() float64 { return s.weight }

// Events is the weighted sum of the responses, sum_i w_i y_i.
func (s *Sums) Events() float64 { return s.events }

// Extreme is the number of rows (of positive weight) whose fitted
// probability is within 1e-8 of 0 or 1, a sign of separation.
func (s *Sums) Extreme() int64 { return s.extreme }

// Deviance is 2 (Saturated - LogLik).
func (s *Sums) Deviance() float64 { return 2 * (s.sat - s.loglik) }

// rowTerms returns a row's working weight w p (1-p), its residual
// w (y - p), its log-likelihood term w [y eta - log(1+exp(eta))] and
// whether p is within extremeProb of 0 or 1. p and 1-p are both computed
// without cancellation.
func rowTerms(eta, y, w float64) (v, r, ll float64, extreme bool) {
	var p, q float64 // p = P(y=1), q = 1-p, both accurate
	if eta >= 0 {
		x := math.Exp(-eta)
		p = 1 / (1 + x)
		q = x / (1 + x)
	} else {
		x := math.Exp(eta)
		p = x / (1 + x)
		q = 1 / (1 + x)
	}
	return w * p * q, w * (y*q - (1-y)*p), w * (y*eta - softplus(eta)), p < extremeProb || q < extremeProb
}

// satTerm is a row's term of the saturated log-likelihood.
func satTerm(y, w float64) float64 {
	if y > 0 && y < 1 {
		return w * (y*math.Log(y) + (1-y)*math.Log1p(-y))
	}
	return 0
}

// count adds one row's counts (w > 0) to s.
func (s *Sums) count(y, w, ll float64, extreme bool) {
	s.loglik += ll
	s.sat += satTerm(y, w)
	s.rows++
	s.weight += w
	s.events += w * y
	if extreme {
		s.extreme++
	}
}

// Add adds one row of the design: x (one value per coefficient), response
// y in [0, 1], weight w >= 0 and offset (added to x'beta). A bad row is an
// error (*DataError, Row -1) and leaves s unchanged.
func (s *Sums) Add(x []float64, y, w, offset float64) error {
	q := len(s.beta)
	if len(x) != q {
		return &DataError{Field: "X", Column: -1, Row: -1, Err: ErrDimension, Detail: fmt.Sprintf("%d values, want %d", len(x), q)}
	}
	for j, v := range x {
		if !isFinite(v) {
			return &DataError{Field: "X", Column: j, Row: -1, Err: ErrNotFinite}
		}
	}
	if err := checkRow(y, w, offset, -1); err != nil {
		return err
	}
	if w == 0 {
		return nil
	}
	eta := 0.0
	for j, b := range s.beta {
		if b != 0 {
			eta += b * x[j]
		}
	}
	eta += offset
	v, r, ll, ext := rowTerms(eta, y, w)
	s.count(y, w, ll, ext)
	if !s.hessian {
		return nil
	}
	for j, xj := range x {
		if xj == 0 {
			continue
		}
		t := v * xj
		row := s.h[j*q : (j+1)*q]
		for k := j; k < q; k++ {
			row[k] += t * x[k]
		}
		s.g[j] += r * xj
	}
	return nil
}

func isFinite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

func checkRow(y, w, offset float64, row int) error {
	switch {
	case !isFinite(y):
		return &DataError{Field: "Y", Column: -1, Row: row, Err: ErrNotFinite}
	case y < 0 || y > 1:
		return &DataError{Field: "Y", Column: -1, Row: row, Err: ErrBadResponse, Detail: fmt.Sprint(y)}
	case !isFinite(w):
		return &DataError{Field: "Weights", Column: -1, Row: row, Err: ErrNotFinite}
	case w < 0:
		return &DataError{Field: "Weights", Column: -1, Row: row, Err: ErrBadWeight, Detail: fmt.Sprint(w)}
	case !isFinite(offset):
		return &DataError{Field: "Offset", Column: -1, Row: row, Err: ErrNotFinite}
	}
	return nil
}

// Block is a block of rows of the design, by column like Problem.
type Block struct {
	// X[j] is column j; there is one column per coefficient, all of the
	// same length (the block's rows).
	X [][]float64
	// Y is the response per row, in [0, 1].
	Y []float64
	// Weights are the non-negative row weights; nil means all ones.
	Weights []float64
	// Offset is added to each row's x'beta (log-odds scale); nil means 0.
	Offset []float64
}

// AddBlock adds a block of rows. It is the same computation as
// FitLogistic's (chunks of 1024 rows, one-hot columns by index lists), so
// the blocks of a stream cut at multiples of 1024 rows give FitLogistic's
// sums to the last bit. A bad block is an error (*DataError naming the
// column and the row within the block; all problems joined) and leaves s
// unchanged.
func (s *Sums) AddBlock(b Block) error {
	q := len(s.beta)
	if len(b.X) != q {
		return &DataError{Field: "X", Column: -1, Row: -1, Err: ErrDimension, Detail: fmt.Sprintf("%d columns, want %d", len(b.X), q)}
	}
	n := len(b.Y)
	var errs []error
	for j, col := range b.X {
		if len(col) != n {
			errs = append(errs, &DataError{Field: "X", Column: j, Row: -1, Err: ErrDimension, Detail: fmt.Sprintf("length %d, want %d", len(col), n)})
			continue
		}
		for i, v := range col {
			if !isFinite(v) {
				errs = append(errs, &DataError{Field: "X", Column: j, Row: i, Err: ErrNotFinite})
				break
			}
		}
	}
	if b.Weights != nil && len(b.Weights) != n {
		errs = append(errs, &DataError{Field: "Weights", Column: -1, Row: -1, Err: ErrDimension, Detail: fmt.Sprintf("length %d, want %d", len(b.Weights), n)})
	}
	if b.Offset != nil && len(b.Offset) != n {
		errs = append(errs, &DataError{Field: "Offset", Column: -1, Row: -1, Err: ErrDimension, Detail: fmt.Sprintf("length %d, want %d", len(b.Offset), n)})
	}
	if len(errs) == 0 {
		for i, y := range b.Y {
			if err := checkRow(y, at(b.Weights, i, 1), at(b.Offset, i, 0), i); err != nil {
				errs = append(errs, err)
				break
			}
		}
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	if n == 0 {
		return nil
	}
	w := weightsOrOnes(b.Weights, n)
	cp := newCrossProd(b.X, n)
	sc := cp.newScratch()
	part := NewSums(s.beta, s.hessian)
	for blk := range cp.blocks() {
		cp.sumBlock(blk, s.beta, b.Y, w, b.Offset, sc, part)
		if err := s.Merge(part); err != nil {
			return err
		}
	}
	return nil
}

func at(x []float64, i int, def float64) float64 {
	if x == nil {
		return def
	}
	return x[i]
}

// Merge adds o's sums to s. Both must be taken at the same coefficients
// (bit for bit) and be of the same kind; otherwise the error wraps
// ErrMerge and s is unchanged.
func (s *Sums) Merge(o *Sums) error {
	if len(o.beta) != len(s.beta) || s.hessian != o.hessian {
		return fmt.Errorf("%w: %d coefficients (hessian %v) and %d (hessian %v)", ErrMerge, len(s.beta), s.hessian, len(o.beta), o.hessian)
	}
	for j := range s.beta {
		if math.Float64bits(s.beta[j]) != math.Float64bits(o.beta[j]) {
			return fmt.Errorf("%w: coefficient %d is %v and %v", ErrMerge, j, s.beta[j], o.beta[j])
		}
	}
	if s.hessian {
		q := len(s.beta)
		for j := 0; j < q; j++ {
			floats.Add(s.h[j*q+j:(j+1)*q], o.h[j*q+j:(j+1)*q])
		}
		floats.Add(s.g, o.g)
	}
	s.loglik += o.loglik
	s.sat += o.sat
	s.rows += o.rows
	s.weight += o.weight
	s.events += o.events
	s.extreme += o.extreme
	return nil
}

// reset empties s, keeping its coefficients and kind.
func (s *Sums) reset() {
	clear(s.h)
	clear(s.g)
	s.loglik, s.sat, s.rows, s.weight, s.events, s.extreme = 0, 0, 0, 0, 0, 0
}

// sub returns the sums restricted to the columns keep (ascending).
func (s *Sums) sub(keep []int) *Sums {
	beta := make([]float64, len(keep))
	for a, j := range keep {
		beta[a] = s.beta[j]
	}
	out := NewSums(beta, s.hessian)
	out.loglik, out.sat, out.rows, out.weight, out.events, out.extreme = s.loglik, s.sat, s.rows, s.weight, s.events, s.extreme
	if s.hessian {
		q, p := len(keep), len(s.beta)
		for a, j := range keep {
			for b := a; b < q; b++ {
				out.h[a*q+b] = s.h[j*p+keep[b]]
			}
			out.g[a] = s.g[j]
		}
	}
	return out
}
