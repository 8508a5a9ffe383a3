package main

// Parallel reading of one CSV input for the accumulating commands (audit,
// monitor): one goroutine cuts the input into blocks of whole lines, which
// costs little, and each worker parses its blocks with its own
// score.CSVReader (the header, then the block, with the rows and lines
// before the block as offsets), so parsing, the expensive part, runs on
// every core. Each worker feeds its own accumulator; the caller merges
// them. The rows, cells and errors are those one CSVReader over the whole
// input gives, row numbers and line numbers included.
//
// A block is cut only at the end of a line that is a whole record: a line
// with an even number of double quotes. The first line with an odd number
// (a quoted cell that spans lines, or a stray quote) or longer than
// Limits.RowBytes ends the fast path: from there on one CSVReader reads
// the rest of the input in order on the cutting goroutine, and the workers
// get its rows already split. Memory is bounded by the blocks in flight
// (2 per worker plus 2, of about blockBytes each).

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"sync"

	"github.com/candorscore/candor/score"
)

// blockBytes is the size at which a block is cut.
var blockBytes = 1 << 20 // a variable so that tests can cut small blocks

// rowSink receives the rows of the blocks one worker parses.
type rowSink interface {
	// row is a data row (1-based) and its cells, valid during the call.
	row(n int, cells []string)
	// bad is a row that could not be read (*score.RecordError).
	bad(n int, err error)
}

// rowBlock is a piece of the input: raw lines (fast path) or rows already
// split (after the fast path ended).
type rowBlock struct {
	raw        []byte
	rowOffset  int // rows before the block
	lineOffset int // physical lines before the block, the header's included
	parsed     []parsedRow
}

type parsedRow struct {
	n     int
	cells []string
	err   error
}

// blockInput is an opened CSV input: its header and the source of its
// data lines.
type blockInput struct {
	header     []string
	headerLine []byte
	opts       score.CSVOptions
	src        *bufio.Reader
	closers    []io.Closer
	rows       int // data rows cut so far
	lines      int // physical lines consumed so far
	seq        bool
	cr         orderedRows // the ordered reader once seq
	delim      rune
}

// orderedRows is what the ordered path reads: a score.CSVReader, or a
// Parquet file's reader (rowSource's Next and Row).
type orderedRows interface {
	Next() ([]string, error)
	Row() int
}

// openBlocks opens path ("-" for standard input) as CSV, plain or gzip,
// with the delimiter given, the CANDOR_LIMITS limits (Limits.Bytes only
// when set there: a stream holds no table) and CANDOR_DECIMAL_COMMA; a
// Parquet file (isParquet) is read in order by openParquet.
func openBlocks(path, delim string) (*blockInput, error) {
	if path == "" {
		return nil, errors.New("--data is required")
	}
	opts, err := streamCSVOptions(path, delim)
	if err != nil {
		return nil, err
	}
	if isParquet(path) {
		// A Parquet file's rows come decoded, in order: the ordered path
		// hands them to the workers.
		src, err := openParquet(path)
		if err != nil {
			return nil, err
		}
		return &blockInput{opts: *opts, header: src.Header(), seq: true, cr: src, closers: []io.Closer{src}}, nil
	}
	in := &blockInput{opts: *opts, delim: opts.Delimiter}
	if in.delim == 0 {
		in.delim = ','
	}
	if in.opts.Limits.CellBytes == 0 {
		in.opts.Limits.CellBytes = score.DefaultLimitCellBytes
	}
	if in.opts.Limits.Columns == 0 {
		in.opts.Limits.Columns = score.DefaultLimitColumns
	}
	var r io.Reader = os.Stdin
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		in.closers = append(in.closers, f)
		r = f
	}
	br := bufio.NewReaderSize(r, 64<<10)
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			in.Close()
			return nil, fmt.Errorf("%s (gzip-compressed): %w: gzip-compressed file: %v", opts.Name, score.ErrMalformed, err)
		}
		in.closers = append(in.closers, zr)
		in.opts.Name += " (gzip-compressed)"
		r = zr
	} else {
		r = br
	}
	if max := in.opts.Limits.Bytes; max > 0 {
		r = &limitedInput{r: r, max: max}
	}
	in.src = bufio.NewReaderSize(r, 64<<10)
	if cr := score.CRLineEnds(in.src); cr != io.Reader(in.src) {
		in.src = bufio.NewReaderSize(cr, 64<<10)
	}
	var line []byte
	for { // blank lines before the header are skipped, as CSVReader does
		line, err = in.readLine()
		if err != nil && err != io.EOF {
			in.Close()
			return nil, fmt.Errorf("%s: %w", in.opts.Name, err)
		}
		if err == io.EOF || len(bytes.TrimSpace(line)) > 0 {
			break
		}
		in.lines++
	}
	line = append([]byte(nil), line...)
	if quotesOdd(line) || len(line) > in.opts.Limits.RowBytes {
		// A header that spans lines: read everything in order.
		in.seq = true
		opts := in.opts
		opts.LineOffset = in.lines
		cr, err := score.NewCSVReader(io.MultiReader(bytes.NewReader(line), in.src), &opts)
		if err != nil {
			in.Close()
			return nil, err
		}
		in.cr, in.header = cr, cr.Header()
		return in, nil
	}
	hr, err := score.NewCSVReader(bytes.NewReader(line), &in.opts)
	if err != nil {
		in.Close()
		return nil, err
	}
	in.header = hr.Header()
	in.headerLine = append(bytes.TrimRight(line, "\r\n"), '\n')
	in.lines++
	return in, nil
}

// streamCSVOptions are csvOptions-like options for a stream: the
// delimiter, CANDOR_LIMITS (Bytes unlimited unless set there),
// CANDOR_DECIMAL_COMMA and CANDOR_MISSING.
func streamCSVOptions(path, delim string) (*score.CSVOptions, error) {
	var opts score.CSVOptions
	if delim != "" {
		d, err := delimiterRune(delim)
		if err != nil {
			return nil, err
		}
		opts.Delimiter = d
	}
	lim, err := limitsFromEnv(os.Getenv("CANDOR_LIMITS"))
	if err != nil {
		return nil, err
	}
	if lim.Bytes == 0 {
		lim.Bytes = -1
	}
	if lim.RowBytes == 0 {
		lim.RowBytes = score.DefaultLimitRowBytes
	}
	opts.Limits = lim
	opts.DecimalComma = os.Getenv("CANDOR_DECIMAL_COMMA") == "1"
	opts.Missing = missingFromEnv()
	opts.Name = path
	if path == "-" {
		opts.Name = "standard input"
	}
	return &opts, nil
}

// delimiterRune is --delimiter as a rune ("\t" written as `\t` too).
func delimiterRune(delim string) (rune, error) {
	rs := []rune(delim)
	if delim == `\t` {
		return '\t', nil
	}
	if len(rs) != 1 {
		return 0, fmt.Errorf("--delimiter must be one character, got %q", delim)
	}
	return rs[0], nil
}

// Header returns the column names.
func (in *blockInput) Header() []string { return in.header }

// Close closes the decompressor and the file.
func (in *blockInput) Close() error {
	var err error
	for i := len(in.closers) - 1; i >= 0; i-- {
		if e := in.closers[i].Close(); err == nil {
			err = e
		}
	}
	in.closers = nil
	return err
}

// readLine returns the next physical line, with its line ending; io.EOF
// with the last line (or none).
func (in *blockInput) readLine() ([]byte, error) {
	line, err := in.src.ReadSlice('\n')
	if err != bufio.ErrBufferFull {
		return line, err
	}
	long := append([]byte(nil), line...)
	for err == bufio.ErrBufferFull && len(long) <= in.opts.Limits.RowBytes+2 {
		line, err = in.src.ReadSlice('\n')
		long = append(long, line...)
	}
	return long, err
}

// quotesOdd reports whether line holds an odd number of double quotes.
func quotesOdd(line []byte) bool {
	return bytes.IndexByte(line, '"') >= 0 && bytes.Count(line, []byte{'"'})%2 == 1
}

// blankLine is CSVReader's blank line (skipped, not a row).
func (in *blockInput) blankLine(line []byte) bool {
	l := bytes.TrimRight(line, "\n")
	l = bytes.TrimSuffix(l, []byte{'\r'})
	if len(l) > 0 && l[0] > ' ' && l[0] < 0x80 {
		return false
	}
	return len(bytes.TrimSpace(l)) == 0 && (len(in.header) != 1 || len(l) == 0)
}

// fill cuts the next block into b (its buffers reused); io.EOF after the
// last block.
func (in *blockInput) fill(b *rowBlock) error {
	b.raw, b.parsed = b.raw[:0], b.parsed[:0]
	b.rowOffset, b.lineOffset = in.rows, in.lines
	if in.seq {
		return in.fillSeq(b)
	}
	for len(b.raw) < blockBytes {
		line, err := in.readLine()
		if len(line) > 0 {
			if quotesOdd(line) || len(line) > in.opts.Limits.RowBytes {
				// From here on, one reader in order.
				in.seq = true
				var rest io.Reader = in.src
				if err == io.EOF {
					rest = bytes.NewReader(nil)
				}
				opts := in.opts
				opts.RowOffset, opts.LineOffset = in.rows, in.lines-1
				cr, cerr := score.NewCSVReader(io.MultiReader(bytes.NewReader(in.headerLine), bytes.NewReader(append([]byte(nil), line...)), rest), &opts)
				if cerr != nil {
					return cerr
				}
				in.cr = cr
				if len(b.raw) > 0 {
					return nil
				}
				return in.fillSeq(b)
			}
			in.lines++
			if !in.blankLine(line) {
				in.rows++
			}
			b.raw = append(b.raw, line...)
			if line[len(line)-1] != '\n' {
				b.raw = append(b.raw, '\n')
			}
		}
		if err != nil {
			if err == io.EOF {
				return io.EOF
			}
			return fmt.Errorf("%s: %w", in.opts.Name, err)
		}
	}
	return nil
}

// fillSeq reads up to a block's worth of rows with the ordered reader.
func (in *blockInput) fillSeq(b *rowBlock) error {
	for n := 0; n < max(1, blockBytes/256); n++ {
		cells, err := in.cr.Next()
		var re *score.RecordError
		switch {
		case err == nil:
			cp := make([]string, len(cells))
			for k, c := range cells {
				cp[k] = string([]byte(c))
			}
			b.parsed = append(b.parsed, parsedRow{n: in.cr.Row(), cells: cp})
		case errors.As(err, &re):
			b.parsed = append(b.parsed, parsedRow{n: in.cr.Row(), err: err})
		default:
			return err
		}
	}
	return nil
}

// parse hands b's rows to sink. Raw lines are split here when they are
// plain (no quote, or simply quoted cells, within the limits); any other
// line is read by a CSVReader of its own, so that every row, cell and
// error is CSVReader's.
func (in *blockInput) parse(b *rowBlock, sink rowSink, cells []string) ([]string, error) {
	for _, r := range b.parsed {
		if r.err != nil {
			sink.bad(r.n, r.err)
		} else {
			sink.row(r.n, r.cells)
		}
	}
	text := string(b.raw)
	row, line := b.rowOffset, b.lineOffset
	for len(text) > 0 {
		end := strings.IndexByte(text, '\n')
		l := text[:end]
		text = text[end+1:]
		line++
		if in.blankLine([]byte(l)) {
			continue
		}
		row++
		l = strings.TrimSuffix(l, "\r")
		var ok bool
		if cells, ok = in.split(l, cells[:0]); ok {
			sink.row(row, cells)
			continue
		}
		if err := in.parseLine(l, row, line, sink); err != nil {
			return cells, err
		}
	}
	return cells, nil
}

// split splits a line the simple way: cells between delimiters, trimmed
// of spaces and tabs, a cell that starts with a quote running to the next
// quote. It reports false for anything CSVReader might read otherwise (a
// doubled or stray quote, spaces around a quoted cell, the wrong number of
// cells, a cell over its limit, a decimal comma to rewrite, a delimiter of
// several bytes), which then goes to parseLine.
func (in *blockInput) split(l string, cells []string) ([]string, bool) {
	if in.opts.DecimalComma || in.delim >= 0x80 {
		return cells, false
	}
	d := byte(in.delim)
	for {
		var c string
		if len(l) > 0 && l[0] == '"' {
			q := strings.IndexByte(l[1:], '"')
			if q < 0 {
				return cells, false
			}
			c, l = l[1:1+q], l[2+q:]
			if len(l) > 0 && l[0] != d {
				return cells, false // a doubled quote, or text after the closing quote
			}
		} else {
			e := strings.IndexByte(l, d)
			if e < 0 {
				e = len(l)
			}
			c, l = l[:e], l[e:]
			if strings.IndexByte(c, '"') >= 0 {
				return cells, false
			}
		}
		if len(c) > in.opts.Limits.CellBytes {
			return cells, false
		}
		if len(c) > 0 && (c[0] == ' ' || c[0] == '\t' || c[len(c)-1] == ' ' || c[len(c)-1] == '\t') {
			c = strings.Trim(c, " \t")
		}
		if len(in.opts.Missing) > 0 && c != "" && slices.Contains(in.opts.Missing, c) {
			c = "" // a missing-value marker (CANDOR_MISSING), as CSVReader reads it
		}
		cells = append(cells, c)
		if len(cells) > len(in.header) {
			return cells, false
		}
		if len(l) == 0 {
			return cells, len(cells) == len(in.header)
		}
		l = l[1:] // the delimiter
	}
}

// parseLine reads one line with a CSVReader of its own: data row row,
// physical line line.
func (in *blockInput) parseLine(l string, row, line int, sink rowSink) error {
	opts := in.opts
	opts.RowOffset, opts.LineOffset = row-1, line-2
	cr, err := score.NewCSVReader(io.MultiReader(bytes.NewReader(in.headerLine), strings.NewReader(l+"\n")), &opts)
	if err != nil {
		return err
	}
	defer cr.Close()
	for {
		cells, err := cr.Next()
		var re *score.RecordError
		switch {
		case err == nil:
			sink.row(cr.Row(), cells)
		case err == io.EOF:
			return nil
		case errors.As(err, &re):
			sink.bad(cr.Row(), err)
		default:
			return err
		}
	}
}

// streamBlocks cuts in into blocks on one goroutine and parses them on
// workers goroutines, each with the sink newSink made for it, and returns
// the sinks. Block k goes to worker k mod workers, so a worker's rows, and
// the order in which it adds them, depend on the input and the number of
// workers only: the same run gives the same sums, to the last bit. ctx's
// cancellation stops it.
func streamBlocks[S rowSink](ctx context.Context, in *blockInput, workers int, newSink func() S) ([]S, error) {
	if workers < 1 {
		workers = 1
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	jobs := make([]chan *rowBlock, workers)
	for w := range jobs {
		jobs[w] = make(chan *rowBlock, 1)
	}
	free := make(chan *rowBlock, 2*workers+2)
	for range 2*workers + 2 {
		free <- &rowBlock{}
	}
	var readErr error
	go func() {
		defer func() {
			for _, j := range jobs {
				close(j)
			}
		}()
		for k := 0; ; {
			var b *rowBlock
			select {
			case b = <-free:
			case <-ctx.Done():
				return
			}
			err := in.fill(b)
			if len(b.raw) > 0 || len(b.parsed) > 0 {
				select {
				case jobs[k%workers] <- b:
					k++
				case <-ctx.Done():
					return
				}
			} else {
				free <- b
			}
			if err != nil {
				if err != io.EOF {
					readErr = err
				}
				return
			}
		}
	}()
	sinks := make([]S, workers)
	var wg sync.WaitGroup
	for w := range workers {
		sinks[w] = newSink()
		wg.Add(1)
		go func() {
			defer wg.Done()
			var cells []string
			for b := range jobs[w] {
				if ctx.Err() == nil {
					var err error
					if cells, err = in.parse(b, sinks[w], cells); err != nil {
						cancel(err)
					}
				}
				free <- b
			}
		}()
	}
	wg.Wait()
	if readErr != nil {
		return nil, readErr
	}
	if cause := context.Cause(ctx); cause != nil {
		return nil, cause
	}
	return sinks, nil
}

// limitedInput fails once more than max bytes were read (Limits.Bytes).
type limitedInput struct {
	r   io.Reader
	n   int64
	max int64
}

func (l *limitedInput) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	l.n += int64(n)
	if l.n > l.max {
		return n, &score.LimitError{Limit: "bytes of data (after decompression)", Max: l.max, Setting: "Limits.Bytes"}
	}
	return n, err
}
