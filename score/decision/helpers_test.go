package decision_test

import "github.com/candorscore/candor/score/internal/handmodels"

func f64(x float64) *float64 { return &x }

// cust builds a record of handmodels.Consent's schema.
var cust = handmodels.Cust
