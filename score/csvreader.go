package score

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// CSVOptions controls ReadCSV and NewCSVReader. The zero value reads
// comma-separated text with the default Limits.
type CSVOptions struct {
	Delimiter rune // 0 means ','
	// Limits bounds cells, rows, columns and decompressed bytes; nil or
	// zero fields mean the defaults.
	Limits *Limits
	// Name names the input in errors (a file name); empty for none.
	Name string
	// DecimalComma reads a cell that is a number with a comma in place of
	// the decimal point ("1,5", "-20,25") as that number, by rewriting
	// the comma to '.'. Without it such cells are text, and Table.Infer
	// names the column.
	DecimalComma bool
	// Missing lists a file's own markers of a missing value ("?", "NA",
	// "-"): a data cell equal to one of them, after trimming, is read as
	// a blank cell (missing), as pandas' na_values and R's na.strings
	// read them. Quoted or not alike; header cells are never changed;
	// empty strings are ignored. Without it only a blank cell is missing,
	// and Table.Infer names a column of numbers with such cells.
	Missing []string
	// RowOffset and LineOffset are added to the data rows and physical
	// lines the reader counts (Row, Line and the rows and lines its errors
	// name), for a reader of one piece of a larger file: the rows and the
	// lines before the piece, the header's line included. Zero for a
	// whole file.
	RowOffset, LineOffset int
}

// CSVReader reads a CSV file one row at a time in bounded memory: it never
// holds more than one row (at most Limits.RowBytes) and its read buffer.
// Gzip-compressed input is detected from its magic bytes and decompressed
// (at most Limits.Bytes); a zip archive (an .xlsx workbook is one), an
// older Excel workbook and other compressed formats are refused by name.
//
// The grammar is RFC 4180's: cells separated by the delimiter, rows by
// "\n" or "\r\n" (or by a lone "\r" in a file whose first line ends so:
// CRLineEnds); a cell that starts with a double quote runs to the next
// lone double quote and may hold delimiters, newlines and doubled quotes.
// A double quote inside an unquoted cell, text after a closing quote, and
// a quote that is never closed are malformed. A cell that is empty or
// only spaces and tabs is missing; cells are trimmed of surrounding spaces
// and tabs. Blank lines are skipped.
//
// A malformed row is a bad row, not a bad file: Next reports it and
// reading goes on with the next line. When a quoted cell that spans lines
// turns out malformed (most often a stray quote), only the line where the
// row began is reported, and reading resumes on the line after it, so one
// stray quote costs one row.
//
// A CSVReader is not safe for concurrent use.
type CSVReader struct {
	src    *bufio.Reader
	closer io.Closer // the gzip reader, or nil
	count  *countingReader
	lim    Limits
	delim  []byte
	name   string
	gzip   bool
	comma  bool // DecimalComma
	// missing holds CSVOptions.Missing, non-empty and trimmed.
	missing []string

	header []string
	row    int // data rows returned or reported so far
	line   int // physical lines consumed
	err    error

	pending []pendingLine // physical lines to re-read after a resync
	rowLine int           // the physical line where the current row began
	lineBuf []byte
	field   []byte
	cells   []string // the current row, returned by Next
	raw     bool     // in AppendNext: leave the row in arena and ends
	arena   []byte   // the current row's cell bytes, from arenaAt on
	arenaAt int      // where the current row starts in arena
	ends    []int
	tooLong int // length of the current overlong line, 0 if none
}

// NewCSVReader reads the header of a CSV file and returns a reader of its
// data rows. The header is refused (with ErrMalformed) when it is empty,
// has a blank or repeated column name, or has one column but would split
// into several on another common delimiter (the error names it); a file
// that is not text (zip, xlsx, xls, bzip2, xz, zstd) is refused by name.
func NewCSVReader(r io.Reader, opts *CSVOptions) (*CSVReader, error) {
	var o CSVOptions
	if opts != nil {
		o = *opts
	}
	cr := &CSVReader{lim: o.Limits.withDefaults(), name: o.Name, comma: o.DecimalComma}
	for _, m := range o.Missing {
		if m = trimCell(m); m != "" {
			cr.missing = append(cr.missing, m)
		}
	}
	if o.Delimiter == 0 {
		o.Delimiter = ','
	}
	if o.Delimiter == '"' || o.Delimiter == '\n' || o.Delimiter == '\r' || !utf8.ValidRune(o.Delimiter) {
		return nil, cr.fileErr(fmt.Errorf("%w: delimiter %q cannot separate CSV cells", ErrMalformed, o.Delimiter))
	}
	cr.delim = utf8.AppendRune(nil, o.Delimiter)
	br := bufio.NewReaderSize(r, 64<<10)
	magic, _ := br.Peek(8)
	isGzip := len(magic) >= 2 && magic[0] == 0x1f && magic[1] == 0x8b
	if what := binaryFormat(magic); what != "" && !isGzip {
		return nil, cr.fileErr(fmt.Errorf("%w: the file is %s, not CSV text", ErrMalformed, what))
	}
	var src io.Reader = br
	if isGzip {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, cr.fileErr(fmt.Errorf("%w: gzip-compressed file: %v", ErrMalformed, err))
		}
		cr.gzip, cr.closer, src = true, zr, zr
	}
	cr.count = &countingReader{r: src, max: cr.lim.Bytes}
	cr.src = bufio.NewReaderSize(cr.count, 64<<10)
	if r := CRLineEnds(cr.src); r != io.Reader(cr.src) {
		cr.src = bufio.NewReaderSize(r, 64<<10)
	}
	if cr.gzip {
		inner, _ := cr.src.Peek(8)
		if what := binaryFormat(inner); what != "" {
			return nil, cr.fileErr(fmt.Errorf("%w: the file is gzip-compressed %s, not CSV text", ErrMalformed, what))
		}
	}
	if err := cr.readHeader(); err != nil {
		cr.Close()
		return nil, cr.fileErr(err)
	}
	cr.row += o.RowOffset
	cr.line += o.LineOffset
	return cr, nil
}

// binaryFormat names a well-known binary format from a file's first bytes,
// or returns "".
func binaryFormat(b []byte) string {
	switch {
	case bytes.HasPrefix(b, []byte("PK\x03\x04")), bytes.HasPrefix(b, []byte("PK\x05\x06")):
		return "a zip archive (an Excel .xlsx workbook is one: save it as CSV)"
	case bytes.HasPrefix(b, []byte{0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1}):
		return "an Excel 97-2003 workbook (.xls: save it as CSV)"
	case bytes.HasPrefix(b, []byte("BZh")):
		return "bzip2-compressed (decompress it, or recompress it with gzip)"
	case bytes.HasPrefix(b, []byte{0xfd, '7', 'z', 'X', 'Z', 0}):
		return "xz-compressed (decompress it, or recompress it with gzip)"
	case bytes.HasPrefix(b, []byte{0x28, 0xb5, 0x2f, 0xfd}):
		return "zstd-compressed (decompress it, or recompress it with gzip)"
	case bytes.HasPrefix(b, []byte{0xff, 0xfe}), bytes.HasPrefix(b, []byte{0xfe, 0xff}):
		return "UTF-16 text (save it as UTF-8)"
	case bytes.IndexByte(b, 0) >= 0:
		return "binary data (it holds NUL bytes)"
	}
	return ""
}

// fileErr prefixes err with the file's name and, for gzip input, says so.
func (cr *CSVReader) fileErr(err error) error {
	switch {
	case cr.name != "" && cr.gzip:
		return fmt.Errorf("%s (gzip-compressed): %w", cr.name, err)
	case cr.name != "":
		return fmt.Errorf("%s: %w", cr.name, err)
	case cr.gzip:
		return fmt.Errorf("gzip-compressed input: %w", err)
	}
	return err
}

func (cr *CSVReader) readHeader() error {
	cells, err := cr.next()
	if err == io.EOF {
		return fmt.Errorf("%w: empty CSV, no header row", ErrMalformed)
	}
	if err != nil {
		var re *RecordError
		if errors.As(err, &re) && len(re.Fields) == 1 {
			return fmt.Errorf("CSV header: %w", re.Fields[0].Err)
		}
		return err
	}
	header := make([]string, len(cells))
	seen := map[string]bool{}
	for i, c := range cells {
		h := strings.Clone(c)
		if i == 0 {
			h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		}
		if h == "" && i == 0 && len(cells) > 1 {
			// pandas' to_csv writes its row index so, with a blank name.
			return fmt.Errorf("%w: CSV column 1 has no name (a row index, as pandas' to_csv writes it?): give it a name in the header (id), "+
				"then leave it out of a fit with --exclude id or {\"role\": \"ignored\"} in the features file", ErrMalformed)
		}
		if h == "" {
			return fmt.Errorf("%w: CSV column %d has no name", ErrMalformed, i+1)
		}
		if seen[h] {
			return fmt.Errorf("%w: CSV column %s appears twice", ErrMalformed, QuoteBounded(h))
		}
		seen[h] = true
		header[i] = h
	}
	if len(header) == 1 {
		for _, d := range []string{";", "\t", "|", ","} {
			if d == string(cr.delim) {
				continue
			}
			if n := strings.Count(header[0], d) + 1; n > 1 {
				return fmt.Errorf("%w: the header is one column, %s, but splits into %d columns on %s: give the delimiter (--delimiter %s)",
					ErrMalformed, QuoteBounded(header[0]), n, delimName(d), delimFlag(d))
			}
		}
	}
	cr.header = header
	cr.row = 0
	return nil
}

func delimName(d string) string {
	switch d {
	case "\t":
		return "tab"
	case ";":
		return "semicolon ';'"
	case "|":
		return "pipe '|'"
	case ",":
		return "comma ','"
	}
	return fmt.Sprintf("%q", d)
}

func delimFlag(d string) string {
	if d == "\t" {
		return `'\t'`
	}
	return "'" + d + "'"
}

// Header returns the column names (a copy), trimmed of white space and a
// leading byte-order mark.
func (cr *CSVReader) Header() []string { return append([]string(nil), cr.header...) }

// Gzip reports whether the input was gzip-compressed.
func (cr *CSVReader) Gzip() bool { return cr.gzip }

// Row is the 1-based number of the data row last returned or reported by
// Next (0 before the first).
func (cr *CSVReader) Row() int { return cr.row }

// Line is the number of physical lines read so far, the header included.
func (cr *CSVReader) Line() int { return cr.line }

// Next returns the next data row's cells, one per header column.
//
// The slice and its strings are owned by the reader and valid only until
// the next call to Next: they share one buffer that the next row
// overwrites. Copy what you keep (strings.Clone, or slices.Clone plus
// strings.Clone of each cell).
//
// A bad row (malformed quoting, a cell count other than the header's, a
// cell or row over its limit) yields a nil slice and a *RecordError whose
// Row is the row's 1-based number and which unwraps to ErrMalformed or
// ErrLimit; call Next again to go on. At the end Next returns io.EOF. Any
// other error (the input fails, or exceeds Limits.Bytes) is final: Next
// returns it from then on.
func (cr *CSVReader) Next() ([]string, error) {
	if cr.err != nil {
		return nil, cr.err
	}
	cells, err := cr.next()
	var re *RecordError
	switch {
	case err == nil:
		if len(cr.ends) != len(cr.header) {
			return nil, cr.rowErr(fmt.Errorf("%w: %d cells for %d columns", ErrMalformed, len(cr.ends), len(cr.header)))
		}
		return cells, nil
	case errors.As(err, &re):
		return nil, err
	}
	if err != io.EOF {
		err = cr.fileErr(err)
	}
	cr.err = err
	return nil, err
}

// AppendNext is Next without a string per row: it appends the next data
// row's cells, back to back, to text, and the end of each cell in text to
// ends, and returns both. Bad rows, the end and final errors are as for
// Next (text and ends are then returned unchanged). The cells are those
// Next would return, byte for byte.
func (cr *CSVReader) AppendNext(text []byte, ends []int) ([]byte, []int, error) {
	// The row is parsed straight into text: the arena is text for the
	// call, and the cell ends are offsets in it.
	own, base := cr.arena, len(text)
	cr.raw, cr.arena, cr.arenaAt = true, text, base
	_, err := cr.Next()
	text, cr.arena, cr.raw, cr.arenaAt = cr.arena, own, false, 0
	if err != nil {
		return text[:base], ends, err
	}
	return text, append(ends, cr.ends...), nil
}

// Close releases the decompressor, if any. It does not close the
// underlying reader.
func (cr *CSVReader) Close() error {
	if cr.closer != nil {
		return cr.closer.Close()
	}
	return nil
}

// rowErr is the error for the current row.
func (cr *CSVReader) rowErr(err error) error {
	return &RecordError{Row: cr.row, Fields: []*FieldError{{Row: cr.row,
		Err: fmt.Errorf("%w (line %d)", err, cr.rowLine)}}}
}

// next parses one record: its cells, or a *RecordError for a bad row, or
// a final error (io.EOF at the end).
func (cr *CSVReader) next() ([]string, error) {
	for {
		line, err := cr.readLine()
		if err != nil {
			return nil, err
		}
		if cr.tooLong == 0 && len(bytes.TrimSpace(line)) == 0 && (len(cr.header) != 1 || len(line) == 0) {
			continue // a blank line
		}
		cr.row++
		cr.rowLine = cr.line
		if cr.tooLong > 0 {
			n := cr.tooLong
			cr.tooLong = 0
			return nil, cr.rowErr(&LimitError{Limit: "bytes in a row", Max: int64(cr.lim.RowBytes),
				Where: fmt.Sprintf("a row of %d or more bytes", n), Setting: "Limits.RowBytes"})
		}
		return cr.parseRecord(line)
	}
}

// parseRecord splits the record that begins with line, reading more
// lines while a quoted cell is open.
func (cr *CSVReader) parseRecord(line []byte) ([]string, error) {
	cr.arena = cr.arena[:cr.arenaAt]
	cr.ends = cr.ends[:0]
	cr.field = cr.field[:0]
	var extra [][]byte // lines after the first, kept for a resync
	size := len(line)
	var bad error
	col := 0
	// quotes: the line being split holds a double quote somewhere. Most
	// lines hold none, and their cells need no check for one.
	quotes := bytes.IndexByte(line, '"') >= 0
	// endCell ends the cell whose text is c (cr.field, or a piece of the
	// line for an unquoted cell).
	endCell := func(c []byte) {
		if len(c) > cr.lim.CellBytes && bad == nil {
			bad = &LimitError{Limit: "bytes in a cell", Max: int64(cr.lim.CellBytes),
				Where: fmt.Sprintf("column %d (%d bytes)", col+1, len(c)), Setting: "Limits.CellBytes"}
		}
		if bad == nil && len(cr.ends) >= cr.lim.Columns {
			bad = &LimitError{Limit: "columns", Max: int64(cr.lim.Columns), Setting: "Limits.Columns"}
		}
		if bad == nil {
			c = trimCellBytes(c)
			if len(cr.missing) > 0 && cr.header != nil && cr.isMissing(c) {
				c = c[:0]
			}
			at := len(cr.arena)
			cr.arena = append(cr.arena, c...)
			if cr.comma && cr.header != nil && bytes.IndexByte(c, ',') >= 0 && decimalComma(string(c)) {
				cr.arena[at+bytes.IndexByte(c, ',')] = '.'
			}
			cr.ends = append(cr.ends, len(cr.arena))
		}
		cr.field = cr.field[:0]
		col++
	}
	pos := 0
	for {
		// At the start of a cell.
		if pos < len(line) && line[pos] == '"' {
			pos++
			for {
				q := bytes.IndexByte(line[pos:], '"')
				if q < 0 {
					// The quoted cell goes on past this line.
					cr.field = append(cr.field, line[pos:]...)
					next, err := cr.readLine()
					if err == nil && cr.tooLong > 0 {
						// Put the overlong line back after the others: it is
						// reported as a row of its own.
						extra = append(extra, nil)
						n := cr.tooLong
						cr.tooLong = 0
						err = cr.resync(extra, fmt.Errorf("%w: a quoted cell in column %d is never closed", ErrMalformed, col+1))
						cr.pending[len(extra)-1].tooLong = n
						return nil, err
					}
					if err == io.EOF {
						return nil, cr.resync(extra, fmt.Errorf("%w: a quoted cell in column %d is never closed", ErrMalformed, col+1))
					}
					if err != nil {
						return nil, err
					}
					extra = append(extra, bytes.Clone(next))
					size += len(next) + 1
					if size > cr.lim.RowBytes {
						return nil, cr.resync(extra, &LimitError{Limit: "bytes in a row", Max: int64(cr.lim.RowBytes),
							Where: fmt.Sprintf("a quoted cell in column %d", col+1), Setting: "Limits.RowBytes"})
					}
					cr.field = append(cr.field, '\n')
					line, pos = extra[len(extra)-1], 0
					quotes = bytes.IndexByte(line, '"') >= 0
					continue
				}
				cr.field = append(cr.field, line[pos:pos+q]...)
				pos += q + 1
				if pos < len(line) && line[pos] == '"' {
					cr.field = append(cr.field, '"')
					pos++
					continue
				}
				break
			}
			// After the closing quote: spaces, then a delimiter or the end.
			for pos < len(line) && (line[pos] == ' ' || line[pos] == '\t') && !bytes.HasPrefix(line[pos:], cr.delim) {
				pos++
			}
			switch {
			case pos == len(line):
				endCell(cr.field)
				return cr.finish(extra, bad)
			case bytes.HasPrefix(line[pos:], cr.delim):
				endCell(cr.field)
				pos += len(cr.delim)
				continue
			}
			err := fmt.Errorf("%w: text after the closing quote of column %d", ErrMalformed, col+1)
			if len(extra) > 0 {
				return nil, cr.resync(extra, err)
			}
			return nil, cr.rowErr(err)
		}
		// An unquoted cell runs to the next delimiter.
		var end int
		if len(cr.delim) == 1 {
			end = bytes.IndexByte(line[pos:], cr.delim[0])
		} else {
			end = bytes.Index(line[pos:], cr.delim)
		}
		if end < 0 {
			end = len(line) - pos
		}
		cell := line[pos : pos+end]
		if quotes && bytes.IndexByte(cell, '"') >= 0 {
			if t := bytes.TrimLeft(cell, " \t"); len(t) > 0 && t[0] == '"' {
				// Spaces before an opening quote: treat as quoted.
				pos += len(cell) - len(t)
				continue
			}
			err := fmt.Errorf("%w: a double quote inside the unquoted cell of column %d", ErrMalformed, col+1)
			if len(extra) > 0 {
				return nil, cr.resync(extra, err)
			}
			return nil, cr.rowErr(err)
		}
		pos += end
		endCell(cell)
		if pos == len(line) {
			return cr.finish(extra, bad)
		}
		pos += len(cr.delim)
	}
}

// finish builds the row's cells from the arena, or reports the row bad.
// A row that spanned lines and has the wrong cell count is resynced: its
// quoted cell most likely began with a stray quote.
func (cr *CSVReader) finish(extra [][]byte, bad error) ([]string, error) {
	if bad != nil {
		return nil, cr.rowErr(bad)
	}
	if len(extra) > 0 && cr.header != nil && len(cr.ends) != len(cr.header) {
		return nil, cr.resync(extra, fmt.Errorf("%w: a quoted cell spans %d lines and leaves %d cells for %d columns",
			ErrMalformed, len(extra)+1, len(cr.ends), len(cr.header)))
	}
	if cr.raw {
		return cr.cells[:0], nil // AppendNext copies the arena itself
	}
	// One string for the row; cells are substrings of it.
	s := string(cr.arena)
	cr.cells = cr.cells[:0] // arenaAt is 0 outside AppendNext
	start := 0
	for _, e := range cr.ends {
		cr.cells = append(cr.cells, s[start:e])
		start = e
	}
	return cr.cells, nil
}

// resync reports the current row bad and puts back the lines read after
// its first, so that reading resumes on the line after the row began.
func (cr *CSVReader) resync(extra [][]byte, err error) error {
	if len(extra) > 0 {
		cr.line -= len(extra)
		back := make([]pendingLine, len(extra), len(extra)+len(cr.pending))
		for i, l := range extra {
			back[i].b = l
		}
		cr.pending = append(back, cr.pending...)
	}
	return cr.rowErr(err)
}

// readLine returns the next physical line without its line ending. The
// slice is valid until the next call. A line longer than Limits.RowBytes
// is read to its end but not kept: readLine returns it empty and sets
// tooLong to its length.
func (cr *CSVReader) readLine() ([]byte, error) {
	if len(cr.pending) > 0 {
		p := cr.pending[0]
		cr.pending = cr.pending[1:]
		cr.line++
		cr.tooLong = p.tooLong
		return p.b, nil
	}
	chunk, err := cr.src.ReadSlice('\n')
	if err == nil {
		// The whole line is in the read buffer: use it there, without a
		// copy (it stays valid until the next read).
		return cr.endLine(chunk, len(chunk))
	}
	cr.lineBuf = cr.lineBuf[:0]
	total := 0
	for {
		total += len(chunk)
		if total <= cr.lim.RowBytes+2 {
			cr.lineBuf = append(cr.lineBuf, chunk...)
		}
		if err != bufio.ErrBufferFull {
			break
		}
		chunk, err = cr.src.ReadSlice('\n')
	}
	if err != nil && err != io.EOF {
		return nil, err
	}
	if total == 0 {
		return nil, io.EOF
	}
	return cr.endLine(cr.lineBuf, total)
}

// endLine counts line l, total bytes long with its line ending (l holds
// them unless the line is over Limits.RowBytes), and returns it without
// the line ending.
func (cr *CSVReader) endLine(l []byte, total int) ([]byte, error) {
	cr.line++
	if n := len(l); n > 0 && l[n-1] == '\n' {
		l = l[:n-1]
		total--
	}
	if n := len(l); n > 0 && l[n-1] == '\r' {
		l = l[:n-1]
		total--
	}
	if total > cr.lim.RowBytes {
		cr.tooLong = total
		return l[:0], nil
	}
	return l, nil
}

// pendingLine is a physical line put back by a resync; tooLong > 0 for an
// overlong line, whose bytes were not kept.
type pendingLine struct {
	b       []byte
	tooLong int
}

func trimCellBytes(c []byte) []byte {
	if len(c) == 0 {
		return c
	}
	if c[0] == ' ' || c[len(c)-1] == ' ' || c[0] == '\t' || c[len(c)-1] == '\t' {
		return bytes.Trim(c, " \t")
	}
	return c
}

// countingReader fails once more than max bytes were read.
type countingReader struct {
	r             io.Reader
	n             int64
	max           int64
	what, setting string // for LimitReader; empty for CSV
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	if c.n > c.max {
		if c.what != "" {
			return n, &LimitError{Limit: "bytes", Max: c.max, Where: c.what, Setting: c.setting}
		}
		return n, &LimitError{Limit: "bytes of data (after decompression)", Max: c.max, Setting: "Limits.Bytes"}
	}
	return n, err
}

func trimCell(s string) string {
	if s == "" {
		return s
	}
	if s[0] == ' ' || s[len(s)-1] == ' ' || s[0] == '\t' || s[len(s)-1] == '\t' {
		return strings.Trim(s, " \t")
	}
	return s
}

// CRLineEnds returns br, or, when br's first line ends in a lone carriage
// return (the line end of classic Mac OS text, which Excel's "CSV
// (Macintosh)" still writes), a reader of br in which every lone "\r" and
// every "\r\n" is "\n". Read without it, such a file is one line. The
// first line decides, so that a file with "\n" line ends keeps a "\r"
// inside a cell as it is; a line end that the first 64 KiB do not reach
// leaves br as it is.
func CRLineEnds(br *bufio.Reader) io.Reader {
	head, _ := br.Peek(br.Size())
	i := bytes.IndexAny(head, "\r\n")
	if i < 0 || head[i] != '\r' || i+1 < len(head) && head[i+1] == '\n' {
		return br
	}
	if i+1 == len(head) && len(head) == br.Size() {
		return br // the byte after it is out of sight: leave the file as it is
	}
	return &crReader{r: br}
}

// crReader turns lone carriage returns and CRLF pairs into "\n".
type crReader struct {
	r      io.Reader
	lastCR bool // the last byte read was a carriage return
}

func (c *crReader) Read(p []byte) (int, error) {
	for {
		n, err := c.r.Read(p)
		w := 0
		for _, b := range p[:n] {
			switch {
			case b == '\n' && c.lastCR:
				c.lastCR = false
				continue
			case b == '\r':
				b, c.lastCR = '\n', true
			default:
				c.lastCR = false
			}
			p[w] = b
			w++
		}
		if w > 0 || err != nil || n == 0 {
			return w, err
		}
	}
}

// isMissing says whether the trimmed cell c is one of the file's missing
// markers (CSVOptions.Missing).
func (cr *CSVReader) isMissing(c []byte) bool {
	for _, m := range cr.missing {
		if string(c) == m {
			return true
		}
	}
	return false
}
