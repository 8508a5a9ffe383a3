package fit_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/fit"
)

// A column that is constant but for two blank cells (IBM's HR attrition
// file has an EmployeeCount of 1 everywhere; a copy with two blanks was
// enough) carries no evidence: its missing bin holds only non-events, so
// its WoE column varies only on rows of one class and its coefficient has
// no finite estimate. The default scorecard drops it as carrying no
// evidence and fits; before, the whole fit failed with "quasi-complete
// separation ... in columns (intercept), woe(EmployeeCount)".
func TestScorecardDropsAPureTailOnly(t *testing.T) {
	var rows [][]string
	for i := 0; i < 600; i++ {
		count := "1"
		if i == 11 || i == 22 {
			count = ""
		}
		y := "no"
		if i%5 == 0 {
			y = "yes"
		}
		if i%7 == 3 {
			y = "yes"
		}
		rows = append(rows, []string{fmt.Sprint(i % 40), count, y})
	}
	tab, err := score.NewTable([]string{"tenure", "EmployeeCount", "left"}, rows)
	require.NoError(t, err)
	s, err := tab.InferSchema().WithRoles(score.Ignored, "left")
	require.NoError(t, err)
	fitted, err := fit.Scorecard(context.Background(), tab, s, "left", "yes", nil)
	require.NoError(t, err)
	var dropped bool
	for _, d := range fitted.Selection.Dropped {
		if d.Feature == "EmployeeCount" {
			dropped = true
			require.Equal(t, fit.DropNoEvidence, d.Stage)
			require.Equal(t, "one bin only (no admissible split) but for its missing bin, 2 rows, all non-events: "+
				"a WoE column that varies only on rows of one class has no finite coefficient, so the feature is left out", d.Reason)
		}
	}
	require.True(t, dropped, "%+v", fitted.Selection)
}
