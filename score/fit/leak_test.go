package fit_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/fit"
)

// leakTable is 200 customers: calls (a genuine input: more calls, more
// churn, with overlap), plan (a genuine categorical input) and a leak
// column of the kind a public card-churn file ships (a classifier's
// probability of the outcome, computed with the outcome): nb is above 0.5
// for every churner and below for every other customer. near is the same
// with one churner's value swapped below, so it does not separate.
func leakTable(t *testing.T) *score.Table {
	var rows [][]string
	for i := range 200 {
		churn := i%4 == 0
		calls := i % 7
		if churn {
			calls += 2
		}
		nb := 0.1 + float64(i%13)/100
		if churn {
			nb = 0.9 - float64(i%11)/100
		}
		near := nb
		if i == 0 {
			near = 0.2
		}
		y := "no"
		if churn {
			y = "yes"
		}
		rows = append(rows, []string{fmt.Sprint(calls), []string{"basic", "plus", "max"}[i%3], fmt.Sprint(nb), fmt.Sprint(near), y})
	}
	tab, err := score.NewTable([]string{"calls", "plan", "nb", "near", "churn"}, rows)
	require.NoError(t, err)
	return tab
}

// A single input that separates the training outcome by itself is a leak
// (computed from the target), and every fit refuses it naming the column
// and the separation. Before, the logistic fit failed on separation
// listing every column, the scorecard dropped the leak as "no evidence"
// (its perfect bins hold no events) and the boosted model fitted it,
// training AUC 1.
func TestFitRefusesALeak(t *testing.T) {
	tab := leakTable(t)
	s, err := tab.InferSchema().WithRoles(score.Ignored, "churn", "near")
	require.NoError(t, err)
	ctx := context.Background()
	_, errL := fit.Logistic(ctx, tab, s, "churn", "yes", nil)
	_, errS := fit.Scorecard(ctx, tab, s, "churn", "yes", nil)
	_, errB := fit.Boosted(ctx, tab, s, "churn", "yes", &fit.BoostedOptions{OuterBags: 1})
	for name, err := range map[string]error{"logistic": errL, "scorecard": errS, "boosted": errB} {
		require.ErrorIs(t, err, score.ErrData, name)
		require.ErrorIs(t, err, fit.ErrLeak, name)
		msg := err.Error()
		// 50 churners, nb 0.8..0.9; 150 others, nb 0.1..0.22.
		require.Contains(t, msg, `feature "nb"`, name)
		require.Contains(t, msg, `every one of the 50 rows with churn=yes has nb from 0.8 to 0.9 and every one of the other 150 rows from 0.1 to 0.22`, name)
		require.Contains(t, msg, "--exclude nb", name)
		require.NotContains(t, msg, `"calls"`, name)
	}
	// One overlapping row: not a separation, so not refused.
	s, err = tab.InferSchema().WithRoles(score.Ignored, "churn", "nb")
	require.NoError(t, err)
	_, err = fit.Scorecard(ctx, tab, s, "churn", "yes", nil)
	require.NoError(t, err)
}

// A categorical leak (a cancellation reason filled in for churners only, a
// level per reason and "none" for the others) and a leak by presence (a
// closing date present for churners only) are refused alike.
func TestFitRefusesCategoricalAndPresenceLeaks(t *testing.T) {
	var rows [][]string
	for i := range 120 {
		reason, closed, y := "none", "", "no"
		if i%3 == 0 {
			reason, closed, y = []string{"price", "service"}[i%2], fmt.Sprint(20240100+i), "yes"
		}
		rows = append(rows, []string{fmt.Sprint(i % 9), reason, closed, y})
	}
	tab, err := score.NewTable([]string{"calls", "reason", "closed", "churn"}, rows)
	require.NoError(t, err)
	for _, leak := range []string{"reason", "closed"} {
		other := map[string]string{"reason": "closed", "closed": "reason"}[leak]
		s, err := tab.InferSchema().WithRoles(score.Ignored, "churn", other)
		require.NoError(t, err)
		_, err = fit.Scorecard(context.Background(), tab, s, "churn", "yes", nil)
		require.ErrorIs(t, err, fit.ErrLeak, leak)
		require.Contains(t, err.Error(), fmt.Sprintf("feature %q", leak))
	}
}
