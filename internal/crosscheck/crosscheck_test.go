package crosscheck

import (
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestJSONDiff(t *testing.T) {
	for _, tc := range []struct {
		name, want, got string
		rel             float64
		ok              bool
	}{
		{"equal", `{"a":[1,"x",true,null]}`, `{"a":[1,"x",true,null]}`, 0, true},
		{"relative", `{"a":1000}`, `{"a":1000.0000001}`, 1e-9, true},
		{"relative over", `{"a":1000}`, `{"a":1000.00001}`, 1e-9, false},
		{"absolute below 1", `{"a":0}`, `{"a":1e-13}`, 1e-12, true},
		{"absolute over", `{"a":0}`, `{"a":1e-11}`, 1e-12, false},
		{"string differs", `{"a":"x"}`, `{"a":"y"}`, 1, false},
		{"missing key", `{"a":1,"b":2}`, `{"a":1,"c":2}`, 0, false},
		{"length", `[1,2]`, `[1,2,3]`, 0, false},
		{"kind", `{"a":1}`, `{"a":"1"}`, 1, false},
		{"not JSON", `{"a":1}`, `{`, 1, false},
	} {
		err := JSONDiff([]byte(tc.want), []byte(tc.got), tc.rel)
		if tc.ok {
			require.NoError(t, err, tc.name)
		} else {
			require.Error(t, err, tc.name)
		}
	}
}

// JSONDiffFunc takes each number's tolerance from its path: here exact but
// under $.sums, where 1e-12 is allowed.
func TestJSONDiffFunc(t *testing.T) {
	rel := func(path string) float64 {
		if strings.HasPrefix(path, "$.sums") {
			return 1e-12
		}
		return 0
	}
	require.NoError(t, JSONDiffFunc([]byte(`{"n":[3],"sums":{"a":0.3}}`), []byte(`{"n":[3],"sums":{"a":0.30000000000000004}}`), rel))
	require.ErrorContains(t, JSONDiffFunc([]byte(`{"n":[0.3]}`), []byte(`{"n":[0.30000000000000004]}`), rel),
		"$.n[0]: 0.30000000000000004, want 0.3 (relative tolerance 0)")
	require.ErrorContains(t, JSONDiffFunc([]byte(`{"sums":{"a":1}}`), []byte(`{"sums":{"a":1.000000001}}`), rel), "$.sums.a")
}

// rows is a Rows over literal cells.
type rows struct {
	header []string
	cells  [][]string
	row    int
}

func (r *rows) Header() []string { return r.header }
func (r *rows) Row() int         { return r.row }
func (r *rows) Next() ([]string, error) {
	if r.row >= len(r.cells) {
		return nil, io.EOF
	}
	r.row++
	return r.cells[r.row-1], nil
}

func TestRowsDiff(t *testing.T) {
	h := []string{"a", "b"}
	want := [][]string{{"1", "x"}, {"0.0", ""}}
	require.NoError(t, RowsDiff(&rows{header: h, cells: want}, &rows{header: h, cells: [][]string{{"1", "x"}, {"0", ""}}}))
	require.ErrorContains(t, RowsDiff(&rows{header: h, cells: want}, &rows{header: h, cells: [][]string{{"1", "y"}, {"0", ""}}}), "row 1, column b")
	require.Error(t, RowsDiff(&rows{header: h, cells: want}, &rows{header: h, cells: want[:1]}))
	require.Error(t, RowsDiff(&rows{header: h, cells: want[:1]}, &rows{header: h, cells: want}))
	require.Error(t, RowsDiff(&rows{header: h, cells: want}, &rows{header: []string{"a", "c"}, cells: want}))
	require.False(t, SameCell("12345678901234567890", "12345678901234567891"), "over 17 digits: text must match")
	require.True(t, SameCell("1e2", "100"))
}

func TestSplitAndMergeTree(t *testing.T) {
	parts := Split(10, 4, 1)
	require.Len(t, parts, 4)
	seen := map[int]bool{}
	for _, p := range parts {
		require.NotEmpty(t, p)
		for _, i := range p {
			require.False(t, seen[i])
			seen[i] = true
		}
	}
	require.Len(t, seen, 10)
	// Merging strings by concatenation shows the order of each tree.
	for tree, want := range map[string]string{"left": "abcde", "right": "edcba", "pairs": "abcde"} {
		ps := []*string{new("a"), new("b"), new("c"), new("d"), new("e")}
		got, err := MergeTree(ps, tree, func(a, b *string) error { *a += *b; return nil })
		require.NoError(t, err)
		require.Equal(t, want, *got, tree)
	}
	_, err := MergeTree([]*string{new("a")}, "sideways", func(a, b *string) error { return nil })
	require.Error(t, err)
}
