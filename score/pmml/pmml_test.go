package pmml_test

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/examples/datasets"
	"github.com/candorscore/candor/explain"
	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/fit"
	"github.com/candorscore/candor/score/pmml"
)

// ---- a reader of the PMML 4.4 structure, independent of the package's own ----

type chkPMML struct {
	XMLName xml.Name `xml:"PMML"`
	Version string   `xml:"version,attr"`
	Header  *struct {
		Copyright string `xml:"copyright,attr"`
	} `xml:"Header"`
	Dictionary struct {
		N      int `xml:"numberOfFields,attr"`
		Fields []struct {
			Name     string `xml:"name,attr"`
			Optype   string `xml:"optype,attr"`
			DataType string `xml:"dataType,attr"`
			Values   []struct {
				Value string `xml:"value,attr"`
			} `xml:"Value"`
		} `xml:"DataField"`
	} `xml:"DataDictionary"`
	Scorecard  *chkModel `xml:"Scorecard"`
	Regression *chkModel `xml:"RegressionModel"`
}

type chkModel struct {
	FunctionName  string `xml:"functionName,attr"`
	Normalization string `xml:"normalizationMethod,attr"`
	InitialScore  string `xml:"initialScore,attr"`
	UseReasons    string `xml:"useReasonCodes,attr"`
	Algorithm     string `xml:"reasonCodeAlgorithm,attr"`
	Baseline      string `xml:"baselineScore,attr"`
	MiningSchema  *struct {
		Fields []struct {
			Name  string `xml:"name,attr"`
			Usage string `xml:"usageType,attr"`
		} `xml:"MiningField"`
	} `xml:"MiningSchema"`
	Output *struct {
		Fields []struct {
			Name    string `xml:"name,attr"`
			Feature string `xml:"feature,attr"`
			Value   string `xml:"value,attr"`
			Rank    int    `xml:"rank,attr"`
		} `xml:"OutputField"`
	} `xml:"Output"`
	Characteristics *struct {
		List []struct {
			Name       string `xml:"name,attr"`
			ReasonCode string `xml:"reasonCode,attr"`
			Baseline   string `xml:"baselineScore,attr"`
			Attributes []struct {
				ReasonCode   string `xml:"reasonCode,attr"`
				PartialScore string `xml:"partialScore,attr"`
				Complex      *struct {
					Apply *struct {
						Function string `xml:"function,attr"`
					} `xml:"Apply"`
				} `xml:"ComplexPartialScore"`
				Preds []struct {
					XMLName xml.Name
				} `xml:",any"`
			} `xml:"Attribute"`
		} `xml:"Characteristic"`
	} `xml:"Characteristics"`
	Tables []struct {
		Intercept string `xml:"intercept,attr"`
		Category  string `xml:"targetCategory,attr"`
		Numeric   []struct {
			Name string `xml:"name,attr"`
			Coef string `xml:"coefficient,attr"`
		} `xml:"NumericPredictor"`
		Categorical []struct {
			Name  string `xml:"name,attr"`
			Value string `xml:"value,attr"`
			Coef  string `xml:"coefficient,attr"`
		} `xml:"CategoricalPredictor"`
	} `xml:"RegressionTable"`
}

// checkPMMLStructure asserts what the PMML 4.4 schema requires of the
// elements candor writes: PMML@version, Header, DataDictionary with
// DataField@name/optype/dataType, a model element with functionName and a
// MiningSchema whose fields are all declared, and the model's own required
// children (Characteristics with Attributes carrying one predicate and a
// partial score or a ComplexPartialScore; RegressionTable@intercept).
func checkPMMLStructure(t *testing.T, doc []byte) *chkPMML {
	t.Helper()
	var p chkPMML
	require.NoError(t, xml.Unmarshal(doc, &p))
	require.Equal(t, "PMML", p.XMLName.Local)
	require.Equal(t, pmml.Namespace, p.XMLName.Space)
	require.Equal(t, "4.4", p.Version)
	require.NotNil(t, p.Header, "Header is required")
	require.Equal(t, len(p.Dictionary.Fields), p.Dictionary.N)
	declared := map[string]string{}
	for _, f := range p.Dictionary.Fields {
		require.NotEmpty(t, f.Name)
		require.Contains(t, []string{"categorical", "continuous", "ordinal"}, f.Optype)
		require.Contains(t, []string{"string", "double", "integer"}, f.DataType)
		declared[f.Name] = f.Optype
	}
	m := p.Scorecard
	if m == nil {
		m = p.Regression
	}
	require.NotNil(t, m, "one model element")
	require.NotEmpty(t, m.FunctionName)
	require.NotNil(t, m.MiningSchema, "MiningSchema is required")
	targets := 0
	for _, f := range m.MiningSchema.Fields {
		require.Contains(t, declared, f.Name, "mining field %s not in DataDictionary", f.Name)
		if f.Usage == "target" {
			targets++
		}
	}
	require.Equal(t, 1, targets)
	if p.Scorecard != nil {
		require.NotNil(t, m.Characteristics, "Characteristics is required")
		require.NotEmpty(t, m.Characteristics.List)
		for _, c := range m.Characteristics.List {
			require.NotEmpty(t, c.Attributes, "Characteristic %s needs an Attribute", c.Name)
			if m.UseReasons == "true" && m.Baseline == "" {
				require.NotEmpty(t, c.Baseline, "useReasonCodes needs a baselineScore on %s", c.Name)
			}
			for _, a := range c.Attributes {
				if a.Complex != nil {
					require.Empty(t, a.PartialScore, "a ComplexPartialScore replaces partialScore")
					require.NotNil(t, a.Complex.Apply, "ComplexPartialScore holds an expression")
				} else {
					require.NotEmpty(t, a.PartialScore)
				}
				require.Len(t, a.Preds, 1, "one predicate per Attribute")
				require.Contains(t, []string{"SimplePredicate", "CompoundPredicate", "SimpleSetPredicate", "True", "False"}, a.Preds[0].XMLName.Local)
				if m.UseReasons == "true" {
					require.True(t, a.ReasonCode != "" || c.ReasonCode != "", "reason code on %s", c.Name)
				}
			}
		}
	} else {
		require.NotEmpty(t, m.Tables, "RegressionTable is required")
		for _, tb := range m.Tables {
			require.NotEmpty(t, tb.Intercept)
			for _, np := range tb.Numeric {
				require.Equal(t, "continuous", declared[np.Name])
			}
			for _, cp := range tb.Categorical {
				require.Equal(t, "categorical", declared[cp.Name])
			}
		}
	}
	return &p
}

func germanTable(t testing.TB) (*score.Table, *score.Schema) {
	tab, s, err := datasets.LoadSchema(datasets.GermanCredit, "personal_status_and_sex")
	require.NoError(t, err)
	return tab, s
}

// scoresOf scores every row of tab with m.
func scoresOf(t testing.TB, m *score.Model, tab *score.Table) []float64 {
	t.Helper()
	out := make([]float64, tab.Len())
	for i := range out {
		rec, err := tab.Record(m.Schema(), i)
		require.NoError(t, err)
		r, err := m.Score(rec)
		require.NoError(t, err)
		out[i] = r.Score
	}
	return out
}

func pmmlOf(t testing.TB, m *score.Model, opts *pmml.Options) []byte {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, pmml.Write(&b, m, opts))
	return b.Bytes()
}

func TestPMMLLogisticRoundTripGermanCredit(t *testing.T) {
	tab, s := germanTable(t)
	fitted, err := fit.Logistic(context.Background(), tab, s, "creditability", "bad", nil)
	require.NoError(t, err)
	m := fitted.Model
	doc := pmmlOf(t, m, nil)
	p := checkPMMLStructure(t, doc)
	require.NotNil(t, p.Regression)
	require.Equal(t, "classification", p.Regression.FunctionName)
	require.Equal(t, "logit", p.Regression.Normalization)
	require.Len(t, p.Regression.Tables, 2)
	require.Equal(t, "bad", p.Regression.Tables[0].Category)
	require.Equal(t, "good", p.Regression.Tables[1].Category)
	require.Equal(t, "0", p.Regression.Tables[1].Intercept)
	// 3 numeric... every input appears: 7 numeric features, 13 categorical.
	require.Len(t, p.Regression.Tables[0].Numeric, 7)
	require.Equal(t, "probability", p.Regression.Output.Fields[0].Feature)
	require.Equal(t, "bad", p.Regression.Output.Fields[0].Value)

	back, err := pmml.Read(bytes.NewReader(doc), nil)
	require.NoError(t, err)
	require.Equal(t, m.Fingerprint(), back.Fingerprint(), "metadata extension restores the model exactly")
	want := scoresOf(t, m, tab)
	require.Equal(t, want, scoresOf(t, back, tab), "identical scores on all 1000 rows")

	// Without the candor extension a PMML consumer still gets every score.
	bare, err := pmml.Read(bytes.NewReader(pmmlOf(t, m, &pmml.Options{NoMetadata: true})), nil)
	require.NoError(t, err)
	require.Equal(t, score.LogisticModel, bare.Kind())
	require.Equal(t, "bad", bare.Event())
	require.Equal(t, want, scoresOf(t, bare, tab))
	// and JSON -> PMML -> JSON -> load gives the same model again.
	var js bytes.Buffer
	require.NoError(t, back.Save(&js))
	again, err := score.Load(&js)
	require.NoError(t, err)
	require.Equal(t, m.Fingerprint(), again.Fingerprint())
}

// handScorecard exercises every bin kind: missing, special, ranges with
// PMML-style "<=" bounds, category groups, other.
func handScorecard(t testing.TB) *score.Model {
	t.Helper()
	f := func(x float64) *float64 { return &x }
	up := func(x float64) *float64 { return f(math.Nextafter(x, math.Inf(1))) }
	sc := score.NewScaling(0, 0, 0)
	spec := score.Spec{Name: "hand", Version: "3", Kind: score.ScorecardModel, Target: "bad", Event: "1",
		Features: []score.Feature{
			{Name: "id", Kind: score.Categorical, Role: score.Ignored},
			{Name: "months", Kind: score.Numeric},
			{Name: "housing", Kind: score.Categorical, Categories: []string{"free", "own", "rent"}},
			{Name: "sex", Kind: score.Categorical, Role: score.Protected},
			{Name: "balance", Kind: score.Numeric},
		},
		Intercept: 431.5, Scaling: &sc,
		Terms: []score.Term{
			{Feature: "months", Kind: score.BinnedTerm, Baseline: 20.25, ReasonCode: "M1", Bins: []score.Bin{
				{Kind: score.RangeBin, Lower: up(12), Upper: f(24), Effect: 15, WoE: 0.1, Count: 300},
				{Kind: score.RangeBin, Upper: up(12), Effect: 30.5, Label: "<= 12", Count: 200, Events: 20},
				{Kind: score.MissingBin, Effect: -4},
				{Kind: score.RangeBin, Lower: f(24), Effect: -2.25},
				{Kind: score.SpecialBin, Special: f(-9), Effect: 7, ReasonCode: "M9"},
			}},
			{Feature: "housing", Kind: score.BinnedTerm, Baseline: 3, Bins: []score.Bin{
				{Kind: score.CategoryBin, Categories: []string{"rent", "free"}, Effect: -6},
				{Kind: score.CategoryBin, Categories: []string{"own"}, Effect: 9},
				{Kind: score.OtherBin, Effect: 0.5},
			}},
			{Feature: "balance", Kind: score.BinnedTerm, Baseline: 1, ReasonBaseline: f(5), Bins: []score.Bin{
				{Kind: score.RangeBin, Upper: f(0), Effect: -10},
				{Kind: score.RangeBin, Lower: f(0), Effect: 5},
				{Kind: score.SpecialBin, Special: f(0), Effect: 1},
			}},
		}}
	m, err := score.NewModel(spec)
	require.NoError(t, err)
	return m
}

// TestHandScorecardFile: testdata/hand_scorecard.json, the copy of
// handScorecard that score/monitor's tests load, is handScorecard's Save
// output byte for byte (CANDOR_UPDATE_GOLDEN=1 rewrites the file).
func TestHandScorecardFile(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, handScorecard(t).Save(&buf))
	const file = "testdata/hand_scorecard.json"
	if os.Getenv("CANDOR_UPDATE_GOLDEN") == "1" {
		require.NoError(t, os.WriteFile(file, buf.Bytes(), 0o644))
	}
	b, err := os.ReadFile(file)
	require.NoError(t, err)
	require.Equal(t, buf.String(), string(b), file+" is stale: rerun with CANDOR_UPDATE_GOLDEN=1")
}

func handRecords() []score.Record {
	var out []score.Record
	months := []score.Value{score.Missing(), score.Num(-9), score.Num(-1e300), score.Num(0), score.Num(12), score.Num(math.Nextafter(12, 13)),
		score.Num(23.999), score.Num(24), score.Num(1e9)}
	housing := []score.Value{score.Missing(), score.Cat("own"), score.Cat("rent"), score.Cat("free"), score.Cat("castle")}
	balance := []score.Value{score.Num(-1), score.Num(0), score.Num(math.Nextafter(0, 1)), score.Num(1e6), score.Missing()}
	for _, a := range months {
		for _, b := range housing {
			for _, c := range balance {
				out = append(out, score.Record{score.Cat("x"), a, b, score.Cat("f"), c})
			}
		}
	}
	return out
}

type outcome struct {
	score float64
	err   error
}

func outcomes(m *score.Model, recs []score.Record) []outcome {
	out := make([]outcome, len(recs))
	for i, r := range recs {
		res, err := m.Score(r)
		out[i] = outcome{res.Score, err}
	}
	return out
}

func sameOutcomes(t *testing.T, want, got []outcome) {
	t.Helper()
	require.Len(t, got, len(want))
	for i := range want {
		require.Equal(t, want[i].err == nil, got[i].err == nil, "record %d: %v vs %v", i, want[i].err, got[i].err)
		if want[i].err == nil {
			require.Equal(t, want[i].score, got[i].score, "record %d", i)
		} else {
			for _, s := range []error{score.ErrMissing, score.ErrUnknownCategory, score.ErrWrongKind} {
				require.Equal(t, errors.Is(want[i].err, s), errors.Is(got[i].err, s), "record %d: %v vs %v", i, want[i].err, got[i].err)
			}
		}
	}
}

func TestPMMLScorecardRoundTripEveryBinKind(t *testing.T) {
	m := handScorecard(t)
	doc := pmmlOf(t, m, &pmml.Options{ReasonCodes: 3})
	p := checkPMMLStructure(t, doc)
	sc := p.Scorecard
	require.Equal(t, "431.5", sc.InitialScore)
	require.Equal(t, "pointsBelow", sc.Algorithm)
	// months: missing, special -9, (-inf,12], (12,24), [24,inf)
	ch := sc.Characteristics.List[0]
	require.Equal(t, "M1", ch.ReasonCode)
	require.Equal(t, "20.25", ch.Baseline, "undeclared reason baseline is written as the population baseline")
	require.Equal(t, []string{"-4", "7", "30.5", "15", "-2.25"}, func() []string {
		var s []string
		for _, a := range ch.Attributes {
			s = append(s, a.PartialScore)
		}
		return s
	}())
	require.Equal(t, "M9", ch.Attributes[1].ReasonCode)
	require.Contains(t, string(doc), `<SimplePredicate field="months" operator="lessOrEqual" value="12"></SimplePredicate>`)
	require.Contains(t, string(doc), `<SimplePredicate field="months" operator="greaterThan" value="12"></SimplePredicate>`)
	require.Contains(t, string(doc), `<SimplePredicate field="housing" operator="isNotMissing"></SimplePredicate>`)
	require.Contains(t, string(doc), `<Array n="2" type="string">rent free</Array>`)
	ranks := 0
	for _, o := range sc.Output.Fields {
		if o.Feature == "reasonCode" {
			ranks++
		}
	}
	require.Equal(t, 3, ranks)

	back, err := pmml.Read(bytes.NewReader(doc), nil)
	require.NoError(t, err)
	require.Equal(t, m.Fingerprint(), back.Fingerprint())
	recs := handRecords()
	want := outcomes(m, recs)
	sameOutcomes(t, want, outcomes(back, recs))

	bare, err := pmml.Read(bytes.NewReader(pmmlOf(t, m, &pmml.Options{NoMetadata: true})), nil)
	require.NoError(t, err)
	bs := bare.Spec()
	require.Equal(t, "pointsBelow", bs.Reasons.Algorithm, "exported reason rules are declared on a bare import")
	require.InDelta(t, 20.25, *bs.Terms[0].ReasonBaseline, 0)
	require.Equal(t, []string{"months", "housing", "balance"}, []string{bs.Features[0].Name, bs.Features[1].Name, bs.Features[2].Name})
	bareRecs := make([]score.Record, len(recs))
	for i, r := range recs {
		bareRecs[i] = score.Record{r[1], r[2], r[4]}
	}
	sameOutcomes(t, want, outcomes(bare, bareRecs))
}

func TestPMMLLinearRoundTrip(t *testing.T) {
	fill := 3.0
	spec := score.Spec{Name: "spend", Kind: score.LinearModel, Target: "spend",
		Features:  []score.Feature{{Name: "tenure", Kind: score.Numeric}, {Name: "plan", Kind: score.Categorical, Categories: []string{"a", "b", "c"}}},
		Intercept: 12.5,
		Terms: []score.Term{
			{Feature: "tenure", Kind: score.LinearTerm, Coef: 0.75, Fill: &fill},
			{Feature: "plan", Kind: score.CategoricalTerm, Reference: "a", Levels: []score.Level{{Label: "a"}, {Label: "b", Effect: 2}, {Label: "c", Effect: -1.5}}},
		}}
	m, err := score.NewModel(spec)
	require.NoError(t, err)
	doc := pmmlOf(t, m, nil)
	p := checkPMMLStructure(t, doc)
	require.Equal(t, "regression", p.Regression.FunctionName)
	require.Empty(t, p.Regression.Normalization)
	require.Contains(t, string(doc), `missingValueReplacement="3"`)
	bare, err := pmml.Read(bytes.NewReader(pmmlOf(t, m, &pmml.Options{NoMetadata: true})), nil)
	require.NoError(t, err)
	recs := []score.Record{{score.Num(10), score.Cat("b")}, {score.Missing(), score.Cat("a")}, {score.Num(1), score.Cat("z")}, {score.Num(1), score.Missing()}}
	sameOutcomes(t, outcomes(m, recs), outcomes(bare, recs))
	r, err := bare.Score(recs[0])
	require.NoError(t, err)
	require.InDelta(t, 12.5+7.5+2, r.Score, 0)
}

func TestPMMLExportLogisticOtherEffect(t *testing.T) {
	other := 0.25
	spec := score.Spec{Name: "x", Kind: score.LogisticModel,
		Features: []score.Feature{{Name: "plan", Kind: score.Categorical}},
		Terms:    []score.Term{{Feature: "plan", Kind: score.CategoricalTerm, Reference: "a", OtherEffect: &other, Levels: []score.Level{{Label: "a"}, {Label: "b", Effect: 1}}}}}
	m, err := score.NewModel(spec)
	require.NoError(t, err)
	// An unknown category's effect is not 0, so no RegressionModel holds
	// the model: it is written as a Scorecard of log-odds, which reads
	// back only with candor's metadata (it was refused, naming the field).
	err = pmml.Write(&bytes.Buffer{}, m, &pmml.Options{NoMetadata: true})
	require.ErrorIs(t, err, pmml.ErrUnsupported)
	back, err := pmml.Read(bytes.NewReader(pmmlOf(t, m, nil)), nil)
	require.NoError(t, err)
	require.Equal(t, m.Fingerprint(), back.Fingerprint())
	r, err := back.Score(score.Record{score.Cat("z")})
	require.NoError(t, err)
	require.InDelta(t, 0.25, r.Score, 0) // the other effect; intercept 0
}

// TestPMMLDMGSampleScorecard imports the specification's sample scorecard.
// Expected values: the JPMML-Evaluator test of the same document
// (CharacteristicReasonCodeTest: department "engineering", age 25, income
// 500 give Final Score 29 and reason codes RC2, RC1, none), and hand
// computation from the document's tables (partial scores summed from
// initialScore 0; reason-code gap = baselineScore - partial score).
func TestPMMLDMGSampleScorecard(t *testing.T) {
	b, err := os.ReadFile("testdata/pmml_dmg_sample_scorecard.xml")
	require.NoError(t, err)
	m, err := pmml.Read(bytes.NewReader(b), nil)
	require.NoError(t, err)
	require.Equal(t, score.ScorecardModel, m.Kind())
	require.Equal(t, "SampleScorecard", m.Name())
	require.Equal(t, "overallScore", m.Target())
	require.Equal(t, []string{"department", "age", "income"}, m.Schema().Names())
	spec := m.Spec()
	require.Equal(t, "pointsBelow", spec.Reasons.Algorithm)
	require.Nil(t, spec.Reasons.Baseline)
	up := func(x float64) float64 { return math.Nextafter(x, math.Inf(1)) }
	age := spec.Terms[1]
	require.Equal(t, "RC2", age.ReasonCode)
	require.InDelta(t, 18, *age.ReasonBaseline, 0)
	require.Len(t, age.Bins, 5)
	require.Equal(t, score.MissingBin, age.Bins[0].Kind)
	require.Nil(t, age.Bins[1].Lower)
	require.Equal(t, up(18), *age.Bins[1].Upper, "age <= 18 is [-Inf, Nextafter(18, +Inf))")
	require.Equal(t, up(39), *age.Bins[4].Lower)

	cases := []struct {
		name  string
		rec   score.Record
		score float64
		codes []string
		err   error
	}{
		{"specification example", score.Record{score.Cat("engineering"), score.Num(25), score.Num(500)}, 29, []string{"RC2", "RC1"}, nil},
		// 19 + (-3) + 26: age 18 and income 1000 fall in the "<=" attributes; gaps RC1 0, RC2 21, RC3 -16.
		{"bounds are inclusive", score.Record{score.Cat("marketing"), score.Num(18), score.Num(1000)}, 42, []string{"RC2"}, nil},
		// -9 + 18 + (-3): gaps RC1 28, RC2 0, RC3 13.
		{"missing department", score.Record{score.Missing(), score.Num(40), score.Num(2500.5)}, 6, []string{"RC1", "RC3"}, nil},
		// 6 + (-1) + 5: gaps RC1 13, RC2 19, RC3 5.
		{"missing age and income", score.Record{score.Cat("business"), score.Missing(), score.Missing()}, 10, []string{"RC2", "RC1", "RC3"}, nil},
		{"no attribute matches an unknown department", score.Record{score.Cat("sales"), score.Num(30), score.Num(1)}, 0, nil, score.ErrUnknownCategory},
	}
	ex, err := explain.NewExplainer(m, &explain.Options{MaxReasons: 3})
	require.NoError(t, err)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := m.Score(c.rec)
			if c.err != nil {
				require.ErrorIs(t, err, c.err)
				return
			}
			require.NoError(t, err)
			require.InDelta(t, c.score, r.Score, 0)
			var e explain.Explanation
			require.NoError(t, ex.Explain(c.rec, &e))
			var codes []string
			for _, rs := range e.Reasons {
				codes = append(codes, rs.Code)
			}
			require.Equal(t, c.codes, codes)
		})
	}

	// Export and re-import: the same scores and the same reason rules.
	doc := pmmlOf(t, m, nil)
	checkPMMLStructure(t, doc)
	back, err := pmml.Read(bytes.NewReader(doc), nil)
	require.NoError(t, err)
	require.Equal(t, m.Fingerprint(), back.Fingerprint())
	bare, err := pmml.Read(bytes.NewReader(pmmlOf(t, m, &pmml.Options{NoMetadata: true})), nil)
	require.NoError(t, err)
	var recs []score.Record
	for _, d := range []score.Value{score.Missing(), score.Cat("marketing"), score.Cat("engineering"), score.Cat("business"), score.Cat("x")} {
		for _, a := range []float64{-5, 18, up(18), 29, 30, 39, 39.5, 120} {
			for _, inc := range []float64{0, 1000, 1000.5, 2500, up(2500), 1e7} {
				recs = append(recs, score.Record{d, score.Num(a), score.Num(inc)})
			}
		}
	}
	sameOutcomes(t, outcomes(m, recs), outcomes(bare, recs))
	require.Equal(t, spec.Terms[0].ReasonCode, bare.Spec().Terms[0].ReasonCode)
}

func TestPMMLImportErrors(t *testing.T) {
	head := `<PMML xmlns="http://www.dmg.org/PMML-4_4" version="4.4"><Header/><DataDictionary>
<DataField name="x" optype="continuous" dataType="double"/><DataField name="y" optype="continuous" dataType="double"/>
<DataField name="c" optype="categorical" dataType="string"><Value value="a"/><Value value="b"/></DataField></DataDictionary>`
	sc := func(chars string) string {
		return head + `<Scorecard functionName="regression" useReasonCodes="false"><MiningSchema><MiningField name="x"/><MiningField name="y"/><MiningField name="c" invalidValueTreatment="asIs"/></MiningSchema><Characteristics>` + chars + `</Characteristics></Scorecard></PMML>`
	}
	attr := func(score, pred string) string {
		return `<Attribute partialScore="` + score + `">` + pred + `</Attribute>`
	}
	cases := []struct {
		name string
		doc  string
		want error
		elem string
	}{
		{"not xml", "{}", score.ErrMalformed, ""},
		{"not PMML", `<html/>`, score.ErrMalformed, "html"},
		{"PMML 3", `<PMML version="3.2"/>`, pmml.ErrUnsupported, "PMML"},
		{"tree model", head + `<TreeModel functionName="regression"/></PMML>`, pmml.ErrUnsupported, "TreeModel"},
		{"gap between ranges", sc(`<Characteristic name="a">` + attr("1", `<SimplePredicate field="x" operator="lessThan" value="0"/>`) +
			attr("2", `<SimplePredicate field="x" operator="greaterThan" value="0"/>`) + `</Characteristic>`), pmml.ErrUnsupported, "Characteristic"},
		{"two fields", sc(`<Characteristic name="a">` + attr("1", `<SimplePredicate field="x" operator="lessThan" value="0"/>`) +
			attr("2", `<SimplePredicate field="y" operator="greaterThan" value="0"/>`) + `</Characteristic>`), pmml.ErrUnsupported, "SimplePredicate"},
		{"two characteristics on one field", sc(`<Characteristic name="a">` + attr("1", `<True/>`) + `</Characteristic><Characteristic name="b">` +
			attr("1", `<SimplePredicate field="x" operator="isMissing"/>`) + attr("1", `<SimplePredicate field="x" operator="isNotMissing"/>`) + `</Characteristic>`), pmml.ErrUnsupported, "Characteristic"},
		{"a label left out of the other labels", sc(`<Characteristic name="a">` + attr("1", `<SimplePredicate field="x" operator="isMissing"/>`) + attr("2", `<True/>`) +
			`</Characteristic><Characteristic name="b">` + attr("1", `<SimplePredicate field="c" operator="notEqual" value="a"/>`) + `</Characteristic>`), pmml.ErrUnsupported, "Characteristic"},
		{"bad partial score", sc(`<Characteristic name="a">` + attr("NaN", `<True/>`) + `</Characteristic>`), score.ErrMalformed, "Attribute"},
		{"bad threshold", sc(`<Characteristic name="a">` + attr("1", `<SimplePredicate field="x" operator="lessThan" value="ten"/>`) + `</Characteristic>`), score.ErrMalformed, "SimplePredicate"},
		{"ordering a category", sc(`<Characteristic name="a">` + attr("1", `<SimplePredicate field="c" operator="lessThan" value="b"/>`) + `</Characteristic>`), pmml.ErrUnsupported, "SimplePredicate"},
		{"unknown field", sc(`<Characteristic name="a">` + attr("1", `<SimplePredicate field="z" operator="isMissing"/>`) + `</Characteristic>`), pmml.ErrUnsupported, "Characteristic"},
		{"reason codes without baseline", head + `<Scorecard functionName="regression"><MiningSchema><MiningField name="x"/></MiningSchema><Characteristics><Characteristic name="a" reasonCode="R">` +
			attr("1", `<True/>`) + `</Characteristic></Characteristics></Scorecard></PMML>`, score.ErrMalformed, "Characteristic"},
		{"interaction term", head + `<RegressionModel functionName="regression"><MiningSchema><MiningField name="x"/><MiningField name="y" usageType="target"/></MiningSchema><RegressionTable intercept="1"><PredictorTerm coefficient="1"/></RegressionTable></RegressionModel></PMML>`, pmml.ErrUnsupported, "PredictorTerm"},
		{"polynomial", head + `<RegressionModel functionName="regression"><MiningSchema><MiningField name="x"/><MiningField name="y" usageType="target"/></MiningSchema><RegressionTable intercept="1"><NumericPredictor name="x" exponent="2" coefficient="1"/></RegressionTable></RegressionModel></PMML>`, pmml.ErrUnsupported, "NumericPredictor"},
		{"softmax", head + `<RegressionModel functionName="classification" normalizationMethod="softmax"><MiningSchema><MiningField name="x"/></MiningSchema><RegressionTable intercept="1"/><RegressionTable intercept="0"/></RegressionModel></PMML>`, pmml.ErrUnsupported, "RegressionModel"},
		{"logit reference table with predictors", head + `<RegressionModel functionName="classification" normalizationMethod="logit"><MiningSchema><MiningField name="x"/><MiningField name="c" usageType="target"/></MiningSchema><RegressionTable intercept="1" targetCategory="a"/><RegressionTable intercept="0" targetCategory="b"><NumericPredictor name="x" coefficient="1"/></RegressionTable></RegressionModel></PMML>`, pmml.ErrUnsupported, "RegressionTable"},
		{"declared missing value", `<PMML version="4.4"><DataDictionary><DataField name="x" optype="continuous"><Value value="-999" property="missing"/></DataField></DataDictionary><RegressionModel functionName="regression"><MiningSchema><MiningField name="x" invalidValueTreatment="asIs"/></MiningSchema><RegressionTable intercept="1"/></RegressionModel></PMML>`, pmml.ErrUnsupported, "DataField"},
		{"valid interval of a categorical field", `<PMML version="4.4"><DataDictionary><DataField name="x" optype="categorical"><Interval closure="closedClosed" leftMargin="0" rightMargin="1"/></DataField></DataDictionary><RegressionModel functionName="regression"><MiningSchema><MiningField name="x"/></MiningSchema><RegressionTable intercept="1"/></RegressionModel></PMML>`, pmml.ErrUnsupported, "Interval"},
		{"interval without a closure", `<PMML version="4.4"><DataDictionary><DataField name="x" optype="continuous"><Interval leftMargin="0" rightMargin="1"/></DataField></DataDictionary><RegressionModel functionName="regression"><MiningSchema><MiningField name="x"/></MiningSchema><RegressionTable intercept="1"/></RegressionModel></PMML>`, score.ErrMalformed, "Interval"},
		{"derived fields", head + `<RegressionModel functionName="regression"><MiningSchema><MiningField name="x"/></MiningSchema><LocalTransformations/><RegressionTable intercept="1"/></RegressionModel></PMML>`, pmml.ErrUnsupported, "LocalTransformations"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := pmml.Read(strings.NewReader(c.doc), nil)
			require.ErrorIs(t, err, c.want)
			var pe *pmml.Error
			require.ErrorAs(t, err, &pe)
			require.Equal(t, c.elem, pe.Element, "%v", err)
		})
	}
}

// TestPMMLFirstMatchOverlaps: overlapping predicates are resolved in
// document order, then mapped to bins (hand-computed).
func TestPMMLFirstMatchOverlaps(t *testing.T) {
	doc := `<PMML version="4.4"><Header/><DataDictionary><DataField name="x" optype="continuous" dataType="double"/>
<DataField name="c" optype="categorical" dataType="string"/></DataDictionary>
<Scorecard functionName="regression" useReasonCodes="false" initialScore="100"><MiningSchema><MiningField name="x"/><MiningField name="c"/></MiningSchema><Characteristics>
<Characteristic name="a">
 <Attribute partialScore="1"><SimplePredicate field="x" operator="equal" value="5"/></Attribute>
 <Attribute partialScore="2"><SimplePredicate field="x" operator="lessOrEqual" value="10"/></Attribute>
 <Attribute partialScore="3"><CompoundPredicate booleanOperator="or"><SimplePredicate field="x" operator="greaterThan" value="100"/><SimplePredicate field="x" operator="isMissing"/></CompoundPredicate></Attribute>
 <Attribute partialScore="4"><True/></Attribute>
</Characteristic>
<Characteristic name="b">
 <Attribute partialScore="10"><SimpleSetPredicate field="c" booleanOperator="isIn"><Array n="2" type="string">"new york" paris</Array></SimpleSetPredicate></Attribute>
 <Attribute partialScore="20"><SimplePredicate field="c" operator="notEqual" value="rome"/></Attribute>
 <Attribute partialScore="30"><True/></Attribute>
</Characteristic>
</Characteristics></Scorecard></PMML>`
	m, err := pmml.Read(strings.NewReader(doc), nil)
	require.NoError(t, err)
	cases := []struct {
		x    score.Value
		c    score.Value
		want float64
		err  error
	}{
		{score.Num(5), score.Cat("paris"), 100 + 1 + 10, nil},
		{score.Num(4.9), score.Cat("new york"), 100 + 2 + 10, nil},
		{score.Num(10), score.Cat("oslo"), 100 + 2 + 20, nil},
		{score.Num(10.5), score.Cat("oslo"), 100 + 4 + 20, nil},
		{score.Num(100), score.Cat("oslo"), 100 + 4 + 20, nil},
		{score.Num(100.5), score.Cat("oslo"), 100 + 3 + 20, nil},
		{score.Missing(), score.Cat("oslo"), 100 + 3 + 20, nil},
		{score.Num(1), score.Cat("rome"), 100 + 2 + 30, nil},
		{score.Num(1), score.Missing(), 100 + 2 + 30, nil}, // notEqual is UNKNOWN on a missing value
		{score.Cat("1"), score.Cat("oslo"), 0, score.ErrWrongKind},
	}
	for _, c := range cases {
		r, err := m.Score(score.Record{c.x, c.c})
		if c.err != nil {
			require.ErrorIs(t, err, c.err)
			continue
		}
		require.NoError(t, err)
		require.InDelta(t, c.want, r.Score, 0, "x=%v c=%v", c.x, c.c)
	}
	// x = 5 is a special value inside the "<= 10" range.
	bins := m.Spec().Terms[0].Bins
	require.Equal(t, score.SpecialBin, bins[1].Kind)
	require.Equal(t, 5.0, *bins[1].Special)
}

func FuzzReadPMML(f *testing.F) {
	for _, p := range []string{"testdata/pmml_dmg_sample_scorecard.xml", "testdata/pmml_dmg_sample_scorecard_complex.xml", "testdata/logistic_indicator.pmml"} {
		b, err := os.ReadFile(p)
		require.NoError(f, err)
		f.Add(b)
	}
	f.Add(pmmlOf(f, handScorecard(f), nil))
	f.Add(pmmlOf(f, slopedScorecard(f), nil))
	f.Add(pmmlOf(f, slopedScorecard(f), &pmml.Options{NoMetadata: true}))
	f.Add(pmmlOf(f, handScorecard(f), &pmml.Options{NoMetadata: true}))
	f.Add([]byte(`<PMML version="4.4"><DataDictionary><DataField name="x" optype="continuous"/></DataDictionary><RegressionModel functionName="regression"><MiningSchema><MiningField name="x"/></MiningSchema><RegressionTable intercept="1"><NumericPredictor name="x" coefficient="2"/></RegressionTable></RegressionModel></PMML>`))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := pmml.Read(bytes.NewReader(b), nil)
		if err != nil {
			var pe *pmml.Error
			var le *score.LimitError // the documented answer to a document past MaxDepth or MaxElements
			if !errors.As(err, &pe) && !errors.As(err, &le) && !score.IsModelError(err) {
				t.Fatalf("untyped error %T: %v", err, err)
			}
			return
		}
		// Whatever imports exports and re-imports to the same model.
		var buf bytes.Buffer
		if err := pmml.Write(&buf, m, nil); err != nil {
			if !errors.Is(err, pmml.ErrUnsupported) {
				t.Fatalf("export: %v", err)
			}
			return
		}
		back, err := pmml.Read(&buf, nil)
		if err != nil {
			t.Fatalf("re-import: %v\n%s", err, buf.String())
		}
		if back.Fingerprint() != m.Fingerprint() {
			t.Fatalf("round trip changed the model")
		}
	})
}

func ExampleWrite() {
	spec := score.Spec{Name: "churn", Kind: score.LogisticModel, Target: "churn", Event: "yes",
		Features:  []score.Feature{{Name: "tenure", Kind: score.Numeric}},
		Intercept: 0.5,
		Terms:     []score.Term{{Feature: "tenure", Kind: score.LinearTerm, Coef: -0.25}}}
	m, err := score.NewModel(spec)
	if err != nil {
		panic(err)
	}
	var b bytes.Buffer
	if err := pmml.Write(&b, m, nil); err != nil {
		panic(err)
	}
	fmt.Println(strings.Split(b.String(), "\n")[1])
	back, err := pmml.Read(&b, nil)
	if err != nil {
		panic(err)
	}
	r, _ := back.Score(score.Record{score.Num(4)})
	fmt.Printf("P(%s) = %.4f, same model: %v\n", back.Event(), r.Probability, back.Fingerprint() == m.Fingerprint())
	// Output:
	// <PMML xmlns="http://www.dmg.org/PMML-4_4" version="4.4">
	// P(yes) = 0.3775, same model: true
}

func BenchmarkReadPMMLGermanLogistic(b *testing.B) {
	tab, s := germanTable(b)
	fitted, err := fit.Logistic(context.Background(), tab, s, "creditability", "bad", nil)
	require.NoError(b, err)
	doc := pmmlOf(b, fitted.Model, nil)
	b.ReportAllocs()
	b.SetBytes(int64(len(doc)))
	for b.Loop() {
		if _, err := pmml.Read(bytes.NewReader(doc), nil); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkWritePMMLGermanLogistic(b *testing.B) {
	tab, s := germanTable(b)
	fitted, err := fit.Logistic(context.Background(), tab, s, "creditability", "bad", nil)
	require.NoError(b, err)
	var buf bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if err := pmml.Write(&buf, fitted.Model, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// TestPMMLScorecardCategoricalTerm: a scorecard's categorical term (levels
// rather than bins) is written as one attribute per level and comes back
// as the same term.
func TestPMMLScorecardCategoricalTerm(t *testing.T) {
	sc := score.NewScaling(0, 0, 0)
	miss, other := -3.0, 1.5
	spec := score.Spec{Name: "cat", Kind: score.ScorecardModel, Scaling: &sc, Intercept: 500,
		Features: []score.Feature{{Name: "plan", Kind: score.Categorical, Categories: []string{"a", "b"}}},
		Terms: []score.Term{{Feature: "plan", Kind: score.CategoricalTerm, Reference: "a", MissingEffect: &miss, OtherEffect: &other, Baseline: 4,
			Levels: []score.Level{{Label: "a", Count: 10}, {Label: "b", Effect: 12, Count: 5, ReasonCode: "PB"}}}}}
	m, err := score.NewModel(spec)
	require.NoError(t, err)
	doc := pmmlOf(t, m, nil)
	back, err := pmml.Read(bytes.NewReader(doc), nil)
	require.NoError(t, err)
	require.Equal(t, m.Fingerprint(), back.Fingerprint())
	bare, err := pmml.Read(bytes.NewReader(pmmlOf(t, m, &pmml.Options{NoMetadata: true})), nil)
	require.NoError(t, err)
	require.Equal(t, score.BinnedTerm, bare.Term(0).Kind, "without metadata: bins")
	recs := []score.Record{{score.Cat("a")}, {score.Cat("b")}, {score.Missing()}, {score.Cat("zz")}}
	sameOutcomes(t, outcomes(m, recs), outcomes(bare, recs))
}

// An empty category label is a value like any other: exported as
// value="" (not as an equal predicate without a value, which the importer
// rightly refuses as malformed). Found by FuzzReadPMML; the seed is
// testdata/fuzz/FuzzReadPMML/empty_category_label.
func TestPMMLEmptyCategoryLabelRoundTrip(t *testing.T) {
	sc := score.NewScaling(0, 0, 0)
	spec := score.Spec{Name: "blank", Kind: score.ScorecardModel, Target: "bad", Event: "1",
		Features:  []score.Feature{{Name: "department", Kind: score.Categorical, Categories: []string{"", "sales", "tech"}}},
		Intercept: 100, Scaling: &sc,
		Terms: []score.Term{{Feature: "department", Kind: score.BinnedTerm, Bins: []score.Bin{
			{Kind: score.CategoryBin, Categories: []string{""}, Effect: 7},
			{Kind: score.CategoryBin, Categories: []string{"sales", "tech"}, Effect: -3},
		}}}}
	m, err := score.NewModel(spec)
	require.NoError(t, err)
	doc := pmmlOf(t, m, nil)
	require.Contains(t, string(doc), `operator="equal" value=""`)
	back, err := pmml.Read(bytes.NewReader(doc), nil)
	require.NoError(t, err)
	require.Equal(t, m.Fingerprint(), back.Fingerprint())
	for label, want := range map[string]float64{"": 107, "sales": 97} { // intercept + the bin's effect
		r, err := back.Score(score.Record{score.Cat(label)})
		require.NoError(t, err)
		require.InDelta(t, want, r.Score, 1e-12, "department=%q", label)
	}
}
