package fit_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/fit"
)

// TestBinningFormatCategorical: a categorical feature's bins are its
// levels ordered by event rate; the report said "trend ascending" of them
// (the trial's Property_Area), a shape that means nothing for labels.
func TestBinningFormatCategorical(t *testing.T) {
	var vals []score.Value
	var bad []bool
	for i := range 60 {
		vals = append(vals, score.Cat([]string{"Rural", "Semiurban", "Urban"}[i%3]))
		bad = append(bad, i%3 == 0 && i%2 == 0 || i%7 == 0)
	}
	b, err := fit.BinFeature(score.Feature{Name: "Property_Area", Kind: score.Categorical}, vals, bad, nil, nil)
	require.NoError(t, err)
	head, _, _ := strings.Cut(b.Format(), "\n")
	require.True(t, strings.HasPrefix(head, "Property_Area (categorical, levels ordered by event rate, IV "), head)
}
