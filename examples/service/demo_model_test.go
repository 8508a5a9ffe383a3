package main

import (
	"bytes"
	"context"
	"os"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/examples/datasets"
	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/fit"
)

// fitDemoModel fits a logistic model on German credit with consent and
// sensitivity metadata and the data set's features file.
func fitDemoModel(ctx context.Context) (*score.Model, error) {
	t, err := datasets.Load(datasets.GermanCredit)
	if err != nil {
		return nil, err
	}
	fs := t.InferSchema().Features()
	for i := range fs {
		switch fs[i].Name {
		case "creditability":
			fs[i].Role = score.Ignored
		case "personal_status_and_sex", "age_in_years", "foreign_worker":
			fs[i].Role = score.Protected
		case "telephone":
			fs[i].DataCategory, fs[i].Consent, fs[i].Description = "contact", []string{"credit"}, "telephone registration"
		case "credit_amount":
			fs[i].DataCategory, fs[i].Sensitive, fs[i].Description = "financial", true, "credit amount"
		}
	}
	s, err := score.NewSchema(fs...)
	if err != nil {
		return nil, err
	}
	// The features file: labels, units and what an applicant may change
	// (the service's reasons carry advice only on those).
	decl, err := datasets.Features(datasets.GermanCredit)
	if err != nil {
		return nil, err
	}
	if s, err = decl.Apply(s); err != nil {
		return nil, err
	}
	fitted, err := fit.Logistic(ctx, t, s, "creditability", "bad", &fit.LogisticOptions{Name: "german-credit-service", Version: "1"})
	if err != nil {
		return nil, err
	}
	return fitted.Model, nil
}

// TestEmbeddedModelIsTheFit refits the demo model and compares it with the
// embedded german_model.json byte for byte (CANDOR_UPDATE_GOLDEN=1 rewrites
// the file).
func TestEmbeddedModelIsTheFit(t *testing.T) {
	m, err := fitDemoModel(context.Background())
	require.NoError(t, err)
	var buf bytes.Buffer
	require.NoError(t, m.Save(&buf))
	if os.Getenv("CANDOR_UPDATE_GOLDEN") == "1" {
		require.NoError(t, os.WriteFile("german_model.json", buf.Bytes(), 0o644))
	}
	require.Equal(t, buf.String(), string(demoModelJSON), "german_model.json is stale: rerun with CANDOR_UPDATE_GOLDEN=1")
	emb, err := demoModel()
	require.NoError(t, err)
	require.Equal(t, m.Fingerprint(), emb.Fingerprint())
}
