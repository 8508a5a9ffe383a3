package fit

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/candorscore/candor/internal/glm"
	"github.com/candorscore/candor/internal/metric"
	"github.com/candorscore/candor/internal/report"
	"github.com/candorscore/candor/score"
)

// ErrSignCheck: a scorecard feature's coefficient runs against its event
// rate (points that reward risk) and the sign policy is SignRefuse.
var ErrSignCheck = errors.New("scorecard coefficient has the wrong sign")

// SignPolicy says what Scorecard does when the logistic coefficient of a
// feature's WoE column has the wrong sign.
//
// The regression is log-odds(event) = b0 + sum_j b_j * WoE_j(x_j). WoE is
// positive for bins safer than average, so a sound coefficient b_j is
// negative (a lone WoE column gets exactly b_j = -1). A b_j >= 0 means the
// feature's points would fall where its event rate falls: the classic
// scorecard defect, usually from collinear features.
type SignPolicy string

const (
	// SignDrop (the zero value) drops the feature with the most wrong
	// coefficient, refits, and repeats until every coefficient is sound;
	// each drop is reported.
	SignDrop SignPolicy = ""
	// SignRefuse makes any wrong sign an ErrSignCheck error naming the features.
	SignRefuse SignPolicy = "refuse"
)

// ScorecardOptions control Scorecard. The zero value (or nil) means the
// defaults: automatic binning with BinningOptions defaults, no IV floor
// (DefaultMinIV) and no redundancy screen, special codes and
// trends as the schema declares them (Feature.Special, Feature.Trend;
// undeclared trends chosen by ChooseTrend, and a feature whose best
// binning does not beat one bin by that criterion left out, see
// Binning.Evidence), sign check by dropping, no penalty, 600 points at 19:1
// non-event:event odds with 50 points to double the odds, unrounded points.
type ScorecardOptions struct {
	// Binning applies to every feature without an entry in FeatureBinning
	// or Bins; its Unseen policy to the categorical ones only.
	Binning BinningOptions
	// FeatureBinning overrides Binning for the named features (special
	// codes, trend, unseen-label policy ...).
	FeatureBinning map[string]BinningOptions
	// Bins gives hand-made (or edited: see Binning.Spec and Binning.Merge)
	// bins for the named features; their statistics are recomputed on the
	// training data.
	Bins map[string]BinSpec
	// Selection controls the IV and redundancy screens.
	Selection SelectionOptions
	// Sign is the policy for coefficients of the wrong sign.
	Sign SignPolicy
	// L2 is a ridge penalty on the WoE coefficients (0 = maximum likelihood).
	L2 float64
	// Scaling maps points to odds (build it with score.NewScaling); nil
	// means score.NewScaling(600, 19, 50).
	Scaling *score.Scaling
	// Round rounds every bin's points and the base points to integers. The
	// model's log-odds are then those of the rounded points (Model.Link), so
	// scores and probabilities stay consistent.
	Round bool
	// Weights are per-table-row sample weights; nil means all ones.
	Weights []float64
	// Missing is the policy for a blank target cell (blank feature cells
	// are data: they fall in the missing bin).
	Missing MissingPolicy
	// Special says what to do with undeclared values that look like codes
	// (SuspectCodes): SpecialDeclared (the zero value) reports them in
	// ScorecardFit.Suspects only; SpecialAuto also gives each its own bin,
	// as if declared, and records it in the model's schema.
	Special SpecialPolicy
	// Name and Version label the model (defaults "scorecard" and "1").
	Name, Version string
	// Cutoff is the event probability at which the decision turns adverse;
	// 0 means 0.5.
	Cutoff score.Probability
	// NonEvent names the target's other class; see LogisticOptions.NonEvent.
	NonEvent string
	// MaxLevels caps a categorical input's levels; see LogisticOptions.MaxLevels.
	MaxLevels int
}

// SpecialPolicy says which values of a numeric feature get bins of their
// own besides the declared special codes.
type SpecialPolicy string

const (
	// SpecialDeclared: only the codes the schema declares (Feature.Special)
	// or BinningOptions.Special lists.
	SpecialDeclared SpecialPolicy = ""
	// SpecialAuto: also every suspect code SuspectCodes finds.
	SpecialAuto SpecialPolicy = "auto"
)

// suspectMeaning is the meaning recorded for a suspect code binned under
// SpecialAuto.
const suspectMeaning = "undeclared code"

// ScorecardFit is the result of Scorecard.
type ScorecardFit struct {
	// Model is the scorecard: a ScorecardModel whose terms are BinnedTerms
	// with each bin's points as its Effect, and whose intercept is the base
	// points.
	Model *score.Model
	// Binnings holds every input feature's binning, in schema order, kept
	// or not.
	Binnings []*Binning
	// Selection lists the features kept and why the others were dropped
	// (IV, redundancy, aliasing, sign check).
	Selection *SelectionReport
	// Suspects lists the undeclared values that look like special codes
	// (see SuspectCodes), in schema order; under SpecialAuto they were
	// binned as special values.
	Suspects []Suspect
	// Coefficients of the final regression: "(intercept)", then
	// "woe(feature)" per kept feature, in log-odds of the event per unit WoE.
	Coefficients []Coefficient
	Iterations   int
	Converged    bool
	LogLik       float64 // weighted log-likelihood of the final regression
	Rows         int     // rows used
	Dropped      int     // rows skipped for a blank target under MissingDrop
	OtherTarget  int     // rows skipped because their target is neither the event nor NonEvent
	Events       float64 // weighted events among the rows used
	AUC, KS      float64 // on the rows used, from the points
}

// Binning returns the named feature's binning, or nil.
func (f *ScorecardFit) Binning(feature string) *Binning {
	for _, b := range f.Binnings {
		if b.Feature == feature {
			return b
		}
	}
	return nil
}

// FormatBinnings renders every feature's binning table, kept features first
// (in schema order), then the dropped ones.
func (f *ScorecardFit) FormatBinnings() string {
	var b strings.Builder
	for _, pass := range []bool{true, false} {
		for _, bn := range f.Binnings {
			if slices.Contains(f.Selection.Kept, bn.Feature) == pass {
				b.WriteString(bn.Format())
			}
		}
	}
	return b.String()
}

// Scorecard fits a points scorecard of the event (target == event) on
// the input features of s:
//
//  1. every feature is binned (BinFeature, or ApplyBins for Bins), on the
//     weight-of-evidence convention ln(share of non-events / share of
//     events), positive = safer;
//  2. features are screened by information value and WoE correlation
//     (SelectFeatures), and those without evidence alone are left out
//     (Binning.Evidence);
//  3. a logistic regression of the event on the kept features' WoE columns,
//     log-odds = b0 + sum_j b_j WoE_j, is fitted, and coefficients with the
//     wrong sign (b_j >= 0) are handled by the SignPolicy; aliased columns
//     are dropped; a feature left out for no evidence alone is readmitted
//     when, given the kept features, its WoE column passes the
//     likelihood-ratio test at ReadmitLevel (SelectionReport.Readmitted);
//  4. log-odds are scaled to points: points = Offset - Factor * log-odds, so
//     the base points (the model's intercept) are Offset - Factor * b0 and
//     the points of bin k of feature j are -Factor * b_j * WoE_jk.
//
// Points therefore rise with WoE in every feature: where a binning's event
// rate is monotone, so are its points. Term.Baseline is each term's average
// points over the training rows.
func Scorecard(ctx context.Context, t *score.Table, s *score.Schema, target, event string, opts *ScorecardOptions) (*ScorecardFit, error) {
	if opts == nil {
		opts = &ScorecardOptions{}
	}
	if opts.L2 < 0 || !isFinite(opts.L2) {
		return nil, fmt.Errorf("%w: L2 penalty %v", score.ErrData, opts.L2)
	}
	if opts.Special != SpecialDeclared && opts.Special != SpecialAuto {
		return nil, fmt.Errorf("%w: special-value policy %q (want \"\" or auto)", score.ErrData, opts.Special)
	}
	if opts.Sign != SignDrop && opts.Sign != SignRefuse {
		return nil, fmt.Errorf("%w: sign policy %q", score.ErrData, opts.Sign)
	}
	sc := score.NewScaling(0, 0, 0)
	if opts.Scaling != nil {
		sc = *opts.Scaling
		if !(sc.Factor > 0) || !isFinite(sc.Factor) || !isFinite(sc.Offset) {
			return nil, fmt.Errorf("%w: scaling needs a positive finite factor and a finite offset", score.ErrData)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(opts.Bins)) {
		if f, ok := s.Lookup(name); !ok || f.Role != score.Input || f.Name == target {
			return nil, &score.FieldError{Feature: name, Err: fmt.Errorf("%w: bins given for a feature that is not an input", score.ErrUnknownFeature)}
		}
	}
	for _, name := range slices.Sorted(maps.Keys(opts.FeatureBinning)) {
		if f, ok := s.Lookup(name); !ok || f.Role != score.Input || f.Name == target {
			return nil, &score.FieldError{Feature: name, Err: fmt.Errorf("%w: binning options for a feature that is not an input", score.ErrUnknownFeature)}
		}
	}
	d, err := scorecardDesign(t, s, target, event, opts.NonEvent, opts.MaxLevels, opts.Weights, opts.Missing)
	if err != nil {
		return nil, err
	}
	if err := checkLeaks(d, target, event); err != nil {
		return nil, err
	}
	n := len(d.Rows)
	fit := &ScorecardFit{Rows: n, Dropped: d.Dropped, OtherTarget: d.OtherTarget}
	var wsum float64
	for r := 0; r < n; r++ {
		wsum += metric.Weight(d.Weights, r)
		if d.Events[r] {
			fit.Events += metric.Weight(d.Weights, r)
		}
	}
	// 1. Binning, WoE columns and bin positions.
	nf := len(d.Inputs)
	fit.Binnings = make([]*Binning, nf)
	woe := make([][]float64, nf)
	pos := make([][]int32, nf)
	// Features are binned in parallel (each independently, so the result
	// does not depend on the schedule); the first error in schema order wins.
	errs := make([]error, nf)
	suspects := make([][]Suspect, nf)
	work := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), nf) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range work {
				if err := ctx.Err(); err != nil {
					errs[k] = err
					continue
				}
				f := s.Feature(d.Inputs[k])
				var b *Binning
				var err error
				if spec, ok := opts.Bins[f.Name]; ok {
					b, err = ApplyBins(f, d.Values[k], d.Events, d.Weights, spec)
				} else {
					bo := opts.Binning
					if f.Kind == score.Numeric {
						bo.Unseen = UnseenError // the model-wide policy is for labels: a number is never unseen
					}
					if fo, ok := opts.FeatureBinning[f.Name]; ok {
						bo = fo
					}
					bo.Special = append(slices.Clone(bo.Special), f.SpecialCodes()...)
					if bo.Trend == "" && f.Trend != score.TrendAuto {
						bo.Trend = Trend(f.Trend)
					}
					if f.Kind == score.Numeric {
						suspects[k] = SuspectCodes(f, d.Values[k], d.Events, d.Weights)
						if opts.Special == SpecialAuto {
							for _, sp := range suspects[k] {
								bo.Special = append(bo.Special, sp.Value)
							}
						}
					}
					b, err = BinFeature(withSuspects(f, suspects[k], opts.Special), d.Values[k], d.Events, d.Weights, &bo)
				}
				if err == nil {
					fit.Binnings[k] = b
					woe[k], pos[k], err = b.columns(f, d.Values[k])
				}
				errs[k] = err
			}
		}()
	}
	for k := range nf {
		work <- k
	}
	close(work)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	for _, ss := range suspects {
		fit.Suspects = append(fit.Suspects, ss...)
	}
	// 2. Selection.
	rep, kept := SelectFeatures(fit.Binnings, woe, d.Weights, &opts.Selection)
	fit.Selection = rep
	// 3. Regression with the sign check.
	y := make([]float64, n)
	for r, e := range d.Events {
		if e {
			y[r] = 1
		}
	}
	one := ones(n)
	design := func(kept []int) ([][]float64, []string) {
		cols := [][]float64{one}
		names := []string{"(intercept)"}
		for _, k := range kept {
			cols = append(cols, woe[k])
			names = append(names, "woe("+fit.Binnings[k].Feature+")")
		}
		return cols, names
	}
	logistic := func(kept []int) (glm.Result, error) {
		cols, names := design(kept)
		res, err := glm.FitLogistic(ctx, glm.Problem{X: cols, Y: y, Weights: d.Weights, L2: opts.L2, Names: names}, nil)
		if err != nil {
			if errors.Is(err, glm.ErrSeparation) {
				return res, fmt.Errorf("%w: %v%s", score.ErrSeparation, err, separationHint(t, s, target, event, opts.NonEvent))
			}
			if cerr := ctx.Err(); cerr != nil {
				return res, cerr
			}
			return res, fmt.Errorf("%w: %v", score.ErrData, err)
		}
		return res, nil
	}
	// regress fits the kept features' WoE columns, dropping aliased
	// columns and (SignDrop) the most wrong coefficient, refitting until
	// nothing more is dropped.
	regress := func(kept []int) (glm.Result, []int, error) {
		for {
			if len(kept) == 0 {
				return glm.Result{}, nil, fmt.Errorf("%w: no feature left for the scorecard (see the selection report: %s)", score.ErrData, strings.TrimSpace(rep.Format()))
			}
			res, err := logistic(kept)
			if err != nil {
				return res, nil, err
			}
			var next []int
			worst, worstAt := 0.0, -1
			var wrong []string
			for c, k := range kept {
				b := fit.Binnings[k]
				switch {
				case res.Aliased[c+1]:
					reason := "WoE column is a linear combination of the other features' columns"
					for c2, k2 := range kept {
						if !res.Aliased[c2+1] && math.Abs(wcorr(woe[k], woe[k2], d.Weights)) >= 1-1e-9 {
							reason += fmt.Sprintf(": it is an exact linear function of %s's", fit.Binnings[k2].Feature)
							break
						}
					}
					rep.Dropped = append(rep.Dropped, DroppedFeature{Feature: b.Feature, Stage: DropAliased, IV: b.IV, Reason: reason})
					continue
				case res.Coef[c+1] >= 0:
					wrong = append(wrong, fmt.Sprintf("%s (%+.4g)", b.Feature, res.Coef[c+1]))
					if worstAt < 0 || res.Coef[c+1] > worst {
						worst, worstAt = res.Coef[c+1], k
					}
				}
				next = append(next, k)
			}
			if worstAt >= 0 && opts.Sign == SignRefuse {
				return res, nil, fmt.Errorf("%w: coefficients on WoE must be negative (points rising as the event rate falls); wrong: %s",
					ErrSignCheck, strings.Join(wrong, ", "))
			}
			if worstAt >= 0 {
				b := fit.Binnings[worstAt]
				rep.Dropped = append(rep.Dropped, DroppedFeature{Feature: b.Feature, Stage: DropWrongSign, IV: b.IV, Value: worst,
					Reason: fmt.Sprintf("coefficient on WoE %+.4f has the wrong sign (its points would run against its event rate); dropped and refitted", worst)})
				next = slices.DeleteFunc(next, func(k int) bool { return k == worstAt })
			}
			if len(next) == len(kept) {
				return res, kept, nil
			}
			kept = next
		}
	}
	res, kept, err := regress(kept)
	if err != nil {
		return nil, err
	}
	// 3b. Evidence given the others: a feature the univariate evidence
	// test left out is let back in when, added to the kept features, its
	// WoE column passes the likelihood-ratio test (readmit), the most
	// significant first, and the regression is refitted.
	tried := map[int]bool{}
	for {
		best, bestP, bestStat, bestDoF := -1, 1.0, 0.0, 0
		for k, b := range fit.Binnings {
			if tried[k] || !noEvidenceDrop(rep, b.Feature) {
				continue
			}
			with := append(slices.Clone(kept), k)
			r2, err := logistic(with)
			if err != nil {
				if cerr := ctx.Err(); cerr != nil {
					return nil, cerr
				}
				continue
			}
			if r2.Aliased[len(with)] || r2.Coef[len(with)] >= 0 {
				continue
			}
			stat, dof := 2*(r2.LogLik-res.LogLik), evidenceDoF(b)
			if p, ok := readmit(stat, dof); ok && p < bestP {
				best, bestP, bestStat, bestDoF = k, p, stat, dof
			}
		}
		if best < 0 {
			break
		}
		tried[best] = true
		b := fit.Binnings[best]
		rep.Dropped = slices.DeleteFunc(rep.Dropped, func(d DroppedFeature) bool { return d.Feature == b.Feature && d.Stage == DropNoEvidence })
		rep.Readmitted = append(rep.Readmitted, ReadmittedFeature{Feature: b.Feature, Stat: bestStat, DoF: bestDoF, P: bestP})
		next := append(slices.Clone(kept), best)
		slices.Sort(next)
		if res, kept, err = regress(next); err != nil {
			return nil, err
		}
	}
	rep.Kept = rep.Kept[:0]
	for _, k := range kept {
		rep.Kept = append(rep.Kept, fit.Binnings[k].Feature)
	}
	fit.Iterations, fit.Converged, fit.LogLik = res.Iterations, res.Converged, res.LogLik
	fit.Coefficients = append(fit.Coefficients, Coefficient{Name: "(intercept)", Estimate: res.Coef[0], StdErr: res.StdErr[0]})
	for c, k := range kept {
		fit.Coefficients = append(fit.Coefficients, Coefficient{Name: "woe(" + fit.Binnings[k].Feature + ")",
			Estimate: res.Coef[c+1], StdErr: res.StdErr[c+1]})
	}
	// 4. Points.
	round := func(x float64) float64 {
		if opts.Round {
			if x = math.Round(x); x == 0 {
				x = 0 // no negative zero
			}
		}
		return x
	}
	keptSet := map[string]bool{}
	for _, k := range kept {
		keptSet[fit.Binnings[k].Feature] = true
	}
	features := s.Features()
	for i := range features {
		if features[i].Role == score.Input && features[i].Name != target && !keptSet[features[i].Name] {
			features[i].Role = score.Ignored
		}
		if k := slices.Index(d.Inputs, i); k >= 0 {
			features[i] = withSuspects(features[i], suspects[k], opts.Special)
		}
	}
	spec := score.Spec{Name: opts.Name, Version: opts.Version, Kind: score.ScorecardModel, Target: target, Event: event,
		Features: features, Intercept: round(sc.Offset - sc.Factor*res.Coef[0]), Scaling: &sc, Cutoff: opts.Cutoff}
	if spec.Name == "" {
		spec.Name = "scorecard"
	}
	if spec.Version == "" {
		spec.Version = "1"
	}
	points := make([]float64, n)
	for r := range points {
		points[r] = spec.Intercept
	}
	for c, k := range kept {
		b := fit.Binnings[k]
		beta := res.Coef[c+1]
		term := score.Term{Feature: b.Feature, Kind: score.BinnedTerm, Bins: b.clone().Bins}
		for i := range term.Bins {
			term.Bins[i].Effect = round(-sc.Factor * beta * term.Bins[i].WoE)
		}
		for r, p := range pos[k] {
			e := term.Bins[p].Effect
			points[r] += e
			term.Baseline += metric.Weight(d.Weights, r) * e / wsum
		}
		if f := s.Feature(d.Inputs[k]); f.Kind == score.Numeric {
			term.Stats = numericStats(d.Values[k], d.Weights)
			term.Stats.DataTrend = dataTrend(f, d.Values[k], y, d.Weights)
		} else {
			term.Stats = categoricalStats(d.Values[k], d.Weights)
		}
		spec.Terms = append(spec.Terms, term)
	}
	risk := make([]float64, n)
	for r, p := range points {
		risk[r] = -p
	}
	fit.AUC = metric.AUC(risk, d.Events, d.Weights)
	fit.KS = metric.KS(risk, d.Events, d.Weights)
	spec.Training = &score.Training{Rows: n, Dropped: d.Dropped, Events: fit.Events, Iterations: res.Iterations,
		Converged: res.Converged, LogLik: res.LogLik, L2: opts.L2, AUC: fit.AUC, KS: fit.KS, ScoreQuants: deciles(points)}
	m, err := score.NewModel(spec)
	if err != nil {
		return nil, err
	}
	fit.Model = m
	return fit, nil
}

// withSuspects returns f with its suspect codes declared special (meaning
// suspectMeaning) under SpecialAuto, else f.
func withSuspects(f score.Feature, ss []Suspect, policy SpecialPolicy) score.Feature {
	if policy != SpecialAuto || len(ss) == 0 {
		return f
	}
	sp := maps.Clone(f.Special)
	if sp == nil {
		sp = map[string]string{}
	}
	for _, s := range ss {
		sp[strconv.FormatFloat(s.Value, 'g', -1, 64)] = suspectMeaning
	}
	f.Special = sp
	return f
}

// columns returns each row's weight of evidence and bin index.
func (b *Binning) columns(f score.Feature, vals []score.Value) ([]float64, []int32, error) {
	loc := newBinLocator(b)
	woe := make([]float64, len(vals))
	pos := make([]int32, len(vals))
	for r, v := range vals {
		p := loc.locate(v)
		if p < 0 {
			return nil, nil, &score.FieldError{Row: r + 1, Feature: f.Name, Value: v.String(), Err: fmt.Errorf("%w: value in no bin", score.ErrUnknownCategory)}
		}
		woe[r], pos[r] = b.Bins[p].WoE, int32(p)
	}
	return woe, pos, nil
}

// binLocator finds the bin of a value of a Binning.
type binLocator struct {
	uppers  []float64 // upper bounds of the range bins but the last, ascending
	rangeAt []int     // bin index of range bin k
	special map[float64]int
	labels  map[string]int
	missing int
	other   int
}

func newBinLocator(b *Binning) *binLocator {
	l := &binLocator{missing: -1, other: -1, special: map[float64]int{}, labels: map[string]int{}}
	for k, bin := range b.Bins {
		switch bin.Kind {
		case score.RangeBin:
			l.rangeAt = append(l.rangeAt, k)
			if bin.Upper != nil {
				l.uppers = append(l.uppers, *bin.Upper)
			}
		case score.CategoryBin:
			for _, c := range bin.Categories {
				l.labels[c] = k
			}
		case score.SpecialBin:
			l.special[*bin.Special] = k
		case score.MissingBin:
			l.missing = k
		case score.OtherBin:
			l.other = k
		}
	}
	return l
}

// locate returns the bin index of v, or -1.
func (l *binLocator) locate(v score.Value) int {
	switch {
	case v.IsMissing():
		return l.missing
	case v.IsCat():
		if k, ok := l.labels[v.Label()]; ok {
			return k
		}
		return l.other
	}
	if k, ok := l.special[v.Float()]; ok {
		return k
	}
	if len(l.rangeAt) == 0 {
		return -1
	}
	// first range whose upper bound exceeds v
	i, _ := slices.BinarySearchFunc(l.uppers, v.Float(), func(u, x float64) int {
		if u <= x {
			return -1
		}
		return 1
	})
	return l.rangeAt[i]
}

// scorecardDesign reads the target and the input features, keeping blank
// feature cells as missing values (scorecards bin them). A blank target is
// an error, or a dropped row under MissingDrop.
func scorecardDesign(t *score.Table, s *score.Schema, target, event, nonevent string, maxLevels int, weights []float64, policy MissingPolicy) (*Design, error) {
	tc, inputs, cols, err := designColumns(t, s, target, weights)
	if err != nil {
		return nil, err
	}
	other, err := targetClasses(t, tc, target, event, nonevent)
	if err != nil {
		return nil, err
	}
	if err := checkLevels(t, s, inputs, cols, maxLevels); err != nil {
		return nil, err
	}
	if err := checkDesign(t, s, inputs, cols, false); err != nil { // budget.go
		return nil, err
	}
	d := &Design{Schema: s, Inputs: inputs}
	if len(d.Inputs) == 0 {
		return nil, fmt.Errorf("%w: no input features", score.ErrData)
	}
	// Pass 1: the rows to use (target, weights, row structure).
	type rowErr struct {
		row int
		err error
	}
	var errs []rowErr
	for r := 0; r < t.Len(); r++ {
		if err := t.RowError(r); err != nil {
			errs = append(errs, rowErr{r, err})
			continue
		}
		y := t.Cell(r, tc)
		if y == "" {
			if policy == MissingDrop {
				d.Dropped++
				continue
			}
			errs = append(errs, rowErr{r, &score.FieldError{Row: r + 1, Feature: target, Err: score.ErrMissing}})
			continue
		}
		if other(y) {
			d.OtherTarget++
			continue
		}
		if fe := weightErr(weights, r); fe != nil {
			errs = append(errs, rowErr{r, fe})
			continue
		}
		d.Rows = append(d.Rows, r)
		d.Events = append(d.Events, y == event)
		if weights != nil {
			d.Weights = append(d.Weights, weights[r])
		}
	}
	// Pass 2: parse each input column, columns in parallel.
	d.Values = make([][]score.Value, len(d.Inputs))
	colErrs := make([][]*score.FieldError, len(d.Inputs))
	work := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(cols)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range work {
				f := s.Feature(d.Inputs[k])
				vals := make([]score.Value, len(d.Rows))
				for i, r := range d.Rows {
					v, fe := parseCell(&f, t.Cell(r, cols[k]), r)
					if fe != nil {
						colErrs[k] = append(colErrs[k], fe)
						continue
					}
					vals[i] = v
				}
				d.Values[k] = vals
			}
		}()
	}
	for k := range cols {
		work <- k
	}
	close(work)
	wg.Wait()
	// Gather every problem, one entry per row, in row order.
	byRow := map[int][]*score.FieldError{}
	for _, ce := range colErrs {
		for _, fe := range ce {
			byRow[fe.Row-1] = append(byRow[fe.Row-1], fe)
		}
	}
	for r, fes := range byRow {
		errs = append(errs, rowErr{r, &score.RecordError{Row: r + 1, Fields: fes}})
	}
	if errs != nil {
		slices.SortStableFunc(errs, func(a, b rowErr) int { return a.row - b.row })
		out := make([]error, 0, 21)
		for _, e := range errs[:min(len(errs), 20)] {
			out = append(out, e.err)
		}
		if len(errs) > 20 {
			out = append(out, fmt.Errorf("... and %d more rows with problems", len(errs)-20))
		}
		return nil, errors.Join(out...)
	}
	var ev, tot float64
	for r, e := range d.Events {
		tot += metric.Weight(d.Weights, r)
		if e {
			ev += metric.Weight(d.Weights, r)
		}
	}
	if len(d.Rows) == 0 || ev == 0 || ev == tot {
		return nil, fmt.Errorf("%w: target %q needs rows with event %q and rows without", score.ErrData, target, event)
	}
	return d, nil
}

// FormatScorecard renders the points table of a model's binned terms: per
// feature its bins with points, WoE (for a model whose bins carry none, a
// boosted one: the bin's effect in log-odds of the event) and training
// rows, then the base points and the scaling. Other terms are listed by
// kind only.
func FormatScorecard(m *score.Model) string {
	var b strings.Builder
	pf := func(x float64) string {
		if x == math.Trunc(x) && math.Abs(x) < 1e9 {
			return fmt.Sprintf("%.0f", x)
		}
		return fmt.Sprintf("%.2f", x)
	}
	fmt.Fprintf(&b, "scorecard %s (version %s): base points %s\n", m.Name(), m.Version(), pf(m.Intercept()))
	if sc, ok := m.Scaling(); ok {
		fmt.Fprintf(&b, "scaling: %g points at %g:1 non-event:event odds, %g points to double the odds (points = %.4f - %.4f * ln(event odds))\n",
			sc.BasePoints, sc.BaseOdds, sc.PDO, sc.Offset, sc.Factor)
	}
	// A model whose bins carry no WoE (a boosted one: its shapes are
	// boosted, not weights of evidence) shows each bin's effect in
	// log-odds of the event instead: points = Offset - Factor * ln(odds).
	col, factor := "woe", 0.0
	if sc, ok := m.Scaling(); ok && sc.Factor != 0 && !hasWoE(m) {
		col, factor = "log-odds", sc.Factor
	}
	fmt.Fprintf(&b, "%-34s %-40s %9s %8s %9s\n", "feature", "bin", "points", col, "rows")
	for j := 0; j < m.NumTerms(); j++ {
		t := m.Term(j)
		if t.Kind != score.BinnedTerm {
			fmt.Fprintf(&b, "%-34s (%s term)\n", report.Trunc(t.Feature, 34), t.Kind)
			continue
		}
		for k, bin := range t.Bins {
			name := ""
			if k == 0 {
				name = t.Feature
			}
			label := bin.Label
			if label == "" {
				label = binLabel(bin)
			}
			pts := pf(bin.Effect)
			if bin.Slope != 0 { // an imported affine partial score
				pts += fmt.Sprintf("%+gx", bin.Slope)
			}
			w := bin.WoE
			if factor != 0 {
				w = -bin.Effect / factor
				if w == 0 {
					w = 0 // no "-0.0000"
				}
			}
			fmt.Fprintf(&b, "%-34s %-40s %9s %8.4f %9s\n", report.Trunc(name, 34), report.Trunc(label, 40), pts, w, report.Count(bin.Count))
		}
	}
	return b.String()
}

// hasWoE reports whether some bin of m carries a weight of evidence.
func hasWoE(m *score.Model) bool {
	for j := 0; j < m.NumTerms(); j++ {
		for _, b := range m.Term(j).Bins {
			if b.WoE != 0 {
				return true
			}
		}
	}
	return false
}
