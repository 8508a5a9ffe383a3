package main

// Decision logs on the command line: `candor score --decisions LOG` appends
// one hash-chained decision record per scored row, and `candor verify-log
// LOG` checks a log and reports how often reviewers overrode the model.

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/candorscore/candor/explain"
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
	refColumn  *string
	consentCol *string
}

func addDecisionFlags(fs *flag.FlagSet) *decisionFlags {
	return &decisionFlags{
		decisions:  fs.String("decisions", "", "append one decision record per scored row to this JSON Lines log"),
		policy:     fs.String("policy", "", "decision policy JSON (default: the model's cutoff, no review band)"),
		purpose:    fs.String("purpose", "", "purpose of scoring, checked against consents (overrides the policy's)"),
		consents:   fs.String("consents", "", "consents granted for every row: purpose[:category],..."),
		at:         fs.String("time", "", "decision time, RFC 3339 (default: now)"),
		digestKey:  fs.String("digest-key", "", "file with the hex input-digest key (default LOG.key, created if absent)"),
		refColumn:  fs.String("ref-column", "", "column holding each row's case reference for the decision record"),
		consentCol: fs.String("consent-column", "", "column holding each row's own consents (purpose[:category],...), added to --consents"),
	}
}

// decisionWriter decides and logs each scored row.
type decisionWriter struct {
	log      *decision.Log
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
		for _, f := range []*string{d.policy, d.purpose, d.consents, d.at, d.digestKey, d.refColumn, d.consentCol} {
			if *f != "" {
				return nil, errors.New("--policy, --purpose, --consents, --consent-column, --time, --digest-key and --ref-column need --decisions")
			}
		}
		return nil, nil
	}
	pol := &decision.Policy{Version: "default"}
	if *d.policy != "" {
		fh, err := os.Open(*d.policy)
		if err != nil {
			return nil, err
		}
		pol, err = decision.ParsePolicy(fh)
		fh.Close()
		if err != nil {
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
	key, err := digestKey(*d.digestKey, *d.decisions, stderr)
	if err != nil {
		return nil, err
	}
	l, err := decision.OpenLog(*d.decisions, key)
	if err != nil {
		return nil, err
	}
	return &decisionWriter{log: l, decider: dc, consents: consents, at: at, refCol: refCol, consentCol: consentCol, table: t,
		reasons: nReasons != 0}, nil
}

// digestKey reads the named key file, or LOG.key, creating it with a new
// random key when no file was named and it does not exist yet.
func digestKey(path, logPath string, stderr io.Writer) ([]byte, error) {
	if path != "" {
		return decision.ReadDigestKeyFile(path)
	}
	path = decision.DigestKeyPath(logPath)
	key, created, err := decision.OpenDigestKeyFile(path, nil)
	if created {
		fmt.Fprintf(stderr, "candor score: created input-digest key %s (keep it secret and apart from the log)\n", path)
	}
	return key, err
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

func (w *decisionWriter) close() error {
	if w == nil {
		return nil
	}
	return w.log.Close()
}

// verifyReport is the stdout of verify-log.
type verifyReport struct {
	Intact    bool                    `json:"intact"`
	Summary   decision.LogSummary     `json:"summary"`
	Overrides decision.OverrideReport `json:"overrides"`
}

func runVerifyLog(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("verify-log", stderr)
	groups := fs.String("groups", "", "CSV mapping case references to groups, for overrides per group")
	refCol := fs.String("ref-column", "ref", "column of --groups holding the case reference")
	groupCol := fs.String("group-column", "group", "column of --groups holding the group")
	head := fs.String("head", "", "a head kept elsewhere, SEQ:HASH: the log must still hold it (catches records cut off the end)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: candor verify-log [--head SEQ:HASH] [--groups F --ref-column C --group-column C] LOG")
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
	groupOf, err := readGroups(*groups, *refCol, *groupCol)
	if err != nil {
		return fail(stderr, "verify-log", err)
	}
	fh, err := os.Open(path)
	if err != nil {
		return fail(stderr, "verify-log", err)
	}
	entries, sum, err := decision.ReadLog(fh)
	fh.Close()
	if err != nil {
		var le *decision.LogError
		if errors.As(err, &le) {
			fmt.Fprintf(stderr, "candor verify-log: %s: first bad record at line %d (record %d): %s\n", path, le.Line, le.Seq, le.Detail)
			return 1
		}
		return fail(stderr, "verify-log", err)
	}
	if *head != "" {
		kept, err := decision.ParseLogHead(*head)
		if err != nil {
			return fail(stderr, "verify-log", fmt.Errorf("--head: %w", err))
		}
		if err := decision.CheckHead(entries, kept); err != nil {
			fmt.Fprintf(stderr, "candor verify-log: %s: %v\n", path, err)
			return 1
		}
	}
	rep := verifyReport{Intact: true, Summary: sum}
	var gf func(e *decision.LogEntry) string
	if groupOf != nil {
		gf = func(e *decision.LogEntry) string { return groupOf[e.Decision.Ref] }
	}
	rep.Overrides = decision.Overrides(entries, gf)
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(rep); err != nil {
		return fail(stderr, "verify-log", err)
	}
	fmt.Fprintf(stderr, "candor verify-log: %s intact: %d records (%d decisions, %d reviews), head %d %s\n",
		path, sum.Records, sum.Decisions, sum.Reviews, sum.Head.Seq, sum.Head.Hash)
	return 0
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
	l, err := decision.NewLog(&logBuf, dkey[:], decision.LogHead{}, nil)
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
	entries, sum, err := decision.ReadLog(bytes.NewReader(logBuf.Bytes()))
	if err != nil {
		return err
	}
	rep := decision.Overrides(entries, nil)
	fmt.Fprintf(out, "decision log: %d records intact, head %s; %d referred, %d reviewed, %d overridden\n",
		sum.Records, sum.Head.Hash[:19], rep.Overall.Referred, rep.Overall.Reviewed, rep.Overall.Overridden)
	lines := bytes.SplitAfter(logBuf.Bytes(), []byte("\n"))
	lines[2], lines[3] = lines[3], lines[2]
	_, err = decision.VerifyLog(bytes.NewReader(bytes.Join(lines, nil)))
	fmt.Fprintf(out, "with records 3 and 4 swapped: %v\n", err)
	return nil
}
