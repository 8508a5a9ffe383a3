package fit

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/candorscore/candor/score"
)

// NearLeakShare is the largest share of the no-information errors (always
// guessing the commoner class) that a single input may leave for
// NearLeaks to name it: an input that alone removes 95% of them. A
// customer attribute that strong is rare; a column recorded with or after
// the outcome (a complaint logged at exit, a cancellation reason) is not.
const NearLeakShare = 0.05

// NearLeak is an input that on its own nearly classifies the training
// outcome (see NearLeaks).
type NearLeak struct {
	Feature string
	Rows    int // training rows with the input present and a two-class target
	Errors  int // rows its best one-input rule gets wrong
	Null    int // rows the commoner class alone gets wrong
	Rule    string
}

// String is the warning for a near leak, with the way out.
func (n NearLeak) String() string {
	return fmt.Sprintf("%s: alone it classifies %d of %d training rows correctly (%s; always guessing the commoner class gets %d wrong, it gets %d): "+
		"a customer attribute rarely predicts the outcome this well; if it is recorded with or after the outcome, leave it out (--exclude %s, or {\"role\": \"ignored\"})",
		n.Feature, n.Rows-n.Errors, n.Rows, n.Rule, n.Null, n.Errors, shellWord(n.Feature))
}

// NearLeaks returns the inputs of s that on their own leave at most
// NearLeakShare of the no-information errors, in schema order. The rule
// for a numeric input is its best single cut (one parameter, either
// direction); for a categorical one each level's commoner class, over the
// levels with at least leakMinRows rows (the rows of smaller levels count
// at the overall commoner class, so an identifier's pure levels earn
// nothing). Rows count when the input is present and the target is event
// or, if nonevent is given, nonevent (else any other non-blank value).
// Inputs the fit refuses as perfect separations (checkLeaks) are named
// here too when they get this far. Weights do not matter.
func NearLeaks(t *score.Table, s *score.Schema, target, event, nonevent string) []NearLeak {
	tc := t.Column(target)
	if tc < 0 || event == "" {
		return nil
	}
	cls := make([]int8, t.Len()) // 1 event, 0 other class, -1 skipped
	for r := range cls {
		switch c := t.Cell(r, tc); {
		case c == event:
			cls[r] = 1
		case c == "" || nonevent != "" && c != nonevent:
			cls[r] = -1
		}
	}
	var out []NearLeak
	for _, f := range s.Features() {
		j := t.Column(f.Name)
		if f.Role != score.Input || f.Name == target || j < 0 {
			continue
		}
		var n NearLeak
		if f.Kind == score.Numeric {
			n = numericNearLeak(t, j, cls)
		} else {
			n = categoricalNearLeak(t, j, cls)
		}
		if n.Null > 0 && float64(n.Errors) <= NearLeakShare*float64(n.Null) {
			n.Feature = f.Name
			out = append(out, n)
		}
	}
	return out
}

func numericNearLeak(t *score.Table, j int, cls []int8) NearLeak {
	type row struct {
		x float64
		e bool
	}
	var rows []row
	events := 0
	for r, c := range cls {
		if c < 0 {
			continue
		}
		x, err := score.ParseNumber(t.Cell(r, j))
		if err != nil {
			continue
		}
		rows = append(rows, row{x, c == 1})
		if c == 1 {
			events++
		}
	}
	n := NearLeak{Rows: len(rows), Null: min(events, len(rows)-events)}
	if n.Null == 0 {
		return n
	}
	slices.SortFunc(rows, func(a, b row) int { return cmp.Compare(a.x, b.x) })
	// A cut between distinct values: below it one class, above it the
	// other; errors = events below + non-events above (or the reverse).
	best, at, up := n.Null, 0.0, true
	evBelow, neBelow := 0, 0
	for i := 0; i < len(rows); i++ {
		if rows[i].e {
			evBelow++
		} else {
			neBelow++
		}
		if i+1 < len(rows) && rows[i+1].x == rows[i].x {
			continue
		}
		if i+1 == len(rows) {
			break
		}
		neAbove := len(rows) - events - neBelow
		evAbove := events - evBelow
		if e := evBelow + neAbove; e < best { // events above the cut
			best, at, up = e, rows[i+1].x, true
		}
		if e := neBelow + evAbove; e < best { // events below the cut
			best, at, up = e, rows[i+1].x, false
		}
	}
	n.Errors = best
	side := ">="
	if !up {
		side = "<"
	}
	n.Rule = fmt.Sprintf("the event when it is %s %s", side, num(at))
	return n
}

func categoricalNearLeak(t *score.Table, j int, cls []int8) NearLeak {
	type counts struct{ ev, ne int }
	byLevel := map[string]*counts{}
	var all counts
	for r, c := range cls {
		cell := t.Cell(r, j)
		if c < 0 || cell == "" {
			continue
		}
		k := byLevel[cell]
		if k == nil {
			k = &counts{}
			byLevel[cell] = k
		}
		if c == 1 {
			k.ev++
			all.ev++
		} else {
			k.ne++
			all.ne++
		}
	}
	n := NearLeak{Rows: all.ev + all.ne, Null: min(all.ev, all.ne)}
	majorityEvent := all.ev > all.ne
	var eventLevels []string
	for _, l := range slices.Sorted(maps.Keys(byLevel)) {
		k := byLevel[l]
		switch {
		case k.ev+k.ne < leakMinRows:
			if majorityEvent {
				n.Errors += k.ne
			} else {
				n.Errors += k.ev
			}
		case k.ev > k.ne:
			n.Errors += k.ne
			eventLevels = append(eventLevels, l)
		default:
			n.Errors += k.ev
		}
	}
	n.Rule = "the event on " + quoteList(eventLevels)
	return n
}

func quoteList(ls []string) string {
	if len(ls) == 0 {
		return "no level"
	}
	q := make([]string, 0, 3)
	for _, l := range ls[:min(len(ls), 3)] {
		q = append(q, strconv.Quote(l))
	}
	if len(ls) > 3 {
		return fmt.Sprintf("%s and %d more", strings.Join(q, ", "), len(ls)-3)
	}
	return strings.Join(q, ", ")
}
