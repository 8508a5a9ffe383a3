package fit_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"runtime"
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
	// beatsLinear says the boosted model is held to at least the logistic
	// and scorecard AUC; false records a shortfall measured and reported
	// (German credit: 700 training rows, where the coarse monotone
	// scorecard generalises better; Telco churn under the defaults taken
	// from HistGradientBoosting: 0.8380 against the logistic's 0.8458, as
	// the README reports).
	beatsLinear bool
	// long cases (tens of thousands of rows) run only with CANDOR_LONG=1.
	long bool
	// interactions says HGB's lead comes from interactions a main-effects
	// model cannot hold (Bank marketing: HGB 0.7974, HGB restricted to
	// main effects 0.7671): the boosted model is held within 0.005 of the
	// restricted HGB instead, and the gap to HGB is logged.
	interactions bool
	// l2 penalises the logistic comparison (Adult's rare levels separate
	// the classes, so its unpenalised fit does not exist).
	l2 float64
}

var boostedCases = []boostedCase{
	{name: datasets.GermanCredit, target: "creditability", event: "bad"},
	// Telco's 11 blank TotalCharges are all customers of tenure 0.
	{name: datasets.TelcoChurn, target: "Churn", event: "Yes", exclude: []string{"customerID"}, fill: map[string]float64{"TotalCharges": 0}},
	{name: datasets.BankMarketing, target: "y", event: "yes", exclude: []string{"duration"}, beatsLinear: true, long: true, interactions: true},
	{name: datasets.Adult, target: "income", event: ">50K", exclude: []string{"split"}, protected: []string{"race", "sex"}, beatsLinear: true, long: true, l2: 1},
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

// TestBoostedAcceptance: on each data set the boosted model's held-out AUC
// is within 0.005 of scikit-learn's HistGradientBoostingClassifier
// (default settings, same inputs and split), or, where HGB's lead is its
// interactions (Bank marketing), within 0.005 of HGB restricted to main
// effects, and at least candor's logistic regression's and scorecard's on
// the same split (not asserted on German credit).
func TestBoostedAcceptance(t *testing.T) {
	if testing.Short() {
		t.Skip("fits four data sets")
	}
	ref, mainRef := sklearnAUC(t)
	for _, c := range boostedCases {
		t.Run(c.name, func(t *testing.T) {
			if c.long && os.Getenv("CANDOR_LONG") == "" {
				t.Skip("set CANDOR_LONG=1 to fit this data set")
			}
			s, train, test := boostedData(t, c)
			start := time.Now()
			bf, err := fit.Boosted(context.Background(), train, s, c.target, c.event, nil)
			require.NoError(t, err)
			took := time.Since(start)
			perf, err := monitor.Assess(bf.Model, test, c.target, c.event)
			require.NoError(t, err)
			t.Logf("%s: boosted %.4f (rounds %v, %v), sklearn HGB %.4f, HGB main effects only %.4f",
				c.name, perf.AUC, bf.Rounds, took.Round(time.Millisecond), ref[c.name], mainRef[c.name])
			if c.interactions {
				require.GreaterOrEqual(t, perf.AUC, mainRef[c.name]-0.005, "within 0.005 of sklearn's HGB restricted to main effects")
				t.Logf("%s: %.4f short of HGB with interactions", c.name, ref[c.name]-perf.AUC)
			} else {
				require.GreaterOrEqual(t, perf.AUC, ref[c.name]-0.005, "within 0.005 of sklearn's HGB")
			}
			lf, err := fit.Logistic(context.Background(), train, s, c.target, c.event, &fit.LogisticOptions{Fill: c.fill, L2: c.l2})
			require.NoError(t, err)
			lperf, err := monitor.Assess(lf.Model, test, c.target, c.event)
			require.NoError(t, err)
			sf, err := fit.Scorecard(context.Background(), train, s, c.target, c.event, nil)
			require.NoError(t, err)
			sperf, err := monitor.Assess(sf.Model, test, c.target, c.event)
			require.NoError(t, err)
			t.Logf("%s: logistic %.4f, scorecard %.4f", c.name, lperf.AUC, sperf.AUC)
			if !c.beatsLinear {
				return
			}
			require.GreaterOrEqual(t, perf.AUC, lperf.AUC, "at least the logistic model's")
			require.GreaterOrEqual(t, perf.AUC, sperf.AUC, "at least the scorecard's")
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
