package sqltest

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/duckdb/duckdb-go/v2"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/sqlgen"
)

// engine is a database the tests load tables into and query.
type engine struct {
	name    string
	dialect sqlgen.Dialect
	db      *sql.DB
	load    func(t *testing.T, table string, cols []column, csvText []byte)
}

// column is one column of a test table: its name and SQL type.
type column struct{ name, typ string }

// engines returns DuckDB (always) and PostgreSQL (when
// CANDOR_TEST_POSTGRES_DSN is set); each closes at the end of the test.
func engines(t *testing.T) []*engine {
	t.Helper()
	var out []*engine
	duck, err := sql.Open("duckdb", "")
	require.NoError(t, err)
	duck.SetMaxOpenConns(1) // one in-memory database
	t.Cleanup(func() { duck.Close() })
	out = append(out, &engine{name: "duckdb", dialect: sqlgen.DuckDB, db: duck, load: func(t *testing.T, table string, cols []column, csvText []byte) {
		path := filepath.Join(t.TempDir(), table+".csv")
		require.NoError(t, os.WriteFile(path, csvText, 0o600))
		var types []string
		for _, c := range cols {
			types = append(types, fmt.Sprintf("'%s': '%s'", strings.ReplaceAll(c.name, "'", "''"), c.typ))
		}
		_, err := duck.Exec(fmt.Sprintf(`DROP TABLE IF EXISTS %s`, table))
		require.NoError(t, err)
		_, err = duck.Exec(fmt.Sprintf(`CREATE TABLE %s AS SELECT * FROM read_csv('%s', header = true, auto_detect = false, columns = {%s})`,
			table, path, strings.Join(types, ", ")))
		require.NoError(t, err)
	}})
	if dsn := os.Getenv("CANDOR_TEST_POSTGRES_DSN"); dsn != "" {
		pg, err := sql.Open("pgx", dsn)
		require.NoError(t, err)
		t.Cleanup(func() { pg.Close() })
		require.NoError(t, pg.Ping())
		out = append(out, &engine{name: "postgres", dialect: sqlgen.Postgres, db: pg, load: func(t *testing.T, table string, cols []column, csvText []byte) {
			var defs []string
			for _, c := range cols {
				defs = append(defs, `"`+strings.ReplaceAll(c.name, `"`, `""`)+`" `+c.typ)
			}
			_, err := pg.Exec(`DROP TABLE IF EXISTS ` + table)
			require.NoError(t, err)
			_, err = pg.Exec(`CREATE TABLE ` + table + ` (` + strings.Join(defs, ", ") + `)`)
			require.NoError(t, err)
			t.Cleanup(func() { _, _ = pg.Exec(`DROP TABLE IF EXISTS ` + table) })
			conn, err := pg.Conn(context.Background())
			require.NoError(t, err)
			defer conn.Close()
			require.NoError(t, conn.Raw(func(c any) error {
				_, err := c.(*stdlib.Conn).Conn().PgConn().CopyFrom(context.Background(), bytes.NewReader(csvText),
					`COPY `+table+` FROM STDIN WITH (FORMAT csv, HEADER true)`)
				return err
			}))
		}})
	} else {
		t.Log("CANDOR_TEST_POSTGRES_DSN is unset: PostgreSQL not tested")
	}
	return out
}

// tableCSV writes the records as CSV for an engine to load, with an id
// column (1-based row) first: missing values as empty unquoted cells
// (NULL), numbers in Go's shortest round-trip form, labels quoted. The
// columns are the schema's features, typed by kind.
func tableCSV(s *score.Schema, recs []score.Record, double, text string) ([]column, []byte) {
	cols := []column{{"id", "BIGINT"}}
	for i := range s.Len() {
		f := s.Feature(i)
		typ := double
		if f.Kind == score.Categorical {
			typ = text
		}
		cols = append(cols, column{f.Name, typ})
	}
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	var header []string
	for _, c := range cols {
		header = append(header, c.name)
	}
	_ = w.Write(header)
	w.Flush()
	for i, r := range recs {
		fmt.Fprintf(&b, "%d", i+1)
		for _, v := range r {
			b.WriteByte(',')
			switch {
			case v.IsMissing():
			case v.IsCat():
				b.WriteString(`"` + strings.ReplaceAll(v.Label(), `"`, `""`) + `"`)
			default:
				b.WriteString(v.String())
			}
		}
		b.WriteByte('\n')
	}
	return cols, b.Bytes()
}
