package explain

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/candorscore/candor/internal/metric"
	"github.com/candorscore/candor/score"
)

// CostObjective says how the costs of a counterfactual's changes add up to
// the cost that is minimised.
type CostObjective int

const (
	// SumCost minimises the sum of the changes' costs (the default).
	SumCost CostObjective = iota
	// MaxCost minimises the largest change's cost (Ustun, Spangher and Liu's
	// "maximum percentile shift"), then the sum among answers with that
	// largest cost.
	MaxCost
)

// RecourseOptions controls ActionSpace.Recourse. The zero value (or nil)
// asks for the single cheapest counterfactual that brings the event
// probability below the model's cutoff, with any number of changes.
type RecourseOptions struct {
	// Target is the event probability to get below (strictly); 0 means the
	// model's cutoff (0.5 when it declares none).
	Target score.Probability
	// MaxChanges caps the number of features changed; 0 means no cap.
	MaxChanges int
	// K is the number of diverse alternatives wanted; 0 means 1.
	// Alternative i is the cheapest counterfactual whose set of changed
	// features is neither equal to nor a superset of the set of any earlier
	// alternative: each alternative is a genuinely different way, never an
	// earlier one with extra changes. Alternatives come cheapest first;
	// fewer than K are returned when no further one exists.
	K int
	// Objective is SumCost (the zero value) or MaxCost.
	Objective CostObjective
	// AllowUnsupported keeps counterfactuals that the training data do not
	// support: by default a change is proposed only when the training event
	// rate of its proposed cell is below that of the customer's current
	// cell (Change.Support); with AllowUnsupported any change the other
	// rules allow may be proposed, and the ones without that support are
	// flagged (Change.Unsupported, Counterfactual.Unsupported).
	AllowUnsupported bool
	// Margin is a probability the flip must clear: a counterfactual's event
	// probability must be below Target - Margin (0: just below Target),
	// so that a small error in the model or the customer's data does not
	// undo it. Target - Margin must stay above 0.
	Margin float64
}

// Change is one feature's move in a counterfactual. From and To are the
// values as they appear in a CSV cell (a category label, or a number in its
// shortest round-trip form), so applying the changes to the customer's row
// and scoring it again shows the flip.
type Change struct {
	Feature string      `json:"feature"`
	From    string      `json:"from"`
	To      string      `json:"to"`
	FromVal score.Value `json:"-"`
	ToVal   score.Value `json:"-"`
	// Cost is this change's cost (see FeatureAction for the scale).
	Cost float64 `json:"cost"`
	// Effect is the change of the feature's term, new minus old, in the
	// model's score units (log-odds or points).
	Effect float64 `json:"effect"`
	// Withheld is set by Explainer.PublishRecourse on a change of a
	// sensitive feature: From is Withheld, To the band of the new value,
	// Effect the change between the bands' published effects, and Cost
	// (which depends on the customer's value) is withheld.
	Withheld bool `json:"withheld,omitempty"`
	// Direction is, on a Withheld change of a number, the way the value
	// moves (Higher or Lower), which To says in words; AnyDirection
	// otherwise.
	Direction Direction `json:"-"`
	// Support is the training data behind the change: the event rate and
	// rows of the customer's current cell and of the proposed one (the
	// model's bin for a scorecard term, the level for a categorical term,
	// the training decile for a numeric logistic term). Nil when the model
	// carries no training counts for the feature.
	Support *Support `json:"support,omitempty"`
	// Unsupported is set when the proposed cell's event rate is not below
	// the current cell's (or unknown), or, for a binned term, its effect is
	// not better (cellStat.supports): proposed only with
	// RecourseOptions.AllowUnsupported.
	Unsupported bool `json:"unsupported,omitempty"`
	// Derived marks the change of a derived input (score.Derivation): it
	// is no move of its own but follows from the changes of its sources in
	// the same counterfactual (its value recomputed from theirs), so its
	// Cost is 0 and it counts toward neither MaxChanges nor the
	// alternatives' sets of changed features.
	Derived bool `json:"derived,omitempty"`
}

// Support is the training event rate and (weighted) rows in a change's
// current and proposed cells: a level, a training decile, or a run of
// range bins pooled to at least MinCellShare of the term's rows (a
// scorecard's bin, or neighbouring fine bins of a boosted model).
type Support struct {
	CurrentRate  float64 `json:"current_rate"`
	CurrentRows  float64 `json:"current_rows"`
	ProposedRate float64 `json:"proposed_rate"`
	ProposedRows float64 `json:"proposed_rows"`
}

// Counterfactual is a set of changes that flips the outcome.
type Counterfactual struct {
	// Changes are in the model's term order.
	Changes []Change `json:"changes"`
	// Cost is what the search minimised: the sum of the changes' costs, or
	// under MaxCost their maximum.
	Cost float64 `json:"cost"`
	// Score is the changed record's score in model units (log-odds or points).
	Score float64 `json:"score"`
	// Probability is the changed record's event probability, from scoring it
	// again (not from adding up effects).
	Probability score.Probability `json:"probability"`
	// CostWithheld is set by Explainer.PublishRecourse when a change is
	// Withheld: Cost includes that change's cost and is withheld too.
	CostWithheld bool `json:"cost_withheld,omitempty"`
	// Unsupported is set when some change is Unsupported (only with
	// RecourseOptions.AllowUnsupported).
	Unsupported bool `json:"unsupported,omitempty"`
}

// Limit is one constraint that stands between a customer and the target
// when no allowed change reaches it.
type Limit struct {
	// Feature is the constrained feature; empty for "max_changes".
	Feature string `json:"feature,omitempty"`
	// Constraint is "immutable", "direction", "bounds", "transitions",
	// "trend" (moves against the declared or the data's trend), "shape"
	// (any move of a feature whose undeclared shape turns twice or more:
	// WithheldShapeTurns), "support" (moves whose proposed cell's training
	// event rate is not lower) or "max_changes".
	Constraint string `json:"constraint"`
	// Probability is the best event probability reachable if this one
	// constraint were lifted and every other kept.
	Probability score.Probability `json:"probability"`
}

// Recourse is the answer for one customer.
type Recourse struct {
	// Score and Probability are the customer's current score (model units)
	// and event probability; Target is the probability to get below, and
	// every counterfactual is below Target - Margin.
	Score       float64           `json:"score"`
	Probability score.Probability `json:"probability"`
	Target      score.Probability `json:"target"`
	Margin      float64           `json:"margin,omitempty"`
	// Already is true when the probability is already below Target: nothing
	// needs to change and Counterfactuals is empty.
	Already bool `json:"already,omitempty"`
	// Counterfactuals are the cheapest answers, cheapest first.
	Counterfactuals []Counterfactual `json:"counterfactuals,omitempty"`
	// Infeasible is true when no allowed change reaches Target. Then Best is
	// the change with the lowest reachable probability (nil when nothing can
	// move), Limits says which constraints stand in the way, most limiting
	// first, and Reason says it in a sentence.
	Infeasible bool            `json:"infeasible,omitempty"`
	Best       *Counterfactual `json:"best,omitempty"`
	Limits     []Limit         `json:"limits,omitempty"`
	Reason     string          `json:"reason,omitempty"`
	// Nodes counts the branch-and-bound nodes visited (for benchmarks).
	Nodes int `json:"-"`
}

// Recourse finds the cheapest changes to rec that bring its event
// probability below the target, exactly: a multiple-choice knapsack over the
// allowed values of each feature (see FeatureAction for the action sets and
// costs; the total cost is the sum over changed features), solved by branch
// and bound with no solver and no randomness. A feature whose current value
// is missing is left as it is. The search honours ctx and returns its error
// when it ends early.
//
// Every counterfactual returned has been applied to a copy of rec and
// scored again; its probability is below the target by construction. The
// flip is required with a margin of 1e-9 (relative) in score units, so that
// summing the terms in any order still flips it.
func (s *ActionSpace) Recourse(ctx context.Context, rec score.Record, opts *RecourseOptions) (*Recourse, error) {
	if s.m == nil {
		return nil, ErrNotBuilt
	}
	if opts == nil {
		opts = &RecourseOptions{}
	}
	m := s.m
	target := opts.Target
	if target == 0 {
		target = m.Cutoff()
	}
	if !(target > 0 && target < 1) {
		return nil, fmt.Errorf("%w: target probability %v is not in (0, 1)", ErrRecourseModel, float64(target))
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if opts.MaxChanges < 0 || opts.K < 0 {
		return nil, fmt.Errorf("%w: MaxChanges and K must not be negative", ErrActions)
	}
	if opts.Objective != SumCost && opts.Objective != MaxCost {
		return nil, fmt.Errorf("%w: unknown cost objective %d", ErrActions, opts.Objective)
	}
	flip := target - score.Probability(opts.Margin)
	if !(opts.Margin >= 0) || !(flip > 0) {
		return nil, fmt.Errorf("%w: margin %v must be 0 or more and below the target %v", ErrRecourseModel, opts.Margin, float64(target))
	}
	k := max(opts.K, 1)
	terms := make([]float64, m.NumTerms())
	res, err := m.ScoreTerms(rec, terms)
	if err != nil {
		return nil, err
	}
	out := &Recourse{Score: res.Score, Probability: res.Probability, Target: target, Margin: opts.Margin}
	if res.Probability < target {
		out.Already = true
		return out, nil
	}
	threshold := m.ScoreFor(flip.LogOdds())
	need := s.sign*(threshold-res.Score) + 1e-9*math.Max(1, math.Abs(threshold))

	var buf []rcOption
	var groups []rcGroup
	var joints []rcJoint
	for j := range s.feats {
		f := &s.feats[j]
		if f.pair || s.comp[j] >= 0 {
			continue // chosen jointly, below
		}
		start := len(buf)
		buf = s.options(buf, f, rec[f.col], terms[j], 0, opts.AllowUnsupported)
		if len(buf) > start {
			o := buf[start:len(buf):len(buf)]
			groups = append(groups, rcGroup{feat: j, opts: o, maxGain: o[len(o)-1].gain})
		}
	}
	for c := range s.comps {
		g, ok, err := s.jointGroup(c, rec, terms, opts.AllowUnsupported, &joints)
		if err != nil {
			return nil, err
		}
		if ok {
			groups = append(groups, g)
		}
	}
	nTerms := len(s.feats)
	// Alternatives: each later answer may not use exactly, or include, the
	// features of an earlier one. An earlier answer of one feature rules that
	// feature out altogether, so its group is dropped (which also tightens
	// the bounds); larger sets are forbidden inside the search.
	var forbidden [][]int
	excluded := make([]bool, len(s.feats))
	for len(out.Counterfactuals) < k {
		gs := make([]rcGroup, 0, len(groups))
		for _, g := range groups {
			if g.opts[0].joint == 0 {
				if !excluded[g.feat] {
					gs = append(gs, g)
				}
				continue
			}
			// A joint group keeps the choices that change no excluded feature.
			kept := rcGroup{feat: g.feat}
			for _, o := range g.opts {
				if !slices.ContainsFunc(joints[o.joint-1].moves, func(mv rcMove) bool { return excluded[mv.term] }) {
					kept.opts = append(kept.opts, o)
					kept.maxGain = math.Max(kept.maxGain, o.gain)
				}
			}
			if kept.opts != nil {
				gs = append(gs, kept)
			}
		}
		var sv *rcSolver
		var ok bool
		var nodes int
		if opts.Objective == MaxCost {
			sv, ok, nodes, err = solveMaxCost(ctx, gs, need, opts.MaxChanges, forbidden, joints, nTerms)
		} else {
			sv, ok, nodes, err = solveSumCost(ctx, gs, need, opts.MaxChanges, forbidden, joints, nTerms)
		}
		out.Nodes += nodes
		if err != nil {
			return nil, err
		}
		if !ok {
			break
		}
		picks := make([]rcPick, 0, sv.bestN)
		for gi, c := range sv.best {
			if c >= 0 {
				picks = appendPicks(picks, &sv.groups[gi], sv.groups[gi].opts[c], joints)
			}
		}
		cf, err := s.counterfactual(rec, terms, picks)
		if err != nil {
			return nil, err
		}
		if opts.Objective == MaxCost {
			cf.Cost = 0
			for _, ch := range cf.Changes {
				cf.Cost = max(cf.Cost, ch.Cost)
			}
		}
		if !(cf.Probability < flip) {
			return nil, fmt.Errorf("explain: internal error: counterfactual rescored at %v, not below %v", cf.Probability, flip)
		}
		out.Counterfactuals = append(out.Counterfactuals, cf)
		moved := 0 // the features moved (a derived input follows them)
		for _, p := range picks {
			if !p.derived {
				moved++
			}
		}
		if moved == 1 {
			excluded[picks[slices.IndexFunc(picks, func(p rcPick) bool { return !p.derived })].feat] = true
		} else {
			feats := make([]int, 0, moved)
			for _, p := range picks {
				if !p.derived {
					feats = append(feats, p.feat)
				}
			}
			forbidden = append(forbidden, feats)
		}
	}
	if len(out.Counterfactuals) == 0 {
		all := newSolver(ctx, slices.Clone(groups), need, opts.MaxChanges, joints, nTerms)
		if err := s.infeasible(out, rec, terms, all, opts.MaxChanges, opts.AllowUnsupported); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// solveSumCost runs the search on groups (which it reorders) with the
// forbidden feature sets; ok is false when there is no answer.
func solveSumCost(ctx context.Context, groups []rcGroup, need float64, maxC int, forbidden [][]int, joints []rcJoint, nTerms int) (sv *rcSolver, ok bool, nodes int, err error) {
	sv = newSolver(ctx, groups, need, maxC, joints, nTerms)
	for _, f := range forbidden {
		sv.forbidFeatures(f)
	}
	ok = sv.solve()
	return sv, ok, sv.nodes, sv.err
}

// solveMaxCost minimises the largest change's cost: the answer's largest
// cost is one of the options' costs, and an answer within a bound c exists
// exactly when the search over the options costing at most c finds one
// (more options never hurt), so a binary search over the distinct option
// costs finds the least such c; the search at that c minimises the sum.
//
// A joint choice (pair terms) counts at its largest change's cost.
func solveMaxCost(ctx context.Context, groups []rcGroup, need float64, maxC int, forbidden [][]int, joints []rcJoint, nTerms int) (best *rcSolver, ok bool, nodes int, err error) {
	var costs []float64
	for _, g := range groups {
		for _, o := range g.opts {
			costs = append(costs, topCost(&o, joints))
		}
	}
	slices.Sort(costs)
	costs = slices.Compact(costs)
	within := func(c float64) []rcGroup {
		out := make([]rcGroup, 0, len(groups))
		for _, g := range groups {
			if g.opts[0].joint != 0 {
				kept := rcGroup{feat: g.feat}
				for _, o := range g.opts {
					if topCost(&o, joints) <= c {
						kept.opts = append(kept.opts, o)
						kept.maxGain = math.Max(kept.maxGain, o.gain)
					}
				}
				if kept.opts != nil {
					out = append(out, kept)
				}
				continue
			}
			n, _ := slices.BinarySearchFunc(g.opts, c, func(o rcOption, c float64) int {
				if o.cost <= c {
					return -1
				}
				return 1
			})
			if n > 0 {
				out = append(out, rcGroup{feat: g.feat, opts: g.opts[:n:n], maxGain: g.opts[n-1].gain})
			}
		}
		return out
	}
	lo, hi := 0, len(costs)-1
	if hi < 0 {
		return nil, false, 0, nil
	}
	for first := true; first || lo < hi; first = false {
		mid := hi
		if !first {
			mid = (lo + hi) / 2
		}
		sv, found, n, err := solveSumCost(ctx, within(costs[mid]), need, maxC, forbidden, joints, nTerms)
		nodes += n
		if err != nil {
			return nil, false, nodes, err
		}
		switch {
		case found:
			best, hi = sv, mid
		case first:
			return nil, false, nodes, nil
		default:
			lo = mid + 1
		}
	}
	return best, true, nodes, nil
}

// rcPick is one change of a counterfactual: option opt of term feat, or
// (derived) the new value of a derived input that follows its sources.
type rcPick struct {
	feat    int
	opt     rcOption
	derived bool
	v       score.Value
}

// appendPicks appends the changes of option o of group g: one for a change
// of one feature, one per feature of a joint choice and per derived input
// that follows from it.
func appendPicks(picks []rcPick, g *rcGroup, o rcOption, joints []rcJoint) []rcPick {
	if o.joint == 0 {
		return append(picks, rcPick{feat: g.feat, opt: o})
	}
	for _, mv := range joints[o.joint-1].moves {
		picks = append(picks, rcPick{feat: mv.term, opt: rcOption{cand: mv.cand, cost: mv.cost}})
	}
	for _, fw := range joints[o.joint-1].follow {
		picks = append(picks, rcPick{feat: fw.term, derived: true, v: fw.v})
	}
	return picks
}

// counterfactual applies picks to a copy of rec and scores it again.
func (s *ActionSpace) counterfactual(rec score.Record, terms []float64, picks []rcPick) (Counterfactual, error) {
	slices.SortFunc(picks, func(a, b rcPick) int { return a.feat - b.feat })
	changed := slices.Clone(rec)
	cf := Counterfactual{Changes: make([]Change, 0, len(picks))}
	for _, p := range picks {
		f := &s.feats[p.feat]
		if p.derived {
			// No move of its own: its sources' changes carry the cost and
			// the support.
			from := rec[f.col]
			changed[f.col] = p.v
			e, pos, err := s.m.Effect(p.feat, p.v)
			if err != nil {
				return cf, err
			}
			ch := Change{Feature: f.feat.Name, From: from.String(), To: p.v.String(), FromVal: from, ToVal: p.v,
				Effect: e - terms[p.feat], Derived: true}
			cur, to := s.currentCell(f, from), f.facts.cellAt(p.v, pos)
			if cur.ok && to.ok {
				ch.Support = &Support{CurrentRate: cur.rate, CurrentRows: cur.rows, ProposedRate: to.rate, ProposedRows: to.rows}
			}
			cf.Changes = append(cf.Changes, ch)
			continue
		}
		c := &f.cands[p.opt.cand]
		from := rec[f.col]
		changed[f.col] = c.v
		ch := Change{Feature: f.feat.Name, From: from.String(), To: c.v.String(),
			FromVal: from, ToVal: c.v, Cost: p.opt.cost, Effect: c.effect - terms[p.feat]}
		cur := s.currentCell(f, from)
		if cur.ok && c.cell.ok {
			ch.Support = &Support{CurrentRate: cur.rate, CurrentRows: cur.rows, ProposedRate: c.cell.rate, ProposedRows: c.cell.rows}
		}
		ch.Unsupported = !c.cell.supports(cur, s.sign)
		cf.Unsupported = cf.Unsupported || ch.Unsupported
		cf.Changes = append(cf.Changes, ch)
		cf.Cost += p.opt.cost
	}
	res, err := s.m.Score(changed)
	if err != nil {
		return cf, err
	}
	cf.Score, cf.Probability = res.Score, res.Probability
	return cf, nil
}

// infeasible fills the answer for a customer no allowed change can flip:
// the best reachable probability and the constraints that limit it.
func (s *ActionSpace) infeasible(out *Recourse, rec score.Record, terms []float64, sv *rcSolver, maxC int, allow bool) error {
	out.Infeasible = true
	n := len(s.feats)
	gains := make([]float64, n)
	best := make([]rcOption, n)
	for _, g := range sv.groups {
		gains[g.feat] = g.maxGain
		best[g.feat] = g.opts[len(g.opts)-1]
	}
	reach := func(gs []float64) float64 {
		top := slices.Clone(gs)
		slices.SortFunc(top, func(a, b float64) int { return metric.Compare(b, a) })
		if maxC > 0 && maxC < len(top) {
			top = top[:maxC]
		}
		var sum float64
		for _, g := range top {
			sum += g
		}
		return sum
	}
	prob := func(gain float64) score.Probability { return s.m.Link(out.Score + s.sign*gain).Probability }
	// The best reachable answer: the largest gains, at most maxC of them
	// (ties to the earlier term), each at its cheapest largest-gain option.
	order := make([]int, 0, len(sv.groups))
	for _, g := range sv.groups {
		order = append(order, g.feat) // sorted by largest gain, then term
	}
	if maxC > 0 && maxC < len(order) {
		order = order[:maxC]
	}
	joint := slices.ContainsFunc(sv.groups, func(g rcGroup) bool { return g.opts[0].joint != 0 })
	if joint {
		// Joint choices (pair terms) may make several changes: the best
		// reachable answer is a knapsack over the cap, solved exactly.
		_, at := bestReach(sv.groups, sv.joints, maxC)
		var picks []rcPick
		for gi, c := range at {
			if c >= 0 {
				picks = appendPicks(picks, &sv.groups[gi], sv.groups[gi].opts[c], sv.joints)
			}
		}
		order = nil
		if len(picks) > 0 {
			cf, err := s.counterfactual(rec, terms, picks)
			if err != nil {
				return err
			}
			out.Best = &cf
		}
		reach = func(gs []float64) float64 {
			groups := slices.Clone(sv.groups)
			for gi := range groups {
				if g := &groups[gi]; g.opts[0].joint == 0 && gs[g.feat] != g.maxGain {
					g.opts = []rcOption{{gain: gs[g.feat], cost: 0}}
				}
			}
			for j, x := range gs {
				if x > 0 && !slices.ContainsFunc(groups, func(g rcGroup) bool { return g.feat == j && g.opts[0].joint == 0 }) && s.comp[j] < 0 {
					groups = append(groups, rcGroup{feat: j, opts: []rcOption{{gain: x}}, maxGain: x})
				}
			}
			r, _ := bestReach(groups, sv.joints, maxC)
			return r
		}
	}
	if len(order) > 0 {
		picks := make([]rcPick, len(order))
		for i, j := range order {
			picks[i] = rcPick{feat: j, opt: best[j]}
		}
		cf, err := s.counterfactual(rec, terms, picks)
		if err != nil {
			return err
		}
		out.Best = &cf
	}
	base := reach(gains)
	var buf []rcOption
	tried := func(j int, l lift, name string) {
		f := &s.feats[j]
		buf = s.options(buf[:0], f, rec[f.col], terms[j], l, allow)
		if len(buf) == 0 {
			return
		}
		lifted := slices.Clone(gains)
		lifted[j] = buf[len(buf)-1].gain
		if g := reach(lifted); g > base*(1+1e-12)+1e-12 {
			out.Limits = append(out.Limits, Limit{Feature: f.feat.Name, Constraint: name, Probability: prob(g)})
		}
	}
	for j := range s.feats {
		f := &s.feats[j]
		if f.pair || f.derived != nil || s.comp[j] >= 0 {
			continue // chosen jointly (or following its sources): a lifted constraint of one is not measured alone
		}
		if f.immutable {
			tried(j, liftAll, "immutable")
			continue
		}
		if f.dir != BothWays || f.order != nil {
			tried(j, liftDirection, "direction")
		}
		if slices.ContainsFunc(f.cands, func(c rcCand) bool { return !c.inBounds }) {
			tried(j, liftBounds, "bounds")
		}
		if f.trans != nil {
			tried(j, liftTransitions, "transitions")
		}
		if f.facts.trend != 0 {
			tried(j, liftTrend, "trend")
		}
		if f.facts.shapeTurns {
			tried(j, liftShape, "shape")
		}
		if !allow {
			tried(j, liftSupport, "support")
		}
	}
	positive := 0
	for _, g := range gains {
		if g > 0 {
			positive++
		}
	}
	if joint && maxC > 0 {
		if all, _ := bestReach(sv.groups, sv.joints, 0); all > base*(1+1e-12)+1e-12 {
			out.Limits = append(out.Limits, Limit{Constraint: "max_changes", Probability: prob(all)})
		}
	} else if maxC > 0 && positive > maxC {
		var all float64
		for _, g := range gains {
			all += g
		}
		out.Limits = append(out.Limits, Limit{Constraint: "max_changes", Probability: prob(all)})
	}
	slices.SortStableFunc(out.Limits, func(a, b Limit) int {
		if a.Probability != b.Probability {
			return metric.Compare(float64(a.Probability), float64(b.Probability))
		}
		if a.Feature != b.Feature {
			return strings.Compare(a.Feature, b.Feature)
		}
		return strings.Compare(a.Constraint, b.Constraint)
	})
	out.Reason = out.infeasibleReason(maxC)
	return nil
}

// infeasibleReason is Reason of an infeasible answer: the target, the best
// reachable probability and the limits, with their probabilities.
func (out *Recourse) infeasibleReason(maxC int) string {
	bestP := out.Probability
	if out.Best != nil {
		bestP = out.Best.Probability
	}
	var b strings.Builder
	fmt.Fprintf(&b, "no allowed change brings the probability below %s: the best reachable is %s",
		fmtP(float64(out.Target)), fmtP(float64(bestP)))
	if maxC > 0 {
		fmt.Fprintf(&b, " with at most %s", plural(maxC, "change"))
	}
	if len(out.Limits) == 0 {
		b.WriteString("; no single constraint stands in the way (the model's terms cannot move that far)")
	} else {
		b.WriteString("; limited by ")
		for i, l := range out.Limits {
			if i > 0 {
				b.WriteString(", ")
			}
			switch l.Constraint {
			case "max_changes":
				fmt.Fprintf(&b, "the cap of %s (%s without it)", plural(maxC, "change"), fmtP(float64(l.Probability)))
			case "immutable":
				fmt.Fprintf(&b, "%s being immutable (%s if it could change)", l.Feature, fmtP(float64(l.Probability)))
			case "trend":
				fmt.Fprintf(&b, "the data trend of %s (%s if it could move against it)", l.Feature, fmtP(float64(l.Probability)))
			case "shape":
				fmt.Fprintf(&b, "the shape of %s, whose effect changes direction more than once and whose trend is not declared (%s if it could move)", l.Feature, fmtP(float64(l.Probability)))
			case "support":
				fmt.Fprintf(&b, "the data support of %s (%s with moves the training data do not support)", l.Feature, fmtP(float64(l.Probability)))
			default:
				fmt.Fprintf(&b, "the %s of %s (%s without it)", l.Constraint, l.Feature, fmtP(float64(l.Probability)))
			}
		}
	}
	return b.String()
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

func fmtP(p float64) string { return strconv.FormatFloat(p, 'f', 3, 64) }

// MinimalCosts answers every row of t (a table with the model's columns) and
// returns the cost of each row's cheapest counterfactual: 0 when the row is
// already below the target, +Inf when no allowed change reaches it; and
// adverse[i], whether row i is on the adverse side. These are the inputs of
// fairness.RecourseBurden (does one group pay more to change its outcome?).
// opts.K is ignored (one answer per row). The first row that cannot be
// scored stops the run with its error, naming the 1-based row.
func (s *ActionSpace) MinimalCosts(ctx context.Context, t *score.Table, opts *RecourseOptions) (costs []float64, adverse []bool, err error) {
	return s.MinimalCostsOf(ctx, t, nil, opts)
}

// MinimalCostsOf is MinimalCosts over the rows of t listed in rows
// (0-based table rows; nil means every row): costs[k] and adverse[k] are
// those of table row rows[k]. Errors name the 1-based table row, so a
// caller that audits a subset (rows left after dropping blanks) reports
// the row the user sees in the file.
func (s *ActionSpace) MinimalCostsOf(ctx context.Context, t *score.Table, rows []int, opts *RecourseOptions) (costs []float64, adverse []bool, err error) {
	if s.m == nil {
		return nil, nil, ErrNotBuilt
	}
	var o RecourseOptions
	if opts != nil {
		o = *opts
	}
	o.K = 1
	n := len(rows)
	if rows == nil {
		n = t.Len()
	}
	costs, adverse = make([]float64, n), make([]bool, n)
	for k := range costs {
		i := k
		if rows != nil {
			i = rows[k]
		}
		if i < 0 || i >= t.Len() {
			return nil, nil, fmt.Errorf("row %d is past the last row of the table (%d)", i+1, t.Len())
		}
		rec, err := t.Record(s.m.Schema(), i)
		if err != nil {
			return nil, nil, score.WithRow(err, i+1)
		}
		r, err := s.Recourse(ctx, rec, &o)
		if err != nil {
			if ctx.Err() != nil {
				return nil, nil, err
			}
			return nil, nil, score.WithRow(err, i+1)
		}
		switch {
		case r.Already:
		case r.Infeasible:
			costs[k], adverse[k] = math.Inf(1), true
		default:
			costs[k], adverse[k] = r.Counterfactuals[0].Cost, true
		}
	}
	return costs, adverse, nil
}

// HasPercentiles reports whether every numeric term of m stores the
// training percentiles (score.Stats.Quantiles) that NewActionSpace's
// default bounds and costs need when it is given no training table. When it
// is false, pass a table of the population (the training data, or failing
// that the data being answered) to NewActionSpace.
func HasPercentiles(m *score.Model) bool {
	for j := 0; j < m.NumTerms(); j++ {
		if m.TermKind(j) == score.PairTerm {
			continue // its features' own terms carry the percentiles
		}
		t := m.Term(j)
		f := m.Schema().Feature(m.TermFeature(j))
		if f.Kind == score.Numeric && (t.Stats == nil || len(t.Stats.Quantiles) < 2) {
			return false
		}
	}
	return true
}
