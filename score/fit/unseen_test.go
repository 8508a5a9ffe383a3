package fit_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/fit"
)

// A model without a categorical input says so where the fit report
// declares what an unseen category gets; before, the section was empty
// (the Iranian churn file's scorecard, all of whose inputs are numbers).
func TestFormatUnseenWithoutCategories(t *testing.T) {
	m, err := score.NewModel(score.Spec{Name: "churn", Kind: score.LogisticModel,
		Features: []score.Feature{{Name: "calls"}},
		Terms:    []score.Term{{Feature: "calls", Kind: score.LinearTerm, Coef: -0.5}}})
	require.NoError(t, err)
	require.Equal(t, "none: the model has no categorical input\n", fit.FormatUnseen(m))
}
