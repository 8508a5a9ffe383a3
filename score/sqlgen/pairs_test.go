package sqlgen_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/examples/datasets"
	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/fit"
	"github.com/candorscore/candor/score/sqlgen"
)

// TestScoreRefusesPairTerms: SQL generation handles terms of one feature;
// a boosted model with a pair term is refused with an error that wraps
// both ErrUnsupported and score.ErrPairTerm and names the pair.
func TestScoreRefusesPairTerms(t *testing.T) {
	tab, s, err := datasets.LoadSchema(datasets.GermanCredit, "personal_status_and_sex")
	require.NoError(t, err)
	bf, err := fit.Boosted(context.Background(), tab, s, "creditability", "bad", &fit.BoostedOptions{OuterBags: 1, Interactions: 1})
	require.NoError(t, err)
	_, err = sqlgen.Score(bf.Model, &sqlgen.Options{Dialect: sqlgen.Postgres})
	require.ErrorIs(t, err, sqlgen.ErrUnsupported)
	require.ErrorIs(t, err, score.ErrPairTerm)
	p := bf.Pairs[0].Features
	require.ErrorContains(t, err, "the pair of "+p[0]+" and "+p[1])
	_, err = sqlgen.ScoreBins(bf.Model, []float64{500}, &sqlgen.Options{Dialect: sqlgen.Postgres})
	require.ErrorIs(t, err, score.ErrPairTerm)
}
