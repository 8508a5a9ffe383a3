package explain_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/explain"
	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/fit"
)

// fittedCreditRisk fits a scorecard on 3,000 credit-risk-shaped loans
// (loan_percent_income = loan_amnt / person_income to 2 decimals, as in the
// public credit_risk_dataset.csv; the default rate rises with the share),
// declared as the lead's trial declared them, the share derived.
func fittedCreditRisk(t *testing.T) (*score.Model, *score.Table) {
	t.Helper()
	rng := rand.New(rand.NewPCG(3, 2026))
	var b strings.Builder
	b.WriteString("person_income,loan_amnt,loan_percent_income,loan_status\n")
	for range 3000 {
		income := float64(8000 + 500*rng.IntN(200))
		loan := float64(1000 + 500*rng.IntN(60))
		share := math.Round(loan/income*100) / 100
		status := 0
		if rng.Float64() < 1/(1+math.Exp(-(-2.5+6*share-income/100000))) {
			status = 1
		}
		fmt.Fprintf(&b, "%g,%g,%g,%d\n", income, loan, share, status)
	}
	tab, err := score.ReadCSV(strings.NewReader(b.String()), nil)
	require.NoError(t, err)
	d, err := score.ParseDeclarations([]byte(`{"features": {
	  "person_income": {"label": "your yearly income", "unit": "dollars", "action": {"direction": "increase"}},
	  "loan_amnt": {"label": "the amount you asked for", "unit": "dollars", "action": {"direction": "decrease"}},
	  "loan_percent_income": {"label": "the loan as a share of your income", "derived": {"formula": "loan_amnt / person_income", "decimals": 2}},
	  "loan_status": {"role": "ignored"}}}`))
	require.NoError(t, err)
	s, err := tab.InferSchemaWith(d)
	require.NoError(t, err)
	f, err := fit.Scorecard(context.Background(), tab, s, "loan_status", "1", &fit.ScorecardOptions{Name: "credit-risk"})
	require.NoError(t, err)
	return f.Model, tab
}

// A reason on a derived input gets no advice of its own (WithheldDerived:
// advice goes to its sources), and the advice check re-checks that every
// counterfactual's derived input is what its sources give.
func TestAdviceDerivedWithheld(t *testing.T) {
	m, tab := fittedCreditRisk(t)
	require.Contains(t, explain.WithheldCodes, explain.WithheldDerived)
	require.Equal(t, explain.WithheldDerived, explain.WithheldCodes[0], "the first rule applied")
	require.Contains(t, explain.WithheldText(explain.WithheldDerived), "derived")
	e, err := explain.NewExplainer(m, nil)
	require.NoError(t, err)
	var ex explain.Explanation
	seen := 0
	for i := 0; i < tab.Len() && seen < 20; i++ {
		rec, err := tab.Record(m.Schema(), i)
		require.NoError(t, err)
		require.NoError(t, e.Explain(rec, &ex))
		for _, r := range ex.Reasons {
			if r.Feature == "loan_percent_income" {
				require.Equal(t, explain.WithheldDerived, r.AdviceWithheld, "row %d", i+1)
				require.Empty(t, r.Advice)
				seen++
			}
		}
	}
	require.Equal(t, 20, seen)
	rows := make([]int, 400) // the first 400 loans
	for i := range rows {
		rows[i] = i
	}
	rep, err := explain.CheckAdvice(context.Background(), m, tab, &explain.CheckOptions{Rows: rows})
	require.NoError(t, err)
	require.Zero(t, rep.Violations.Total(), "%+v", rep.Violations)
	var share explain.FeatureCheck
	for _, fc := range rep.Features {
		if fc.Feature == "loan_percent_income" {
			share = fc
		}
	}
	require.Positive(t, share.Withheld[explain.WithheldDerived])
	require.Equal(t, share.Reasons, share.Withheld[explain.WithheldDerived], "every reason on the share is withheld as derived")
	require.Positive(t, share.Changed, "counterfactuals list the share following its sources")
	t.Logf("adverse %d, recourse %d, share changed in %d", rep.Adverse, rep.Recourse, share.Changed)
}
