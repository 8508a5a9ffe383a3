package pglog

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"regexp"
	"slices"

	"github.com/jackc/pgx/v5"

	"github.com/candorscore/candor/score/decision"
)

// DefaultTable is the table a log is kept in unless Options say otherwise.
const DefaultTable = "candor_decision_log"

// ErrTableName: a table name that is not a plain lower-case SQL
// identifier.
var ErrTableName = errors.New("pglog: table name must be a lower-case letter or _ followed by up to 62 lower-case letters, digits or _")

// ErrCheckpointEvery: a shared log with CheckpointEvery above 1, whose
// unsigned records would stop the other writers.
var ErrCheckpointEvery = errors.New("pglog: writers of a shared log checkpoint every record (LogOptions.CheckpointEvery 0 or 1)")

// DB is what a Store needs of a database handle: a *pgxpool.Pool (safe for
// any number of goroutines) or a *pgx.Conn (one at a time).
type DB interface {
	Begin(ctx context.Context) (pgx.Tx, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

// Store is a decision.LogStore (and decision.LogSource) in one table of a
// PostgreSQL database. The table has one row per log line:
//
//	line       bigint primary key  -- 1, 2, ... in log order
//	seq        bigint not null     -- the record's Seq, or the Seq a checkpoint signs
//	checkpoint boolean not null
//	body       text not null       -- the line's JSON, exactly as in a log file
//
// and a unique index on seq for records. Updates take the advisory lock
// of the table (pg_advisory_xact_lock) inside their transaction, so
// writers on any number of connections and hosts append one at a time;
// the primary key refuses a second line n even from a writer that skips
// the lock. Only body is read by verification: the other columns are an
// index, and a row whose columns disagree with its body is refused where
// it is used.
type Store struct {
	db    DB
	table string
	lock  int64
}

var identifier = regexp.MustCompile(`^[a-z_][a-z0-9_]{0,62}$`)

// Open returns the store of the log in table ("" for DefaultTable) of the
// database db, creating the table when it does not exist. The caller owns
// db: Close does not close it.
func Open(ctx context.Context, db DB, table string) (*Store, error) {
	if table == "" {
		table = DefaultTable
	}
	if !identifier.MatchString(table) {
		return nil, fmt.Errorf("%w: %q", ErrTableName, table)
	}
	h := fnv.New64a()
	h.Write([]byte("candor-decision-log\x00" + table))
	s := &Store{db: db, table: table, lock: int64(h.Sum64())}
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS `+table+` (
	line bigint PRIMARY KEY,
	seq bigint NOT NULL,
	checkpoint boolean NOT NULL,
	body text NOT NULL)`)
		if err == nil {
			_, err = tx.Exec(ctx, `CREATE UNIQUE INDEX IF NOT EXISTS `+table+`_record ON `+table+` (seq) WHERE NOT checkpoint`)
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("pglog: table %s: %w", table, err)
	}
	return s, nil
}

// Table is the store's table.
func (s *Store) Table() string { return s.table }

// inTx runs fn in a transaction holding the table's advisory lock, and
// commits when fn returns nil.
func (s *Store) inTx(ctx context.Context, fn func(tx pgx.Tx) error) error {
	tx, err := s.db.Begin(ctx)
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback(ctx) }() // a no-op after Commit
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, s.lock); err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

// Update runs fn in one transaction that holds the table's advisory lock:
// no other writer appends between what fn reads and what it appends; the
// lines fn appended are inserted, all or none, at commit.
func (s *Store) Update(ctx context.Context, fn func(decision.LogTx) error) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		t := &storeTx{ctx: ctx, tx: tx, s: s, lastLine: -1}
		if err := fn(t); err != nil {
			return err
		}
		return t.flush()
	})
}

// Sync does nothing: a committed transaction is as durable as the
// server's settings make it (synchronous_commit).
func (s *Store) Sync(context.Context) error { return nil }

// Close does nothing: the caller owns the database handle.
func (s *Store) Close() error { return nil }

// OpenLog reads the log's lines in order, each ended by a newline: the
// bytes of the same log as a file, for decision.VerifyLog or a
// decision.LogReader. The rows are read as they come (one query, one
// snapshot), so memory does not grow with the log.
func (s *Store) OpenLog(ctx context.Context) (io.ReadCloser, error) {
	rows, err := s.db.Query(ctx, `SELECT body FROM `+s.table+` ORDER BY line`)
	if err != nil {
		return nil, fmt.Errorf("pglog: table %s: %w", s.table, err)
	}
	return &lineReader{rows: rows}, nil
}

type storeTx struct {
	ctx      context.Context
	tx       pgx.Tx
	s        *Store
	lastLine int64 // the last line number, -1 until read
	added    []decision.LogLine
}

func (t *storeTx) First() ([]byte, error) {
	var body string
	err := t.tx.QueryRow(t.ctx, `SELECT body FROM `+t.s.table+` ORDER BY line LIMIT 1`).Scan(&body)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return []byte(body), nil
}

func (t *storeTx) Last(n int) ([][]byte, error) {
	rows, err := t.tx.Query(t.ctx, `SELECT line, body FROM `+t.s.table+` ORDER BY line DESC LIMIT $1`, n)
	if err != nil {
		return nil, err
	}
	var out [][]byte
	first := true
	for rows.Next() {
		var line int64
		var body string
		if err := rows.Scan(&line, &body); err != nil {
			rows.Close()
			return nil, err
		}
		if first {
			t.lastLine, first = line, false
		}
		out = append(out, []byte(body))
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if first {
		t.lastLine = 0
	}
	slices.Reverse(out)
	return out, nil
}

func (t *storeTx) Record(seq int64) ([]byte, error) {
	var body string
	err := t.tx.QueryRow(t.ctx, `SELECT body FROM `+t.s.table+` WHERE seq = $1 AND NOT checkpoint`, seq).Scan(&body)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return []byte(body), nil
}

func (t *storeTx) Append(lines ...decision.LogLine) error {
	t.added = append(t.added, lines...)
	return nil
}

// flush inserts the appended lines after the table's last line.
func (t *storeTx) flush() error {
	if len(t.added) == 0 {
		return nil
	}
	if t.lastLine < 0 {
		if err := t.tx.QueryRow(t.ctx, `SELECT coalesce(max(line), 0) FROM `+t.s.table).Scan(&t.lastLine); err != nil {
			return err
		}
	}
	n := len(t.added)
	line, seq, cp, body := make([]int64, n), make([]int64, n), make([]bool, n), make([]string, n)
	for i, l := range t.added {
		line[i], seq[i], cp[i], body[i] = t.lastLine+1+int64(i), l.Seq, l.Checkpoint, string(l.Data)
	}
	_, err := t.tx.Exec(t.ctx, `INSERT INTO `+t.s.table+` (line, seq, checkpoint, body)
	SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::boolean[], $4::text[])`, line, seq, cp, body)
	return err
}

// lineReader reads the body column of rows as newline-ended lines.
type lineReader struct {
	rows pgx.Rows
	buf  []byte
	err  error
}

func (r *lineReader) Read(p []byte) (int, error) {
	for len(r.buf) == 0 {
		if r.err != nil {
			return 0, r.err
		}
		if !r.rows.Next() {
			r.err = r.rows.Err()
			if r.err == nil {
				r.err = io.EOF
			}
			continue
		}
		var body []byte
		if err := r.rows.Scan(&body); err != nil {
			r.err = err
			continue
		}
		r.buf = append(append(r.buf[:0], body...), '\n')
	}
	n := copy(p, r.buf)
	r.buf = r.buf[n:]
	return n, nil
}

func (r *lineReader) Close() error {
	r.rows.Close()
	return r.rows.Err()
}

// OpenLog opens the log in the store for appending (decision.OpenStoreLog):
// it starts the log in an empty table; several writers may hold it open at
// once, each with the same signing and digest keys. A CheckpointEvery
// above 1 is refused (ErrCheckpointEvery).
func OpenLog(ctx context.Context, s *Store, opts decision.LogOptions) (*decision.Log, error) {
	if opts.CheckpointEvery > 1 {
		return nil, ErrCheckpointEvery
	}
	return decision.OpenStoreLog(ctx, s, opts)
}

// Verify is decision.VerifyLog of the log in the store: the same checks on
// the same lines, with the same guarantees (see decision.VerifyLog and the
// README's Security model).
func Verify(ctx context.Context, s *Store, opts decision.VerifyOptions) (decision.LogSummary, error) {
	return decision.VerifyStore(ctx, s, opts)
}
