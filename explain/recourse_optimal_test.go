package explain_test

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"

	"github.com/candorscore/candor/explain"
	"github.com/candorscore/candor/internal/metric"
	"github.com/candorscore/candor/score"
	"github.com/stretchr/testify/require"
)

// The optimality tests enumerate every combination of allowed moves, with
// the allowed values and their costs computed here independently from the
// definitions in the FeatureAction documentation, and check that the
// search's answers cost exactly the brute-force minimum (1e-9), for the
// first answer and for each diverse alternative, and that an infeasible
// answer's best reachable probability is the brute-force minimum.

type refMove struct {
	v    score.Value
	cost float64
}

// refPercentile is the percentile of x from percentiles q[0..n], by a plain
// scan: linear between neighbours, the middle of a run of ties, 0 below the
// minimum, 1 above the maximum.
func refPercentile(q []float64, x float64) float64 {
	n := len(q) - 1
	if x < q[0] {
		return 0
	}
	if x > q[n] {
		return 1
	}
	first, last := -1, -1
	for k, v := range q {
		if v == x {
			if first < 0 {
				first = k
			}
			last = k
		}
	}
	if first >= 0 {
		return float64(first+last) / 2 / float64(n)
	}
	for k := 0; k < n; k++ {
		if q[k] < x && x < q[k+1] {
			return (float64(k) + (x-q[k])/(q[k+1]-q[k])) / float64(n)
		}
	}
	panic("unreachable")
}

// refProblem is one brute-force case: the model, the record, and per
// feature (schema index) its allowed moves.
type refProblem struct {
	m      *score.Model
	rec    score.Record
	target score.Probability
	moves  map[int][]refMove
	maxC   int
	maxObj bool // minimise the largest change's cost, then the sum
	// derived features (no moves of their own): recomputed from their
	// sources whenever one of them moves, else left as in rec.
	derived []refDerived
}

// refDerived is a derived feature: schema index col = a op b, rounded to
// dec decimals when dec >= 0.
type refDerived struct {
	col, a, b int
	op        byte
	dec       int
}

// value is the derived value from the sources' values, by its definition;
// ok is false when there is none (a division by zero).
func (d refDerived) value(a, b float64) (float64, bool) {
	var x float64
	switch d.op {
	case '+':
		x = a + b
	case '-':
		x = a - b
	case '*':
		x = a * b
	case '/':
		if b == 0 {
			return 0, false
		}
		x = a / b
	}
	if d.dec >= 0 {
		p := math.Pow(10, float64(d.dec))
		x = math.Round(x*p) / p
	}
	return x, true
}

// follow sets the derived features of rec from their sources; false when a
// moved source leaves one without a value (the combination is no choice).
func (p *refProblem) follow(rec score.Record) bool {
	for _, d := range p.derived {
		if rec[d.a] == p.rec[d.a] && rec[d.b] == p.rec[d.b] {
			rec[d.col] = p.rec[d.col]
			continue
		}
		x, ok := d.value(rec[d.a].Float(), rec[d.b].Float())
		if !ok {
			return false
		}
		rec[d.col] = score.Num(x)
	}
	return true
}

// Outcomes of refProblem.check.
const (
	checkedAnswered = iota
	checkedInfeasible
	checkedAlready
)

type refAnswer struct {
	cost float64 // the objective: the sum, or the largest cost under maxObj
	sum  float64
	set  []int // schema indexes changed, ascending
	prob score.Probability
}

// brute enumerates every combination; it returns the cheapest flipping
// combination whose feature set is neither equal to nor a superset of a
// forbidden set (ties to fewer changes), and the lowest probability reached
// by any combination of at most maxC changes.
func (p *refProblem) brute(forbidden [][]int) (best *refAnswer, minProb score.Probability) {
	m := p.m
	cur, err := m.Score(p.rec)
	if err != nil {
		panic(err)
	}
	minProb = cur.Probability
	T := m.ScoreFor(p.target.LogOdds())
	margin := 1e-9 * math.Max(1, math.Abs(T))
	feats := make([]int, 0, len(p.moves))
	for f := range p.moves {
		feats = append(feats, f)
	}
	slices.Sort(feats)
	rec := slices.Clone(p.rec)
	var walk func(k int, cost, top float64, set []int)
	walk = func(k int, cost, top float64, set []int) {
		if k == len(feats) {
			if len(set) == 0 || (p.maxC > 0 && len(set) > p.maxC) || !p.follow(rec) {
				return
			}
			res, err := m.Score(rec)
			if err != nil {
				panic(err)
			}
			minProb = min(minProb, res.Probability)
			flips := res.Score < T-margin
			if m.Kind() == score.ScorecardModel {
				flips = res.Score > T+margin
			}
			if !flips {
				return
			}
			for _, f := range forbidden {
				if subsetInt(f, set) {
					return
				}
			}
			obj := cost
			if p.maxObj {
				obj = top
			}
			better := best == nil || obj < best.cost-1e-12
			if !better && obj <= best.cost+1e-12 {
				better = cost < best.sum-1e-12 || (cost <= best.sum+1e-12 && len(set) < len(best.set))
				if !p.maxObj {
					better = len(set) < len(best.set)
				}
			}
			if better {
				best = &refAnswer{cost: obj, sum: cost, set: slices.Clone(set), prob: res.Probability}
			}
			return
		}
		f := feats[k]
		walk(k+1, cost, top, set)
		old := rec[f]
		for _, mv := range p.moves[f] {
			rec[f] = mv.v
			walk(k+1, cost+mv.cost, max(top, mv.cost), append(set, f))
		}
		rec[f] = old
	}
	walk(0, 0, 0, nil)
	return best, minProb
}

// checkDerived checks a counterfactual's derived changes: applying its
// changes to the record, every derived feature has its sources' value
// (recomputed when a source moved, else unchanged), each change of one is
// marked Derived and costs nothing, and no derived feature changes without
// a change of a source.
func (p *refProblem) checkDerived(t *testing.T, cf explain.Counterfactual, label string) {
	t.Helper()
	rec := slices.Clone(p.rec)
	sch := p.m.Schema()
	for _, ch := range cf.Changes {
		rec[sch.Index(ch.Feature)] = ch.ToVal
	}
	want := slices.Clone(rec)
	require.True(t, p.follow(want), "%s: a derived feature without a value", label)
	for _, d := range p.derived {
		require.Equal(t, want[d.col], rec[d.col], "%s: %s is %v, its sources give %v", label, sch.Feature(d.col).Name, rec[d.col], want[d.col])
	}
	for _, ch := range cf.Changes {
		isDerived := slices.ContainsFunc(p.derived, func(d refDerived) bool { return sch.Index(ch.Feature) == d.col })
		require.Equal(t, isDerived, ch.Derived, "%s: change of %s", label, ch.Feature)
		if isDerived {
			require.Zero(t, ch.Cost, "%s: a derived change costs nothing of its own", label)
		}
	}
}

func subsetInt(a, b []int) bool {
	for _, x := range a {
		if !slices.Contains(b, x) {
			return false
		}
	}
	return true
}

// check runs the search with K alternatives and compares with brute force.
func (p *refProblem) check(t *testing.T, sp *explain.ActionSpace, k int, label string) int {
	t.Helper()
	obj := explain.SumCost
	if p.maxObj {
		obj = explain.MaxCost
	}
	// The optimiser alone: every allowed move, whatever the training data
	// say of it (the honest-advice rules are tested in advice_test.go).
	r, err := sp.Recourse(context.Background(), p.rec, &explain.RecourseOptions{Target: p.target, MaxChanges: p.maxC, K: k, Objective: obj, AllowUnsupported: true})
	require.NoError(t, err, label)
	if r.Already {
		res, err := p.m.Score(p.rec)
		require.NoError(t, err)
		require.Less(t, float64(res.Probability), float64(p.target))
		return checkedAlready
	}
	var forbidden [][]int
	for a := 0; a < k; a++ {
		want, minProb := p.brute(forbidden)
		if a == 0 && want == nil {
			require.True(t, r.Infeasible, "%s: brute force finds nothing, search answered %+v", label, r.Counterfactuals)
			require.Empty(t, r.Counterfactuals)
			got := r.Probability
			if r.Best != nil {
				got = r.Best.Probability
			}
			require.InDelta(t, float64(minProb), float64(got), 1e-12, "%s: best reachable probability", label)
			return checkedInfeasible
		}
		if want == nil {
			require.Len(t, r.Counterfactuals, a, "%s: brute force has no alternative %d", label, a+1)
			return checkedAnswered
		}
		require.Greater(t, len(r.Counterfactuals), a, "%s: brute force finds alternative %d at cost %v", label, a+1, want.cost)
		cf := r.Counterfactuals[a]
		require.InDelta(t, want.cost, cf.Cost, 1e-9, "%s: alternative %d: brute force %v at cost %v", label, a+1, want.set, want.cost)
		var sum float64
		for _, ch := range cf.Changes {
			sum += ch.Cost
		}
		require.InDelta(t, want.sum, sum, 1e-9, "%s: alternative %d: sum of costs", label, a+1)
		var set []int
		for _, ch := range cf.Changes {
			if !ch.Derived {
				set = append(set, p.m.Schema().Index(ch.Feature))
			}
		}
		p.checkDerived(t, cf, label)
		slices.Sort(set)
		forbidden = append(forbidden, set)
	}
	return checkedAnswered
}

// randomProblem builds a random model (logistic or scorecard) of 2 to 5
// features, random actions, a random customer and target, and the
// independent list of allowed moves.
func randomProblem(rng *rand.Rand) (*refProblem, *explain.Actions, error) {
	nf := 2 + rng.IntN(4)
	kind := score.LogisticModel
	if rng.IntN(2) == 0 {
		kind = score.ScorecardModel
	}
	sc := score.NewScaling(0, 0, 0)
	spec := score.Spec{Name: "random", Kind: kind}
	if kind == score.ScorecardModel {
		spec.Scaling = &sc
		spec.Intercept = 400 + 100*rng.Float64()
	} else {
		spec.Intercept = rng.NormFloat64()
	}
	acts := &explain.Actions{Features: map[string]explain.FeatureAction{}}
	p := &refProblem{moves: map[int][]refMove{}, maxC: rng.IntN(4), target: score.Probability(0.2 + 0.4*rng.Float64())}
	scale := 1.0
	if kind == score.ScorecardModel {
		scale = sc.Factor
	}
	type plan struct {
		grid  []float64
		quant []float64
		cpu   *float64
		lo    float64
		hi    float64
		dir   explain.ActionDirection
		imm   bool
		// categorical
		labels []string
		counts []float64
		trans  map[string][]string
		tcost  map[string]map[string]float64
		change *float64
	}
	plans := make([]plan, nf)
	for i := 0; i < nf; i++ {
		name := fmt.Sprintf("f%d", i)
		pl := plan{imm: rng.IntN(7) == 0, lo: math.Inf(-1), hi: math.Inf(1)}
		fa := explain.FeatureAction{Immutable: pl.imm}
		if rng.IntN(2) == 0 { // numeric
			spec.Features = append(spec.Features, score.Feature{Name: name})
			for len(pl.grid) < 3+rng.IntN(4) {
				x := math.Round(rng.Float64()*20-10) / 2
				if !slices.Contains(pl.grid, x) {
					pl.grid = append(pl.grid, x)
				}
			}
			fa.Grid = pl.grid
			fa.MinChange = new(float64) // every grid move counts
			term := score.Term{Feature: name}
			if kind == score.ScorecardModel {
				term.Kind = score.BinnedTerm
				cuts := []float64{-2.5 + rng.Float64(), 0.5 + rng.Float64()*2}
				for b := 0; b <= len(cuts); b++ {
					bin := score.Bin{Kind: score.RangeBin, Effect: scale * rng.NormFloat64()}
					if b > 0 {
						bin.Lower = &cuts[b-1]
					}
					if b < len(cuts) {
						bin.Upper = &cuts[b]
					}
					term.Bins = append(term.Bins, bin)
				}
			} else {
				term.Kind, term.Coef = score.LinearTerm, rng.NormFloat64()*0.6
			}
			if rng.IntN(2) == 0 {
				c := 0.05 + rng.Float64()
				pl.cpu, fa.CostPerUnit = &c, &c
			} else {
				sample := make([]float64, 25)
				for s := range sample {
					sample[s] = math.Round(rng.NormFloat64()*6) / 2
				}
				slices.Sort(sample)
				pl.quant = make([]float64, 101)
				for q := range pl.quant {
					pl.quant[q] = metric.Quantile(sample, float64(q)/100)
				}
				term.Stats = &score.Stats{Count: 25, Quantiles: pl.quant}
				pl.lo, pl.hi = pl.quant[1], pl.quant[99]
			}
			if rng.IntN(3) == 0 {
				lo := -3.0
				pl.lo, fa.Min = lo, &lo
			}
			switch rng.IntN(3) {
			case 1:
				pl.dir = explain.IncreaseOnly
			case 2:
				pl.dir = explain.DecreaseOnly
			}
			fa.Direction = pl.dir
			spec.Terms = append(spec.Terms, term)
		} else {
			nl := 2 + rng.IntN(4)
			for l := 0; l < nl; l++ {
				pl.labels = append(pl.labels, fmt.Sprintf("L%d", l))
				pl.counts = append(pl.counts, float64(1+rng.IntN(50)))
			}
			spec.Features = append(spec.Features, score.Feature{Name: name, Kind: score.Categorical, Categories: pl.labels})
			term := score.Term{Feature: name}
			if kind == score.ScorecardModel {
				term.Kind = score.BinnedTerm
				for l, lab := range pl.labels {
					term.Bins = append(term.Bins, score.Bin{Kind: score.CategoryBin, Categories: []string{lab}, Effect: scale * rng.NormFloat64(), Count: pl.counts[l]})
				}
			} else {
				term.Kind, term.Reference = score.CategoricalTerm, pl.labels[0]
				for l, lab := range pl.labels {
					e := rng.NormFloat64()
					if l == 0 {
						e = 0
					}
					term.Levels = append(term.Levels, score.Level{Label: lab, Effect: e, Count: pl.counts[l]})
				}
			}
			switch rng.IntN(4) {
			case 0:
				pl.trans = map[string][]string{}
				for _, from := range pl.labels {
					for _, to := range pl.labels {
						if to != from && rng.IntN(2) == 0 {
							pl.trans[from] = append(pl.trans[from], to)
						}
					}
				}
				fa.Transitions = pl.trans
			case 1:
				c := rng.Float64()
				pl.change, fa.ChangeCost = &c, &c
			case 2:
				pl.tcost = map[string]map[string]float64{}
				for _, from := range pl.labels {
					pl.tcost[from] = map[string]float64{}
					for _, to := range pl.labels {
						if to != from && rng.IntN(2) == 0 {
							pl.tcost[from][to] = rng.Float64() * 0.5
						}
					}
				}
				fa.TransitionCosts = pl.tcost
			}
			spec.Terms = append(spec.Terms, term)
		}
		plans[i] = pl
		acts.Features[name] = fa
	}
	m, err := score.NewModel(spec)
	if err != nil {
		return nil, nil, err
	}
	p.m = m
	p.rec = make(score.Record, nf)
	for i, pl := range plans {
		if pl.labels != nil {
			p.rec[i] = score.Cat(pl.labels[rng.IntN(len(pl.labels))])
			continue
		}
		x := pl.grid[rng.IntN(len(pl.grid))]
		if rng.IntN(3) == 0 {
			x = math.Round(rng.Float64()*100-50) / 10
		}
		p.rec[i] = score.Num(x)
	}
	// Allowed moves, from the definitions.
	for i, pl := range plans {
		if pl.imm {
			continue
		}
		var mv []refMove
		if pl.labels != nil {
			from := p.rec[i].Label()
			var total float64
			for _, c := range pl.counts {
				total += c
			}
			for l, to := range pl.labels {
				if to == from || (pl.trans != nil && !slices.Contains(pl.trans[from], to)) {
					continue
				}
				cost := 1 - pl.counts[l]/total
				if pl.change != nil {
					cost = *pl.change
				}
				if c, ok := pl.tcost[from][to]; ok {
					cost = c
				}
				mv = append(mv, refMove{score.Cat(to), cost})
			}
		} else {
			x := p.rec[i].Float()
			for _, v := range pl.grid {
				if v == x || v < pl.lo || v > pl.hi || (pl.dir == explain.IncreaseOnly && v < x) || (pl.dir == explain.DecreaseOnly && v > x) {
					continue
				}
				var cost float64
				if pl.cpu != nil {
					cost = *pl.cpu * math.Abs(v-x)
				} else {
					cost = math.Abs(refPercentile(pl.quant, v) - refPercentile(pl.quant, x))
				}
				mv = append(mv, refMove{score.Num(v), cost})
			}
		}
		p.moves[i] = mv
	}
	return p, acts, nil
}

// TestRecourseOptimalRandom: 3,000 random small models, action sets and
// customers; brute force over every combination finds nothing cheaper, for
// the answer and for its two diverse alternatives. One trial in three
// minimises the largest change's cost (MaxCost) instead of the sum.
func TestRecourseOptimalRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 2026))
	var counts [3]int
	for trial := 0; trial < 3000; trial++ {
		p, acts, err := randomProblem(rng)
		require.NoError(t, err)
		p.maxObj = trial%3 == 2
		sp, err := explain.NewActionSpace(p.m, acts, nil)
		if errors.Is(err, explain.ErrNothingActionable) {
			continue // every feature drawn immutable
		}
		require.NoError(t, err, "trial %d", trial)
		counts[p.check(t, sp, 3, fmt.Sprintf("trial %d", trial))]++
	}
	t.Logf("answered %d, infeasible %d, already below the target %d", counts[checkedAnswered], counts[checkedInfeasible], counts[checkedAlready])
	require.Greater(t, counts[checkedAnswered], 600)
	require.Greater(t, counts[checkedInfeasible], 200)
}

// shapeTurnsTwice is the rule of explain.WithheldShapeTurns, written again
// from its documentation: a numeric feature with no declared trend whose
// binned term's flat range bins, pooled in order into cells of at least 5%
// of the bins' rows (a short last pool joins the one before), have
// row-weighted mean effects that change direction twice or more.
func shapeTurnsTwice(m *score.Model, name string) bool {
	f, _ := m.Schema().Lookup(name)
	j := m.TermOf(name)
	if f.Kind != score.Numeric || f.Trend != score.TrendAuto || j < 0 || m.Term(j).Kind != score.BinnedTerm {
		return false
	}
	bins := m.Term(j).Bins
	var all float64
	for _, b := range bins {
		all += b.Count
	}
	type cell struct{ n, sum float64 }
	var cells []cell
	var open cell
	for _, b := range bins {
		if b.Kind != score.RangeBin {
			continue
		}
		open.n, open.sum = open.n+b.Count, open.sum+b.Count*b.Effect
		if open.n >= 0.05*all {
			cells, open = append(cells, open), cell{}
		}
	}
	if open.n > 0 && len(cells) > 0 {
		cells[len(cells)-1].n += open.n
		cells[len(cells)-1].sum += open.sum
	}
	turns, dir := 0, 0
	for k := 1; k < len(cells); k++ {
		d := 0
		switch a, b := cells[k-1].sum/cells[k-1].n, cells[k].sum/cells[k].n; {
		case b > a:
			d = 1
		case b < a:
			d = -1
		}
		if d != 0 && dir != 0 && d != dir {
			turns++
		}
		if d != 0 {
			dir = d
		}
	}
	return turns >= 2
}

// TestRecourseOptimalGerman: sampled declined German credit applicants,
// both models, the default costs (percentile shift from the training data;
// 1 - share of the new label; mid-percentile shift for ordered savings) over
// restricted grids, brute force over every combination of six actionable
// features.
func TestRecourseOptimalGerman(t *testing.T) {
	g := german(t)
	acts := &explain.Actions{Features: map[string]explain.FeatureAction{
		"duration_in_month": {Direction: explain.DecreaseOnly, Grid: []float64{6, 12, 18, 24, 36}},
		"credit_amount":     {Direction: explain.DecreaseOnly, Grid: []float64{500, 1000, 2000, 4000, 8000}},
		"savings_account_and_bonds": {Direction: explain.IncreaseOnly, Order: []string{
			"unknown/ no savings account", "... < 100 DM", "100 <= ... < 500 DM", "500 <= ... < 1000 DM", "... >= 1000 DM"}},
		"other_debtors_or_guarantors":         {Transitions: map[string][]string{"none": {"guarantor"}, "co-applicant": {"guarantor"}}},
		"status_of_existing_checking_account": {},
		"purpose":                             {},
	}}
	for _, name := range []string{"duration_in_month", "credit_amount"} {
		fa := acts.Features[name]
		fa.MinChange = new(float64) // no minimum: the brute force below has none
		acts.Features[name] = fa
	}
	actionable := []string{"duration_in_month", "credit_amount", "savings_account_and_bonds", "other_debtors_or_guarantors",
		"status_of_existing_checking_account", "purpose"}
	for _, f := range g.schema.Features() {
		if f.Role == score.Input && !slices.Contains(actionable, f.Name) {
			acts.Immutable = append(acts.Immutable, f.Name)
		}
	}
	// Independent costs: percentiles and shares from the table.
	quant := map[string][]float64{}
	for _, name := range []string{"duration_in_month", "credit_amount"} {
		q := make([]float64, 101)
		for k := range q {
			q[k] = columnQuantile(t, g.table, name, float64(k)/100)
		}
		quant[name] = q
	}
	share := map[string]map[string]float64{}
	for _, name := range actionable[2:] {
		share[name] = map[string]float64{}
		col := g.table.Column(name)
		for i := 0; i < g.table.Len(); i++ {
			share[name][g.table.Cell(i, col)] += 1.0 / float64(g.table.Len())
		}
	}
	order := acts.Features["savings_account_and_bonds"].Order
	mid := func(l string) float64 {
		var cum float64
		for _, o := range order {
			if o == l {
				return cum + share["savings_account_and_bonds"][o]/2
			}
			cum += share["savings_account_and_bonds"][o]
		}
		panic(l)
	}
	frozen := map[string]bool{}
	for _, mc := range []struct {
		name string
		m    *score.Model
	}{{"logistic", g.logistic}, {"scorecard", g.scorecard}, {"fitted", g.fitted}, {"boosted with pairs", germanBoostedPairs(t)}} {
		sp, err := explain.NewActionSpace(mc.m, acts, g.table)
		require.NoError(t, err)
		rows := declined(t, mc.m, g.table, 0.5)
		checked, answered := 0, 0
		for n, i := range rows {
			if n%6 != 0 {
				continue
			}
			rec, err := g.table.Record(mc.m.Schema(), i)
			require.NoError(t, err)
			p := &refProblem{m: mc.m, rec: rec, target: 0.5, moves: map[int][]refMove{}, maxC: []int{0, 2}[n%12/6], maxObj: n%24 >= 12}
			for _, name := range actionable {
				fi := mc.m.Schema().Index(name)
				var mv []refMove
				fa := acts.Features[name]
				if q, ok := quant[name]; ok {
					x := rec[fi].Float()
					for _, v := range fa.Grid {
						if v < x && v >= q[1] && v <= q[99] {
							mv = append(mv, refMove{score.Num(v), math.Abs(refPercentile(q, v) - refPercentile(q, x))})
						}
					}
				} else {
					from := rec[fi].Label()
					f, _ := mc.m.Schema().Lookup(name)
					for _, to := range f.Categories {
						if to == from {
							continue
						}
						cost := 1 - share[name][to]
						switch name {
						case "savings_account_and_bonds":
							if slices.Index(order, to) < slices.Index(order, from) {
								continue
							}
							cost = math.Abs(mid(to) - mid(from))
						case "other_debtors_or_guarantors":
							if to != "guarantor" {
								continue
							}
						}
						mv = append(mv, refMove{score.Cat(to), cost})
					}
				}
				if shapeTurnsTwice(mc.m, name) {
					mv = nil // no move on an undeclared shape with two or more turns
					frozen[mc.name+" "+name] = true
				}
				p.moves[fi] = mv
			}
			checked++
			if p.check(t, sp, 2, mc.name+" row "+strconv.Itoa(i+1)) == checkedAnswered {
				answered++
			}
		}
		t.Logf("%s: %d applicants checked by brute force, %d answered", mc.name, checked, answered)
		require.Greater(t, checked, 35)
		require.Greater(t, answered, 20)
	}
	t.Logf("frozen by the shape rule: %v", slices.Sorted(maps.Keys(frozen)))
	require.True(t, frozen["scorecard credit_amount"], "the hand scorecard's credit_amount (quintile bins) turns twice")
}
