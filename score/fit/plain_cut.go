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
	// k < len(digits) always drops a digit, and the shortest form ends in
	// no zero, so a negative hi's magnitude is always rounded up.
	for k := 0; k < len(digits); k++ {
		if c := roundDigits(digits[:k], exp, neg); c > lo && c <= hi {
			return c
		}
	}
	return hi
}

// roundDigits returns the largest number not above hi written with the
// significant digits head, hi's leading digits (its exponent exp, its
// sign neg) with at least one nonzero digit dropped: head itself for a
// positive hi, head raised by one in its last place for a negative one.
// A range error of ParseFloat gives an infinity, which no interval holds.
func roundDigits(head string, exp int, neg bool) float64 {
	if !neg {
		if head == "" {
			return 0
		}
		v, _ := strconv.ParseFloat(head[:1]+"."+head[1:]+"e"+strconv.Itoa(exp), 64)
		return v
	}
	d := []byte(head)
	i := len(d) - 1
	for ; i >= 0 && d[i] == '9'; i-- {
		d[i] = '0'
	}
	if i >= 0 {
		d[i]++
	} else {
		d = append([]byte{'1'}, d...)
		exp++
	}
	v, _ := strconv.ParseFloat("-"+string(d[:1])+"."+string(d[1:])+"e"+strconv.Itoa(exp), 64)
	return v
}
