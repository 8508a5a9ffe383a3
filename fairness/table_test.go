package fairness_test

import (
	"context"
	"fmt"
	"math"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/fairness"
	"github.com/candorscore/candor/score"
)

func TestFromTable(t *testing.T) {
	tab, err := score.ParseCSV([]byte("y,d,s,g,w\n"+
		"good,yes,0.9,a,1\n"+
		"bad,no,0.2,b,2\n"+
		",yes,0.5,a,1\n"+ // blank label: row 3
		"good,no,0.4,,1\n"+ // blank group: row 4
		"bad,yes,0.7,b,1\n"), nil)
	require.NoError(t, err)
	c := fairness.Columns{Label: "y", Favorable: "good", Prediction: "d", FavorablePrediction: "yes",
		Score: "s", Weights: "w", Groups: []string{"g"}}
	d, err := fairness.FromTable(tab, c)
	require.NoError(t, err)
	require.Equal(t, []int{0, 1, 4}, d.Rows)
	require.Equal(t, []bool{true, false, false}, d.Data.Labels)
	require.Equal(t, []bool{true, false, true}, d.Data.Predictions)
	require.Equal(t, []float64{0.9, 0.2, 0.7}, d.Data.Scores)
	require.Equal(t, []float64{1, 2, 1}, d.Data.Weights)
	require.Equal(t, []fairness.GroupColumn{{Name: "g", Values: []string{"a", "b", "b"}}}, d.Data.Groups)
	require.Equal(t, fairness.Excluded{Policy: fairness.DropBlank, RowsRead: 5, Count: 2,
		BlankCells: []fairness.BlankCount{{Column: "y", Count: 1, FirstRow: 3}, {Column: "g", Count: 1, FirstRow: 4}}}, d.Excluded)
	require.Equal(t, "excluded 2 of 5 rows with a blank cell: y 1 (first at row 3), g 1 (first at row 4)", d.Excluded.String())

	c.Blank = fairness.RefuseBlank
	_, err = fairness.FromTable(tab, c)
	require.ErrorIs(t, err, fairness.ErrBlank)
	require.ErrorContains(t, err, `column "y", row 3: blank cell`)

	c.Blank, c.Groups = "", []string{"nope"}
	_, err = fairness.FromTable(tab, c)
	require.ErrorIs(t, err, fairness.ErrNoColumn)

	// Errors from the audit name the 1-based table row, not the index among
	// kept rows.
	de := &fairness.DataError{Column: "g", Row: 2, Count: 1, Detail: "bad", Err: fairness.ErrMissingGroup}
	c.Groups = []string{"g"}
	d, err = fairness.FromTable(tab, c)
	require.NoError(t, err)
	err = d.RowError(de)
	require.ErrorIs(t, err, fairness.ErrMissingGroup)
	require.ErrorContains(t, err, `column "g", row 5: bad`)
}

func TestFromTableBadCells(t *testing.T) {
	tab, err := score.ParseCSV([]byte("y,s,g,w\ngood,0.1,a,1\ngood,0.2,a,-1\nbad,abc,b,1\nbad,NaN,b,1\n"), nil)
	require.NoError(t, err)
	_, err = fairness.FromTable(tab, fairness.Columns{Label: "y", Favorable: "good", Score: "s", Weights: "w", Groups: []string{"g"}})
	require.ErrorContains(t, err, `column "s", row 3: "abc" is not a number (and 1 more rows)`)
	require.ErrorContains(t, err, `column "w", row 2: negative weight -1`)
}

func TestIntersectionAndBurdens(t *testing.T) {
	sex := fairness.GroupColumn{Name: "sex", Values: []string{"f", "m", "f", "m"}}
	age := fairness.GroupColumn{Name: "age", Values: []string{"young", "young", "old", "old"}}
	in, err := fairness.Intersection(sex, age)
	require.NoError(t, err)
	require.Equal(t, fairness.GroupColumn{Name: "sex & age", Values: []string{"f & young", "m & young", "f & old", "m & old"}}, in)
	_, err = fairness.Intersection(sex, fairness.GroupColumn{Name: "x", Values: []string{"a"}})
	require.ErrorIs(t, err, fairness.ErrLength)

	costs := []float64{1, 2, 3, math.Inf(1)}
	adverse := []bool{true, true, true, true}
	bs, err := fairness.RecourseBurdens(costs, adverse, []fairness.GroupColumn{sex, age}, &fairness.BurdenOptions{MinGroupSize: -1})
	require.NoError(t, err)
	require.Len(t, bs, 3)
	require.Equal(t, []string{"sex & age", "sex", "age"}, []string{bs[0].Attribute, bs[1].Attribute, bs[2].Attribute})
	one, err := fairness.RecourseBurden(costs, adverse, sex, &fairness.BurdenOptions{MinGroupSize: -1})
	require.NoError(t, err)
	require.Equal(t, one.Groups[1].MeanCost, bs[1].Groups[1].MeanCost)
	require.Equal(t, one.Groups[1].Infeasible, bs[1].Groups[1].Infeasible)
	bs, err = fairness.RecourseBurdens(costs, adverse, []fairness.GroupColumn{sex}, nil)
	require.NoError(t, err)
	require.Len(t, bs, 1)
}

// Messages count rows from 1, like every candor message; the field stays
// the 0-based index. Before, the message said "row index 0".
func TestDataErrorMessageIsOneBased(t *testing.T) {
	_, err := fairness.Audit(context.Background(), fairness.Data{
		Labels: []bool{true, false}, Predictions: []bool{true, false},
		Groups: []fairness.GroupColumn{{Name: "g", Values: []string{"", "b"}}},
	}, nil)
	var de *fairness.DataError
	require.ErrorAs(t, err, &de)
	require.Equal(t, 0, de.Row)
	require.Contains(t, err.Error(), `column "g", row 1:`)
}

// An audit straight from a table: rows with a blank cell are left out and
// counted.
func ExampleFromTable() {
	tab, err := score.ParseCSV([]byte("outcome,approved,sex\ngood,yes,f\nbad,no,m\ngood,,f\ngood,yes,m\n"), nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	d, err := fairness.FromTable(tab, fairness.Columns{Label: "outcome", Favorable: "good",
		Prediction: "approved", FavorablePrediction: "yes", Groups: []string{"sex"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(d.Rows, d.Data.Predictions)
	fmt.Println(d.Excluded)
	// Output:
	// [0 1 3] [true false true]
	// excluded 1 of 4 rows with a blank cell: approved 1 (first at row 3)
}

// The intersection of two group columns, named as Audit names it.
func ExampleIntersection() {
	in, err := fairness.Intersection(
		fairness.GroupColumn{Name: "sex", Values: []string{"f", "m"}},
		fairness.GroupColumn{Name: "age", Values: []string{"<=25", ">25"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%s: %q\n", in.Name, in.Values)
	// Output:
	// sex & age: ["f & <=25" "m & >25"]
}
