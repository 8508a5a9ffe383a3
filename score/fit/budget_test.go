package fit

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/candorscore/candor/examples/datasets"
	"github.com/candorscore/candor/score"
	"github.com/stretchr/testify/require"
)

// budgetTable is a table of rows rows: a 0/1 target y, a numeric x and a
// categorical c of 100 levels, read with the given design limit. Its
// design has 1 + 1 + 100 columns.
func budgetTable(t testing.TB, rows int, design int64) (*score.Table, *score.Schema) {
	t.Helper()
	var b strings.Builder
	b.WriteString("y,x,c\n")
	for i := range rows {
		fmt.Fprintf(&b, "%d,%d,L%02d\n", i%2, i%7, (i/3)%100)
	}
	tab, err := score.ReadCSV(strings.NewReader(b.String()), &score.CSVOptions{Limits: &score.Limits{Design: design}})
	require.NoError(t, err)
	s, err := tab.Infer()
	require.NoError(t, err)
	s, err = s.WithRoles(score.Ignored, "y")
	require.NoError(t, err)
	return tab, s
}

// TestDesignBudgetRefusedBeforeAllocation: a design of 20,000 rows x 102
// columns (2,040,000 cells, 16 MB of float64 alone) over a 1 Mi cell
// budget is refused by every fit with a *score.LimitError naming the
// rows, the columns, the widest input and the setting, and the refusal
// allocates far less than the design would (runtime.MemStats.TotalAlloc
// grows by under a quarter of its 16 MB: the target and level counts).
func TestDesignBudgetRefusedBeforeAllocation(t *testing.T) {
	const rows = 20000
	tab, s := budgetTable(t, rows, 1<<20)
	designBytes := uint64(rows * 102 * 8)
	small, ss := budgetTable(t, rows, 1<<15)
	type check struct {
		fit   func() error
		max   int64
		wants []string
	}
	oneHot := []string{"20000 rows x 102 design columns", "2040000 cells", "c 100 levels", "more than 1048576 design cells", "CANDOR_LIMITS=design=N"}
	// The scorecard and the boosted fit hold one column per input (a WoE
	// or a bin index), not one per level: 20,000 x 3 cells, refused under
	// a 32 Ki budget.
	perInput := []string{"20000 rows x 3 design columns", "60000 cells", "more than 32768 design cells", "CANDOR_LIMITS=design=N"}
	fits := map[string]check{
		"logistic": {func() error { _, err := Logistic(context.Background(), tab, s, "y", "1", nil); return err }, 1 << 20, oneHot},
		"scorecard": {func() error {
			_, err := Scorecard(context.Background(), small, ss, "y", "1", nil)
			return err
		}, 1 << 15, perInput},
		"boosted": {func() error { _, err := Boosted(context.Background(), small, ss, "y", "1", nil); return err }, 1 << 15, perInput},
	}
	for name, c := range fits {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		err := c.fit()
		runtime.ReadMemStats(&after)
		var le *score.LimitError
		require.ErrorAs(t, err, &le, name)
		require.True(t, errors.Is(err, score.ErrLimit), name)
		require.Equal(t, c.max, le.Max, name)
		msg := err.Error()
		for _, want := range c.wants {
			require.Contains(t, msg, want, name)
		}
		grew := after.TotalAlloc - before.TotalAlloc
		t.Logf("%s: refused after allocating %d KB (the design: %d KB)", name, grew>>10, designBytes>>10)
		require.Less(t, grew, designBytes/4, "%s allocated before refusing", name)
	}
	// Linear: the same table with x as the response (y, c inputs).
	ls, err := s.WithRoles(score.Input, "y")
	require.NoError(t, err)
	_, err = Linear(context.Background(), tab, ls, "x", nil)
	require.ErrorIs(t, err, score.ErrLimit)
}

// TestDesignBudgetAtTheLimit: a design of exactly the limit is fitted and
// one cell more is refused (1,000 rows x 102 columns = 102,000 cells).
func TestDesignBudgetAtTheLimit(t *testing.T) {
	// 1,000 rows x 102 design columns, plus the table's 3,000 cells at
	// 16/100 of a design cell each (480): 102,480 cells exactly.
	tab, s := budgetTable(t, 1000, 102480)
	_, err := Logistic(context.Background(), tab, s, "y", "1", &LogisticOptions{L2: 1})
	require.NoError(t, err)
	tab, s = budgetTable(t, 1000, 102479)
	_, err = Logistic(context.Background(), tab, s, "y", "1", &LogisticOptions{L2: 1})
	require.ErrorIs(t, err, score.ErrLimit)
}

// TestDefaultDesignBudgetFitsTheDataSets: under the default budget
// (score.DefaultLimitDesign, 8 Mi cells) every built-in data set, as the
// boosted fit's cases use it (the largest: Adult, 48,842 rows x 102
// design columns, 4,981,884 cells, 59%), passes the check with room to spare; the
// boosted fit itself runs on them in TestBoostedAcceptance.
func TestDefaultDesignBudgetFitsTheDataSets(t *testing.T) {
	cases := []struct {
		name, target string
		exclude      []string
	}{ // as in boosted_test.go's boostedCases
		{datasets.GermanCredit, "creditability", nil},
		{datasets.TelcoChurn, "Churn", []string{"customerID"}},
		{datasets.BankMarketing, "y", []string{"duration"}},
		{datasets.Adult, "income", []string{"split", "race", "sex"}},
	}
	for _, c := range cases {
		full, s, err := datasets.LoadSchema(c.name)
		require.NoError(t, err)
		s, err = s.WithRoles(score.Ignored, c.exclude...)
		require.NoError(t, err)
		inputs, cols, err := designInputs(full, s, c.target)
		require.NoError(t, err)
		require.NoError(t, checkDesign(full, s, inputs, cols, true), c.name)
		cells := designCells(full, s, inputs, cols)
		t.Logf("%s: %d rows, %d design cells (%.0f%% of the default budget)", c.name, full.Len(), cells, 100*float64(cells)/float64(score.DefaultLimitDesign))
		require.Greater(t, cells, int64(full.Len()*(len(inputs)+1)-1), c.name)
		require.Less(t, cells, score.DefaultLimitDesign*3/4, c.name)
	}
}

// TestDesignBudgetPerInputFits: a table whose one-hot design (20,000 x
// 102 cells) is over a 128 Ki budget but whose per-input design (20,000 x
// 3, plus the table's share) is under it is refused by the logistic fit
// and fitted by the scorecard and the boosted fit, which hold one column
// per input. Before, both were refused as if they one-hot encoded: Adult
// resampled to 450,000 rows could not be fitted boosted at all.
func TestDesignBudgetPerInputFits(t *testing.T) {
	tab, s := budgetTable(t, 20000, 1<<17)
	_, err := Logistic(context.Background(), tab, s, "y", "1", nil)
	require.ErrorIs(t, err, score.ErrLimit)
	_, err = Scorecard(context.Background(), tab, s, "y", "1", nil)
	require.NoError(t, err)
	_, err = Boosted(context.Background(), tab, s, "y", "1", &BoostedOptions{OuterBags: 1})
	require.NoError(t, err)
}
