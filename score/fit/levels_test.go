package fit_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/fit"
)

// A text column of surnames, 60 distinct in 64 rows (under the 100-level
// cap, so the --max-levels guard alone would let it through), is refused by
// the "nearly all distinct" guard of issue 12 item 5 in both model
// families, naming the column, the counts and the way out.
func TestNearlyDistinctCategoricalRefused(t *testing.T) {
	var rows [][]string
	for i := range 64 {
		y := "0"
		if i%3 == 0 {
			y = "1"
		}
		rows = append(rows, []string{fmt.Sprintf("name%02d", i%60), fmt.Sprint(i % 7), y})
	}
	tab, err := score.NewTable([]string{"Surname", "Tenure", "Exited"}, rows)
	require.NoError(t, err)
	s, err := tab.InferSchema().WithRoles(score.Ignored, "Exited")
	require.NoError(t, err)
	f, _ := s.Lookup("Surname")
	require.Equal(t, score.Categorical, f.Kind)
	_, lerr := fit.Logistic(context.Background(), tab, s, "Exited", "1", nil)
	_, serr := fit.Scorecard(context.Background(), tab, s, "Exited", "1", nil)
	for name, err := range map[string]error{"logistic": lerr, "scorecard": serr} {
		require.ErrorIs(t, err, score.ErrData, name)
		var fe *score.FieldError
		require.ErrorAs(t, err, &fe, name)
		require.Equal(t, "Surname", fe.Feature, name)
		for _, want := range []string{"60 distinct values in 64 rows", "nearly all distinct", "--exclude Surname", `{"role": "ignored"}`} {
			require.Contains(t, err.Error(), want, name)
		}
	}
	// The same column with 30 labels in 64 rows is data, not an identifier
	// (and Tenure now tells exits apart: exits have tenures 0-3, the others
	// 2-5, so the scorecard has a feature with evidence to fit).
	for i := range rows {
		rows[i][0] = fmt.Sprintf("name%02d", i%30)
		rows[i][1] = fmt.Sprint(2 + i%4)
		if i%3 == 0 {
			rows[i][1] = fmt.Sprint(i % 4)
		}
	}
	tab, err = score.NewTable([]string{"Surname", "Tenure", "Exited"}, rows)
	require.NoError(t, err)
	_, err = fit.Scorecard(context.Background(), tab, s, "Exited", "1", nil)
	require.NoError(t, err)
}
