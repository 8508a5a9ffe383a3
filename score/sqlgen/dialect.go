package sqlgen

import (
	"fmt"
	"strconv"
	"strings"
)

// Dialect names an SQL engine.
type Dialect string

// The dialects Score writes.
const (
	Postgres Dialect = "postgres"
	DuckDB   Dialect = "duckdb"
	SQLite   Dialect = "sqlite"
	BigQuery Dialect = "bigquery"
	Spark    Dialect = "spark"
)

// Dialects lists every dialect, for help texts.
func Dialects() []Dialect { return []Dialect{Postgres, DuckDB, SQLite, BigQuery, Spark} }

// ParseDialect returns the dialect named s (case-insensitive).
func ParseDialect(s string) (Dialect, error) {
	for _, d := range Dialects() {
		if strings.EqualFold(s, string(d)) {
			return d, nil
		}
	}
	return "", fmt.Errorf("%w: %q (want postgres, duckdb, sqlite, bigquery or spark)", ErrDialect, s)
}

// syntax is what differs between engines.
type syntax struct {
	double, text, integer string // type names for CAST
	backtick              bool   // identifiers in `...` (BigQuery, Spark), else "..."
	backslash             bool   // string literals escape with backslash (BigQuery, Spark)
	least, greatest       string // scalar min and max of two values
	fence                 bool   // OFFSET 0 keeps subqueries from being inlined (PostgreSQL)
	expLiteral            bool   // 1.5e0 is a DOUBLE literal (DuckDB)
	cte                   bool   // layers as materialized common table expressions (SQLite)
	standardTrim          bool   // TRIM(BOTH chars FROM x), not TRIM(x, chars) (PostgreSQL, Spark)
	// isText is SQL (%s the column) that is true when a column holds text,
	// so that a number column is never formatted as text to be tested for
	// a blank; "" where there is none.
	isText string
}

func syntaxOf(d Dialect) (syntax, error) {
	switch d {
	case Postgres, "":
		return syntax{double: "DOUBLE PRECISION", text: "TEXT", integer: "BIGINT", least: "LEAST", greatest: "GREATEST", fence: true, standardTrim: true,
			isText: "pg_typeof(%s) IN ('text'::regtype, 'character varying'::regtype, 'character'::regtype)"}, nil
	case DuckDB:
		return syntax{double: "DOUBLE", text: "VARCHAR", integer: "BIGINT", least: "LEAST", greatest: "GREATEST", expLiteral: true, isText: "typeof(%s) = 'VARCHAR'"}, nil
	case SQLite:
		return syntax{double: "REAL", text: "TEXT", integer: "INTEGER", least: "MIN", greatest: "MAX", cte: true, isText: "typeof(%s) = 'text'"}, nil
	case BigQuery:
		return syntax{double: "FLOAT64", text: "STRING", integer: "INT64", backtick: true, backslash: true, least: "LEAST", greatest: "GREATEST"}, nil
	case Spark:
		return syntax{double: "DOUBLE", text: "STRING", integer: "BIGINT", backtick: true, backslash: true, least: "LEAST", greatest: "GREATEST", standardTrim: true}, nil
	}
	return syntax{}, fmt.Errorf("%w: %q", ErrDialect, string(d))
}

// ident quotes a column name.
func (s syntax) ident(name string) string {
	if s.backtick {
		return "`" + strings.ReplaceAll(name, "`", "``") + "`"
	}
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

// str is a string literal.
func (s syntax) str(v string) string {
	if s.backslash {
		v = strings.ReplaceAll(v, `\`, `\\`)
		return "'" + strings.ReplaceAll(v, "'", `\'`) + "'"
	}
	return "'" + strings.ReplaceAll(v, "'", "''") + "'"
}

// num is an exact double literal: the shortest decimal that round-trips,
// cast from text so that no engine reads it as an exact decimal first.
//
// DuckDB reads a literal with an exponent as a DOUBLE, correctly rounded,
// and folds it once; a cast from text there costs a parse per row, so its
// literals are written as 1.5e0.
func (s syntax) num(x float64) string {
	t := strconv.FormatFloat(x, 'g', -1, 64)
	if s.expLiteral {
		if !strings.ContainsAny(t, "eE") {
			t += "e0"
		}
		return "(" + t + ")"
	}
	return "CAST('" + t + "' AS " + s.double + ")"
}

// trim is SQL for x with leading and trailing spaces and tabs removed
// (the characters candor's CSV reader trims from a cell).
func (s syntax) trim(x string) string {
	if s.standardTrim {
		return "TRIM(BOTH ' \t' FROM " + x + ")"
	}
	return "TRIM(" + x + ", ' \t')"
}
