package explain_test

import (
	"context"
	"math"
	"testing"

	"github.com/candorscore/candor/explain"
	"github.com/candorscore/candor/score"
	"github.com/stretchr/testify/require"
)

// debtRatioQuantiles are the stored training percentiles 0..100 of
// DebtRatio in a scorecard fitted on the public "Give Me Some Credit" file
// (cs-training.csv, its 105,000 training rows, data row i with i % 10 >= 3;
// `candor fit --model scorecard`): a ratio (0.0005 ... 1.84) for most
// rows and a raw amount (4 ... 307001) where the income is missing. Its
// minimum (0), maximum and only tied percentiles (0, 0, 0) are whole
// numbers, yet the values are not: percentiles 3 and 4 (0.00054 and
// 0.0023) both lie between 0 and 1, which type-7 percentiles of whole
// numbers over 101 rows or more never do.
var debtRatioQuantiles = []float64{0, 0, 0, 0.0005398438199999997, 0.00230732756, 0.00441721190000001, 0.006805611899999998, 0.00999643, 0.014819185040000002, 0.021214023789999998,
	0.030966881200000015, 0.042591482, 0.054896483639999986, 0.06600328164000001, 0.07642441844000002, 0.08625569045, 0.09664741332, 0.10634459439000003, 0.11565876198, 0.12449561779000001,
	0.13357160560000003, 0.14210649864, 0.15038275958, 0.15900637213, 0.16684903443999996, 0.1750914275, 0.18332131594, 0.19069697057, 0.19847596688, 0.20631611685999998,
	0.21389246139999998, 0.22127232397, 0.228554289, 0.23591398528999996, 0.24311711224000004, 0.2506714537, 0.25775668424, 0.26476538218, 0.27236120316, 0.27975187046,
	0.28736742500000007, 0.29481340526999994, 0.30247245770000003, 0.3099329307, 0.31736394072, 0.3248191291, 0.3329966629, 0.34136815366, 0.34943428975999996, 0.3579195533,
	0.366246351, 0.37462713361, 0.38356071648000006, 0.39287512361000004, 0.4026961067, 0.41275750575000003, 0.4227036772, 0.43313524574999995, 0.44393081634, 0.4552526348,
	0.46683825659999995, 0.47897839659999997, 0.49228993629999995, 0.5065208340299999, 0.521369658, 0.53788268385, 0.5562165669, 0.57679074793, 0.5988733097600001, 0.6238602267500001,
	0.6498544498999999, 0.6787055396499999, 0.71297829452, 0.7545544148300004, 0.8069698089599996, 0.871051854, 0.9557730832800009, 1.0696788281999983, 1.3001539931800001, 1.8362498963600173,
	4, 14, 33, 63, 125, 274, 457, 634, 846, 1052, 1265, 1463.0899999999965, 1694.0800000000017, 1919, 2171, 2443, 2796, 3233, 3825.040000000008, 4947.009999999995, 307001}

// TestRangeWordsOfFractionalFeature: a customer with a debt ratio of 0.80
// in the scorecard's bin [0.649868011, 4.025527192) was told "Your
// DebtRatio (between 1 and 4) weighed against the result": the words of a
// whole-number feature (edges rounded up, the upper one less 1), which
// contradict the customer's own value.
func TestRangeWordsOfFractionalFeature(t *testing.T) {
	lo, hi := 0.649868011, 4.025527192
	s := score.MustSchema(score.Feature{Name: "DebtRatio"})
	m, err := score.NewModel(score.Spec{Name: "gmsc", Kind: score.LogisticModel, Features: s.Features(), Intercept: -2.6,
		Terms: []score.Term{{Feature: "DebtRatio", Kind: score.BinnedTerm,
			Stats: &score.Stats{Count: 105000, Max: 307001, Quantiles: debtRatioQuantiles},
			Bins: []score.Bin{
				{Kind: score.RangeBin, Upper: &lo, Effect: -0.1, Count: 73500, Events: 4622},
				{Kind: score.RangeBin, Lower: &lo, Upper: &hi, Effect: 0.5, Count: 10505, Events: 1186},
				{Kind: score.RangeBin, Lower: &hi, Effect: -0.2, Count: 20995, Events: 1178},
				{Kind: score.MissingBin},
			}}}})
	require.NoError(t, err)
	e, err := explain.NewExplainer(m, nil)
	require.NoError(t, err)
	var ex explain.Explanation
	require.NoError(t, e.Explain(score.Record{score.Num(0.802982129)}, &ex))
	b, err := e.AppendCustomerText(nil, explain.DefaultCatalog(), "en", &ex)
	require.NoError(t, err)
	require.Contains(t, string(b), "Your debt ratio (from 0.649868011 to less than 4.025527192) weighed against the result.")
}

// TestRecourseCandidatesOfFractionalFeature: with only the stored
// percentiles at hand, recourse rounded them to the decimals of the
// minimum, maximum and tied percentiles, whole numbers for the debt ratio
// above, so the smallest decrease it could propose from 0.80 was to 0
// (every percentile from 0.00054 to 0.50 rounds to 0 or 1). The cheapest
// flip here is the 73rd percentile, 0.7545544148300004, proposed at the 6
// decimals recourse rounds interpolated values to when the data's own are
// unknown: 0.754554.
func TestRecourseCandidatesOfFractionalFeature(t *testing.T) {
	s := score.MustSchema(score.Feature{Name: "DebtRatio", Action: &score.Action{Direction: score.DecreaseOnly, MinChange: new(float64)}})
	// log-odds 0.02 * (x - 0.78): 0.80 is just above 0, 0.7545 just below.
	m, err := score.NewModel(score.Spec{Name: "gmsc", Kind: score.LogisticModel, Features: s.Features(), Intercept: -0.0156,
		Terms: []score.Term{{Feature: "DebtRatio", Kind: score.LinearTerm, Coef: 0.02,
			Stats: &score.Stats{Count: 105000, Max: 307001, Quantiles: debtRatioQuantiles}}}})
	require.NoError(t, err)
	sp, err := explain.NewActionSpace(m, nil, nil)
	require.NoError(t, err)
	r, err := sp.Recourse(context.Background(), score.Record{score.Num(0.802982129)}, &explain.RecourseOptions{AllowUnsupported: true})
	require.NoError(t, err)
	require.False(t, r.Infeasible, r.Reason)
	require.Len(t, r.Counterfactuals, 1)
	to := r.Counterfactuals[0].Changes[0].ToVal.Float()
	require.NotEqual(t, math.Trunc(to), to, "a debt ratio is not a whole number")
	require.Equal(t, 0.754554, to)
}
