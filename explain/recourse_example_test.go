package explain_test

import (
	"context"
	"fmt"

	"github.com/candorscore/candor/explain"
	"github.com/candorscore/candor/score"
)

// churnCharges are the training statistics of the example's monthly
// charges: churn rises with the charge (DataTrend +1), and the training
// rows fall in three cells, below 70, 70 to 100 and from 100, with churn
// rates 20%, 30% and 45% (the data support of a change).
func churnCharges() *score.Stats {
	c70, c100 := 70.0, 100.0
	return &score.Stats{Count: 100, DataTrend: 1, Cells: []score.Cell{
		{Upper: &c70, Count: 30, Events: 6}, {Lower: &c70, Upper: &c100, Count: 30, Events: 9}, {Lower: &c100, Count: 40, Events: 18}}}
}

// A churn model in log-odds: -3 + 0.04 * monthly charges + contract effect.
// The customer pays 100 a month on a month-to-month contract: log-odds 1,
// churn probability 0.731. To get below 0.4 the log-odds must fall by more
// than 1.405: a two-year contract (1.8, cost 1 - 0.24 = 0.76, the default
// cost of a move to a label held by 24% of customers) is the cheapest; the
// alternative without a contract change is a price of 60 (gain 1.6, cost
// 40 * 0.02 = 0.80). The protected attribute is never touched. Both
// changes are supported by the training data: customers on two-year
// contracts churn at 4% against 42% month-to-month; at 60 a month, 20%
// against 45% at 100.
func ExampleActionSpace_Recourse() {
	s := score.MustSchema(
		score.Feature{Name: "monthly_charges"},
		score.Feature{Name: "contract", Kind: score.Categorical},
		score.Feature{Name: "senior", Kind: score.Categorical, Role: score.Protected},
	)
	m, err := score.NewModel(score.Spec{Name: "churn", Kind: score.LogisticModel, Features: s.Features(), Intercept: -3,
		Terms: []score.Term{
			{Feature: "monthly_charges", Kind: score.LinearTerm, Coef: 0.04, Stats: churnCharges()},
			{Feature: "contract", Kind: score.CategoricalTerm, Reference: "month-to-month", Levels: []score.Level{
				{Label: "month-to-month", Count: 55, Events: 23}, {Label: "one year", Effect: -0.9, Count: 21, Events: 2},
				{Label: "two year", Effect: -1.8, Count: 24, Events: 1}}},
		}})
	if err != nil {
		panic(err)
	}
	actions, err := explain.ParseActions([]byte(`{
		"features": {
			"monthly_charges": {"direction": "decrease", "grid": [60, 70, 80, 90], "cost_per_unit": 0.02},
			"contract": {"transitions": {"month-to-month": ["one year", "two year"]}}
		}}`))
	if err != nil {
		panic(err)
	}
	space, err := explain.NewActionSpace(m, actions, nil)
	if err != nil {
		panic(err)
	}
	customer := score.Record{score.Num(100), score.Cat("month-to-month"), score.Cat("yes")}
	r, err := space.Recourse(context.Background(), customer, &explain.RecourseOptions{Target: 0.4, K: 2})
	if err != nil {
		panic(err)
	}
	fmt.Printf("churn probability %.3f, target below %.1f\n", r.Probability, r.Target)
	cat, _ := explain.DefaultCatalog().With(explain.RecourseMessages...)
	for _, cf := range r.Counterfactuals {
		for _, ch := range cf.Changes {
			fmt.Printf("  %s: %s -> %s (cost %.2f; training churn %.2f -> %.2f)\n", ch.Feature, ch.From, ch.To, ch.Cost,
				ch.Support.CurrentRate, ch.Support.ProposedRate)
		}
		text, _ := explain.CounterfactualText(cat, "en", s, cf)
		fmt.Printf("  total cost %.2f, probability %.3f: %s\n", cf.Cost, cf.Probability, text)
	}
	// Output:
	// churn probability 0.731, target below 0.4
	//   contract: month-to-month -> two year (cost 0.76; training churn 0.42 -> 0.04)
	//   total cost 0.76, probability 0.310: If your contract were two year instead of month-to-month, the decision would change.
	//   monthly_charges: 100 -> 60 (cost 0.80; training churn 0.45 -> 0.20)
	//   total cost 0.80, probability 0.354: If your monthly charges were 60 instead of 100, the decision would change.
}

// MinimalCosts answers a whole table: the cheapest cost per customer, 0 for
// those already below the target, +Inf for those no allowed change can
// flip. The third customer (log-odds -3 + 6 - 0.9 = 2.1) may not leave a
// one-year contract and may not pay less than 90: log-odds -0.3 at best,
// probability 0.426. Free to pay 60 it would reach -1.5 (0.182); free to
// take a two-year contract, -1.2 (0.231). These are the inputs of
// fairness.RecourseBurden.
func ExampleActionSpace_MinimalCosts() {
	s := score.MustSchema(score.Feature{Name: "monthly_charges"}, score.Feature{Name: "contract", Kind: score.Categorical})
	m, err := score.NewModel(score.Spec{Name: "churn", Kind: score.LogisticModel, Features: s.Features(), Intercept: -3,
		Terms: []score.Term{
			{Feature: "monthly_charges", Kind: score.LinearTerm, Coef: 0.04, Stats: churnCharges()},
			{Feature: "contract", Kind: score.CategoricalTerm, Reference: "month-to-month", Levels: []score.Level{
				{Label: "month-to-month", Count: 55, Events: 23}, {Label: "one year", Effect: -0.9, Count: 21, Events: 2},
				{Label: "two year", Effect: -1.8, Count: 24, Events: 1}}},
		}})
	if err != nil {
		panic(err)
	}
	actions, err := explain.ParseActions([]byte(`{"features": {
		"monthly_charges": {"direction": "decrease", "grid": [60, 70, 80, 90], "min": 90, "cost_per_unit": 0.02},
		"contract": {"transitions": {"month-to-month": ["one year", "two year"]}}}}`))
	if err != nil {
		panic(err)
	}
	space, err := explain.NewActionSpace(m, actions, nil)
	if err != nil {
		panic(err)
	}
	customers, err := score.NewTable([]string{"monthly_charges", "contract"}, [][]string{
		{"100", "month-to-month"}, {"50", "month-to-month"}, {"150", "one year"}})
	if err != nil {
		panic(err)
	}
	costs, adverse, err := space.MinimalCosts(context.Background(), customers, &explain.RecourseOptions{Target: 0.4})
	if err != nil {
		panic(err)
	}
	for i := range costs {
		fmt.Printf("customer %d: adverse %v, cheapest cost %.2f\n", i+1, adverse[i], costs[i])
	}
	rec, _ := customers.Record(s, 2)
	r, _ := space.Recourse(context.Background(), rec, &explain.RecourseOptions{Target: 0.4})
	fmt.Println(r.Reason)
	// Output:
	// customer 1: adverse true, cheapest cost 0.76
	// customer 2: adverse false, cheapest cost 0.00
	// customer 3: adverse true, cheapest cost +Inf
	// no allowed change brings the probability below 0.400: the best reachable is 0.426; limited by the bounds of monthly_charges (0.182 without it), the transitions of contract (0.231 without it)
}
