package fit

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/candorscore/candor/score"
	"github.com/sajari/regression"
	"gonum.org/v1/gonum/mat"
)

// LinearOptions controls Linear. The zero value (or nil) means the
// defaults.
type LinearOptions struct {
	// Missing is the policy for blank cells in used columns (the target
	// included).
	Missing MissingPolicy
	// Fill gives numeric features a value to use in place of a missing one,
	// at fit and at scoring time.
	Fill map[string]float64
	// Name and Version label the model (defaults "linear" and "1").
	Name, Version string
	// MaxRows is the number of rows up to which the observations go to
	// github.com/sajari/regression v1.0.1 as they are (0 means 5000).
	// sajari/regression solves least squares through a Householder QR whose
	// Q factor it forms in full, n x n (8 n^2 bytes: 200 MB at 5000 rows),
	// and formats one line of text per row into a growing string. Above
	// MaxRows the n x p system is first reduced exactly: a thin QR of
	// [1 X y] (gonum) gives R b = Q'y, p equations with the same least
	// squares solution; row operations give every equation a leading 1 (the
	// intercept column sajari adds) and sajari solves those p equations.
	MaxRows int
	// AliasTol is the relative tolerance under which a design column counts
	// as a linear combination of earlier ones (0 means 1e-7, as R's lm).
	AliasTol float64

	// Unseen gives each categorical term an effect for a category unseen
	// in training: UnseenNeutral the term's training average (its
	// Baseline: an unseen category moves the prediction by nothing
	// against the population); UnseenError (the zero value) leaves it an
	// error at scoring time. UnseenRiskiest is refused: a numeric target
	// has no adverse direction to be riskiest in. The fit does not change.
	Unseen UnseenPolicy

	// filled: see LogisticOptions.filled.
	filled map[string][]bool
}

// LinearFit is the result of Linear: the model and the ordinary least
// squares statistics.
type LinearFit struct {
	Model        *score.Model
	Coefficients []Coefficient // Estimate in response units per unit; StdErr from sigma^2 (X'X)^-1
	Rows         int           // rows used
	Dropped      int           // rows skipped under MissingDrop
	Blanks       []BlankFill   // inputs given a missing indicator (MissingIndicator)
	RSS          float64       // residual sum of squares
	R2           float64       // 1 - RSS/TSS
	AdjR2        float64       // 1 - (1-R2)(n-1)/(n-p)
	Sigma        float64       // residual standard error sqrt(RSS/(n-p))
	LogLik       float64       // Gaussian log-likelihood at the estimate (sigma^2 = RSS/n)
	DF           int           // residual degrees of freedom n - p (p counts the intercept, not aliased columns)
	// Collinear lists the design columns whose variance inflation factor
	// is at least VIFLimit, largest first (see Collinear).
	Collinear []Collinear
}

// Aliased returns the names of the aliased columns.
func (f *LinearFit) Aliased() []string { return aliasedNames(f.Coefficients) }

// Linear fits an ordinary least squares regression of the numeric
// target on every input feature of s (numeric features linearly,
// categorical features one-hot with the first of their sorted levels as the
// reference, as Logistic) with github.com/sajari/regression, and returns
// a LinearModel: score = intercept + sum of terms, in the target's units,
// with the same additive terms, baselines and statistics as the other
// model kinds, so breakdowns and reasons work unchanged. Declared special
// codes of numeric inputs get indicator columns and fold into special bins,
// as in Logistic.
//
// Aliased columns (linear combinations of earlier columns, found by
// Gram-Schmidt with relative tolerance AliasTol) are reported and fixed at
// 0 before the solve, because sajari/regression divides by the QR diagonal
// and would return infinities. ctx is checked before the solve.
func Linear(ctx context.Context, t *score.Table, s *score.Schema, target string, opts *LinearOptions) (*LinearFit, error) {
	if opts == nil {
		opts = &LinearOptions{}
	}
	maxRows := opts.MaxRows
	if maxRows <= 0 {
		maxRows = 5000
	}
	tol := opts.AliasTol
	if tol <= 0 {
		tol = 1e-7
	}
	if err := checkFill(s, opts.Fill); err != nil {
		return nil, err
	}
	if err := opts.Unseen.check(); err != nil {
		return nil, err
	}
	if opts.Unseen == UnseenRiskiest {
		return nil, fmt.Errorf("%w: unseen-category policy %q: a linear model's numeric target has no adverse direction to be riskiest in (want %q, or none: an unseen category stays an error)", score.ErrData, UnseenRiskiest, UnseenNeutral)
	}
	if needsIndicators(t, s, target, opts.Missing, opts.Fill) { // indicator terms for special codes and blanks (logistic_special.go)
		return linearWithSpecials(ctx, t, s, target, opts)
	}
	tc, err := targetColumn(t, target)
	if err != nil {
		return nil, err
	}
	// Read the target (NaN when blank), then the inputs.
	y := make([]float64, t.Len())
	var yerrs []error
	for r := 0; r < t.Len(); r++ {
		cell := t.Cell(r, tc)
		if cell == "" {
			y[r] = math.NaN()
			continue
		}
		x, err := score.ParseNumber(cell)
		if err != nil || !isFinite(x) {
			yerrs = append(yerrs, &score.FieldError{Row: r + 1, Feature: target, Value: strconv.Quote(cell), Err: score.ErrWrongKind})
			continue
		}
		y[r] = x
	}
	if yerrs != nil {
		return nil, fmt.Errorf("%w: target %q must be numeric: %v", score.ErrData, target, yerrs[0])
	}
	d, err := linearDesign(t, s, target, y, opts)
	if err != nil {
		return nil, err
	}
	n := len(d.Rows)
	oh := newOneHot(d)
	cols, names := oh.cols, oh.names
	yy := make([]float64, n)
	for r, row := range d.Rows {
		yy[r] = y[row]
	}
	aliased := aliasedColumns(cols, tol)
	var keep []int
	for c := 1; c < len(cols); c++ {
		if !aliased[c] {
			keep = append(keep, c)
		}
	}
	p := len(keep) + 1
	if n <= p {
		return nil, fmt.Errorf("%w: %d rows for %d coefficients", score.ErrData, n, p)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	reg := new(regression.Regression)
	reg.SetObserved(target)
	for i, c := range keep {
		reg.SetVar(i, names[c])
	}
	var pts regression.DataPoints
	if n <= maxRows {
		pts = make(regression.DataPoints, n)
		for r := 0; r < n; r++ {
			vars := make([]float64, len(keep))
			for i, c := range keep {
				vars[i] = cols[c][r]
			}
			pts[r] = regression.DataPoint(yy[r], vars)
		}
	} else if pts, err = reducedSystem(cols, keep, yy); err != nil {
		return nil, err
	}
	reg.Train(pts...)
	if err := reg.Run(); err != nil {
		return nil, fmt.Errorf("%w: least squares: %v", score.ErrData, err)
	}
	coef := make([]float64, len(cols))
	coef[0] = reg.Coeff(0)
	for i, c := range keep {
		coef[c] = reg.Coeff(i + 1)
	}
	for c, b := range coef {
		if !isFinite(b) {
			return nil, fmt.Errorf("%w: coefficient of %s is not finite (numerically singular design)", score.ErrData, names[c])
		}
	}
	// Residuals and statistics.
	fitted := make([]float64, n)
	var rss, ybar float64
	for r := 0; r < n; r++ {
		v := coef[0]
		for _, c := range keep {
			v += coef[c] * cols[c][r]
		}
		fitted[r] = v
		rss += (yy[r] - v) * (yy[r] - v)
		ybar += yy[r]
	}
	ybar /= float64(n)
	var tss float64
	for _, v := range yy {
		tss += (v - ybar) * (v - ybar)
	}
	fit := &LinearFit{Rows: n, Dropped: d.Dropped, RSS: rss, DF: n - p}
	fit.R2 = 1 - rss/tss
	fit.AdjR2 = 1 - (1-fit.R2)*float64(n-1)/float64(n-p)
	fit.Sigma = math.Sqrt(rss / float64(n-p))
	fit.LogLik = -float64(n) / 2 * (math.Log(2*math.Pi*rss/float64(n)) + 1)
	se := olsStdErr(cols, keep, fit.Sigma*fit.Sigma)
	for c, name := range names {
		co := Coefficient{Name: name, Estimate: coef[c], StdErr: se[c], Aliased: aliased[c]}
		fit.Coefficients = append(fit.Coefficients, co)
	}
	// The model.
	spec := score.Spec{Name: opts.Name, Version: opts.Version, Kind: score.LinearModel, Target: target, Features: s.Features(), Intercept: coef[0]}
	if spec.Name == "" {
		spec.Name = "linear"
	}
	if spec.Version == "" {
		spec.Version = "1"
	}
	fit.Collinear = collinearity(cols, names, aliased, d.Weights, oh.groups(d))
	spec.Terms = oh.terms(d, coef, opts.Fill, yy, opts.filled)
	unseenEffects(spec.Terms, opts.Unseen)
	spec.Training = &score.Training{Rows: n, Dropped: d.Dropped, Converged: true, LogLik: fit.LogLik,
		Aliased: fit.Aliased(), ScoreQuants: deciles(fitted)}
	m, err := score.NewModel(spec)
	if err != nil {
		return nil, err
	}
	fit.Model = m
	return fit, nil
}

// reducedSystem returns p equations with the least squares solution of
// the n x p system [1 X] b = y (columns: the intercept, then keep): with
// the thin QR [1 X y] = Q [R z; 0 s], R b = z has that solution exactly.
// Row k >= 1 of R starts with 0; adding row 0 divided by R00 (and dividing
// row 0 by R00) makes every equation start with 1, the intercept column
// sajari/regression adds, without changing the solution (a non-singular
// lower-triangular combination of the equations).
func reducedSystem(cols [][]float64, keep []int, y []float64) (regression.DataPoints, error) {
	n, p := len(y), len(keep)+1
	a := mat.NewDense(n, p+1, nil)
	for r := 0; r < n; r++ {
		a.Set(r, 0, 1)
		for i, c := range keep {
			a.Set(r, i+1, cols[c][r])
		}
		a.Set(r, p, y[r])
	}
	var qr mat.QR
	qr.Factorize(a)
	var rr mat.Dense
	qr.RTo(&rr)
	r00 := rr.At(0, 0)
	if r00 == 0 || !isFinite(r00) {
		return nil, fmt.Errorf("%w: least squares reduction failed", score.ErrData)
	}
	pts := make(regression.DataPoints, p)
	for k := 0; k < p; k++ {
		row := make([]float64, p)
		rhs := rr.At(k, p)
		for j := 0; j < p; j++ {
			row[j] = rr.At(k, j)
		}
		if k == 0 {
			for j := range row {
				row[j] /= r00
			}
			rhs /= r00
		} else {
			for j := range row {
				row[j] += rr.At(0, j) / r00
			}
			rhs += rr.At(0, p) / r00
		}
		row[0] = 1 // exactly, for sajari's intercept column
		pts[k] = regression.DataPoint(rhs, row[1:])
	}
	return pts, nil
}

// linearDesign reads the inputs of s for the rows whose target is present
// (or, under MissingError, fails on a missing target).
func linearDesign(t *score.Table, s *score.Schema, target string, y []float64, opts *LinearOptions) (*Design, error) {
	inputs, cols, err := designInputs(t, s, target)
	if err != nil {
		return nil, err
	}
	if err := checkDesign(t, s, inputs, cols, true); err != nil { // budget.go
		return nil, err
	}
	d := &Design{Schema: s, Inputs: inputs}
	if len(d.Inputs) == 0 {
		return nil, fmt.Errorf("%w: no input features", score.ErrData)
	}
	d.Values = make([][]score.Value, len(d.Inputs))
	vals := make([]score.Value, len(cols))
	var errs []string
	for r := 0; r < t.Len(); r++ {
		if err := t.RowError(r); err != nil {
			if opts.Missing == MissingDrop {
				d.Dropped++
				continue
			}
			errs = append(errs, err.Error())
			continue
		}
		blank := math.IsNaN(y[r])
		var rowErrs []*score.FieldError
		if blank && opts.Missing != MissingDrop {
			rowErrs = append(rowErrs, &score.FieldError{Row: r + 1, Feature: target, Err: score.ErrMissing})
		}
		fieldErrs, blankInput := d.readRow(t, cols, r, opts.Fill, vals)
		rowErrs = append(rowErrs, fieldErrs...)
		blank = blank || blankInput
		if blank && opts.Missing == MissingDrop {
			d.Dropped++
			continue
		}
		if rowErrs != nil {
			errs = append(errs, (&score.RecordError{Row: r + 1, Fields: rowErrs}).Error())
			continue
		}
		d.Rows = append(d.Rows, r)
		for k := range cols {
			d.Values[k] = append(d.Values[k], vals[k])
		}
	}
	if errs != nil {
		more := ""
		if len(errs) > 5 {
			more = fmt.Sprintf(" (and %d more rows)", len(errs)-5)
			errs = errs[:5]
		}
		return nil, fmt.Errorf("%w: %s%s", score.ErrData, strings.Join(errs, "; "), more)
	}
	if len(d.Rows) == 0 {
		return nil, fmt.Errorf("%w: no usable rows", score.ErrData)
	}
	return d, nil
}

// aliasedColumns marks the columns that are linear combinations of earlier
// kept columns: modified Gram-Schmidt, a column is aliased when the norm of
// what is left after projecting out the earlier ones is below tol times its
// own norm.
func aliasedColumns(cols [][]float64, tol float64) []bool {
	out := make([]bool, len(cols))
	var basis [][]float64
	for c, col := range cols {
		v := slices.Clone(col)
		norm0 := math.Sqrt(dot(v, v))
		for _, q := range basis {
			proj := dot(v, q)
			for i := range v {
				v[i] -= proj * q[i]
			}
		}
		norm := math.Sqrt(dot(v, v))
		if norm0 == 0 || norm <= tol*norm0 {
			out[c] = true
			continue
		}
		for i := range v {
			v[i] /= norm
		}
		basis = append(basis, v)
	}
	return out
}

func dot(a, b []float64) float64 {
	var s float64
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

// olsStdErr returns sqrt(sigma2 * diag((X'X)^-1)) over the intercept and
// the kept columns; NaN for aliased columns or a singular X'X.
func olsStdErr(cols [][]float64, keep []int, sigma2 float64) []float64 {
	out := make([]float64, len(cols))
	for i := range out {
		out[i] = math.NaN()
	}
	idx := append([]int{0}, keep...)
	p := len(idx)
	xtx := mat.NewSymDense(p, nil)
	for a := 0; a < p; a++ {
		for b := a; b < p; b++ {
			xtx.SetSym(a, b, dot(cols[idx[a]], cols[idx[b]]))
		}
	}
	var ch mat.Cholesky
	if !ch.Factorize(xtx) {
		return out
	}
	var inv mat.SymDense
	if err := ch.InverseTo(&inv); err != nil {
		return out
	}
	for a, c := range idx {
		out[c] = math.Sqrt(sigma2 * inv.At(a, a))
	}
	return out
}

// FormatCoefficients renders the coefficient table as text.
func (f *LinearFit) FormatCoefficients() string {
	var b strings.Builder
	writeCoefficients(&b, f.Coefficients, "t")
	fmt.Fprintf(&b, "rows %d, residual df %d, R^2 %.4f (adjusted %.4f), residual std. error %.6g\n", f.Rows, f.DF, f.R2, f.AdjR2, f.Sigma)
	return b.String()
}
