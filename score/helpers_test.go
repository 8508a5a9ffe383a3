package score_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/examples/datasets"
	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/fit"
	"github.com/candorscore/candor/score/internal/handmodels"
)

// cust builds a record of handmodels.Consent's schema.
var cust = handmodels.Cust

// germanFit is the logistic model of German credit on every column.
func germanFit(t testing.TB) (*score.Table, *fit.LogisticFit) {
	t.Helper()
	tab, s, err := datasets.LoadSchema(datasets.GermanCredit)
	require.NoError(t, err)
	fitted, err := fit.Logistic(context.Background(), tab, s, "creditability", "bad", nil)
	require.NoError(t, err)
	return tab, fitted
}
