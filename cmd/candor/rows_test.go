package main

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestParseRows(t *testing.T) {
	cases := []struct {
		name, in string
		n        int
		want     []int // 0-based table rows
		err      string
	}{
		{"all", "", 3, []int{0, 1, 2}, ""},
		{"list and range, merged and in table order", "4,1-2,2", 5, []int{0, 1, 3}, ""},
		{"overlapping ranges", "2-4,3-5", 5, []int{1, 2, 3, 4}, ""},
		{"past the end", "1,6", 5, nil, "row 6 is past the last data row (5)"},
		{"huge range is checked, not built", "1-1000000000", 10, nil, "row 1000000000 is past the last data row (10)"},
		{"zero", "0", 5, nil, "bad row"},
		{"backwards", "3-1", 5, nil, "bad range"},
		{"not a number", "x", 5, nil, "bad row"},
		{"open range", "3-", 5, nil, "bad range"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rs, err := parseRows(c.in)
			if err == nil {
				var got []int
				got, err = rs.indexes(c.n)
				if c.err == "" {
					require.NoError(t, err)
					require.Equal(t, c.want, got)
					return
				}
			}
			require.ErrorContains(t, err, c.err)
		})
	}
}

// A range's size costs nothing until it is checked against the table.
func TestParseRowsAllocatesPerRangeNotPerRow(t *testing.T) {
	allocs := testing.AllocsPerRun(10, func() {
		if _, err := parseRows("1-1000000000"); err != nil {
			t.Fatal(err)
		}
	})
	require.LessOrEqual(t, allocs, 4.0)
}

// Before, recourse took --rows past the last data row silently and built a
// map entry for every row of a range.
func TestRowsPastTheEnd(t *testing.T) {
	dir := t.TempDir()
	model, data := germanFixture(t, dir, 5)
	// A small range past the end: before, recourse answered rows 4 and 5
	// and exited 0.
	code, out, errOut := runCLI(t, "recourse", "--model", model, "--data", data, "--rows", "4-7")
	require.Equal(t, 1, code, errOut)
	require.Empty(t, out)
	require.Contains(t, errOut, "--rows: row 7 is past the last data row (5)")
	for _, cmd := range []string{"recourse", "explain"} {
		code, out, errOut := runCLI(t, cmd, "--model", model, "--data", data, "--rows", "4-1000000000")
		require.Equal(t, 1, code, cmd)
		require.Empty(t, out, cmd)
		require.Contains(t, errOut, "--rows: row 1000000000 is past the last data row (5)", cmd)
	}
}
