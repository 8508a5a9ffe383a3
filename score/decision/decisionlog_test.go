package decision_test

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/examples/datasets"
	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/decision"
)

var testKey = []byte("0123456789abcdef-test-key")

// decisionRefs are the values of testdata/decision_refs.json, produced by
// testdata/decision_refs.py (Python hmac; statsmodels proportion_confint).
func decisionRefs(t *testing.T) map[string]json.RawMessage {
	t.Helper()
	b, err := os.ReadFile("testdata/decision_refs.json")
	require.NoError(t, err)
	var m map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(b, &m))
	return m
}

func TestInputDigest(t *testing.T) {
	m := datasets.MustModel(datasets.ConsentSample)
	refs := decisionRefs(t)
	var want1, want2 string
	require.NoError(t, json.Unmarshal(refs["digest_cust_6_a_2"], &want1))
	require.NoError(t, json.Unmarshal(refs["digest_missing_phone"], &want2))
	got, err := decision.InputDigest(testKey, m.Schema(), cust(6, "a", 2))
	require.NoError(t, err)
	require.Equal(t, want1, got)
	got, err = decision.InputDigest(testKey, m.Schema(), score.Record{score.Num(6.5), score.Cat("a"), score.Missing(), score.Cat("30-39")})
	require.NoError(t, err)
	require.Equal(t, want2, got)

	other, err := decision.InputDigest([]byte("another key of 16+ bytes"), m.Schema(), cust(6, "a", 2))
	require.NoError(t, err)
	require.NotEqual(t, want1, other)
	changed, err := decision.InputDigest(testKey, m.Schema(), cust(6, "a", 3))
	require.NoError(t, err)
	require.NotEqual(t, want1, changed)

	_, err = decision.InputDigest([]byte("short"), m.Schema(), cust(6, "a", 2))
	require.ErrorIs(t, err, decision.ErrDigestKey)
	_, err = decision.InputDigest(testKey, m.Schema(), score.Record{score.Num(1)})
	require.ErrorIs(t, err, score.ErrSchema)
	require.Len(t, decision.DigestKeyID(testKey), 16)
	require.NotEqual(t, decision.DigestKeyID(testKey), decision.DigestKeyID([]byte("another key of 16+ bytes")))
}

var t0 = time.Date(2026, 11, 29, 9, 30, 0, 0, time.UTC)

// writeLog writes decisions for four customers and one review, returning
// the log text.
func writeLog(t testing.TB) []byte {
	t.Helper()
	m := datasets.MustModel(datasets.ConsentSample)
	pol := &decision.Policy{Version: "p1", Purpose: "credit", ReviewBand: 0.05}
	var buf bytes.Buffer
	l, err := decision.NewLog(&buf, testOpts())
	require.NoError(t, err)
	for i, rec := range []score.Record{cust(6, "a", 2), cust(2.2, "a", 0), cust(1, "b", 10), cust(12.3456, "zz", 2)} {
		d, err := pol.Decide(m, rec, score.Consents{{Purpose: "credit"}}, nil)
		require.NoError(t, err)
		_, err = l.AppendDecision(decision.Input{Time: t0.Add(time.Duration(i) * time.Minute), Model: m, Record: rec,
			Decision: &d, Ref: fmt.Sprintf("app-%d", i+1)})
		require.NoError(t, err)
	}
	_, err = l.AppendReview(t0.Add(time.Hour), 2, "reviewer-7", decision.Approve, "checked payslips")
	require.NoError(t, err)
	return buf.Bytes()
}

func TestDecisionLogRecords(t *testing.T) {
	m := datasets.MustModel(datasets.ConsentSample)
	text := writeLog(t)
	entries, sum, err := decision.ReadLog(bytes.NewReader(text), testVerify)
	require.NoError(t, err)
	require.Equal(t, 5, sum.Records)
	require.Equal(t, 4, sum.Decisions)
	require.Equal(t, 1, sum.Reviews)
	require.Equal(t, int64(5), sum.Head.Seq)
	require.Equal(t, entries[4].Hash, sum.Head.Hash)
	require.True(t, sum.Authenticated)
	require.Equal(t, decision.LogFormat, sum.Format)
	require.Equal(t, score.KeyID(testPub), sum.KeyID)
	require.Equal(t, strings.Repeat("07", 16), sum.LogID)
	require.Equal(t, 6, sum.Checkpoints, "one for the header and one per record")
	require.Equal(t, sum.Head, sum.Signed)
	require.Equal(t, int64(len(text)), sum.SignedBytes)
	// Line 1 is the header, record 0; its hash starts the chain.
	var header decision.LogEntry
	require.NoError(t, json.Unmarshal(bytes.SplitN(text, []byte("\n"), 2)[0], &header))
	require.Equal(t, decision.EntryHeader, header.Kind)
	require.Equal(t, &decision.LogHeader{Format: decision.LogFormat, LogID: sum.LogID, KeyID: sum.KeyID}, header.Header)
	prev := header.Hash
	for i, e := range entries {
		require.Equal(t, int64(i+1), e.Seq)
		require.Equal(t, prev, e.Prev)
		require.True(t, strings.HasPrefix(e.Hash, "sha256:"))
		prev = e.Hash
	}
	d := entries[0].Decision
	require.Equal(t, decision.EntryDecision, entries[0].Kind)
	require.Equal(t, t0, entries[0].Time)
	require.Equal(t, "consent-test", d.Model)
	require.Equal(t, "3", d.ModelVersion)
	require.Equal(t, m.Fingerprint(), d.ModelFingerprint)
	require.Equal(t, "p1", d.PolicyVersion)
	require.Equal(t, "credit", d.Purpose)
	require.Equal(t, "app-1", d.Ref)
	want, err := decision.InputDigest(testKey, m.Schema(), cust(6, "a", 2))
	require.NoError(t, err)
	require.Equal(t, want, d.InputDigest)
	require.Equal(t, decision.DigestKeyID(testKey), d.DigestKeyID)
	// The published score (income 6, sensitive, at its band's midpoint
	// 6.625): 1 - 3.3125 + 0.6; the exact one is -1.4.
	require.InDelta(t, -1.7125, d.Score, 1e-12)
	require.Equal(t, decision.Approve, d.Outcome)
	// Every contribution of customer 1 is favourable (income 6 is -0.5 from
	// its baseline -2.5, region a -0.203, phone usage 2 is -0.6): no reasons.
	require.Empty(t, d.Reasons)
	// Customer 3 (income 1, region b, phone usage 10): contributions by hand
	// -0.5 - (-2.5) = 2, 3 - 1.2 = 1.8 and 0.4 - 0.203, all adverse; income
	// is logged at its band (effect -1.0625): -1.0625 + 2.5 = 1.4375.
	checkReasons(t, []decision.LoggedReason{{Code: "phone_usage", Feature: "phone_usage", Effect: 1.8},
		{Code: "income", Feature: "income", Effect: 1.4375}, {Code: "region", Feature: "region", Effect: 0.4 - 0.203}},
		entries[2].Decision.Reasons)

	require.Equal(t, decision.Refer, entries[1].Decision.Outcome)
	require.Equal(t, decision.ReferBand, entries[1].Decision.Referrals[0].Code)
	r := entries[4]
	require.Equal(t, decision.EntryReview, r.Kind)
	require.Equal(t, &decision.ReviewEntry{Decision: 2, Reviewer: "reviewer-7", Outcome: decision.Approve, Note: "checked payslips"}, r.Review)

	// No raw customer value is in the log: the sensitive income, the
	// protected age band, the unseen region label.
	for _, raw := range []string{"12.3456", "30-39", `"zz"`} {
		require.NotContains(t, string(text), raw)
	}
}

// rehash recomputes an edited record's own hash, as a forger would, using
// the documented canonical form.
func rehash(t *testing.T, line []byte, edit func(e *decision.LogEntry)) []byte {
	t.Helper()
	var e decision.LogEntry
	require.NoError(t, json.Unmarshal(line, &e))
	edit(&e)
	enc := func() []byte {
		var b bytes.Buffer
		en := json.NewEncoder(&b)
		en.SetEscapeHTML(false)
		require.NoError(t, en.Encode(&e))
		return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
	}
	e.Hash = ""
	sum := sha256.Sum256(enc())
	e.Hash = "sha256:" + hex.EncodeToString(sum[:])
	return enc()
}

// logLines splits a log into its lines, each with its newline. In
// writeLog's log, line index 0 is the header, 1 its checkpoint, 2k record
// k and 2k+1 its checkpoint.
func logLines(text []byte) [][]byte {
	ls := bytes.SplitAfter(text, []byte("\n"))
	return ls[:len(ls)-1] // the empty tail after the last newline
}

func TestVerifyLogCatchesTampering(t *testing.T) {
	text := writeLog(t)
	L := logLines(text)
	require.Len(t, L, 12)
	rec := func(k int) []byte { return L[2*k] }
	cp := func(k int) []byte { return L[2*k+1] }
	join := func(ls ...[]byte) []byte { return bytes.Join(ls, nil) }
	nl := func(b []byte) []byte { return append(b, '\n') }
	head := join(L[0], L[1])                                                                  // header and its checkpoint
	other := writeLogWith(t, decision.LogOptions{SigningKey: testSigner, DigestKey: testKey}) // same key, another log id
	// A checkpoint with another record's signature.
	var c1, c2 map[string]decision.Checkpoint
	require.NoError(t, json.Unmarshal(cp(1), &c1))
	require.NoError(t, json.Unmarshal(cp(2), &c2))
	c := c2["checkpoint"]
	c.Sig = c1["checkpoint"].Sig
	swappedSig, err := json.Marshal(map[string]decision.Checkpoint{"checkpoint": c})
	require.NoError(t, err)
	cases := []struct {
		name   string
		log    []byte
		line   int
		detail string
	}{
		{"edited outcome", join(head, rec(1), cp(1), bytes.Replace(rec(2), []byte(`"outcome":"refer"`), []byte(`"outcome":"approve"`), 1), cp(2)),
			5, "hash does not match"},
		{"edited probability", join(head, rec(1), cp(1), rec(2), cp(2), rec(3), cp(3), bytes.Replace(rec(4), []byte(`"probability":0.`), []byte(`"probability":0.9`), 1), cp(4)),
			9, "hash does not match"},
		{"edited and re-hashed", join(head, rec(1), cp(1), nl(rehash(t, bytes.TrimSpace(rec(2)), func(e *decision.LogEntry) { e.Decision.Outcome = decision.Approve })), cp(2)),
			6, "signs another hash"},
		{"deleted record", join(head, rec(1), cp(1), rec(3), cp(3)), 5, "sequence number is 3, want 2"},
		{"deleted first record", join(head, rec(2), cp(2)), 3, "sequence number is 2, want 1"},
		{"swapped records", join(head, rec(1), cp(1), rec(3), cp(3), rec(2), cp(2)), 5, "sequence number is 3, want 2"},
		{"duplicated record", join(head, rec(1), cp(1), rec(2), cp(2), rec(2), cp(2)), 7, "sequence number is 2, want 3"},
		{"deleted and renumbered", join(head, rec(1), cp(1), nl(rehash(t, bytes.TrimSpace(rec(3)), func(e *decision.LogEntry) { e.Seq = 2 }))),
			5, "previous-hash link"},
		{"extra space", join(head, rec(1), cp(1), bytes.Replace(rec(2), []byte(`,"kind"`), []byte(`, "kind"`), 1)), 5, "canonical form"},
		{"added field", join(head, rec(1), cp(1), bytes.Replace(rec(2), []byte(`{"seq"`), []byte(`{"x":1,"seq"`), 1)), 5, "not a log record"},
		{"duplicate key", join(head, rec(1), cp(1), bytes.Replace(rec(2), []byte(`"prev"`), []byte(`"kind":"review","prev"`), 1)), 5, ""},
		{"garbage line", join(head, rec(1), cp(1), []byte("hello\n"), rec(2)), 5, "not a log record"},
		{"blank line", join(head, rec(1), cp(1), []byte("\n"), rec(2)), 5, "not a log record"},
		{"cut mid-line", join(head, rec(1), cp(1), rec(2)[:40]), 5, "incomplete"},
		{"no final newline", join(head, rec(1), cp(1), rec(2), bytes.TrimSuffix(cp(2), []byte("\n"))), 6, "incomplete"},
		{"checkpoint missing at the end", join(head, rec(1), cp(1), rec(2)), 5, "1 record(s) after the last checkpoint (record 1) are not signed"},
		{"all checkpoints removed", join(L[0], rec(1), rec(2), rec(3)), 2, "3 record(s) after the last checkpoint (record 0) are not signed"},
		{"checkpoint of a removed record", join(head, rec(1), cp(1), cp(2)), 5, "checkpoint of record 2, but the log holds records up to 1"},
		{"checkpoint moved", join(head, rec(1), rec(2), cp(1), cp(2)), 5, "checkpoint of record 1 after record 2"},
		{"signature of another record", join(head, rec(1), cp(1), rec(2), nl(swappedSig)), 6, "is not signed by"},
		{"checkpoint of another log by the same key", join(head, rec(1), logLines(other)[3]), 4, "signs another hash"},
		{"edited checkpoint", join(head, rec(1), bytes.Replace(cp(1), []byte(`"seq":1`), []byte(`"seq":1 `), 1)), 4, "canonical"},
		{"header missing", join(rec(1), cp(1)), 1, "not a log header"},
		{"header edited", join(bytes.Replace(L[0], []byte(`"log_id":"0`), []byte(`"log_id":"1`), 1), L[1]), 1, "header hash does not match"},
		{"second header", join(head, L[0]), 3, "sequence number is 0, want 1"},
		{"long line", join(head, bytes.Repeat([]byte("x"), decision.DefaultMaxRecordBytes+10)), 3, "longer than"},
		{"empty", nil, 1, "empty"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := decision.VerifyLog(bytes.NewReader(c.log), testVerify)
			require.ErrorIs(t, err, decision.ErrLogBroken)
			var le *decision.LogError
			require.ErrorAs(t, err, &le)
			require.Equal(t, c.line, le.Line, err.Error())
			require.Contains(t, le.Detail, c.detail)
			require.Contains(t, err.Error(), fmt.Sprintf("line %d", c.line))
			// The offset is where that line starts.
			lines := bytes.SplitAfter(c.log, []byte("\n"))
			off := 0
			for _, l := range lines[:c.line-1] {
				off += len(l)
			}
			require.Equal(t, int64(off), le.Offset)
		})
	}
	// The log is signed by one key: any other is refused on the header.
	_, err = decision.VerifyLog(bytes.NewReader(text), decision.VerifyOptions{PublicKey: otherPub})
	var le *decision.LogError
	require.ErrorAs(t, err, &le)
	require.Equal(t, 1, le.Line)
	require.Contains(t, le.Detail, "written with key "+score.KeyID(testPub))
	_, err = decision.VerifyLog(bytes.NewReader(text), decision.VerifyOptions{})
	require.ErrorIs(t, err, decision.ErrVerifyKey)

	// Records cut off the end at a checkpoint leave a shorter log that
	// verifies: only a head published elsewhere shows the cut.
	sum, err := decision.VerifyLog(bytes.NewReader(join(head, rec(1), cp(1), rec(2), cp(2))), testVerify)
	require.NoError(t, err)
	full, err := decision.VerifyLog(bytes.NewReader(text), testVerify)
	require.NoError(t, err)
	require.Equal(t, int64(2), sum.Head.Seq)
	require.True(t, sum.Authenticated)
	require.NotEqual(t, full.Head, sum.Head)
	_, err = decision.VerifyLog(bytes.NewReader(join(head, rec(1), cp(1), rec(2), cp(2))), decision.VerifyOptions{PublicKey: testPub, Head: full.Head})
	var he *decision.HeadError
	require.ErrorAs(t, err, &he)
	require.True(t, he.Cut)
	require.Equal(t, int64(2), he.End.Seq)
	// A log with only its header verifies.
	sum, err = decision.VerifyLog(bytes.NewReader(head), testVerify)
	require.NoError(t, err)
	require.Equal(t, 0, sum.Records)
	require.True(t, sum.Authenticated)
}

// writeLogWith is writeLog with other options.
func writeLogWith(t testing.TB, opts decision.LogOptions) []byte {
	t.Helper()
	m := datasets.MustModel(datasets.ConsentSample)
	var buf bytes.Buffer
	l, err := decision.NewLog(&buf, opts)
	require.NoError(t, err)
	for i := range 3 {
		d, err := (&decision.Policy{Version: "p1", Purpose: "credit"}).Decide(m, cust(float64(2+i), "a", 1), nil, nil)
		require.NoError(t, err)
		_, err = l.AppendDecision(decision.Input{Time: t0, Model: m, Record: cust(float64(2+i), "a", 1), Decision: &d})
		require.NoError(t, err)
	}
	require.NoError(t, l.Close())
	return buf.Bytes()
}

// legacyLog is a log of the format before checkpoints, written by candor
// before it signed its logs (testdata/legacy.jsonl).
func legacyLog(t *testing.T) []byte {
	b, err := os.ReadFile("testdata/legacy.jsonl")
	require.NoError(t, err)
	return b
}

func TestLegacyLog(t *testing.T) {
	old := legacyLog(t)
	_, err := decision.VerifyLog(bytes.NewReader(old), testVerify)
	require.ErrorIs(t, err, decision.ErrLegacyLog)
	require.NotErrorIs(t, err, decision.ErrLogBroken)
	// Read as legacy: the chain holds, but nothing is authenticated.
	for _, opts := range []decision.VerifyOptions{{Legacy: true}, {Legacy: true, PublicKey: testPub}} {
		sum, err := decision.VerifyLog(bytes.NewReader(old), opts)
		require.NoError(t, err)
		require.Equal(t, "legacy", sum.Format)
		require.False(t, sum.Authenticated)
		require.Equal(t, 3, sum.Records)
	}
	// ... and an edit still breaks its chain.
	_, err = decision.VerifyLog(bytes.NewReader(bytes.Replace(old, []byte(`"outcome":"decline"`), []byte(`"outcome":"approve"`), 1)), decision.VerifyOptions{Legacy: true})
	require.ErrorIs(t, err, decision.ErrLogBroken)
	// Never appended to.
	path := filepath.Join(t.TempDir(), "old.jsonl")
	require.NoError(t, os.WriteFile(path, old, 0o600))
	_, err = decision.OpenLog(path, testOpts())
	require.ErrorIs(t, err, decision.ErrLegacyLog)
	after, err := os.ReadFile(path)
	require.NoError(t, err)
	require.Equal(t, old, after)
	// A signed log stripped of its checkpoints and made to look legacy is
	// refused as legacy, never taken for a signed one.
	var stripped bytes.Buffer
	prev := ""
	for i, l := range logLines(writeLog(t))[2:] {
		if i%2 == 1 {
			continue
		}
		var e decision.LogEntry
		require.NoError(t, json.Unmarshal(l, &e))
		e.Prev = prev
		line := rehash(t, bytes.TrimSpace(l), func(x *decision.LogEntry) { x.Prev = prev })
		require.NoError(t, json.Unmarshal(line, &e))
		prev = e.Hash
		stripped.Write(append(line, '\n'))
	}
	_, err = decision.VerifyLog(bytes.NewReader(stripped.Bytes()), testVerify)
	require.ErrorIs(t, err, decision.ErrLegacyLog)
}

// openTestLog opens path with the test options.
func openTestLog(t *testing.T, path string) *decision.Log {
	t.Helper()
	l, err := decision.OpenLog(path, testOpts())
	require.NoError(t, err)
	return l
}

func appendTest(t testing.TB, l *decision.Log, at time.Time, income float64) decision.LogEntry {
	t.Helper()
	m := datasets.MustModel(datasets.ConsentSample)
	d, err := (&decision.Policy{Version: "p1", Purpose: "credit"}).Decide(m, cust(income, "a", 2), nil, nil)
	require.NoError(t, err)
	e, err := l.AppendDecision(decision.Input{Time: at, Model: m, Record: cust(income, "a", 2), Decision: &d})
	require.NoError(t, err)
	return e
}

func verifyFile(t *testing.T, path string, opts decision.VerifyOptions) (decision.LogSummary, error) {
	t.Helper()
	fh, err := os.Open(path)
	require.NoError(t, err)
	defer fh.Close()
	return decision.VerifyLog(fh, opts)
}

func TestOpenDecisionLog(t *testing.T) {
	path := filepath.Join(t.TempDir(), "decisions.jsonl")
	l := openTestLog(t, path)
	first := appendTest(t, l, t0, 6)
	require.NoError(t, l.Close())
	require.NoError(t, l.Close(), "closing twice does nothing")
	_, err := l.AppendReview(t0, 1, "r", decision.Approve, "")
	require.ErrorIs(t, err, os.ErrClosed)
	// Reopened, the chain goes on and reviews of earlier decisions work.
	l = openTestLog(t, path)
	require.Equal(t, decision.LogHead{Seq: 1, Hash: first.Hash}, l.Head())
	second := appendTest(t, l, t0.Add(time.Second), 6)
	require.NoError(t, l.Sync())
	require.Equal(t, int64(2), second.Seq)
	require.Equal(t, first.Hash, second.Prev)
	_, err = l.AppendReview(t0.Add(time.Minute), 1, "r1", decision.Decline, "")
	require.NoError(t, err)
	_, err = l.AppendReview(t0.Add(time.Minute), 3, "r1", decision.Decline, "")
	require.ErrorIs(t, err, decision.ErrUnknownDecision, "record 3 is a review")
	_, err = l.AppendReview(t0.Add(time.Minute), 9, "r1", decision.Decline, "")
	require.ErrorIs(t, err, decision.ErrUnknownDecision)
	require.NoError(t, l.Close())
	sum, err := verifyFile(t, path, testVerify)
	require.NoError(t, err)
	require.Equal(t, 3, sum.Records)
	require.True(t, sum.Authenticated)
	info, err := os.Stat(path)
	require.NoError(t, err)
	require.Equal(t, os.FileMode(0o600), info.Mode().Perm())

	// Reviews find their decision in a long log by a search of the file.
	l = openTestLog(t, path)
	var seqs []int64
	for i := range 3000 {
		seqs = append(seqs, appendTest(t, l, t0, float64(1+i%9)).Seq)
		if i%7 == 0 {
			_, err := l.AppendReview(t0, seqs[i/2], "r", decision.Approve, "")
			require.NoError(t, err)
		}
	}
	require.NoError(t, l.Close())
	l = openTestLog(t, path)
	for _, s := range []int64{1, 2, seqs[0], seqs[1500], seqs[2999]} {
		_, err := l.AppendReview(t0, s, "r", decision.Approve, "")
		require.NoError(t, err, "decision %d", s)
	}
	_, err = l.AppendReview(t0, seqs[2999]+1, "r", decision.Approve, "")
	require.ErrorIs(t, err, decision.ErrUnknownDecision, "a review, not a decision")
	require.NoError(t, l.Close())
	_, err = verifyFile(t, path, testVerify)
	require.NoError(t, err)

	// Another writer key is refused, and so are bad keys.
	other := testOpts()
	other.SigningKey = ed25519.NewKeyFromSeed(bytes.Repeat([]byte{43}, 32))
	_, err = decision.OpenLog(path, other)
	require.ErrorIs(t, err, decision.ErrLogKey)
	short := testOpts()
	short.DigestKey = []byte("short")
	_, err = decision.OpenLog(path, short)
	require.ErrorIs(t, err, decision.ErrDigestKey)
	_, err = decision.OpenLog(path, decision.LogOptions{DigestKey: testKey})
	require.ErrorIs(t, err, decision.ErrSigningKey)
	_, err = decision.NewLog(&bytes.Buffer{}, decision.LogOptions{DigestKey: testKey})
	require.ErrorIs(t, err, decision.ErrSigningKey)

	// An empty file is a new log.
	empty := filepath.Join(t.TempDir(), "empty.jsonl")
	require.NoError(t, os.WriteFile(empty, nil, 0o600))
	l = openTestLog(t, empty)
	require.Equal(t, int64(0), l.Head().Seq)
	require.NoError(t, l.Close())
	_, err = verifyFile(t, empty, testVerify)
	require.NoError(t, err)
}

// TestOpenLogRefusesUnsafeTails: OpenLog never continues a log whose end it
// cannot vouch for, since its next checkpoint would sign what came before.
func TestOpenLogRefusesUnsafeTails(t *testing.T) {
	dir := t.TempDir()
	good := writeLog(t)
	L := logLines(good)
	forged := rehash(t, bytes.TrimSpace(L[10]), func(e *decision.LogEntry) { // record 5 again, as record 6
		e.Seq, e.Prev = 6, ""
	})
	var e5 decision.LogEntry
	require.NoError(t, json.Unmarshal(L[10], &e5))
	forged = rehash(t, forged, func(e *decision.LogEntry) { e.Prev = e5.Hash })
	cases := map[string][]byte{
		"torn last record":          append(bytes.Clone(good), L[2][:50]...),
		"garbage appended":          append(bytes.Clone(good), "\x00\x00garbage\n"...),
		"record without checkpoint": bytes.Join(L[:11], nil),
		"forged record appended":    append(bytes.Clone(good), append(forged, '\n')...),
		"old checkpoint replayed":   append(append(bytes.Clone(good), append(forged, '\n')...), L[11]...),
		"checkpoint without record": append(bytes.Join(L[:9], nil), L[11]...),
		"forged signature":          append(bytes.Join(L[:11], nil), bytes.Replace(L[11], []byte(`"sig":"`), []byte(`"sig":"AAAA`), 1)...),
	}
	for name, text := range cases {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(dir, strings.ReplaceAll(name, " ", "-")+".jsonl")
			require.NoError(t, os.WriteFile(path, text, 0o600))
			_, err := decision.OpenLog(path, testOpts())
			require.ErrorIs(t, err, decision.ErrLogBroken)
			require.Contains(t, err.Error(), "verify-log --repair")
			after, err := os.ReadFile(path)
			require.NoError(t, err)
			require.Equal(t, text, after, "nothing was written")
		})
	}
}

func TestRepairLog(t *testing.T) {
	dir := t.TempDir()
	good := writeLog(t)
	L := logLines(good)
	repairs := []struct {
		name           string
		text           []byte
		lines, records int
		torn           bool
		head           int64
	}{
		{"torn last record", append(bytes.Clone(good), L[4][:37]...), 1, 0, true, 5},
		{"torn checkpoint", append(append(bytes.Join(L[:10], nil), L[10]...), L[11][:20]...), 2, 1, true, 4},
		{"garbage appended", append(bytes.Clone(good), "\x00\x00\x00garbage\nmore"...), 2, 0, true, 5},
		{"records after the last checkpoint", bytes.Join(append(L[:8:8], L[8], L[10]), nil), 2, 2, false, 3},
		{"a record appended without the key", append(bytes.Clone(good), L[2]...), 1, 1, false, 5},
	}
	for _, c := range repairs {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(dir, strings.ReplaceAll(c.name, " ", "-")+".jsonl")
			require.NoError(t, os.WriteFile(path, c.text, 0o600))
			_, err := verifyFile(t, path, testVerify)
			require.ErrorIs(t, err, decision.ErrLogBroken)
			rep, err := decision.RepairLog(path, testVerify)
			require.NoError(t, err)
			require.True(t, rep.Removed)
			require.Equal(t, c.lines, rep.Lines)
			require.Equal(t, c.records, rep.Records)
			require.Equal(t, c.torn, rep.Torn)
			require.Equal(t, c.head, rep.Head.Seq)
			require.Equal(t, int64(len(c.text)), rep.Offset+rep.Bytes)
			require.NotEmpty(t, rep.Reason)
			after, err := os.ReadFile(path)
			require.NoError(t, err)
			require.Equal(t, c.text[:rep.Offset], after)
			require.Equal(t, good[:rep.Offset], after, "cut back to a prefix of the good log")
			saved, err := os.ReadFile(rep.SavedTo)
			require.NoError(t, err)
			require.Equal(t, c.text[rep.Offset:], saved, "the removed bytes are kept")
			sum, err := verifyFile(t, path, testVerify)
			require.NoError(t, err)
			require.Equal(t, c.head, sum.Head.Seq)
			// The repaired log takes appends again.
			l := openTestLog(t, path)
			appendTest(t, l, t0, 3)
			require.NoError(t, l.Close())
			_, err = verifyFile(t, path, testVerify)
			require.NoError(t, err)
			// Nothing left to repair.
			rep, err = decision.RepairLog(path, testVerify)
			require.NoError(t, err)
			require.False(t, rep.Removed)
		})
	}
	refusals := []struct {
		name, text, detail string
	}{
		// Damage followed by the writer's own checkpoints is inside the log.
		{"edited middle record", string(bytes.Replace(good, []byte(`"outcome":"refer"`), []byte(`"outcome":"approve"`), 1)), "checkpoint of record 2 signed by"},
		{"deleted middle record", string(bytes.Join(append(L[:4:4], L[6:]...), nil)), "checkpoint of record 3 signed by"},
		{"nothing signed", string(bytes.Join([][]byte{L[0], L[2]}, nil)), "no record of it is signed"},
	}
	for _, c := range refusals {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(dir, strings.ReplaceAll(c.name, " ", "-")+".jsonl")
			require.NoError(t, os.WriteFile(path, []byte(c.text), 0o600))
			_, err := decision.RepairLog(path, testVerify)
			require.ErrorIs(t, err, decision.ErrNotRepaired)
			require.Contains(t, err.Error(), c.detail)
			after, err := os.ReadFile(path)
			require.NoError(t, err)
			require.Equal(t, c.text, string(after), "nothing was removed")
		})
	}
	// A legacy log is not repaired; a log open for writing is not touched.
	path := filepath.Join(dir, "legacy.jsonl")
	require.NoError(t, os.WriteFile(path, legacyLog(t), 0o600))
	_, err := decision.RepairLog(path, testVerify)
	require.ErrorIs(t, err, decision.ErrLegacyLog)
	path = filepath.Join(dir, "open.jsonl")
	l := openTestLog(t, path)
	defer l.Close()
	_, err = decision.RepairLog(path, testVerify)
	require.ErrorIs(t, err, decision.ErrLogLocked)
}

func TestDecisionLogErrors(t *testing.T) {
	m := datasets.MustModel(datasets.ConsentSample)
	var buf bytes.Buffer
	l, err := decision.NewLog(&buf, testOpts())
	require.NoError(t, err)
	_, err = l.AppendReview(t0, 1, "r", decision.Approve, "")
	require.ErrorIs(t, err, decision.ErrUnknownDecision)
	d, err := (&decision.Policy{Version: "p", Purpose: "credit"}).Decide(m, cust(6, "a", 2), nil, nil)
	require.NoError(t, err)
	_, err = l.AppendDecision(decision.Input{Model: m, Record: cust(6, "a", 2), Decision: &d})
	require.ErrorIs(t, err, score.ErrMalformed, "time is required")
	_, err = l.AppendDecision(decision.Input{Time: t0, Record: cust(6, "a", 2), Decision: &d})
	require.ErrorIs(t, err, score.ErrModel)
	e, err := l.AppendDecision(decision.Input{Time: t0, Model: m, Record: cust(6, "a", 2), Decision: &d})
	require.NoError(t, err)
	_, err = l.AppendReview(t0, e.Seq, "r", decision.Refer, "")
	require.ErrorIs(t, err, score.ErrMalformed)
	_, err = l.AppendReview(t0, e.Seq, "", decision.Approve, "")
	require.ErrorIs(t, err, score.ErrMalformed)
	_, err = l.AppendReview(time.Time{}, e.Seq, "r", decision.Approve, "")
	require.ErrorIs(t, err, score.ErrMalformed)
	short := testOpts()
	short.DigestKey = []byte("short")
	_, err = decision.NewLog(&buf, short)
	require.ErrorIs(t, err, decision.ErrDigestKey)
	// Failed appends wrote nothing: the log still verifies.
	_, err = decision.VerifyLog(bytes.NewReader(buf.Bytes()), testVerify)
	require.NoError(t, err)
}

// syncBuffer is a bytes.Buffer safe for concurrent writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func TestDecisionLogConcurrent(t *testing.T) {
	m := datasets.MustModel(datasets.ConsentSample)
	pol := &decision.Policy{Version: "p", Purpose: "credit", ReviewBand: 0.05}
	var buf syncBuffer
	l, err := decision.NewLog(&buf, testOpts())
	require.NoError(t, err)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 50 {
				rec := cust(float64(1+(g+i)%10), "b", float64(i%10))
				d, err := pol.Decide(m, rec, nil, nil)
				if err != nil {
					t.Error(err)
					return
				}
				e, err := l.AppendDecision(decision.Input{Time: t0, Model: m, Record: rec, Decision: &d})
				if err != nil {
					t.Error(err)
					return
				}
				if _, err := l.AppendReview(t0, e.Seq, "r", decision.Decline, ""); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	sum, err := decision.VerifyLog(bytes.NewReader(buf.b.Bytes()), testVerify)
	require.NoError(t, err)
	require.Equal(t, 800, sum.Records)
	require.Equal(t, 400, sum.Reviews)
}

func TestOverrides(t *testing.T) {
	m := datasets.MustModel(datasets.ConsentSample)
	refs := decisionRefs(t)
	var buf bytes.Buffer
	l, err := decision.NewLog(&buf, testOpts())
	require.NoError(t, err)
	group := map[string]string{} // kept by the caller, apart from the log
	add := func(ref, g string, model, outcome decision.Outcome) int64 {
		d := decision.Decision{Outcome: outcome, ModelOutcome: model, PolicyVersion: "p",
			Score: score.ConsentResult{Result: m.Link(0.1)}}
		e, err := l.AppendDecision(decision.Input{Time: t0, Model: m, Record: cust(6, "a", 2), Decision: &d, Ref: ref})
		require.NoError(t, err)
		group[ref] = g
		return e.Seq
	}
	review := func(seq int64, o decision.Outcome) {
		_, err := l.AppendReview(t0, seq, "r", o, "")
		require.NoError(t, err)
	}
	// Group A: 3 reviewed, 1 overridden (model approve -> decline).
	review(add("a1", "A", decision.Approve, decision.Approve), decision.Decline)
	review(add("a2", "A", decision.Decline, decision.Refer), decision.Decline)
	review(add("a3", "A", decision.Approve, decision.Refer), decision.Approve)
	// Group B: 2 reviewed, both overridden to approve; b2's last review counts.
	review(add("b1", "B", decision.Decline, decision.Refer), decision.Approve)
	b2 := add("b2", "B", decision.Decline, decision.Refer)
	review(b2, decision.Decline)
	review(b2, decision.Approve)
	add("b3", "B", decision.Approve, decision.Approve) // not reviewed
	add("x1", "", decision.Approve, decision.Refer)    // no group, not reviewed
	entries, _, err := decision.ReadLog(bytes.NewReader(buf.Bytes()), testVerify)
	require.NoError(t, err)
	rep := decision.Overrides(entries, func(e *decision.LogEntry) string { return group[e.Decision.Ref] })

	wilson := func(key string) (lo, hi float64) {
		var v [2]float64
		require.NoError(t, json.Unmarshal(refs[key], &v))
		return v[0], v[1]
	}
	check := func(s decision.OverrideStats, name string, decisions, referred, reviewed, over, toA, toD int, key string) {
		t.Helper()
		require.Equal(t, name, s.Group)
		require.Equal(t, []int{decisions, referred, reviewed, over, toA, toD},
			[]int{s.Decisions, s.Referred, s.Reviewed, s.Overridden, s.ToApprove, s.ToDecline})
		require.InDelta(t, float64(over)/float64(reviewed), *s.Rate, 1e-12)
		lo, hi := wilson(key)
		require.InDelta(t, lo, *s.Low, 1e-9)
		require.InDelta(t, hi, *s.High, 1e-9)
	}
	check(rep.Overall, "", 7, 5, 5, 3, 2, 1, "wilson_3_5")
	require.Len(t, rep.Groups, 2)
	check(rep.Groups[0], "A", 3, 2, 3, 1, 0, 1, "wilson_1_3")
	check(rep.Groups[1], "B", 3, 2, 2, 2, 2, 0, "wilson_2_2")

	// Without reviews, rates are undefined (nil), not zero.
	none := decision.Overrides(entries[:1], nil)
	require.Nil(t, none.Overall.Rate)
	require.Equal(t, 1, none.Overall.Decisions)
	b, err := json.Marshal(none)
	require.NoError(t, err)
	require.Equal(t, `{"overall":{"decisions":1,"referred":0,"reviewed":0,"overridden":0,"to_approve":0,"to_decline":0}}`, string(b))
}

func BenchmarkAppendDecision(b *testing.B) {
	m := datasets.MustModel(datasets.ConsentSample)
	pol := &decision.Policy{Version: "p", Purpose: "credit"}
	d, err := pol.Decide(m, cust(6, "a", 2), nil, nil)
	require.NoError(b, err)
	var buf bytes.Buffer
	l, err := decision.NewLog(&buf, testOpts())
	require.NoError(b, err)
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if _, err := l.AppendDecision(decision.Input{Time: t0, Model: m, Record: cust(6, "a", 2), Decision: &d}); err != nil {
			b.Fatal(err)
		}
	}
}

func ExampleLog() {
	m := datasets.MustModel(datasets.ConsentSample)
	pol := &decision.Policy{Version: "2026-11", Purpose: "credit", ReviewBand: 0.05}
	var log bytes.Buffer
	// The writer's signing key (candor keygen makes one: PREFIX.key) and the
	// digest key are secrets of the deployment, kept apart from the log;
	// verifiers get the public key (PREFIX.pub).
	pub, writer, err := ed25519.GenerateKey(nil)
	if err != nil {
		panic(err)
	}
	l, err := decision.NewLog(&log, decision.LogOptions{SigningKey: writer, DigestKey: []byte("deployment-secret-key-0001")})
	if err != nil {
		panic(err)
	}
	rec := score.Record{score.Num(2.2), score.Cat("a"), score.Num(0), score.Missing()}
	d, _ := pol.Decide(m, rec, score.Consents{{Purpose: "credit"}}, nil)
	at := time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC) // passed in, never read inside
	e, _ := l.AppendDecision(decision.Input{Time: at, Model: m, Record: rec, Decision: &d, Ref: "app-17"})
	_, _ = l.AppendReview(at.Add(time.Hour), e.Seq, "analyst-3", decision.Approve, "")
	sum, err := decision.VerifyLog(&log, decision.VerifyOptions{PublicKey: pub})
	fmt.Println(e.Decision.Outcome, sum.Records, sum.Decisions, sum.Reviews, sum.Authenticated, err)
	// Output:
	// refer 2 1 1 true <nil>
}

// FuzzVerifyLog changes one byte of a valid log: every change must be
// caught (the verifier never accepts a log whose bytes differ from the
// written ones, short of cutting whole records off the end), and arbitrary
// input never panics.
func FuzzVerifyLog(f *testing.F) {
	f.Add(uint16(0), byte('x'))
	f.Add(uint16(100), byte('1'))
	f.Add(uint16(700), byte('\n'))
	var once sync.Once
	var valid []byte
	f.Fuzz(func(t *testing.T, pos uint16, b byte) {
		once.Do(func() { valid = writeLog(t) })
		if len(valid) == 0 {
			t.Skip("no log")
		}
		mut := bytes.Clone(valid)
		i := int(pos) % len(mut)
		if mut[i] == b {
			return
		}
		mut[i] = b
		_, err := decision.VerifyLog(bytes.NewReader(mut), testVerify)
		require.ErrorIs(t, err, decision.ErrLogBroken, "byte %d changed to %q", i, b)
		_, _ = decision.VerifyLog(bytes.NewReader(mut[:i]), testVerify)
	})
}

func ExampleOverrides() {
	m := datasets.MustModel(datasets.ConsentSample)
	var buf bytes.Buffer
	pub, writer, _ := ed25519.GenerateKey(nil)
	l, _ := decision.NewLog(&buf, decision.LogOptions{SigningKey: writer, DigestKey: []byte("deployment-secret-key-0001")})
	at := time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)
	// The group of each case is kept by the caller, never in the log.
	group := map[string]string{"app-1": "A", "app-2": "A", "app-3": "B"}
	for _, c := range []struct {
		ref      string
		model    decision.Outcome
		reviewed decision.Outcome
	}{{"app-1", decision.Approve, decision.Approve}, {"app-2", decision.Decline, decision.Approve}, {"app-3", decision.Decline, decision.Approve}} {
		d := decision.Decision{Outcome: decision.Refer, ModelOutcome: c.model, PolicyVersion: "p", Score: score.ConsentResult{Result: m.Link(0)}}
		e, _ := l.AppendDecision(decision.Input{Time: at, Model: m, Record: score.Record{score.Num(2), score.Cat("a"), score.Num(0), score.Missing()}, Decision: &d, Ref: c.ref})
		_, _ = l.AppendReview(at, e.Seq, "analyst", c.reviewed, "")
	}
	entries, _, err := decision.ReadLog(&buf, decision.VerifyOptions{PublicKey: pub})
	if err != nil {
		panic(err)
	}
	rep := decision.Overrides(entries, func(e *decision.LogEntry) string { return group[e.Decision.Ref] })
	for _, s := range append([]decision.OverrideStats{rep.Overall}, rep.Groups...) {
		fmt.Printf("%-3s reviewed %d overridden %d rate %.2f [%.2f, %.2f]\n", s.Group, s.Reviewed, s.Overridden, *s.Rate, *s.Low, *s.High)
	}
	// Output:
	//     reviewed 3 overridden 2 rate 0.67 [0.21, 0.94]
	// A   reviewed 2 overridden 1 rate 0.50 [0.09, 0.91]
	// B   reviewed 1 overridden 1 rate 1.00 [0.21, 1.00]
}

func ExampleVerifyLog() {
	m := datasets.MustModel(datasets.ConsentSample)
	pub, writer, _ := ed25519.GenerateKey(nil)
	var buf bytes.Buffer
	l, _ := decision.NewLog(&buf, decision.LogOptions{SigningKey: writer, DigestKey: []byte("deployment-secret-key-0001")})
	pol := &decision.Policy{Version: "p1", Purpose: "credit"}
	at := time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)
	for i := range 3 {
		rec := score.Record{score.Num(float64(2 + 3*i)), score.Cat("a"), score.Num(1), score.Missing()}
		d, _ := pol.Decide(m, rec, nil, nil)
		_, _ = l.AppendDecision(decision.Input{Time: at, Model: m, Record: rec, Decision: &d})
	}
	good := buf.String()
	opts := decision.VerifyOptions{PublicKey: pub}
	sum, err := decision.VerifyLog(strings.NewReader(good), opts)
	fmt.Println(sum.Records, sum.Authenticated, err)
	// Someone turns the first decline into an approval.
	bad := strings.Replace(good, `"outcome":"decline"`, `"outcome":"approve"`, 1)
	_, err = decision.VerifyLog(strings.NewReader(bad), opts)
	fmt.Println(err)
	// Someone cuts the last record off with its checkpoint: the shorter log
	// is one the writer once had, and only a head published before shows it.
	lines := strings.SplitAfter(good, "\n")
	cut := strings.Join(lines[:len(lines)-3], "")
	_, err = decision.VerifyLog(strings.NewReader(cut), opts)
	fmt.Println(err)
	opts.Head = sum.Head
	_, err = decision.VerifyLog(strings.NewReader(cut), opts)
	fmt.Println(err)
	// Output:
	// 3 true <nil>
	// decision log is broken at line 3 (record 1): hash does not match the content (the record was edited)
	// <nil>
	// decision log is broken: records after 2 were cut off: the log ends at record 2, the kept head is record 3
}
