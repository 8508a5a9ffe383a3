package score_test

import (
	"bytes"
	"fmt"

	"github.com/candorscore/candor/score"
)

// A schema built by hand, and a Go struct bound to it with typed getters.
func ExampleBind() {
	type Customer struct {
		Tenure   float64
		Contract string
	}
	s := score.MustSchema(
		score.Feature{Name: "tenure", Kind: score.Numeric},
		score.Feature{Name: "contract", Kind: score.Categorical},
		score.Feature{Name: "gender", Kind: score.Categorical, Role: score.Protected},
	)
	b, err := score.Bind(s,
		score.NumField("tenure", func(c *Customer) float64 { return c.Tenure }),
		score.CatField("contract", func(c *Customer) string { return c.Contract }),
	)
	if err != nil {
		panic(err)
	}
	rec := b.Record(nil, &Customer{Tenure: 12, Contract: "Two year"})
	fmt.Println(rec[0], rec[1], rec[2].IsMissing())
	// Output: 12 Two year true
}

// Scoring one customer from name-keyed data.
func ExampleModel_Score() {
	m, _ := score.NewModel(score.Spec{
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
	rec, _ := m.Schema().RecordFromMap(map[string]any{"tenure": 12.0, "contract": "Two year"})
	terms := make([]float64, m.NumTerms())
	res, _ := m.ScoreTerms(rec, terms)
	fmt.Printf("log-odds %.2f = 0.50 %+.2f %+.2f, probability %.3f\n", res.LogOdds, terms[0], terms[1], res.Probability)
	_, err := m.Score(score.Record{score.Num(3), score.Cat("One year")})
	fmt.Println(err)
	// Output:
	// log-odds -1.60 = 0.50 -0.60 -1.50, probability 0.168
	// feature "contract": unknown category ("One year")
}

// Saving and loading a model file; the fingerprint covers its content.
func ExampleLoad() {
	m, _ := score.NewModel(score.Spec{
		Name: "tiny", Kind: score.LogisticModel,
		Features:  []score.Feature{{Name: "x", Kind: score.Numeric}},
		Intercept: -1,
		Terms:     []score.Term{{Feature: "x", Kind: score.LinearTerm, Coef: 2}},
	})
	var buf bytes.Buffer
	_ = m.Save(&buf)
	file := buf.Bytes()
	m2, err := score.Load(bytes.NewReader(file))
	fmt.Println(err == nil, m2.Fingerprint() == m.Fingerprint())
	tampered := bytes.Replace(file, []byte(`"coef": 2`), []byte(`"coef": 3`), 1)
	_, err = score.Load(bytes.NewReader(tampered))
	fmt.Println(err != nil)
	// Output:
	// true true
	// true
}

// ExampleBin_EffectRange: a sloped bin's lowest and highest points, over
// its own range and within a training range.
func ExampleBin_EffectRange() {
	lo := 2500.0
	b := score.Bin{Kind: score.RangeBin, Lower: &lo, Effect: -18, Slope: 0.01}
	fmt.Println(b.EffectRange(nil))
	fmt.Println(b.EffectRange(&score.Stats{Count: 100, Min: 0, Max: 5000}))
	fmt.Println(b.EffectAt(3000))
	// Output:
	// 7 +Inf
	// 7 32
	// 12
}
