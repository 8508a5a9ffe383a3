package modelfile_test

import (
	"bytes"
	"crypto/ed25519"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/modelfile"
	"github.com/candorscore/candor/score/pmml"
	"github.com/candorscore/candor/score/signing"
)

func TestReadDetectsEveryFormat(t *testing.T) {
	cases := []struct {
		name, path string
		want       modelfile.Format
	}{
		{"pmml", "../pmml/testdata/pmml_dmg_sample_scorecard.xml", modelfile.PMML},
		{"sklearn", "../sklearn/testdata/sklearn_german.json", modelfile.Sklearn},
		{"candor", "../pmml/testdata/model_german_scorecard.json", modelfile.Candor},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m, f, err := modelfile.ReadFile(c.path, nil)
			require.NoError(t, err)
			require.Equal(t, c.want, f)
			require.Positive(t, m.NumTerms())
		})
	}
}

func TestReadMatchesFormatPackages(t *testing.T) {
	b, err := os.ReadFile("../pmml/testdata/pmml_dmg_sample_scorecard.xml")
	require.NoError(t, err)
	want, err := pmml.Read(bytes.NewReader(b), nil)
	require.NoError(t, err)
	// A byte-order mark and leading white space are skipped.
	got, _, err := modelfile.Read(bytes.NewReader(append([]byte("\ufeff \n"), b...)), nil)
	require.NoError(t, err)
	require.Equal(t, want.Fingerprint(), got.Fingerprint())
}

func TestReadRefuses(t *testing.T) {
	for name, in := range map[string]string{
		"not a model": "hello",
		"bad json":    "{",
		"other json":  `{"format":"onnx"}`,
	} {
		t.Run(name, func(t *testing.T) {
			_, _, err := modelfile.Read(strings.NewReader(in), nil)
			require.ErrorIs(t, err, score.ErrMalformed)
		})
	}
	_, _, err := modelfile.ReadFile("testdata-does-not-exist.json", nil)
	require.ErrorIs(t, err, os.ErrNotExist)
}

func TestReadSigned(t *testing.T) {
	m, err := score.LoadFile("../pmml/testdata/model_german_scorecard.json")
	require.NoError(t, err)
	pub, priv, err := ed25519.GenerateKey(nil)
	require.NoError(t, err)
	other, _, err := ed25519.GenerateKey(nil)
	require.NoError(t, err)
	f := m.File()
	require.NoError(t, signing.Sign(&f, priv))
	var signed bytes.Buffer
	require.NoError(t, f.Write(&signed))

	got, format, err := modelfile.Read(bytes.NewReader(signed.Bytes()), &modelfile.Options{PublicKey: pub})
	require.NoError(t, err)
	require.Equal(t, modelfile.Candor, format)
	require.Equal(t, m.Fingerprint(), got.Fingerprint())

	_, _, err = modelfile.Read(bytes.NewReader(signed.Bytes()), &modelfile.Options{PublicKey: other})
	require.ErrorIs(t, err, score.ErrBadSignature)

	var unsigned bytes.Buffer
	require.NoError(t, m.Save(&unsigned))
	_, _, err = modelfile.Read(&unsigned, &modelfile.Options{PublicKey: pub})
	require.ErrorIs(t, err, score.ErrUnsigned)

	// PMML carries no signature: refused when one is required.
	_, _, err = modelfile.ReadFile("../pmml/testdata/pmml_dmg_sample_scorecard.xml", &modelfile.Options{PublicKey: pub})
	require.ErrorIs(t, err, score.ErrUnsigned)
}
