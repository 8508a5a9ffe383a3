package fit_test

import (
	"fmt"

	"github.com/candorscore/candor/examples/datasets"
	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/fit"
)

// ExamplePreBins bins German credit's loan duration from two workers'
// counts (odd and even rows), merged as a cluster or a stream would, and
// checks the result against BinFeature over the rows in memory. (The bin
// counts agree with Python's csv module counting the CSV by hand.)
func ExamplePreBins() {
	tab, err := datasets.Load(datasets.GermanCredit)
	if err != nil {
		fmt.Println(err)
		return
	}
	dur, target := tab.Column("duration_in_month"), tab.Column("creditability")
	f := score.Feature{Name: "duration_in_month", Kind: score.Numeric}
	workers := []*fit.PreBins{fit.NewPreBins(f, nil), fit.NewPreBins(f, nil)}
	var values []score.Value
	var events []bool
	for i := 0; i < tab.Len(); i++ {
		v, err := score.ParseValue(score.Numeric, tab.Cell(i, dur))
		if err != nil {
			fmt.Println(err)
			return
		}
		bad := tab.Cell(i, target) == "bad"
		if err := workers[i%2].Add(v, bad, 1); err != nil {
			fmt.Println(err)
			return
		}
		values, events = append(values, v), append(events, bad)
	}
	if err := workers[0].Merge(workers[1]); err != nil {
		fmt.Println(err)
		return
	}
	merged, err := workers[0].Bin(nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	inMemory, err := fit.BinFeature(f, values, events, nil, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d rows, %d distinct durations\n", workers[0].Rows(), workers[0].Distinct())
	fmt.Printf("cuts %v (in memory %v)\n", merged.Spec().Cuts, inMemory.Spec().Cuts)
	for _, bin := range merged.Bins {
		fmt.Printf("  %-10s rows %3.0f  bad %3.0f\n", bin.Label, bin.Count, bin.Events)
	}
	// Output:
	// 1000 rows, 33 distinct durations
	// cuts [7 11 16 26 33 39] (in memory [7 11 16 26 33 39])
	//   [-inf, 7)  rows  82  bad   9
	//   [7, 11)    rows  89  bad  18
	//   [11, 16)   rows 260  bad  62
	//   [16, 26)   rows 339  bad 109
	//   [26, 33)   rows  57  bad  19
	//   [33, 39)   rows  86  bad  38
	//   [39, +inf) rows  87  bad  45
	//   missing    rows   0  bad   0
}
