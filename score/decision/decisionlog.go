package decision

import (
	"bufio"
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
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

// LogEntry is one line of a decision log. Seq counts from 1; Prev is the
// Hash of the previous entry ("" for the first); Hash is "sha256:" and the
// hex SHA-256 of the entry's canonical JSON without the hash field: the
// compact encoding/json form of this struct, fields in declaration order,
// time in RFC 3339 UTC, floats in their shortest round-trip form.
type LogEntry struct {
	Seq      int64        `json:"seq"`
	Kind     EntryKind    `json:"kind"`
	Time     time.Time    `json:"time"`
	Decision *Entry       `json:"decision,omitempty"`
	Review   *ReviewEntry `json:"review,omitempty"`
	Prev     string       `json:"prev"`
	Hash     string       `json:"hash,omitempty"`
}

// canonicalEntry is the JSON line of e, with its hash when withHash.
func canonicalEntry(e LogEntry, withHash bool) ([]byte, error) {
	if !withHash {
		e.Hash = ""
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(&e); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

func entryHash(e LogEntry) (string, error) {
	b, err := canonicalEntry(e, false)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(sum[:]), nil
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

// LogHead is where a log's chain ends: the last Seq and Hash (zero for an
// empty log). Keep the head of a closed log somewhere else (a ticket, a
// signed report): a chain alone cannot show that records were cut off its
// end.
type LogHead struct {
	Seq  int64  `json:"seq"`
	Hash string `json:"hash"`
}

// Log appends hash-chained decision and review records to a
// writer, one JSON line each. It is safe for concurrent use; each record
// is written with one Write call. A log file must have one writer (one
// Log in one process): two would fork the chain, which VerifyLog
// reports. Times are passed in by the caller (the library never reads the
// clock). Appends are not synced to disk one by one; call Sync where a
// decision must survive a crash before it is answered.
//
// The zero Log (and a nil *Log) is not open: its appends return ErrNoLog,
// Head is the zero LogHead, and Sync and Close do nothing.
type Log struct {
	mu        sync.Mutex
	w         io.Writer
	closer    io.Closer
	key       []byte
	keyID     string
	head      LogHead
	decisions map[int64]bool
}

// NewLog returns a log appending to w, continuing the chain after
// head (the zero LogHead for a new log). key is the input-digest key (at
// least MinDigestKeyLen bytes). decisions lists the Seq of the decisions
// already in the log, so that reviews can be checked; nil when new.
func NewLog(w io.Writer, key []byte, head LogHead, decisions []int64) (*Log, error) {
	if len(key) < MinDigestKeyLen {
		return nil, ErrDigestKey
	}
	l := &Log{w: w, key: bytes.Clone(key), keyID: DigestKeyID(key), head: head, decisions: map[int64]bool{}}
	for _, s := range decisions {
		l.decisions[s] = true
	}
	return l, nil
}

// OpenLog opens (or creates) the log file at path for appending. An
// existing file is verified first; a broken one is refused (ErrLogBroken),
// since appending to it would hide where it broke.
func OpenLog(path string, key []byte) (*Log, error) {
	if len(key) < MinDigestKeyLen {
		return nil, ErrDigestKey
	}
	var decisions []int64
	var head LogHead
	if fh, err := os.Open(path); err == nil {
		entries, sum, err := ReadLog(fh)
		fh.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		for i := range entries {
			if entries[i].Kind == EntryDecision {
				decisions = append(decisions, entries[i].Seq)
			}
		}
		head = sum.Head
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	fh, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	l, err := NewLog(fh, key, head, decisions)
	if err != nil {
		fh.Close()
		return nil, err
	}
	l.closer = fh
	return l, nil
}

// Head returns the current end of the chain.
func (l *Log) Head() LogHead {
	if l == nil {
		return LogHead{}
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.head
}

// Sync commits the log file to stable storage when the log was opened by
// OpenLog; otherwise it does nothing.
func (l *Log) Sync() error {
	if l == nil {
		return nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if f, ok := l.closer.(*os.File); ok {
		return f.Sync()
	}
	return nil
}

// Close closes the underlying file when the log was opened by
// OpenLog; otherwise it does nothing.
func (l *Log) Close() error {
	if l == nil || l.closer == nil {
		return nil
	}
	return l.closer.Close()
}

// Digest is InputDigest under the log's key (ErrNoLog for the zero Log).
func (l *Log) Digest(s *score.Schema, r score.Record) (string, error) {
	if l == nil || l.w == nil {
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
	if l == nil || l.w == nil {
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
	return l.append(LogEntry{Kind: EntryDecision, Time: in.Time, Decision: de})
}

// AppendReview records a person's final outcome (Approve or Decline) for
// the decision with Seq decision.
func (l *Log) AppendReview(t time.Time, decision int64, reviewer string, outcome Outcome, note string) (LogEntry, error) {
	if l == nil || l.w == nil {
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
	return l.append(LogEntry{Kind: EntryReview, Time: t, Review: &ReviewEntry{Decision: decision, Reviewer: reviewer, Outcome: outcome, Note: note}})
}

func (l *Log) append(e LogEntry) (LogEntry, error) {
	e.Time = e.Time.UTC()
	l.mu.Lock()
	defer l.mu.Unlock()
	if e.Review != nil && !l.decisions[e.Review.Decision] {
		return LogEntry{}, fmt.Errorf("%w: decision %d", ErrUnknownDecision, e.Review.Decision)
	}
	e.Seq = l.head.Seq + 1
	e.Prev = l.head.Hash
	h, err := entryHash(e)
	if err != nil {
		return LogEntry{}, fmt.Errorf("%w: %v", score.ErrMalformed, err)
	}
	e.Hash = h
	line, err := canonicalEntry(e, true)
	if err != nil {
		return LogEntry{}, fmt.Errorf("%w: %v", score.ErrMalformed, err)
	}
	line = append(line, '\n')
	if _, err := l.w.Write(line); err != nil {
		return LogEntry{}, err
	}
	l.head = LogHead{Seq: e.Seq, Hash: e.Hash}
	if e.Kind == EntryDecision {
		l.decisions[e.Seq] = true
	}
	return e, nil
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

// LogError reports the first bad record of a decision log: its 1-based
// line, the Seq it should have had, and what is wrong. It unwraps to
// ErrLogBroken.
type LogError struct {
	Line   int
	Seq    int64
	Detail string
}

func (e *LogError) Error() string {
	return fmt.Sprintf("%v at line %d (record %d): %s", ErrLogBroken, e.Line, e.Seq, e.Detail)
}

func (e *LogError) Unwrap() error { return ErrLogBroken }

// LogSummary describes a verified log.
type LogSummary struct {
	Records   int     `json:"records"`
	Decisions int     `json:"decisions"`
	Reviews   int     `json:"reviews"`
	Head      LogHead `json:"head"`
}

// VerifyLog reads a whole decision log and checks it: every line a
// canonical record, Seq 1, 2, 3, ..., each Prev the Hash before it, each
// Hash that of its content, each review after the decision it reviews. It
// returns a *LogError (ErrLogBroken) naming the first bad record: an edited
// record fails its own hash; a removed, inserted or reordered one breaks the
// sequence or the chain where it happened. Cutting records off the end
// leaves a valid shorter chain: compare Head with one kept elsewhere.
func VerifyLog(r io.Reader) (LogSummary, error) {
	_, sum, err := readLog(r, false)
	return sum, err
}

// ReadLog is VerifyLog that also returns the entries.
func ReadLog(r io.Reader) ([]LogEntry, LogSummary, error) {
	return readLog(r, true)
}

func readLog(r io.Reader, keep bool) ([]LogEntry, LogSummary, error) {
	br := bufio.NewReader(r)
	var sum LogSummary
	var out []LogEntry
	decisions := map[int64]bool{}
	for line := 1; ; line++ {
		b, err := br.ReadBytes('\n')
		if len(b) == 0 && err == io.EOF {
			return out, sum, nil
		}
		if err != nil && err != io.EOF {
			return out, sum, err
		}
		want := sum.Head.Seq + 1
		bad := func(format string, args ...any) error {
			return &LogError{Line: line, Seq: want, Detail: fmt.Sprintf(format, args...)}
		}
		if err == io.EOF {
			return out, sum, bad("last line is incomplete (no newline)")
		}
		b = b[:len(b)-1]
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.DisallowUnknownFields()
		var e LogEntry
		if err := dec.Decode(&e); err != nil {
			return out, sum, bad("not a log record: %v", err)
		}
		if dec.More() {
			return out, sum, bad("data after the record")
		}
		if e.Seq != want {
			return out, sum, bad("sequence number is %d, want %d (a record was removed, inserted or moved)", e.Seq, want)
		}
		if e.Prev != sum.Head.Hash {
			return out, sum, bad("previous-hash link does not match the record before it")
		}
		h, err := entryHash(e)
		if err != nil {
			return out, sum, bad("%v", err)
		}
		if e.Hash != h {
			return out, sum, bad("hash does not match the content (the record was edited)")
		}
		if c, err := canonicalEntry(e, true); err != nil || !bytes.Equal(c, b) {
			return out, sum, bad("record is not in canonical form (the line was edited)")
		}
		switch {
		case e.Kind == EntryDecision && e.Decision != nil && e.Review == nil:
			decisions[e.Seq] = true
			sum.Decisions++
		case e.Kind == EntryReview && e.Review != nil && e.Decision == nil:
			if !decisions[e.Review.Decision] {
				return out, sum, bad("review of decision %d, which is not earlier in the log", e.Review.Decision)
			}
			sum.Reviews++
		default:
			return out, sum, bad("record kind %q does not match its content", e.Kind)
		}
		sum.Records++
		sum.Head = LogHead{Seq: e.Seq, Hash: e.Hash}
		if keep {
			out = append(out, e)
		}
	}
}

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
	type state struct {
		idx    int
		review *ReviewEntry
	}
	seen := map[int64]*state{}
	var order []int64
	for i := range entries {
		e := &entries[i]
		switch e.Kind {
		case EntryDecision:
			if e.Decision != nil {
				seen[e.Seq] = &state{idx: i}
				order = append(order, e.Seq)
			}
		case EntryReview:
			if e.Review != nil {
				if s, ok := seen[e.Review.Decision]; ok {
					s.review = e.Review
				}
			}
		}
	}
	var rep OverrideReport
	groups := map[string]*OverrideStats{}
	var names []string
	for _, seq := range order {
		s := seen[seq]
		e := &entries[s.idx]
		targets := []*OverrideStats{&rep.Overall}
		if group != nil {
			if g := group(e); g != "" {
				gs, ok := groups[g]
				if !ok {
					gs = &OverrideStats{Group: g}
					groups[g] = gs
					names = append(names, g)
				}
				targets = append(targets, gs)
			}
		}
		for _, t := range targets {
			t.Decisions++
			if e.Decision.Outcome == Refer {
				t.Referred++
			}
			if s.review == nil {
				continue
			}
			t.Reviewed++
			if s.review.Outcome != e.Decision.ModelOutcome {
				t.Overridden++
				if s.review.Outcome == Approve {
					t.ToApprove++
				} else {
					t.ToDecline++
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
