package pmml_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/score/pmml"
)

// bugReader stands for a bug below the importer: it panics when read.
type bugReader struct{}

func (bugReader) Read([]byte) (int, error) { panic("bug in the reader") }

// TestReadDoesNotHideBugs: a panic that is not about the input reaches the
// caller and the fuzzers instead of turning into ErrMalformed.
func TestReadDoesNotHideBugs(t *testing.T) {
	require.PanicsWithValue(t, "bug in the reader", func() { _, _ = pmml.Read(bugReader{}, nil) })
}
