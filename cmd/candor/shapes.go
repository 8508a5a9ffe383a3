package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/candorscore/candor/explain"
	"github.com/candorscore/candor/internal/report"
	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/chart"
)

// shapeTermJSON is one term of `candor shapes --format json`.
type shapeTermJSON struct {
	Term   string      `json:"term"`
	Kind   string      `json:"kind"`
	Units  string      `json:"units"`
	Points []pointJSON `json:"points"`
	// Rows and Columns label a pair term's table; Points are its cells row
	// by row.
	Rows    []string `json:"rows,omitempty"`
	Columns []string `json:"columns,omitempty"`
}

// runShapes prints each term's shape function, bin -> effect (a pair
// term as its table), and with --chart draws one term's shape
// (score/chart.Shape). It reads only the model file.
func runShapes(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("shapes", stderr)
	modelPath := fs.String("model", "", "model file")
	termName := fs.String("term", "", "only this term: a feature, or a pair as shown (\"a × b\", or a:b)")
	format := fs.String("format", "text", "text or json")
	chartPath := fs.String("chart", "", "draw the --term's shape to this .svg, .png or .pdf file")
	out := fs.String("out", "", "output file (default stdout)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *modelPath == "" {
		return fmt.Errorf("--model is required")
	}
	if *format != "text" && *format != "json" {
		return fmt.Errorf("--format must be text or json, got %q", *format)
	}
	m, _, err := loadAnyModel(*modelPath, nil)
	if err != nil {
		return err
	}
	e, err := explain.NewExplainer(m, nil)
	if err != nil {
		return err
	}
	want := strings.ReplaceAll(*termName, ":", explain.PairSeparator)
	var terms []int
	for j := range m.NumTerms() {
		if want == "" || e.TermName(j) == want {
			terms = append(terms, j)
		}
	}
	if len(terms) == 0 {
		var names []string
		for j := range m.NumTerms() {
			names = append(names, e.TermName(j))
		}
		msg := fmt.Sprintf("--term %q is not a term of the model", *termName)
		if near := score.CloseMatches(want, names); len(near) > 0 {
			msg += fmt.Sprintf(" (did you mean %q?)", near[0])
		}
		return errors.New(msg)
	}
	if *chartPath != "" {
		if len(terms) != 1 {
			return fmt.Errorf("--chart draws one term: name it with --term")
		}
		ext := strings.TrimPrefix(filepath.Ext(*chartPath), ".")
		var b bytes.Buffer
		if err := chart.Shape(&b, m, terms[0], ext); err != nil {
			return err
		}
		if err := os.WriteFile(*chartPath, b.Bytes(), 0o644); err != nil {
			return err
		}
	}
	w, closeFn, err := output(*out, stdout)
	if err != nil {
		return err
	}
	units := explain.Units(m)
	var all []shapeTermJSON
	for _, j := range terms {
		sh, err := e.Shape(j)
		if err != nil {
			closeFn()
			return err
		}
		t := m.Term(j)
		st := shapeTermJSON{Term: e.TermName(j), Kind: string(t.Kind), Units: units}
		for _, p := range sh {
			pj := pointJSON{Label: p.Label, Effect: p.Effect, Contribution: p.Contribution, Count: p.Count}
			st.Points = append(st.Points, pj)
		}
		if t.Kind == score.PairTerm {
			for _, b := range t.Bins {
				st.Rows = append(st.Rows, explain.BinLabel(b))
			}
			for _, b := range t.Pair.Bins {
				st.Columns = append(st.Columns, explain.BinLabel(b))
			}
		}
		all = append(all, st)
	}
	if *format == "json" {
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(all); err != nil {
			closeFn()
			return err
		}
		return closeFn()
	}
	for _, st := range all {
		fmt.Fprintf(w, "%s (%s term, %s)\n", st.Term, st.Kind, units)
		if st.Rows == nil {
			for _, p := range st.Points {
				fmt.Fprintf(w, "  %12.4f  %8.0f  %s\n", p.Effect, p.Count, p.Label)
			}
			continue
		}
		// A pair: one line per row bin, one column per column bin.
		fmt.Fprintf(w, "  %-18s", "")
		for _, c := range st.Columns {
			fmt.Fprintf(w, " %10s", report.Trunc(c, 10))
		}
		fmt.Fprintln(w)
		for r, rl := range st.Rows {
			fmt.Fprintf(w, "  %-18s", report.Trunc(rl, 18))
			for c := range st.Columns {
				fmt.Fprintf(w, " %10.3f", st.Points[r*len(st.Columns)+c].Effect)
			}
			fmt.Fprintln(w)
		}
	}
	return closeFn()
}
