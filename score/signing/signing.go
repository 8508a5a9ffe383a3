package signing

import (
	"bytes"
	"crypto/ed25519"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/candorscore/candor/score"
)

// MarshalPrivateKey encodes an ed25519 private key as PEM (PKCS #8).
func MarshalPrivateKey(priv ed25519.PrivateKey) ([]byte, error) {
	der, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", score.ErrKey, err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), nil
}

// MarshalPublicKey encodes an ed25519 public key as PEM (PKIX).
func MarshalPublicKey(pub ed25519.PublicKey) ([]byte, error) {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", score.ErrKey, err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}), nil
}

// ParsePrivateKey decodes a PEM private key; it must be ed25519.
func ParsePrivateKey(b []byte) (ed25519.PrivateKey, error) {
	blk, _ := pem.Decode(b)
	if blk == nil || blk.Type != "PRIVATE KEY" {
		return nil, fmt.Errorf("%w: no PEM \"PRIVATE KEY\" block", score.ErrKey)
	}
	k, err := x509.ParsePKCS8PrivateKey(blk.Bytes)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", score.ErrKey, err)
	}
	priv, ok := k.(ed25519.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("%w: private key is %T, want ed25519", score.ErrKey, k)
	}
	return priv, nil
}

// WriteKeyFiles generates a key pair from rand (crypto/rand.Reader in
// production; nil means it) and writes PREFIX.key (private, mode 0600) and
// PREFIX.pub (public, 0644). It refuses to overwrite existing files.
func WriteKeyFiles(prefix string, rand io.Reader) (ed25519.PublicKey, error) {
	pub, priv, err := ed25519.GenerateKey(rand)
	if err != nil {
		return nil, err
	}
	kb, err := MarshalPrivateKey(priv)
	if err != nil {
		return nil, err
	}
	pb, err := MarshalPublicKey(pub)
	if err != nil {
		return nil, err
	}
	if err := writeNew(prefix+".key", kb, 0o600); err != nil {
		return nil, err
	}
	if err := writeNew(prefix+".pub", pb, 0o644); err != nil {
		os.Remove(prefix + ".key")
		return nil, err
	}
	return pub, nil
}

func writeNew(path string, b []byte, mode os.FileMode) error {
	fh, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
	if err != nil {
		return err
	}
	if _, err := fh.Write(b); err != nil {
		fh.Close()
		return err
	}
	return fh.Close()
}

// ReadPrivateKeyFile reads a PEM ed25519 private key file.
func ReadPrivateKeyFile(path string) (ed25519.PrivateKey, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	k, err := ParsePrivateKey(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return k, nil
}

// Sign checks that f's fingerprint matches its content (and that the
// content is a valid model) and signs the fingerprint with priv, replacing
// any earlier signature. The fingerprint covers the canonical content, so
// altering content is caught by the fingerprint and replacing the
// fingerprint is caught by the signature.
func Sign(f *score.File, priv ed25519.PrivateKey) error {
	return SignVersion(f, priv, 0)
}

// SignVersion is Sign with a model version (score.Signature.Version) that
// the signature covers along with the fingerprint (score.SignedMessage):
// loaders with a minimum version refuse older versions. 0 is unversioned.
func SignVersion(f *score.File, priv ed25519.PrivateKey, version uint64) error {
	if len(priv) != ed25519.PrivateKeySize {
		return fmt.Errorf("%w: private key has %d bytes", score.ErrKey, len(priv))
	}
	if _, err := f.Model(); err != nil {
		return err
	}
	pub := priv.Public().(ed25519.PublicKey)
	sig := ed25519.Sign(priv, score.SignedMessage(f.Fingerprint, version))
	f.Signature = &score.Signature{Algorithm: score.SignatureAlgorithm,
		PublicKey: base64.StdEncoding.EncodeToString(pub), Value: base64.StdEncoding.EncodeToString(sig), Version: version}
	return nil
}

// SignFile signs the model file at in with priv and writes it to out (which
// may be in itself; the file is replaced only after the signed version is
// written in full).
func SignFile(in, out string, priv ed25519.PrivateKey) error {
	return SignFileVersion(in, out, priv, 0)
}

// SignFileVersion is SignFile with a model version (SignVersion).
func SignFileVersion(in, out string, priv ed25519.PrivateKey, version uint64) error {
	fh, err := os.Open(in)
	if err != nil {
		return err
	}
	f, err := score.ReadFile(fh)
	fh.Close()
	if err != nil {
		return fmt.Errorf("%s: %w", in, err)
	}
	if err := SignVersion(f, priv, version); err != nil {
		return fmt.Errorf("%s: %w", in, err)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(out), ".candor-sign-*")
	if err != nil {
		return err
	}
	if _, err := tmp.Write(buf.Bytes()); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	if err := os.Rename(tmp.Name(), out); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return nil
}
