package explaintest

import (
	"fmt"
	"slices"

	"github.com/candorscore/candor/explain"
	"github.com/candorscore/candor/score"
)

// Perturb returns small variations of record i (the record must not be
// modified; return copies). They should be changes a customer would not
// expect to alter the reasons they are given.
type Perturb func(i int, rec score.Record) []score.Record

// NudgeNumeric returns a Perturb that moves each numeric input of m, one
// at a time, down and up by fraction of its training interquartile range
// (Stats.Quantiles; the training range Max-Min when quantiles are absent).
// Features without statistics, missing values and categories are left
// alone. Deterministic.
func NudgeNumeric(m *score.Model, fraction float64) Perturb {
	type nudge struct {
		feature int
		step    float64
	}
	var ns []nudge
	for j := range m.NumTerms() {
		t := m.Term(j)
		if m.Schema().Feature(m.TermFeature(j)).Kind != score.Numeric || t.Stats == nil {
			continue
		}
		spread := t.Stats.Max - t.Stats.Min
		if q := t.Stats.Quantiles; len(q) == 101 && q[75] > q[25] {
			spread = q[75] - q[25]
		}
		if spread > 0 {
			ns = append(ns, nudge{m.TermFeature(j), fraction * spread})
		}
	}
	return func(_ int, rec score.Record) []score.Record {
		var out []score.Record
		for _, n := range ns {
			v := rec[n.feature]
			if !v.IsNum() {
				continue
			}
			for _, d := range []float64{-n.step, n.step} {
				r := slices.Clone(rec)
				r[n.feature] = score.Num(v.Float() + d)
				out = append(out, r)
			}
		}
		return out
	}
}

// Flip is one perturbed customer whose top reasons changed.
type Flip struct {
	Index   int      // position of the customer in records
	Variant int      // position of the variant in the Perturb's result
	Before  []string // top reason codes of the customer
	After   []string // top reason codes of the variant
}

// StabilityReport lists the flips; Customers and Variants count what was
// checked, Flipped the distinct customers with at least one flip.
type StabilityReport struct {
	Customers, Variants, Flipped int
	Flips                        []Flip
}

// FlipRate is the share of customers with at least one flip.
func (r StabilityReport) FlipRate() float64 {
	if r.Customers == 0 {
		return 0
	}
	return float64(r.Flipped) / float64(r.Customers)
}

// Stability explains each record and each of its perturbations with m
// (opts as for explain.NewExplainer; nil for the defaults) and reports the
// customers whose set of top-N reason codes changes under a perturbation
// (the order within the top N is ignored: a swap of ranks is not a flip).
// Variants that cannot be scored are errors.
func Stability(m *score.Model, records []score.Record, perturb Perturb, topN int, opts *explain.Options) (StabilityReport, error) {
	e, err := explainer(m, topN, opts)
	if err != nil {
		return StabilityReport{}, err
	}
	var rep StabilityReport
	var ex explain.Explanation
	for i, r := range records {
		if err := e.Explain(r, &ex); err != nil {
			return rep, score.WithRow(err, i+1)
		}
		before := codesOf(ex.Reasons)
		rep.Customers++
		flipped := false
		for v, pr := range perturb(i, r) {
			rep.Variants++
			if err := e.Explain(pr, &ex); err != nil {
				return rep, fmt.Errorf("record %d, variant %d: %w", i+1, v, err)
			}
			after := codesOf(ex.Reasons)
			if !sameSet(before, after) {
				rep.Flips = append(rep.Flips, Flip{Index: i, Variant: v, Before: before, After: after})
				flipped = true
			}
		}
		if flipped {
			rep.Flipped++
		}
	}
	return rep, nil
}

func explainer(m *score.Model, topN int, opts *explain.Options) (*explain.Explainer, error) {
	var o explain.Options
	if opts != nil {
		o = *opts
	}
	if topN != 0 {
		o.MaxReasons = topN
	}
	return explain.NewExplainer(m, &o)
}

func codesOf(rs []explain.Reason) []string {
	out := make([]string, 0, len(rs))
	for _, r := range rs {
		if r.Code != "" {
			out = append(out, r.Code)
		}
	}
	return out
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for _, x := range a {
		if !slices.Contains(b, x) {
			return false
		}
	}
	return true
}
