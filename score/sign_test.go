package score_test

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/examples/datasets"
	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/signing"
)

// keyFromSeed gives a fixed key pair for tests.
func keyFromSeed(b byte) (ed25519.PublicKey, ed25519.PrivateKey) {
	priv := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{b}, ed25519.SeedSize))
	return priv.Public().(ed25519.PublicKey), priv
}

// signedModel returns the consent model's file text, signed by priv.
func signedModel(t *testing.T, priv ed25519.PrivateKey) []byte {
	t.Helper()
	f := datasets.MustModel(datasets.ConsentSample).File()
	require.NoError(t, signing.Sign(&f, priv))
	var buf bytes.Buffer
	require.NoError(t, f.Write(&buf))
	return buf.Bytes()
}

func TestLoadSigned(t *testing.T) {
	pub, priv := keyFromSeed(1)
	otherPub, otherPriv := keyFromSeed(2)
	good := signedModel(t, priv)
	m, err := score.LoadSigned(bytes.NewReader(good), pub)
	require.NoError(t, err)
	require.Equal(t, datasets.MustModel(datasets.ConsentSample).Fingerprint(), m.Fingerprint())
	// A signed file still loads without a key requirement.
	_, err = score.Load(bytes.NewReader(good))
	require.NoError(t, err)

	var unsigned bytes.Buffer
	require.NoError(t, datasets.MustModel(datasets.ConsentSample).Save(&unsigned))

	// Altering content and then recomputing the fingerprint, as a forger
	// would: the fingerprint now matches the content, so only the signature
	// can catch it.
	var f score.File
	require.NoError(t, json.Unmarshal(good, &f))
	f.Intercept = 5
	m2, err := score.NewModel(f.Spec)
	require.NoError(t, err)
	f.Fingerprint = m2.Fingerprint()
	var refingerprinted bytes.Buffer
	require.NoError(t, f.Write(&refingerprinted))

	badSig := func(edit func(s *score.Signature)) []byte {
		var f score.File
		require.NoError(t, json.Unmarshal(good, &f))
		edit(f.Signature)
		var b bytes.Buffer
		require.NoError(t, f.Write(&b))
		return b.Bytes()
	}
	otherSig := signedModel(t, otherPriv)
	cases := []struct {
		name string
		file []byte
		want error
		text string
	}{
		{"unsigned", unsigned.Bytes(), score.ErrUnsigned, ""},
		{"signed by another key", otherSig, score.ErrBadSignature, "another key"},
		{"other key claiming to be ours", badSig(func(s *score.Signature) {
			s.Value = base64.StdEncoding.EncodeToString(ed25519.Sign(otherPriv, []byte(datasets.MustModel(datasets.ConsentSample).Fingerprint())))
		}), score.ErrBadSignature, "does not match"},
		{"content altered", bytes.Replace(good, []byte(`"intercept": 1,`), []byte(`"intercept": 2,`), 1), score.ErrFingerprint, ""},
		{"content altered, fingerprint recomputed", refingerprinted.Bytes(), score.ErrBadSignature, "does not match"},
		{"signature corrupted", badSig(func(s *score.Signature) { s.Value = "AAAA" + s.Value[4:] }), score.ErrBadSignature, ""},
		{"signature not base64", badSig(func(s *score.Signature) { s.Value = "!!" }), score.ErrBadSignature, "malformed"},
		{"other algorithm", badSig(func(s *score.Signature) { s.Algorithm = "rsa" }), score.ErrBadSignature, "algorithm"},
		{"signer key malformed", badSig(func(s *score.Signature) { s.PublicKey = "abc" }), score.ErrBadSignature, "malformed"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := score.LoadSigned(bytes.NewReader(c.file), pub)
			require.ErrorIs(t, err, c.want)
			require.Contains(t, err.Error(), c.text)
		})
	}
	require.NotEqual(t, pub, otherPub)
	_, err = score.LoadSigned(bytes.NewReader(good), ed25519.PublicKey{1, 2})
	require.ErrorIs(t, err, score.ErrKey)
	_, err = score.LoadSigned(strings.NewReader("{"), pub)
	require.ErrorIs(t, err, score.ErrMalformed)
}

func TestSignRefusesInconsistentFile(t *testing.T) {
	_, priv := keyFromSeed(1)
	f := datasets.MustModel(datasets.ConsentSample).File()
	f.Intercept = 9 // content no longer matches the fingerprint
	require.ErrorIs(t, signing.Sign(&f, priv), score.ErrFingerprint)
	require.Nil(t, f.Signature)
	require.ErrorIs(t, signing.Sign(&f, ed25519.PrivateKey{1}), score.ErrKey)
}

func TestSignatureIsOverFingerprint(t *testing.T) {
	// The signature is the plain ed25519 signature of the fingerprint
	// string, so any ed25519 implementation can check it.
	pub, priv := keyFromSeed(3)
	f := datasets.MustModel(datasets.ConsentSample).File()
	require.NoError(t, signing.Sign(&f, priv))
	sig, err := base64.StdEncoding.DecodeString(f.Signature.Value)
	require.NoError(t, err)
	require.True(t, ed25519.Verify(pub, []byte(f.Fingerprint), sig))
	require.Equal(t, base64.StdEncoding.EncodeToString(pub), f.Signature.PublicKey)
	require.Equal(t, "ed25519", f.Signature.Algorithm)
	// The fingerprint is SHA-256 of the canonical content (unchanged by signing).
	require.True(t, strings.HasPrefix(f.Fingerprint, "sha256:"))
	_, err = hex.DecodeString(strings.TrimPrefix(f.Fingerprint, "sha256:"))
	require.NoError(t, err)
}

func TestKeyFiles(t *testing.T) {
	dir := t.TempDir()
	prefix := filepath.Join(dir, "release")
	pub, err := signing.WriteKeyFiles(prefix, rand.Reader)
	require.NoError(t, err)
	priv, err := signing.ReadPrivateKeyFile(prefix + ".key")
	require.NoError(t, err)
	pub2, err := score.ReadPublicKeyFile(prefix + ".pub")
	require.NoError(t, err)
	require.Equal(t, pub, pub2)
	require.Equal(t, pub, priv.Public())
	info, err := os.Stat(prefix + ".key")
	require.NoError(t, err)
	require.Equal(t, os.FileMode(0o600), info.Mode().Perm())
	pemText, err := os.ReadFile(prefix + ".pub")
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(string(pemText), "-----BEGIN PUBLIC KEY-----\n"))
	keyText, err := os.ReadFile(prefix + ".key")
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(string(keyText), "-----BEGIN PRIVATE KEY-----\n"))

	// Never overwrite a key.
	_, err = signing.WriteKeyFiles(prefix, rand.Reader)
	require.ErrorIs(t, err, os.ErrExist)
	// The wrong kind of key file.
	_, err = score.ReadPublicKeyFile(prefix + ".key")
	require.ErrorIs(t, err, score.ErrKey)
	_, err = signing.ReadPrivateKeyFile(prefix + ".pub")
	require.ErrorIs(t, err, score.ErrKey)
	_, err = score.ParsePublicKey([]byte("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"))
	require.ErrorIs(t, err, score.ErrKey)

	// Sign a model file in place and load it with the key.
	model := filepath.Join(dir, "model.json")
	require.NoError(t, datasets.MustModel(datasets.ConsentSample).SaveFile(model))
	_, err = score.LoadSignedFile(model, pub)
	require.ErrorIs(t, err, score.ErrUnsigned)
	require.NoError(t, signing.SignFile(model, model, priv))
	m, err := score.LoadSignedFile(model, pub)
	require.NoError(t, err)
	require.Equal(t, datasets.MustModel(datasets.ConsentSample).Fingerprint(), m.Fingerprint())
	// To another file: the source is left as it was.
	src := filepath.Join(dir, "src.json")
	require.NoError(t, datasets.MustModel(datasets.ConsentSample).SaveFile(src))
	require.NoError(t, signing.SignFile(src, filepath.Join(dir, "out.json"), priv))
	_, err = score.LoadSignedFile(src, pub)
	require.ErrorIs(t, err, score.ErrUnsigned)
	_, err = score.LoadSignedFile(filepath.Join(dir, "out.json"), pub)
	require.NoError(t, err)
}

func FuzzParsePublicKey(f *testing.F) {
	pub, _ := keyFromSeed(4)
	b, err := signing.MarshalPublicKey(pub)
	require.NoError(f, err)
	f.Add(b)
	f.Add([]byte("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		k, err := score.ParsePublicKey(b)
		if err != nil {
			require.ErrorIs(t, err, score.ErrKey)
			return
		}
		require.Len(t, k, ed25519.PublicKeySize)
		back, err := signing.MarshalPublicKey(k)
		require.NoError(t, err)
		k2, err := score.ParsePublicKey(back)
		require.NoError(t, err)
		require.Equal(t, k, k2)
	})
}

func BenchmarkLoadSigned(b *testing.B) {
	pub, priv := keyFromSeed(1)
	f := datasets.MustModel(datasets.ConsentSample).File()
	require.NoError(b, signing.Sign(&f, priv))
	var buf bytes.Buffer
	require.NoError(b, f.Write(&buf))
	text := buf.Bytes()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := score.LoadSigned(bytes.NewReader(text), pub); err != nil {
			b.Fatal(err)
		}
	}
}

func ExampleLoadSigned() {
	pub, priv := keyFromSeed(9) // in production: signing.WriteKeyFiles or ed25519.GenerateKey
	m := datasets.MustModel(datasets.ConsentSample)
	f := m.File()
	if err := signing.Sign(&f, priv); err != nil {
		panic(err)
	}
	var buf bytes.Buffer
	_ = f.Write(&buf)
	_, err := score.LoadSigned(bytes.NewReader(buf.Bytes()), pub)
	fmt.Println("signed:", err)
	var unsigned bytes.Buffer
	_ = m.Save(&unsigned)
	_, err = score.LoadSigned(&unsigned, pub)
	fmt.Println("unsigned:", err)
	// Output:
	// signed: <nil>
	// unsigned: model file is not signed
}

func TestSignRefusesProtectedInput(t *testing.T) {
	// A spec using a protected attribute as an input is never a model, so it
	// can be neither signed nor loaded, signed or not.
	_, priv := keyFromSeed(1)
	spec := datasets.MustModel(datasets.ConsentSample).Spec()
	spec.Features[0].Role = score.Protected
	f := score.File{Format: score.FormatName, FormatVersion: score.FormatVersion, Spec: spec, Fingerprint: "sha256:00"}
	require.ErrorIs(t, signing.Sign(&f, priv), score.ErrProtectedInput)
}
