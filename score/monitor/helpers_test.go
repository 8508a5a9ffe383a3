package monitor_test

import (
	"testing"

	"github.com/candorscore/candor/examples/datasets"
	"github.com/candorscore/candor/score"
	"github.com/stretchr/testify/require"
)

func germanTable(t testing.TB) (*score.Table, *score.Schema) {
	tab, s, err := datasets.LoadSchema(datasets.GermanCredit, "personal_status_and_sex")
	require.NoError(t, err)
	return tab, s
}

// handScorecard exercises every bin kind: missing, special, ranges with
// PMML-style "<=" bounds, category groups, other. It is score/pmml's
// handScorecard, which a test there pins to this file.
func handScorecard(t testing.TB) *score.Model {
	m, err := score.LoadFile("../pmml/testdata/hand_scorecard.json")
	require.NoError(t, err)
	return m
}
