package sqltest

import (
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/internal/crosscheck"
	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/parquetio"
)

// fixtureDir holds the Parquet cross-check fixture and its script.
const fixtureDir = "../../score/parquetio/testdata"

// TestParquetFixture: DuckDB writes a Parquet file of every type candor
// reads (fixtureDir/duckdb_types.sql) and reads it back as text; candor's
// Parquet reader gives the same cells, row for row. With
// CANDOR_WRITE_FIXTURES=1 the pair is written to fixtureDir, where the
// main module's tests (which link no DuckDB) check the committed copy.
func TestParquetFixture(t *testing.T) {
	script, err := os.ReadFile(filepath.Join(fixtureDir, "duckdb_types.sql"))
	require.NoError(t, err)
	dir := t.TempDir()
	if os.Getenv("CANDOR_WRITE_FIXTURES") == "1" {
		dir = fixtureDir
	}
	pq, csvPath := filepath.Join(dir, "duckdb_types.parquet"), filepath.Join(dir, "duckdb_types.csv")
	db, err := sql.Open("duckdb", "")
	require.NoError(t, err)
	defer db.Close()
	db.SetMaxOpenConns(1)
	q := strings.NewReplacer("'PARQUET'", "'"+pq+"'", "'CSV'", "'"+csvPath+"'").Replace(string(script))
	for _, stmt := range strings.Split(q, ";\n") {
		if strings.TrimSpace(stmt) != "" {
			_, err := db.Exec(stmt)
			require.NoError(t, err, stmt)
		}
	}
	r, err := parquetio.Open(pq, nil)
	require.NoError(t, err)
	defer r.Close()
	f, err := os.Open(csvPath)
	require.NoError(t, err)
	defer f.Close()
	cr, err := score.NewCSVReader(f, nil)
	require.NoError(t, err)
	crosscheck.RequireSameRows(t, cr, r)
	require.Equal(t, 1000, r.Row())
}
