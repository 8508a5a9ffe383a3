package decision_test

import "github.com/candorscore/candor/score"

func f64(x float64) *float64 { return &x }

// cust builds a record of the consent sample's schema, in age band "30-39".
func cust(income float64, region string, phone float64) score.Record {
	return score.Record{score.Num(income), score.Cat(region), score.Num(phone), score.Cat("30-39")}
}
