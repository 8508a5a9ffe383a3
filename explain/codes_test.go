package explain_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/examples/datasets"
	"github.com/candorscore/candor/explain"
)

// TestCodeAccessors: the sample scorecard's one term reports its feature
// name as the code at every bin (models/README.md: no reason codes
// declared); out of range is "".
func TestCodeAccessors(t *testing.T) {
	m := datasets.MustModel(datasets.ScorecardSample)
	e, err := explain.NewExplainer(m, &explain.Options{MaxReasons: 9, KeepZero: true})
	require.NoError(t, err)
	for pos := range m.Term(0).Bins {
		require.Equal(t, "tenure", e.Code(0, pos))
	}
	require.Equal(t, "tenure", e.Code(0, -1))
	require.Equal(t, "", e.Code(0, len(m.Term(0).Bins)))
	require.Equal(t, "", e.Code(1, 0))
	require.Equal(t, 1, e.MaxReasons()) // capped at the number of terms
	require.True(t, e.Options().KeepZero)
	d, err := explain.NewExplainer(m, nil)
	require.NoError(t, err)
	require.Equal(t, 1, d.MaxReasons())
}
