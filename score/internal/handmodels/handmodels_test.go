package handmodels

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// TestLoad: every embedded model file loads.
func TestLoad(t *testing.T) {
	names, err := files.ReadDir(".")
	require.NoError(t, err)
	require.Len(t, names, 2)
	for _, n := range names {
		require.NotPanics(t, func() { load(n.Name()) }, n.Name())
	}
	require.Equal(t, "consent-test", Consent().Name())
	require.Equal(t, "card", Scorecard().Name())
	require.Equal(t, Consent().Schema().Len(), len(Cust(1, "a", 2)))
}
