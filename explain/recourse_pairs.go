package explain

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/candorscore/candor/internal/metric"
	"github.com/candorscore/candor/score"
)

// Recourse over pair terms. A pair term makes the worth of a change of one
// of its features depend on the other's value, so the two are one choice:
// features linked by pair terms (directly, or through a feature shared by
// two pairs) form a component, and each component is one group of the
// knapsack whose options are the joint choices over its features: every
// combination of "no change" or one allowed move per feature, with the
// component's whole gain (its features' own terms plus its pair terms,
// each evaluated exactly), the sum of its changes' costs and its number
// of changes. A feature's moves are its allowed, honest moves (the same
// rules as for a feature alone) without the pruning by gain that a feature
// alone gets; moves that fall in the same bin of every term the feature is
// in change the score alike, so only the cheapest of them is kept. Within
// one set of changed features, a joint choice that costs as much as
// another and gains no more is dropped. The search then counts a joint
// choice's changes against MaxChanges and its features against the
// alternatives' forbidden sets, so the answer is still the exact minimum.
//
// The number of joint choices is the product over the component's
// features of one plus their moves; a component with more than
// MaxJointChoices is refused with ErrJointGrid, which names the features
// (give them a coarser grid, FeatureAction.Grid, or make one immutable).

// MaxJointChoices bounds the joint choices of one component of features
// that interact through pair terms (see ErrJointGrid).
const MaxJointChoices = 1 << 18

// ErrJointGrid: the features of a component of pair terms have more joint
// choices than MaxJointChoices for one customer.
var ErrJointGrid = errors.New("joint grid of interacting features too large")

// rcComponent is a set of features linked by pair terms or derivations:
// the terms of its features that move (ascending), its pair terms, and the
// terms of its derived inputs (recomputed from their sources, never moved).
type rcComponent struct {
	mains, pairs []int
	derived      []int
}

// rcJoint is one joint choice: its changes, in term order, and the new
// values of the derived inputs that follow from them.
type rcJoint struct {
	moves  []rcMove
	follow []rcFollow
}

// rcFollow is a derived input's new value in a joint choice.
type rcFollow struct {
	term int
	v    score.Value
}

// rcDerived is the compiled derivation of a derived input's term: the
// schema columns of its sources (left op right), and the term of each
// (-1 when the source is no model input, so never moves).
type rcDerived struct {
	d                     *score.Derivation
	f                     score.Formula
	left, right           int
	leftTerm, rightTerm   int
	leftCodes, rightCodes []float64 // the sources' special codes
}

// derivedValue is the derived input d's value in the record cur, and
// whether it has one: both sources numbers, neither a special code, and a
// finite result.
func (s *ActionSpace) derivedValue(d *rcDerived, cur score.Record) (score.Value, bool) {
	a, b := cur[d.left], cur[d.right]
	if !a.IsNum() || !b.IsNum() {
		return score.Value{}, false
	}
	if slices.Contains(d.leftCodes, a.Float()) || slices.Contains(d.rightCodes, b.Float()) {
		return score.Value{}, false
	}
	x := d.d.Value(d.f, a.Float(), b.Float())
	if math.IsInf(x, 0) || math.IsNaN(x) {
		return score.Value{}, false
	}
	return score.Num(x), true
}

type rcMove struct {
	term int
	cand int32
	cost float64
}

// components groups the features of pair terms. Every feature of a pair
// term must have a term of its own (fit.Boosted's always do), so that a
// change of it has a candidate grid; else the error wraps
// score.ErrPairTerm.
func (s *ActionSpace) components() error {
	m := s.m
	s.comp = make([]int, len(s.feats))
	for j := range s.comp {
		s.comp[j] = -1
	}
	parent := make([]int, len(s.feats))
	for j := range parent {
		parent[j] = j
	}
	find := func(j int) int {
		for parent[j] != j {
			parent[j] = parent[parent[j]]
			j = parent[j]
		}
		return j
	}
	linked := make([]bool, len(s.feats))
	for j := range s.feats {
		d := s.feats[j].derived
		if d == nil {
			continue
		}
		for _, k := range []int{d.leftTerm, d.rightTerm} {
			if k >= 0 {
				linked[j] = true
				ra, rb := find(j), find(k)
				if ra != rb {
					parent[max(ra, rb)] = min(ra, rb)
				}
			}
		}
	}
	var pairs []int
	for j := range s.feats {
		if !s.feats[j].pair {
			continue
		}
		a, b := m.TermOf(m.Schema().Feature(m.TermFeature(j)).Name), m.TermOf(m.Schema().Feature(m.PairFeature(j)).Name)
		for _, k := range []int{a, b} {
			if k < 0 {
				t := m.Term(j)
				return &score.FieldError{Feature: PairName(t.Feature, t.Pair.Feature), Err: fmt.Errorf("%w: recourse needs a term of its own for each feature of a pair term", score.ErrPairTerm)}
			}
		}
		pairs = append(pairs, j)
		ra, rb := find(a), find(b)
		if ra != rb {
			parent[max(ra, rb)] = min(ra, rb)
		}
	}
	if pairs == nil && !slices.Contains(linked, true) {
		return nil
	}
	id := map[int]int{}
	comp := func(r int) int {
		c, ok := id[r]
		if !ok {
			c = len(s.comps)
			id[r] = c
			s.comps = append(s.comps, rcComponent{})
		}
		return c
	}
	for j := range s.feats {
		switch {
		case linked[j]:
			comp(find(j))
		case s.feats[j].pair:
			c := comp(find(m.TermOf(m.Schema().Feature(m.TermFeature(j)).Name)))
			s.comps[c].pairs = append(s.comps[c].pairs, j)
		}
	}
	for j := range s.feats {
		if s.feats[j].pair {
			continue
		}
		if c, ok := id[find(j)]; ok {
			s.comp[j] = c
			if s.feats[j].derived != nil {
				s.comps[c].derived = append(s.comps[c].derived, j)
			} else {
				s.comps[c].mains = append(s.comps[c].mains, j)
			}
		}
	}
	return nil
}

// jointGroup is component c's group for the customer rec (terms: its
// current effects): the joint choices with a positive gain, cost
// ascending (then fewer changes, then larger gain), appended to joints.
// ok is false when the component has no such choice.
func (s *ActionSpace) jointGroup(c int, rec score.Record, terms []float64, allow bool, joints *[]rcJoint) (g rcGroup, ok bool, err error) {
	m := s.m
	comp := &s.comps[c]
	k := len(comp.mains)
	moves := make([][]rcOption, k)
	total := 1.0
	for i, j := range comp.mains {
		f := &s.feats[j]
		all := s.options(nil, f, rec[f.col], terms[j], liftGain, allow)
		// Moves alike on every term of the feature: keep the cheapest; and a
		// move alike with the current value changes nothing.
		seen := map[string]bool{}
		if key, valid := s.moveKey(c, j, rec[f.col], rec); valid {
			seen[key] = true
		}
		for _, o := range all {
			key, valid := s.moveKey(c, j, f.cands[o.cand].v, rec)
			if !valid || seen[key] {
				continue
			}
			seen[key] = true
			moves[i] = append(moves[i], o)
		}
		total *= float64(1 + len(moves[i]))
	}
	if total-1 > MaxJointChoices {
		names := make([]string, k)
		for i, j := range comp.mains {
			names[i] = fmt.Sprintf("%s (%d moves)", s.feats[j].feat.Name, len(moves[i]))
		}
		return g, false, fmt.Errorf("%w: %s interact (through pair terms or a derived input) and have %.0f joint choices for this customer, more than %d; give them a coarser grid (grid in the actions) or make one immutable",
			ErrJointGrid, strings.Join(names, ", "), total-1, MaxJointChoices)
	}
	cur := slices.Clone(rec)
	pick := make([]int, k) // 0: no change, i: moves[.][i-1]
	// A candidate holds no pointers (its moves and derived values are
	// ranges of mvBuf and fwBuf), so sorting moves no pointers; idx, its
	// place in the enumeration, makes the sorts total orders.
	type cand struct {
		opt            rcOption
		mask           uint64
		top            float64 // its largest change's cost
		n, mvAt        int32
		fwAt, fwN, idx int32
	}
	cands := make([]cand, 0, int(total-1))
	mvBuf := make([]rcMove, 0, int(total-1)*k)
	var fwBuf []rcFollow
	if len(comp.derived) > 0 {
		fwBuf = make([]rcFollow, 0, int(total-1)*len(comp.derived))
	}
	for {
		// next combination (odometer), skipping the all-unchanged one
		i := 0
		for i < k {
			pick[i]++
			if pick[i] <= len(moves[i]) {
				break
			}
			pick[i] = 0
			i++
		}
		if i == k {
			break
		}
		var gain, cost, top float64
		var mask uint64
		mvAt, fwAt := len(mvBuf), len(fwBuf)
		for q, j := range comp.mains {
			f := &s.feats[j]
			if pick[q] == 0 {
				cur[f.col] = rec[f.col]
				continue
			}
			o := moves[q][pick[q]-1]
			cd := &f.cands[o.cand]
			cur[f.col] = cd.v
			gain += s.sign * (cd.effect - terms[j])
			cost += o.cost
			mask |= 1 << q
			top = math.Max(top, o.cost)
			mvBuf = append(mvBuf, rcMove{term: j, cand: o.cand, cost: o.cost})
		}
		// A derived input follows its sources: recomputed when one moved,
		// else as the customer's record has it.
		for _, j := range comp.derived {
			f := &s.feats[j]
			d := f.derived
			if cur[d.left] == rec[d.left] && cur[d.right] == rec[d.right] {
				cur[f.col] = rec[f.col]
				continue
			}
			v, ok := s.derivedValue(d, cur)
			var e float64
			var pos int
			var err error
			if ok {
				e, pos, err = m.Effect(j, v)
			}
			if !ok || err != nil || f.facts.isSpecial(v, pos) {
				gain = math.NaN() // no value, or none the term can take: not a choice
				break
			}
			cur[f.col] = v
			gain += s.sign * (e - terms[j])
			if v != rec[f.col] {
				fwBuf = append(fwBuf, rcFollow{term: j, v: v})
			}
		}
		for _, p := range comp.pairs {
			if math.IsNaN(gain) {
				break
			}
			e, _, err := m.EffectOf(p, cur)
			if err != nil {
				gain = math.NaN() // a value outside the pair's bins: not a choice
				break
			}
			gain += s.sign * (e - terms[p])
		}
		if gain > 0 {
			cands = append(cands, cand{opt: rcOption{gain: gain, cost: cost}, mask: mask, top: top, n: int32(len(mvBuf) - mvAt),
				mvAt: int32(mvAt), fwAt: int32(fwAt), fwN: int32(len(fwBuf) - fwAt), idx: int32(len(cands))})
		} else {
			mvBuf, fwBuf = mvBuf[:mvAt], fwBuf[:fwAt]
		}
	}
	if len(cands) == 0 {
		return g, false, nil
	}
	// Within one set of changed features, drop a choice when another costs
	// no more in sum and in its largest change (the two objectives) and
	// gains as much: walking by sum ascending, a staircase of the kept
	// choices' (largest cost, gain), gain rising with the largest cost,
	// answers "the best gain of a kept choice whose largest cost is at most
	// t".
	slices.SortFunc(cands, func(a, b cand) int {
		switch {
		case a.mask != b.mask:
			if a.mask < b.mask {
				return -1
			}
			return 1
		case a.opt.cost != b.opt.cost:
			return metric.Compare(a.opt.cost, b.opt.cost)
		case a.opt.gain != b.opt.gain:
			return metric.Compare(b.opt.gain, a.opt.gain)
		}
		return int(a.idx - b.idx)
	})
	type step struct{ top, gain float64 }
	var stair []step
	kept := cands[:0]
	for i, cd := range cands {
		if i == 0 || cd.mask != cands[i-1].mask {
			stair = stair[:0]
		}
		top := cd.top
		// the last step with a largest cost <= top
		k := sort.Search(len(stair), func(i int) bool { return stair[i].top > top }) - 1
		if k >= 0 && !(cd.opt.gain > stair[k].gain) {
			continue
		}
		kept = append(kept, cd)
		// insert (top, gain); drop the steps it now dominates
		at := k + 1
		end := at
		for end < len(stair) && stair[end].gain <= cd.opt.gain {
			end++
		}
		stair = slices.Replace(stair, at, end, step{top, cd.opt.gain})
	}
	for i := range kept {
		kept[i].idx = int32(i) // ties keep the order by set of changed features
	}
	slices.SortFunc(kept, func(a, b cand) int {
		switch {
		case a.opt.cost != b.opt.cost:
			return metric.Compare(a.opt.cost, b.opt.cost)
		case a.n != b.n:
			return int(a.n - b.n)
		case a.opt.gain != b.opt.gain:
			return metric.Compare(b.opt.gain, a.opt.gain)
		}
		return int(a.idx - b.idx)
	})
	g = rcGroup{feat: comp.mains[0]}
	for _, cd := range kept {
		mv := mvBuf[cd.mvAt : cd.mvAt+cd.n : cd.mvAt+cd.n]
		var fw []rcFollow
		if cd.fwN > 0 {
			fw = fwBuf[cd.fwAt : cd.fwAt+cd.fwN : cd.fwAt+cd.fwN]
		}
		*joints = append(*joints, rcJoint{moves: mv, follow: fw})
		o := cd.opt
		o.joint = int32(len(*joints))
		g.opts = append(g.opts, o)
		g.maxGain = math.Max(g.maxGain, o.gain)
	}
	return g, true, nil
}

// moveKey says where value v of term j's feature falls in every term of
// component c the feature is in (its own term's bin, its pairs' rows or
// columns): moves with one key change the score alike. valid is false when
// a term cannot take v.
func (s *ActionSpace) moveKey(c, j int, v score.Value, rec score.Record) (string, bool) {
	m := s.m
	_, pos, err := m.Effect(j, v)
	if err != nil {
		return "", false
	}
	key := []byte(fmt.Sprint(pos))
	e, _, _ := m.Effect(j, v)
	key = fmt.Appendf(key, "/%x", math.Float64bits(e)) // a sloped or linear term: its effect
	col := s.feats[j].col
	for _, d := range s.comps[c].derived {
		if dv := s.feats[d].derived; dv.left == col || dv.right == col {
			// A source of a derived input: every value moves it differently.
			key = fmt.Appendf(key, "/v%x", math.Float64bits(v.Float()))
		}
	}
	r := slices.Clone(rec)
	r[col] = v
	for _, p := range s.comps[c].pairs {
		if m.TermFeature(p) != col && m.PairFeature(p) != col {
			continue
		}
		_, cell, err := m.EffectOf(p, r)
		if err != nil {
			return "", false
		}
		nc := len(m.Term(p).Pair.Bins)
		if m.TermFeature(p) == col {
			key = fmt.Appendf(key, "/r%d", cell/nc)
		} else {
			key = fmt.Appendf(key, "/c%d", cell%nc)
		}
	}
	return string(key), true
}

// changes is the number of features option o changes.
func (s *rcSolver) changes(o *rcOption) int {
	if o.joint == 0 {
		return 1
	}
	return len(s.joints[o.joint-1].moves)
}

// mark sets (on) or clears the bits of the features option o of group g
// changes in s.set.
func (s *rcSolver) mark(g *rcGroup, o *rcOption, on bool) {
	set := func(j int) {
		if on {
			s.set[j/64] |= 1 << (j % 64)
		} else {
			s.set[j/64] &^= 1 << (j % 64)
		}
	}
	if o.joint == 0 {
		set(g.feat)
		return
	}
	for _, mv := range s.joints[o.joint-1].moves {
		set(mv.term)
	}
}

// topCost is the largest cost of one change in option o.
func topCost(o *rcOption, joints []rcJoint) float64 {
	if o.joint == 0 {
		return o.cost
	}
	c := 0.0
	for _, mv := range joints[o.joint-1].moves {
		c = math.Max(c, mv.cost)
	}
	return c
}

// bestReach is the largest total gain of at most maxC changes (0: no cap),
// one option per group, by dynamic programming over the groups, with the
// options that reach it (-1 for a group left unchanged).
func bestReach(groups []rcGroup, joints []rcJoint, maxC int) (float64, []int) {
	cap := 0
	for _, g := range groups {
		most := 0
		for _, o := range g.opts {
			most = max(most, optChanges(&o, joints))
		}
		cap += most
	}
	if maxC > 0 && maxC < cap {
		cap = maxC
	}
	// best[d][c]: the largest gain of groups d.. with at most c changes.
	n := len(groups)
	best := make([][]float64, n+1)
	choice := make([][]int, n+1)
	for d := range best {
		best[d] = make([]float64, cap+1)
		choice[d] = make([]int, cap+1)
	}
	for d := n - 1; d >= 0; d-- {
		for c := 0; c <= cap; c++ {
			best[d][c], choice[d][c] = best[d+1][c], -1
			for i, o := range groups[d].opts {
				k := optChanges(&o, joints)
				if k > c {
					continue
				}
				if v := o.gain + best[d+1][c-k]; v > best[d][c] {
					best[d][c], choice[d][c] = v, i
				}
			}
		}
	}
	picks := make([]int, n)
	c := cap
	for d := range n {
		picks[d] = choice[d][c]
		if picks[d] >= 0 {
			c -= optChanges(&groups[d].opts[picks[d]], joints)
		}
	}
	return best[0][cap], picks
}

func optChanges(o *rcOption, joints []rcJoint) int {
	if o.joint == 0 {
		return 1
	}
	return len(joints[o.joint-1].moves)
}
