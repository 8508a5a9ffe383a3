package sqltest

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/examples/datasets"
	"github.com/candorscore/candor/fairness"
	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/fit"
	"github.com/candorscore/candor/score/sqlgen"
)

// TestAuditCountsMatchFairness: the per-group confusion counts of the
// German credit logistic model's decisions (favourable below the model's
// cutoff, as candor audit --model decides), by personal_status_and_sex and
// by its intersection with foreign_worker, and by age band (edges 25, 35,
// 65, alone and crossed with foreign_worker), from sqlgen.AuditCounts in
// each engine, equal fairness.Audit's counts group by group, in the Go
// report's order.
func TestAuditCountsMatchFairness(t *testing.T) {
	engs := engines(t)
	tab := loadTable(t, datasets.GermanCredit)
	lf, err := fit.Logistic(ctx, tab, inferred(tab, "creditability"), "creditability", "bad", nil)
	require.NoError(t, err)
	m := lf.Model
	var recs []score.Record
	var probs []float64
	for i := range tab.Len() {
		rec, err := tab.Record(m.Schema(), i)
		require.NoError(t, err)
		r, err := m.Score(rec)
		require.NoError(t, err)
		recs = append(recs, rec)
		probs = append(probs, float64(r.Probability))
	}
	ages := map[string]fairness.Bands{"age_in_years": {25, 35, 65}}
	for _, c := range []struct {
		groups []string
		bands  map[string]fairness.Bands
	}{
		{[]string{"personal_status_and_sex"}, nil},
		{[]string{"personal_status_and_sex", "foreign_worker"}, nil},
		{[]string{"age_in_years"}, ages},
		{[]string{"age_in_years", "foreign_worker"}, ages},
	} {
		groups := c.groups
		in, err := fairness.FromTable(tab, fairness.Columns{Label: "creditability", Favorable: "good", Groups: groups, Bands: c.bands})
		require.NoError(t, err)
		require.Len(t, in.Rows, tab.Len())
		in.Data.Scores, in.Data.Threshold = probs, float64(m.Cutoff())
		rep, err := fairness.Audit(ctx, in.Data, &fairness.Options{Direction: fairness.HigherIsUnfavorable})
		require.NoError(t, err)
		want := map[string]fairness.Group{}
		var order []string
		for _, g := range rep.Groups {
			want[strings.Join(g.Values, "\x00")] = g
			order = append(order, strings.Join(g.Values, "\x00"))
		}
		for _, e := range engs {
			t.Run(strings.Join(groups, "&")+"/"+e.name, func(t *testing.T) {
				double, text := "DOUBLE", "VARCHAR"
				if e.dialect == sqlgen.Postgres {
					double, text = "DOUBLE PRECISION", "TEXT"
				}
				cols, body := tableCSV(m.Schema(), recs, double, text)
				table := "sqltest_audit"
				e.load(t, table, cols, body)
				q, err := sqlgen.AuditCounts(m, "creditability", "good", groups, 0, &sqlgen.Options{Dialect: e.dialect, Table: table, Bands: c.bands})
				require.NoError(t, err)
				rows, err := e.db.Query(q)
				require.NoError(t, err)
				defer rows.Close()
				var seen []string
				for rows.Next() {
					vals := make([]string, len(groups))
					var n, tp, fp, tn, fn int64
					dst := []any{}
					for i := range vals {
						dst = append(dst, &vals[i])
					}
					require.NoError(t, rows.Scan(append(dst, &n, &tp, &fp, &tn, &fn)...))
					g, ok := want[strings.Join(vals, "\x00")]
					require.True(t, ok, "group %q not in the Go audit", vals)
					require.Equal(t, g.Count, int(n), "%q", vals)
					require.Equal(t, fairness.Confusion{TP: float64(tp), FP: float64(fp), TN: float64(tn), FN: float64(fn)}, g.Confusion, "%q", vals)
					seen = append(seen, strings.Join(vals, "\x00"))
				}
				require.NoError(t, rows.Err())
				if c.bands != nil {
					require.Equal(t, order, seen, "rows in the report's order (bands in band order)")
				}
				require.Len(t, seen, len(rep.Groups))
				t.Logf("%d groups, counts equal to fairness.Audit's", len(seen))
			})
		}
	}
}
