package monitor_test

import (
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/examples/datasets"
	"github.com/candorscore/candor/internal/crosscheck"
	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/fit"
	"github.com/candorscore/candor/score/monitor"
)

var updateInMemory = flag.Bool("update-inmemory", false, "refit the models and rewrite testdata/inmemory from monitor.Run")

// monitorCase is one model of a built-in data set, monitored with the
// rows i%3 != 0 as the baseline and i%3 == 0 as the current sample.
type monitorCase struct {
	name, dataset, kind, target, event string
	exclude                            []string
}

var monitorCases = []monitorCase{
	{"german_credit_logistic", "german_credit", "logistic", "creditability", "bad", nil},
	{"german_credit_scorecard", "german_credit", "scorecard", "creditability", "bad", nil},
	{"german_credit_linear", "german_credit", "linear", "credit_amount", "", []string{"creditability"}},
	{"telco_churn_scorecard", "telco_churn", "scorecard", "Churn", "Yes", []string{"customerID", "TotalCharges"}},
	{"bank_marketing_logistic", "bank_marketing", "logistic", "y", "yes", []string{"duration"}},
	{"adult_scorecard", "adult", "scorecard", "income", ">50K", []string{"split", "fnlwgt"}},
}

// split returns the baseline (i%3 != 0) and current (i%3 == 0) rows.
func (c monitorCase) split(t testing.TB) (base, cur *score.Table) {
	tab, err := datasets.Load(c.dataset)
	require.NoError(t, err)
	var b, k [][]string
	for i := 0; i < tab.Len(); i++ {
		if i%3 == 0 {
			k = append(k, tab.Row(i))
		} else {
			b = append(b, tab.Row(i))
		}
	}
	base, err = score.NewTable(tab.Header(), b)
	require.NoError(t, err)
	cur, err = score.NewTable(tab.Header(), k)
	require.NoError(t, err)
	return base, cur
}

// fitModel fits the case's model on the baseline (only with -update-inmemory).
func (c monitorCase) fitModel(t testing.TB, base *score.Table) *score.Model {
	s := base.InferSchema()
	s, err := s.WithRoles(score.Ignored, append([]string{c.target}, c.exclude...)...)
	require.NoError(t, err)
	ctx := context.Background()
	switch c.kind {
	case "logistic":
		f, err := fit.Logistic(ctx, base, s, c.target, c.event, nil)
		require.NoError(t, err)
		return f.Model
	case "scorecard":
		f, err := fit.Scorecard(ctx, base, s, c.target, c.event, nil)
		require.NoError(t, err)
		return f.Model
	}
	f, err := fit.Linear(ctx, base, s, c.target, nil)
	require.NoError(t, err)
	return f.Model
}

// TestRunMatchesInMemoryReference: monitoring every built-in data set
// equals the report the in-memory monitor (before the accumulators) wrote
// to testdata/inmemory: counts, bins and labels exactly, numbers within a
// relative 1e-12 (sums of probabilities in another order).
func TestRunMatchesInMemoryReference(t *testing.T) {
	for _, c := range monitorCases {
		t.Run(c.name, func(t *testing.T) {
			base, cur := c.split(t)
			modelPath := filepath.Join("testdata", "inmemory", c.name+".model.json")
			if *updateInMemory {
				require.NoError(t, c.fitModel(t, base).SaveFile(modelPath))
			}
			m, err := score.LoadFile(modelPath)
			require.NoError(t, err)
			rep, err := monitor.Run(context.Background(), m, base, cur, nil)
			require.NoError(t, err)
			got, err := json.MarshalIndent(rep, "", " ")
			require.NoError(t, err)
			path := filepath.Join("testdata", "inmemory", c.name+".json")
			if *updateInMemory {
				require.NoError(t, os.WriteFile(path, append(got, '\n'), 0o644))
				return
			}
			want, err := os.ReadFile(path)
			require.NoError(t, err)
			crosscheck.RequireJSONClose(t, want, got, 1e-12)
		})
	}
}
