package pmml_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/pmml"
)

// A 63 MB document of <a/> took over 3.5 GB to read: now its elements are
// counted in constant memory first, and it is refused by name.
func TestPMMLElementAndDepthLimits(t *testing.T) {
	doc := "<PMML version=\"4.4\">" + strings.Repeat("<a/>", 63<<20/4) + "</PMML>"
	_, err := pmml.Read(strings.NewReader(doc), nil)
	require.ErrorIs(t, err, score.ErrLimit)
	require.Contains(t, err.Error(), "more than 1000000 elements")

	deep := strings.Repeat("<a>", 1000) + strings.Repeat("</a>", 1000)
	_, err = pmml.Read(strings.NewReader(deep), nil)
	require.ErrorIs(t, err, score.ErrLimit)
	require.Contains(t, err.Error(), "levels of nesting")

	_, err = pmml.Read(bytes.NewReader(make([]byte, 100)), &pmml.Options{MaxBytes: 50})
	require.ErrorIs(t, err, score.ErrLimit)
	require.Contains(t, err.Error(), "pmml.Options.MaxBytes")
}

// A RegressionModel with a coefficient of 1e300 was accepted, and its score
// overflowed to +Inf on any x over about 1.8e8: an import whose score
// overflows on ordinary inputs (|x| up to score.OrdinaryMagnitude) is
// refused, naming the term, as for scikit-learn; so are terms each finite
// whose sum overflows.
func TestPMMLImportThatOverflowsIsRefused(t *testing.T) {
	regression := func(coef string) string {
		return `<PMML version="4.4"><DataDictionary><DataField name="income" optype="continuous"/><DataField name="y" optype="continuous"/></DataDictionary>` +
			`<RegressionModel functionName="regression"><MiningSchema><MiningField name="income"/><MiningField name="y" usageType="target"/></MiningSchema>` +
			`<RegressionTable intercept="1"><NumericPredictor name="income" coefficient="` + coef + `"/></RegressionTable></RegressionModel></PMML>`
	}
	m, err := pmml.Read(strings.NewReader(regression("2")), nil)
	require.NoError(t, err, "an ordinary coefficient loads")
	require.Equal(t, 1, len(m.Spec().Terms))

	_, err = pmml.Read(strings.NewReader(regression("1e300")), nil)
	require.ErrorIs(t, err, score.ErrMalformed)
	require.Contains(t, err.Error(), `"income"`)
	require.Contains(t, err.Error(), "overflow")

	// 1e293 * 1e15 = 1e308 stays finite: the bound is OrdinaryMagnitude.
	_, err = pmml.Read(strings.NewReader(regression("1e293")), nil)
	require.NoError(t, err)
	two := strings.Replace(regression("1e293"), `<DataField name="y"`, `<DataField name="debt" optype="continuous"/><DataField name="y"`, 1)
	two = strings.Replace(two, `<MiningField name="y"`, `<MiningField name="debt"/><MiningField name="y"`, 1)
	two = strings.Replace(two, `</RegressionTable>`, `<NumericPredictor name="debt" coefficient="1e293"/></RegressionTable>`, 1)
	_, err = pmml.Read(strings.NewReader(two), nil)
	require.ErrorIs(t, err, score.ErrMalformed)
	require.Contains(t, err.Error(), "overflow")
}

// A 4 MB version attribute came back whole in the error (4.5 MB of error
// text, found by cmd/candor's generated-input harness): an error quotes
// at most score.QuoteBounded's 64 bytes of a value or field name.
func TestPMMLErrorTextIsBounded(t *testing.T) {
	huge := strings.Repeat("9", 4<<20)
	_, err := pmml.Read(strings.NewReader(`<PMML version="`+huge+`"><Header/></PMML>`), nil)
	require.ErrorIs(t, err, pmml.ErrUnsupported)
	require.Less(t, len(err.Error()), 1024)
	require.Contains(t, err.Error(), "(4194304 bytes)")

	_, err = pmml.Read(strings.NewReader(`<PMML version="4.4"><DataDictionary><DataField name="`+huge+`" optype="weird"/></DataDictionary></PMML>`), nil)
	require.Error(t, err)
	require.Less(t, len(err.Error()), 1024)
}
