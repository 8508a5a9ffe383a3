package score_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/score"
)

// A score that overflows is an error naming the term, on every scoring
// path, never a +Inf result.
func TestScoreOverflowIsAnError(t *testing.T) {
	m, err := score.NewModel(score.Spec{Name: "big", Version: "1", Kind: score.LogisticModel,
		Features: []score.Feature{{Name: "a", Kind: score.Numeric}, {Name: "b", Kind: score.Numeric}},
		Terms: []score.Term{{Feature: "a", Kind: score.LinearTerm, Coef: 1e300},
			{Feature: "b", Kind: score.LinearTerm, Coef: -1e300}}})
	require.NoError(t, err)
	ok := score.Record{score.Num(1), score.Num(2)}
	res, err := m.Score(ok)
	require.NoError(t, err)
	require.InDelta(t, -1e300, res.Score, 1e285)
	for name, rec := range map[string]score.Record{
		"+Inf":          {score.Num(1e10), score.Num(0)},
		"-Inf":          {score.Num(0), score.Num(1e10)},
		"Inf minus Inf": {score.Num(1e10), score.Num(1e10)},
	} {
		_, err := m.Score(rec)
		require.ErrorIs(t, err, score.ErrNotFinite, name)
		require.Contains(t, err.Error(), "overflows", name)
		require.Contains(t, err.Error(), `"1e+10"`, name)
		var enc score.Encoded
		require.NoError(t, m.Encode(rec, &enc), name)
		_, err2 := m.ScoreEncoded(&enc, nil)
		require.Equal(t, err.Error(), err2.Error(), name)
	}
}
