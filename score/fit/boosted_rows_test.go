package fit

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"syscall"
	"testing"

	"github.com/stretchr/testify/require"
)

// rowsCase is random rows of a bag: odds, outcomes, weights and two
// columns (the pending feature's and the boosted feature's) of the given
// numbers of bins.
type rowsCase struct {
	te, y, w []float64
	pc, col  binCol
	pcBins   int
	colBins  int
	f        []float64
}

func newRowsCase(n, pcBins, colBins int, seed uint64) rowsCase {
	rng := rand.New(rand.NewPCG(seed, 1))
	c := rowsCase{te: make([]float64, n), y: make([]float64, n), w: make([]float64, n),
		pc: makeBinCol(pcBins, n), col: makeBinCol(colBins, n), pcBins: pcBins, colBins: colBins,
		f: make([]float64, max(pcBins, 256))}
	for i := range n {
		c.te[i] = math.Exp(rng.NormFloat64() * 2)
		if rng.Float64() < 0.3 {
			c.y[i] = 1
		}
		c.w[i] = rng.Float64() * 3
		c.pc.set(i, uint16(rng.IntN(pcBins)))
		// runs of one bin, as a feature of few levels or sorted data gives
		c.col.set(i, uint16(rng.IntN(colBins)))
	}
	for b := range c.f {
		c.f[b] = math.Exp(rng.NormFloat64() * 0.1)
	}
	return c
}

func (c rowsCase) bin(col binCol, i int) int {
	if col.u8 != nil {
		return int(col.u8[i])
	}
	return int(col.u16[i])
}

// TestStepRowsMatchesPlain: the interleaved, unrolled row loops give the
// odds of the plain formula exactly and its sums to 1e-12 (relative; only
// the order of the additions differs), for every width of the two
// columns, with and without weights, over row counts that leave every
// remainder of the unrolling. scatterRows likewise.
func TestStepRowsMatchesPlain(t *testing.T) {
	for _, bins := range [][2]int{{2, 3}, {256, 200}, {300, 7}, {5, 1000}, {1024, 1024}} {
		for _, n := range []int{1, 2, 3, 4, 5, 7, 1001} {
			for _, weighted := range []bool{false, true} {
				c := newRowsCase(n, bins[0], bins[1], uint64(n*bins[0]+bins[1]))
				var w []float64
				if weighted {
					w = c.w
				}
				// the plain formula
				te := append([]float64(nil), c.te...)
				wantG, wantH := make([]float64, c.colBins), make([]float64, c.colBins)
				gr, hr := make([]float64, n), make([]float64, n)
				for i := range te {
					e := te[i] * c.f[c.bin(c.pc, i)]
					te[i] = e
					p := e / (1 + e)
					wi := 1.0
					if w != nil {
						wi = w[i]
					}
					gr[i], hr[i] = wi*(p-c.y[i]), wi*p*(1-p)
					wantG[c.bin(c.col, i)] += gr[i]
					wantH[c.bin(c.col, i)] += hr[i]
				}
				acc := make([][2]float64, histCopies*max(c.colBins, 256))
				g, h := make([]float64, max(c.colBins, 256)), make([]float64, max(c.colBins, 256))
				stepRows(c.te, c.y, w, c.pc, c.col, c.f, acc, c.colBins, g, h)
				require.Equal(t, te, c.te, "odds, bins %v, %d rows", bins, n)
				sg, sh := make([]float64, len(g)), make([]float64, len(h))
				scatterRows(c.col, gr, hr, acc, c.colBins, sg, sh)
				for b := range c.colBins {
					require.InDelta(t, wantG[b], g[b], 1e-12*(1+math.Abs(wantG[b])), "gradient bin %d, bins %v, %d rows", b, bins, n)
					require.InDelta(t, wantH[b], h[b], 1e-12*(1+math.Abs(wantH[b])), "hessian bin %d", b)
					require.InDelta(t, wantG[b], sg[b], 1e-12*(1+math.Abs(wantG[b])), "scattered gradient bin %d", b)
					require.InDelta(t, wantH[b], sh[b], 1e-12*(1+math.Abs(wantH[b])), "scattered hessian bin %d", b)
				}
				for _, x := range acc {
					require.Equal(t, [2]float64{}, x, "the scratch is left zero")
				}
			}
		}
	}
}

// TestSumLog1p: the product form equals the sum of math.Log1p to 1e-12
// (relative), on ordinary odds and on odds large enough to need the
// renormalisation and the own-logarithm path.
func TestSumLog1p(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, scale := range []float64{0.01, 1, 5, 50, 400} {
		xs := make([]float64, 5000)
		var want float64
		for i := range xs {
			xs[i] = math.Exp(rng.NormFloat64() * scale)
			want += math.Log1p(xs[i])
		}
		require.InDelta(t, want, sumLog1p(xs), 1e-12*want, "scale %v", scale)
	}
	require.Equal(t, 0.0, sumLog1p(nil))
	require.InDelta(t, math.Log1p(1e-300)+math.Log1p(1e300)+math.Log(2), sumLog1p([]float64{1e-300, 1e300, 1}), 1e-12*700)
}

// plainStepRows8 is the row loop before the interleaved copies: one
// histogram, one row at a time (the benchmark's reference).
func plainStepRows8(te, y []float64, pc, col []uint8, f *[256]float64, g, h *[256]float64) {
	y, pc, col = y[:len(te)], pc[:len(te)], col[:len(te)]
	for i, e := range te {
		e *= f[pc[i]]
		te[i] = e
		r := 1 / (1 + e)
		p := e * r
		b := col[i]
		g[b] += p - y[i]
		h[b] += p * r
	}
}

// threadCPU is the calling thread's CPU time (the benchmark locks its
// goroutine to a thread): on a shared machine, wall time counts others'
// work too.
func threadCPU() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(1, &ru); err != nil { // RUSAGE_THREAD
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}

// BenchmarkStepRows is one boosting step's row loop over 27,000 rows (an
// Adult bag's inner training rows), unweighted: byte columns of 2 and 100
// bins (and the plain one-histogram loop on them, "plain"), and 1,024-bin
// columns. cpu-ns/row is the thread's CPU time per row.
func BenchmarkStepRows(b *testing.B) {
	for _, bins := range [][2]int{{2, 2}, {100, 100}, {1024, 1024}} {
		c := newRowsCase(27000, bins[0], bins[1], 1)
		for k := range c.f {
			c.f[k] = 1 // the odds stay put from one run to the next
		}
		acc := make([][2]float64, histCopies*max(c.colBins, 256))
		g, h := make([]float64, max(c.colBins, 256)), make([]float64, max(c.colBins, 256))
		run := func(name string, step func()) {
			b.Run(fmt.Sprintf("bins_%d_%d%s", bins[0], bins[1], name), func(b *testing.B) {
				runtime.LockOSThread()
				defer runtime.UnlockOSThread()
				cpu := threadCPU()
				for b.Loop() {
					step()
				}
				b.ReportMetric(float64(threadCPU()-cpu)/float64(b.N)/float64(len(c.te)), "cpu-ns/row")
			})
		}
		run("", func() { stepRows(c.te, c.y, nil, c.pc, c.col, c.f, acc, c.colBins, g, h) })
		if c.col.u8 != nil {
			run("_plain", func() {
				clear(g)
				clear(h)
				plainStepRows8(c.te, c.y, c.pc.u8, c.col.u8, (*[256]float64)(c.f), (*[256]float64)(g), (*[256]float64)(h))
			})
		}
	}
}
