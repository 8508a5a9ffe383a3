package score_test

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/score"
)

// readAll drains a CSVReader: the good rows (copied) and the bad rows'
// numbers and errors.
func readAll(t *testing.T, cr *score.CSVReader) (rows [][]string, bad map[int]error) {
	t.Helper()
	bad = map[int]error{}
	for {
		rec, err := cr.Next()
		if err == io.EOF {
			return rows, bad
		}
		var re *score.RecordError
		if errors.As(err, &re) {
			require.Nil(t, rec)
			require.Equal(t, cr.Row(), re.Row)
			bad[re.Row] = err
			continue
		}
		require.NoError(t, err)
		rows = append(rows, append([]string(nil), rec...))
	}
}

func TestCSVReaderStreams(t *testing.T) {
	in := "id,name,note\r\n1,Ann,\"says \"\"hi\"\", twice\"\n\n2, Bob ,\"two\nlines\"\n3,Cy,\n"
	cr, err := score.NewCSVReader(strings.NewReader(in), nil)
	require.NoError(t, err)
	require.Equal(t, []string{"id", "name", "note"}, cr.Header())
	rows, bad := readAll(t, cr)
	require.Empty(t, bad)
	require.Equal(t, [][]string{
		{"1", "Ann", `says "hi", twice`},
		{"2", "Bob", "two\nlines"},
		{"3", "Cy", ""},
	}, rows)
	require.Equal(t, 3, cr.Row())
	// After the end, Next keeps saying so.
	_, err = cr.Next()
	require.Equal(t, io.EOF, err)
}

// TestCSVReaderMatchesEncodingCSV compares the reader with encoding/csv on
// well-formed input written by encoding/csv itself.
func TestCSVReaderMatchesEncodingCSV(t *testing.T) {
	want := [][]string{
		{"a", "b", "c"},
		{"x,y", "say \"no\"", "multi\nline\ncell"},
		{"", "3.5", "-7"},
		{"ü", "日本", "\"quoted\""},
	}
	for _, delim := range []rune{',', ';', '\t', '|', '·'} {
		var b bytes.Buffer
		w := csv.NewWriter(&b)
		w.Comma = delim
		require.NoError(t, w.WriteAll(want))
		cr, err := score.NewCSVReader(&b, &score.CSVOptions{Delimiter: delim})
		require.NoError(t, err, "delimiter %q", delim)
		require.Equal(t, want[0], cr.Header())
		rows, bad := readAll(t, cr)
		require.Empty(t, bad, "delimiter %q", delim)
		require.Equal(t, want[1:], rows, "delimiter %q", delim)
	}
}

// TestCSVReaderReusesItsSlice documents ownership: the slice Next returns
// is the reader's and is overwritten by the next call; the strings in it
// stay valid.
func TestCSVReaderReusesItsSlice(t *testing.T) {
	cr, err := score.NewCSVReader(strings.NewReader("a,b\n1,2\n3,4\n"), nil)
	require.NoError(t, err)
	first, err := cr.Next()
	require.NoError(t, err)
	kept := first[0]
	second, err := cr.Next()
	require.NoError(t, err)
	require.Equal(t, []string{"3", "4"}, second)
	require.Equal(t, "3", first[0], "the slice is reused")
	require.Equal(t, "1", kept, "a string taken from it stays valid")
}

// A stray quote in row 3 used to refuse the whole file (0 rows scored):
// now it costs row 3 only, whether the quote opens a cell that never
// closes, sits inside an unquoted cell, or follows a closing quote.
func TestCSVStrayQuoteCostsOneRow(t *testing.T) {
	for name, row3 := range map[string]string{
		"opening quote never closed": `3,"x`,
		"quote inside a cell":        `3,x"y`,
		"text after closing quote":   `3,"x"y`,
	} {
		t.Run(name, func(t *testing.T) {
			in := "id,v\n1,a\n2,b\n" + row3 + "\n4,d\n5,e\n6,f\n"
			tab, err := score.ReadCSV(strings.NewReader(in), nil)
			require.NoError(t, err)
			require.Equal(t, 6, tab.Len())
			for i := range 6 {
				err := tab.RowError(i)
				switch {
				case i == 2:
					require.ErrorIs(t, err, score.ErrMalformed)
					require.Contains(t, err.Error(), "row 3")
					require.Contains(t, err.Error(), "line 4")
				default:
					require.NoError(t, err, "row %d", i+1)
					require.Equal(t, []string{string(rune('1' + i)), string(rune('a' + i))}, tab.Row(i))
				}
			}
		})
	}
}

func TestCSVCellAndRowLimits(t *testing.T) {
	big := strings.Repeat("x", 10<<20) // a 10 MB cell
	in := "a,b\n1,ok\n2," + big + "\n3,\"" + big + "\"\n4,fine\n"
	tab, err := score.ReadCSV(strings.NewReader(in), nil)
	require.NoError(t, err)
	require.Equal(t, 4, tab.Len())
	for _, i := range []int{1, 2} {
		err := tab.RowError(i)
		require.ErrorIs(t, err, score.ErrLimit)
		var le *score.LimitError
		require.ErrorAs(t, err, &le)
		require.Less(t, len(err.Error()), 300, "a 10 MB cell gives a short error")
	}
	require.Equal(t, "fine", tab.Cell(3, 1))

	// A cell under the row limit but over the cell limit names its column.
	tab, err = score.ReadCSV(strings.NewReader("a,b\n1,"+strings.Repeat("y", 100)+"\n"),
		&score.CSVOptions{Limits: &score.Limits{CellBytes: 50}})
	require.NoError(t, err)
	require.ErrorIs(t, tab.RowError(0), score.ErrLimit)
	require.Contains(t, tab.RowError(0).Error(), "column 2")

	// Columns.
	_, err = score.ReadCSV(strings.NewReader("a,b,c\n1,2,3\n"), &score.CSVOptions{Limits: &score.Limits{Columns: 2}})
	require.ErrorIs(t, err, score.ErrLimit)
	// Cells of the whole table.
	_, err = score.ReadCSV(strings.NewReader("a,b\n1,2\n3,4\n5,6\n"), &score.CSVOptions{Limits: &score.Limits{Cells: 5}})
	require.ErrorIs(t, err, score.ErrLimit)
	require.Contains(t, err.Error(), "row 3")
}

// TestCSVReaderBoundedMemory reads a row with a 64 MiB cell and checks the
// reader allocated a small fraction of it.
func TestCSVReaderBoundedMemory(t *testing.T) {
	const n = 64 << 20
	r := io.MultiReader(strings.NewReader("a,b\n1,"), &repeatReader{b: 'x', n: n}, strings.NewReader("\n2,ok\n"))
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	cr, err := score.NewCSVReader(r, nil)
	require.NoError(t, err)
	rows, bad := readAll(t, cr)
	runtime.ReadMemStats(&after)
	require.Len(t, bad, 1)
	require.ErrorIs(t, bad[1], score.ErrLimit)
	require.Equal(t, [][]string{{"2", "ok"}}, rows)
	require.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(8<<20), "allocated bytes")
}

type repeatReader struct {
	b byte
	n int
}

func (r *repeatReader) Read(p []byte) (int, error) {
	if r.n == 0 {
		return 0, io.EOF
	}
	k := min(len(p), r.n)
	for i := range p[:k] {
		p[i] = r.b
	}
	r.n -= k
	return k, nil
}

// A gzip file whose content is over Limits.Bytes stops there, with a
// typed error that names the limit.
func TestCSVGzipBomb(t *testing.T) {
	var b bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
	_, _ = zw.Write([]byte("a,b\n"))
	row := []byte(strings.Repeat("1,2\n", 1<<14))
	for range 1 << 8 { // 16 MiB of rows
		_, _ = zw.Write(row)
	}
	require.NoError(t, zw.Close())
	_, err := score.ReadCSV(&b, &score.CSVOptions{Limits: &score.Limits{Bytes: 1 << 20}, Name: "bomb.csv"})
	require.ErrorIs(t, err, score.ErrLimit)
	require.Contains(t, err.Error(), "bomb.csv (gzip-compressed)")
	require.Contains(t, err.Error(), "after decompression")
}

func TestCSVDelimiterHint(t *testing.T) {
	for _, c := range []struct {
		in, delim, name string
	}{
		{"age;job;balance\n30;admin;1\n", "';'", "semicolon ';'"},
		{"age\tjob\n30\tadmin\n", `'\t'`, "tab"},
		{"age|job\n30|admin\n", "'|'", "pipe '|'"},
	} {
		_, err := score.ReadCSV(strings.NewReader(c.in), &score.CSVOptions{Name: "bank.csv"})
		require.ErrorIs(t, err, score.ErrMalformed)
		require.Contains(t, err.Error(), c.name)
		require.Contains(t, err.Error(), "--delimiter "+c.delim)
		require.Contains(t, err.Error(), "bank.csv")
	}
	// Read with the right delimiter, the same file is fine; a true
	// one-column file is too.
	_, err := score.ReadCSV(strings.NewReader("age;job\n30;admin\n"), &score.CSVOptions{Delimiter: ';'})
	require.NoError(t, err)
	_, err = score.ReadCSV(strings.NewReader("age\n30\n"), nil)
	require.NoError(t, err)
}

func TestCSVNamesBinaryFormats(t *testing.T) {
	var zb bytes.Buffer
	zw := zip.NewWriter(&zb)
	f, _ := zw.Create("xl/workbook.xml")
	_, _ = f.Write([]byte("<workbook/>"))
	require.NoError(t, zw.Close())
	var gz bytes.Buffer
	gw := gzip.NewWriter(&gz)
	_, _ = gw.Write(zb.Bytes())
	require.NoError(t, gw.Close())
	for name, c := range map[string]struct {
		in   []byte
		want string
	}{
		"xlsx renamed .csv": {zb.Bytes(), "zip archive (an Excel .xlsx workbook"},
		"xls":               {[]byte{0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0}, "Excel 97-2003"},
		"xz":                {[]byte{0xfd, '7', 'z', 'X', 'Z', 0, 0, 0}, "xz-compressed"},
		"gzipped xlsx":      {gz.Bytes(), "gzip-compressed a zip archive"},
		"utf-16":            {[]byte{0xff, 0xfe, 'a', 0, ',', 0}, "UTF-16"},
	} {
		_, err := score.ReadCSV(bytes.NewReader(c.in), &score.CSVOptions{Name: "data.csv"})
		require.ErrorIs(t, err, score.ErrMalformed, name)
		require.Contains(t, err.Error(), c.want, name)
		require.Contains(t, err.Error(), "data.csv", name)
	}
}

// TestCSVCarriageReturnLines reads a file whose lines end in a lone
// carriage return, the line end of classic Mac OS text that Excel's "CSV
// (Macintosh)" still writes (a public LendingClub extract of 9,578 loans is
// one: testdata/trials/2026-12-04-trial13.md). Before, the whole file was one
// line, and the reader refused its "header" for having more than 4,096
// columns. A file whose first line ends in "\n" keeps a lone "\r" inside a
// cell as it is.
func TestCSVCarriageReturnLines(t *testing.T) {
	in := "id,note\r1,\"two\rlines\"\r\r2,b\r\n3,c\r"
	cr, err := score.NewCSVReader(strings.NewReader(in), nil)
	require.NoError(t, err)
	require.Equal(t, []string{"id", "note"}, cr.Header())
	rows, bad := readAll(t, cr)
	require.Empty(t, bad)
	require.Equal(t, [][]string{{"1", "two\nlines"}, {"2", "b"}, {"3", "c"}}, rows)
	require.Equal(t, 6, cr.Line()) // header, two for row 1, a blank line, rows 2 and 3

	// A carriage return that falls on the read buffer's edge: 70,000 rows.
	var b strings.Builder
	b.WriteString("x,y")
	for i := range 70000 {
		fmt.Fprintf(&b, "\r%d,%d", i, 2*i)
	}
	cr, err = score.NewCSVReader(strings.NewReader(b.String()), nil)
	require.NoError(t, err)
	rows, bad = readAll(t, cr)
	require.Empty(t, bad)
	require.Len(t, rows, 70000)
	require.Equal(t, []string{"69999", "139998"}, rows[69999])

	cr, err = score.NewCSVReader(strings.NewReader("id,note\n1,a\rb\n"), nil)
	require.NoError(t, err)
	rows, _ = readAll(t, cr)
	require.Equal(t, [][]string{{"1", "a\rb"}}, rows)
}

// CSVOptions.Missing: a data cell that is one of the file's markers,
// quoted or not and after trimming, is read as blank; the header and a
// cell that only contains a marker are kept.
func TestCSVReaderMissingMarkers(t *testing.T) {
	in := "a,?,b\n1,?,x\n\"?\", NA ,?x\n-,2,\n"
	tab, err := score.ReadCSV(strings.NewReader(in), &score.CSVOptions{Missing: []string{"?", " NA", ""}})
	require.NoError(t, err)
	require.Equal(t, []string{"a", "?", "b"}, tab.Header())
	var got [][]string
	for i := range tab.Len() {
		got = append(got, []string{tab.Cell(i, 0), tab.Cell(i, 1), tab.Cell(i, 2)})
	}
	require.Equal(t, [][]string{{"1", "", "x"}, {"", "", "?x"}, {"-", "2", ""}}, got)
}
