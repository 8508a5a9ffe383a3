// Command genbook writes a scored, German-credit-shaped customer book for
// the audit and monitor benchmarks (README, "Auditing and monitoring a
// whole book"): the header of examples/datasets/german_credit.csv.gz plus
// a "probability" column, then -rows rows drawn at random, with
// replacement, from its 1,000 rows (seeded, so a run always writes the same
// file), each with the -model's event probability (%.6f). With -drift P, a
// drawn row is replaced, with probability P, by one of the rows with the
// longest loans (duration_in_month of 36 or more), so the current book
// drifts from the baseline. Output goes to -out, gzip-compressed when it
// ends in .gz.
//
//	go run ./testdata/bench/genbook -model /tmp/book/model.json -rows 10000000 -out /tmp/book/book.csv
package main

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"

	"github.com/candorscore/candor/examples/datasets"
	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/testdata/bench/internal/resample"
)

func main() {
	rows := flag.Int("rows", 1000000, "data rows to write")
	out := flag.String("out", "", "output file (.gz: compressed)")
	model := flag.String("model", "", "model file whose event probability fills the probability column")
	seed := flag.Uint64("seed", 1, "random seed")
	drift := flag.Float64("drift", 0, "share of rows replaced by long loans")
	flag.Parse()
	if err := run(*rows, *out, *model, *seed, *drift); err != nil {
		fmt.Fprintln(os.Stderr, "genbook:", err)
		os.Exit(1)
	}
}

func run(n int, path, modelPath string, seed uint64, drift float64) error {
	if path == "" || modelPath == "" {
		return fmt.Errorf("-out and -model are required")
	}
	m, err := score.LoadFile(modelPath)
	if err != nil {
		return err
	}
	t, err := datasets.Load(datasets.GermanCredit)
	if err != nil {
		return err
	}
	dur := t.Column("duration_in_month")
	rows := make([][]string, t.Len())
	var long []int
	for i := range rows {
		rec, err := t.Record(m.Schema(), i)
		if err != nil {
			return err
		}
		r, err := m.Score(rec)
		if err != nil {
			return fmt.Errorf("row %d: %w", i+1, err)
		}
		rows[i] = append(slices.Clone(t.Row(i)), strconv.FormatFloat(float64(r.Probability), 'f', 6, 64))
		if d, _ := strconv.Atoi(t.Cell(i, dur)); d >= 36 {
			long = append(long, i)
		}
	}
	lines, err := resample.Lines(rows)
	if err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
	return resample.Write(path, append(t.Header(), "probability"), lines, n, func() int {
		i := rng.IntN(len(lines))
		if drift > 0 && rng.Float64() < drift {
			i = long[rng.IntN(len(long))]
		}
		return i
	})
}
