package score_test

import (
	"fmt"

	"github.com/candorscore/candor/score"
)

// Encoding a customer once and scoring the encoding: labels are matched
// when the record is encoded, so ScoreEncoded is arithmetic only. The
// result is exactly ScoreTerms'.
func ExampleModel_Encode() {
	m, err := score.NewModel(score.Spec{
		Name: "churn", Kind: score.LogisticModel,
		Features: []score.Feature{
			{Name: "tenure", Kind: score.Numeric},
			{Name: "contract", Kind: score.Categorical},
		},
		Intercept: 0.5,
		Terms: []score.Term{
			{Feature: "tenure", Kind: score.LinearTerm, Coef: -0.05},
			{Feature: "contract", Kind: score.CategoricalTerm, Reference: "Month-to-month", Levels: []score.Level{
				{Label: "Month-to-month", Effect: 0}, {Label: "Two year", Effect: -1.5},
			}},
		},
	})
	if err != nil {
		panic(err)
	}
	var enc score.Encoded // reuse one per goroutine: encoding into it allocates nothing
	if err := m.Encode(score.Record{score.Num(12), score.Cat("Two year")}, &enc); err != nil {
		panic(err)
	}
	terms := make([]float64, m.NumTerms())
	res, err := m.ScoreEncoded(&enc, terms)
	fmt.Printf("log-odds %.2f = 0.50 %+.2f %+.2f, level %d, err %v\n", res.LogOdds, terms[0], terms[1], enc.Position(1), err)

	err = m.Encode(score.Record{score.Num(3), score.Cat("One year")}, &enc)
	fmt.Println(err)
	_, err = m.ScoreEncoded(&enc, terms) // the encoding keeps the record's error
	fmt.Println(err)
	// Output:
	// log-odds -1.60 = 0.50 -0.60 -1.50, level 1, err <nil>
	// feature "contract": unknown category ("One year")
	// feature "contract": unknown category ("One year")
}

// Encoding a customer of the caller's own type straight from a Binding,
// without building a Record.
func ExampleBinding_Encode() {
	type Customer struct {
		Tenure   float64
		Contract string
	}
	other := 0.2 // the effect of a contract the model never saw
	m, err := score.NewModel(score.Spec{
		Name: "churn", Kind: score.LogisticModel,
		Features: []score.Feature{
			{Name: "tenure", Kind: score.Numeric},
			{Name: "contract", Kind: score.Categorical},
		},
		Intercept: 0.5,
		Terms: []score.Term{
			{Feature: "tenure", Kind: score.LinearTerm, Coef: -0.05},
			{Feature: "contract", Kind: score.CategoricalTerm, Reference: "Month-to-month", OtherEffect: &other, Levels: []score.Level{
				{Label: "Month-to-month", Effect: 0}, {Label: "Two year", Effect: -1.5},
			}},
		},
	})
	if err != nil {
		panic(err)
	}
	b, err := score.Bind(m.Schema(),
		score.NumField("tenure", func(c *Customer) float64 { return c.Tenure }),
		score.CatField("contract", func(c *Customer) string { return c.Contract }),
	)
	if err != nil {
		panic(err)
	}
	var enc score.Encoded
	for _, c := range []Customer{{12, "Two year"}, {3, "One year"}} {
		if err := b.Encode(m, &enc, &c); err != nil {
			panic(err)
		}
		res, _ := m.ScoreEncoded(&enc, nil)
		fmt.Printf("%s: probability %.3f (position %d)\n", c.Contract, res.Probability, enc.Position(1))
	}
	// Output:
	// Two year: probability 0.168 (position 1)
	// One year: probability 0.634 (position -1)
}
