package explain_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/explain"
	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/fit"
)

// On the Telco logistic fixture the model says a higher monthly charge and
// a lower total keep customers (collinear with tenure), the training data
// the opposite (TestAdviceTelcoCollinear). A customer then reads "Your
// monthly charges (29.85) weighed against the result": low charges, which
// the data says go with staying, named as a reason to leave. Trial10's
// logistic model did the same with "Your payments 60-89 days late (0)".
// Every such reason is marked AgainstTrend (the term's slope runs against
// the feature's trend in the training data, in the direction of the
// outcome), the text report says so, and JSON carries "against_trend";
// reasons on tenure, whose coefficient agrees with its trend, are not.
func TestReasonAgainstTheDataTrendIsMarked(t *testing.T) {
	fx := buildFixture(t, "telco", telco)
	m := fx.m
	for name, want := range map[string]bool{"MonthlyCharges": true, "TotalCharges": true, "tenure": false} {
		tm := m.Term(m.TermOf(name))
		require.Equal(t, want, tm.Coef*float64(tm.Stats.DataTrend) < 0, "%s: coef %v, data trend %d", name, tm.Coef, tm.Stats.DataTrend)
	}
	e, err := explain.NewExplainer(m, &explain.Options{MaxReasons: explain.AllReasons})
	require.NoError(t, err)
	_, recs := fx.declined(t)
	seen := map[string]int{}
	var ex explain.Explanation
	for _, rec := range recs {
		require.NoError(t, e.Explain(rec, &ex))
		for _, r := range ex.Reasons {
			switch r.Feature {
			case "MonthlyCharges", "TotalCharges":
				require.True(t, r.AgainstTrend, "%s", r.Feature)
				seen[r.Feature]++
				b, err := json.Marshal(r)
				require.NoError(t, err)
				require.Contains(t, string(b), `"against_trend":true`)
			case "tenure":
				require.False(t, r.AgainstTrend)
				seen[r.Feature]++
				b, err := json.Marshal(r)
				require.NoError(t, err)
				require.NotContains(t, string(b), "against_trend")
			}
		}
	}
	require.Positive(t, seen["MonthlyCharges"])
	require.Positive(t, seen["TotalCharges"])
	require.Positive(t, seen["tenure"])

	var sb strings.Builder
	for _, rec := range recs[:20] {
		require.NoError(t, e.Explain(rec, &ex))
		txt, err := e.AppendReport(nil, explain.DefaultCatalog(), "en", &ex, 4)
		require.NoError(t, err)
		sb.Write(txt)
	}
	require.Contains(t, sb.String(), "\n     note (against_trend): "+explain.AgainstTrendText)
}

// A logistic model with a blank indicator scores a number on one sloped
// range bin for all numbers beside the missing bin (fit.MissingIndicator);
// that bin's label, "[-inf, +inf)", said nothing of the value and was
// printed after it ("MonthlyIncome = 3042 [[-inf, +inf)]") and returned as
// the reason's bin. Now a number's bin is left out there; a blank's bin
// ("missing") still shows.
func TestUnboundedBinLabelNotShown(t *testing.T) {
	var rows [][]string
	for i := range 400 {
		income := fmt.Sprint(1000 + 13*i)
		if i%10 == 3 {
			income = ""
		}
		y := "0"
		if (i*7+i/40)%10 < 2+i/200 {
			y = "1"
		}
		rows = append(rows, []string{income, y})
	}
	tab, err := score.NewTable([]string{"MonthlyIncome", "y"}, rows)
	require.NoError(t, err)
	s, err := tab.InferSchema().WithRoles(score.Ignored, "y")
	require.NoError(t, err)
	fitted, err := fit.Logistic(context.Background(), tab, s, "y", "1", &fit.LogisticOptions{Missing: fit.MissingIndicator})
	require.NoError(t, err)
	m := fitted.Model
	require.Equal(t, score.BinnedTerm, m.Term(0).Kind)
	e, err := explain.NewExplainer(m, &explain.Options{MaxReasons: explain.AllReasons})
	require.NoError(t, err)
	var ex explain.Explanation
	for _, row := range []int{0, 3} {
		rec, err := m.Schema().RecordFromStrings(tab.Header(), tab.Row(row), true)
		require.NoError(t, err)
		require.NoError(t, e.Explain(rec, &ex))
		txt, err := e.AppendReport(nil, explain.DefaultCatalog(), "en", &ex, 4)
		require.NoError(t, err)
		require.NotContains(t, string(txt), "inf)")
		if row == 3 {
			require.Contains(t, string(txt), "MonthlyIncome = not given")
		} else {
			require.Contains(t, string(txt), "MonthlyIncome = 1000\n")
		}
	}
}

// The advice audit counts them: on the Telco fixture every reason on the
// monthly and total charges runs against the data, none on tenure.
func TestCheckAdviceCountsReasonsAgainstTrend(t *testing.T) {
	fx := buildFixture(t, "telco", telco)
	rep, err := explain.CheckAdvice(context.Background(), fx.m, fx.tab, &explain.CheckOptions{Train: fx.tab, Rows: fx.rows})
	require.NoError(t, err)
	require.Positive(t, rep.AgainstTrend)
	require.LessOrEqual(t, rep.AgainstTrend, rep.Adverse)
	byName := map[string]explain.FeatureCheck{}
	for _, f := range rep.Features {
		byName[f.Feature] = f
	}
	for _, name := range []string{"MonthlyCharges", "TotalCharges"} {
		require.Positive(t, byName[name].Reasons, name)
		require.Equal(t, byName[name].Reasons, byName[name].AgainstTrend, name)
	}
	require.Positive(t, byName["tenure"].Reasons)
	require.Zero(t, byName["tenure"].AgainstTrend)
}
