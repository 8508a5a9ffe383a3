package fit

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"math/bits"
	"slices"

	"github.com/candorscore/candor/score"
)

// boostProblem is what every bag shares: the pre-binned features, the
// trend of each (+1 log-odds non-decreasing in the value, -1
// non-increasing, 0 free; peak and valley are projected after the fit),
// the 0/1 outcomes, the weights and the options.
type boostProblem struct {
	pre  []*preBins
	dirs []int8
	y, w []float64
	o    boostOpts
}

// bagResult is one bag's fit: the main effects' shapes (log-odds per bin)
// and intercept at the main stage's best round, and, after the pair
// stage, the pair tables at its best round.
type bagResult struct {
	shapes    [][]float64
	intercept float64
	rounds    int
	loss      float64
	// strengths: the FAST strength of each candidate pair on this bag's
	// residuals (pair stage only).
	strengths []float64
	tables    [][]float64
	pairSteps int
}

// splitMix is SplitMix64 (Steele, Lea and Flood, OOPSLA 2014): a generator
// whose output is fixed by its definition, so a seed means the same
// splits on every Go version.
type splitMix struct{ s uint64 }

func (r *splitMix) next() uint64 {
	r.s += 0x9e3779b97f4a7c15
	z := r.s
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// below returns a number in [0, n) (Lemire's multiply-shift; the bias is
// below 2^-40 for any n the fit uses).
func (r *splitMix) below(n int) int {
	hi, _ := bits.Mul64(r.next(), uint64(n))
	return int(hi)
}

func shuffle[T any](r *splitMix, xs []T) {
	for i := len(xs) - 1; i > 0; i-- {
		j := r.below(i + 1)
		xs[i], xs[j] = xs[j], xs[i]
	}
}

// bagSeed is the seed of bag b's draws (its validation split, its random
// cuts and its orders).
func (o boostOpts) bagSeed(b int) uint64 { return o.seed ^ (uint64(b)+1)*0xd1b54a32d192ed03 }

// validationSplit draws a stratified validation split of the rows: within
// the events and within the non-events, the first round(valSize * count)
// rows of a seeded shuffle are validation rows. It is the one split of a
// bag: its main effects and its pairs are boosted on it.
func (p *boostProblem) validationSplit(rng *splitMix) (train, valid []int32, err error) {
	var ev, nev []int32
	for r, y := range p.y {
		if y == 1 {
			ev = append(ev, int32(r))
		} else {
			nev = append(nev, int32(r))
		}
	}
	val := make([]bool, len(p.y))
	for _, grp := range [][]int32{ev, nev} {
		shuffle(rng, grp)
		nv := int(math.Round(p.o.valSize * float64(len(grp))))
		for _, r := range grp[:nv] {
			val[r] = true
		}
	}
	for r := range p.y {
		if val[r] {
			valid = append(valid, int32(r))
		} else {
			train = append(train, int32(r))
		}
	}
	if len(valid) < boostedMinBagRows || len(train) < boostedMinBagRows {
		return nil, nil, fmt.Errorf("%w: %d rows are too few for a validation split of %g", score.ErrData, len(p.y), p.o.valSize)
	}
	return train, valid, nil
}

// bag is the state of one bag's boosting: its split, the rows' scores,
// and the terms it boosts.
type bag struct {
	p            *boostProblem
	rng          *splitMix
	train, valid []int32
	ty, tw       []float64 // tw is nil when the fit is unweighted
	vw           []float64 // validation rows' weights (nil: unweighted)
	te           []float64 // inner training rows' event odds, exp(log-odds)
	// vu is each validation row's odds against its outcome: the event odds
	// of a non-event, their inverse for an event, so that its log-loss is
	// log(1 + vu). The non-events come first (nonEvents of them).
	vu         []float64
	nonEvents  int
	gr, hr     []float64    // per training row gradient and hessian (refresh rounds)
	factors    []float64    // exp of the pending update, per bin
	invFactors []float64    // exp of minus an update, per bin (validation)
	acc        [][2]float64 // zero scratch of the row loops: histCopies copies of a histogram
	terms      []*boostTerm
	pending    *boostTerm // the term whose last update the training odds lack
	intercept  float64
}

// boostTerm is one term a bag boosts: a main effect (one feature's fine
// bins) or a pair (the cells of its table, a cell index per row).
type boostTerm struct {
	feature    int       // the input position of a main effect; -1 for a pair
	pair       *pairHist // a pair's axes and sums; nil for a main effect
	nb         int       // bins or cells
	tcol, vcol binCol
	cnt        []int32   // inner training rows per bin
	g, h       []float64 // gradient and hessian sums per bin (at least 256)
	shape      []float64 // log-odds per bin
	best       []float64 // shape at the best round
	delta      []float64 // the last update, per bin
	roundDelta []float64 // this round's updates, for the validation rows (at least 256)
	cached     []float64 // the update a refresh round found
	moved      bool      // whether roundDelta holds an update
	gain       float64   // the gain of the term's last update (greedy order)
}

// newBag draws bag b's split and starts its scores at the inner training
// rows' base log-odds.
func (p *boostProblem) newBag(b int) (*bag, error) {
	rng := &splitMix{s: p.o.bagSeed(b)}
	rng.next()
	train, valid, err := p.validationSplit(rng)
	if err != nil {
		return nil, err
	}
	// the validation rows' non-events first, then events, each in row order
	slices.SortStableFunc(valid, func(a, b int32) int { return cmp.Compare(p.y[a], p.y[b]) })
	bg := &bag{p: p, rng: rng, train: train, valid: valid}
	take := func(rows []int32, src []float64) []float64 {
		out := make([]float64, len(rows))
		for i, r := range rows {
			if src == nil {
				out[i] = 1
			} else {
				out[i] = src[r]
			}
		}
		return out
	}
	bg.ty, bg.tw, bg.vw = take(train, p.y), take(train, p.w), take(valid, p.w)
	if p.w == nil {
		bg.tw, bg.vw = nil, nil
	}
	var tev, tw float64
	for i, y := range bg.ty {
		w := 1.0
		if bg.tw != nil {
			w = bg.tw[i]
		}
		tev += y * w
		tw += w
	}
	if tev == 0 || tev == tw {
		return nil, fmt.Errorf("%w: bag %d's inner training rows hold only one outcome", score.ErrData, b+1)
	}
	bg.intercept = math.Log(tev / (tw - tev))
	bg.te, bg.vu = make([]float64, len(train)), make([]float64, len(valid))
	for i := range bg.te {
		bg.te[i] = tev / (tw - tev)
	}
	for i, r := range valid {
		if p.y[r] == 1 {
			bg.vu[i] = (tw - tev) / tev
		} else {
			bg.nonEvents = i + 1
			bg.vu[i] = tev / (tw - tev)
		}
	}
	return bg, nil
}

// mainTerms makes one term per feature.
func (bg *bag) mainTerms() {
	for k, pb := range bg.p.pre {
		t := bg.newTerm(len(pb.bins), func(r int32) uint16 { return pb.col[r] })
		t.feature = k
		bg.terms = append(bg.terms, t)
	}
}

// newTerm makes a term of nb bins whose bin of row r is at(r).
func (bg *bag) newTerm(nb int, at func(r int32) uint16) *boostTerm {
	t := &boostTerm{feature: -1, nb: nb, tcol: makeBinCol(nb, len(bg.train)), vcol: makeBinCol(nb, len(bg.valid)),
		cnt: make([]int32, nb), g: make([]float64, max(nb, 256)), h: make([]float64, max(nb, 256)),
		shape: make([]float64, nb), best: make([]float64, nb), delta: make([]float64, nb),
		roundDelta: make([]float64, max(nb, 256)), cached: make([]float64, nb)}
	for i, r := range bg.train {
		b := at(r)
		t.tcol.set(i, b)
		t.cnt[b]++
	}
	for i, r := range bg.valid {
		t.vcol.set(i, at(r))
	}
	if len(bg.factors) < max(nb, 256) {
		bg.factors, bg.invFactors = make([]float64, max(nb, 256)), make([]float64, max(nb, 256))
	}
	if len(bg.acc) < histCopies*max(nb, 256) {
		bg.acc = make([][2]float64, histCopies*max(nb, 256))
	}
	return t
}

// addScores adds each row's log-odds from shapes (per feature, per bin)
// to the bag's scores: the pair stage starts from the main effects.
func (bg *bag) addScores(shapes [][]float64) {
	for i, r := range bg.train {
		var s float64
		for k, pb := range bg.p.pre {
			s += shapes[k][pb.col[r]]
		}
		bg.te[i] *= math.Exp(s)
	}
	for i, r := range bg.valid {
		var s float64
		for k, pb := range bg.p.pre {
			s += shapes[k][pb.col[r]]
		}
		if i >= bg.nonEvents {
			s = -s
		}
		bg.vu[i] *= math.Exp(s)
	}
}

// pendingFactors returns the column and factors (exp of the update per
// bin) of the pending update; a nil column means none.
func (bg *bag) pendingFactors() (binCol, []float64, bool) {
	q := bg.pending
	if q == nil {
		return binCol{}, nil, false
	}
	f := bg.factors
	// a step moves runs of bins by one value: one exp a run
	last, lf := math.NaN(), 0.0
	for b, x := range q.delta {
		if x != last {
			last, lf = x, math.Exp(x)
		}
		f[b] = lf
	}
	return q.tcol, f, true
}

// histogram sums term t's gradient and hessian per bin at the current
// scores, applying the pending update on the way.
func (bg *bag) histogram(t *boostTerm) {
	pc, pf, ok := bg.pendingFactors()
	if !ok {
		pf = bg.factors
		for b := range pf {
			pf[b] = 1
		}
		pc = t.tcol
	}
	stepRows(bg.te, bg.ty, bg.tw, pc, t.tcol, pf, bg.acc, t.nb, t.g, t.h)
	bg.pending = nil
}

// histograms sums every term's gradient and hessian at the current
// scores: the pending update is applied in one pass that keeps each
// row's gradient and hessian, then each term's sums are a scatter.
func (bg *bag) histograms() {
	pc, pf, ok := bg.pendingFactors()
	if bg.gr == nil {
		bg.gr, bg.hr = make([]float64, len(bg.train)), make([]float64, len(bg.train))
	}
	gradRows(bg.te, bg.ty, bg.tw, pc, pf, ok, bg.gr, bg.hr)
	bg.pending = nil
	for _, t := range bg.terms {
		scatterRows(t.tcol, bg.gr, bg.hr, bg.acc, t.nb, t.g, t.h)
	}
}

// apply adds update d to term t: its shape takes it now, the training
// odds at the next histogram, the validation scores at the round's end.
func (bg *bag) apply(t *boostTerm, d []float64) {
	if &t.delta[0] != &d[0] {
		copy(t.delta, d)
	}
	for b, x := range t.delta {
		t.shape[b] += x
		t.roundDelta[b] += x
	}
	t.moved = true
	bg.pending = t
}

// validationLoss applies this round's updates to the validation rows'
// odds (only the terms that moved: each row's odds move by the factor of
// its bin, exp(update), inverse for an event) and returns their weighted
// mean log-loss, the mean of log(1 + vu).
func (bg *bag) validationLoss() float64 {
	f, inv := bg.factors, bg.invFactors
	for _, t := range bg.terms {
		if !t.moved {
			continue
		}
		last, lf, li := math.NaN(), 0.0, 0.0
		for b, x := range t.roundDelta[:t.nb] {
			if x != last {
				last, lf, li = x, math.Exp(x), math.Exp(-x)
			}
			f[b], inv[b] = lf, li
		}
		scaleRows(bg.vu[:bg.nonEvents], t.vcol, 0, f)
		scaleRows(bg.vu[bg.nonEvents:], t.vcol, bg.nonEvents, inv)
		clear(t.roundDelta)
		t.moved = false
	}
	if bg.vw == nil {
		return sumLog1p(bg.vu) / float64(len(bg.vu))
	}
	var loss, wsum float64
	for i, u := range bg.vu {
		loss += bg.vw[i] * math.Log1p(u)
		wsum += bg.vw[i]
	}
	return loss / wsum
}

// boost runs InterpretML's schedule on the bag's terms and leaves each
// term's shape at the best round in best; it returns the number of
// boosting steps taken and the best validation loss.
//
//  1. smoothing rounds: cyclic rounds, the terms in a fresh seeded order
//     each round, every step a random cut (update moves both sides by
//     their Newton steps);
//  2. then, until early stopping or MaxRounds rounds of steps: a refresh
//     round (every term's best update and its gain at the current scores,
//     nothing applied), then GreedyRatio x terms greedy steps, each on the
//     term whose last known gain is the largest (its update recomputed at
//     the current scores, except the refresh round's best, whose update is
//     still exact).
//
// The validation loss is measured once a round (every len(terms)
// steps); the bag stops when the best loss of the last
// EarlyStoppingRounds rounds is no better (by Tolerance, relative) than
// the best before them, and keeps the best round.
func (bg *bag) boost(ctx context.Context, smoothing int, update func(t *boostTerm, random bool, d []float64) float64) (int, float64, error) {
	o := bg.p.o
	nt := len(bg.terms)
	order := make([]int, nt)
	for i := range order {
		order[i] = i
	}
	bestLoss := bg.validationLoss()
	for _, t := range bg.terms {
		copy(t.best, t.shape)
	}
	var window []float64 // validation losses of the rounds after smoothing
	steps, maxSteps := 0, o.maxRounds*nt
	stop := false
	// stepDone counts a step and, at the end of a round, measures the
	// validation loss and decides whether to stop.
	stepDone := func(smoothingPhase bool) error {
		steps++
		if steps%nt != 0 && steps < maxSteps {
			return nil
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		loss := bg.validationLoss()
		if loss < bestLoss {
			bestLoss = loss
			for _, t := range bg.terms {
				copy(t.best, t.shape)
			}
		}
		if steps >= maxSteps {
			stop = true
		}
		if smoothingPhase {
			return nil
		}
		window = append(window, loss)
		if w := o.patience; len(window) > w {
			prev, recent := slices.Min(window[:len(window)-w]), slices.Min(window[len(window)-w:])
			tol := math.Min(math.Abs(prev), math.Abs(bestLoss)) * o.tol
			if prev-tol <= recent {
				stop = true
			}
		}
		return nil
	}
	for range smoothing {
		if stop {
			break
		}
		shuffle(bg.rng, order)
		for _, i := range order {
			t := bg.terms[i]
			bg.histogram(t)
			update(t, true, t.delta)
			bg.apply(t, t.delta)
			if err := stepDone(true); err != nil {
				return steps, bestLoss, err
			}
			if stop {
				break
			}
		}
	}
	greedy := int(math.Ceil(o.greedyRatio * float64(nt)))
	for !stop {
		// the refresh round: every term's update and gain, none applied
		shuffle(bg.rng, order)
		bg.histograms()
		top := -1
		for _, i := range order {
			t := bg.terms[i]
			t.gain = update(t, false, t.cached)
			if top < 0 || t.gain > bg.terms[top].gain {
				top = i
			}
		}
		if greedy == 0 {
			// cyclic boosting: every term's update, in order
			for _, i := range order {
				t := bg.terms[i]
				if bg.pending != nil {
					bg.histogram(t)
					t.gain = update(t, false, t.delta)
					bg.apply(t, t.delta)
				} else {
					bg.apply(t, t.cached)
				}
				if err := stepDone(false); err != nil || stop {
					return steps, bestLoss, err
				}
			}
			continue
		}
		for s := range greedy {
			i := top
			if s > 0 {
				i = -1
				for _, j := range order {
					if i < 0 || bg.terms[j].gain > bg.terms[i].gain {
						i = j
					}
				}
			}
			t := bg.terms[i]
			if s == 0 {
				bg.apply(t, t.cached)
			} else {
				bg.histogram(t)
				t.gain = update(t, false, t.delta)
				bg.apply(t, t.delta)
			}
			if err := stepDone(false); err != nil {
				return steps, bestLoss, err
			}
			if stop {
				break
			}
		}
	}
	return steps, bestLoss, nil
}

// mainUpdate writes into d the update of main-effect term t from its
// sums (random: one random cut; otherwise the best tree) and returns its
// gain, scaled by GainScale for a categorical feature.
func (bg *bag) mainUpdate(t *boostTerm, random bool, d []float64) float64 {
	pb := bg.p.pre[t.feature]
	o := bg.p.o
	clear(d)
	if pb.numeric {
		return numericUpdate(pb, t.g, t.h, t.cnt, &o, bg.p.dirs[t.feature], random, bg.rng, d)
	}
	return categoricalUpdate(pb, t.g, t.h, t.cnt, &o, random, bg.rng, d) * o.gainScale
}

// newtonStep is the leaf value -lr*G/H, 0 for a leaf without hessian.
func newtonStep(lr, g, h float64) float64 {
	if !(h >= boostedLeafFloor) {
		return 0
	}
	return -lr * g / h
}

// randomStep is the Newton step of a side of a random cut (smoothing), 0
// when its hessian is under minHess, as for an own bin or a tree's leaf:
// -G/H of a few rows predicted with near certainty is unbounded, and on a
// public mortgage extract such steps made a fit with pairs diverge
// (TestPairRandomStepRespectsLeafLimits).
func randomStep(lr, g, h, minHess float64) float64 {
	if h < minHess {
		return 0
	}
	return newtonStep(lr, g, h)
}

// numericUpdate is a numeric feature's step: the missing bin and each
// special-code bin a leaf of its own (InterpretML's missing="separate";
// one without MinHessian moves by 0), the range bins cut once at random
// (smoothing) or split into a tree of up to MaxLeaves leaves by the
// Newton gain, projected onto monotone steps when the feature has a
// trend. When nothing gains, every bin moves by one Newton step together
// and the gain is 0.
func numericUpdate(pb *preBins, g, h []float64, cnt []int32, o *boostOpts, dir int8, random bool, rng *splitMix, d []float64) float64 {
	var ag, ah, own float64 // all bins' sums, and the own leaves' G^2/H
	for b := range pb.bins {
		ag, ah = ag+g[b], ah+h[b]
	}
	for b := pb.ranges; b < len(pb.bins); b++ {
		if cnt[b] > 0 && h[b] >= o.minHess {
			d[b] = newtonStep(o.lr, g[b], h[b])
			own += g[b] * g[b] / h[b]
		}
	}
	var rg, rh float64
	for b := range pb.ranges {
		rg, rh = rg+g[b], rh+h[b]
	}
	if random {
		cut := pb.ranges
		if pb.ranges > 1 {
			cut = 1 + rng.below(pb.ranges-1)
		}
		var lg, lh float64
		for b := range cut {
			lg, lh = lg+g[b], lh+h[b]
		}
		vals := []float64{randomStep(1, lg, lh, o.minHess), randomStep(1, rg-lg, rh-lh, o.minHess)}
		if dir != 0 {
			poolAdjacent(vals, []float64{lh, rh - lh}, float64(dir))
		}
		for b := range pb.ranges {
			v := vals[1]
			if b < cut {
				v = vals[0]
			}
			d[b] = o.lr * v
		}
		return 0
	}
	var gain float64
	leaves := growTree(pb.inOrder, g, h, cnt, o, dir, nil, d)
	for _, l := range leaves {
		gain += l.g * l.g / l.h
	}
	if rh > 0 && len(leaves) > 0 {
		gain -= rg * rg / rh
	}
	if ah > 0 {
		rangeSq := 0.0
		if rh > 0 {
			rangeSq = rg * rg / rh
		}
		// the own leaves' split from the ranges, against one leaf for all
		gain += own + rangeSq - ag*ag/ah
	}
	if !(gain > 0) {
		v := newtonStep(o.lr, ag, ah)
		for b := range pb.bins {
			d[b] = v
		}
		return 0
	}
	return gain
}

// categoricalUpdate is a categorical feature's step (missing is one more
// level): levels with fewer than MinCategorySamples inner training rows
// are pooled into one group; the groups are cut once at random, in level
// order (smoothing), or ordered by their smoothed Newton step
// G/(H+CatSmooth) and split into a tree of up to MaxLeaves leaves of
// neighbouring groups. Levels without rows move by 0.
func categoricalUpdate(pb *preBins, g, h []float64, cnt []int32, o *boostOpts, random bool, rng *splitMix, d []float64) float64 {
	nb := len(pb.bins)
	group := make([]int, nb) // group of each bin with rows, -1 without
	var gg, gh []float64
	var gc []int32
	dregs := -1
	for b := range nb {
		group[b] = -1
		if cnt[b] == 0 {
			continue
		}
		if cnt[b] < int32(o.minCat) {
			if dregs < 0 {
				dregs = len(gg)
				gg, gh, gc = append(gg, 0), append(gh, 0), append(gc, 0)
			}
			group[b] = dregs
		} else {
			group[b] = len(gg)
			gg, gh, gc = append(gg, 0), append(gh, 0), append(gc, 0)
		}
		k := group[b]
		gg[k], gh[k], gc[k] = gg[k]+g[b], gh[k]+h[b], gc[k]+cnt[b]
	}
	ng := len(gg)
	dg := make([]float64, ng)
	var gain float64
	order := make([]int, ng)
	for i := range order {
		order[i] = i
	}
	var sg, sh float64
	for i := range ng {
		sg, sh = sg+gg[i], sh+gh[i]
	}
	if random {
		cut := ng
		if ng > 1 {
			cut = 1 + rng.below(ng-1)
		}
		var lg, lh float64
		for i := range cut {
			lg, lh = lg+gg[i], lh+gh[i]
		}
		for i := range ng {
			if i < cut {
				dg[i] = randomStep(o.lr, lg, lh, o.minHess)
			} else {
				dg[i] = randomStep(o.lr, sg-lg, sh-lh, o.minHess)
			}
		}
	} else {
		slices.SortStableFunc(order, func(a, b int) int {
			x, y := gg[a]/(gh[a]+o.catSmooth), gg[b]/(gh[b]+o.catSmooth)
			switch {
			case x < y:
				return -1
			case x > y:
				return 1
			}
			return 0
		})
		leaves := growTree(order, gg, gh, gc, o, 0, nil, dg)
		for _, l := range leaves {
			if l.h > 0 {
				gain += l.g * l.g / l.h
			}
		}
		if sh > 0 {
			gain -= sg * sg / sh
		}
		if !(gain > 0) {
			gain = 0
			v := newtonStep(o.lr, sg, sh)
			for i := range dg {
				dg[i] = v
			}
		}
	}
	for b := range nb {
		if k := group[b]; k >= 0 {
			d[b] = dg[k]
		}
	}
	return gain
}

// fitBag boosts bag b's main effects.
func (p *boostProblem) fitBag(ctx context.Context, b int) (*bagResult, error) {
	bg, err := p.newBag(b)
	if err != nil {
		return nil, err
	}
	bg.mainTerms()
	steps, loss, err := bg.boost(ctx, p.o.smoothing, bg.mainUpdate)
	if err != nil {
		return nil, err
	}
	res := &bagResult{intercept: bg.intercept, loss: loss, rounds: steps / len(bg.terms)}
	for _, t := range bg.terms {
		res.shapes = append(res.shapes, t.best)
	}
	return res, nil
}
