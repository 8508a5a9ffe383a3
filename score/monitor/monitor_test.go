package monitor_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/examples/datasets"
	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/chart"
	"github.com/candorscore/candor/score/fit"
	"github.com/candorscore/candor/score/monitor"
)

// rowsOf copies rows [a, b) of tab into a new table.
func rowsOf(t testing.TB, tab *score.Table, a, b int) *score.Table {
	t.Helper()
	rows := make([][]string, 0, b-a)
	for i := a; i < b; i++ {
		rows = append(rows, tab.Row(i))
	}
	out, err := score.NewTable(tab.Header(), rows)
	require.NoError(t, err)
	return out
}

// TestPSIHandComputed: counts 60/40 against 40/60 with 0.5 smoothing:
// e = (60.5/101, 40.5/101), a = (40.5/101, 60.5/101);
// PSI = 2 * (20/101) * ln(60.5/40.5).
func TestPSIHandComputed(t *testing.T) {
	p, err := monitor.PSIFromCounts([]string{"a", "b"}, []float64{60, 40}, []float64{40, 60}, 0.5)
	require.NoError(t, err)
	want := 2 * (20.0 / 101) * math.Log(60.5/40.5)
	require.InDelta(t, want, p.Value, 1e-15)
	require.Equal(t, monitor.Watch, p.Band) // 0.1589
	require.InDelta(t, 60.5/101, p.Bins[0].BaselineShare, 1e-15)

	// An empty bin without smoothing is infinite; with 0.5 it is finite:
	// e = (10.5/21, 10.5/21)... (0.5/11, 10.5/11) vs (10.5/11, 0.5/11).
	p, err = monitor.PSIFromCounts([]string{"a", "b"}, []float64{0, 10}, []float64{10, 0}, 0)
	require.NoError(t, err)
	require.True(t, math.IsInf(p.Value, 1) || math.IsNaN(p.Value))
	require.Equal(t, monitor.Act, p.Band)
	p, err = monitor.PSIFromCounts([]string{"a", "b"}, []float64{0, 10}, []float64{10, 0}, 0.5)
	require.NoError(t, err)
	require.InDelta(t, 2*(10.0/11)*math.Log(10.5/0.5), p.Value, 1e-14)

	for _, c := range []struct {
		psi  float64
		band monitor.PSIBand
	}{{0, monitor.Stable}, {0.0999, monitor.Stable}, {0.10, monitor.Watch}, {0.25, monitor.Watch}, {0.2501, monitor.Act}, {math.NaN(), monitor.Act}} {
		require.Equal(t, c.band, monitor.BandOf(c.psi), "%v", c.psi)
	}
	_, err = monitor.PSIFromCounts([]string{"a"}, []float64{0}, []float64{1}, 0.5)
	require.ErrorIs(t, err, score.ErrData)
	_, err = monitor.PSIFromCounts([]string{"a"}, []float64{1, 2}, []float64{1}, 0.5)
	require.ErrorIs(t, err, score.ErrData)
}

func TestQuantileCutsAndCategoricalPSI(t *testing.T) {
	// 1..10: deciles at 1.9, 2.8, ..., 9.1 (type 7).
	xs := []float64{10, 9, 8, 7, 6, 5, 4, 3, 2, 1, math.NaN()}
	cuts := monitor.QuantileCuts(xs, 10)
	require.Len(t, cuts, 9)
	require.InDelta(t, 1.9, cuts[0], 1e-12)
	require.InDelta(t, 9.1, cuts[8], 1e-12)
	// A point mass gets its own bin: 80% at -1.
	pm := []float64{-1, -1, -1, -1, -1, -1, -1, -1, 5, 7}
	cuts = monitor.QuantileCuts(pm, 10)
	// deciles (type 7, h = 9q): -1 (x7), 0.8: -1 + 0.2*6 = 0.2, 0.9: 5 + 0.1*2 = 5.2
	require.Len(t, cuts, 4)
	require.Equal(t, []float64{-1, math.Nextafter(-1, 0)}, cuts[:2])
	require.InDelta(t, 0.2, cuts[2], 1e-12)
	require.InDelta(t, 5.2, cuts[3], 1e-12)
	p, err := monitor.NumericPSI(pm, []float64{3, 3, 3, 3, 3, 3, 3, 3, 5, 7}, nil)
	require.NoError(t, err)
	require.Equal(t, []string{"[-inf, -1)", "= -1", "(-1, 0.2)", "[0.2, 5.2)", "[5.2, +inf)"}, binLabels(p))
	require.Equal(t, []float64{0, 8, 0, 1, 1}, []float64{p.Bins[0].Baseline, p.Bins[1].Baseline, p.Bins[2].Baseline, p.Bins[3].Baseline, p.Bins[4].Baseline})
	require.Equal(t, []float64{0, 0, 0, 9, 1}, []float64{p.Bins[0].Current, p.Bins[1].Current, p.Bins[2].Current, p.Bins[3].Current, p.Bins[4].Current})
	require.Greater(t, p.Value, 1.0)

	c, err := monitor.CategoricalPSI([]string{"a", "b", "a", ""}, []string{"a", "c", "c", "b"}, nil)
	require.NoError(t, err)
	require.Equal(t, []string{"a", "b", "(missing)", "(unseen)"}, binLabels(c))
	require.Equal(t, []float64{2, 1, 1, 0}, []float64{c.Bins[0].Baseline, c.Bins[1].Baseline, c.Bins[2].Baseline, c.Bins[3].Baseline})
	require.Equal(t, []float64{1, 1, 0, 2}, []float64{c.Bins[0].Current, c.Bins[1].Current, c.Bins[2].Current, c.Bins[3].Current})
	// hand: shares (2.5, 1.5, 1.5, 0.5)/6 and (1.5, 1.5, 0.5, 2.5)/6
	want := (1.5-2.5)/6*math.Log(1.5/2.5) + 0 + (0.5-1.5)/6*math.Log(0.5/1.5) + (2.5-0.5)/6*math.Log(2.5/0.5)
	require.InDelta(t, want, c.Value, 1e-15)
}

func binLabels(p monitor.PSI) []string {
	out := make([]string, len(p.Bins))
	for i, b := range p.Bins {
		out[i] = b.Label
	}
	return out
}

func bankModel(t testing.TB, tab *score.Table) *score.Model {
	t.Helper()
	s, err := tab.InferSchema().WithRoles(score.Ignored, "y", "duration") // duration leaks the outcome
	require.NoError(t, err)
	fitted, err := fit.Logistic(context.Background(), tab, s, "y", "yes", nil)
	require.NoError(t, err)
	return fitted.Model
}

// TestMonitorSelfIsZero: a sample against itself has PSI exactly 0, for
// the score and every feature.
func TestMonitorSelfIsZero(t *testing.T) {
	tab, _ := germanTable(t)
	m := fitGerman(t, tab)
	rep, err := monitor.Run(context.Background(), m, tab, tab, nil)
	require.NoError(t, err)
	require.Equal(t, 0.0, rep.ScorePSI)
	require.Len(t, rep.Features, m.NumTerms())
	for _, f := range rep.Features {
		require.Equal(t, 0.0, f.Value, f.Feature)
		require.Equal(t, monitor.Stable, f.Band)
	}
	require.InDelta(t, rep.Training.AUC, rep.Current.AUC, 1e-12, "the training rows are the current rows")
	require.InDelta(t, rep.Baseline.ObservedRate, 0.3, 1e-12)
}

func fitGerman(t testing.TB, tab *score.Table) *score.Model {
	t.Helper()
	_, s := germanTable(t)
	fitted, err := fit.Logistic(context.Background(), tab, s, "creditability", "bad", nil)
	require.NoError(t, err)
	return fitted.Model
}

// TestMonitorBankMarketingDrift: Bank marketing's rows are in time order
// (May 2008 to November 2010); its earlier half against its later half,
// scored by a logistic model of the whole set (duration left out: it leaks
// the outcome). Feature PSIs are checked against an independent pandas
// computation with the same rules (testdata/monitor_bank.json, written by
// testdata/monitor_bank.py); the score's PSI and bands are this
// computation's own figures, recorded here to catch regressions.
func TestMonitorBankMarketingDrift(t *testing.T) {
	if testing.Short() {
		t.Skip("fits Bank marketing")
	}
	tab, err := datasets.Load(datasets.BankMarketing)
	require.NoError(t, err)
	n := tab.Len()
	early, late := rowsOf(t, tab, 0, n/2), rowsOf(t, tab, n/2, n)
	m := bankModel(t, tab)
	rep, err := monitor.Run(context.Background(), m, early, late, nil)
	require.NoError(t, err)

	var ref struct {
		PSI map[string]float64 `json:"psi"`
	}
	b, err := os.ReadFile("testdata/monitor_bank.json")
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &ref))
	got := map[string]monitor.PSI{}
	for _, f := range rep.Features {
		got[f.Feature] = f
	}
	for name, want := range ref.PSI {
		require.InDelta(t, want, got[name].Value, 1e-12, name)
	}
	// The score moved (the later half has many more subscribers), and so
	// did the features of how and when customers were contacted.
	require.InDelta(t, 1.8243, rep.ScorePSI, 1e-4)
	require.Equal(t, monitor.Act, rep.ScoreBand)
	for _, f := range []string{"month", "pdays", "previous", "poutcome", "contact"} {
		require.Equal(t, monitor.Act, got[f].Band, f)
	}
	for _, f := range []string{"campaign", "day", "job"} {
		require.Equal(t, monitor.Watch, got[f].Band, f)
	}
	for _, f := range []string{"age", "balance", "marital", "education", "default", "housing", "loan"} {
		require.Equal(t, monitor.Stable, got[f].Band, f)
	}
	// Performance on the newly labelled later half against training.
	require.Equal(t, 22606, rep.Current.Rows)
	require.Equal(t, 4201.0, rep.Current.Events) // pandas: (y == "yes") in rows 22605..45210
	require.Equal(t, 1088.0, rep.Baseline.Events)
	require.Equal(t, 45211, rep.Training.Rows)
	require.InDelta(t, rep.Current.ObservedRate, rep.Current.MeanPredicted, 0.02)
	require.Greater(t, rep.Current.ECE, 0.0)

	var buf bytes.Buffer
	require.NoError(t, rep.WriteText(&buf))
	text := buf.String()
	require.Contains(t, text, "score PSI 1.8243  act")
	require.Contains(t, text, "0.5 added to every bin count")
	require.Regexp(t, `month\s+6\.8003  act`, text)

	js, err := json.Marshal(rep)
	require.NoError(t, err)
	var generic struct {
		ScorePSI float64 `json:"score_psi"`
		Features []struct {
			Feature string  `json:"feature"`
			PSI     float64 `json:"psi"`
			Band    string  `json:"band"`
		} `json:"features"`
	}
	require.NoError(t, json.Unmarshal(js, &generic))
	require.Equal(t, rep.ScorePSI, generic.ScorePSI)
	require.Len(t, generic.Features, m.NumTerms())
	require.Equal(t, "age", generic.Features[0].Feature, "features in the model's term order")

	for _, format := range []string{"svg", "png"} {
		var chartPath bytes.Buffer
		require.NoError(t, chart.PSI(&chartPath, rep, format))
		if format == "svg" {
			require.Contains(t, chartPath.String(), "<svg")
			require.Contains(t, chartPath.String(), "month")
		} else {
			require.Equal(t, "\x89PNG", chartPath.String()[:4])
		}
	}
	require.ErrorIs(t, chart.PSI(&bytes.Buffer{}, rep, "gif"), chart.ErrFormat)
}

// TestMonitorUnscorableRows: a model of the earlier half cannot score the
// later half's new months and outcomes (no "other" level): those rows are
// counted, not fatal.
func TestMonitorUnscorableRows(t *testing.T) {
	tab, _ := germanTable(t)
	m := fitGerman(t, tab)
	rows := [][]string{}
	for i := 0; i < 50; i++ {
		r := append([]string(nil), tab.Row(i)...)
		if i%5 == 0 {
			r[tab.Column("purpose")] = "time machine"
		}
		rows = append(rows, r)
	}
	cur, err := score.NewTable(tab.Header(), rows)
	require.NoError(t, err)
	rep, err := monitor.Run(context.Background(), m, tab, cur, nil)
	require.NoError(t, err)
	require.Equal(t, 10, rep.CurrentErrors)
	require.Equal(t, 40, rep.Current.Rows)
	for _, f := range rep.Features {
		if f.Feature == "purpose" {
			last := f.Bins[len(f.Bins)-1]
			require.Equal(t, "(unseen)", last.Label)
			require.Equal(t, 10.0, last.Current)
		}
	}
	_, err = monitor.Run(context.Background(), m, tab, rowsOf(t, tab, 0, 0), nil)
	require.ErrorIs(t, err, score.ErrData)
}

func ExampleNumericPSI() {
	baseline := []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	current := []float64{6, 7, 8, 9, 10, 11, 12, 13, 14, 15}
	// Shares with 0.5 added: baseline (5.5, 5.5)/11, current (0.5, 10.5)/11;
	// PSI = (0.5-5.5)/11 ln(0.5/5.5) + (10.5-5.5)/11 ln(10.5/5.5) = 1.3839.
	p, _ := monitor.NumericPSI(baseline, current, &monitor.PSIOptions{Bins: 2})
	for _, b := range p.Bins {
		fmt.Printf("%-12s %2.0f %2.0f\n", b.Label, b.Baseline, b.Current)
	}
	fmt.Printf("PSI %.4f %s\n", p.Value, p.Band)
	// Output:
	// [-inf, 5.5)   5  0
	// [5.5, +inf)   5 10
	// PSI 1.3839 act
}

// TestMonitorScorecardUsesModelBins: a binned input's PSI is over the
// model's own bins, in the term's bin order (hand-computed).
func TestMonitorScorecardUsesModelBins(t *testing.T) {
	m := handScorecard(t)
	mk := func(months []string) *score.Table {
		rows := make([][]string, len(months))
		for i, mo := range months {
			rows[i] = []string{"id", mo, []string{"own", "rent", "free", "castle"}[i%4], "f", "1"}
		}
		tab, err := score.NewTable([]string{"id", "months", "housing", "sex", "balance"}, rows)
		require.NoError(t, err)
		return tab
	}
	base := mk([]string{"", "-9", "5", "12", "13", "20", "24", "30", "100", "7"})
	cur := mk([]string{"30", "40", "50", "60", "70", "80", "90", "13", "5", ""})
	rep, err := monitor.Run(context.Background(), m, base, cur, nil)
	require.NoError(t, err)
	months := rep.Features[0]
	require.Equal(t, "months", months.Feature)
	// term bins: (12, 24), <= 12, missing, >= 24, special -9
	require.Equal(t, []string{"[12, 24)", "<= 12", "(missing)", "[24, +inf)", "= -9"}, binLabels(months))
	eb := []float64{2, 3, 1, 3, 1}
	cb := []float64{1, 1, 1, 7, 0}
	var want float64
	for i := range eb {
		e, a := (eb[i]+0.5)/12.5, (cb[i]+0.5)/12.5
		want += (a - e) * math.Log(a/e)
		require.Equal(t, eb[i], months.Bins[i].Baseline, months.Bins[i].Label)
		require.Equal(t, cb[i], months.Bins[i].Current, months.Bins[i].Label)
	}
	require.InDelta(t, want, months.Value, 1e-15)
	// housing: "castle" falls in the model's other bin, not "(unseen)".
	housing := rep.Features[1]
	require.Equal(t, []string{"rent, free", "own", "(other)"}, binLabels(housing))
	require.Equal(t, 0.0, housing.Value, "same housing mix in both samples")
	require.Nil(t, rep.Current, "no target column: no performance")
}

func BenchmarkMonitorGermanCredit(b *testing.B) {
	tab, _ := germanTable(b)
	m := fitGerman(b, tab)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := monitor.Run(context.Background(), m, tab, tab, nil); err != nil {
			b.Fatal(err)
		}
	}
}

func ExampleRun() {
	spec := score.Spec{Name: "churn", Kind: score.LogisticModel, Target: "churned", Event: "yes",
		Features:  []score.Feature{{Name: "plan", Kind: score.Categorical}, {Name: "tenure", Kind: score.Numeric}},
		Intercept: -1,
		Terms: []score.Term{
			{Feature: "plan", Kind: score.CategoricalTerm, Reference: "basic", Levels: []score.Level{{Label: "basic"}, {Label: "plus", Effect: -0.5}}},
			{Feature: "tenure", Kind: score.LinearTerm, Coef: -0.1},
		}}
	m, err := score.NewModel(spec)
	if err != nil {
		panic(err)
	}
	header := []string{"plan", "tenure", "churned"}
	baseline, _ := score.NewTable(header, [][]string{
		{"basic", "1", "yes"}, {"basic", "3", "no"}, {"plus", "5", "no"}, {"plus", "7", "no"},
		{"basic", "9", "no"}, {"plus", "11", "yes"}, {"basic", "13", "no"}, {"plus", "15", "no"}})
	current, _ := score.NewTable(header, [][]string{
		{"basic", "1", "yes"}, {"basic", "2", "yes"}, {"basic", "2", "no"}, {"basic", "3", "yes"},
		{"plus", "4", "no"}, {"basic", "5", "no"}, {"premium", "6", "no"}, {"basic", "1", "yes"}})
	rep, err := monitor.Run(context.Background(), m, baseline, current, &monitor.Options{PSI: monitor.PSIOptions{Bins: 4}})
	if err != nil {
		panic(err)
	}
	fmt.Printf("score PSI %.3f %s (%d current rows not scored)\n", rep.ScorePSI, rep.ScoreBand, rep.CurrentErrors)
	// plan: bins basic, plus, (unseen); shares (4.5, 4.5, 0.5)/9.5 against
	// (6.5, 1.5, 1.5)/9.5 give 0.540.
	for _, f := range rep.Features {
		fmt.Printf("%-7s PSI %.3f %s\n", f.Feature, f.Value, f.Band)
	}
	fmt.Printf("current AUC %.3f, observed rate %.3f\n", rep.Current.AUC, rep.Current.ObservedRate)
	// Output:
	// score PSI 1.130 act (1 current rows not scored)
	// plan    PSI 0.540 act
	// tenure  PSI 1.026 act
	// current AUC 0.875, observed rate 0.571
}

// A current sample the model mostly cannot score (an unseen category on
// 60% of its rows) was "stable" when only the scorable rows counted; the
// unscorable rows are now a bin of their own in the score PSI.
// Baseline: 100 rows, 0 unscorable; current: 40 scorable (the same mix),
// 60 unscorable. With smoothing s over k bins the unscorable bin alone
// contributes (a - e) ln(a/e) with a = (60+s)/(100+ks) near 0.6 and
// e = s/(100+ks) near 0: more than 2 for any s <= 1 and k <= 10.
func TestMonitorCountsUnscorableRows(t *testing.T) {
	s, err := score.NewSchema(score.Feature{Name: "month", Kind: score.Categorical})
	require.NoError(t, err)
	m, err := score.NewModel(score.Spec{Name: "t", Kind: score.LogisticModel, Features: s.Features(),
		Terms: []score.Term{{Feature: "month", Kind: score.CategoricalTerm, Reference: "jan",
			Levels: []score.Level{{Label: "jan"}, {Label: "feb", Effect: 1}}}}})
	require.NoError(t, err)
	mk := func(jan, feb, unseen int) *score.Table {
		var rows [][]string
		for range jan {
			rows = append(rows, []string{"jan"})
		}
		for range feb {
			rows = append(rows, []string{"feb"})
		}
		for range unseen {
			rows = append(rows, []string{"sep"})
		}
		tab, err := score.NewTable([]string{"month"}, rows)
		require.NoError(t, err)
		return tab
	}
	rep, err := monitor.Run(context.Background(), m, mk(50, 50, 0), mk(20, 20, 60), nil)
	require.NoError(t, err)
	require.Equal(t, 60, rep.CurrentErrors)
	require.NotEqual(t, monitor.Stable, rep.ScoreBand)
	var un *monitor.PSIBin
	for i := range rep.Score.Bins {
		if rep.Score.Bins[i].Label == monitor.UnscorableBin {
			un = &rep.Score.Bins[i]
		}
	}
	require.NotNil(t, un)
	require.Equal(t, 0.0, un.Baseline)
	require.Equal(t, 60.0, un.Current)
	require.Greater(t, rep.ScorePSI, 2.0)
}
