package fairness

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestBinomialMoments checks the sampler's mean and variance against
// n p and n p (1 - p), within 5 standard errors, on both algorithms.
func TestBinomialMoments(t *testing.T) {
	src := rand.NewPCG(1, 2)
	const draws = 20000
	for _, c := range []struct {
		n int
		p float64
	}{{1, 0.3}, {10, 0.5}, {50, 0.1}, {100, 0.02}, {1000, 0.5}, {28735, 0.262}, {5000, 0.97}, {61, 0.49}} {
		var s, s2 float64
		for range draws {
			x := float64(binomial(src, c.n, c.p))
			if x < 0 || x > float64(c.n) {
				t.Fatalf("n=%d p=%v: draw %v out of range", c.n, c.p, x)
			}
			s += x
			s2 += x * x
		}
		mean := s / draws
		vr := s2/draws - mean*mean
		wantM := float64(c.n) * c.p
		wantV := wantM * (1 - c.p)
		assert.InDelta(t, wantM, mean, 5*math.Sqrt(wantV/draws), "mean n=%d p=%v", c.n, c.p)
		// Var of the sample variance ~ 2 sigma^4 / draws (normal approximation).
		assert.InDelta(t, wantV, vr, 5*wantV*math.Sqrt(2.0/draws)+1e-9, "variance n=%d p=%v", c.n, c.p)
	}
}

// TestBinomialSmallExact compares frequencies with the probability mass
// function for Binomial(4, 0.3) by a chi-square statistic.
func TestBinomialSmallExact(t *testing.T) {
	src := rand.NewPCG(3, 4)
	const draws = 100000
	var cnt [5]float64
	for range draws {
		cnt[binomial(src, 4, 0.3)]++
	}
	pmf := []float64{0.2401, 0.4116, 0.2646, 0.0756, 0.0081}
	chi2 := 0.0
	for k, p := range pmf {
		e := p * draws
		chi2 += (cnt[k] - e) * (cnt[k] - e) / e
	}
	assert.Less(t, chi2, 18.47) // chi-square, 4 degrees of freedom, p = 0.001
}

func TestMultinomial4(t *testing.T) {
	src := rand.NewPCG(5, 6)
	var out [4]float64
	for range 1000 {
		multinomial4(src, [4]int{3, 0, 5, 2}, &out)
		assert.Equal(t, 10.0, out[0]+out[1]+out[2]+out[3])
		assert.Equal(t, 0.0, out[1])
	}
	multinomial4(src, [4]int{0, 0, 0, 7}, &out)
	assert.Equal(t, [4]float64{0, 0, 0, 7}, out)
}
