package fit_test

import (
	"testing"

	"github.com/candorscore/candor/score"
	"github.com/stretchr/testify/require"
)

// splitTable applies the acceptance split: data row i (0-based) is test when
// i % 10 < 3, else train.
func splitTable(t testing.TB, full *score.Table) (train, test *score.Table) {
	t.Helper()
	var tr, te [][]string
	for i := 0; i < full.Len(); i++ {
		if i%10 < 3 {
			te = append(te, full.Row(i))
		} else {
			tr = append(tr, full.Row(i))
		}
	}
	train, err := score.NewTable(full.Header(), tr)
	require.NoError(t, err)
	test, err = score.NewTable(full.Header(), te)
	require.NoError(t, err)
	return train, test
}
