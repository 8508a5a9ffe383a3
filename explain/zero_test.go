package explain_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/explain"
	"github.com/candorscore/candor/score"
)

// The zero Explainer and ActionSpace have no model: every method returns
// ErrNotBuilt or a zero value instead of panicking (before, a nil pointer
// dereference).
func TestZeroValuesDoNotPanic(t *testing.T) {
	var e explain.Explainer
	var ex explain.Explanation
	rec := score.Record{score.Num(1)}
	require.ErrorIs(t, e.Explain(rec, &ex), explain.ErrNotBuilt)
	_, err := e.AppendReasons(nil, rec, &ex)
	require.ErrorIs(t, err, explain.ErrNotBuilt)
	_, err = e.Importances([]score.Record{rec})
	require.ErrorIs(t, err, explain.ErrNotBuilt)
	_, err = e.Shape(0)
	require.ErrorIs(t, err, explain.ErrNotBuilt)
	_, err = e.Probability(nil, &ex)
	require.ErrorIs(t, err, explain.ErrNotBuilt)
	_, err = e.AppendCustomerText(nil, explain.DefaultCatalog(), "en", &ex)
	require.ErrorIs(t, err, explain.ErrNotBuilt)
	_, err = e.AppendReport(nil, explain.DefaultCatalog(), "en", &ex, 4)
	require.ErrorIs(t, err, explain.ErrNotBuilt)
	require.Empty(t, e.Label(0, 0))
	require.Empty(t, e.Codes())
	require.Empty(t, e.Order(nil, &explain.Explanation{Contributions: []float64{1, 1}}))
	require.Equal(t, explain.AnyDirection, e.Direction(0, 0))
	require.Equal(t, explain.Args{}, e.ReasonArgs(explain.Reason{Term: 0}, 0))
	_, err = explain.NewExplainer(nil, nil)
	require.ErrorIs(t, err, explain.ErrNotBuilt)

	var s explain.ActionSpace
	_, err = s.Recourse(context.Background(), rec, nil)
	require.ErrorIs(t, err, explain.ErrNotBuilt)
	tab, err := score.NewTable([]string{"x"}, [][]string{{"1"}})
	require.NoError(t, err)
	_, _, err = s.MinimalCosts(context.Background(), tab, nil)
	require.ErrorIs(t, err, explain.ErrNotBuilt)
	_, _, err = s.MinimalCostsOf(context.Background(), tab, []int{0}, nil)
	require.ErrorIs(t, err, explain.ErrNotBuilt)
}
