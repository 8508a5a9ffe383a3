package fit

import (
	"fmt"

	"github.com/candorscore/candor/score"
)

// HeavyTailFactor is how many times the span of the middle 98% of a
// numeric input's training values (1st to 99th percentile) a 1% tail must
// reach beyond it for HeavyTails to name the input. For a normal sample of
// 10,000 the largest value lies about 0.3 spans above the 99th percentile,
// for a lognormal with sigma 1 about 4; ten spans is a column whose values
// run over orders of magnitude.
const HeavyTailFactor = 10

// HeavyTail is a numeric input of a straight-line term whose training
// values have a tail far beyond the rest (see HeavyTails).
type HeavyTail struct {
	Feature  string
	P1, P99  float64 // 1st and 99th percentiles of the training values
	Min, Max float64
	Factor   float64 // the longer tail's reach beyond P1..P99, in spans of P1..P99
	Upper    bool    // the longer tail is above P99
}

// String is the warning for a heavy tail, saying what it does and the way out.
func (h HeavyTail) String() string {
	where := fmt.Sprintf("1%% of its training values lie above %.6g and reach %.6g", h.P99, h.Max)
	if !h.Upper {
		where = fmt.Sprintf("1%% of its training values lie below %.6g and reach %.6g", h.P1, h.Min)
	}
	return fmt.Sprintf("%s: %s, %.0f times the span of the middle 98%% (%.6g to %.6g): a straight-line term lets those few rows set its slope; "+
		"if they are codes, declare them (\"special\" in the features file); else a scorecard or boosted model (--model scorecard, --model boosted) bins the feature", h.Feature, where, h.Factor, h.P1, h.P99)
}

// HeavyTails returns the numeric inputs of m's straight-line terms (a
// LinearTerm, or a binned term with a sloped range bin, as --missing
// indicator builds) whose training values reach more than HeavyTailFactor
// times the span of their 1st to 99th percentiles beyond it, on either
// side, in term order. A slope is estimated from every row, and a row's
// leverage grows with the square of its distance from the mean: the few
// rows of such a tail decide the slope that all the others are scored by
// (on the Give Me Some Credit extract of trial10, revolving utilisation,
// mostly 0 to 1.1, reaches 9,340). Terms without training statistics
// (a model built by hand, or imported) are skipped.
func HeavyTails(m *score.Model) []HeavyTail {
	var out []HeavyTail
	for j := 0; j < m.NumTerms(); j++ {
		t := m.Term(j)
		linear := t.Kind == score.LinearTerm
		sloped := false
		for _, b := range t.Bins {
			if b.Slope != 0 {
				sloped = true
			}
		}
		if (!linear && !sloped) || t.Stats == nil || len(t.Stats.Quantiles) != 101 {
			continue
		}
		q := t.Stats.Quantiles
		p1, p99 := q[1], q[99]
		span := p99 - p1
		if !(span > 0) {
			continue
		}
		up, down := (q[100]-p99)/span, (p1-q[0])/span
		h := HeavyTail{Feature: t.Feature, P1: p1, P99: p99, Min: q[0], Max: q[100], Upper: up >= down, Factor: max(up, down)}
		if h.Factor > HeavyTailFactor {
			out = append(out, h)
		}
	}
	return out
}
