package fit

import (
	"context"
	"fmt"
	"maps"
	"math"
	"runtime"
	"slices"
	"sync"

	"github.com/candorscore/candor/internal/metric"
	"github.com/candorscore/candor/score"
)

// Defaults of BoostedOptions: InterpretML's ExplainableBoostingClassifier's
// documented defaults (interpret 0.7.8, the EBMClassifier signature in
// python/interpret-core/interpret/glassbox/_ebm.py), the method Boosted
// implements, but for two, each set by a stated principle and never by a
// score on a data set in the repository:
//
//   - max_leaves 3 (0.7.8: 2): InterpretML's own default for
//     classification from 0.5.0 through 0.6.x (changed to 2 in January
//     2025, commit f402539a); its hyperparameter guide
//     (docs/interpret/hyperparameters.md) says "Datasets with categoricals
//     or continuous features with many sharp transitions often benefit
//     from max_leaves being 3", and credit and CRM files are full of
//     categoricals and thresholds.
//   - learning rate 0.1 (0.7.8: 0.015): Friedman ("Greedy function
//     approximation", Annals of Statistics 2001, section 5) found shrinkage
//     of at most 0.1 gives the best accuracy, with diminishing returns
//     below; 0.1 is the default of scikit-learn's HistGradientBoosting and
//     of LightGBM, and InterpretML's guide lists 0.1 in its search range
//     and says a lower rate is not generally better for EBMs. At 0.015 a
//     fit needs 6 to 7 times the rounds (40 times with 2 leaves).
//
// The rest are 0.7.8's: 75 smoothing_rounds of random cuts, greedy_ratio
// 10, max_rounds 50000, early_stopping_rounds 100 with
// early_stopping_tolerance 1e-5, validation_size 0.15, 14 outer_bags,
// min_samples_leaf 4, min_hessian 1e-4, max_bins 1024, cat_smooth 10,
// min_cat_samples 10, gain_scale 5, missing "separate", random_state 42,
// and interactions "3x" (three pairs per feature,
// BoostedAutoInteractions).
const (
	DefaultBoostedMaxBins         = 1024  // EBM max_bins: range pre-bins per numeric feature
	DefaultBoostedLearningRate    = 0.1   // Friedman 2001, sec. 5 (EBM 0.7.8: 0.015)
	DefaultBoostedMaxRounds       = 50000 // EBM max_rounds (a round: one step per term)
	DefaultBoostedEarlyStopping   = 100   // EBM early_stopping_rounds
	DefaultBoostedTolerance       = 1e-5  // EBM early_stopping_tolerance (relative)
	DefaultBoostedValidationSize  = 0.15  // EBM validation_size
	DefaultBoostedOuterBags       = 14    // EBM outer_bags
	DefaultBoostedMinSamplesLeaf  = 4     // EBM min_samples_leaf
	DefaultBoostedMaxLeaves       = 3     // EBM max_leaves through 0.6.x (0.7.8: 2)
	DefaultBoostedMinHessian      = 1e-4  // EBM min_hessian
	DefaultBoostedCatSmooth       = 10.0  // EBM cat_smooth
	DefaultBoostedSmoothingRounds = 75    // EBM smoothing_rounds (and interaction_smoothing_rounds)
	DefaultBoostedGreedyRatio     = 10.0  // EBM greedy_ratio
	DefaultBoostedGainScale       = 5.0   // EBM gain_scale (categorical gains in the greedy choice)
	DefaultBoostedMinCategoryRows = 10    // EBM min_cat_samples
	BoostedInteractionsPerFeature = 3     // EBM interactions="3x"
	defaultBoostedSeed            = 42    // EBM random_state; used when Seed is nil
	boostedMaxBinsLimit           = 65534 // bin indexes are uint16, missing included
	boostedMinBagRows             = 2     // inner training and validation rows per bag
	boostedLeafFloor              = 1e-300
)

// BoostedAutoInteractions as BoostedOptions.Interactions asks for
// InterpretML's default number of pairs: BoostedInteractionsPerFeature
// times the number of input features (its interactions="3x").
const BoostedAutoInteractions = -1

// BoostedOptions control Boosted. The zero value (or nil) means the
// defaults (the Default* constants).
type BoostedOptions struct {
	// NonEvent and MaxLevels: see LogisticOptions.
	NonEvent  string
	MaxLevels int
	// MaxBins is the most range pre-bins of a numeric feature (0 =
	// DefaultBoostedMaxBins): cut points at quantiles of the training
	// values, each the plainest number between the neighbouring distinct
	// values either side of it (see quantileCuts), so a feature
	// with fewer distinct values has one bin per value. Missing values
	// always have a bin of their own; categorical features have one bin per
	// level.
	MaxBins int
	// LearningRate shrinks every boosting step (0 = DefaultBoostedLearningRate).
	LearningRate float64
	// MaxRounds bounds the boosting steps of a bag's stage to MaxRounds
	// times its terms (0 = DefaultBoostedMaxRounds).
	MaxRounds int
	// SmoothingRounds is the number of first rounds whose steps cut each
	// term at random (InterpretML's smoothing_rounds; 0 =
	// DefaultBoostedSmoothingRounds, negative = none). It applies to the
	// pairs' stage too (its interaction_smoothing_rounds).
	SmoothingRounds int
	// GreedyRatio is the number of greedy steps (on the term whose last
	// gain is largest) per refresh round, per term (0 =
	// DefaultBoostedGreedyRatio, negative = purely cyclic rounds).
	GreedyRatio float64
	// EarlyStoppingRounds stops a bag's stage when the best validation
	// log-loss of its last EarlyStoppingRounds rounds is not better by
	// Tolerance (relative) than the best before them; the stage keeps its
	// best round (0 = DefaultBoostedEarlyStopping). The loss is measured
	// once a round.
	EarlyStoppingRounds int
	// Tolerance is the relative improvement of the validation log-loss that
	// counts (0 = DefaultBoostedTolerance).
	Tolerance float64
	// ValidationSize is the share of training rows each bag holds out for
	// early stopping, drawn stratified by the event (0 =
	// DefaultBoostedValidationSize). The held-out rows are training rows:
	// nothing outside the table given to Boosted is seen.
	ValidationSize float64
	// OuterBags is the number of fits, each on its own random validation
	// split, whose shapes are averaged (0 = DefaultBoostedOuterBags). Bags
	// run in parallel; the result does not depend on how many run at once.
	OuterBags int
	// MinSamplesLeaf is the fewest training rows on each side of a split
	// (0 = DefaultBoostedMinSamplesLeaf).
	MinSamplesLeaf int
	// MaxLeaves is the most leaves of a boosting step's tree over one
	// feature's range bins or categories (0 = DefaultBoostedMaxLeaves); the
	// missing bin and special codes of a numeric feature are leaves of
	// their own besides.
	MaxLeaves int
	// MinHessian is the smallest hessian sum on each side of a split (0 =
	// DefaultBoostedMinHessian).
	MinHessian float64
	// Seed seeds every random choice (the validation splits); nil means
	// 42. The same table, options and seed give the same model file.
	Seed *uint64
	// Trends declares shapes for numeric features: TrendAscending (the
	// event log-odds never fall as the value rises: points never rise),
	// TrendDescending, TrendPeak (the log-odds rise, then fall) or
	// TrendValley. Every boosting step of an ascending or descending
	// feature is itself monotone in that direction, so the fitted shape is
	// monotone exactly; a peak or valley shape is projected after the bags
	// are averaged onto the closest unimodal shape (count-weighted least
	// squares over the range bins: isotonic regression on each side of the
	// best turning point, see unimodal). The missing and special-code bins
	// are not constrained, and a feature with a trend is not paired. A
	// numeric feature's declared Feature.Trend (the features file's
	// "trend") counts when Trends does not name the feature. TrendAuto here
	// frees a declared feature; other trends are errors.
	Trends map[string]Trend
	// Smoothing, when positive, replaces each range bin's effect of a
	// numeric feature by the plain mean of the effects of the bins within
	// Smoothing bins of it (a moving average over bin positions, which
	// keeps a monotone shape monotone), after the bags are averaged.
	Smoothing int
	// Scaling maps log-odds to points (build it with score.NewScaling); nil
	// means score.NewScaling(600, 19, 50).
	Scaling *score.Scaling
	// Weights are per-table-row sample weights; nil means all ones.
	Weights []float64
	// Missing is the policy for a blank target cell (blank feature cells
	// are data: they fall in the missing bin).
	Missing MissingPolicy
	// Name and Version label the model (defaults "boosted" and "1").
	Name, Version string
	// Cutoff is the event probability at which the decision turns adverse;
	// 0 means 0.5.
	Cutoff score.Probability
	// Interactions is the number of pair terms to add after the main
	// effects (0: none; BoostedAutoInteractions: InterpretML's default,
	// three per feature): the pairs of features whose FAST interaction
	// strength on each bag's main-effect residuals ranks best on average
	// over the bags, each boosted in every bag as a table over coarse bins,
	// averaged and purified (see boostPairs in boosted_pairs.go).
	Interactions int
	// Unseen says what a category unseen in training scores, as
	// BinningOptions.Unseen does for a scorecard: UnseenError (the zero
	// value) makes it an error at scoring time; UnseenNeutral gives each
	// categorical main term an other bin of 0 points (the shapes are
	// centred, so 0 is the training customers' average effect);
	// UnseenRiskiest the lowest points of any of its categories. In a pair
	// term an unseen category adds 0 under either policy: there is no
	// evidence of how it interacts.
	Unseen UnseenPolicy
}

// BoostedFit is the result of Boosted.
type BoostedFit struct {
	// Model is a ScorecardModel: one BinnedTerm per input feature whose
	// bins carry the shape function in points (adjacent range bins with
	// equal points merged), and the base points as intercept.
	Model *score.Model
	// Rounds is the number of rounds each bag's main stage ran (a round:
	// as many steps as features), smoothing rounds included; the bag kept
	// its best round among them.
	Rounds []int
	// PairRounds is the same for each bag's pair stage (nil without pairs;
	// a round: as many steps as pairs).
	PairRounds []int
	// ValidationLogLoss is each bag's best mean validation log-loss.
	ValidationLogLoss []float64
	Rows              int     // rows used
	Dropped           int     // rows skipped for a blank target under MissingDrop
	OtherTarget       int     // rows skipped because their target is neither the event nor NonEvent
	Events            float64 // weighted events among the rows used
	AUC, KS           float64 // on the rows used, from the points
	// Pairs are the pair terms chosen (Interactions), strongest first.
	Pairs []BoostedPair
}

// boostOpts is BoostedOptions with the defaults filled in.
type boostOpts struct {
	maxBins, maxRounds, patience, bags, minLeaf, smoothing, window, maxLeaves, minCat int
	lr, tol, valSize, minHess, greedyRatio, catSmooth, gainScale                      float64
	seed                                                                              uint64
}

func (o *BoostedOptions) resolve() (boostOpts, error) {
	r := boostOpts{maxBins: o.MaxBins, maxRounds: o.MaxRounds, patience: o.EarlyStoppingRounds, bags: o.OuterBags,
		minLeaf: o.MinSamplesLeaf, window: o.Smoothing, maxLeaves: o.MaxLeaves, lr: o.LearningRate, tol: o.Tolerance,
		valSize: o.ValidationSize, minHess: o.MinHessian, seed: defaultBoostedSeed, greedyRatio: o.GreedyRatio,
		catSmooth: DefaultBoostedCatSmooth, gainScale: DefaultBoostedGainScale, minCat: DefaultBoostedMinCategoryRows}
	def := func(p *int, d int) {
		if *p == 0 {
			*p = d
		}
	}
	deff := func(p *float64, d float64) {
		if *p == 0 {
			*p = d
		}
	}
	switch {
	case o.SmoothingRounds == 0:
		r.smoothing = DefaultBoostedSmoothingRounds
	case o.SmoothingRounds > 0:
		r.smoothing = o.SmoothingRounds
	}
	switch {
	case o.GreedyRatio == 0:
		r.greedyRatio = DefaultBoostedGreedyRatio
	case o.GreedyRatio < 0 || math.IsNaN(o.GreedyRatio):
		r.greedyRatio = 0
	case math.IsInf(o.GreedyRatio, 1):
		return r, fmt.Errorf("%w: greedy ratio %v is not finite", score.ErrData, o.GreedyRatio)
	}
	def(&r.maxBins, DefaultBoostedMaxBins)
	def(&r.maxRounds, DefaultBoostedMaxRounds)
	def(&r.patience, DefaultBoostedEarlyStopping)
	def(&r.bags, DefaultBoostedOuterBags)
	def(&r.minLeaf, DefaultBoostedMinSamplesLeaf)
	def(&r.maxLeaves, DefaultBoostedMaxLeaves)
	deff(&r.lr, DefaultBoostedLearningRate)
	deff(&r.tol, DefaultBoostedTolerance)
	deff(&r.valSize, DefaultBoostedValidationSize)
	deff(&r.minHess, DefaultBoostedMinHessian)
	if o.Seed != nil {
		r.seed = *o.Seed
	}
	switch {
	case r.maxBins < 1 || r.maxBins > boostedMaxBinsLimit:
		return r, fmt.Errorf("%w: MaxBins %d is not in 1..%d", score.ErrData, o.MaxBins, boostedMaxBinsLimit)
	case r.maxRounds < 1 || r.patience < 1 || r.bags < 1 || r.minLeaf < 1 || r.maxLeaves < 1 || o.Smoothing < 0:
		return r, fmt.Errorf("%w: MaxRounds, EarlyStoppingRounds, OuterBags, MinSamplesLeaf and MaxLeaves must be positive and Smoothing not negative", score.ErrData)
	case !(r.lr > 0 && r.lr <= 1):
		return r, fmt.Errorf("%w: learning rate %v is not in (0, 1]", score.ErrData, o.LearningRate)
	case !(r.tol >= 0 && r.tol < 1):
		return r, fmt.Errorf("%w: tolerance %v is not in [0, 1)", score.ErrData, o.Tolerance)
	case !(r.valSize > 0 && r.valSize < 1):
		return r, fmt.Errorf("%w: validation size %v is not in (0, 1)", score.ErrData, o.ValidationSize)
	case !(r.minHess > 0) || !isFinite(r.minHess):
		return r, fmt.Errorf("%w: min hessian %v is not positive", score.ErrData, o.MinHessian)
	}
	return r, nil
}

// Boosted fits a boosted additive model of the event (target == event) on
// the input features of s: an Explainable Boosting Machine (Lou, Caruana
// and Gehrke, "Intelligible models for classification and regression",
// KDD 2012; Lou et al., KDD 2013, for the pairs), following InterpretML's
// EBM method and defaults, written for candor.
//
//  1. Every feature is pre-binned: numeric features into up to MaxBins
//     quantile bins, categorical features one bin per level, and a bin for
//     missing values (and one per declared special code).
//  2. Each of OuterBags bags draws its own stratified validation split of
//     the training rows and boosts from the inner training rows' base
//     log-odds (bag.boost): SmoothingRounds cyclic rounds, the features in
//     a fresh seeded order each round, each step one random cut of the
//     feature's bins; then refresh rounds (every feature's best step and
//     its gain at the current scores) each followed by GreedyRatio steps
//     per feature on the feature whose last gain is largest. A step is a
//     tree of up to MaxLeaves leaves on one feature (numeric range bins in
//     order; categories, those under 10 rows pooled, ordered by their
//     smoothed Newton step), grown best first by the Newton gain of the
//     log-loss, the missing and special-code bins leaves of their own,
//     each leaf moved by LearningRate times its Newton step (see
//     numericUpdate, categoricalUpdate, growTree). A bag stops when the
//     best validation log-loss of its last EarlyStoppingRounds rounds is
//     no better than before them, and keeps its best round.
//  3. With Interactions, pairs are ranked by their FAST strength in every
//     bag and boosted in every bag, from its main effects, by the same
//     schedule (boostPairs).
//  4. The bags' shapes (log-odds per bin) and pair tables are averaged;
//     each pair table is purified into its features' main effects; the
//     shapes are optionally smoothed, a peak or valley trend is projected,
//     and each is centred so that its training average is 0 (its share
//     moves to the intercept); a bin without training rows gets 0, the
//     population average.
//  5. Log-odds are scaled to points as a scorecard's are: points = Offset
//     - Factor * log-odds.
//
// The model is therefore an ordinary scorecard with fine bins:
// explanations, reason codes, recourse, audits, monitoring, PMML export and
// signing treat it like any other. The fit is deterministic: the same
// table, options and seed give a byte-identical model file whatever
// GOMAXPROCS is. It stops when ctx is cancelled.
func Boosted(ctx context.Context, t *score.Table, s *score.Schema, target, event string, opts *BoostedOptions) (*BoostedFit, error) {
	if opts == nil {
		opts = &BoostedOptions{}
	}
	o, err := opts.resolve()
	if err != nil {
		return nil, err
	}
	if err := opts.Unseen.check(); err != nil {
		return nil, err
	}
	sc := score.NewScaling(0, 0, 0)
	if opts.Scaling != nil {
		sc = *opts.Scaling
		if !(sc.Factor > 0) || !isFinite(sc.Factor) || !isFinite(sc.Offset) {
			return nil, fmt.Errorf("%w: scaling needs a positive finite factor and a finite offset", score.ErrData)
		}
	}
	d, err := scorecardDesign(t, s, target, event, opts.NonEvent, opts.MaxLevels, opts.Weights, opts.Missing)
	if err != nil {
		return nil, err
	}
	if err := checkLeaks(d, target, event); err != nil {
		return nil, err
	}
	nf := len(d.Inputs)
	dirs := make([]int8, nf)
	shapeTrend := make([]Trend, nf) // peak or valley, projected after the fit
	trends := map[string]Trend{}
	for _, k := range d.Inputs {
		// declared in the schema (the features file's "trend")
		if f := s.Feature(k); f.Kind == score.Numeric {
			switch f.Trend {
			case score.Ascending, score.Descending, score.Peak, score.Valley:
				trends[f.Name] = Trend(f.Trend)
			}
		}
	}
	maps.Copy(trends, opts.Trends)
	for _, name := range slices.Sorted(maps.Keys(trends)) {
		k := slices.IndexFunc(d.Inputs, func(i int) bool { return s.Feature(i).Name == name })
		if k < 0 {
			return nil, &score.FieldError{Feature: name, Err: fmt.Errorf("%w: trend declared for a feature that is not an input", score.ErrUnknownFeature)}
		}
		tr := trends[name]
		switch {
		case tr == "" || tr == TrendAuto:
		case s.Feature(d.Inputs[k]).Kind != score.Numeric:
			return nil, &score.FieldError{Feature: name, Err: fmt.Errorf("%w: a trend needs a numeric feature", score.ErrWrongKind)}
		case tr == TrendAscending:
			dirs[k] = 1
		case tr == TrendDescending:
			dirs[k] = -1
		case tr == TrendPeak || tr == TrendValley:
			shapeTrend[k] = tr
		default:
			return nil, &score.FieldError{Feature: name, Err: fmt.Errorf("%w: trend %q (a boosted model takes ascending, descending, peak or valley)", score.ErrData, tr)}
		}
	}
	n := len(d.Rows)
	fit := &BoostedFit{Rows: n, Dropped: d.Dropped, OtherTarget: d.OtherTarget}
	// 1. Pre-bins, features in parallel (each independent of the schedule).
	pre := make([]*preBins, nf)
	errs := make([]error, nf)
	parallel(nf, func(k int) {
		pre[k], errs[k] = newPreBins(s.Feature(d.Inputs[k]), d.Values[k], o.maxBins)
	})
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	y := make([]float64, n)
	for r, e := range d.Events {
		if e {
			y[r] = 1
			fit.Events += metric.Weight(d.Weights, r)
		}
	}
	for _, p := range pre {
		p.stats = p.binStats(d.Weights, y)
	}
	// 2. Bags, in parallel; each writes only its own slot.
	prob := &boostProblem{pre: pre, dirs: dirs, y: y, w: d.Weights, o: o}
	for k := range shapeTrend {
		if shapeTrend[k] != "" {
			prob.dirs[k] = 0
		}
	}
	bags := make([]*bagResult, o.bags)
	bagErrs := make([]error, o.bags)
	parallel(o.bags, func(b int) {
		bags[b], bagErrs[b] = prob.fitBag(ctx, b)
	})
	for _, err := range bagErrs {
		if err != nil {
			return nil, err
		}
	}
	// 2b. Pair terms (Interactions), ranked and boosted in every bag.
	np := opts.Interactions
	if np == BoostedAutoInteractions {
		np = BoostedInteractionsPerFeature * nf
	}
	trended := make([]bool, nf)
	for k := range trended {
		trended[k] = dirs[k] != 0 || shapeTrend[k] != ""
	}
	pairs, err := boostPairs(ctx, prob, bags, np, trended)
	if err != nil {
		return nil, err
	}
	// 3. Average (in bag order), purify the pairs, smooth, project the
	// peaks and valleys, centre.
	shapes := make([][]float64, nf)
	intercept := 0.0
	for k := range shapes {
		shapes[k] = make([]float64, len(pre[k].bins))
	}
	for _, bg := range bags {
		intercept += bg.intercept / float64(o.bags)
		for k, sh := range bg.shapes {
			for b, v := range sh {
				shapes[k][b] += v / float64(o.bags)
			}
		}
		fit.Rounds = append(fit.Rounds, bg.rounds)
		fit.ValidationLogLoss = append(fit.ValidationLogLoss, bg.loss)
	}
	var wsum float64
	for r := range n {
		wsum += metric.Weight(d.Weights, r)
	}
	intercept = pairs.purifyInto(prob, bags, shapes, intercept)
	if pairs != nil && len(pairs.pairs) > 0 {
		for _, bg := range bags {
			fit.PairRounds = append(fit.PairRounds, bg.pairSteps/len(pairs.pairs))
		}
	}
	for k, p := range pre {
		if o.window > 0 && p.ranges > 1 {
			shapes[k] = smoothShape(shapes[k], p.ranges, o.window)
		}
		if tr := shapeTrend[k]; tr != "" && p.ranges > 1 {
			w := make([]float64, p.ranges)
			for b := range w {
				w[b] = p.stats[b].count
			}
			copy(shapes[k], unimodal(shapes[k][:p.ranges], w, tr == TrendPeak))
		}
		var mean float64
		for b, st := range p.stats {
			mean += st.count * shapes[k][b] / wsum
		}
		intercept += mean
		for b, st := range p.stats {
			if st.count > 0 {
				shapes[k][b] -= mean
			} else {
				shapes[k][b] = 0
			}
		}
	}
	// 4. Points and the model.
	spec := score.Spec{Name: opts.Name, Version: opts.Version, Kind: score.ScorecardModel, Target: target, Event: event,
		Features: s.Features(), Intercept: sc.Offset - sc.Factor*intercept, Scaling: &sc, Cutoff: opts.Cutoff}
	if spec.Name == "" {
		spec.Name = "boosted"
	}
	if spec.Version == "" {
		spec.Version = "1"
	}
	points := make([]float64, n)
	for r := range points {
		points[r] = spec.Intercept
	}
	for k, p := range pre {
		term := p.term(shapes[k], sc.Factor)
		// Row effects by the unmerged bins (merging keeps every effect).
		for r, b := range p.col {
			e := -sc.Factor * shapes[k][b]
			if e == 0 {
				e = 0 // no negative zero
			}
			points[r] += e
			term.Baseline += metric.Weight(d.Weights, r) * e / wsum
		}
		if p.numeric {
			term.Stats = numericStats(d.Values[k], d.Weights)
			term.Stats.DataTrend = dataTrend(s.Feature(d.Inputs[k]), d.Values[k], y, d.Weights)
		} else {
			term.Stats = categoricalStats(d.Values[k], d.Weights)
			term.Bins = appendUnseenBin(term.Bins, opts.Unseen)
		}
		spec.Terms = append(spec.Terms, term)
	}
	spec.Terms = pairs.appendTerms(spec.Terms, prob, points, sc.Factor, wsum)
	if opts.Unseen != UnseenError {
		for j := range spec.Terms {
			if t := &spec.Terms[j]; t.Kind == score.PairTerm {
				unseenPairCells(t, s)
			}
		}
	}
	if pairs != nil {
		fit.Pairs = pairs.chosen
	}
	risk := make([]float64, n)
	for r, p := range points {
		risk[r] = -p
	}
	fit.AUC = metric.AUC(risk, d.Events, d.Weights)
	fit.KS = metric.KS(risk, d.Events, d.Weights)
	total := 0
	for _, r := range fit.Rounds {
		total += r
	}
	spec.Training = &score.Training{Rows: n, Dropped: d.Dropped, Events: fit.Events, Iterations: total,
		Converged: true, AUC: fit.AUC, KS: fit.KS, ScoreQuants: deciles(points)}
	m, err := score.NewModel(spec)
	if err != nil {
		return nil, err
	}
	fit.Model = m
	return fit, nil
}

// parallel runs f(0..n-1) on up to GOMAXPROCS goroutines. Each call must
// write only its own results, so the outcome does not depend on the
// schedule.
func parallel(n int, f func(i int)) {
	work := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				f(i)
			}
		}()
	}
	for i := range n {
		work <- i
	}
	close(work)
	wg.Wait()
}

// preBins is one feature's fine bins and every training row's bin.
type preBins struct {
	feature string
	numeric bool
	// bins: the range bins in order, then a bin per special code
	// (Feature.Special; numeric) or one category bin per level
	// (categorical); then the missing bin, last.
	bins    []score.Bin
	ranges  int      // numeric: the number of range bins; 0 for categorical
	inOrder []int    // numeric: 0, 1, ..., ranges-1 (the range bins in order, read only)
	col     []uint16 // col[r]: the bin of training row r
	stats   []binStat
}

type binStat struct{ count, events float64 }

// newPreBins bins one feature's training values.
func newPreBins(f score.Feature, vals []score.Value, maxBins int) (*preBins, error) {
	p := &preBins{feature: f.Name, numeric: f.Kind == score.Numeric, col: make([]uint16, len(vals))}
	if !p.numeric {
		levels := levelsOf(f, nonMissing(vals))
		if len(levels)+1 > boostedMaxBinsLimit {
			return nil, &score.FieldError{Feature: f.Name, Err: fmt.Errorf("%w: %d levels (at most %d)", score.ErrData, len(levels), boostedMaxBinsLimit-1)}
		}
		at := make(map[string]uint16, len(levels))
		for k, l := range levels {
			at[l] = uint16(k)
			p.bins = append(p.bins, score.Bin{Kind: score.CategoryBin, Categories: []string{l}})
		}
		miss := uint16(len(levels))
		p.bins = append(p.bins, score.Bin{Kind: score.MissingBin})
		for r, v := range vals {
			if v.IsMissing() {
				p.col[r] = miss
			} else {
				p.col[r] = at[v.Label()]
			}
		}
		return p, nil
	}
	special := f.SpecialCodes()
	xs := make([]float64, 0, len(vals))
	for _, v := range vals {
		if v.IsNum() && !slices.Contains(special, v.Float()) {
			xs = append(xs, v.Float())
		}
	}
	slices.Sort(xs)
	if len(special)+2 > boostedMaxBinsLimit {
		return nil, &score.FieldError{Feature: f.Name, Err: fmt.Errorf("%w: %d special codes (at most %d)", score.ErrData, len(special), boostedMaxBinsLimit-2)}
	}
	cuts := quantileCuts(xs, min(maxBins, boostedMaxBinsLimit-1-len(special)))
	p.ranges = len(cuts) + 1
	for k := 0; k <= len(cuts); k++ {
		b := score.Bin{Kind: score.RangeBin}
		if k > 0 {
			lo := cuts[k-1]
			b.Lower = &lo
		}
		if k < len(cuts) {
			hi := cuts[k]
			b.Upper = &hi
		}
		p.bins = append(p.bins, b)
	}
	for _, c := range special {
		p.bins = append(p.bins, score.Bin{Kind: score.SpecialBin, Special: &c})
	}
	p.bins = append(p.bins, score.Bin{Kind: score.MissingBin})
	p.inOrder = make([]int, p.ranges)
	for b := range p.inOrder {
		p.inOrder[b] = b
	}
	miss := uint16(len(p.bins) - 1)
	for r, v := range vals {
		if !v.IsNum() {
			p.col[r] = miss
			continue
		}
		x := v.Float()
		if i := slices.Index(special, x); i >= 0 {
			p.col[r] = uint16(p.ranges + i)
			continue
		}
		// the first cut above x is the bin's index
		k, _ := slices.BinarySearchFunc(cuts, x, func(c, x float64) int {
			if c <= x {
				return -1
			}
			return 1
		})
		p.col[r] = uint16(k)
	}
	return p, nil
}

func nonMissing(vals []score.Value) []score.Value {
	out := make([]score.Value, 0, len(vals))
	for _, v := range vals {
		if !v.IsMissing() {
			out = append(out, v)
		}
	}
	return out
}

// quantileCuts returns ascending cut points splitting the sorted values xs
// into at most maxBins bins: with no more distinct values than maxBins,
// one cut between each pair of neighbouring distinct values; otherwise the
// cuts next to the quantiles k/maxBins of xs. Each cut is the plainest
// number between the distinct values either side of it (plainestCut), so
// that a bin reads "0.1 or more", not "0.0675 or more" or float noise. A
// value equal to a cut belongs to the bin above it ([lower, upper)).
func quantileCuts(xs []float64, maxBins int) []float64 {
	distinct := 0
	for i := range xs {
		if i == 0 || xs[i] != xs[i-1] {
			distinct++
		}
	}
	var cuts []float64
	if distinct <= maxBins {
		for i := 1; i < len(xs); i++ {
			if xs[i] != xs[i-1] {
				cuts = append(cuts, plainestCut(xs[i-1], xs[i]))
			}
		}
		return cuts
	}
	n := len(xs)
	for k := 1; k < maxBins; k++ {
		i := int(int64(k) * int64(n) / int64(maxBins))
		if i <= 0 || i >= n {
			continue
		}
		// move to the next change of value at or after i
		j := i
		for j < n && xs[j] == xs[j-1] {
			j++
		}
		if j >= n {
			continue
		}
		c := plainestCut(xs[j-1], xs[j])
		if len(cuts) == 0 || c > cuts[len(cuts)-1] {
			cuts = append(cuts, c)
		}
	}
	return cuts
}

// binStats returns each bin's weighted training rows and events.
func (p *preBins) binStats(w, y []float64) []binStat {
	st := make([]binStat, len(p.bins))
	for r, b := range p.col {
		wr := metric.Weight(w, r)
		st[b].count += wr
		st[b].events += wr * y[r]
	}
	return st
}

// appendUnseenBin adds a categorical term's other bin under policy u:
// 0 points (neutral) or the lowest points of its category bins
// (riskiest); none under UnseenError.
func appendUnseenBin(bins []score.Bin, u UnseenPolicy) []score.Bin {
	if u == UnseenError {
		return bins
	}
	e := 0.0
	if u == UnseenRiskiest {
		e = math.Inf(1)
		for _, b := range bins {
			if b.Kind == score.CategoryBin {
				e = min(e, b.Effect)
			}
		}
		if math.IsInf(e, 1) {
			e = 0
		}
	}
	return append(bins, score.Bin{Kind: score.OtherBin, Effect: e})
}

// unseenPairCells gives each categorical axis of pair term t an other bin
// whose cells are 0 points: an unseen category adds nothing in a pair.
func unseenPairCells(t *score.Term, s *score.Schema) {
	pr := t.Pair
	na, nb := len(t.Bins), len(pr.Bins) // Effects and Counts are row-major, na x nb
	if f, _ := s.Lookup(t.Feature); f.Kind == score.Categorical {
		t.Bins = append(t.Bins, score.Bin{Kind: score.OtherBin})
		pr.Effects = append(pr.Effects, make([]float64, nb)...)
		if pr.Counts != nil {
			pr.Counts = append(pr.Counts, make([]float64, nb)...)
		}
		na++
	}
	if f, _ := s.Lookup(pr.Feature); f.Kind == score.Categorical {
		pr.Bins = append(pr.Bins, score.Bin{Kind: score.OtherBin})
		widen := func(v []float64) []float64 {
			if v == nil {
				return nil
			}
			out := make([]float64, 0, na*(nb+1))
			for r := range na {
				out = append(out, v[r*nb:(r+1)*nb]...)
				out = append(out, 0)
			}
			return out
		}
		pr.Effects, pr.Counts = widen(pr.Effects), widen(pr.Counts)
	}
}

// term turns a centred shape (log-odds per bin) into a BinnedTerm in
// points, merging neighbouring range bins whose points are equal.
func (p *preBins) term(shape []float64, factor float64) score.Term {
	t := score.Term{Feature: p.feature, Kind: score.BinnedTerm}
	for b, bin := range p.bins {
		bin.Effect = -factor * shape[b]
		if bin.Effect == 0 {
			bin.Effect = 0 // no negative zero in the file
		}
		bin.Count, bin.Events = p.stats[b].count, p.stats[b].events
		if n := len(t.Bins); b < p.ranges && n > 0 && t.Bins[n-1].Effect == bin.Effect {
			last := &t.Bins[n-1]
			last.Upper = bin.Upper
			last.Count += bin.Count
			last.Events += bin.Events
			continue
		}
		t.Bins = append(t.Bins, bin)
	}
	return t
}

// smoothShape replaces the first ranges effects of sh by their moving
// average over a window of half-width h (truncated at the ends).
func smoothShape(sh []float64, ranges, h int) []float64 {
	out := slices.Clone(sh)
	for i := range ranges {
		lo, hi := max(0, i-h), min(ranges-1, i+h)
		var s float64
		for k := lo; k <= hi; k++ {
			s += sh[k]
		}
		out[i] = s / float64(hi-lo+1)
	}
	return out
}
