package fairness_test

import (
	"fmt"
	"math"

	"github.com/candorscore/candor/fairness"
)

// Two workers each tally their own rows of the recourse burden, and the
// tallies merge: the result is RecourseBurden's on all the rows. Group A's
// adverse rows cost 1 and 3 to change, and one has no recourse; group B's
// cost 4 and 6.
func ExampleBurdenTally() {
	type row struct {
		adverse bool
		cost    float64
		group   string
	}
	rows := []row{{true, 1, "A"}, {true, 3, "A"}, {true, math.Inf(1), "A"}, {false, 0, "A"}, {true, 4, "B"}, {true, 6, "B"}}
	opts := &fairness.BurdenOptions{MinGroupSize: -1}
	var parts [2]*fairness.BurdenTally
	for k := range parts {
		parts[k], _ = fairness.NewBurdenTally([]string{"segment"}, opts)
	}
	for i, r := range rows {
		err := parts[i%2].Add(fairness.BurdenRow{Index: uint64(i), Adverse: r.adverse, Cost: r.cost, Groups: []string{r.group}})
		if err != nil {
			fmt.Println(err)
			return
		}
	}
	if err := parts[0].Merge(parts[1]); err != nil {
		fmt.Println(err)
		return
	}
	burdens, err := parts[0].Burdens()
	if err != nil {
		fmt.Println(err)
		return
	}
	b := burdens[0]
	fmt.Println("cheapest:", b.Cheapest)
	for _, g := range b.Groups {
		fmt.Printf("%s: %d adverse, %.2f without recourse, mean cost %.2f, %+.2f vs cheapest\n",
			g.Group, g.Adverse, g.Infeasible.Value, g.MeanCost.Value, g.Difference.Value)
	}
	// Output:
	// cheapest: A
	// A: 3 adverse, 0.33 without recourse, mean cost 2.00, +0.00 vs cheapest
	// B: 2 adverse, 0.00 without recourse, mean cost 5.00, +3.00 vs cheapest
}
