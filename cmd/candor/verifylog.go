package main

// Decision logs on the command line: `candor score --decisions LOG
// --log-key PREFIX.key --digest-key FILE` appends one decision record per
// scored row, each sealed by a checkpoint signed with the writer's key, and
// `candor verify-log --key PREFIX.pub LOG` checks a log against the
// writer's public key, repairs a torn tail (--repair) and reports how often
// reviewers overrode the model.

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"reflect"
	"runtime"
	"strings"
	"time"

	"github.com/candorscore/candor/explain"
	"github.com/candorscore/candor/internal/jsonerr"
	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/decision"
	"github.com/candorscore/candor/score/signing"
)

// decisionFlags are the score command's flags for decisions (--verify-key
// is in modelflags.go, shared by every command that loads a model).
type decisionFlags struct {
	decisions  *string
	policy     *string
	purpose    *string
	consents   *string
	at         *string
	digestKey  *string
	logKey     *string
	every      *int
	refColumn  *string
	consentCol *string
}

// Environment variables naming key files, for --log-key, --digest-key and
// verify-log --key.
const (
	envLogKey    = "CANDOR_LOG_KEY_FILE"
	envDigestKey = "CANDOR_DIGEST_KEY_FILE"
	envLogPub    = "CANDOR_LOG_PUBLIC_KEY_FILE"
)

func addDecisionFlags(fs *flag.FlagSet) *decisionFlags {
	return &decisionFlags{
		decisions:  fs.String("decisions", "", "append one decision record per scored row to this JSON Lines log"),
		policy:     fs.String("policy", "", "decision policy JSON (default: the model's cutoff, no review band)"),
		purpose:    fs.String("purpose", "", "purpose of scoring, checked against consents (overrides the policy's)"),
		consents:   fs.String("consents", "", "consents granted for every row: purpose[:category],..."),
		at:         fs.String("time", "", "decision time, RFC 3339 (default: now)"),
		digestKey:  fs.String("digest-key", "", "file with the hex input-digest key, kept apart from the log (candor keygen --digest-key FILE makes one; default $"+envDigestKey+")"),
		logKey:     fs.String("log-key", "", "the log writer's ed25519 private key, kept apart from the log (candor keygen --out PREFIX makes PREFIX.key; default $"+envLogKey+")"),
		every:      fs.Int("checkpoint-every", 1, "records per signed checkpoint (1: every record is sealed as it is written; n: every n records and at the end)"),
		refColumn:  fs.String("ref-column", "", "column holding each row's case reference for the decision record"),
		consentCol: fs.String("consent-column", "", "column holding each row's own consents (purpose[:category],...), added to --consents"),
	}
}

// decisionWriter decides and logs each scored row.
type decisionWriter struct {
	path     string
	log      *decision.Log
	start    int64 // the head's Seq when opened
	decider  *decision.Decider
	consents score.Consents
	at       time.Time
	refCol   int
	// consentCol is the column of per-row consents, -1 for none.
	consentCol int
	table      *score.Table
	// reasons says whether score lines show the decisions' reasons.
	reasons bool
}

// decisionOut is the decision part of a score line.
type decisionOut struct {
	Seq          int64               `json:"seq"`
	Outcome      decision.Outcome    `json:"outcome"`
	ModelOutcome decision.Outcome    `json:"model_outcome"`
	Referrals    []decision.Referral `json:"referrals,omitempty"`
	Neutralised  []string            `json:"neutralised,omitempty"`
}

// open returns nil when --decisions is not set. nReasons is --reasons: the
// most reasons each decision gives (0: explain's default, and none shown;
// -1: all, shown).
func (d *decisionFlags) open(m *score.Model, t *score.Table, nReasons int, stderr io.Writer) (*decisionWriter, error) {
	if *d.decisions == "" {
		for _, f := range []*string{d.policy, d.purpose, d.consents, d.at, d.digestKey, d.logKey, d.refColumn, d.consentCol} {
			if *f != "" {
				return nil, errors.New("--policy, --purpose, --consents, --consent-column, --time, --digest-key, --log-key and --ref-column need --decisions")
			}
		}
		if *d.every != 1 {
			return nil, errors.New("--checkpoint-every needs --decisions")
		}
		return nil, nil
	}
	pol := &decision.Policy{Version: "default"}
	if *d.policy != "" {
		fh, err := os.Open(*d.policy)
		if err != nil {
			return nil, err
		}
		b, err := io.ReadAll(io.LimitReader(fh, 16<<20)) // as score.ReadDeclarationsFile
		fh.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", *d.policy, err)
		}
		pol, err = decision.ParsePolicy(bytes.NewReader(b))
		if err != nil {
			if key, known := jsonerr.UnknownKey(b, reflect.TypeFor[decision.Policy]()); key != "" {
				err = fmt.Errorf("%w: policy JSON: %s", decision.ErrPolicy, jsonerr.UnknownKeyText(key, score.CloseMatches(key, known)))
			}
			return nil, fmt.Errorf("%s: %w", *d.policy, err)
		}
	}
	if *d.purpose != "" {
		pol.Purpose = *d.purpose
	}
	consents, err := score.ParseConsents(*d.consents)
	if err != nil {
		return nil, fmt.Errorf("--consents: %w", err)
	}
	at := time.Now().UTC()
	if *d.at != "" {
		if at, err = time.Parse(time.RFC3339Nano, *d.at); err != nil {
			return nil, fmt.Errorf("--time: %w", err)
		}
	}
	refCol := -1
	if *d.refColumn != "" {
		if refCol = t.Column(*d.refColumn); refCol < 0 {
			return nil, fmt.Errorf("--ref-column: no column %q", *d.refColumn)
		}
		if err := refusesSensitive(m, *d.refColumn); err != nil {
			return nil, err
		}
	}
	consentCol := -1
	if *d.consentCol != "" {
		if consentCol = t.Column(*d.consentCol); consentCol < 0 {
			return nil, fmt.Errorf("--consent-column: no column %q", *d.consentCol)
		}
	}
	// Check the policy against the model before touching the log.
	dc, err := decision.NewDecider(m, pol, &decision.DeciderOptions{Explain: &explain.Options{MaxReasons: nReasons}})
	if err != nil {
		return nil, err
	}
	if *d.every < 1 {
		return nil, errors.New("--checkpoint-every must be 1 or more")
	}
	opts, err := writerKeys(*d.logKey, *d.digestKey)
	if err != nil {
		return nil, err
	}
	opts.CheckpointEvery = *d.every
	l, err := decision.OpenLog(*d.decisions, opts)
	if err != nil {
		return nil, err
	}
	return &decisionWriter{path: *d.decisions, log: l, start: l.Head().Seq, decider: dc, consents: consents, at: at, refCol: refCol,
		consentCol: consentCol, table: t, reasons: nReasons != 0}, nil
}

// writerKeys reads a log writer's keys from the files named by the flags
// or, when a flag is empty, by its environment variable. There is no
// default file: a key beside the log would be no secret from whoever can
// rewrite the log.
func writerKeys(logKey, digestKey string) (decision.LogOptions, error) {
	var opts decision.LogOptions
	if logKey == "" {
		logKey = os.Getenv(envLogKey)
	}
	if digestKey == "" {
		digestKey = os.Getenv(envDigestKey)
	}
	if logKey == "" {
		return opts, fmt.Errorf("--decisions needs the log writer's private key: --log-key PREFIX.key or $%s "+
			"(make one with: candor keygen --out PREFIX; keep PREFIX.key on the writer's host, apart from the log, "+
			"and give verifiers PREFIX.pub)", envLogKey)
	}
	if digestKey == "" {
		return opts, fmt.Errorf("--decisions needs the input-digest key: --digest-key FILE or $%s "+
			"(make one with: candor keygen --digest-key FILE; keep it apart from the log)", envDigestKey)
	}
	priv, err := readPrivateKey(logKey)
	if err != nil {
		return opts, err
	}
	key, err := decision.ReadDigestKeyFile(digestKey)
	if err != nil {
		return opts, err
	}
	return decision.LogOptions{SigningKey: priv, DigestKey: key}, nil
}

// readPrivateKey reads an ed25519 private key file, refusing one that
// other users may read or write (where the system has Unix permissions).
func readPrivateKey(path string) (ed25519.PrivateKey, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if perm := info.Mode().Perm(); perm&0o077 != 0 && runtime.GOOS != "windows" && runtime.GOOS != "plan9" {
		return nil, fmt.Errorf("%s: private key file is accessible to other users (mode %#o; chmod 600 it)", path, perm)
	}
	return signing.ReadPrivateKeyFile(path)
}

// decide applies the policy to a scored row, appends its record, fills the
// line's decision (and, with --reasons, its reasons: the decision's own,
// exact for the consent-aware score) and replaces res by that score.
func (w *decisionWriter) decide(m *score.Model, rec score.Record, row int, line *scoreLine, res *score.Result) error {
	consents := w.consents
	if w.consentCol >= 0 {
		own, err := score.ParseConsents(w.table.Cell(row-1, w.consentCol))
		if err != nil {
			return fmt.Errorf("column %q: %w", w.table.Header()[w.consentCol], err)
		}
		consents = append(append(score.Consents(nil), w.consents...), own...)
	}
	d, err := w.decider.Decide(rec, consents)
	if err != nil {
		return err
	}
	if w.reasons {
		line.Reasons = line.Reasons[:0]
		for _, r := range d.Reasons {
			line.Reasons = append(line.Reasons, reason(r))
		}
	}
	ref := ""
	if w.refCol >= 0 {
		ref = w.table.Cell(row-1, w.refCol)
	}
	e, err := w.log.AppendDecision(decision.Input{Time: w.at, Model: m, Record: rec, Decision: &d, Ref: ref})
	if err != nil {
		return err
	}
	*res = d.Shown() // the published score: sensitive terms at their bands
	line.Decision = &decisionOut{Seq: e.Seq, Outcome: d.Outcome, ModelOutcome: d.ModelOutcome, Referrals: d.Referrals,
		Neutralised: d.Score.Neutralised}
	return nil
}

// close closes the log (a second close does nothing).
func (w *decisionWriter) close() error {
	if w == nil {
		return nil
	}
	return w.log.Close()
}

// finish closes the log, writing its last checkpoint, and notes its head
// on stderr: published elsewhere, it lets verify-log --head catch records
// cut off after it.
func (w *decisionWriter) finish(stderr io.Writer) error {
	if w == nil {
		return nil
	}
	if err := w.log.Close(); err != nil {
		return fmt.Errorf("decision log %s: %w", w.path, err)
	}
	h := w.log.Head()
	fmt.Fprintf(stderr, "candor score: %s: %d records appended, head %s (publish it apart from the log: verify-log --head catches records cut off after it)\n",
		w.path, h.Seq-w.start, h)
	return nil
}

// verifyReport is the stdout of verify-log.
type verifyReport struct {
	// Intact: the log verified (for a legacy log: its chain alone).
	Intact bool `json:"intact"`
	// Authenticated: every record is sealed by a checkpoint of the key.
	Authenticated bool                    `json:"authenticated"`
	Repaired      *decision.RepairReport  `json:"repaired,omitempty"`
	Summary       decision.LogSummary     `json:"summary"`
	Overrides     decision.OverrideReport `json:"overrides"`
}

func runVerifyLog(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("verify-log", stderr)
	keyPath := fs.String("key", "", "the log writer's public key, PREFIX.pub (default $"+envLogPub+")")
	groups := fs.String("groups", "", "CSV mapping case references to groups, for overrides per group")
	refCol := fs.String("ref-column", "ref", "column of --groups holding the case reference")
	groupCol := fs.String("group-column", "group", "column of --groups holding the group")
	head := fs.String("head", "", "a head published earlier, SEQ:HASH: the log must still hold it (catches records cut off the end)")
	legacy := fs.Bool("legacy", false, "read a log written before logs were signed: checks its plain hash chain only, which anyone can recompute")
	repair := fs.Bool("repair", false, "first cut a damaged tail (a torn record, records after the last checkpoint) back to the last signed record, keeping the removed bytes in LOG.removed-OFFSET")
	maxRecord := fs.Int("max-record-bytes", decision.DefaultMaxRecordBytes, "longest line accepted")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: candor verify-log --key PREFIX.pub [--head SEQ:HASH] [--repair] [--legacy] [--groups F --ref-column C --group-column C] LOG")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return 2
	}
	path := fs.Arg(0)
	opts := decision.VerifyOptions{Legacy: *legacy, MaxRecordBytes: *maxRecord}
	if *keyPath == "" {
		*keyPath = os.Getenv(envLogPub)
	}
	switch {
	case *keyPath != "":
		pub, err := score.ReadPublicKeyFile(*keyPath)
		if err != nil {
			return fail(stderr, "verify-log", err)
		}
		opts.PublicKey = pub
	case !*legacy:
		return fail(stderr, "verify-log", fmt.Errorf("needs the log writer's public key: --key PREFIX.pub or $%s "+
			"(the PREFIX.pub of the candor keygen --out PREFIX whose PREFIX.key writes the log)", envLogPub))
	}
	if *repair && *legacy {
		return fail(stderr, "verify-log", errors.New("--repair cuts back to the last signed record: a legacy log has none"))
	}
	if *head != "" {
		kept, err := decision.ParseLogHead(*head)
		if err != nil {
			return fail(stderr, "verify-log", fmt.Errorf("--head: %w", err))
		}
		opts.Head = kept
	}
	groupOf, err := readGroups(*groups, *refCol, *groupCol)
	if err != nil {
		return fail(stderr, "verify-log", err)
	}
	var rep verifyReport
	if *repair {
		r, err := decision.RepairLog(path, opts)
		if err != nil {
			return fail(stderr, "verify-log", err)
		}
		if r.Removed {
			torn := ""
			if r.Torn {
				torn = ", the last one torn"
			}
			fmt.Fprintf(stderr, "candor verify-log: %s: repaired: removed %d line(s) (%d complete record(s)%s), %d bytes from byte %d, kept in %s; the log now ends at record %d, signed\n  damage: %s\n",
				path, r.Lines, r.Records, torn, r.Bytes, r.Offset, r.SavedTo, r.Head.Seq, r.Reason)
			rep.Repaired = &r
		} else {
			fmt.Fprintf(stderr, "candor verify-log: %s: nothing to repair\n", path)
		}
	}
	fh, err := os.Open(path)
	if err != nil {
		return fail(stderr, "verify-log", err)
	}
	defer fh.Close()
	var gf func(e *decision.LogEntry) string
	if groupOf != nil {
		gf = func(e *decision.LogEntry) string { return groupOf[e.Decision.Ref] }
	}
	tally := decision.NewOverrideTally(gf)
	lr := decision.NewLogReader(fh, opts)
	for {
		e, err := lr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return reportBroken(stderr, path, opts, err, lr.Summary())
		}
		tally.Add(e)
	}
	sum := lr.Summary()
	rep.Intact, rep.Authenticated, rep.Summary, rep.Overrides = true, sum.Authenticated, sum, tally.Report()
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(rep); err != nil {
		return fail(stderr, "verify-log", err)
	}
	if !sum.Authenticated {
		fmt.Fprintf(stderr, "candor verify-log: %s: legacy log, NOT authenticated: its chain holds (%d records, head %s), but anyone can recompute it; start a new, signed log\n",
			path, sum.Records, sum.Head)
		return 0
	}
	what := "without a published head, records cut off after the last one cannot be seen"
	if opts.Head != (decision.LogHead{}) {
		what = fmt.Sprintf("it holds the published head %d", opts.Head.Seq)
	}
	fmt.Fprintf(stderr, "candor verify-log: %s intact: %d records (%d decisions, %d reviews), every one signed by %s; head %s (%s)\n",
		path, sum.Records, sum.Decisions, sum.Reviews, sum.KeyID, sum.Head, what)
	return 0
}

// reportBroken explains why a log did not verify and returns exit status 1.
func reportBroken(stderr io.Writer, path string, opts decision.VerifyOptions, err error, sum decision.LogSummary) int {
	var le *decision.LogError
	var he *decision.HeadError
	switch {
	case errors.As(err, &le):
		fmt.Fprintf(stderr, "candor verify-log: %s: first bad line %d (record %d, byte %d): %s\n", path, le.Line, le.Seq, le.Offset, le.Detail)
		if sum.SignedBytes > 0 {
			fmt.Fprintf(stderr, "  the log is signed up to record %d (its first %d bytes)", sum.Signed.Seq, sum.SignedBytes)
			if _, rerr := decision.CheckRepair(path, opts); errors.Is(rerr, decision.ErrNotRepaired) {
				// A signed checkpoint follows the damage: --repair refuses.
				fmt.Fprintf(stderr, ", and checkpoints signed by the writer follow the damage: it is inside the log, not a torn tail (a record edited, removed or inserted after it was signed, or the file corrupted); keep the file as evidence, compare it with a copy or backup, and start a new log\n")
			} else {
				fmt.Fprintf(stderr, "; if the damage is a torn tail (a crash, a full disk, records appended without the key), --repair cuts it off\n")
			}
		}
	case errors.As(err, &he):
		fmt.Fprintf(stderr, "candor verify-log: %s: %v\n", path, err)
	case errors.Is(err, decision.ErrLegacyLog):
		fmt.Fprintf(stderr, "candor verify-log: %s: %v\n  --legacy checks its chain alone (which proves nothing about who wrote it)\n", path, err)
	default:
		return fail(stderr, "verify-log", err)
	}
	return 1
}

// readGroups reads the reference -> group map; nil when path is empty.
func readGroups(path, refCol, groupCol string) (map[string]string, error) {
	if path == "" {
		return nil, nil
	}
	t, err := readTable(path, "")
	if err != nil {
		return nil, err
	}
	rc, gc := t.Column(refCol), t.Column(groupCol)
	if rc < 0 || gc < 0 {
		return nil, fmt.Errorf("%s: needs columns %q and %q", path, refCol, groupCol)
	}
	out := make(map[string]string, t.Len())
	for i := 0; i < t.Len(); i++ {
		out[t.Cell(i, rc)] = t.Cell(i, gc)
	}
	return out, nil
}

// demoDecisions is the demo stage for responsible decisions: a signed
// model, consent-aware decisions with referral to a person, a hash-chained
// decision log, a review, and the verifier catching a tampered log.
func demoDecisions(ctx context.Context, env *demoEnv) error {
	out := env.out
	spec := env.model.Spec()
	for i := range spec.Features {
		switch spec.Features[i].Name {
		case "telephone":
			spec.Features[i].DataCategory, spec.Features[i].Consent = "contact", []string{"credit"}
		case "credit_amount":
			spec.Features[i].Sensitive = true
		}
	}
	m, err := score.NewModel(spec)
	if err != nil {
		return err
	}
	fmt.Fprintln(out, "\nresponsible decisions: telephone needs consent for credit; credit_amount is sensitive")
	// A fixed demo key so that the output is reproducible; use candor keygen for real keys.
	seed := sha256.Sum256([]byte("candor demo signing key"))
	priv := ed25519.NewKeyFromSeed(seed[:])
	pub := priv.Public().(ed25519.PublicKey)
	f := m.File()
	if err := signing.Sign(&f, priv); err != nil {
		return err
	}
	var signed bytes.Buffer
	if err := f.Write(&signed); err != nil {
		return err
	}
	if m, err = score.LoadSigned(bytes.NewReader(signed.Bytes()), pub); err != nil {
		return err
	}
	fmt.Fprintf(out, "model signed by %s and accepted\n", score.KeyID(pub))
	f.Intercept += 0.1 // altered after signing, fingerprint left as it was
	var altered bytes.Buffer
	if err := f.Write(&altered); err != nil {
		return err
	}
	if _, err = score.LoadSigned(&altered, pub); !errors.Is(err, score.ErrFingerprint) {
		return fmt.Errorf("an altered model was not refused: %v", err)
	}
	fmt.Fprintf(out, "altered copy refused: %v\n", score.ErrFingerprint)

	pol := &decision.Policy{Version: "demo-1", Purpose: "credit", ReviewBand: 0.05}
	dc, err := decision.NewDecider(m, pol, nil)
	if err != nil {
		return err
	}
	var logBuf bytes.Buffer
	dkey := sha256.Sum256([]byte("candor demo digest key"))
	wseed := sha256.Sum256([]byte("candor demo log writer key"))
	writer := ed25519.NewKeyFromSeed(wseed[:])
	l, err := decision.NewLog(&logBuf, decision.LogOptions{SigningKey: writer, DigestKey: dkey[:], Random: bytes.NewReader(wseed[:16])})
	if err != nil {
		return err
	}
	at := time.Date(2026, 1, 15, 9, 0, 0, 0, time.UTC)
	fmt.Fprintf(out, "policy %s: cutoff %.2f, review band %.2f; odd rows have not consented to contact data\n", pol.Version, float64(m.Cutoff()), pol.ReviewBand)
	firstReferred := int64(0)
	for i := 0; i < 10; i++ {
		rec, err := env.table.Record(m.Schema(), i)
		if err != nil {
			return err
		}
		var consents score.Consents
		if i%2 == 0 {
			consents = score.Consents{{Purpose: "credit"}}
		}
		d, err := dc.Decide(rec, consents)
		if err != nil {
			return err
		}
		e, err := l.AppendDecision(decision.Input{Time: at.Add(time.Duration(i) * time.Minute), Model: m, Record: rec, Decision: &d, Ref: fmt.Sprintf("app-%d", i+1)})
		if err != nil {
			return err
		}
		var notes []string
		if len(d.Score.Neutralised) > 0 {
			notes = append(notes, "not used: "+strings.Join(d.Score.Neutralised, ", "))
		}
		for _, r := range d.Referrals {
			notes = append(notes, strings.TrimSpace("referred: "+string(r.Code)+" "+r.Feature))
		}
		row := fmt.Sprintf("  row %2d  p=%.3f  %-7s (model: %-7s)  %s", i+1, d.Shown().Probability, d.Outcome, d.ModelOutcome,
			strings.Join(notes, "; "))
		fmt.Fprintln(out, strings.TrimRight(row, " "))
		if d.Outcome == decision.Refer && firstReferred == 0 {
			firstReferred = e.Seq
		}
	}
	if firstReferred > 0 {
		if _, err := l.AppendReview(at.Add(time.Hour), firstReferred, "analyst-1", decision.Approve, ""); err != nil {
			return err
		}
	}
	vopts := decision.VerifyOptions{PublicKey: writer.Public().(ed25519.PublicKey)}
	entries, sum, err := decision.ReadLog(bytes.NewReader(logBuf.Bytes()), vopts)
	if err != nil {
		return err
	}
	rep := decision.Overrides(entries, nil)
	fmt.Fprintf(out, "decision log: %d records intact, each sealed by a checkpoint signed by %s, head %s; %d referred, %d reviewed, %d overridden\n",
		sum.Records, sum.KeyID, sum.Head.Hash[:19], rep.Overall.Referred, rep.Overall.Reviewed, rep.Overall.Overridden)
	// Line 1 is the header, line 2 its checkpoint; record k is line 2k+1,
	// its checkpoint line 2k+2.
	lines := bytes.SplitAfter(logBuf.Bytes(), []byte("\n"))
	lines[6], lines[7], lines[8], lines[9] = lines[8], lines[9], lines[6], lines[7]
	_, err = decision.VerifyLog(bytes.NewReader(bytes.Join(lines, nil)), vopts)
	fmt.Fprintf(out, "with records 3 and 4 swapped: %v\n", err)
	// Someone without the writer's key appends a record, chained as the
	// format says: it has no checkpoint, and they cannot make one.
	var last decision.LogEntry
	if err := json.Unmarshal(lines[len(lines)-3], &last); err != nil {
		return err
	}
	last.Seq, last.Prev, last.Hash = last.Seq+1, last.Hash, ""
	b, err := json.Marshal(&last)
	if err != nil {
		return err
	}
	h := sha256.Sum256(b)
	last.Hash = "sha256:" + hex.EncodeToString(h[:])
	if b, err = json.Marshal(&last); err != nil {
		return err
	}
	forged := append(append(bytes.Clone(logBuf.Bytes()), b...), '\n')
	_, err = decision.VerifyLog(bytes.NewReader(forged), vopts)
	fmt.Fprintf(out, "with a record appended without the key: %v\n", err)
	return nil
}
