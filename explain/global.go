package explain

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/candorscore/candor/internal/metric"
	"github.com/candorscore/candor/score"
)

// Importance is one feature's weight over a population.
type Importance struct {
	Term    int
	Feature string
	// MeanAbs is the mean |contribution| from the explainer's baseline over
	// the population, in model units: the global importance (for a
	// logistic model with the population baseline, mean |SHAP|).
	MeanAbs float64
	// Mean is the mean signed contribution (0 for the population baseline
	// over the training data itself).
	Mean float64
	// AdverseShare is the share of customers for whom this feature's code
	// is among their reasons.
	AdverseShare float64
}

// Importances explains every record and returns one Importance per term,
// most important first (MeanAbs descending, then feature name). Records
// that cannot be scored are reported with their 1-based position. The
// explanations are the published ones (Publish): over a single record an
// importance is a contribution, so a sensitive term counts at its band.
func (e *Explainer) Importances(records []score.Record) ([]Importance, error) {
	if e.m == nil {
		return nil, ErrNotBuilt
	}
	if len(records) == 0 {
		return nil, fmt.Errorf("%w: no records", ErrBaseline)
	}
	n := e.m.NumTerms()
	out := make([]Importance, n)
	for j := range out {
		out[j] = Importance{Term: j, Feature: e.names[j]}
	}
	var ex, exact Explanation
	for i, r := range records {
		if err := e.Explain(r, &exact); err != nil {
			return nil, score.WithRow(err, i+1)
		}
		e.Publish(&ex, &exact)
		for j, c := range ex.Contributions {
			out[j].MeanAbs += math.Abs(c)
			out[j].Mean += c
		}
		for _, rs := range ex.Reasons {
			if rs.Term >= 0 {
				out[rs.Term].AdverseShare++
			}
		}
	}
	k := float64(len(records))
	for j := range out {
		out[j].MeanAbs /= k
		out[j].Mean /= k
		out[j].AdverseShare /= k
	}
	slices.SortStableFunc(out, func(a, b Importance) int {
		if c := metric.Compare(b.MeanAbs, a.MeanAbs); c != 0 {
			return c
		}
		return strings.Compare(a.Feature, b.Feature)
	})
	return out, nil
}

// ShapePoint is one point of a feature's effect shape.
type ShapePoint struct {
	// Label names the level or bin, or the value for a linear term.
	Label string
	// X is the value for a linear term's grid point; NaN for levels and
	// bins.
	X float64
	// Effect is the term's effect in model units; Contribution is Effect
	// minus the explainer's baseline for the term.
	Effect, Contribution float64
	// Count is the training count of the level or bin (0 when unknown).
	Count float64
}

// Shape returns term j's effect shape: for a pair term one point per cell
// (row by row, labelled "row bin × column bin"); else one point per level (in model
// order, with "missing" and "other" when declared) or bin (in model
// order); for a linear term, the effect at the training percentiles 0, 10,
// ..., 100 (or the minimum and maximum when there are no percentiles). A
// sloped range bin (score.Bin.Slope) is a line segment: two points with
// the bin's label and X set, at the ends of score.Bin.Extent (its range
// within the training range); an end that is infinite is left out, and a
// sloped bin with neither end finite is an ErrBaseline error.
func (e *Explainer) Shape(j int) ([]ShapePoint, error) {
	if e.m == nil {
		return nil, ErrNotBuilt
	}
	if j < 0 || j >= e.m.NumTerms() {
		return nil, fmt.Errorf("%w: term %d of %d", ErrBaseline, j, e.m.NumTerms())
	}
	t := e.m.Term(j)
	b := e.base.Terms[j]
	pt := func(label string, x, eff, count float64) ShapePoint {
		return ShapePoint{Label: label, X: x, Effect: eff, Contribution: eff - b, Count: count}
	}
	var out []ShapePoint
	switch t.Kind {
	case score.LinearTerm:
		if t.Stats == nil || t.Stats.Count == 0 {
			return nil, &score.FieldError{Feature: t.Feature, Err: fmt.Errorf("%w: linear term without training range", ErrBaseline)}
		}
		grid := []float64{t.Stats.Min, t.Stats.Max}
		if q := t.Stats.Quantiles; len(q) == 101 {
			grid = grid[:0]
			for p := 0; p <= 100; p += 10 {
				if len(grid) == 0 || q[p] != grid[len(grid)-1] {
					grid = append(grid, q[p])
				}
			}
		}
		for _, x := range grid {
			out = append(out, pt(fmt.Sprint(x), x, t.Coef*x, 0))
		}
	case score.CategoricalTerm:
		for _, l := range t.Levels {
			out = append(out, pt(l.Label, math.NaN(), l.Effect, l.Count))
		}
		if t.MissingEffect != nil {
			out = append(out, pt("missing", math.NaN(), *t.MissingEffect, 0))
		}
		if t.OtherEffect != nil {
			out = append(out, pt("other", math.NaN(), *t.OtherEffect, 0))
		}
	case score.PairTerm:
		// One point per cell, row by row: "row bin × column bin".
		nc := len(t.Pair.Bins)
		for k, eff := range t.Pair.Effects {
			var count float64
			if t.Pair.Counts != nil {
				count = t.Pair.Counts[k]
			}
			out = append(out, pt(BinLabel(t.Bins[k/nc])+PairSeparator+BinLabel(t.Pair.Bins[k%nc]), math.NaN(), eff, count))
		}
	case score.BinnedTerm:
		dec := dataDecimals(t.Stats)
		for _, bn := range t.Bins {
			if bn.Slope == 0 {
				out = append(out, pt(BinLabel(shortEdges(bn, dec)), math.NaN(), bn.Effect, bn.Count))
				continue
			}
			lo, hi := bn.Extent(t.Stats)
			n := len(out)
			for _, x := range []float64{lo, hi} {
				if !math.IsInf(x, 0) && (len(out) == n || x != out[n].X) {
					out = append(out, pt(BinLabel(bn), x, bn.EffectAt(x), bn.Count))
				}
			}
			if len(out) == n {
				return nil, &score.FieldError{Feature: t.Feature, Err: fmt.Errorf("%w: sloped bin without a finite end or training range", ErrBaseline)}
			}
		}
	}
	return out, nil
}

// shortEdges returns range bin b with each edge written with one decimal
// more than the training values have (dec; a boosted cut, the midpoint of
// two of them, needs no more), when that cuts the values of dec decimals
// where the edge does: 18.825000000000003 becomes 18.825, and the float
// just above 20 (a left-open interval) stays as it is.
func shortEdges(b score.Bin, dec int) score.Bin {
	if b.Kind != score.RangeBin || b.Label != "" || dec < 0 || dec+1 >= 6 {
		return b
	}
	p := math.Pow(10, float64(dec+1))
	short := func(e *float64) *float64 {
		if e == nil {
			return nil
		}
		r := math.Round(*e*p) / p
		if ceilDecimals(r, dec) != ceilDecimals(*e, dec) {
			return e
		}
		return &r
	}
	b.Lower, b.Upper = short(b.Lower), short(b.Upper)
	return b
}
