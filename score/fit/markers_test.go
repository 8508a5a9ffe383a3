package fit_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/fit"
)

// A categorical input's "?" is named as a missing-value marker with its
// rows, counted by hand: damage has "?" on rows 3 and 5 of 6 and "-" on
// row 6; police's "N/A" has letters and is a level; a declared special
// "?" is no warning; a blank cell is missing, not a level. Before, an
// insurance claims file's "?" in property_damage (360 of 1,000 rows) was a
// level like "YES" and "NO", and nothing said so.
func TestMarkerLevels(t *testing.T) {
	tab, err := score.NewTable([]string{"damage", "police", "area", "x", "y"}, [][]string{
		{"YES", "N/A", "?", "1", "a"}, {"NO", "YES", "?", "2", "b"}, {" ? ", "NO", "north", "3", "a"},
		{"NO", "", "south", "4", "b"}, {"?", "YES", "north", "5", "a"}, {"-", "NO", "?", "6", "b"},
	})
	require.NoError(t, err)
	s, err := tab.InferSchema().WithRoles(score.Ignored, "y")
	require.NoError(t, err)
	d := &score.Declarations{Features: map[string]score.Declaration{"area": {Special: map[string]string{"?": "not recorded"}}}}
	s, err = d.Apply(s)
	require.NoError(t, err)
	got := fit.MarkerLevels(tab, s)
	require.Equal(t, []fit.MarkerLevel{{Feature: "damage", Marker: "?", Rows: 2, Of: 6}, {Feature: "damage", Marker: "-", Rows: 1, Of: 6}}, got)
	require.Contains(t, got[0].String(), `damage: level "?" on 2 of 6 rows has no letter or digit`)
	require.Contains(t, got[0].String(), "CANDOR_MISSING='?'")
	require.Contains(t, got[0].String(), `{"damage": {"special": {"?": "not recorded"}}}`)
}
