package sqltest

import (
	"database/sql"
	"fmt"
	"os"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/examples/datasets"
	"github.com/candorscore/candor/explain"
	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/fit"
	"github.com/candorscore/candor/score/sqlgen"
)

// benchRows is the size of the generated book: CANDOR_BENCH_ROWS, else 10M.
func benchRows(b *testing.B) int {
	n := 10_000_000
	if s := os.Getenv("CANDOR_BENCH_ROWS"); s != "" {
		var err error
		n, err = strconv.Atoi(s)
		require.NoError(b, err)
	}
	return n
}

// BenchmarkDuckDB scores a German-credit-shaped book of benchRows rows
// (the 1000 rows repeated, generated in SQL) with the scorecard, in
// DuckDB, materialising the row id, points, probability, log-odds and
// error column into a table, and with /reasons4 the top four reason
// codes too. One iteration is the whole book;
// run with -benchtime 1x. rows/s is reported.
func BenchmarkDuckDB(b *testing.B) {
	tab := loadTable(b, datasets.GermanCredit)
	f, err := fit.Scorecard(ctx, tab, inferred(tab, "creditability"), "creditability", "bad", nil)
	require.NoError(b, err)
	m := f.Model
	var recs []score.Record
	for i := range tab.Len() {
		r, err := tab.Record(m.Schema(), i)
		require.NoError(b, err)
		recs = append(recs, r)
	}
	db, err := sql.Open("duckdb", "")
	require.NoError(b, err)
	defer db.Close()
	db.SetMaxOpenConns(1)
	cols, body := tableCSV(m.Schema(), recs, "DOUBLE", "VARCHAR")
	path := b.TempDir() + "/german.csv"
	require.NoError(b, os.WriteFile(path, body, 0o600))
	var types string
	for i, c := range cols {
		if i > 0 {
			types += ", "
		}
		types += fmt.Sprintf("'%s': '%s'", c.name, c.typ)
	}
	_, err = db.Exec(`CREATE TABLE german AS SELECT * FROM read_csv('` + path + `', header = true, auto_detect = false, columns = {` + types + `})`)
	require.NoError(b, err)
	n := benchRows(b)
	_, err = db.Exec(fmt.Sprintf(`CREATE TABLE customers AS SELECT r.range + 1 AS row_id, g.* EXCLUDE (id)
		FROM range(%d) AS r JOIN german AS g ON g.id = r.range %% %d + 1 ORDER BY r.range`, n, len(recs)))
	require.NoError(b, err)
	for _, c := range []struct {
		name    string
		reasons int
	}{{"points", 0}, {"reasons4", 4}} {
		b.Run(c.name, func(b *testing.B) {
			opts := &sqlgen.Options{Dialect: sqlgen.DuckDB, Keep: []string{"row_id"}, NoReasons: c.reasons == 0}
			if c.reasons > 0 {
				opts.Explainer, err = explain.NewExplainer(m, &explain.Options{MaxReasons: c.reasons})
				require.NoError(b, err)
			}
			q, err := sqlgen.Score(m, opts)
			require.NoError(b, err)
			// What a nightly batch keeps: the scores and the reason codes
			// (the 40 effect and contribution columns stay in the query).
			cols := "row_id, probability, log_odds, points, error"
			for i := 1; i <= c.reasons; i++ {
				code, _, _ := sqlgen.ReasonColumns(i)
				cols += ", " + code
			}
			q = "SELECT " + cols + " FROM (" + q + ") AS q"
			if out := os.Getenv("CANDOR_BENCH_EXPLAIN"); out != "" {
				var k, v string
				require.NoError(b, db.QueryRow(`EXPLAIN ANALYZE `+q).Scan(&k, &v))
				require.NoError(b, os.WriteFile(out+"."+c.name, []byte(q+"\n\n"+v), 0o600))
			}
			b.ResetTimer()
			for range b.N {
				_, err := db.Exec(`CREATE OR REPLACE TABLE scored AS ` + q)
				require.NoError(b, err)
			}
			b.StopTimer()
			var got int
			require.NoError(b, db.QueryRow(`SELECT count(*) FROM scored WHERE error IS NULL`).Scan(&got))
			require.Equal(b, n, got)
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}
