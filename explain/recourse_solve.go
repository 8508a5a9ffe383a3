package explain

import (
	"context"
	"math"
	"slices"

	"github.com/candorscore/candor/internal/metric"
)

// The recourse search is a multiple-choice knapsack: pick at most one
// option per group (feature), at most maxC groups, with total gain >= need,
// at minimal total cost. It is solved exactly by depth-first branch and
// bound over the groups sorted by their largest gain:
//
//   - the incumbent starts as the better of the cheapest single change that
//     completes the need and the rounded-up linear relaxation (each group at
//     the end of its last hull segment used), when these are allowed;
//   - a node is cut when even the largest gains of (maxC - used) of the
//     remaining groups cannot reach the need;
//   - a node is cut when its cost plus a lower bound on the cost still
//     needed exceeds the best answer found: the bound is the linear
//     relaxation of the remaining knapsack, solved greedily over the lower
//     convex hulls of the groups' (gain, cost) points (Sinha and Zoltners
//     1979), which never exceeds the true remaining cost;
//   - within a group, options are tried cheapest first and the loop stops at
//     the first option that alone completes the need (a dearer one cannot
//     give a cheaper answer) or that costs more than the best answer;
//   - a node whose set of groups contains a forbidden set (an earlier
//     alternative's) is cut: every completion would contain it too.
//
// Every cut discards only answers that cannot beat the incumbent, so the
// answer is the true minimum. Nothing is rounded: costs and gains are exact
// float64 sums in group order. Ties within a relative 1e-12 go to the
// answer with fewer changes, then to the first found in this fixed order,
// so the answer is deterministic.

type rcGroup struct {
	feat    int
	opts    []rcOption // cost ascending, gain strictly ascending
	maxGain float64
}

type rcSeg struct {
	g      int32 // group position in sorted order
	opt    int32 // the option at the segment's end
	dg, dc float64
	slope  float64 // dc/dg
}

type rcSolver struct {
	ctx       context.Context
	joints    []rcJoint // the joint choices options refer to (recourse_pairs.go)
	groups    []rcGroup
	need      float64
	maxC      int
	topK      [][]float64 // topK[d][c]: sum of the c largest maxGain of groups d..
	segs      []rcSeg
	segsFrom  [][]rcSeg // segsFrom[d]: the segments of groups d.., by slope
	forbidden [][]uint64
	set       []uint64 // the features (terms) changed at the node
	choice    []int32
	best      []int32
	found     bool
	bestCost  float64
	bestN     int
	nodes     int
	err       error
}

func newSolver(ctx context.Context, groups []rcGroup, need float64, maxC int, joints []rcJoint, nTerms int) *rcSolver {
	// Branch first on the groups with the largest gain, then term order.
	slices.SortStableFunc(groups, func(a, b rcGroup) int {
		if a.maxGain != b.maxGain {
			return metric.Compare(b.maxGain, a.maxGain)
		}
		return a.feat - b.feat
	})
	n := len(groups)
	most := 0 // the most changes any answer can make
	for _, g := range groups {
		k := 0
		for i := range g.opts {
			k = max(k, optChanges(&g.opts[i], joints))
		}
		most += k
	}
	if maxC <= 0 || maxC > most {
		maxC = most
	}
	s := &rcSolver{ctx: ctx, joints: joints, groups: groups, need: need, maxC: maxC, topK: make([][]float64, n+1),
		set: make([]uint64, (nTerms+63)/64), choice: make([]int32, n), best: make([]int32, n)}
	var rest []float64 // largest gains of groups d.., descending
	for d := n; d >= 0; d-- {
		if d < n {
			g := groups[d].maxGain
			k, _ := slices.BinarySearchFunc(rest, g, func(a, b float64) int { return metric.Compare(b, a) })
			rest = slices.Insert(rest, k, g)
		}
		row := make([]float64, maxC+1)
		for c := 1; c <= maxC; c++ {
			row[c] = row[c-1]
			if c <= len(rest) {
				row[c] += rest[c-1]
			}
		}
		s.topK[d] = row
	}
	// Lower convex hull of each group's points (0,0), (gain_i, cost_i).
	type pt struct {
		x, y float64
		opt  int32
	}
	var hull []pt
	for gi, g := range groups {
		hull = append(hull[:0], pt{0, 0, -1})
		top := 0.0
		for oi, o := range g.opts {
			// Only options whose gain beats every cheaper one's can be on the
			// lower hull (joint choices need not rise in gain with cost).
			if !(o.gain > top) {
				continue
			}
			top = o.gain
			p := pt{o.gain, o.cost, int32(oi)}
			for len(hull) >= 2 {
				a, b := hull[len(hull)-2], hull[len(hull)-1]
				if (b.x-a.x)*(p.y-a.y)-(b.y-a.y)*(p.x-a.x) > 0 {
					break
				}
				hull = hull[:len(hull)-1]
			}
			hull = append(hull, p)
		}
		for k := 1; k < len(hull); k++ {
			dg, dc := hull[k].x-hull[k-1].x, hull[k].y-hull[k-1].y
			s.segs = append(s.segs, rcSeg{g: int32(gi), opt: hull[k].opt, dg: dg, dc: dc, slope: dc / dg})
		}
	}
	slices.SortStableFunc(s.segs, func(a, b rcSeg) int {
		if a.slope != b.slope {
			return metric.Compare(a.slope, b.slope)
		}
		return int(a.g - b.g)
	})
	s.segsFrom = make([][]rcSeg, n+1)
	for d := n - 1; d >= 0; d-- {
		if d == 0 {
			s.segsFrom[0] = s.segs
			break
		}
		sub := make([]rcSeg, 0, len(s.segs))
		for _, sg := range s.segs {
			if int(sg.g) >= d {
				sub = append(sub, sg)
			}
		}
		s.segsFrom[d] = sub
	}
	return s
}

// seed sets the incumbent to the cheapest single change that completes the
// need alone (when its set is not forbidden): a quick first bound.
func (s *rcSolver) seed() {
	if s.maxC < 1 {
		return
	}
	for gi := range s.groups {
		g := &s.groups[gi]
		if g.maxGain < s.need {
			continue
		}
		for k := range g.opts {
			o := &g.opts[k]
			n := s.changes(o)
			if o.gain < s.need || n > s.maxC {
				continue
			}
			clear(s.set)
			s.mark(g, o, true)
			if s.coversForbidden() {
				continue
			}
			if c := o.cost; !s.found || c < s.bestCost {
				for i := range s.best {
					s.best[i] = -1
				}
				s.best[gi] = int32(k)
				s.found, s.bestCost, s.bestN = true, c, n
			}
			break // the cheapest that completes the need
		}
	}
	clear(s.set)
	s.seedLP()
}

// seedLP tries the rounded-up linear relaxation as an incumbent: fill the
// hull segments by slope until the need is met and take, per group, the
// option at its last segment's end. Kept when it respects the cap and the
// forbidden sets and beats the incumbent; its gain and cost are summed in
// group order, as the search sums them.
func (s *rcSolver) seedLP() {
	pick := s.choice
	for i := range pick {
		pick[i] = -1
	}
	var lp float64
	for _, sg := range s.segs {
		pick[sg.g] = sg.opt
		if lp += sg.dg; lp >= s.need {
			break
		}
	}
	var gain, cost float64
	used := 0
	clear(s.set)
	for gi, c := range pick {
		if c >= 0 {
			o := &s.groups[gi].opts[c]
			gain += o.gain
			cost += o.cost
			used += s.changes(o)
			s.mark(&s.groups[gi], o, true)
		}
	}
	if gain >= s.need && used <= s.maxC && !s.coversForbidden() &&
		(!s.found || cost < s.bestCost-s.tol() || (cost <= s.bestCost+s.tol() && used < s.bestN)) {
		copy(s.best, pick)
		s.found, s.bestCost, s.bestN = true, cost, used
	}
	for i := range pick {
		pick[i] = -1
	}
	clear(s.set)
}

// forbidFeatures adds a forbidden set given by feature (term) indexes.
func (s *rcSolver) forbidFeatures(feats []int) {
	f := make([]uint64, len(s.set))
	for _, j := range feats {
		if j/64 >= len(f) {
			return // a feature no option changes: never covered
		}
		f[j/64] |= 1 << (j % 64)
	}
	s.forbidden = append(s.forbidden, f)
}

// solve finds the cheapest answer whose set of changed groups is neither
// equal to nor a superset of any forbidden set. It reports false when there
// is none (or the context ended: see s.err).
func (s *rcSolver) solve() bool {
	s.found = false
	s.bestCost, s.bestN = math.Inf(1), 0
	for i := range s.choice {
		s.choice[i] = -1
	}
	s.seed()
	s.dfs(0, 0, 0, 0)
	return s.found && s.err == nil
}

func (s *rcSolver) tol() float64 { return 1e-12 * (1 + math.Abs(s.bestCost)) }

func (s *rcSolver) dfs(d int, gain, cost float64, used int) {
	if s.err != nil {
		return
	}
	s.nodes++
	if s.nodes&4095 == 0 {
		if err := s.ctx.Err(); err != nil {
			s.err = err
			return
		}
	}
	if gain >= s.need {
		if !s.found || cost < s.bestCost-s.tol() || (cost <= s.bestCost+s.tol() && used < s.bestN) {
			s.found, s.bestCost, s.bestN = true, cost, used
			copy(s.best, s.choice)
		}
		return
	}
	n := len(s.groups)
	if d == n || used == s.maxC {
		return
	}
	if gain+s.topK[d][s.maxC-used] < s.need {
		return
	}
	if s.found && s.lpBound(d, s.need-gain, s.bestCost+s.tol()-cost) {
		return
	}
	g := &s.groups[d]
	for i := range g.opts {
		o := &g.opts[i]
		if s.found && cost+o.cost > s.bestCost+s.tol() {
			break
		}
		n := s.changes(o)
		if used+n > s.maxC {
			continue
		}
		s.mark(g, o, true)
		if s.coversForbidden() {
			s.mark(g, o, false)
			continue
		}
		s.choice[d] = int32(i)
		s.dfs(d+1, gain+o.gain, cost+o.cost, used+n)
		s.mark(g, o, false)
		if gain+o.gain >= s.need {
			break
		}
	}
	s.choice[d] = -1
	s.dfs(d+1, gain, cost, used)
}

// coversForbidden reports whether the current set contains a forbidden set.
func (s *rcSolver) coversForbidden() bool {
	for _, f := range s.forbidden {
		covered := true
		for w := range f {
			if f[w]&^s.set[w] != 0 {
				covered = false
				break
			}
		}
		if covered {
			return true
		}
	}
	return false
}

// lpBound reports whether the linear-relaxation lower bound on the cost of
// gaining r more from groups d.. exceeds limit (the greedy fill of the hull
// segments by slope; +Inf when they cannot gain r even fractionally).
func (s *rcSolver) lpBound(d int, r, limit float64) bool {
	lb := 0.0
	for i := range s.segsFrom[d] {
		sg := &s.segsFrom[d][i]
		if sg.dg >= r {
			return lb+sg.slope*r > limit
		}
		lb += sg.dc
		if lb > limit {
			return true
		}
		r -= sg.dg
	}
	return true
}
