package fit

import "math"

// treeLeaf is one leaf of a boosting step's tree: the bins at positions
// lo..hi-1 of the split order, their gradient, hessian and row sums, and
// the best split inside it (after position at, gain over the leaf).
type treeLeaf struct {
	lo, hi int
	g, h   float64
	c      int32
	at     int
	gain   float64
}

// growTree fills d (indexed by bin) with one boosting step over the bins
// in order: a tree of at most maxLeaves leaves, each a run of neighbouring
// bins of the order, grown best first by the Newton gain of the log-loss
// (the leaf whose best split gains most is split next), every leaf holding
// at least minLeaf rows and minHess hessian. Each leaf moves by lr times
// its Newton step -G/H. With dir != 0 every split is chosen among those
// whose two sides' Newton steps follow the trend (non-decreasing along
// the order for dir > 0, non-increasing for dir < 0), as InterpretML's
// monotone_constraints chooses them (its PartitionOneDimensionalBoosting
// marks any other split illegal), so a step is not spent on a split the
// trend forbids; the leaf steps are then projected onto steps monotone
// along the order (the hessian-weighted least-squares projection, by
// pooling adjacent violators, which is the constrained minimiser of the
// log-loss's quadratic approximation among steps constant on the leaves):
// it changes a step only when two leaves that are not one split's sides
// violate the trend. The shape, a sum of such steps, is then monotone
// too. Bins not in order are left alone.
func growTree(order []int, g, h []float64, cnt []int32, o *boostOpts, dir int8, leaves []treeLeaf, d []float64) []treeLeaf {
	root := treeLeaf{lo: 0, hi: len(order)}
	for _, b := range order {
		root.g, root.h, root.c = root.g+g[b], root.h+h[b], root.c+cnt[b]
	}
	if root.h < o.minHess || root.h < boostedLeafFloor {
		return leaves[:0]
	}
	bestSplit(&root, order, g, h, cnt, o, dir)
	leaves = append(leaves[:0], root)
	for len(leaves) < o.maxLeaves {
		k, best := -1, 0.0
		for i := range leaves {
			if leaves[i].at >= 0 && leaves[i].gain > best {
				k, best = i, leaves[i].gain
			}
		}
		if k < 0 {
			break
		}
		parent := leaves[k]
		left := treeLeaf{lo: parent.lo, hi: parent.at + 1}
		for _, b := range order[left.lo:left.hi] {
			left.g, left.h, left.c = left.g+g[b], left.h+h[b], left.c+cnt[b]
		}
		right := treeLeaf{lo: left.hi, hi: parent.hi, g: parent.g - left.g, h: parent.h - left.h, c: parent.c - left.c}
		if len(leaves)+1 < o.maxLeaves {
			// the children's best splits matter only if one can still be made
			bestSplit(&left, order, g, h, cnt, o, dir)
			bestSplit(&right, order, g, h, cnt, o, dir)
		} else {
			left.at, right.at = -1, -1
		}
		// keep the leaves in order along the bins
		leaves = append(leaves, treeLeaf{})
		copy(leaves[k+2:], leaves[k+1:])
		leaves[k], leaves[k+1] = left, right
	}
	vals := make([]float64, len(leaves))
	wts := make([]float64, len(leaves))
	for i, l := range leaves {
		vals[i], wts[i] = -l.g/l.h, l.h
	}
	if dir != 0 {
		poolAdjacent(vals, wts, float64(dir))
	}
	for i, l := range leaves {
		v := o.lr * vals[i]
		for _, b := range order[l.lo:l.hi] {
			d[b] = v
		}
	}
	return leaves
}

// bestSplit finds the split of leaf l with the largest Newton gain
// G_L^2/H_L + G_R^2/H_R - G^2/H, both sides holding at least minLeaf rows
// and minHess hessian and, when dir != 0, their Newton steps -G/H following
// the trend (left at most right for dir > 0, at least for dir < 0); l.at is
// -1 when there is none. Ties go to the first position.
func bestSplit(l *treeLeaf, order []int, g, h []float64, cnt []int32, o *boostOpts, dir int8) {
	l.at, l.gain = -1, 0
	minLeaf := int32(o.minLeaf)
	if l.c < 2*minLeaf || l.hi-l.lo < 2 {
		return
	}
	parent := l.g * l.g / l.h
	var gl, hl float64
	var cl int32
	for i := l.lo; i+1 < l.hi; i++ {
		b := order[i]
		gl, hl, cl = gl+g[b], hl+h[b], cl+cnt[b]
		if cl < minLeaf {
			continue
		}
		gr, hr, cr := l.g-gl, l.h-hl, l.c-cl
		if cr < minLeaf {
			break
		}
		if hl < o.minHess || hr < o.minHess {
			continue
		}
		if vl, vr := -gl/hl, -gr/hr; (dir > 0 && vl > vr) || (dir < 0 && vl < vr) {
			continue
		}
		if gain := gl*gl/hl + gr*gr/hr - parent; gain > l.gain {
			l.at, l.gain = i, gain
		}
	}
}

// poolAdjacent replaces v in place by its weighted isotonic regression:
// the non-decreasing (sign > 0) or non-increasing (sign < 0) sequence
// closest to v in w-weighted least squares (pool adjacent violators).
func poolAdjacent(v, w []float64, sign float64) {
	type block struct {
		sum, w float64
		n      int
	}
	blocks := make([]block, 0, len(v))
	for i := range v {
		blocks = append(blocks, block{sum: sign * v[i] * w[i], w: w[i], n: 1})
		for len(blocks) > 1 {
			a, b := blocks[len(blocks)-2], blocks[len(blocks)-1]
			if a.sum/a.w <= b.sum/b.w {
				break
			}
			blocks = blocks[:len(blocks)-2]
			blocks = append(blocks, block{sum: a.sum + b.sum, w: a.w + b.w, n: a.n + b.n})
		}
	}
	i := 0
	for _, bl := range blocks {
		m := sign * bl.sum / bl.w
		if math.IsNaN(m) {
			m = 0
		}
		for range bl.n {
			v[i] = m
			i++
		}
	}
}
