package fairness

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// A numeric column given as a group (a public credit-risk file's
// person_age, 58 ages) is audited one value per group, nearly all of them
// small; the report says so first and how to band it, with edges to copy:
// the quintiles of its rows. Here ages 20 to 59 have 1, 2, 3, 4, 1, 2, ...
// rows (1 + age%4), 10 per four years and 100 in all, so 20, 40, 60 and 80
// rows lie below 28, 36, 44 and 52. A categorical
// column with many levels gets no such warning, nor does a numeric column
// with few values (a 0/1 flag).
func TestAuditWarnsOfNumericGroups(t *testing.T) {
	var rows []handRow
	for age := 20; age < 60; age++ {
		rows = append(rows, handRow{strconv.Itoa(age), age%3 == 0, age%2 == 0, 1 + age%4})
	}
	rep, err := Audit(context.Background(), handData(rows), nil)
	require.NoError(t, err)
	require.NotEmpty(t, rep.Warnings)
	require.Equal(t, `g: 40 groups, every one a number: a numeric column is audited one value per group `+
		`(40 of them under the minimum group size 30); band it first: candor audit --bands g=28,36,44,52 `+
		`(the quintiles of its rows; any ascending edges), or Columns.Bands in Go`,
		rep.Warnings[0])

	// Most rows at the largest value: that value is the one edge.
	top := []handRow{{"99", true, true, 400}}
	for age := 20; age < 39; age++ {
		top = append(top, handRow{strconv.Itoa(age), true, age%2 == 0, 1})
	}
	rep, err = Audit(context.Background(), handData(top), nil)
	require.NoError(t, err)
	require.Contains(t, rep.Warnings[0], "candor audit --bands g=99 (")

	for i := range rows {
		rows[i].g = "branch " + rows[i].g
	}
	rep, err = Audit(context.Background(), handData(rows), nil)
	require.NoError(t, err)
	for _, w := range rep.Warnings {
		require.False(t, strings.Contains(w, "every one a number"), w)
	}

	flag := []handRow{{"0", true, true, 40}, {"1", false, true, 35}, {"1", true, false, 5}}
	rep, err = Audit(context.Background(), handData(flag), nil)
	require.NoError(t, err)
	for _, w := range rep.Warnings {
		require.False(t, strings.Contains(w, "every one a number"), w)
	}
}

// The --bands hint is a shell word to copy: a column name with spaces (the
// Iranian churn file's "Subscription  Length") or a quote is single-quoted,
// so the line pasted into a shell passes one argument. Before, it read
// `candor audit --bands Subscription  Length=28,35,37,40`, two words.
func TestAuditBandsHintIsQuoted(t *testing.T) {
	var rows []handRow
	for age := 20; age < 60; age++ {
		rows = append(rows, handRow{strconv.Itoa(age), age%3 == 0, age%2 == 0, 1 + age%4})
	}
	for name, want := range map[string]string{
		"Subscription  Length": `candor audit --bands 'Subscription  Length=28,36,44,52' (`,
		"it's age":             `candor audit --bands 'it'\''s age=28,36,44,52' (`,
		"person_age":           `candor audit --bands person_age=28,36,44,52 (`,
	} {
		d := handData(rows)
		d.Groups[0].Name = name
		rep, err := Audit(context.Background(), d, nil)
		require.NoError(t, err)
		require.NotEmpty(t, rep.Warnings)
		require.Contains(t, rep.Warnings[0], want, name)
	}
}
