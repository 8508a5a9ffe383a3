package chart_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/candorscore/candor/examples/datasets"
	"github.com/candorscore/candor/fairness"
	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/chart"
	"github.com/candorscore/candor/score/fit"
	"github.com/stretchr/testify/require"
)

func TestCharts(t *testing.T) {
	full, err := datasets.Load(datasets.GermanCredit)
	require.NoError(t, err)
	s, err := full.InferSchema().WithRoles(score.Ignored, "creditability")
	require.NoError(t, err)
	fitted, err := fit.Scorecard(context.Background(), full, s, "creditability", "bad", nil)
	require.NoError(t, err)
	var points []float64
	var events []bool
	col := full.Column("creditability")
	for i := 0; i < full.Len(); i++ {
		rec, err := full.Record(fitted.Model.Schema(), i)
		require.NoError(t, err)
		r, err := fitted.Model.Score(rec)
		require.NoError(t, err)
		points = append(points, r.Score)
		events = append(events, full.Cell(i, col) == "bad")
	}
	dir := t.TempDir()
	for _, format := range []string{"svg", "png"} {
		var bin, dist bytes.Buffer
		require.NoError(t, chart.Binning(&bin, fitted.Binning("duration_in_month"), format))
		require.NoError(t, chart.Scores(&dist, points, events, nil, "points", format))
		for name, buf := range map[string]*bytes.Buffer{"binning." + format: &bin, "scores." + format: &dist} {
			path := filepath.Join(dir, name)
			require.NoError(t, os.WriteFile(path, buf.Bytes(), 0o644))
			b, err := os.ReadFile(path)
			require.NoError(t, err)
			require.Greater(t, len(b), 1000, name)
			if format == "svg" {
				require.True(t, bytes.HasPrefix(b, []byte("<?xml")) || bytes.HasPrefix(b, []byte("<svg")), name)
				require.Contains(t, string(b), "</svg>")
			} else {
				require.True(t, bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")), name)
			}
		}
	}
	var buf bytes.Buffer
	require.ErrorIs(t, chart.Binning(&buf, fitted.Binnings[0], "gif"), chart.ErrFormat)
	require.ErrorIs(t, chart.Scores(&buf, []float64{1}, []bool{true, false}, nil, "points", "svg"), score.ErrData)
}

func TestSelectionChart(t *testing.T) {
	// Two groups of four: A selects 3 (0.75), B selects 1 (0.25).
	rep, err := fairness.Audit(context.Background(), fairness.Data{
		Labels:      []bool{true, true, false, false, true, true, false, false},
		Predictions: []bool{true, true, true, false, true, false, false, false},
		Groups:      []fairness.GroupColumn{{Name: "g", Values: []string{"A", "A", "A", "A", "B", "B", "B", "B"}}},
	}, nil)
	require.NoError(t, err)
	for _, f := range []string{"svg", "png"} {
		var sb strings.Builder
		require.NoError(t, chart.Selection(&sb, rep, f))
		require.NotEmpty(t, sb.String())
	}
	var sb strings.Builder
	require.ErrorIs(t, chart.Selection(&sb, rep, "gif"), chart.ErrFormat)
}
