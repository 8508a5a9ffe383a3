package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/modelfile"
	"github.com/candorscore/candor/score/pmml"
)

// loadAnyModel reads a model file in any format candor reads (detected
// from its content by package modelfile).
func loadAnyModel(path string, opts *modelfile.Options) (*score.Model, modelfile.Format, error) {
	if path == "" {
		return nil, "", fmt.Errorf("--model is required")
	}
	return modelfile.ReadFile(path, opts)
}

// pmmlScalingFlags adds the flags that give an imported PMML scorecard its
// points scaling (PMML has no element for it).
func pmmlScalingFlags(fs *flag.FlagSet, base, odds, pdo *float64) {
	fs.Float64Var(base, "base-points", 0, "PMML scorecards without candor metadata: points at the base odds (default 600)")
	fs.Float64Var(odds, "base-odds", 0, "PMML scorecards without candor metadata: non-event:event odds at the base points (default 19)")
	fs.Float64Var(pdo, "pdo", 0, "PMML scorecards without candor metadata: points to double the odds (default 50)")
}

func pmmlOptions(base, odds, pdo float64) *modelfile.Options {
	sc := score.NewScaling(base, odds, pdo)
	return &modelfile.Options{PMML: &pmml.Options{Scaling: &sc}}
}

func runConvert(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("convert", stderr)
	modelPath := fs.String("model", "", "model file: candor JSON, PMML 4.x (Scorecard, RegressionModel) or sklearn-logistic JSON (detected)")
	to := fs.String("to", "", "output format: pmml or json")
	out := fs.String("out", "", "output file (default stdout)")
	reasons := fs.Int("reason-codes", 0, "--to pmml: reason-code output fields of a scorecard (default 4)")
	noMeta := fs.Bool("no-metadata", false, "--to pmml: leave out candor's metadata extension")
	var base, odds, pdo float64
	pmmlScalingFlags(fs, &base, &odds, &pdo)
	mflags := addModelFlags(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *to != string(modelfile.PMML) && *to != string(modelfile.Candor) {
		return fmt.Errorf("--to must be pmml or json, got %q", *to)
	}
	if *reasons < 0 {
		return fmt.Errorf("--reason-codes must be 0 or more")
	}
	m, from, err := mflags.load(*modelPath, pmmlOptions(base, odds, pdo))
	if err != nil {
		return err
	}
	// The whole file is made before --out is opened, so a model the
	// format cannot hold leaves the file there untouched (or absent).
	var doc bytes.Buffer
	if *to == string(modelfile.PMML) {
		err = pmml.Write(&doc, m, &pmml.Options{ReasonCodes: *reasons, NoMetadata: *noMeta})
	} else {
		err = m.Save(&doc)
	}
	if err != nil {
		return err
	}
	w, closeFn, err := output(*out, stdout)
	if err != nil {
		return err
	}
	if _, err := doc.WriteTo(w); err != nil {
		closeFn()
		return err
	}
	if err := closeFn(); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "candor convert: %s model %q (%d terms) from %s to %s; fingerprint %s\n",
		m.Kind(), m.Name(), m.NumTerms(), from, *to, strings.TrimPrefix(m.Fingerprint(), "sha256:")[:12])
	fmt.Fprintf(stderr, "candor convert: %s\n", sealNote(from, *mflags.verifyKey != ""))
	return nil
}

// sealNote says what vouches for a converted model: nothing, whatever the
// input. A fingerprint is a checksum anyone can recompute after an edit,
// not a seal; PMML and sklearn files carry no signature at all; and the
// output of convert is never signed (a signature covers one file's
// content), so it is to be signed again with candor sign.
func sealNote(from modelfile.Format, verified bool) string {
	switch {
	case from != modelfile.Candor:
		return fmt.Sprintf("unsealed: a %s file carries no signature, so nothing shows who made this model or that it was not edited; the output is unsigned (review it, then candor sign it)", from)
	case verified:
		return "the input's signature was verified; the output is unsealed (unsigned): candor sign it again"
	}
	return "unsealed: the input was not verified (give --verify-key) and the output is unsigned; a fingerprint is a checksum anyone can recompute after an edit, not a seal"
}
