package score

import (
	"bytes"
	"crypto/ed25519"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"os"
)

// Signature errors.
var (
	// ErrUnsigned: a signature is required and the model file has none.
	ErrUnsigned = errors.New("model file is not signed")
	// ErrBadSignature: the signature is not a valid ed25519 signature of the
	// file's fingerprint by the required key (wrong key, altered
	// fingerprint, or a malformed signature).
	ErrBadSignature = errors.New("model signature is not valid for the required key")
	// ErrKey: a key file that cannot be read as the expected kind of key.
	ErrKey = errors.New("invalid key file")
	// ErrRollback: a validly signed model whose signed version is below the
	// minimum the loader requires (a *VersionError says both).
	ErrRollback = errors.New("signed model version is older than required")
)

// VersionError is a validly signed model refused for its version: Signed
// is the version its signature vouches for, Min the least one accepted.
// It unwraps to ErrRollback.
type VersionError struct {
	Signed, Min uint64
}

func (e *VersionError) Error() string {
	return fmt.Sprintf("%v: signed version %d, minimum %d", ErrRollback, e.Signed, e.Min)
}

// Unwrap returns ErrRollback.
func (e *VersionError) Unwrap() error { return ErrRollback }

// SignedMessage is what a signature signs: the fingerprint string alone
// for version 0 (as signatures before versions did), else
// "candor-model-signature/v1", the fingerprint and "version N" on lines of
// their own, so that neither the fingerprint nor the version can be
// changed without the key.
func SignedMessage(fingerprint string, version uint64) []byte {
	if version == 0 {
		return []byte(fingerprint)
	}
	return fmt.Appendf(nil, "candor-model-signature/v1\n%s\nversion %d", fingerprint, version)
}

// SignatureAlgorithm is the only algorithm model signatures use.
const SignatureAlgorithm = "ed25519"

// Key files are PEM text, readable by OpenSSL and other tools: a private key
// is a "PRIVATE KEY" block holding PKCS #8 DER, a public key a "PUBLIC KEY"
// block holding PKIX (SubjectPublicKeyInfo) DER, both for Ed25519 (RFC
// 8410). `openssl pkey -in PREFIX.key -pubout` prints the matching public key.

// ParsePublicKey decodes a PEM public key; it must be ed25519.
func ParsePublicKey(b []byte) (ed25519.PublicKey, error) {
	blk, _ := pem.Decode(b)
	if blk == nil || blk.Type != "PUBLIC KEY" {
		return nil, fmt.Errorf("%w: no PEM \"PUBLIC KEY\" block", ErrKey)
	}
	k, err := x509.ParsePKIXPublicKey(blk.Bytes)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrKey, err)
	}
	pub, ok := k.(ed25519.PublicKey)
	if !ok {
		return nil, fmt.Errorf("%w: public key is %T, want ed25519", ErrKey, k)
	}
	return pub, nil
}

// ReadPublicKeyFile reads a PEM ed25519 public key file.
func ReadPublicKeyFile(path string) (ed25519.PublicKey, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	k, err := ParsePublicKey(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return k, nil
}

// VerifySignature checks that the file is signed by pub: ErrUnsigned when it
// has no signature, ErrBadSignature when the signature is by another key,
// malformed, or not valid for the stored fingerprint. It does not check the
// fingerprint against the content; Model (and LoadSigned) does.
func (f *File) VerifySignature(pub ed25519.PublicKey) error {
	if len(pub) != ed25519.PublicKeySize {
		return fmt.Errorf("%w: public key has %d bytes", ErrKey, len(pub))
	}
	s := f.Signature
	if s == nil {
		return ErrUnsigned
	}
	if s.Algorithm != SignatureAlgorithm {
		return fmt.Errorf("%w: algorithm %q, want %q", ErrBadSignature, s.Algorithm, SignatureAlgorithm)
	}
	signer, err := base64.StdEncoding.DecodeString(s.PublicKey)
	if err != nil || len(signer) != ed25519.PublicKeySize {
		return fmt.Errorf("%w: malformed signer key", ErrBadSignature)
	}
	if !bytes.Equal(signer, pub) {
		return fmt.Errorf("%w: signed by another key (%s)", ErrBadSignature, KeyID(signer))
	}
	sig, err := base64.StdEncoding.DecodeString(s.Value)
	if err != nil || len(sig) != ed25519.SignatureSize {
		return fmt.Errorf("%w: malformed signature value", ErrBadSignature)
	}
	if !ed25519.Verify(pub, SignedMessage(f.Fingerprint, s.Version), sig) {
		return fmt.Errorf("%w: signature does not match the fingerprint and version", ErrBadSignature)
	}
	return nil
}

// SignedVersion is the version the file's signature vouches for: 0 when
// unsigned or unversioned. Trust it only after VerifySignature.
func (f *File) SignedVersion() uint64 {
	if f.Signature == nil {
		return 0
	}
	return f.Signature.Version
}

// KeyID is a short, printable name for a public key: "ed25519:" and the
// first 16 characters of its unpadded base64.
func KeyID(pub []byte) string {
	s := base64.RawStdEncoding.EncodeToString(pub)
	if len(s) > 16 {
		s = s[:16]
	}
	return "ed25519:" + s
}

// LoadSigned is Load for a service that requires a valid signature by pub:
// it refuses an unsigned file (ErrUnsigned), one signed by another key or
// whose fingerprint was replaced (ErrBadSignature), and one whose content
// was altered (ErrFingerprint), besides everything Load refuses.
func LoadSigned(r io.Reader, pub ed25519.PublicKey) (*Model, error) {
	return LoadSignedMin(r, pub, 0)
}

// LoadSignedMin is LoadSigned that also refuses a model whose signed
// version (Signature.Version) is below minVersion, with a *VersionError
// naming both (ErrRollback): a service that has run version 7 starts with
// minVersion 7, and an older signed model, valid as it is, is refused.
func LoadSignedMin(r io.Reader, pub ed25519.PublicKey, minVersion uint64) (*Model, error) {
	f, err := ReadFile(r)
	if err != nil {
		return nil, err
	}
	if err := f.VerifySignature(pub); err != nil {
		return nil, err
	}
	if v := f.SignedVersion(); v < minVersion {
		return nil, &VersionError{Signed: v, Min: minVersion}
	}
	return f.Model()
}

// LoadSignedFile is LoadSigned on a file path.
func LoadSignedFile(path string, pub ed25519.PublicKey) (*Model, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	m, err := LoadSigned(fh, pub)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return m, nil
}
