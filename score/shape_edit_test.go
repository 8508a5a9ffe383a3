package score_test

import (
	"bytes"
	"crypto/ed25519"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/signing"
)

// TestEditShapeAndRescore: merging two bins and flattening a region of a
// shape, then rescoring, gives the hand-computed scores; the fingerprint
// changes, so the old signature no longer verifies and the edited model
// must be signed again.
func TestEditShapeAndRescore(t *testing.T) {
	spec := pairSpec()
	// income bins: < 50 (effect 0.5), >= 50 (-0.25), missing (0.125); give
	// them counts 30, 10, 2.
	for k, c := range []float64{30, 10, 2} {
		spec.Terms[0].Bins[k].Count = c
	}
	m, err := score.NewModel(spec)
	require.NoError(t, err)
	_, priv, err := ed25519.GenerateKey(bytes.NewReader(make([]byte, 64)))
	require.NoError(t, err)
	f := m.File()
	require.NoError(t, signing.Sign(&f, priv))
	pub := priv.Public().(ed25519.PublicKey)
	require.NoError(t, f.VerifySignature(pub))

	ed := m.Spec()
	require.NoError(t, ed.Terms[0].MergeBins(0, 1))
	require.Len(t, ed.Terms[0].Bins, 2)
	// (30*0.5 + 10*(-0.25)) / 40 = 0.3125
	require.InDelta(t, 0.3125, ed.Terms[0].Bins[0].Effect, 1e-15)
	require.Nil(t, ed.Terms[0].Bins[0].Lower)
	require.Nil(t, ed.Terms[0].Bins[0].Upper)
	require.Equal(t, 40.0, ed.Terms[0].Bins[0].Count)
	require.NoError(t, ed.Terms[1].Flatten(0, 1, 0))
	em, err := score.NewModel(ed)
	require.NoError(t, err)
	require.NotEqual(t, m.Fingerprint(), em.Fingerprint())
	// income 80, south: -1 + 0.3125 (merged) + 0 (flattened region) + 0.2 (pair: high, south)
	r, err := em.Score(score.Record{score.Num(80), score.Cat("south")})
	require.NoError(t, err)
	require.InDelta(t, -1+0.3125+0+0.2, r.Score, 1e-15)
	// The old signature does not vouch for the edited model.
	ef := em.File()
	ef.Signature = f.Signature
	require.ErrorIs(t, ef.VerifySignature(pub), score.ErrBadSignature)
	var buf bytes.Buffer
	require.NoError(t, em.Save(&buf))
	_, err = score.LoadSigned(bytes.NewReader(buf.Bytes()), pub)
	require.ErrorIs(t, err, score.ErrUnsigned)
	require.NoError(t, signing.Sign(&ef, priv))
	require.NoError(t, ef.VerifySignature(pub))

	// Bad edits are errors naming the feature.
	bad := m.Spec()
	require.ErrorIs(t, bad.Terms[0].MergeBins(1, 2), score.ErrModel, "the missing bin is no range")
	require.ErrorIs(t, bad.Terms[0].MergeBins(2, 1), score.ErrModel)
	require.ErrorIs(t, bad.Terms[2].MergeBins(0, 1), score.ErrModel, "a pair term's bins carry no effects")
}
