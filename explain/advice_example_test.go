package explain_test

import (
	"fmt"

	"github.com/candorscore/candor/explain"
	"github.com/candorscore/candor/score"
)

// Advice a customer can trust. A churn model in log-odds: -2 + 0.03 *
// monthly charge + 0.0005 * total charges - 0.02 * tenure + contract
// effect. Total charges are collinear with the monthly charge and tenure:
// the model gives them a positive coefficient ("lower total charges would
// keep you"), although churn falls as they rise in the data (DataTrend
// -1). Contract and
// charges are declared actionable, tenure is not. The customer reads a
// reason for every adverse term, but an improve sentence only where the
// move is allowed, agrees with the data and has training support.
func ExampleReason_advice() {
	c40, c80, c1000 := 40.0, 80.0, 1000.0
	features := []score.Feature{
		{Name: "monthly_charge", Label: "monthly charge", Unit: "dollars", Action: &score.Action{}},
		{Name: "total_charges", Label: "total charges so far", Unit: "dollars", Action: &score.Action{}},
		{Name: "tenure", Label: "months with us", Unit: "months"},
		{Name: "contract", Kind: score.Categorical, Label: "contract",
			Action: &score.Action{Transitions: map[string][]string{"monthly": {"yearly"}}}},
	}
	m, err := score.NewModel(score.Spec{Name: "churn", Kind: score.LogisticModel, Features: features, Intercept: -2,
		Terms: []score.Term{
			{Feature: "monthly_charge", Kind: score.LinearTerm, Coef: 0.03, Baseline: 1.8, Stats: &score.Stats{Count: 100, DataTrend: 1,
				Cells: []score.Cell{{Upper: &c40, Count: 30, Events: 3}, {Lower: &c40, Upper: &c80, Count: 40, Events: 10}, {Lower: &c80, Count: 30, Events: 12}}}},
			{Feature: "total_charges", Kind: score.LinearTerm, Coef: 0.0005, Baseline: 0.1, Stats: &score.Stats{Count: 100, DataTrend: -1,
				Cells: []score.Cell{{Upper: &c1000, Count: 50, Events: 20}, {Lower: &c1000, Count: 50, Events: 5}}}},
			{Feature: "tenure", Kind: score.LinearTerm, Coef: -0.02, Baseline: -0.5},
			{Feature: "contract", Kind: score.CategoricalTerm, Reference: "monthly", Baseline: -0.4, Levels: []score.Level{
				{Label: "monthly", Count: 60, Events: 21}, {Label: "yearly", Effect: -1, Count: 40, Events: 4}}},
		}})
	if err != nil {
		panic(err)
	}
	e, err := explain.NewExplainer(m, &explain.Options{MaxReasons: explain.AllReasons})
	if err != nil {
		panic(err)
	}
	var ex explain.Explanation
	if err := e.Explain(score.Record{score.Num(95), score.Num(300), score.Num(3), score.Cat("monthly")}, &ex); err != nil {
		panic(err)
	}
	for _, r := range ex.Reasons {
		fmt.Printf("%-14s advice %-9q withheld %q\n", r.Feature, r.Advice, r.AdviceWithheld)
	}
	b, _ := e.AppendCustomerText(nil, explain.DefaultCatalog(), "en", &ex)
	fmt.Print(string(b))
	// Output:
	// monthly_charge advice "decrease" withheld ""
	// tenure         advice ""        withheld "not_actionable"
	// contract       advice "change"  withheld ""
	// total_charges  advice ""        withheld "against_data_trend"
	// Your monthly charge (95 dollars) weighed against the result. A lower value for your monthly charge would improve the result.
	// Your months with us (3 months) weighed against the result.
	// Your contract (monthly) weighed against the result. Your contract being yearly would improve the result.
	// Your total charges so far (300 dollars) weighed against the result.
}
