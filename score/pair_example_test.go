package score_test

import (
	"fmt"

	"github.com/candorscore/candor/score"
)

// A pair term is a table over two features' bins; the score stays a sum of
// terms.
func ExampleModel_PairEffect() {
	at := func(x float64) *float64 { return &x }
	m, err := score.NewModel(score.Spec{
		Name: "pair", Kind: score.LogisticModel, Intercept: -1,
		Features: []score.Feature{{Name: "tenure"}, {Name: "plan", Kind: score.Categorical}},
		Terms: []score.Term{
			{Feature: "tenure", Kind: score.LinearTerm, Coef: -0.1},
			{Feature: "plan", Kind: score.CategoricalTerm, Reference: "basic", Levels: []score.Level{{Label: "basic"}, {Label: "premium", Effect: -0.5}}},
			{Feature: "tenure", Kind: score.PairTerm,
				Bins: []score.Bin{{Kind: score.RangeBin, Upper: at(12)}, {Kind: score.RangeBin, Lower: at(12)}},
				Pair: &score.Pair{Feature: "plan",
					Bins:    []score.Bin{{Kind: score.CategoryBin, Categories: []string{"basic"}}, {Kind: score.CategoryBin, Categories: []string{"premium"}}},
					Effects: []float64{0.25, -0.25, -0.25, 0.25}}},
		},
	})
	if err != nil {
		panic(err)
	}
	rec := score.Record{score.Num(6), score.Cat("premium")}
	e, cell, _ := m.PairEffect(2, rec[0], rec[1])
	res, _ := m.Score(rec)
	fmt.Printf("pair effect %.2f in cell %d; score %.2f = -1 - 0.6 - 0.5 - 0.25\n", e, cell, res.Score)
	fmt.Println(m.RefusePairs("this report"))
	// Output:
	// pair effect -0.25 in cell 1; score -2.35 = -1 - 0.6 - 0.5 - 0.25
	// feature "tenure": pair term not supported here: this report handles terms of one feature, and term 2 is the pair of tenure and plan
}

// Merging two bins of a shape, then building the edited model.
func ExampleTerm_MergeBins() {
	at := func(x float64) *float64 { return &x }
	spec := score.Spec{Name: "shape", Kind: score.LogisticModel,
		Features: []score.Feature{{Name: "age"}},
		Terms: []score.Term{{Feature: "age", Kind: score.BinnedTerm, Bins: []score.Bin{
			{Kind: score.RangeBin, Upper: at(30), Effect: 0.4, Count: 100},
			{Kind: score.RangeBin, Lower: at(30), Upper: at(40), Effect: 0.1, Count: 300},
			{Kind: score.RangeBin, Lower: at(40), Effect: -0.2, Count: 600},
		}}}}
	before, _ := score.NewModel(spec)
	if err := spec.Terms[0].MergeBins(0, 1); err != nil {
		panic(err)
	}
	after, _ := score.NewModel(spec)
	r, _ := after.Score(score.Record{score.Num(25)})
	fmt.Printf("%d bins; age 25 now scores %.3f (= (100*0.4 + 300*0.1) / 400)\n", len(spec.Terms[0].Bins), r.Score)
	fmt.Println("new fingerprint:", before.Fingerprint() != after.Fingerprint())
	// Output:
	// 2 bins; age 25 now scores 0.175 (= (100*0.4 + 300*0.1) / 400)
	// new fingerprint: true
}
