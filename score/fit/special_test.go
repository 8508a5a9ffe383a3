package fit_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/fit"
	"github.com/stretchr/testify/require"
)

// bureauTable is a bureau-style table: months (0-99) since the last late
// payment, with the event rate falling as it rises, and the codes -7 ("no
// late payment on record": 10% of rows, event rate 5%) and -9 ("no bureau
// record": 4%, event rate 60%); one row has a genuine outlier -3 (a single
// row, no code); balance takes negative and positive values alike.
func bureauTable(t *testing.T) *score.Table {
	t.Helper()
	var rows [][]string
	for i := 0; i < 5000; i++ {
		m, bad := i%100, false
		switch {
		case i%50 < 5: // 10%
			m, bad = -7, i%100 == 0
		case i%25 == 7: // 4%
			m, bad = -9, (i/25)%5 < 3
		default:
			bad = (i*7919)%100 < 45-m/3
		}
		if i == 4999 {
			m = -3
		}
		y := "good"
		if bad {
			y = "bad"
		}
		rows = append(rows, []string{fmt.Sprint(m), fmt.Sprint((i*31)%2000 - 1000), y})
	}
	tb, err := score.NewTable([]string{"months_since_delq", "balance", "y"}, rows)
	require.NoError(t, err)
	return tb
}

func TestSuspectCodes(t *testing.T) {
	tb := bureauTable(t)
	s, err := tb.InferSchema().WithRoles(score.Ignored, "y")
	require.NoError(t, err)
	fitted, err := fit.Scorecard(context.Background(), tb, s, "y", "bad", nil)
	require.NoError(t, err)
	// -7 and -9 are negative among non-negative values, tied (10% and 4%)
	// and unlike their neighbours; -3 is one row; balance has no suspects.
	require.Len(t, fitted.Suspects, 2, "%v", fitted.Suspects)
	require.Equal(t, -9.0, fitted.Suspects[0].Value)
	require.Equal(t, -7.0, fitted.Suspects[1].Value)
	for _, sp := range fitted.Suspects {
		require.Equal(t, "months_since_delq", sp.Feature)
		require.Contains(t, sp.String(), `"special"`, "the warning says how to declare it")
		require.Contains(t, sp.String(), "--special auto")
	}
	require.InDelta(t, 0.10, fitted.Suspects[1].Share, 0.001)
	// Undeclared, the codes are numbers: no special bin.
	for _, bin := range fitted.Binning("months_since_delq").Bins {
		require.NotEqual(t, score.SpecialBin, bin.Kind)
	}

	// --special auto: each suspect gets its own bin, recorded in the model.
	auto, err := fit.Scorecard(context.Background(), tb, s, "y", "bad", &fit.ScorecardOptions{Special: fit.SpecialAuto})
	require.NoError(t, err)
	var specials []float64
	for _, bin := range auto.Binning("months_since_delq").Bins {
		if bin.Kind == score.SpecialBin {
			specials = append(specials, *bin.Special)
			require.True(t, strings.HasPrefix(bin.Label, "undeclared code (= "), bin.Label)
		}
	}
	require.Equal(t, []float64{-9, -7}, specials)
	f, _ := auto.Model.Schema().Lookup("months_since_delq")
	require.Equal(t, map[string]string{"-7": "undeclared code", "-9": "undeclared code"}, f.Special)
}

// TestDeclaredSpecialBins: declared codes are bins of their own, named by
// their meaning, never inside a range; scoring a code uses its bin.
func TestDeclaredSpecialBins(t *testing.T) {
	tb := bureauTable(t)
	d, err := score.ParseDeclarations([]byte(`{"features": {"months_since_delq": {
		"label": "months since your most recent late payment",
		"special": {"-7": "no late payment on record", "-9": "no bureau record", "-8": "no usable accounts"},
		"trend": "descending"}}}`))
	require.NoError(t, err)
	s, err := tb.InferSchemaWith(d)
	require.NoError(t, err)
	s, err = s.WithRoles(score.Ignored, "y")
	require.NoError(t, err)
	fitted, err := fit.Scorecard(context.Background(), tb, s, "y", "bad", nil)
	require.NoError(t, err)
	require.Empty(t, fitted.Suspects, "declared codes are not suspects")
	b := fitted.Binning("months_since_delq")
	require.Equal(t, fit.TrendDescending, b.Trend)
	require.Nil(t, b.Choice, "a declared trend is not chosen")
	labels := map[float64]string{}
	var rangeRows float64
	for _, bin := range b.Bins {
		switch bin.Kind {
		case score.SpecialBin:
			labels[*bin.Special] = bin.Label
		case score.RangeBin:
			rangeRows += bin.Count
		}
	}
	require.Equal(t, map[float64]string{-9: "no bureau record (= -9)", -8: "no usable accounts (= -8)", -7: "no late payment on record (= -7)"}, labels)
	// 10% + 4% of 5,000 rows are codes, and none is in a range bin.
	require.InDelta(t, 5000-500-200, rangeRows, 0)
	// The code -8 never occurs: its bin is empty, with WoE 0.
	for _, bin := range b.Bins {
		if bin.Kind == score.SpecialBin && *bin.Special == -8 {
			require.Zero(t, bin.Count)
			require.Zero(t, bin.WoE)
		}
	}
	// The model carries the declarations and scores a code by its bin.
	m := fitted.Model
	f, _ := m.Schema().Lookup("months_since_delq")
	require.Equal(t, "months since your most recent late payment", f.Label)
	require.Equal(t, score.Descending, f.Trend)
	rec := make(score.Record, m.Schema().Len())
	rec[m.Schema().Index("months_since_delq")] = score.Num(-9)
	rec[m.Schema().Index("balance")] = score.Num(0)
	r, err := m.Score(rec)
	require.NoError(t, err)
	var want float64 = m.Intercept()
	for j := 0; j < m.NumTerms(); j++ {
		term := m.Term(j)
		for _, bin := range term.Bins {
			if term.Feature == "months_since_delq" && bin.Kind == score.SpecialBin && *bin.Special == -9 {
				want += bin.Effect
			}
		}
		if term.Feature == "balance" {
			for _, bin := range term.Bins {
				if bin.Kind == score.RangeBin && (bin.Lower == nil || *bin.Lower <= 0) && (bin.Upper == nil || *bin.Upper > 0) {
					want += bin.Effect
				}
			}
		}
	}
	require.InDelta(t, want, r.Score, 1e-9)
	require.Contains(t, fit.FormatScorecard(m), "no bureau record (= -9)")
}

// TestSuspectCodesRareCode is NumberOfTime30-59DaysPastDueNotWorse of the
// public "Give Me Some Credit" file (cs-training.csv; these are the rows
// and events per value of its 105,000 training rows, data row i with
// i % 10 >= 3): counts 0 to 13 whose event rate rises with the count, and
// the codes 96 (5 rows) and 98 (181 rows, 0.17%, event rate 0.558 against
// 0.396 for the 5% of rows with the highest real counts). A code that
// rare is still a code: its z test is valid (at least 5 expected events
// and 5 expected non-events at the pooled rate) and significant (z 4.26),
// so 98 is a suspect; 96 (2.0 expected events) and the one row with 13
// are too few to test.
func TestSuspectCodesRareCode(t *testing.T) {
	f := score.Feature{Name: "NumberOfTime30-59DaysPastDueNotWorse", Kind: score.Numeric}
	var vals []score.Value
	var evs []bool
	for _, c := range []struct{ x, rows, events int }{
		{0, 88222, 3470}, {1, 11191, 1706}, {2, 3243, 850}, {3, 1243, 437}, {4, 509, 217},
		{5, 241, 115}, {6, 98, 58}, {7, 35, 16}, {8, 17, 5}, {9, 9, 2}, {10, 4, 3},
		{11, 1, 1}, {13, 1, 1}, {96, 5, 4}, {98, 181, 101},
	} {
		for i := range c.rows {
			vals = append(vals, score.Num(float64(c.x)))
			evs = append(evs, i < c.events)
		}
	}
	ss := fit.SuspectCodes(f, vals, evs, nil)
	require.Len(t, ss, 1, "%v", ss)
	require.Equal(t, 98.0, ss[0].Value)
	require.Equal(t, "far outside the range of the rest", ss[0].Why)
	require.InDelta(t, 181.0/105000, ss[0].Share, 1e-12)
	require.InDelta(t, 101.0/181, ss[0].Rate, 1e-12)
	// Hand computation (the same as the rule): the neighbours are every row
	// of the rest (counts 3 to 11: 2,157 rows, 854 events), fewer than 5%.
	require.InDelta(t, 854.0/2157, ss[0].NeighbourRate, 1e-12)
	require.InDelta(t, 4.26, ss[0].Z, 0.01)
}

// TestSuspectCodesHeavilyTied: issue 12 names values "far outside the range
// of the rest or heavily tied". A public health-insurance cross-sell extract
// (testdata/trials/2026-12-04-trial15.md) writes Annual_Premium as amounts
// of 10,004 to 540,165 on 47,470 of 57,167 rows, nearly every one distinct,
// and 2,630 on the other 9,697 (17%): a floor the insurer assigns, whose
// response rate (0.131) is unlike that of the lowest real premiums next to
// it. Tukey's fences of the rest do not reach it (the premiums' spread is
// wide), and the fit reported no suspect. A value at an end of a measured
// quantity (the rest's distinct values hold at most 2 rows each, median)
// that holds at least 100 times the median is heavily tied; 0, the amount
// "none", is a quantity, and counts (whose values are all tied) are not
// measured quantities.
func TestSuspectCodesHeavilyTied(t *testing.T) {
	var rows [][]string
	for i := range 6000 {
		premium, bad := fmt.Sprint(10000+i*13), (i*7919)%100 < 6 // 6% near the bottom
		if i >= 3000 {
			bad = (i*7919)%100 < 10
		}
		if i%6 == 0 { // 1,000 rows on the floor, 14% respond
			premium, bad = "2630", (i/6)%50 < 7
		}
		balance := fmt.Sprint(i * 17)
		if i%3 == 1 { // 2,000 rows with no balance, 2% respond
			balance, bad = "0", (i/3)%50 == 0
		}
		count := fmt.Sprint(i % 21) // 0 to 20, 0 on over half the rows
		if i%2 == 0 {
			count = "0"
		}
		y := "no"
		if bad {
			y = "yes"
		}
		rows = append(rows, []string{premium, balance, count, y})
	}
	tb, err := score.NewTable([]string{"premium", "balance", "calls", "y"}, rows)
	require.NoError(t, err)
	s, err := tb.InferSchema().WithRoles(score.Ignored, "y")
	require.NoError(t, err)
	got := fit.FindSuspects(tb, s, "y", "yes", nil)
	require.Len(t, got, 1, "%v", got)
	sp := got[0]
	require.Equal(t, "premium", sp.Feature)
	require.Equal(t, 2630.0, sp.Value)
	require.InDelta(t, 1000.0/6000, sp.Share, 1e-12)
	require.InDelta(t, 0.14, sp.Rate, 1e-12) // 140 of 1,000 by construction
	require.Contains(t, sp.Why, "heavily tied")
	require.Contains(t, sp.String(), `{"premium": {"special": {"2630"`)
}
