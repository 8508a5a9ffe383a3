package score_test

import (
	"crypto/ed25519"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/score"
)

// bugReader stands for a bug below the loader: it panics when read.
type bugReader struct{}

func (bugReader) Read([]byte) (int, error) { panic("bug in the reader") }

// TestLoadDoesNotHideBugs: a panic that is not about the input (here one
// from the reader) reaches the caller and the fuzzers instead of turning
// into ErrMalformed.
func TestLoadDoesNotHideBugs(t *testing.T) {
	require.PanicsWithValue(t, "bug in the reader", func() { _, _ = score.Load(bugReader{}) })
	pub := make(ed25519.PublicKey, ed25519.PublicKeySize)
	require.PanicsWithValue(t, "bug in the reader", func() { _, _ = score.LoadSigned(bugReader{}, pub) })
}
