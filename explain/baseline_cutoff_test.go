package explain_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/explain"
	"github.com/candorscore/candor/score"
)

func TestCutoffBaseline(t *testing.T) {
	s, err := score.NewSchema(score.Feature{Name: "x"})
	require.NoError(t, err)
	m, err := score.NewModel(score.Spec{Name: "t", Kind: score.LogisticModel, Features: s.Features(),
		Terms: []score.Term{{Feature: "x", Kind: score.LinearTerm, Coef: 1}}})
	require.NoError(t, err)
	// Cutoff 0.5: x < 0 is not adverse. Rows: -3, bad, -1, 2, -2.
	tab, err := score.ParseCSV([]byte("x\n-3\nabc\n-1\n2\n-2\n"), nil)
	require.NoError(t, err)
	b, used, err := explain.CutoffBaseline(m, tab, 2)
	require.NoError(t, err)
	require.Equal(t, 2, used)
	want, err := explain.ReferenceBaseline(m, []score.Record{{score.Num(-1)}, {score.Num(-2)}})
	require.NoError(t, err)
	require.Equal(t, want, b)

	none, err := score.ParseCSV([]byte("x\n3\nabc\n"), nil)
	require.NoError(t, err)
	_, _, err = explain.CutoffBaseline(m, none, 2)
	require.ErrorIs(t, err, explain.ErrBaseline)
}
