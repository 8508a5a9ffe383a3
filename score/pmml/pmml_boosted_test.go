package pmml_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/fit"
	"github.com/candorscore/candor/score/pmml"
)

// TestPMMLBoostedRoundTrip: a boosted model's main effects are a PMML
// Scorecard with one Attribute per bin (however many), and read back they
// score every German credit row as the model does, to 1e-9, with and
// without candor's metadata extension. Pair terms have no exact PMML
// Scorecard form here: Write refuses them with score.ErrPairTerm.
func TestPMMLBoostedRoundTrip(t *testing.T) {
	tab, s := germanTable(t)
	bf, err := fit.Boosted(context.Background(), tab, s, "creditability", "bad", &fit.BoostedOptions{OuterBags: 2})
	require.NoError(t, err)
	m := bf.Model
	doc := pmmlOf(t, m, nil)
	p := checkPMMLStructure(t, doc)
	require.NotNil(t, p.Scorecard)
	bins := 0
	for j, c := range p.Scorecard.Characteristics.List {
		require.Len(t, c.Attributes, len(m.Term(j).Bins), "one attribute per bin of %s", c.Name)
		bins += len(c.Attributes)
	}
	require.Greater(t, bins, 5*m.NumTerms(), "fine bins: five and more per feature on average")
	back, err := pmml.Read(bytes.NewReader(doc), nil)
	require.NoError(t, err)
	want := scoresOf(t, m, tab)
	require.InDeltaSlice(t, want, scoresOf(t, back, tab), 1e-9)
	sc, _ := m.Scaling()
	bare, err := pmml.Read(bytes.NewReader(pmmlOf(t, m, &pmml.Options{NoMetadata: true})), &pmml.Options{Scaling: &sc})
	require.NoError(t, err)
	require.InDeltaSlice(t, want, scoresOf(t, bare, tab), 1e-9)

	paired, err := fit.Boosted(context.Background(), tab, s, "creditability", "bad", &fit.BoostedOptions{OuterBags: 1, Interactions: 1})
	require.NoError(t, err)
	var b bytes.Buffer
	err = pmml.Write(&b, paired.Model, nil)
	require.ErrorIs(t, err, score.ErrPairTerm)
	require.ErrorContains(t, err, "PMML export")
}
