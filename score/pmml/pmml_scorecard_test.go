package pmml_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/candorscore/candor/score/fit"
	"github.com/candorscore/candor/score/pmml"
	"github.com/stretchr/testify/require"
)

// TestPMMLScorecardRoundTripGermanCredit: the fitted German credit
// scorecard goes to PMML and back with the same fingerprint, and scores all
// 1000 rows identically even without candor's metadata extension.
func TestPMMLScorecardRoundTripGermanCredit(t *testing.T) {
	tab, s := germanTable(t)
	fitted, err := fit.Scorecard(context.Background(), tab, s, "creditability", "bad", nil)
	require.NoError(t, err)
	m := fitted.Model
	doc := pmmlOf(t, m, nil)
	p := checkPMMLStructure(t, doc)
	require.NotNil(t, p.Scorecard)
	require.Equal(t, m.NumTerms(), len(p.Scorecard.Characteristics.List))
	for j, c := range p.Scorecard.Characteristics.List {
		require.Len(t, c.Attributes, len(m.Term(j).Bins), "one attribute per bin of %s", c.Name)
	}
	back, err := pmml.Read(bytes.NewReader(doc), nil)
	require.NoError(t, err)
	require.Equal(t, m.Fingerprint(), back.Fingerprint())
	want := scoresOf(t, m, tab)
	require.Equal(t, want, scoresOf(t, back, tab))
	sc, _ := m.Scaling()
	bare, err := pmml.Read(bytes.NewReader(pmmlOf(t, m, &pmml.Options{NoMetadata: true})), &pmml.Options{Scaling: &sc})
	require.NoError(t, err)
	require.Equal(t, want, scoresOf(t, bare, tab))
	for _, x := range want[:50] {
		require.Equal(t, m.Link(x).Probability, bare.Link(x).Probability)
	}
}
