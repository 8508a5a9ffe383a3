package explain_test

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/explain"
	"github.com/candorscore/candor/score"
)

// randomModel builds a random additive model with nTerms terms: linear,
// categorical and binned numeric terms, random reason codes (some shared,
// some on levels or bins) and random baselines. Kind alternates between
// logistic and scorecard.
func randomModel(t testing.TB, rng *rand.Rand, nTerms int, kind score.ModelKind) *score.Model {
	t.Helper()
	spec := score.Spec{Name: "random", Kind: kind, Intercept: rng.NormFloat64()}
	if kind == score.ScorecardModel {
		sc := score.NewScaling(0, 0, 0)
		spec.Scaling = &sc
		spec.Intercept = 300 + 50*rng.Float64()
	}
	scale := 1.0
	if kind == score.ScorecardModel {
		scale = 30
	}
	code := func() string {
		if rng.IntN(3) == 0 {
			return fmt.Sprintf("C%d", rng.IntN(4)) // shared codes
		}
		return ""
	}
	for j := range nTerms {
		name := fmt.Sprintf("f%02d", j)
		var f score.Feature
		var term score.Term
		switch rng.IntN(3) {
		case 0:
			f = score.Feature{Name: name, Kind: score.Numeric}
			st := &score.Stats{Count: 100, Min: -3, Max: 5, Mean: rng.Float64()}
			term = score.Term{Feature: name, Kind: score.LinearTerm, Coef: scale * rng.NormFloat64() / 3, Stats: st}
			term.Baseline = term.Coef * st.Mean
		case 1:
			f = score.Feature{Name: name, Kind: score.Categorical}
			term = score.Term{Feature: name, Kind: score.CategoricalTerm, Reference: "L0"}
			for l := range 2 + rng.IntN(4) {
				lv := score.Level{Label: fmt.Sprintf("L%d", l)}
				if l > 0 {
					lv.Effect = scale * rng.NormFloat64()
				}
				if rng.IntN(4) == 0 {
					lv.ReasonCode = code()
				}
				term.Levels = append(term.Levels, lv)
				term.Baseline += lv.Effect / 3
			}
		default:
			f = score.Feature{Name: name, Kind: score.Numeric}
			term = score.Term{Feature: name, Kind: score.BinnedTerm}
			cuts := []float64{-1, 0, 1, 2}[:1+rng.IntN(4)]
			for k := 0; k <= len(cuts); k++ {
				b := score.Bin{Kind: score.RangeBin, Effect: scale * rng.NormFloat64()}
				if k > 0 {
					b.Lower = fp(cuts[k-1])
				}
				if k < len(cuts) {
					b.Upper = fp(cuts[k])
				}
				if rng.IntN(4) == 0 {
					b.ReasonCode = code()
				}
				term.Bins = append(term.Bins, b)
				term.Baseline += b.Effect / float64(len(cuts)+1)
			}
			term.Bins = append(term.Bins, score.Bin{Kind: score.MissingBin, Effect: scale * rng.NormFloat64()})
		}
		term.ReasonCode = code()
		spec.Features = append(spec.Features, f)
		spec.Terms = append(spec.Terms, term)
	}
	m, err := score.NewModel(spec)
	require.NoError(t, err)
	return m
}

func randomRecord(rng *rand.Rand, m *score.Model) score.Record {
	rec := make(score.Record, m.Schema().Len())
	for j := range m.NumTerms() {
		t := m.Term(j)
		i := m.TermFeature(j)
		switch t.Kind {
		case score.LinearTerm:
			rec[i] = score.Num(-3 + 8*rng.Float64())
		case score.CategoricalTerm:
			rec[i] = score.Cat(t.Levels[rng.IntN(len(t.Levels))].Label)
		default:
			if rng.IntN(10) == 0 {
				rec[i] = score.Missing()
			} else {
				rec[i] = score.Num(math.Round(-30+60*rng.Float64()) / 10)
			}
		}
	}
	return rec
}

// referenceReasons recomputes the PMML reason codes from the breakdown
// with maps and sort.SliceStable, independently of the Explainer's
// allocation-free code.
func referenceReasons(m *score.Model, ex *explain.Explanation, alg explain.Algorithm, max int) ([]string, []float64) {
	sign := 1.0
	if alg == explain.PointsBelow {
		sign = -1
	}
	total := map[string]float64{}
	var order []string
	for j, c := range ex.Contributions {
		t := m.Term(j)
		code := t.ReasonCode
		if code == "" {
			code = t.Feature
		}
		p := ex.Positions[j]
		if t.Kind == score.CategoricalTerm && p >= 0 && t.Levels[p].ReasonCode != "" {
			code = t.Levels[p].ReasonCode
		}
		if t.Kind == score.BinnedTerm && p >= 0 && t.Bins[p].ReasonCode != "" {
			code = t.Bins[p].ReasonCode
		}
		if _, ok := total[code]; !ok {
			order = append(order, code)
		}
		total[code] += sign * c
	}
	keep := []string{}
	for _, c := range order {
		if total[c] > 0 {
			keep = append(keep, c)
		}
	}
	sort.SliceStable(keep, func(a, b int) bool { return total[keep[a]] > total[keep[b]] })
	if len(keep) > max {
		keep = keep[:max]
	}
	gaps := make([]float64, len(keep))
	for i, c := range keep {
		gaps[i] = total[c]
	}
	return keep, gaps
}

func TestPropertiesRandomModels(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := range 200 {
		kind := score.LogisticModel
		if trial%2 == 1 {
			kind = score.ScorecardModel
		}
		m := randomModel(t, rng, 1+rng.IntN(20), kind)
		bases := []explain.Baseline{explain.PopulationBaseline(m)}
		best, err := explain.BestBaseline(m)
		require.NoError(t, err)
		bases = append(bases, best)
		var refs []score.Record
		for range 5 {
			refs = append(refs, randomRecord(rng, m))
		}
		ref, err := explain.ReferenceBaseline(m, refs)
		require.NoError(t, err)
		bases = append(bases, ref)
		for _, b := range bases {
			e, err := explain.NewExplainer(m, &explain.Options{Baseline: &b})
			require.NoError(t, err)
			var ex explain.Explanation
			for range 10 {
				rec := randomRecord(rng, m)
				require.NoError(t, e.Explain(rec, &ex))
				// Additivity, to 1e-12 relative.
				sum := ex.Baseline
				for _, c := range ex.Contributions {
					sum += c
				}
				tol := 1e-12 * math.Max(1, math.Abs(ex.Result.Score))
				require.InDelta(t, ex.Result.Score, sum, tol, "trial %d %s", trial, b.Kind)
				// The score is the model's own.
				res, err := m.Score(rec)
				require.NoError(t, err)
				require.Equal(t, res.Score, ex.Result.Score)
				// Reasons agree with an independent computation.
				wantCodes, wantGaps := referenceReasons(m, &ex, e.Algorithm(), 4)
				require.Equal(t, wantCodes, codes(ex.Reasons), "trial %d %s", trial, b.Kind)
				for i := range wantGaps {
					require.InDelta(t, wantGaps[i], ex.Reasons[i].Gap, 1e-9)
					require.Greater(t, ex.Reasons[i].Gap, 0.0)
				}
				// Best baseline: nothing beats it.
				if b.Kind == explain.Best {
					for _, c := range ex.Contributions {
						if e.Algorithm() == explain.PointsBelow {
							require.LessOrEqual(t, c, 1e-12)
						} else {
							require.GreaterOrEqual(t, c, -1e-12)
						}
					}
				}
				// Breakdown order: |contribution| descending, then name.
				ord := e.Order(nil, &ex)
				for k := 1; k < len(ord); k++ {
					a, bb := ord[k-1], ord[k]
					ca, cb := math.Abs(ex.Contributions[a]), math.Abs(ex.Contributions[bb])
					require.True(t, ca > cb || (ca == cb && m.Term(a).Feature < m.Term(bb).Feature))
				}
				// Probability parts add up to the probability change.
				pv, err := e.Probability(nil, &ex)
				require.NoError(t, err)
				var ps float64
				for _, p := range pv.Contributions {
					ps += p
				}
				require.InDelta(t, float64(pv.Total-pv.Baseline), ps, 1e-12)
				require.InDelta(t, float64(ex.Result.Probability), float64(pv.Total), 1e-15)
			}
		}
	}
}

func TestProbabilitySignsFollowLogOdds(t *testing.T) {
	m := dmgScorecard(t, false)
	e, err := explain.NewExplainer(m, nil)
	require.NoError(t, err)
	var ex explain.Explanation
	require.NoError(t, e.Explain(score.Record{score.Cat("engineering"), score.Num(25), score.Num(500)}, &ex))
	pv, err := e.Probability(nil, &ex)
	require.NoError(t, err)
	// Points lost (negative contributions) raise the event probability.
	for j, c := range ex.Contributions {
		require.Equal(t, c < 0, pv.Contributions[j] > 0, "term %d", j)
	}
	// Score 29 vs baseline 47, factor 50/ln 2: event log-odds rise by 18 ln2/50.
	require.InDelta(t, 18*math.Ln2/50, float64(ex.Result.LogOdds-m.Link(ex.Baseline).LogOdds), 1e-12)
}

// TestDeterministicAcrossGoroutines: the same input gives byte-identical
// reports in every goroutine and every run.
func TestDeterministicAcrossGoroutines(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	m := randomModel(t, rng, 20, score.LogisticModel)
	recs := make([]score.Record, 50)
	for i := range recs {
		recs[i] = randomRecord(rng, m)
	}
	e, err := explain.NewExplainer(m, nil)
	require.NoError(t, err)
	cat := explain.DefaultCatalog()
	render := func() []byte {
		var out []byte
		var ex explain.Explanation
		for _, r := range recs {
			require.NoError(t, e.Explain(r, &ex))
			out, err = e.AppendReport(out, cat, "en", &ex, 6)
			require.NoError(t, err)
		}
		return out
	}
	want := render()
	var wg sync.WaitGroup
	got := make([][]byte, 8)
	for g := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var out []byte
			var ex explain.Explanation
			for _, r := range recs {
				if err := e.Explain(r, &ex); err != nil {
					return
				}
				out, _ = e.AppendReport(out, cat, "en", &ex, 6)
			}
			got[g] = out
		}()
	}
	wg.Wait()
	for g := range got {
		require.True(t, bytes.Equal(want, got[g]), "goroutine %d differs", g)
	}
}

func TestExplainErrors(t *testing.T) {
	m := dmgScorecard(t, false)
	e, err := explain.NewExplainer(m, nil)
	require.NoError(t, err)
	var ex explain.Explanation
	err = e.Explain(score.Record{score.Cat("sales"), score.Num(math.NaN()), score.Num(1)}, &ex)
	require.ErrorIs(t, err, score.ErrUnknownCategory)
	require.ErrorIs(t, err, score.ErrNotFinite, "every bad field reported at once")
	err = e.Explain(score.Record{score.Cat("sales")}, &ex)
	require.ErrorIs(t, err, score.ErrSchema)

	_, err = explain.NewExplainer(m, &explain.Options{Baseline: &explain.Baseline{Terms: []float64{1}}})
	require.ErrorIs(t, err, explain.ErrBaseline)
	_, err = explain.NewExplainer(m, &explain.Options{Algorithm: "pointsSideways"})
	require.ErrorIs(t, err, explain.ErrBaseline)
}
