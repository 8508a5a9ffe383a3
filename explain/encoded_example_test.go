package explain_test

import (
	"fmt"

	"github.com/candorscore/candor/explain"
	"github.com/candorscore/candor/score"
)

// The PMML sample scorecard explained from an encoded record: the
// customer's labels and bins are resolved once by Model.Encode, and the
// explanation is the one Explain gives.
func ExampleExplainer_ExplainEncoded() {
	m := sampleModel()
	e, err := explain.NewExplainer(m, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	var enc score.Encoded      // reuse across customers: no allocation
	var ex explain.Explanation // likewise
	if err := m.Encode(score.Record{score.Cat("engineering"), score.Num(25), score.Num(500)}, &enc); err != nil {
		fmt.Println(err)
		return
	}
	if err := e.ExplainEncoded(&enc, &ex); err != nil {
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
