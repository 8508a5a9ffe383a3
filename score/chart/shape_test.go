package chart_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/examples/datasets"
	"github.com/candorscore/candor/score/chart"
	"github.com/candorscore/candor/score/fit"
)

// TestShapeCharts: every term of a boosted model with a pair draws as SVG
// (a step line, bars, a heat map whose title names both features), and a
// bad term or format is an error.
func TestShapeCharts(t *testing.T) {
	tab, s, err := datasets.LoadSchema(datasets.GermanCredit, "personal_status_and_sex")
	require.NoError(t, err)
	bf, err := fit.Boosted(context.Background(), tab, s, "creditability", "bad", &fit.BoostedOptions{OuterBags: 1, Interactions: 1})
	require.NoError(t, err)
	m := bf.Model
	for j := range m.NumTerms() {
		var b bytes.Buffer
		require.NoError(t, chart.Shape(&b, m, j, "svg"), m.Term(j).Feature)
		require.True(t, strings.HasPrefix(b.String(), "<?xml") || strings.Contains(b.String(), "<svg"))
		if m.PairFeature(j) >= 0 {
			pt := m.Term(j)
			require.Contains(t, b.String(), pt.Feature+" × "+pt.Pair.Feature)
		}
	}
	require.ErrorIs(t, chart.Shape(&bytes.Buffer{}, m, m.NumTerms(), "svg"), chart.ErrFormat)
	require.ErrorIs(t, chart.Shape(&bytes.Buffer{}, m, 0, "gif"), chart.ErrFormat)
}
