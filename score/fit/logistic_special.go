package fit

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"

	"github.com/candorscore/candor/internal/metric"
	"github.com/candorscore/candor/internal/report"
	"github.com/candorscore/candor/score"
)

// specialColumn is one indicator column of the design: a declared special
// code of a numeric input that occurs in the training rows, or (missing)
// the blank cells of an input under MissingIndicator.
type specialColumn struct {
	feature string
	code    float64
	missing bool
	name    string // the indicator's design name: feature[special=code] or feature[missing]
}

// hasSpecialInputs reports whether a numeric input of s declares special
// codes.
func hasSpecialInputs(s *score.Schema, target string) bool {
	for _, f := range s.Features() {
		if f.Role == score.Input && f.Name != target && f.Kind == score.Numeric && len(f.SpecialCodes()) > 0 {
			return true
		}
	}
	return false
}

// indicatorBlanks reports whether input f gets a missing indicator under
// policy: MissingIndicator, a column in t with a blank cell, and no Fill
// value of its own.
func indicatorBlanks(t *score.Table, f *score.Feature, target string, policy MissingPolicy, fill map[string]float64) bool {
	if policy != MissingIndicator || f.Role != score.Input || f.Name == target {
		return false
	}
	if _, ok := fill[f.Name]; ok && f.Kind == score.Numeric {
		return false
	}
	j := t.Column(f.Name)
	if j < 0 {
		return false
	}
	for r := 0; r < t.Len(); r++ {
		if t.Cell(r, j) == "" {
			return true
		}
	}
	return false
}

// needsIndicators reports whether a logistic or linear fit goes through
// the indicator design: declared special codes, or blank inputs under
// MissingIndicator.
func needsIndicators(t *score.Table, s *score.Schema, target string, policy MissingPolicy, fill map[string]float64) bool {
	if hasSpecialInputs(s, target) {
		return true
	}
	fs := s.Features()
	for i := range fs {
		if indicatorBlanks(t, &fs[i], target, policy, fill) {
			return true
		}
	}
	return false
}

// logisticWithSpecials is Logistic for a schema whose numeric inputs
// declare special codes. Each code that occurs in the training rows gets
// an indicator column (1 on the code's rows), and on those rows the
// numeric column takes a neutral fill: the median of the feature's
// non-special, non-missing training values (the lower median for an even
// count). The code's whole effect relative to the median is then its
// indicator's coefficient, and the numeric coefficient is fitted on real
// quantities only.
//
// In the model each such feature becomes one BinnedTerm: a range bin
// over all numbers with Slope = the numeric coefficient b (effect b*x),
// and a SpecialBin per declared code with effect b*fill + g, g the
// indicator's coefficient (a declared code absent from training gets
// b*fill: the median's effect). The coefficient table keeps the
// indicators, named "feature[special=code]". The term's Baseline averages
// over the design column (codes counted at the fill), as fitted; its Stats
// (percentiles, data trend, decile cells: what advice and recourse rely
// on) over the real numbers only, codes and blanks counted as Missing.
//
// Under MissingIndicator the blank cells of an input are handled the same
// way: an indicator column "feature[missing]" and, in the input's column,
// the same median fill (numeric) or the reference level, the first of its
// sorted levels (categorical). A numeric input's blank is then its
// term's MissingBin (effect b*fill + the indicator's coefficient), a
// categorical one's the term's MissingEffect (the indicator's
// coefficient), and the reference level's Count and Events are those of
// its own rows only.
func logisticWithSpecials(ctx context.Context, t *score.Table, s *score.Schema, target, event string, opts *LogisticOptions) (*LogisticFit, error) {
	sd, err := newSpecialDesign(t, s, target, event, opts.Missing, opts.Fill, opts.Weights)
	if err != nil {
		return nil, err
	}
	o := *opts
	if o.Missing == MissingIndicator {
		o.Missing = MissingError // no blank input is left; a blank target is still an error
	}
	o.Unseen = UnseenError // set on the folded terms, whose baselines count the blanks as fitted
	o.filled = sd.filled()
	fitted, err := logisticFit(ctx, sd.table, sd.schema, target, event, &o)
	if err != nil || fitted.Model == nil {
		return fitted, err
	}
	if fitted.Model, err = sd.fold(fitted.Model.Spec(), s, opts.Unseen); err != nil {
		return nil, err
	}
	fitted.Blanks = sd.blanks()
	return fitted, nil
}

// linearWithSpecials is Linear for a schema whose numeric inputs declare
// special codes: the same indicator design and the same folded terms as
// logisticWithSpecials, fitted by least squares.
func linearWithSpecials(ctx context.Context, t *score.Table, s *score.Schema, target string, opts *LinearOptions) (*LinearFit, error) {
	sd, err := newSpecialDesign(t, s, target, "", opts.Missing, opts.Fill, nil)
	if err != nil {
		return nil, err
	}
	o := *opts
	if o.Missing == MissingIndicator {
		o.Missing = MissingError
	}
	o.filled = sd.filled()
	o.Unseen = UnseenError // set on the folded terms, whose baselines count the blanks as fitted
	fitted, err := Linear(ctx, sd.table, sd.schema, target, &o)
	if err != nil || fitted.Model == nil {
		return fitted, err
	}
	if fitted.Model, err = sd.fold(fitted.Model.Spec(), s, opts.Unseen); err != nil {
		return nil, err
	}
	fitted.Blanks = sd.blanks()
	return fitted, nil
}

// blanks lists the inputs given a missing indicator, in schema order.
func (sd *specialDesign) blanks() []BlankFill {
	var out []BlankFill
	for _, e := range sd.extras {
		if p := sd.plans[e.feature]; e.missing {
			out = append(out, BlankFill{Feature: e.feature, Rows: p.blankRows, Fill: p.cell, Level: p.level})
		}
	}
	return out
}

// specialPlan is one input's codes, neutral fill and indicators.
type specialPlan struct {
	col   int
	codes []float64
	fill  float64 // a numeric input's neutral value (the lower median)
	cell  string  // the cell written for a code or a blank: fill, or a categorical input's reference level
	extra []specialColumn
	// blank: the input has a missing indicator; blankEvents is the
	// weighted count of its blank rows whose target is the event.
	blank       bool
	level       bool // fill is a categorical input's reference level
	blankRows   int
	blankEvents float64
	// filled[r]: table row r of a numeric input holds the fill in the
	// design (its cell was a code or blank).
	filled []bool
}

// specialDesign is the design table of a fit with special codes or
// missing indicators: codes and blanks replaced by the fill, an indicator
// column per code seen in training and per input with blanks, and its
// schema (no codes left, so the fit does not come back here).
type specialDesign struct {
	table  *score.Table
	schema *score.Schema
	plans  map[string]*specialPlan
	extras []specialColumn
}

// newSpecialDesign builds the design table for the numeric inputs of s
// that declare special codes and, under MissingIndicator, the inputs with
// blank cells. event and weights count the blank rows' events (event ""
// for a linear fit).
func newSpecialDesign(t *score.Table, s *score.Schema, target, event string, policy MissingPolicy, fill map[string]float64, weights []float64) (*specialDesign, error) {
	header := t.Header()
	fs := s.Features()
	plans := map[string]*specialPlan{}
	var extras []specialColumn
	tc := t.Column(target)
	for i := range fs {
		f := &fs[i]
		var codes []float64
		if f.Role == score.Input && f.Name != target && f.Kind == score.Numeric {
			codes = f.SpecialCodes()
		}
		blank := indicatorBlanks(t, f, target, policy, fill)
		j := t.Column(f.Name)
		if len(codes) == 0 && !blank || j < 0 {
			continue // j < 0: NewDesign reports it
		}
		p := &specialPlan{col: j, codes: codes, blank: blank}
		var xs []float64
		seen := map[float64]bool{}
		levels := map[string]bool{}
		for _, c := range f.Categories {
			levels[c] = true
		}
		for r := 0; r < t.Len(); r++ {
			cell := t.Cell(r, j)
			if cell == "" {
				if blank {
					p.blankRows++
				}
				if blank && tc >= 0 && event != "" && t.Cell(r, tc) == event {
					p.blankEvents += metric.Weight(weights, r)
				}
				continue
			}
			if f.Kind == score.Categorical {
				levels[cell] = true
				continue
			}
			x, err := score.ParseNumber(cell)
			if err != nil {
				continue // bad: NewDesign reports it
			}
			if _, ok := slices.BinarySearch(codes, x); ok {
				seen[x] = true
				continue
			}
			xs = append(xs, x)
		}
		switch {
		case f.Kind == score.Categorical:
			if len(levels) == 0 {
				return nil, &score.FieldError{Feature: f.Name, Err: fmt.Errorf("%w: every training cell is blank and no category is declared: "+
					"there is no level to fill a blank with, nor anything to fit; leave it out (--exclude, role ignored)", score.ErrData)}
			}
			p.cell, p.level = slices.Sorted(maps.Keys(levels))[0], true // the reference level, as levelsOf orders them
		default:
			if len(xs) > 0 {
				slices.Sort(xs)
				p.fill = xs[(len(xs)-1)/2]
			}
			p.cell = strconv.FormatFloat(p.fill, 'g', -1, 64)
		}
		var cols []specialColumn
		for _, c := range codes {
			if seen[c] {
				cols = append(cols, specialColumn{feature: f.Name, code: c, name: f.Name + "[special=" + strconv.FormatFloat(c, 'g', -1, 64) + "]"})
			}
		}
		if blank {
			cols = append(cols, specialColumn{feature: f.Name, missing: true, name: f.Name + "[missing]"})
		}
		for _, sc := range cols {
			if t.Column(sc.name) >= 0 || s.Index(sc.name) >= 0 {
				return nil, &score.FieldError{Feature: f.Name, Err: fmt.Errorf("%w: a column is already named %q", score.ErrData, sc.name)}
			}
		}
		p.extra = cols
		extras = append(extras, cols...)
		plans[f.Name] = p
	}
	// The design table: codes and blanks replaced by the fill, indicator
	// columns added.
	dh := append(slices.Clone(header), make([]string, len(extras))...)
	for k, e := range extras {
		dh[len(header)+k] = e.name
	}
	rows := make([][]string, t.Len())
	for r := range rows {
		row := append(t.Row(r), make([]string, len(extras))...)
		k := len(header)
		for _, f := range fs {
			p, ok := plans[f.Name]
			if !ok {
				continue
			}
			cell := row[p.col]
			x, err := score.ParseNumber(cell)
			number := f.Kind == score.Numeric && err == nil // a category is never a code
			for _, e := range p.extra {
				row[k] = "0"
				if e.missing && cell == "" || !e.missing && number && x == e.code {
					row[k] = "1"
					row[p.col] = p.cell
				}
				k++
			}
			if number {
				if _, code := slices.BinarySearch(p.codes, x); code {
					row[p.col] = p.cell // a code with no indicator
				}
			}
			if f.Kind == score.Numeric && row[p.col] != cell { // a code or a blank given the fill
				if p.filled == nil {
					p.filled = make([]bool, t.Len())
				}
				p.filled[r] = true
			}
		}
		rows[r] = row
	}
	dt, err := score.NewTable(dh, rows)
	if err != nil {
		return nil, err
	}
	dfs := s.Features()
	for i := range dfs {
		dfs[i].Special = nil // the design has no codes left (and the fit does not come back here)
	}
	for _, e := range extras {
		dfs = append(dfs, score.Feature{Name: e.name, Kind: score.Numeric})
	}
	ds, err := score.NewSchema(dfs...)
	if err != nil {
		return nil, err
	}
	return &specialDesign{table: dt, schema: ds, plans: plans, extras: extras}, nil
}

// filled is, per numeric input of the design, which table rows hold the
// fill (LogisticOptions.filled).
func (sd *specialDesign) filled() map[string][]bool {
	out := map[string][]bool{}
	for name, p := range sd.plans {
		if p.filled != nil { // numeric inputs only: a category's blank takes a level, not a number
			out[name] = p.filled
		}
	}
	return out
}

// fold turns the fitted spec of the design back into a model of s: the
// indicators folded into one binned term per numeric feature with codes
// or blanks, and into the MissingEffect of a categorical one.
func (sd *specialDesign) fold(spec score.Spec, s *score.Schema, unseen UnseenPolicy) (*score.Model, error) {
	plans, extras := sd.plans, sd.extras
	byName := map[string]score.Term{}
	for _, term := range spec.Terms {
		byName[term.Feature] = term
	}
	isExtra := map[string]bool{}
	for _, e := range extras {
		isExtra[e.name] = true
	}
	var terms []score.Term
	for _, term := range spec.Terms {
		if isExtra[term.Feature] {
			continue
		}
		p, ok := plans[term.Feature]
		switch {
		case ok && term.Kind == score.CategoricalTerm && p.blank:
			terms = append(terms, foldMissingLevel(term, p, byName[term.Feature+"[missing]"]))
			continue
		case !ok || term.Kind != score.LinearTerm:
			terms = append(terms, term)
			continue
		}
		f := s.Feature(s.Index(term.Feature))
		b, fill := term.Coef, p.fill
		bt := score.Term{Feature: term.Feature, Kind: score.BinnedTerm, Baseline: term.Baseline, Stats: term.Stats,
			ReasonBaseline: term.ReasonBaseline}
		bt.Bins = append(bt.Bins, score.Bin{Kind: score.RangeBin, Slope: b, Label: "[-inf, +inf)"})
		for _, c := range p.codes {
			c := c
			bin := score.Bin{Kind: score.SpecialBin, Special: &c, Effect: b * fill}
			if meaning, ok := f.SpecialMeaning(c); ok && meaning != "" {
				bin.Label = meaning + " (= " + report.Count(c) + ")"
			}
			for _, e := range p.extra {
				if !e.missing && e.code == c {
					ind := byName[e.name]
					bin.Effect += ind.Coef
					bt.Baseline += ind.Baseline
				}
			}
			bt.Bins = append(bt.Bins, bin)
		}
		switch {
		case p.blank:
			ind := byName[term.Feature+"[missing]"]
			bt.Bins = append(bt.Bins, score.Bin{Kind: score.MissingBin, Effect: b*fill + ind.Coef,
				Count: blankCount(ind), Events: p.blankEvents})
			bt.Baseline += ind.Baseline
		case term.Fill != nil:
			bt.Bins = append(bt.Bins, score.Bin{Kind: score.MissingBin, Effect: b * *term.Fill})
		}
		terms = append(terms, bt)
	}
	unseenEffects(terms, unseen)
	spec.Terms = terms
	spec.Features = s.Features()
	return score.NewModel(spec)
}

// blankCount is the weighted number of design rows on which the 0/1
// indicator term ind is 1.
func blankCount(ind score.Term) float64 {
	if ind.Stats == nil {
		return 0
	}
	return ind.Stats.Mean * ind.Stats.Count
}

// foldMissingLevel gives the categorical term of the design its missing
// indicator's coefficient as MissingEffect, and takes the blank rows
// (filled with the reference level) out of the reference level's counts.
func foldMissingLevel(term score.Term, p *specialPlan, ind score.Term) score.Term {
	g := ind.Coef
	term.MissingEffect = &g
	term.Baseline += ind.Baseline
	term.Levels = slices.Clone(term.Levels)
	for k := range term.Levels {
		if l := &term.Levels[k]; l.Label == term.Reference {
			l.Count -= blankCount(ind)
			l.Events -= p.blankEvents
		}
	}
	return term
}
