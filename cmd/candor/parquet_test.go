package main

import (
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"
	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/examples/datasets"
	"github.com/candorscore/candor/score"
)

// The row-source contract of the streaming commands: what openParquet's
// result and score.CSVReader both offer.
var _ interface {
	Header() []string
	Next() ([]string, error)
	Row() int
	Close() error
} = parquetRowSource(nil)

// writeTableParquet writes tab's rows as a Parquet file with the parquet-go
// writer, columns in the table's order and typed as an export would type
// them: INT64 where every cell is an integer, DOUBLE where the column is
// otherwise numeric, STRING else; every column optional, an empty cell a
// null; row groups of 100 rows. drop(i, j) makes cell (i, j) null too.
func writeTableParquet(t *testing.T, path string, tab *score.Table, drop func(i, j int) bool) {
	t.Helper()
	header := tab.Header()
	kinds := make([]reflect.Type, len(header))
	var fields []reflect.StructField
	for j, name := range header {
		kinds[j] = reflect.TypeFor[*string]()
		if tab.IsNumeric(j) {
			kinds[j] = reflect.TypeFor[*int64]()
			for i := range tab.Len() {
				if c := tab.Cell(i, j); c != "" {
					if _, err := strconv.ParseInt(c, 10, 64); err != nil {
						kinds[j] = reflect.TypeFor[*float64]()
						break
					}
				}
			}
		}
		fields = append(fields, reflect.StructField{Name: "F" + strconv.Itoa(j), Type: kinds[j], Tag: reflect.StructTag(`parquet:"` + name + `,optional"`)})
	}
	rowType := reflect.StructOf(fields)
	f, err := os.Create(path)
	require.NoError(t, err)
	w := parquet.NewWriter(f, parquet.SchemaOf(reflect.New(rowType).Interface()), parquet.MaxRowsPerRowGroup(100))
	for i := range tab.Len() {
		row := reflect.New(rowType)
		for j := range header {
			c := tab.Cell(i, j)
			if c == "" || drop != nil && drop(i, j) {
				continue
			}
			v := reflect.New(kinds[j].Elem())
			switch kinds[j].Elem().Kind() {
			case reflect.Int64:
				n, err := strconv.ParseInt(c, 10, 64)
				require.NoError(t, err)
				v.Elem().SetInt(n)
			case reflect.Float64:
				x, err := strconv.ParseFloat(c, 64)
				require.NoError(t, err)
				v.Elem().SetFloat(x)
			default:
				v.Elem().SetString(c)
			}
			row.Elem().Field(j).Set(v)
		}
		require.NoError(t, w.Write(row.Interface()))
	}
	require.NoError(t, w.Close())
	require.NoError(t, f.Close())
}

// TestParquetScoresAsCSV: German credit written as Parquet (typed columns,
// ten row groups) fits the same model file and scores, with reasons,
// byte for byte as the same rows in CSV; with cells made null in both
// (empty cells in the CSV), the scores (missing bins) are again the same.
func TestParquetScoresAsCSV(t *testing.T) {
	dir := t.TempDir()
	tab, err := datasets.Load(datasets.GermanCredit)
	require.NoError(t, err)
	csvPath, pqPath := filepath.Join(dir, "german.csv"), filepath.Join(dir, "german.parquet")
	writeTableCSV(t, csvPath, tab, tab.Len())
	writeTableParquet(t, pqPath, tab, nil)

	fitArgs := []string{"fit", "--target", "creditability", "--event", "bad", "--model", "scorecard"}
	models := map[string]string{}
	for name, data := range map[string]string{"csv": csvPath, "parquet": pqPath} {
		out := filepath.Join(dir, name+".json")
		code, _, errOut := runCLI(t, append(fitArgs, "--data", data, "--out", out)...)
		require.Equal(t, 0, code, errOut)
		b, err := os.ReadFile(out)
		require.NoError(t, err)
		models[name] = string(b)
	}
	require.True(t, models["csv"] == models["parquet"], "the model fitted on Parquet differs from CSV's")
	model := filepath.Join(dir, "csv.json")

	scoreOut := func(data string) string {
		code, out, errOut := runCLI(t, "score", "--model", model, "--data", data, "--reasons", "4")
		require.Equal(t, 0, code, errOut)
		return out
	}
	fromCSV := scoreOut(csvPath)
	require.Equal(t, 1000, strings.Count(fromCSV, "\n"))
	require.True(t, fromCSV == scoreOut(pqPath), "Parquet scores differ from CSV's")

	// Nulls: every 7th row loses its credit amount, every 11th its purpose.
	amount, purpose := tab.Column("credit_amount"), tab.Column("purpose")
	drop := func(i, j int) bool { return j == amount && i%7 == 0 || j == purpose && i%11 == 0 }
	rows := make([][]string, tab.Len())
	for i := range rows {
		rows[i] = tab.Row(i)
		for j := range rows[i] {
			if drop(i, j) {
				rows[i][j] = ""
			}
		}
	}
	holes, err := score.NewTable(tab.Header(), rows)
	require.NoError(t, err)
	csvHoles, pqHoles := filepath.Join(dir, "holes.csv"), filepath.Join(dir, "holes.parquet")
	writeTableCSV(t, csvHoles, holes, holes.Len())
	writeTableParquet(t, pqHoles, tab, drop)
	withHoles := scoreOut(csvHoles)
	require.True(t, withHoles == scoreOut(pqHoles), "Parquet scores with nulls differ from CSV's with empty cells")
	require.False(t, fromCSV == withHoles, "the nulls changed no score")
}

// TestParquetBadFiles: a corrupt Parquet file and a nested column are
// errors of the command that name the file (and the column).
func TestParquetBadFiles(t *testing.T) {
	dir := t.TempDir()
	model := "../../examples/datasets/models/scorecard_sample.json"
	type tenure struct {
		Tenure int64 `parquet:"tenure"`
	}
	good := filepath.Join(dir, "good.parquet")
	f, err := os.Create(good)
	require.NoError(t, err)
	w := parquet.NewGenericWriter[tenure](f)
	_, err = w.Write([]tenure{{1}, {30}, {90}})
	require.NoError(t, err)
	require.NoError(t, w.Close())
	require.NoError(t, f.Close())
	code, out, errOut := runCLI(t, "score", "--model", model, "--data", good)
	require.Equal(t, 0, code, errOut)
	require.Equal(t, 3, strings.Count(out, `"points":`))

	b, err := os.ReadFile(good)
	require.NoError(t, err)
	bad := filepath.Join(dir, "export.parquet")
	require.NoError(t, os.WriteFile(bad, b[:len(b)-20], 0o600))
	code, _, errOut = runCLI(t, "score", "--model", model, "--data", bad)
	require.Equal(t, 1, code)
	require.Contains(t, errOut, "candor score: "+bad+": malformed input: ")

	type nested struct {
		Tenure int64    `parquet:"tenure"`
		Tags   []string `parquet:"tags,list"`
	}
	nestedPath := filepath.Join(dir, "nested.dat") // found by its magic bytes
	f, err = os.Create(nestedPath)
	require.NoError(t, err)
	nw := parquet.NewGenericWriter[nested](f)
	_, err = nw.Write([]nested{{1, []string{"a"}}})
	require.NoError(t, err)
	require.NoError(t, nw.Close())
	require.NoError(t, f.Close())
	code, _, errOut = runCLI(t, "score", "--model", model, "--data", nestedPath)
	require.Equal(t, 1, code)
	require.Contains(t, errOut, nestedPath+`: unsupported Parquet column: column "tags" is nested`)
}
