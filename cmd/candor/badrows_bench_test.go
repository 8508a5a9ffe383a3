package main

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// BenchmarkScoreBadRows is streamed `candor score` on 20,000 German credit
// rows that are all good, all with an unknown category (purpose
// "spaceship") or all with a cell that is not a number (duration_in_month
// "abc"), in the same run: a bad row should cost about what a good one
// does.
func BenchmarkScoreBadRows(b *testing.B) {
	const rows = 20000
	tab, _, fitted := germanFit(&testing.T{})
	dir := b.TempDir()
	model := filepath.Join(dir, "model.json")
	if err := fitted.Model.SaveFile(model); err != nil {
		b.Fatal(err)
	}
	header := tab.Header()
	for _, c := range []struct {
		name, col, value string
	}{
		{"good", "", ""},
		{"unknown category", "purpose", "spaceship"},
		{"not a number", "duration_in_month", "abc"},
		{"ragged", "(ragged)", ""},
		{"stray quote", "credit_amount", `12"34`},
	} {
		data := filepath.Join(dir, c.name+".csv")
		f, err := os.Create(data)
		if err != nil {
			b.Fatal(err)
		}
		j := slices.Index(header, c.col)
		if c.name == "stray quote" {
			writeStray(f, header, tab.Row, rows, j)
		} else {
			writeRepeated(f, header, func(i int) []string {
				row := slices.Clone(tab.Row(i % tab.Len()))
				switch {
				case c.col == "(ragged)":
					row = row[:len(row)-1]
				case j >= 0:
					row[j] = c.value
				}
				return row
			}, rows)
		}
		if err := f.Close(); err != nil {
			b.Fatal(err)
		}
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			want := 0
			if c.col != "" {
				want = 1
			}
			for range b.N {
				if code := run(context.Background(), []string{"score", "--model", model, "--data", data, "--workers", "1"}, io.Discard, io.Discard); code != want {
					b.Fatalf("exit status %d", code)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*rows), "ns/row")
		})
	}
}

// writeStray writes n rows with a bare quote inside cell j (not a quoted
// cell: a stray quote, which the reader refuses).
func writeStray(w io.Writer, header []string, row func(int) []string, n, j int) {
	io.WriteString(w, strings.Join(header, ",")+"\n")
	for i := range n {
		r := slices.Clone(row(i % 1000))
		for k := range r {
			if strings.ContainsAny(r[k], ",\"") {
				r[k] = `"` + strings.ReplaceAll(r[k], `"`, `""`) + `"`
			}
		}
		r[j] = `12"34`
		io.WriteString(w, strings.Join(r, ",")+"\n")
	}
}
