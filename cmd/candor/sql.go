package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/candorscore/candor/explain"
	"github.com/candorscore/candor/score/sqlgen"
)

// runSQL writes the SELECT statement that scores a table with the model
// (score/sqlgen), or with --audit or --monitor the GROUP BY queries of a
// fairness audit or a stability check.
func runSQL(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("sql", stderr)
	modelPath := fs.String("model", "", "model file")
	dialect := fs.String("dialect", "postgres", "SQL dialect: postgres, duckdb, sqlite, bigquery or spark")
	table := fs.String("table", sqlgen.DefaultTable, "table (or parenthesised query) with the model's columns")
	keep := fs.String("keep", "", "comma-separated columns of the table to pass through first (an id)")
	nReasons := fs.Int("reasons", explain.DefaultMaxReasons, "reason codes per row (0: none; -1: all)")
	out := fs.String("out", "", "output file (default stdout)")
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
	m, _, err := loadAnyModel(*modelPath, nil)
	if err != nil {
		return err
	}
	opts := &sqlgen.Options{Dialect: d, Table: *table, NoReasons: *nReasons == 0}
	if *keep != "" {
		opts.Keep = strings.Split(*keep, ",")
	}
	if *nReasons != 0 {
		if opts.Explainer, err = explain.NewExplainer(m, &explain.Options{MaxReasons: *nReasons}); err != nil {
			return err
		}
	}
	q, err := sqlgen.Score(m, opts)
	if err != nil {
		return err
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
