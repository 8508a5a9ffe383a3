// Package report holds the two formatting rules candor's plain-text reports
// and chart labels share: a label cut to its column's width, and a count (a
// possibly weighted number of rows) in six significant digits. The fit,
// monitoring and chart packages all print tables of bins and counts, and
// print them the same way.
package report

import "strconv"

// Trunc cuts s to at most n bytes, ending in "…" when it was cut.
func Trunc(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n-1] + "…"
}

// Count formats a count of rows, possibly weighted, in the shortest form
// with at most six significant digits ("1200", "17.5", "1.23457e+06").
func Count(x float64) string { return strconv.FormatFloat(x, 'g', 6, 64) }
