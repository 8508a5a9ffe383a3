package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/candorscore/candor/score/chart"
	"github.com/candorscore/candor/score/monitor"
)

func runMonitor(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("monitor", stderr)
	modelPath := fs.String("model", "", "model file (candor JSON, PMML or sklearn-logistic JSON)")
	basePath := fs.String("baseline", "", "baseline CSV (e.g. the training sample)")
	curPath := fs.String("current", "", "current CSV to compare with the baseline")
	delim := fs.String("delimiter", "", "field separator of both CSV files (default ',')")
	format := fs.String("format", "text", "output format: text or json")
	chartPath := fs.String("chart", "", "also draw a PSI bar chart to this file (.svg, .png or .pdf)")
	bins := fs.Int("bins", 0, "quantile bins for the score and numeric inputs (default 10)")
	out := fs.String("out", "", "output file (default stdout)")
	featuresPath := featuresFlag(fs)
	var base, odds, pdo float64
	pmmlScalingFlags(fs, &base, &odds, &pdo)
	mflags := addModelFlags(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *format != "text" && *format != "json" {
		return fmt.Errorf("--format must be text or json, got %q", *format)
	}
	if *bins < 0 || *bins == 1 {
		return fmt.Errorf("--bins must be 2 or more")
	}
	chartFormat := ""
	if *chartPath != "" {
		chartFormat = strings.TrimPrefix(strings.ToLower(filepath.Ext(*chartPath)), ".")
		if chartFormat != "svg" && chartFormat != "png" && chartFormat != "pdf" {
			return fmt.Errorf("--chart must end in .svg, .png or .pdf, got %q", *chartPath)
		}
	}
	if *basePath == "" || *curPath == "" {
		return fmt.Errorf("--baseline and --current are required")
	}
	m, _, err := mflags.load(*modelPath, pmmlOptions(base, odds, pdo))
	if err != nil {
		return err
	}
	if m, err = withFeatures(m, *featuresPath); err != nil {
		return err
	}
	bt, err := readTable(*basePath, *delim)
	if err != nil {
		return fmt.Errorf("--baseline: %w", err)
	}
	ct, err := readTable(*curPath, *delim)
	if err != nil {
		return fmt.Errorf("--current: %w", err)
	}
	if err := m.CheckTable(bt); err != nil {
		return fmt.Errorf("--baseline %s: %w", *basePath, err)
	}
	if err := m.CheckTable(ct); err != nil {
		return fmt.Errorf("--current %s: %w", *curPath, err)
	}
	rep, err := monitor.Run(ctx, m, bt, ct, &monitor.Options{PSI: monitor.PSIOptions{Bins: *bins}})
	if err != nil {
		return err
	}
	w, closeFn, err := output(*out, stdout)
	if err != nil {
		return err
	}
	if *format == "json" {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		err = enc.Encode(rep)
	} else {
		err = rep.WriteText(w)
	}
	if err != nil {
		closeFn()
		return err
	}
	if err := closeFn(); err != nil {
		return err
	}
	if *chartPath != "" {
		cw, cclose, err := output(*chartPath, stdout)
		if err != nil {
			return err
		}
		if err := chart.PSI(cw, rep, chartFormat); err != nil {
			cclose()
			return err
		}
		if err := cclose(); err != nil {
			return err
		}
	}
	act := 0
	for _, f := range rep.Features {
		if f.Band == monitor.Act {
			act++
		}
	}
	fmt.Fprintf(stderr, "candor monitor: score PSI %.4f (%s); %d of %d inputs need action; %d baseline and %d current rows not scored\n",
		rep.ScorePSI, rep.ScoreBand, act, len(rep.Features), rep.BaselineErrors, rep.CurrentErrors)
	return nil
}
