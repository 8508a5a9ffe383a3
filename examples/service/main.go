// Command service is an example credit-decision service built on candor: a
// net/http JSON API that scores a customer with their consents, decides
// (approve, decline, or refer to a person), explains the decision in the
// customer's language, records every decision in a hash-chained log, and
// takes reviewers' final outcomes.
//
//	candor keygen --out keys/log-writer --digest-key keys/digest.key
//	go run ./examples/service -log decisions.jsonl -log-key keys/log-writer.key -digest-key keys/digest.key
//	curl -s localhost:8080/score -d '{"ref":"app-1","customer":{"duration_in_month":24,...},
//	     "consents":[{"purpose":"credit","category":"contact"}]}'
//	curl -s localhost:8080/review -d '{"decision":1,"reviewer":"analyst-3","outcome":"approve"}'
//	candor verify-log --key keys/log-writer.pub decisions.jsonl
//
// Endpoints (all POST, JSON in and out; errors are 4xx with
// {"error": "...", "field": "..."}):
//
//   - /score: customer, consents, ref, lang -> decision number, outcome,
//     model outcome, probability, reasons with customer text, referral
//     reasons, neutralised features and a consent notice.
//   - /explain: the same input -> the exact breakdown (contributions that
//     add up to the score), reasons and text; nothing is logged.
//   - /review: decision, reviewer, outcome (approve or decline), note ->
//     the review is appended to the log. It needs "Authorization: Bearer
//     TOKEN" with the token in the environment variable CANDOR_REVIEW_TOKEN
//     (401 without it; 403 for every request when the variable is unset).
//     The note is at most 2,000 bytes, the reviewer 200, the body 16 KB.
//   - GET /healthz: {"status":"ok"} and the model served.
//
// As a server it bounds everything: 5 s to read the headers, 15 s the
// whole request, 20 s to write the answer, 60 s idle keep-alive, 16 KB of
// headers, 1 MB bodies (413 beyond), 10 s of work per request (503). On
// SIGINT or SIGTERM it stops accepting, lets requests in flight finish (up
// to 10 s) and only then closes the decision log.
//
// Without -model the service uses a logistic model fitted on the built-in
// German credit data (embedded as german_model.json), with telephone marked as contact data that needs
// consent for credit, and credit_amount as sensitive. With -model and
// -verify-key it refuses an unsigned, altered or otherwise-signed model.
package main

import (
	"bytes"
	"context"
	_ "embed"
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/decision"
	"github.com/candorscore/candor/score/signing"
)

func main() {
	addr := flag.String("addr", "localhost:8080", "listen address")
	modelPath := flag.String("model", "", "model file (default: fit German credit at start)")
	verifyKey := flag.String("verify-key", "", "require a valid signature on -model by this public key")
	minVersion := flag.Uint64("min-version", 0, "with -verify-key: refuse a model whose signed version is below this (no rollback)")
	policyPath := flag.String("policy", "", "decision policy JSON (default: purpose credit, review band 0.05)")
	logPath := flag.String("log", "decisions.jsonl", "decision log (JSON Lines, hash-chained, with signed checkpoints)")
	keyPath := flag.String("digest-key", os.Getenv("CANDOR_DIGEST_KEY_FILE"), "hex input-digest key file, kept apart from the log (candor keygen --digest-key FILE; default $CANDOR_DIGEST_KEY_FILE)")
	writerKey := flag.String("log-key", os.Getenv("CANDOR_LOG_KEY_FILE"), "the log writer's ed25519 private key, kept apart from the log (candor keygen --out PREFIX; default $CANDOR_LOG_KEY_FILE)")
	flag.Parse()

	m, err := loadModel(*modelPath, *verifyKey, *minVersion)
	if err != nil {
		log.Fatal(err)
	}
	pol := &decision.Policy{Version: "service-1", Purpose: "credit", ReviewBand: 0.05}
	if *policyPath != "" {
		fh, err := os.Open(*policyPath)
		if err != nil {
			log.Fatal(err)
		}
		pol, err = decision.ParsePolicy(fh)
		fh.Close()
		if err != nil {
			log.Fatal(err)
		}
	}
	opts, err := logKeys(*writerKey, *keyPath)
	if err != nil {
		log.Fatal(err)
	}
	dlog, err := decision.OpenLog(*logPath, opts)
	if err != nil {
		log.Fatal(err)
	}
	defer dlog.Close()
	srv, err := newServer(m, pol, dlog, time.Now)
	if err != nil {
		log.Fatal(err)
	}
	if srv.reviewToken = os.Getenv(reviewTokenEnv); srv.reviewToken == "" {
		log.Printf("%s is not set: /review is disabled", reviewTokenEnv)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	log.Printf("candor service: model %s %s, policy %s, log %s, listening on %s", m.Name(), m.Fingerprint(), pol.Version, *logPath, ln.Addr())
	if err := serve(ctx, newHTTPServer(*addr, srv.Handler()), ln, 10*time.Second); err != nil {
		log.Print(err)
	}
	// The log is closed (by the deferred Close) only after every request
	// in flight has finished or the grace period ran out.
}

// reviewTokenEnv is the environment variable holding /review's bearer
// token.
const reviewTokenEnv = "CANDOR_REVIEW_TOKEN"

// serve serves hs on ln until ctx is done, then shuts down gracefully: no
// new connections, requests in flight given up to grace to finish. It
// returns when they have (or the grace period ran out: then the error).
func serve(ctx context.Context, hs *http.Server, ln net.Listener, grace time.Duration) error {
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shut, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	err := hs.Shutdown(shut)
	if serr := <-errc; !errors.Is(serr, http.ErrServerClosed) && err == nil {
		err = serr
	}
	return err
}

func loadModel(path, verifyKey string, minVersion uint64) (*score.Model, error) {
	if path == "" {
		if verifyKey != "" {
			return nil, errors.New("-verify-key needs -model")
		}
		return demoModel()
	}
	if minVersion > 0 && verifyKey == "" {
		return nil, errors.New("-min-version needs -verify-key: only a signature makes a version trustworthy")
	}
	if verifyKey == "" {
		return score.LoadFile(path)
	}
	pub, err := score.ReadPublicKeyFile(verifyKey)
	if err != nil {
		return nil, err
	}
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	m, err := score.LoadSignedMin(fh, pub, minVersion)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return m, nil
}

// demoModel loads the built-in model: a logistic model fitted on German
// credit (see fitDemoModel in demo_model_test.go, which checks that the
// embedded file is exactly what that fit gives), with telephone marked as
// contact data that needs consent for credit and credit_amount as
// sensitive. Embedding the fitted file, rather than fitting at start, keeps
// the fitting code and the data sets out of the service binary.
func demoModel() (*score.Model, error) {
	return score.Load(bytes.NewReader(demoModelJSON))
}

//go:embed german_model.json
var demoModelJSON []byte

// logKeys reads the log writer's keys. There is no default file: a key
// beside the log is no secret from whoever can rewrite the log.
func logKeys(writerKey, digestKey string) (decision.LogOptions, error) {
	if writerKey == "" {
		return decision.LogOptions{}, errors.New("-log-key (or CANDOR_LOG_KEY_FILE) is required: the log writer's private key, made by candor keygen --out PREFIX (PREFIX.key; verifiers get PREFIX.pub)")
	}
	if digestKey == "" {
		return decision.LogOptions{}, errors.New("-digest-key (or CANDOR_DIGEST_KEY_FILE) is required: the input-digest key, made by candor keygen --digest-key FILE")
	}
	priv, err := signing.ReadPrivateKeyFile(writerKey)
	if err != nil {
		return decision.LogOptions{}, err
	}
	key, err := decision.ReadDigestKeyFile(digestKey)
	if err != nil {
		return decision.LogOptions{}, err
	}
	return decision.LogOptions{SigningKey: priv, DigestKey: key}, nil
}
