package main

// Parquet input: --data x.parquet (or any file that starts with Parquet's
// magic bytes) is read by score/parquetio, row group by row group, as
// the same table exported to CSV would be read: numbers as numeric cells,
// strings and booleans as text, nulls as missing. Standard input is always
// CSV (Parquet needs random access to its footer).

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/parquetio"
)

// parquetRowSource is the row-source contract of the streaming commands
// (score.CSVReader's methods), which *parquetio.Reader meets: the header,
// then each row's cells until io.EOF, a bad row as a *score.RecordError.
type parquetRowSource interface {
	Header() []string
	Next() ([]string, error)
	Row() int
	Close() error
}

// isParquet reports whether path is a Parquet file: by its extension
// (.parquet, .parq, .pq), or, for a regular file under another name, by
// its first four bytes ("PAR1"). Standard input ("-") never is.
func isParquet(path string) bool {
	if path == "" || path == "-" {
		return false
	}
	switch strings.ToLower(filepath.Ext(path)) {
	case ".parquet", ".parq", ".pq":
		return true
	}
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() {
		return false
	}
	var magic [4]byte
	_, err = io.ReadFull(f, magic[:])
	return err == nil && string(magic[:]) == "PAR1"
}

// openParquet opens a Parquet file as a row source, under the limits of
// CANDOR_LIMITS (cell, row, columns and bytes, the last counting the text
// of the cells read).
func openParquet(path string) (parquetRowSource, error) {
	lim, err := limitsFromEnv(os.Getenv("CANDOR_LIMITS"))
	if err != nil {
		return nil, err
	}
	r, err := parquetio.Open(path, lim)
	if err != nil {
		return nil, err
	}
	return r, nil
}

// readParquetTable reads a whole Parquet file into a table, for the
// commands that need every row at once (fit, check, monitor's baseline):
// the rows go through score.ReadCSV as CSV text made one row at a time,
// so the table, its limits and its bad rows are exactly those of the same
// data exported to CSV.
func readParquetTable(path string) (*score.Table, error) {
	lim, err := limitsFromEnv(os.Getenv("CANDOR_LIMITS"))
	if err != nil {
		return nil, err
	}
	// ReadCSV applies the cell, row and byte limits to the text; the
	// Parquet reader only checks the columns.
	r, err := parquetio.Open(path, &score.Limits{Columns: lim.Columns, CellBytes: -1, RowBytes: -1, Bytes: -1})
	if err != nil {
		return nil, err
	}
	defer r.Close()
	text := &csvText{src: r}
	t, err := score.ReadCSV(text, &score.CSVOptions{Limits: lim, Name: path})
	if err != nil && text.err != nil && text.err != io.EOF && errors.Is(err, text.err) {
		return nil, text.err // the reader's own error, which names the file once
	}
	return t, err
}

// csvText is an io.Reader of a row source's rows as CSV text, the header
// first, made one row at a time.
type csvText struct {
	src     parquetRowSource
	buf     bytes.Buffer
	w       *csv.Writer
	started bool
	err     error
}

func (c *csvText) Read(p []byte) (int, error) {
	for c.buf.Len() == 0 && c.err == nil {
		if !c.started {
			c.started = true
			c.w = csv.NewWriter(&c.buf)
			c.err = c.w.Write(c.src.Header())
		} else {
			cells, err := c.src.Next()
			if err != nil {
				c.err = err
				break
			}
			c.err = c.w.Write(cells)
		}
		c.w.Flush()
	}
	if c.buf.Len() > 0 {
		return c.buf.Read(p)
	}
	return 0, c.err
}
