package fairness_test

import (
	"context"
	"fmt"
	"log"
	"math"

	"github.com/candorscore/candor/fairness"
)

// Twelve loan decisions for two groups. Group B has no applicant who went on
// to repay, so its true positive rate is undefined (not 0) and B is left out
// of the equal-opportunity summary.
func ExampleAudit() {
	data := fairness.Data{
		// Labels: the customer repaid (the favourable outcome).
		Labels: []bool{true, true, true, false, false, true, false, false, false, false, false, false},
		// Predictions: the loan was approved (the favourable decision).
		Predictions: []bool{true, true, false, true, false, true, false, true, false, false, false, false},
		Groups: []fairness.GroupColumn{{Name: "sex", Values: []string{
			"A", "A", "A", "A", "A", "A", "B", "B", "B", "B", "B", "B"}}},
	}
	rep, err := fairness.Audit(context.Background(), data, &fairness.Options{MinGroupSize: 5})
	if err != nil {
		log.Fatal(err)
	}
	for _, g := range rep.Groups {
		fmt.Printf("%s: n=%d selection=%.3f [%.3f, %.3f] TPR=", g.Name, g.Count,
			g.SelectionRate.Value, g.SelectionRate.Lo, g.SelectionRate.Hi)
		if g.TPR.Defined {
			fmt.Printf("%.3f\n", g.TPR.Value)
		} else {
			fmt.Printf("undefined (%s)\n", g.TPR.Reason)
		}
	}
	fmt.Printf("demographic parity difference %.3f, ratio %.3f\n",
		rep.DemographicParityDifference.Value, rep.DemographicParityRatio.Value)
	fmt.Printf("equal opportunity difference defined: %v (%s)\n",
		rep.EqualOpportunityDifference.Defined, rep.EqualOpportunityDifference.Reason)
	fmt.Println("four-fifths screen flags:", rep.FourFifths.Flagged)
	// Output:
	// A: n=6 selection=0.667 [0.300, 0.903] TPR=0.750
	// B: n=6 selection=0.167 [0.030, 0.564] TPR=undefined (no observed favourable outcomes in group (TP+FN = 0))
	// demographic parity difference 0.500, ratio 0.250
	// equal opportunity difference defined: false (fewer than two groups with a defined true positive rate)
	// four-fifths screen flags: [B]
}

// Reweighing gives each (group, label) cell the weight that makes label and
// group independent: w = N_g N_y / (N N_gy).
func ExampleReweigh() {
	labels := []bool{true, true, false, false, false, false, true}
	groups := []string{"A", "A", "A", "B", "B", "B", "B"}
	w, err := fairness.Reweigh(labels, groups)
	if err != nil {
		log.Fatal(err)
	}
	for i, x := range w {
		fmt.Printf("%s %v %.4f\n", groups[i], labels[i], x)
	}
	// Output:
	// A true 0.6429
	// A true 0.6429
	// A false 1.7143
	// B false 0.7619
	// B false 0.7619
	// B false 0.7619
	// B true 1.7143
}

// Per-group thresholds that give both groups the same selection rate, and
// the accuracy they cost (here they gain some).
func ExampleGroupThresholds() {
	scores := []float64{0.9, 0.8, 0.3, 0.2, 0.6, 0.4, 0.35, 0.1}
	labels := []bool{true, false, true, false, true, true, false, false}
	groups := []string{"A", "A", "A", "A", "B", "B", "B", "B"}
	th, err := fairness.GroupThresholds(scores, labels, groups, fairness.EqualSelectionRate,
		&fairness.ThresholdOptions{Base: 0.5, Rate: 0.5})
	if err != nil {
		log.Fatal(err)
	}
	for _, g := range th.Groups {
		fmt.Printf("%s: threshold %.2f, selection %.2f -> %.2f\n", g.Group, g.Threshold,
			g.SelectionRateBefore.Value, g.SelectionRateAfter.Value)
	}
	fmt.Printf("accuracy %.3f -> %.3f; selection-rate spread %.2f -> %.2f\n",
		th.AccuracyBefore, th.AccuracyAfter, th.SpreadBefore, th.SpreadAfter)
	// Output:
	// A: threshold 0.80, selection 0.50 -> 0.50
	// B: threshold 0.40, selection 0.25 -> 0.50
	// accuracy 0.625 -> 0.750; selection-rate spread 0.25 -> 0.00
}

// Proxy detection: "relationship" gives sex away, "hours" does not.
func ExampleProxies() {
	var sex, rel []string
	var hours []float64
	for i := range 40 {
		s, r := "f", "wife"
		if i%2 == 1 {
			s, r = "m", "husband"
		}
		if i%5 == 0 {
			r = "single"
		}
		sex, rel = append(sex, s), append(rel, r)
		hours = append(hours, float64(35+i%7))
	}
	inputs := []fairness.Column{
		{Name: "relationship", Categories: rel},
		{Name: "hours", Numeric: hours},
	}
	rep, err := fairness.Proxies(inputs, []fairness.GroupColumn{{Name: "sex", Values: sex}}, nil)
	if err != nil {
		log.Fatal(err)
	}
	for _, a := range rep.Associations {
		fmt.Printf("%s ~ %s: %s %.3f flagged=%v\n", a.Input, a.Protected, a.Measure, a.Value.Value, a.Flagged)
	}
	p := rep.Predictability[0]
	fmt.Printf("inputs predict %s with cross-validated AUC %.3f (flagged=%v)\n", p.Protected, p.AUC.Value, p.Flagged)
	// Output:
	// relationship ~ sex: cramers_v 0.894 flagged=true
	// hours ~ sex: correlation_ratio 0.013 flagged=false
	// inputs predict sex with cross-validated AUC 0.979 (flagged=true)
}

// Recourse burden: among declined customers, what does the cheapest
// change cost per group? +Inf marks a customer with no recourse at all.
func ExampleRecourseBurden() {
	inf := math.Inf(1)
	costs := []float64{1, 3, inf, 2, 4, 6, 8, 0}
	declined := []bool{true, true, true, true, true, true, true, false}
	group := fairness.GroupColumn{Name: "age", Values: []string{"<25", "<25", "<25", "<25", "50+", "50+", "50+", "50+"}}
	b, err := fairness.RecourseBurden(costs, declined, group, &fairness.BurdenOptions{MinGroupSize: -1})
	if err != nil {
		log.Fatal(err)
	}
	for _, g := range b.Groups {
		fmt.Printf("%s: %d declined, %d without recourse, mean cost %.2f, %.2f more than %s\n",
			g.Group, g.Adverse, g.Adverse-g.Feasible, g.MeanCost.Value, g.Difference.Value, b.Cheapest)
	}
	// Output:
	// 50+: 3 declined, 0 without recourse, mean cost 6.00, 4.00 more than <25
	// <25: 4 declined, 1 without recourse, mean cost 2.00, 0.00 more than <25
}
