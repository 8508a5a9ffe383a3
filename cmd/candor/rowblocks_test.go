package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/score"
)

// seenRow is what a reader reports for one data row.
type seenRow struct {
	n     int
	cells string // joined with |
	err   string
}

type collectSink struct{ rows []seenRow }

func (c *collectSink) row(n int, cells []string) {
	c.rows = append(c.rows, seenRow{n: n, cells: strings.Join(cells, "|")})
}
func (c *collectSink) bad(n int, err error) { c.rows = append(c.rows, seenRow{n: n, err: err.Error()}) }

// readSequential is one score.CSVReader over the whole input: the
// reference.
func readSequential(t *testing.T, path string) []seenRow {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	cr, err := score.NewCSVReader(f, &score.CSVOptions{Name: path, Limits: &score.Limits{Bytes: -1}})
	require.NoError(t, err)
	var out []seenRow
	for {
		cells, err := cr.Next()
		if err == io.EOF {
			return out
		}
		var re *score.RecordError
		if errors.As(err, &re) {
			out = append(out, seenRow{n: cr.Row(), err: err.Error()})
			continue
		}
		require.NoError(t, err)
		out = append(out, seenRow{n: cr.Row(), cells: strings.Join(cells, "|")})
	}
}

// readBlocks is streamBlocks with tiny blocks, rows sorted by number.
func readBlocks(t *testing.T, path string, workers int) []seenRow {
	t.Helper()
	in, err := openBlocks(path, "")
	require.NoError(t, err)
	defer in.Close()
	sinks, err := streamBlocks(context.Background(), in, workers, func() *collectSink { return &collectSink{} })
	require.NoError(t, err)
	var out []seenRow
	for _, s := range sinks {
		out = append(out, s.rows...)
	}
	slices.SortStableFunc(out, func(a, b seenRow) int { return a.n - b.n })
	return out
}

// TestStreamBlocksEqualsCSVReader: cutting the input into blocks and
// parsing them on several workers gives exactly the rows, cells, row
// numbers and error messages (line numbers included) of one CSVReader,
// on plain rows, quoted cells (with delimiters, doubled quotes, spaces
// around them, newlines inside), blank and whitespace lines, CRLF, a BOM,
// ragged rows, stray quotes (one resynced row each) and a quote never
// closed at the end.
func TestStreamBlocksEqualsCSVReader(t *testing.T) {
	defer func(b int) { blockBytes = b }(blockBytes)
	pieces := []string{
		"1,plain,x\n",
		"2,\"quoted, with comma\",y\n",
		"3,\"doubled \"\"quote\"\"\",z\n",
		"4, \"spaced\" ,w\n",
		"5,\"two\nlines\",v\n",
		"\n",
		"   \n",
		"6,crlf,u\r\n",
		"7,too,many,cells\n",
		"8,short\n",
		"9,st\"ray,q\n",
		"10,\"open,p\n",
		"11,after,open\n",
		"  12  , trimmed ,\t t \n",
		"13,,\n",
	}
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := range 30 {
		var b strings.Builder
		if trial%2 == 0 {
			b.WriteString("\ufeff")
		}
		b.WriteString("id,text,tag\n")
		order := rng.Perm(len(pieces))
		if trial%3 != 0 { // most trials keep the quote-free rows first, so the fast path runs before the ordered one
			slices.SortStableFunc(order, func(x, y int) int {
				qx, qy := strings.Count(pieces[x], `"`)%2, strings.Count(pieces[y], `"`)%2
				return qx - qy
			})
		}
		for range 3 {
			for _, k := range order {
				b.WriteString(pieces[k])
			}
		}
		if trial%5 == 4 {
			b.WriteString("99,\"never closed")
		}
		path := filepath.Join(dir, fmt.Sprintf("t%d.csv", trial))
		require.NoError(t, os.WriteFile(path, []byte(b.String()), 0o644))
		want := readSequential(t, path)
		for _, size := range []int{1, 40, 1 << 20} {
			blockBytes = size
			for _, w := range []int{1, 3} {
				require.Equal(t, want, readBlocks(t, path, w), "trial %d, blocks of %d bytes, %d workers", trial, size, w)
			}
		}
	}
}

// TestCarriageReturnFile fits and scores a file whose lines end in a lone
// carriage return (Excel's "CSV (Macintosh)"; the public LendingClub
// extract of testdata/trials/2026-12-04-trial13.md is one) as it does the
// same file with "\n": before, fit refused the whole file as a header of
// more than 4,096 columns.
func TestCarriageReturnFile(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("fico,inquiries,bad\n")
	for i := range 600 {
		fico := 620 + (i*37)%200
		inq := i % 7
		fmt.Fprintf(&b, "%d,%d,%d\n", fico, inq, btoi(fico < 680 && i%3 != 0 || inq > 4 && i%2 == 0))
	}
	lf := writeFile(t, dir, "lf.csv", b.String())
	cr := writeFile(t, dir, "cr.csv", strings.ReplaceAll(b.String(), "\n", "\r"))
	var reports, scores []string
	for _, data := range []string{lf, cr} {
		model := data + ".json"
		code, _, stderr := runCLI(t, "fit", "--model", "scorecard", "--data", data, "--target", "bad", "--event", "1", "--out", model)
		require.Equal(t, 0, code, stderr)
		require.Contains(t, stderr, "rows used 600, dropped 0")
		reports = append(reports, stderr)
		code, stdout, stderr := runCLI(t, "score", "--model", model, "--data", data)
		require.Equal(t, 0, code, stderr)
		require.Equal(t, 600, strings.Count(stdout, "\n"))
		scores = append(scores, stdout)
	}
	require.Equal(t, reports[0], reports[1])
	require.Equal(t, scores[0], scores[1])
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
