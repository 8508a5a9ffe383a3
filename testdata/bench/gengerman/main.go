// Command gengerman writes German-credit-shaped CSV for the streaming
// benchmarks (testdata/bench/run.sh): the header of
// examples/datasets/german_credit.csv.gz, then -rows rows drawn at random,
// with replacement, from its 1,000 rows (a fixed seed, so every run writes
// the same file). Each row is written as the data set writes it, quotes
// included. Output goes to -out, gzip-compressed when it ends in .gz.
//
//	go run ./testdata/bench/gengerman -rows 10000000 -out /tmp/bench/german10m.csv
package main

import (
	"bufio"
	"compress/gzip"
	"encoding/csv"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"strings"

	"github.com/candorscore/candor/examples/datasets"
)

func main() {
	rows := flag.Int("rows", 1000000, "data rows to write")
	out := flag.String("out", "", "output file (.gz: compressed)")
	seed := flag.Uint64("seed", 1, "random seed")
	flag.Parse()
	if err := run(*rows, *out, *seed); err != nil {
		fmt.Fprintln(os.Stderr, "gengerman:", err)
		os.Exit(1)
	}
}

func run(n int, path string, seed uint64) error {
	if path == "" {
		return fmt.Errorf("-out is required")
	}
	t, err := datasets.Load(datasets.GermanCredit)
	if err != nil {
		return err
	}
	// Each source row as one CSV line, encoded once.
	lines := make([]string, t.Len())
	for i := range lines {
		var b strings.Builder
		w := csv.NewWriter(&b)
		if err := w.Write(t.Row(i)); err != nil {
			return err
		}
		w.Flush()
		lines[i] = b.String()
	}
	var hb strings.Builder
	hw := csv.NewWriter(&hb)
	if err := hw.Write(t.Header()); err != nil {
		return err
	}
	hw.Flush()

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
	bw.WriteString(hb.String())
	rng := rand.New(rand.NewPCG(seed, 15))
	for range n {
		bw.WriteString(lines[rng.IntN(len(lines))])
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
