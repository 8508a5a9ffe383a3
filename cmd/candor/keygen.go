package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"

	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/decision"
	"github.com/candorscore/candor/score/signing"
)

// runKeygen writes an ed25519 key pair: PREFIX.key (PEM PKCS #8, mode 0600)
// and PREFIX.pub (PEM PKIX), for signing models or a decision log; and with
// --digest-key FILE a decision log's input-digest key (hex, mode 0600). It
// never overwrites existing files. stdout gets the public key's id and the
// digest key's id.
func runKeygen(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("keygen", stderr)
	out := fs.String("out", "", "prefix of the key files: writes PREFIX.key and PREFIX.pub")
	digest := fs.String("digest-key", "", "write a new input-digest key for decision logs to this file (keep it apart from the log)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *out == "" && *digest == "" {
		return fmt.Errorf("--out or --digest-key is required")
	}
	if *out != "" {
		pub, err := signing.WriteKeyFiles(*out, rand.Reader)
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, score.KeyID(pub))
		fmt.Fprintf(stderr, "candor keygen: wrote %s.key (private: keep it secret) and %s.pub (public: give it to services and verifiers)\n", *out, *out)
	}
	if *digest != "" {
		key, err := decision.CreateDigestKeyFile(*digest, rand.Reader)
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, "digest:"+decision.DigestKeyID(key))
		fmt.Fprintf(stderr, "candor keygen: wrote %s (input-digest key: keep it secret and apart from the log)\n", *digest)
	}
	return nil
}
