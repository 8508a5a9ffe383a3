package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"

	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/signing"
)

// runKeygen writes an ed25519 key pair: PREFIX.key (PEM PKCS #8, mode 0600)
// and PREFIX.pub (PEM PKIX). It never overwrites existing files. stdout gets
// the public key's id.
func runKeygen(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("keygen", stderr)
	out := fs.String("out", "", "prefix of the key files: writes PREFIX.key and PREFIX.pub")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *out == "" {
		return fmt.Errorf("--out is required")
	}
	pub, err := signing.WriteKeyFiles(*out, rand.Reader)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, score.KeyID(pub))
	fmt.Fprintf(stderr, "candor keygen: wrote %s.key (private: keep it secret) and %s.pub (public: give it to services)\n", *out, *out)
	return nil
}
