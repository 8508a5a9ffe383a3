package fit_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/candorscore/candor/examples/datasets"
	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/fit"
	"github.com/candorscore/candor/score/monitor"
	"github.com/stretchr/testify/require"
)

// boostedCase is one acceptance data set of the boosted model: the inputs
// match testdata/boosted_sklearn.py's.
type boostedCase struct {
	name, target, event string
	exclude, protected  []string
	fill                map[string]float64 // for the logistic comparison only
	// long cases (tens of thousands of rows) run only with CANDOR_LONG=1.
	long bool
	// l2 penalises the logistic comparison (Adult's rare levels separate
	// the classes, so its unpenalised fit does not exist).
	l2 float64
	// mainsShort and pairsShort name the targets the main-effects
	// model and the model with InterpretML's default pairs miss under the
	// defaults, as measured and reported in the README ("hgb": more than
	// 0.005 below HistGradientBoosting; "logistic", "scorecard": below
	// that model's held-out AUC). A listed target is asserted missed, so
	// the list and the README cannot go stale; the others are asserted met.
	mainsShort, pairsShort []string
}

var boostedCases = []boostedCase{
	{name: datasets.GermanCredit, target: "creditability", event: "bad", pairsShort: []string{"scorecard"}},
	// Telco's 11 blank TotalCharges are all customers of tenure 0.
	{name: datasets.TelcoChurn, target: "Churn", event: "Yes", exclude: []string{"customerID"}, fill: map[string]float64{"TotalCharges": 0}},
	{name: datasets.BankMarketing, target: "y", event: "yes", exclude: []string{"duration"}, long: true, mainsShort: []string{"hgb"}},
	{name: datasets.Adult, target: "income", event: ">50K", exclude: []string{"split"}, protected: []string{"race", "sex"}, long: true, l2: 1},
}

// boostedData loads a case: the schema (inferred from the whole file) and
// the train/test split (Adult by its split column, the others by row
// i % 10 < 3 as test).
func boostedData(t testing.TB, c boostedCase) (s *score.Schema, train, test *score.Table) {
	t.Helper()
	full, s, err := datasets.LoadSchema(c.name, c.protected...)
	require.NoError(t, err)
	s, err = s.WithRoles(score.Ignored, c.exclude...)
	require.NoError(t, err)
	if c.name != datasets.Adult {
		train, test = splitTable(t, full)
		return s, train, test
	}
	var tr, te [][]string
	col := full.Column("split")
	for i := 0; i < full.Len(); i++ {
		if full.Cell(i, col) == "test" {
			te = append(te, full.Row(i))
		} else {
			tr = append(tr, full.Row(i))
		}
	}
	train, err = score.NewTable(full.Header(), tr)
	require.NoError(t, err)
	test, err = score.NewTable(full.Header(), te)
	require.NoError(t, err)
	return s, train, test
}

// sklearnAUC reads the committed HistGradientBoostingClassifier figures
// (testdata/boosted_sklearn.py made them): default settings, and
// restricted to main effects.
func sklearnAUC(t testing.TB) (hgb, mainEffects map[string]float64) {
	t.Helper()
	b, err := os.ReadFile("testdata/boosted_sklearn.json")
	require.NoError(t, err)
	var ref struct {
		AUC            map[string]float64 `json:"auc"`
		NoInteractions map[string]float64 `json:"auc_no_interactions"`
	}
	require.NoError(t, json.Unmarshal(b, &ref))
	return ref.AUC, ref.NoInteractions
}

// boostedTargets checks one held-out AUC against the targets:
// within 0.005 of scikit-learn's HistGradientBoostingClassifier (default
// settings, same inputs and split) or better, and at least candor's
// logistic regression's and scorecard's on the same split. A target named
// in short is asserted missed instead (a shortfall the README reports).
func boostedTargets(t *testing.T, label string, auc float64, targets map[string]float64, short []string) {
	t.Helper()
	for _, name := range []string{"hgb", "logistic", "scorecard"} {
		bar := targets[name]
		if name == "hgb" {
			bar -= 0.005
		}
		if slices.Contains(short, name) {
			t.Logf("%s: %.4f misses %s (%.4f) by %.4f, as the README reports", label, auc, name, targets[name], bar-auc)
			require.Less(t, auc, bar, "%s: the recorded shortfall against %s is gone: update the README and the case", label, name)
			continue
		}
		require.GreaterOrEqual(t, auc, bar, "%s: against %s", label, name)
	}
}

// boostedBaselines fits the logistic model and the scorecard of case c
// and returns the targets (with HGB's AUC from the committed figures).
func boostedBaselines(t *testing.T, c boostedCase, s *score.Schema, train, test *score.Table) map[string]float64 {
	t.Helper()
	ref, _ := sklearnAUC(t)
	lf, err := fit.Logistic(context.Background(), train, s, c.target, c.event, &fit.LogisticOptions{Fill: c.fill, L2: c.l2})
	require.NoError(t, err)
	lperf, err := monitor.Assess(lf.Model, test, c.target, c.event)
	require.NoError(t, err)
	sf, err := fit.Scorecard(context.Background(), train, s, c.target, c.event, nil)
	require.NoError(t, err)
	sperf, err := monitor.Assess(sf.Model, test, c.target, c.event)
	require.NoError(t, err)
	return map[string]float64{"hgb": ref[c.name], "logistic": lperf.AUC, "scorecard": sperf.AUC}
}

// TestBoostedAcceptance: on each data set the main-effects model under the
// defaults (InterpretML's EBM method and defaults, no pairs) meets the
// issue's targets (boostedTargets), but for the shortfalls each case
// records. It runs with CANDOR_LONG=1 only (the acceptance measurement;
// minutes under -race).
func TestBoostedAcceptance(t *testing.T) {
	if os.Getenv("CANDOR_LONG") == "" {
		t.Skip("fits the acceptance data sets: set CANDOR_LONG=1")
	}
	_, mainRef := sklearnAUC(t)
	for _, c := range boostedCases {
		t.Run(c.name, func(t *testing.T) {
			s, train, test := boostedData(t, c)
			start, cpu := time.Now(), processCPU()
			bf, err := fit.Boosted(context.Background(), train, s, c.target, c.event, nil)
			require.NoError(t, err)
			took, cpuTook := time.Since(start), processCPU()-cpu
			perf, err := monitor.Assess(bf.Model, test, c.target, c.event)
			require.NoError(t, err)
			targets := boostedBaselines(t, c, s, train, test)
			t.Logf("%s: main effects %.4f (rounds %v, %v wall, %v CPU); sklearn HGB %.4f, HGB main effects only %.4f, logistic %.4f, scorecard %.4f",
				c.name, perf.AUC, bf.Rounds, took.Round(time.Millisecond), cpuTook.Round(time.Millisecond), targets["hgb"], mainRef[c.name], targets["logistic"], targets["scorecard"])
			boostedTargets(t, c.name+" main effects", perf.AUC, targets, c.mainsShort)
		})
	}
}

// TestBoostedDeterministic: two fits with one seed give byte-identical
// model files, on one core and on all cores.
func TestBoostedDeterministic(t *testing.T) {
	s, train, _ := boostedData(t, boostedCases[0])
	save := func(procs int) []byte {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		bf, err := fit.Boosted(context.Background(), train, s, "creditability", "bad", nil)
		require.NoError(t, err)
		var b bytes.Buffer
		require.NoError(t, bf.Model.Save(&b))
		return b.Bytes()
	}
	one := save(1)
	require.Equal(t, one, save(1))
	require.Equal(t, one, save(runtime.NumCPU()))
	seed := uint64(7)
	other, err := fit.Boosted(context.Background(), train, s, "creditability", "bad", &fit.BoostedOptions{Seed: &seed})
	require.NoError(t, err)
	var b bytes.Buffer
	require.NoError(t, other.Model.Save(&b))
	require.NotEqual(t, one, b.Bytes(), "another seed draws other validation splits")
}

// TestBoostedAddsUp: base points plus the terms equal the score to 1e-12
// on held-out rows, and the probability follows the scaling.
func TestBoostedAddsUp(t *testing.T) {
	s, train, test := boostedData(t, boostedCases[0])
	bf, err := fit.Boosted(context.Background(), train, s, "creditability", "bad", nil)
	require.NoError(t, err)
	m := bf.Model
	require.Equal(t, score.ScorecardModel, m.Kind())
	terms := make([]float64, m.NumTerms())
	for i := 0; i < test.Len(); i++ {
		rec, err := test.Record(m.Schema(), i)
		require.NoError(t, err)
		r, err := m.ScoreTerms(rec, terms)
		require.NoError(t, err)
		sum := m.Intercept()
		for _, e := range terms {
			sum += e
		}
		require.InDelta(t, r.Score, sum, 1e-12)
	}
}

// TestBoostedMonotone: a declared trend gives a monotone shape.
func TestBoostedMonotone(t *testing.T) {
	s, train, _ := boostedData(t, boostedCases[0])
	bf, err := fit.Boosted(context.Background(), train, s, "creditability", "bad", &fit.BoostedOptions{
		Trends: map[string]fit.Trend{"duration_in_month": fit.TrendAscending, "age_in_years": fit.TrendDescending}})
	require.NoError(t, err)
	for feature, dir := range map[string]float64{"duration_in_month": 1, "age_in_years": -1} {
		term := bf.Model.Term(bf.Model.TermOf(feature))
		var pts []float64
		for _, b := range term.Bins {
			if b.Kind == score.RangeBin {
				pts = append(pts, b.Effect)
			}
		}
		require.Greater(t, len(pts), 1, feature)
		for k := 1; k < len(pts); k++ {
			// ascending event rate: points never rise
			require.LessOrEqual(t, dir*(pts[k]-pts[k-1]), 0.0, "%s bin %d", feature, k)
		}
	}
	_, err = fit.Boosted(context.Background(), train, s, "creditability", "bad", &fit.BoostedOptions{
		Trends: map[string]fit.Trend{"purpose": fit.TrendAscending}})
	require.ErrorIs(t, err, score.ErrWrongKind)
}
