package score

import (
	"fmt"
	"math"
)

// Pair is the second half of a PairTerm: an interaction of two features as
// a table of effects over a grid of their bins.
//
// The term's rows are the bins of Term.Feature (Term.Bins) and its columns
// the bins of Pair.Feature (Pair.Bins); each list follows a BinnedTerm's
// rules (range bins tiling the line, a missing bin, category bins, ...) and
// its bins' Effect and Slope are 0: the bins only say where a value falls.
// The effect of a customer whose first feature falls in row bin r and
// second in column bin c is Effects[r*len(Pair.Bins)+c], in the model's
// score units. Counts, when given, are the weighted training rows of each
// cell, in the same order.
//
// A pair term adds to, and does not replace, the main-effect terms of its
// features: fit.Boosted purifies a pair (each row and column of the table
// has a training-weighted mean of 0), so a feature's own term keeps its
// meaning as the feature's average effect and the pair holds only what the
// two features do together.
type Pair struct {
	Feature string    `json:"feature"`
	Bins    []Bin     `json:"bins"`
	Effects []float64 `json:"effects"`
	Counts  []float64 `json:"counts,omitempty"`
}

// pairKey identifies the unordered pair of features a and b.
func pairKey(a, b string) string {
	if b < a {
		a, b = b, a
	}
	return "\x00" + a + "\x00" + b
}

// compilePair validates and compiles pair term t, whose first feature is
// schema feature i.
func (m *Model) compilePair(t *Term, i int) (compiledTerm, error) {
	f := m.schema.features[i]
	bad := func(format string, args ...any) (compiledTerm, error) {
		return compiledTerm{}, &FieldError{Feature: f.Name, Err: fmt.Errorf("%w: pair term: "+format, append([]any{ErrModel}, args...)...)}
	}
	p := t.Pair
	if p == nil {
		return bad("no pair (second feature and table)")
	}
	i2 := m.schema.Index(p.Feature)
	if i2 < 0 {
		return compiledTerm{}, &FieldError{Feature: p.Feature, Err: fmt.Errorf("%w: pair term with %s for a feature the schema lacks", ErrUnknownFeature, f.Name)}
	}
	if i2 == i {
		return bad("both features are %s", f.Name)
	}
	f2 := m.schema.features[i2]
	switch f2.Role {
	case Protected:
		return compiledTerm{}, &FieldError{Feature: f2.Name, Err: ErrProtectedInput}
	case Ignored:
		return compiledTerm{}, &FieldError{Feature: f2.Name, Err: fmt.Errorf("%w: feature has role ignored but is a model input", ErrModel)}
	}
	if t.Coef != 0 || t.Fill != nil || t.Levels != nil || t.MissingEffect != nil || t.OtherEffect != nil || t.Reference != "" {
		return bad("a pair term has only bins and a table")
	}
	if !isFinite(t.Baseline) || (t.ReasonBaseline != nil && !isFinite(*t.ReasonBaseline)) {
		return bad("baseline is not finite")
	}
	axis := func(name string, bins []Bin, g Feature) (*compiledTerm, error) {
		for k, b := range bins {
			if b.Effect != 0 || b.Slope != 0 {
				return nil, fmt.Errorf("%w: pair term: bin %d of %s has an effect or slope (the table holds the effects)", ErrModel, k, name)
			}
			if b.ReasonCode != "" {
				return nil, fmt.Errorf("%w: pair term: bin %d of %s has a reason code (the term's reason code names the pair)", ErrModel, k, name)
			}
		}
		at := &Term{Feature: name, Kind: BinnedTerm, Bins: bins}
		ct, err := compileTerm(at, g)
		if err != nil {
			return nil, err
		}
		ct.kind = termBinned
		ct.index()
		return &ct, nil
	}
	rows, err := axis(f.Name, t.Bins, f)
	if err != nil {
		return compiledTerm{}, &FieldError{Feature: f.Name, Err: err}
	}
	cols, err := axis(f2.Name, p.Bins, f2)
	if err != nil {
		return compiledTerm{}, &FieldError{Feature: f2.Name, Err: err}
	}
	nr, nc := len(t.Bins), len(p.Bins)
	if len(p.Effects) != nr*nc {
		return bad("table with %s has %d effects for %d x %d bins", f2.Name, len(p.Effects), nr, nc)
	}
	for k, e := range p.Effects {
		if !isFinite(e) {
			return bad("effect of cell (%d, %d) with %s is not finite", k/nc, k%nc, f2.Name)
		}
	}
	if p.Counts != nil && len(p.Counts) != nr*nc {
		return bad("table with %s has %d counts for %d x %d bins", f2.Name, len(p.Counts), nr, nc)
	}
	for k, c := range p.Counts {
		if !(c >= 0) || math.IsInf(c, 0) {
			return bad("count of cell (%d, %d) with %s is %v", k/nc, k%nc, f2.Name, c)
		}
	}
	return compiledTerm{t: t, kind: termPair, feature: i, feature2: i2, rows: rows, cols: cols, missing: -1, other: -1}, nil
}

// evalRecord is term ct's effect and position on record r: eval on the
// term's feature, or for a pair term the cell of its two features' bins
// (position row*columns+column).
func (ct *compiledTerm) evalRecord(r Record) (float64, int, error) {
	if ct.kind != termPair {
		return ct.eval(&r[ct.feature])
	}
	return ct.evalPair(&r[ct.feature], &r[ct.feature2])
}

// evalPair is a pair term's effect and cell for the values v of its first
// feature and w of its second.
func (ct *compiledTerm) evalPair(v, w *Value) (float64, int, error) {
	_, r, err := ct.rows.eval(v)
	if err != nil {
		return 0, -1, err
	}
	_, c, err := ct.cols.eval(w)
	if err != nil {
		return 0, -1, err
	}
	k := r*len(ct.t.Pair.Bins) + c
	return ct.t.Pair.Effects[k], k, nil
}

// pairErr is the error of a one-value call on pair term j.
func (m *Model) pairErr(j int) error {
	ct := &m.terms[j]
	return &FieldError{Feature: ct.t.Feature, Err: fmt.Errorf("%w: term %d is the pair of %s and %s: its effect needs both values (Model.EffectOf)",
		ErrPairTerm, j, ct.t.Feature, ct.t.Pair.Feature)}
}

// EffectOf returns term j's effect on record r (in schema order) and its
// position, as Effect does for a term of one feature; for a pair term the
// position is the cell row*columns+column of Term.Pair.Effects. A bad value
// is a *FieldError naming its feature.
func (m *Model) EffectOf(j int, r Record) (effect float64, pos int, err error) {
	if j < 0 || j >= len(m.terms) {
		return 0, -1, fmt.Errorf("%w: term %d of %d", ErrModel, j, len(m.terms))
	}
	if len(r) != m.Schema().Len() {
		return 0, -1, m.recordLenErr(r)
	}
	ct := &m.terms[j]
	if ct.kind != termPair {
		return m.Effect(j, r[ct.feature])
	}
	if _, _, err := ct.rows.eval(&r[ct.feature]); err != nil {
		return 0, -1, m.valueErr(ct.feature, r[ct.feature], err)
	}
	e, p, err := ct.evalPair(&r[ct.feature], &r[ct.feature2])
	if err != nil {
		return 0, -1, m.valueErr(ct.feature2, r[ct.feature2], err)
	}
	return e, p, nil
}

// PairEffect returns pair term j's effect for value v of its first feature
// (Term.Feature) and w of its second (Term.Pair.Feature), and the cell.
// For a term of one feature it is an error wrapping ErrModel.
func (m *Model) PairEffect(j int, v, w Value) (effect float64, pos int, err error) {
	if j < 0 || j >= len(m.terms) || m.terms[j].kind != termPair {
		return 0, -1, fmt.Errorf("%w: term %d is not a pair term", ErrModel, j)
	}
	ct := &m.terms[j]
	if _, _, err := ct.rows.eval(&v); err != nil {
		return 0, -1, m.valueErr(ct.feature, v, err)
	}
	e, p, err := ct.evalPair(&v, &w)
	if err != nil {
		return 0, -1, m.valueErr(ct.feature2, w, err)
	}
	return e, p, nil
}

// PairFeature returns the schema index of pair term j's second feature,
// or -1 when term j has one feature (TermFeature is the first).
func (m *Model) PairFeature(j int) int {
	if m.terms[j].kind != termPair {
		return -1
	}
	return m.terms[j].feature2
}

// HasPairs reports whether the model has a pair term.
func (m *Model) HasPairs() bool {
	for j := range m.terms {
		if m.terms[j].kind == termPair {
			return true
		}
	}
	return false
}

// RefusePairs returns nil for a model without pair terms, else an error
// wrapping ErrPairTerm that names the first pair and what refused it
// (what, e.g. "SQL generation"): the one check of every consumer that
// handles only terms of one feature.
func (m *Model) RefusePairs(what string) error {
	for j := range m.terms {
		if ct := &m.terms[j]; ct.kind == termPair {
			return &FieldError{Feature: ct.t.Feature, Err: fmt.Errorf("%w: %s handles terms of one feature, and term %d is the pair of %s and %s",
				ErrPairTerm, what, j, ct.t.Feature, ct.t.Pair.Feature)}
		}
	}
	return nil
}

// appendTermErr appends the error err of term ct on value v (and w, a pair
// term's second value) to errs, naming the feature at fault; a feature
// already named (by its own term or another pair) is not named twice.
func (m *Model) appendTermErr(errs []*FieldError, ct *compiledTerm, v Value, w *Value, err error) []*FieldError {
	i := ct.feature
	if ct.kind == termPair {
		if _, _, rerr := ct.rows.eval(&v); rerr == nil {
			i, v = ct.feature2, *w
		}
	}
	name := m.schema.features[i].Name
	for _, e := range errs {
		if e.Feature == name {
			return errs
		}
	}
	return append(errs, m.valueErr(i, v, err))
}
