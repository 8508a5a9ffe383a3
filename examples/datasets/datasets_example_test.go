package datasets_test

import (
	"fmt"

	"github.com/candorscore/candor/examples/datasets"
	"github.com/candorscore/candor/score"
)

func ExampleLoadSchema() {
	tab, s, err := datasets.LoadSchema(datasets.GermanCredit, "personal_status_and_sex")
	if err != nil {
		panic(err)
	}
	roles := map[score.Role]int{}
	for _, f := range s.Features() {
		roles[f.Role]++
	}
	fmt.Println("rows:", tab.Len())
	fmt.Println("inputs:", roles[score.Input])
	fmt.Println("protected:", roles[score.Protected], "ignored:", roles[score.Ignored])
	// Output:
	// rows: 1000
	// inputs: 19
	// protected: 1 ignored: 1
}
