package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/explain"
	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/decision"
)

func TestSignAndVerifyKey(t *testing.T) {
	dir := t.TempDir()
	model, data := germanFixture(t, dir, 20)
	prefix := filepath.Join(dir, "release")
	code, out, errText := runCLI(t, "keygen", "--out", prefix)
	require.Equal(t, 0, code, errText)
	require.True(t, strings.HasPrefix(out, "ed25519:"))
	code, _, errText = runCLI(t, "keygen", "--out", prefix)
	require.Equal(t, 1, code, "keygen must not overwrite keys")
	require.Contains(t, errText, "exists")
	code, _, _ = runCLI(t, "keygen", "--out", filepath.Join(dir, "other"))
	require.Equal(t, 0, code)

	// Unsigned: refused.
	code, _, errText = runCLI(t, "score", "--model", model, "--data", data, "--verify-key", prefix+".pub")
	require.Equal(t, 1, code)
	require.Contains(t, errText, "not signed")

	signed := filepath.Join(dir, "signed.json")
	code, _, errText = runCLI(t, "sign", "--model", model, "--key", prefix+".key", "--out", signed)
	require.Equal(t, 0, code, errText)
	code, out, errText = runCLI(t, "score", "--model", signed, "--data", data, "--verify-key", prefix+".pub")
	require.Equal(t, 0, code, errText)
	require.Equal(t, 20, strings.Count(out, "\n"))

	// Signed by another key: refused.
	code, _, errText = runCLI(t, "score", "--model", signed, "--data", data, "--verify-key", filepath.Join(dir, "other.pub"))
	require.Equal(t, 1, code)
	require.Contains(t, errText, "another key")

	// Altered after signing: refused.
	var f map[string]any
	b, err := os.ReadFile(signed)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &f))
	f["intercept"] = f["intercept"].(float64) + 0.5
	b, err = json.Marshal(f)
	require.NoError(t, err)
	altered := filepath.Join(dir, "altered.json")
	require.NoError(t, os.WriteFile(altered, b, 0o644))
	code, _, errText = runCLI(t, "score", "--model", altered, "--data", data, "--verify-key", prefix+".pub")
	require.Equal(t, 1, code)
	require.Contains(t, errText, "altered")

	// Sign in place.
	code, _, errText = runCLI(t, "sign", "--model", model, "--key", prefix+".key")
	require.Equal(t, 0, code, errText)
	code, _, errText = runCLI(t, "score", "--model", model, "--data", data, "--verify-key", prefix+".pub")
	require.Equal(t, 0, code, errText)

	// Bad usage.
	code, _, _ = runCLI(t, "sign", "--model", model)
	require.Equal(t, 1, code)
	code, _, errText = runCLI(t, "sign", "--model", model, "--key", prefix+".pub")
	require.Equal(t, 1, code)
	require.Contains(t, errText, "PRIVATE KEY")
}

// testKeys makes a log writer's keys in a directory of their own and
// returns the flags of score (--log-key, --digest-key) and verify-log
// (--key).
func testKeys(t *testing.T) (w, v []string) {
	t.Helper()
	return logKeys(t, filepath.Join(t.TempDir(), "keys"))
}

// withKeys is args followed by the writer's key flags w.
func withKeys(w []string, args ...string) []string { return append(args, w...) }

// vlog is verify-log with the verifier's flags v, then args.
func vlog(v []string, args ...string) []string {
	return append(append([]string{"verify-log"}, v...), args...)
}

func TestScoreDecisionsAndVerifyLog(t *testing.T) {
	dir := t.TempDir()
	w, v := testKeys(t)
	model, data := germanFixture(t, dir, 40)
	policy := filepath.Join(dir, "policy.json")
	require.NoError(t, os.WriteFile(policy, []byte(`{"version":"test-1","cutoff":0.5,"review_band":0.1}`), 0o644))
	log := filepath.Join(dir, "decisions.jsonl")
	code, out, errText := runCLI(t, withKeys(w, "score", "--model", model, "--data", data, "--decisions", log, "--policy", policy,
		"--time", "2026-11-29T10:00:00Z", "--ref-column", "duration_in_month")...)
	require.Equal(t, 0, code, errText)
	require.Contains(t, errText, "40 records appended, head 40:sha256:")
	lines := jsonLines[scoreLine](t, out)
	require.Len(t, lines, 40)
	refer := 0
	for i, l := range lines {
		require.NotNil(t, l.Decision, "row %d", i+1)
		require.Equal(t, int64(i+1), l.Decision.Seq)
		p := *l.Probability
		switch {
		case p >= 0.4 && p <= 0.6:
			require.Equal(t, decision.Refer, l.Decision.Outcome, "row %d p=%v", i+1, p)
		case p >= 0.5:
			require.Equal(t, decision.Decline, l.Decision.ModelOutcome)
		default:
			require.Equal(t, decision.Approve, l.Decision.ModelOutcome)
		}
		if l.Decision.Outcome == decision.Refer {
			refer++
		}
	}
	require.Positive(t, refer)

	code, out, errText = runCLI(t, vlog(v, log)...)
	require.Equal(t, 0, code, errText)
	var rep verifyReport
	require.NoError(t, json.Unmarshal([]byte(out), &rep))
	require.True(t, rep.Intact)
	require.Equal(t, 40, rep.Summary.Decisions)
	require.Equal(t, refer, rep.Overrides.Overall.Referred)

	// A second run appends to the same chain with the same key.
	code, _, errText = runCLI(t, withKeys(w, "score", "--model", model, "--data", data, "--decisions", log, "--time", "2026-11-29T11:00:00Z")...)
	require.Equal(t, 0, code, errText)
	code, out, _ = runCLI(t, vlog(v, log)...)
	require.Equal(t, 0, code)
	require.NoError(t, json.Unmarshal([]byte(out), &rep))
	require.Equal(t, 80, rep.Summary.Records)

	// Per-group overrides with a group file kept apart from the log.
	entries := readEntries(t, log, v)
	opts, err := writerKeys(w[3], w[1])
	require.NoError(t, err)
	l, err := decision.OpenLog(log, opts)
	require.NoError(t, err)
	_, err = l.AppendReview(entries[0].Time, 1, "r", decision.Decline, "")
	require.NoError(t, err)
	_, err = l.AppendReview(entries[0].Time, 2, "r", decision.Decline, "")
	require.NoError(t, err)
	require.NoError(t, l.Close())
	groups := filepath.Join(dir, "groups.csv")
	require.NoError(t, os.WriteFile(groups, []byte("ref,group\n"+entries[0].Decision.Ref+",short\n"), 0o644))
	code, out, errText = runCLI(t, vlog(v, "--groups", groups, log)...)
	require.Equal(t, 0, code, errText)
	require.NoError(t, json.Unmarshal([]byte(out), &rep))
	require.Equal(t, 2, rep.Overrides.Overall.Reviewed)
	wantOver := 0
	for _, e := range entries[:2] {
		if e.Decision.ModelOutcome != decision.Decline {
			wantOver++
		}
	}
	require.Equal(t, wantOver, rep.Overrides.Overall.Overridden)
	require.NotEmpty(t, rep.Overrides.Groups)
	require.Equal(t, "short", rep.Overrides.Groups[0].Group)

	// Tampering: verify-log fails and names the first bad record.
	b, err := os.ReadFile(log)
	require.NoError(t, err)
	ls := bytes.SplitAfter(b, []byte("\n"))
	// Line 1 is the header, 2 its checkpoint, record k is line 2k+1.
	edited := bytes.Join(append(append([][]byte{}, ls[:14]...), ls[16:]...), nil) // record 7 and its checkpoint removed
	require.NoError(t, os.WriteFile(log, edited, 0o600))
	code, _, errText = runCLI(t, vlog(v, log)...)
	require.Equal(t, 1, code)
	require.Contains(t, errText, "first bad line 15 (record 7, byte ")
	require.Contains(t, errText, "sequence number is 8, want 7")
	require.Contains(t, errText, "signed up to record 6", "where a repair would cut")
	// Signed checkpoints follow the damage, so --repair (which refuses
	// such a log) is not suggested: the edit is inside the log.
	require.NotContains(t, errText, "--repair")
	require.Contains(t, errText, "inside the log")
	// score appends only to a log that ends with its own checkpoint: it
	// reads the tail, not the whole log, so damage inside stays for
	// verify-log to find, and its new checkpoints vouch for no forgery.
	code, _, errText = runCLI(t, withKeys(w, "score", "--model", model, "--data", data, "--decisions", log)...)
	require.Equal(t, 0, code, errText)
	code, _, errText = runCLI(t, vlog(v, log)...)
	require.Equal(t, 1, code)
	require.Contains(t, errText, "first bad line 15 (record 7, byte ")
	// --repair refuses: signed records follow the damage.
	code, _, errText = runCLI(t, vlog(v, "--repair", log)...)
	require.Equal(t, 1, code)
	require.Contains(t, errText, "not repaired")
	// A record appended without the key: score refuses to sign after it.
	require.NoError(t, os.WriteFile(log, append(bytes.Clone(b), ls[2]...), 0o600))
	code, _, errText = runCLI(t, withKeys(w, "score", "--model", model, "--data", data, "--decisions", log)...)
	require.Equal(t, 1, code)
	require.Contains(t, errText, "broken")
	require.Contains(t, errText, "verify-log --repair")
	// There --repair helps (nothing signed follows the record), and
	// verify-log says so.
	code, _, errText = runCLI(t, vlog(v, log)...)
	require.Equal(t, 1, code)
	require.Contains(t, errText, "--repair cuts it off")
	require.NotContains(t, errText, "inside the log")
}

// readEntries reads a log verified with the verifier's flags v.
func readEntries(t *testing.T, path string, v []string) []decision.LogEntry {
	t.Helper()
	pub, err := score.ReadPublicKeyFile(v[1])
	require.NoError(t, err)
	fh, err := os.Open(path)
	require.NoError(t, err)
	defer fh.Close()
	es, _, err := decision.ReadLog(fh, decision.VerifyOptions{PublicKey: pub})
	require.NoError(t, err)
	return es
}

func TestDecisionFlagErrors(t *testing.T) {
	dir := t.TempDir()
	model, data := germanFixture(t, dir, 5)
	w, v := testKeys(t)
	code, _, errText := runCLI(t, "score", "--model", model, "--data", data, "--policy", "x.json")
	require.Equal(t, 1, code)
	require.Contains(t, errText, "need --decisions")
	code, _, errText = runCLI(t, "score", "--model", model, "--data", data, "--log-key", w[3])
	require.Equal(t, 1, code)
	require.Contains(t, errText, "need --decisions")
	code, _, errText = runCLI(t, "score", "--model", model, "--data", data, "--checkpoint-every", "5")
	require.Equal(t, 1, code)
	require.Contains(t, errText, "needs --decisions")
	log := filepath.Join(dir, "d.jsonl")
	base := []string{"score", "--model", model, "--data", data, "--decisions", log}
	args := func(extra ...string) []string { return append(append([]string{}, base...), extra...) }
	code, _, errText = runCLI(t, withKeys(w, args("--time", "yesterday")...)...)
	require.Equal(t, 1, code)
	require.Contains(t, errText, "--time")
	code, _, errText = runCLI(t, withKeys(w, args("--consents", ":x")...)...)
	require.Equal(t, 1, code)
	require.Contains(t, errText, "--consents")
	code, _, errText = runCLI(t, withKeys(w, args("--checkpoint-every", "0")...)...)
	require.Equal(t, 1, code)
	require.Contains(t, errText, "--checkpoint-every must be 1 or more")

	// Keys are never looked for beside the log: without one, a clear error
	// says how to make it.
	t.Setenv(envLogKey, "")
	t.Setenv(envDigestKey, "")
	code, _, errText = runCLI(t, args("--digest-key", w[1])...)
	require.Equal(t, 1, code)
	require.Contains(t, errText, "--decisions needs the log writer's private key: --log-key PREFIX.key or $CANDOR_LOG_KEY_FILE (make one with: candor keygen --out PREFIX")
	code, _, errText = runCLI(t, args("--log-key", w[3])...)
	require.Equal(t, 1, code)
	require.Contains(t, errText, "--decisions needs the input-digest key: --digest-key FILE or $CANDOR_DIGEST_KEY_FILE (make one with: candor keygen --digest-key FILE")
	short := filepath.Join(dir, "short.key")
	require.NoError(t, os.WriteFile(short, []byte("abcd\n"), 0o600))
	code, _, errText = runCLI(t, args("--log-key", w[3], "--digest-key", short)...)
	require.Equal(t, 1, code)
	require.Contains(t, errText, "16 bytes")
	open := filepath.Join(dir, "open.key")
	require.NoError(t, os.WriteFile(open, []byte(strings.Repeat("ab", 16)+"\n"), 0o600))
	require.NoError(t, os.Chmod(open, 0o644))
	code, _, errText = runCLI(t, args("--log-key", w[3], "--digest-key", open)...)
	require.Equal(t, 1, code)
	require.Contains(t, errText, "accessible to other users")
	require.NoError(t, os.Chmod(w[3], 0o640))
	code, _, errText = runCLI(t, args("--log-key", w[3], "--digest-key", w[1])...)
	require.Equal(t, 1, code)
	require.Contains(t, errText, "private key file is accessible to other users")
	require.NoError(t, os.Chmod(w[3], 0o600))
	pubCopy := filepath.Join(dir, "pub-as-key")
	pb, err := os.ReadFile(v[1])
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(pubCopy, pb, 0o600))
	code, _, errText = runCLI(t, args("--log-key", pubCopy, "--digest-key", w[1])...)
	require.Equal(t, 1, code, "a public key is no writer key")
	require.Contains(t, errText, "PRIVATE KEY")
	_, err = os.Stat(log)
	require.ErrorIs(t, err, os.ErrNotExist, "no log is created on bad flags")
	// cutoff_points on a logistic model is refused before any row.
	pol := filepath.Join(dir, "points.json")
	require.NoError(t, os.WriteFile(pol, []byte(`{"version":"x","cutoff_points":500}`), 0o644))
	code, _, errText = runCLI(t, withKeys(w, args("--policy", pol)...)...)
	require.Equal(t, 1, code)
	require.Contains(t, errText, "cutoff_points needs a scorecard")
	_, err = os.Stat(log)
	require.ErrorIs(t, err, os.ErrNotExist)
	// The keys may come from the environment instead.
	t.Setenv(envLogKey, w[3])
	t.Setenv(envDigestKey, w[1])
	code, _, errText = runCLI(t, args()...)
	require.Equal(t, 0, code, errText)
	t.Setenv(envLogPub, v[1])
	code, _, errText = runCLI(t, "verify-log", log)
	require.Equal(t, 0, code, errText)
	t.Setenv(envLogPub, "")
	code, _, errText = runCLI(t, "verify-log", log)
	require.Equal(t, 1, code)
	require.Contains(t, errText, "needs the log writer's public key: --key PREFIX.pub or $CANDOR_LOG_PUBLIC_KEY_FILE")

	code, _, _ = runCLI(t, "verify-log")
	require.Equal(t, 2, code)
	code, _, _ = runCLI(t, vlog(v, filepath.Join(dir, "missing.jsonl"))...)
	require.Equal(t, 1, code)
}

func TestScoreDecisionsWithConsent(t *testing.T) {
	w, v := testKeys(t)
	dir := t.TempDir()
	model, data := germanFixture(t, dir, 30)
	// Mark telephone as contact data that needs consent for credit.
	cm := editFeature(t, model, "telephone", func(f *score.Feature) {
		f.DataCategory, f.Consent = "contact", []string{"credit"}
	})
	tab, err := readTable(data, "")
	require.NoError(t, err)

	for _, c := range []struct {
		name     string
		consents string
		neutral  bool
		reasons  int // --reasons: 4, or -1 for all
	}{{"no consent", "", true, 4}, {"consent", "credit:contact", false, 4}, {"no consent, all reasons", "", true, -1}} {
		t.Run(c.name, func(t *testing.T) {
			log := filepath.Join(t.TempDir(), "d.jsonl")
			args := []string{"score", "--model", model, "--data", data, "--decisions", log, "--purpose", "credit", w[0], w[1], w[2], w[3],
				"--reasons", strconv.Itoa(c.reasons)}
			if c.consents != "" {
				args = append(args, "--consents", c.consents)
			}
			code, out, errText := runCLI(t, args...)
			require.Equal(t, 0, code, errText)
			lines := jsonLines[scoreLine](t, out)
			for row, l := range lines {
				rec, err := tab.Record(cm.Schema(), row)
				require.NoError(t, err)
				want, err := cm.ScoreWithConsent(rec, map[bool]score.Consents{true: nil, false: {{Purpose: "credit", Category: "contact"}}}[c.neutral], "credit", nil)
				require.NoError(t, err)
				require.InDelta(t, float64(want.Probability), *l.Probability, 1e-12, "the line shows the consent-aware score")
				if c.neutral {
					require.Equal(t, []string{"telephone"}, l.Decision.Neutralised)
				} else {
					require.Empty(t, l.Decision.Neutralised)
				}
				for _, r := range l.Reasons {
					if c.neutral {
						require.NotEqual(t, "telephone", r.Feature)
					}
				}
			}
			require.Len(t, lines, 30)
			es := readEntries(t, log, v)
			require.Len(t, es, 30)
			require.Equal(t, "credit", es[0].Decision.Purpose)
			// The line's reasons are the logged ones, and the library's: the
			// decision's exact reasons of the consent-aware score.
			dc, err := decision.NewDecider(cm, &decision.Policy{Version: "default", Purpose: "credit"},
				&decision.DeciderOptions{Explain: &explain.Options{MaxReasons: c.reasons}})
			require.NoError(t, err)
			some := 0
			for row, l := range lines {
				require.Len(t, es[row].Decision.Reasons, len(l.Reasons), "row %d", row+1)
				for i, r := range l.Reasons {
					require.Equal(t, decision.LoggedReason(r), es[row].Decision.Reasons[i])
				}
				rec, err := tab.Record(cm.Schema(), row)
				require.NoError(t, err)
				d, err := dc.Decide(rec, map[bool]score.Consents{true: nil, false: {{Purpose: "credit", Category: "contact"}}}[c.neutral])
				require.NoError(t, err)
				require.Equal(t, d.Reasons, es[row].Decision.Reasons, "row %d", row+1)
				if c.reasons > 0 {
					require.LessOrEqual(t, len(l.Reasons), c.reasons, "row %d", row+1)
				}
				some += len(l.Reasons)
			}
			require.Positive(t, some)
		})
	}

	// Without --reasons the lines show none, and the log still records each
	// decision's reasons (explain's default, at most 4).
	log := filepath.Join(t.TempDir(), "d.jsonl")
	code, out, errText := runCLI(t, withKeys(w, "score", "--model", model, "--data", data, "--decisions", log, "--purpose", "credit")...)
	require.Equal(t, 0, code, errText)
	for _, l := range jsonLines[scoreLine](t, out) {
		require.Empty(t, l.Reasons)
	}
	logged := 0
	for _, e := range readEntries(t, log, v) {
		require.LessOrEqual(t, len(e.Decision.Reasons), 4)
		for _, r := range e.Decision.Reasons {
			require.NotEqual(t, "telephone", r.Feature)
		}
		logged += len(e.Decision.Reasons)
	}
	require.Positive(t, logged)
}

func TestDemoDecisions(t *testing.T) {
	tab, s, fitted := germanFit(t)
	var out bytes.Buffer
	require.NoError(t, demoDecisions(context.Background(), &demoEnv{out: &out, table: tab, schema: s, model: fitted.Model}))
	text := out.String()
	require.Contains(t, text, "altered copy refused: model fingerprint does not match its content")
	require.Contains(t, text, "decision log: 11 records intact, each sealed by a checkpoint signed by ed25519:")
	require.Contains(t, text, "with records 3 and 4 swapped: decision log is broken at line 7 (record 3): sequence number is 4, want 3")
	require.Contains(t, text, "with a record appended without the key: decision log is broken at line 25 (record 12): 1 record(s) after the last checkpoint (record 11) are not signed")
	require.Equal(t, 10, strings.Count(text, "  row "))
	require.Equal(t, 5, strings.Count(text, "not used: telephone"), "odd rows have no consent")
	// credit_amount is sensitive: none of the ten applicants' amounts is printed.
	for i := 0; i < 10; i++ {
		require.NotContains(t, text, tab.Cell(i, tab.Column("credit_amount")))
	}
}

func TestVerifyLogHead(t *testing.T) {
	w, v := testKeys(t)
	dir := t.TempDir()
	model, data := germanFixture(t, dir, 10)
	log := filepath.Join(dir, "d.jsonl")
	code, _, errText := runCLI(t, withKeys(w, "score", "--model", model, "--data", data, "--decisions", log, "--time", "2026-11-29T10:00:00Z")...)
	require.Equal(t, 0, code, errText)
	code, out, _ := runCLI(t, vlog(v, log)...)
	require.Equal(t, 0, code)
	var rep verifyReport
	require.NoError(t, json.Unmarshal([]byte(out), &rep))
	head := "10:" + rep.Summary.Head.Hash
	code, _, errText = runCLI(t, vlog(v, "--head", head, log)...)
	require.Equal(t, 0, code, errText)

	// The log grows: the kept head is still in it.
	code, _, errText = runCLI(t, withKeys(w, "score", "--model", model, "--data", data, "--decisions", log)...)
	require.Equal(t, 0, code, errText)
	code, _, errText = runCLI(t, vlog(v, "--head", head, log)...)
	require.Equal(t, 0, code, errText)

	// Records cut off the end: the chain is valid, the kept head catches it.
	b, err := os.ReadFile(log)
	require.NoError(t, err)
	ls := bytes.SplitAfter(b, []byte("\n"))
	require.NoError(t, os.WriteFile(log, bytes.Join(ls[:8], nil), 0o600)) // the header, records 1-3, their checkpoints
	code, _, errText = runCLI(t, vlog(v, log)...)
	require.Equal(t, 0, code, errText)
	code, _, errText = runCLI(t, vlog(v, "--head", head, log)...)
	require.Equal(t, 1, code)
	require.Contains(t, errText, "cut off")

	// The whole log rewritten (a new chain): the kept head catches it.
	require.NoError(t, os.Remove(log))
	code, _, errText = runCLI(t, withKeys(w, "score", "--model", model, "--data", data, "--decisions", log, "--time", "2026-11-29T10:00:01Z")...)
	require.Equal(t, 0, code, errText)
	code, _, errText = runCLI(t, vlog(v, "--head", head, log)...)
	require.Equal(t, 1, code)
	require.Contains(t, errText, "rewritten")
	code, _, errText = runCLI(t, vlog(v, "--head", "ten", log)...)
	require.Equal(t, 1, code)
	require.Contains(t, errText, "SEQ:HASH")
}

func TestConsentColumn(t *testing.T) {
	w, _ := testKeys(t)
	dir := t.TempDir()
	model, data := germanFixture(t, dir, 12)
	editFeature(t, model, "telephone", func(f *score.Feature) {
		f.DataCategory, f.Consent = "contact", []string{"credit"}
	})
	// Add a consents column: even rows consent to contact data for credit.
	b, err := os.ReadFile(data)
	require.NoError(t, err)
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	require.NoError(t, err)
	rows[0] = append(rows[0], "consents")
	for i := 1; i < len(rows); i++ {
		cell := ""
		if i%2 == 1 { // data rows 1, 3, ...: 0-based even
			cell = "credit:contact,marketing"
		}
		rows[i] = append(rows[i], cell)
	}
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	require.NoError(t, cw.WriteAll(rows))
	require.NoError(t, os.WriteFile(data, buf.Bytes(), 0o644))

	log := filepath.Join(dir, "d.jsonl")
	code, out, errText := runCLI(t, withKeys(w, "score", "--model", model, "--data", data, "--decisions", log, "--purpose", "credit", "--consent-column", "consents")...)
	require.Equal(t, 0, code, errText)
	lines := jsonLines[scoreLine](t, out)
	for row, l := range lines {
		if row%2 == 0 {
			require.Empty(t, l.Decision.Neutralised, "row %d", row+1)
		} else {
			require.Equal(t, []string{"telephone"}, l.Decision.Neutralised, "row %d", row+1)
		}
	}
	require.Len(t, lines, 12)
	code, _, errText = runCLI(t, withKeys(w, "score", "--model", model, "--data", data, "--decisions", log, "--consent-column", "nope")...)
	require.Equal(t, 1, code)
	require.Contains(t, errText, "no column")
}

// A misspelt key in the --policy file is named with its close match, as
// the features file's are (trial4: "reviewband" was only "unknown field").
func TestPolicyUnknownKeyCloseMatch(t *testing.T) {
	dir := t.TempDir()
	model, data := germanFixture(t, dir, 5)
	w, _ := testKeys(t)
	pol := filepath.Join(dir, "policy.json")
	require.NoError(t, os.WriteFile(pol, []byte(`{"version": "2", "reviewband": 0.05}`), 0o644))
	code, _, errText := runCLI(t, withKeys(w, "score", "--model", model, "--data", data, "--decisions", filepath.Join(dir, "d.jsonl"), "--policy", pol)...)
	require.Equal(t, 1, code)
	require.Contains(t, errText, pol+`: invalid decision policy: policy JSON: unknown key "reviewband" (did you mean "review_band"?)`)
}
