package explain_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/explain"
	"github.com/candorscore/candor/score"
)

// wholeQuantiles are type-7 percentiles 0..100 of a whole-valued column
// whose values run from lo to hi: the first share at lo, the rest stepping
// up by one (enough for the explainer to see whole numbers: minimum,
// maximum and ties are whole).
func wholeQuantiles(lo, hi int, share float64) []float64 {
	q := make([]float64, 101)
	for k := range q {
		switch {
		case float64(k) < share*100:
			q[k] = float64(lo)
		default:
			q[k] = float64(min(hi, lo+1+(k-int(share*100))*(hi-lo)/100))
		}
	}
	q[100] = float64(hi)
	return q
}

// TestSmallWholeRangeWords: a range bin of a whole-valued feature that
// holds one or two whole numbers of the training range is said as those
// numbers. The trial's loan file: "Your credit history meeting the
// guidelines (less than 1)" for the 0/1 Credit_History (its bin < 1 holds
// only 0 in [0, 1]) and "Your number of dependents (less than 2)" for
// Dependents 0..3 (bin < 2 holds 0 and 1). A bin with more values keeps
// its range words, and so does a customer's value outside the training
// range (the words must hold it).
func TestSmallWholeRangeWords(t *testing.T) {
	one, two, four := 1.0, 2.0, 4.0
	m, err := score.NewModel(score.Spec{Name: "loan", Kind: score.LogisticModel,
		Features: []score.Feature{
			{Name: "Credit_History", Label: "credit history meeting the guidelines"},
			{Name: "Dependents", Label: "number of dependents"},
			{Name: "Years", Label: "years at the address"},
		},
		Intercept: -1,
		Terms: []score.Term{
			{Feature: "Credit_History", Kind: score.BinnedTerm, Stats: &score.Stats{Count: 564, Min: 0, Max: 1, Quantiles: wholeQuantiles(0, 1, 0.16)},
				Bins: []score.Bin{{Kind: score.RangeBin, Upper: &one, Effect: 2.4, Count: 89}, {Kind: score.RangeBin, Lower: &one, Effect: -0.4, Count: 475}}},
			{Feature: "Dependents", Kind: score.BinnedTerm, Stats: &score.Stats{Count: 599, Min: 0, Max: 3, Quantiles: wholeQuantiles(0, 3, 0.57)},
				Bins: []score.Bin{{Kind: score.RangeBin, Upper: &two, Effect: 0.3, Count: 447}, {Kind: score.RangeBin, Lower: &two, Effect: 0.5, Count: 152}}},
			{Feature: "Years", Kind: score.BinnedTerm, Stats: &score.Stats{Count: 600, Min: 0, Max: 30, Quantiles: wholeQuantiles(0, 30, 0.05)},
				Bins: []score.Bin{{Kind: score.RangeBin, Upper: &four, Effect: 0.7, Count: 200}, {Kind: score.RangeBin, Lower: &four, Effect: -0.1, Count: 400}}},
		}})
	require.NoError(t, err)
	e, err := explain.NewExplainer(m, &explain.Options{MaxReasons: explain.AllReasons})
	require.NoError(t, err)
	text := func(ch, dep, years float64) string {
		var ex explain.Explanation
		require.NoError(t, e.Explain(score.Record{score.Num(ch), score.Num(dep), score.Num(years)}, &ex))
		b, err := e.AppendCustomerText(nil, explain.DefaultCatalog(), "en", &ex)
		require.NoError(t, err)
		return string(b)
	}
	got := text(0, 1, 2)
	require.Contains(t, got, "Your credit history meeting the guidelines (0) weighed against the result.")
	require.Contains(t, got, "Your number of dependents (0 or 1) weighed against the result.")
	require.Contains(t, got, "Your years at the address (less than 4) weighed against the result.")
	// Dependents 3: the bin [2, +inf) holds 2 and 3 of the training range.
	require.Contains(t, text(0, 3, 2), "Your number of dependents (2 or 3) weighed against the result.")
	// Dependents 5, above the training maximum: the bin's own words.
	require.Contains(t, text(0, 5, 2), "Your number of dependents (2 or more) weighed against the result.")
	// German: "oder".
	var ex explain.Explanation
	require.NoError(t, e.Explain(score.Record{score.Num(0), score.Num(1), score.Num(2)}, &ex))
	b, err := e.AppendCustomerText(nil, explain.DefaultCatalog(), "de", &ex)
	require.NoError(t, err)
	require.Contains(t, string(b), "(0 oder 1)")
}
