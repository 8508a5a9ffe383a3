package fit

import (
	"cmp"
	"fmt"
	"maps"
	"math"
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
// nothing). A blank cell is a value of its own, one more level: its rows
// get their commoner class when they are leakMinRows or more, else the
// overall commoner class (a rate blank on nearly every defaulted loan,
// and only there, is named, not only one blank on exactly those rows,
// which checkLeaks refuses). Rows count when the target is event or, if
// nonevent is given, nonevent (else any other non-blank value). Inputs
// the fit refuses as perfect separations (checkLeaks) are named here too
// when they get this far. Weights do not matter.
func NearLeaks(t *score.Table, s *score.Schema, target, event, nonevent string) []NearLeak {
	cls, _ := twoClasses(t, target, event, nonevent)
	if cls == nil {
		return nil
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

// twoClasses is each row's class for the leak checks: 1 the event, 0 the
// other class (nonevent, or any other non-blank value when nonevent is
// ""), -1 a row that does not count; and the rows of each class. nil when
// target is not a column or event is "" (a linear fit).
func twoClasses(t *score.Table, target, event, nonevent string) (cls []int8, all [2]int) {
	tc := t.Column(target)
	if tc < 0 || event == "" {
		return nil, all
	}
	cls = make([]int8, t.Len())
	for r := range cls {
		switch c := t.Cell(r, tc); {
		case c == event:
			cls[r] = 1
		case c == "" || nonevent != "" && c != nonevent:
			cls[r] = -1
			continue
		}
		all[cls[r]]++
	}
	return cls, all
}

func numericNearLeak(t *score.Table, j int, cls []int8) NearLeak {
	type row struct {
		x float64
		e bool
	}
	var rows []row
	var blank, all [2]int // by class: 0 other, 1 event
	for r, c := range cls {
		if c < 0 {
			continue
		}
		cell := t.Cell(r, j)
		if cell == "" {
			blank[c]++
			all[c]++
			continue
		}
		x, err := score.ParseNumber(cell)
		if err != nil {
			continue
		}
		all[c]++
		rows = append(rows, row{x, c == 1})
	}
	n := NearLeak{Rows: all[0] + all[1], Null: min(all[0], all[1])}
	if n.Null == 0 {
		return n
	}
	// The blank rows' class, and what they get wrong.
	blankEvent, blankErrs := blankClass(blank, all)
	// The present rows: no cut (all at one class) or the best cut between
	// distinct values: below it one class, above it the other; errors =
	// events below + non-events above (or the reverse).
	events := all[1] - blank[1]
	noCutEvent := events > len(rows)-events
	best, cut, at, up := min(events, len(rows)-events), false, 0.0, true
	slices.SortFunc(rows, func(a, b row) int { return cmp.Compare(a.x, b.x) })
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
			best, cut, at, up = e, true, rows[i+1].x, true
		}
		if e := neBelow + evAbove; e < best { // events below the cut
			best, cut, at, up = e, true, rows[i+1].x, false
		}
	}
	n.Errors = best + blankErrs
	var when []string
	switch {
	case cut && up:
		when = append(when, "it is >= "+num(at))
	case cut:
		when = append(when, "it is < "+num(at))
	case noCutEvent && len(rows) > 0:
		when = append(when, "present")
	}
	if blankEvent {
		when = append(when, "blank")
	}
	n.Rule = "the event when " + strings.Join(when, " or ")
	if len(when) == 0 {
		n.Rule = "the event never"
	}
	return n
}

// blankClass is the class the blank rows of an input get in a one-input
// rule (by class: 0 other, 1 event; all the rows with a two-class target)
// and the errors on them: their commoner class when they are leakMinRows
// or more, else the overall commoner class (none: no blank rows).
func blankClass(blank, all [2]int) (event bool, errs int) {
	switch {
	case blank[0]+blank[1] == 0:
		return false, 0
	case blank[0]+blank[1] >= leakMinRows:
		event = blank[1] > blank[0]
	default:
		event = all[1] > all[0]
	}
	if event {
		return true, blank[0]
	}
	return false, blank[1]
}

func categoricalNearLeak(t *score.Table, j int, cls []int8) NearLeak {
	type counts struct{ ev, ne int }
	byLevel := map[string]*counts{}
	var all counts
	var blank [2]int // by class: 0 other, 1 event
	for r, c := range cls {
		cell := t.Cell(r, j)
		if c < 0 {
			continue
		}
		if cell == "" {
			blank[c]++
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
	total := [2]int{all.ne + blank[0], all.ev + blank[1]}
	n := NearLeak{Rows: total[0] + total[1], Null: min(total[0], total[1])}
	majorityEvent := total[1] > total[0]
	blankEvent, blankErrs := blankClass(blank, total)
	n.Errors = blankErrs
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
	if blankEvent {
		n.Rule = "the event when blank"
		if len(eventLevels) > 0 {
			n.Rule = "the event when blank or on " + quoteList(eventLevels)
		}
	}
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

// separationHint is what a fit that failed on separation adds to its error
// when some inputs alone nearly classify the outcome (NearLeaks) or have
// a blank or category on rows of one class only (PureValues): those are the likely
// cause, and the columns of the separating direction, often every column
// of a scorecard, do not say which they are. "" when there are none.
func separationHint(t *score.Table, s *score.Schema, target, event, nonevent string) string {
	var near, blank, names []string
	for _, n := range NearLeaks(t, s, target, event, nonevent) {
		near = append(near, fmt.Sprintf("%s (%s: %d of %d training rows right)", n.Feature, n.Rule, n.Rows-n.Errors, n.Rows))
		names = append(names, n.Feature)
	}
	for _, p := range PureValues(t, s, nil, target, event, nonevent) {
		if !slices.Contains(names, p.Feature) {
			blank = append(blank, fmt.Sprintf("%s is %s on %d training rows, every one with the target %s", p.Feature, p.what(), p.Rows, strconv.Quote(p.Value)))
			names = append(names, p.Feature)
		}
	}
	if len(names) == 0 {
		return ""
	}
	var b strings.Builder
	if len(near) > 0 {
		verb := "classifies"
		if len(near) > 1 {
			verb = "classify"
		}
		fmt.Fprintf(&b, "; alone, %s nearly %s the outcome", strings.Join(near, ", "), verb)
	}
	if len(blank) > 0 {
		b.WriteString("; " + strings.Join(blank, "; "))
	}
	them := "it"
	if len(names) > 1 {
		them = "them"
	}
	fmt.Fprintf(&b, ", which a customer attribute rarely does: if recorded with or after it, leave %s out (--exclude %s)", them, shellWord(strings.Join(names, ",")))
	return b.String()
}

// PureValueLevel is the largest chance probability for which PureValues
// names a value: that a set of rows that large holds one class only if the
// value fell on rows regardless of the outcome. It is the bound of the
// perfect-separation guard (leakMinRows: a pure split of 10 and 10 rows
// arises by chance with probability under 1.1e-5).
const PureValueLevel = 1e-5

// PureValue is an input that is blank, or has one category, on many rows,
// every one of them of one class (see PureValues).
type PureValue struct {
	Feature string
	Level   string  // the category; "" for the blank
	Rows    int     // its rows with a two-class target
	Value   string  // the target value every one of them has
	Share   float64 // that class's share of the rows with a two-class target
	Log10P  float64 // log10 of the chance probability, Rows * log10(Share)
}

// what is the value as the warnings write it: "blank", or the category
// quoted.
func (p PureValue) what() string {
	if p.Level == "" {
		return "blank"
	}
	return score.QuoteBounded(p.Level)
}

// String is the warning, with both ways out.
func (p PureValue) String() string {
	return fmt.Sprintf("%s: %s on %d training rows, every one with the target %s (its share of all rows is %.3f: by chance, so pure a set has probability 1e%.0f): "+
		"a value written for one outcome only (a blank left by erasing, a code set after the decision) is no attribute of a new customer, and the model would score it; "+
		"if so, leave the input out (--exclude %s, or {\"role\": \"ignored\"}); if it is a real attribute, keep it as a decision on record: {\"role\": \"input\"}",
		p.Feature, p.what(), p.Rows, strconv.Quote(p.Value), p.Share, math.Floor(p.Log10P), shellWord(p.Feature))
}

// PureValues returns, in schema order, the blanks and categories of the
// inputs of s that hold at least leakMinRows training rows, every one of
// one class, with a chance probability Share^Rows under PureValueLevel;
// not a blank or category on exactly the rows of one class, which the fits
// refuse (checkLeaks). A public mortgage extract leaves the property value
// blank on 1,546 loans, every one of them defaulted (a quarter of all
// loans did), and its credit_type is EQUI on 1,077 training loans, all
// defaulted: the scorecard kept the blank bin and reached a held-out AUC
// of 0.997 on blanks that a new applicant does not have. Inputs whose role
// d declares are not named (kept as a decision on record). Rows count as in
// NearLeaks; weights do not matter.
func PureValues(t *score.Table, s *score.Schema, d *score.Declarations, target, event, nonevent string) []PureValue {
	cls, all := twoClasses(t, target, event, nonevent)
	if cls == nil {
		return nil
	}
	tc := t.Column(target)
	var out []PureValue
	for _, f := range s.Features() {
		j := t.Column(f.Name)
		if f.Role != score.Input || f.Name == target || j < 0 {
			continue
		}
		if roleDeclared(d, f.Name) {
			continue
		}
		type tally struct {
			n     [2]int
			other string // the target of its first row of the other class
		}
		byValue := map[string]*tally{}
		for r, c := range cls {
			if c < 0 {
				continue
			}
			v := t.Cell(r, j)
			if v != "" && f.Kind == score.Numeric {
				continue // a number's ties are the suspect-code check's (SuspectCodes)
			}
			k := byValue[v]
			if k == nil {
				k = &tally{}
				byValue[v] = k
			}
			k.n[c]++
			if c == 0 && k.other == "" {
				k.other = t.Cell(r, tc)
			}
		}
		for _, v := range slices.Sorted(maps.Keys(byValue)) {
			k := byValue[v]
			for c := range 2 {
				n := k.n[c]
				if n < leakMinRows || k.n[1-c] > 0 || n == all[c] {
					continue
				}
				share := float64(all[c]) / float64(all[0]+all[1])
				if lp := float64(n) * math.Log10(share); lp < math.Log10(PureValueLevel) {
					target := event
					if c == 0 {
						target = k.other
					}
					out = append(out, PureValue{Feature: f.Name, Level: v, Rows: n, Value: target, Share: share, Log10P: lp})
				}
			}
		}
	}
	return out
}
