package fit

import (
	"slices"

	"github.com/candorscore/candor/internal/metric"
	"github.com/candorscore/candor/score"
)

// supportCells is the number of cells a numeric logistic term's training
// values are grouped into for data support (Stats.Cells): deciles.
const supportCells = 10

// addSupport records, on the terms of a logistic fit, the training rows
// and events that advice and counterfactuals are checked against (their
// "data support"): a numeric term's values grouped into deciles
// (Stats.Cells, special codes and missing values left out), and each level
// of a categorical term with its events (Level.Events). A scorecard's
// bins carry their own counts. Terms whose statistics are already there
// are left alone.
func addSupport(terms []score.Term, d *Design) {
	if d.Events == nil {
		return // a linear (continuous-response) fit has no events
	}
	for k := range d.Inputs {
		if k >= len(terms) {
			return
		}
		t := &terms[k]
		f := d.Schema.Feature(d.Inputs[k])
		switch t.Kind {
		case score.LinearTerm:
			if t.Stats == nil {
				t.Stats = &score.Stats{}
			}
			if t.Stats.Cells == nil {
				t.Stats.Cells = decileCells(d.Values[k], d.Events, d.Weights, f.SpecialCodes())
			}
		case score.CategoricalTerm:
			var have float64
			for _, l := range t.Levels {
				have += l.Events
			}
			if have > 0 {
				continue
			}
			events := map[string]float64{}
			for r, v := range d.Values[k] {
				if v.IsCat() && d.Events[r] {
					events[v.Label()] += metric.Weight(d.Weights, r)
				}
			}
			for i := range t.Levels {
				t.Levels[i].Events = events[t.Levels[i].Label]
			}
		}
	}
}

// decileCells groups the numeric values (specials and missing values left
// out) into at most supportCells cells cut at the distinct training
// deciles, [-inf, q10), [q10, q20), ..., [q90, +inf), and counts the
// (weighted) rows and events in each. Tied deciles give one cut, so a value
// held by many rows sits in one cell; a cell left with no rows is merged
// into its neighbour.
func decileCells(vals []score.Value, events []bool, w []float64, specials []float64) []score.Cell {
	var xs []float64
	for _, v := range vals {
		if v.IsNum() && !slices.Contains(specials, v.Float()) {
			xs = append(xs, v.Float())
		}
	}
	if len(xs) == 0 {
		return nil
	}
	slices.Sort(xs)
	var cuts []float64
	for q := 1; q < supportCells; q++ {
		c := metric.Quantile(xs, float64(q)/supportCells)
		if c > xs[0] && (len(cuts) == 0 || c > cuts[len(cuts)-1]) {
			cuts = append(cuts, c)
		}
	}
	count := make([]float64, len(cuts)+1)
	ev := make([]float64, len(cuts)+1)
	for r, v := range vals {
		if !v.IsNum() || slices.Contains(specials, v.Float()) {
			continue
		}
		k, found := slices.BinarySearch(cuts, v.Float())
		if found {
			k++ // cells are [lower, upper)
		}
		count[k] += metric.Weight(w, r)
		if events[r] {
			ev[k] += metric.Weight(w, r)
		}
	}
	// Merge empty cells into the next one (the last into the previous).
	for k := 0; k < len(count) && len(count) > 1; {
		if count[k] > 0 {
			k++
			continue
		}
		switch {
		case k < len(cuts):
			cuts = slices.Delete(cuts, k, k+1)
			count[k+1] += count[k]
			ev[k+1] += ev[k]
		default:
			cuts = cuts[:len(cuts)-1]
			count[k-1] += count[k]
			ev[k-1] += ev[k]
		}
		count = slices.Delete(count, k, k+1)
		ev = slices.Delete(ev, k, k+1)
	}
	cells := make([]score.Cell, len(count))
	for k := range cells {
		if k > 0 {
			lo := cuts[k-1]
			cells[k].Lower = &lo
		}
		if k < len(cuts) {
			hi := cuts[k]
			cells[k].Upper = &hi
		}
		cells[k].Count, cells[k].Events = count[k], ev[k]
	}
	return cells
}
