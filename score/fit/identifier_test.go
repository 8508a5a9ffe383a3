package fit_test

import (
	"fmt"
	"testing"

	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/fit"
	"github.com/stretchr/testify/require"
)

// Give Me Some Credit's first column is a row number (1 to 150,000, named
// "id" once its blank header cell is named): fitted as a number it got a
// logistic coefficient (4.2e-07, z 1.3), two scorecard bins with IV
// 0.0000 and boosted points of up to 10, all without a word. A numeric
// input whose every value is a distinct whole number is named; a whole
// number with a tie (an amount), a distinct fraction (a ratio) and a
// column of under 20 values are not.
func TestIdentifierInputs(t *testing.T) {
	var rows [][]string
	for i := range 200 {
		rows = append(rows, []string{
			fmt.Sprint(1 + i),                   // id: a row number
			fmt.Sprint(100000 + 7919*i%9973),    // customer: distinct whole numbers, not in order
			fmt.Sprint(1000 + 10*(i/2)),         // amount: ties
			fmt.Sprintf("%.6f", float64(i)/201), // ratio: distinct fractions
			"",                                  // blank: no values
			fmt.Sprint(i % 2),                   // y
		})
	}
	rows[5][1] = "" // a blank cell is no value, not a tie
	tab, err := score.NewTable([]string{"id", "customer", "amount", "ratio", "blank", "y"}, rows)
	require.NoError(t, err)
	s, err := tab.InferSchema().WithRoles(score.Ignored, "y")
	require.NoError(t, err)
	ids := fit.IdentifierInputs(tab, s)
	require.Equal(t, []fit.Identifier{{Feature: "id", Values: 200}, {Feature: "customer", Values: 199}}, ids)
	require.Equal(t, `id: every value is a distinct whole number (200 of them: a row or customer number?): as an input it fits noise; `+
		`leave it out (--exclude id, or {"role": "ignored"})`, ids[0].String())
	// Left out, it is not named.
	s, err = s.WithRoles(score.Ignored, "id")
	require.NoError(t, err)
	require.Equal(t, []fit.Identifier{{Feature: "customer", Values: 199}}, fit.IdentifierInputs(tab, s))
	// Under 20 values.
	small, err := score.NewTable([]string{"id", "y"}, [][]string{{"1", "0"}, {"2", "1"}, {"3", "0"}})
	require.NoError(t, err)
	require.Empty(t, fit.IdentifierInputs(small, small.InferSchema()))
}
