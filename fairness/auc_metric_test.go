package fairness

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/internal/metric"
)

// TestGroupAUCMatchesMetric is the differential test of the audit's AUC,
// which walks each group's rows pre-sorted by oriented score, against the
// plain metric.AUC on the same rows (weights, ties and both directions).
func TestGroupAUCMatchesMetric(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 5))
	n := 300
	d := Data{Labels: make([]bool, n), Scores: make([]float64, n), Weights: make([]float64, n), Threshold: 0.5}
	g := make([]string, n)
	for i := range n {
		d.Scores[i] = math.Round(rng.Float64()*20) / 20 // ties
		d.Labels[i] = rng.Float64() < d.Scores[i]
		d.Weights[i] = 0.5 + rng.Float64()
		g[i] = []string{"A", "B", "C"}[rng.IntN(3)]
	}
	d.Groups = []GroupColumn{{Name: "g", Values: g}}
	for _, dir := range []Direction{HigherIsFavorable, HigherIsUnfavorable} {
		rep, err := Audit(context.Background(), d, &Options{Direction: dir})
		require.NoError(t, err)
		require.Len(t, rep.Groups, 3)
		for _, grp := range rep.Groups {
			var s, w []float64
			var l []bool
			for i := range n {
				if g[i] != grp.Name {
					continue
				}
				x := d.Scores[i]
				if dir == HigherIsUnfavorable {
					x = -x
				}
				s, l, w = append(s, x), append(l, d.Labels[i]), append(w, d.Weights[i])
			}
			require.True(t, grp.AUC.Defined, grp.Name)
			require.InDelta(t, metric.AUC(s, l, w), grp.AUC.Value, 1e-12, "%s, direction %v", grp.Name, dir)
		}
	}
}
