package explain_test

import (
	"fmt"
	"math"

	"github.com/candorscore/candor/explain"
	"github.com/candorscore/candor/score"
)

// sampleModel is the PMML specification's sample scorecard (see
// dmg_test.go), built without a testing.T for the examples.
func sampleModel() *score.Model {
	up := func(x float64) *float64 { y := math.Nextafter(x, math.Inf(1)); return &y }
	p := func(x float64) *float64 { return &x }
	m, err := score.NewModel(score.Spec{
		Name: "SampleScorecard", Kind: score.ScorecardModel,
		Features: []score.Feature{{Name: "department", Kind: score.Categorical}, {Name: "age"}, {Name: "income", Sensitive: true}},
		Scaling:  &score.Scaling{Offset: 600, Factor: 50 / math.Ln2},
		Reasons:  &score.ReasonSpec{Algorithm: "pointsBelow"},
		Terms: []score.Term{
			{Feature: "department", Kind: score.BinnedTerm, ReasonCode: "RC1", ReasonBaseline: p(19), Bins: []score.Bin{
				{Kind: score.MissingBin, Effect: -9},
				{Kind: score.CategoryBin, Categories: []string{"marketing"}, Effect: 19},
				{Kind: score.CategoryBin, Categories: []string{"engineering"}, Effect: 3},
				{Kind: score.CategoryBin, Categories: []string{"business"}, Effect: 6}}},
			{Feature: "age", Kind: score.BinnedTerm, ReasonCode: "RC2", ReasonBaseline: p(18), Bins: []score.Bin{
				{Kind: score.MissingBin, Effect: -1},
				{Kind: score.RangeBin, Upper: up(18), Effect: -3, Label: "18 or under"},
				{Kind: score.RangeBin, Lower: up(18), Upper: up(29), Effect: 0, Label: "19 to 29"},
				{Kind: score.RangeBin, Lower: up(29), Upper: up(39), Effect: 12, Label: "30 to 39"},
				{Kind: score.RangeBin, Lower: up(39), Effect: 18, Label: "40 or over"}}},
			{Feature: "income", Kind: score.BinnedTerm, ReasonCode: "RC3", ReasonBaseline: p(10), Bins: []score.Bin{
				{Kind: score.MissingBin, Effect: 5},
				{Kind: score.RangeBin, Upper: up(1000), Effect: 26},
				{Kind: score.RangeBin, Lower: up(1000), Upper: up(2500), Effect: 5},
				{Kind: score.RangeBin, Lower: up(2500), Effect: -3}}},
		},
	})
	if err != nil {
		panic(err)
	}
	return m
}

// The PMML specification's sample scorecard: score 29, reason codes RC2
// and RC1, and the exact breakdown from the declared baselines.
func ExampleExplainer_Explain() {
	e, err := explain.NewExplainer(sampleModel(), nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	var ex explain.Explanation // reuse across customers: no allocation
	rec := score.Record{score.Cat("engineering"), score.Num(25), score.Num(500)}
	if err := e.Explain(rec, &ex); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("score %.0f = baseline %.0f + %v\n", ex.Result.Score, ex.Baseline, ex.Contributions)
	for _, r := range ex.Reasons {
		fmt.Printf("%s %s (%s) %+.0f points\n", r.Code, r.Feature, r.Bin, r.Effect)
	}
	// Output:
	// score 29 = baseline 47 + [-16 -18 16]
	// RC2 age (19 to 29) -18 points
	// RC1 department (engineering) -16 points
}

// Customer text in two languages; income is sensitive, so its value never
// appears. No feature of the sample scorecard has a declared action (and
// it carries no training counts), so every reason is given but none
// carries advice: see ExampleReason_advice.
func ExampleExplainer_AppendCustomerText() {
	e, _ := explain.NewExplainer(sampleModel(), nil)
	var ex explain.Explanation
	_ = e.Explain(score.Record{score.Cat("business"), score.Num(33), score.Num(1800)}, &ex)
	cat := explain.DefaultCatalog()
	for _, lang := range []string{"en", "de"} {
		b, _ := e.AppendCustomerText(nil, cat, lang, &ex)
		fmt.Print(string(b))
	}
	// Output:
	// Your department (business) weighed against the result.
	// Your age (30 to 39) weighed against the result.
	// Your income weighed against the result.
	// Ihr Merkmal „department“ (business) wirkte sich nachteilig auf das Ergebnis aus.
	// Ihr Merkmal „age“ (30 to 39) wirkte sich nachteilig auf das Ergebnis aus.
	// Ihr Merkmal „income“ wirkte sich nachteilig auf das Ergebnis aus.
}

// A developer overrides the text of one reason code and names a feature.
func ExampleCatalog_With() {
	cat, err := explain.DefaultCatalog().With(
		explain.Message{Lang: "en", Kind: explain.FeatureMessage, Key: "age", Text: "age group"},
		explain.Message{Lang: "en", Kind: explain.ReasonMessage, Key: "RC2", Text: "Applicants in your {feature} ({bin}) repay less often."},
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	e, _ := explain.NewExplainer(sampleModel(), nil)
	var ex explain.Explanation
	_ = e.Explain(score.Record{score.Cat("engineering"), score.Num(25), score.Num(500)}, &ex)
	r := ex.Reasons[0]
	s, _ := cat.Text("en", explain.ReasonMessage, e.ReasonArgs(r, ex.Positions[r.Term]))
	fmt.Println(s)
	// Output:
	// Applicants in your age group (19 to 29) repay less often.
}

// Baselines: points below the best attainable ("points below maximum")
// and the probability-scale view, whose parts add up to the change.
func ExampleBestBaseline() {
	m := sampleModel()
	best, _ := explain.BestBaseline(m)
	e, _ := explain.NewExplainer(m, &explain.Options{Baseline: &best})
	var ex explain.Explanation
	_ = e.Explain(score.Record{score.Cat("engineering"), score.Num(25), score.Num(500)}, &ex)
	fmt.Printf("best %.0f, score %.0f, below maximum %v\n", ex.Baseline, ex.Result.Score, ex.Contributions)
	pv, _ := e.Probability(nil, &ex)
	sum := 0.0
	for _, p := range pv.Contributions {
		sum += p
	}
	fmt.Printf("probability %.4f -> %.4f, parts add up: %v\n", float64(pv.Baseline), float64(pv.Total), math.Abs(sum-float64(pv.Total-pv.Baseline)) < 1e-15)
	// Output:
	// best 63, score 29, below maximum [-16 -18 0]
	// probability 0.9994 -> 0.9996, parts add up: true
}
