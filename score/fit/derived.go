package fit

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/candorscore/candor/score"
)

// Derived is a numeric input that is a function of two other inputs in the
// training data: Feature = Left Op Right, rounded to Decimals decimals, on
// Share of the Rows where all three are numbers. A customer cannot move
// such an input apart from its two sources (a loan's share of the income
// changes when the loan or the income does, and only then), so advice or
// recourse that changes it alone, or its sources without it, describes a
// customer who does not exist in the data. `candor fit` warns about each;
// declare the derived input derived (score.Derivation: recourse then
// recomputes it from its sources, and advice goes to them), or leave it
// out, before giving advice.
type Derived struct {
	Feature     string
	Op          string // "/", "*", "+" or "-"
	Left, Right string
	// Decimals is the rounding of the relation (-1: none, for a declared
	// derivation without decimals).
	Decimals int
	// Written is the most decimals the derived column is written with in
	// the table (set by DeclaredDerived, which checks a declared rounding
	// against it).
	Written int
	Rows    int
	Share   float64
}

// Formula is the relation alone: "loan_percent_income = loan_amnt /
// person_income".
func (d Derived) Formula() string {
	return fmt.Sprintf("%s = %s %s %s", d.Feature, d.Left, d.Op, d.Right)
}

// String is "loan_percent_income = loan_amnt / person_income (rounded to 2
// decimals) on 99.8% of 32581 rows".
func (d Derived) String() string {
	var b strings.Builder
	b.WriteString(d.Formula())
	switch {
	case d.Decimals > 0:
		fmt.Fprintf(&b, " (rounded to %d decimals)", d.Decimals)
	case d.Decimals < 0:
		b.WriteString(" (not rounded)")
	}
	fmt.Fprintf(&b, " on %.1f%% of %d rows", 100*d.Share, d.Rows)
	return b.String()
}

// derivedColumn is a numeric input of a table as DerivedInputs reads it.
type derivedColumn struct {
	name string
	x    []float64 // NaN: not a number (or a special code)
	dec  int       // the most decimals a cell is written with
	mode float64   // the most common number
	// varies: two or more distinct numbers besides the mode.
	varies bool
}

// digits is how many significant digits the column's cells are written
// with, typically: its decimals (at most derivedMaxDecimals) plus
// log10 of the median magnitude of its nonzero numbers.
func (c derivedColumn) digits() float64 {
	var mags []float64
	for _, x := range c.x {
		if !math.IsNaN(x) && x != 0 {
			mags = append(mags, math.Abs(x))
		}
	}
	if len(mags) == 0 {
		return 0
	}
	slices.Sort(mags)
	return float64(min(c.dec, derivedMaxDecimals)) + math.Log10(mags[len(mags)/2])
}

func readDerivedColumn(t *score.Table, f score.Feature, j int) derivedColumn {
	c := derivedColumn{name: f.Name, x: make([]float64, t.Len())}
	for i := range c.x {
		cell := t.Cell(i, j)
		x, err := score.ParseNumber(cell)
		if _, special := f.SpecialMeaning(x); err != nil || special {
			x = math.NaN()
		} else if k := strings.IndexByte(cell, '.'); k >= 0 && !strings.ContainsAny(cell, "eE") {
			c.dec = max(c.dec, len(cell)-k-1)
		}
		c.x[i] = x
	}
	c.mode = mode(c.x)
	first := math.NaN()
	for _, x := range c.x {
		if math.IsNaN(x) || x == c.mode {
			continue
		}
		if math.IsNaN(first) {
			first = x
		} else if x != first {
			c.varies = true
			break
		}
	}
	return c
}

// derivedMatches counts the rows (at most limit of them, stopping at the
// derivedScreenMiss-th miss when screening) where y equals f(a, b) after
// rounding to dec decimals (-1: to a relative 1e-9), off y's most common
// value.
func derivedMatches(y, a, b derivedColumn, f func(a, b float64) float64, dec, limit int, screen bool) (hit, rows int) {
	scale := math.Pow(10, float64(dec))
	for i := range y.x {
		if rows == limit {
			break
		}
		yv, av, bv := y.x[i], a.x[i], b.x[i]
		if math.IsNaN(yv) || math.IsNaN(av) || math.IsNaN(bv) || yv == y.mode {
			continue
		}
		v := f(av, bv)
		if math.IsInf(v, 0) || math.IsNaN(v) {
			continue
		}
		rows++
		var ok bool
		if dec >= 0 && dec <= derivedMaxDecimals {
			ok = math.Abs(yv*scale-math.Round(v*scale)) < 0.5 || math.Abs(yv-v) <= 1e-9*math.Abs(v)
		} else {
			ok = math.Abs(yv-v) <= 1e-9*math.Max(math.Abs(v), 1)
		}
		if ok {
			hit++
		} else if screen && rows-hit >= derivedScreenMiss {
			return hit, rows
		}
	}
	return hit, rows
}

// DeclaredDerived checks each feature of s declared derived
// (score.Feature.Derived) against the rows of t, counted as DerivedInputs
// counts them: the rows where the feature and its two sources are numbers
// (not special codes), off the feature's most common value, and the share
// of those where the feature equals its formula at the declared rounding.
// A declaration that holds on under 90% of them (DerivedMinShare) is
// probably wrong: another formula, or other decimals (Written says how
// many the column is written with). Features or sources missing from t
// are left out. In schema order.
func DeclaredDerived(t *score.Table, s *score.Schema) []Derived {
	var out []Derived
	for _, f := range s.Features() {
		fm, ok := f.DerivedFrom()
		j, l, r := t.Column(f.Name), t.Column(fm.Left), t.Column(fm.Right)
		if !ok || j < 0 || l < 0 || r < 0 {
			continue
		}
		y := readDerivedColumn(t, f, j)
		lf, _ := s.Lookup(fm.Left)
		rf, _ := s.Lookup(fm.Right)
		a, b := readDerivedColumn(t, lf, l), readDerivedColumn(t, rf, r)
		dec := -1
		if f.Derived.Decimals != nil {
			dec = *f.Derived.Decimals
		}
		hit, rows := derivedMatches(y, a, b, fm.Eval, dec, len(y.x), false)
		d := Derived{Feature: f.Name, Op: string(fm.Op), Left: fm.Left, Right: fm.Right, Decimals: dec, Written: y.dec, Rows: rows}
		if rows > 0 {
			d.Share = float64(hit) / float64(rows)
		}
		out = append(out, d)
	}
	return out
}

// DerivedMinShare is the share of the rows on which a relation must hold
// for DerivedInputs to report it, and under which `candor fit` warns of a
// declared derivation.
const DerivedMinShare = derivedMinShare

// Thresholds of DerivedInputs.
const (
	derivedMinShare    = 0.9 // of the rows where the relation is defined
	derivedScreenMiss  = 20  // misses in the screen that end a candidate (10% of it)
	derivedScreenRows  = 200 // rows a candidate relation is first tried on
	derivedMinRows     = 50  // fewest rows with all three values for a verdict
	derivedMaxDecimals = 6   // a value written with more is not a rounded result
)

// DerivedInputs returns the numeric inputs of s that equal, on at least 90%
// of the table's rows where all three values are numbers (and at least 50
// such rows), the sum, difference, product or quotient of two other
// numeric inputs, after rounding to as many decimals as the derived
// column is written with (at most 6; a value written with more is taken at
// face value, to a relative 1e-9). Nine rows in ten leave room for the
// data-entry errors of real files (in the public credit_risk_dataset.csv,
// loan_percent_income is loan_amnt / person_income to 2 decimals on 98.0%
// of the rows), while two unrelated columns agree to the last written
// decimal on a few rows at most. A relation is first tried on the first
// 200 such rows and dropped at its 20th miss there, so the search over
// every input and pair of inputs stays cheap; a relation that passes is
// then counted over every row. Rows where the derived column holds its
// most common value are not counted: a column that is mostly 0 (capital
// gains) would otherwise "equal" any ratio that rounds to 0, and a column
// with one value any relation at all. For the same reason a column with
// only one value besides its mode (a 0/1 flag such as a credit-history
// indicator) is never reported: where it is counted it is constant, and it
// "equals" every relation that rounds to that value. Nor is a relation
// that holds on nine rows in ten only because both sides hold one value on
// most rows: the agreement must be nine tenths beyond chance as well
// (Cohen's kappa; see derivedBeyondChance). The result
// is in schema order of the derived feature, then of its sources; three
// columns in one relation are reported once (see oncePerTriple).
func DerivedInputs(t *score.Table, s *score.Schema) []Derived {
	var cols []derivedColumn
	for _, f := range s.Features() {
		j := t.Column(f.Name)
		if f.Role != score.Input || f.Kind != score.Numeric || j < 0 {
			continue
		}
		cols = append(cols, readDerivedColumn(t, f, j))
	}
	// A declared derivation is checked by DeclaredDerived: neither its
	// feature nor its three columns in another order are reported.
	declared := map[[3]string]bool{}
	isDeclared := map[string]bool{}
	for _, f := range s.Features() {
		if fm, ok := f.DerivedFrom(); ok {
			k := [3]string{f.Name, fm.Left, fm.Right}
			slices.Sort(k[:])
			declared[k] = true
			isDeclared[f.Name] = true
		}
	}
	ops := [...]struct {
		op   string
		swap bool
		f    func(a, b float64) float64
	}{
		{"/", false, func(a, b float64) float64 { return a / b }},
		{"/", true, func(a, b float64) float64 { return b / a }},
		{"*", false, func(a, b float64) float64 { return a * b }},
		{"+", false, func(a, b float64) float64 { return a + b }},
		{"-", false, func(a, b float64) float64 { return a - b }},
		{"-", true, func(a, b float64) float64 { return b - a }},
	}
	matches := func(y, a, b derivedColumn, f func(a, b float64) float64, limit int, screen bool) (hit, rows int) {
		return derivedMatches(y, a, b, f, y.rounding(), limit, screen)
	}
	var out []Derived
	var digits []float64 // of each relation's derived column, for oncePerTriple
	for yi, y := range cols {
		if isDeclared[y.name] {
			continue // what it follows is declared (DeclaredDerived checks it)
		}
		if !y.varies {
			continue // one value off its mode: constant where it is counted
		}
		for ai := range cols {
			for bi := ai + 1; bi < len(cols); bi++ {
				if ai == yi || bi == yi {
					continue
				}
				if k := [3]string{y.name, cols[ai].name, cols[bi].name}; declared[sortedTriple(k)] {
					continue
				}
				for _, o := range ops {
					if !derivedHolds(matches(y, cols[ai], cols[bi], o.f, derivedScreenRows, true)) {
						continue
					}
					hit, rows := matches(y, cols[ai], cols[bi], o.f, len(y.x), false)
					if !derivedHolds(hit, rows) || !derivedBeyondChance(y, cols[ai], cols[bi], o.f, y.rounding(), hit, rows) {
						continue
					}
					l, r := cols[ai].name, cols[bi].name
					if o.swap {
						l, r = r, l
					}
					out = append(out, Derived{Feature: y.name, Op: o.op, Left: l, Right: r,
						Decimals: min(y.dec, derivedMaxDecimals), Rows: rows, Share: float64(hit) / float64(rows)})
					digits = append(digits, y.digits())
					break
				}
			}
		}
	}
	return oncePerTriple(out, digits)
}

// oncePerTriple keeps one relation of each three columns: a + b = c is also
// a = c - b and b = c - a, and c = a * b rounded to the cent also gives
// b = c / a rounded to a whole number. The one kept is the one whose
// derived column is written to the most significant digits (digits[i] for
// out[i]; see derivedColumn.digits): the relation computed from the other
// two holds to the precision its result was written with, a consequence of
// it only to the coarser precision of its own column (a tenure in whole
// months is c / a to 1 among tens, the total a * b to 0.01 among
// thousands). Within a quarter of a digit, the first found whose operator
// comes first in "/", "*", "+", "-" (the result column of a sum, not one of
// its terms). The order of out is kept.
func oncePerTriple(out []Derived, digits []float64) []Derived {
	rank := map[string]int{"/": 0, "*": 1, "+": 2, "-": 3}
	key := func(d Derived) [3]string {
		k := [3]string{d.Feature, d.Left, d.Right}
		slices.Sort(k[:])
		return k
	}
	better := func(i, j int) bool {
		if more, decided := moreDigits(digits[i], digits[j]); decided {
			return more
		}
		return rank[out[i].Op] < rank[out[j].Op]
	}
	best := map[[3]string]int{}
	for i, d := range out {
		if j, ok := best[key(d)]; !ok || better(i, j) {
			best[key(d)] = i
		}
	}
	kept := out[:0:0]
	for i, d := range out {
		if best[key(d)] == i {
			kept = append(kept, d)
		}
	}
	return kept
}

// moreDigits compares the significant digits of two derived columns (see
// derivedColumn.digits): decided when they differ by more than a quarter
// of a digit, and then whether a has more.
func moreDigits(a, b float64) (more, decided bool) {
	if math.Abs(a-b) > 0.25 {
		return a > b, true
	}
	return false, false
}

// derivedHolds says whether a relation that matched hit of rows rows
// holds: at least derivedMinRows rows, derivedMinShare of them matching.
// It is the screen; a relation that passes it is reported only if it also
// holds beyond chance (derivedBeyondChance).
func derivedHolds(hit, rows int) bool {
	return rows >= derivedMinRows && float64(hit) >= derivedMinShare*float64(rows)
}

// derivedBeyondChance says whether y = f(a, b), matching hit of rows rows
// (as derivedMatches counts them, at dec decimals), agrees beyond what
// chance gives: Cohen's kappa, (share - chance) / (1 - chance), at least
// derivedMinShare, where chance is the share of those rows on which y
// would equal f(a, b) if the two were unrelated: the sum over the values
// v of P(y = v) P(f(a, b) = v), both read off the same rows (after the
// rounding the match uses). Two columns that each hold one value on most
// counted rows (a count of retention calls that is 1 wherever it is not
// 0, a ratio of lines that is mostly 1) agree on most rows with no
// relation between them; a true relation holds on its rows whatever its
// values' frequencies, so its kappa is its share, less a little for entry
// errors. Since kappa is at most the share, this is never weaker than
// derivedHolds.
func derivedBeyondChance(y, a, b derivedColumn, f func(a, b float64) float64, dec, hit, rows int) bool {
	if rows < derivedMinRows {
		return false
	}
	key := func(v float64) float64 {
		if dec >= 0 && dec <= derivedMaxDecimals {
			return math.Round(v * math.Pow(10, float64(dec)))
		}
		k, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 9, 64), 64) // a relative 1e-9
		return k
	}
	ys, fs := map[float64]int{}, map[float64]int{}
	n := 0
	for i := range y.x {
		yv, av, bv := y.x[i], a.x[i], b.x[i]
		if math.IsNaN(yv) || math.IsNaN(av) || math.IsNaN(bv) || yv == y.mode {
			continue
		}
		v := f(av, bv)
		if math.IsInf(v, 0) || math.IsNaN(v) {
			continue
		}
		ys[key(yv)]++
		fs[key(v)]++
		n++
	}
	if n == 0 {
		return false
	}
	var chance float64
	for k, c := range ys {
		chance += float64(c) / float64(n) * float64(fs[k]) / float64(n)
	}
	if chance >= 1 {
		return false
	}
	kappa := (float64(hit)/float64(rows) - chance) / (1 - chance)
	return kappa >= derivedMinShare
}

// rounding is the decimals a relation deriving c is rounded to: those c is
// written with, or -1 (a relative 1e-9) past derivedMaxDecimals.
func (c derivedColumn) rounding() int {
	if c.dec > derivedMaxDecimals {
		return -1
	}
	return c.dec
}

func sortedTriple(k [3]string) [3]string {
	slices.Sort(k[:])
	return k
}

// mode is the most common number of xs (the smallest of equals; NaN when
// there is none).
func mode(xs []float64) float64 {
	counts := map[float64]int{}
	best, n := math.NaN(), 0
	for _, x := range xs {
		if math.IsNaN(x) {
			continue
		}
		counts[x]++
		if c := counts[x]; c > n || (c == n && x < best) {
			best, n = x, c
		}
	}
	return best
}
