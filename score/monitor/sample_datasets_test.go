package monitor_test

import (
	"context"
	"encoding/json"
	"flag"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/examples/datasets"
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
			requireJSONClose(t, want, got, 1e-12)
		})
	}
}

// requireJSONClose compares two JSON documents: the same structure,
// strings, booleans and nulls, and numbers within rel (relative to the
// larger magnitude, absolute below 1).
func requireJSONClose(t *testing.T, want, got []byte, rel float64) {
	t.Helper()
	var w, g any
	require.NoError(t, json.Unmarshal(want, &w))
	require.NoError(t, json.Unmarshal(got, &g))
	jsonClose(t, "$", w, g, rel)
}

func jsonClose(t *testing.T, path string, w, g any, rel float64) {
	t.Helper()
	switch wv := w.(type) {
	case map[string]any:
		gv, ok := g.(map[string]any)
		require.True(t, ok, "%s: want an object, got %v", path, g)
		require.Len(t, gv, len(wv), "%s: keys", path)
		for k, x := range wv {
			y, ok := gv[k]
			require.True(t, ok, "%s.%s missing", path, k)
			jsonClose(t, path+"."+k, x, y, rel)
		}
	case []any:
		gv, ok := g.([]any)
		require.True(t, ok, "%s: want an array, got %v", path, g)
		require.Len(t, gv, len(wv), "%s: length", path)
		for i := range wv {
			jsonClose(t, path+"["+strconv.Itoa(i)+"]", wv[i], gv[i], rel)
		}
	case float64:
		gv, ok := g.(float64)
		require.True(t, ok, "%s: want a number, got %v", path, g)
		require.InDelta(t, wv, gv, rel*math.Max(1, math.Max(math.Abs(wv), math.Abs(gv))), path)
	default:
		require.Equal(t, w, g, path)
	}
}
