package score

import (
	"fmt"
	"math"
)

// Editing shapes. A model is immutable; its Spec is the editable form.
// To change a shape, take the Spec, edit a term with MergeBins or Flatten
// (or by hand), and build a new model with NewModel: its fingerprint is
// new, so a signature of the old model no longer verifies and the edited
// model must be signed again. A model file edited in a text editor no
// longer matches its stored fingerprint (ErrFingerprint): read it with
// ReadFile, build the model from File.Spec with NewModel, and Save it.

// MergeBins replaces the range bins from..to (indexes into t.Bins, which
// must be adjacent range bins in ascending order) of a BinnedTerm by one
// bin spanning them, whose effect is their training-count-weighted mean
// effect (the plain mean when they carry no counts) and whose counts are
// their sums; its label and reason code are cleared (generated again). A
// sloped bin cannot be merged. The term's Baseline is unchanged when the
// counts are the training counts (the weighted mean keeps the average).
func (t *Term) MergeBins(from, to int) error {
	if err := t.editable(from, to); err != nil {
		return err
	}
	if to == from {
		return nil
	}
	var s, w, ev float64
	for k := from; k <= to; k++ {
		b := &t.Bins[k]
		if b.Kind != RangeBin || b.Slope != 0 {
			return &FieldError{Feature: t.Feature, Err: fmt.Errorf("%w: bin %d is not a range bin without a slope", ErrModel, k)}
		}
		if k > from && bound(t.Bins[k-1].Upper, math.Inf(1)) != bound(b.Lower, math.Inf(-1)) {
			return &FieldError{Feature: t.Feature, Err: fmt.Errorf("%w: bins %d and %d are not neighbours", ErrModel, k-1, k)}
		}
		s += b.Count * b.Effect
		w += b.Count
		ev += b.Events
	}
	merged := Bin{Kind: RangeBin, Lower: clonePtr(t.Bins[from].Lower), Upper: clonePtr(t.Bins[to].Upper), Count: w, Events: ev}
	if w > 0 {
		merged.Effect = s / w
	} else {
		for k := from; k <= to; k++ {
			merged.Effect += t.Bins[k].Effect / float64(to-from+1)
		}
	}
	t.Bins = append(t.Bins[:from], append([]Bin{merged}, t.Bins[to+1:]...)...)
	return nil
}

// Flatten sets the effect of bins from..to of a BinnedTerm to effect (in
// the model's score units), for example to make a region of a shape flat
// where the data are too thin to trust; the bins keep their ranges and
// counts. The term's Baseline is not recomputed: it stays the average of
// the old effects until the model is fitted again.
func (t *Term) Flatten(from, to int, effect float64) error {
	if err := t.editable(from, to); err != nil {
		return err
	}
	if !isFinite(effect) {
		return &FieldError{Feature: t.Feature, Err: fmt.Errorf("%w: effect %v", ErrNotFinite, effect)}
	}
	for k := from; k <= to; k++ {
		t.Bins[k].Effect, t.Bins[k].Slope = effect, 0
	}
	return nil
}

func (t *Term) editable(from, to int) error {
	if t.Kind != BinnedTerm {
		return &FieldError{Feature: t.Feature, Err: fmt.Errorf("%w: a %s term has no bins to edit", ErrModel, t.Kind)}
	}
	if from < 0 || to < from || to >= len(t.Bins) {
		return &FieldError{Feature: t.Feature, Err: fmt.Errorf("%w: bins %d..%d of %d", ErrModel, from, to, len(t.Bins))}
	}
	return nil
}
