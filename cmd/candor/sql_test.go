package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestSQLCommand: candor sql writes one statement ending in ";" with the
// columns asked for; bad flags are errors. The statements' results are
// checked against the Go scorer on real engines in integrations/sqltest.
func TestSQLCommand(t *testing.T) {
	model := "../../examples/datasets/models/scorecard_sample.json"
	code, out, errs := runCLI(t, "sql", "--model", model, "--dialect", "duckdb", "--keep", "id", "--reasons", "1")
	require.Equal(t, 0, code, errs)
	require.True(t, strings.HasPrefix(out, `SELECT s."id" AS "id",`))
	// Layers: inputs, effects, sum, link and totals, four a reason, the result.
	require.True(t, strings.HasSuffix(out, "FROM customers AS c) AS s) AS s) AS s) AS s) AS s) AS s) AS s) AS s;\n"), out[len(out)-80:])
	for _, col := range []string{`AS "points"`, `AS "probability"`, `AS "effect_tenure"`, `AS "reason_code_1"`, `AS "error"`} {
		require.Contains(t, out, col)
	}
	require.NotContains(t, out, `"reason_code_2"`)

	code, out, _ = runCLI(t, "sql", "--model", model, "--reasons", "0", "--table", "crm.book")
	require.Equal(t, 0, code)
	require.NotContains(t, out, "reason_code_1")
	require.Contains(t, out, "FROM crm.book AS c")

	// --monitor: the sample scorecard's tenure bins (< 12: 10 points, [12,
	// 60): 40, >= 60: 60, plus 500) make a baseline of tenures 1, 30 and 90
	// score 510, 540 and 560; two bins cut at its terciles 530 and 546.67.
	base := filepath.Join(t.TempDir(), "base.csv")
	require.NoError(t, os.WriteFile(base, []byte("tenure\n1\n30\n90\n"), 0o600))
	code, out, errs = runCLI(t, "sql", "--model", model, "--monitor", "--baseline", base, "--bins", "3")
	require.Equal(t, 0, code, errs)
	require.True(t, strings.HasPrefix(out, `SELECT CASE WHEN q."points" < CAST('530' AS DOUBLE PRECISION) THEN 0 WHEN q."points" < CAST('546.6666666666666' AS DOUBLE PRECISION) THEN 1 ELSE 2 END AS "bin", COUNT(*) AS "count"`), out[:200])
	require.True(t, strings.HasSuffix(out, "GROUP BY 1\nORDER BY 1;\n"))

	// --audit on a model over German credit's columns (the sample has only
	// tenure, so the query is what is checked, not its counts: those are
	// compared with fairness.Audit in integrations/sqltest).
	code, out, errs = runCLI(t, "sql", "--model", model, "--audit", "--label", "creditability", "--favorable", "good",
		"--group", "personal_status_and_sex,foreign_worker", "--threshold", "0.4")
	require.Equal(t, 0, code, errs)
	require.True(t, strings.HasPrefix(out, `SELECT q."personal_status_and_sex" AS "personal_status_and_sex", q."foreign_worker" AS "foreign_worker", COUNT(*) AS "n"`), out[:120])
	require.Contains(t, out, `q."probability" < CAST('0.4' AS DOUBLE PRECISION)`)
	require.True(t, strings.HasSuffix(out, "GROUP BY 1, 2\nORDER BY 1, 2;\n"))

	// --audit --bands: an age column grouped by band, as candor audit
	// --bands names them, in band order.
	code, out, errs = runCLI(t, "sql", "--model", model, "--audit", "--label", "creditability", "--favorable", "good",
		"--group", "age,foreign_worker", "--bands", "age=25,65")
	require.Equal(t, 0, code, errs)
	band := `CASE WHEN q."age" < CAST('25' AS DOUBLE PRECISION) THEN %s WHEN q."age" < CAST('65' AS DOUBLE PRECISION) THEN %s ELSE %s END`
	require.True(t, strings.HasPrefix(out, "SELECT "+fmt.Sprintf(band, `'< 25'`, `'[25, 65)'`, `'>= 65'`)+` AS "age", q."foreign_worker" AS "foreign_worker"`), out[:200])
	require.True(t, strings.HasSuffix(out, "GROUP BY 1, 2\nORDER BY MIN("+fmt.Sprintf(band, "0", "1", "2")+"), 2;\n"), out[len(out)-200:])

	for _, c := range []struct{ bands, want string }{
		{"age=65,25", `bands of "age": edges must be strictly ascending (65 then 25)`},
		{"income=1000", `bands of "income": not a group column (groups: age)`},
		{"age=old", `--bands age=old: edge "old" is not a number`},
	} {
		code, _, errs := runCLI(t, "sql", "--model", model, "--audit", "--label", "y", "--favorable", "1", "--group", "age", "--bands", c.bands)
		require.Equal(t, 1, code, errs)
		require.Contains(t, errs, c.want)
	}

	for _, args := range [][]string{
		{"sql"},
		{"sql", "--model", model, "--bands", "age=25"},
		{"sql", "--model", model, "--dialect", "oracle"},
		{"sql", "--model", model, "--keep", "points"},
		{"sql", "--model", model, "--reasons", "-2"},
		{"sql", "--model", model, "--monitor"},
		{"sql", "--model", model, "--audit", "--label", "y"},
		{"sql", "--model", model, "--audit", "--monitor"},
		{"sql", "--model", model, "--audit", "--label", "y", "--favorable", "1", "--group", "g", "--threshold", "1.5"},
		{"sql", "--model", model, "--monitor", "--baseline", "no-such.csv"},
	} {
		code, _, errs := runCLI(t, args...)
		require.Equal(t, 1, code, "%q: %s", args, errs)
		require.Contains(t, errs, "candor sql: ")
	}
}
