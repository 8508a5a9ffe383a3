package fit_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/examples/datasets"
	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/fit"
)

// TestCollinearMatchesStatsmodels checks every variance inflation factor
// fit.Logistic reports against statsmodels' variance_inflation_factor on
// the same design (testdata/vif.json, made by testdata/vif.py), each
// categorical feature with several columns against its generalized VIF
// computed there from Fox and Monette's determinants, and that exactly the
// inputs with a VIF (GVIF^(1/columns)) of at least 10 are reported: none on
// German credit (largest 6.30; largest feature GVIF^(1/d) 1.92, property), and
// on Telco MonthlyCharges (866.1, the sum of the services it prices),
// InternetService (GVIF 625.0 over 2 columns, 25.0 per column), PhoneService,
// StreamingTV, StreamingMovies and TotalCharges.
func TestCollinearMatchesStatsmodels(t *testing.T) {
	b, err := os.ReadFile("testdata/vif.json")
	require.NoError(t, err)
	var refs map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(b, &refs))
	for _, c := range []struct {
		ref, data, target, event string
		exclude                  []string
		want                     []string
	}{
		{"german_credit", datasets.GermanCredit, "creditability", "bad", nil, nil},
		{"telco_churn", datasets.TelcoChurn, "Churn", "Yes", []string{"customerID"},
			[]string{"MonthlyCharges", "InternetService", "PhoneService=Yes", "StreamingMovies=Yes", "StreamingTV=Yes", "TotalCharges"}},
	} {
		t.Run(c.ref, func(t *testing.T) {
			var ref, gref map[string]float64
			require.NoError(t, json.Unmarshal(refs[c.ref], &ref))
			require.NoError(t, json.Unmarshal(refs[c.ref+"_gvif"], &gref))
			_, fitted := fitDataset(t, c.data, c.target, c.event, c.exclude, &fit.LogisticOptions{Missing: fit.MissingDrop})
			got := map[string]fit.Collinear{}
			for _, co := range fitted.Collinear {
				got[co.Column] = co
			}
			var want []string
			for col, vif := range ref {
				if _, grouped := gref[strings.SplitN(col, "=", 2)[0]]; grouped && strings.Contains(col, "=") {
					require.NotContains(t, got, col, "a level of a feature judged whole")
					continue
				}
				if vif < fit.VIFLimit {
					require.NotContains(t, got, col)
					continue
				}
				want = append(want, col)
				require.Contains(t, got, col)
				require.Equal(t, 1, got[col].Columns)
				require.InEpsilon(t, vif, got[col].VIF, 1e-6, col)
			}
			for feat, gvif := range gref {
				if math.Pow(gvif, 1/float64(levelColumns(ref, feat))) < fit.VIFLimit {
					require.NotContains(t, got, feat)
					continue
				}
				want = append(want, feat)
				require.Contains(t, got, feat)
				require.Equal(t, levelColumns(ref, feat), got[feat].Columns)
				require.InEpsilon(t, gvif, got[feat].GVIF, 1e-6, feat)
			}
			require.ElementsMatch(t, c.want, want)
			require.Len(t, got, len(want))
			if len(want) > 0 {
				require.Equal(t, "MonthlyCharges", fitted.Collinear[0].Column)
			}
		})
	}
}

// levelColumns counts feat's level columns in a vif.json design.
func levelColumns(ref map[string]float64, feat string) int {
	n := 0
	for col := range ref {
		if strings.HasPrefix(col, feat+"=") {
			n++
		}
	}
	return n
}

// A categorical feature's dummy columns are collinear with one another
// whenever its reference level is rare: with "a" on 2% of the rows, the
// columns for "b" and "c" sum to 1 on the other 98%, so each one's VIF is
// 13.0 (numpy: the diagonal of the inverse correlation matrix of x,
// segment=b, segment=c) and a per-column rule warned "segment=b ... most
// correlated with segment=c", which no --exclude can act on, although the
// feature is unrelated to the other input. The feature's columns are judged
// together by their generalized VIF (Fox and Monette 1992), which does not
// depend on the reference level chosen: here 1.0001 (numpy:
// det(R_segment) det(R_x) / det(R)), far below the limit.
// Before, the fit warned twice (IBM HR attrition file, trial23:
// "Department=Sales ... most correlated with Department=Research &
// Development", "EducationField=Life Sciences ... EducationField=Medical").
func TestCollinearJudgesACategoricalFeatureWhole(t *testing.T) {
	var b strings.Builder
	b.WriteString("x,segment,y\n")
	for i := 0; i < 1000; i++ {
		seg := "b"
		switch {
		case i%50 == 7:
			seg = "a"
		case i%2 == 1:
			seg = "c"
		}
		y := "no"
		if (i*7+i/50)%10 < 3 {
			y = "yes"
		}
		fmt.Fprintf(&b, "%d,%s,%s\n", (i*37)%101, seg, y)
	}
	tab, err := score.ReadCSV(strings.NewReader(b.String()), nil)
	require.NoError(t, err)
	s, err := tab.InferSchema().WithRoles(score.Ignored, "y")
	require.NoError(t, err)
	fitted, err := fit.Logistic(context.Background(), tab, s, "y", "yes", nil)
	require.NoError(t, err)
	require.Empty(t, fitted.Collinear)
}
