package explaintest

import (
	"fmt"
	"slices"

	"github.com/candorscore/candor/explain"
	"github.com/candorscore/candor/score"
)

// Change is one customer whose reasons differ between two model versions.
type Change struct {
	Index    int      // position of the customer in records
	Old, New []string // top reason codes under each model, most adverse first
	// Added and Removed are the codes only in New and only in Old, in the
	// order they appear there.
	Added, Removed []string
	// OldScore and NewScore are the scores in each model's units.
	OldScore, NewScore float64
}

// DiffReport compares two model versions over the same customers.
type DiffReport struct {
	Customers int
	// Changed lists the customers whose top reasons differ (as ordered
	// lists: a change of rank counts), in record order.
	Changed []Change
	// FirstChanged counts customers whose first reason differs.
	FirstChanged int
}

// Diff explains records with old and new (opts as for
// explain.NewExplainer, used for both) and lists the customers whose top-N
// reasons change. Both models must read the same schema (the same feature
// names in the same order), as a retrained model does.
func Diff(old, new *score.Model, records []score.Record, topN int, opts *explain.Options) (DiffReport, error) {
	if !slices.Equal(old.Schema().Names(), new.Schema().Names()) {
		return DiffReport{}, fmt.Errorf("%w: the two models read different schemas", score.ErrSchema)
	}
	eo, err := explainer(old, topN, opts)
	if err != nil {
		return DiffReport{}, err
	}
	en, err := explainer(new, topN, opts)
	if err != nil {
		return DiffReport{}, err
	}
	var rep DiffReport
	var xo, xn explain.Explanation
	for i, r := range records {
		if err := eo.Explain(r, &xo); err != nil {
			return rep, fmt.Errorf("old model: %w", score.WithRow(err, i+1))
		}
		if err := en.Explain(r, &xn); err != nil {
			return rep, fmt.Errorf("new model: %w", score.WithRow(err, i+1))
		}
		rep.Customers++
		a, b := codesOf(xo.Reasons), codesOf(xn.Reasons)
		if slices.Equal(a, b) {
			continue
		}
		c := Change{Index: i, Old: a, New: b, OldScore: xo.Result.Score, NewScore: xn.Result.Score}
		for _, x := range b {
			if !slices.Contains(a, x) {
				c.Added = append(c.Added, x)
			}
		}
		for _, x := range a {
			if !slices.Contains(b, x) {
				c.Removed = append(c.Removed, x)
			}
		}
		if len(a) == 0 || len(b) == 0 || a[0] != b[0] {
			rep.FirstChanged++
		}
		rep.Changed = append(rep.Changed, c)
	}
	return rep, nil
}
