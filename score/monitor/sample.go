package monitor

import (
	"context"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/candorscore/candor/internal/metric"
	"github.com/candorscore/candor/internal/report"
	"github.com/candorscore/candor/score"
)

// Sample is the mergeable summary of one sample of rows (a baseline or a
// current sample) for monitoring one model: the distribution of the score,
// with the rows that could not be scored; for every model input, the
// counts PSI needs (per model bin for a binned term, per level for a
// categorical feature, per distinct value for a numeric one, with
// missing, unseen and invalid cells); and the performance on labelled
// rows (AUC, KS and calibration for a classifier, errors for a linear
// model). Rows are added one at a time (Add); samples of disjoint parts of
// the rows combine with Merge; Compare turns a baseline and a current
// sample into the Report that Run gives for the same rows. Baseline
// quantiles are computed from the baseline's counts at Compare time, so
// the two samples can be read in one pass, in any order, split in any
// way.
//
// Exactness: while a numeric variable (the score, a numeric input, the
// log-odds behind the AUC) has at most MaxDistinct distinct values its
// counts are exact, and so are its quantile cuts, bin counts, PSI, AUC and
// KS: equal to Run's in-memory figures, and with unit weights identical
// for any split. Past that limit the values are pooled on a fixed grid
// (metric.ScoreCounts); a pooled range that holds a cut is counted on the
// side of its lowest value, so a bin count is off by at most the weight of
// the ranges holding its two cuts. Sums of predicted probabilities (the
// mean predicted probability, the calibration table) and of a linear
// model's errors may differ from the in-memory sums in the last bits
// (another order of addition). Categorical inputs keep at most
// MaxLevels levels per sample; past it Compare fails with a *score.LimitError.
//
// A Sample is not safe for concurrent use; give each goroutine its own
// and Merge them. The model must be safe for concurrent use, as every
// *score.Model is.
type Sample struct {
	m      *score.Model
	opts   SampleOptions
	nCal   int
	schema []sampleFeature // every schema feature: its column and kind
	target int             // column of the model's target, -1 if absent
	// nonEvent is Options.NonEvent: "" counts every value but the event
	// as the non-event.
	nonEvent string
	rows     int
	errors   int
	score    *metric.ScoreCounts
	terms    []termCounts
	perf     perfCounts
	rec      score.Record
	bad      []bool // per schema feature: the cell did not parse
	ncols    int
}

// SampleOptions bound a Sample's memory. The zero value means the defaults.
type SampleOptions struct {
	// MaxDistinct is the number of distinct values of each numeric
	// variable kept exactly; 0 means 65,536.
	MaxDistinct int
	// MaxLevels is the number of levels of each categorical input kept;
	// 0 means score.DefaultLimitLevels (10,000).
	MaxLevels int
}

// DefaultMaxDistinct is SampleOptions.MaxDistinct's default.
const DefaultMaxDistinct = 1 << 16

type sampleFeature struct {
	col  int
	kind score.Kind
}

// termCounts are one model input's counts.
type termCounts struct {
	pair     bool // a pair term: never reported, so nothing is counted
	binned   bool
	cat      bool
	bins     []float64           // binned: per bin, then unseen, then invalid
	levels   map[string]float64  // categorical
	overflow bool                // categorical: more than MaxLevels levels
	values   *metric.ScoreCounts // numeric: distinct values
	missing  float64             // categorical and numeric
	invalid  float64             // numeric
	// named: the feature's values may be named (it is not Sensitive);
	// seen: up to MaxNamed of the values in the unseen (0) and invalid
	// (1) bins of a binned or numeric input, the smallest, sorted.
	named bool
	seen  [2][]string
}

// MaxNamed is the most values an (unseen) or (invalid) bin names
// (PSIBin.Values).
const MaxNamed = 5

// addNamed returns the sorted list xs with v in it, distinct, cut to the
// MaxNamed smallest: the same whatever order values come in or samples
// are merged in.
func addNamed(xs []string, v string) []string {
	i, found := slices.BinarySearch(xs, v)
	if found || i >= MaxNamed {
		return xs
	}
	xs = slices.Insert(xs, i, strings.Clone(v)) // cells may share a reused buffer
	if len(xs) > MaxNamed {
		xs = xs[:MaxNamed]
	}
	return xs
}

// mergeNamed is addNamed of every value of b into a copy of a.
func mergeNamed(a, b []string) []string {
	out := slices.Clone(a)
	for _, v := range b {
		out = addNamed(out, v)
	}
	return out
}

// perfCounts are the performance sums on labelled, scored rows.
type perfCounts struct {
	rows   int
	events float64
	logit  *metric.ScoreCounts // classification: log-odds by event
	sumPr  float64
	calN   []int
	calS   []float64
	calE   []float64
	// linear: Welford's running mean and sum of squares of the target,
	// and the sums of squared and absolute errors.
	mean, m2, sse, sae float64
	// classification: the rows of each target value other than the event
	// (at most maxTargetValues of them; more sets otherMany), for
	// checkTargets.
	other     map[string]float64
	otherMany bool
	// otherTarget: rows skipped for a target neither the event nor the
	// sample's non-event (Options.NonEvent).
	otherTarget int
}

// maxTargetValues bounds the target values other than the event that a
// sample keeps (checkTargets needs to know of one, two, or more).
const maxTargetValues = 8

// NewSample returns an empty sample of rows with the given header (the
// column names, in the order Add's cells come). Every model input must be
// a column (an error naming the feature otherwise). opts' calibration
// bins apply; nil means the defaults.
func NewSample(m *score.Model, header []string, opts *Options, limits *SampleOptions) (*Sample, error) {
	if opts == nil {
		opts = &Options{}
	}
	var so SampleOptions
	if limits != nil {
		so = *limits
	}
	if so.MaxDistinct <= 0 {
		so.MaxDistinct = DefaultMaxDistinct
	}
	if so.MaxLevels <= 0 {
		so.MaxLevels = score.DefaultLimitLevels
	}
	col := map[string]int{}
	for c, h := range header {
		if _, dup := col[h]; !dup {
			col[h] = c
		}
	}
	s := &Sample{m: m, opts: so, nCal: opts.CalibrationBins, target: -1, ncols: len(header), nonEvent: opts.NonEvent}
	if s.nCal <= 0 {
		s.nCal = 10
	}
	sch := m.Schema()
	s.schema = make([]sampleFeature, sch.Len())
	for i := range s.schema {
		f := sch.Feature(i)
		c, ok := col[f.Name]
		if !ok {
			c = -1
		}
		s.schema[i] = sampleFeature{col: c, kind: f.Kind}
	}
	for j := 0; j < m.NumTerms(); j++ {
		if s.schema[m.TermFeature(j)].col < 0 {
			return nil, &score.FieldError{Feature: m.Term(j).Feature, Err: fmt.Errorf("%w: model input missing from a sample", score.ErrUnknownFeature)}
		}
	}
	if c, ok := col[m.Target()]; ok && m.Target() != "" {
		s.target = c
	}
	s.init()
	return s, nil
}

// init allocates the counts.
func (s *Sample) init() {
	m := s.m
	s.score = &metric.ScoreCounts{MaxDistinct: s.opts.MaxDistinct}
	s.terms = make([]termCounts, m.NumTerms())
	for j := range s.terms {
		t := m.Term(j)
		tc := &s.terms[j]
		tc.named = !m.Schema().Feature(m.TermFeature(j)).Sensitive
		switch {
		case m.PairFeature(j) >= 0:
			tc.pair = true // Compare skips it: its features have their own terms
		case t.Kind == score.BinnedTerm:
			tc.binned = true
			tc.bins = make([]float64, len(t.Bins)+2)
		case s.schema[m.TermFeature(j)].kind == score.Categorical:
			tc.cat = true
			tc.levels = map[string]float64{}
		default:
			tc.values = &metric.ScoreCounts{MaxDistinct: s.opts.MaxDistinct}
		}
	}
	if m.Kind() != score.LinearModel {
		s.perf.logit = &metric.ScoreCounts{MaxDistinct: s.opts.MaxDistinct}
		s.perf.other = map[string]float64{}
		s.perf.calN = make([]int, s.nCal)
		s.perf.calS = make([]float64, s.nCal)
		s.perf.calE = make([]float64, s.nCal)
	}
	s.rec = make(score.Record, len(s.schema))
	s.bad = make([]bool, len(s.schema))
}

// Rows is the number of rows added (and merged); Errors how many of them
// could not be scored.
func (s *Sample) Rows() int { return s.rows }

// Errors is the number of rows added that could not be scored.
func (s *Sample) Errors() int { return s.errors }

// Add counts one data row: cells in the header's order (trimmed, a blank
// cell missing, as score.CSVReader returns them). A row that cannot be
// scored (a bad cell, an unknown category) is counted as unscorable and
// its cells still count for each input. A row with the wrong number of
// cells counts as AddBad.
func (s *Sample) Add(cells []string) {
	if len(cells) != s.cols() {
		s.AddBad()
		return
	}
	s.rows++
	ok := true
	for i, f := range s.schema {
		s.bad[i] = false
		if f.col < 0 {
			s.rec[i] = score.Missing()
			continue
		}
		v, err := score.ParseValue(f.kind, cells[f.col])
		if err != nil {
			s.bad[i], ok = true, false
			v = score.Missing()
		}
		s.rec[i] = v
	}
	var r score.Result
	var err error
	if ok {
		r, err = s.m.Score(s.rec)
		ok = err == nil
	}
	if !ok {
		s.errors++
	} else {
		s.score.Add(r.Score, false, 1)
	}
	for j := range s.terms {
		s.addTerm(j, cells)
	}
	if ok && s.target >= 0 {
		s.addPerf(r, cells[s.target])
	}
}

// cols is the number of cells a row must have.
func (s *Sample) cols() int { return s.ncols }

// AddBad counts a row that could not be read at all (a ragged CSV row):
// unscorable, and missing in every input, as a score.Table holds it.
func (s *Sample) AddBad() {
	s.rows++
	s.errors++
	for j := range s.terms {
		s.addTerm(j, nil)
	}
}

func (s *Sample) addTerm(j int, cells []string) {
	tc := &s.terms[j]
	if tc.pair {
		return
	}
	fi := s.m.TermFeature(j)
	cell := ""
	if cells != nil {
		cell = cells[s.schema[fi].col]
	}
	switch {
	case tc.binned:
		k := len(tc.bins) - 2
		v := score.Missing()
		if cells != nil {
			if s.bad[fi] {
				tc.bins[k+1]++
				tc.name(1, cell)
				return
			}
			v = s.rec[fi]
		}
		_, pos, err := s.m.Effect(j, v)
		if err != nil || pos < 0 {
			tc.bins[k]++
			tc.name(0, cell)
			return
		}
		tc.bins[pos]++
	case tc.cat:
		if cell == "" {
			tc.missing++
			return
		}
		if n, ok := tc.levels[cell]; ok {
			tc.levels[cell] = n + 1
			return
		}
		if len(tc.levels) >= s.opts.MaxLevels {
			tc.overflow = true
			return
		}
		tc.levels[strings.Clone(cell)] = 1 // cells may share a reused buffer
	default:
		switch {
		case cell == "":
			tc.missing++
		case cells != nil && s.bad[fi]:
			tc.invalid++
			tc.name(1, cell)
		default:
			tc.values.Add(s.rec[fi].Float(), false, 1)
		}
	}
}

// name notes a cell of the unseen (k = 0) or invalid (1) bin.
func (tc *termCounts) name(k int, cell string) {
	if tc.named && cell != "" {
		tc.seen[k] = addNamed(tc.seen[k], cell)
	}
}

func (s *Sample) addPerf(r score.Result, y string) {
	p := &s.perf
	if s.m.Kind() == score.LinearModel {
		v, err := score.ParseNumber(y)
		if err != nil || !isFinite(v) {
			return
		}
		p.rows++
		d := v - p.mean
		p.mean += d / float64(p.rows)
		p.m2 += d * (v - p.mean)
		e := v - r.Score
		p.sse += e * e
		p.sae += math.Abs(e)
		return
	}
	if y == "" {
		return
	}
	ev := y == s.m.Event()
	if !ev && s.nonEvent != "" && y != s.nonEvent {
		p.otherTarget++
		return
	}
	if !ev {
		p.addOther(y, 1)
	}
	p.rows++
	l := float64(r.LogOdds)
	p.logit.Add(l, ev, 1)
	pr := float64(score.LogOdds(l).Probability())
	p.sumPr += pr
	b := min(int(pr*float64(s.nCal)), s.nCal-1)
	p.calN[b]++
	p.calS[b] += pr
	if ev {
		p.events++
		p.calE[b]++
	}
}

// Merge adds o's rows to s; o is unchanged. Both must summarise the same
// model with the same header and options (an error otherwise).
func (s *Sample) Merge(o *Sample) error {
	if s.m.Fingerprint() != o.m.Fingerprint() || s.nCal != o.nCal || s.opts != o.opts || s.target != o.target || s.nonEvent != o.nonEvent ||
		!slices.Equal(s.schema, o.schema) {
		return fmt.Errorf("%w: merging samples of different models, headers or options", score.ErrData)
	}
	s.rows += o.rows
	s.errors += o.errors
	s.score.Merge(o.score)
	for j := range s.terms {
		a, b := &s.terms[j], &o.terms[j]
		for k := range a.bins {
			a.bins[k] += b.bins[k]
		}
		for l, n := range b.levels {
			if _, ok := a.levels[l]; !ok && len(a.levels) >= s.opts.MaxLevels {
				a.overflow = true
				continue
			}
			a.levels[l] += n
		}
		a.overflow = a.overflow || b.overflow
		if a.values != nil {
			a.values.Merge(b.values)
		}
		a.missing += b.missing
		a.invalid += b.invalid
		for k := range a.seen {
			a.seen[k] = mergeNamed(a.seen[k], b.seen[k])
		}
	}
	p, q := &s.perf, &o.perf
	if q.rows > 0 && s.m.Kind() == score.LinearModel {
		// Chan, Golub and LeVeque's pairwise update of mean and sum of squares.
		n := float64(p.rows + q.rows)
		d := q.mean - p.mean
		p.m2 += q.m2 + d*d*float64(p.rows)*float64(q.rows)/n
		p.mean += d * float64(q.rows) / n
	}
	p.rows += q.rows
	p.events += q.events
	p.sse += q.sse
	p.sae += q.sae
	p.sumPr += q.sumPr
	for v, n := range q.other {
		p.addOther(v, n)
	}
	p.otherMany = p.otherMany || q.otherMany
	p.otherTarget += q.otherTarget
	if p.logit != nil {
		p.logit.Merge(q.logit)
		for b := range p.calN {
			p.calN[b] += q.calN[b]
			p.calS[b] += q.calS[b]
			p.calE[b] += q.calE[b]
		}
	}
	return nil
}

// addOther counts n rows of target value v (not the event).
func (p *perfCounts) addOther(v string, n float64) {
	if _, ok := p.other[v]; !ok && len(p.other) >= maxTargetValues {
		p.otherMany = true
		return
	}
	p.other[v] += n
}

// checkTargets refuses labelled samples whose target does not hold the
// model's two classes: a value besides the event and one other (a third
// class, or the event written otherwise, "True" for "TRUE", which would
// count as a non-event and make the AUC meaningless), or a non-event
// written one way in the baseline and another in the current sample. The
// fit refuses a third value the same way, unless told the other class, as
// Options.NonEvent tells it here.
func checkTargets(m *score.Model, samples [2]*Sample) error {
	if m.Kind() == score.LinearModel || samples[0].target < 0 && samples[1].target < 0 {
		return nil
	}
	names := [2]string{"baseline", "current"}
	target := &score.FieldError{Feature: m.Target()}
	var nonEvent [2]string
	for k, s := range samples {
		p := &s.perf
		if s.target < 0 || len(p.other) == 0 {
			continue
		}
		vals := slices.Sorted(maps.Keys(p.other))
		if len(vals) > 1 || p.otherMany {
			var parts []string
			for _, v := range vals {
				parts = append(parts, fmt.Sprintf("%s (%s rows)", strconv.Quote(v), report.Count(p.other[v])))
			}
			if p.otherMany {
				parts = append(parts, "more")
			}
			hint := "name the other class (--nonevent, Options.NonEvent: rows of any other value are then skipped and counted) or leave those rows out"
			for _, v := range vals {
				if strings.EqualFold(strings.TrimSpace(v), m.Event()) {
					hint = fmt.Sprintf("%s is the event %s written otherwise: write it as the model does", strconv.Quote(v), strconv.Quote(m.Event()))
					break
				}
			}
			target.Err = fmt.Errorf("%w: the %s sample's target holds %s besides the event %s (%s rows): a model of two classes is monitored on the event and one other value; %s",
				score.ErrInvalidValue, names[k], strings.Join(parts, ", "), strconv.Quote(m.Event()), report.Count(p.events), hint)
			return target
		}
		nonEvent[k] = vals[0]
	}
	if nonEvent[0] != "" && nonEvent[1] != "" && nonEvent[0] != nonEvent[1] {
		target.Err = fmt.Errorf("%w: the non-event is written %s in the baseline sample and %s in the current one; write both as the training file does",
			score.ErrInvalidValue, strconv.Quote(nonEvent[0]), strconv.Quote(nonEvent[1]))
		return target
	}
	return nil
}

// Compare reports the stability of the score and of every model input
// between two samples of the same model, and the model's performance on
// each sample that carries the target column: Run's report for the same
// rows. opts' PSI bins and smoothing apply (nil means the defaults). ctx is
// checked between features.
func Compare(ctx context.Context, baseline, current *Sample, opts *Options) (*Report, error) {
	if opts == nil {
		opts = &Options{}
	}
	m := baseline.m
	if current.m.Fingerprint() != m.Fingerprint() {
		return nil, fmt.Errorf("%w: the baseline and current samples summarise different models", score.ErrData)
	}
	bins, sm := opts.PSI.resolved()
	rep := &Report{Model: m.Name(), Kind: m.Kind(), Fingerprint: m.Fingerprint(),
		BaselineRows: baseline.rows, CurrentRows: current.rows, Smoothing: sm, Bins: bins,
		BaselineErrors: baseline.errors, CurrentErrors: current.errors}
	if baseline.rows == 0 || current.rows == 0 {
		return nil, fmt.Errorf("%w: monitoring needs rows in both samples", score.ErrData)
	}
	if baseline.rows == baseline.errors {
		return nil, fmt.Errorf("%w: no row of the baseline could be scored (%d rows): its score quantiles place the bins", score.ErrData, baseline.rows)
	}
	// Rows that cannot be scored (an unseen category, a bad cell) are a bin
	// of their own in the score PSI, so a sample the model mostly cannot
	// score is never called stable, and one it cannot score at all is
	// compared like any other: every row in that bin.
	sp, err := countsPSI(baseline.score, current.score, float64(baseline.errors), float64(current.errors), 0, 0, bins, sm, false)
	if err != nil {
		return nil, err
	}
	for i := range sp.Bins {
		if sp.Bins[i].Label == "(missing)" {
			sp.Bins[i].Label = UnscorableBin
		}
	}
	sp.Feature = "(score)"
	rep.Score, rep.ScorePSI, rep.ScoreBand = sp, sp.Value, sp.Band
	for j := 0; j < m.NumTerms(); j++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if m.PairFeature(j) >= 0 {
			continue // a pair term's features are monitored by their own terms
		}
		p, err := termPSI(m, j, &baseline.terms[j], &current.terms[j], bins, sm, baseline.opts.MaxLevels)
		if err != nil {
			return nil, err
		}
		rep.Features = append(rep.Features, p)
	}
	if tr, ok := m.Training(); ok && (tr.AUC != 0 || tr.KS != 0) {
		rep.Training = &LabelledPerformance{Rows: tr.Rows, Events: tr.Events, AUC: tr.AUC, KS: tr.KS}
	}
	if err := checkTargets(m, [2]*Sample{baseline, current}); err != nil {
		return nil, err
	}
	rep.Baseline = baseline.performance()
	rep.Current = current.performance()
	return rep, nil
}

// countsPSI is NumericPSI over value counts: cuts at the baseline's
// quantiles, then a missing bin and, with invalidBin, an invalid bin.
func countsPSI(base, cur *metric.ScoreCounts, baseMissing, curMissing, baseInvalid, curInvalid float64, bins int, sm float64, invalidBin bool) (PSI, error) {
	cuts := quantileCuts(base.Quantile, nonZero(base), bins)
	labels := cutLabels(cuts)
	nb := binCounts(base, cuts)
	nc := binCounts(cur, cuts)
	nb = append(nb, baseMissing)
	nc = append(nc, curMissing)
	labels = append(labels, "(missing)")
	if !invalidBin {
		labels, nb, nc = dropEmptyExtras(labels, nb, nc, 1)
		return PSIFromCounts(labels, nb, nc, sm)
	}
	// As Run does with invalid cells: the unsmoothed bins, empty extras
	// dropped, then the invalid bin, then smoothing over all.
	labels, nb, nc = dropEmptyExtras(labels, nb, nc, 1)
	if sum(nb) == 0 || sum(nc) == 0 {
		return PSI{}, fmt.Errorf("%w: PSI needs a non-empty baseline and current sample", score.ErrData)
	}
	labels = append(labels, "(invalid)")
	nb = append(nb, baseInvalid)
	nc = append(nc, curInvalid)
	return PSIFromCounts(labels, nb, nc, sm)
}

func sum(xs []float64) float64 {
	t := 0.0
	for _, x := range xs {
		t += x
	}
	return t
}

func nonZero(c *metric.ScoreCounts) bool {
	ne, ev := c.Weight()
	return ne+ev > 0
}

// binCounts counts c's values in the bins [cut_{i-1}, cut_i) (numericBin's
// bins without the missing one). A pooled range goes to its lowest value's
// bin.
func binCounts(c *metric.ScoreCounts, cuts []float64) []float64 {
	out := make([]float64, len(cuts)+1)
	for _, r := range c.Ranges() {
		out[numericBin(cuts, r.Lo)] += r.NonEvents + r.Events
	}
	return out
}

// termPSI is featurePSI over counts.
func termPSI(m *score.Model, j int, b, c *termCounts, bins int, sm float64, maxLevels int) (PSI, error) {
	f := m.Schema().Feature(m.TermFeature(j))
	var out PSI
	var err error
	switch {
	case b.binned:
		t := m.Term(j)
		labels := make([]string, 0, len(t.Bins)+2)
		for _, bin := range t.Bins {
			labels = append(labels, binText(bin))
		}
		labels = append(labels, "(unseen)", "(invalid)")
		labels, nb, nc := dropEmptyExtras(labels, slices.Clone(b.bins), slices.Clone(c.bins), 2)
		out, err = PSIFromCounts(labels, nb, nc, sm)
	case b.cat:
		if b.overflow || c.overflow {
			return PSI{}, &score.FieldError{Feature: f.Name, Err: &score.LimitError{Limit: "levels of a categorical input in a monitored sample",
				Max: int64(maxLevels), Where: f.Name, Setting: "SampleOptions.MaxLevels"}}
		}
		levels := slices.Sorted(maps.Keys(b.levels))
		k := len(levels)
		nb := make([]float64, k+2)
		nc := make([]float64, k+2)
		for i, l := range levels {
			nb[i] = b.levels[l]
			nc[i] = c.levels[l]
		}
		nb[k], nc[k] = b.missing, c.missing
		for l, n := range c.levels {
			if _, ok := b.levels[l]; !ok {
				nc[k+1] += n
			}
		}
		labels := append(slices.Clone(levels), "(missing)", "(unseen)")
		labels, nb, nc = dropEmptyExtras(labels, nb, nc, 2)
		out, err = PSIFromCounts(labels, nb, nc, sm)
	default:
		invalid := b.invalid > 0 || c.invalid > 0
		out, err = countsPSI(b.values, c.values, b.missing, c.missing, b.invalid, c.invalid, bins, sm, invalid)
	}
	if err != nil {
		return PSI{}, &score.FieldError{Feature: f.Name, Err: err}
	}
	out.Feature = f.Name
	if c.named {
		for i := range out.Bins {
			bin := &out.Bins[i]
			switch {
			case bin.Label == "(unseen)" && b.cat:
				for _, l := range slices.Sorted(maps.Keys(c.levels)) {
					if _, ok := b.levels[l]; !ok && len(bin.Values) < MaxNamed {
						bin.Values = append(bin.Values, l)
					}
				}
			case bin.Label == "(unseen)":
				bin.Values = mergeNamed(b.seen[0], c.seen[0])
			case bin.Label == "(invalid)":
				bin.Values = mergeNamed(b.seen[1], c.seen[1])
			}
		}
	}
	return out, nil
}

// performance is Run's performance figures from the counts; nil without
// labelled rows.
func (s *Sample) performance() *LabelledPerformance {
	p := &s.perf
	if s.target < 0 || p.rows == 0 {
		return nil
	}
	out := &LabelledPerformance{Rows: p.rows, OtherTarget: p.otherTarget}
	n := float64(p.rows)
	if s.m.Kind() == score.LinearModel {
		out.RMSE, out.MAE = math.Sqrt(p.sse/n), p.sae/n
		if p.m2 > 0 {
			out.R2 = 1 - p.sse/p.m2
		}
		return out
	}
	out.Events = p.events
	out.MeanPredicted = p.sumPr / n
	out.ObservedRate = p.events / n
	out.AUC = p.logit.AUC()
	out.KS = p.logit.KS()
	for b := range p.calN {
		if p.calN[b] == 0 {
			continue
		}
		c := float64(p.calN[b])
		cb := CalibrationBin{Lower: float64(b) / float64(s.nCal), Upper: float64(b+1) / float64(s.nCal), Count: p.calN[b],
			MeanPredicted: p.calS[b] / c, ObservedRate: p.calE[b] / c}
		out.ECE += c / n * math.Abs(cb.MeanPredicted-cb.ObservedRate)
		out.Calibration = append(out.Calibration, cb)
	}
	return out
}
