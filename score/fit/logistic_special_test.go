package fit_test

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"testing"

	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/fit"
	"github.com/stretchr/testify/require"
)

// TestLogisticSpecialIndicators: a numeric input with declared codes gets
// an indicator per code and the training median as the numeric fill; the
// fitted model is one binned term per such feature that scores every row
// exactly as the hand-built design (filled column + indicator columns)
// fitted by plain Logistic.
func TestLogisticSpecialIndicators(t *testing.T) {
	tb := bureauTable(t)
	d, err := score.ParseDeclarations([]byte(`{"features": {"months_since_delq": {
		"special": {"-7": "no late payment on record", "-9": "no bureau record", "-8": "no usable accounts"}}}}`))
	require.NoError(t, err)
	s, err := tb.InferSchemaWith(d)
	require.NoError(t, err)
	s, err = s.WithRoles(score.Ignored, "y")
	require.NoError(t, err)
	fitted, err := fit.Logistic(context.Background(), tb, s, "y", "bad", nil)
	require.NoError(t, err)

	// The hand-built design: median of the non-special values, indicators.
	mcol := tb.Column("months_since_delq")
	var xs []float64
	for r := 0; r < tb.Len(); r++ {
		x, _ := strconv.ParseFloat(tb.Cell(r, mcol), 64)
		if x != -7 && x != -9 && x != -8 {
			xs = append(xs, x)
		}
	}
	slices.Sort(xs)
	fill := xs[(len(xs)-1)/2]
	var rows [][]string
	for r := 0; r < tb.Len(); r++ {
		row := tb.Row(r)
		m7, m9 := "0", "0"
		switch row[mcol] {
		case "-7":
			m7, row[mcol] = "1", fmt.Sprint(fill)
		case "-9":
			m9, row[mcol] = "1", fmt.Sprint(fill)
		}
		rows = append(rows, append(row, m7, m9))
	}
	hand, err := score.NewTable(append(tb.Header(), "m7", "m9"), rows)
	require.NoError(t, err)
	hs, err := hand.InferSchema().WithRoles(score.Ignored, "y")
	require.NoError(t, err)
	ref, err := fit.Logistic(context.Background(), hand, hs, "y", "bad", nil)
	require.NoError(t, err)
	require.InDelta(t, ref.LogLik, fitted.LogLik, 1e-9)
	coef := map[string]float64{}
	for _, c := range fitted.Coefficients {
		coef[c.Name] = c.Estimate
	}
	require.InDelta(t, ref.Coefficients[len(ref.Coefficients)-1].Estimate, coef["months_since_delq[special=-9]"], 1e-9)

	m := fitted.Model
	var term score.Term
	for j := 0; j < m.NumTerms(); j++ {
		if m.Term(j).Feature == "months_since_delq" {
			term = m.Term(j)
		}
	}
	require.Equal(t, score.BinnedTerm, term.Kind)
	var labels []string
	for _, bin := range term.Bins {
		labels = append(labels, bin.Label)
	}
	require.Equal(t, []string{"[-inf, +inf)", "no bureau record (= -9)", "no usable accounts (= -8)", "no late payment on record (= -7)"}, labels)
	require.InDelta(t, term.Bins[0].Slope*fill, term.Bins[2].Effect, 1e-12, "a code absent from training is scored as the median")
	for r := 0; r < tb.Len(); r += 7 {
		rec, err := tb.Record(m.Schema(), r)
		require.NoError(t, err)
		got, err := m.Score(rec)
		require.NoError(t, err)
		hrec, err := hand.Record(ref.Model.Schema(), r)
		require.NoError(t, err)
		want, err := ref.Model.Score(hrec)
		require.NoError(t, err)
		require.InDelta(t, want.Score, got.Score, 1e-9, "row %d", r+1)
	}
	// The indicators are design columns only: the model's schema is the input's.
	require.Equal(t, s.Names(), m.Schema().Names())
}
