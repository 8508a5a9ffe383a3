package fairness

import (
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/candorscore/candor/internal/metric"
)

// Tally is the mergeable summary of an audit: per intersection group, the
// weighted confusion counts, the scores' distribution by outcome (for the
// AUC), the calibration bins and, for weighted data, the bootstrap's
// per-replicate counts. Rows are added one at a time (Add); tallies of
// disjoint parts of the rows combine with Merge; Report turns a tally into
// the audit report. The same code serves one core, many cores, a stream
// and a cluster (a Beam combiner, say): any split of the rows into parts,
// tallied and merged in any order, gives the same report, and Audit is a
// Tally over its Data.
//
// What is exact and what is not:
//   - Counts, rates, Wilson intervals, disparities, the four-fifths screen
//     and the bootstrap are exact functions of the rows: with unit weights
//     (integer sums) they are identical, to the last bit, for any split.
//     With non-integer weights, sums of weights add in another order and
//     may differ in the last bits (relative error at most about n * 2^-53).
//   - Mean scores and calibration bins are sums of scores: the same
//     last-bit caveat applies.
//   - The AUC comes from a metric.ScoreCounts per group: exact while a
//     group has at most Options.MaxDistinctScores distinct scores; beyond
//     it, scores are pooled on a fixed grid and the report's warnings give
//     the bound on the AUC's error.
//
// The bootstrap needs no rows for unweighted data: each intersection
// group's replicate counts are drawn from its cell counts (a multinomial,
// exact in distribution; see bootstrap.go), at Report time. For weighted
// data a row is kept in replicate r with a Poisson(1) multiplicity drawn
// from a hash of (Options.Seed, Row.Index, r), the Poisson bootstrap (Hanley
// and MacGibbon 2006; Chamandy et al. 2012), so each row's replicate
// weights depend on the row alone and any split of the rows gives the same
// intervals. Unlike the multinomial it does not hold group sizes fixed; it
// approximates the same resampling distribution. It costs
// Options.Bootstrap draws per weighted row.
//
// A Tally is not safe for concurrent use; give each goroutine its own and
// Merge them.
type Tally struct {
	spec    TallySpec
	opts    Options
	fine    map[string]*fineAcc
	key     []byte
	rows    int
	outside bool // some score outside [0, 1]
}

// TallySpec says what the rows of a Tally carry.
type TallySpec struct {
	// Groups names the protected attributes; Row.Groups holds one value
	// per name, in this order.
	Groups []string
	// Predictions: rows carry their decision in Row.Prediction.
	Predictions bool
	// Scores: rows carry a score in Row.Score. Without Predictions the
	// decision is favourable when score >= Threshold (or score <
	// Threshold with Options.Direction HigherIsUnfavorable).
	Scores bool
	// Threshold is the cutoff on the score scale; used only without
	// Predictions.
	Threshold float64
	// Weights: rows carry a non-negative weight in Row.Weight; otherwise
	// every row weighs 1.
	Weights bool
}

// Row is one customer for Tally.Add.
type Row struct {
	// Index identifies the row: its 0-based position in the data (Audit)
	// or its 1-based data row (the command line). It seeds the row's
	// bootstrap multiplicities when the data is weighted; give each row its
	// own.
	Index uint64
	// Label is true when the observed outcome is the favourable one.
	Label bool
	// Prediction is true when the decision is favourable (with
	// TallySpec.Predictions).
	Prediction bool
	// Score is the row's score (with TallySpec.Scores).
	Score float64
	// Weight is the row's weight (with TallySpec.Weights).
	Weight float64
	// Groups holds the row's value of each group column, in
	// TallySpec.Groups order. Add copies what it keeps.
	Groups []string
}

// DefaultMaxDistinctScores is the number of distinct scores per
// intersection group that a Tally keeps exactly (Options.MaxDistinctScores).
const DefaultMaxDistinctScores = 1 << 16

// fineAcc accumulates one intersection group.
type fineAcc struct {
	values []string
	t      tally
	sc     *metric.ScoreCounts // nil without scores
	cal    []calAcc            // nil without scores
	boot   [][4]float64        // weighted bootstrap: counts per replicate
}

// calAcc is one calibration bin: rows, weight, weighted score, weighted
// outcome the score predicts.
type calAcc struct {
	n       int
	w, s, y float64
}

// NewTally returns an empty tally for rows of the given shape. It checks
// the spec and the options (Level, MinGroupSize and Reference apply at
// Report time, Bootstrap, Seed, Direction, CalibrationBins and
// MaxDistinctScores while adding).
func NewTally(spec TallySpec, opts *Options) (*Tally, error) {
	o, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	var errs []error
	if !spec.Predictions && !spec.Scores {
		errs = append(errs, columnError("predictions", ErrNoDecisions, "give predictions, or scores and a threshold"))
	}
	if spec.Scores && !spec.Predictions && (math.IsNaN(spec.Threshold) || math.IsInf(spec.Threshold, 0)) {
		errs = append(errs, columnError("threshold", ErrNotFinite, "threshold %v", spec.Threshold))
	}
	if len(spec.Groups) == 0 {
		errs = append(errs, columnError("groups", ErrNoGroups, "no group column given"))
	}
	for k, g := range spec.Groups {
		switch {
		case g == "":
			errs = append(errs, columnError(fmt.Sprintf("groups[%d]", k), ErrNoGroups, "group column has no name"))
		case slices.Contains(spec.Groups[:k], g):
			errs = append(errs, columnError(g, ErrOption, "group column name used twice"))
		case strings.Contains(g, " & "):
			errs = append(errs, columnError(g, ErrOption, `group column name contains " & ", which joins intersections`))
		}
	}
	if err := joinErrors(errs); err != nil {
		return nil, err
	}
	spec.Groups = slices.Clone(spec.Groups)
	return &Tally{spec: spec, opts: o, fine: map[string]*fineAcc{}}, nil
}

// Spec returns the tally's spec (a copy).
func (t *Tally) Spec() TallySpec {
	s := t.spec
	s.Groups = slices.Clone(s.Groups)
	return s
}

// Rows is the number of rows added (and merged).
func (t *Tally) Rows() int { return t.rows }

// Add counts one row. A bad row (a missing group value, a score or weight
// that is not finite, a negative weight, the wrong number of group values)
// is not counted: Add returns a *DataError naming the column, with Row
// the row's Index.
func (t *Tally) Add(r Row) error {
	if len(r.Groups) != len(t.spec.Groups) {
		return &DataError{Column: "groups", Row: int(r.Index), Count: 1, Err: ErrLength,
			Detail: fmt.Sprintf("%d group values for %d group columns", len(r.Groups), len(t.spec.Groups))}
	}
	for k, v := range r.Groups {
		if v == "" {
			return &DataError{Column: t.spec.Groups[k], Row: int(r.Index), Count: 1, Err: ErrMissingGroup, Detail: "empty group value"}
		}
	}
	if t.spec.Scores && (math.IsNaN(r.Score) || math.IsInf(r.Score, 0)) {
		return &DataError{Column: "scores", Row: int(r.Index), Count: 1, Err: ErrNotFinite, Detail: "score is NaN or infinite"}
	}
	w := 1.0
	if t.spec.Weights {
		w = r.Weight
		switch {
		case math.IsNaN(w) || math.IsInf(w, 0):
			return &DataError{Column: "weights", Row: int(r.Index), Count: 1, Err: ErrNotFinite, Detail: "weight is NaN or infinite"}
		case w < 0:
			return &DataError{Column: "weights", Row: int(r.Index), Count: 1, Err: ErrNegative, Detail: "weight is negative"}
		}
	}
	fav := r.Prediction
	if !t.spec.Predictions {
		if t.opts.Direction == HigherIsUnfavorable {
			fav = r.Score < t.spec.Threshold
		} else {
			fav = r.Score >= t.spec.Threshold
		}
	}
	var c uint8
	switch {
	case r.Label && fav:
		c = cTP
	case !r.Label && fav:
		c = cFP
	case !r.Label && !fav:
		c = cTN
	default:
		c = cFN
	}
	f := t.group(r.Groups)
	f.t.w[c] += w
	f.t.w2[c] += w * w
	f.t.n[c]++
	t.rows++
	if t.spec.Scores {
		oriented := r.Score
		if t.opts.Direction == HigherIsUnfavorable {
			oriented = -r.Score
		}
		f.sc.Add(oriented, r.Label, w)
		if p := r.Score; p >= 0 && p <= 1 {
			nb := len(f.cal)
			k := min(int(p*float64(nb)), nb-1)
			y := r.Label
			if t.opts.Direction == HigherIsUnfavorable {
				y = !y
			}
			b := &f.cal[k]
			b.n++
			b.w += w
			b.s += w * p
			if y {
				b.y += w
			}
		} else {
			t.outside = true
		}
	}
	if f.boot != nil {
		poissonAdd(t.opts.Seed, r.Index, f.boot, c, w)
	}
	return nil
}

// group returns the accumulator of the intersection group with the given
// values, creating it on first sight.
func (t *Tally) group(values []string) *fineAcc {
	t.key = t.key[:0]
	for _, v := range values {
		t.key = binary.AppendUvarint(t.key, uint64(len(v)))
		t.key = append(t.key, v...)
	}
	if f, ok := t.fine[string(t.key)]; ok {
		return f
	}
	f := t.newFine(values)
	t.fine[string(t.key)] = f
	return f
}

func (t *Tally) newFine(values []string) *fineAcc {
	f := &fineAcc{values: make([]string, len(values))}
	for k, v := range values {
		f.values[k] = strings.Clone(v)
	}
	if t.spec.Scores {
		f.sc = &metric.ScoreCounts{MaxDistinct: t.opts.MaxDistinctScores}
		f.cal = make([]calAcc, t.opts.CalibrationBins)
	}
	if t.spec.Weights && t.opts.Bootstrap > 0 {
		f.boot = make([][4]float64, t.opts.Bootstrap)
	}
	return f
}

// Merge adds o's rows to t; o is unchanged. Both must have the same spec
// and the same accumulating options (Bootstrap, Seed, Direction,
// CalibrationBins, MaxDistinctScores), else Merge returns an ErrOption
// error and t is unchanged.
func (t *Tally) Merge(o *Tally) error {
	if !slices.Equal(t.spec.Groups, o.spec.Groups) || t.spec.Predictions != o.spec.Predictions || t.spec.Scores != o.spec.Scores ||
		t.spec.Weights != o.spec.Weights || (!t.spec.Predictions && t.spec.Threshold != o.spec.Threshold) {
		return optionError("merging tallies of different row shapes (%+v and %+v)", t.spec, o.spec)
	}
	a, b := t.opts, o.opts
	if a.Bootstrap != b.Bootstrap || a.Seed != b.Seed || a.Direction != b.Direction || a.CalibrationBins != b.CalibrationBins ||
		a.MaxDistinctScores != b.MaxDistinctScores {
		return optionError("merging tallies with different bootstrap, seed, direction, calibration bins or distinct-score limit")
	}
	t.rows += o.rows
	t.outside = t.outside || o.outside
	for k, of := range o.fine {
		f, ok := t.fine[k]
		if !ok {
			f = t.newFine(of.values)
			t.fine[k] = f
		}
		f.add(of)
	}
	return nil
}

// add adds o's counts to f.
func (f *fineAcc) add(o *fineAcc) {
	f.t.addTally(&o.t)
	if f.sc != nil {
		f.sc.Merge(o.sc)
		for k := range f.cal {
			f.cal[k].n += o.cal[k].n
			f.cal[k].w += o.cal[k].w
			f.cal[k].s += o.cal[k].s
			f.cal[k].y += o.cal[k].y
		}
	}
	for r := range f.boot {
		for c := range 4 {
			f.boot[r][c] += o.boot[r][c]
		}
	}
}

// poisson1 holds P(K <= k) for K ~ Poisson(1), k = 0..11, scaled to 2^64:
// e^-1 * sum_{j<=k} 1/j!. Beyond 11 the tail is below 2^-64 * 10^-8.
var poisson1 = func() [12]uint64 {
	var out [12]uint64
	p, cum := math.Exp(-1), 0.0
	for k := range out {
		cum += p
		p /= float64(k + 1)
		out[k] = uint64(math.Min(cum, 1-0x1p-53) * 0x1p64)
	}
	return out
}()

// poissonAdd adds the row's weight times its Poisson(1) multiplicity in
// every replicate to that replicate's cell c.
func poissonAdd(seed, index uint64, boot [][4]float64, c uint8, w float64) {
	base := splitmix64(seed ^ 0x6a09e667f3bcc909 ^ splitmix64(index))
	for r := range boot {
		u := splitmix64(base + uint64(r)*0x9e3779b97f4a7c15)
		k := 0
		for k < len(poisson1) && u >= poisson1[k] {
			k++
		}
		if k > 0 {
			boot[r][c] += float64(k) * w
		}
	}
}

// Report audits the rows tallied, as Audit does: each group column alone
// and, when there are several, their intersection. The context is checked
// during the bootstrap. An empty tally is an ErrEmpty error.
func (t *Tally) Report(ctx context.Context) (*Report, error) {
	if t.rows == 0 {
		return nil, columnError("labels", ErrEmpty, "no rows")
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	o := t.opts
	fines := make([]*fineAcc, 0, len(t.fine))
	for _, f := range t.fine {
		fines = append(fines, f)
	}
	slices.SortFunc(fines, func(x, y *fineAcc) int { return slices.CompareFunc(x.values, y.values, compareGroups) })
	a := &audit{opts: o, z: normalQuantile(o.Level), scored: t.spec.Scores, probs: t.spec.Scores && !t.outside, fines: fines}
	a.partSpecs(t.spec.Groups)
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
		Direction: o.Direction, Threshold: t.spec.Threshold,
		Predicted: t.spec.Predictions, Scored: t.spec.Scores, Weighted: t.spec.Weights,
		Rows: t.rows,
	}
	if t.spec.Predictions {
		rep.Threshold = 0
	}
	all := a.newGroupAcc()
	for _, f := range fines {
		all.add(f)
	}
	rep.Overall = a.group(OverallName, nil, all)
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

// partSpecs describes each group column alone (when there are several)
// and the intersection, in terms of the sorted intersection groups.
func (a *audit) partSpecs(names []string) {
	k := len(names)
	if k > 1 {
		for c := 0; c < k; c++ {
			var levels []string
			for _, f := range a.fines {
				levels = append(levels, f.values[c])
			}
			slices.SortFunc(levels, compareGroups)
			levels = slices.Compact(levels)
			ps := partSpec{attribute: names[c], columns: []string{names[c]}, fineTo: make([]int, len(a.fines))}
			for _, v := range levels {
				ps.groups = append(ps.groups, []string{v})
			}
			for fi, f := range a.fines {
				ps.fineTo[fi], _ = slices.BinarySearchFunc(levels, f.values[c], compareGroups)
			}
			a.parts = append(a.parts, ps)
		}
	}
	ps := partSpec{attribute: strings.Join(names, " & "), columns: slices.Clone(names), fineTo: make([]int, len(a.fines))}
	for fi, f := range a.fines {
		ps.groups = append(ps.groups, slices.Clone(f.values))
		ps.fineTo[fi] = fi
	}
	a.parts = append(a.parts, ps)
}

// groupAcc is a partition group's merged counts.
type groupAcc struct {
	t   tally
	sc  *metric.ScoreCounts
	cal []calAcc
}

func (a *audit) newGroupAcc() *groupAcc {
	g := &groupAcc{}
	if a.scored {
		g.sc = &metric.ScoreCounts{MaxDistinct: a.opts.MaxDistinctScores}
		g.cal = make([]calAcc, a.opts.CalibrationBins)
	}
	return g
}

func (g *groupAcc) add(f *fineAcc) {
	g.t.addTally(&f.t)
	if g.sc == nil {
		return
	}
	g.sc.Merge(f.sc)
	for k := range g.cal {
		g.cal[k].n += f.cal[k].n
		g.cal[k].w += f.cal[k].w
		g.cal[k].s += f.cal[k].s
		g.cal[k].y += f.cal[k].y
	}
}

func (a *audit) group(name string, values []string, acc *groupAcc) Group {
	t := &acc.t
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
	if !a.scored {
		g.AUC = undefined(reasonNoScores)
		return g
	}
	if v := acc.sc.AUC(); math.IsNaN(v) {
		g.AUC = undefined(reasonAUCOneOutcome)
	} else {
		g.AUC = defined(v)
		if !acc.sc.Exact() {
			a.pooled = append(a.pooled, pooledAUC{group: name, bound: acc.sc.AUCErrorBound()})
		}
	}
	g.Calibration = a.calibration(acc.cal)
	return g
}

// pooledAUC names a group whose AUC came from pooled scores.
type pooledAUC struct {
	group string
	bound float64
}

func (a *audit) calibration(bins []calAcc) *Calibration {
	if !a.probs {
		u := undefined(reasonNotProbs)
		return &Calibration{MeanScore: u, ObservedRate: u, ECE: u}
	}
	nb := len(bins)
	var tot calAcc
	for _, b := range bins {
		tot.n += b.n
		tot.w += b.w
		tot.s += b.s
		tot.y += b.y
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

func (a *audit) partition(pi int, overall *Group) (Partition, error) {
	ps := &a.parts[pi]
	p := Partition{Attribute: ps.attribute, Columns: ps.columns, Reference: OverallName}
	accs := make([]*groupAcc, len(ps.groups))
	for gi := range accs {
		accs[gi] = a.newGroupAcc()
	}
	for fi, f := range a.fines {
		accs[ps.fineTo[fi]].add(f)
	}
	p.Groups = make([]Group, len(ps.groups))
	for gi, vals := range ps.groups {
		p.Groups[gi] = a.group(groupName(vals), vals, accs[gi])
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
