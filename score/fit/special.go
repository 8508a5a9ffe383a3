package fit

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/candorscore/candor/internal/metric"
	"github.com/candorscore/candor/internal/report"
	"github.com/candorscore/candor/score"
)

// Suspect is an undeclared value of a numeric feature that looks like a
// code ("no record", "not applicable") rather than a quantity; see
// SuspectCodes for the rule.
type Suspect struct {
	Feature string
	Value   float64
	Share   float64 // of the feature's (weighted) rows
	// Rate is the value's event rate, NeighbourRate that of its
	// neighbours, Z the two-proportion z statistic of the difference.
	Rate, NeighbourRate, Z float64
	Why                    string // "negative among non-negative values", "far outside the range of the rest" or "heavily tied: ..."
}

// Suspect-code rule thresholds (see SuspectCodes).
const (
	suspectCandidates = 3    // smallest and largest distinct values examined at each end
	suspectMinCount   = 5    // expected events and non-events for the z test (see SuspectCodes)
	suspectFence      = 3.0  // IQRs beyond the quartiles of the rest (Tukey's "far out")
	suspectZ          = 3.29 // |z| of the rate difference, two-sided 0.1%
	suspectNeighbours = 0.05 // share of the rows nearest to the code used as its neighbours
	suspectMeasured   = 2    // a measured quantity: the rest's distinct values hold at most this many rows (median)
	suspectTied       = 100  // heavily tied: at least this many times the rest's median rows per value
)

// SuspectCodes returns the values of a numeric feature that look like
// undeclared special codes. A value v is a suspect when all of these hold:
//
//   - v is one of the 3 smallest or 3 largest distinct values (codes sit at
//     the ends: -9, -1, 999, 9999);
//   - v is apart from the rest, the values that are not among those 6
//     candidates: either v < 0 while every one of the rest is >= 0, or v
//     lies beyond Tukey's far-out fences Q1 - 3 IQR or Q3 + 3 IQR of the
//     rest, or v is heavily tied: the rest is a measured quantity (its
//     distinct values hold at most 2 rows each, the median: amounts, not
//     counts or scales, whose values are all tied), v is not 0 (the amount
//     "none", a quantity) and v holds at least 100 times that median (an
//     insurer's floor premium of 2,630 on 17% of the rows of amounts from
//     10,004 up, nearly all distinct);
//   - v is tied enough to test: at the pooled rate of v and its neighbours
//     (below), v's rows hold at least 5 expected events and 5 expected
//     non-events, the usual large-sample condition of the two-proportion
//     z test (a code is reused; an outlier is usually one row, which no
//     test can tell from noise);
//   - its event rate is unlike its neighbours': the two-proportion z test
//     of its rate against that of the 5% of the rest's rows nearest to it
//     gives |z| >= 3.29 (two-sided 0.1%).
//
// There is no floor on v's share of the rows: a code on 0.17% of a large
// file (98 among past-due counts of 0 to 13 on 181 of 105,000 rows) is a
// code all the same.
//
// Values already declared special, and missing cells, are left out.
// Weights nil means all ones. The result is sorted by value.
func SuspectCodes(f score.Feature, values []score.Value, events []bool, weights []float64) []Suspect {
	if f.Kind != score.Numeric || len(values) != len(events) {
		return nil
	}
	declared := f.SpecialCodes()
	type stat struct{ x, n, e float64 }
	byValue := map[float64]*stat{}
	var total float64
	for r, v := range values {
		if !v.IsNum() || !isFinite(v.Float()) {
			continue
		}
		x := v.Float()
		if _, ok := slices.BinarySearch(declared, x); ok {
			continue
		}
		w := metric.Weight(weights, r)
		st := byValue[x]
		if st == nil {
			st = &stat{x: x}
			byValue[x] = st
		}
		st.n += w
		total += w
		if events[r] {
			st.e += w
		}
	}
	distinct := make([]*stat, 0, len(byValue))
	for _, st := range byValue {
		distinct = append(distinct, st)
	}
	slices.SortFunc(distinct, func(a, b *stat) int { return metric.Compare(a.x, b.x) })
	if len(distinct) <= 2*suspectCandidates+1 || total <= 0 {
		return nil
	}
	rest := distinct[suspectCandidates : len(distinct)-suspectCandidates]
	// Weighted quartiles of the rest.
	var restN float64
	for _, st := range rest {
		restN += st.n
	}
	quart := func(q float64) float64 {
		cum := 0.0
		for _, st := range rest {
			cum += st.n
			if cum >= q*restN {
				return st.x
			}
		}
		return rest[len(rest)-1].x
	}
	q1, q3 := quart(0.25), quart(0.75)
	iqr := q3 - q1
	ties := make([]float64, len(rest))
	for i, st := range rest {
		ties[i] = st.n
	}
	slices.Sort(ties)
	medianTie := metric.Quantile(ties, 0.5)
	restNonNegative := rest[0].x >= 0
	// neighbours returns the rate of the rest's rows nearest to an end.
	neighbours := func(low bool) (n, e float64) {
		want := suspectNeighbours * total
		for i := range rest {
			st := rest[i]
			if !low {
				st = rest[len(rest)-1-i]
			}
			n += st.n
			e += st.e
			if n >= want {
				break
			}
		}
		return n, e
	}
	var out []Suspect
	for i, st := range distinct {
		low := i < suspectCandidates
		if !low && i < len(distinct)-suspectCandidates {
			continue
		}
		var why string
		switch {
		case st.x < 0 && restNonNegative:
			why = "negative among non-negative values"
		case iqr > 0 && (st.x < q1-suspectFence*iqr || st.x > q3+suspectFence*iqr):
			why = "far outside the range of the rest"
		case st.x != 0 && medianTie <= suspectMeasured && st.n >= suspectTied*medianTie:
			why = fmt.Sprintf("heavily tied: %s rows on one value where the other values hold %s each (median)",
				report.Count(st.n), report.Count(medianTie))
		default:
			continue
		}
		nn, ne := neighbours(low)
		p1, p2 := st.e/st.n, ne/nn
		pool := (st.e + ne) / (st.n + nn)
		if st.n*pool < suspectMinCount || st.n*(1-pool) < suspectMinCount {
			continue
		}
		se := math.Sqrt(pool * (1 - pool) * (1/st.n + 1/nn))
		if !(se > 0) {
			continue
		}
		z := (p1 - p2) / se
		if math.Abs(z) < suspectZ {
			continue
		}
		out = append(out, Suspect{Feature: f.Name, Value: st.x, Share: st.n / total, Rate: p1, NeighbourRate: p2, Z: z, Why: why})
	}
	return out
}

// String is the warning for a suspect code, saying how to declare it.
func (s Suspect) String() string {
	return fmt.Sprintf("%s: value %s looks like a code, not a quantity (%s; %.1f%% of rows, event rate %.3f vs %.3f next to it, z %+.1f); "+
		"declare it in the features file, e.g. {\"features\": {%q: {\"special\": {%q: \"what %s means\"}}}}, or pass --special auto",
		s.Feature, report.Count(s.Value), s.Why, 100*s.Share, s.Rate, s.NeighbourRate, s.Z, s.Feature, report.Count(s.Value), report.Count(s.Value))
}

// FormatSuspects renders one warning line per suspect ("" for none).
func FormatSuspects(ss []Suspect) string {
	var b strings.Builder
	for _, s := range ss {
		b.WriteString("warning: " + s.String() + "\n")
	}
	return b.String()
}

// FindSuspects runs SuspectCodes on every numeric input of s over the
// table's rows (target == event is the event; rows with a blank target or
// a cell that is not a number are left out of that feature). It is what a
// logistic fit reports; Scorecard reports the same in ScorecardFit.Suspects.
func FindSuspects(t *score.Table, s *score.Schema, target, event string, weights []float64) []Suspect {
	tc := t.Column(target)
	if tc < 0 {
		return nil
	}
	var out []Suspect
	for _, f := range s.Features() {
		j := t.Column(f.Name)
		if f.Role != score.Input || f.Name == target || f.Kind != score.Numeric || j < 0 {
			continue
		}
		var vals []score.Value
		var evs []bool
		var ws []float64
		for r := 0; r < t.Len(); r++ {
			y := t.Cell(r, tc)
			x, err := score.ParseNumber(t.Cell(r, j))
			if y == "" || err != nil {
				continue
			}
			vals = append(vals, score.Num(x))
			evs = append(evs, y == event)
			if weights != nil {
				ws = append(ws, weights[r])
			}
		}
		out = append(out, SuspectCodes(f, vals, evs, ws)...)
	}
	return out
}
