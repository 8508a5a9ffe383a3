package monitor

import (
	"context"
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/candorscore/candor/internal/metric"
	"github.com/candorscore/candor/internal/report"
	"github.com/candorscore/candor/score"
)

// Population stability and performance monitoring.
//
// The population stability index of a current sample against a baseline
// over bins i is PSI = sum_i (a_i - e_i) ln(a_i / e_i), with e_i and a_i the
// baseline's and the current sample's shares of bin i. Empty bins would
// make it infinite, so both samples' counts are smoothed: 0.5 is added to
// every bin's count (share_i = (n_i + 0.5) / (N + 0.5 K) over K bins); the
// smoothing is stated in every report. Identical samples give exactly 0.
//
// Bins: the score and numeric features are cut at the baseline's deciles
// (type-7 quantiles 10%, ..., 90%, repeated cut points merged) into
// half-open bins [cut_i, cut_i+1); a scorecard's binned features use the
// model's own bins; categorical features use one bin per baseline level.
// Missing values, labels the baseline never had ("unseen") and cells that
// do not parse ("invalid") are bins of their own when either sample has any.
//
// The bands are the usual ones: PSI < 0.10 stable, 0.10 to 0.25 watch,
// above 0.25 act.

// PSIBand classifies a population stability index.
type PSIBand string

const (
	Stable PSIBand = "stable" // PSI < 0.10
	Watch  PSIBand = "watch"  // 0.10 <= PSI <= 0.25
	Act    PSIBand = "act"    // PSI > 0.25
)

// BandOf returns the band of a PSI value (NaN is "act": it cannot be trusted).
func BandOf(psi float64) PSIBand {
	switch {
	case psi < 0.10:
		return Stable
	case psi <= 0.25:
		return Watch
	}
	return Act
}

// PSIOptions controls the binning and smoothing of PSI. The zero value
// means 10 quantile bins and 0.5 added to every count.
type PSIOptions struct {
	// Bins is the number of quantile bins of numeric values (0 means 10).
	Bins int
	// Smoothing is added to every bin's count in both samples (0 means
	// 0.5; a negative value means none, and an empty bin then makes the
	// index infinite).
	Smoothing float64
}

func (o *PSIOptions) resolved() (bins int, smoothing float64) {
	bins, smoothing = 10, 0.5
	if o == nil {
		return
	}
	if o.Bins > 0 {
		bins = o.Bins
	}
	switch {
	case o.Smoothing > 0:
		smoothing = o.Smoothing
	case o.Smoothing < 0:
		smoothing = 0
	}
	return
}

// PSIBin is one bin of a PSI computation.
type PSIBin struct {
	Label         string  `json:"label"`
	Baseline      float64 `json:"baseline"`       // count in the baseline
	Current       float64 `json:"current"`        // count in the current sample
	BaselineShare float64 `json:"baseline_share"` // smoothed share
	CurrentShare  float64 `json:"current_share"`  // smoothed share
	PSI           float64 `json:"psi"`            // this bin's term (a - e) ln(a / e)
	// Values names, for an input's (unseen) and (invalid) bins, up to
	// MaxNamed of the values that fell in them in either sample (the
	// smallest, sorted); never those of a Sensitive feature.
	Values []string `json:"values,omitempty"`
}

// PSI is the population stability index of one variable (a feature or the
// score) with its bins.
type PSI struct {
	Feature   string   `json:"feature"`
	Value     float64  `json:"psi"`
	Band      PSIBand  `json:"band"`
	Smoothing float64  `json:"smoothing"`
	Bins      []PSIBin `json:"bins"`
}

// PSIFromCounts computes the index from per-bin counts (same length) with
// the given smoothing added to every count.
func PSIFromCounts(labels []string, baseline, current []float64, smoothing float64) (PSI, error) {
	if len(baseline) != len(current) || len(labels) != len(baseline) || len(baseline) == 0 {
		return PSI{}, fmt.Errorf("%w: PSI needs equal, non-empty bin counts (%d labels, %d and %d counts)", score.ErrData, len(labels), len(baseline), len(current))
	}
	var nb, nc float64
	for i := range baseline {
		if baseline[i] < 0 || current[i] < 0 || !isFinite(baseline[i]) || !isFinite(current[i]) {
			return PSI{}, fmt.Errorf("%w: bin %q has a negative or non-finite count", score.ErrData, labels[i])
		}
		nb += baseline[i]
		nc += current[i]
	}
	if nb == 0 || nc == 0 {
		return PSI{}, fmt.Errorf("%w: PSI needs a non-empty baseline and current sample", score.ErrData)
	}
	k := float64(len(baseline))
	out := PSI{Smoothing: smoothing, Bins: make([]PSIBin, len(baseline))}
	for i := range baseline {
		e := (baseline[i] + smoothing) / (nb + smoothing*k)
		a := (current[i] + smoothing) / (nc + smoothing*k)
		term := 0.0
		if a != e {
			term = (a - e) * math.Log(a/e)
		}
		out.Bins[i] = PSIBin{Label: labels[i], Baseline: baseline[i], Current: current[i], BaselineShare: e, CurrentShare: a, PSI: term}
		out.Value += term
	}
	out.Band = BandOf(out.Value)
	return out, nil
}

// QuantileCuts returns the cut points of a numeric baseline: its type-7
// quantiles at 1/bins, ..., (bins-1)/bins, with repeats removed. A value
// the quantiles repeat is a point mass (such as pdays = -1 for customers
// never contacted): it gets a bin of its own, [c, Nextafter(c, +Inf)), so
// that a shift away from it is seen. NaNs are ignored.
func QuantileCuts(baseline []float64, bins int) []float64 {
	xs := make([]float64, 0, len(baseline))
	for _, x := range baseline {
		if !math.IsNaN(x) {
			xs = append(xs, x)
		}
	}
	slices.Sort(xs)
	return quantileCuts(func(q float64) float64 { return metric.Quantile(xs, q) }, len(xs) > 0, bins)
}

// quantileCuts is QuantileCuts over a quantile function of the baseline's
// values (sorted values, or a Sample's counts).
func quantileCuts(quantile func(q float64) float64, nonEmpty bool, bins int) []float64 {
	if !nonEmpty || bins < 2 {
		return nil
	}
	var cuts []float64
	repeated := false
	for k := 1; k < bins; k++ {
		q := quantile(float64(k) / float64(bins))
		switch {
		case len(cuts) == 0 || q > cuts[len(cuts)-1]:
			if repeated {
				if up := math.Nextafter(cuts[len(cuts)-1], math.Inf(1)); up < q {
					cuts = append(cuts, up)
				}
			}
			cuts = append(cuts, q)
			repeated = false
		default:
			repeated = true
		}
	}
	if repeated {
		cuts = append(cuts, math.Nextafter(cuts[len(cuts)-1], math.Inf(1)))
	}
	return cuts
}

// NumericPSI computes the index of numeric samples (NaN is missing) over
// the baseline's quantile bins.
func NumericPSI(baseline, current []float64, opts *PSIOptions) (PSI, error) {
	bins, sm := opts.resolved()
	cuts := QuantileCuts(baseline, bins)
	labels := cutLabels(cuts)
	nb := make([]float64, len(labels)+1)
	nc := make([]float64, len(labels)+1)
	for _, x := range baseline {
		nb[numericBin(cuts, x)]++
	}
	for _, x := range current {
		nc[numericBin(cuts, x)]++
	}
	labels = append(labels, "(missing)")
	labels, nb, nc = dropEmptyExtras(labels, nb, nc, 1)
	return PSIFromCounts(labels, nb, nc, sm)
}

// numericBin returns the bin of x: i for [cut_{i-1}, cut_i), len(cuts)+1
// for NaN (the missing bin).
func numericBin(cuts []float64, x float64) int {
	if math.IsNaN(x) {
		return len(cuts) + 1
	}
	i, found := slices.BinarySearch(cuts, x)
	if found {
		i++
	}
	return i
}

func cutLabels(cuts []float64) []string {
	f := func(x float64) string { return strconv.FormatFloat(x, 'g', 6, 64) }
	if len(cuts) == 0 {
		return []string{"[-inf, +inf)"}
	}
	point := func(i int) bool { // is bin i (between cuts[i-1] and cuts[i]) a single value?
		return i > 0 && i < len(cuts) && cuts[i] == math.Nextafter(cuts[i-1], math.Inf(1))
	}
	out := make([]string, 0, len(cuts)+1)
	for i := 0; i <= len(cuts); i++ {
		if point(i) {
			out = append(out, "= "+f(cuts[i-1]))
			continue
		}
		lo := "[-inf"
		switch {
		case i >= 2 && point(i-1):
			lo = "(" + f(cuts[i-2])
		case i > 0:
			lo = "[" + f(cuts[i-1])
		}
		hi := "+inf)"
		if i < len(cuts) {
			hi = f(cuts[i]) + ")"
		}
		out = append(out, lo+", "+hi)
	}
	return out
}

// dropEmptyExtras removes the last n bins (missing, unseen, invalid) when
// both samples have none there.
func dropEmptyExtras(labels []string, nb, nc []float64, n int) ([]string, []float64, []float64) {
	first := len(labels) - n
	for i := len(labels) - 1; i >= first; i-- {
		if nb[i] == 0 && nc[i] == 0 {
			labels = slices.Delete(labels, i, i+1)
			nb = slices.Delete(nb, i, i+1)
			nc = slices.Delete(nc, i, i+1)
		}
	}
	return labels, nb, nc
}

// CategoricalPSI computes the index of categorical samples ("" is
// missing) over the baseline's levels (sorted), with missing and unseen
// labels as bins of their own.
func CategoricalPSI(baseline, current []string, opts *PSIOptions) (PSI, error) {
	_, sm := opts.resolved()
	set := map[string]bool{}
	for _, s := range baseline {
		if s != "" {
			set[s] = true
		}
	}
	levels := slices.Sorted(maps.Keys(set))
	idx := make(map[string]int, len(levels))
	for i, l := range levels {
		idx[l] = i
	}
	k := len(levels)
	nb := make([]float64, k+2)
	nc := make([]float64, k+2)
	bin := func(s string) int {
		if s == "" {
			return k
		}
		if i, ok := idx[s]; ok {
			return i
		}
		return k + 1
	}
	for _, s := range baseline {
		nb[bin(s)]++
	}
	for _, s := range current {
		nc[bin(s)]++
	}
	labels := append(slices.Clone(levels), "(missing)", "(unseen)")
	labels, nb, nc = dropEmptyExtras(labels, nb, nc, 2)
	return PSIFromCounts(labels, nb, nc, sm)
}

// Options controls Run. The zero value (or nil) means the
// defaults.
type Options struct {
	PSI PSIOptions
	// CalibrationBins is the number of equal-width bins of the predicted
	// probability for the calibration table and ECE (0 means 10).
	CalibrationBins int
	// NonEvent names the target's other class (the fit's --nonevent):
	// labelled rows whose target is neither the event nor NonEvent are
	// skipped and counted (LabelledPerformance.OtherTarget). "" counts
	// every other value as the non-event, and a sample holding two such
	// values is refused (Compare).
	NonEvent string
}

// CalibrationBin is one bin of predicted probabilities.
type CalibrationBin struct {
	Lower         float64 `json:"lower"`
	Upper         float64 `json:"upper"`
	Count         int     `json:"count"`
	MeanPredicted float64 `json:"mean_predicted"`
	ObservedRate  float64 `json:"observed_rate"`
}

// LabelledPerformance is how well the model does on labelled rows.
type LabelledPerformance struct {
	Rows   int     `json:"rows"`
	Events float64 `json:"events,omitempty"`
	// AUC and KS rank the event's log-odds (classification models).
	AUC float64 `json:"auc,omitempty"`
	KS  float64 `json:"ks,omitempty"`
	// MeanPredicted and ObservedRate compare the average predicted
	// probability with the event rate; ECE is the expected calibration
	// error sum_b (n_b / N) |mean predicted_b - observed rate_b| over
	// equal-width probability bins.
	MeanPredicted float64          `json:"mean_predicted,omitempty"`
	ObservedRate  float64          `json:"observed_rate,omitempty"`
	ECE           float64          `json:"ece,omitempty"`
	Calibration   []CalibrationBin `json:"calibration,omitempty"`
	// OtherTarget counts the labelled rows skipped because their target is
	// neither the event nor Options.NonEvent.
	OtherTarget int `json:"other_target,omitempty"`
	// RMSE, MAE and R2 are for linear models, in the target's units.
	RMSE float64 `json:"rmse,omitempty"`
	MAE  float64 `json:"mae,omitempty"`
	R2   float64 `json:"r2,omitempty"`
}

// Report compares a current sample with a baseline for one model.
type Report struct {
	Model       string          `json:"model"`
	Kind        score.ModelKind `json:"kind"`
	Fingerprint string          `json:"fingerprint"`
	// Rows of each sample, and rows that could not be scored (left out of
	// the score PSI and the performance).
	BaselineRows   int `json:"baseline_rows"`
	CurrentRows    int `json:"current_rows"`
	BaselineErrors int `json:"baseline_errors"`
	CurrentErrors  int `json:"current_errors"`
	// Smoothing and Bins state how PSI was computed.
	Smoothing float64 `json:"smoothing"`
	Bins      int     `json:"bins"`
	ScorePSI  float64 `json:"score_psi"`
	ScoreBand PSIBand `json:"score_band"`
	Score     PSI     `json:"score"`
	// Features holds one PSI per model input, in the model's term order.
	Features []PSI `json:"features"`
	// Training holds the model's own training figures (AUC, KS), when it
	// has them; Baseline and Current the performance on labelled rows of
	// each sample (nil when the sample has no target column).
	Training *LabelledPerformance `json:"training,omitempty"`
	Baseline *LabelledPerformance `json:"baseline_performance,omitempty"`
	Current  *LabelledPerformance `json:"current_performance,omitempty"`
}

// Run computes the stability of the score and of every model input
// between a baseline and a current sample, and the model's performance on
// whichever sample carries the target column (rows with a blank target are
// left out). Rows that cannot be scored are counted, not fatal. ctx is
// checked between features.
func Run(ctx context.Context, m *score.Model, baseline, current *score.Table, opts *Options) (*Report, error) {
	if baseline.Len() == 0 || current.Len() == 0 {
		return nil, fmt.Errorf("%w: monitoring needs rows in both samples", score.ErrData)
	}
	// In memory the rows are held anyway: keep every distinct value.
	limits := &SampleOptions{MaxDistinct: max(DefaultMaxDistinct, baseline.Len(), current.Len()), MaxLevels: math.MaxInt}
	var samples [2]*Sample
	for k, t := range []*score.Table{baseline, current} {
		s, err := NewSample(m, t.Header(), opts, limits)
		if err != nil {
			return nil, err
		}
		var row []string
		for i := 0; i < t.Len(); i++ {
			if t.RowError(i) != nil {
				s.AddBad()
				continue
			}
			row = t.AppendRow(row[:0], i)
			s.Add(row)
		}
		samples[k] = s
	}
	return Compare(ctx, samples[0], samples[1], opts)
}

// UnscorableBin labels the score PSI bin of the rows that could not be
// scored.
const UnscorableBin = "(unscorable)"

func binText(b score.Bin) string {
	if b.Label != "" {
		return b.Label
	}
	f := func(p *float64, inf string) string {
		if p == nil {
			return inf
		}
		return strconv.FormatFloat(*p, 'g', 6, 64)
	}
	switch b.Kind {
	case score.RangeBin:
		return "[" + f(b.Lower, "-inf") + ", " + f(b.Upper, "+inf") + ")"
	case score.CategoryBin:
		return strings.Join(b.Categories, ", ")
	case score.SpecialBin:
		return "= " + f(b.Special, "")
	case score.MissingBin:
		return "(missing)"
	}
	return "(other)"
}

// Ranked returns the features ordered by PSI, largest first (ties by
// name), for reports; the report itself keeps the model's term order.
func (r *Report) Ranked() []PSI {
	out := slices.Clone(r.Features)
	slices.SortStableFunc(out, func(a, b PSI) int {
		if c := metric.Compare(b.Value, a.Value); c != 0 {
			return c
		}
		return strings.Compare(a.Feature, b.Feature)
	})
	return out
}

// WriteText writes the report for people: the score's PSI, every
// feature's PSI with its band (largest first), the bins of the score and of
// the features that need action, and the performance figures.
func (r *Report) WriteText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Monitoring report for %s model %q (%s)\n", r.Kind, r.Model, r.Fingerprint)
	fmt.Fprintf(&b, "baseline %d rows (%d not scored), current %d rows (%d not scored)\n", r.BaselineRows, r.BaselineErrors, r.CurrentRows, r.CurrentErrors)
	fmt.Fprintf(&b, "PSI = sum (a - e) ln(a / e); %d quantile bins of the baseline for the score and numeric inputs, the model's bins for binned inputs, levels for categorical ones; %g added to every bin count; bands: < 0.10 stable, 0.10-0.25 watch, > 0.25 act\n\n", r.Bins, r.Smoothing)
	fmt.Fprintf(&b, "score PSI %.4f  %s\n\n", r.ScorePSI, r.ScoreBand)
	fmt.Fprintf(&b, "%-40s %9s  %s\n", "feature", "PSI", "band")
	for _, p := range r.Ranked() {
		fmt.Fprintf(&b, "%-40s %9.4f  %s\n", report.Trunc(p.Feature, 40), p.Value, p.Band)
	}
	writeBins := func(p PSI) {
		fmt.Fprintf(&b, "\n%s (PSI %.4f, %s)\n", p.Feature, p.Value, p.Band)
		fmt.Fprintf(&b, "  %-36s %9s %9s %8s %8s %9s\n", "bin", "baseline", "current", "base %", "curr %", "PSI")
		for _, x := range p.Bins {
			fmt.Fprintf(&b, "  %-36s %9.0f %9.0f %8.2f %8.2f %9.4f\n", report.Trunc(x.Label, 36), x.Baseline, x.Current, 100*x.BaselineShare, 100*x.CurrentShare, x.PSI)
			if len(x.Values) > 0 {
				fmt.Fprintf(&b, "    values: %s\n", strings.Join(x.Values, ", "))
			}
		}
	}
	writeBins(r.Score)
	for _, p := range r.Ranked() {
		if p.Band == Act {
			writeBins(p)
		}
	}
	perf := func(name string, p *LabelledPerformance) {
		if p == nil {
			return
		}
		if r.Kind == score.LinearModel {
			fmt.Fprintf(&b, "%-10s rows %6d  RMSE %.6g  MAE %.6g  R^2 %.4f\n", name, p.Rows, p.RMSE, p.MAE, p.R2)
			return
		}
		fmt.Fprintf(&b, "%-10s rows %6d  AUC %.4f  KS %.4f", name, p.Rows, p.AUC, p.KS)
		if p.Calibration != nil {
			fmt.Fprintf(&b, "  mean predicted %.4f  observed %.4f  ECE %.4f", p.MeanPredicted, p.ObservedRate, p.ECE)
		}
		if p.OtherTarget > 0 {
			fmt.Fprintf(&b, "  (%d rows of other target values skipped)", p.OtherTarget)
		}
		b.WriteString("\n")
	}
	if r.Training != nil || r.Baseline != nil || r.Current != nil {
		b.WriteString("\nperformance\n")
		perf("training", r.Training)
		perf("baseline", r.Baseline)
		perf("current", r.Current)
		if r.Training != nil && r.Current != nil && r.Kind != score.LinearModel {
			fmt.Fprintf(&b, "AUC change from training %+.4f, KS change %+.4f\n", r.Current.AUC-r.Training.AUC, r.Current.KS-r.Training.KS)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}
