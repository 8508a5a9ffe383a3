package score_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/score"
)

// TestAccessorsCopy: what Model.Term, Schema.Feature, Schema.Lookup and
// Table.Row hand out is the caller's to edit; the model, its fingerprint,
// its scores and its effects do not change (STYLE rule 15).
func TestAccessorsCopy(t *testing.T) {
	t.Run("Term", func(t *testing.T) {
		m, err := score.NewModel(tinySpec())
		require.NoError(t, err)
		fp := m.Fingerprint()
		rec := score.Record{score.Num(10), score.Cat("rent"), score.Missing(), score.Cat("x")}
		j := m.TermOf("housing")
		before, err := m.Score(rec)
		require.NoError(t, err)
		eBefore, _, err := m.Effect(j, score.Cat("rent"))
		require.NoError(t, err)
		require.Equal(t, 0.75, eBefore)

		tm := m.Term(j)
		tm.Levels[1].Effect = 5
		tm.Levels[0].Label = "edited"

		after, err := m.Score(rec)
		require.NoError(t, err)
		require.Equal(t, before, after)
		eAfter, pos, err := m.Effect(j, score.Cat("rent"))
		require.NoError(t, err)
		require.Equal(t, eBefore, eAfter, "editing Term's levels changed Effect (and so Explain), not Score")
		require.Equal(t, 0.75, m.Term(j).Levels[pos].Effect)
		require.Equal(t, "own", m.Spec().Terms[j].Levels[0].Label)
		require.Equal(t, fp, m.Fingerprint())
	})
	t.Run("Feature", func(t *testing.T) {
		s := score.MustSchema(score.Feature{Name: "housing", Kind: score.Categorical, Categories: []string{"own", "rent"}, Consent: []string{"credit"}})
		f := s.Feature(0)
		f.Categories[0], f.Consent[0] = "edited", "edited"
		require.Equal(t, []string{"own", "rent"}, s.Feature(0).Categories, "Feature aliases the schema")
		require.Equal(t, []string{"credit"}, s.Feature(0).Consent, "Feature aliases the schema")
		lf, _ := s.Lookup("housing")
		lf.Categories[0] = "edited"
		require.Equal(t, []string{"own", "rent"}, s.Feature(0).Categories, "Lookup aliases the schema")
	})
	t.Run("Row", func(t *testing.T) {
		tab, err := score.NewTable([]string{"a", "b"}, [][]string{{"1", "x"}})
		require.NoError(t, err)
		tab.Row(0)[1] = "edited"
		require.Equal(t, "x", tab.Cell(0, 1), "Row aliases the table")
	})
}
