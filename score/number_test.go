package score_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/score"
)

// One number grammar everywhere a cell is parsed: "1_169" and "0x1p3" were
// numbers to strconv.ParseFloat, so to schema inference and scoring.
func TestCellsFollowTheNumberGrammar(t *testing.T) {
	tab, err := score.ReadCSV(strings.NewReader("a,b,c,d\n1_169,0x1p3,inf,1.5\n2,3,4,2e3\n"), nil)
	require.NoError(t, err)
	s := tab.InferSchema()
	for _, name := range []string{"a", "b", "c"} {
		f, _ := s.Lookup(name)
		require.Equal(t, score.Categorical, f.Kind, "column %s", name)
	}
	f, _ := s.Lookup("d")
	require.Equal(t, score.Numeric, f.Kind)
	for _, cell := range []string{"1_169", "0x1p3", "inf", "NaN", "1e400"} {
		_, err := score.ParseValue(score.Numeric, cell)
		require.ErrorIs(t, err, score.ErrWrongKind, cell)
	}
	num := score.MustSchema(score.Feature{Name: "x", Kind: score.Numeric})
	_, err = num.RecordFromMap(map[string]any{"x": "0x1p3"})
	require.ErrorIs(t, err, score.ErrWrongKind)
	_, err = num.RecordFromStrings([]string{"x"}, []string{"1_169"}, true)
	require.ErrorIs(t, err, score.ErrWrongKind)
	require.Contains(t, err.Error(), `"1_169"`)
}

// Decimal commas turned numeric columns into categories; Infer names the
// column, a value and its row.
func TestInferNamesDecimalCommas(t *testing.T) {
	tab, err := score.ReadCSV(strings.NewReader("age;balance;job\n30;1,5;admin\n41;-20,25;tech\n52;;admin\n"), &score.CSVOptions{Delimiter: ';'})
	require.NoError(t, err)
	_, err = tab.Infer()
	require.ErrorIs(t, err, score.ErrMalformed)
	for _, want := range []string{`"balance"`, `"1,5"`, "row 1", "decimal comma", "CANDOR_DECIMAL_COMMA=1"} { // the setting that exists (the message named a "decimal comma option" no command has)
		require.Contains(t, err.Error(), want)
	}
	// With the option, they are numbers.
	tab, err = score.ReadCSV(strings.NewReader("age;balance;job\n30;1,5;admin\n41;-20,25;tech\n"), &score.CSVOptions{Delimiter: ';', DecimalComma: true})
	require.NoError(t, err)
	s, err := tab.Infer()
	require.NoError(t, err)
	f, _ := s.Lookup("balance")
	require.Equal(t, score.Numeric, f.Kind)
	rec, err := tab.Record(s, 1)
	require.NoError(t, err)
	require.Equal(t, -20.25, rec[1].Float())
	// Text with commas is not mistaken for numbers.
	tab, err = score.ReadCSV(strings.NewReader("city,n\n\"Rome, IT\",1\n\"1,5\",2\n"), nil)
	require.NoError(t, err)
	_, err = tab.Infer()
	require.NoError(t, err)
}

// Infer refuses a categorical column with more labels than Limits.Levels,
// naming it.
func TestInferLevelsLimit(t *testing.T) {
	var b strings.Builder
	b.WriteString("id,y\n")
	for i := range 50 {
		b.WriteString("c")
		b.WriteString(strings.Repeat("z", i))
		b.WriteString(",1\n")
	}
	tab, err := score.ReadCSV(strings.NewReader(b.String()), &score.CSVOptions{Limits: &score.Limits{Levels: 20}})
	require.NoError(t, err)
	_, err = tab.Infer()
	require.ErrorIs(t, err, score.ErrLimit)
	require.Contains(t, err.Error(), `column "id"`)
}

// A column of numbers with a few stray texts was made categorical, a level
// per number (a public card-churn file's description row under the header
// turned its age into 46 levels): Infer names the column, the texts with
// their counts and first rows, and the ways out. The counts: 29 numbers
// (25+i for the other i of 0..33), "NA" in rows 2, 12, 22 and 32, "?" in row 5.
func TestInferNamesStrayText(t *testing.T) {
	var b strings.Builder
	b.WriteString("age,y\n")
	for i := range 34 {
		switch {
		case i%10 == 1:
			b.WriteString("NA,1\n")
		case i == 4:
			b.WriteString("?,0\n")
		default:
			fmt.Fprintf(&b, "%d,%d\n", 25+i, i%2)
		}
	}
	tab, err := score.ReadCSV(strings.NewReader(b.String()), nil)
	require.NoError(t, err)
	_, err = tab.Infer()
	require.ErrorIs(t, err, score.ErrMalformed)
	for _, want := range []string{`column "age": 29 of its 34 cells are numbers`, `"NA" (4 cells, first in row 2)`, `"?" (row 5)`, `"kind": "categorical"`} {
		require.Contains(t, err.Error(), want)
	}
	// InferSchema (no checks) still reads it, as labels.
	f, _ := tab.InferSchema().Lookup("age")
	require.Equal(t, score.Categorical, f.Kind)
	// Four distinct texts: a categorical column, not numbers with strays.
	tab, err = score.ReadCSV(strings.NewReader(b.String()+"none,1\nsome,0\n"), nil)
	require.NoError(t, err)
	_, err = tab.Infer()
	require.NoError(t, err)
}
