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
