package fit

import (
	"context"
	"fmt"
	"slices"
	"strconv"

	"github.com/candorscore/candor/internal/report"
	"github.com/candorscore/candor/score"
)

// specialColumn is one declared special code of a numeric input that
// occurs in the training rows: its indicator column in the design.
type specialColumn struct {
	feature string
	code    float64
	name    string // the indicator's design name: feature[special=code]
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
// indicators, named "feature[special=code]". The term's Stats are those
// of the design column (codes counted at the fill), which is what its
// Baseline averages over.
func logisticWithSpecials(ctx context.Context, t *score.Table, s *score.Schema, target, event string, opts *LogisticOptions) (*LogisticFit, error) {
	sd, err := newSpecialDesign(t, s, target)
	if err != nil {
		return nil, err
	}
	fitted, err := Logistic(ctx, sd.table, sd.schema, target, event, opts)
	if err != nil || fitted.Model == nil {
		return fitted, err
	}
	if fitted.Model, err = sd.fold(fitted.Model.Spec(), s); err != nil {
		return nil, err
	}
	return fitted, nil
}

// linearWithSpecials is Linear for a schema whose numeric inputs declare
// special codes: the same indicator design and the same folded terms as
// logisticWithSpecials, fitted by least squares.
func linearWithSpecials(ctx context.Context, t *score.Table, s *score.Schema, target string, opts *LinearOptions) (*LinearFit, error) {
	sd, err := newSpecialDesign(t, s, target)
	if err != nil {
		return nil, err
	}
	fitted, err := Linear(ctx, sd.table, sd.schema, target, opts)
	if err != nil || fitted.Model == nil {
		return fitted, err
	}
	if fitted.Model, err = sd.fold(fitted.Model.Spec(), s); err != nil {
		return nil, err
	}
	return fitted, nil
}

// specialPlan is one numeric input's codes, neutral fill and indicators.
type specialPlan struct {
	col   int
	codes []float64
	fill  float64
	extra []specialColumn
}

// specialDesign is the design table of a fit with special codes: codes
// replaced by the fill, an indicator column per code seen in training,
// and its schema (no codes left, so the fit does not come back here).
type specialDesign struct {
	table  *score.Table
	schema *score.Schema
	plans  map[string]*specialPlan
	extras []specialColumn
}

// newSpecialDesign builds the design table for the numeric inputs of s
// that declare special codes.
func newSpecialDesign(t *score.Table, s *score.Schema, target string) (*specialDesign, error) {
	header := t.Header()
	fs := s.Features()
	plans := map[string]*specialPlan{}
	var extras []specialColumn
	for i := range fs {
		f := &fs[i]
		codes := f.SpecialCodes()
		if f.Role != score.Input || f.Name == target || f.Kind != score.Numeric || len(codes) == 0 {
			continue
		}
		j := t.Column(f.Name)
		if j < 0 {
			continue // NewDesign reports it
		}
		p := &specialPlan{col: j, codes: codes}
		var xs []float64
		seen := map[float64]bool{}
		for r := 0; r < t.Len(); r++ {
			x, err := score.ParseNumber(t.Cell(r, j))
			if err != nil {
				continue // blank or bad: NewDesign reports it
			}
			if _, ok := slices.BinarySearch(codes, x); ok {
				seen[x] = true
				continue
			}
			xs = append(xs, x)
		}
		if len(xs) > 0 {
			slices.Sort(xs)
			p.fill = xs[(len(xs)-1)/2]
		}
		for _, c := range codes {
			if seen[c] {
				sc := specialColumn{feature: f.Name, code: c, name: f.Name + "[special=" + strconv.FormatFloat(c, 'g', -1, 64) + "]"}
				if t.Column(sc.name) >= 0 || s.Index(sc.name) >= 0 {
					return nil, &score.FieldError{Feature: f.Name, Err: fmt.Errorf("%w: a column is already named %q", score.ErrData, sc.name)}
				}
				p.extra = append(p.extra, sc)
				extras = append(extras, sc)
			}
		}
		plans[f.Name] = p
	}
	// The design table: codes replaced by the fill, indicator columns added.
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
			x, err := score.ParseNumber(row[p.col])
			for _, e := range p.extra {
				row[k] = "0"
				if err == nil && x == e.code {
					row[k] = "1"
					row[p.col] = strconv.FormatFloat(p.fill, 'g', -1, 64)
				}
				k++
			}
			if err == nil {
				if _, code := slices.BinarySearch(p.codes, x); code {
					row[p.col] = strconv.FormatFloat(p.fill, 'g', -1, 64) // a code with no indicator
				}
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

// fold turns the fitted spec of the design back into a model of s: the
// indicators folded into one binned term per feature with codes.
func (sd *specialDesign) fold(spec score.Spec, s *score.Schema) (*score.Model, error) {
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
		if !ok || term.Kind != score.LinearTerm {
			terms = append(terms, term)
			continue
		}
		f := s.Feature(s.Index(term.Feature))
		b := term.Coef
		bt := score.Term{Feature: term.Feature, Kind: score.BinnedTerm, Baseline: term.Baseline, Stats: term.Stats,
			ReasonBaseline: term.ReasonBaseline}
		bt.Bins = append(bt.Bins, score.Bin{Kind: score.RangeBin, Slope: b, Label: "[-inf, +inf)"})
		for _, c := range p.codes {
			c := c
			bin := score.Bin{Kind: score.SpecialBin, Special: &c, Effect: b * p.fill}
			if meaning, ok := f.SpecialMeaning(c); ok && meaning != "" {
				bin.Label = meaning + " (= " + report.Count(c) + ")"
			}
			for _, e := range p.extra {
				if e.code == c {
					ind := byName[e.name]
					bin.Effect += ind.Coef
					bt.Baseline += ind.Baseline
				}
			}
			bt.Bins = append(bt.Bins, bin)
		}
		if term.Fill != nil {
			bt.Bins = append(bt.Bins, score.Bin{Kind: score.MissingBin, Effect: b * *term.Fill})
		}
		terms = append(terms, bt)
	}
	spec.Terms = terms
	spec.Features = s.Features()
	return score.NewModel(spec)
}
