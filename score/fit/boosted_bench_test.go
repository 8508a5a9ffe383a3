package fit_test

import (
	"context"
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
func benchmarkBoosted(b *testing.B, s *score.Schema, train *score.Table, target, event string) {
	b.ReportAllocs()
	b.ResetTimer()
	cpu0, rounds := processCPU(), 0
	for b.Loop() {
		bf, err := fit.Boosted(context.Background(), train, s, target, event, nil)
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
// and, for the growth in rows, Adult's training rows drawn with
// replacement (seeded) to 45,000, 450,000 and 4,500,000 rows. Bank, Adult
// and the resamples need CANDOR_LONG=1; 4.5M rows needs CANDOR_HUGE=1
// besides (several GB of memory).
func BenchmarkBoostedFit(b *testing.B) {
	for _, c := range boostedCases {
		b.Run(c.name, func(b *testing.B) {
			if c.long && os.Getenv("CANDOR_LONG") == "" {
				b.Skip("set CANDOR_LONG=1")
			}
			s, train, _ := boostedData(b, c)
			benchmarkBoosted(b, s, train, c.target, c.event)
		})
	}
	adult := boostedCases[3]
	for _, size := range []int{45_000, 450_000, 4_500_000} {
		b.Run(fmt.Sprintf("adult_resampled_%d", size), func(b *testing.B) {
			if os.Getenv("CANDOR_LONG") == "" || (size > 1_000_000 && os.Getenv("CANDOR_HUGE") == "") {
				b.Skip("set CANDOR_LONG=1 (and CANDOR_HUGE=1 for 4.5M rows)")
			}
			s, train, _ := boostedData(b, adult)
			benchmarkBoosted(b, s, resample(b, train, size), adult.target, adult.event)
		})
	}
}

// resample draws n rows of t with replacement (seeded).
func resample(tb testing.TB, t *score.Table, n int) *score.Table {
	tb.Helper()
	rng := rand.New(rand.NewPCG(16, uint64(n)))
	rows := make([][]string, t.Len())
	for i := range rows {
		rows[i] = t.Row(i)
	}
	out := make([][]string, n)
	for i := range out {
		out[i] = rows[rng.IntN(len(rows))]
	}
	r, err := score.NewTable(t.Header(), out)
	require.NoError(tb, err)
	return r
}
