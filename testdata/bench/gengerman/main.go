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
	"flag"
	"fmt"
	"math/rand/v2"
	"os"

	"github.com/candorscore/candor/examples/datasets"
	"github.com/candorscore/candor/testdata/bench/internal/resample"
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
	rows := make([][]string, t.Len())
	for i := range rows {
		rows[i] = t.Row(i)
	}
	lines, err := resample.Lines(rows)
	if err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(seed, 15))
	return resample.Write(path, t.Header(), lines, n, func() int { return rng.IntN(len(lines)) })
}
