package fit_test

import (
	"context"
	"fmt"
	"math"
	"strings"
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

// A public mortgage-default extract (testdata/trials/2026-12-04-trial16.md)
// leaves rate_of_interest blank on 3,627 of its 3,648 defaulted loans and
// on none of the others: the rate was not recorded for loans that went bad.
// Only blankness tells the classes apart, so neither the perfect-separation
// guard (21 defaulted loans have a rate) nor a cut of the present values
// (21 events among 11,240) named it, and the scorecard fit failed on
// complete separation listing every column. With blank a value of its own
// the rule "the event when blank" gets 21 of 14,867 rows wrong against
// 3,648 for the commoner class: named. By hand, with the same shape: 1,000
// events of which 990 blank, 3,000 others all present; errors 10 of 4,000
// (Null 1,000). A categorical column blank the same way is named the same;
// one blank on 375 rows of which 125 are events (Upfront-like) is not.
func TestNearLeaksNamesABlankRecordedWithTheOutcome(t *testing.T) {
	var rows [][]string
	for i := range 4000 {
		bad := i < 1000
		rate := fmt.Sprintf("%.2f", 3+float64(i%17)/8)
		grade := []string{"A", "B", "C"}[i%3]
		if bad && i >= 10 {
			rate, grade = "", ""
		}
		upfront := fmt.Sprint(1000 + i%500)
		if i%4 == 0 && (i < 1000 && i%8 == 0 || i >= 1000 && i%12 == 0) { // 125 event, 250 other blank rows
			upfront = ""
		}
		y := "0"
		if bad {
			y = "1"
		}
		rows = append(rows, []string{rate, grade, upfront, y})
	}
	tab, err := score.NewTable([]string{"rate_of_interest", "grade", "Upfront_charges", "Status"}, rows)
	require.NoError(t, err)
	s := tab.InferSchema()
	got := fit.NearLeaks(tab, s, "Status", "1", "")
	require.Len(t, got, 2, "%+v", got)
	require.Equal(t, fit.NearLeak{Feature: "rate_of_interest", Rows: 4000, Errors: 10, Null: 1000, Rule: "the event when blank"}, got[0])
	require.Equal(t, fit.NearLeak{Feature: "grade", Rows: 4000, Errors: 10, Null: 1000, Rule: "the event when blank"}, got[1])
	require.Contains(t, got[0].String(), "rate_of_interest: alone it classifies 3990 of 4000 training rows correctly (the event when blank;")
}

// The fits that fail on separation say which inputs alone nearly classify
// the outcome: the mortgage extract's scorecard failed listing every
// column. Here rate_of_interest is blank on 960 of 1,000 events and on no
// other row; present, it is 6.00-6.39 for the other 40 events and 160 of
// the 3,000 others, 3.00-4.99 for the rest. A grade "Z" marks 200 events,
// the 40 with a rate among them: with the rate it separates the outcome,
// alone it is far from doing so (it gets 800 wrong, rate_of_interest 40),
// but its 200 rows are all events (PureValues), and the hint names it too.
// The scorecard's bins are given (rates below and above 6.1, Z against the
// rest) so that the test does not hang on the optimiser's grouping.
func TestSeparationNamesTheNearLeak(t *testing.T) {
	var rows [][]string
	for i := range 4000 {
		bad := i < 1000
		rate := fmt.Sprintf("%.2f", 3+float64((i*7919)%200)/100)
		if bad || i < 1160 {
			rate = fmt.Sprintf("%.2f", 6+float64(i%40)/100)
		}
		if bad && i >= 40 {
			rate = ""
		}
		grade := []string{"A", "B", "C"}[(i*7919)%3]
		if i < 200 {
			grade = "Z"
		}
		y := "0"
		if bad {
			y = "1"
		}
		rows = append(rows, []string{rate, grade, y})
	}
	tab, err := score.NewTable([]string{"rate_of_interest", "grade", "Status"}, rows)
	require.NoError(t, err)
	s := tab.InferSchema()
	leaks := fit.NearLeaks(tab, s, "Status", "1", "")
	require.Equal(t, []fit.NearLeak{{Feature: "rate_of_interest", Rows: 4000, Errors: 40, Null: 1000, Rule: "the event when blank"}}, leaks)
	hint := "; alone, rate_of_interest (the event when blank: 3960 of 4000 training rows right) nearly classifies the outcome; " +
		`grade is "Z" on 200 training rows, every one with the target "1", ` +
		"which a customer attribute rarely does: if recorded with or after it, leave them out (--exclude rate_of_interest,grade)"
	bins := map[string]fit.BinSpec{"rate_of_interest": {Cuts: []float64{6.1}}, "grade": {Groups: [][]string{{"A", "B", "C"}, {"Z"}}}}
	_, err = fit.Scorecard(context.Background(), tab, s, "Status", "1", &fit.ScorecardOptions{Bins: bins})
	require.ErrorIs(t, err, score.ErrSeparation)
	require.True(t, strings.HasSuffix(err.Error(), hint), err.Error())
	_, err = fit.Logistic(context.Background(), tab, s, "Status", "1", &fit.LogisticOptions{Missing: fit.MissingIndicator})
	require.ErrorIs(t, err, score.ErrSeparation)
	require.True(t, strings.HasSuffix(err.Error(), hint), err.Error())
	require.NotContains(t, err.Error(), "alone, rate_of_interest[missing]")

	// Left out, the rest fits, in bins the optimiser chooses (it never
	// makes a bin of one class). With Z given a bin of its own, its 200
	// rows, all events, still separate the outcome, and the fit says so:
	// before, internal/glm's no-separation certificate passed on residuals
	// too small for its tolerance to see, and the fit returned a model.
	s, err = s.WithRoles(score.Ignored, "rate_of_interest")
	require.NoError(t, err)
	_, err = fit.Scorecard(context.Background(), tab, s, "Status", "1", nil)
	require.NoError(t, err)
	_, err = fit.Scorecard(context.Background(), tab, s, "Status", "1", &fit.ScorecardOptions{Bins: map[string]fit.BinSpec{"grade": bins["grade"]}})
	require.ErrorIs(t, err, score.ErrSeparation)
	require.Contains(t, err.Error(), `grade is "Z" on 200 training rows, every one with the target "1"`)
}

// The mortgage extract (testdata/trials/2026-12-04-trial16.md) leaves
// property_value blank on 1,546 loans, every one of them defaulted, though a
// quarter of all loans did: blanks by chance would be that pure with
// probability 0.245^1546. The scorecard kept the blank bin and reached a
// held-out AUC of 0.997, scoring an absence no new applicant has; nothing
// warned. Its credit_type is EQUI on 1,077 training loans, all defaulted. By
// hand, 4,000 rows of which 1,000 events (share 0.25): property_value blank
// on 300 events only, log10 p = 300 log10 0.25 = -180.6; bureau "EQUI" on
// 120 events only (log10 p = -72.2); closed_reason blank on 60 non-events
// only (0.75^60 = 3.2e-8); TotalCharges blank on 11 non-events (0.75^11 =
// 0.042, as Telco's new customers: not named); dtir1 blank on both classes
// and the tied number 7 of branch_count (not a category) are not named.
func TestPureValuesNamesAValueOfOneOutcome(t *testing.T) {
	var rows [][]string
	for i := range 4000 {
		bad := i < 1000
		property, closed, total, dtir := fmt.Sprint(100000+i*7), "x", fmt.Sprint(i), fmt.Sprint(20+i%30)
		bureau, branches := []string{"CIB", "EXP"}[i%2], fmt.Sprint(i%5)
		if bad && i%3 == 0 && i < 900 {
			property = ""
		}
		if bad && i%5 == 1 && i < 600 {
			bureau, branches = "EQUI", "7"
		}
		if i >= 2000 && i < 2060 {
			closed = ""
		}
		if i >= 3000 && i < 3011 {
			total = ""
		}
		if i%40 == 1 {
			dtir = ""
		}
		y := "0"
		if bad {
			y = "1"
		}
		rows = append(rows, []string{property, closed, total, dtir, bureau, branches, y})
	}
	tab, err := score.NewTable([]string{"property_value", "closed_reason", "TotalCharges", "dtir1", "credit_type", "branch_count", "Status"}, rows)
	require.NoError(t, err)
	got := fit.PureValues(tab, tab.InferSchema(), nil, "Status", "1", "")
	require.Len(t, got, 3, "%+v", got)
	require.Equal(t, "property_value", got[0].Feature)
	require.Equal(t, "", got[0].Level)
	require.Equal(t, 300, got[0].Rows)
	require.Equal(t, "1", got[0].Value)
	require.InDelta(t, 0.25, got[0].Share, 1e-12)
	require.InDelta(t, -180.618, got[0].Log10P, 1e-3)
	require.Equal(t, fit.PureValue{Feature: "closed_reason", Rows: 60, Value: "0", Share: 0.75, Log10P: got[1].Log10P}, got[1])
	require.InDelta(t, 60*math.Log10(0.75), got[1].Log10P, 1e-9)
	require.Equal(t, fit.PureValue{Feature: "credit_type", Level: "EQUI", Rows: 120, Value: "1", Share: 0.25, Log10P: got[2].Log10P}, got[2])
	require.InDelta(t, 120*math.Log10(0.25), got[2].Log10P, 1e-9)
	require.Equal(t, `property_value: blank on 300 training rows, every one with the target "1" (its share of all rows is 0.250: by chance, so pure a set has probability 1e-181): `+
		`a value written for one outcome only (a blank left by erasing, a code set after the decision) is no attribute of a new customer, and the model would score it; `+
		`if so, leave the input out (--exclude property_value, or {"role": "ignored"}); if it is a real attribute, keep it as a decision on record: {"role": "input"}`, got[0].String())
	require.Contains(t, got[2].String(), `credit_type: "EQUI" on 120 training rows, every one with the target "1"`)
	// Declared as an input: a decision on record, not named.
	input := score.Input
	d := &score.Declarations{Features: map[string]score.Declaration{"property_value": {Role: &input}}}
	got = fit.PureValues(tab, tab.InferSchema(), d, "Status", "1", "")
	require.Len(t, got, 2)
	require.Equal(t, "closed_reason", got[0].Feature)
	// No event value (a linear fit): nothing to classify.
	require.Empty(t, fit.PureValues(tab, tab.InferSchema(), nil, "Status", "", ""))
}
