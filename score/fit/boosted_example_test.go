package fit_test

import (
	"context"
	"fmt"

	"github.com/candorscore/candor/examples/datasets"
	"github.com/candorscore/candor/score/fit"
)

// ExampleBoosted fits a boosted additive model of bad credit on German
// credit (protected attributes kept out) and scores the first customer:
// the model is a scorecard whose terms add up to the points.
func ExampleBoosted() {
	tab, s, err := datasets.LoadSchema(datasets.GermanCredit, "personal_status_and_sex", "age_in_years", "foreign_worker")
	if err != nil {
		panic(err)
	}
	bf, err := fit.Boosted(context.Background(), tab, s, "creditability", "bad", nil)
	if err != nil {
		panic(err)
	}
	m := bf.Model
	rec, err := tab.Record(m.Schema(), 0)
	if err != nil {
		panic(err)
	}
	terms := make([]float64, m.NumTerms())
	r, err := m.ScoreTerms(rec, terms)
	if err != nil {
		panic(err)
	}
	sum := m.Intercept()
	for _, e := range terms {
		sum += e
	}
	fmt.Println(m.Kind(), m.NumTerms(), "terms,", len(bf.Rounds), "bags")
	fmt.Printf("points %.1f, terms add up: %v, event probability %.2f\n", r.Score, sum-r.Score < 1e-9 && r.Score-sum < 1e-9, r.Probability)
	// Output:
	// scorecard 17 terms, 14 bags
	// points 572.0, terms add up: true, event probability 0.07
}
