package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// benchGerman writes a fitted German credit model and n of its rows,
// repeated, into a temporary directory.
func benchGerman(b *testing.B, n int) (model, data string) {
	b.Helper()
	dir := b.TempDir()
	tab, _, fitted := germanFit(&testing.T{})
	model = filepath.Join(dir, "model.json")
	if err := fitted.Model.SaveFile(model); err != nil {
		b.Fatal(err)
	}
	data = filepath.Join(dir, "data.csv")
	f, err := os.Create(data)
	if err != nil {
		b.Fatal(err)
	}
	writeRepeated(f, tab.Header(), func(i int) []string { return tab.Row(i % tab.Len()) }, n)
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	return model, data
}

func benchCommand(b *testing.B, rows int, args ...string) {
	model, data := benchGerman(b, rows)
	args = append(args, "--model", model, "--data", data)
	b.ResetTimer()
	for range b.N {
		if code := run(context.Background(), args, io.Discard, io.Discard); code != 0 {
			b.Fatalf("exit status %d", code)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*rows), "ns/row")
}

// BenchmarkScoreStream is `candor score` on 100,000 German credit rows.
func BenchmarkScoreStream(b *testing.B) { benchCommand(b, 100000, "score") }

// BenchmarkScoreReasons is `candor score --reasons 4` on 100,000 rows.
func BenchmarkScoreReasons(b *testing.B) { benchCommand(b, 100000, "score", "--reasons", "4") }

// BenchmarkExplainJSON is `candor explain --format json` on 20,000 rows.
func BenchmarkExplainJSON(b *testing.B) { benchCommand(b, 20000, "explain", "--format", "json") }

// writeRepeated writes header and n rows row(0), row(1), ... as CSV.
func writeRepeated(w io.Writer, header []string, row func(i int) []string, n int) {
	bw := bufio.NewWriterSize(w, 1<<20)
	cw := csv.NewWriter(bw)
	_ = cw.Write(header)
	for i := range n {
		_ = cw.Write(row(i))
	}
	cw.Flush()
	_ = bw.Flush()
}
