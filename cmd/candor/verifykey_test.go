package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/signing"
)

// modelCommands are the argument lists of every command that loads a
// model, for model file M, in dir (which holds data.csv and actions.json).
func modelCommands(dir string) map[string][]string {
	data := filepath.Join(dir, "data.csv")
	audit := filepath.Join(dir, "audit.csv")
	return map[string][]string{
		"score":    {"score", "--data", data},
		"explain":  {"explain", "--data", data},
		"recourse": {"recourse", "--data", data, "--actions", filepath.Join(dir, "actions.json")},
		"audit":    {"audit", "--data", audit, "--label", "bad", "--favorable", "0", "--group", "sex", "--min-group-size", "1"},
		"monitor":  {"monitor", "--baseline", data, "--current", data},
		"convert":  {"convert", "--to", "pmml", "--out", filepath.Join(dir, "out.pmml")},
		"check":    {"check", "--data", data, "--actions", filepath.Join(dir, "actions.json")},
		"sql":      {"sql", "--dialect", "duckdb", "--out", filepath.Join(dir, "score.sql")},
	}
}

// signedFixture writes the sensitive-attack model unsigned, signed at
// version 3, and signed at version 3 then edited and re-fingerprinted
// (the signature kept), with a key pair and the commands' data.
func signedFixture(t *testing.T) (dir, unsigned, signed, refingerprinted, pub string) {
	t.Helper()
	dir, unsigned, _, m, _ := sensitiveFixture(t)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "actions.json"), []byte(`{"features": {"duration": {"direction": "decrease"}}}`), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "audit.csv"), []byte("income,marital,duration,housing,bad,sex\n"+
		"13579.25,mar_widowed,36,rent,1,f\n987654,mar_divorced,12,own,0,m\n11223.75,mar_single,48,free,0,f\n20000,mar_married,24,own,1,m\n"), 0o644))
	prefix := filepath.Join(dir, "k")
	_, err := signing.WriteKeyFiles(prefix, nil)
	require.NoError(t, err)
	priv, err := signing.ReadPrivateKeyFile(prefix + ".key")
	require.NoError(t, err)
	signed = filepath.Join(dir, "signed.json")
	require.NoError(t, signing.SignFileVersion(unsigned, signed, priv, 3))

	// The edit an attacker without the key can make: change the content,
	// recompute the fingerprint (a checksum: anyone can), keep the
	// signature.
	b, err := os.ReadFile(signed)
	require.NoError(t, err)
	var f score.File
	require.NoError(t, json.Unmarshal(b, &f))
	f.Intercept -= 3 // everyone looks safer
	edited, err := score.NewModel(f.Spec)
	require.NoError(t, err)
	require.NotEqual(t, m.Fingerprint(), edited.Fingerprint())
	f.Fingerprint = edited.Fingerprint()
	var buf bytes.Buffer
	require.NoError(t, f.Write(&buf))
	refingerprinted = filepath.Join(dir, "refingerprinted.json")
	require.NoError(t, os.WriteFile(refingerprinted, buf.Bytes(), 0o644))
	return dir, unsigned, signed, refingerprinted, prefix + ".pub"
}

// TestVerifyKeyEveryCommand: every command that loads a model takes
// --verify-key and --min-version, refuses an unsigned model, a
// re-fingerprinted edit and a rollback below --min-version, and runs on
// the signed model.
func TestVerifyKeyEveryCommand(t *testing.T) {
	dir, unsigned, signed, refp, pub := signedFixture(t)
	for name, args := range modelCommands(dir) {
		t.Run(name, func(t *testing.T) {
			with := func(model string, extra ...string) (int, string) {
				a := append(append([]string{}, args...), "--model", model)
				code, _, errOut := runCLI(t, append(a, extra...)...)
				return code, errOut
			}
			code, errOut := with(signed, "--verify-key", pub)
			require.Equal(t, 0, code, errOut)
			code, errOut = with(signed, "--verify-key", pub, "--min-version", "3")
			require.Equal(t, 0, code, errOut)

			code, errOut = with(unsigned, "--verify-key", pub)
			require.Equal(t, 1, code)
			require.Contains(t, errOut, "model file is not signed; refusing an unsigned model")

			code, errOut = with(refp, "--verify-key", pub)
			require.Equal(t, 1, code)
			require.Contains(t, errOut, "model signature is not valid for the required key: signature does not match the fingerprint and version; refusing the model")

			code, errOut = with(signed, "--verify-key", pub, "--min-version", "4")
			require.Equal(t, 1, code)
			require.Contains(t, errOut, "signed model version is older than required: signed version 3, minimum 4; refusing a rollback to an older model")

			code, errOut = with(signed, "--min-version", "3")
			require.Equal(t, 1, code)
			require.Contains(t, errOut, "--min-version needs --verify-key")

			// Without a key the re-fingerprinted edit loads: the
			// fingerprint is a checksum, not a seal (README "Security model").
			code, errOut = with(refp)
			require.Equal(t, 0, code, errOut)
		})
	}
}

// TestConvertMarksUnsealed: convert says that nothing vouches for its
// output, and why, for each kind of input.
func TestConvertMarksUnsealed(t *testing.T) {
	dir, unsigned, signed, _, pub := signedFixture(t)
	pmmlPath := filepath.Join(dir, "m.pmml")
	code, _, errOut := runCLI(t, "convert", "--model", unsigned, "--to", "pmml", "--out", pmmlPath)
	require.Equal(t, 0, code, errOut)
	require.Contains(t, errOut, "unsealed: the input was not verified (give --verify-key) and the output is unsigned; a fingerprint is a checksum anyone can recompute after an edit, not a seal")
	code, _, errOut = runCLI(t, "convert", "--model", pmmlPath, "--to", "json", "--out", filepath.Join(dir, "back.json"))
	require.Equal(t, 0, code, errOut)
	require.Contains(t, errOut, "unsealed: a pmml file carries no signature")
	sk := "../../score/sklearn/testdata/sklearn_german.json"
	code, _, errOut = runCLI(t, "convert", "--model", sk, "--to", "json", "--out", filepath.Join(dir, "sk.json"))
	require.Equal(t, 0, code, errOut)
	require.Contains(t, errOut, "unsealed: a sklearn file carries no signature")
	code, _, errOut = runCLI(t, "convert", "--model", sk, "--verify-key", pub, "--to", "json")
	require.Equal(t, 1, code)
	require.Contains(t, errOut, "carries no signature")
	code, _, errOut = runCLI(t, "convert", "--model", signed, "--verify-key", pub, "--to", "json", "--out", filepath.Join(dir, "copy.json"))
	require.Equal(t, 0, code, errOut)
	require.Contains(t, errOut, "the input's signature was verified; the output is unsealed (unsigned): candor sign it again")
	b, err := os.ReadFile(filepath.Join(dir, "copy.json"))
	require.NoError(t, err)
	require.NotContains(t, string(b), `"signature"`)
	// A PMML input is refused outright under --verify-key.
	code, _, errOut = runCLI(t, "convert", "--model", pmmlPath, "--verify-key", pub, "--to", "json")
	require.Equal(t, 1, code)
	require.Contains(t, errOut, "a pmml model file carries no signature")
}

// TestSignVersion: candor sign --version signs the version with the
// fingerprint, and says so.
func TestSignVersion(t *testing.T) {
	dir, unsigned, _, _, _ := signedFixture(t)
	out := filepath.Join(dir, "v9.json")
	code, _, errOut := runCLI(t, "sign", "--model", unsigned, "--key", filepath.Join(dir, "k.key"), "--version", "9", "--out", out)
	require.Equal(t, 0, code, errOut)
	require.True(t, strings.HasSuffix(strings.TrimSpace(errOut), ", version 9)"), errOut)
	b, err := os.ReadFile(out)
	require.NoError(t, err)
	var f score.File
	require.NoError(t, json.Unmarshal(b, &f))
	require.Equal(t, uint64(9), f.SignedVersion())
}
