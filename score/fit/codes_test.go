package fit_test

import (
	"strings"
	"testing"

	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/fit"
	"github.com/stretchr/testify/require"
)

// TestCodeLookalikes: a public health-insurance cross-sell extract writes
// Region_Code as 28.0, 8.0, ... (testdata/trials/2026-12-04-trial15.md),
// and the Maven telecom file a Zipcode (trial14): read as numbers, the
// scorecard bins them as ranges ([27, 29) is region 28; [92240, 93234) a
// run of zip codes), which join codes by their number, not by what they
// name. An input whose name says it holds codes (code, zip, postcode,
// postal) and whose kind was inferred numeric is named, with the
// declaration that makes it a category; a declared kind is the user's word.
func TestCodeLookalikes(t *testing.T) {
	named := []string{"Region_Code", "Zipcode", "zip", "postal_code", "Postcode", "area code", "PRODUCT_CODE"}
	quiet := []string{"Vehicle_Age", "Barcode_scans", "Policy_Sales_Channel", "Annual_Premium", "Decoder", "codebook_size"}
	var fs []score.Feature
	for _, name := range append(append([]string{}, named...), quiet...) {
		fs = append(fs, score.Feature{Name: name, Kind: score.Numeric, Role: score.Input})
	}
	fs = append(fs, score.Feature{Name: "country_code", Kind: score.Categorical, Role: score.Input},
		score.Feature{Name: "zip_protected", Kind: score.Numeric, Role: score.Protected})
	s, err := score.NewSchema(fs...)
	require.NoError(t, err)
	var got []string
	for _, c := range fit.CodeLookalikes(s, nil) {
		got = append(got, c.Feature)
	}
	require.Equal(t, named, got)
	w := fit.CodeLookalikes(s, nil)[0].String()
	require.True(t, strings.HasPrefix(w, `Region_Code: its name reads as a code ("code"), but its values are read as numbers`), w)
	require.Contains(t, w, `{"Region_Code": {"kind": "categorical"}}`)
	require.Contains(t, w, `{"kind": "numeric"}`)

	numeric := score.Numeric
	d := &score.Declarations{Features: map[string]score.Declaration{"Region_Code": {Kind: &numeric}, "zip": {Label: "zip"}}}
	got = nil
	for _, c := range fit.CodeLookalikes(s, d) {
		got = append(got, c.Feature)
	}
	require.Equal(t, []string{"Zipcode", "zip", "postal_code", "Postcode", "area code", "PRODUCT_CODE"}, got)
}
