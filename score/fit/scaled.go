package fit

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/candorscore/candor/score"
)

// Scaled is a numeric input that is another input times a constant in the
// training data: Feature = Rate * Source, rounded to Decimals decimals, on
// Share of the Rows where both are numbers (a call's charge is its minutes
// at the tariff, to the cent). The two cannot change apart, so advice or
// recourse that moves one of them alone describes a customer who does not
// exist in the data; unlike Derived it cannot be declared (a formula joins
// two features), so the way out is to leave one out.
type Scaled struct {
	Feature, Source string
	Rate            float64
	Decimals        int
	Rows            int
	Share           float64
}

// String is "Total day charge = 0.17 * Total day minutes (rounded to 2
// decimals) on 100.0% of 2661 rows".
func (d Scaled) String() string {
	s := fmt.Sprintf("%s = %s * %s", d.Feature, strconv.FormatFloat(d.Rate, 'g', -1, 64), d.Source)
	if d.Decimals > 0 {
		s += fmt.Sprintf(" (rounded to %d decimals)", d.Decimals)
	}
	return s + fmt.Sprintf(" on %.1f%% of %d rows", 100*d.Share, d.Rows)
}

// ScaledInputs returns the pairs of numeric inputs of s of which one is the
// other times a constant in the rows of t, counted as DerivedInputs counts
// them (off the derived column's most common value, at least 90% of the
// rows where both are numbers, after rounding to the decimals the derived
// column is written with, and nine tenths beyond chance agreement; first
// tried on 200 rows). The constant is the
// least-squares slope through the origin on those first rows, to the
// fewest significant digits that pass the first try; a constant of 1 (a
// copy) is left to the aliasing and correlation checks. Of the two
// directions of a pair the one kept is the one whose derived column is
// written to the most significant digits (the charge to the cent, not the
// minutes it rounds back to), as for DerivedInputs. A declared derived
// feature is not considered. In schema order of the derived feature.
func ScaledInputs(t *score.Table, s *score.Schema) []Scaled {
	var cols []derivedColumn
	for _, f := range s.Features() {
		j := t.Column(f.Name)
		if f.Role != score.Input || f.Kind != score.Numeric || j < 0 || f.Derived != nil {
			continue
		}
		cols = append(cols, readDerivedColumn(t, f, j))
	}
	type found struct {
		d      Scaled
		digits float64
	}
	var out []found
	for yi, y := range cols {
		if !y.varies {
			continue
		}
		dec := y.rounding()
		for ai, a := range cols {
			if ai == yi || !a.varies {
				continue
			}
			var sxy, sxx float64
			n := 0
			for i := range y.x {
				if n == derivedScreenRows {
					break
				}
				yv, av := y.x[i], a.x[i]
				if math.IsNaN(yv) || math.IsNaN(av) || yv == y.mode || av == 0 {
					continue
				}
				sxy, sxx, n = sxy+yv*av, sxx+av*av, n+1
			}
			if n < derivedMinRows || sxx == 0 {
				continue
			}
			slope := sxy / sxx
			if !(slope != 0) || math.IsInf(slope, 0) || math.Abs(slope-1) < 1e-9 {
				continue
			}
			// The rate as written by whoever computed the column: the
			// slope to the fewest significant digits that pass the screen
			// (0.17, not the 0.170003 that rounding leaves in the slope).
			screen := func(c float64) bool {
				return derivedHolds(derivedMatches(y, a, a, func(a, _ float64) float64 { return c * a }, dec, derivedScreenRows, true))
			}
			if !screen(slope) {
				continue // most pairs end here, at the screen's 20th miss
			}
			c := slope
			for digits := 1; digits <= 9; digits++ {
				if short, _ := strconv.ParseFloat(strconv.FormatFloat(slope, 'g', digits, 64), 64); screen(short) {
					c = short
					break
				}
			}
			if math.Abs(c-1) < 1e-9 {
				continue
			}
			times := func(a, _ float64) float64 { return c * a }
			hit, rows := derivedMatches(y, a, a, times, dec, len(y.x), false)
			if !derivedHolds(hit, rows) || !derivedBeyondChance(y, a, a, times, dec, hit, rows) {
				continue
			}
			out = append(out, found{Scaled{Feature: y.name, Source: a.name, Rate: c, Decimals: max(dec, 0),
				Rows: rows, Share: float64(hit) / float64(rows)}, y.digits()})
		}
	}
	// One direction per pair: the derived column of more significant
	// digits; within a quarter of a digit, the rate written with fewer
	// (a tariff of 0.17 a minute, not 5.882 minutes a unit), then the
	// first found.
	rateDigits := func(c float64) int {
		return len(strings.TrimLeft(strings.Replace(strconv.FormatFloat(math.Abs(c), 'g', -1, 64), ".", "", 1), "0"))
	}
	beats := func(g, f found, j, i int) bool {
		if more, decided := moreDigits(g.digits, f.digits); decided {
			return more
		}
		if rg, rf := rateDigits(g.d.Rate), rateDigits(f.d.Rate); rg != rf {
			return rg < rf
		}
		return j < i
	}
	var kept []Scaled
	for i, f := range out {
		best := true
		for j, g := range out {
			if i != j && g.d.Feature == f.d.Source && g.d.Source == f.d.Feature && beats(g, f, j, i) {
				best = false
			}
		}
		if best {
			kept = append(kept, f.d)
		}
	}
	return kept
}

// Exclude is the flag that leaves the derived column out, quoted for a
// shell when its name needs it: --exclude "Total day charge".
func (d Scaled) Exclude() string { return "--exclude " + shellWord(d.Feature) }
