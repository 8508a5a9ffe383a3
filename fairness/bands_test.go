package fairness_test

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/examples/datasets"
	"github.com/candorscore/candor/fairness"
	"github.com/candorscore/candor/score"
)

// Bands are half-open, [lo, hi): a value equal to an edge goes to the band
// above it (pandas.cut(right=False), numpy.digitize's default).
func TestBandsOf(t *testing.T) {
	b := fairness.Bands{25, 35, 65}
	for _, c := range []struct {
		x    float64
		want string
	}{
		{-1e300, "< 25"}, {24.999, "< 25"}, {25, "[25, 35)"}, {34.5, "[25, 35)"},
		{35, "[35, 65)"}, {64.99, "[35, 65)"}, {65, ">= 65"}, {1e300, ">= 65"},
	} {
		require.Equal(t, c.want, b.Name(b.Of(c.x)), "%v", c.x)
	}
	require.Equal(t, []string{"< 0.5", "[0.5, 1000000)", ">= 1000000"},
		[]string{fairness.Bands{0.5, 1e6}.Name(0), fairness.Bands{0.5, 1e6}.Name(1), fairness.Bands{0.5, 1e6}.Name(2)})
}

// bandsCSV is a hand-made file: ages, the observed outcome and the
// decision. Banded at 30 and 50 (rows 3 and 7 sit on an edge and go up):
//
//	< 30:     rows 1, 2, 10: 3 rows, 2 approved (1, 2); good row 1 approved: TPR 1/1
//	[30, 50): rows 3, 4, 5, 6, 11: 5 rows, 3 approved (4, 6, 11); good 3, 4, 6, 11: TPR 3/4
//	>= 50:    rows 7, 8, 9, 12: 4 rows, 2 approved (7, 12); good 7, 9, 12: TPR 2/3
//
// so the demographic parity difference is 2/3 - 1/2 = 1/6 and the equal
// opportunity difference 1 - 2/3 = 1/3.
const bandsCSV = "age,y,d\n" +
	"22,good,yes\n29.5,bad,yes\n30,good,no\n31,good,yes\n45,bad,no\n49.99,good,yes\n" +
	"50,good,yes\n64,bad,no\n70,good,no\n18,bad,no\n35,good,yes\n80,good,yes\n"

var bandsColumns = fairness.Columns{Label: "y", Favorable: "good", Prediction: "d", FavorablePrediction: "yes",
	Groups: []string{"age"}, Bands: map[string]fairness.Bands{"age": {30, 50}}}

func TestFromTableBands(t *testing.T) {
	tab, err := score.ParseCSV([]byte(bandsCSV), nil)
	require.NoError(t, err)
	d, err := fairness.FromTable(tab, bandsColumns)
	require.NoError(t, err)
	require.Equal(t, []string{"< 30", "< 30", "[30, 50)", "[30, 50)", "[30, 50)", "[30, 50)",
		">= 50", ">= 50", ">= 50", "< 30", "[30, 50)", ">= 50"}, d.Data.Groups[0].Values)
	rep, err := fairness.Audit(context.Background(), d.Data, &fairness.Options{MinGroupSize: -1})
	require.NoError(t, err)
	want := map[string]struct {
		n        int
		sel, tpr float64
	}{"< 30": {3, 2.0 / 3, 1}, "[30, 50)": {5, 3.0 / 5, 3.0 / 4}, ">= 50": {4, 2.0 / 4, 2.0 / 3}}
	// Bands are listed in their numeric order, not in byte order (which
	// puts ">= 50" before "[30, 50)").
	require.Len(t, rep.Groups, 3)
	require.Equal(t, []string{"< 30", "[30, 50)", ">= 50"}, []string{rep.Groups[0].Name, rep.Groups[1].Name, rep.Groups[2].Name})
	for _, g := range rep.Groups {
		w, ok := want[g.Name]
		require.True(t, ok, g.Name)
		require.Equal(t, w.n, g.Count, g.Name)
		require.InDelta(t, w.sel, g.SelectionRate.Value, 1e-15, g.Name)
		require.InDelta(t, w.tpr, g.TPR.Value, 1e-15, g.Name)
	}
	require.InDelta(t, 1.0/6, rep.DemographicParityDifference.Value, 1e-15)
	require.InDelta(t, 1.0/3, rep.EqualOpportunityDifference.Value, 1e-15)
	for _, w := range rep.Warnings {
		require.NotContains(t, w, "every one a number", "banded, the groups are not numbers")
	}
}

// The streamed path (RowParser, one per worker, merged) bands as FromTable
// does: a tally of its rows gives the same report.
func TestRowParserBands(t *testing.T) {
	lines := strings.Split(strings.TrimSpace(bandsCSV), "\n")
	header := strings.Split(lines[0], ",")
	p, err := fairness.NewRowParser(header, bandsColumns)
	require.NoError(t, err)
	q := p.Clone()
	tally, err := fairness.NewTally(p.Spec(), &fairness.Options{MinGroupSize: -1})
	require.NoError(t, err)
	var r fairness.Row
	for i, l := range lines[1:] {
		parser := p
		if i%2 == 1 {
			parser = q
		}
		require.True(t, parser.Parse(i+1, strings.Split(l, ","), &r), l)
		require.NoError(t, tally.Add(r))
	}
	p.Merge(q)
	_, err = p.Finish()
	require.NoError(t, err)
	rep, err := tally.Report(context.Background())
	require.NoError(t, err)
	tab, err := score.ParseCSV([]byte(bandsCSV), nil)
	require.NoError(t, err)
	d, err := fairness.FromTable(tab, bandsColumns)
	require.NoError(t, err)
	mem, err := fairness.Audit(context.Background(), d.Data, &fairness.Options{MinGroupSize: -1})
	require.NoError(t, err)
	require.Equal(t, len(mem.Groups), len(rep.Groups))
	for i, g := range rep.Groups {
		require.Equal(t, mem.Groups[i].Name, g.Name)
		require.Equal(t, mem.Groups[i].Count, g.Count, g.Name)
		require.Equal(t, mem.Groups[i].Confusion, g.Confusion, g.Name)
	}
}

// Band names sort by band, before any other value (so the order is total
// when a column mixes them); other values keep byte order. The recourse
// burden lists its groups in the same order.
func TestBandsOrder(t *testing.T) {
	vals := []string{"b", ">= 100", "[5, 100)", "A", "< 5", "[-1, 5)"}
	rep, err := fairness.Audit(context.Background(), fairness.Data{Labels: make([]bool, len(vals)), Predictions: make([]bool, len(vals)),
		Groups: []fairness.GroupColumn{{Name: "g", Values: vals}}}, nil)
	require.NoError(t, err)
	var names []string
	for _, g := range rep.Groups {
		names = append(names, g.Name)
	}
	require.Equal(t, []string{"< 5", "[-1, 5)", "[5, 100)", ">= 100", "A", "b"}, names)
	b, err := fairness.RecourseBurden([]float64{1, 2, 3, 4, 5, 6}, []bool{true, true, true, true, true, true},
		fairness.GroupColumn{Name: "g", Values: vals}, nil)
	require.NoError(t, err)
	names = names[:0]
	for _, g := range b.Groups {
		names = append(names, g.Group)
	}
	require.Equal(t, []string{"< 5", "[-1, 5)", "[5, 100)", ">= 100", "A", "b"}, names)
}

// A banded cell that is not a number is an error naming the column, the
// 1-based data row and the value, as a bad score is; a blank one is
// missing, as a blank group always is: the row is left out and counted
// (or refused under RefuseBlank).
func TestFromTableBandsBadCells(t *testing.T) {
	tab, err := score.ParseCSV([]byte("age,y,d\n22,good,yes\nforty,bad,no\n33,good,no\n1e3x,good,no\n"), nil)
	require.NoError(t, err)
	_, err = fairness.FromTable(tab, bandsColumns)
	require.ErrorContains(t, err, `column "age", row 2: "forty" is not a number (the column is banded) (and 1 more rows)`)

	tab, err = score.ParseCSV([]byte("age,y,d\n22,good,yes\n,bad,no\n33,good,no\n"), nil)
	require.NoError(t, err)
	d, err := fairness.FromTable(tab, bandsColumns)
	require.NoError(t, err)
	require.Equal(t, []string{"< 30", "[30, 50)"}, d.Data.Groups[0].Values)
	require.Equal(t, "excluded 1 of 3 rows with a blank cell: age 1 (first at row 2)", d.Excluded.String())
	c := bandsColumns
	c.Blank = fairness.RefuseBlank
	_, err = fairness.FromTable(tab, c)
	require.ErrorIs(t, err, fairness.ErrBlank)
}

// Edges must be finite and strictly ascending, and only group columns are
// banded: each is an ErrOption error naming the column.
func TestBandsBadEdges(t *testing.T) {
	header := []string{"age", "y", "d"}
	for _, c := range []struct {
		name  string
		bands map[string]fairness.Bands
		want  string
	}{
		{"descending", map[string]fairness.Bands{"age": {50, 30}}, `bands of "age": edges must be strictly ascending (50 then 30)`},
		{"repeated", map[string]fairness.Bands{"age": {30, 30}}, `bands of "age": edges must be strictly ascending (30 then 30)`},
		{"none", map[string]fairness.Bands{"age": {}}, `bands of "age": no edges`},
		{"not finite", map[string]fairness.Bands{"age": {30, math.Inf(1)}}, `bands of "age": edge +Inf is not finite`},
		{"not a group", map[string]fairness.Bands{"y": {1}}, `bands of "y": not a group column (groups: age)`},
	} {
		cols := bandsColumns
		cols.Bands = c.bands
		_, err := fairness.NewRowParser(header, cols)
		require.ErrorIs(t, err, fairness.ErrOption, c.name)
		require.ErrorContains(t, err, c.want, c.name)
	}
}

// Ages banded for an audit built in Go: each row's group is its band's
// name (FromTable does this itself with Columns.Bands).
func ExampleBands() {
	bands := fairness.Bands{25, 35, 65}
	ages := []float64{19, 25, 34.5, 35, 70}
	groups := make([]string, len(ages))
	for i, a := range ages {
		groups[i] = bands.Name(bands.Of(a))
	}
	fmt.Println(strings.Join(groups, " | "))
	// Output:
	// < 25 | [25, 35) | [25, 35) | [35, 65) | >= 65
}

// BenchmarkRowParserAdultAge parses Adult's 48,842 rows by age, one value
// per group (raw) and in five bands (banded): what --bands adds to the
// streamed audit's parsing.
func BenchmarkRowParserAdultAge(b *testing.B) {
	tab, err := datasets.Load(datasets.Adult)
	require.NoError(b, err)
	rows := make([][]string, tab.Len())
	for i := range rows {
		rows[i] = tab.AppendRow(nil, i)
	}
	for _, c := range []struct {
		name  string
		bands map[string]fairness.Bands
	}{{"raw", nil}, {"banded", map[string]fairness.Bands{"age": {25, 35, 45, 55, 65}}}} {
		b.Run(c.name, func(b *testing.B) {
			cols := fairness.Columns{Label: "income", Favorable: ">50K", Score: "hours_per_week", Groups: []string{"age"}, Bands: c.bands}
			p, err := fairness.NewRowParser(tab.Header(), cols)
			require.NoError(b, err)
			var r fairness.Row
			b.ReportAllocs()
			for b.Loop() {
				for i, cells := range rows {
					p.Parse(i+1, cells, &r)
				}
			}
		})
	}
}
