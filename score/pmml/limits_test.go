package pmml_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/pmml"
)

// A 63 MB document of <a/> took over 3.5 GB to read: now its elements are
// counted in constant memory first, and it is refused by name.
func TestPMMLElementAndDepthLimits(t *testing.T) {
	doc := "<PMML version=\"4.4\">" + strings.Repeat("<a/>", 63<<20/4) + "</PMML>"
	_, err := pmml.Read(strings.NewReader(doc), nil)
	require.ErrorIs(t, err, score.ErrLimit)
	require.Contains(t, err.Error(), "more than 1000000 elements")

	deep := strings.Repeat("<a>", 1000) + strings.Repeat("</a>", 1000)
	_, err = pmml.Read(strings.NewReader(deep), nil)
	require.ErrorIs(t, err, score.ErrLimit)
	require.Contains(t, err.Error(), "levels of nesting")

	_, err = pmml.Read(bytes.NewReader(make([]byte, 100)), &pmml.Options{MaxBytes: 50})
	require.ErrorIs(t, err, score.ErrLimit)
	require.Contains(t, err.Error(), "pmml.Options.MaxBytes")
}
