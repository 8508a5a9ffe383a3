package parquetio_test

import (
	"os"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/internal/crosscheck"
	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/parquetio"
)

// CompareWithCSV requires the Parquet file to read, row for row and cell
// for cell, as the CSV file reads with score's CSV reader (trimmed cells,
// empty for missing; crosscheck.SameCell).
func CompareWithCSV(t *testing.T, parquetPath, csvPath string) {
	t.Helper()
	r, err := parquetio.Open(parquetPath, nil)
	require.NoError(t, err)
	defer r.Close()
	f, err := os.Open(csvPath)
	require.NoError(t, err)
	defer f.Close()
	cr, err := score.NewCSVReader(f, nil)
	require.NoError(t, err)
	crosscheck.RequireSameRows(t, cr, r)
}
