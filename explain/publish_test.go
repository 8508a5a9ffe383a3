package explain_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/examples/datasets"
	"github.com/candorscore/candor/explain"
	"github.com/candorscore/candor/score"
)

// publishModel: log-odds = 1 - 0.5*income + region + level(grade); income
// (training range 1 to 10) and grade are sensitive, region is not.
func publishModel(t *testing.T) *score.Model {
	t.Helper()
	m, err := score.NewModel(score.Spec{Name: "publish", Kind: score.LogisticModel,
		Features: []score.Feature{
			{Name: "income", Kind: score.Numeric, Sensitive: true},
			{Name: "region", Kind: score.Categorical, Categories: []string{"a", "b"}},
			{Name: "grade", Kind: score.Categorical, Sensitive: true, Categories: []string{"g1", "g2", "g3", "g4", "g5"}},
		},
		Intercept: 1,
		Terms: []score.Term{
			{Feature: "income", Kind: score.LinearTerm, Coef: -0.5, Baseline: -2.5, Stats: &score.Stats{Count: 10, Min: 1, Max: 10}},
			{Feature: "region", Kind: score.CategoricalTerm, Reference: "a", Levels: []score.Level{{Label: "a"}, {Label: "b", Effect: 0.4}}, Baseline: 0.2},
			{Feature: "grade", Kind: score.CategoricalTerm, Reference: "g1", Levels: []score.Level{
				{Label: "g1"}, {Label: "g2", Effect: 0.9}, {Label: "g3", Effect: 0.2}, {Label: "g4", Effect: 0.5}, {Label: "g5", Effect: 1.3, ReasonCode: "G5"}},
				Baseline: 0.3},
		}})
	require.NoError(t, err)
	return m
}

// TestPublishBands checks the published effects by hand. Income: 4 bands
// of (10-1)/4 = 2.25 from 1, midpoints 2.125, 4.375, 6.625, 8.875 (values
// outside the range in the end bands), effect -0.5*midpoint. Grade, sorted
// by effect: g1 0, g3 0.2 | g4 0.5, g2 0.9, g5 1.3 (5 levels in groups of
// 2, the last taking the odd one): published 0.1 and 0.9.
func TestPublishBands(t *testing.T) {
	m := publishModel(t)
	e, err := explain.NewExplainer(m, &explain.Options{MaxReasons: explain.AllReasons})
	require.NoError(t, err)
	require.True(t, e.Withholds())
	cases := []struct {
		income                 float64
		grade                  string
		incomeEffect, gradeEff float64
	}{
		{13579.25, "g5", -0.5 * 8.875, 0.9},
		{1, "g1", -0.5 * 2.125, 0.1},
		{3.25, "g3", -0.5 * 4.375, 0.1},
		{7.7, "g4", -0.5 * 6.625, 0.9},
		{-40, "g2", -0.5 * 2.125, 0.9},
	}
	var ex, pub explain.Explanation
	for _, c := range cases {
		rec := score.Record{score.Num(c.income), score.Cat("b"), score.Cat(c.grade)}
		require.NoError(t, e.Explain(rec, &ex))
		e.Publish(&pub, &ex)
		require.InDelta(t, c.incomeEffect, pub.Effects[0], 1e-12, "income %v", c.income)
		require.InDelta(t, c.incomeEffect+2.5, pub.Contributions[0], 1e-12)
		require.InDelta(t, c.gradeEff, pub.Effects[2], 1e-12, "grade %s", c.grade)
		require.InDelta(t, 0.4, pub.Effects[1], 0, "region is published as it is")
		require.InDelta(t, 1+c.incomeEffect+0.4+c.gradeEff, pub.Result.Score, 1e-12)
		require.InDelta(t, float64(m.Link(pub.Result.Score).Probability), float64(pub.Result.Probability), 0)
		require.True(t, pub.Values[0].IsMissing() && pub.Values[2].IsMissing())
		require.Equal(t, -1, pub.Positions[2])
		sum := pub.Baseline
		for _, x := range pub.Contributions {
			sum += x
		}
		require.InDelta(t, pub.Result.Score, sum, 1e-12, "the published breakdown adds up")
		for _, r := range pub.Reasons {
			require.NotEqual(t, "G5", r.Code, "a sensitive term reports its term's code, never a level's")
			require.InDelta(t, pub.Contributions[r.Term], r.Effect, 1e-12)
		}
		// The exact explanation is untouched.
		exact, _, err := m.Effect(0, score.Num(c.income))
		require.NoError(t, err)
		require.InDelta(t, exact, ex.Effects[0], 0)
	}
	// Publishing allocates nothing once dst has grown.
	rec := score.Record{score.Num(5), score.Cat("a"), score.Cat("g2")}
	require.NoError(t, e.Explain(rec, &ex))
	require.Zero(t, testing.AllocsPerRun(100, func() { e.Publish(&pub, &ex) }))
}

// TestPublishShowSensitive: an explainer that withholds nothing publishes
// the exact explanation.
func TestPublishShowSensitive(t *testing.T) {
	m := publishModel(t)
	e, err := explain.NewExplainer(m, &explain.Options{ShowSensitive: true})
	require.NoError(t, err)
	require.False(t, e.Withholds())
	var ex, pub explain.Explanation
	require.NoError(t, e.Explain(score.Record{score.Num(13579.25), score.Cat("b"), score.Cat("g5")}, &ex))
	e.Publish(&pub, &ex)
	require.Equal(t, ex.Effects, pub.Effects)
	require.Equal(t, ex.Result, pub.Result)
	require.Equal(t, ex.Reasons, pub.Reasons)
}

// TestMarshalPublishes: an exact explanation is marshalled as published.
func TestMarshalPublishes(t *testing.T) {
	m := publishModel(t)
	e, err := explain.NewExplainer(m, nil)
	require.NoError(t, err)
	var ex, pub explain.Explanation
	require.NoError(t, e.Explain(score.Record{score.Num(13579.25), score.Cat("b"), score.Cat("g5")}, &ex))
	e.Publish(&pub, &ex)
	a, err := json.Marshal(ex)
	require.NoError(t, err)
	b, err := json.Marshal(pub)
	require.NoError(t, err)
	require.JSONEq(t, string(b), string(a))
	require.NotContains(t, string(a), "-6789.625") // -0.5 * 13579.25
}

// A sensitive income is published at its band: training range 1 to 10
// in 4 bands, so income 1 counts as 2.125 (effect -0.5 * 2.125) in the
// score, the contributions and the reasons shown; the exact explanation
// stays for the program's own use.
func ExampleExplainer_Publish() {
	m := datasets.MustModel(datasets.ConsentSample)
	e, err := explain.NewExplainer(m, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	rec := score.Record{score.Num(1), score.Cat("b"), score.Num(10), score.Missing()}
	var exact, shown explain.Explanation
	if err := e.Explain(rec, &exact); err != nil {
		fmt.Println(err)
		return
	}
	e.Publish(&shown, &exact)
	fmt.Printf("exact: log-odds %.4f, income contributes %+.4f\n", exact.Result.Score, exact.Contributions[0])
	fmt.Printf("shown: log-odds %.4f, income contributes %+.4f\n", shown.Result.Score, shown.Contributions[0])
	for _, r := range shown.Reasons {
		fmt.Printf("  %s %+.4f\n", r.Feature, r.Effect)
	}
	// Output:
	// exact: log-odds 3.9000, income contributes +2.0000
	// shown: log-odds 3.3375, income contributes +1.4375
	//   phone_usage +1.8000
	//   income +1.4375
	//   region +0.1970
}

// FuzzPublish: for any income and grade, publishing never panics, the
// published breakdown adds up, and its score is the exact score of the
// customer moved to the band's representative (income at its band's
// midpoint), kept on the exact score's side of the model's cutoff
// (OnSide): the published numbers depend on the band and on that side
// alone. (A failing input of the fuzzer, income 3.3498 in grade g2, has its
// band's score on the other side of the cutoff from its exact score.)
func FuzzPublish(f *testing.F) {
	f.Add(13579.25, "g5")
	f.Add(-1e308, "g1")
	f.Add(5.5, "other")
	m := publishModel(&testing.T{})
	e, err := explain.NewExplainer(m, nil)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, income float64, grade string) {
		rec := score.Record{score.Num(income), score.Cat("a"), score.Cat(grade)}
		var ex, pub explain.Explanation
		if err := e.Explain(rec, &ex); err != nil {
			return // an unknown grade, or a non-finite income
		}
		e.Publish(&pub, &ex)
		sum := pub.Baseline
		for _, c := range pub.Contributions {
			sum += c
		}
		require.InDelta(t, pub.Result.Score, sum, 1e-9*max(1, abs(sum)))
		k := min(max(int((income-1)/2.25), 0), 3)
		if income < 1 {
			k = 0
		}
		mid := 1 + (float64(k)+0.5)*2.25
		moved := score.Record{score.Num(mid), score.Cat("a"), score.Cat(grade)}
		res, err := m.Score(moved)
		require.NoError(t, err)
		ge, _, _ := m.Effect(2, score.Cat(grade))
		cut := []explain.Cut{{At: float64(m.Cutoff()), Closed: true}}
		want := explain.OnSide(m, res.Score-ge+pub.Effects[2], ex.Result.Score, cut)
		require.InDelta(t, want, pub.Result.Score, 1e-9*max(1, abs(want)))
		require.Equal(t, cut[0].Above(m, ex.Result.Score), cut[0].Above(m, pub.Result.Score))
	})
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

// TestPublishFineBinsInFewGroups: the boosted model of the e-commerce churn
// file (testdata/trials/2026-12-02-trial4.md) bins the sensitive
// CashbackAmount in 218 fine bins, many a dollar wide; grouped two by two,
// its published effect took 109 values over the file, each naming the
// customer's cashback to one of two bins: about the exact amount. A term's
// bins (or levels) are now grouped into at most SensitiveBands groups, as
// a linear term's range is: an attacker learns one of four groups, as the
// README's "What an attacker learns" says, whatever the number of bins.
// Here 40 one-unit bins with effects 0, 0.1, ..., 3.9 (and a missing bin
// at 0.05, its effect among them) make 41 entries: groups of 10, 10, 10
// and 11 in effect order.
func TestPublishFineBinsInFewGroups(t *testing.T) {
	bins := make([]score.Bin, 0, 41)
	for k := range 40 {
		b := score.Bin{Kind: score.RangeBin, Effect: float64(k) / 10}
		if k > 0 {
			b.Lower = new(float64(k))
		}
		if k < 39 {
			b.Upper = new(float64(k + 1))
		}
		bins = append(bins, b)
	}
	bins = append(bins, score.Bin{Kind: score.MissingBin, Effect: 0.05})
	m, err := score.NewModel(score.Spec{Name: "fine", Kind: score.LogisticModel,
		Features: []score.Feature{{Name: "cashback", Kind: score.Numeric, Sensitive: true}},
		Terms:    []score.Term{{Feature: "cashback", Kind: score.BinnedTerm, Bins: bins}}})
	require.NoError(t, err)
	e, err := explain.NewExplainer(m, nil)
	require.NoError(t, err)
	var ex, pub explain.Explanation
	published := map[float64]int{}
	for x := -0.5; x < 41; x++ {
		require.NoError(t, e.Explain(score.Record{score.Num(x)}, &ex))
		e.Publish(&pub, &ex)
		published[pub.Effects[0]]++
	}
	require.Len(t, published, explain.SensitiveBands, "published effects: %v", published)
	// Effect order: 0, 0.05 (missing), 0.1, ..., 0.8 is the first group.
	first := (0 + 0.05 + 0.1 + 0.2 + 0.3 + 0.4 + 0.5 + 0.6 + 0.7 + 0.8) / 10
	require.NoError(t, e.Explain(score.Record{score.Num(0.5)}, &ex))
	e.Publish(&pub, &ex)
	require.InDelta(t, first, pub.Effects[0], 1e-12)
	// The last group: 2.9 to 3.9, 11 bins.
	require.NoError(t, e.Explain(score.Record{score.Num(39.5)}, &ex))
	e.Publish(&pub, &ex)
	require.InDelta(t, (2.9+3.9)/2, pub.Effects[0], 1e-12)
}
