package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math"
	"slices"
	"sort"

	"github.com/candorscore/candor/examples/datasets"
	"github.com/candorscore/candor/explain"
	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/fit"
)

// demoSteps are the stages of `candor demo` after the logistic fit; later
// capabilities (scorecards, explanations, recourse, audits) append to it.
var demoSteps = []func(ctx context.Context, env *demoEnv) error{demoScorecard, demoExplain, demoRecourse, demoCheck, demoAudit, demoDecisions}

// demoEnv is what the demo's stages share.
type demoEnv struct {
	out    io.Writer
	table  *score.Table
	schema *score.Schema
	model  *score.Model // the logistic model
	// scorecard is the German credit points scorecard, set by the
	// scorecard stage (demoScorecard).
	scorecard *score.Model
	// catalog holds the customer words: the built-in sentences and German
	// credit's catalogue of labels (examples/datasets/features).
	catalog *explain.Catalog
}

func runDemo(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("demo", stderr)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	t, err := datasets.Load(datasets.GermanCredit)
	if err != nil {
		return err
	}
	s, err := t.InferSchema().WithRoles(score.Ignored, "creditability")
	if err != nil {
		return err
	}
	s, err = s.WithRoles(score.Protected, "personal_status_and_sex", "age_in_years", "foreign_worker")
	if err != nil {
		return err
	}
	decl, err := datasets.Features(datasets.GermanCredit)
	if err != nil {
		return err
	}
	if s, err = decl.Apply(s); err != nil {
		return err
	}
	cat, err := demoCatalog()
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, "candor demo: German credit (UCI Statlog, 1000 applicants; event = bad credit)")
	fmt.Fprintln(stdout, "protected, never inputs: personal_status_and_sex, age_in_years, foreign_worker")
	fmt.Fprintln(stdout, "features file examples/datasets/features/german_credit.json: labels, units and what an applicant may change")
	fmt.Fprintln(stdout, "  (a shorter or smaller loan, more savings, a better-funded checking account, a guarantor); every other input is immutable")
	fitted, err := fit.Logistic(ctx, t, s, "creditability", "bad", &fit.LogisticOptions{Name: "german-credit-logistic"})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "\nlogistic regression: %d rows, %d columns, %d iterations, log-likelihood %.4f, training AUC %.4f\n",
		fitted.Rows, len(fitted.Coefficients), fitted.Iterations, fitted.LogLik, fitted.AUC)
	fmt.Fprintf(stdout, "model fingerprint %s\n", fitted.Model.Fingerprint())
	env := &demoEnv{out: stdout, table: t, schema: s, model: fitted.Model, catalog: cat}
	if err := demoTopTerms(env, []int{0, 1, 4}); err != nil {
		return err
	}
	for _, step := range demoSteps {
		if err := step(ctx, env); err != nil {
			return err
		}
	}
	return nil
}

// demoCatalog is the demo's catalogue: the built-in sentences, the words
// of counterfactual sentences, and German credit's labels in English and
// German.
func demoCatalog() (*explain.Catalog, error) {
	b, err := datasets.Messages(datasets.GermanCredit)
	if err != nil {
		return nil, err
	}
	msgs, err := explain.ReadMessages(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	return explain.DefaultCatalog().With(append(slices.Clone(explain.RecourseMessages), msgs...)...)
}

// demoTopTerms prints, for a few applicants, the probability and the three
// terms that raise the risk most against the population average.
func demoTopTerms(env *demoEnv, rows []int) error {
	m := env.model
	terms := make([]float64, m.NumTerms())
	for _, i := range rows {
		rec, err := env.table.Record(m.Schema(), i)
		if err != nil {
			return err
		}
		res, err := m.ScoreTerms(rec, terms)
		if err != nil {
			return err
		}
		type te struct {
			name string
			eff  float64
		}
		var ts []te
		for j := range terms {
			ts = append(ts, te{m.Term(j).Feature, terms[j] - m.Term(j).Baseline})
		}
		sort.SliceStable(ts, func(a, b int) bool {
			if ts[a].eff != ts[b].eff {
				return ts[a].eff > ts[b].eff
			}
			return ts[a].name < ts[b].name
		})
		fmt.Fprintf(env.out, "\napplicant %d: probability of bad credit %.3f (log-odds %+.3f)\n", i+1, res.Probability, res.LogOdds)
		for _, x := range ts[:int(math.Min(3, float64(len(ts))))] {
			v := rec[m.Schema().Index(x.name)]
			fmt.Fprintf(env.out, "  %+.3f log-odds  %s = %s\n", x.eff, x.name, v)
		}
	}
	return nil
}
