package decision

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
)

// LogLine is one line of a decision log as a LogStore keeps it: a record
// (Checkpoint false: Seq is the record's) or a checkpoint (Checkpoint
// true: Seq is the record it signs), Data its JSON without the newline.
// Stores index lines by Seq; what a line says is only what Data says, and
// verification reads Data alone.
type LogLine struct {
	Seq        int64
	Checkpoint bool
	Data       []byte
}

// LogStore is where a Log keeps its lines, in order: the lines of the file
// format (LogEntry, Checkpoint), whatever the medium. The file is the
// embedded store (OpenLog); integrations/pglog keeps them in PostgreSQL
// for several writers. A store does not check what it keeps: the Log
// writes the chain and its checkpoints, VerifyLog checks them.
type LogStore interface {
	// Update runs fn with the log to itself: no other writer of the store
	// appends between what fn reads and what it appends. The lines fn
	// appended are stored, all or none, when fn returns nil, and dropped
	// when it returns an error (which Update returns).
	Update(ctx context.Context, fn func(tx LogTx) error) error
	// Sync commits the stored lines to stable storage.
	Sync(ctx context.Context) error
	// Close releases the store.
	Close() error
}

// LogTx is the log during a LogStore's Update.
type LogTx interface {
	// First is the log's first line, nil when the log is empty.
	First() ([]byte, error)
	// Last is the log's last n lines in order (fewer when it has fewer).
	Last(n int) ([][]byte, error)
	// Record is the line of record seq (not a checkpoint), nil when the
	// log holds none.
	Record(seq int64) ([]byte, error)
	// Append adds lines after the last, when fn returns nil.
	Append(lines ...LogLine) error
}

// LogSource is a store whose whole log can be read in order, as the bytes
// of a log file (each line ended by a newline), for VerifyStore.
type LogSource interface {
	OpenLog(ctx context.Context) (io.ReadCloser, error)
}

// VerifyStore is VerifyLog of the log in src: the same checks, on the same
// lines, with the same guarantees.
func VerifyStore(ctx context.Context, src LogSource, opts VerifyOptions) (LogSummary, error) {
	r, err := src.OpenLog(ctx)
	if err != nil {
		return LogSummary{}, err
	}
	sum, err := VerifyLog(r, opts)
	if cerr := r.Close(); err == nil {
		err = cerr
	}
	return sum, err
}

// fileStore keeps a log in a file (OpenLog) or on a plain writer (NewLog,
// f nil): one writer, the OS lock (OpenLog) keeps others out.
type fileStore struct {
	w      io.Writer
	f      *os.File // nil for a plain writer
	unlock func() error
	max    int

	size  int64  // bytes written (the file's size)
	first []byte // the first line, for a plain writer
	last  []byte // the last line written, nil until known
	// broken is set when a write failed and could not be undone: nothing
	// more is appended.
	broken error
}

// openFileStore opens (or creates, mode 0600) the file at path for
// appending and takes its lock.
func openFileStore(path string, max int) (*fileStore, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	unlock, err := lockFile(f)
	if err != nil {
		f.Close()
		if errors.Is(err, errLocked) {
			return nil, &LockError{Path: path}
		}
		return nil, fmt.Errorf("%s: lock: %w", path, err)
	}
	info, err := f.Stat()
	if err != nil {
		unlock()
		f.Close()
		return nil, err
	}
	return &fileStore{w: f, f: f, unlock: unlock, max: max, size: info.Size()}, nil
}

type fileTx struct {
	s     *fileStore
	lines []LogLine
}

func (s *fileStore) Update(_ context.Context, fn func(tx LogTx) error) error {
	if s.broken != nil {
		return s.broken
	}
	tx := &fileTx{s: s}
	if err := fn(tx); err != nil {
		return err
	}
	if len(tx.lines) == 0 {
		return nil
	}
	var buf []byte
	for _, l := range tx.lines {
		buf = append(append(buf, l.Data...), '\n')
	}
	if err := s.write(buf, tx.lines[0].Seq); err != nil {
		return err
	}
	// The lines are the Log's, never changed after Append.
	if s.size == int64(len(buf)) && s.f == nil {
		s.first = tx.lines[0].Data
	}
	s.last = tx.lines[len(tx.lines)-1].Data
	return nil
}

// write writes buf whole, or leaves the log as it was: after a short
// write (a full disk) the file is cut back to its size before it. When
// that fails too the store stops appending (a *LogError naming the offset
// and seq, the record being written; verify-log --repair cuts it off).
func (s *fileStore) write(buf []byte, seq int64) error {
	n, err := s.w.Write(buf)
	if err == nil && n < len(buf) {
		err = io.ErrShortWrite
	}
	if err == nil {
		s.size += int64(n)
		return nil
	}
	if n > 0 {
		if s.f == nil || s.f.Truncate(s.size) != nil {
			s.broken = &LogError{Line: -1, Seq: seq, Offset: s.size,
				Detail: fmt.Sprintf("a write failed part way (%v) and could not be undone; close the log and run candor verify-log --repair", err)}
		}
	}
	return err
}

func (s *fileStore) Sync(context.Context) error {
	if s.f == nil {
		return nil
	}
	return s.f.Sync()
}

func (s *fileStore) Close() error {
	if s.f == nil {
		return nil
	}
	err := s.f.Sync()
	if uerr := s.unlock(); err == nil {
		err = uerr
	}
	if cerr := s.f.Close(); err == nil {
		err = cerr
	}
	return err
}

func (t *fileTx) First() ([]byte, error) {
	s := t.s
	if s.size == 0 {
		return nil, nil
	}
	if s.f == nil {
		return s.first, nil
	}
	line, _, err := readLineAt(s.f, 0, s.size, s.max)
	if err != nil {
		return nil, &LogError{Line: 1, Detail: err.Error()}
	}
	return line, nil
}

func (t *fileTx) Last(n int) ([][]byte, error) {
	s := t.s
	if s.size == 0 || n <= 0 {
		return nil, nil
	}
	if n == 1 && s.last != nil {
		return [][]byte{s.last}, nil
	}
	if s.f == nil {
		return nil, errors.New("a log on a plain writer cannot be read back")
	}
	var out [][]byte
	for end := s.size; end > 0 && len(out) < n; {
		line, start, err := readLineBefore(s.f, end, s.max)
		if err != nil {
			return nil, &tailError{err}
		}
		out = append(out, line)
		end = start
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out, nil
}

func (t *fileTx) Record(seq int64) ([]byte, error) {
	if t.s.f == nil {
		return nil, nil
	}
	return findRecordLine(t.s.f, t.s.size, seq, t.s.max)
}

func (t *fileTx) Append(lines ...LogLine) error {
	t.lines = append(t.lines, lines...)
	return nil
}
