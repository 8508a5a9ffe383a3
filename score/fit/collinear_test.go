package fit_test

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/examples/datasets"
	"github.com/candorscore/candor/score/fit"
)

// TestCollinearMatchesStatsmodels checks every variance inflation factor
// fit.Logistic reports against statsmodels' variance_inflation_factor on
// the same design (testdata/vif.json, made by testdata/vif.py), and that
// exactly the columns with a VIF of at least 10 are reported: none on
// German credit (largest 6.30), and on Telco MonthlyCharges (866.1, the sum
// of the services it prices) and six service levels it is made of.
func TestCollinearMatchesStatsmodels(t *testing.T) {
	b, err := os.ReadFile("testdata/vif.json")
	require.NoError(t, err)
	var refs map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(b, &refs))
	for _, c := range []struct {
		ref, data, target, event string
		exclude                  []string
		want                     int
	}{
		{"german_credit", datasets.GermanCredit, "creditability", "bad", nil, 0},
		{"telco_churn", datasets.TelcoChurn, "Churn", "Yes", []string{"customerID"}, 7},
	} {
		t.Run(c.ref, func(t *testing.T) {
			var ref map[string]float64
			require.NoError(t, json.Unmarshal(refs[c.ref], &ref))
			_, fitted := fitDataset(t, c.data, c.target, c.event, c.exclude, &fit.LogisticOptions{Missing: fit.MissingDrop})
			got := map[string]fit.Collinear{}
			for _, co := range fitted.Collinear {
				got[co.Column] = co
			}
			want := 0
			for col, vif := range ref {
				if vif < fit.VIFLimit {
					require.NotContains(t, got, col)
					continue
				}
				want++
				require.Contains(t, got, col)
				require.InEpsilon(t, vif, got[col].VIF, 1e-6, col)
			}
			require.Equal(t, c.want, want)
			require.Len(t, got, want)
			if want > 0 {
				require.Equal(t, "MonthlyCharges", fitted.Collinear[0].Column)
			}
		})
	}
}
