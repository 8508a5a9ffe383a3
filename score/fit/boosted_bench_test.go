package fit_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/fit"
	"github.com/stretchr/testify/require"
)

// benchmarkBoosted fits the boosted model with its defaults on train. It
// reports, besides the wall time, cpu-s/op (the process's user and system
// CPU seconds per fit: on a shared machine the wall time counts other
// people's work too), rows and cpu-ns/row (CPU nanoseconds per training
// row, for the growth in rows) and rounds/bag (the mean best round of a bag).
func benchmarkBoosted(b *testing.B, s *score.Schema, train *score.Table, target, event string, opts *fit.BoostedOptions) {
	b.ReportAllocs()
	b.ResetTimer()
	cpu0, rounds := processCPU(), 0
	for b.Loop() {
		bf, err := fit.Boosted(context.Background(), train, s, target, event, opts)
		require.NoError(b, err)
		rounds = 0
		for _, r := range bf.Rounds {
			rounds += r
		}
		rounds /= len(bf.Rounds)
	}
	n := float64(b.N)
	b.ReportMetric((processCPU()-cpu0).Seconds()/n, "cpu-s/op")
	b.ReportMetric(float64(train.Len()), "rows")
	b.ReportMetric(float64((processCPU()-cpu0).Nanoseconds())/n/float64(train.Len()), "cpu-ns/row")
	b.ReportMetric(float64(rounds), "rounds/bag")
}

// BenchmarkBoostedFit fits the acceptance data sets' training rows
// (German credit 700, Telco 4,930, Bank marketing 31,647, Adult 32,561)
// with the defaults, main effects only ("mains") and with InterpretML's
// default pairs, three per feature ("pairs"), and, for the growth in rows,
// Adult's training rows drawn with replacement (seeded) to 45,000,
// 450,000 and 4,500,000 rows, main effects only, two bags (of the default
// 14: one bag per core) and at most 200 rounds each (75 smoothing rounds,
// then greedy ones), so that every size runs the same rounds and the
// growth in rows is the cost of a round: the number of rounds before
// early stopping depends on the data, not on the implementation. The
// bags are independent, so 14 bags cost about 7 times as much. Bank, Adult and the
// resamples need CANDOR_LONG=1; 4.5M rows needs CANDOR_HUGE=1 besides
// (several GB of memory). The resamples are read through score.ReadCSV
// with the design and cell budgets lifted (what CANDOR_LIMITS=design=-1
// does for the command line): 4.5M rows x 15 columns is over the default
// design budget of 8 Mi cells.
func BenchmarkBoostedFit(b *testing.B) {
	for _, c := range boostedCases {
		for _, v := range []struct {
			name string
			n    int
		}{{"mains", 0}, {"pairs", fit.BoostedAutoInteractions}} {
			b.Run(c.name+"_"+v.name, func(b *testing.B) {
				if c.long && os.Getenv("CANDOR_LONG") == "" {
					b.Skip("set CANDOR_LONG=1")
				}
				s, train, _ := boostedData(b, c)
				benchmarkBoosted(b, s, train, c.target, c.event, &fit.BoostedOptions{Interactions: v.n})
			})
		}
	}
	adult := boostedCases[3]
	for _, size := range []int{45_000, 450_000, 4_500_000} {
		b.Run(fmt.Sprintf("adult_resampled_%d_mains_2bags_200rounds", size), func(b *testing.B) {
			if os.Getenv("CANDOR_LONG") == "" || (size > 1_000_000 && os.Getenv("CANDOR_HUGE") == "") {
				b.Skip("set CANDOR_LONG=1 (and CANDOR_HUGE=1 for 4.5M rows)")
			}
			s, train, _ := boostedData(b, adult)
			benchmarkBoosted(b, s, resample(b, train, size), adult.target, adult.event, &fit.BoostedOptions{OuterBags: 2, MaxRounds: 200})
		})
	}
}

// resample draws n rows of t with replacement (seeded) and reads them
// back through score.ReadCSV with the cell and design budgets lifted.
func resample(tb testing.TB, t *score.Table, n int) *score.Table {
	tb.Helper()
	rng := rand.New(rand.NewPCG(16, uint64(n)))
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	require.NoError(tb, w.Write(t.Header()))
	for range n {
		require.NoError(tb, w.Write(t.Row(rng.IntN(t.Len()))))
	}
	w.Flush()
	require.NoError(tb, w.Error())
	r, err := score.ReadCSV(&buf, &score.CSVOptions{Limits: &score.Limits{Bytes: -1, Cells: -1, Design: -1}})
	require.NoError(tb, err)
	return r
}
