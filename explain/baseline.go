package explain

import (
	"fmt"
	"math"
	"slices"

	"github.com/candorscore/candor/internal/metric"
	"github.com/candorscore/candor/score"
)

// BaselineKind names where a baseline comes from.
type BaselineKind string

const (
	// Population: each term's average effect over the training data
	// (score.Term.Baseline). For a logistic model this makes contributions
	// interventional SHAP values with the training mean as background,
	// coef*(x - mean); for a scorecard, points minus the average points.
	Population BaselineKind = "population"
	// Best: each term's most favourable attainable effect, so that
	// contributions are "points below the maximum" (for logistic models,
	// log-odds above the minimum). Levels and bins (including missing,
	// special and other) are attainable; a linear term attains its
	// effect at the training minimum or maximum (score.Stats); a sloped
	// range bin (score.Bin.Slope) at an end of its range intersected with
	// the training range (score.Bin.EffectRange).
	Best BaselineKind = "best"
	// Reference: the average effect of each term over a reference set of
	// customers, for example those at or just above the cutoff (US
	// Regulation B, commentary 9(b)(2)).
	Reference BaselineKind = "reference"
	// Declared: the model's own reason-code baselines (PMML
	// Characteristic@baselineScore, else Scorecard@baselineScore).
	Declared BaselineKind = "declared"
)

// Baseline is the point contributions are measured from: one value per
// term, in the model's score units. Score is the baseline's total, the
// intercept plus the sum of Terms. A Baseline is plain data; Explainer
// copies it.
type Baseline struct {
	Kind  BaselineKind
	Terms []float64 // per term, in model units (log-odds, points or response)
	Score float64   // intercept + sum of Terms
}

func newBaseline(m *score.Model, kind BaselineKind, terms []float64) Baseline {
	s := m.Intercept()
	for _, t := range terms {
		s += t
	}
	return Baseline{Kind: kind, Terms: terms, Score: s}
}

// PopulationBaseline returns the population-average baseline.
func PopulationBaseline(m *score.Model) Baseline {
	terms := make([]float64, m.NumTerms())
	for j := range terms {
		terms[j] = m.Term(j).Baseline
	}
	return newBaseline(m, Population, terms)
}

// BestBaseline returns each term's most favourable attainable effect: the
// largest for models scored with PointsBelow (scorecards), the smallest
// for PointsAbove (logistic and linear models), following
// DefaultAlgorithm. A sloped range bin (score.Bin.Slope) attains its best
// at an end of its range, within the training range [Stats.Min,
// Stats.Max] when the term has one, else within the bin's own bounds.
//
// A linear term without training statistics is an ErrBaseline error, and
// so, by the same rule, is a sloped bin that is unbounded on the side
// where its effect improves when the term has no training range: its best
// effect does not exist (the 4.2+ DMG sample scorecard's income points,
// 0.01*income - 18 for incomes above 2500, grow without bound). Declared
// and population baselines are unaffected.
func BestBaseline(m *score.Model) (Baseline, error) {
	below := DefaultAlgorithm(m) == PointsBelow
	terms := make([]float64, m.NumTerms())
	for j := range terms {
		t := m.Term(j)
		lo, hi, ok := t.EffectRange()
		if !ok {
			return Baseline{}, &score.FieldError{Feature: t.Feature, Err: fmt.Errorf("%w: term has no attainable effect", ErrBaseline)}
		}
		if below {
			terms[j] = hi
		} else {
			terms[j] = lo
		}
		if math.IsInf(terms[j], 0) {
			what := "a sloped bin's effect improves without bound"
			if t.Kind == score.LinearTerm {
				what = "a linear term's effect is unbounded"
			}
			return Baseline{}, &score.FieldError{Feature: t.Feature,
				Err: fmt.Errorf("%w: %s and the term has no training range", ErrBaseline, what)}
		}
	}
	return newBaseline(m, Best, terms), nil
}

// ReferenceBaseline averages each term's effect over the given records
// (in the model's schema order). No records is ErrBaseline; a record that
// cannot be scored is its *score.RecordError with the 1-based position in
// records as the row.
func ReferenceBaseline(m *score.Model, records []score.Record) (Baseline, error) {
	if len(records) == 0 {
		return Baseline{}, fmt.Errorf("%w: empty reference set", ErrBaseline)
	}
	terms := make([]float64, m.NumTerms())
	buf := make([]float64, m.NumTerms())
	for i, r := range records {
		if _, err := m.ScoreTerms(r, buf); err != nil {
			return Baseline{}, score.WithRow(err, i+1)
		}
		for j, e := range buf {
			terms[j] += e
		}
	}
	for j := range terms {
		terms[j] /= float64(len(records))
	}
	return newBaseline(m, Reference, terms), nil
}

// DeclaredBaseline returns the model's declared reason-code baselines: each
// term's ReasonBaseline, else the model-wide score.ReasonSpec baseline. A
// term with neither is an ErrBaseline error.
func DeclaredBaseline(m *score.Model) (Baseline, error) {
	var global *float64
	if spec := m.Spec(); spec.Reasons != nil {
		global = spec.Reasons.Baseline
	}
	terms := make([]float64, m.NumTerms())
	for j := range terms {
		t := m.Term(j)
		switch {
		case t.ReasonBaseline != nil:
			terms[j] = *t.ReasonBaseline
		case global != nil:
			terms[j] = *global
		default:
			return Baseline{}, &score.FieldError{Feature: t.Feature, Err: fmt.Errorf("%w: no declared reason-code baseline", ErrBaseline)}
		}
	}
	return newBaseline(m, Declared, terms), nil
}

// NearCutoff returns up to n of the records that are not adverse (event
// probability below the model's cutoff) and closest to it, nearest first,
// ties in input order: the "applicants at or just above the cutoff" of
// Regulation B, for ReferenceBaseline. Records that cannot be scored are
// an error naming their 1-based position. Linear models have no cutoff
// (ErrBaseline).
func NearCutoff(m *score.Model, records []score.Record, n int) ([]score.Record, error) {
	if m.Kind() == score.LinearModel {
		return nil, fmt.Errorf("%w: a linear model has no cutoff", ErrBaseline)
	}
	cut := m.Cutoff()
	type cand struct {
		i int
		p score.Probability
	}
	var cs []cand
	for i, r := range records {
		res, err := m.Score(r)
		if err != nil {
			return nil, score.WithRow(err, i+1)
		}
		if res.Probability < cut {
			cs = append(cs, cand{i, res.Probability})
		}
	}
	// Highest probability first: nearest the cutoff first.
	slices.SortStableFunc(cs, func(a, b cand) int { return metric.Compare(float64(b.p), float64(a.p)) })
	if len(cs) > n {
		cs = cs[:n]
	}
	out := make([]score.Record, len(cs))
	for k, c := range cs {
		out[k] = records[c.i]
	}
	return out, nil
}

// CutoffBaseline is the Regulation B reference baseline over a table: the
// rows of t that can be scored (others are skipped, not errors: they
// cannot be references) go to NearCutoff, and its up to n records nearest
// the cutoff to ReferenceBaseline. It returns the baseline and the number
// of reference records used. No scorable non-adverse row is ErrBaseline.
func CutoffBaseline(m *score.Model, t *score.Table, n int) (Baseline, int, error) {
	recs, _ := score.Scored(m.ScoreTable(nil, t, nil))
	near, err := NearCutoff(m, recs, n)
	if err != nil {
		return Baseline{}, 0, err
	}
	b, err := ReferenceBaseline(m, near)
	if err != nil {
		return Baseline{}, 0, fmt.Errorf("cutoff reference set: %w", err)
	}
	return b, len(near), nil
}
