package decision

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/candorscore/candor/internal/metric"
	"github.com/candorscore/candor/score"
)

// Errors of decision logs.
var (
	// ErrLogBroken: a decision log whose hash chain does not hold: a record
	// was edited, removed, inserted or reordered, or a line is not a record.
	ErrLogBroken = errors.New("decision log is broken")
	// ErrDigestKey: a digest key too short to protect low-entropy inputs.
	ErrDigestKey = errors.New("digest key must be at least 16 bytes")
	// ErrUnknownDecision: a review refers to no decision in the log.
	ErrUnknownDecision = errors.New("no such decision in the log")
	// ErrNoLog: a Log not made by NewLog or OpenLog (the zero Log, or nil).
	ErrNoLog = errors.New("decision log not opened (use NewLog or OpenLog)")
)

// MinDigestKeyLen is the shortest key InputDigest accepts.
const MinDigestKeyLen = 16

// EntryKind says what a log entry records.
type EntryKind string

const (
	EntryDecision EntryKind = "decision" // a policy's decision
	EntryReview   EntryKind = "review"   // a person's final outcome for an earlier decision
)

// LoggedReason is one reason given for a decision, as explanations compute
// it (e.g. explain's reason codes): feature, code and effect in score units.
type LoggedReason struct {
	Code    string  `json:"code,omitempty"`
	Feature string  `json:"feature"`
	Effect  float64 `json:"effect"`
}

// Entry is the content of a decision record. It holds no raw
// customer values: the inputs are represented by a keyed digest.
type Entry struct {
	// Ref is the caller's reference for the case (an application number);
	// optional, and must not itself be personal data.
	Ref              string `json:"ref,omitempty"`
	Model            string `json:"model"`
	ModelVersion     string `json:"model_version,omitempty"`
	ModelFingerprint string `json:"model_fingerprint"`
	PolicyVersion    string `json:"policy_version"`
	Purpose          string `json:"purpose,omitempty"`
	// InputDigest is InputDigest(key, schema, record): "hmac-sha256:" and hex.
	InputDigest string `json:"input_digest"`
	// DigestKeyID identifies the digest key (DigestKeyID), not revealing it.
	DigestKeyID string `json:"digest_key_id"`
	// Score is in the model's units (log-odds or points); Probability is of
	// the event.
	Score        float64        `json:"score"`
	Probability  float64        `json:"probability"`
	Outcome      Outcome        `json:"outcome"`
	ModelOutcome Outcome        `json:"model_outcome"`
	Reasons      []LoggedReason `json:"reasons,omitempty"`
	Referrals    []Referral     `json:"referrals,omitempty"`
	Neutralised  []string       `json:"neutralised,omitempty"`
}

// ReviewEntry is a person's final outcome for an earlier decision. Note is
// free text and must not contain personal data.
type ReviewEntry struct {
	Decision int64   `json:"decision"` // Seq of the decision reviewed
	Reviewer string  `json:"reviewer"`
	Outcome  Outcome `json:"outcome"` // Approve or Decline
	Note     string  `json:"note,omitempty"`
}

// LogFormat is the format a log's header names: a hash chain of records
// with Ed25519-signed checkpoints.
const LogFormat = "candor-decision-log/1"

// EntryHeader is the kind of a log's first line, record 0.
const EntryHeader EntryKind = "header"

// LogHeader is record 0 of a log: its format, a random id (so that a
// checkpoint of one log never fits another log by the same writer) and the
// id of the writer's public key (score.KeyID).
type LogHeader struct {
	Format string `json:"format"`
	LogID  string `json:"log_id"`
	KeyID  string `json:"key_id"`
}

// LogEntry is one chained line of a decision log. Record 0 is the header;
// decisions and reviews count from 1. Prev is the Hash of the record
// before ("" for the header); Hash is "sha256:" and the hex SHA-256 of the
// entry's canonical JSON without the hash field: the compact encoding/json
// form of this struct, fields in declaration order, time in RFC 3339 UTC
// (absent from the header), floats in their shortest round-trip form.
//
// The chain alone is not a seal: anyone can recompute it. What only the
// writer can make are the checkpoints (Checkpoint) between the records.
type LogEntry struct {
	Seq      int64        `json:"seq"`
	Kind     EntryKind    `json:"kind"`
	Time     time.Time    `json:"time,omitzero"`
	Header   *LogHeader   `json:"header,omitempty"`
	Decision *Entry       `json:"decision,omitempty"`
	Review   *ReviewEntry `json:"review,omitempty"`
	Prev     string       `json:"prev"`
	Hash     string       `json:"hash,omitempty"`
}

// Checkpoint is a line {"checkpoint":{...}} that follows record Seq: the
// writer's Ed25519 signature (standard base64) over CheckpointMessage of
// the log's id, Seq and Hash, the record's hash. Since each hash covers the
// record before it, a checkpoint seals every record up to Seq: changing,
// removing, inserting or reordering any of them, even with the chain
// recomputed, changes the hash it signed.
type Checkpoint struct {
	Seq  int64  `json:"seq"`
	Hash string `json:"hash"`
	Sig  string `json:"sig"`
}

// checkpointLine is the JSON form of a checkpoint line.
type checkpointLine struct {
	Checkpoint *Checkpoint `json:"checkpoint"`
}

// CheckpointMessage is what a checkpoint signs: the lines
// "candor-decision-log-checkpoint/1", the log id, the record number in
// decimal and its hash, each ended by "\n".
func CheckpointMessage(logID string, seq int64, hash string) []byte {
	b := make([]byte, 0, 64+len(logID)+len(hash))
	b = append(b, "candor-decision-log-checkpoint/1\n"...)
	b = append(b, logID...)
	b = append(b, '\n')
	b = strconv.AppendInt(b, seq, 10)
	b = append(b, '\n')
	b = append(b, hash...)
	return append(b, '\n')
}

// canonicalJSON is the compact encoding/json form of v, HTML not escaped.
func canonicalJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// canonicalEntry is the JSON line of e, with its hash when withHash.
func canonicalEntry(e LogEntry, withHash bool) ([]byte, error) {
	if !withHash {
		e.Hash = ""
	}
	return canonicalJSON(&e)
}

// sealEntry returns e's hash and its canonical line with that hash, from
// one encoding: the hash is the last field, so the line is the encoding
// without it with ,"hash":"..." before the closing brace.
func sealEntry(e LogEntry) (line []byte, hash string, err error) {
	b, err := canonicalEntry(e, false)
	if err != nil {
		return nil, "", err
	}
	sum := sha256.Sum256(b)
	hash = "sha256:" + hex.EncodeToString(sum[:])
	line = make([]byte, 0, len(b)+len(hash)+12)
	line = append(line, b[:len(b)-1]...)
	line = append(line, `,"hash":"`...)
	line = append(line, hash...)
	line = append(line, `"}`...)
	return line, hash, nil
}

func entryHash(e LogEntry) (string, error) {
	_, h, err := sealEntry(e)
	return h, err
}

// InputDigest is a keyed digest of a customer's inputs: HMAC-SHA256 under
// key over a canonical encoding of the record (for each schema feature in
// order: its name, the value's kind and the value, each length-prefixed;
// numbers in their shortest round-trip form). With the key, an auditor can
// check that given data was the input of a decision; without it, the digest
// reveals nothing, even of low-entropy inputs (a plain hash of an age and a
// postcode could be reversed by trying every combination). Keep the key
// secret and apart from the log, one per deployment or per log. The result
// is "hmac-sha256:" and hex.
func InputDigest(key []byte, s *score.Schema, r score.Record) (string, error) {
	if len(key) < MinDigestKeyLen {
		return "", ErrDigestKey
	}
	if len(r) != s.Len() {
		return "", fmt.Errorf("%w: record has %d values, schema %d", score.ErrSchema, len(r), s.Len())
	}
	mac := hmac.New(sha256.New, key)
	var lenBuf [binary.MaxVarintLen64]byte
	put := func(b []byte) {
		n := binary.PutUvarint(lenBuf[:], uint64(len(b)))
		mac.Write(lenBuf[:n])
		mac.Write(b)
	}
	put([]byte("candor-input-digest-v1"))
	for i, f := range s.Features() {
		put([]byte(f.Name))
		v := r[i]
		switch {
		case v.IsNum():
			put([]byte{'n'})
			put(strconv.AppendFloat(nil, v.Float(), 'g', -1, 64))
		case v.IsCat():
			put([]byte{'c'})
			put([]byte(v.Label()))
		default:
			put([]byte{'m'})
			put(nil)
		}
	}
	return "hmac-sha256:" + hex.EncodeToString(mac.Sum(nil)), nil
}

// DigestKeyID names a digest key without revealing it: the first 16 hex
// digits of SHA-256 over a fixed label and the key.
func DigestKeyID(key []byte) string {
	h := sha256.New()
	h.Write([]byte("candor-digest-key-id\x00"))
	h.Write(key)
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// LogHead is where a log's chain ends: the last Seq and Hash (record 0,
// the header, for a log with no decision yet). Publish the head of a log
// somewhere its writer's host cannot rewrite (a ticket, a signed report,
// another system's log): a log alone cannot show that records were cut off
// its end.
type LogHead struct {
	Seq  int64  `json:"seq"`
	Hash string `json:"hash"`
}

// DefaultMaxRecordBytes is the longest line a log may hold unless
// LogOptions or VerifyOptions say otherwise: a record, with its reasons,
// is a few kilobytes.
const DefaultMaxRecordBytes = 1 << 20

// LogOptions are what a writer needs.
type LogOptions struct {
	// SigningKey is the writer's Ed25519 private key (candor keygen makes
	// one): only its holder can write checkpoints. Required. Keep it on the
	// writer's host, never beside the log; verifiers get the public key.
	SigningKey ed25519.PrivateKey
	// DigestKey is the input-digest key (InputDigest), at least
	// MinDigestKeyLen bytes. Required.
	DigestKey []byte
	// CheckpointEvery is how many records one checkpoint covers: 0 or 1,
	// the default, writes a checkpoint with every record (in the same
	// write); n > 1 writes one after every n records, and on Checkpoint,
	// Sync and Close. Records after the last checkpoint are not
	// authenticated: a crash loses them (verify-log --repair cuts them off)
	// and nothing distinguishes them from records a forger appended.
	CheckpointEvery int
	// MaxRecordBytes caps one record line (DefaultMaxRecordBytes when 0).
	MaxRecordBytes int
	// Random is the source of a new log's id; nil means crypto/rand.
	Random io.Reader
}

// Log appends hash-chained decision and review records, one JSON line
// each, with signed checkpoints, to a LogStore: a file (OpenLog, NewLog)
// or a store several writers share (OpenStoreLog, e.g. PostgreSQL in the
// integrations/pglog module). It is safe for concurrent use; each record
// is stored with its checkpoint in one store update. Times are passed in
// by the caller (the library never reads the clock). Appends are not
// synced to disk one by one; call Sync where a decision must survive a
// crash before it is answered.
//
// A log file has one writer: OpenLog holds an exclusive OS lock on it
// (flock on Unix) until Close, and a second OpenLog, in this process or
// another, fails with a *LockError (ErrLogLocked). A shared store
// serialises its writers' updates itself; before each append the Log
// checks whether another writer appended since its last look and, if so,
// reads and checks the store's tail again, as OpenLog does.
//
// The zero Log (and a nil *Log) is not open: its appends return ErrNoLog,
// Head is the zero LogHead, and Checkpoint, Sync and Close do nothing.
type Log struct {
	mu    sync.Mutex
	store LogStore

	key         []byte
	keyID       string
	priv        ed25519.PrivateKey
	writerKeyID string // score.KeyID of the writer's public key
	logID       string
	every       int
	max         int

	head   LogHead
	signed LogHead // the last checkpoint in the store
	// last is the store's last line as this Log last saw it: when the
	// store's differs, another writer appended.
	last []byte
	// decisions are the decisions of a NewLog log, for reviews; other
	// stores look them up (LogTx.Record).
	decisions map[int64]bool
	closed    bool
}

// Errors of log writers.
var (
	// ErrSigningKey: a log writer without a valid Ed25519 private key.
	ErrSigningKey = errors.New("decision log needs the writer's ed25519 private key")
	// ErrLogKey: a log written under another key than the one given.
	ErrLogKey = errors.New("decision log belongs to another key")
	// ErrLegacyLog: a log in the format before signed checkpoints: its
	// plain hash chain can be recomputed by anyone, so it shows nothing
	// about who wrote it. It is never appended to; VerifyOptions.Legacy
	// checks its chain alone.
	ErrLegacyLog = errors.New("decision log is in the legacy unauthenticated format (no signed checkpoints)")
	// ErrLogLocked: the log file is open for writing elsewhere.
	ErrLogLocked = errors.New("decision log is in use by another writer")
)

// LockError reports that another writer holds the log's lock. It unwraps
// to ErrLogLocked.
type LockError struct {
	Path string
}

func (e *LockError) Error() string {
	return fmt.Sprintf("%s: %v (one writer at a time: wait for it to finish, or write to another log)", e.Path, ErrLogLocked)
}

func (e *LockError) Unwrap() error { return ErrLogLocked }

func (o *LogOptions) check() (int, int, error) {
	if len(o.SigningKey) != ed25519.PrivateKeySize {
		return 0, 0, ErrSigningKey
	}
	if len(o.DigestKey) < MinDigestKeyLen {
		return 0, 0, ErrDigestKey
	}
	every := o.CheckpointEvery
	if every < 1 {
		every = 1
	}
	return every, o.maxRecord(), nil
}

func (o *LogOptions) maxRecord() int {
	if o.MaxRecordBytes <= 0 {
		return DefaultMaxRecordBytes
	}
	return o.MaxRecordBytes
}

func newLogValue(o *LogOptions, every, max int) *Log {
	pub := o.SigningKey.Public().(ed25519.PublicKey)
	return &Log{key: bytes.Clone(o.DigestKey), keyID: DigestKeyID(o.DigestKey), priv: bytes.Clone(o.SigningKey),
		every: every, max: max, head: LogHead{}, signed: LogHead{Seq: -1}, writerKeyID: score.KeyID(pub)}
}

// header returns record 0 of a new log and its checkpoint, and sets the
// log's id and head.
func (l *Log) header(random io.Reader) ([]LogLine, error) {
	if random == nil {
		random = rand.Reader
	}
	var id [16]byte
	if _, err := io.ReadFull(random, id[:]); err != nil {
		return nil, err
	}
	l.logID = hex.EncodeToString(id[:])
	h := LogEntry{Seq: 0, Kind: EntryHeader, Header: &LogHeader{Format: LogFormat, LogID: l.logID, KeyID: l.writerKeyID}}
	line, hash, err := sealEntry(h)
	if err != nil {
		return nil, err
	}
	head := LogHead{Seq: 0, Hash: hash}
	cp, err := l.checkpointOf(head)
	if err != nil {
		return nil, err
	}
	l.head = head
	return []LogLine{{Seq: 0, Data: line}, cp}, nil
}

// checkpointOf is the checkpoint line of head.
func (l *Log) checkpointOf(head LogHead) (LogLine, error) {
	sig := ed25519.Sign(l.priv, CheckpointMessage(l.logID, head.Seq, head.Hash))
	line, err := canonicalJSON(checkpointLine{&Checkpoint{Seq: head.Seq, Hash: head.Hash, Sig: base64.StdEncoding.EncodeToString(sig)}})
	if err != nil {
		return LogLine{}, err
	}
	return LogLine{Seq: head.Seq, Checkpoint: true, Data: line}, nil
}

// NewLog starts a new log on w: it writes the header (record 0, with a new
// random log id) and its checkpoint at once. Reviews are checked against
// the decisions this Log wrote, kept in memory; for a long-lived log use
// OpenLog, whose memory does not grow with the log.
func NewLog(w io.Writer, opts LogOptions) (*Log, error) {
	if _, _, err := opts.check(); err != nil {
		return nil, err
	}
	if w == nil {
		return nil, ErrNoLog
	}
	l, err := openLog(context.Background(), &fileStore{w: w, max: opts.maxRecord()}, &opts)
	if err != nil {
		return nil, err
	}
	l.decisions = map[int64]bool{}
	return l, nil
}

// OpenLog opens the log file at path for appending, creating it (mode
// 0600) with its header and first checkpoint when it does not exist or is
// empty. It takes the file's exclusive lock (a *LockError when another
// writer has it) and reads only the first line and the last few: its
// memory and time do not depend on the log's length. It refuses a log
// that is not safe to continue: a legacy log (ErrLegacyLog), one whose
// header names another key (ErrLogKey), or one that does not end with a
// complete record and a checkpoint signed by this key (a *LogError,
// ErrLogBroken: a torn write after a crash or a full disk, or records
// appended without the key; verify-log --repair cuts such a tail off).
// Continuing such a log would sign what someone else wrote. OpenLog does
// not check the records in between: that is VerifyLog's job.
func OpenLog(path string, opts LogOptions) (*Log, error) {
	if _, _, err := opts.check(); err != nil {
		return nil, err
	}
	st, err := openFileStore(path, opts.maxRecord())
	if err != nil {
		return nil, err
	}
	l, err := openLog(context.Background(), st, &opts)
	if err == nil {
		err = st.Sync(context.Background()) // a new log's header is on disk before any record
	}
	if err != nil {
		st.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return l, nil
}

// OpenStoreLog opens the log in st for appending, as OpenLog opens a file:
// it starts the log (header and first checkpoint) in an empty store, and
// otherwise reads its header and its last lines and refuses, as OpenLog
// does, a log of another key or one that does not end with a record and
// its checkpoint signed by this key. Several Logs (in one process or on
// many hosts) may append to one store that serialises updates (LogStore):
// all of them must hold the same signing and digest keys, and
// CheckpointEvery must be 0 or 1, since a writer's unsigned records would
// stop the others. Close closes st.
func OpenStoreLog(ctx context.Context, st LogStore, opts LogOptions) (*Log, error) {
	if _, _, err := opts.check(); err != nil {
		return nil, err
	}
	if st == nil {
		return nil, ErrNoLog
	}
	return openLog(ctx, st, &opts)
}

func openLog(ctx context.Context, st LogStore, o *LogOptions) (*Log, error) {
	every, max, err := o.check()
	if err != nil {
		return nil, err
	}
	l := newLogValue(o, every, max)
	l.store = st
	var last []byte
	err = st.Update(ctx, func(tx LogTx) error {
		first, err := tx.First()
		if err != nil {
			return err
		}
		if first != nil {
			return l.readEnds(first, tx)
		}
		lines, err := l.header(o.Random)
		if err != nil {
			return err
		}
		last = lines[len(lines)-1].Data
		return tx.Append(lines...)
	})
	if err != nil {
		return nil, err
	}
	if last != nil { // a new log
		l.last, l.signed = last, l.head
	}
	return l, nil
}

// tailError is a store's report that the log's last lines cannot be read
// as lines (a torn write).
type tailError struct{ err error }

func (e *tailError) Error() string { return e.err.Error() }

// readEnds reads the header and the tail of an existing log: the last line
// must be a checkpoint signed by this writer's key, just after the record
// it names. It sets the log's id, head, signed head and last line.
func (l *Log) readEnds(first []byte, tx LogTx) error {
	var h LogEntry
	if kind, err := decodeLine(first, &h, nil); err != nil || kind != lineEntry {
		return &LogError{Line: 1, Detail: "the first line is not a log record"}
	}
	if h.Kind != EntryHeader || h.Header == nil {
		if h.Seq == 1 && h.Prev == "" {
			return ErrLegacyLog
		}
		return &LogError{Line: 1, Detail: "the first line is not a log header"}
	}
	if err := checkHeader(h); err != nil {
		return &LogError{Line: 1, Detail: err.Error()}
	}
	if h.Header.KeyID != l.writerKeyID {
		return fmt.Errorf("%w: the log was written with %s, this writer's key is %s", ErrLogKey, h.Header.KeyID, l.writerKeyID)
	}
	if l.logID != "" && h.Header.LogID != l.logID {
		return &LogError{Line: 1, Detail: fmt.Sprintf("the store now holds another log (%s, not %s)", h.Header.LogID, l.logID)}
	}
	logID := h.Header.LogID
	pub := l.priv.Public().(ed25519.PublicKey)

	tailErr := func(detail string) error {
		return &LogError{Line: -1, Offset: -1, Detail: detail + "; candor verify-log --repair cuts the log back to its last signed record"}
	}
	const tail = 6 // the checkpoint, up to 4 repeats of it, and its record
	lines, err := tx.Last(tail)
	if err != nil {
		if te, ok := err.(*tailError); ok {
			return tailErr(te.Error())
		}
		return err
	}
	if len(lines) == 0 {
		return tailErr("the log has no lines")
	}
	lastLine := lines[len(lines)-1]
	var cp checkpointLine
	if kind, err := decodeLine(lastLine, nil, &cp); err != nil || kind != lineCheckpoint {
		return tailErr("the log does not end with a checkpoint: its last records are not signed (a crash before the checkpoint was written, or records appended without the writer's key)")
	}
	if err := verifyCheckpoint(pub, logID, cp.Checkpoint); err != nil {
		return tailErr("the last checkpoint " + err.Error())
	}
	// The line before: the record the checkpoint names (or the same
	// checkpoint again, written by an explicit Checkpoint).
	for i := len(lines) - 2; ; i-- {
		if i < 0 {
			if len(lines) < tail {
				return tailErr("the last checkpoint follows no record")
			}
			return tailErr("the last checkpoint is repeated too often")
		}
		var e LogEntry
		var again checkpointLine
		kind, err := decodeLine(lines[i], &e, &again)
		if err != nil {
			return tailErr("the line before the last checkpoint is not a record")
		}
		if kind == lineCheckpoint {
			if *again.Checkpoint != *cp.Checkpoint {
				return tailErr("the last checkpoint follows another checkpoint, not its record")
			}
			continue
		}
		hash, err := entryHash(e)
		if err != nil || hash != e.Hash || e.Seq != cp.Checkpoint.Seq || e.Hash != cp.Checkpoint.Hash {
			return tailErr(fmt.Sprintf("the last checkpoint (record %d) does not match the record before it", cp.Checkpoint.Seq))
		}
		l.logID = logID
		l.head = LogHead{Seq: e.Seq, Hash: e.Hash}
		l.signed = l.head
		l.last = bytes.Clone(lastLine)
		return nil
	}
}

// refresh brings the Log's view up to the store's end when another writer
// appended since this Log's last look (the store's last line is not the
// one this Log knows): it reads and checks the tail again.
func (l *Log) refresh(tx LogTx) error {
	last, err := tx.Last(1)
	if err != nil {
		return err
	}
	if len(last) == 1 && bytes.Equal(last[0], l.last) {
		return nil
	}
	first, err := tx.First()
	if err != nil {
		return err
	}
	if first == nil {
		return &LogError{Line: 1, Detail: "the store no longer holds the log"}
	}
	return l.readEnds(first, tx)
}

// Head returns the end of the chain as this Log last saw it (other writers
// of a shared store may have appended since).
func (l *Log) Head() LogHead {
	if l == nil {
		return LogHead{}
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.head
}

// Checkpoint writes a checkpoint for the last record when it has none yet
// (only with CheckpointEvery > 1) and returns the head it covers.
func (l *Log) Checkpoint() (LogHead, error) {
	if l == nil || l.store == nil {
		return LogHead{}, nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	err := l.checkpointLocked()
	return l.head, err
}

func (l *Log) checkpointLocked() error {
	if l.closed {
		return os.ErrClosed
	}
	if l.signed == l.head {
		return nil
	}
	var cp LogLine
	err := l.store.Update(context.Background(), func(tx LogTx) error {
		if err := l.refresh(tx); err != nil {
			return err
		}
		if l.signed == l.head {
			cp = LogLine{}
			return nil
		}
		var err error
		if cp, err = l.checkpointOf(l.head); err != nil {
			return err
		}
		return tx.Append(cp)
	})
	if err != nil {
		return err
	}
	if cp.Data != nil {
		l.signed, l.last = l.head, cp.Data
	}
	return nil
}

// Sync writes any pending checkpoint and commits the log to stable
// storage.
func (l *Log) Sync() error {
	if l == nil || l.store == nil {
		return nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if err := l.checkpointLocked(); err != nil {
		return err
	}
	return l.store.Sync(context.Background())
}

// Close writes any pending checkpoint, syncs and closes the store (for
// OpenLog: releases the lock and closes the file). Closing twice does
// nothing.
func (l *Log) Close() error {
	if l == nil || l.store == nil {
		return nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return nil
	}
	err := l.checkpointLocked()
	l.closed = true
	if cerr := l.store.Close(); err == nil {
		err = cerr
	}
	return err
}

// Digest is InputDigest under the log's key (ErrNoLog for the zero Log).
func (l *Log) Digest(s *score.Schema, r score.Record) (string, error) {
	if l == nil || l.store == nil {
		return "", ErrNoLog
	}
	return InputDigest(l.key, s, r)
}

// Input is what AppendDecision records: the decision (with its reasons),
// the model and record it was made on, and the caller's reference.
type Input struct {
	Time     time.Time
	Model    *score.Model
	Record   score.Record
	Decision *Decision
	Ref      string
}

// AppendDecision appends a decision record and returns it: the decision's
// outcome, referrals and reasons (Decision.Reasons). The record's values
// are represented only by their digest. A reason on a feature the decision
// neutralised is refused (score.ErrMalformed): it cannot be exact.
func (l *Log) AppendDecision(in Input) (LogEntry, error) {
	return l.AppendDecisionContext(context.Background(), in)
}

// AppendDecisionContext is AppendDecision with a context for the store's
// update (a shared store's database call).
func (l *Log) AppendDecisionContext(ctx context.Context, in Input) (LogEntry, error) {
	if l == nil || l.store == nil {
		return LogEntry{}, ErrNoLog
	}
	if in.Model == nil || in.Decision == nil {
		return LogEntry{}, fmt.Errorf("%w: a decision record needs a model and a decision", score.ErrModel)
	}
	if in.Time.IsZero() {
		return LogEntry{}, fmt.Errorf("%w: a decision record needs a time", score.ErrMalformed)
	}
	dg, err := l.Digest(in.Model.Schema(), in.Record)
	if err != nil {
		return LogEntry{}, err
	}
	d := in.Decision
	de := &Entry{Ref: in.Ref, Model: in.Model.Name(), ModelVersion: in.Model.Version(),
		ModelFingerprint: in.Model.Fingerprint(), PolicyVersion: d.PolicyVersion, Purpose: d.Score.Purpose,
		InputDigest: dg, DigestKeyID: l.keyID, Score: d.Shown().Score, Probability: float64(d.Shown().Probability),
		Outcome: d.Outcome, ModelOutcome: d.ModelOutcome, Reasons: d.Reasons, Referrals: d.Referrals,
		Neutralised: d.Score.Neutralised}
	if !isFinite(de.Score) || !isFinite(de.Probability) {
		return LogEntry{}, fmt.Errorf("%w: score is not finite", score.ErrNotFinite)
	}
	for _, r := range d.Reasons {
		if !isFinite(r.Effect) {
			return LogEntry{}, fmt.Errorf("%w: reason %q effect", score.ErrNotFinite, r.Feature)
		}
		if d.Score.IsNeutralised(r.Feature) {
			return LogEntry{}, fmt.Errorf("%w: reason %q is a feature the decision did not use", score.ErrMalformed, r.Feature)
		}
	}
	return l.append(ctx, LogEntry{Kind: EntryDecision, Time: in.Time, Decision: de})
}

// AppendReview records a person's final outcome (Approve or Decline) for
// the decision with Seq decision.
func (l *Log) AppendReview(t time.Time, decision int64, reviewer string, outcome Outcome, note string) (LogEntry, error) {
	return l.AppendReviewContext(context.Background(), t, decision, reviewer, outcome, note)
}

// AppendReviewContext is AppendReview with a context for the store's
// update.
func (l *Log) AppendReviewContext(ctx context.Context, t time.Time, decision int64, reviewer string, outcome Outcome, note string) (LogEntry, error) {
	if l == nil || l.store == nil {
		return LogEntry{}, ErrNoLog
	}
	if t.IsZero() {
		return LogEntry{}, fmt.Errorf("%w: a review record needs a time", score.ErrMalformed)
	}
	if outcome != Approve && outcome != Decline {
		return LogEntry{}, fmt.Errorf("%w: review outcome %q (want approve or decline)", score.ErrMalformed, outcome)
	}
	if reviewer == "" {
		return LogEntry{}, fmt.Errorf("%w: a review needs a reviewer", score.ErrMalformed)
	}
	return l.append(ctx, LogEntry{Kind: EntryReview, Time: t, Review: &ReviewEntry{Decision: decision, Reviewer: reviewer, Outcome: outcome, Note: note}})
}

func (l *Log) append(ctx context.Context, e LogEntry) (LogEntry, error) {
	e.Time = e.Time.UTC()
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return LogEntry{}, os.ErrClosed
	}
	var lines []LogLine
	sign := false
	err := l.store.Update(ctx, func(tx LogTx) error {
		if err := l.refresh(tx); err != nil {
			return err
		}
		if e.Review != nil {
			ok, err := l.isDecision(tx, e.Review.Decision)
			if err != nil {
				return err
			}
			if !ok {
				return fmt.Errorf("%w: decision %d", ErrUnknownDecision, e.Review.Decision)
			}
		}
		e.Seq = l.head.Seq + 1
		e.Prev = l.head.Hash
		line, h, err := sealEntry(e)
		if err != nil {
			return fmt.Errorf("%w: %v", score.ErrMalformed, err)
		}
		e.Hash = h
		if len(line)+1 > l.max {
			return fmt.Errorf("%w: the record is %d bytes, more than the log's limit of %d", score.ErrMalformed, len(line)+1, l.max)
		}
		lines = []LogLine{{Seq: e.Seq, Data: line}}
		sign = e.Seq-max(l.signed.Seq, 0) >= int64(l.every)
		if sign {
			cp, err := l.checkpointOf(LogHead{Seq: e.Seq, Hash: e.Hash})
			if err != nil {
				return err
			}
			lines = append(lines, cp)
		}
		return tx.Append(lines...)
	})
	if err != nil {
		return LogEntry{}, err
	}
	l.head = LogHead{Seq: e.Seq, Hash: e.Hash}
	l.last = lines[len(lines)-1].Data
	if sign {
		l.signed = l.head
	}
	if e.Kind == EntryDecision && l.decisions != nil {
		l.decisions[e.Seq] = true
	}
	return e, nil
}

// isDecision reports whether record seq is a decision: from memory for a
// NewLog log, else from the store (for a file, a binary search).
func (l *Log) isDecision(tx LogTx, seq int64) (bool, error) {
	if seq < 1 || seq > l.head.Seq {
		return false, nil
	}
	if l.decisions != nil {
		return l.decisions[seq], nil
	}
	line, err := tx.Record(seq)
	if err != nil || line == nil {
		return false, err
	}
	var e LogEntry
	if kind, err := decodeLine(line, &e, nil); err != nil || kind != lineEntry {
		return false, fmt.Errorf("%w: record %d is not a record", ErrLogBroken, seq)
	}
	if h, err := entryHash(e); err != nil || h != e.Hash || e.Seq != seq {
		return false, fmt.Errorf("%w: record %d: hash does not match the content", ErrLogBroken, seq)
	}
	return e.Kind == EntryDecision, nil
}

// String writes the head as "SEQ:HASH", the form ParseLogHead reads.
func (h LogHead) String() string {
	return strconv.FormatInt(h.Seq, 10) + ":" + h.Hash
}

// ParseLogHead reads a head written by LogHead.String: "SEQ:HASH" with
// SEQ >= 1 (e.g. "42:sha256:..."). Anything else is a score.ErrMalformed
// error.
func ParseLogHead(s string) (LogHead, error) {
	seqText, hash, ok := strings.Cut(s, ":")
	seq, err := strconv.ParseInt(seqText, 10, 64)
	if !ok || err != nil || seq < 1 || hash == "" {
		return LogHead{}, fmt.Errorf("%w: a log head is SEQ:HASH, e.g. 42:sha256:..., got %q", score.ErrMalformed, s)
	}
	return LogHead{Seq: seq, Hash: hash}, nil
}

// HeadError reports that a log does not hold a head kept elsewhere:
// records were cut off its end (Cut: the log ends before Kept.Seq), or the
// log was rewritten (its record Kept.Seq has another hash). End is where
// the log ends. It unwraps to ErrLogBroken.
type HeadError struct {
	Kept LogHead
	End  LogHead
	Cut  bool
}

func (e *HeadError) Error() string {
	if e.Cut {
		return fmt.Sprintf("%v: records after %d were cut off: the log ends at record %d, the kept head is record %d",
			ErrLogBroken, e.End.Seq, e.End.Seq, e.Kept.Seq)
	}
	return fmt.Sprintf("%v: record %d does not match the kept head (the log was rewritten)", ErrLogBroken, e.Kept.Seq)
}

func (e *HeadError) Unwrap() error { return ErrLogBroken }

// CheckHead reports whether a verified log (the entries ReadLog returns)
// still holds head, a head of the same log kept elsewhere: nil when its
// record head.Seq has hash head.Hash (the log may have grown since), else
// a *HeadError. The zero LogHead is held by every log.
func CheckHead(entries []LogEntry, head LogHead) error {
	if head == (LogHead{}) {
		return nil
	}
	var end LogHead
	if n := len(entries); n > 0 {
		end = LogHead{Seq: entries[n-1].Seq, Hash: entries[n-1].Hash}
	}
	if head.Seq < 1 || head.Seq > int64(len(entries)) {
		return &HeadError{Kept: head, End: end, Cut: head.Seq >= 1}
	}
	if e := entries[head.Seq-1]; e.Seq != head.Seq || e.Hash != head.Hash {
		return &HeadError{Kept: head, End: end}
	}
	return nil
}

// LogError reports the first bad line of a decision log: its 1-based line
// (-1 when not known: a problem found at the end of a log opened for
// appending), the byte offset where it starts (-1 when not known), the
// Seq the next record should have had, and what is wrong. It unwraps to
// ErrLogBroken.
type LogError struct {
	Line   int
	Seq    int64
	Offset int64
	Detail string
}

func (e *LogError) Error() string {
	switch {
	case e.Line < 0 && e.Offset >= 0:
		return fmt.Sprintf("%v at byte %d (record %d): %s", ErrLogBroken, e.Offset, e.Seq, e.Detail)
	case e.Line < 0:
		return fmt.Sprintf("%v at its end: %s", ErrLogBroken, e.Detail)
	}
	return fmt.Sprintf("%v at line %d (record %d): %s", ErrLogBroken, e.Line, e.Seq, e.Detail)
}

func (e *LogError) Unwrap() error { return ErrLogBroken }

// OverrideStats counts how often people overrode the model among reviewed
// decisions. A decision reviewed more than once counts once, with its last
// review.
type OverrideStats struct {
	Group string `json:"group,omitempty"`
	// Decisions is the number of decisions; Referred how many were referred;
	// Reviewed how many have a review.
	Decisions int `json:"decisions"`
	Referred  int `json:"referred"`
	Reviewed  int `json:"reviewed"`
	// Overridden is how many reviews differ from the model's outcome;
	// ToApprove and ToDecline split them by the final outcome.
	Overridden int `json:"overridden"`
	ToApprove  int `json:"to_approve"`
	ToDecline  int `json:"to_decline"`
	// Rate is Overridden / Reviewed, with a 95% Wilson score interval
	// [Low, High]; all nil when nothing was reviewed.
	Rate *float64 `json:"rate,omitempty"`
	Low  *float64 `json:"low,omitempty"`
	High *float64 `json:"high,omitempty"`
}

// OverrideReport is how often people overrode the model, overall and per
// group (groups sorted by name).
type OverrideReport struct {
	Overall OverrideStats   `json:"overall"`
	Groups  []OverrideStats `json:"groups,omitempty"`
}

// Overrides computes the override report of log entries (as ReadLog
// returns them). group, when not nil, names the group of a decision (for
// instance a protected attribute the caller keeps apart from the log,
// looked up by Ref or Seq); "" leaves the decision out of the groups (it
// still counts overall).
func Overrides(entries []LogEntry, group func(e *LogEntry) string) OverrideReport {
	t := NewOverrideTally(group)
	for i := range entries {
		t.Add(&entries[i])
	}
	return t.Report()
}

// OverrideTally computes Overrides one record at a time, as a LogReader
// returns them, keeping a few words per decision instead of the records.
type OverrideTally struct {
	group func(e *LogEntry) string
	// cases are indexed by decision Seq - first.
	cases []overrideCase
	first int64
}

type overrideCase struct {
	group    string
	model    Outcome
	review   Outcome // "" when not reviewed
	decision bool
	referred bool
}

// NewOverrideTally returns an empty tally; group is as for Overrides.
func NewOverrideTally(group func(e *LogEntry) string) *OverrideTally {
	return &OverrideTally{group: group, first: -1}
}

// Add counts a decision or a review (other entries are ignored). A review
// of a decision not added before is ignored.
func (t *OverrideTally) Add(e *LogEntry) {
	switch {
	case e.Kind == EntryDecision && e.Decision != nil:
		if t.first < 0 {
			t.first = e.Seq
		}
		i := e.Seq - t.first
		if i < 0 || i > int64(len(t.cases))+1<<20 {
			return // not in log order
		}
		for int64(len(t.cases)) <= i {
			t.cases = append(t.cases, overrideCase{})
		}
		c := overrideCase{decision: true, model: e.Decision.ModelOutcome, referred: e.Decision.Outcome == Refer}
		if t.group != nil {
			c.group = t.group(e)
		}
		t.cases[i] = c
	case e.Kind == EntryReview && e.Review != nil:
		if i := e.Review.Decision - t.first; t.first >= 0 && i >= 0 && i < int64(len(t.cases)) && t.cases[i].decision {
			t.cases[i].review = e.Review.Outcome
		}
	}
}

// Report is the override report of what was added. A decision reviewed
// more than once counts once, with its last review.
func (t *OverrideTally) Report() OverrideReport {
	var rep OverrideReport
	groups := map[string]*OverrideStats{}
	var names []string
	for i := range t.cases {
		c := &t.cases[i]
		if !c.decision {
			continue
		}
		targets := []*OverrideStats{&rep.Overall}
		if c.group != "" {
			gs, ok := groups[c.group]
			if !ok {
				gs = &OverrideStats{Group: c.group}
				groups[c.group] = gs
				names = append(names, c.group)
			}
			targets = append(targets, gs)
		}
		for _, s := range targets {
			s.Decisions++
			if c.referred {
				s.Referred++
			}
			if c.review == "" {
				continue
			}
			s.Reviewed++
			if c.review != c.model {
				s.Overridden++
				if c.review == Approve {
					s.ToApprove++
				} else {
					s.ToDecline++
				}
			}
		}
	}
	slices.Sort(names)
	for _, g := range names {
		rep.Groups = append(rep.Groups, *groups[g])
	}
	rep.Overall.rate()
	for i := range rep.Groups {
		rep.Groups[i].rate()
	}
	return rep
}

func (s *OverrideStats) rate() {
	if s.Reviewed == 0 {
		return
	}
	n, k := float64(s.Reviewed), float64(s.Overridden)
	p := k / n
	lo, hi := metric.Wilson(p, n, 1.959963984540054)
	s.Rate, s.Low, s.High = &p, &lo, &hi
}
