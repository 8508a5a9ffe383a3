package fairness

import (
	"compress/gzip"
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"
)

// adultRows is the testdata built by testdata/fairlearn_adult.py: a logistic
// regression's decisions on UCI Adult.
type adultRows struct {
	labels, preds []bool
	scores        []float64
	sex, race     []string
}

func loadAdult(tb testing.TB) adultRows {
	tb.Helper()
	f, err := os.Open("testdata/adult_predictions.csv.gz")
	require.NoError(tb, err)
	defer f.Close()
	gz, err := gzip.NewReader(f)
	require.NoError(tb, err)
	recs, err := csv.NewReader(gz).ReadAll()
	require.NoError(tb, err)
	require.Equal(tb, []string{"label", "prediction", "score", "sex", "race"}, recs[0])
	var a adultRows
	for _, r := range recs[1:] {
		s, err := strconv.ParseFloat(r[2], 64)
		require.NoError(tb, err)
		a.labels = append(a.labels, r[0] == "1")
		a.preds = append(a.preds, r[1] == "1")
		a.scores = append(a.scores, s)
		a.sex = append(a.sex, r[3])
		a.race = append(a.race, r[4])
	}
	require.Len(tb, a.labels, 48842)
	return a
}

func (a adultRows) data() Data {
	return Data{Labels: a.labels, Predictions: a.preds,
		Groups: []GroupColumn{{Name: "sex", Values: a.sex}, {Name: "race", Values: a.race}}}
}

type fairlearnAttr struct {
	ByGroup map[string]struct {
		SelectionRate     float64 `json:"selection_rate"`
		TruePositiveRate  float64 `json:"true_positive_rate"`
		FalsePositiveRate float64 `json:"false_positive_rate"`
		Count             float64 `json:"count"`
	} `json:"by_group"`
	DPD    float64 `json:"demographic_parity_difference"`
	DPR    float64 `json:"demographic_parity_ratio"`
	EqOdds float64 `json:"equalized_odds_difference"`
	TPRD   float64 `json:"true_positive_rate_difference"`
}

type fairlearnRef struct {
	Unweighted map[string]fairlearnAttr      `json:"unweighted"`
	Weighted   map[string]fairlearnAttr      `json:"weighted"`
	AUC        map[string]map[string]float64 `json:"sklearn_roc_auc"`
}

// TestFairlearnAdult compares the audit with fairlearn v0.9.0 MetricFrame
// figures on the same Adult decisions (testdata/fairlearn_adult.json, made
// by testdata/fairlearn_adult.py), to 1e-12 wherever candor's rate is
// defined. On this data every group has both outcomes and every rate is
// defined, so there is no group where fairlearn's 0 for an undefined rate
// (sklearn's confusion_matrix with normalize="true" turns 0/0 into 0)
// differs from candor's "undefined"; that case is TestFairlearnZeroIsUndefined.
func TestFairlearnAdult(t *testing.T) {
	a := loadAdult(t)
	raw, err := os.ReadFile("testdata/fairlearn_adult.json")
	require.NoError(t, err)
	var ref fairlearnRef
	require.NoError(t, json.Unmarshal(raw, &ref))

	weights := make([]float64, len(a.labels))
	for i := range weights {
		weights[i] = 1 + float64(i%4)/2 // as in fairlearn_adult.py
	}
	for _, tc := range []struct {
		name    string
		weights []float64
		scored  bool
		ref     map[string]fairlearnAttr
	}{
		{"unweighted predictions", nil, false, ref.Unweighted},
		{"unweighted scores", nil, true, ref.Unweighted},
		{"predictions and scores", nil, true, ref.Unweighted},
		{"weighted", weights, false, ref.Weighted},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := a.data()
			d.Weights = tc.weights
			switch {
			case tc.name == "predictions and scores":
				// Predictions decide; scores feed only AUC and calibration,
				// and the (wrong) threshold is ignored.
				d.Scores, d.Threshold = a.scores, 0.9
			case tc.scored:
				d.Predictions, d.Scores, d.Threshold = nil, a.scores, 0.5
			}
			rep, err := Audit(context.Background(), d, nil)
			require.NoError(t, err)
			parts := rep.Partitions()
			require.Len(t, parts, 3)
			for _, p := range parts {
				fl, ok := tc.ref[p.Attribute]
				require.True(t, ok, p.Attribute)
				require.Len(t, p.Groups, len(fl.ByGroup), p.Attribute)
				for _, g := range p.Groups {
					want, ok := fl.ByGroup[g.Name]
					require.True(t, ok, g.Name)
					require.Equal(t, want.Count, float64(g.Count), g.Name)
					for _, m := range []struct {
						what string
						r    Rate
						want float64
					}{{"selection", g.SelectionRate, want.SelectionRate}, {"tpr", g.TPR, want.TruePositiveRate}, {"fpr", g.FPR, want.FalsePositiveRate}} {
						require.True(t, m.r.Defined, "%s %s", g.Name, m.what)
						require.InDelta(t, m.want, m.r.Value, 1e-12, "%s %s %s", p.Attribute, g.Name, m.what)
					}
				}
				require.InDelta(t, fl.DPD, p.DemographicParityDifference.Value, 1e-12, p.Attribute)
				require.InDelta(t, fl.DPR, p.DemographicParityRatio.Value, 1e-12, p.Attribute)
				require.InDelta(t, fl.EqOdds, p.EqualizedOddsDifference.Value, 1e-12, p.Attribute)
				require.InDelta(t, fl.TPRD, p.EqualOpportunityDifference.Value, 1e-12, p.Attribute)
				if tc.scored && tc.weights == nil {
					for _, g := range p.Groups {
						require.True(t, g.AUC.Defined)
						// sklearn.metrics.roc_auc_score on the same rounded scores.
						require.InDelta(t, ref.AUC[p.Attribute][g.Name], g.AUC.Value, 1e-12, g.Name)
					}
				}
			}
		})
	}
}

// TestFairlearnZeroIsUndefined is where candor and fairlearn part ways. On
// the hand table (group C has no favourable outcome), fairlearn v0.9.0
// reports (MetricFrame by_group, run by hand with the same rows):
//
//	    tpr       fpr       sel
//	A   0.666667  0.333333  0.500000
//	B   1.000000  0.000000  0.250000
//	C   0.000000  0.333333  0.333333
//
// and equalized_odds_difference = 1.0: C's TPR of 0 is 0/0, and the 1.0 is
// B's 1 against that invented 0. candor reports C's TPR as undefined,
// leaves C out of the TPR spread, and finds 1/3 (A against B). Every
// defined figure agrees.
func TestFairlearnZeroIsUndefined(t *testing.T) {
	rep, err := Audit(context.Background(), handData(handTable), nil)
	require.NoError(t, err)
	fl := map[string][3]float64{"A": {2.0 / 3, 1.0 / 3, 0.5}, "B": {1, 0, 0.25}, "C": {0, 1.0 / 3, 1.0 / 3}}
	for _, g := range rep.Groups {
		w := fl[g.Name]
		if g.Name == "C" {
			require.False(t, g.TPR.Defined) // fairlearn: 0
		} else {
			require.InDelta(t, w[0], g.TPR.Value, 1e-15)
		}
		require.InDelta(t, w[1], g.FPR.Value, 1e-15)
		require.InDelta(t, w[2], g.SelectionRate.Value, 1e-15)
	}
	require.InDelta(t, 1.0/3, rep.EqualizedOddsDifference.Value, 1e-15) // fairlearn: 1.0
}
