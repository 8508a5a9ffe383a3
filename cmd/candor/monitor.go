package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/chart"
	"github.com/candorscore/candor/score/monitor"
)

func runMonitor(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("monitor", stderr)
	modelPath := fs.String("model", "", "model file (candor JSON, PMML or sklearn-logistic JSON)")
	basePath := fs.String("baseline", "", "baseline CSV (e.g. the training sample)")
	curPath := fs.String("current", "", "current CSV to compare with the baseline")
	delim := fs.String("delimiter", "", "field separator of both CSV files (default ',')")
	nonevent := fs.String("nonevent", "", "the target's other class (as the fit's --nonevent): labelled rows with any other value are skipped and counted; without it a file whose target holds two values besides the event is refused")
	format := fs.String("format", "text", "output format: text or json")
	chartPath := fs.String("chart", "", "also draw a PSI bar chart to this file (.svg, .png or .pdf)")
	bins := fs.Int("bins", 0, "quantile bins for the score and numeric inputs (default 10)")
	out := fs.String("out", "", "output file (default stdout)")
	workers := fs.Int("workers", 0, "cores that read and count rows (default all); both samples are streamed, in memory independent of their rows")
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
	if *workers < 0 {
		return fmt.Errorf("--workers must be 0 (all cores) or more, got %d", *workers)
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
	mopts := &monitor.Options{PSI: monitor.PSIOptions{Bins: *bins}, NonEvent: *nonevent}
	var samples [2]*monitor.Sample
	for k, f := range []struct{ flag, path string }{{"--baseline", *basePath}, {"--current", *curPath}} {
		if samples[k], err = monitorSample(ctx, m, f.flag, f.path, *delim, workerCount(*workers), mopts); err != nil {
			return err
		}
	}
	rep, err := monitor.Compare(ctx, samples[0], samples[1], mopts)
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

// monitorSample streams one sample (path, "-" for standard input) into a
// monitor.Sample on workers cores: each worker counts its blocks of rows
// into a Sample of its own, and they merge. A row that cannot be read or
// scored is counted, not fatal.
func monitorSample(ctx context.Context, m *score.Model, flagName, path, delim string, workers int, opts *monitor.Options) (*monitor.Sample, error) {
	in, err := openBlocks(path, delim)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", flagName, err)
	}
	defer in.Close()
	head, err := score.NewTable(in.Header(), nil)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", flagName, err)
	}
	if err := m.CheckTable(head); err != nil {
		return nil, fmt.Errorf("%s %s: %w", flagName, path, err)
	}
	if _, err := monitor.NewSample(m, in.Header(), opts, nil); err != nil {
		return nil, fmt.Errorf("%s %s: %w", flagName, path, err)
	}
	sinks, err := streamBlocks(ctx, in, workers, func() *monitorSink {
		s, _ := monitor.NewSample(m, in.Header(), opts, nil) // checked above
		return &monitorSink{s}
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", flagName, err)
	}
	all := sinks[0].s
	for _, k := range sinks[1:] {
		if err := all.Merge(k.s); err != nil {
			return nil, err
		}
	}
	return all, nil
}

// monitorSink is one worker's sample.
type monitorSink struct{ s *monitor.Sample }

func (k *monitorSink) row(_ int, cells []string) { k.s.Add(cells) }
func (k *monitorSink) bad(int, error)            { k.s.AddBad() }
