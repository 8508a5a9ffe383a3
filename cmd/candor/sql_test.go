package main

import (
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
	require.True(t, strings.HasSuffix(out, "FROM customers AS c) AS s) AS s) AS s) AS s) AS s;\n"), out[len(out)-80:])
	for _, col := range []string{`AS "points"`, `AS "probability"`, `AS "effect_tenure"`, `AS "reason_code_1"`, `AS "error"`} {
		require.Contains(t, out, col)
	}
	require.NotContains(t, out, `"reason_code_2"`)

	code, out, _ = runCLI(t, "sql", "--model", model, "--reasons", "0", "--table", "crm.book")
	require.Equal(t, 0, code)
	require.NotContains(t, out, "reason_code_1")
	require.Contains(t, out, "FROM crm.book AS c")

	for _, args := range [][]string{
		{"sql"},
		{"sql", "--model", model, "--dialect", "oracle"},
		{"sql", "--model", model, "--keep", "points"},
		{"sql", "--model", model, "--reasons", "-2"},
	} {
		code, _, errs := runCLI(t, args...)
		require.Equal(t, 1, code, "%q: %s", args, errs)
		require.Contains(t, errs, "candor sql: ")
	}
}
