package main

// The attacks of issue 14 on the decision log, re-run as a keyless forger
// would: someone who can write the log file but holds no key. Each forged
// log must be refused by verify-log, with the true head kept elsewhere and
// without it.

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/score/decision"
)

// logFixture is a decision log written by candor score, with the flags its
// writer and its verifier need.
type logFixture struct {
	dir, model, data, log string
	writer                []string // flags for score --decisions
	verifier              []string // flags for verify-log
}

// newLogFixture writes a log of n decisions.
func newLogFixture(t *testing.T, n int) *logFixture {
	t.Helper()
	dir := t.TempDir()
	model, data := germanFixture(t, dir, n)
	fx := &logFixture{dir: dir, model: model, data: data, log: filepath.Join(dir, "decisions.jsonl")}
	fx.writer, fx.verifier = logKeys(t, filepath.Join(t.TempDir(), "keys"))
	code, _, errText := runCLI(t, fx.scoreArgs("2026-11-29T10:00:00Z")...)
	require.Equal(t, 0, code, errText)
	return fx
}

func (fx *logFixture) scoreArgs(at string) []string {
	args := []string{"score", "--model", fx.model, "--data", fx.data, "--decisions", fx.log, "--time", at}
	return append(args, fx.writer...)
}

// verify runs verify-log (with --head head when head is not empty).
func (fx *logFixture) verify(t *testing.T, head string, extra ...string) (int, verifyReport, string) {
	t.Helper()
	args := append([]string{"verify-log"}, fx.verifier...)
	if head != "" {
		args = append(args, "--head", head)
	}
	args = append(append(args, extra...), fx.log)
	code, out, errText := runCLI(t, args...)
	var rep verifyReport
	if code == 0 {
		require.NoError(t, json.Unmarshal([]byte(out), &rep), out)
	}
	return code, rep, errText
}

// logKeys makes the keys of a log's writer in dir (apart from the log)
// with candor keygen and returns the flags of its writer and its verifier.
func logKeys(t *testing.T, dir string) (writer, verifier []string) {
	t.Helper()
	require.NoError(t, os.MkdirAll(dir, 0o700))
	digest, prefix := filepath.Join(dir, "digest.key"), filepath.Join(dir, "writer")
	code, _, errText := runCLI(t, "keygen", "--out", prefix, "--digest-key", digest)
	require.Equal(t, 0, code, errText)
	return []string{"--digest-key", digest, "--log-key", prefix + ".key"}, []string{"--key", prefix + ".pub"}
}

// forgedLine is one line of a log as a keyless forger handles it: a chained
// record (decoded by the documented format) or any other line, kept as is.
type forgedLine struct {
	entry *decision.LogEntry
	raw   []byte
}

func splitLog(t *testing.T, b []byte) []forgedLine {
	t.Helper()
	var out []forgedLine
	for _, l := range bytes.SplitAfter(b, []byte("\n")) {
		if len(l) == 0 {
			continue
		}
		fl := forgedLine{raw: l}
		var e decision.LogEntry
		if !bytes.HasPrefix(l, []byte(`{"checkpoint"`)) && json.Unmarshal(l, &e) == nil && e.Hash != "" {
			fl.entry = &e
		}
		out = append(out, fl)
	}
	return out
}

// rechain renumbers and re-hashes every record in order, by the documented
// canonical form (compact encoding/json of the record without its hash,
// SHA-256), as anyone can; other lines are kept or dropped.
func rechain(t *testing.T, ls []forgedLine, keepOther bool) []byte {
	t.Helper()
	var out bytes.Buffer
	prev, seq := "", int64(-1)
	for _, l := range ls {
		if l.entry == nil {
			if keepOther {
				out.Write(l.raw)
			}
			continue
		}
		e := *l.entry
		if seq < 0 {
			seq = e.Seq
		}
		e.Seq, e.Prev, e.Hash = seq, prev, ""
		e.Hash = "sha256:" + sha256Hex(t, canonical(t, e))
		prev = e.Hash
		seq++
		out.Write(canonical(t, e))
		out.WriteByte('\n')
	}
	return out.Bytes()
}

func canonical(t *testing.T, e decision.LogEntry) []byte {
	t.Helper()
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	require.NoError(t, enc.Encode(&e))
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}

func sha256Hex(t *testing.T, b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// records are the indexes in ls of the decision records.
func records(ls []forgedLine) []int {
	var out []int
	for i, l := range ls {
		if l.entry != nil && l.entry.Kind == decision.EntryDecision {
			out = append(out, i)
		}
	}
	return out
}

func TestLogAttacksWithoutKey(t *testing.T) {
	fx := newLogFixture(t, 12)
	code, rep, errText := fx.verify(t, "")
	require.Equal(t, 0, code, errText)
	head := rep.Summary.Head.String()
	orig, err := os.ReadFile(fx.log)
	require.NoError(t, err)

	flip := func(ls []forgedLine) []forgedLine {
		for _, i := range records(ls) {
			if d := ls[i].entry.Decision; d.Outcome == decision.Decline {
				d.Outcome, d.ModelOutcome = decision.Approve, decision.Approve
				return ls
			}
		}
		t.Fatal("no decline to flip")
		return nil
	}
	deleteMiddle := func(ls []forgedLine) []forgedLine {
		rs := records(ls)
		i := rs[len(rs)/2]
		// The record and whatever follows it up to the next record (its
		// checkpoint, if any).
		j := i + 1
		for j < len(ls) && ls[j].entry == nil {
			j++
		}
		return append(ls[:i:i], ls[j:]...)
	}
	appendForged := func(ls []forgedLine) []forgedLine {
		rs := records(ls)
		last := *ls[rs[len(rs)-1]].entry
		d := *last.Decision
		d.Ref, d.Outcome, d.ModelOutcome = "forged-1", decision.Approve, decision.Approve
		last.Decision = &d
		return append(ls, forgedLine{entry: &last})
	}
	type attack struct {
		name string
		edit func([]forgedLine) []forgedLine
	}
	attacks := []attack{{"flip a decline to approve", flip}, {"delete a middle record", deleteMiddle}, {"append a forged record", appendForged}}
	for _, a := range attacks {
		for _, keep := range []bool{true, false} {
			name := a.name + map[bool]string{true: ", other lines kept", false: ", other lines dropped"}[keep]
			t.Run(name, func(t *testing.T) {
				forged := rechain(t, a.edit(splitLog(t, orig)), keep)
				require.NotEqual(t, orig, forged)
				require.NoError(t, os.WriteFile(fx.log, forged, 0o600))
				for _, h := range []string{"", head} {
					code, _, errText := fx.verify(t, h)
					require.Equal(t, 1, code, "forged log accepted (head %q): %s", h, errText)
				}
			})
		}
	}

	// Truncation: the last two records cut off (their lines only).
	t.Run("truncate the last records", func(t *testing.T) {
		ls := splitLog(t, orig)
		rs := records(ls)
		var cut bytes.Buffer
		for i, l := range ls {
			if i != rs[len(rs)-1] && i != rs[len(rs)-2] {
				cut.Write(l.raw)
			}
		}
		require.NoError(t, os.WriteFile(fx.log, cut.Bytes(), 0o600))
		for _, h := range []string{"", head} {
			code, _, errText := fx.verify(t, h)
			require.Equal(t, 1, code, "truncated log accepted (head %q): %s", h, errText)
		}
	})
	require.NoError(t, os.WriteFile(fx.log, orig, 0o600))
	code, _, errText = fx.verify(t, head)
	require.Equal(t, 0, code, errText)
}

// TestVerifyLogRepairCLI: a torn tail (a crash, a full disk) or garbage
// appended makes verify-log fail and name the line; --repair cuts back to
// the last signed record and says what it removed.
func TestVerifyLogRepairCLI(t *testing.T) {
	fx := newLogFixture(t, 5)
	orig, err := os.ReadFile(fx.log)
	require.NoError(t, err)
	ls := splitLog(t, orig)
	for _, c := range []struct {
		name, tail, want string
	}{
		{"torn record", string(ls[2].raw[:60]), "removed 1 line(s) (0 complete record(s), the last one torn), 60 bytes from byte "},
		{"garbage", "\x00\x00garbage\n", "removed 1 line(s) (0 complete record(s)), 10 bytes from byte "},
		{"record without checkpoint", string(ls[2].raw), "removed 1 line(s) (1 complete record(s))"},
	} {
		t.Run(c.name, func(t *testing.T) {
			require.NoError(t, os.WriteFile(fx.log, append(bytes.Clone(orig), c.tail...), 0o600))
			code, _, errText := fx.verify(t, "")
			require.Equal(t, 1, code)
			require.Contains(t, errText, "first bad line 13 (record 6, byte ")
			require.Contains(t, errText, "--repair cuts it off")
			code, rep, errText := fx.verify(t, "", "--repair")
			require.Equal(t, 0, code, errText)
			require.Contains(t, errText, c.want)
			require.Contains(t, errText, fmt.Sprintf("from byte %d, kept in %s.removed-%d; the log now ends at record 5, signed", len(orig), fx.log, len(orig)))
			require.NotNil(t, rep.Repaired)
			require.Equal(t, int64(len(orig)), rep.Repaired.Offset)
			require.True(t, rep.Authenticated)
			after, err := os.ReadFile(fx.log)
			require.NoError(t, err)
			require.Equal(t, orig, after)
			require.NoError(t, os.Remove(rep.Repaired.SavedTo))
			// Appends go on after the repair.
			code, _, errText = runCLI(t, fx.scoreArgs("2026-11-29T11:00:00Z")...)
			require.Equal(t, 0, code, errText)
			require.NoError(t, os.WriteFile(fx.log, orig, 0o600))
		})
	}
	code, _, errText := fx.verify(t, "", "--repair")
	require.Equal(t, 0, code, errText)
	require.Contains(t, errText, "nothing to repair")
}

// TestCheckpointEveryCLI: --checkpoint-every signs in batches and at the
// end of the run.
func TestCheckpointEveryCLI(t *testing.T) {
	fx := newLogFixture(t, 20)
	fx.writer = append(fx.writer, "--checkpoint-every", "7")
	code, _, errText := runCLI(t, fx.scoreArgs("2026-11-29T11:00:00Z")...)
	require.Equal(t, 0, code, errText)
	require.Contains(t, errText, "20 records appended, head 40:")
	code, rep, errText := fx.verify(t, "")
	require.Equal(t, 0, code, errText)
	require.Equal(t, 40, rep.Summary.Records)
	require.Equal(t, 1+20+3, rep.Summary.Checkpoints, "the header's, one per record of the first run, then after 27, 34 and at 40")
}

// TestLegacyLogCLI: a log from before signed checkpoints is refused, read
// with --legacy as unauthenticated, and never appended to.
func TestLegacyLogCLI(t *testing.T) {
	fx := newLogFixture(t, 3)
	old, err := os.ReadFile("../../score/decision/testdata/legacy.jsonl")
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(fx.log, old, 0o600))
	code, _, errText := fx.verify(t, "")
	require.Equal(t, 1, code)
	require.Contains(t, errText, "legacy unauthenticated format")
	require.Contains(t, errText, "--legacy checks its chain alone")
	code, out, errText := runCLI(t, "verify-log", "--legacy", fx.log)
	require.Equal(t, 0, code, errText)
	require.Contains(t, errText, "NOT authenticated")
	var rep verifyReport
	require.NoError(t, json.Unmarshal([]byte(out), &rep))
	require.True(t, rep.Intact)
	require.False(t, rep.Authenticated)
	require.Equal(t, 1, rep.Overrides.Overall.Reviewed)
	code, _, errText = runCLI(t, fx.scoreArgs("2026-11-29T11:00:00Z")...)
	require.Equal(t, 1, code)
	require.Contains(t, errText, "legacy")
	code, _, errText = runCLI(t, "verify-log", "--legacy", "--repair", fx.log)
	require.Equal(t, 1, code)
	require.Contains(t, errText, "a legacy log has none")
}
