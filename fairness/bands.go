package fairness

import (
	"cmp"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/candorscore/candor/score"
)

// Bands are the edges, finite and strictly ascending, that cut a numeric
// group column (an age, an income) into groups, so that it is audited by
// band rather than one value per group: edges 25, 35, 65 make the bands
// "< 25", "[25, 35)", "[35, 65)" and ">= 65". Bands are half-open, [lo,
// hi): a value equal to an edge goes to the band above it, as with
// pandas.cut(right=False) and numpy.digitize. Columns.Bands applies them
// when a table is read; for Data built in Go, make each row's group value
// with Name(Of(x)). Reports list bands in their order, before any other
// value of the column (other values are in byte order).
type Bands []float64

// Of returns x's band, 0 to len(b): the number of edges at or below x.
func (b Bands) Of(x float64) int {
	return sort.Search(len(b), func(i int) bool { return b[i] > x })
}

// Name returns band k's name (k from 0 to len(b)): "< 25", "[25, 35)",
// ">= 65". Edges are written in the shortest decimal that reads back as
// the same number.
func (b Bands) Name(k int) string {
	edge := func(i int) string { return strconv.FormatFloat(b[i], 'f', -1, 64) }
	switch {
	case k <= 0:
		return "< " + edge(0)
	case k >= len(b):
		return ">= " + edge(len(b)-1)
	}
	return "[" + edge(k-1) + ", " + edge(k) + ")"
}

// Check returns an ErrOption error naming column when b has no edges, an
// edge that is not finite, or edges that do not strictly ascend.
func (b Bands) Check(column string) error {
	if len(b) == 0 {
		return optionError("bands of %q: no edges", column)
	}
	for i, e := range b {
		if math.IsNaN(e) || math.IsInf(e, 0) {
			return optionError("bands of %q: edge %v is not finite", column, e)
		}
		if i > 0 && !(b[i-1] < e) {
			return optionError("bands of %q: edges must be strictly ascending (%v then %v)", column, b[i-1], e)
		}
	}
	return nil
}

// names returns every band's name, in band order.
func (b Bands) names() []string {
	out := make([]string, len(b)+1)
	for k := range out {
		out[k] = b.Name(k)
	}
	return out
}

// checkBands checks the bands of c: each of a group column, with good
// edges. Columns are checked in name order, so the first error is always
// the same one.
func checkBands(c Columns) error {
	cols := make([]string, 0, len(c.Bands))
	for col := range c.Bands {
		cols = append(cols, col)
	}
	slices.Sort(cols)
	for _, col := range cols {
		if !slices.Contains(c.Groups, col) {
			return optionError("bands of %q: not a group column (groups: %s)", col, strings.Join(c.Groups, ", "))
		}
		if err := c.Bands[col].Check(col); err != nil {
			return err
		}
	}
	return nil
}

// bandLow returns the lower edge of a band name that Name makes (-Inf for
// "< e"), and whether s is one.
func bandLow(s string) (float64, bool) {
	num := func(v string) bool { _, err := score.ParseNumber(v); return err == nil }
	switch {
	case strings.HasPrefix(s, "< ") && num(s[2:]):
		return math.Inf(-1), true
	case strings.HasPrefix(s, ">= ") && num(s[3:]):
		x, _ := score.ParseNumber(s[3:])
		return x, true
	case strings.HasPrefix(s, "[") && strings.HasSuffix(s, ")"):
		lo, hi, ok := strings.Cut(s[1:len(s)-1], ", ")
		if x, err := score.ParseNumber(lo); ok && err == nil && num(hi) {
			return x, true
		}
	}
	return 0, false
}

// compareGroups orders the values of a group column: band names (Name)
// by their lower edge, before every other value, and other values in byte
// order; a total order, so a column that mixes them still sorts.
func compareGroups(a, b string) int {
	la, ba := bandLow(a)
	lb, bb := bandLow(b)
	switch {
	case ba && bb:
		return cmp.Or(cmp.Compare(la, lb), strings.Compare(a, b))
	case ba:
		return -1
	case bb:
		return 1
	}
	return strings.Compare(a, b)
}
