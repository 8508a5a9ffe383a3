package score_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/examples/datasets"
	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/fit"
)

// cust builds a record of the consent sample's schema, in age band "30-39".
func cust(income float64, region string, phone float64) score.Record {
	return score.Record{score.Num(income), score.Cat(region), score.Num(phone), score.Cat("30-39")}
}

// germanFit is the logistic model of German credit on every column.
func germanFit(t testing.TB) (*score.Table, *fit.LogisticFit) {
	t.Helper()
	tab, s, err := datasets.LoadSchema(datasets.GermanCredit)
	require.NoError(t, err)
	fitted, err := fit.Logistic(context.Background(), tab, s, "creditability", "bad", nil)
	require.NoError(t, err)
	return tab, fitted
}
