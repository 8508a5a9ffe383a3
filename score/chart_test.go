package score_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/candorscore/candor/internal/datasets"
	"github.com/candorscore/candor/score"
	"github.com/stretchr/testify/require"
)

func TestCharts(t *testing.T) {
	full, err := datasets.Load(datasets.GermanCredit)
	require.NoError(t, err)
	s, err := full.InferSchema().WithRoles(score.Ignored, "creditability")
	require.NoError(t, err)
	fit, err := score.FitScorecard(context.Background(), full, s, "creditability", "bad", nil)
	require.NoError(t, err)
	var points []float64
	var events []bool
	col := full.Column("creditability")
	for i := 0; i < full.Len(); i++ {
		rec, err := full.Record(fit.Model.Schema(), i)
		require.NoError(t, err)
		r, err := fit.Model.Score(rec)
		require.NoError(t, err)
		points = append(points, r.Score)
		events = append(events, full.Cell(i, col) == "bad")
	}
	dir := t.TempDir()
	for _, format := range []string{"svg", "png"} {
		var bin, dist bytes.Buffer
		require.NoError(t, score.WriteBinningChart(&bin, fit.Binning("duration_in_month"), format))
		require.NoError(t, score.WriteScoreChart(&dist, points, events, nil, "points", format))
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
	require.ErrorIs(t, score.WriteBinningChart(&buf, fit.Binnings[0], "gif"), score.ErrData)
	require.ErrorIs(t, score.WriteScoreChart(&buf, []float64{1}, []bool{true, false}, nil, "points", "svg"), score.ErrData)
}
