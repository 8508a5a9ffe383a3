package main

import (
	"context"
	"crypto/ed25519"
	"fmt"
	"io"

	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/signing"
)

// runSign signs a model file with an ed25519 private key: in place, or into
// --out. The model must load (its fingerprint must match its content).
func runSign(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("sign", stderr)
	model := fs.String("model", "", "model file to sign")
	keyPath := fs.String("key", "", "private key file (PREFIX.key from candor keygen)")
	out := fs.String("out", "", "write the signed model here (default: sign the model file in place)")
	version := fs.Uint64("version", 0, "model version the signature vouches for (a release counter; loaders with --min-version refuse older ones); 0: unversioned")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *model == "" || *keyPath == "" {
		return fmt.Errorf("--model and --key are required")
	}
	priv, err := signing.ReadPrivateKeyFile(*keyPath)
	if err != nil {
		return err
	}
	dst := *out
	if dst == "" {
		dst = *model
	}
	if err := signing.SignFileVersion(*model, dst, priv, *version); err != nil {
		return err
	}
	m, err := score.LoadFile(dst)
	if err != nil {
		return err
	}
	v := ""
	if *version > 0 {
		v = fmt.Sprintf(", version %d", *version)
	}
	fmt.Fprintf(stderr, "candor sign: %s signed by %s (fingerprint %s%s)\n", dst, score.KeyID(priv.Public().(ed25519.PublicKey)), m.Fingerprint(), v)
	return nil
}
