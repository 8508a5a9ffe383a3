package score_test

import (
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/examples/datasets"
	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/signing"
)

func versionedModel(t *testing.T, priv ed25519.PrivateKey, version uint64) []byte {
	t.Helper()
	f := datasets.MustModel(datasets.ScorecardSample).File()
	require.NoError(t, signing.SignVersion(&f, priv, version))
	var buf bytes.Buffer
	require.NoError(t, f.Write(&buf))
	return buf.Bytes()
}

// TestMinVersionRefusesRollback: an older signed model, valid as it is, is
// refused by a loader that requires a newer version, with both versions
// named; the same or newer is accepted.
func TestMinVersionRefusesRollback(t *testing.T) {
	pub, priv := keyFromSeed(7)
	v3, v7 := versionedModel(t, priv, 3), versionedModel(t, priv, 7)
	_, err := score.LoadSignedMin(bytes.NewReader(v3), pub, 7)
	require.ErrorIs(t, err, score.ErrRollback)
	var ve *score.VersionError
	require.ErrorAs(t, err, &ve)
	require.Equal(t, score.VersionError{Signed: 3, Min: 7}, *ve)
	require.EqualError(t, err, "signed model version is older than required: signed version 3, minimum 7")
	for _, b := range [][]byte{v7, versionedModel(t, priv, 8)} {
		_, err = score.LoadSignedMin(bytes.NewReader(b), pub, 7)
		require.NoError(t, err)
	}
	// An unversioned signature (version 0, as before versions) passes
	// only without a minimum.
	v0 := versionedModel(t, priv, 0)
	_, err = score.LoadSigned(bytes.NewReader(v0), pub)
	require.NoError(t, err)
	_, err = score.LoadSignedMin(bytes.NewReader(v0), pub, 1)
	require.ErrorIs(t, err, score.ErrRollback)
}

// TestVersionIsSigned: raising the version in the file (to pass a
// minimum) breaks the signature; so does moving a version-0 signature
// onto a version, and removing a version.
func TestVersionIsSigned(t *testing.T) {
	pub, priv := keyFromSeed(7)
	edit := func(b []byte, version uint64) []byte {
		var f score.File
		require.NoError(t, json.Unmarshal(b, &f))
		f.Signature.Version = version
		var buf bytes.Buffer
		require.NoError(t, f.Write(&buf))
		return buf.Bytes()
	}
	for _, c := range []struct {
		name     string
		file     []byte
		min      uint64
		wantFail bool
	}{
		{"version raised", edit(versionedModel(t, priv, 3), 9), 7, true},
		{"unversioned given a version", edit(versionedModel(t, priv, 0), 9), 7, true},
		{"version removed", edit(versionedModel(t, priv, 3), 0), 0, true},
		{"untouched", versionedModel(t, priv, 9), 7, false},
	} {
		_, err := score.LoadSignedMin(bytes.NewReader(c.file), pub, c.min)
		if c.wantFail {
			require.ErrorIs(t, err, score.ErrBadSignature, c.name)
		} else {
			require.NoError(t, err, c.name)
		}
	}
	// The signed message is the documented one.
	f := datasets.MustModel(datasets.ScorecardSample).File()
	require.NoError(t, signing.SignVersion(&f, priv, 5))
	sig, err := base64.StdEncoding.DecodeString(f.Signature.Value)
	require.NoError(t, err)
	require.True(t, ed25519.Verify(pub, []byte("candor-model-signature/v1\n"+f.Fingerprint+"\nversion 5"), sig))
	require.Equal(t, uint64(5), f.SignedVersion())
}

// A service that has run version 7 loads with a minimum of 7: the older
// signed model is refused, naming both versions.
func ExampleLoadSignedMin() {
	priv := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, ed25519.SeedSize))
	pub := priv.Public().(ed25519.PublicKey)
	f := datasets.MustModel(datasets.ScorecardSample).File()
	if err := signing.SignVersion(&f, priv, 6); err != nil {
		fmt.Println(err)
		return
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		fmt.Println(err)
		return
	}
	_, err := score.LoadSignedMin(&buf, pub, 7)
	fmt.Println(errors.Is(err, score.ErrRollback), err)
	// Output:
	// true signed model version is older than required: signed version 6, minimum 7
}
