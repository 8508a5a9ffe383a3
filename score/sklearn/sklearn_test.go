package sklearn_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/examples/datasets"
	"github.com/candorscore/candor/explain"
	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/sklearn"
)

// TestSklearnGermanCredit: the imported scikit-learn model reproduces
// scikit-learn's predict_proba on all 1000 German credit rows to 1e-9
// (reference: testdata/sklearn_german_proba.csv, written by
// testdata/sklearn_german.py with scikit-learn 1.2.1).
func TestSklearnGermanCredit(t *testing.T) {
	b, err := os.ReadFile("testdata/sklearn_german.json")
	require.NoError(t, err)
	m, err := sklearn.Parse(b)
	require.NoError(t, err)
	require.Equal(t, score.LogisticModel, m.Kind())
	require.Equal(t, "bad", m.Event())
	require.Equal(t, 19, m.NumTerms())

	f, err := os.Open("testdata/sklearn_german_proba.csv")
	require.NoError(t, err)
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	require.NoError(t, err)
	require.Len(t, rows, 1001)

	tab, err := datasets.Load(datasets.GermanCredit)
	require.NoError(t, err)
	ex, err := explain.NewExplainer(m, nil)
	require.NoError(t, err)
	var e explain.Explanation
	var worst float64
	for i := 0; i < tab.Len(); i++ {
		rec, err := tab.Record(m.Schema(), i)
		require.NoError(t, err)
		r, err := m.Score(rec)
		require.NoError(t, err)
		want, err := strconv.ParseFloat(rows[i+1][1], 64)
		require.NoError(t, err)
		worst = math.Max(worst, math.Abs(float64(r.Probability)-want))
		require.InDelta(t, want, float64(r.Probability), 1e-9, "row %d", i+1)
		// explains like a native model: the breakdown adds up to the score.
		require.NoError(t, ex.Explain(rec, &e))
		sum := e.Baseline
		for _, c := range e.Contributions {
			sum += c
		}
		require.InDelta(t, r.Score, sum, 1e-9)
	}
	t.Logf("largest |p - sklearn p| over 1000 rows: %.3g", worst)

	// The first level of each categorical feature is the reference.
	spec := m.Spec()
	for _, term := range spec.Terms {
		if term.Kind == score.CategoricalTerm {
			require.Equal(t, term.Levels[0].Label, term.Reference)
			require.Equal(t, 0.0, term.Levels[0].Effect)
			require.NotNil(t, term.OtherEffect, "handle_unknown=ignore")
		}
	}
	// An unseen label takes the all-zero encoding: the same score as
	// sklearn's decision function with that feature's columns all 0.
	rec, err := tab.Record(m.Schema(), 0)
	require.NoError(t, err)
	j := m.Schema().Index("purpose")
	base, err := m.Score(rec)
	require.NoError(t, err)
	old := rec[j]
	rec[j] = score.Cat("spaceship")
	r, err := m.Score(rec)
	require.NoError(t, err)
	eff, _, err := m.Effect(termOf(m, "purpose"), old)
	require.NoError(t, err)
	var sk sklearn.Logistic
	require.NoError(t, json.Unmarshal(b, &sk))
	raw := 0.0
	for c, col := range sk.Columns {
		if col == "purpose="+old.Label() {
			raw = sk.Coef[c]
		}
	}
	// unseen: decision = base - (coef of the row's level) ; in candor units
	// base - eff + other, other = -coef(first level), eff = coef(level) - coef(first).
	require.InDelta(t, base.Score-raw, r.Score, 1e-12)
	require.InDelta(t, base.Score-eff+*spec.Terms[termOf(m, "purpose")].OtherEffect, r.Score, 1e-12)
}

func termOf(m *score.Model, feature string) int {
	for j := 0; j < m.NumTerms(); j++ {
		if m.Term(j).Feature == feature {
			return j
		}
	}
	return -1
}

func TestSklearnDropFirstAndErrors(t *testing.T) {
	doc := `{"format":"sklearn-logistic","format_version":1,"target":"churn","classes":["no","yes"],
"features":["tenure"],"center":[10],"scale":[4],
"categorical":{"plan":["a","b","c"],"plan=x":["p","q"]},"drop":{"plan":"a","plan=x":"p"},"handle_unknown":"error",
"columns":["plan=b","tenure","plan=x=q","plan=c"],"coef":[0.5,-2,1.5,-0.25],"intercept":0.1}`
	m, err := sklearn.Parse([]byte(doc))
	require.NoError(t, err)
	require.Equal(t, []string{"plan", "tenure", "plan=x"}, m.Schema().Names(), "term order follows the columns")
	// decision = 0.1 + 0.5*[plan=b] - 2*(tenure-10)/4 + 1.5*[plan=x=q] - 0.25*[plan=c]
	r, err := m.Score(score.Record{score.Cat("b"), score.Num(14), score.Cat("q")})
	require.NoError(t, err)
	require.InDelta(t, 0.1+0.5-2*(14.0-10)/4+1.5, r.Score, 1e-15)
	_, err = m.Score(score.Record{score.Cat("z"), score.Num(14), score.Cat("q")})
	require.ErrorIs(t, err, score.ErrUnknownCategory)
	_, err = m.Score(score.Record{score.Cat("a"), score.Missing(), score.Cat("q")})
	require.ErrorIs(t, err, score.ErrMissing)

	cases := []struct {
		name, from, to string
		want           error
	}{
		{"wrong format", `"sklearn-logistic"`, `"onnx"`, score.ErrMalformed},
		{"version", `"format_version":1`, `"format_version":2`, score.ErrFormatVersion},
		{"unknown field", `"intercept":0.1`, `"intercept":0.1,"solver":"lbfgs"`, score.ErrMalformed},
		{"coef count", `"coef":[0.5,-2,1.5,-0.25]`, `"coef":[0.5,-2,1.5]`, score.ErrMalformed},
		{"unknown column", `"plan=c"]`, `"plan=d"]`, score.ErrMalformed},
		{"stray column", `"plan=c"]`, `"age"]`, score.ErrMalformed},
		{"dropped level has a column", `"plan=b","tenure"`, `"plan=a","tenure"`, score.ErrMalformed},
		{"zero scale", `"scale":[4]`, `"scale":[0]`, score.ErrMalformed},
		{"one class", `"classes":["no","yes"]`, `"classes":["yes","yes"]`, score.ErrMalformed},
		{"missing numeric column", `"plan=b","tenure",`, `"plan=b","plan=b",`, score.ErrMalformed},
		{"not json", `{"format"`, `["format"`, score.ErrMalformed},
	}
	// A coefficient of 1e307 was accepted, and overflowed on any tenure
	// over 80: an import that overflows on ordinary inputs is refused.
	_, err = sklearn.Parse([]byte(strings.Replace(doc, `"coef":[0.5,-2,`, `"coef":[0.5,1e307,`, 1)))
	require.ErrorIs(t, err, score.ErrMalformed)
	require.Contains(t, err.Error(), `"tenure"`)
	require.Contains(t, err.Error(), "overflow")
	// A file over the size limit is a typed limit error.
	_, err = sklearn.Read(io.MultiReader(strings.NewReader(`{"format":"`), strings.NewReader(strings.Repeat("x", 65<<20))))
	require.ErrorIs(t, err, score.ErrLimit)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			bad := strings.Replace(doc, c.from, c.to, 1)
			require.NotEqual(t, doc, bad)
			_, err := sklearn.Parse([]byte(bad))
			require.ErrorIs(t, err, c.want)
		})
	}
}

func FuzzReadSklearn(f *testing.F) {
	b, err := os.ReadFile("testdata/sklearn_german.json")
	require.NoError(f, err)
	f.Add(b)
	f.Add([]byte(`{"format":"sklearn-logistic","format_version":1,"classes":["0","1"],"features":["x"],"categorical":{"c":["a","b"]},"columns":["x","c=a","c=b"],"coef":[1,2,3],"intercept":0}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := sklearn.Read(bytes.NewReader(b))
		if err != nil {
			if !score.IsModelError(err) {
				t.Fatalf("untyped error: %v", err)
			}
			return
		}
		// Scoring any record of the right shape never panics.
		rec := make(score.Record, m.Schema().Len())
		for i := range rec {
			if m.Schema().Feature(i).Kind == score.Numeric {
				rec[i] = score.Num(1)
			} else {
				rec[i] = score.Cat("a")
			}
		}
		_, _ = m.Score(rec)
	})
}

func ExampleParse() {
	doc := `{"format": "sklearn-logistic", "format_version": 1, "target": "churn", "classes": ["no", "yes"],
	 "features": ["tenure"], "center": [24], "scale": [12],
	 "categorical": {"contract": ["monthly", "yearly"]}, "handle_unknown": "error",
	 "columns": ["tenure", "contract=monthly", "contract=yearly"], "coef": [-0.6, 0.4, -0.4], "intercept": -1}`
	m, err := sklearn.Parse([]byte(doc))
	if err != nil {
		panic(err)
	}
	r, _ := m.Score(score.Record{score.Num(12), score.Cat("monthly")})
	// sklearn: -1 + -0.6*(12-24)/12 + 0.4 = 0.0
	fmt.Printf("event %s, log-odds %.3f, reference level %q\n", m.Event(), float64(r.LogOdds), m.Term(1).Reference)
	// Output:
	// event yes, log-odds 0.000, reference level "monthly"
}
