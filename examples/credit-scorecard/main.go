// Command credit-scorecard builds a points scorecard for the German credit
// data (UCI Statlog, built into candor): it fits on 70% of the applicants
// (row i is held out when i % 10 < 3), prints the binning and points tables
// and the held-out AUC, Gini, KS and gains table, and writes a binning chart
// per kept feature and the score distribution chart as SVG.
//
//	go run ./examples/credit-scorecard [--out DIR] [--round=false]
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/candorscore/candor/examples/datasets"
	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/chart"
	"github.com/candorscore/candor/score/fit"
	"github.com/candorscore/candor/score/monitor"
)

func main() {
	out := flag.String("out", "", "directory for the charts (default: a new temporary directory)")
	round := flag.Bool("round", true, "round points to integers")
	flag.Parse()
	if err := run(*out, *round); err != nil {
		fmt.Fprintln(os.Stderr, "credit-scorecard:", err)
		os.Exit(1)
	}
}

func run(outDir string, round bool) error {
	full, err := datasets.Load(datasets.GermanCredit)
	if err != nil {
		return err
	}
	// The target is no input; protected attributes are kept for audits and
	// can never be model inputs.
	s, err := full.InferSchema().WithRoles(score.Ignored, "creditability")
	if err != nil {
		return err
	}
	s, err = s.WithRoles(score.Protected, "personal_status_and_sex", "age_in_years", "foreign_worker")
	if err != nil {
		return err
	}
	train, test, err := split(full)
	if err != nil {
		return err
	}
	fitted, err := fit.Scorecard(context.Background(), train, s, "creditability", "bad", &fit.ScorecardOptions{
		Round: round, Name: "german-credit"})
	if err != nil {
		return err
	}
	fmt.Printf("German credit scorecard: %d training rows, %d events\n\n", fitted.Rows, int(fitted.Events))
	fmt.Println("== binning ==")
	fmt.Print(fitted.FormatBinnings())
	fmt.Println("\n== selection ==")
	fmt.Print(fitted.Selection.Format())
	fmt.Println("\n== points ==")
	fmt.Print(fit.FormatScorecard(fitted.Model))
	perf, err := monitor.Assess(fitted.Model, test, "creditability", "bad")
	if err != nil {
		return err
	}
	fmt.Printf("\n== held-out performance (%d rows) ==\n", test.Len())
	fmt.Print(perf.Format())

	// Score <-> probability, both ways.
	for _, pts := range []float64{500, 600, 700} {
		fmt.Printf("%.0f points = probability of bad credit %.4f\n", pts, fitted.Model.Link(pts).Probability)
	}
	fmt.Printf("probability 0.10 = %.1f points\n", fitted.Model.ScoreFor(score.Probability(0.10).LogOdds()))

	if outDir == "" {
		if outDir, err = os.MkdirTemp("", "credit-scorecard-"); err != nil {
			return err
		}
	} else if err := os.MkdirAll(outDir, 0o755); err != nil {
		return err
	}
	for _, name := range fitted.Selection.Kept {
		if err := writeFile(filepath.Join(outDir, "binning-"+name+".svg"), func(f *os.File) error {
			return chart.Binning(f, fitted.Binning(name), "svg")
		}); err != nil {
			return err
		}
	}
	var points []float64
	var events []bool
	col := test.Column("creditability")
	for i, r := range fitted.Model.ScoreTable(nil, test, nil) {
		if r.Err != nil {
			return r.Err
		}
		points = append(points, r.Result.Score)
		events = append(events, test.Cell(i, col) == "bad")
	}
	if err := writeFile(filepath.Join(outDir, "score-distribution.svg"), func(f *os.File) error {
		return chart.Scores(f, points, events, nil, "points (held-out applicants)", "svg")
	}); err != nil {
		return err
	}
	fmt.Printf("\ncharts written to %s\n", outDir)
	return nil
}

// split returns the training rows (i % 10 >= 3) and the held-out rows.
func split(t *score.Table) (train, test *score.Table, err error) {
	var tr, te [][]string
	for i := 0; i < t.Len(); i++ {
		if i%10 < 3 {
			te = append(te, t.Row(i))
		} else {
			tr = append(tr, t.Row(i))
		}
	}
	if train, err = score.NewTable(t.Header(), tr); err != nil {
		return nil, nil, err
	}
	test, err = score.NewTable(t.Header(), te)
	return train, test, err
}

func writeFile(path string, write func(*os.File) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
