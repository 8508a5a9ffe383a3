package candorbeam

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/fileio"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem/local" // local paths; import gcs, s3, ... for others
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"

	"github.com/candorscore/candor/score"
)

// Row is one data row of a CSV file.
type Row struct {
	// File is the path the row was read from.
	File string
	// Num is the row's 1-based data row in File (the header is row 0).
	Num int64
	// Cells are the row's cells, one per header column.
	Cells []string
}

// BadRow is a row that could not be read or scored: the file, the 1-based
// data row (0 for an error of the whole file, such as a header that is not
// the expected one), the cells when they could be split, and the error.
type BadRow struct {
	File  string
	Num   int64
	Cells []string
	Err   string
}

// ErrHeader is the error of a file whose header is not the one the
// pipeline was built for.
var ErrHeader = errors.New("candorbeam: the file's header differs from the pipeline's")

// ReadHeader returns the header of the CSV file at path, read with any
// filesystem Beam has registered (a local path, gs:// with the gcs
// filesystem imported, ...). Pipelines call it while they are built, so
// that every transform knows the columns.
func ReadHeader(ctx context.Context, path string, opts *score.CSVOptions) ([]string, error) {
	fs, err := filesystem.New(ctx, path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	defer fs.Close()
	rc, err := fs.OpenRead(ctx, path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	defer rc.Close()
	o := csvOptions(opts, path)
	cr, err := score.NewCSVReader(rc, &o)
	if err != nil {
		return nil, err
	}
	defer cr.Close()
	return cr.Header(), nil
}

func csvOptions(opts *score.CSVOptions, name string) score.CSVOptions {
	var o score.CSVOptions
	if opts != nil {
		o = *opts
	}
	o.Name = name
	return o
}

// ReadCSV reads the CSV files that glob matches, each with the given
// header, into rows; it returns the rows and the bad rows. Each file is
// read by one worker with candor's CSV reader (gzip detected from the
// file's first bytes, the default score.Limits), so a file's rows are
// numbered as candor numbers them; the rows are then redistributed over
// the workers. A file whose header differs from header is one BadRow (Num
// 0, ErrHeader). A file that cannot be opened or fails while it is read
// fails the pipeline.
func ReadCSV(s beam.Scope, glob string, header []string) (rows, bad beam.PCollection) {
	s = s.Scope("candorbeam.ReadCSV")
	files := fileio.ReadMatches(s, fileio.MatchFiles(s, glob), fileio.ReadUncompressed())
	rows, bad = beam.ParDo2(s, &readFn{Header: slices.Clone(header)}, files)
	return beam.Reshuffle(s, rows), bad
}

// readFn reads one file's rows.
type readFn struct {
	Header []string
}

func (fn *readFn) ProcessElement(ctx context.Context, f fileio.ReadableFile, emit func(Row), emitBad func(BadRow)) error {
	path := f.Metadata.Path
	rc, err := f.Open(ctx)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	defer rc.Close()
	o := csvOptions(nil, path)
	cr, err := score.NewCSVReader(rc, &o)
	if err != nil {
		return err
	}
	defer cr.Close()
	if h := cr.Header(); !slices.Equal(h, fn.Header) {
		emitBad(BadRow{File: path, Err: fmt.Sprintf("%s: %v: has %q, want %q", path, ErrHeader, h, fn.Header)})
		return nil
	}
	for {
		cells, err := cr.Next()
		if err == io.EOF {
			return nil
		}
		var re *score.RecordError
		if errors.As(err, &re) {
			emitBad(BadRow{File: path, Num: int64(cr.Row()), Err: fmt.Sprintf("%s: %v", path, err)})
			continue
		}
		if err != nil {
			return err
		}
		emit(Row{File: path, Num: int64(cr.Row()), Cells: slices.Clone(cells)})
	}
}

func init() {
	register.DoFn4x1[context.Context, fileio.ReadableFile, func(Row), func(BadRow), error](&readFn{})
	register.Emitter1[Row]()
	register.Emitter1[BadRow]()
}
