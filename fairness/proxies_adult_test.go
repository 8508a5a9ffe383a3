package fairness

import (
	"compress/gzip"
	"encoding/csv"
	"os"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestProxiesAdult runs proxy detection on UCI Adult (the repository's
// embedded copy, examples/datasets/adult.csv.gz). Reference associations
// were computed with scipy 1.10 / pandas 1.5: Cramér's V as
// sqrt(chi2_contingency(crosstab, correction=False)[0] / (n (min(r,c)-1)))
// and eta as sqrt(SS_between / SS_total).
func TestProxiesAdult(t *testing.T) {
	f, err := os.Open("../examples/datasets/adult.csv.gz")
	if os.IsNotExist(err) {
		t.Skip("no embedded Adult data")
	}
	require.NoError(t, err)
	defer f.Close()
	gz, err := gzip.NewReader(f)
	require.NoError(t, err)
	recs, err := csv.NewReader(gz).ReadAll()
	require.NoError(t, err)
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	cat := func(name string) Column {
		c := Column{Name: name, Categories: make([]string, 0, len(recs)-1)}
		for _, r := range recs[1:] {
			c.Categories = append(c.Categories, r[col[name]])
		}
		return c
	}
	num := func(name string) Column {
		c := Column{Name: name, Numeric: make([]float64, 0, len(recs)-1)}
		for _, r := range recs[1:] {
			x, err := strconv.ParseFloat(r[col[name]], 64)
			require.NoError(t, err)
			c.Numeric = append(c.Numeric, x)
		}
		return c
	}
	group := func(name string) GroupColumn { return GroupColumn{Name: name, Values: cat(name).Categories} }
	inputs := []Column{cat("relationship"), cat("occupation"), cat("workclass"), num("age"), num("hours_per_week"),
		cat("marital_status"), num("education_num"), num("capital_gain")}
	rep, err := Proxies(inputs, []GroupColumn{group("sex"), group("race")}, nil)
	require.NoError(t, err)
	want := map[[2]string]float64{
		{"relationship", "sex"}: 0.6465422226089419, {"relationship", "race"}: 0.09751178423651514,
		{"occupation", "sex"}: 0.42421455333680647, {"occupation", "race"}: 0.07890583187954602,
		{"workclass", "sex"}: 0.15178511502713804, {"workclass", "race"}: 0.05830296507829204,
		{"age", "sex"}: 0.08812002181336669, {"age", "race"}: 0.04261396165792154,
		{"hours_per_week", "sex"}: 0.22855979909118626, {"hours_per_week", "race"}: 0.05034913919881474,
	}
	for _, a := range rep.Associations {
		if w, ok := want[[2]string{a.Input, a.Protected}]; ok {
			assert.InDelta(t, w, a.Value.Value, 1e-12, "%s ~ %s", a.Input, a.Protected)
			assert.Equal(t, w > 0.5, a.Flagged, "%s ~ %s", a.Input, a.Protected)
		}
	}
	// relationship (Husband / Wife) gives sex away; race is much harder.
	require.Len(t, rep.Predictability, 2)
	assert.Greater(t, rep.Predictability[0].AUC.Value, 0.9)
	assert.True(t, rep.Predictability[0].Flagged)
	assert.Less(t, rep.Predictability[1].AUC.Value, rep.Predictability[0].AUC.Value)
	t.Logf("cross-validated naive Bayes AUC: sex %.3f, race %.3f", rep.Predictability[0].AUC.Value, rep.Predictability[1].AUC.Value)
}
