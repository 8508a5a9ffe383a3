package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
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

// parseFlags parses args; it returns an exit status and false when the
// command should stop (bad flags or -h).
func parseFlags(fs *flag.FlagSet, args []string) (int, bool) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0, false
		}
		return 2, false
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(fs.Output(), "%s: unexpected argument %q\n", fs.Name(), fs.Arg(0))
		return 2, false
	}
	return 0, true
}

// readTable reads a CSV file ("-" is stdin) with the given delimiter.
func readTable(path, delim string) (*score.Table, error) {
	if path == "" {
		return nil, errors.New("--data is required")
	}
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
	var rd io.Reader = os.Stdin
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		rd = f
	}
	t, err := score.ReadCSV(rd, &opts)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return t, nil
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

// parseRows parses --rows "1,4,10-12" into 1-based row numbers; nil = all.
func parseRows(s string) (map[int]bool, error) {
	if s == "" {
		return nil, nil
	}
	out := map[int]bool{}
	for _, p := range splitList(s) {
		var a, b int
		if strings.Contains(p, "-") {
			if _, err := fmt.Sscanf(p, "%d-%d", &a, &b); err != nil || a < 1 || b < a {
				return nil, fmt.Errorf("--rows: bad range %q", p)
			}
		} else {
			if _, err := fmt.Sscanf(p, "%d", &a); err != nil || a < 1 {
				return nil, fmt.Errorf("--rows: bad row %q", p)
			}
			b = a
		}
		for i := a; i <= b; i++ {
			out[i] = true
		}
	}
	return out, nil
}

func fail(stderr io.Writer, cmd string, err error) int {
	fmt.Fprintf(stderr, "candor %s: %v\n", cmd, err)
	return 1
}
