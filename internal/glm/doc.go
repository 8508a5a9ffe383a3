// Package glm is the numerical core of candor's logistic regression: it fits
// coefficients to a design matrix, and says when that cannot be done.
//
// # Model and objective
//
// A Problem holds the design matrix by column (X[j] is column j; an intercept
// is just a column of ones), a response y_i in [0, 1] (0/1, or a fraction of
// successes) and optional non-negative row weights w_i (nil = all ones), which
// act as frequency weights: weight 2 is the same as repeating the row, so
// standard errors shrink with the total weight (statsmodels' freq_weights).
// With p_i = 1/(1+exp(-x_i'beta)) FitLogistic minimises
//
//	-LogLik(beta) + L2/2 * sum_{j penalised} beta_j^2,
//	LogLik(beta) = sum_i w_i [y_i log p_i + (1-y_i) log(1-p_i)],
//
// in natural-log units; L2 = 0 is maximum likelihood. Penalize selects the
// penalised columns (nil: all but column 0). scikit-learn's
// LogisticRegression(C) with an unpenalised intercept is the case L2 = 1/C.
//
// # Algorithm and convergence
//
// Newton's method (IRLS), started at beta = 0: each step solves
// (X'VX + L2 P) delta = X'w(y-p) - L2 P beta by Cholesky, with
// V = diag(w_i p_i (1-p_i)), and is halved (up to 50 times) while it would
// increase the penalised deviance D = 2(sat - LogLik) + L2 sum_{penalised}
// beta_j^2 (sat is the log-likelihood of the saturated model, 0 for 0/1
// data). The fit has converged when
//
//	|D_k - D_{k-1}| / (|D_k| + 0.1) <= Tol   (R's glm rule), and
//	|delta_j| <= sqrt(Tol) * (1 + |beta_j|)  for every j in the last step;
//
// after such a step the coefficients are within about Tol (relatively) of
// the optimum, since Newton's method converges quadratically. The step rule
// keeps a fit whose coefficients still drift (separation) from passing as
// converged. Not converging within MaxIter is not an error: Result.Converged
// is false.
//
// # Sums: one iteration's pass over the rows
//
// Everything an iteration needs from the rows (X'VX, X'(y-p), the
// log-likelihood and row counts at one coefficient vector) is a Sums, a
// mergeable accumulator: Add a row or AddBlock a block of rows (with
// weights and an offset), Merge, MarshalBinary. FitLogistic takes one pass
// of Sums per Newton step over fixed blocks of 1024 rows, on all CPUs,
// merged in block order (so the result does not depend on the number of
// CPUs), with index lists for sparse (one-hot) column blocks; a step
// halving takes a pass of the log-likelihood only. FitPasses runs the same
// iteration over Sums the caller computes (a stream read once per
// iteration, the workers of a cluster): different splits of the rows sum
// in different orders, so their coefficients agree to rounding (a
// relative 1e-12 in the tests), not to the last bit. FitLogisticBounded
// takes its sums from the same passes.
//
// # Aliasing
//
// Before fitting, columns are tested in order against the columns kept
// before them, like R's lm/glm with its pivoting QR: a pivot-free Cholesky
// factorisation of the weighted cross product X'diag(w)X with each column
// scaled to unit norm. Column j is aliased when the norm of its part not
// explained by the earlier kept columns is below AliasTol (default 1e-7)
// times its own norm; all-zero columns are aliased too. Aliased columns are
// left out of the fit and get Coef 0, StdErr NaN and Aliased true (R shows
// NA). The other coefficients are the maximum-likelihood estimate for the
// kept columns, which spans the same model. Which column of a dependent set
// is dropped depends on the order: always the later one.
//
// That squared norm is computed as 1 minus a sum of squares, with a
// rounding error of some machine epsilons, so an exactly aliased column can
// pass the test when AliasTol^2 is near that error (1e-14 against 1.35e-14
// on a telecom file of 60 columns). When the penalised X'WX over the kept
// columns is then numerically singular (no Cholesky factor, or a condition
// number above gonum's mat.ConditionTolerance, 1e16), the last column with
// a loading of at least 0.1 in the eigenvector of its correlation form's
// smallest eigenvalue is aliased as well, and the check repeats.
//
// # Separation
//
// When some direction b != 0 has x_i'b >= 0 on every row with y_i = 1 and
// x_i'b <= 0 on every row with y_i = 0 (x_i'b = 0 on fractional rows), the
// likelihood keeps increasing along b and the maximum-likelihood estimate
// does not exist: complete separation when every row is then perfectly
// predicted, quasi-complete when some rows sit on the boundary. FitLogistic
// looks for it when the fit did not converge, when some fitted probability
// is within 1e-8 of 0 or 1 (from the 12th iteration on, so that a
// separated fit stops early), and always when L2 > 0. It first tries to prove
// that there is none (residuals with the sign of y - 1/2 that are orthogonal
// to X, which exist exactly when the data are not separated), and otherwise
// solves the linear program of Konis (2007), also used by R's
// detectseparation: maximise sum_i s_i x_i'b subject to s_i x_i'b >= 0 and
// |b_j| <= 1 (columns scaled to max |x_ij| = 1), then again over the rows not
// yet strictly separated, until no more join. (When the current
// coefficients already put every row strictly on its side, complete
// separation is reported without the linear program, with the columns of
// non-zero coefficient.) Separation.Columns lists the
// columns with b_j != 0 in these solutions, Rows counts the rows with
// s_i x_i'b > 0, and Complete says whether that is every row of positive
// weight.
//
// Without a penalty, separation makes FitLogistic return the last iterate
// with Converged false, Separation set, and a *SeparationError wrapping
// ErrSeparation. With L2 > 0 the penalised optimum is finite when the
// separating directions involve penalised columns: then Separation is set
// and the error is nil. (If the penalised fit still does not converge, the
// error is returned as well.)
//
// # Errors
//
// Bad input never panics. Data errors are *DataError values naming the field,
// column and first bad row, wrapping one of ErrDimension, ErrNotFinite,
// ErrBadWeight, ErrBadResponse or ErrBadSetting; all are reported at once,
// joined with errors.Join. ErrEmpty has no detail. Linear-algebra failures
// (and any panic inside gonum) become ErrNumerical. Cancelling ctx stops the
// fit between iterations; FitLogistic then returns the current iterate and
// ctx.Err(). Test errors with errors.Is and errors.As.
package glm
