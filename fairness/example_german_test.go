package fairness_test

import (
	"compress/gzip"
	"context"
	"encoding/csv"
	"fmt"
	"log"
	"os"
	"strconv"
	"strings"

	"github.com/candorscore/candor/fairness"
)

// germanCredit reads the repository's copy of UCI German credit (Hofmann,
// CC BY 4.0, DOI 10.24432/C5NC77) and scores it with a toy points rule that
// stands in for a scorecard: points for the checking account, savings,
// loan duration and credit history.
func germanCredit() (points []float64, good []bool, sex, age []string) {
	f, err := os.Open("../examples/datasets/german_credit.csv.gz")
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		log.Fatal(err)
	}
	recs, err := csv.NewReader(gz).ReadAll()
	if err != nil {
		log.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	checking := map[string]float64{"no checking account": 40, "... >= 200 DM / salary assignments for at least 1 year": 25, "0 <= ... < 200 DM": 10}
	savings := map[string]float64{"100 <= ... < 500 DM": 5, "500 <= ... < 1000 DM": 15, "... >= 1000 DM": 20, "unknown/ no savings account": 15}
	history := map[string]float64{"critical account/ other credits existing (not at this bank)": 15,
		"existing credits paid back duly till now": 5, "delay in paying off in the past": 5}
	for _, r := range recs[1:] {
		p := checking[r[col["status_of_existing_checking_account"]]] + savings[r[col["savings_account_and_bonds"]]] +
			history[r[col["credit_history"]]]
		months, _ := strconv.Atoi(r[col["duration_in_month"]])
		switch {
		case months <= 12:
			p += 20
		case months <= 24:
			p += 10
		}
		years, _ := strconv.Atoi(r[col["age_in_years"]])
		band := "50+"
		switch {
		case years < 25:
			band = "<25"
		case years < 35:
			band = "25-34"
		case years < 50:
			band = "35-49"
		}
		points = append(points, p)
		good = append(good, r[col["creditability"]] == "good")
		sex = append(sex, strings.SplitN(r[col["personal_status_and_sex"]], " :", 2)[0])
		age = append(age, band)
	}
	return points, good, sex, age
}

// Audit a (toy) German credit scorecard by sex and age band, then mitigate
// the age gap with per-band thresholds and show what it costs.
func Example_germanCredit() {
	points, good, sex, age := germanCredit()
	rep, err := fairness.Audit(context.Background(), fairness.Data{
		Labels: good, Scores: points, Threshold: 40, // approve at 40 points or more
		Groups: []fairness.GroupColumn{{Name: "sex", Values: sex}, {Name: "age", Values: age}},
	}, nil)
	if err != nil {
		log.Fatal(err)
	}
	for _, p := range rep.ByAttribute {
		fmt.Printf("%s: demographic parity difference %.3f, equal opportunity difference %.3f, four-fifths flags %v\n",
			p.Attribute, p.DemographicParityDifference.Value, p.EqualOpportunityDifference.Value, p.FourFifths.Flagged)
	}
	fmt.Printf("%s: %d groups, %d small (under %d rows)\n", rep.Attribute, len(rep.Groups), countSmall(rep.Groups), rep.MinGroupSize)

	th, err := fairness.GroupThresholds(points, good, age, fairness.EqualSelectionRate, &fairness.ThresholdOptions{Base: 40})
	if err != nil {
		log.Fatal(err)
	}
	for _, g := range th.Groups {
		fmt.Printf("age %-5s threshold %3.0f: approval %.3f -> %.3f\n", g.Group, g.Threshold,
			g.SelectionRateBefore.Value, g.SelectionRateAfter.Value)
	}
	fmt.Printf("approval-rate spread %.3f -> %.3f, accuracy %.3f -> %.3f\n",
		th.SpreadBefore, th.SpreadAfter, th.AccuracyBefore, th.AccuracyAfter)

	w, err := fairness.Reweigh(good, age)
	if err != nil {
		log.Fatal(err)
	}
	// Reweighed, every age band has the same share of good customers, so a
	// model refitted with these weights cannot learn age's base-rate gap.
	for _, band := range []string{"<25", "50+"} {
		var n, g, wn, wg float64
		for i := range good {
			if age[i] == band {
				n, wn = n+1, wn+w[i]
				if good[i] {
					g, wg = g+1, wg+w[i]
				}
			}
		}
		fmt.Printf("age %-5s good rate %.3f, reweighed %.3f\n", band, g/n, wg/wn)
	}
	// Output:
	// sex: demographic parity difference 0.013, equal opportunity difference 0.007, four-fifths flags []
	// age: demographic parity difference 0.212, equal opportunity difference 0.191, four-fifths flags [<25]
	// sex & age: 8 groups, 0 small (under 30 rows)
	// age 25-34 threshold  40: approval 0.511 -> 0.511
	// age 35-49 threshold  45: approval 0.615 -> 0.544
	// age 50+   threshold  45: approval 0.584 -> 0.544
	// age <25   threshold  30: approval 0.403 -> 0.577
	// approval-rate spread 0.212 -> 0.066, accuracy 0.688 -> 0.672
	// age <25   good rate 0.591, reweighed 0.700
	// age 50+   good rate 0.728, reweighed 0.700
}

func countSmall(gs []fairness.Group) int {
	n := 0
	for _, g := range gs {
		if g.Small {
			n++
		}
	}
	return n
}
