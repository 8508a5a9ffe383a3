package sqltest

import (
	"database/sql"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

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
	require.Equal(t, cr.Header(), r.Header())
	for {
		want, werr := cr.Next()
		got, gerr := r.Next()
		if werr == io.EOF {
			require.Equal(t, io.EOF, gerr)
			break
		}
		require.NoError(t, werr)
		require.NoError(t, gerr)
		require.Len(t, got, len(want))
		for j := range want {
			require.True(t, sameCell(want[j], got[j]), "row %d, column %s: DuckDB reads %q, candor %q", r.Row(), r.Header()[j], want[j], got[j])
		}
	}
	require.Equal(t, 1000, r.Row())
}

// sameCell: the cells are the same text, or the same number written two
// ways (DuckDB writes a float's zero as "0.0", Go as "0"), for numbers of
// at most 17 digits, which a float64 holds exactly enough to tell apart.
func sameCell(want, got string) bool {
	if want == got {
		return true
	}
	digits := func(s string) int { return strings.Count(s, "") - 1 - len(strings.Trim(s, "0123456789")) }
	x, err1 := strconv.ParseFloat(want, 64)
	y, err2 := strconv.ParseFloat(got, 64)
	return err1 == nil && err2 == nil && x == y && digits(want) <= 17 && digits(got) <= 17
}
