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
// monotone directions (+1 log-odds non-decreasing in the value, -1
// non-increasing, 0 free), the 0/1 outcomes, the weights and the options.
type boostProblem struct {
	pre  []*preBins
	dirs []int8
	y, w []float64
	o    boostOpts
}

// bagResult is one bag's fit: the shapes (log-odds per bin) and intercept
// at its best round.
type bagResult struct {
	shapes    [][]float64
	intercept float64
	rounds    int
	loss      float64
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

func (r *splitMix) shuffle(xs []int32) {
	for i := len(xs) - 1; i > 0; i-- {
		j := r.below(i + 1)
		xs[i], xs[j] = xs[j], xs[i]
	}
}

// bag is the state of one bag's boosting.
type bag struct {
	p          *boostProblem
	tcols      []binCol  // inner training rows' bins, per feature
	vcols      []binCol  // validation rows' bins
	ty, tw     []float64 // tw is nil when the fit is unweighted
	vy, vw     []float64
	te         []float64 // inner training rows' event odds, exp(log-odds)
	vs         []float64 // validation rows' log-odds
	factors    []float64 // exp of the pending update, per bin
	cnt        [][]int32 // inner training rows per bin, per feature
	shapes     [][]float64
	deltas     [][]float64 // each feature's last update, per bin
	roundDelta [][]float64 // each feature's updates this round, per bin (for the validation rows)
	pending    int         // the feature whose last update the training scores lack, or -1
	g, h       []float64
	order      []int // categorical bins in split order
	leaves     []treeLeaf
}

// fitBag boosts bag b.
func (p *boostProblem) fitBag(ctx context.Context, b int) (*bagResult, error) {
	o := p.o
	rng := &splitMix{s: o.seed ^ (uint64(b)+1)*0xd1b54a32d192ed03}
	rng.next()
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
		rng.shuffle(grp)
		nv := int(math.Round(o.valSize * float64(len(grp))))
		for _, r := range grp[:nv] {
			val[r] = true
		}
	}
	var train, valid []int32
	for r := range p.y {
		if val[r] {
			valid = append(valid, int32(r))
		} else {
			train = append(train, int32(r))
		}
	}
	if len(valid) < boostedMinBagRows || len(train) < boostedMinBagRows {
		return nil, fmt.Errorf("%w: %d rows are too few for a validation split of %g", score.ErrData, len(p.y), o.valSize)
	}
	bg := &bag{p: p, pending: -1}
	nf := len(p.pre)
	maxBins := 0
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
	bg.ty, bg.tw, bg.vy, bg.vw = take(train, p.y), take(train, p.w), take(valid, p.y), take(valid, p.w)
	if p.w == nil {
		bg.tw = nil
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
	intercept := math.Log(tev / (tw - tev))
	bg.te, bg.vs = make([]float64, len(train)), make([]float64, len(valid))
	for i := range bg.te {
		bg.te[i] = tev / (tw - tev)
	}
	for i := range bg.vs {
		bg.vs[i] = intercept
	}
	for _, pb := range p.pre {
		nb := len(pb.bins)
		maxBins = max(maxBins, nb)
		tc, vc := makeBinCol(nb, len(train)), makeBinCol(nb, len(valid))
		cnt := make([]int32, nb)
		for i, r := range train {
			tc.set(i, pb.col[r])
			cnt[pb.col[r]]++
		}
		for i, r := range valid {
			vc.set(i, pb.col[r])
		}
		bg.tcols = append(bg.tcols, tc)
		bg.vcols = append(bg.vcols, vc)
		bg.cnt = append(bg.cnt, cnt)
		bg.shapes = append(bg.shapes, make([]float64, nb))
		bg.deltas = append(bg.deltas, make([]float64, nb))
		bg.roundDelta = append(bg.roundDelta, make([]float64, max(nb, 256)))
	}
	// 256 entries at least: the byte path of the row loops indexes arrays.
	maxBins = max(maxBins, 256)
	bg.g, bg.h, bg.factors = make([]float64, maxBins), make([]float64, maxBins), make([]float64, maxBins)
	res := &bagResult{intercept: intercept, loss: bg.validationLoss(), shapes: cloneShapes(bg.shapes)}
	ref, stale := res.loss, 0
	for round := 1; round <= o.maxRounds; round++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		for k := range nf {
			bg.step(k)
		}
		loss := bg.validationLoss()
		if loss < res.loss {
			res.loss, res.rounds = loss, round
			for k := range bg.shapes {
				copy(res.shapes[k], bg.shapes[k])
			}
		}
		if loss < ref*(1-o.tol) {
			ref, stale = loss, 0
		} else if stale++; stale >= o.patience {
			break
		}
	}
	return res, nil
}

func cloneShapes(s [][]float64) [][]float64 {
	out := make([][]float64, len(s))
	for k := range s {
		out[k] = slices.Clone(s[k])
	}
	return out
}

// step adds one boosting step on feature k: the training scores take the
// pending update, the gradient and hessian of the log-loss are summed per
// bin of k, and the best single split of k's bins moves each side by the
// learning rate times its Newton step.
func (bg *bag) step(k int) {
	nb := len(bg.p.pre[k].bins)
	g, h := bg.g, bg.h
	clear(g[:nb])
	clear(h[:nb])
	// The odds take the pending update as a factor: exp(s + d) = exp(s) *
	// exp(d), one exp per bin instead of one per row.
	pf, pc := bg.factors, bg.tcols[k]
	if q := bg.pending; q >= 0 {
		pc = bg.tcols[q]
		for b, x := range bg.deltas[q] {
			pf[b] = math.Exp(x)
		}
	} else {
		for b := range pf {
			pf[b] = 1
		}
	}
	stepRows(bg.te, bg.ty, bg.tw, pc, bg.tcols[k], pf, g, h)
	d := bg.deltas[k]
	clear(d)
	bg.split(k, d)
	sh, rd := bg.shapes[k], bg.roundDelta[k]
	for b, x := range d {
		sh[b] += x
		rd[b] += x
	}
	bg.pending = k
}

// split writes into d the update of each bin of feature k from the
// gradient and hessian sums in bg.g and bg.h.
func (bg *bag) split(k int, d []float64) {
	pb := bg.p.pre[k]
	o := bg.p.o
	g, h, cnt := bg.g, bg.h, bg.cnt[k]
	// The missing bin and a numeric feature's special-code bins are leaves
	// of their own.
	miss := len(pb.bins) - 1
	own := miss
	if pb.numeric {
		own = pb.ranges
	}
	for b := own; b <= miss; b++ {
		if cnt[b] >= int32(o.minLeaf) && h[b] >= o.minHess {
			d[b] = -o.lr * g[b] / h[b]
		}
	}
	// The bins in split order: numeric bins in value order, categories by
	// their smoothed Newton step (ties by level order).
	order := bg.order[:0]
	if pb.numeric {
		for b := range pb.ranges {
			order = append(order, b)
		}
	} else {
		for b := range miss {
			if cnt[b] > 0 {
				order = append(order, b)
			}
		}
		slices.SortStableFunc(order, func(a, b int) int {
			return cmp.Compare(-g[a]/(h[a]+DefaultBoostedCatSmooth), -g[b]/(h[b]+DefaultBoostedCatSmooth))
		})
	}
	bg.order = order
	bg.leaves = growTree(order, g, h, cnt, &o, bg.p.dirs[k], bg.leaves, d)
}

// validationLoss applies this round's updates to the validation scores
// and returns their weighted mean log-loss.
func (bg *bag) validationLoss() float64 {
	vs := bg.vs
	for k, rd := range bg.roundDelta {
		addShape(vs, bg.vcols[k], rd)
		clear(rd)
	}
	var loss, wsum float64
	for i, s := range vs {
		// log(1 + e^s) - y*s, computed stably
		l := math.Max(s, 0) + math.Log1p(math.Exp(-math.Abs(s))) - bg.vy[i]*s
		loss += bg.vw[i] * l
		wsum += bg.vw[i]
	}
	return loss / wsum
}
