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
// small; the report says so first and how to band it. A categorical
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
		`(40 of them under the minimum group size 30); band it first (e.g. age 25 or under, over 25) and audit the band column`,
		rep.Warnings[0])

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
