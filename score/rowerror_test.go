package score_test

import (
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/score"
)

// TestRaggedRowErrorNamesNoFeature: a row with the wrong number of cells
// is a fault of the row, not of a feature; its error read `row 2: feature
// "(row)": malformed input ...`, a pseudo feature (the trial's junk row).
// A FieldError without a feature is written without the feature part.
func TestRaggedRowErrorNamesNoFeature(t *testing.T) {
	cr, err := score.NewCSVReader(strings.NewReader("a,b,c\n1,2,3\n4,5\n"), nil)
	require.NoError(t, err)
	var rerr error
	for {
		_, err := cr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			rerr = err
		}
	}
	require.Error(t, rerr)
	require.Equal(t, "row 2: malformed input: 2 cells for 3 columns (line 3)", rerr.Error())
	require.ErrorIs(t, rerr, score.ErrMalformed)

	s := score.MustSchema(score.Feature{Name: "a"}, score.Feature{Name: "b"})
	_, err = s.RecordFromStrings([]string{"a", "b"}, []string{"1"}, false)
	require.Equal(t, "malformed input: 1 cells for 2 columns", err.Error())
	var fe *score.FieldError
	require.True(t, errors.As(err, &fe))
	require.Empty(t, fe.Feature)
}
