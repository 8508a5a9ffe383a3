package score

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
)

// FormatName and FormatVersion identify candor's JSON model format.
const (
	FormatName    = "candor-model"
	FormatVersion = 1
)

// Signature is an ed25519 signature over the model's fingerprint string
// and, when Version is not 0, the version (see SignedMessage).
type Signature struct {
	Algorithm string `json:"algorithm"`  // "ed25519"
	PublicKey string `json:"public_key"` // base64 of the signer's public key
	Value     string `json:"value"`      // base64 signature of SignedMessage
	// Version is the model version the signer vouches for: a release
	// counter that only grows, so that a loader with a minimum version
	// (LoadSignedMin) refuses a rollback to an older signed model. 0 means
	// unversioned (signatures made before versions existed).
	Version uint64 `json:"version,omitempty"`
}

// File is the on-disk form of a model: the format header, the Spec, the
// fingerprint of the canonical content, and an optional signature.
type File struct {
	Format        string `json:"format"`
	FormatVersion int    `json:"format_version"`
	Spec
	Fingerprint string     `json:"fingerprint"`
	Signature   *Signature `json:"signature,omitempty"`
}

// canonical is the byte form the fingerprint covers: the compact JSON of the
// File with empty fingerprint and no signature. encoding/json writes fields
// in declaration order and floats in the shortest form that round-trips, so
// the bytes are a function of the model's content alone.
func canonical(spec *Spec) ([]byte, error) {
	f := File{Format: FormatName, FormatVersion: FormatVersion, Spec: *spec}
	b, err := json.Marshal(&f)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrModel, err)
	}
	return b, nil
}

func fingerprint(spec *Spec) (string, error) {
	b, err := canonical(spec)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(sum[:]), nil
}

// File returns the model's on-disk form (without a signature).
func (m *Model) File() File {
	return File{Format: FormatName, FormatVersion: FormatVersion, Spec: m.spec.clone(), Fingerprint: m.fp}
}

// Save writes the model as indented JSON with its fingerprint.
func (m *Model) Save(w io.Writer) error {
	f := m.File()
	return f.Write(w)
}

// Write writes the file as indented JSON.
func (f *File) Write(w io.Writer) error {
	b, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return fmt.Errorf("%w: %v", ErrModel, err)
	}
	b = append(b, '\n')
	_, err = w.Write(b)
	return err
}

// SaveFile writes the model to path.
func (m *Model) SaveFile(path string) error {
	var buf bytes.Buffer
	if err := m.Save(&buf); err != nil {
		return err
	}
	return os.WriteFile(path, buf.Bytes(), 0o644)
}

// MaxModelBytes is the largest JSON model file ReadFile (and so Load)
// accepts: 64 MiB. Past it the error is a *LimitError.
const MaxModelBytes = 64 << 20

// ReadFile parses a model file without building the model: it checks the
// format name and version and that the JSON is well formed, with no unknown
// fields. Most callers want Load.
func ReadFile(r io.Reader) (*File, error) {
	dec := json.NewDecoder(LimitReader(r, MaxModelBytes, "model file", "score.MaxModelBytes"))
	dec.DisallowUnknownFields()
	var f File
	if err := dec.Decode(&f); err != nil {
		var le *LimitError
		if errors.As(err, &le) {
			return nil, le
		}
		return nil, fmt.Errorf("%w: model JSON: %v", ErrMalformed, err)
	}
	if dec.More() {
		return nil, fmt.Errorf("%w: model JSON: data after the model object", ErrMalformed)
	}
	if f.Format != FormatName {
		return nil, fmt.Errorf("%w: format %q, want %q", ErrMalformed, f.Format, FormatName)
	}
	if f.FormatVersion != FormatVersion {
		return nil, fmt.Errorf("%w: version %d (this build reads %d)", ErrFormatVersion, f.FormatVersion, FormatVersion)
	}
	return &f, nil
}

// Model validates the file's spec, checks its fingerprint, and builds the
// model.
func (f *File) Model() (*Model, error) {
	m, err := NewModel(f.Spec)
	if err != nil {
		return nil, err
	}
	if f.Fingerprint != m.fp {
		return nil, fmt.Errorf("%w: file says %q, content hashes to %q", ErrFingerprint, f.Fingerprint, m.fp)
	}
	return m, nil
}

// Load reads a model file and returns the validated model. It refuses
// malformed JSON (ErrMalformed), an unknown format version
// (ErrFormatVersion), a fingerprint that does not match the content
// (ErrFingerprint), and a protected attribute used as an input
// (ErrProtectedInput). It never panics.
func Load(r io.Reader) (*Model, error) {
	f, err := ReadFile(r)
	if err != nil {
		return nil, err
	}
	return f.Model()
}

// LoadFile is Load on a file path.
func LoadFile(path string) (*Model, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	m, err := Load(fh)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return m, nil
}

// IsModelError reports whether err is about a model file or spec rather than
// about I/O.
func IsModelError(err error) bool {
	for _, s := range []error{ErrMalformed, ErrFormatVersion, ErrFingerprint, ErrProtectedInput, ErrModel, ErrSchema, ErrUnknownFeature} {
		if errors.Is(err, s) {
			return true
		}
	}
	return false
}
