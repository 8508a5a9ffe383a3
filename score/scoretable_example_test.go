package score_test

import (
	"fmt"

	"github.com/candorscore/candor/score"
)

// Scoring a whole table: one result per row, a bad row is a bad row.
func ExampleModel_ScoreTable() {
	m, err := score.NewModel(score.Spec{Name: "churn", Kind: score.LogisticModel,
		Features: []score.Feature{{Name: "tenure"}},
		Terms:    []score.Term{{Feature: "tenure", Kind: score.LinearTerm, Coef: -0.5}}})
	if err != nil {
		fmt.Println(err)
		return
	}
	t, err := score.ParseCSV([]byte("tenure\n0\nlong\n4\n"), nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range m.ScoreTable(nil, t, nil) {
		if r.Err != nil {
			fmt.Println(r.Row, "error:", r.Err)
			continue
		}
		fmt.Printf("%d %.3f\n", r.Row, float64(r.Result.Probability))
	}
	// Output:
	// 1 0.500
	// 2 error: row 2: feature "tenure": value of the wrong kind: not a number, and the feature is numeric ("long")
	// 3 0.119
}
