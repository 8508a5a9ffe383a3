package score_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/score"
)

func TestScoreTable(t *testing.T) {
	s, err := score.NewSchema(score.Feature{Name: "x"})
	require.NoError(t, err)
	m, err := score.NewModel(score.Spec{Name: "t", Kind: score.LogisticModel, Features: s.Features(),
		Intercept: 0.5, Terms: []score.Term{{Feature: "x", Kind: score.LinearTerm, Coef: 2}}})
	require.NoError(t, err)
	tab, err := score.ParseCSV([]byte("x,y\n1,a\nabc,a\n,a\n-1,a\n"), nil)
	require.NoError(t, err)

	got := m.ScoreTable(nil, tab, nil)
	require.Len(t, got, 4)
	for k, r := range got {
		require.Equal(t, k+1, r.Row)
	}
	want, err := m.Score(score.Record{score.Num(1)})
	require.NoError(t, err)
	require.Equal(t, want, got[0].Result)
	require.NoError(t, got[3].Err)
	// A bad row is a bad row: its error names the 1-based row.
	for _, k := range []int{1, 2} {
		var re *score.RecordError
		require.True(t, errors.As(got[k].Err, &re), "row %d: %v", k+1, got[k].Err)
		require.Equal(t, k+1, re.Row)
		require.Contains(t, got[k].Err.Error(), "row "+string(rune('0'+k+1)))
	}
	recs, skipped := score.Scored(got)
	require.Equal(t, 2, skipped)
	require.Equal(t, []score.Record{{score.Num(1)}, {score.Num(-1)}}, recs)

	// A subset, in the order given, appended to dst.
	sub := m.ScoreTable(got[:1], tab, []int{3, 0, 9})
	require.Len(t, sub, 4)
	require.Equal(t, []int{1, 4, 1, 10}, []int{sub[0].Row, sub[1].Row, sub[2].Row, sub[3].Row})
	require.ErrorContains(t, sub[3].Err, "row 10 is outside the table's 4 data rows")
}

// A model input absent from the table (renamed "Age" -> "age") is an
// error naming it and the close match, for the whole table and every row.
func TestScoreTableAbsentInput(t *testing.T) {
	s, err := score.NewSchema(score.Feature{Name: "Age"}, score.Feature{Name: "Balance"})
	require.NoError(t, err)
	m, err := score.NewModel(score.Spec{Name: "t", Kind: score.LogisticModel, Features: s.Features(),
		Terms: []score.Term{{Feature: "Age", Kind: score.LinearTerm, Coef: 1}, {Feature: "Balance", Kind: score.LinearTerm, Coef: 1}}})
	require.NoError(t, err)
	tab, err := score.ParseCSV([]byte("age,Balance\n30,1\n"), nil)
	require.NoError(t, err)
	err = m.CheckTable(tab)
	require.ErrorIs(t, err, score.ErrUnknownFeature)
	require.ErrorContains(t, err, `"Age"`)
	require.ErrorContains(t, err, `did you mean "age"`)
	got := m.ScoreTable(nil, tab, nil)
	require.ErrorIs(t, got[0].Err, score.ErrUnknownFeature)
	require.ErrorContains(t, got[0].Err, "row 1")
	ok, err := score.ParseCSV([]byte("Age,Balance\n30,1\n"), nil)
	require.NoError(t, err)
	require.NoError(t, m.CheckTable(ok))
}
