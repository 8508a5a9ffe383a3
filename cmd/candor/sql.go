package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/candorscore/candor/explain"
	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/monitor"
	"github.com/candorscore/candor/score/sqlgen"
)

// runSQL writes the SELECT statement that scores a table with the model
// (score/sqlgen); with --audit the GROUP BY query of the confusion counts
// per group that candor audit --model starts from; with --monitor the
// GROUP BY query that counts the table's rows by bin of the baseline's
// score quantiles (the current side of candor monitor's score PSI).
func runSQL(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("sql", stderr)
	modelPath := fs.String("model", "", "model file")
	dialect := fs.String("dialect", "postgres", "SQL dialect: postgres, duckdb, sqlite, bigquery or spark")
	table := fs.String("table", sqlgen.DefaultTable, "table (or parenthesised query) with the model's columns")
	keep := fs.String("keep", "", "comma-separated columns of the table to pass through first (an id)")
	nReasons := fs.Int("reasons", explain.DefaultMaxReasons, "reason codes per row (0: none; -1: all)")
	out := fs.String("out", "", "output file (default stdout)")
	monitorMode := fs.Bool("monitor", false, "write the score PSI's GROUP BY query instead: the table's rows counted by bin of --baseline's score deciles")
	baselinePath := fs.String("baseline", "", "with --monitor: baseline CSV whose score quantiles cut the bins")
	bins := fs.Int("bins", 10, "with --monitor: quantile bins of the baseline's scores")
	delim := fs.String("delimiter", "", "with --monitor: field separator of --baseline (default ',')")
	auditMode := fs.Bool("audit", false, "write the fairness audit's GROUP BY query instead: confusion counts per group of the model's decisions")
	label := fs.String("label", "", "with --audit: the observed-outcome column")
	favorable := fs.String("favorable", "", "with --audit: the label value that is the favourable outcome")
	groups := fs.String("group", "", "with --audit: comma-separated protected-attribute columns (their intersection)")
	threshold := fs.Float64("threshold", 0, "with --audit: event probability at or above which the decision is adverse (default the model's cutoff)")
	var bands repeated
	fs.Var(&bands, "bands", "with --audit: band a numeric group column, COLUMN=E1,E2,... as candor audit --bands (repeatable)")
	mflags := addModelFlags(fs) // --verify-key, --min-version
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *modelPath == "" {
		return fmt.Errorf("--model is required")
	}
	if *nReasons < explain.AllReasons {
		return fmt.Errorf("--reasons must be 0 or more, or -1 for all")
	}
	d, err := sqlgen.ParseDialect(*dialect)
	if err != nil {
		return err
	}
	m, err := mflags.loadModel(*modelPath)
	if err != nil {
		return err
	}
	opts := &sqlgen.Options{Dialect: d, Table: *table, NoReasons: *nReasons == 0}
	if *keep != "" {
		opts.Keep = strings.Split(*keep, ",")
	}
	var q string
	switch {
	case *auditMode && *monitorMode:
		return fmt.Errorf("--audit and --monitor write different queries: give one")
	case *auditMode:
		if *label == "" || *favorable == "" || *groups == "" {
			return fmt.Errorf("--audit needs --label, --favorable and --group")
		}
		if opts.Bands, err = parseBands(bands); err != nil {
			return err
		}
		if q, err = sqlgen.AuditCounts(m, *label, *favorable, strings.Split(*groups, ","), score.Probability(*threshold), opts); err != nil {
			return err
		}
	case len(bands) > 0:
		return fmt.Errorf("--bands needs --audit")
	case *monitorMode:
		if *baselinePath == "" {
			return fmt.Errorf("--monitor needs --baseline")
		}
		if *bins < 2 {
			return fmt.Errorf("--bins must be 2 or more")
		}
		base, err := readTable(*baselinePath, *delim)
		if err != nil {
			return err
		}
		var scores []float64
		for _, r := range m.ScoreTable(nil, base, nil) {
			if r.Err == nil {
				scores = append(scores, r.Result.Score)
			}
		}
		if len(scores) == 0 {
			return fmt.Errorf("no row of %s could be scored", *baselinePath)
		}
		if q, err = sqlgen.ScoreBins(m, monitor.QuantileCuts(scores, *bins), opts); err != nil {
			return err
		}
	default:
		if *nReasons != 0 {
			if opts.Explainer, err = explain.NewExplainer(m, &explain.Options{MaxReasons: *nReasons}); err != nil {
				return err
			}
		}
		if q, err = sqlgen.Score(m, opts); err != nil {
			return err
		}
	}
	w, closeFn, err := output(*out, stdout)
	if err != nil {
		return err
	}
	if _, err := io.WriteString(w, q+";\n"); err != nil {
		closeFn()
		return err
	}
	return closeFn()
}
