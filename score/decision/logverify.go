package decision

import (
	"bufio"
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/candorscore/candor/score"
)

// ErrVerifyKey: verifying a log without its writer's public key.
var ErrVerifyKey = errors.New("verifying a decision log needs its writer's ed25519 public key")

// ErrNotRepaired: RepairLog found damage it must not cut off.
var ErrNotRepaired = errors.New("decision log not repaired")

// VerifyOptions say what a log is checked against.
type VerifyOptions struct {
	// PublicKey is the writer's Ed25519 public key: every record must be
	// covered by a checkpoint it verifies. Required, except for a legacy
	// log read with Legacy.
	PublicKey ed25519.PublicKey
	// Head, when not zero, is a head of the same log published earlier
	// (LogHead.String, ParseLogHead): the log must still hold it (record
	// Head.Seq with hash Head.Hash), or records were cut off or rewritten
	// (a *HeadError).
	Head LogHead
	// Legacy accepts a log in the format before signed checkpoints,
	// checking its hash chain alone, which anyone can recompute: such a log
	// is never Authenticated. Without it a legacy log is ErrLegacyLog.
	Legacy bool
	// MaxRecordBytes caps one line (DefaultMaxRecordBytes when 0): a longer
	// line is an error, read no further than the cap.
	MaxRecordBytes int
}

// LogSummary describes a verified log, or with an error the part of it
// read before the error.
type LogSummary struct {
	// Format is LogFormat, or "legacy"; LogID and KeyID are the header's.
	Format string `json:"format"`
	LogID  string `json:"log_id,omitempty"`
	KeyID  string `json:"key_id,omitempty"`
	// Authenticated: the log verified, and every record in it is covered
	// by a checkpoint signed by PublicKey.
	Authenticated bool `json:"authenticated"`
	// Records counts decisions and reviews (not the header).
	Records     int `json:"records"`
	Decisions   int `json:"decisions"`
	Reviews     int `json:"reviews"`
	Checkpoints int `json:"checkpoints"`
	// Head is the last record read; Signed the last one covered by a valid
	// checkpoint, whose line ends at byte SignedBytes (0: none).
	Head        LogHead `json:"head"`
	Signed      LogHead `json:"signed"`
	SignedBytes int64   `json:"signed_bytes"`
}

// LogReader reads and checks a decision log line by line, with memory
// bounded by the longest line (MaxRecordBytes) and one bit per record (to
// check that reviews follow decisions). Build it with NewLogReader.
type LogReader struct {
	br    *bufio.Reader
	opts  VerifyOptions
	max   int
	pubID string

	line    int   // lines read
	off     int64 // offset of the next line
	buf     []byte
	started bool
	legacy  bool
	sum     LogSummary
	// decisions has bit seq set for each decision.
	decisions []uint64
	// firstUnsigned is the line, offset and seq of the first record after
	// the last checkpoint (line 0: none).
	firstUnsigned struct {
		line int
		off  int64
		seq  int64
	}
	signedLine  int
	headChecked bool
	err         error
}

// NewLogReader returns a reader of the log r checked against opts.
func NewLogReader(r io.Reader, opts VerifyOptions) *LogReader {
	lr := &LogReader{br: bufio.NewReaderSize(r, 64<<10), opts: opts, max: opts.MaxRecordBytes}
	if lr.max <= 0 {
		lr.max = DefaultMaxRecordBytes
	}
	if len(opts.PublicKey) == ed25519.PublicKeySize {
		lr.pubID = score.KeyID(opts.PublicKey)
	}
	return lr
}

// Summary is what has been read and checked so far.
func (lr *LogReader) Summary() LogSummary { return lr.sum }

// Next returns the next decision or review record once its place in the
// chain is checked, and io.EOF at the end of a log that verified. Records
// are authenticated only by a checkpoint after them: trust what Next
// returned only when it ends in io.EOF. Any other error (a *LogError or
// *HeadError, both ErrLogBroken; ErrLegacyLog; ErrVerifyKey; a read error)
// ends the reading: later calls return it again.
func (lr *LogReader) Next() (*LogEntry, error) {
	if lr.err != nil {
		return nil, lr.err
	}
	e, err := lr.next()
	if err != nil {
		lr.err = err
	}
	return e, err
}

func (lr *LogReader) bad(start int64, seq int64, format string, args ...any) error {
	return &LogError{Line: lr.line, Seq: seq, Offset: start, Detail: fmt.Sprintf(format, args...)}
}

// readLine reads the next line without its newline: io.EOF at a clean end,
// a *LogError for a line without a newline or longer than the cap.
func (lr *LogReader) readLine() ([]byte, int64, error) {
	start := lr.off
	lr.buf = lr.buf[:0]
	for {
		frag, err := lr.br.ReadSlice('\n')
		if len(lr.buf)+len(frag) > lr.max {
			lr.line++
			return nil, start, lr.bad(start, lr.sum.Head.Seq+1, "line longer than %d bytes", lr.max)
		}
		lr.buf = append(lr.buf, frag...)
		switch {
		case err == nil:
			lr.line++
			lr.off += int64(len(lr.buf))
			return lr.buf[:len(lr.buf)-1], start, nil
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case errors.Is(err, io.EOF):
			if len(lr.buf) == 0 {
				return nil, start, io.EOF
			}
			lr.line++
			return nil, start, lr.bad(start, lr.sum.Head.Seq+1,
				"last line is incomplete (no newline, %d bytes): a write was cut short", len(lr.buf))
		default:
			return nil, start, err
		}
	}
}

func (lr *LogReader) next() (*LogEntry, error) {
	if !lr.opts.Legacy && lr.pubID == "" {
		return nil, ErrVerifyKey
	}
	for {
		b, start, err := lr.readLine()
		if errors.Is(err, io.EOF) {
			return nil, lr.finish()
		}
		if err != nil {
			return nil, err
		}
		want := lr.sum.Head.Seq + 1
		var e LogEntry
		var cp checkpointLine
		kind, err := decodeLine(b, &e, &cp)
		if err != nil {
			return nil, lr.bad(start, want, "not a log record: %v", err)
		}
		if !lr.started {
			lr.started = true
			switch {
			case kind == lineEntry && e.Kind == EntryHeader:
				if err := checkHeader(e); err != nil {
					return nil, lr.bad(start, 0, "%v", err)
				}
				if !canonicalLine(b, &e, nil) {
					return nil, lr.bad(start, 0, "header is not in canonical form (the line was edited)")
				}
				lr.sum.Format, lr.sum.LogID, lr.sum.KeyID = e.Header.Format, e.Header.LogID, e.Header.KeyID
				if lr.pubID == "" {
					return nil, ErrVerifyKey
				}
				if e.Header.KeyID != lr.pubID {
					return nil, lr.bad(start, 0, "the log was written with key %s, not with %s (the key given)", e.Header.KeyID, lr.pubID)
				}
				lr.sum.Head = LogHead{Seq: 0, Hash: e.Hash}
				continue
			case kind == lineEntry && e.Seq == 1 && e.Prev == "" && e.Kind != EntryHeader:
				if !lr.opts.Legacy {
					return nil, fmt.Errorf("%w: it can be checked only as a chain anyone can recompute (verify it as legacy), or start a new log", ErrLegacyLog)
				}
				lr.legacy = true
				lr.sum.Format = "legacy"
			default:
				return nil, lr.bad(start, 0, "the first line is not a log header")
			}
		}
		if kind == lineCheckpoint {
			if err := lr.checkpoint(cp.Checkpoint, start); err != nil {
				return nil, err
			}
			continue
		}
		if err := lr.record(&e, b, start, want); err != nil {
			return nil, err
		}
		return &e, nil
	}
}

func (lr *LogReader) checkpoint(c *Checkpoint, start int64) error {
	head := lr.sum.Head
	if lr.legacy {
		return lr.bad(start, head.Seq+1, "a checkpoint in a legacy log")
	}
	switch {
	case c.Seq > head.Seq:
		return lr.bad(start, head.Seq+1, "checkpoint of record %d, but the log holds records up to %d only (records were removed)", c.Seq, head.Seq)
	case c.Seq < head.Seq:
		return lr.bad(start, head.Seq+1, "checkpoint of record %d after record %d (lines were moved or records inserted)", c.Seq, head.Seq)
	case c.Hash != head.Hash:
		return lr.bad(start, head.Seq+1, "checkpoint of record %d signs another hash: a record up to it was edited, removed, inserted or re-chained", c.Seq)
	}
	if err := verifyCheckpoint(lr.opts.PublicKey, lr.sum.LogID, c); err != nil {
		return lr.bad(start, head.Seq+1, "checkpoint of record %d %v", c.Seq, err)
	}
	lr.sum.Checkpoints++
	lr.sum.Signed = head
	lr.sum.SignedBytes = lr.off
	lr.signedLine = lr.line
	lr.firstUnsigned.line = 0
	return nil
}

func (lr *LogReader) record(e *LogEntry, b []byte, start, want int64) error {
	bad := func(format string, args ...any) error { return lr.bad(start, want, format, args...) }
	if e.Seq != want {
		return bad("sequence number is %d, want %d (a record was removed, inserted or moved)", e.Seq, want)
	}
	if e.Prev != lr.sum.Head.Hash {
		return bad("previous-hash link does not match the record before it")
	}
	line, h, err := sealEntry(*e)
	if err != nil {
		return bad("%v", err)
	}
	if e.Hash != h {
		return bad("hash does not match the content (the record was edited)")
	}
	if !bytes.Equal(line, b) {
		return bad("record is not in canonical form (the line was edited)")
	}
	switch {
	case e.Kind == EntryDecision && e.Decision != nil && e.Review == nil && e.Header == nil:
		for int64(len(lr.decisions))*64 <= e.Seq {
			lr.decisions = append(lr.decisions, 0)
		}
		lr.decisions[e.Seq/64] |= 1 << (e.Seq % 64)
		lr.sum.Decisions++
	case e.Kind == EntryReview && e.Review != nil && e.Decision == nil && e.Header == nil:
		d := e.Review.Decision
		if d < 1 || d >= e.Seq || d/64 >= int64(len(lr.decisions)) || lr.decisions[d/64]&(1<<(d%64)) == 0 {
			return bad("review of decision %d, which is not earlier in the log", d)
		}
		lr.sum.Reviews++
	default:
		return bad("record kind %q does not match its content", e.Kind)
	}
	if e.Time.IsZero() {
		return bad("record has no time")
	}
	if lr.firstUnsigned.line == 0 {
		lr.firstUnsigned.line, lr.firstUnsigned.off, lr.firstUnsigned.seq = lr.line, start, e.Seq
	}
	lr.sum.Records++
	lr.sum.Head = LogHead{Seq: e.Seq, Hash: e.Hash}
	if k := lr.opts.Head; k.Seq == e.Seq {
		lr.headChecked = true
		if k.Hash != e.Hash {
			return &HeadError{Kept: k, End: lr.sum.Head}
		}
	}
	return nil
}

// finish checks the end of the log.
func (lr *LogReader) finish() error {
	if !lr.started {
		return &LogError{Line: 1, Offset: 0, Detail: "the log is empty (no header)"}
	}
	if !lr.legacy && lr.firstUnsigned.line != 0 {
		u := lr.firstUnsigned
		n := lr.sum.Head.Seq - u.seq + 1
		return &LogError{Line: u.line, Seq: u.seq, Offset: u.off, Detail: fmt.Sprintf(
			"%d record(s) after the last checkpoint (record %d) are not signed by the writer's key: written without the key, or the writer stopped before signing them",
			n, lr.sum.Signed.Seq)}
	}
	if k := lr.opts.Head; k != (LogHead{}) && !lr.headChecked {
		return &HeadError{Kept: k, End: lr.sum.Head, Cut: true}
	}
	lr.sum.Authenticated = !lr.legacy
	return io.EOF
}

// VerifyLog reads a whole decision log and checks it against opts: the
// header names the writer's key; every line is a canonical record or a
// checkpoint; Seq 0 (the header), 1, 2, ...; each Prev the Hash before
// it, each Hash that of its content; each review after the decision it
// reviews; each checkpoint just after the record it names, with that
// record's hash, signed by opts.PublicKey; no record after the last
// checkpoint; and, with opts.Head, the published head still in the log. It
// returns a *LogError (ErrLogBroken) naming the first bad line, or a
// *HeadError. A verified log proves that its writer's key signed every
// record in it, in this order, with nothing removed, inserted or changed
// between the header and the last record. It does not prove that nothing
// was cut off the end at a checkpoint: a prefix of a log is a log its
// writer once had; only a head published elsewhere (opts.Head) shows that.
func VerifyLog(r io.Reader, opts VerifyOptions) (LogSummary, error) {
	lr := NewLogReader(r, opts)
	for {
		if _, err := lr.Next(); err != nil {
			if errors.Is(err, io.EOF) {
				err = nil
			}
			return lr.Summary(), err
		}
	}
}

// ReadLog is VerifyLog that also returns the decision and review records
// (in memory: for long logs use a LogReader).
func ReadLog(r io.Reader, opts VerifyOptions) ([]LogEntry, LogSummary, error) {
	lr := NewLogReader(r, opts)
	var out []LogEntry
	for {
		e, err := lr.Next()
		if err != nil {
			if errors.Is(err, io.EOF) {
				err = nil
			}
			return out, lr.Summary(), err
		}
		out = append(out, *e)
	}
}

type lineKind int

const (
	lineEntry lineKind = iota + 1
	lineCheckpoint
)

var checkpointPrefix = []byte(`{"checkpoint":`)

// decodeLine decodes a line strictly (no unknown fields, nothing after the
// value) as a checkpoint (it starts with {"checkpoint":) or a record.
func decodeLine(b []byte, e *LogEntry, cp *checkpointLine) (lineKind, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	kind := lineEntry
	var v any = e
	if bytes.HasPrefix(b, checkpointPrefix) {
		kind = lineCheckpoint
		if cp == nil {
			cp = &checkpointLine{}
		}
		v = cp
	} else if e == nil {
		e = &LogEntry{}
		v = e
	}
	if err := dec.Decode(v); err != nil {
		return 0, err
	}
	if dec.More() {
		return 0, errors.New("data after the record")
	}
	if kind == lineCheckpoint {
		if cp.Checkpoint == nil {
			return 0, errors.New("empty checkpoint")
		}
		if !canonicalLine(b, nil, cp) {
			return 0, errors.New("checkpoint is not in canonical form")
		}
	}
	return kind, nil
}

// canonicalLine reports whether b is exactly the canonical form of e (or cp).
func canonicalLine(b []byte, e *LogEntry, cp *checkpointLine) bool {
	var c []byte
	var err error
	if cp != nil {
		c, err = canonicalJSON(cp)
	} else {
		c, err = canonicalEntry(*e, true)
	}
	return err == nil && bytes.Equal(c, b)
}

// checkHeader checks record 0.
func checkHeader(e LogEntry) error {
	h := e.Header
	switch {
	case e.Seq != 0 || e.Prev != "" || h == nil || e.Decision != nil || e.Review != nil || !e.Time.IsZero():
		return errors.New("malformed header")
	case h.Format != LogFormat:
		return fmt.Errorf("header names format %q, want %q", h.Format, LogFormat)
	case len(h.LogID) != 32 || !isLowerHex(h.LogID):
		return errors.New("header log id is not 32 hex digits")
	case h.KeyID == "":
		return errors.New("header names no key")
	}
	hash, err := entryHash(e)
	if err != nil || hash != e.Hash {
		return errors.New("header hash does not match its content (the header was edited)")
	}
	return nil
}

func isLowerHex(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// verifyCheckpoint checks c's signature; the error reads after "checkpoint
// of record N".
func verifyCheckpoint(pub ed25519.PublicKey, logID string, c *Checkpoint) error {
	sig, err := base64.StdEncoding.Strict().DecodeString(c.Sig)
	if err != nil || len(sig) != ed25519.SignatureSize || len(pub) != ed25519.PublicKeySize {
		return errors.New("has no valid signature")
	}
	if !ed25519.Verify(pub, CheckpointMessage(logID, c.Seq, c.Hash), sig) {
		return fmt.Errorf("is not signed by %s (forged, or signed by another key)", score.KeyID(pub))
	}
	return nil
}

// readLineAt reads the line that starts at off (without its newline) and
// returns it and where the next line starts; an error for a line without a
// newline before size or longer than max bytes.
func readLineAt(r io.ReaderAt, off, size int64, max int) ([]byte, int64, error) {
	var buf []byte
	chunk := int64(4096)
	for pos := off; ; {
		if pos >= size {
			return nil, 0, errors.New("the line is incomplete (no newline): a write was cut short")
		}
		n := min(chunk, size-pos)
		tmp := make([]byte, n)
		if m, err := r.ReadAt(tmp, pos); int64(m) < n {
			if err == nil || errors.Is(err, io.EOF) {
				err = io.ErrUnexpectedEOF
			}
			return nil, 0, err
		}
		if i := bytes.IndexByte(tmp, '\n'); i >= 0 {
			buf = append(buf, tmp[:i]...)
			if len(buf)+1 > max {
				return nil, 0, fmt.Errorf("line longer than %d bytes", max)
			}
			return buf, pos + int64(i) + 1, nil
		}
		buf = append(buf, tmp...)
		if len(buf)+1 > max {
			return nil, 0, fmt.Errorf("line longer than %d bytes", max)
		}
		pos += n
		chunk = min(2*chunk, 64<<10)
	}
}

// readLineBefore reads the line that ends (with its newline) at end, and
// returns it without its newline and where it starts.
func readLineBefore(r io.ReaderAt, end int64, max int) ([]byte, int64, error) {
	if end <= 0 {
		return nil, 0, errors.New("no line before the start of the file")
	}
	var last [1]byte
	if _, err := r.ReadAt(last[:], end-1); err != nil {
		return nil, 0, err
	}
	if last[0] != '\n' {
		return nil, 0, errors.New("the last line is incomplete (no newline): a write was cut short")
	}
	pos := end - 1
	var buf []byte
	chunk := int64(4096)
	for {
		if pos == 0 {
			return buf, 0, nil
		}
		n := min(chunk, pos)
		tmp := make([]byte, n)
		if m, err := r.ReadAt(tmp, pos-n); int64(m) < n {
			if err == nil || errors.Is(err, io.EOF) {
				err = io.ErrUnexpectedEOF
			}
			return nil, 0, err
		}
		if i := bytes.LastIndexByte(tmp, '\n'); i >= 0 {
			buf = append(tmp[i+1:], buf...)
			if len(buf)+1 > max {
				return nil, 0, fmt.Errorf("line longer than %d bytes", max)
			}
			return buf, pos - n + int64(i) + 1, nil
		}
		buf = append(tmp, buf...)
		if len(buf)+1 > max {
			return nil, 0, fmt.Errorf("line longer than %d bytes", max)
		}
		pos -= n
		chunk = min(2*chunk, 64<<10)
	}
}

// lineStartAfter is the start of the first line that starts at or after
// off (size when none does).
func lineStartAfter(r io.ReaderAt, off, size int64, max int) (int64, error) {
	if off == 0 {
		return 0, nil
	}
	var tmp [4096]byte
	for pos, read := off-1, 0; pos < size; {
		n := min(int64(len(tmp)), size-pos)
		if m, err := r.ReadAt(tmp[:n], pos); int64(m) < n {
			if err == nil || errors.Is(err, io.EOF) {
				err = io.ErrUnexpectedEOF
			}
			return 0, err
		}
		if i := bytes.IndexByte(tmp[:n], '\n'); i >= 0 {
			return pos + int64(i) + 1, nil
		}
		pos += n
		if read += int(n); read > max {
			return 0, fmt.Errorf("line longer than %d bytes", max)
		}
	}
	return size, nil
}

// lineKey is the record number a line belongs to: a record's Seq, or the
// Seq its checkpoint names. Keys never decrease along a log.
func lineKey(b []byte) (int64, bool) {
	var k struct {
		Seq        *int64 `json:"seq"`
		Checkpoint *struct {
			Seq int64 `json:"seq"`
		} `json:"checkpoint"`
	}
	if json.Unmarshal(b, &k) != nil {
		return 0, false
	}
	switch {
	case k.Checkpoint != nil:
		return k.Checkpoint.Seq, true
	case k.Seq != nil:
		return *k.Seq, true
	}
	return 0, false
}

// findRecordLine finds the line of record seq (>= 1) in the log file of
// size bytes by a binary search over byte offsets, reading O(log size)
// lines: nil when no line is that record, an error when the lines it reads
// are not records.
func findRecordLine(r io.ReaderAt, size, seq int64, max int) ([]byte, error) {
	// lo starts a line whose key is < seq (0: the header); hi starts the
	// first line known to have a key >= seq (or is size); probe bounds the
	// offsets still worth probing (lines start in [probe, hi) only if
	// probe == hi).
	lo, hi := int64(0), size
	probe := hi
	const window = 16 << 10
	for probe-lo > window {
		mid := lo + (probe-lo)/2
		start, err := lineStartAfter(r, mid, size, max)
		if err != nil {
			return nil, err
		}
		if start >= probe {
			probe = mid
			continue
		}
		line, _, err := readLineAt(r, start, size, max)
		if err != nil {
			return nil, err
		}
		k, ok := lineKey(line)
		if !ok {
			return nil, fmt.Errorf("%w: byte %d is not the start of a record", ErrLogBroken, start)
		}
		if k < seq {
			lo = start
		} else {
			hi, probe = start, start
		}
	}
	for pos := lo; pos <= hi && pos < size; {
		line, next, err := readLineAt(r, pos, size, max)
		if err != nil {
			return nil, err
		}
		k, ok := lineKey(line)
		if !ok {
			return nil, fmt.Errorf("%w: byte %d is not the start of a record", ErrLogBroken, pos)
		}
		if k > seq {
			return nil, nil
		}
		if k == seq && !bytes.HasPrefix(line, checkpointPrefix) {
			return line, nil
		}
		pos = next
	}
	return nil, nil
}

// RepairReport says what RepairLog removed.
type RepairReport struct {
	// Removed reports whether anything was cut; the rest is zero if not.
	Removed bool `json:"removed"`
	// Offset is where the log was cut (its new length); Bytes, Lines and
	// Records how much went (a torn last line counts as a line, not a
	// record; Torn says there was one).
	Offset  int64 `json:"offset"`
	Bytes   int64 `json:"bytes"`
	Lines   int   `json:"lines"`
	Records int   `json:"records"`
	Torn    bool  `json:"torn"`
	// SavedTo is the file that keeps the removed bytes.
	SavedTo string `json:"saved_to,omitempty"`
	// Reason is the damage found; Head the log's end after the cut, its
	// last signed record.
	Reason string  `json:"reason,omitempty"`
	Head   LogHead `json:"head"`
}

// RepairLog cuts a damaged tail off the log file at path: after a crash or
// a full disk (a torn last record, records whose checkpoint was never
// written) or records appended without the key, it keeps the longest
// prefix that verifies under opts.PublicKey and ends with a signed
// checkpoint, and removes the rest, after copying it to PATH.removed-OFFSET
// (mode 0600). It takes the writer's lock (a *LockError while a writer
// has the log open). It refuses (ErrNotRepaired, removing nothing) when no
// record is signed, and when a checkpoint signed by the key follows the
// damage: then the writer went on writing after it, so the damage is
// inside the log (tampering or corruption), not a torn tail, and cutting
// would destroy signed records. opts.Head is not used; check it after.
// An intact log is left as it is (Removed false).
func RepairLog(path string, opts VerifyOptions) (RepairReport, error) {
	return repairLog(path, opts, true)
}

// CheckRepair says what RepairLog would do, changing nothing and taking no
// lock: the same report (Removed false) or the same refusal.
func CheckRepair(path string, opts VerifyOptions) (RepairReport, error) {
	return repairLog(path, opts, false)
}

func repairLog(path string, opts VerifyOptions, cutTail bool) (RepairReport, error) {
	var rep RepairReport
	opts.Head, opts.Legacy = LogHead{}, false
	if len(opts.PublicKey) != ed25519.PublicKeySize {
		return rep, ErrVerifyKey
	}
	mode := os.O_RDONLY
	if cutTail {
		mode = os.O_RDWR
	}
	f, err := os.OpenFile(path, mode, 0)
	if err != nil {
		return rep, err
	}
	defer f.Close()
	if cutTail {
		unlock, err := lockFile(f)
		if err != nil {
			if errors.Is(err, errLocked) {
				return rep, &LockError{Path: path}
			}
			return rep, fmt.Errorf("%s: lock: %w", path, err)
		}
		defer unlock()
	}
	info, err := f.Stat()
	if err != nil {
		return rep, err
	}
	size := info.Size()
	lr := NewLogReader(io.NewSectionReader(f, 0, size), opts)
	var verr error
	for verr == nil {
		_, verr = lr.Next()
	}
	if errors.Is(verr, io.EOF) {
		return rep, nil
	}
	var le *LogError
	if !errors.As(verr, &le) {
		return rep, verr
	}
	sum := lr.Summary()
	rep.Reason = le.Error()
	if sum.SignedBytes == 0 {
		return rep, fmt.Errorf("%s: %w: no record of it is signed by %s, so there is no good part to keep (%v)", path, ErrNotRepaired, score.KeyID(opts.PublicKey), verr)
	}
	cut := sum.SignedBytes
	// What would go: count it, and look for checkpoints of the writer.
	br := bufio.NewReaderSize(io.NewSectionReader(f, cut, size-cut), 64<<10)
	line := lr.signedLine
	var b []byte
	for {
		b = b[:0]
		long := false
		var err error
		for {
			var frag []byte
			frag, err = br.ReadSlice('\n')
			if len(b)+len(frag) <= lr.max {
				b = append(b, frag...)
			} else {
				long = true
			}
			if !errors.Is(err, bufio.ErrBufferFull) {
				break
			}
		}
		if len(b) == 0 && !long && errors.Is(err, io.EOF) {
			break
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return RepairReport{}, err
		}
		line++
		rep.Lines++
		if errors.Is(err, io.EOF) {
			rep.Torn = true
			break
		}
		if long {
			continue
		}
		b = b[:len(b)-1]
		var e LogEntry
		var cp checkpointLine
		kind, derr := decodeLine(b, &e, &cp)
		switch {
		case derr != nil:
		case kind == lineCheckpoint:
			if cp.Checkpoint.Seq > sum.Signed.Seq && verifyCheckpoint(opts.PublicKey, sum.LogID, cp.Checkpoint) == nil {
				return RepairReport{}, fmt.Errorf("%s: %w: %v; but line %d is a checkpoint of record %d signed by %s, so the writer went on after the damage: it is inside the log (tampering or corruption), not a torn tail, and cutting would remove signed records",
					path, ErrNotRepaired, verr, line, cp.Checkpoint.Seq, score.KeyID(opts.PublicKey))
			}
		case e.Kind == EntryDecision || e.Kind == EntryReview:
			rep.Records++
		}
	}
	if !cutTail {
		rep.Offset, rep.Bytes, rep.Head = cut, size-cut, sum.Signed
		return rep, nil
	}
	saved := fmt.Sprintf("%s.removed-%d", path, cut)
	out, err := os.OpenFile(saved, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return RepairReport{}, fmt.Errorf("keeping the removed part: %w", err)
	}
	_, err = io.Copy(out, io.NewSectionReader(f, cut, size-cut))
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(saved)
		return RepairReport{}, fmt.Errorf("keeping the removed part in %s: %w (nothing was cut)", saved, err)
	}
	if err := f.Truncate(cut); err != nil {
		return RepairReport{}, err
	}
	if err := f.Sync(); err != nil {
		return RepairReport{}, err
	}
	rep.Removed, rep.Offset, rep.Bytes, rep.SavedTo, rep.Head = true, cut, size-cut, saved, sum.Signed
	return rep, nil
}
