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
