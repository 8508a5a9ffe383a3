package sqlgen_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/examples/datasets"
	"github.com/candorscore/candor/explain"
	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/sqlgen"
)

// The statements are run on real engines, row by row against the Go
// scorer, in integrations/sqltest (DuckDB and PostgreSQL); these tests pin
// what can be checked without an engine.

func TestParseDialect(t *testing.T) {
	for _, d := range sqlgen.Dialects() {
		got, err := sqlgen.ParseDialect(strings.ToUpper(string(d)))
		require.NoError(t, err)
		require.Equal(t, d, got)
	}
	_, err := sqlgen.ParseDialect("oracle")
	require.ErrorIs(t, err, sqlgen.ErrDialect)
	_, err = sqlgen.Score(datasets.MustModel(datasets.ScorecardSample), &sqlgen.Options{Dialect: "oracle"})
	require.ErrorIs(t, err, sqlgen.ErrDialect)
}

func TestKeepClash(t *testing.T) {
	m := datasets.MustModel(datasets.ScorecardSample)
	for _, keep := range [][]string{{"points"}, {"effect_tenure"}, {"reason_code_1"}, {"_candor_x0"}, {""}, {"id", "id"}} {
		_, err := sqlgen.Score(m, &sqlgen.Options{Keep: keep})
		require.ErrorIs(t, err, sqlgen.ErrColumn, "%q", keep)
	}
	q, err := sqlgen.Score(m, &sqlgen.Options{Keep: []string{"id"}, Table: "crm.customers"})
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(q, `SELECT s."id" AS "id",`), q[:40])
	require.Contains(t, q, `FROM crm.customers AS c`)
}

func TestExplainerOfAnotherModel(t *testing.T) {
	e, err := explain.NewExplainer(datasets.MustModel(datasets.ConsentSample), nil)
	require.NoError(t, err)
	_, err = sqlgen.Score(datasets.MustModel(datasets.ScorecardSample), &sqlgen.Options{Explainer: e})
	require.ErrorIs(t, err, sqlgen.ErrUnsupported)
}

// TestPostgresNames: PostgreSQL cuts names at 63 bytes, so longer result
// names end in the term number instead (German credit has a 56-byte
// feature name).
func TestPostgresNames(t *testing.T) {
	f := "number_of_people_being_liable_to_provide_maintenance_for"
	require.Equal(t, "effect_"+f, sqlgen.EffectColumn(sqlgen.Postgres, 4, f)) // 63 bytes: fits
	got := sqlgen.ContributionColumn(sqlgen.Postgres, 4, f)
	require.Len(t, got, 63)
	require.Equal(t, "contribution_number_of_people_being_liable_to_provide_mainten_5", got)
	require.Equal(t, "contribution_"+f, sqlgen.ContributionColumn(sqlgen.DuckDB, 4, f))
	// A cut never splits a UTF-8 character.
	got = sqlgen.ContributionColumn(sqlgen.Postgres, 0, strings.Repeat("é", 30))
	require.LessOrEqual(t, len(got), 63)
	require.True(t, strings.HasSuffix(got, "é_1"), got)
}

// TestLiterals: exact double literals and quoting per dialect, on the
// sample scorecard (500 base points; tenure bins < 12, [12, 60), >= 60
// worth 10, 40 and 60 points, missing 20: models/README.md).
func TestLiterals(t *testing.T) {
	m := datasets.MustModel(datasets.ScorecardSample)
	for _, c := range []struct {
		d       sqlgen.Dialect
		ident   string
		literal string
		text    string
	}{
		{sqlgen.Postgres, `"tenure"`, `CAST('12' AS DOUBLE PRECISION)`, `'; feature "tenure": value is not finite'`},
		{sqlgen.DuckDB, `"tenure"`, `(12e0)`, `'; feature "tenure": value is not finite'`},
		{sqlgen.SQLite, `"tenure"`, `CAST('12' AS REAL)`, `'; feature "tenure": value is not finite'`},
		{sqlgen.BigQuery, "`tenure`", `CAST('12' AS FLOAT64)`, `'; feature "tenure": value is not finite'`},
		{sqlgen.Spark, "`tenure`", `CAST('12' AS DOUBLE)`, `'; feature "tenure": value is not finite'`},
	} {
		q, err := sqlgen.Score(m, &sqlgen.Options{Dialect: c.d})
		require.NoError(t, err)
		require.Contains(t, q, "c."+c.ident, c.d)
		require.Contains(t, q, " < "+c.literal+" THEN", c.d)
		require.Contains(t, q, c.text, c.d)
	}
	// An unknown category's error quotes the label as strconv.Quote does.
	m, err := score.NewModel(score.Spec{Name: "q", Kind: score.LogisticModel,
		Features: []score.Feature{{Name: "region", Kind: score.Categorical}},
		Terms:    []score.Term{{Feature: "region", Kind: score.CategoricalTerm, Levels: []score.Level{{Label: `it's "a"`, Effect: 0.5}}}}})
	require.NoError(t, err)
	q, err := sqlgen.Score(m, &sqlgen.Options{Dialect: sqlgen.BigQuery})
	require.NoError(t, err)
	require.Contains(t, q, `= 'it\'s "a"' THEN`)
	require.Contains(t, q, `'; feature "region": unknown category' || ' (' || '"' || REPLACE(REPLACE(s.`+"`_candor_x0`"+`, '\\', '\\\\'), '"', '\\"') || '"' || ')'`)
	q, err = sqlgen.Score(m, &sqlgen.Options{Dialect: sqlgen.Postgres})
	require.NoError(t, err)
	require.Contains(t, q, `= 'it''s "a"' THEN`)
	require.Contains(t, q, `REPLACE(REPLACE(s."_candor_x0", '\', '\\'), '"', '\"')`)
}
