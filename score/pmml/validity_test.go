package pmml_test

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/pmml"
)

// TestPMMLInvalidAsMissing: the DMG sample scorecard declares age with
// dataType="integer" and invalidValueTreatment="asMissing", so an age of
// 18.5 is invalid and scores as a missing age. By hand, in both editions
// (department engineering 3, income 500 26): age 18.5 as missing -1 gives
// 3 - 1 + 26 = 28, where read as a number it would fall in (18, 29] (0)
// and give 29; the valid age 18 takes "<= 18" (-3): 26. Export and
// re-import (with or without candor's metadata) keep the rule.
func TestPMMLInvalidAsMissing(t *testing.T) {
	for _, file := range []string{"testdata/pmml_dmg_sample_scorecard.xml", "testdata/pmml_dmg_sample_scorecard_complex.xml"} {
		t.Run(file, func(t *testing.T) {
			b, err := os.ReadFile(file)
			require.NoError(t, err)
			m, err := pmml.Read(bytes.NewReader(b), nil)
			require.NoError(t, err)
			age, _ := m.Schema().Lookup("age")
			require.NotNil(t, age.Valid)
			require.True(t, age.Valid.Integer)
			require.True(t, age.Valid.AsMissing)
			inc, _ := m.Schema().Lookup("income")
			require.Nil(t, inc.Valid, "income is a double: every number is valid")
			bare, err := pmml.Read(bytes.NewReader(pmmlOf(t, m, &pmml.Options{NoMetadata: true})), nil)
			require.NoError(t, err)
			full, err := pmml.Read(bytes.NewReader(pmmlOf(t, m, nil)), nil)
			require.NoError(t, err)
			for _, mm := range []*score.Model{m, bare, full} {
				for _, c := range []struct {
					age   score.Value
					score float64
				}{{score.Num(18.5), 28}, {score.Missing(), 28}, {score.Num(18), 26}, {score.Num(25), 29}} {
					r, err := mm.Score(score.Record{score.Cat("engineering"), c.age, score.Num(500)})
					require.NoError(t, err)
					require.InDelta(t, c.score, r.Score, 1e-12, "age %v", c.age)
					// The term's effect (explanations use it) agrees.
					eff, _, err := mm.Effect(1, c.age)
					require.NoError(t, err)
					want := map[float64]float64{28: -1, 26: -3, 29: 0}[c.score]
					require.InDelta(t, want, eff, 1e-12)
				}
			}
		})
	}
}

// TestPMMLIntervalValidity: an Interval of a continuous DataField bounds
// its valid values. Under asMissing a value outside scores as missing;
// under returnInvalid (PMML's default) it is an error naming the feature
// and the value; asIs scores it as it is.
func TestPMMLIntervalValidity(t *testing.T) {
	doc := func(treatment string) string {
		return `<PMML version="4.4"><DataDictionary>
<DataField name="x" optype="continuous" dataType="double"><Interval closure="closedOpen" leftMargin="0" rightMargin="100"/><Value value="999"/></DataField>
<DataField name="y" optype="continuous" dataType="double"/></DataDictionary>
<Scorecard functionName="regression" useReasonCodes="false"><MiningSchema><MiningField name="x" invalidValueTreatment="` + treatment + `"/><MiningField name="y" usageType="target"/></MiningSchema>
<Characteristics><Characteristic name="xs">
<Attribute partialScore="-5"><SimplePredicate field="x" operator="isMissing"/></Attribute>
<Attribute partialScore="1"><SimplePredicate field="x" operator="lessThan" value="50"/></Attribute>
<Attribute partialScore="2"><True/></Attribute>
</Characteristic></Characteristics></Scorecard></PMML>`
	}
	cases := []struct {
		x               float64
		asMissing, asIs float64
		invalid         bool
	}{
		{0, 1, 1, false},    // closed at 0
		{49, 1, 1, false},   //
		{99.5, 2, 2, false}, //
		{100, -5, 2, true},  // open at 100
		{-1, -5, 1, true},   //
		{999, 2, 2, false},  // a listed valid value
		{1000, -5, 2, true}, //
	}
	for _, treatment := range []string{"asMissing", "returnInvalid", "asIs"} {
		m, err := pmml.Read(strings.NewReader(doc(treatment)), nil)
		require.NoError(t, err, treatment)
		for _, c := range cases {
			r, err := m.Score(score.Record{score.Num(c.x)})
			switch {
			case treatment == "returnInvalid" && c.invalid:
				require.ErrorIs(t, err, score.ErrInvalidValue, "x=%v", c.x)
				require.Contains(t, err.Error(), `"x"`)
				require.Contains(t, err.Error(), strings.TrimSuffix(strings.TrimSuffix(score.Num(c.x).String(), ".0"), ".00"))
			case treatment == "asIs":
				require.NoError(t, err)
				require.Equal(t, c.asIs, r.Score, "x=%v", c.x)
			default:
				require.NoError(t, err)
				require.Equal(t, c.asMissing, r.Score, "%s x=%v", treatment, c.x)
			}
		}
		// The rule survives a model file round trip.
		var buf bytes.Buffer
		require.NoError(t, m.Save(&buf))
		back, err := score.Load(&buf)
		require.NoError(t, err)
		require.Equal(t, m.Fingerprint(), back.Fingerprint())
	}
}
