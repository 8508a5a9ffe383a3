package sklearn_test

import (
	"testing"

	"github.com/candorscore/candor/examples/datasets"
	"github.com/candorscore/candor/score"
	"github.com/stretchr/testify/require"
)

func germanTable(t testing.TB) (*score.Table, *score.Schema) {
	t.Helper()
	tab, err := datasets.Load(datasets.GermanCredit)
	require.NoError(t, err)
	s, err := tab.InferSchema().WithRoles(score.Ignored, "creditability")
	require.NoError(t, err)
	s, err = s.WithRoles(score.Protected, "personal_status_and_sex")
	require.NoError(t, err)
	return tab, s
}
