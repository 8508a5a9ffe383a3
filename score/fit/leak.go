package fit

import (
	"errors"
	"fmt"
	"math"
	"strconv"

	"github.com/candorscore/candor/internal/report"
	"github.com/candorscore/candor/score"
)

// ErrLeak: an input separates the training outcome by itself, so it is
// almost surely computed from the target (a leak). It wraps score.ErrData.
var ErrLeak = fmt.Errorf("%w: an input predicts the outcome perfectly on its own (a leak?)", score.ErrData)

// leakMinRows is how many rows of each class must show a separation before
// it is called a leak: if an input were unrelated to the outcome, the chance
// that its order puts 10 events and 10 non-events wholly apart is
// 2/C(20,10) < 1.1e-5, and it only falls with more rows.
const leakMinRows = 10

// checkLeaks refuses every input of d that on its own separates the
// training outcome (among the rows where it is present, at least
// leakMinRows of each class): a numeric input whose events' values all lie
// above (or below) all the non-events', a categorical input none of whose
// levels holds both classes (each level holding leakMinRows rows or more:
// the levels of an identifier are pure by chance), or an input present on exactly the rows of
// one class. A real customer attribute does not predict an outcome
// perfectly; a column computed with the outcome (a classifier's score, a
// cancellation reason or date) does, and a model fitted on it is worthless
// on new customers. Weights do not matter: separation is about which rows
// hold which values.
func checkLeaks(d *Design, target, event string) error {
	var errs []error
	for k, si := range d.Inputs {
		f := d.Schema.Feature(si)
		if why := separation(d.Values[k], d.Events, f.Name, target, event); why != "" {
			errs = append(errs, &score.FieldError{Feature: f.Name, Err: fmt.Errorf("%w: %s; a real customer attribute does not predict the outcome perfectly, a column computed from it does: leave it out with --exclude %s (or declare it {\"role\": \"ignored\"})",
				ErrLeak, why, shellWord(f.Name))})
		}
	}
	return errors.Join(errs...)
}

// separation describes how values separate events (""= they do not).
func separation(vals []score.Value, events []bool, name, target, event string) string {
	var present, missing [2]int // by class: 0 non-event, 1 event
	lo := [2]float64{math.Inf(1), math.Inf(1)}
	hi := [2]float64{math.Inf(-1), math.Inf(-1)}
	levels := map[string]uint8{} // bit 0 non-event, bit 1 event
	rows := map[string]int{}
	mixed := false
	for r, v := range vals {
		c := 0
		if events[r] {
			c = 1
		}
		switch {
		case v.IsMissing():
			missing[c]++
			continue
		case v.IsNum():
			x := v.Float()
			lo[c], hi[c] = math.Min(lo[c], x), math.Max(hi[c], x)
		default:
			l := v.Label()
			levels[l] |= 1 << c
			rows[l]++
			mixed = mixed || levels[l] == 3
		}
		present[c]++
	}
	classes := fmt.Sprintf("rows with %s=%s", target, event)
	if present[1] >= leakMinRows && missing[0] >= leakMinRows && present[0] == 0 && missing[1] == 0 {
		return fmt.Sprintf("%s is present on all %d %s and on none of the other %d", name, present[1], classes, missing[0])
	}
	if present[0] >= leakMinRows && missing[1] >= leakMinRows && present[1] == 0 && missing[0] == 0 {
		return fmt.Sprintf("%s is blank on all %d %s and present on all of the other %d", name, missing[1], classes, present[0])
	}
	if present[0] < leakMinRows || present[1] < leakMinRows {
		return ""
	}
	if len(levels) > 0 {
		if mixed || len(levels) < 2 {
			return ""
		}
		for _, n := range rows {
			if n < leakMinRows {
				return "" // a level too small to tell a pattern from chance (an identifier's levels are pure)
			}
		}
		return fmt.Sprintf("no level of %s holds both the %d %s and any of the other %d", name, present[1], classes, present[0])
	}
	if hi[1] < lo[0] || hi[0] < lo[1] {
		return fmt.Sprintf("every one of the %d %s has %s from %s to %s and every one of the other %d rows from %s to %s",
			present[1], classes, name, num(lo[1]), num(hi[1]), present[0], num(lo[0]), num(hi[0]))
	}
	return ""
}

func num(x float64) string { return report.Trunc(strconv.FormatFloat(x, 'g', 6, 64), 32) }
