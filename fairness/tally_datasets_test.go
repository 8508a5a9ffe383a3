package fairness_test

import (
	"context"
	"encoding/json"
	"flag"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/examples/datasets"
	"github.com/candorscore/candor/fairness"
	"github.com/candorscore/candor/internal/crosscheck"
)

var updateInMemory = flag.Bool("update-inmemory", false, "rewrite testdata/inmemory/*.json from fairness.Audit")

// auditCase is one audit of a built-in data set: the favourable label,
// two group columns, a score made from a numeric column (scaled into
// [0, 1]) and a weight column.
type auditCase struct {
	name, dataset, label, favorable, scoreCol, weightCol string
	groups                                               [2]string
}

var auditCases = []auditCase{
	{"german_credit", "german_credit", "creditability", "good", "credit_amount", "duration_in_month", [2]string{"personal_status_and_sex", "foreign_worker"}},
	{"telco_churn", "telco_churn", "Churn", "No", "MonthlyCharges", "tenure", [2]string{"gender", "SeniorCitizen"}},
	{"bank_marketing", "bank_marketing", "y", "no", "duration", "campaign", [2]string{"marital", "education"}},
	{"adult", "adult", "income", ">50K", "hours_per_week", "fnlwgt", [2]string{"sex", "race"}},
}

// load builds the case's Data: scores are the score column over its
// maximum (so in [0, 1]); weights are the weight column plus one.
func (c auditCase) load(tb testing.TB, weighted bool) fairness.Data {
	tb.Helper()
	t, err := datasets.Load(c.dataset)
	require.NoError(tb, err)
	col := func(name string) int {
		j := t.Column(name)
		require.GreaterOrEqual(tb, j, 0, name)
		return j
	}
	lj, sj, wj := col(c.label), col(c.scoreCol), col(c.weightCol)
	gj := [2]int{col(c.groups[0]), col(c.groups[1])}
	var d fairness.Data
	d.Groups = []fairness.GroupColumn{{Name: c.groups[0]}, {Name: c.groups[1]}}
	top := 0.0
	for i := 0; i < t.Len(); i++ {
		x, err := strconv.ParseFloat(t.Cell(i, sj), 64)
		require.NoError(tb, err)
		top = math.Max(top, x)
		d.Scores = append(d.Scores, x)
		d.Labels = append(d.Labels, t.Cell(i, lj) == c.favorable)
		for g := range 2 {
			d.Groups[g].Values = append(d.Groups[g].Values, t.Cell(i, gj[g]))
		}
		if weighted {
			w, err := strconv.ParseFloat(t.Cell(i, wj), 64)
			require.NoError(tb, err)
			d.Weights = append(d.Weights, w+1)
		}
	}
	for i := range d.Scores {
		d.Scores[i] /= top
	}
	d.Threshold = 0.3
	return d
}

// inMemoryVariants are the audits compared: unweighted with a bootstrap
// (its multinomial draws depend on group counts only), weighted without.
var inMemoryVariants = []struct {
	suffix   string
	weighted bool
	opts     fairness.Options
}{
	{"", false, fairness.Options{Direction: fairness.HigherIsUnfavorable, Bootstrap: 200, Seed: 3}},
	{"_weighted", true, fairness.Options{Direction: fairness.HigherIsUnfavorable}},
}

// TestAuditMatchesInMemoryReference: the audit of every built-in data set
// equals the report the in-memory audit (before the accumulators) wrote
// to testdata/inmemory: counts, names and flags exactly, numbers within
// a relative 1e-12 (sums of non-integer weights and scores may add in
// another order).
func TestAuditMatchesInMemoryReference(t *testing.T) {
	for _, c := range auditCases {
		for _, v := range inMemoryVariants {
			t.Run(c.name+v.suffix, func(t *testing.T) {
				d := c.load(t, v.weighted)
				rep, err := fairness.Audit(context.Background(), d, &v.opts)
				require.NoError(t, err)
				got, err := json.MarshalIndent(rep, "", " ")
				require.NoError(t, err)
				path := filepath.Join("testdata", "inmemory", c.name+v.suffix+".json")
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
}

var _ = rand.New
