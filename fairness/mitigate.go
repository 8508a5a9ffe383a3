package fairness

import (
	"cmp"
	"fmt"
	"math"
	"slices"
)

// Reweigh returns Kamiran and Calders' reweighing weights: row i in group g
// with label y weighs
//
//	w = N_g * N_y / (N * N_gy)
//
// where N counts all rows, N_g those in group g, N_y those with label y and
// N_gy those with both. Weighted this way, label and group are independent
// and the total weight is still N. Pass the weights as sample weights to a
// fit. Rows are counted unweighted.
func Reweigh(labels []bool, groups []string) ([]float64, error) {
	if err := checkLabelsGroups(labels, groups, "groups"); err != nil {
		return nil, err
	}
	codes, levels := encodeColumn(groups)
	ng := make([]float64, len(levels))
	ngy := make([][2]float64, len(levels))
	var ny [2]float64
	for i, y := range labels {
		k := b2i(y)
		ng[codes[i]]++
		ngy[codes[i]][k]++
		ny[k]++
	}
	n := float64(len(labels))
	w := make([]float64, len(labels))
	for i, y := range labels {
		k := b2i(y)
		w[i] = ng[codes[i]] * ny[k] / (n * ngy[codes[i]][k])
	}
	return w, nil
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func checkLabelsGroups(labels []bool, groups []string, name string) error {
	var errs []error
	if len(labels) == 0 {
		errs = append(errs, columnError("labels", ErrEmpty, "no rows"))
	}
	if len(groups) != len(labels) {
		errs = append(errs, columnError(name, ErrLength, "%d values for %d labels", len(groups), len(labels)))
	} else {
		c := rowChecker{column: name, err: ErrMissingGroup, detail: "empty group value"}
		for i, g := range groups {
			if g == "" {
				c.bad(i)
			}
		}
		if err := c.result(); err != nil {
			errs = append(errs, err)
		}
	}
	return joinErrors(errs)
}

// Target is what GroupThresholds equalises across groups.
type Target int

const (
	// EqualSelectionRate: every group's share of favourable decisions
	// comes as close as its scores allow to the target rate (demographic
	// parity).
	EqualSelectionRate Target = iota
	// EqualTPR: every group's true positive rate, its share of favourable
	// decisions among rows with the favourable outcome, comes as close as
	// its scores allow to the target rate (equal opportunity).
	EqualTPR
)

func (t Target) String() string {
	if t == EqualTPR {
		return "equal_true_positive_rate"
	}
	return "equal_selection_rate"
}

// ThresholdOptions configure GroupThresholds. The zero value, and nil, mean
// the defaults.
type ThresholdOptions struct {
	// Direction of the scores; the zero value is HigherIsFavorable.
	Direction Direction
	// Base is the single threshold in use before mitigation, on the score
	// scale; the zero value is a threshold of 0 (right for log-odds, not
	// for probabilities: set it).
	Base float64
	// Rate is the selection rate or TPR every group should reach, in
	// (0, 1]; 0 means the overall rate at Base, so the number of favourable
	// decisions stays about the same.
	Rate float64
}

// GroupThreshold is the threshold found for one group.
type GroupThreshold struct {
	Group string
	// Threshold is on the score scale, in the same direction as the base
	// threshold: favourable when score >= Threshold (HigherIsFavorable) or
	// score < Threshold (HigherIsUnfavorable). It is always finite; a group
	// where nobody (or everybody) is selected gets a threshold just beyond
	// its scores.
	Threshold float64
	Count     int
	// Reason is set when the target could not be pursued for this group
	// (EqualTPR in a group without favourable outcomes); the group keeps
	// the base threshold.
	Reason                                  string
	SelectionRateBefore, SelectionRateAfter Rate
	TPRBefore, TPRAfter                     Rate
}

// Thresholds is the result of GroupThresholds. It is immutable and safe
// for concurrent use.
type Thresholds struct {
	Target    Target
	Direction Direction
	Base      float64
	// Rate is the target rate that every group was brought close to.
	Rate   float64
	Groups []GroupThreshold
	// AccuracyBefore and AccuracyAfter are the shares of rows whose
	// decision matches the label, with the base threshold and with the
	// group thresholds: the cost of the mitigation is their difference.
	AccuracyBefore, AccuracyAfter float64
	// SpreadBefore and SpreadAfter are the max - min across groups of the
	// equalised rate (selection rate or TPR), over groups where it is
	// defined.
	SpreadBefore, SpreadAfter float64
}

// GroupThresholds finds a threshold per group that brings each group's
// selection rate (or TPR) as close as possible to a common target, and
// reports the accuracy this costs. The search is exhaustive over each
// group's distinct scores and deterministic: among equally close cuts the
// one selecting fewer rows wins. Rows are counted unweighted.
func GroupThresholds(scores []float64, labels []bool, groups []string, target Target, opts *ThresholdOptions) (*Thresholds, error) {
	var o ThresholdOptions
	if opts != nil {
		o = *opts
	}
	var errs []error
	if err := checkLabelsGroups(labels, groups, "groups"); err != nil {
		errs = append(errs, err)
	}
	if len(scores) != len(labels) {
		errs = append(errs, columnError("scores", ErrLength, "%d values for %d labels", len(scores), len(labels)))
	} else {
		c := rowChecker{column: "scores", err: ErrNotFinite, detail: "score is NaN or infinite"}
		for i, s := range scores {
			if math.IsNaN(s) || math.IsInf(s, 0) {
				c.bad(i)
			}
		}
		if err := c.result(); err != nil {
			errs = append(errs, err)
		}
	}
	if math.IsNaN(o.Base) || math.IsInf(o.Base, 0) {
		errs = append(errs, optionError("base threshold %v is not finite", o.Base))
	}
	if !(o.Rate >= 0 && o.Rate <= 1) {
		errs = append(errs, optionError("target rate %v is not in [0, 1]", o.Rate))
	}
	if target != EqualSelectionRate && target != EqualTPR {
		errs = append(errs, optionError("unknown target %d", target))
	}
	if o.Direction != HigherIsFavorable && o.Direction != HigherIsUnfavorable {
		errs = append(errs, optionError("unknown direction %d", o.Direction))
	}
	if err := joinErrors(errs); err != nil {
		return nil, err
	}
	fav := func(s, t float64) bool {
		if o.Direction == HigherIsUnfavorable {
			return s < t
		}
		return s >= t
	}
	// Orient scores so that higher is more favourable.
	orient := func(s float64) float64 {
		if o.Direction == HigherIsUnfavorable {
			return -s
		}
		return s
	}
	codes, levels := encodeColumn(groups)
	rows := make([][]int, len(levels))
	for i, c := range codes {
		rows[c] = append(rows[c], i)
	}
	z := normalQuantile(defaultLevel)
	res := &Thresholds{Target: target, Direction: o.Direction, Base: o.Base, Rate: o.Rate}

	// The target: the overall rate at the base threshold, unless given.
	if res.Rate == 0 {
		var num, den float64
		for i, s := range scores {
			if target == EqualSelectionRate || labels[i] {
				den++
				if fav(s, o.Base) {
					num++
				}
			}
		}
		if den == 0 {
			return nil, fmt.Errorf("%w: no row has the favourable outcome, so there is no TPR to equalise", ErrEmpty)
		}
		res.Rate = num / den
	}

	var correctBefore, correctAfter int
	for gi, g := range levels {
		r := rows[gi]
		// Sort the group's rows by oriented score, most favourable first.
		slices.SortStableFunc(r, func(a, b int) int { return cmp.Compare(orient(scores[b]), orient(scores[a])) })
		var pos int
		for _, i := range r {
			if labels[i] {
				pos++
			}
		}
		gt := GroupThreshold{Group: g, Count: len(r)}
		// Candidate cuts: select the top k rows, k at tie boundaries.
		bestK, bestD := -1, math.Inf(1)
		if target == EqualTPR && pos == 0 {
			gt.Reason = reasonNoPositives + "; base threshold kept"
		} else {
			tp := 0
			for k := 0; k <= len(r); k++ {
				if k > 0 && labels[r[k-1]] {
					tp++
				}
				if k > 0 && k < len(r) && scores[r[k]] == scores[r[k-1]] {
					continue // not a tie boundary
				}
				var rate float64
				if target == EqualSelectionRate {
					rate = float64(k) / float64(len(r))
				} else {
					rate = float64(tp) / float64(pos)
				}
				if d := math.Abs(rate - res.Rate); d < bestD {
					bestK, bestD = k, d
				}
			}
		}
		// Translate the cut into a threshold on the score scale.
		lo, hi := scores[r[0]], scores[r[0]]
		for _, i := range r {
			lo, hi = min(lo, scores[i]), max(hi, scores[i])
		}
		switch {
		case bestK < 0:
			gt.Threshold = o.Base
		case o.Direction == HigherIsFavorable && bestK == 0:
			gt.Threshold = math.Nextafter(hi, math.Inf(1))
		case o.Direction == HigherIsFavorable:
			gt.Threshold = scores[r[bestK-1]]
		case bestK == len(r): // HigherIsUnfavorable, select all
			gt.Threshold = math.Nextafter(hi, math.Inf(1))
		default: // HigherIsUnfavorable: favourable when score < the first unselected score
			gt.Threshold = scores[r[bestK]]
		}
		var t tally
		var ta tally
		for _, i := range r {
			y := labels[i]
			before, after := fav(scores[i], o.Base), fav(scores[i], gt.Threshold)
			if before == y {
				correctBefore++
			}
			if after == y {
				correctAfter++
			}
			t.add(y, before)
			ta.add(y, after)
		}
		gt.SelectionRateBefore = t.rate(cellsSel, cellsAll, z, reasonNoWeight)
		gt.SelectionRateAfter = ta.rate(cellsSel, cellsAll, z, reasonNoWeight)
		gt.TPRBefore = t.rate([]int{cTP}, cellsPos, z, reasonNoPositives)
		gt.TPRAfter = ta.rate([]int{cTP}, cellsPos, z, reasonNoPositives)
		res.Groups = append(res.Groups, gt)
	}
	n := float64(len(labels))
	res.AccuracyBefore = float64(correctBefore) / n
	res.AccuracyAfter = float64(correctAfter) / n
	res.SpreadBefore, res.SpreadAfter = res.spread(false), res.spread(true)
	return res, nil
}

func (t *tally) add(y, fav bool) {
	c := cFN
	switch {
	case y && fav:
		c = cTP
	case !y && fav:
		c = cFP
	case !y && !fav:
		c = cTN
	}
	t.w[c]++
	t.w2[c]++
	t.n[c]++
}

func (t *tally) rate(num, den []int, z float64, reason string) Rate {
	var nw, dw float64
	for _, c := range num {
		nw += t.w[c]
	}
	for _, c := range den {
		dw += t.w[c]
	}
	return newRate(nw, dw, dw, z, reason)
}

func (t *Thresholds) spread(after bool) float64 {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, g := range t.Groups {
		r := g.SelectionRateBefore
		switch {
		case t.Target == EqualSelectionRate && after:
			r = g.SelectionRateAfter
		case t.Target == EqualTPR && after:
			r = g.TPRAfter
		case t.Target == EqualTPR:
			r = g.TPRBefore
		}
		if r.Defined {
			lo, hi = min(lo, r.Value), max(hi, r.Value)
		}
	}
	if hi < lo {
		return math.NaN()
	}
	return hi - lo
}

// Threshold returns the threshold of the named group.
func (t *Thresholds) Threshold(group string) (float64, error) {
	for _, g := range t.Groups {
		if g.Group == group {
			return g.Threshold, nil
		}
	}
	return math.NaN(), fmt.Errorf("%w: %q has no threshold", ErrUnknownGroup, group)
}

// Favorable applies the group's threshold to a score.
func (t *Thresholds) Favorable(score float64, group string) (bool, error) {
	th, err := t.Threshold(group)
	if err != nil {
		return false, err
	}
	if math.IsNaN(score) || math.IsInf(score, 0) {
		return false, fmt.Errorf("%w: score %v", ErrNotFinite, score)
	}
	if t.Direction == HigherIsUnfavorable {
		return score < th, nil
	}
	return score >= th, nil
}
