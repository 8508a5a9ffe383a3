package parquetio_test

import (
	"io"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/parquetio"
)

// CompareWithCSV requires the Parquet file to read, row for row and cell
// for cell, as the CSV file reads with score's CSV reader (trimmed cells,
// empty for missing).
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
	require.Equal(t, cr.Header(), r.Header())
	for {
		want, werr := cr.Next()
		got, gerr := r.Next()
		if werr == io.EOF {
			require.Equal(t, io.EOF, gerr, "the Parquet file has more rows than %s", csvPath)
			break
		}
		require.NoError(t, werr)
		require.NoError(t, gerr)
		require.Len(t, got, len(want))
		for j := range want {
			require.True(t, sameCell(want[j], got[j]), "row %d, column %s: DuckDB reads %q, candor %q", r.Row(), r.Header()[j], want[j], got[j])
		}
	}
	require.Equal(t, cr.Row(), r.Row())
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
