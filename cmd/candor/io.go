package main

import (
	"bufio"
	"cmp"
	"errors"
	"flag"
	"fmt"
	"io"
	"iter"
	"os"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/candorscore/candor/score"
)

// newFlags returns a flag set that reports errors to stderr without exiting.
func newFlags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("candor "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

// parseFlags parses args. It returns flag.ErrHelp for -h (exit status 0)
// and exitStatus(2) for bad flags, both already reported by the flag set.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return flag.ErrHelp
		}
		return exitStatus(2)
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(fs.Output(), "%s: unexpected argument %q\n", fs.Name(), fs.Arg(0))
		return exitStatus(2)
	}
	return nil
}

// readTable reads a CSV file ("-" is stdin) with the given delimiter.
func readTable(path, delim string) (*score.Table, error) {
	if path == "" {
		return nil, errors.New("--data is required")
	}
	if isParquet(path) {
		return readParquetTable(path)
	}
	opts, err := csvOptions(path, delim)
	if err != nil {
		return nil, err
	}
	var rd io.Reader = os.Stdin
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		rd = f
	}
	return score.ReadCSV(rd, opts)
}

// csvOptions are the CSV options of a command's --data and --delimiter,
// with CANDOR_LIMITS, CANDOR_DECIMAL_COMMA and CANDOR_MISSING from the
// environment.
func csvOptions(path, delim string) (*score.CSVOptions, error) {
	var opts score.CSVOptions
	if delim != "" {
		r, size := utf8.DecodeRuneInString(delim)
		if size != len(delim) || delim == "\t\t" {
			if delim == `\t` {
				r = '\t'
			} else {
				return nil, fmt.Errorf("--delimiter must be one character, got %q", delim)
			}
		}
		opts.Delimiter = r
	}
	lim, err := limitsFromEnv(os.Getenv("CANDOR_LIMITS"))
	if err != nil {
		return nil, err
	}
	opts.Limits = lim
	opts.DecimalComma = os.Getenv("CANDOR_DECIMAL_COMMA") == "1"
	opts.Missing = missingFromEnv()
	opts.Name = path
	if path == "-" {
		opts.Name = "standard input"
	}
	return &opts, nil
}

// rowSource is a stream of data rows with a header, read one row at a
// time: what score.CSVReader offers, and what the streaming commands
// (score, explain, recourse) read. Next returns a row's cells, one per
// header column, valid until the next call; a bad row is a nil slice and
// a *score.RecordError carrying its row, after which Next goes on; io.EOF
// ends the rows, and any other error is final. Row is the 1-based number
// of the row last returned or reported.
type rowSource interface {
	Header() []string
	Next() ([]string, error)
	Row() int
	Close() error
}

// openSource opens --data for streaming: "-" is standard input; a Parquet
// file (isParquet) is read by openParquet; anything else
// is CSV, plain or gzip-compressed, with the given delimiter. A stream
// holds one row at a time, so Limits.Bytes (a bound on what a whole table
// holds) applies only when CANDOR_LIMITS sets bytes= explicitly.
func openSource(path, delim string) (rowSource, error) {
	if path == "" {
		return nil, errors.New("--data is required")
	}
	if isParquet(path) {
		src, err := openParquet(path)
		if err != nil {
			return nil, err
		}
		return src, nil
	}
	opts, err := csvOptions(path, delim)
	if err != nil {
		return nil, err
	}
	if opts.Limits.Bytes == 0 { // not set by CANDOR_LIMITS
		opts.Limits.Bytes = -1
	}
	if path == "-" {
		return score.NewCSVReader(os.Stdin, opts)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	cr, err := score.NewCSVReader(f, opts)
	if err != nil {
		f.Close()
		return nil, err
	}
	return &fileSource{CSVReader: cr, f: f}, nil
}

// fileSource is a CSV reader over a file it closes.
type fileSource struct {
	*score.CSVReader
	f *os.File
}

// Close closes the reader and the file.
func (s *fileSource) Close() error {
	err := s.CSVReader.Close()
	if ferr := s.f.Close(); err == nil {
		err = ferr
	}
	return err
}

// limitsFromEnv parses CANDOR_LIMITS, e.g. "bytes=1GiB,cell=1MiB": a
// comma-separated list of NAME=N with names bytes, cell, row, columns,
// cells, levels and design (a fit's design cells), N an integer with an optional KiB, MiB or GiB suffix,
// or -1 for no limit. Unset names keep their defaults.
func limitsFromEnv(s string) (*score.Limits, error) {
	var l score.Limits
	for _, kv := range splitList(s) {
		name, val, ok := strings.Cut(kv, "=")
		mult := int64(1)
		for suf, m := range map[string]int64{"KiB": 1 << 10, "MiB": 1 << 20, "GiB": 1 << 30} {
			if strings.HasSuffix(val, suf) {
				val, mult = strings.TrimSuffix(val, suf), m
			}
		}
		n, err := strconv.ParseInt(strings.TrimSpace(val), 10, 64)
		if !ok || err != nil || n == 0 || n < -1 {
			return nil, fmt.Errorf("CANDOR_LIMITS: bad entry %q (want NAME=N, N a positive integer with an optional KiB, MiB or GiB, or -1)", kv)
		}
		n *= mult
		switch strings.TrimSpace(name) {
		case "bytes":
			l.Bytes = n
		case "cell":
			l.CellBytes = int(n)
		case "row":
			l.RowBytes = int(n)
		case "columns":
			l.Columns = int(n)
		case "cells":
			l.Cells = n
		case "levels":
			l.Levels = int(n)
		case "design":
			l.Design = n
		default:
			return nil, fmt.Errorf("CANDOR_LIMITS: unknown limit %q (have bytes, cell, row, columns, cells, levels, design)", name)
		}
	}
	return &l, nil
}

// output opens --out (or stdout) behind a buffer; close flushes and closes.
func output(path string, stdout io.Writer) (w *bufio.Writer, closeFn func() error, err error) {
	if path == "" || path == "-" {
		bw := bufio.NewWriter(stdout)
		return bw, bw.Flush, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, nil, err
	}
	bw := bufio.NewWriter(f)
	return bw, func() error {
		if err := bw.Flush(); err != nil {
			f.Close()
			return err
		}
		return f.Close()
	}, nil
}

// splitList splits a comma-separated flag value, dropping blanks.
func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// rowSet is a --rows selection: 1-based inclusive ranges of data rows,
// sorted and merged. The zero value selects every row. Its size is the
// number of ranges given, never the number of rows they span.
type rowSet struct {
	ranges [][2]int
}

// parseRows parses --rows "1,4,10-12" into ranges of 1-based data rows.
func parseRows(s string) (rowSet, error) {
	var rs rowSet
	for _, p := range splitList(s) {
		lo, hi, isRange := strings.Cut(p, "-")
		a, err := strconv.Atoi(strings.TrimSpace(lo))
		b := a
		if err == nil && isRange {
			b, err = strconv.Atoi(strings.TrimSpace(hi))
		}
		switch {
		case err != nil && isRange, isRange && (a < 1 || b < a):
			return rowSet{}, fmt.Errorf("--rows: bad range %q (want FIRST-LAST, 1 <= FIRST <= LAST)", p)
		case err != nil || a < 1:
			return rowSet{}, fmt.Errorf("--rows: bad row %q (rows count from 1)", p)
		}
		rs.ranges = append(rs.ranges, [2]int{a, b})
	}
	slices.SortFunc(rs.ranges, func(x, y [2]int) int { return cmp.Compare(x[0], y[0]) })
	merged := rs.ranges[:0]
	for _, r := range rs.ranges {
		if n := len(merged); n > 0 && r[0] <= merged[n-1][1]+1 {
			merged[n-1][1] = max(merged[n-1][1], r[1])
			continue
		}
		merged = append(merged, r)
	}
	rs.ranges = merged
	return rs, nil
}

// all reports whether the selection is every row.
func (rs rowSet) all() bool { return len(rs.ranges) == 0 }

// indexes checks the selection against a table of n data rows and returns
// the selected 0-based table rows in table order; a row past the last data
// row is an error.
func (rs rowSet) indexes(n int) ([]int, error) {
	if rs.all() {
		out := make([]int, n)
		for i := range out {
			out[i] = i
		}
		return out, nil
	}
	if last := rs.ranges[len(rs.ranges)-1][1]; last > n {
		return nil, fmt.Errorf("--rows: row %d is past the last data row (%d)", last, n)
	}
	var out []int
	for _, r := range rs.ranges {
		for i := r[0]; i <= r[1]; i++ {
			out = append(out, i-1)
		}
	}
	return out, nil
}

// exitStatus is an error that only sets the exit status: its message, if
// any, was already written to stderr.
type exitStatus int

func (c exitStatus) Error() string { return "exit status " + strconv.Itoa(int(c)) }

// fail reports err for a command that returns an exit status (verify-log).
func fail(stderr io.Writer, cmd string, err error) int {
	fmt.Fprintf(stderr, "candor %s: %v\n", cmd, err)
	return 1
}

// scoreRows scores the given rows of t (nil: every row) in batches, so
// that memory holds one batch of results, not one per row of the file;
// it yields each row's position in rows and its result.
func scoreRows(m *score.Model, t *score.Table, rows []int) iter.Seq2[int, score.RowResult] {
	return func(yield func(int, score.RowResult) bool) {
		const batch = 1024
		n := len(rows)
		if rows == nil {
			n = t.Len()
		}
		var results []score.RowResult
		idx := make([]int, 0, batch)
		for lo := 0; lo < n; lo += batch {
			idx = idx[:0]
			for k := lo; k < min(lo+batch, n); k++ {
				if rows == nil {
					idx = append(idx, k)
				} else {
					idx = append(idx, rows[k])
				}
			}
			results = m.ScoreTable(results[:0], t, idx)
			for j, r := range results {
				if !yield(lo+j, r) {
					return
				}
			}
		}
	}
}

// missingFromEnv is CANDOR_MISSING, a file's missing-value markers
// separated by commas ("?" or "?,NA,-"; score.CSVOptions.Missing); nil
// when unset or blank.
func missingFromEnv() []string {
	var out []string
	for _, m := range strings.Split(os.Getenv("CANDOR_MISSING"), ",") {
		if m = strings.TrimSpace(m); m != "" {
			out = append(out, m)
		}
	}
	return out
}
