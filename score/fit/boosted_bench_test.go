package fit_test

import (
	"context"
	"testing"

	"github.com/candorscore/candor/score/fit"
	"github.com/stretchr/testify/require"
)

// benchmarkBoosted fits the boosted model with its defaults on a case's
// training rows.
func benchmarkBoosted(b *testing.B, c boostedCase) {
	s, train, _ := boostedData(b, c)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		_, err := fit.Boosted(context.Background(), train, s, c.target, c.event, nil)
		require.NoError(b, err)
	}
}

// BenchmarkFitBoostedTelco fits on Telco's 4,930 training rows.
func BenchmarkFitBoostedTelco(b *testing.B) { benchmarkBoosted(b, boostedCases[1]) }

// BenchmarkFitBoostedBank fits on Bank marketing's 31,647 training rows.
func BenchmarkFitBoostedBank(b *testing.B) { benchmarkBoosted(b, boostedCases[2]) }

// BenchmarkFitBoostedAdult fits on Adult's 32,561 training rows.
func BenchmarkFitBoostedAdult(b *testing.B) { benchmarkBoosted(b, boostedCases[3]) }
