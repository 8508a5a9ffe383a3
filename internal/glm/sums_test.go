package glm

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"runtime"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/internal/crosscheck"
)

// TestSumsAddByHand checks one row's terms against a hand computation:
// at beta = 0, row 1 (x = (1, 2), y = 1, w = 2, offset ln 3) has p = 3/4,
// so w p(1-p) = 3/8, w(y-p) = 1/2 and log-likelihood 2 ln(3/4); row 2
// (x = (1, 0), y = 0, w = 1) has p = 1/2: 1/4, -1/2 and -ln 2.
func TestSumsAddByHand(t *testing.T) {
	s := NewSums([]float64{0, 0}, true)
	require.NoError(t, s.Add([]float64{1, 2}, 1, 2, math.Log(3)))
	require.NoError(t, s.Add([]float64{1, 0}, 0, 1, 0))
	require.NoError(t, s.Add([]float64{5, 5}, 1, 0, 0)) // weight 0: no part
	want := []float64{3.0/8 + 1.0/4, 3.0 / 4, 3.0 / 4, 3.0/2 + 0}
	got := s.Hessian()
	for i := range want {
		require.InDelta(t, want[i], got[i], 1e-15, "hessian %d", i)
	}
	g := s.Gradient()
	require.InDelta(t, 0.5-0.5, g[0], 1e-15)
	require.InDelta(t, 1.0, g[1], 1e-15)
	require.InDelta(t, 2*math.Log(0.75)-math.Ln2, s.LogLik(), 1e-15)
	require.Equal(t, int64(2), s.Rows())
	require.Equal(t, 3.0, s.Weight())
	require.Equal(t, 2.0, s.Events())
	require.Equal(t, 0.0, s.Saturated())
	require.Equal(t, int64(0), s.Extreme())

	// A fractional response has a saturated term: w [y ln y + (1-y) ln(1-y)].
	f := NewSums([]float64{0}, false)
	require.NoError(t, f.Add([]float64{1}, 0.25, 4, 0))
	require.InDelta(t, 4*(0.25*math.Log(0.25)+0.75*math.Log(0.75)), f.Saturated(), 1e-15)
	require.Nil(t, f.Hessian())
	require.Nil(t, f.Gradient())
}

func TestSumsErrors(t *testing.T) {
	s := NewSums([]float64{0, 1}, true)
	var de *DataError
	err := s.Add([]float64{1}, 1, 1, 0)
	require.ErrorIs(t, err, ErrDimension)
	require.ErrorIs(t, s.Add([]float64{1, math.NaN()}, 1, 1, 0), ErrNotFinite)
	require.ErrorIs(t, s.Add([]float64{1, 1}, 2, 1, 0), ErrBadResponse)
	require.ErrorIs(t, s.Add([]float64{1, 1}, 1, -1, 0), ErrBadWeight)
	require.ErrorIs(t, s.Add([]float64{1, 1}, 1, 1, math.Inf(1)), ErrNotFinite)
	err = s.AddBlock(Block{X: [][]float64{{1, 1, 1}, {0, 1, 2}}, Y: []float64{0, 1, 1.5}})
	require.ErrorIs(t, err, ErrBadResponse)
	require.True(t, errors.As(err, &de))
	require.Equal(t, 2, de.Row)
	err = s.AddBlock(Block{X: [][]float64{{1, 1}, {0, 1, 2}}, Y: []float64{0, 1, 1}, Offset: []float64{0}})
	require.ErrorIs(t, err, ErrDimension)
	require.Equal(t, int64(0), s.Rows(), "bad rows leave the sums unchanged")

	require.ErrorIs(t, s.Merge(NewSums([]float64{0, 2}, true)), ErrMerge)
	require.ErrorIs(t, s.Merge(NewSums([]float64{0, 1}, false)), ErrMerge)
	require.ErrorIs(t, s.Merge(NewSums([]float64{0}, true)), ErrMerge)
	require.NoError(t, s.Merge(NewSums([]float64{0, 1}, true)))

	var d Sums
	require.Error(t, d.UnmarshalBinary([]byte("not gob")))
}

// sumsEqual requires a and b to be equal to the last bit.
func sumsEqual(t *testing.T, a, b *Sums) {
	t.Helper()
	require.Equal(t, a.beta, b.beta)
	require.Equal(t, a.hessian, b.hessian)
	require.Equal(t, a.h, b.h)
	require.Equal(t, a.g, b.g)
	require.Equal(t, math.Float64bits(a.loglik), math.Float64bits(b.loglik))
	require.Equal(t, math.Float64bits(a.sat), math.Float64bits(b.sat))
	require.Equal(t, a.rows, b.rows)
	require.Equal(t, a.weight, b.weight)
	require.Equal(t, a.events, b.events)
	require.Equal(t, a.extreme, b.extreme)
}

// TestAddBlockIsTheFitsPass: a stream cut into blocks of 1024 rows, each
// added in order, gives FitLogistic's pass to the last bit; AddBlock of
// the whole design too; row-by-row Add agrees to rounding.
func TestAddBlockIsTheFitsPass(t *testing.T) {
	p := syntheticProblem(5000, 22, 3)
	p.Weights = make([]float64, len(p.Y))
	rng := rand.New(rand.NewPCG(4, 4))
	for i := range p.Weights {
		p.Weights[i] = float64(rng.IntN(3))
	}
	beta := make([]float64, 22)
	for j := range beta {
		beta[j] = 0.1 * float64(j%5-2)
	}
	want, err := newMemPass(newCrossProd(p.X, 5000), p.Y, p.Weights).pass(context.Background(), beta, true)
	require.NoError(t, err)

	whole := NewSums(beta, true)
	require.NoError(t, whole.AddBlock(Block{X: p.X, Y: p.Y, Weights: p.Weights}))
	sumsEqual(t, want, whole)

	stream := NewSums(beta, true)
	for lo := 0; lo < 5000; lo += chunkRows {
		hi := min(lo+chunkRows, 5000)
		cols := make([][]float64, len(p.X))
		for j := range cols {
			cols[j] = p.X[j][lo:hi]
		}
		require.NoError(t, stream.AddBlock(Block{X: cols, Y: p.Y[lo:hi], Weights: p.Weights[lo:hi]}))
	}
	sumsEqual(t, want, stream)

	rows := NewSums(beta, true)
	x := make([]float64, len(p.X))
	for i := range p.Y {
		for j := range x {
			x[j] = p.X[j][i]
		}
		require.NoError(t, rows.Add(x, p.Y[i], p.Weights[i], 0))
	}
	for i, h := range want.h {
		require.InDelta(t, h, rows.h[i], 1e-12*math.Max(1, math.Abs(h)), "hessian %d", i)
	}
	for j, g := range want.g {
		require.InDelta(t, g, rows.g[j], 1e-11*math.Max(1, math.Abs(g)), "gradient %d", j)
	}
	require.InDelta(t, want.loglik, rows.loglik, 1e-12*math.Abs(want.loglik))
	require.Equal(t, want.rows, rows.rows)
}

// splitPass is a Pass over p's rows permuted, cut into k parts of random
// sizes (crosscheck.Split), each part summed on its own (rows one by one
// with Add, or blocks of random sizes with AddBlock), then merged by tree
// (crosscheck.MergeTree). It is what a stream or a cluster does.
func splitPass(p Problem, k int, tree string, seed uint64) Pass {
	split := crosscheck.Split(len(p.Y), k, seed)
	w := func(i int) float64 {
		if p.Weights == nil {
			return 1
		}
		return p.Weights[i]
	}
	return func(ctx context.Context, beta []float64, hessian bool) (*Sums, error) {
		parts := make([]*Sums, k)
		x := make([]float64, len(p.X))
		for part, rows := range split {
			s := NewSums(beta, hessian)
			if part%2 == 0 {
				for _, i := range rows {
					for j := range x {
						x[j] = p.X[j][i]
					}
					if err := s.Add(x, p.Y[i], w(i), 0); err != nil {
						return nil, err
					}
				}
			} else {
				for len(rows) > 0 {
					m := min(len(rows), 1+int(seed)%700+part)
					b := Block{X: make([][]float64, len(p.X)), Y: make([]float64, m), Weights: make([]float64, m)}
					for j := range b.X {
						b.X[j] = make([]float64, m)
					}
					for r, i := range rows[:m] {
						for j := range b.X {
							b.X[j][r] = p.X[j][i]
						}
						b.Y[r], b.Weights[r] = p.Y[i], w(i)
					}
					if err := s.AddBlock(b); err != nil {
						return nil, err
					}
					rows = rows[m:]
				}
			}
			parts[part] = s
		}
		return crosscheck.MergeTree(parts, tree, (*Sums).Merge)
	}
}

// TestFitPassesSplitMerge: fitting through Sums of the rows permuted,
// split into k parts and merged in different orders gives FitLogistic's
// coefficients to a relative 1e-12 (floor 1e-2 for coefficients near 0):
// not to the last bit, because floating-point addition is not
// associative, so each split sums X'VX, X'r and the log-likelihood in
// another order (a relative 1e-16 or so per sum), and Newton's method
// carries such differences to the coefficients without amplifying them.
// The statsmodels fixture (testdata/reference.json, weighted and not, and
// the ridge case) and a 5000-row design with one-hot blocks.
func TestFitPassesSplitMerge(t *testing.T) {
	ref := loadReference(t)
	l2 := ref.Cases["l2_weighted"].L2
	problems := []struct {
		name string
		p    Problem
	}{
		{"statsmodels unweighted", Problem{X: ref.X, Y: ref.Y}},
		{"statsmodels freq_weights", Problem{X: ref.X, Y: ref.Y, Weights: ref.W}},
		{"statsmodels l2", Problem{X: ref.X, Y: ref.Y, Weights: ref.W, L2: l2}},
		{"synthetic 5000x22 one-hot", syntheticProblem(5000, 22, 5)},
	}
	ctx := context.Background()
	worst := 0.0
	defer func() { t.Logf("largest relative coefficient difference: %.3g", worst) }()
	for _, tc := range problems {
		want, err := FitLogistic(ctx, tc.p, nil)
		require.NoError(t, err)
		require.True(t, want.Converged)
		for _, k := range []int{1, 2, 5, 13} {
			for ti, tree := range crosscheck.Trees {
				got, err := FitPasses(ctx, Passes{Columns: len(tc.p.X), Pass: splitPass(tc.p, k, tree, uint64(10*k+ti)), L2: tc.p.L2}, nil)
				require.NoError(t, err, "%s k=%d %s", tc.name, k, tree)
				require.True(t, got.Converged)
				require.Equal(t, want.Iterations, got.Iterations, "%s k=%d %s", tc.name, k, tree)
				for j, c := range want.Coef {
					worst = math.Max(worst, math.Abs(c-got.Coef[j])/math.Max(math.Abs(c), 1e-2))
					require.InDelta(t, c, got.Coef[j], 1e-12*math.Max(math.Abs(c), 1e-2), "%s k=%d %s coef %d", tc.name, k, tree, j)
					require.InDelta(t, want.StdErr[j], got.StdErr[j], 1e-10*want.StdErr[j], "%s k=%d %s stderr %d", tc.name, k, tree, j)
				}
				require.InDelta(t, want.LogLik, got.LogLik, 1e-12*math.Abs(want.LogLik))
			}
		}
	}
}

// TestFitPassesOffset: a constant offset c on every row is an intercept
// shift, so the fit with offset has intercept beta_0 - c and the same
// slopes (statsmodels fixture, freq weights).
func TestFitPassesOffset(t *testing.T) {
	ref := loadReference(t)
	want, err := FitLogistic(context.Background(), Problem{X: ref.X, Y: ref.Y, Weights: ref.W}, nil)
	require.NoError(t, err)
	const c = 0.7
	off := make([]float64, len(ref.Y))
	for i := range off {
		off[i] = c
	}
	pass := func(ctx context.Context, beta []float64, hessian bool) (*Sums, error) {
		s := NewSums(beta, hessian)
		return s, s.AddBlock(Block{X: ref.X, Y: ref.Y, Weights: ref.W, Offset: off})
	}
	got, err := FitPasses(context.Background(), Passes{Columns: len(ref.X), Pass: pass}, nil)
	require.NoError(t, err)
	require.True(t, got.Converged)
	require.InDelta(t, want.Coef[0]-c, got.Coef[0], 1e-8)
	for j := 1; j < len(want.Coef); j++ {
		require.InDelta(t, want.Coef[j], got.Coef[j], 1e-8*math.Max(1, math.Abs(want.Coef[j])))
		require.InDelta(t, want.StdErr[j], got.StdErr[j], 1e-8*want.StdErr[j])
	}
	require.InDelta(t, want.LogLik, got.LogLik, 1e-9*math.Abs(want.LogLik))
}

// TestFitPassesAliasedAndErrors: the aliasing test runs on the first
// pass (a column that is twice another is left out, as FitLogistic does);
// a pass's error stops the fit; a pass that answers at other
// coefficients is refused.
func TestFitPassesAliasedAndErrors(t *testing.T) {
	ref := loadReference(t)
	x := append(append([][]float64{}, ref.X...), make([]float64, len(ref.Y)))
	for i := range ref.Y {
		x[len(x)-1][i] = 2 * ref.X[1][i]
	}
	p := Problem{X: x, Y: ref.Y}
	want, err := FitLogistic(context.Background(), p, nil)
	require.NoError(t, err)
	require.True(t, want.Aliased[len(x)-1])
	got, err := FitPasses(context.Background(), Passes{Columns: len(x), Pass: splitPass(p, 3, "pairs", 1)}, nil)
	require.NoError(t, err)
	require.Equal(t, want.Aliased, got.Aliased)
	for j, c := range want.Coef {
		require.InDelta(t, c, got.Coef[j], 1e-12*math.Max(math.Abs(c), 1e-2))
	}

	boom := errors.New("disk gone")
	calls := 0
	_, err = FitPasses(context.Background(), Passes{Columns: len(ref.X), Pass: func(ctx context.Context, beta []float64, hessian bool) (*Sums, error) {
		if calls++; calls > 2 {
			return nil, boom
		}
		return splitPass(Problem{X: ref.X, Y: ref.Y}, 1, "left", 1)(ctx, beta, hessian)
	}}, nil)
	require.ErrorIs(t, err, boom)

	_, err = FitPasses(context.Background(), Passes{Columns: len(ref.X), Pass: func(ctx context.Context, beta []float64, hessian bool) (*Sums, error) {
		return NewSums(make([]float64, len(beta)+1), true), nil
	}}, nil)
	require.ErrorIs(t, err, ErrMerge)
	_, err = FitPasses(context.Background(), Passes{Columns: 0}, nil)
	require.ErrorIs(t, err, ErrEmpty)
	_, err = FitPasses(context.Background(), Passes{Columns: 2, Pass: func(ctx context.Context, beta []float64, hessian bool) (*Sums, error) {
		return NewSums(beta, true), nil
	}}, nil)
	require.ErrorIs(t, err, ErrEmpty)
}

// TestSumsCodec: decoded sums equal the encoded ones to the last bit, and
// equal sums encode to equal bytes.
func TestSumsCodec(t *testing.T) {
	p := syntheticProblem(3000, 12, 8)
	for _, hessian := range []bool{true, false} {
		s := NewSums([]float64{-1, 0.5, 0, 0, 0.1, 0, 0, 0, 0, 0, 0, 0.2}, hessian)
		require.NoError(t, s.AddBlock(Block{X: p.X, Y: p.Y}))
		b, err := s.MarshalBinary()
		require.NoError(t, err)
		var d Sums
		require.NoError(t, d.UnmarshalBinary(b))
		sumsEqual(t, s, &d)
		b2, err := d.MarshalBinary()
		require.NoError(t, err)
		require.Equal(t, b, b2)
	}
}

// TestFitDoesNotDependOnCPUs: one CPU and all of them give the same bytes
// (fixed blocks, merged in block order).
func TestFitDoesNotDependOnCPUs(t *testing.T) {
	p := syntheticProblem(20000, 30, 9)
	prev := runtime.GOMAXPROCS(1)
	one, err := FitLogistic(context.Background(), p, nil)
	runtime.GOMAXPROCS(max(prev, 4))
	many, err2 := FitLogistic(context.Background(), p, nil)
	runtime.GOMAXPROCS(prev)
	require.NoError(t, err)
	require.NoError(t, err2)
	require.Equal(t, one.Coef, many.Coef)
	require.Equal(t, one.StdErr, many.StdErr)
	require.Equal(t, math.Float64bits(one.LogLik), math.Float64bits(many.LogLik))
}

// FuzzSumsUnmarshal: any bytes decode to an error or to sums that encode
// back to bytes decoding to the same sums, and merge with sums at their
// coefficients; no panic.
func FuzzSumsUnmarshal(f *testing.F) {
	s := NewSums([]float64{0.5, -1}, true)
	_ = s.Add([]float64{1, 2}, 1, 1, 0)
	b, _ := s.MarshalBinary()
	f.Add(b)
	h := NewSums([]float64{0}, false)
	b, _ = h.MarshalBinary()
	f.Add(b)
	f.Fuzz(func(t *testing.T, b []byte) {
		var d Sums
		if d.UnmarshalBinary(b) != nil {
			return
		}
		again, err := d.MarshalBinary()
		require.NoError(t, err)
		var e Sums
		require.NoError(t, e.UnmarshalBinary(again))
		require.NoError(t, e.Merge(NewSums(d.beta, d.hessian)))
	})
}
