package pmml_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/fit"
	"github.com/candorscore/candor/score/pmml"
)

// indicatorModel is the logistic model of testdata/logistic_missing.csv
// (a copy of score/fit's fixture) with blank indicators and the declared
// code -7: binned terms, a categorical missing effect that is no level's,
// and plain linear terms.
func indicatorModel(t *testing.T) (*score.Model, *score.Table) {
	t.Helper()
	tab, s := indicatorTable(t)
	fitted, err := fit.Logistic(context.Background(), tab, s, "default", "yes", &fit.LogisticOptions{Missing: fit.MissingIndicator})
	require.NoError(t, err)
	return fitted.Model, tab
}

// indicatorTable reads testdata/logistic_missing.csv, with the code -7 of
// months_since_delinquency declared.
func indicatorTable(t *testing.T) (*score.Table, *score.Schema) {
	t.Helper()
	f, err := os.Open("testdata/logistic_missing.csv")
	require.NoError(t, err)
	defer f.Close()
	tab, err := score.ReadCSV(f, nil)
	require.NoError(t, err)
	decl := score.Declarations{Features: map[string]score.Declaration{"months_since_delinquency": {
		Special: map[string]string{"-7": "no late payment on record"}}}}
	s, err := tab.InferSchemaWith(&decl)
	require.NoError(t, err)
	return tab, s
}

// TestPMMLLogisticAsScorecard: a logistic model that a RegressionModel
// cannot hold (a blank indicator or a special code makes a binned term)
// is written as a Scorecard whose points are its log-odds; it was refused
// ("a binned term has no exact regression form"). Read gives back the
// same model (fingerprint), and the document's probabilities, evaluated
// by an independent reading of the PMML Scorecard rules
// (testdata/pmml_scorecard_eval.py on testdata/logistic_indicator.pmml),
// equal candor's to 1e-12 on every row.
func TestPMMLLogisticAsScorecard(t *testing.T) {
	m, tab := indicatorModel(t)
	doc := pmmlOf(t, m, nil)
	require.Contains(t, string(doc), `reasonCodeAlgorithm="pointsAbove"`)
	require.NotContains(t, string(doc), "<RegressionModel")
	golden := "testdata/logistic_indicator.pmml"
	if os.Getenv("CANDOR_UPDATE_GOLDEN") == "1" {
		require.NoError(t, os.WriteFile(golden, doc, 0o644))
	}
	want, err := os.ReadFile(golden)
	require.NoError(t, err)
	require.Equal(t, string(want), string(doc), "CANDOR_UPDATE_GOLDEN=1 go test ./score/pmml -run TestPMMLLogisticAsScorecard rewrites it")

	back, err := pmml.Read(bytes.NewReader(doc), nil)
	require.NoError(t, err)
	require.Equal(t, score.LogisticModel, back.Kind())
	require.Equal(t, m.Fingerprint(), back.Fingerprint())

	var ref struct {
		Probability []*float64 `json:"probability"`
	}
	b, err := os.ReadFile("testdata/logistic_indicator_eval.json")
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &ref))
	require.Len(t, ref.Probability, tab.Len())
	blanks := 0
	for i := 0; i < tab.Len(); i++ {
		rec, err := tab.Record(back.Schema(), i)
		require.NoError(t, err)
		r, err := back.Score(rec)
		require.NoError(t, err)
		require.NotNil(t, ref.Probability[i], "row %d", i+1)
		require.InDelta(t, *ref.Probability[i], float64(r.Probability), 1e-12, "row %d", i+1)
		for _, v := range rec {
			if v.IsMissing() {
				blanks++
				break
			}
		}
	}
	require.Greater(t, blanks, 200, "the rows with a blank are checked too")

	// Without the metadata a reader could not tell log-odds from points.
	var buf bytes.Buffer
	err = pmml.Write(&buf, m, &pmml.Options{NoMetadata: true})
	require.True(t, errors.Is(err, pmml.ErrUnsupported), "%v", err)
	require.Contains(t, err.Error(), "export it with the metadata")
}

// TestPMMLLinearAsScorecard: a linear model with binned terms (the same
// file's utilisation on the other columns, blank indicators and the code
// -7) is written as a Scorecard whose points are the predicted value, and
// reads back to the same model, scoring every row to the same bits.
func TestPMMLLinearAsScorecard(t *testing.T) {
	tab, s := indicatorTable(t)
	fitted, err := fit.Linear(context.Background(), tab, s, "utilisation", &fit.LinearOptions{Missing: fit.MissingIndicator})
	require.NoError(t, err)
	m := fitted.Model
	doc := pmmlOf(t, m, nil)
	require.Contains(t, string(doc), "<Scorecard ")
	require.NotContains(t, string(doc), `name="probability"`)
	back, err := pmml.Read(bytes.NewReader(doc), nil)
	require.NoError(t, err)
	require.Equal(t, score.LinearModel, back.Kind())
	require.Equal(t, m.Fingerprint(), back.Fingerprint())
	require.Equal(t, scoresOf(t, m, tab), scoresOf(t, back, tab))
}
