package fit_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/fit"
	"github.com/stretchr/testify/require"
)

// tinyColumn is the hand-computed table of the WoE/IV tests:
// x < 2: 4 rows, 1 event; x >= 2: 4 rows, 3 events; missing: 2 rows, 1 event.
// Totals: 5 events, 5 non-events.
func tinyColumn() ([]score.Value, []bool) {
	xs := []score.Value{score.Num(0), score.Num(1), score.Num(1), score.Num(0),
		score.Num(2), score.Num(3), score.Num(3), score.Num(5),
		score.Missing(), score.Missing()}
	ev := []bool{true, false, false, false,
		true, true, true, false,
		true, false}
	return xs, ev
}

func TestWoEIVByHand(t *testing.T) {
	xs, ev := tinyColumn()
	f := score.Feature{Name: "x", Kind: score.Numeric}
	b, err := fit.ApplyBins(f, xs, ev, nil, fit.BinSpec{Cuts: []float64{2}})
	require.NoError(t, err)
	require.Len(t, b.Bins, 3) // [-inf,2), [2,+inf), missing
	// Hand computation: WoE = ln((non-events/5) / (events/5)).
	// [-inf,2): ln((3/5)/(1/5)) = ln 3 = 1.0986122887 (safer than average: positive)
	// [2,+inf): ln((1/5)/(3/5)) = -ln 3
	// missing: ln((1/5)/(1/5)) = 0
	// IV = (0.6-0.2)*ln3 + (0.2-0.6)*(-ln3) + 0 = 0.8*ln3 = 0.8788898309
	want := []struct {
		kind          score.BinKind
		count, events float64
		woe, iv       float64
	}{
		{score.RangeBin, 4, 1, math.Log(3), 0.4 * math.Log(3)},
		{score.RangeBin, 4, 3, -math.Log(3), 0.4 * math.Log(3)},
		{score.MissingBin, 2, 1, 0, 0},
	}
	for k, w := range want {
		require.Equal(t, w.kind, b.Bins[k].Kind, "bin %d", k)
		require.InDelta(t, w.count, b.Bins[k].Count, 0, "bin %d", k)
		require.InDelta(t, w.events, b.Bins[k].Events, 0, "bin %d", k)
		require.InDelta(t, w.woe, b.Bins[k].WoE, 1e-12, "bin %d", k)
		require.InDelta(t, w.iv, b.BinIV(k), 1e-12, "bin %d", k)
	}
	require.InDelta(t, 0.8788898309344879, b.IV, 1e-12)
	require.Equal(t, fit.TrendAscending, b.Trend)
	require.Equal(t, "[-inf, 2)", b.Bins[0].Label)
	require.Equal(t, "[2, +inf)", b.Bins[1].Label)
}

func TestWoEZeroCountCorrection(t *testing.T) {
	// A hand bin with no events: 0.5 is added to both of its counts.
	// Totals: 8 non-events, 5 events. Bin x >= 10: 3 non-events, 0 events:
	// WoE = ln((3.5/8) / (0.5/5)) = 1.4759065198.
	xs, ev := tinyColumn()
	xs = append(xs, score.Num(10), score.Num(11), score.Num(12))
	ev = append(ev, false, false, false)
	b, err := fit.ApplyBins(score.Feature{Name: "x"}, xs, ev, nil, fit.BinSpec{Cuts: []float64{2, 10}})
	require.NoError(t, err)
	require.InDelta(t, 1.4759065198095778, b.Bins[2].WoE, 1e-12)
	require.InDelta(t, 1.4759065198095778, fit.WoE(3, 0, 8, 5), 1e-12)
	require.InDelta(t, (3.5/8-0.5/5)*1.4759065198095778, b.BinIV(2), 1e-12)
	require.True(t, isFiniteAll(b))
	// The optimiser never leaves such a bin.
	auto, err := fit.BinFeature(score.Feature{Name: "x"}, xs, ev, nil, &fit.BinningOptions{MinBinShare: -1})
	require.NoError(t, err)
	for _, bin := range auto.Bins {
		if bin.Kind == score.RangeBin {
			require.Greater(t, bin.Events, 0.0)
			require.Greater(t, bin.Count-bin.Events, 0.0)
		}
	}
}

func isFiniteAll(b *fit.Binning) bool {
	for _, bin := range b.Bins {
		if math.IsNaN(bin.WoE) || math.IsInf(bin.WoE, 0) {
			return false
		}
	}
	return !math.IsNaN(b.IV) && !math.IsInf(b.IV, 0)
}

func TestWeightsEqualReplication(t *testing.T) {
	xs, ev := tinyColumn()
	w := []float64{2, 1, 1, 1, 1, 1, 1, 1, 1, 3}
	var xr []score.Value
	var er []bool
	for i := range xs {
		for k := 0; k < int(w[i]); k++ {
			xr = append(xr, xs[i])
			er = append(er, ev[i])
		}
	}
	bw, err := fit.ApplyBins(score.Feature{Name: "x"}, xs, ev, w, fit.BinSpec{Cuts: []float64{2}})
	require.NoError(t, err)
	br, err := fit.ApplyBins(score.Feature{Name: "x"}, xr, er, nil, fit.BinSpec{Cuts: []float64{2}})
	require.NoError(t, err)
	require.InDelta(t, br.IV, bw.IV, 1e-12)
	for k := range br.Bins {
		require.InDelta(t, br.Bins[k].WoE, bw.Bins[k].WoE, 1e-12)
	}
}

// bruteForce enumerates every grouping of the pre-bins (2^(n-1) cut sets)
// and returns the best admissible information value.
func bruteForce(p fit.BinProblem) (float64, bool) {
	n := len(p.Events)
	best, found := math.Inf(-1), false
	for mask := 0; mask < 1<<(n-1); mask++ {
		var rates []float64
		iv, ok := 0.0, true
		start := 0
		for i := 0; i < n && ok; i++ {
			if i < n-1 && mask&(1<<i) == 0 {
				continue
			}
			var e, g float64
			for k := start; k <= i; k++ {
				e += p.Events[k]
				g += p.NonEvents[k]
			}
			start = i + 1
			if e <= 0 || g <= 0 || e+g < p.MinCount {
				ok = false
				break
			}
			gs, es := g/p.TotalNonEvents, e/p.TotalEvents
			iv += (gs - es) * math.Log(gs/es)
			rates = append(rates, e/(e+g))
		}
		if !ok || len(rates) > p.MaxBins || !shapeHolds(p, rates) {
			continue
		}
		if iv > best {
			best, found = iv, true
		}
	}
	return best, found
}

// shapeHolds is trendHolds for p's trend and, for TrendNone with MaxTurns
// set, at most that many changes of direction.
func shapeHolds(p fit.BinProblem, r []float64) bool {
	if !trendHolds(p.Trend, r) {
		return false
	}
	if p.Trend != fit.TrendNone || p.MaxTurns <= 0 {
		return true
	}
	turns := 0
	for i := 2; i < len(r); i++ {
		if (r[i] > r[i-1]) != (r[i-1] > r[i-2]) {
			turns++
		}
	}
	return turns <= p.MaxTurns
}

func trendHolds(t fit.Trend, r []float64) bool {
	turned := false
	for i := 1; i < len(r); i++ {
		up := r[i] > r[i-1]
		if r[i] == r[i-1] {
			return false
		}
		switch t {
		case fit.TrendAscending:
			if !up {
				return false
			}
		case fit.TrendDescending:
			if up {
				return false
			}
		case fit.TrendPeak:
			if up && turned {
				return false
			}
			if !up {
				turned = true
			}
		case fit.TrendValley:
			if !up && turned {
				return false
			}
			if up {
				turned = true
			}
		}
	}
	return true
}

// TestOptimalBinsBruteForce: on random small problems, no admissible
// binning found by exhaustive search has a higher information value than
// the dynamic programme's, and the programme's answer is admissible; the
// shape none is tried with no bound on its turns and with at most 1, 2 or
// 3 (BinProblem.MaxTurns).
func TestOptimalBinsBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	trends := []fit.Trend{fit.TrendAscending, fit.TrendDescending, fit.TrendPeak, fit.TrendValley, fit.TrendNone}
	for c := 0; c < 5000; c++ {
		n := 1 + rng.IntN(11)
		p := fit.BinProblem{Events: make([]float64, n), NonEvents: make([]float64, n),
			MaxBins: 1 + rng.IntN(n+1), Trend: trends[rng.IntN(len(trends))]}
		if p.Trend == fit.TrendNone {
			p.MaxTurns = rng.IntN(4)
		}
		var tot float64
		for i := 0; i < n; i++ {
			p.Events[i] = float64(rng.IntN(6))
			p.NonEvents[i] = float64(rng.IntN(20))
			p.TotalEvents += p.Events[i]
			p.TotalNonEvents += p.NonEvents[i]
			tot += p.Events[i] + p.NonEvents[i]
		}
		if p.TotalEvents == 0 || p.TotalNonEvents == 0 {
			continue
		}
		p.MinCount = math.Floor(rng.Float64() * 0.3 * tot)
		want, wantOK := bruteForce(p)
		starts, got, ok := fit.OptimalBins(p)
		require.Equal(t, wantOK, ok, "case %d: %+v", c, p)
		if !ok {
			continue
		}
		require.InDelta(t, want, got, 1e-12, "case %d: %+v", c, p)
		// The returned grouping is admissible and has the stated IV.
		require.Equal(t, 0, starts[0])
		require.LessOrEqual(t, len(starts), p.MaxBins)
		var rates []float64
		iv := 0.0
		for k, s := range starts {
			end := n
			if k+1 < len(starts) {
				end = starts[k+1]
			}
			var e, g float64
			for i := s; i < end; i++ {
				e += p.Events[i]
				g += p.NonEvents[i]
			}
			require.True(t, e > 0 && g > 0 && e+g >= p.MinCount, "case %d bin %d", c, k)
			gs, es := g/p.TotalNonEvents, e/p.TotalEvents
			iv += (gs - es) * math.Log(gs/es)
			rates = append(rates, e/(e+g))
		}
		require.True(t, shapeHolds(p, rates), "case %d rates %v", c, rates)
		require.InDelta(t, got, iv, 1e-12)
	}
}

func TestBinFeatureNumericConstraints(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	n := 4000
	xs := make([]score.Value, n)
	ev := make([]bool, n)
	for i := range xs {
		x := rng.NormFloat64()
		if i%50 == 0 {
			xs[i] = score.Missing()
		} else if i%61 == 0 {
			xs[i] = score.Num(-9)
		} else {
			xs[i] = score.Num(math.Round(x*100) / 100)
		}
		ev[i] = rng.Float64() < 1/(1+math.Exp(1+1.2*x))
	}
	f := score.Feature{Name: "x", Kind: score.Numeric}
	b, err := fit.BinFeature(f, xs, ev, nil, &fit.BinningOptions{Special: []float64{-9}, Trend: fit.TrendAuto})
	require.NoError(t, err)
	require.Equal(t, fit.TrendDescending, b.Trend, "events fall as x rises")
	ranges := 0
	for k, bin := range b.Bins {
		switch bin.Kind {
		case score.RangeBin:
			ranges++
			require.GreaterOrEqual(t, bin.Count, fit.DefaultMinBinShare*float64(n), "bin %d", k)
			require.Greater(t, bin.Events, 0.0)
			require.Greater(t, bin.Count-bin.Events, 0.0)
			if k > 0 {
				require.Less(t, b.EventRate(k), b.EventRate(k-1))
			}
		case score.SpecialBin:
			require.InDelta(t, -9, *bin.Special, 0)
			require.Positive(t, bin.Count)
		case score.MissingBin:
			require.InDelta(t, 80, bin.Count, 0)
		}
	}
	require.LessOrEqual(t, ranges, fit.DefaultMaxBins)
	require.GreaterOrEqual(t, ranges, 3)
	// A peak request on monotone data still yields a valid binning.
	bp, err := fit.BinFeature(f, xs, ev, nil, &fit.BinningOptions{Special: []float64{-9}, Trend: fit.TrendPeak})
	require.NoError(t, err)
	require.GreaterOrEqual(t, bp.IV, b.IV-1e-12, "peak includes the monotone shapes")
}

func TestBinFeatureCategorical(t *testing.T) {
	// Categories with event rates 10%, 20%, 40%, 60%, plus a rare one and a
	// declared category never seen.
	var vals []score.Value
	var ev []bool
	add := func(label string, n, events int) {
		for i := 0; i < n; i++ {
			vals = append(vals, score.Cat(label))
			ev = append(ev, i < events)
		}
	}
	add("a", 300, 30)
	add("b", 300, 60)
	add("c", 200, 80)
	add("d", 195, 117)
	add("rare", 5, 1)
	f := score.Feature{Name: "cat", Kind: score.Categorical, Categories: []string{"a", "b", "c", "d", "rare", "never"}}
	b, err := fit.BinFeature(f, vals, ev, nil, nil)
	require.NoError(t, err)
	var labels [][]string
	for _, bin := range b.Bins {
		if bin.Kind == score.CategoryBin {
			labels = append(labels, bin.Categories)
		}
	}
	// "rare" (0.5% < 1%) and "never" are pooled into one unit with event
	// rate 20%, tied with "b" and ordered after it by label; as a unit of
	// 0.5% it does not start a pre-bin of its own (a pre-bin starts where
	// the preceding rows reach a multiple of 1/20 of the total: 600 of
	// 1,000 rows before the pool, 605 before "c", so the next start is the
	// 650th row) and so joins "c".
	require.Equal(t, [][]string{{"a"}, {"b"}, {"never", "rare", "c"}, {"d"}}, labels)
	require.Equal(t, fit.TrendAscending, b.Trend)
	// Unseen labels: an error by default, an OtherBin on request.
	require.Equal(t, score.MissingBin, b.Bins[len(b.Bins)-1].Kind)
	bn, err := fit.BinFeature(f, vals, ev, nil, &fit.BinningOptions{Unseen: fit.UnseenNeutral})
	require.NoError(t, err)
	require.Equal(t, score.OtherBin, bn.Bins[len(bn.Bins)-1].Kind)
	require.InDelta(t, 0, bn.Bins[len(bn.Bins)-1].WoE, 0)
	br, err := fit.BinFeature(f, vals, ev, nil, &fit.BinningOptions{Unseen: fit.UnseenRiskiest})
	require.NoError(t, err)
	require.InDelta(t, br.Bins[3].WoE, br.Bins[len(br.Bins)-1].WoE, 0, "riskiest = category d's WoE")
}

func TestBinningEdit(t *testing.T) {
	xs, ev := tinyColumn()
	f := score.Feature{Name: "x"}
	b, err := fit.ApplyBins(f, xs, ev, nil, fit.BinSpec{Cuts: []float64{1, 2, 4}})
	require.NoError(t, err)
	m, err := b.Merge(1, 2)
	require.NoError(t, err)
	require.Equal(t, fit.BinSpec{Cuts: []float64{1, 4}}, m.Spec())
	// Merging the bins equals applying the merged cuts to the data.
	again, err := fit.ApplyBins(f, xs, ev, nil, m.Spec())
	require.NoError(t, err)
	require.InDelta(t, again.IV, m.IV, 1e-12)
	for k := range again.Bins {
		require.InDelta(t, again.Bins[k].WoE, m.Bins[k].WoE, 1e-12)
		require.Equal(t, again.Bins[k].Label, m.Bins[k].Label)
	}
	_, err = b.Merge(0, 2)
	require.ErrorIs(t, err, score.ErrModel)
	_, err = b.Merge(2, 4) // range + missing
	require.ErrorIs(t, err, score.ErrModel)
}

func TestBinningErrors(t *testing.T) {
	xs, ev := tinyColumn()
	num := score.Feature{Name: "x"}
	cat := score.Feature{Name: "c", Kind: score.Categorical}
	cases := []struct {
		name string
		run  func() error
		want error
	}{
		{"length mismatch", func() error { _, err := fit.BinFeature(num, xs, ev[:3], nil, nil); return err }, score.ErrData},
		{"one class", func() error {
			_, err := fit.BinFeature(num, xs, make([]bool, len(xs)), nil, nil)
			return err
		}, score.ErrData},
		{"label in numeric", func() error {
			_, err := fit.BinFeature(num, []score.Value{score.Cat("a"), score.Num(1)}, []bool{true, false}, nil, nil)
			return err
		}, score.ErrWrongKind},
		{"not finite", func() error {
			_, err := fit.BinFeature(num, []score.Value{score.Num(math.NaN()), score.Num(1)}, []bool{true, false}, nil, nil)
			return err
		}, score.ErrNotFinite},
		{"cuts not ascending", func() error {
			_, err := fit.ApplyBins(num, xs, ev, nil, fit.BinSpec{Cuts: []float64{3, 1}})
			return err
		}, score.ErrData},
		{"label in no group", func() error {
			_, err := fit.ApplyBins(cat, []score.Value{score.Cat("a"), score.Cat("b")}, []bool{true, false}, nil, fit.BinSpec{Groups: [][]string{{"a"}}})
			return err
		}, score.ErrUnknownCategory},
		{"bad trend", func() error {
			_, err := fit.BinFeature(num, xs, ev, nil, &fit.BinningOptions{Trend: fit.Trend("sideways")})
			return err
		}, score.ErrData},
		{"negative weight", func() error {
			w := make([]float64, len(xs))
			w[0] = -1
			_, err := fit.BinFeature(num, xs, ev, w, nil)
			return err
		}, score.ErrData},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := c.run()
			require.ErrorIs(t, err, c.want)
			var fe *score.FieldError
			require.ErrorAs(t, err, &fe)
		})
	}
}

// FuzzBinFeature: arbitrary numbers (with missing values, specials and
// weights) never panic, in binning (peak, auto or no trend) or in the
// suspect-code search; a successful binning has finite WoE, bins that
// partition the rows, and no optimised bin without events or non-events.
func FuzzBinFeature(f *testing.F) {
	f.Add([]byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, uint8(3), 0.1)
	f.Add([]byte{0, 0, 0, 255, 255, 255, 7, 7}, uint8(1), 0.0)
	f.Fuzz(func(t *testing.T, data []byte, maxBins uint8, share float64) {
		if len(data) < 2 || len(data) > 400 {
			return
		}
		vals := make([]score.Value, len(data))
		ev := make([]bool, len(data))
		w := make([]float64, len(data))
		for i, c := range data {
			switch {
			case c%17 == 0:
				vals[i] = score.Missing()
			case c%13 == 0:
				vals[i] = score.Num(-9)
			default:
				vals[i] = score.Num(float64(c>>1) * 1.5)
			}
			ev[i] = c&1 == 1
			w[i] = float64(1 + c%3)
		}
		trend := []fit.Trend{fit.TrendPeak, fit.TrendAuto, fit.TrendNone}[int(maxBins/10)%3]
		for _, sp := range fit.SuspectCodes(score.Feature{Name: "x", Kind: score.Numeric}, vals, ev, w) {
			require.True(t, sp.Share >= 0.005 && sp.Share <= 1, "%+v", sp)
			require.False(t, math.IsNaN(sp.Z) || math.IsInf(sp.Z, 0) || math.IsNaN(sp.Rate), "%+v", sp)
		}
		b, err := fit.BinFeature(score.Feature{Name: "x"}, vals, ev, w, &fit.BinningOptions{
			MaxBins: int(maxBins % 10), MinBinShare: share, Special: []float64{-9}, Trend: trend})
		if err != nil {
			require.ErrorIs(t, err, score.ErrData)
			return
		}
		require.True(t, isFiniteAll(b))
		var total, events float64
		ranges := 0
		for _, bin := range b.Bins {
			total += bin.Count
			events += bin.Events
			if bin.Kind == score.RangeBin {
				ranges++
			}
		}
		require.InDelta(t, b.Events+b.NonEvents, total, 1e-9)
		require.InDelta(t, b.Events, events, 1e-9)
		for _, bin := range b.Bins {
			if bin.Kind == score.RangeBin && ranges > 1 {
				require.True(t, bin.Events > 0 && bin.Count > bin.Events, "optimised bins are never pure")
			}
		}
		m := score.Feature{Name: "x"}
		again, err := fit.ApplyBins(m, vals, ev, w, b.Spec())
		require.NoError(t, err)
		require.InDelta(t, b.IV, again.IV, 1e-9)
	})
}

func ExampleBinning_Merge() {
	// Hand-given cut points, then an edit: merge the two middle bins and
	// use the edited spec (for example in ScorecardOptions.Bins) to refit.
	// The first bin has no events, so its WoE has the zero-count correction:
	// ln(((2+0.5)/6) / ((0+0.5)/4)) = +1.2040.
	months := []float64{6, 9, 12, 12, 18, 24, 24, 30, 36, 48}
	bad := []bool{false, false, true, false, false, true, false, true, true, false}
	vals := make([]score.Value, len(months))
	for i, m := range months {
		vals[i] = score.Num(m)
	}
	b, err := fit.ApplyBins(score.Feature{Name: "duration"}, vals, bad, nil, fit.BinSpec{Cuts: []float64{12, 24, 36}})
	if err != nil {
		fmt.Println(err)
		return
	}
	merged, err := b.Merge(1, 2)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("before: IV %.4f, cuts %v\n", b.IV, b.Spec().Cuts)
	fmt.Printf("after:  IV %.4f, cuts %v\n", merged.IV, merged.Spec().Cuts)
	for k, bin := range merged.Bins {
		fmt.Printf("  %-12s rows %2.0f  events %1.0f  woe %+.4f\n", bin.Label, bin.Count, bin.Events, merged.Bins[k].WoE)
	}
	// Output:
	// before: IV 0.7751, cuts [12 24 36]
	// after:  IV 0.4863, cuts [12 36]
	//   [-inf, 12)   rows  2  events 0  woe +1.2040
	//   [12, 36)     rows  6  events 3  woe -0.4055
	//   [36, +inf)   rows  2  events 1  woe -0.4055
	//   missing      rows  0  events 0  woe +0.0000
}
