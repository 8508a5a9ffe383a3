package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/score"
)

// score, explain and recourse end their streams alike (stream.finish): the
// output is closed and holds every row's line, bad rows included; the
// rows that failed are counted on stderr in the command's words, exit
// status 1; an output that cannot be written (/dev/full) is the error,
// ahead of the count.
func TestStreamEnding(t *testing.T) {
	dir := t.TempDir()
	model, data := germanFixture(t, dir, 3)
	text, err := os.ReadFile(data)
	require.NoError(t, err)
	lines := strings.SplitAfter(string(text), "\n")
	lines[2] = strings.Replace(lines[2], "radio/television", "spaceship", 1) // row 2: unknown category
	require.Contains(t, lines[2], "spaceship")
	bad := filepath.Join(dir, "bad.csv")
	require.NoError(t, os.WriteFile(bad, []byte(strings.Join(lines, "")), 0o644))
	actions := filepath.Join(dir, "actions.json")
	require.NoError(t, os.WriteFile(actions, []byte(`{"features": {"duration_in_month": {"direction": "decrease"}}}`), 0o644))
	for _, c := range []struct {
		cmd, done string
		args      []string
	}{
		{"score", "scored", nil},
		{"explain", "explained", []string{"--format", "json"}},
		{"recourse", "answered", []string{"--actions", actions, "--train", data}},
	} {
		t.Run(c.cmd, func(t *testing.T) {
			out := filepath.Join(dir, c.cmd+".jsonl")
			args := append([]string{c.cmd, "--model", model, "--data", bad, "--out", out}, c.args...)
			code, stdout, errOut := runCLI(t, args...)
			require.Equal(t, 1, code)
			require.Empty(t, stdout)
			require.Equal(t, "candor "+c.cmd+": 1 of 3 rows could not be "+c.done+"\n", errOut)
			got, err := os.ReadFile(out)
			require.NoError(t, err)
			outLines := strings.Split(strings.TrimSuffix(string(got), "\n"), "\n")
			require.Len(t, outLines, 3)
			require.Contains(t, outLines[1], `"row":2`)
			require.Contains(t, outLines[1], `unknown category (\"spaceship\")`)

			code, _, errOut = runCLI(t, append(args[:len(args):len(args)], "--out", "/dev/full")...)
			require.Equal(t, 1, code)
			require.Equal(t, "candor "+c.cmd+": write /dev/full: no space left on device\n", errOut)
		})
	}
}

// finish: the run's error wins over the close's, the close's over the
// count, and the output is closed every time.
func TestStreamFinish(t *testing.T) {
	runErr, closeErr := errors.New("run failed"), errors.New("close failed")
	for _, c := range []struct {
		name         string
		run, close   error
		failed, rows int64
		want         string
	}{
		{"clean", nil, nil, 0, 10, ""},
		{"failed rows", nil, nil, 2, 10, "2 of 10 rows could not be scored"},
		{"close error", nil, closeErr, 2, 10, "close failed"},
		{"run error", runErr, closeErr, 2, 10, "run failed"},
	} {
		t.Run(c.name, func(t *testing.T) {
			st := &stream{}
			st.failed.Store(c.failed)
			st.rows.Store(c.rows)
			closed := false
			err := st.finish(c.run, func() error { closed = true; return c.close }, "scored")
			require.True(t, closed)
			if c.want == "" {
				require.NoError(t, err)
				return
			}
			require.EqualError(t, err, c.want)
		})
	}
}

// Bad rows of every kind write the error lines the in-memory command wrote
// (legacyScore: the table read whole, ScoreTable, RecordFromStrings'
// errors), byte for byte, with and without reasons, on 1 and 2 workers:
// an unknown category, text in a numeric column, several bad cells in a
// row (one error naming them all), a padded bad cell, a ragged row and a
// stray quote, among good rows.
func TestBadRowLinesUnchanged(t *testing.T) {
	dir := t.TempDir()
	tab, _, fitted := germanFit(t)
	model := filepath.Join(dir, "model.json")
	require.NoError(t, fitted.Model.SaveFile(model))
	h := tab.Header()
	col := func(name string) int { return slices.Index(h, name) }
	var b bytes.Buffer
	writeRepeated(&b, h, func(i int) []string {
		row := slices.Clone(tab.Row(i % tab.Len()))
		switch i % 8 {
		case 1:
			row[col("purpose")] = "spaceship"
		case 2:
			row[col("duration_in_month")] = "abc"
		case 3:
			row[col("duration_in_month")], row[col("credit_amount")], row[col("age_in_years")] = "1,5", "NaN", "x"
		case 4:
			row[col("credit_amount")] = " 12e "
		case 5:
			row = row[:len(row)-2]
		case 6:
			row[col("purpose")], row[col("installment_rate_in_percentage_of_disposable_income")] = "spaceship", "four"
		}
		return row
	}, 4000)
	text := strings.Replace(b.String(), "\n", "\n\"x\"y,", 1) // row 1: a stray quote
	data := filepath.Join(dir, "bad.csv")
	require.NoError(t, os.WriteFile(data, []byte(text), 0o644))
	for _, reasons := range []int{0, 4} {
		want, failed := legacyScore(t, model, data, reasons)
		require.Equal(t, 3001, failed) // 6 rows in 8 and the first
		for _, workers := range []string{"1", "2"} {
			code, out, _ := runCLI(t, "score", "--model", model, "--data", data, "--reasons", strconv.Itoa(reasons), "--workers", workers)
			require.Equal(t, 1, code)
			require.Equal(t, want, out, "--reasons %d --workers %s", reasons, workers)
		}
	}
}

// uncomparable is an error that cannot be a map key.
type uncomparable struct{ parts []string }

func (u uncomparable) Error() string { return strings.Join(u.parts, "+") }

// errTexts.text is score.WithRow(err, row).Error() for every shape of
// error, the first time and when remembered, past its bound too.
func TestErrTextsAsWithRow(t *testing.T) {
	fe := func(feature, value string, err error) *score.FieldError {
		return &score.FieldError{Feature: feature, Value: value, Err: err}
	}
	cases := []error{
		fe("purpose", `"spaceship"`, score.ErrUnknownCategory),
		&score.RecordError{Fields: []*score.FieldError{fe("purpose", `"spaceship"`, score.ErrUnknownCategory)}},
		&score.RecordError{Fields: []*score.FieldError{fe("a", `"x"`, score.ErrWrongKind), fe("b", "", score.ErrMissing)}},
		&score.RecordError{Row: 3, Fields: []*score.FieldError{fe("a", `"x"`, score.ErrWrongKind)}},
		&score.RecordError{Fields: []*score.FieldError{{Row: 9, Feature: "a", Err: score.ErrWrongKind}}},
		fmt.Errorf("wrapped: %w", fe("a", `"x"`, score.ErrWrongKind)),
		fe("a", `"x"`, uncomparable{[]string{"p", "q"}}),
		fe("a", `"x"`, nil),
		errors.New("plain"),
		&score.RecordError{Row: 7, Fields: []*score.FieldError{{Row: 7, Err: score.ErrMalformed}}},
		&score.RecordError{Row: 7, Fields: []*score.FieldError{{Row: 7, Feature: "a", Err: score.ErrMalformed}, {Row: 6, Feature: "b", Err: score.ErrMissing}}},
	}
	var c errTexts
	for round := range 3 {
		for i, err := range cases {
			for _, row := range []int{1, 7, 123456} {
				require.Equal(t, score.WithRow(err, row).Error(), c.text(err, row), "round %d case %d row %d", round, i, row)
			}
		}
	}
	for k := range maxErrTexts + 10 { // past the bound, texts are still right
		err := fe(fmt.Sprintf("f%d", k), `"v"`, score.ErrUnknownCategory)
		require.Equal(t, score.WithRow(err, k+1).Error(), c.text(err, k+1))
	}
	require.Len(t, c.seen, maxErrTexts)
}
