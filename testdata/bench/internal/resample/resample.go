// Package resample writes the benchmarks' generated books
// (testdata/bench/gengerman, testdata/bench/genbook): a header, then rows
// drawn with replacement from a small data set, each written as the data
// set writes it, quotes included, to a file that is gzip-compressed when
// its name ends in .gz. It knows nothing of candor (standard library only):
// the generators load the data and choose the rows.
package resample

import (
	"bufio"
	"compress/gzip"
	"encoding/csv"
	"io"
	"os"
	"strings"
)

// Line is row as one CSV line, as encoding/csv writes it (its "\n"
// included).
func Line(row []string) (string, error) {
	var b strings.Builder
	w := csv.NewWriter(&b)
	if err := w.Write(row); err != nil {
		return "", err
	}
	w.Flush()
	return b.String(), w.Error()
}

// Lines is Line of every row.
func Lines(rows [][]string) ([]string, error) {
	out := make([]string, len(rows))
	for i, r := range rows {
		var err error
		if out[i], err = Line(r); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Write writes header and n rows to path: row k is lines[pick()], pick
// being called once per row, in order (so a seeded pick writes the same
// file every run). A path ending in .gz is gzip-compressed.
func Write(path string, header []string, lines []string, n int, pick func() int) error {
	head, err := Line(header)
	if err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	var dst io.Writer = f
	var zw *gzip.Writer
	if strings.HasSuffix(path, ".gz") {
		zw = gzip.NewWriter(f)
		dst = zw
	}
	bw := bufio.NewWriterSize(dst, 1<<20)
	bw.WriteString(head)
	for range n {
		bw.WriteString(lines[pick()])
	}
	if err := bw.Flush(); err != nil {
		f.Close()
		return err
	}
	if zw != nil {
		if err := zw.Close(); err != nil {
			f.Close()
			return err
		}
	}
	return f.Close()
}
