package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"reflect"
	"runtime"
	"runtime/pprof"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/candorscore/candor/internal/pipeline"
	"github.com/candorscore/candor/score"
)

// The streaming commands (score, explain, recourse) read their rows from a
// rowSource in batches, work on the batches on --workers goroutines and
// write the outputs in input order (internal/pipeline). Memory holds the
// batches in flight, never the file: at most 2*workers+2 batches of at
// most batchRows rows or about batchBytes bytes of cells.
const (
	batchRows  = 512
	batchBytes = 1 << 20
)

// workersFlag adds --workers to fs.
func workersFlag(fs *flag.FlagSet) *int {
	return fs.Int("workers", runtime.GOMAXPROCS(0), "rows are worked on this many cores at once (output stays in input order)")
}

// checkWorkers refuses a --workers below 1.
func checkWorkers(n int) error {
	if n < 1 {
		return fmt.Errorf("--workers must be 1 or more, got %d", n)
	}
	return nil
}

// rowBatch is a batch of rows read from a source: their numbers, the
// reader's error for bad rows, and the good rows' cells back to back in
// one buffer. Work functions keep their scratch in it too: a batch is
// worked by one goroutine at a time.
type rowBatch struct {
	rows  []int   // 1-based data rows
	errs  []error // the reader's error for a bad row, else nil
	first []int   // index in ends of each row's first cell
	text  []byte  // the cells, back to back
	ends  []int   // where each cell ends in text

	str    string   // text as a string, made once per batch by cells
	strLen int      // len(text) when str was made
	cells  []string // scratch for cellsOf
	failed int      // rows the work function could not do
	scr    any      // the command's own scratch (records, explanations)
}

// reset empties the batch for refilling, keeping its buffers.
func (b *rowBatch) reset() {
	b.rows, b.errs, b.first = b.rows[:0], b.errs[:0], b.first[:0]
	b.text, b.ends = b.text[:0], b.ends[:0]
	b.str, b.strLen, b.failed = "", -1, 0
}

// cellsOf returns row k's cells, substrings of one string made for the
// whole batch; they stay valid until the batch is refilled.
func (b *rowBatch) cellsOf(k int, width int) []string {
	if b.strLen != len(b.text) {
		b.str, b.strLen = string(b.text), len(b.text)
	}
	b.cells = b.cells[:0]
	start := 0
	if f := b.first[k]; f > 0 {
		start = b.ends[f-1]
	}
	for _, e := range b.ends[b.first[k] : b.first[k]+width] {
		b.cells = append(b.cells, b.str[start:e])
		start = e
	}
	return b.cells
}

// appendSource is a source that appends rows to a caller's buffer instead
// of returning strings (score.CSVReader.AppendNext): the fast path.
type appendSource interface {
	AppendNext(text []byte, ends []int) ([]byte, []int, error)
}

// stream is one streaming run: a source, an optional row selection, and
// the counts its progress line shows.
type stream struct {
	src      rowSource
	width    int    // header columns
	sel      rowSet // --rows; the zero value is every row
	last     int    // the last selected row, 0 for every row
	at       int    // the range of sel that rows have reached
	reached  int    // the last row read
	rows     atomic.Int64
	failed   atomic.Int64
	start    time.Time
	name     string    // the command, for the progress line
	progress io.Writer // nil: no progress line
}

// newStream streams src for command name. Progress is shown on stderr
// when it is a terminal.
func newStream(name string, src rowSource, sel rowSet, stderr io.Writer) *stream {
	s := &stream{src: src, width: len(src.Header()), sel: sel, name: name, start: time.Now()}
	if !sel.all() {
		s.last = sel.ranges[len(sel.ranges)-1][1]
	}
	if isTerminal(stderr) {
		s.progress = stderr
	}
	return s
}

// isTerminal reports whether w is a character device (a terminal).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// selected reports whether 1-based row i is in --rows. Rows come in
// increasing order, so the ranges are walked once.
func (s *stream) selected(i int) bool {
	if s.sel.all() {
		return true
	}
	for s.at < len(s.sel.ranges) && i > s.sel.ranges[s.at][1] {
		s.at++
	}
	return s.at < len(s.sel.ranges) && i >= s.sel.ranges[s.at][0]
}

// fill reads the next batch of selected rows.
func (s *stream) fill(b *rowBatch) (int, error) {
	b.reset()
	fast, _ := s.src.(appendSource)
	for len(b.rows) < batchRows && len(b.text) < batchBytes {
		if s.last > 0 && s.reached >= s.last {
			return len(b.rows), io.EOF
		}
		var cells []string
		var err error
		n, at := len(b.ends), len(b.text)
		if fast != nil {
			b.text, b.ends, err = fast.AppendNext(b.text, b.ends)
		} else {
			cells, err = s.src.Next()
		}
		var re *score.RecordError
		if err != nil && !errors.As(err, &re) {
			return len(b.rows), err // io.EOF or a final error
		}
		row := s.src.Row()
		s.reached = row
		if !s.selected(row) {
			b.ends, b.text = b.ends[:n], b.text[:at]
			continue
		}
		if fast == nil && err == nil {
			for _, c := range cells {
				b.text = append(b.text, c...)
				b.ends = append(b.ends, len(b.text))
			}
		}
		if err == nil && len(b.ends)-n != s.width {
			// A source that is not CSV keeps to the header's width too.
			b.ends, b.text = b.ends[:n], b.text[:at]
			err = &score.RecordError{Row: row, Fields: []*score.FieldError{{Row: row,
				Err: fmt.Errorf("%w: %d cells for %d columns", score.ErrMalformed, len(cells), s.width)}}}
		}
		b.rows = append(b.rows, row)
		b.errs = append(b.errs, err)
		b.first = append(b.first, n)
	}
	return len(b.rows), nil
}

// run streams the rows through work on workers goroutines and writes each
// batch's output to w in input order. newScratch makes a batch's scratch
// for work (nil for none).
func (s *stream) run(ctx context.Context, workers int, w io.Writer, newScratch func() any,
	work func(b *rowBatch, out []byte) ([]byte, error)) error {
	stop := s.showProgress()
	defer stop()
	if path := os.Getenv("CANDOR_CPUPROFILE"); path != "" {
		// For the benchmarks (testdata/bench): a CPU profile of the stream.
		f, err := os.Create(path)
		if err != nil {
			return err
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			f.Close()
			return err
		}
		defer f.Close()
		defer pprof.StopCPUProfile()
	}
	err := pipeline.RunBatches(ctx, s.fill, func(b *rowBatch, out []byte) ([]byte, error) {
		if b.scr == nil && newScratch != nil {
			b.scr = newScratch()
		}
		return work(b, out)
	}, func(b *rowBatch, out []byte) error {
		_, err := w.Write(out)
		s.rows.Add(int64(len(b.rows)))
		s.failed.Add(int64(b.failed))
		return err
	}, &pipeline.Options{Workers: workers})
	if err == nil && s.last > s.reached {
		// Only standard input gets here: a file's --rows are checked first.
		err = fmt.Errorf("--rows: row %d is past the last data row (%d)", s.last, s.reached)
	}
	return err
}

// finish ends a streamed command after run returned err: it closes the
// output (closeFn; its error counts when the run had none) and reports the
// rows the work could not do, as "N of M rows could not be <done>". The
// output is closed in every case, so the lines written so far reach it.
func (s *stream) finish(err error, closeFn func() error, done string) error {
	if cerr := closeFn(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if n := s.failed.Load(); n > 0 {
		return fmt.Errorf("%d of %d rows could not be %s", n, s.rows.Load(), done)
	}
	return nil
}

// showProgress writes a progress line to a terminal stderr once a second
// until the returned function is called; then it writes the last one.
func (s *stream) showProgress() (stop func()) {
	if s.progress == nil {
		return func() {}
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				io.WriteString(s.progress, "\r"+s.progressLine(time.Since(s.start)))
			case <-done:
				io.WriteString(s.progress, "\r"+s.progressLine(time.Since(s.start))+"\n")
				return
			}
		}
	}()
	return func() { close(done); wg.Wait() }
}

// progressLine is the progress shown after elapsed time d.
func (s *stream) progressLine(d time.Duration) string {
	n, bad := s.rows.Load(), s.failed.Load()
	rate := 0.0
	if d > 0 {
		rate = float64(n) / d.Seconds()
	}
	return fmt.Sprintf("candor %s: %s rows, %s rows/s, %s errors, %.0f s", s.name,
		strconv.FormatInt(n, 10), strconv.FormatFloat(rate, 'f', 0, 64), strconv.FormatInt(bad, 10), d.Seconds())
}

// checkRowsInFile checks that the last row of --rows is in the file,
// reading no further than it, so that a selection past the end is refused
// before any output. Standard input cannot be read twice: there the check
// comes at the end of the stream (stream.run).
func checkRowsInFile(path, delim string, sel rowSet) error {
	if sel.all() || path == "-" {
		return nil
	}
	last := sel.ranges[len(sel.ranges)-1][1]
	src, err := openSource(path, delim)
	if err != nil {
		return err
	}
	defer src.Close()
	for src.Row() < last {
		_, err := src.Next()
		var re *score.RecordError
		if err == io.EOF {
			break
		}
		if err != nil && !errors.As(err, &re) {
			return err
		}
	}
	if src.Row() < last {
		return fmt.Errorf("--rows: row %d is past the last data row (%d)", last, src.Row())
	}
	return nil
}

// checkHeader is CheckTable for a stream's header: the model inputs that
// are not columns of the data.
func checkHeader(m *score.Model, header []string) error {
	t, err := score.NewTable(header, nil)
	if err != nil {
		return err
	}
	return m.CheckTable(t)
}

// binder turns a stream's cells into records of a schema, as
// Schema.RecordFromStrings does (the same values, the same errors) but
// with the columns matched to features once, not per row, from the
// batch's bytes: integers are parsed without strconv and labels are
// interned (the schema's own, then up to maxInterned more per column), so
// that a good row allocates nothing. A binder is not safe for concurrent
// use: each batch's scratch has its own (fork).
type binder struct {
	s      *score.Schema
	header []string
	feat   []int // schema index of each column, or -1
	kind   []score.Kind
	labels []map[string]string // per column: interned labels
	few    [][]string          // per column: the schema's labels, when a few
	cells  []string            // scratch for the slow path
}

// maxInterned bounds the labels a binder adds per column beyond the
// schema's: past it, a new label costs an allocation per row.
const maxInterned = 1024

func newBinder(s *score.Schema, header []string) *binder {
	b := &binder{s: s, header: header, feat: make([]int, len(header)), kind: make([]score.Kind, len(header)),
		labels: make([]map[string]string, len(header)), few: make([][]string, len(header))}
	for c, name := range header {
		b.feat[c] = s.Index(name)
		if b.feat[c] < 0 {
			continue
		}
		f := s.Feature(b.feat[c])
		b.kind[c] = f.Kind
		if f.Kind == score.Categorical {
			if len(f.Categories) <= 16 {
				b.few[c] = f.Categories // scanned before the map: faster for a few
			}
			b.labels[c] = make(map[string]string, len(f.Categories))
			for _, l := range f.Categories {
				b.labels[c][l] = l
			}
		}
	}
	return b
}

// fork returns a binder for another goroutine.
func (b *binder) fork() *binder {
	c := *b
	c.labels = make([]map[string]string, len(b.labels))
	for k, m := range b.labels {
		if m != nil {
			c.labels[k] = maps.Clone(m)
		}
	}
	c.cells = nil
	return &c
}

// record fills dst (grown if needed) from row k of batch bt and returns
// it, with RecordFromStrings' error for a row with cells that are not
// numbers (built here, every bad cell named, as RecordFromStrings does:
// not by reading the row again, which made a bad row cost several good
// ones). A padded cell defers the whole row to RecordFromStrings.
func (b *binder) record(dst score.Record, bt *rowBatch, k int) (score.Record, error) {
	n := b.s.Len()
	if cap(dst) < n {
		dst = make(score.Record, n)
	}
	dst = dst[:n]
	clear(dst)
	ends := bt.ends[bt.first[k] : bt.first[k]+len(b.header)]
	start := 0
	if f := bt.first[k]; f > 0 {
		start = bt.ends[f-1]
	}
	var errs []*score.FieldError
	for c, i := range b.feat {
		cell := bt.text[start:ends[c]]
		start = ends[c]
		if i < 0 || len(cell) == 0 {
			continue
		}
		if cell[0] == ' ' || cell[0] == '\t' || cell[len(cell)-1] == ' ' || cell[len(cell)-1] == '\t' {
			return b.slow(bt, k)
		}
		if b.kind[c] == score.Categorical {
			l, ok := "", false
			for _, f := range b.few[c] {
				if len(f) == len(cell) && f == string(cell) {
					l, ok = f, true
					break
				}
			}
			if !ok {
				l, ok = b.labels[c][string(cell)]
			}
			if !ok {
				l = string(cell)
				if len(b.labels[c]) < len(b.s.Feature(i).Categories)+maxInterned {
					b.labels[c][l] = l
				}
			}
			dst[i] = score.Cat(l)
			continue
		}
		if x, ok := smallInt(cell); ok {
			dst[i] = score.Num(x)
			continue
		}
		v, err := score.ParseValue(score.Numeric, string(cell))
		if err != nil {
			// RecordFromStrings' error for the cell, and it goes on to
			// report every bad cell of the row at once, as this does.
			errs = append(errs, score.NewFieldError(b.s.Feature(i), string(cell), err))
			continue
		}
		dst[i] = v
	}
	if errs != nil {
		return dst, &score.RecordError{Fields: errs}
	}
	return dst, nil
}

// slow is RecordFromStrings on row k of bt.
func (b *binder) slow(bt *rowBatch, k int) (score.Record, error) {
	b.cells = b.cells[:0]
	start := 0
	if f := bt.first[k]; f > 0 {
		start = bt.ends[f-1]
	}
	for _, e := range bt.ends[bt.first[k] : bt.first[k]+len(b.header)] {
		b.cells = append(b.cells, string(bt.text[start:e]))
		start = e
	}
	return b.s.RecordFromStrings(b.header, b.cells, true)
}

// smallInt parses an optional sign and 1 to 15 digits: exactly the value
// strconv.ParseFloat gives, with far less work.
func smallInt(s []byte) (float64, bool) {
	if len(s) == 0 {
		return 0, false
	}
	neg := false
	if s[0] == '-' || s[0] == '+' {
		neg = s[0] == '-'
		s = s[1:]
	}
	if len(s) == 0 || len(s) > 15 {
		return 0, false
	}
	var n int64
	for _, c := range s {
		d := c - '0'
		if d > 9 {
			return 0, false
		}
		n = n*10 + int64(d)
	}
	x := float64(n)
	if neg {
		x = -x
	}
	return x, true
}

// errTexts writes a bad row's error as score.WithRow(err, row).Error()
// does, remembering the text of the errors that repeat: a stream of bad
// rows is mostly the same bad value of the same column, whose text, but
// for the row, is formatted once. Only an error of one field (a
// *score.FieldError, or a *score.RecordError of one, with no row yet) whose
// sentinel can be a map key is remembered; any other is formatted as
// WithRow formats it. An errTexts is not safe for concurrent use: each
// batch's scratch has its own.
type errTexts struct {
	seen map[errKey]string
}

type errKey struct {
	feature, value string
	err            error
}

// maxErrTexts bounds the texts an errTexts remembers.
const maxErrTexts = 256

// text is score.WithRow(err, row).Error().
func (c *errTexts) text(err error, row int) string {
	var fe *score.FieldError
	switch e := err.(type) {
	case *score.FieldError:
		fe = e
	case *score.RecordError:
		if e.Row == 0 && len(e.Fields) == 1 {
			fe = e.Fields[0]
		}
		if e.Row == row && fieldsAtRow(e, row) {
			return e.Error() // the reader's error, its row already set: WithRow's copy would print the same
		}
	}
	if fe == nil || fe.Row != 0 || fe.Err == nil || !reflect.TypeOf(fe.Err).Comparable() {
		return score.WithRow(err, row).Error()
	}
	k := errKey{fe.Feature, fe.Value, fe.Err}
	t, ok := c.seen[k]
	if !ok {
		t = fe.Error() // no row: the text after "row N: "
		if c.seen == nil {
			c.seen = map[errKey]string{}
		}
		if len(c.seen) < maxErrTexts {
			c.seen[k] = t
		}
	}
	var buf [24]byte
	b := append(buf[:0], "row "...)
	b = strconv.AppendInt(b, int64(row), 10)
	return string(b) + ": " + t
}

// fieldsAtRow reports whether every field of e names row.
func fieldsAtRow(e *score.RecordError, row int) bool {
	for _, f := range e.Fields {
		if f.Row != row {
			return false
		}
	}
	return true
}
