package fit_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/fit"
)

// A churn file whose two halves spell the target differently (TRUE / FALSE
// in one, True / False in the other, as the Orange telecom churn file's
// 80% and 20% parts do) is refused with a message that counts the values
// right and says that some differ only in letter case. Before, it said
// "the target has 3 values besides the event "TRUE"" and then listed
// "TRUE" among them.
func TestTargetSpelledTwoWays(t *testing.T) {
	var rows [][]string
	for i, y := range []string{"TRUE", "FALSE", "True", "False"} {
		for k := 0; k < 5+i; k++ {
			rows = append(rows, []string{fmt.Sprint(k + i), y})
		}
	}
	tab, err := score.NewTable([]string{"calls", "Churn"}, rows)
	require.NoError(t, err)
	s, err := tab.InferSchema().WithRoles(score.Ignored, "Churn")
	require.NoError(t, err)
	_, err = fit.Logistic(context.Background(), tab, s, "Churn", "TRUE", nil)
	require.ErrorIs(t, err, score.ErrData)
	msg := err.Error()
	require.Contains(t, msg, `the target must hold the event "TRUE" and one other value, but it holds 4 values: "False" (8 rows), "True" (7 rows), "FALSE" (6 rows), "TRUE" (5 rows)`)
	require.Contains(t, msg, `"TRUE" and "True" differ only in letter case`)
	require.Contains(t, msg, `"FALSE" and "False" differ only in letter case`)
}

// An --event that is no value of the target at all (the Iranian churn
// file's 0/1 Churn fitted with --event yes, or --event yes on a Yes/No
// column) is said to be absent, with the values to choose from. Before,
// the message said the target "must hold the event "yes" and one other
// value, but it holds 2 values" and advised --nonevent, which cannot help.
func TestTargetEventAbsent(t *testing.T) {
	build := func(labels ...string) (*score.Table, *score.Schema) {
		var rows [][]string
		for i, y := range labels {
			for k := 0; k < 3+i; k++ {
				rows = append(rows, []string{fmt.Sprint(k + i), y})
			}
		}
		tab, err := score.NewTable([]string{"calls", "Churn"}, rows)
		require.NoError(t, err)
		s, err := tab.InferSchema().WithRoles(score.Ignored, "Churn")
		require.NoError(t, err)
		return tab, s
	}
	tab, s := build("0", "1")
	for _, f := range []func() error{
		func() error { _, err := fit.Logistic(context.Background(), tab, s, "Churn", "yes", nil); return err },
		func() error { _, err := fit.Scorecard(context.Background(), tab, s, "Churn", "yes", nil); return err },
	} {
		err := f()
		require.ErrorIs(t, err, score.ErrData)
		require.Contains(t, err.Error(), `feature "Churn": unusable training data: the event "yes" is not a value of the target; its values: "1" (4 rows), "0" (3 rows): give one of them as the event`)
		require.NotContains(t, err.Error(), "nonevent")
	}
	tab, s = build("No", "Yes")
	_, err := fit.Logistic(context.Background(), tab, s, "Churn", "yes", nil)
	require.ErrorIs(t, err, score.ErrData)
	require.Contains(t, err.Error(), `the event "yes" is not a value of the target; its values: "Yes" (4 rows), "No" (3 rows): give one of them as the event (did you mean "Yes"? values differ in letter case)`)
}
