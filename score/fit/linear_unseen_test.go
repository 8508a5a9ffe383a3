package fit_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/fit"
)

// A linear model (spend by region) took no unseen-category policy: a new
// region was an error at scoring time, whatever the user wanted, and the
// command line refused --unseen for it. With UnseenNeutral an unseen label
// gets the term's training average effect, so it moves the prediction by
// nothing against the population. By hand: spend = 10 (north), 20
// (south), 60 (west) on 10 rows each, OLS with north as reference gives
// effects 0, 10, 50; the training average is (0 + 10 + 50) / 3 = 20, and
// an unseen "east" predicts 10 + 20 = 30. UnseenRiskiest is refused: a
// numeric target has no adverse side.
func TestLinearUnseenNeutral(t *testing.T) {
	var rows [][]string
	for i := range 30 {
		region, spend := []string{"north", "south", "west"}[i%3], []float64{10, 20, 60}[i%3]
		rows = append(rows, []string{region, fmt.Sprint(spend)})
	}
	tab, err := score.NewTable([]string{"region", "spend"}, rows)
	require.NoError(t, err)
	s, err := tab.InferSchema().WithRoles(score.Ignored, "spend")
	require.NoError(t, err)
	fitted, err := fit.Linear(context.Background(), tab, s, "spend", &fit.LinearOptions{Unseen: fit.UnseenNeutral})
	require.NoError(t, err)
	term := fitted.Model.Term(0)
	require.NotNil(t, term.OtherEffect)
	require.InDelta(t, 20, *term.OtherEffect, 1e-9)
	rec, err := fitted.Model.Schema().RecordFromStrings([]string{"region"}, []string{"east"}, false)
	require.NoError(t, err)
	res, err := fitted.Model.Score(rec)
	require.NoError(t, err)
	require.InDelta(t, 30, res.Score, 1e-9)

	plain, err := fit.Linear(context.Background(), tab, s, "spend", nil)
	require.NoError(t, err)
	_, err = plain.Model.Score(rec)
	require.Error(t, err, "no policy: an unseen category stays an error")

	_, err = fit.Linear(context.Background(), tab, s, "spend", &fit.LinearOptions{Unseen: fit.UnseenRiskiest})
	require.ErrorIs(t, err, score.ErrData)
	require.Contains(t, err.Error(), "no adverse direction")
}
