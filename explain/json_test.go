package explain_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/explain"
	"github.com/candorscore/candor/score"
)

// A service that marshals an explanation must not leak the value of a
// feature marked Sensitive (income in the sample scorecard), neither in
// Values nor in the reasons' value and bin.
func TestMarshalWithholdsSensitive(t *testing.T) {
	m := sampleModel()
	rec := score.Record{score.Cat("engineering"), score.Num(25), score.Num(1234.5)}
	marshal := func(opts *explain.Options) (string, *explain.Explanation) {
		e, err := explain.NewExplainer(m, opts)
		require.NoError(t, err)
		var ex explain.Explanation
		require.NoError(t, e.Explain(rec, &ex))
		b, err := json.Marshal(ex)
		require.NoError(t, err)
		return string(b), &ex
	}
	s, ex := marshal(nil)
	var bin string
	for _, r := range ex.Reasons {
		if r.Feature == "income" {
			bin = r.Bin
			require.True(t, r.Withheld)
		}
	}
	require.NotEmpty(t, bin, "income is a reason")
	require.NotContains(t, s, "1234.5")
	require.NotContains(t, s, bin)
	require.Contains(t, s, `"values":["engineering",25,"withheld"]`)
	// Marshalled as published: income 1234.5 is in the bin (1000, 2500]
	// (5 points), grouped with "> 2500" (-3) for a published 1 (the bins
	// sorted by effect: -3, 5, 5 (missing), 26, in pairs); gap 10 - 1.
	require.Contains(t, s, `"feature":"income","value":"withheld","gap":9,"effect":-9,"withheld":true`)
	// The fields themselves keep the data for the program's own use.
	require.Equal(t, 1234.5, ex.Values[2].Float())

	// Exact reasons marshalled on their own withhold the gap and effect too.
	b, err := json.Marshal(ex.Reasons)
	require.NoError(t, err)
	require.NotContains(t, string(b), "1234.5")
	require.NotContains(t, string(b), bin)
	require.Contains(t, string(b), `{"code":"RC3","term":2,"feature":"income","value":"withheld","withheld":true}`)

	// The explicit opt-in shows them.
	s, _ = marshal(&explain.Options{ShowSensitive: true})
	require.Contains(t, s, `"values":["engineering",25,1234.5]`)
	require.Contains(t, s, bin)
	require.NotContains(t, s, "withheld")
}

// Marshalled explanations of an income-sensitive scorecard show the
// income as withheld unless Options.ShowSensitive is set.
func ExampleExplanation_MarshalJSON() {
	e, err := explain.NewExplainer(sampleModel(), &explain.Options{MaxReasons: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	var ex explain.Explanation
	if err := e.Explain(score.Record{score.Cat("marketing"), score.Num(45), score.Num(3000)}, &ex); err != nil {
		fmt.Println(err)
		return
	}
	b, err := json.Marshal(ex.Reasons)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(ex.Values[2].Float(), string(b))
	// Output:
	// 3000 [{"code":"RC3","term":2,"feature":"income","value":"withheld","withheld":true}]
}
