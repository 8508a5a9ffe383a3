package fit_test

import (
	"context"
	"encoding/json"
	"os"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/fit"
)

// TestLinearSpecialCodes: declared special codes get indicator columns in
// a least-squares fit as in a logistic one (the numeric column takes the
// median of the other values on the codes' rows), and the coefficients
// equal statsmodels OLS on that design (testdata/linear_special.py) to
// 1e-8; the model folds each code into a special bin of the feature's
// term: effect b*fill + g.
func TestLinearSpecialCodes(t *testing.T) {
	var ref struct {
		Fill   float64   `json:"fill"`
		Names  []string  `json:"names"`
		Coef   []float64 `json:"coef"`
		StdErr []float64 `json:"stderr"`
		R2     float64   `json:"r2"`
	}
	b, err := os.ReadFile("testdata/linear_special.json")
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &ref))
	f, err := os.Open("testdata/linear_special.csv")
	require.NoError(t, err)
	defer f.Close()
	tab, err := score.ReadCSV(f, nil)
	require.NoError(t, err)
	decl := score.Declarations{Features: map[string]score.Declaration{"months_since_delinquency": {
		Special: map[string]string{"-7": "no delinquency on record", "-9": "no bureau record"}}}}
	s, err := tab.InferSchemaWith(&decl)
	require.NoError(t, err)
	s, err = s.WithRoles(score.Ignored, "score")
	require.NoError(t, err)
	fitted, err := fit.Linear(context.Background(), tab, s, "score", nil)
	require.NoError(t, err)
	var names []string
	for k, c := range fitted.Coefficients {
		names = append(names, c.Name)
		require.InDelta(t, ref.Coef[k], c.Estimate, 1e-8, c.Name)
		require.InDelta(t, ref.StdErr[k], c.StdErr, 1e-8, c.Name)
	}
	require.Equal(t, ref.Names, names)
	require.InDelta(t, ref.R2, fitted.R2, 1e-10)

	m := fitted.Model
	j := m.TermOf("months_since_delinquency")
	require.Equal(t, score.BinnedTerm, m.TermKind(j))
	bm := ref.Coef[1]
	for _, c := range []struct {
		x    float64
		want float64
	}{{-9, bm*ref.Fill + ref.Coef[3]}, {-7, bm*ref.Fill + ref.Coef[4]}, {12, bm * 12}} {
		eff, _, err := m.Effect(j, score.Num(c.x))
		require.NoError(t, err)
		require.InDelta(t, c.want, eff, 1e-8, "x=%v", c.x)
	}
	// A whole prediction: intercept + months + utilisation terms.
	r, err := m.Score(score.Record{score.Num(-9), score.Num(0.5), score.Missing()})
	require.NoError(t, err)
	require.InDelta(t, ref.Coef[0]+bm*ref.Fill+ref.Coef[3]+0.5*ref.Coef[2], r.Score, 1e-8)
}
