package parquetio_test

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/compress/zstd"
	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/parquetio"
)

// typed is a row of every type the reader maps, nullable where a pointer.
type typed struct {
	Amount   *float64 `parquet:"amount,optional"`
	Rate     float32  `parquet:"rate"`
	Count    int32    `parquet:"count"`
	Big      int64    `parquet:"big"`
	Unsigned uint64   `parquet:"unsigned"`
	Price    int32    `parquet:"price,decimal(2:9)"`
	Balance  *int64   `parquet:"balance,decimal(3:18),optional"`
	Flag     *bool    `parquet:"flag,optional"`
	Purpose  *string  `parquet:"purpose,optional"`
	Level    string   `parquet:"level,enum"`
	Day      int32    `parquet:"day,date"`
	Seen     int64    `parquet:"seen,timestamp(microsecond)"`
	ID       [16]byte `parquet:"id,uuid"`
}

func ptr[T any](v T) *T { return &v }

// writeFile writes rows to a Parquet file in dir with the parquet-go
// writer, two rows a row group (so that reading crosses groups).
func writeFile[T any](t *testing.T, name string, rows []T, opts ...parquet.WriterOption) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	f, err := os.Create(path)
	require.NoError(t, err)
	w := parquet.NewGenericWriter[T](f, append([]parquet.WriterOption{parquet.MaxRowsPerRowGroup(2)}, opts...)...)
	_, err = w.Write(rows)
	require.NoError(t, err)
	require.NoError(t, w.Close())
	require.NoError(t, f.Close())
	return path
}

func readAll(t *testing.T, r *parquetio.Reader) [][]string {
	t.Helper()
	var out [][]string
	for {
		cells, err := r.Next()
		if err == io.EOF {
			return out
		}
		require.NoError(t, err)
		out = append(out, append([]string(nil), cells...))
	}
}

// TestTypedValues: each type becomes the cell CSV would hold, a null the
// missing cell; the expected cells are written out by hand from the
// values put in.
func TestTypedValues(t *testing.T) {
	point1, point2 := 0.1, 0.2
	id := [16]byte{0x12, 0x3e, 0x45, 0x67, 0xe8, 0x9b, 0x12, 0xd3, 0xa4, 0x56, 0x42, 0x66, 0x14, 0x17, 0x40, 0x00}
	rows := []typed{
		{Amount: ptr(1169.0), Rate: 0.1, Count: -7, Big: 1 << 53, Unsigned: 1<<64 - 1, Price: 12345, Balance: ptr(int64(-5)),
			Flag: ptr(true), Purpose: ptr("  radio/tv "), Level: "A11", Day: 19723, Seen: 1_700_000_000_123_456, ID: id},
		{Rate: 1e-7, Price: -1, Purpose: ptr(""), Level: "A14", Day: -1},
		{Amount: ptr(point1 + point2), Rate: -2.5, Count: 1 << 30, Price: 100, Balance: ptr(int64(123456789)), Flag: ptr(false), Purpose: ptr("car (new)"), Level: "A12"},
	}
	path := writeFile(t, "typed.parquet", rows, parquet.Compression(&zstd.Codec{}))
	r, err := parquetio.Open(path, nil)
	require.NoError(t, err)
	defer r.Close()
	require.Equal(t, []string{"amount", "rate", "count", "big", "unsigned", "price", "balance", "flag", "purpose", "level", "day", "seen", "id"}, r.Header())
	require.Equal(t, int64(3), r.NumRows())
	got := readAll(t, r)
	require.Equal(t, [][]string{
		{"1169", "0.1", "-7", "9007199254740992", "18446744073709551615", "123.45", "-0.005", "true", "radio/tv", "A11", "2024-01-01", "2023-11-14T22:13:20.123456Z", "123e4567-e89b-12d3-a456-426614174000"},
		{"", "1e-07", "0", "0", "0", "-0.01", "", "", "", "A14", "1969-12-31", "1970-01-01T00:00:00Z", "00000000-0000-0000-0000-000000000000"},
		{"0.30000000000000004", "-2.5", "1073741824", "0", "0", "1.00", "123456.789", "false", "car (new)", "A12", "1970-01-01", "1970-01-01T00:00:00Z", "00000000-0000-0000-0000-000000000000"},
	}, got)
	require.Equal(t, 3, r.Row())
	_, err = r.Next()
	require.Equal(t, io.EOF, err)
}

// TestNestedAndRepeatedRefused: a list, a struct and a map are refused,
// naming the column.
func TestNestedAndRepeatedRefused(t *testing.T) {
	type list struct {
		ID   int64    `parquet:"id"`
		Tags []string `parquet:"tags,list"`
	}
	type inner struct{ City string }
	type group struct {
		ID      int64 `parquet:"id"`
		Address inner `parquet:"address"`
	}
	type repeated struct {
		ID     int64   `parquet:"id"`
		Scores []int64 `parquet:"scores"`
	}
	for name, path := range map[string]string{
		"tags":    writeFile(t, "list.parquet", []list{{1, []string{"a"}}}),
		"address": writeFile(t, "group.parquet", []group{{1, inner{"Bonn"}}}),
		"scores":  writeFile(t, "repeated.parquet", []repeated{{1, []int64{1, 2}}}),
	} {
		_, err := parquetio.Open(path, nil)
		require.ErrorIs(t, err, parquetio.ErrUnsupportedColumn, name)
		require.Contains(t, err.Error(), path+": ")
		require.Contains(t, err.Error(), `column "`+name+`" is `)
	}
}

// TestCorruptFiles: a file that is not Parquet, a truncated one, one with
// a damaged footer or damaged pages is an error naming the file (never a
// panic); the footer errors are score.ErrMalformed.
func TestCorruptFiles(t *testing.T) {
	good := writeFile(t, "good.parquet", []typed{{Purpose: ptr("car"), Level: "A11"}, {Level: "A12"}, {Level: "A13"}})
	b, err := os.ReadFile(good)
	require.NoError(t, err)
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, data, 0o600))
		return p
	}
	for _, p := range []string{
		write("csv.parquet", []byte("a,b\n1,2\n")),
		write("empty.parquet", nil),
		write("truncated.parquet", b[:len(b)-100]),
		write("footer.parquet", append(append([]byte{}, b[:len(b)-8]...), 0xff, 0xff, 0xff, 0x7f, 'P', 'A', 'R', '1')),
		write("garbled-footer.parquet", garble(b, len(b)-200, len(b)-8)),
	} {
		r, err := parquetio.Open(p, nil)
		if err == nil {
			_, err = drain(r)
		}
		require.ErrorIs(t, err, score.ErrMalformed, p)
		require.True(t, strings.HasPrefix(err.Error(), p+": "), err.Error())
	}
	// Damaged pages: the file opens; reading ends in an error naming the
	// file or in rows of whatever the damaged bytes decode to, never a
	// panic.
	for off := 4; off < len(b)-300; off += 7 {
		p := write("pages.parquet", garble(b, off, off+5))
		r, err := parquetio.Open(p, nil)
		if err != nil {
			require.Contains(t, err.Error(), p+": ")
			continue
		}
		if _, err := drain(r); err != nil && err != io.EOF {
			require.Contains(t, err.Error(), p+": ")
		}
	}
	_, err = parquetio.Open(filepath.Join(dir, "absent.parquet"), nil)
	require.ErrorIs(t, err, os.ErrNotExist)
}

func garble(b []byte, from, to int) []byte {
	out := append([]byte{}, b...)
	for i := from; i < to && i < len(out); i++ {
		out[i] ^= 0x5a
	}
	return out
}

// drain reads every row; it returns the first final error (nil at EOF).
func drain(r *parquetio.Reader) (int, error) {
	defer r.Close()
	n := 0
	for {
		_, err := r.Next()
		var re *score.RecordError
		switch {
		case err == io.EOF:
			return n, nil
		case errors.As(err, &re):
		case err != nil:
			return n, err
		}
		n++
	}
}

// TestLimits: a cell over Limits.CellBytes is a bad row and reading goes
// on; more text than Limits.Bytes is final; too many columns refuse the
// file.
func TestLimits(t *testing.T) {
	type row struct {
		Note string `parquet:"note"`
		N    int64  `parquet:"n"`
	}
	path := writeFile(t, "long.parquet", []row{{"short", 1}, {strings.Repeat("x", 100), 2}, {"ok", 3}})
	r, err := parquetio.Open(path, &score.Limits{CellBytes: 50})
	require.NoError(t, err)
	cells, err := r.Next()
	require.NoError(t, err)
	require.Equal(t, []string{"short", "1"}, cells)
	_, err = r.Next()
	var re *score.RecordError
	require.ErrorAs(t, err, &re)
	require.Equal(t, 2, re.Row)
	require.ErrorIs(t, err, score.ErrLimit)
	require.Contains(t, err.Error(), `feature "note"`)
	cells, err = r.Next()
	require.NoError(t, err)
	require.Equal(t, []string{"ok", "3"}, cells)
	require.NoError(t, r.Close())

	r, err = parquetio.Open(path, &score.Limits{Bytes: 50})
	require.NoError(t, err)
	_, err = drain(r)
	require.ErrorIs(t, err, score.ErrLimit)
	require.Contains(t, err.Error(), path+": ")
	require.Contains(t, err.Error(), "row 2")

	_, err = parquetio.Open(path, &score.Limits{Columns: 1})
	require.ErrorIs(t, err, score.ErrLimit)
}

// TestBoundedMemory: reading 400,000 rows (about 23 MB of cell text) in
// row groups of 50,000 keeps the live heap under 24 MB, sampled every
// 50,000 rows: memory follows the page, not the file.
func TestBoundedMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a 400,000-row file")
	}
	type row struct {
		ID      int64   `parquet:"id"`
		Amount  float64 `parquet:"amount"`
		Purpose string  `parquet:"purpose"`
		Note    string  `parquet:"note"`
	}
	path := filepath.Join(t.TempDir(), "big.parquet")
	f, err := os.Create(path)
	require.NoError(t, err)
	w := parquet.NewGenericWriter[row](f, parquet.MaxRowsPerRowGroup(50_000))
	const n = 400_000
	batch := make([]row, 0, 10_000)
	for i := range n {
		batch = append(batch, row{int64(i), float64(i) * 1.25, "purpose-" + strconv.Itoa(i%37), "note " + strconv.Itoa(i*7919) + strings.Repeat("z", 20)})
		if len(batch) == cap(batch) {
			_, err = w.Write(batch)
			require.NoError(t, err)
			batch = batch[:0]
		}
	}
	require.NoError(t, w.Close())
	require.NoError(t, f.Close())

	r, err := parquetio.Open(path, &score.Limits{Bytes: -1})
	require.NoError(t, err)
	defer r.Close()
	var peak uint64
	var text int64
	for i := 0; ; i++ {
		cells, err := r.Next()
		if err == io.EOF {
			break
		}
		require.NoError(t, err)
		if i == 123_456 {
			require.Equal(t, []string{"123456", "154320", "purpose-24", "note 977648064" + strings.Repeat("z", 20)}, cells)
		}
		for _, c := range cells {
			text += int64(len(c))
		}
		if i%50_000 == 25_000 {
			runtime.GC()
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapAlloc)
		}
	}
	require.Equal(t, n, r.Row())
	require.Greater(t, text, int64(20<<20))
	require.Less(t, peak, uint64(24<<20), "live heap while reading")
}

// TestDuckDBFixture: a file written by DuckDB's Parquet writer (another
// implementation; testdata/duckdb_types.sql makes it) reads, cell for
// cell, as DuckDB itself reads it back (testdata/duckdb_types.csv, made by
// DuckDB from the same file): doubles, floats, integers, unsigned, three
// decimal widths (INT32, INT64 and FIXED_LEN_BYTE_ARRAY), booleans,
// strings, dates and timestamps, with nulls, across ten row groups.
func TestDuckDBFixture(t *testing.T) {
	CompareWithCSV(t, "testdata/duckdb_types.parquet", "testdata/duckdb_types.csv")
}
