package score_test

import (
	"fmt"
	"strconv"
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

// "Give Me Some Credit" (cs-training.csv) writes its missing incomes and
// dependants as NA, R's missing value: MonthlyIncome, numbers on every
// other row, was read as categories and refused with "more than 10000
// levels (raise it with Limits.Levels)", and NumberOfDependents (0 to 20)
// would have become 15 categories. Infer names the column, the marker,
// its rows and the first of them, and says that only a blank cell is
// missing. A column declared categorical is not checked (InferSchemaWith).
func TestInferNamesMissingMarkers(t *testing.T) {
	var b strings.Builder
	b.WriteString("MonthlyIncome,NumberOfDependents,job\n")
	for i := range 20000 {
		income, deps := "NA", "NA"
		if i%5 != 3 {
			income = strconv.Itoa(1000 + i)
		}
		if i%40 != 1 {
			deps = strconv.Itoa(i % 4)
		}
		fmt.Fprintf(&b, "%s,%s,%s\n", income, deps, []string{"NA", "admin"}[i%2])
	}
	tab, err := score.ReadCSV(strings.NewReader(b.String()), nil)
	require.NoError(t, err)
	_, err = tab.Infer()
	require.ErrorIs(t, err, score.ErrMalformed)
	require.NotErrorIs(t, err, score.ErrLimit)
	for _, want := range []string{`column "MonthlyIncome"`, `"NA" on 4000 rows (the first is row 4)`, "candor reads only a blank cell as missing", `{"role": "ignored"}`} {
		require.Contains(t, err.Error(), want)
	}
	// Below the levels limit too: NumberOfDependents alone.
	tab, err = score.ReadCSV(strings.NewReader(strings.ReplaceAll(b.String(), "MonthlyIncome", "income")), nil)
	require.NoError(t, err)
	d := &score.Declarations{Features: map[string]score.Declaration{"income": {Role: new(score.Ignored)}}}
	_, err = tab.InferSchemaWith(d)
	require.ErrorIs(t, err, score.ErrMalformed)
	require.Contains(t, err.Error(), `column "NumberOfDependents" holds numbers and "NA" on 500 rows (the first is row 2)`)
	// Declared categorical, the column is read as its labels.
	d.Features["NumberOfDependents"] = score.Declaration{Kind: new(score.Categorical)}
	s, err := tab.InferSchemaWith(d)
	require.NoError(t, err)
	f, _ := s.Lookup("NumberOfDependents")
	require.Equal(t, []string{"0", "1", "2", "3", "NA"}, f.Categories)
	// A text column with an NA level is text.
	f, _ = s.Lookup("job")
	require.Equal(t, score.Categorical, f.Kind)
}

// A file written by pandas' to_csv with its index (Give Me Some Credit's
// cs-training.csv) has a first header cell that is blank. The error said
// only "CSV column 1 has no name", which leaves a newcomer nowhere: it now
// says what such a column usually is and what to do.
func TestUnnamedIndexColumnHint(t *testing.T) {
	_, err := score.ReadCSV(strings.NewReader(",SeriousDlqin2yrs,age\n1,1,45\n2,0,40\n"), &score.CSVOptions{Name: "cs-training.csv"})
	require.ErrorIs(t, err, score.ErrMalformed)
	for _, want := range []string{"cs-training.csv", "CSV column 1 has no name", "a row index", "give it a name in the header", `"role": "ignored"`} {
		require.Contains(t, err.Error(), want)
	}
	// Another blank name is only named.
	_, err = score.ReadCSV(strings.NewReader("a,,b\n1,2,3\n"), nil)
	require.ErrorIs(t, err, score.ErrMalformed)
	require.Contains(t, err.Error(), "CSV column 2 has no name")
	require.NotContains(t, err.Error(), "row index")
}

// At scoring time a missing-value marker in a numeric cell is a row error
// that says so: a scorecard has a bin for missing values, which a blank
// cell reaches and "NA" did not ("value of the wrong kind" and no more).
func TestMissingMarkerAtScoring(t *testing.T) {
	num := score.MustSchema(score.Feature{Name: "MonthlyIncome", Kind: score.Numeric})
	_, err := num.RecordFromStrings([]string{"MonthlyIncome"}, []string{"NA"}, true)
	require.ErrorIs(t, err, score.ErrWrongKind)
	require.Contains(t, err.Error(), `("NA")`)
	require.Contains(t, err.Error(), "a missing-value marker: only a blank cell is missing")
	_, err = num.RecordFromStrings([]string{"MonthlyIncome"}, []string{"n.a."}, true)
	require.ErrorIs(t, err, score.ErrWrongKind)
	require.NotContains(t, err.Error(), "marker")
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

// Every column with a missing-value marker or stray text is named at once:
// on the UCI credit-approval file (crx.data, "?" written as "N/A"), Infer
// named A2 alone, and only the next run named A14 (rule 7 of STYLE: report
// all bad fields at once). The counts: 30 numbers in each column, "N/A" on
// rows 3 and 8 of a2 and on row 5 of a14, "?" on row 12 of a14.
func TestInferNamesEveryBadColumn(t *testing.T) {
	var b strings.Builder
	b.WriteString("a1,a2,a14,y\n")
	for i := range 32 {
		a2, a14 := strconv.Itoa(20+i), strconv.Itoa(100+3*i)
		switch i {
		case 2, 7:
			a2 = "N/A"
		case 4:
			a14 = "N/A"
		case 11:
			a14 = "?"
		}
		fmt.Fprintf(&b, "%s,%s,%s,%d\n", []string{"a", "b"}[i%2], a2, a14, i%2)
	}
	tab, err := score.ReadCSV(strings.NewReader(b.String()), nil)
	require.NoError(t, err)
	for name, infer := range map[string]func() error{
		"Infer":           func() error { _, err := tab.Infer(); return err },
		"InferSchemaWith": func() error { _, err := tab.InferSchemaWith(nil); return err },
	} {
		err := infer()
		require.ErrorIs(t, err, score.ErrMalformed, name)
		msg := err.Error()
		require.Contains(t, msg, `column "a2" holds numbers and "N/A" on 2 rows (the first is row 3)`, name)
		require.Contains(t, msg, `column "a14": 30 of its 32 cells are numbers and the others are text: "N/A" (row 5), "?" (row 12)`, name)
		require.Less(t, strings.Index(msg, `"a2"`), strings.Index(msg, `"a14"`), name)
	}
}

// Text in a numeric cell at scoring time says what was wanted: a number
// for a numeric feature. Before, `feature "Call  Failure": value of the
// wrong kind ("ten")` left the user to guess which kind (the Iranian churn
// file with "ten" written in its call-failure count).
func TestTextInNumericCellSaysNumber(t *testing.T) {
	num := score.MustSchema(score.Feature{Name: "Call  Failure", Kind: score.Numeric})
	_, err := num.RecordFromStrings([]string{"Call  Failure"}, []string{"ten"}, true)
	require.ErrorIs(t, err, score.ErrWrongKind)
	require.Contains(t, err.Error(), `feature "Call  Failure": value of the wrong kind: not a number, and the feature is numeric ("ten")`)
}
