// Command seeds measures the held-out AUC of fit.Boosted over seeds 1 to
// N (BoostedOptions.Seed), on the split "data row i (0-based) is test when
// i % 10 < 3", and prints one line per seed and their mean: the seed
// spreads quoted in testdata/boosted/README.md and in the README's boosted
// section. It is a measurement, not part of candor (it lives under
// testdata, so go build ./... and go test ./... skip it).
//
//	go run ./testdata/boosted/seeds -data german_credit -target creditability -event bad -seeds 10 -scorecard
//	go run ./testdata/boosted/seeds -csv NEW_DIR/hmeq.csv -target BAD -event 1 -seeds 5 -pairs -1
//	go run ./testdata/boosted/seeds -csv EXTERNAL_DIR/heloc.csv -target RiskPerformance -event Bad \
//	    -seeds 5 -features testdata/auc/heloc_features.json
//
// -data names a data set of examples/datasets, -csv a file; -pairs -1 is
// fit.BoostedAutoInteractions; -scorecard also prints the default
// scorecard's AUC on the same split (it has no seed).
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/candorscore/candor/examples/datasets"
	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/fit"
	"github.com/candorscore/candor/score/monitor"
)

func split(t *score.Table) (train, test *score.Table, err error) {
	var a, b [][]string
	for i := 0; i < t.Len(); i++ {
		if i%10 < 3 {
			b = append(b, t.Row(i))
		} else {
			a = append(a, t.Row(i))
		}
	}
	if train, err = score.NewTable(t.Header(), a); err != nil {
		return nil, nil, err
	}
	test, err = score.NewTable(t.Header(), b)
	return train, test, err
}

func run() error {
	csv := flag.String("csv", "", "CSV file (or -data)")
	data := flag.String("data", "", "a data set of examples/datasets (or -csv)")
	target := flag.String("target", "", "target column")
	event := flag.String("event", "", "event value")
	exclude := flag.String("exclude", "", "comma-separated columns not to use")
	feats := flag.String("features", "", "features file")
	seeds := flag.Int("seeds", 10, "seeds 1 to this")
	pairs := flag.Int("pairs", 0, "BoostedOptions.Interactions (-1: auto)")
	sc := flag.Bool("scorecard", false, "also the default scorecard's AUC")
	flag.Parse()
	var full *score.Table
	var s *score.Schema
	var err error
	if *csv != "" {
		f, err := os.Open(*csv)
		if err != nil {
			return err
		}
		defer f.Close()
		if full, err = score.ReadCSV(f, nil); err != nil {
			return fmt.Errorf("%s: %w", *csv, err)
		}
		s = full.InferSchema()
	} else if full, s, err = datasets.LoadSchema(*data); err != nil {
		return err
	}
	if *exclude != "" {
		if s, err = s.WithRoles(score.Ignored, strings.Split(*exclude, ",")...); err != nil {
			return err
		}
	}
	if *feats != "" {
		d, err := score.ReadDeclarationsFile(*feats)
		if err != nil {
			return err
		}
		if s, err = d.Apply(s); err != nil {
			return err
		}
	}
	train, test, err := split(full)
	if err != nil {
		return err
	}
	ctx := context.Background()
	if *sc {
		sf, err := fit.Scorecard(ctx, train, s, *target, *event, nil)
		if err != nil {
			return err
		}
		p, err := monitor.Assess(sf.Model, test, *target, *event)
		if err != nil {
			return err
		}
		fmt.Printf("scorecard %.4f\n", p.AUC)
	}
	var sum float64
	for seed := 1; seed <= *seeds; seed++ {
		sd := uint64(seed)
		bf, err := fit.Boosted(ctx, train, s, *target, *event, &fit.BoostedOptions{Seed: &sd, Interactions: *pairs})
		if err != nil {
			return err
		}
		p, err := monitor.Assess(bf.Model, test, *target, *event)
		if err != nil {
			return err
		}
		sum += p.AUC
		fmt.Printf("seed %d %.4f\n", seed, p.AUC)
	}
	fmt.Printf("mean %.4f\n", sum/float64(*seeds))
	return nil
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "seeds:", err)
		os.Exit(1)
	}
}
