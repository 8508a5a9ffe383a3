package fairness

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/candorscore/candor/internal/metric"
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
	// Groups in order of their values (byte order of the strings, column by
	// column).
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

// audit holds the prepared data of one audit.
type audit struct {
	opts     Options
	z        float64
	n        int
	cell     []uint8
	weights  []float64 // nil when unweighted
	scores   []float64 // nil when not scored
	labels   []bool
	fine     []int32 // fine (intersection) group per row
	fineRows [][]int32
	fineKey  [][]int32 // codes per column per fine group
	levels   [][]string
	parts    []partSpec
	probs    bool // scores in [0, 1]
	partSets []sets
	sorted   []int32 // rows by oriented score; nil without scores
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
	a := prepare(&data, o)
	if len(o.Reference) > 0 {
		known := map[string]bool{}
		for _, ps := range a.parts {
			known[ps.attribute] = true
		}
		var unknown []string
		for k := range o.Reference {
			if !known[k] {
				unknown = append(unknown, k)
			}
		}
		if len(unknown) > 0 {
			slices.Sort(unknown)
			return nil, optionError("reference given for unknown attribute %q", unknown)
		}
	}
	rep := &Report{
		Level: o.Level, MinGroupSize: o.MinGroupSize, Bootstrap: o.Bootstrap, Seed: o.Seed,
		Direction: o.Direction, Threshold: data.Threshold,
		Predicted: data.Predictions != nil, Scored: data.Scores != nil, Weighted: data.Weights != nil,
		Rows: a.n,
	}
	var allT tally
	for f := range a.fineRows {
		t := a.fineTally(f)
		allT.addTally(&t)
	}
	rep.Overall = a.group(OverallName, nil, &allT, a.sorted)

	parts := make([]Partition, len(a.parts))
	for pi := range a.parts {
		p, err := a.partition(pi, &rep.Overall)
		if err != nil {
			return nil, err
		}
		parts[pi] = p
	}
	if o.Bootstrap > 0 {
		if err := a.bootstrap(ctx, parts); err != nil {
			return nil, err
		}
	}
	rep.Partition = parts[len(parts)-1]
	if len(parts) > 1 {
		rep.ByAttribute = parts[:len(parts)-1]
	}
	rep.Warnings = a.warnings(rep)
	return rep, nil
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

func prepare(d *Data, o Options) *audit {
	n := len(d.Labels)
	a := &audit{opts: o, z: normalQuantile(o.Level), n: n, labels: d.Labels, weights: d.Weights, scores: d.Scores}
	a.cell = make([]uint8, n)
	for i, y := range d.Labels {
		var fav bool
		switch {
		case d.Predictions != nil:
			fav = d.Predictions[i]
		case o.Direction == HigherIsUnfavorable:
			fav = d.Scores[i] < d.Threshold
		default:
			fav = d.Scores[i] >= d.Threshold
		}
		switch {
		case y && fav:
			a.cell[i] = cTP
		case !y && fav:
			a.cell[i] = cFP
		case !y && !fav:
			a.cell[i] = cTN
		default:
			a.cell[i] = cFN
		}
	}
	if d.Scores != nil {
		a.probs = true
		for _, s := range d.Scores {
			if s < 0 || s > 1 {
				a.probs = false
				break
			}
		}
	}

	// Encode each column, then intersect them into fine groups.
	k := len(d.Groups)
	codes := make([][]int32, k)
	a.levels = make([][]string, k)
	for c, g := range d.Groups {
		codes[c], a.levels[c] = encodeColumn(g.Values)
	}
	fine := make([]int32, n)
	var keys [][]int32
	idx := map[string]int32{}
	key := make([]byte, 4*k)
	for i := 0; i < n; i++ {
		for c := 0; c < k; c++ {
			v := codes[c][i]
			key[4*c], key[4*c+1], key[4*c+2], key[4*c+3] = byte(v>>24), byte(v>>16), byte(v>>8), byte(v)
		}
		f, ok := idx[string(key)]
		if !ok {
			f = int32(len(keys))
			idx[string(key)] = f
			kk := make([]int32, k)
			for c := 0; c < k; c++ {
				kk[c] = codes[c][i]
			}
			keys = append(keys, kk)
		}
		fine[i] = f
	}
	order := make([]int, len(keys))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(x, y int) int { return slices.Compare(keys[x], keys[y]) })
	remap := make([]int32, len(keys))
	a.fineKey = make([][]int32, len(keys))
	for newF, oldF := range order {
		remap[oldF] = int32(newF)
		a.fineKey[newF] = keys[oldF]
	}
	a.fineRows = make([][]int32, len(keys))
	for i := range fine {
		fine[i] = remap[fine[i]]
		a.fineRows[fine[i]] = append(a.fineRows[fine[i]], int32(i))
	}
	a.fine = fine
	if d.Scores != nil {
		// All rows in increasing order of oriented score (ties by row), so
		// each group's rows come out sorted for the AUC without sorting
		// again.
		a.sorted = make([]int32, n)
		for i := range a.sorted {
			a.sorted[i] = int32(i)
		}
		key := make([]float64, n)
		for i := range key {
			key[i] = a.oriented(int32(i))
		}
		slices.SortStableFunc(a.sorted, func(x, y int32) int { return cmp.Compare(key[x], key[y]) })
	}

	names := make([]string, k)
	for c, g := range d.Groups {
		names[c] = g.Name
	}
	if k > 1 {
		for c := 0; c < k; c++ {
			ps := partSpec{attribute: names[c], columns: []string{names[c]}, fineTo: make([]int, len(keys))}
			for _, v := range a.levels[c] {
				ps.groups = append(ps.groups, []string{v})
			}
			for f, kk := range a.fineKey {
				ps.fineTo[f] = int(kk[c])
			}
			a.parts = append(a.parts, ps)
		}
	}
	ps := partSpec{attribute: strings.Join(names, " & "), columns: names, fineTo: make([]int, len(keys))}
	for f, kk := range a.fineKey {
		vals := make([]string, k)
		for c := range kk {
			vals[c] = a.levels[c][kk[c]]
		}
		ps.groups = append(ps.groups, vals)
		ps.fineTo[f] = f
	}
	a.parts = append(a.parts, ps)
	return a
}

func (a *audit) fineTally(f int) tally {
	var t tally
	for _, i := range a.fineRows[f] {
		c := a.cell[i]
		w := 1.0
		if a.weights != nil {
			w = a.weights[i]
		}
		t.w[c] += w
		t.w2[c] += w * w
		t.n[c]++
	}
	return t
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

func (a *audit) group(name string, values []string, t *tally, rows []int32) Group {
	g := Group{Name: name, Values: values}
	for c := 0; c < 4; c++ {
		g.Count += t.n[c]
		g.Weight += t.w[c]
	}
	g.Confusion = Confusion{TP: t.w[cTP], FP: t.w[cFP], TN: t.w[cTN], FN: t.w[cFN]}
	g.BaseRate = a.rate(t, cellsPos, cellsAll, reasonNoWeight)
	g.SelectionRate = a.rate(t, cellsSel, cellsAll, reasonNoWeight)
	g.TPR = a.rate(t, []int{cTP}, cellsPos, reasonNoPositives)
	g.FPR = a.rate(t, []int{cFP}, cellsNeg, reasonNoNegatives)
	g.PPV = a.rate(t, []int{cTP}, cellsSel, reasonNoSelected)
	g.NPV = a.rate(t, []int{cTN}, cellsRej, reasonNoRejected)
	g.Small = a.opts.MinGroupSize > 0 && g.Count < a.opts.MinGroupSize
	if a.scores == nil {
		g.AUC = undefined(reasonNoScores)
		return g
	}
	g.AUC = a.auc(rows)
	g.Calibration = a.calibration(rows)
	return g
}

// oriented returns row i's score with higher meaning more favourable.
func (a *audit) oriented(i int32) float64 {
	if a.opts.Direction == HigherIsUnfavorable {
		return -a.scores[i]
	}
	return a.scores[i]
}

func (a *audit) weight(i int32) float64 {
	if a.weights == nil {
		return 1
	}
	return a.weights[i]
}

// auc is the weighted Mann-Whitney statistic with ties counted half
// (metric.AUCOrdered), over rows in increasing order of oriented score.
func (a *audit) auc(r []int32) Value {
	v := metric.AUCOrdered(len(r), func(k int) (float64, bool, float64) {
		i := r[k]
		return a.oriented(i), a.labels[i], a.weight(i)
	})
	if math.IsNaN(v) {
		return undefined(reasonAUCOneOutcome)
	}
	return defined(v)
}

func (a *audit) calibration(rows []int32) *Calibration {
	if !a.probs {
		u := undefined(reasonNotProbs)
		return &Calibration{MeanScore: u, ObservedRate: u, ECE: u}
	}
	nb := a.opts.CalibrationBins
	type acc struct {
		n       int
		w, s, y float64
	}
	bins := make([]acc, nb)
	var tot acc
	for _, i := range rows {
		p := a.scores[i]
		k := int(p * float64(nb))
		if k >= nb {
			k = nb - 1
		}
		w := a.weight(i)
		y := a.labels[i]
		if a.opts.Direction == HigherIsUnfavorable {
			y = !y
		}
		yv := 0.0
		if y {
			yv = w
		}
		bins[k].n++
		bins[k].w += w
		bins[k].s += w * p
		bins[k].y += yv
		tot.n++
		tot.w += w
		tot.s += w * p
		tot.y += yv
	}
	c := &Calibration{}
	if !(tot.w > 0) {
		u := undefined(reasonNoWeight)
		c.MeanScore, c.ObservedRate, c.ECE = u, u, u
		return c
	}
	c.MeanScore = defined(tot.s / tot.w)
	c.ObservedRate = defined(tot.y / tot.w)
	ece := 0.0
	for k, b := range bins {
		if b.n == 0 {
			continue
		}
		cb := CalibrationBin{Lo: float64(k) / float64(nb), Hi: float64(k+1) / float64(nb), Count: b.n, Weight: b.w,
			MeanScore: math.NaN(), ObservedRate: math.NaN()}
		if b.w > 0 {
			cb.MeanScore = b.s / b.w
			cb.ObservedRate = b.y / b.w
			ece += b.w / tot.w * math.Abs(cb.MeanScore-cb.ObservedRate)
		}
		c.Bins = append(c.Bins, cb)
	}
	c.ECE = defined(ece)
	return c
}

// groupName joins values into a group label.
func groupName(values []string) string { return strings.Join(values, " & ") }

func (a *audit) partition(pi int, overall *Group) (Partition, error) {
	ps := &a.parts[pi]
	p := Partition{Attribute: ps.attribute, Columns: ps.columns, Reference: OverallName}
	tallies := make([]tally, len(ps.groups))
	rows := make([][]int32, len(ps.groups))
	for f := range a.fineRows {
		t := a.fineTally(f)
		tallies[ps.fineTo[f]].addTally(&t)
	}
	if a.scores != nil {
		// Each group's rows in increasing order of oriented score.
		size := make([]int, len(rows))
		for f, fr := range a.fineRows {
			size[ps.fineTo[f]] += len(fr)
		}
		for g := range rows {
			rows[g] = make([]int32, 0, size[g])
		}
		for _, i := range a.sorted {
			g := ps.fineTo[a.fine[i]]
			rows[g] = append(rows[g], i)
		}
	}
	p.Groups = make([]Group, len(ps.groups))
	for gi, vals := range ps.groups {
		p.Groups[gi] = a.group(groupName(vals), vals, &tallies[gi], rows[gi])
	}
	ref := overall
	if name, ok := a.opts.Reference[ps.attribute]; ok {
		ref = nil
		for gi := range p.Groups {
			if p.Groups[gi].Name == name {
				ref = &p.Groups[gi]
			}
		}
		if ref == nil {
			return p, fmt.Errorf("%w: reference group %q does not occur in attribute %q", ErrUnknownGroup, name, ps.attribute)
		}
		p.Reference = name
	}
	refCopy := *ref
	for gi := range p.Groups {
		p.Groups[gi].Versus = compare(&p.Groups[gi], &refCopy, p.Reference)
	}
	a.summarise(&p)
	return p, nil
}

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

func (a *audit) warnings(r *Report) []string {
	var w []string
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
	if a.scores != nil && !a.probs {
		w = append(w, "calibration not computed: "+reasonNotProbs)
	}
	return w
}

// plural returns "1 row" or "n rows".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
