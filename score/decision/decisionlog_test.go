package decision_test

import (
	"bytes"
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
	l, err := decision.NewLog(&buf, testKey, decision.LogHead{}, nil)
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
	entries, sum, err := decision.ReadLog(bytes.NewReader(text))
	require.NoError(t, err)
	require.Equal(t, 5, sum.Records)
	require.Equal(t, 4, sum.Decisions)
	require.Equal(t, 1, sum.Reviews)
	require.Equal(t, int64(5), sum.Head.Seq)
	require.Equal(t, entries[4].Hash, sum.Head.Hash)
	prev := ""
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

func TestVerifyLogCatchesTampering(t *testing.T) {
	text := writeLog(t)
	lines := bytes.SplitAfter(text, []byte("\n"))
	lines = lines[:len(lines)-1] // the empty tail after the last newline
	require.Len(t, lines, 5)
	join := func(ls ...[]byte) []byte { return bytes.Join(ls, nil) }
	nl := func(b []byte) []byte { return append(b, '\n') }
	cases := []struct {
		name   string
		log    []byte
		line   int
		detail string
	}{
		{"edited outcome", join(lines[0], bytes.Replace(lines[1], []byte(`"outcome":"refer"`), []byte(`"outcome":"approve"`), 1), lines[2], lines[3], lines[4]),
			2, "hash does not match"},
		{"edited probability", join(lines[0], lines[1], lines[2], bytes.Replace(lines[3], []byte(`"probability":0.`), []byte(`"probability":0.9`), 1), lines[4]),
			4, "hash does not match"},
		{"edited and re-hashed", join(lines[0], nl(rehash(t, bytes.TrimSpace(lines[1]), func(e *decision.LogEntry) { e.Decision.Outcome = decision.Approve })), lines[2], lines[3], lines[4]),
			3, "previous-hash link"},
		{"deleted record", join(lines[0], lines[2], lines[3], lines[4]), 2, "sequence number is 3, want 2"},
		{"deleted first record", join(lines[1], lines[2], lines[3], lines[4]), 1, "sequence number is 2, want 1"},
		{"swapped records", join(lines[0], lines[2], lines[1], lines[3], lines[4]), 2, "sequence number is 3, want 2"},
		{"duplicated record", join(lines[0], lines[1], lines[1], lines[2]), 3, "sequence number is 2, want 3"},
		{"deleted and renumbered", join(lines[0], nl(rehash(t, bytes.TrimSpace(lines[2]), func(e *decision.LogEntry) { e.Seq = 2 })), lines[3]),
			2, "previous-hash link"},
		{"extra space", join(lines[0], bytes.Replace(lines[1], []byte(`,"kind"`), []byte(`, "kind"`), 1), lines[2]),
			2, "canonical form"},
		{"added field", join(lines[0], bytes.Replace(lines[1], []byte(`{"seq"`), []byte(`{"x":1,"seq"`), 1)), 2, "not a log record"},
		{"duplicate key", join(lines[0], bytes.Replace(lines[1], []byte(`"prev"`), []byte(`"kind":"review","prev"`), 1)), 2, ""},
		{"garbage line", join(lines[0], []byte("hello\n"), lines[1]), 2, "not a log record"},
		{"blank line", join(lines[0], []byte("\n"), lines[1]), 2, "not a log record"},
		{"cut mid-line", join(lines[0], lines[1][:40]), 2, "incomplete"},
		{"no final newline", join(lines[0], bytes.TrimSuffix(lines[1], []byte("\n"))), 2, "incomplete"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := decision.VerifyLog(bytes.NewReader(c.log))
			require.ErrorIs(t, err, decision.ErrLogBroken)
			var le *decision.LogError
			require.ErrorAs(t, err, &le)
			require.Equal(t, c.line, le.Line, err.Error())
			require.Contains(t, le.Detail, c.detail)
			require.Contains(t, err.Error(), fmt.Sprintf("line %d", c.line))
		})
	}
	// Records cut off the end leave a valid, shorter chain: the head shows it.
	sum, err := decision.VerifyLog(bytes.NewReader(join(lines[0], lines[1], lines[2])))
	require.NoError(t, err)
	full, err := decision.VerifyLog(bytes.NewReader(text))
	require.NoError(t, err)
	require.Equal(t, int64(3), sum.Head.Seq)
	require.NotEqual(t, full.Head, sum.Head)
	// An empty log is intact.
	sum, err = decision.VerifyLog(strings.NewReader(""))
	require.NoError(t, err)
	require.Equal(t, decision.LogSummary{}, sum)
}

func TestOpenDecisionLog(t *testing.T) {
	m := datasets.MustModel(datasets.ConsentSample)
	path := filepath.Join(t.TempDir(), "decisions.jsonl")
	pol := &decision.Policy{Version: "p1", Purpose: "credit"}
	appendOne := func(l *decision.Log, at time.Time) decision.LogEntry {
		d, err := pol.Decide(m, cust(6, "a", 2), nil, nil)
		require.NoError(t, err)
		e, err := l.AppendDecision(decision.Input{Time: at, Model: m, Record: cust(6, "a", 2), Decision: &d})
		require.NoError(t, err)
		return e
	}
	l, err := decision.OpenLog(path, testKey)
	require.NoError(t, err)
	first := appendOne(l, t0)
	require.NoError(t, l.Close())
	// Reopened, the chain goes on and reviews of earlier decisions work.
	l, err = decision.OpenLog(path, testKey)
	require.NoError(t, err)
	require.Equal(t, decision.LogHead{Seq: 1, Hash: first.Hash}, l.Head())
	second := appendOne(l, t0.Add(time.Second))
	require.NoError(t, l.Sync())
	require.Equal(t, int64(2), second.Seq)
	require.Equal(t, first.Hash, second.Prev)
	_, err = l.AppendReview(t0.Add(time.Minute), 1, "r1", decision.Decline, "")
	require.NoError(t, err)
	require.NoError(t, l.Close())
	fh, err := os.Open(path)
	require.NoError(t, err)
	sum, err := decision.VerifyLog(fh)
	fh.Close()
	require.NoError(t, err)
	require.Equal(t, 3, sum.Records)
	info, err := os.Stat(path)
	require.NoError(t, err)
	require.Equal(t, os.FileMode(0o600), info.Mode().Perm())

	// A broken log is refused rather than appended to.
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(path, bytes.Replace(b, []byte(`"reviewer":"r1"`), []byte(`"reviewer":"r2"`), 1), 0o600))
	_, err = decision.OpenLog(path, testKey)
	require.ErrorIs(t, err, decision.ErrLogBroken)
	_, err = decision.OpenLog(path, []byte("short"))
	require.ErrorIs(t, err, decision.ErrDigestKey)
}

func TestDecisionLogErrors(t *testing.T) {
	m := datasets.MustModel(datasets.ConsentSample)
	var buf bytes.Buffer
	l, err := decision.NewLog(&buf, testKey, decision.LogHead{}, nil)
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
	_, err = decision.NewLog(&buf, []byte("short"), decision.LogHead{}, nil)
	require.ErrorIs(t, err, decision.ErrDigestKey)
	// Failed appends wrote nothing: the log still verifies.
	_, err = decision.VerifyLog(bytes.NewReader(buf.Bytes()))
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
	l, err := decision.NewLog(&buf, testKey, decision.LogHead{}, nil)
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
	sum, err := decision.VerifyLog(bytes.NewReader(buf.b.Bytes()))
	require.NoError(t, err)
	require.Equal(t, 800, sum.Records)
	require.Equal(t, 400, sum.Reviews)
}

func TestOverrides(t *testing.T) {
	m := datasets.MustModel(datasets.ConsentSample)
	refs := decisionRefs(t)
	var buf bytes.Buffer
	l, err := decision.NewLog(&buf, testKey, decision.LogHead{}, nil)
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
	entries, _, err := decision.ReadLog(bytes.NewReader(buf.Bytes()))
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
	l, err := decision.NewLog(&buf, testKey, decision.LogHead{}, nil)
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
	// The digest key is a secret of the deployment, kept apart from the log.
	l, err := decision.NewLog(&log, []byte("deployment-secret-key-0001"), decision.LogHead{}, nil)
	if err != nil {
		panic(err)
	}
	rec := score.Record{score.Num(2.2), score.Cat("a"), score.Num(0), score.Missing()}
	d, _ := pol.Decide(m, rec, score.Consents{{Purpose: "credit"}}, nil)
	at := time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC) // passed in, never read inside
	e, _ := l.AppendDecision(decision.Input{Time: at, Model: m, Record: rec, Decision: &d, Ref: "app-17"})
	_, _ = l.AppendReview(at.Add(time.Hour), e.Seq, "analyst-3", decision.Approve, "")
	sum, err := decision.VerifyLog(&log)
	fmt.Println(e.Decision.Outcome, sum.Records, sum.Decisions, sum.Reviews, err)
	// Output:
	// refer 2 1 1 <nil>
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
		_, err := decision.VerifyLog(bytes.NewReader(mut))
		require.ErrorIs(t, err, decision.ErrLogBroken, "byte %d changed to %q", i, b)
		_, _ = decision.VerifyLog(bytes.NewReader(mut[:i]))
	})
}

func ExampleOverrides() {
	m := datasets.MustModel(datasets.ConsentSample)
	var buf bytes.Buffer
	l, _ := decision.NewLog(&buf, []byte("deployment-secret-key-0001"), decision.LogHead{}, nil)
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
	entries, _, err := decision.ReadLog(&buf)
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
	var buf bytes.Buffer
	l, _ := decision.NewLog(&buf, []byte("deployment-secret-key-0001"), decision.LogHead{}, nil)
	pol := &decision.Policy{Version: "p1", Purpose: "credit"}
	at := time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)
	for i := range 3 {
		rec := score.Record{score.Num(float64(2 + 3*i)), score.Cat("a"), score.Num(1), score.Missing()}
		d, _ := pol.Decide(m, rec, nil, nil)
		_, _ = l.AppendDecision(decision.Input{Time: at, Model: m, Record: rec, Decision: &d})
	}
	good := buf.String()
	sum, err := decision.VerifyLog(strings.NewReader(good))
	fmt.Println(sum.Records, err)
	// Someone turns the first decline into an approval.
	bad := strings.Replace(good, `"outcome":"decline"`, `"outcome":"approve"`, 1)
	_, err = decision.VerifyLog(strings.NewReader(bad))
	fmt.Println(err)
	// Output:
	// 3 <nil>
	// decision log is broken at line 1 (record 1): hash does not match the content (the record was edited)
}
