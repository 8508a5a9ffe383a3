package fit_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/fit"
)

// Trial11's bank churn records carry Complain, True for 837 of the 840
// customers who left and for 7 of the 3,138 who stayed: a complaint
// logged with the exit. The perfect-separation guard let it through (10
// rows disagree) and the scorecard kept it at IV 11.7. By hand, with the
// same counts: guessing "stayed" for all gets 840 wrong, Complain's rule
// ("left" on True) 3 + 7 = 10, under 5% of 840 (42); Age's cut is far
// from it and is not named; nor is a 12-level column whose pure levels
// hold fewer than 10 rows each.
func TestNearLeaksNamesAComplaintLoggedAtExit(t *testing.T) {
	var rows [][]string
	for i := range 3978 {
		left := i < 840
		complain := "False"
		if left && i >= 3 || !left && i < 840+7 {
			complain = "True"
		}
		age := 30 + i%30
		if left {
			age = 40 + i%30 // older customers leave more: a real, partial signal
		}
		small := fmt.Sprintf("b%02d", i%12)
		if i < 96 {
			small = fmt.Sprintf("a%02d", i/8) // 12 levels of 8 rows, all of them leavers
		}
		y := "False"
		if left {
			y = "True"
		}
		rows = append(rows, []string{complain, fmt.Sprint(age), small, y})
	}
	tab, err := score.NewTable([]string{"Complain", "Age", "Branch", "Exited"}, rows)
	require.NoError(t, err)
	s := tab.InferSchema()
	got := fit.NearLeaks(tab, s, "Exited", "True", "")
	require.Len(t, got, 1, "%+v", got)
	n := got[0]
	require.Equal(t, fit.NearLeak{Feature: "Complain", Rows: 3978, Errors: 10, Null: 840, Rule: `the event on "True"`}, n)
	require.Equal(t, `Complain: alone it classifies 3968 of 3978 training rows correctly (the event on "True"; always guessing the commoner class gets 840 wrong, it gets 10): `+
		`a customer attribute rarely predicts the outcome this well; if it is recorded with or after the outcome, leave it out (--exclude Complain, or {"role": "ignored"})`, n.String())

	// A numeric column recorded at exit (days since the last login, large
	// for every leaver but 5) is named with its cut.
	for i := range rows {
		d := 3 + i%20
		if i < 835 {
			d = 60 + i%30
		}
		rows[i][1] = fmt.Sprint(d)
	}
	tab, err = score.NewTable([]string{"Complain", "DaysSinceLogin", "Branch", "Exited"}, rows)
	require.NoError(t, err)
	s, err = tab.InferSchema().WithRoles(score.Ignored, "Complain")
	require.NoError(t, err)
	got = fit.NearLeaks(tab, s, "Exited", "True", "")
	require.Len(t, got, 1, "%+v", got)
	require.Equal(t, fit.NearLeak{Feature: "DaysSinceLogin", Rows: 3978, Errors: 5, Null: 840, Rule: "the event when it is >= 60"}, got[0])

	// No event value (a linear fit): nothing to classify.
	require.Empty(t, fit.NearLeaks(tab, s, "Exited", "", ""))
}
