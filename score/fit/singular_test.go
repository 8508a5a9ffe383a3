package fit_test

import (
	"context"
	"math"
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/fit"
)

// singularTable: balance, its exact copy, a constant column, age, a
// near-copy of age (1e-6 noise, within the aliasing test's tolerance of
// being independent), a 0/1 target and a continuous one.
func singularTable(t *testing.T) *score.Table {
	t.Helper()
	rng := rand.New(rand.NewPCG(7, 8))
	rows := make([][]string, 400)
	for i := range rows {
		a, c := rng.NormFloat64(), rng.NormFloat64()
		y := "0"
		if rng.Float64() < 1/(1+math.Exp(-a-c)) {
			y = "1"
		}
		f := func(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }
		rows[i] = []string{f(a), f(a), "5", f(c), f(c + 1e-6*rng.NormFloat64()), y, f(a + c + rng.NormFloat64())}
	}
	tab, err := score.NewTable([]string{"balance", "balance_copy", "branch_code", "age", "age_near", "y", "z"}, rows)
	require.NoError(t, err)
	return tab
}

// TestSingularDesignNamesColumns: an exact copy and a constant column do
// not fail a fit: they are aliased (R's NA) and named, in the logistic,
// linear and scorecard fits; the near-copy makes X'WX numerically singular
// for the sign-constrained fit, which still succeeds (from a fresh start)
// and holds one of the pair at 0.
func TestSingularDesignNamesColumns(t *testing.T) {
	ctx := context.Background()
	tab := singularTable(t)
	s, err := tab.InferSchema().WithRoles(score.Ignored, "z", "age_near")
	require.NoError(t, err)
	lf, err := fit.Logistic(ctx, tab, s, "y", "1", nil)
	require.NoError(t, err)
	require.Equal(t, []string{"balance_copy", "branch_code"}, lf.Aliased())

	sl, err := tab.InferSchema().WithRoles(score.Ignored, "y", "age_near")
	require.NoError(t, err)
	lin, err := fit.Linear(ctx, tab, sl, "z", nil)
	require.NoError(t, err)
	require.Equal(t, []string{"balance_copy", "branch_code"}, lin.Aliased())

	sc, err := fit.Scorecard(ctx, tab, s, "y", "1", nil)
	require.NoError(t, err)
	dropped := map[string]fit.DropStage{}
	for _, d := range sc.Selection.Dropped {
		dropped[d.Feature] = d.Stage
	}
	require.Equal(t, map[string]fit.DropStage{"balance_copy": fit.DropAliased, "branch_code": fit.DropNoEvidence}, dropped)
	// The aliased feature's reason names the feature it copies (the Iranian
	// churn file's Age, whose five values are one to one with Age Group's,
	// was "a linear combination of the other features' columns", naming none).
	for _, d := range sc.Selection.Dropped {
		if d.Feature == "balance_copy" {
			require.Equal(t, "WoE column is a linear combination of the other features' columns: it is an exact linear function of balance's", d.Reason)
		}
	}

	sn, err := tab.InferSchema().WithRoles(score.Ignored, "z", "balance_copy", "branch_code")
	require.NoError(t, err)
	cf, err := fit.Logistic(ctx, tab, sn, "y", "1", &fit.LogisticOptions{Constrain: fit.ConstrainData})
	require.NoError(t, err)
	require.Empty(t, cf.Contradictions)
}
