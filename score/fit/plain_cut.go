package fit

import (
	"math"
	"strconv"
	"strings"
)

// plainestCut returns the cut to place between two neighbouring training
// values lo < hi, for bins [lower, upper) where hi opens the upper bin:
// the number written with the fewest significant digits in (lo, hi], the
// largest of them when several tie. Every such number splits the training
// rows alike; the plainest is what a customer reads ("0.1 or more", not
// "0.100877193 or more"), and the largest keeps the bin opening as near
// the lowest value seen in it as those digits allow. hi itself when no
// plainer number fits, and for values that are not finite.
func plainestCut(lo, hi float64) float64 {
	if !(lo < hi) || math.IsInf(hi, 0) || math.IsNaN(hi) || math.IsNaN(lo) {
		return hi
	}
	neg := hi < 0
	// hi's shortest decimal form, as digits d.ddd with exponent exp.
	s := strconv.FormatFloat(math.Abs(hi), 'e', -1, 64)
	mant, expText, _ := strings.Cut(s, "e")
	digits := strings.Replace(mant, ".", "", 1)
	exp, err := strconv.Atoi(expText)
	if err != nil {
		return hi
	}
	// k significant digits, k = 0 meaning the power of ten above hi's
	// leading digit (0 for a positive hi, -10^(exp+1) for a negative one).
	for k := 0; k < len(digits); k++ {
		c, ok := roundDigits(digits, exp, k, neg)
		if ok && c > lo && c <= hi {
			return c
		}
	}
	return hi
}

// roundDigits returns the largest number not above the value
// sign * 0.digits * 10^(exp+1) written with k significant digits: the
// magnitude truncated to k digits for a positive value, rounded up to k
// digits for a negative one.
func roundDigits(digits string, exp, k int, neg bool) (float64, bool) {
	head := []byte(digits[:k])
	rest := strings.TrimRight(digits[k:], "0")
	if !neg || rest == "" {
		if k == 0 {
			if !neg {
				return 0, true
			}
			// a negative value with no digits dropped is only reached
			// when digits is "0", which FormatFloat never writes for hi < 0
			return 0, false
		}
		return parseDigits(head, exp, neg)
	}
	// negative and digits dropped: raise the magnitude's last kept digit
	i := len(head) - 1
	for ; i >= 0; i-- {
		if head[i] < '9' {
			head[i]++
			break
		}
		head[i] = '0'
	}
	if i < 0 {
		head = append([]byte{'1'}, head...)
		exp++
	}
	return parseDigits(head, exp, neg)
}

// parseDigits reads sign * d.ddd * 10^exp for the digits head (an empty
// head is zero).
func parseDigits(head []byte, exp int, neg bool) (float64, bool) {
	if len(head) == 0 {
		return 0, true
	}
	t := string(head[:1])
	if len(head) > 1 {
		t += "." + string(head[1:])
	}
	t += "e" + strconv.Itoa(exp)
	if neg {
		t = "-" + t
	}
	v, err := strconv.ParseFloat(t, 64)
	return v, err == nil
}
