package fairness

import (
	"math"
	"math/rand/v2"
)

// uniform returns a float64 in [0, 1) from the top 53 bits of src.
func uniform(src *rand.PCG) float64 {
	return float64(src.Uint64()>>11) / (1 << 53)
}

// binomial draws from Binomial(n, p) exactly: by inversion (sequential
// search from 0) when n*min(p, 1-p) < 30, otherwise by rejection from a
// Lorentzian envelope (Numerical Recipes in C, 2nd ed., section 7.3,
// bnldev).
func binomial(src *rand.PCG, n int, p float64) int {
	if n <= 0 || p <= 0 {
		return 0
	}
	if p >= 1 {
		return n
	}
	flip := p > 0.5
	if flip {
		p = 1 - p
	}
	var k int
	if float64(n)*p < 30 {
		k = binomialInversion(src, n, p)
	} else {
		k = binomialRejection(src, n, p)
	}
	if flip {
		return n - k
	}
	return k
}

func binomialInversion(src *rand.PCG, n int, p float64) int {
	q := 1 - p
	s := p / q
	a := float64(n+1) * s
	r0 := math.Exp(float64(n) * math.Log1p(-p))
	for {
		u := uniform(src)
		r := r0
		for x := 0; x <= n; x++ {
			if u < r {
				return x
			}
			u -= r
			r *= a/float64(x+1) - s
		}
		// Rounding left u above the total mass: draw again.
	}
}

func binomialRejection(src *rand.PCG, n int, p float64) int {
	en := float64(n)
	am := en * p
	g, _ := math.Lgamma(en + 1)
	plog, pclog := math.Log(p), math.Log1p(-p)
	sq := math.Sqrt(2 * am * (1 - p))
	for {
		var y, em float64
		for {
			y = math.Tan(math.Pi * uniform(src))
			em = sq*y + am
			if em >= 0 && em < en+1 {
				break
			}
		}
		em = math.Floor(em)
		l1, _ := math.Lgamma(em + 1)
		l2, _ := math.Lgamma(en - em + 1)
		t := 1.2 * sq * (1 + y*y) * math.Exp(g-l1-l2+em*plog+(en-em)*pclog)
		if uniform(src) <= t {
			return int(em)
		}
	}
}

// multinomial4 draws the four cell counts of n rows resampled with
// replacement from a group with cell counts c, by conditional binomials.
func multinomial4(src *rand.PCG, c [4]int, out *[4]float64) {
	left := c[0] + c[1] + c[2] + c[3]
	n := left
	for k := 0; k < 3; k++ {
		if left == 0 || n == 0 {
			out[k] = 0
			continue
		}
		x := binomial(src, n, float64(c[k])/float64(left))
		out[k] = float64(x)
		n -= x
		left -= c[k]
	}
	out[3] = float64(n)
}
