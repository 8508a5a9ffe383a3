package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/explain"
	"github.com/candorscore/candor/score"
)

// streamFixture writes the German credit model and n rows (the data set's
// rows, repeated) with two bad rows among them: row 7 has a stray quote
// (a bad CSV row) and row 11 text in a numeric column (a row the model
// cannot score).
func streamFixture(t *testing.T, dir string, n int) (model, data string, tab *score.Table) {
	t.Helper()
	tab, _, fitted := germanFit(t)
	model = filepath.Join(dir, "model.json")
	require.NoError(t, fitted.Model.SaveFile(model))
	var b bytes.Buffer
	writeRepeated(&b, tab.Header(), func(i int) []string { return tab.Row(i % tab.Len()) }, n)
	lines := strings.SplitAfter(b.String(), "\n")
	lines[7] = strings.Replace(lines[7], ",", `,"`, 1)
	dur := tab.Column("duration_in_month")
	cells := strings.Split(lines[11], ",")
	require.NotEqual(t, -1, dur)
	cells[dur] = "soon"
	lines[11] = strings.Join(cells, ",")
	data = filepath.Join(dir, "data.csv")
	require.NoError(t, os.WriteFile(data, []byte(strings.Join(lines, "")), 0o644))
	return model, data, tab
}

// legacyScore is `candor score` as it was before streaming: the whole
// table read, ScoreTable, and a json.Encoder per line. The streamed
// command must write the same bytes.
func legacyScore(t *testing.T, model, data string, nReasons int) (string, int) {
	t.Helper()
	m, err := score.LoadFile(model)
	require.NoError(t, err)
	tab, err := readTable(data, "")
	require.NoError(t, err)
	var reasons *explain.Explainer
	if nReasons != 0 {
		reasons, err = explain.NewExplainer(m, &explain.Options{MaxReasons: nReasons})
		require.NoError(t, err)
	}
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	failed := 0
	for _, r := range scoreRows(m, tab, nil) {
		line := scoreLine{Row: r.Row}
		rec, res, err := r.Record, r.Result, r.Err
		if err == nil && reasons != nil {
			var rs []reason
			rs, res, err = reasonsOf(reasons, rec)
			line.Reasons = rs
		}
		if err != nil {
			failed++
			line = scoreLine{Row: r.Row, Error: score.WithRow(err, r.Row).Error()}
		} else {
			fillScore(&line, m, res)
		}
		require.NoError(t, enc.Encode(&line))
	}
	return out.String(), failed
}

// Every streamed command writes the same bytes with 1 worker and with 4
// (small batches come back out of order from the workers), and score
// writes the bytes the in-memory command wrote. The two bad rows stay bad
// rows: reported with their row, the others scored.
func TestStreamOrderAndBytes(t *testing.T) {
	dir := t.TempDir()
	n := 3000
	if raceEnabled {
		n = 1200
	}
	model, data, tab := streamFixture(t, dir, n)
	for _, reasons := range []int{0, 4} {
		want, failed := legacyScore(t, model, data, reasons)
		require.Equal(t, 2, failed)
		for _, workers := range []string{"1", "4"} {
			code, out, errOut := runCLI(t, "score", "--model", model, "--data", data, "--reasons", fmt.Sprint(reasons), "--workers", workers)
			require.Equal(t, 1, code)
			require.Contains(t, errOut, fmt.Sprintf("2 of %d rows could not be scored", n))
			require.Equal(t, want, out, "--reasons %d --workers %s", reasons, workers)
		}
	}
	lines := jsonLines[map[string]any](t, mustRun(t, 1, "score", "--model", model, "--data", data))
	require.Len(t, lines, n)
	require.Contains(t, lines[6]["error"], "row 7")
	require.Contains(t, lines[6]["error"], "quote")
	require.Contains(t, lines[10]["error"], "row 11")
	require.Contains(t, lines[10]["error"], `"soon"`)
	require.NotNil(t, lines[11]["probability"])

	actions := filepath.Join(dir, "actions.json")
	require.NoError(t, os.WriteFile(actions, []byte(`{"features": {"duration_in_month": {"direction": "decrease"},
	  "credit_amount": {"direction": "decrease"}, "savings_account_and_bonds": {}}}`), 0o644))
	// explain --format json writes what a loop over the table in memory
	// writes with encoding/json, advice included.
	for _, acts := range []string{"", actions} {
		args := []string{"explain", "--model", model, "--data", data, "--format", "json"}
		if acts != "" {
			args = append(args, "--actions", acts)
		}
		require.Equal(t, legacyExplainJSON(t, model, data, acts), mustRun(t, 1, args...), "--actions %q", acts)
	}

	train := filepath.Join(dir, "train.csv")
	writeTableCSV(t, train, tab, tab.Len())
	// recourse writes what a loop over the table in memory writes.
	inMemory := legacyRecourse(t, model, data, actions, 40)
	require.Equal(t, inMemory, mustRun(t, 1, "recourse", "--model", model, "--data", data, "--actions", actions, "--rows", "1-40"))
	require.True(t, strings.Contains(inMemory, `{"row":7,"counterfactuals":null,"error":"row 7: malformed input`))
	require.True(t, strings.Contains(inMemory, `{"row":11,"counterfactuals":null,"error":"row 11: feature \"duration_in_month\": value of the wrong kind`))

	for _, args := range [][]string{
		{"explain", "--format", "json"},
		{"explain", "--lang", "de"},
		{"explain", "--format", "json", "--rows", "5-12,40,900-1000"},
		{"recourse", "--train", train, "--rows", "1-60", "--actions", actions},
	} {
		args = append(args, "--model", model, "--data", data)
		one := mustRun(t, 1, append(args, "--workers", "1")...)
		four := mustRun(t, 1, append(args, "--workers", "4")...)
		require.Equal(t, one, four, "%v", args)
		require.NotEmpty(t, one, "%v", args)
	}
}

// legacyRecourse answers the first n rows of data as recourse did before
// streaming: the table in memory, one row after another.
func legacyRecourse(t *testing.T, model, data, actions string, n int) string {
	t.Helper()
	m, err := score.LoadFile(model)
	require.NoError(t, err)
	tab, err := readTable(data, "")
	require.NoError(t, err)
	space, _, err := recourseSetup(m, actions, nil, "", "")
	require.NoError(t, err)
	pub, err := explain.NewExplainer(m, nil)
	require.NoError(t, err)
	opts := &explain.RecourseOptions{K: 3}
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	enc.SetEscapeHTML(false)
	for i := range n {
		rec, err := tab.Record(m.Schema(), i)
		line, err := answerRecourse(context.Background(), m, space, pub, nil, "", opts, rec, i+1, err)
		if err != nil {
			line = recourseLine{Row: i + 1, Error: score.WithRow(err, i+1).Error()}
		}
		require.NoError(t, enc.Encode(&line))
	}
	return out.String()
}

// legacyExplainJSON is `candor explain --format json` as it was before
// streaming: the table in memory and a json.Encoder.
func legacyExplainJSON(t *testing.T, model, data, actions string) string {
	t.Helper()
	m, err := score.LoadFile(model)
	require.NoError(t, err)
	tab, err := readTable(data, "")
	require.NoError(t, err)
	acts, err := readActionsFile(actions, m)
	require.NoError(t, err)
	e, err := explain.NewExplainer(m, &explain.Options{MaxReasons: 4, Actions: acts})
	require.NoError(t, err)
	a := explainArgs{lang: "en", format: "json"}
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	enc.SetEscapeHTML(false)
	var ex, exact explain.Explanation
	for i := range tab.Len() {
		rec, err := tab.Record(m.Schema(), i)
		if err == nil {
			err = e.Explain(rec, &exact)
		}
		e.Publish(&ex, &exact)
		if err != nil {
			require.NoError(t, enc.Encode(explainLine{Row: i + 1, Error: score.WithRow(err, i+1).Error()}))
			continue
		}
		line, err := explainJSON(e, explain.DefaultCatalog(), a, i+1, &ex, nil)
		require.NoError(t, err)
		require.NoError(t, enc.Encode(line))
	}
	return out.String()
}

// mustRun runs the CLI, wants exit status code and returns stdout.
func mustRun(t *testing.T, code int, args ...string) string {
	t.Helper()
	got, out, errOut := runCLI(t, args...)
	require.Equal(t, code, got, errOut)
	return out
}

// withStdin runs f with os.Stdin reading r.
func withStdin(t *testing.T, r io.Reader, f func()) {
	t.Helper()
	pr, pw, err := os.Pipe()
	require.NoError(t, err)
	done := make(chan struct{})
	go func() {
		defer close(done)
		_, _ = io.Copy(pw, r)
		pw.Close()
	}()
	old := os.Stdin
	os.Stdin = pr
	defer func() {
		os.Stdin = old
		pr.Close() // unblocks the copy if f stopped reading early
		<-done
	}()
	f()
}

// --data - reads standard input, plain or gzip-compressed, with the same
// output as the file; --rows past its end is refused at its end.
func TestStreamStdin(t *testing.T) {
	dir := t.TempDir()
	model, data, _ := streamFixture(t, dir, 300)
	want := mustRun(t, 1, "score", "--model", model, "--data", data)
	b, err := os.ReadFile(data)
	require.NoError(t, err)
	withStdin(t, bytes.NewReader(b), func() {
		require.Equal(t, want, mustRun(t, 1, "score", "--model", model, "--data", "-"))
	})
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	_, _ = zw.Write(b)
	require.NoError(t, zw.Close())
	withStdin(t, &gz, func() {
		require.Equal(t, want, mustRun(t, 1, "score", "--model", model, "--data", "-"))
	})
	wantRows := mustRun(t, 0, "explain", "--model", model, "--data", data, "--rows", "2,5", "--format", "json")
	withStdin(t, bytes.NewReader(b), func() {
		require.Equal(t, wantRows, mustRun(t, 0, "explain", "--model", model, "--data", "-", "--rows", "2,5", "--format", "json"))
	})
	withStdin(t, bytes.NewReader(b), func() {
		_, _, errOut := runCLI(t, "explain", "--model", model, "--data", "-", "--rows", "299-305")
		require.Contains(t, errOut, "--rows: row 305 is past the last data row (300)")
	})
}

// genReader generates CSV rows on the fly: the German credit header, then
// n rows of the data set, repeated, never held at once.
type genReader struct {
	tab  *score.Table
	n, i int
	buf  bytes.Buffer
	w    *csv.Writer
}

func (g *genReader) Read(p []byte) (int, error) {
	if g.w == nil {
		g.w = csv.NewWriter(&g.buf)
	}
	for g.buf.Len() < len(p) && g.i <= g.n {
		if g.i == 0 {
			_ = g.w.Write(g.tab.Header())
		} else {
			_ = g.w.Write(g.tab.Row((g.i - 1) % g.tab.Len()))
		}
		g.w.Flush()
		g.i++
	}
	if g.buf.Len() == 0 {
		return 0, io.EOF
	}
	return g.buf.Read(p)
}

// countWriter counts bytes and lines written.
type countWriter struct{ bytes, lines atomic.Int64 }

func (c *countWriter) Write(p []byte) (int, error) {
	c.bytes.Add(int64(len(p)))
	c.lines.Add(int64(bytes.Count(p, []byte{'\n'})))
	return len(p), nil
}

// The heap stays flat however many rows stream through: 400,000 rows
// (about 107 MB of CSV, 186 MB of output; 100,000 under the race
// detector) through `candor score --reasons 4` from a generated stream on
// standard input, with the heap sampled every 20 ms, never past 24 MB
// (about 9 MB measured). Before, the command held the whole table (about
// 5 times the file). -short skips it.
func TestStreamMemoryFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("streams 400,000 generated rows")
	}
	dir := t.TempDir()
	model, _ := germanFixture(t, dir, 1)
	tab, _, _ := germanFit(t)
	n := 400000
	if raceEnabled {
		n = 100000
	}
	gen := &genReader{tab: tab, n: n}
	var out countWriter
	var errb bytes.Buffer
	peak := peakHeap(func() {
		withStdin(t, gen, func() {
			code := run(context.Background(), []string{"score", "--model", model, "--data", "-", "--reasons", "4"}, &out, &errb)
			require.Equal(t, 0, code, errb.String())
		})
	})
	require.Equal(t, int64(n), out.lines.Load())
	t.Logf("%d rows, %d MB out, peak heap %.1f MB", n, out.bytes.Load()>>20, float64(peak)/(1<<20))
	require.Less(t, peak, uint64(24<<20), "peak heap")
}

// The progress line names the rows, the rate and the errors; it is shown
// only when stderr is a terminal.
func TestStreamProgressLine(t *testing.T) {
	s := &stream{name: "score"}
	s.rows.Store(2500000)
	s.failed.Store(3)
	require.Equal(t, "candor score: 2500000 rows, 1000000 rows/s, 3 errors, 2 s", s.progressLine(2500*time.Millisecond))
	require.False(t, isTerminal(&bytes.Buffer{}))
	f, err := os.CreateTemp(t.TempDir(), "stderr")
	require.NoError(t, err)
	defer f.Close()
	require.False(t, isTerminal(f), "a file is not a terminal")
}

// --workers below 1 is refused by every streamed command.
func TestStreamWorkersFlag(t *testing.T) {
	dir := t.TempDir()
	model, data := germanFixture(t, dir, 3)
	for _, cmd := range []string{"score", "explain", "recourse"} {
		_, _, errOut := runCLI(t, cmd, "--model", model, "--data", data, "--workers", "0")
		require.Contains(t, errOut, "--workers must be 1 or more, got 0", cmd)
	}
}

// The binder gives RecordFromStrings' records and errors on cells of
// every kind: numbers in every notation, blanks, padding, labels known
// and unknown, text in a numeric column.
func TestBinderMatchesRecordFromStrings(t *testing.T) {
	s, err := score.NewSchema(
		score.Feature{Name: "n", Kind: score.Numeric},
		score.Feature{Name: "c", Kind: score.Categorical, Categories: []string{"a", "b"}},
		score.Feature{Name: "m", Kind: score.Numeric})
	require.NoError(t, err)
	header := []string{"x", "c", "n", "m"}
	b := newBinder(s, header)
	nums := []string{"", "0", "-0", "+7", "12", "-12", "999999999999999", "9999999999999999", "1.5", "1e3", "-", "+", "1,5",
		"abc", " 4", "4 ", "0x10", "1_000", "NaN", "Inf", "00012", "1e400"}
	cats := []string{"", "a", "b", "zz", " a", "a\t", "é"}
	for _, nv := range nums {
		for _, cv := range cats {
			cells := []string{"ignored", cv, nv, nv}
			var bt rowBatch
			bt.reset()
			for _, c := range cells {
				bt.text = append(bt.text, c...)
				bt.ends = append(bt.ends, len(bt.text))
			}
			bt.first = append(bt.first, 0)
			bt.rows = append(bt.rows, 1)
			got, gotErr := b.record(nil, &bt, 0)
			want, wantErr := s.RecordFromStrings(header, cells, true)
			require.Equal(t, fmt.Sprint(wantErr), fmt.Sprint(gotErr), "%q", cells)
			if wantErr == nil {
				require.Equal(t, want, got, "%q", cells)
			}
		}
	}
	for _, c := range nums {
		if x, ok := smallInt([]byte(c + "x")[:len(c)]); ok {
			v, err := score.ParseValue(score.Numeric, c)
			require.NoError(t, err, c)
			require.Equal(t, v, score.Num(x), c)
		}
	}
}

// A bad row after a good one in a stream of the reader's own: the stream
// keeps the row bad and goes on.
func TestStreamOtherSource(t *testing.T) {
	src := &sliceSource{header: []string{"a", "b"}, rows: [][]string{{"1", "x"}, {"2"}, {"3", "z"}}}
	st := newStream("score", src, rowSet{}, io.Discard)
	var b rowBatch
	n, err := st.fill(&b)
	require.Equal(t, io.EOF, err)
	require.Equal(t, 3, n)
	require.NoError(t, b.errs[0])
	require.ErrorIs(t, b.errs[1], score.ErrMalformed)
	require.Contains(t, b.errs[1].Error(), "row 2")
	require.Equal(t, []string{"3", "z"}, b.cellsOf(2, 2))
	require.Equal(t, []string{"1", "x"}, b.cellsOf(0, 2))
}

// sliceSource is a rowSource over rows in memory, as a columnar reader
// would be.
type sliceSource struct {
	header []string
	rows   [][]string
	i      int
}

func (s *sliceSource) Header() []string { return s.header }
func (s *sliceSource) Row() int         { return s.i }
func (s *sliceSource) Close() error     { return nil }
func (s *sliceSource) Next() ([]string, error) {
	if s.i == len(s.rows) {
		return nil, io.EOF
	}
	s.i++
	return s.rows[s.i-1], nil
}

// With --reasons the explainer scores each row (no second Score): a row
// whose score overflows is still that row's error, the same bytes as the
// in-memory command.
func TestStreamReasonsOverflowIsARowError(t *testing.T) {
	dir := t.TempDir()
	model := hugeCoefModel(t, dir)
	data := writeFile(t, dir, "d.csv", "income,y\n0,good\n1e10,bad\nsoon,good\n-1e-300,good\n")
	want, failed := legacyScore(t, model, data, 4)
	require.Equal(t, 2, failed)
	out := mustRun(t, 1, "score", "--model", model, "--data", data, "--reasons", "4", "--workers", "2")
	require.Equal(t, want, out)
	require.Contains(t, out, `{"row":2,"error":"row 2: `)
	require.Contains(t, out, "not finite")
}
