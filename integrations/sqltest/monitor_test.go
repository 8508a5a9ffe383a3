package sqltest

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/examples/datasets"
	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/fit"
	"github.com/candorscore/candor/score/monitor"
	"github.com/candorscore/candor/score/sqlgen"
)

// TestScoreBinsMatchMonitor: the score PSI of German credit's last 400
// rows against its first 600 (as the README's candor monitor example),
// with the current side's bin counts from sqlgen.ScoreBins in each engine,
// equals monitor.Run's: the same counts in every bin, the same index.
func TestScoreBinsMatchMonitor(t *testing.T) {
	engs := engines(t)
	tab := loadTable(t, datasets.GermanCredit)
	sf, err := fit.Scorecard(ctx, tab, inferred(tab, "creditability"), "creditability", "bad", nil)
	require.NoError(t, err)
	lf, err := fit.Logistic(ctx, tab, inferred(tab, "creditability"), "creditability", "bad", nil)
	require.NoError(t, err)
	split := func(lo, hi int) *score.Table {
		var rows [][]string
		for i := lo; i < hi; i++ {
			rows = append(rows, tab.Row(i))
		}
		out, err := score.NewTable(tab.Header(), rows)
		require.NoError(t, err)
		return out
	}
	baseline, current := split(0, 600), split(600, 1000)
	for name, m := range map[string]*score.Model{"scorecard": sf.Model, "logistic": lf.Model} {
		t.Run(name, func(t *testing.T) {
			rep, err := monitor.Run(ctx, m, baseline, current, nil)
			require.NoError(t, err)
			var bscores []float64
			for i := range baseline.Len() {
				rec, err := baseline.Record(m.Schema(), i)
				require.NoError(t, err)
				r, err := m.Score(rec)
				require.NoError(t, err)
				bscores = append(bscores, r.Score)
			}
			cuts := monitor.QuantileCuts(bscores, rep.Bins)
			var recs []score.Record
			for i := range current.Len() {
				rec, err := current.Record(m.Schema(), i)
				require.NoError(t, err)
				recs = append(recs, rec)
			}
			for _, e := range engs {
				t.Run(e.name, func(t *testing.T) {
					double, text := "DOUBLE", "VARCHAR"
					if e.dialect == sqlgen.Postgres {
						double, text = "DOUBLE PRECISION", "TEXT"
					}
					cols, body := tableCSV(m.Schema(), recs, double, text)
					table := "sqltest_psi_" + name
					e.load(t, table, cols, body)
					q, err := sqlgen.ScoreBins(m, cuts, &sqlgen.Options{Dialect: e.dialect, Table: table})
					require.NoError(t, err)
					counts := make([]float64, len(cuts)+1)
					rows, err := e.db.Query(q)
					require.NoError(t, err)
					for rows.Next() {
						var bin, n int64
						require.NoError(t, rows.Scan(&bin, &n))
						counts[bin] = float64(n)
					}
					require.NoError(t, rows.Err())
					rows.Close()
					var labels []string
					var base []float64
					for i := range counts {
						require.Equal(t, rep.Score.Bins[i].Current, counts[i], "bin %s", rep.Score.Bins[i].Label)
						labels, base = append(labels, rep.Score.Bins[i].Label), append(base, rep.Score.Bins[i].Baseline)
					}
					require.Len(t, rep.Score.Bins, len(counts), "no missing bin: every current row scores")
					psi, err := monitor.PSIFromCounts(labels, base, counts, rep.Smoothing)
					require.NoError(t, err)
					require.Equal(t, rep.ScorePSI, psi.Value)
					t.Logf("score PSI %.6f over %d bins, equal to monitor.Run's", psi.Value, len(counts))
				})
			}
		})
	}
}
