package explain_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/explain"
	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/fit"
)

// withRandomPairs adds one to three pair terms over random features of p's
// model (so some share a feature, and chains link three or four features
// into one component), each with random bins (two or three ranges of a
// numeric feature, one bin per label of a categorical one) and random
// effects, and rebuilds the model. The record and the allowed moves stay:
// the brute force scores every combination with the new model.
func withRandomPairs(t *testing.T, rng *rand.Rand, p *refProblem) {
	t.Helper()
	spec := p.m.Spec()
	nf := len(spec.Features)
	scale := 1.0
	if spec.Kind == score.ScorecardModel {
		scale = spec.Scaling.Factor
	}
	axis := func(f score.Feature) []score.Bin {
		if f.Kind == score.Categorical {
			var bins []score.Bin
			for _, l := range f.Categories {
				bins = append(bins, score.Bin{Kind: score.CategoryBin, Categories: []string{l}})
			}
			return bins
		}
		cuts := []float64{math.Round(rng.Float64()*8-4) / 2}
		if rng.IntN(2) == 0 {
			cuts = append(cuts, cuts[0]+0.5+math.Round(rng.Float64()*6)/2)
		}
		var bins []score.Bin
		for b := 0; b <= len(cuts); b++ {
			bin := score.Bin{Kind: score.RangeBin}
			if b > 0 {
				bin.Lower = &cuts[b-1]
			}
			if b < len(cuts) {
				bin.Upper = &cuts[b]
			}
			bins = append(bins, bin)
		}
		return bins
	}
	used := map[[2]int]bool{}
	for range 1 + rng.IntN(3) {
		a, b := rng.IntN(nf), rng.IntN(nf)
		if a == b || used[[2]int{min(a, b), max(a, b)}] {
			continue
		}
		used[[2]int{min(a, b), max(a, b)}] = true
		fa, fb := spec.Features[a], spec.Features[b]
		rows, cols := axis(fa), axis(fb)
		eff := make([]float64, len(rows)*len(cols))
		for k := range eff {
			eff[k] = scale * rng.NormFloat64()
		}
		spec.Terms = append(spec.Terms, score.Term{Feature: fa.Name, Kind: score.PairTerm, Bins: rows,
			Pair: &score.Pair{Feature: fb.Name, Bins: cols, Effects: eff}})
	}
	m, err := score.NewModel(spec)
	require.NoError(t, err)
	p.m = m
}

// TestRecourseOptimalRandomPairs: as TestRecourseOptimalRandom, on random
// models with pair terms (overlapping pairs included): brute force over
// every combination of allowed moves finds nothing cheaper than the search,
// for the answer and two diverse alternatives, under a cap on changes or
// none, minimising the sum or the largest cost.
func TestRecourseOptimalRandomPairs(t *testing.T) {
	rng := rand.New(rand.NewPCG(16, 2026))
	var counts [3]int
	pairs := 0
	for trial := 0; trial < 2000; trial++ {
		p, acts, err := randomProblem(rng)
		require.NoError(t, err)
		withRandomPairs(t, rng, p)
		if p.m.HasPairs() {
			pairs++
		}
		p.maxObj = trial%3 == 2
		sp, err := explain.NewActionSpace(p.m, acts, nil)
		if errors.Is(err, explain.ErrNothingActionable) {
			continue
		}
		require.NoError(t, err, "trial %d", trial)
		counts[p.check(t, sp, 3, fmt.Sprintf("trial %d", trial))]++
	}
	t.Logf("models with pairs %d; answered %d, infeasible %d, already below the target %d", pairs, counts[checkedAnswered], counts[checkedInfeasible], counts[checkedAlready])
	require.Greater(t, pairs, 1500)
	require.Greater(t, counts[checkedAnswered], 400)
	require.Greater(t, counts[checkedInfeasible], 150)
}

// TestRecourseJointGridRefused: a component whose joint grid exceeds
// MaxJointChoices is a clear ErrJointGrid naming its features.
func TestRecourseJointGridRefused(t *testing.T) {
	grid := func(n int) []float64 {
		g := make([]float64, n)
		for i := range g {
			g[i] = float64(i)
		}
		return g
	}
	cut := 50.0
	var feats []score.Feature
	var terms []score.Term
	for _, name := range []string{"a", "b", "c"} {
		feats = append(feats, score.Feature{Name: name})
		terms = append(terms, score.Term{Feature: name, Kind: score.LinearTerm, Coef: 0.01})
	}
	pair := func(x, y string) score.Term {
		bins := func() []score.Bin {
			c := cut
			return []score.Bin{{Kind: score.RangeBin, Upper: &c}, {Kind: score.RangeBin, Lower: &c}}
		}
		return score.Term{Feature: x, Kind: score.PairTerm, Bins: bins(), Pair: &score.Pair{Feature: y, Bins: bins(), Effects: []float64{1, -1, -1, 1}}}
	}
	terms = append(terms, pair("a", "b"), pair("b", "c"))
	m, err := score.NewModel(score.Spec{Name: "grid", Kind: score.LogisticModel, Features: feats, Intercept: 3, Terms: terms})
	require.NoError(t, err)
	cpu := 1.0
	zero := 0.0
	acts := &explain.Actions{Features: map[string]explain.FeatureAction{}}
	for _, name := range []string{"a", "b", "c"} {
		acts.Features[name] = explain.FeatureAction{Grid: grid(100), CostPerUnit: &cpu, MinChange: &zero}
	}
	sp, err := explain.NewActionSpace(m, acts, nil)
	require.NoError(t, err)
	_, err = sp.Recourse(context.Background(), score.Record{score.Num(10), score.Num(60), score.Num(10)}, &explain.RecourseOptions{AllowUnsupported: true})
	require.ErrorIs(t, err, explain.ErrJointGrid)
	require.ErrorContains(t, err, "a (")
	require.ErrorContains(t, err, "c (")
	// Linear terms change with every value, so every move is its own
	// choice: 100^3 - 1 joint choices. A grid of ten each is answered.
	for _, name := range []string{"a", "b", "c"} {
		acts.Features[name] = explain.FeatureAction{Grid: grid(10), CostPerUnit: &cpu, MinChange: &zero}
	}
	sp, err = explain.NewActionSpace(m, acts, nil)
	require.NoError(t, err)
	_, err = sp.Recourse(context.Background(), score.Record{score.Num(10), score.Num(60), score.Num(10)}, &explain.RecourseOptions{AllowUnsupported: true})
	require.NoError(t, err)
}

// TestRecoursePairNeedsMainTerms: a pair term whose feature has no term of
// its own cannot be searched: ErrPairTerm.
func TestRecoursePairNeedsMainTerms(t *testing.T) {
	c := 0.0
	bins := []score.Bin{{Kind: score.RangeBin, Upper: &c}, {Kind: score.RangeBin, Lower: &c}}
	m, err := score.NewModel(score.Spec{Name: "p", Kind: score.LogisticModel,
		Features: []score.Feature{{Name: "a"}, {Name: "b"}},
		Terms: []score.Term{{Feature: "a", Kind: score.LinearTerm, Coef: 1},
			{Feature: "a", Kind: score.PairTerm, Bins: bins, Pair: &score.Pair{Feature: "b", Bins: bins, Effects: []float64{1, 2, 3, 4}}}}})
	require.NoError(t, err)
	one := 1.0
	_, err = explain.NewActionSpace(m, &explain.Actions{Features: map[string]explain.FeatureAction{"a": {CostPerUnit: &one, Grid: []float64{1, 2}}}}, nil)
	require.ErrorIs(t, err, score.ErrPairTerm)
}

var (
	boostedOnce sync.Once
	boostedPair *score.Model
	boostedErr  error
)

// germanBoostedPairs is a boosted model of German credit (the fixture's
// schema) with four pair terms; two bags keep the fit short.
func germanBoostedPairs(t testing.TB) *score.Model {
	t.Helper()
	g := german(t)
	boostedOnce.Do(func() {
		var bf *fit.BoostedFit
		bf, boostedErr = fit.Boosted(context.Background(), g.table, g.schema, "creditability", "bad", &fit.BoostedOptions{Interactions: 4, OuterBags: 2})
		if boostedErr == nil {
			boostedPair = bf.Model
		}
	})
	require.NoError(t, boostedErr)
	require.True(t, boostedPair.HasPairs())
	return boostedPair
}
