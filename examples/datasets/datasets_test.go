package datasets_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/examples/datasets"
	"github.com/candorscore/candor/score"
)

// TestLoadSchemaTargets: every data set's documented target is Ignored.
func TestLoadSchemaTargets(t *testing.T) {
	for name, target := range map[string]string{datasets.GermanCredit: "creditability", datasets.TelcoChurn: "Churn",
		datasets.BankMarketing: "y", datasets.Adult: "income"} {
		_, s, err := datasets.LoadSchema(name)
		require.NoError(t, err, name)
		f, ok := s.Lookup(target)
		require.True(t, ok, name)
		require.Equal(t, score.Ignored, f.Role, name)
	}
	_, _, err := datasets.LoadSchema(datasets.GermanCredit, "no_such_column")
	require.ErrorIs(t, err, score.ErrUnknownFeature)
	_, _, err = datasets.LoadSchema("no_such_data_set")
	require.Error(t, err)
}
