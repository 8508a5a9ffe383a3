package metric

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestAUCAndKSByHand(t *testing.T) {
	// Events score 0.9, 0.4, 0.35; non-events 0.8, 0.4, 0.1.
	// Pairs (event > non-event): 0.9 beats 3; 0.4 beats 0.1 and ties 0.4 (1.5);
	// 0.35 beats 0.1 -> 3 + 1.5 + 1 = 5.5 of 9.
	scores := []float64{0.9, 0.4, 0.35, 0.8, 0.4, 0.1}
	events := []bool{true, true, true, false, false, false}
	require.InDelta(t, 5.5/9, AUC(scores, events, nil), 1e-15)
	// Cumulative shares (ascending): at 0.1: ev 0, nev 1/3; 0.35: 1/3, 1/3; 0.4: 2/3, 2/3;
	// 0.8: 2/3, 1; 0.9: 1, 1 -> max gap 1/3.
	require.InDelta(t, 1.0/3, KS(scores, events, nil), 1e-15)
	// Weight 2 on the first event = that row twice.
	w := []float64{2, 1, 1, 1, 1, 1}
	require.InDelta(t, (6+1.5+1)/12.0, AUC(scores, events, w), 1e-15)
	require.True(t, math.IsNaN(AUC([]float64{1}, []bool{true}, nil)))
}

func TestWilson(t *testing.T) {
	for _, c := range []struct {
		name      string
		p, n, z   float64
		lo, hi    float64
		tol       float64
		reference string
	}{
		// z = 2, n = 4, p = 1/2: z²/n = 1, centre (1/2 + 1/2)/2 = 1/2,
		// half 2/2 * sqrt(1/16 + 1/16) = 1/(2√2).
		{"half of four", 0.5, 4, 2, 0.5 - 1/(2*math.Sqrt2), 0.5 + 1/(2*math.Sqrt2), 1e-15, "by hand"},
		// z = 1, n = 1, p = 0: centre (0 + 1/2)/2 = 1/4, half 1/2 * sqrt(1/4) = 1/4.
		{"none of one", 0, 1, 1, 0, 0.5, 1e-15, "by hand"},
		// statsmodels proportion_confint(k, n, alpha=0.05, method="wilson"),
		// from score/decision/testdata/decision_refs.json.
		{"1 of 3", 1.0 / 3, 3, 1.959963984540054, 0.06149194472039626, 0.7923403991979523, 1e-12, "statsmodels"},
		{"2 of 2", 1, 2, 1.959963984540054, 0.342380227506653, 1.0, 1e-12, "statsmodels"},
		{"3 of 5", 0.6, 5, 1.959963984540054, 0.2307242812760129, 0.8823792257673522, 1e-12, "statsmodels"},
	} {
		t.Run(c.name, func(t *testing.T) {
			lo, hi := Wilson(c.p, c.n, c.z)
			require.InDelta(t, c.lo, lo, c.tol, c.reference)
			require.InDelta(t, c.hi, hi, c.tol, c.reference)
		})
	}
	lo, hi := Wilson(0.5, 0, 1.96)
	require.True(t, math.IsNaN(lo) && math.IsNaN(hi), "no trials: undefined")
}
