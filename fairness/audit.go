package fairness

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Direction says which way a score points.
type Direction int

const (
	// HigherIsFavorable: a higher score means a more favourable outcome (a
	// credit score, a probability of repaying). The decision is favourable
	// when score >= Threshold. This is the zero value.
	HigherIsFavorable Direction = iota
	// HigherIsUnfavorable: a higher score means a less favourable outcome
	// (a probability of default or churn, candor's event probability). The
	// decision is favourable when score < Threshold.
	HigherIsUnfavorable
)

func (d Direction) String() string {
	if d == HigherIsUnfavorable {
		return "higher_is_unfavorable"
	}
	return "higher_is_favorable"
}

// GroupColumn is one protected attribute: a name ("sex") and one value per
// row ("Female"). The empty string is not a value: it is a missing group and
// an error.
type GroupColumn struct {
	Name   string
	Values []string
}

// Data holds the columns of an audit, one element per row. Labels and at
// least one of Predictions and Scores are required, and at least one group
// column.
type Data struct {
	// Labels[i] is true when row i's observed outcome is the favourable one.
	Labels []bool
	// Predictions[i] is true when row i's decision is favourable. When nil,
	// decisions come from Scores and Threshold.
	Predictions []bool
	// Scores are the model's scores, on any scale. When Predictions is nil
	// the decision is favourable when score >= Threshold (or score <
	// Threshold with Options.Direction HigherIsUnfavorable). When both are
	// given, Predictions are the decisions and Scores feed only the AUC and
	// calibration. Calibration needs scores in [0, 1].
	Scores []float64
	// Threshold is the cutoff on the score scale; used only without
	// Predictions.
	Threshold float64
	// Weights are non-negative row weights; nil means all ones.
	Weights []float64
	// Groups are the protected attributes. The audit covers each column
	// alone and, when there are several, the intersection of all of them.
	Groups []GroupColumn
}

// Options configure an audit. The zero value, and nil, mean the defaults.
type Options struct {
	// Direction of the scores; the zero value is HigherIsFavorable.
	Direction Direction
	// Level is the confidence level of Wilson and bootstrap intervals, in
	// (0, 1); 0 means 0.95.
	Level float64
	// MinGroupSize: groups with fewer rows (unweighted) are flagged as small
	// and named in the warnings; they stay in the summary. 0 means 30, a
	// common rule of thumb below which a proportion's normal approximation
	// and a group comparison are unreliable. Use -1 to flag nothing.
	MinGroupSize int
	// Reference maps an attribute name ("sex", or "sex & race" for the
	// intersection) to the group that the others are compared with. An
	// attribute without an entry is compared with the overall population.
	Reference map[string]string
	// Bootstrap is the number of bootstrap replicates for intervals on the
	// summary disparities; 0 means none.
	Bootstrap int
	// Seed seeds the bootstrap. The same seed gives the same intervals,
	// whatever the number of workers.
	Seed uint64
	// Workers is the number of goroutines for the bootstrap; 0 means
	// GOMAXPROCS. It does not change the result.
	Workers int
	// CalibrationBins is the number of equal-width score bins on [0, 1] for
	// the expected calibration error; 0 means 10.
	CalibrationBins int
	// MaxDistinctScores is the number of distinct scores per intersection
	// group a Tally keeps exactly for the AUC; beyond it scores are pooled
	// (metric.ScoreCounts) and the warnings state the AUC's error bound.
	// 0 means DefaultMaxDistinctScores; Audit, which holds the rows anyway,
	// raises it to the number of rows.
	MaxDistinctScores int
}

const (
	defaultLevel        = 0.95
	defaultMinGroupSize = 30
	defaultBins         = 10
	// FourFifthsThreshold is the ratio under which the four-fifths screen
	// flags a group.
	FourFifthsThreshold = 0.8
	// OverallName names the whole population as a reference.
	OverallName = "overall"
)

func (o *Options) withDefaults() (Options, error) {
	var r Options
	if o != nil {
		r = *o
	}
	if r.Level == 0 {
		r.Level = defaultLevel
	}
	if !(r.Level > 0 && r.Level < 1) {
		return r, optionError("level %v is not in (0, 1)", r.Level)
	}
	if r.MinGroupSize == 0 {
		r.MinGroupSize = defaultMinGroupSize
	}
	if r.MinGroupSize < -1 {
		return r, optionError("minimum group size %d is negative", r.MinGroupSize)
	}
	if r.Bootstrap < 0 {
		return r, optionError("bootstrap replicates %d is negative", r.Bootstrap)
	}
	if r.Workers < 0 {
		return r, optionError("workers %d is negative", r.Workers)
	}
	if r.CalibrationBins == 0 {
		r.CalibrationBins = defaultBins
	}
	if r.MaxDistinctScores == 0 {
		r.MaxDistinctScores = DefaultMaxDistinctScores
	}
	if r.MaxDistinctScores < 0 {
		return r, optionError("distinct-score limit %d is negative", r.MaxDistinctScores)
	}
	if r.CalibrationBins < 0 {
		return r, optionError("calibration bins %d is negative", r.CalibrationBins)
	}
	if r.Direction != HigherIsFavorable && r.Direction != HigherIsUnfavorable {
		return r, optionError("unknown direction %d", r.Direction)
	}
	return r, nil
}

// Confusion holds the weighted counts of a group, with "positive" meaning
// the favourable outcome: TP favourable decision and favourable outcome, FP
// favourable decision and unfavourable outcome, TN unfavourable decision and
// unfavourable outcome, FN unfavourable decision and favourable outcome.
type Confusion struct {
	TP, FP, TN, FN float64
}

// Group holds the metrics of one group.
type Group struct {
	// Name is the group's label: its value, or its values joined with " & "
	// for an intersection ("Female & Black"); "overall" for everyone.
	Name string
	// Values are the group's values, one per column of its attribute.
	Values []string
	// Count is the number of rows; Weight the sum of their weights.
	Count  int
	Weight float64
	// Confusion holds the weighted counts.
	Confusion Confusion
	// BaseRate (TP+FN)/n: observed favourable outcomes.
	BaseRate Rate
	// SelectionRate (TP+FP)/n: favourable decisions.
	SelectionRate Rate
	// TPR TP/(TP+FN): favourable decisions among favourable outcomes.
	TPR Rate
	// FPR FP/(FP+TN): favourable decisions among unfavourable outcomes.
	FPR Rate
	// PPV TP/(TP+FP): favourable outcomes among favourable decisions.
	PPV Rate
	// NPV TN/(TN+FN): unfavourable outcomes among unfavourable decisions.
	NPV Rate
	// AUC is the weighted probability that a row with the favourable
	// outcome scores more favourably than one without (ties count half);
	// undefined without scores, or when the group lacks either outcome.
	AUC Value
	// Calibration is nil without scores.
	Calibration *Calibration
	// Small is true when Count is below the minimum group size.
	Small bool
	// Versus compares the group with its attribute's reference.
	Versus Comparison
}

// Comparison holds a group's disparities against a reference (a named group
// or the overall population). Differences are group minus reference, on
// the probability scale; ratios are group over reference.
type Comparison struct {
	Reference               string
	SelectionRateDifference Value
	SelectionRateRatio      Value
	TPRDifference           Value
	FPRDifference           Value
	PPVDifference           Value
}

// Calibration compares a group's mean score with the observed rate of the
// outcome the score predicts: the favourable outcome for HigherIsFavorable,
// the unfavourable one (the event) for HigherIsUnfavorable. It needs scores
// that are probabilities, in [0, 1].
//
// The expected calibration error is sum over bins of (weight of bin / weight
// of group) * |mean score in bin - observed rate in bin|, over equal-width
// bins [0, 1/B), [1/B, 2/B), ..., [(B-1)/B, 1] (B = 10 by default; a score
// of exactly 1 falls in the last bin); empty bins contribute nothing.
type Calibration struct {
	MeanScore    Value
	ObservedRate Value
	ECE          Value
	Bins         []CalibrationBin
}

// CalibrationBin is one score bin of a calibration table.
type CalibrationBin struct {
	Lo, Hi       float64
	Count        int
	Weight       float64
	MeanScore    float64
	ObservedRate float64
}

// Disparity is a summary disparity across a partition's groups, with an
// optional bootstrap percentile interval.
type Disparity struct {
	// Value is a difference (probability scale) or a ratio; NaN when
	// undefined.
	Value   float64
	Defined bool
	Reason  string
	// High and Low name the groups at the extremes (for a spread: the group
	// with the highest and the lowest rate).
	High, Low string
	// Lo and Hi bound the bootstrap percentile interval; NaN when no
	// bootstrap was run or too few replicates were defined.
	Lo, Hi float64
	// Replicates counts bootstrap replicates where the disparity was
	// defined; Undefined those where a group's rate lost its denominator.
	Replicates, Undefined int
}

// Exclusion records a group left out of a summary metric.
type Exclusion struct {
	Group  string
	Metric string
	Reason string
}

// FourFifths is the four-fifths screen: each group's selection rate over
// the highest group's, flagged when under 0.8. It follows the US EEOC
// guidelines' rule of thumb for adverse impact and is a screen, not a legal
// verdict.
type FourFifths struct {
	Defined   bool
	Reason    string
	Threshold float64
	Highest   string
	Groups    []FourFifthsGroup
	// Flagged names the flagged groups, in group order.
	Flagged []string
}

// FourFifthsGroup is one group's line in the four-fifths screen.
type FourFifthsGroup struct {
	Group         string
	SelectionRate float64
	Ratio         float64
	Flagged       bool
}

// FourFifthsNote labels the four-fifths screen in reports.
const FourFifthsNote = "screening heuristic (US EEOC four-fifths rule of thumb), not a legal verdict"

// Partition is the audit of one attribute: one group column, or the
// intersection of all of them.
type Partition struct {
	// Attribute is the column name, or the names joined with " & ".
	Attribute string
	Columns   []string
	// Reference is the group compared against, or "overall".
	Reference string
	// Groups in order of their values, column by column: band names
	// (Bands) first, in band order, then byte order of the strings.
	Groups []Group

	// DemographicParityDifference: max - min selection rate.
	DemographicParityDifference Disparity
	// DemographicParityRatio: min / max selection rate.
	DemographicParityRatio Disparity
	// EqualOpportunityDifference: max - min TPR.
	EqualOpportunityDifference Disparity
	// EqualizedOddsDifference: the larger of the TPR spread and the FPR
	// spread (fairlearn's worst case).
	EqualizedOddsDifference Disparity
	// AverageOddsDifference: the mean of the TPR spread and the FPR spread.
	AverageOddsDifference Disparity
	// PredictiveParityDifference: max - min PPV.
	PredictiveParityDifference Disparity

	FourFifths FourFifths
	// Excluded lists groups left out of a summary because their rate is
	// undefined, per metric.
	Excluded []Exclusion
}

// Report is the result of Audit. Its embedded Partition is the
// intersection of all group columns (the only column when there is one);
// ByAttribute holds each column alone when there are several.
type Report struct {
	Partition
	Overall     Group
	ByAttribute []Partition
	// Warnings name small groups and other limits of the data, in a
	// deterministic order.
	Warnings []string

	Level        float64
	MinGroupSize int
	Bootstrap    int
	Seed         uint64
	Direction    Direction
	// Threshold is the score cutoff; meaningful when Scored and not
	// Predicted.
	Threshold float64
	Predicted bool
	Scored    bool
	Weighted  bool
	Rows      int
}

// Partitions returns the summary partition followed by ByAttribute.
func (r *Report) Partitions() []*Partition {
	out := []*Partition{&r.Partition}
	for i := range r.ByAttribute {
		out = append(out, &r.ByAttribute[i])
	}
	return out
}

// Group returns the group with the given name in the summary partition or
// any single attribute, and whether it was found.
func (r *Report) Group(name string) (Group, bool) {
	for _, p := range r.Partitions() {
		for _, g := range p.Groups {
			if g.Name == name {
				return g, true
			}
		}
	}
	return Group{}, false
}

// cells of the confusion table.
const (
	cTP = iota
	cFP
	cTN
	cFN
)

// tally accumulates a group's cells: weight, squared weight and count.
type tally struct {
	w, w2 [4]float64
	n     [4]int
}

func (t *tally) addTally(o *tally) {
	for c := 0; c < 4; c++ {
		t.w[c] += o.w[c]
		t.w2[c] += o.w2[c]
		t.n[c] += o.n[c]
	}
}

// audit holds the sorted intersection groups of one report.
type audit struct {
	opts     Options
	z        float64
	scored   bool
	probs    bool // scores in [0, 1]
	fines    []*fineAcc
	parts    []partSpec
	partSets []sets
	pooled   []pooledAUC
}

// partSpec describes one partition in terms of fine groups.
type partSpec struct {
	attribute string
	columns   []string
	groups    [][]string // values per group
	fineTo    []int      // fine group -> partition group
}

// Audit measures the decisions in data per group, for each group column
// and their intersection, and summarises the disparities between groups.
// It returns a *DataError (possibly several, joined) for bad data and never
// panics on it. The context is checked during the bootstrap.
func Audit(ctx context.Context, data Data, opts *Options) (*Report, error) {
	o, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	if err := validate(&data, &o); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	// In memory the rows are held anyway: keep every distinct score.
	o.MaxDistinctScores = max(o.MaxDistinctScores, len(data.Labels))
	spec := TallySpec{Predictions: data.Predictions != nil, Scores: data.Scores != nil,
		Threshold: data.Threshold, Weights: data.Weights != nil}
	for _, g := range data.Groups {
		spec.Groups = append(spec.Groups, g.Name)
	}
	t, err := NewTally(spec, &o)
	if err != nil {
		return nil, err
	}
	row := Row{Groups: make([]string, len(data.Groups))}
	for i, y := range data.Labels {
		row.Index, row.Label = uint64(i), y
		if data.Predictions != nil {
			row.Prediction = data.Predictions[i]
		}
		if data.Scores != nil {
			row.Score = data.Scores[i]
		}
		if data.Weights != nil {
			row.Weight = data.Weights[i]
		}
		for g := range data.Groups {
			row.Groups[g] = data.Groups[g].Values[i]
		}
		if err := t.Add(row); err != nil {
			return nil, err
		}
	}
	return t.Report(ctx)
}

func validate(d *Data, o *Options) error {
	var errs []error
	n := len(d.Labels)
	if n == 0 {
		errs = append(errs, columnError("labels", ErrEmpty, "no rows"))
	}
	if d.Predictions == nil && d.Scores == nil {
		errs = append(errs, columnError("predictions", ErrNoDecisions, "give predictions, or scores and a threshold"))
	}
	if d.Predictions != nil && len(d.Predictions) != n {
		errs = append(errs, columnError("predictions", ErrLength, "%d values for %d labels", len(d.Predictions), n))
	}
	if d.Scores != nil {
		if len(d.Scores) != n {
			errs = append(errs, columnError("scores", ErrLength, "%d values for %d labels", len(d.Scores), n))
		} else {
			c := rowChecker{column: "scores", err: ErrNotFinite, detail: "score is NaN or infinite"}
			for i, s := range d.Scores {
				if math.IsNaN(s) || math.IsInf(s, 0) {
					c.bad(i)
				}
			}
			if err := c.result(); err != nil {
				errs = append(errs, err)
			}
		}
		if d.Predictions == nil && (math.IsNaN(d.Threshold) || math.IsInf(d.Threshold, 0)) {
			errs = append(errs, columnError("threshold", ErrNotFinite, "threshold %v", d.Threshold))
		}
	}
	if d.Weights != nil {
		if err := checkWeights(d.Weights, n); err != nil {
			errs = append(errs, err...)
		}
	}
	if len(d.Groups) == 0 {
		errs = append(errs, columnError("groups", ErrNoGroups, "no group column given"))
	}
	seen := map[string]bool{}
	for k, g := range d.Groups {
		switch {
		case g.Name == "":
			errs = append(errs, columnError(fmt.Sprintf("groups[%d]", k), ErrNoGroups, "group column has no name"))
		case seen[g.Name]:
			errs = append(errs, columnError(g.Name, ErrOption, "group column name used twice"))
		case strings.Contains(g.Name, " & "):
			errs = append(errs, columnError(g.Name, ErrOption, `group column name contains " & ", which joins intersections`))
		}
		seen[g.Name] = true
		if len(g.Values) != n {
			errs = append(errs, columnError(g.Name, ErrLength, "%d values for %d labels", len(g.Values), n))
			continue
		}
		c := rowChecker{column: g.Name, err: ErrMissingGroup, detail: "empty group value"}
		for i, v := range g.Values {
			if v == "" {
				c.bad(i)
			}
		}
		if err := c.result(); err != nil {
			errs = append(errs, err)
		}
	}
	return joinErrors(errs)
}

func checkWeights(w []float64, n int) []error {
	if len(w) != n {
		return []error{columnError("weights", ErrLength, "%d values for %d labels", len(w), n)}
	}
	nf := rowChecker{column: "weights", err: ErrNotFinite, detail: "weight is NaN or infinite"}
	ng := rowChecker{column: "weights", err: ErrNegative, detail: "weight is negative"}
	for i, x := range w {
		switch {
		case math.IsNaN(x) || math.IsInf(x, 0):
			nf.bad(i)
		case x < 0:
			ng.bad(i)
		}
	}
	var errs []error
	for _, e := range []error{nf.result(), ng.result()} {
		if e != nil {
			errs = append(errs, e)
		}
	}
	return errs
}

// joinErrors returns nil, the only error, or the errors joined.
func joinErrors(errs []error) error {
	switch len(errs) {
	case 0:
		return nil
	case 1:
		return errs[0]
	}
	return joinedError(errs)
}

// joinedError is errors.Join with a one-line message per error.
type joinedError []error

func (e joinedError) Error() string {
	s := make([]string, len(e))
	for i, x := range e {
		s[i] = x.Error()
	}
	return strings.Join(s, "; ")
}

func (e joinedError) Unwrap() []error { return e }

// encodeColumn returns each row's code into the sorted distinct values.
func encodeColumn(values []string) ([]int32, []string) {
	idx := map[string]int32{}
	var levels []string
	codes := make([]int32, len(values))
	last, lastCode := "", int32(-1)
	for i, v := range values {
		if lastCode >= 0 && v == last { // runs of equal values are common
			codes[i] = lastCode
			continue
		}
		c, ok := idx[v]
		if !ok {
			c = int32(len(levels))
			idx[v] = c
			levels = append(levels, v)
		}
		codes[i], last, lastCode = c, v, c
	}
	sorted := slices.Clone(levels)
	slices.Sort(sorted)
	remap := make([]int32, len(levels))
	for newCode, v := range sorted {
		remap[idx[v]] = int32(newCode)
	}
	for i, c := range codes {
		codes[i] = remap[c]
	}
	return codes, sorted
}

// Reasons for undefined rates.
const (
	reasonNoWeight      = "group has no rows with positive weight"
	reasonNoPositives   = "no observed favourable outcomes in group (TP+FN = 0)"
	reasonNoNegatives   = "no observed unfavourable outcomes in group (FP+TN = 0)"
	reasonNoSelected    = "no favourable decisions in group (TP+FP = 0)"
	reasonNoRejected    = "no unfavourable decisions in group (TN+FN = 0)"
	reasonNoScores      = "no scores given"
	reasonNotProbs      = "scores outside [0, 1] are not probabilities"
	reasonAUCOneOutcome = "group lacks rows with the favourable or the unfavourable outcome"
)

// rate computes num/den over the given cells.
func (a *audit) rate(t *tally, num, den []int, reason string) Rate {
	var nw, dw, dw2 float64
	for _, c := range num {
		nw += t.w[c]
	}
	for _, c := range den {
		dw += t.w[c]
		dw2 += t.w2[c]
	}
	neff := 0.0
	if dw2 > 0 {
		neff = dw * dw / dw2
	}
	return newRate(nw, dw, neff, a.z, reason)
}

var (
	cellsAll = []int{cTP, cFP, cTN, cFN}
	cellsPos = []int{cTP, cFN}
	cellsNeg = []int{cFP, cTN}
	cellsSel = []int{cTP, cFP}
	cellsRej = []int{cTN, cFN}
)

// groupName joins values into a group label.
func groupName(values []string) string { return strings.Join(values, " & ") }

func diff(x, y Rate, what string) Value {
	switch {
	case !x.Defined:
		return undefined("group " + what + " undefined: " + x.Reason)
	case !y.Defined:
		return undefined("reference " + what + " undefined: " + y.Reason)
	}
	return defined(x.Value - y.Value)
}

func compare(g, ref *Group, name string) Comparison {
	c := Comparison{
		Reference:               name,
		SelectionRateDifference: diff(g.SelectionRate, ref.SelectionRate, "selection rate"),
		TPRDifference:           diff(g.TPR, ref.TPR, "true positive rate"),
		FPRDifference:           diff(g.FPR, ref.FPR, "false positive rate"),
		PPVDifference:           diff(g.PPV, ref.PPV, "positive predictive value"),
	}
	switch {
	case !c.SelectionRateDifference.Defined:
		c.SelectionRateRatio = c.SelectionRateDifference
	case ref.SelectionRate.Value == 0:
		c.SelectionRateRatio = undefined("reference selection rate is 0")
	default:
		c.SelectionRateRatio = defined(g.SelectionRate.Value / ref.SelectionRate.Value)
	}
	return c
}

// Metric names used in exclusions and JSON.
const (
	MetricSelectionRate = "selection_rate"
	MetricTPR           = "true_positive_rate"
	MetricFPR           = "false_positive_rate"
	MetricPPV           = "positive_predictive_value"
)

// sets holds, per metric, the partition groups whose rate is defined in the
// point estimate; the bootstrap keeps these sets fixed.
type sets struct {
	sel, tpr, fpr, ppv []int
}

func (a *audit) summarise(p *Partition) {
	var s sets
	for gi := range p.Groups {
		g := &p.Groups[gi]
		for _, m := range []struct {
			r    Rate
			name string
			dst  *[]int
		}{{g.SelectionRate, MetricSelectionRate, &s.sel}, {g.TPR, MetricTPR, &s.tpr}, {g.FPR, MetricFPR, &s.fpr}, {g.PPV, MetricPPV, &s.ppv}} {
			if m.r.Defined {
				*m.dst = append(*m.dst, gi)
			} else {
				p.Excluded = append(p.Excluded, Exclusion{Group: g.Name, Metric: m.name, Reason: m.r.Reason})
			}
		}
	}
	get := func(gi int, which int) float64 {
		g := &p.Groups[gi]
		switch which {
		case 0:
			return g.SelectionRate.Value
		case 1:
			return g.TPR.Value
		case 2:
			return g.FPR.Value
		}
		return g.PPV.Value
	}
	spread := func(set []int, which int, label string) Disparity {
		if len(set) < 2 {
			return Disparity{Value: math.NaN(), Reason: fmt.Sprintf("fewer than two groups with a defined %s", label), Lo: math.NaN(), Hi: math.NaN()}
		}
		hi, lo := set[0], set[0]
		for _, gi := range set[1:] {
			if get(gi, which) > get(hi, which) {
				hi = gi
			}
			if get(gi, which) < get(lo, which) {
				lo = gi
			}
		}
		return Disparity{Value: get(hi, which) - get(lo, which), Defined: true, High: p.Groups[hi].Name, Low: p.Groups[lo].Name, Lo: math.NaN(), Hi: math.NaN()}
	}
	p.DemographicParityDifference = spread(s.sel, 0, "selection rate")
	dpr := p.DemographicParityDifference
	if dpr.Defined {
		hi, _ := p.Group(dpr.High)
		lo, _ := p.Group(dpr.Low)
		if hi.SelectionRate.Value == 0 {
			dpr = Disparity{Value: math.NaN(), Reason: "highest selection rate is 0", Lo: math.NaN(), Hi: math.NaN()}
		} else {
			dpr.Value = lo.SelectionRate.Value / hi.SelectionRate.Value
		}
	}
	p.DemographicParityRatio = dpr
	p.EqualOpportunityDifference = spread(s.tpr, 1, "true positive rate")
	tprS, fprS := p.EqualOpportunityDifference, spread(s.fpr, 2, "false positive rate")
	switch {
	case !tprS.Defined:
		p.EqualizedOddsDifference, p.AverageOddsDifference = tprS, tprS
	case !fprS.Defined:
		p.EqualizedOddsDifference, p.AverageOddsDifference = fprS, fprS
	default:
		eo := tprS
		if fprS.Value > tprS.Value {
			eo = fprS
		}
		p.EqualizedOddsDifference = eo
		avg := Disparity{Value: (tprS.Value + fprS.Value) / 2, Defined: true, Lo: math.NaN(), Hi: math.NaN()}
		p.AverageOddsDifference = avg
	}
	p.PredictiveParityDifference = spread(s.ppv, 3, "positive predictive value")
	p.FourFifths = fourFifths(p, s.sel)
	a.partSets = append(a.partSets, s)
}

// Group returns the group with the given name and whether it exists.
func (p *Partition) Group(name string) (Group, bool) {
	for _, g := range p.Groups {
		if g.Name == name {
			return g, true
		}
	}
	return Group{}, false
}

func fourFifths(p *Partition, sel []int) FourFifths {
	ff := FourFifths{Threshold: FourFifthsThreshold}
	if len(sel) == 0 {
		ff.Reason = "no group has a defined selection rate"
		return ff
	}
	hi := sel[0]
	for _, gi := range sel {
		if p.Groups[gi].SelectionRate.Value > p.Groups[hi].SelectionRate.Value {
			hi = gi
		}
	}
	top := p.Groups[hi].SelectionRate.Value
	ff.Highest = p.Groups[hi].Name
	if top == 0 {
		ff.Reason = "highest selection rate is 0"
		return ff
	}
	ff.Defined = true
	for _, gi := range sel {
		g := &p.Groups[gi]
		r := g.SelectionRate.Value / top
		fl := r < FourFifthsThreshold
		ff.Groups = append(ff.Groups, FourFifthsGroup{Group: g.Name, SelectionRate: g.SelectionRate.Value, Ratio: r, Flagged: fl})
		if fl {
			ff.Flagged = append(ff.Flagged, g.Name)
		}
	}
	return ff
}

// numericGroupsMin is the number of groups from which an attribute whose
// every group is a number is taken for a numeric column audited value by
// value (an age, an income), not a code with a few values (a 0/1 flag).
const numericGroupsMin = 20

func (a *audit) warnings(r *Report) []string {
	var w []string
	seen := map[string]bool{}
	for _, p := range r.Partitions() {
		if seen[p.Attribute] || strings.Contains(p.Attribute, " & ") || len(p.Groups) < numericGroupsMin {
			continue
		}
		seen[p.Attribute] = true
		numbers, small := true, 0
		values := make([]float64, len(p.Groups))
		for gi, g := range p.Groups {
			x, err := strconv.ParseFloat(strings.TrimSpace(g.Name), 64)
			if err != nil {
				numbers = false
				break
			}
			values[gi] = x
			if g.Small {
				small++
			}
		}
		if numbers {
			w = append(w, fmt.Sprintf("%s: %d groups, every one a number: a numeric column is audited one value per group "+
				"(%d of them under the minimum group size %d); band it first: candor audit --bands %s "+
				"(the quintiles of its rows; any ascending edges), or Columns.Bands in Go",
				p.Attribute, len(p.Groups), small, a.opts.MinGroupSize, shellWord(p.Attribute+"="+strings.Join(quintileEdges(p.Groups, values), ","))))
		}
	}
	if a.opts.MinGroupSize > 0 {
		for _, p := range r.Partitions() {
			for _, g := range p.Groups {
				if g.Small {
					w = append(w, fmt.Sprintf("%s: group %q has %s, below the minimum group size %d; its rates are imprecise",
						p.Attribute, g.Name, plural(g.Count, "row"), a.opts.MinGroupSize))
				}
			}
		}
	}
	for _, p := range r.Partitions() {
		for _, e := range p.Excluded {
			w = append(w, fmt.Sprintf("%s: group %q left out of the %s summary: %s", p.Attribute, e.Group, e.Metric, e.Reason))
		}
	}
	if a.scored && !a.probs {
		w = append(w, "calibration not computed: "+reasonNotProbs)
	}
	for _, p := range a.pooled {
		w = append(w, fmt.Sprintf("group %q has more than %d distinct scores: its AUC comes from scores pooled on a grid and is within %.2g of the exact AUC",
			p.group, a.opts.MaxDistinctScores, p.bound))
	}
	return w
}

// quintileEdges suggests band edges for numeric groups (values[i] is
// groups[i]'s number): the first value with a fifth, two fifths, three and
// four fifths of the rows below it (equal-count bands, as pandas.qcut with
// q=5 makes), written as the groups are; an edge that several fifths share
// is given once, and when four fifths of the rows share the largest value
// it is the one edge.
func quintileEdges(groups []Group, values []float64) []string {
	order := make([]int, len(groups))
	total := 0
	for i := range order {
		order[i] = i
		total += groups[i].Count
	}
	slices.SortFunc(order, func(i, j int) int { return cmp.Compare(values[i], values[j]) })
	var edges []string
	below, k := 0, 1
	for _, i := range order {
		if k <= 4 && 5*below >= k*total {
			edges = append(edges, strings.TrimSpace(groups[i].Name))
			for k <= 4 && 5*below >= k*total {
				k++
			}
		}
		below += groups[i].Count
	}
	if len(edges) == 0 { // most rows share the largest value: split there
		edges = append(edges, strings.TrimSpace(groups[order[len(order)-1]].Name))
	}
	return edges
}

// plural returns "1 row" or "n rows".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// shellWord is s as one POSIX shell word: as it is when every byte is a
// letter, digit or one of _@%+=:,./-, else in single quotes (a single
// quote inside is closed, escaped and reopened), so a hint with a column name that has spaces can be
// pasted into a shell as it stands.
func shellWord(s string) string {
	safe := s != ""
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("_@%+=:,./-", r)) {
			safe = false
			break
		}
	}
	if safe {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
