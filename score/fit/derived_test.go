package fit_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/fit"
)

// derivedTable builds a credit-risk-shaped table (the public
// credit_risk_dataset.csv has these columns): loan_percent_income is
// loan_amnt / person_income rounded to 2 decimals, as in that file, where
// the fitted scorecard's recourse told a customer to raise the income to
// 80000 and, apart from it, to bring the loan's share of the income down to
// 0.25 while the loan stayed at 35000 (35000 / 80000 = 0.44). noisy adds
// noise to the share, so that it is no longer a function of the others.
func derivedTable(t *testing.T, n int, noisy bool) *score.Table {
	return corruptedTable(t, n, noisy, 0)
}

// corruptedTable is derivedTable with the share written wrong (another
// customer's share) on about the given fraction of the rows.
func corruptedTable(t *testing.T, n int, noisy bool, corrupt float64) *score.Table {
	t.Helper()
	rng := rand.New(rand.NewPCG(7, 11))
	var b strings.Builder
	b.WriteString("person_income,loan_amnt,loan_percent_income,cb_person_cred_hist_length,total_debt,other_debt,loan_status\n")
	for i := range n {
		income := float64(10000 + rng.IntN(90000))
		loan := float64(500 + 25*rng.IntN(1400))
		pct := math.Round(loan/income*100) / 100
		if noisy {
			pct = math.Round((loan/income+rng.NormFloat64()*0.05)*100) / 100
		}
		if rng.Float64() < corrupt {
			pct = float64(rng.IntN(80)) / 100
		}
		hist := 2 + rng.IntN(25)
		other := float64(rng.IntN(20000))
		fmt.Fprintf(&b, "%g,%g,%g,%d,%g,%g,%d\n", income, loan, pct, hist, loan+other, other, i%4/3)
	}
	tab, err := score.ReadCSV(strings.NewReader(b.String()), nil)
	require.NoError(t, err)
	return tab
}

func TestDerivedInputsFindsARatioAndASum(t *testing.T) {
	tab := derivedTable(t, 3000, false)
	s := tab.InferSchema()
	s, err := s.WithRoles(score.Ignored, "loan_status")
	require.NoError(t, err)
	got := fit.DerivedInputs(tab, s)
	// By construction: the share is the ratio (2 decimals), total_debt the
	// sum (exact); nothing else is a function of two other inputs.
	// Rows counts the rows off the derived column's most common value.
	require.Len(t, got, 2, "%v", got)
	require.Equal(t, fit.Derived{Feature: "loan_percent_income", Op: "/", Left: "loan_amnt", Right: "person_income",
		Decimals: 2, Rows: 3000 - modeRows(t, tab, "loan_percent_income"), Share: 1}, got[0])
	require.Equal(t, fit.Derived{Feature: "total_debt", Op: "+", Left: "loan_amnt", Right: "other_debt",
		Decimals: 0, Rows: 3000 - modeRows(t, tab, "total_debt"), Share: 1}, got[1])
	require.Equal(t, fmt.Sprintf("loan_percent_income = loan_amnt / person_income (rounded to 2 decimals) on 100.0%% of %d rows",
		got[0].Rows), got[0].String())
	require.Equal(t, fmt.Sprintf("total_debt = loan_amnt + other_debt on 100.0%% of %d rows", got[1].Rows), got[1].String())
}

// modeRows counts the rows holding the column's most common cell.
func modeRows(t *testing.T, tab *score.Table, name string) int {
	j := tab.Column(name)
	require.GreaterOrEqual(t, j, 0)
	counts := map[string]int{}
	best := 0
	for i := range tab.Len() {
		counts[tab.Cell(i, j)]++
		best = max(best, counts[tab.Cell(i, j)])
	}
	return best
}

// TestDerivedInputsSkipsAMostlyZeroColumn: Adult's capital_gain is 0 on
// 91.7% of the rows, and age / fnlwgt rounds to 0 on every row; the
// relation holds on none of the rows off the mode, so it is not reported.
func TestDerivedInputsSkipsAMostlyZeroColumn(t *testing.T) {
	var b strings.Builder
	b.WriteString("age,fnlwgt,capital_gain\n")
	for i := range 1000 {
		gain := 0
		if i%12 == 0 {
			gain = 1000 + i
		}
		fmt.Fprintf(&b, "%d,%d,%d\n", 20+i%50, 50000+97*i, gain)
	}
	tab, err := score.ReadCSV(strings.NewReader(b.String()), nil)
	require.NoError(t, err)
	require.Empty(t, fit.DerivedInputs(tab, tab.InferSchema()))
}

// TestDerivedInputsSkipsATwoValuedColumn: the public loan-prediction file's
// Credit_History is 1 on 475 rows and 0 on 89; off its mode every value is
// 0, which Dependents / ApplicantIncome (and four other ratios) round to on
// every row, so `candor fit` warned five times that the flag was "derived"
// from them. A column that is one value off its mode is constant where the
// relation is counted, so it "equals" any relation that rounds to that
// value: no evidence of a derivation, not reported.
func TestDerivedInputsSkipsATwoValuedColumn(t *testing.T) {
	var b strings.Builder
	b.WriteString("Dependents,ApplicantIncome,LoanAmount,Credit_History\n")
	for i := range 600 {
		hist := 1
		if i%7 == 0 {
			hist = 0
		}
		fmt.Fprintf(&b, "%d,%d,%d,%d\n", i%4, 1500+37*i, 50+(i*13)%250, hist)
	}
	tab, err := score.ReadCSV(strings.NewReader(b.String()), nil)
	require.NoError(t, err)
	require.Empty(t, fit.DerivedInputs(tab, tab.InferSchema()))
}

func TestDerivedInputsIgnoresANoisyShare(t *testing.T) {
	tab := derivedTable(t, 3000, true)
	s := tab.InferSchema()
	s, err := s.WithRoles(score.Ignored, "loan_status", "total_debt")
	require.NoError(t, err)
	require.Empty(t, fit.DerivedInputs(tab, s))
	// A protected or ignored column is not an input: no relation is
	// reported through it.
	s, err = tab.InferSchema().WithRoles(score.Ignored, "loan_status", "other_debt")
	require.NoError(t, err)
	require.Empty(t, fit.DerivedInputs(tab, s))
}

// TestDerivedInputsToleratesEntryErrors: a real file's derived column has
// entry errors (2.0% of the public credit-risk file's rows); with 6% of the
// shares wrong the relation is still found, and its share says how often
// it holds.
func TestDerivedInputsToleratesEntryErrors(t *testing.T) {
	tab := corruptedTable(t, 3000, false, 0.06)
	s, err := tab.InferSchema().WithRoles(score.Ignored, "loan_status", "total_debt")
	require.NoError(t, err)
	got := fit.DerivedInputs(tab, s)
	require.Len(t, got, 1, "%v", got)
	require.Equal(t, "loan_percent_income", got[0].Feature)
	require.InDelta(t, 0.94, got[0].Share, 0.015) // 6% corrupted, a few by chance still right
	// With 30% wrong it is no longer a derived column.
	tab = corruptedTable(t, 3000, false, 0.3)
	require.Empty(t, fit.DerivedInputs(tab, s))
}

// DeclaredDerived counts, for each input declared derived, the rows where
// the declaration holds, as DerivedInputs counts them: on the clean table
// every row; with 6% of the shares corrupted about 94%; declared without
// the decimals the file rounds to, almost none (an unrounded ratio is
// rarely a 2-decimal number), and the columns' written decimals say why.
func TestDeclaredDerivedHolds(t *testing.T) {
	declare := func(t *testing.T, tab *score.Table, derived string) *score.Schema {
		t.Helper()
		d, err := score.ParseDeclarations([]byte(`{"features": {"loan_status": {"role": "ignored"}, "loan_percent_income": {"derived": ` + derived + `}}}`))
		require.NoError(t, err)
		s, err := tab.InferSchemaWith(d)
		require.NoError(t, err)
		return s
	}
	tab := derivedTable(t, 3000, false)
	got := fit.DeclaredDerived(tab, declare(t, tab, `{"formula": "loan_amnt / person_income", "decimals": 2}`))
	require.Equal(t, []fit.Derived{{Feature: "loan_percent_income", Op: "/", Left: "loan_amnt", Right: "person_income",
		Decimals: 2, Written: 2, Rows: 3000 - modeRows(t, tab, "loan_percent_income"), Share: 1}}, got)

	tab = corruptedTable(t, 3000, false, 0.06)
	got = fit.DeclaredDerived(tab, declare(t, tab, `{"formula": "loan_amnt / person_income", "decimals": 2}`))
	require.Len(t, got, 1)
	require.InDelta(t, 0.94, got[0].Share, 0.015)

	tab = derivedTable(t, 3000, false)
	got = fit.DeclaredDerived(tab, declare(t, tab, `{"formula": "loan_amnt / person_income"}`))
	require.Len(t, got, 1)
	require.Equal(t, -1, got[0].Decimals, "no rounding declared")
	require.Equal(t, 2, got[0].Written)
	require.Less(t, got[0].Share, 0.01)
	require.Equal(t, fmt.Sprintf("loan_percent_income = loan_amnt / person_income (not rounded) on %.1f%% of %d rows", 100*got[0].Share, got[0].Rows), got[0].String())

	// The wrong formula holds nowhere.
	got = fit.DeclaredDerived(tab, declare(t, tab, `{"formula": "person_income / loan_amnt", "decimals": 2}`))
	require.Len(t, got, 1)
	require.Less(t, got[0].Share, 0.05)
	// DerivedInputs does not report what is declared.
	s, err := declare(t, tab, `{"formula": "loan_amnt / person_income", "decimals": 2}`).WithRoles(score.Ignored, "total_debt")
	require.NoError(t, err)
	require.Empty(t, fit.DerivedInputs(tab, s))
}

// TestDerivedInputsNamesTheProduct: where a total is a monthly charge times
// the months of tenure (the public Maven telecom churn file writes
// Totallongdistancecharges as Avgmonthlylongdistancecharges x
// Tenureinmonths, to the cent; testdata/trials/2026-12-04-trial14.md), the
// quotient total / monthly rounds to the tenure too, and the fit report
// used to warn that the tenure was derived from the total: advice on the
// tenure withheld, and the total, the column that was computed, left as a
// free input. Of the relations of three columns the one kept is the one
// its derived column pins to the most significant digits (decimals plus
// the magnitude's digits: the total to 0.01 among thousands, about 5.5,
// the tenure to 1 among tens, about 1.5), since the relation computed from
// the other two holds to the precision it was written with, and one of its
// consequences only to the coarser precision of its own column.
func TestDerivedInputsNamesTheProduct(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 14))
	var b strings.Builder
	b.WriteString("tenure,monthly,total,churn\n")
	for i := range 2000 {
		tenure := 1 + rng.IntN(72)
		monthly := float64(100+rng.IntN(4900)) / 100
		fmt.Fprintf(&b, "%d,%.2f,%.2f,%d\n", tenure, monthly, math.Round(monthly*float64(tenure)*100)/100, i%3/2)
	}
	tab, err := score.ReadCSV(strings.NewReader(b.String()), nil)
	require.NoError(t, err)
	s, err := tab.InferSchema().WithRoles(score.Ignored, "churn")
	require.NoError(t, err)
	got := fit.DerivedInputs(tab, s)
	require.Len(t, got, 1, "%v", got)
	require.Equal(t, "total", got[0].Feature)
	require.Equal(t, "*", got[0].Op)
	require.Equal(t, []string{"monthly", "tenure"}, []string{min(got[0].Left, got[0].Right), max(got[0].Left, got[0].Right)})
	require.Equal(t, 2, got[0].Decimals)
	require.InDelta(t, 1, got[0].Share, 0)

	// The credit-risk share, a quotient to 2 decimals, stays a quotient:
	// the product loan = share x income does not hold there.
	tab = derivedTable(t, 3000, false)
	s, err = tab.InferSchema().WithRoles(score.Ignored, "loan_status")
	require.NoError(t, err)
	got = fit.DerivedInputs(tab, s)
	require.Equal(t, "loan_percent_income", got[0].Feature)
	require.Equal(t, "/", got[0].Op)
}

// TestDerivedInputsNotByChance: in the public Cell2Cell churn file
// (testdata/trials/2026-12-05-trial22.md) RetentionCalls is 0 on 96.6% of
// the rows and 1 on 206 of the 218 others; UniqueSubs and ActiveSubs are
// mostly 1, so ActiveSubs / UniqueSubs rounds to 1 on most rows too, and
// `candor fit` warned that RetentionCalls "= ActiveSubs / UniqueSubs on
// 93.1% of 218 rows" (and six more such relations, among them
// "RetentionOffersAccepted = 0.9 * RetentionCalls"), telling the user to
// declare it derived: recourse would then have recomputed a count of calls
// from a count of lines. Two columns that each hold one value on most
// counted rows agree on most rows by chance. Here, by construction, the
// counts are drawn independently with Cell2Cell's frequencies: on the
// counted rows RetentionCalls is 1 with probability p = 0.94 and the ratio
// rounds to 1 with probability q of about 0.9, so about p*q + (1-p)(1-q),
// 0.85 or more, of the rows agree with no relation at all. Only agreement
// beyond chance is evidence (Cohen's kappa, (share - chance) / (1 -
// chance), at least 0.9): none of these is reported; Lines = ActiveSubs +
// SuspendedSubs, true on every row, still is.
func TestDerivedInputsNotByChance(t *testing.T) {
	rng := rand.New(rand.NewPCG(22, 5))
	pick := func(weights ...float64) int {
		u, k := rng.Float64(), 0
		for ; k < len(weights)-1 && u >= weights[k]; k++ {
			u -= weights[k]
		}
		return k
	}
	var b strings.Builder
	b.WriteString("RetentionCalls,RetentionOffersAccepted,UniqueSubs,ActiveSubs,SuspendedSubs,Lines,Handsets,HandsetModels,CallForwardingCalls\n")
	for range 6380 {
		calls := 0
		if rng.Float64() < 0.034 {
			calls = []int{1, 2, 4}[pick(0.94, 0.05, 0.01)]
		}
		offers := 0
		if calls > 0 && rng.Float64() < 0.45 {
			offers = 1 + pick(0.96, 0.03, 0.01)
		}
		unique := 1 + pick(0.64, 0.265, 0.06, 0.023, 0.012)
		active := max(unique-pick(0.75, 0.2, 0.05), 1)
		suspended := pick(0.9, 0.1)
		handsets := 1 + pick(0.56, 0.25, 0.1, 0.05, 0.04)
		models := max(handsets-pick(0.8, 0.2), 1)
		forwarding := 0.0
		if rng.Float64() < 0.005 {
			forwarding = float64(1+rng.IntN(40)) / 3
		}
		fmt.Fprintf(&b, "%d,%d,%d,%d,%d,%d,%d,%d,%.1f\n", calls, offers, unique, active, suspended, active+suspended, handsets, models, forwarding)
	}
	tab, err := score.ReadCSV(strings.NewReader(b.String()), nil)
	require.NoError(t, err)
	s := tab.InferSchema()
	got := fit.DerivedInputs(tab, s)
	require.Len(t, got, 1, "%v", got)
	require.Equal(t, "Lines = ActiveSubs + SuspendedSubs", got[0].Formula())
	require.Equal(t, 1.0, got[0].Share)
	require.Empty(t, fit.ScaledInputs(tab, s))
}
