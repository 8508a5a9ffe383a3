package fairness

import (
	"errors"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReweighHand(t *testing.T) {
	// N = 7; A: labels 1,1,0; B: 0,0,0,1. N_A 3, N_B 4, N_1 3, N_0 4,
	// N_A1 2, N_A0 1, N_B0 3, N_B1 1; w = N_g N_y / (N N_gy).
	labels := []bool{true, true, false, false, false, false, true}
	groups := []string{"A", "A", "A", "B", "B", "B", "B"}
	w, err := Reweigh(labels, groups)
	require.NoError(t, err)
	want := []float64{9.0 / 14, 9.0 / 14, 12.0 / 7, 16.0 / 21, 16.0 / 21, 16.0 / 21, 12.0 / 7}
	require.Len(t, w, len(want))
	sum := 0.0
	for i := range want {
		assert.InDelta(t, want[i], w[i], 1e-15, "row %d", i)
		sum += w[i]
	}
	assert.InDelta(t, 7.0, sum, 1e-12)
	// After reweighing, the weighted favourable rate is the same in every group.
	for _, g := range []string{"A", "B"} {
		var num, den float64
		for i := range labels {
			if groups[i] == g {
				den += w[i]
				if labels[i] {
					num += w[i]
				}
			}
		}
		assert.InDelta(t, 3.0/7, num/den, 1e-15, g)
	}
}

func TestReweighErrors(t *testing.T) {
	_, err := Reweigh(nil, nil)
	assert.ErrorIs(t, err, ErrEmpty)
	_, err = Reweigh([]bool{true}, []string{"a", "b"})
	assert.ErrorIs(t, err, ErrLength)
	_, err = Reweigh([]bool{true, false}, []string{"a", ""})
	var de *DataError
	require.True(t, errors.As(err, &de))
	assert.Equal(t, 1, de.Row)
	assert.ErrorIs(t, err, ErrMissingGroup)
}

// Hand table for thresholds:
//
//	A: scores 0.9 0.8 0.3 0.2, labels 1 0 1 0
//	B: scores 0.6 0.4 0.35 0.1, labels 1 1 0 0
//
// At base 0.5, A selects 2 of 4 and B 1 of 4; accuracy 5/8.
var (
	thScores = []float64{0.9, 0.8, 0.3, 0.2, 0.6, 0.4, 0.35, 0.1}
	thLabels = []bool{true, false, true, false, true, true, false, false}
	thGroups = []string{"A", "A", "A", "A", "B", "B", "B", "B"}
)

func TestGroupThresholdsSelectionRate(t *testing.T) {
	res, err := GroupThresholds(thScores, thLabels, thGroups, EqualSelectionRate, &ThresholdOptions{Base: 0.5, Rate: 0.5})
	require.NoError(t, err)
	require.Len(t, res.Groups, 2)
	assert.Equal(t, 0.8, res.Groups[0].Threshold)
	assert.Equal(t, 0.4, res.Groups[1].Threshold)
	assert.InDelta(t, 0.25, res.Groups[1].SelectionRateBefore.Value, 0)
	assert.InDelta(t, 0.5, res.Groups[1].SelectionRateAfter.Value, 0)
	assert.InDelta(t, 5.0/8, res.AccuracyBefore, 1e-15)
	assert.InDelta(t, 6.0/8, res.AccuracyAfter, 1e-15)
	assert.InDelta(t, 0.25, res.SpreadBefore, 1e-15)
	assert.InDelta(t, 0.0, res.SpreadAfter, 1e-15)

	// Default target: the overall rate at the base threshold, 3/8; A and B
	// can reach 1/4 or 1/2, equally close, and the smaller cut wins.
	res, err = GroupThresholds(thScores, thLabels, thGroups, EqualSelectionRate, &ThresholdOptions{Base: 0.5})
	require.NoError(t, err)
	assert.InDelta(t, 3.0/8, res.Rate, 1e-15)
	assert.Equal(t, 0.9, res.Groups[0].Threshold)
	assert.Equal(t, 0.6, res.Groups[1].Threshold)
}

func TestGroupThresholdsTPR(t *testing.T) {
	// Overall TPR at 0.5: positives 0.9, 0.3 (A), 0.6, 0.4 (B); 2 of 4
	// selected. A reaches 1/2 by selecting 0.9 only; B by selecting 0.6.
	res, err := GroupThresholds(thScores, thLabels, thGroups, EqualTPR, &ThresholdOptions{Base: 0.5})
	require.NoError(t, err)
	assert.InDelta(t, 0.5, res.Rate, 1e-15)
	assert.Equal(t, 0.9, res.Groups[0].Threshold)
	assert.Equal(t, 0.6, res.Groups[1].Threshold)
	assert.InDelta(t, 0.5, res.Groups[0].TPRAfter.Value, 0)
	assert.InDelta(t, 6.0/8, res.AccuracyAfter, 1e-15)

	// A group without favourable outcomes keeps the base threshold.
	res, err = GroupThresholds([]float64{0.9, 0.1, 0.7, 0.2}, []bool{true, false, false, false},
		[]string{"A", "A", "B", "B"}, EqualTPR, &ThresholdOptions{Base: 0.5})
	require.NoError(t, err)
	assert.Equal(t, 0.5, res.Groups[1].Threshold)
	assert.NotEmpty(t, res.Groups[1].Reason)
	assert.False(t, res.Groups[1].TPRAfter.Defined)
}

func TestGroupThresholdsHigherIsUnfavorable(t *testing.T) {
	// Event probabilities: 1 - the scores above. Favourable when score < threshold.
	ev := make([]float64, len(thScores))
	for i, s := range thScores {
		ev[i] = math.Round((1-s)*100) / 100
	}
	res, err := GroupThresholds(ev, thLabels, thGroups, EqualSelectionRate,
		&ThresholdOptions{Base: 0.5, Rate: 0.5, Direction: HigherIsUnfavorable})
	require.NoError(t, err)
	// A's two lowest event probabilities are 0.1 and 0.2; the first
	// unselected is 0.7.
	assert.Equal(t, 0.7, res.Groups[0].Threshold)
	ok, err := res.Favorable(0.2, "A")
	require.NoError(t, err)
	assert.True(t, ok)
	ok, err = res.Favorable(0.7, "A")
	require.NoError(t, err)
	assert.False(t, ok)
	assert.InDelta(t, 6.0/8, res.AccuracyAfter, 1e-15)

	// Select all (rate 1): the threshold lies just above the group's scores.
	res, err = GroupThresholds(ev, thLabels, thGroups, EqualSelectionRate,
		&ThresholdOptions{Base: 0.5, Rate: 1, Direction: HigherIsUnfavorable})
	require.NoError(t, err)
	assert.Greater(t, res.Groups[0].Threshold, 0.8)
	assert.InDelta(t, 1.0, res.Groups[0].SelectionRateAfter.Value, 0)
}

func TestGroupThresholdsTies(t *testing.T) {
	// Tied scores are selected together: the only cuts in A are 0, 2, 3.
	res, err := GroupThresholds([]float64{0.5, 0.5, 0.1}, []bool{true, false, false}, []string{"A", "A", "A"},
		EqualSelectionRate, &ThresholdOptions{Base: 0.9, Rate: 0.4})
	require.NoError(t, err)
	assert.Equal(t, 0.5, res.Groups[0].Threshold)
	assert.InDelta(t, 2.0/3, res.Groups[0].SelectionRateAfter.Value, 1e-15)
}

func TestGroupThresholdsErrors(t *testing.T) {
	_, err := GroupThresholds([]float64{math.NaN()}, []bool{true}, []string{"A"}, EqualTPR, nil)
	assert.ErrorIs(t, err, ErrNotFinite)
	_, err = GroupThresholds([]float64{1}, []bool{true, false}, []string{"A", "B"}, EqualTPR, nil)
	assert.ErrorIs(t, err, ErrLength)
	_, err = GroupThresholds([]float64{1}, []bool{true}, []string{"A"}, Target(9), nil)
	assert.ErrorIs(t, err, ErrOption)
	_, err = GroupThresholds([]float64{1}, []bool{false}, []string{"A"}, EqualTPR, nil)
	assert.ErrorIs(t, err, ErrEmpty)
	res, err := GroupThresholds([]float64{1}, []bool{true}, []string{"A"}, EqualTPR, nil)
	require.NoError(t, err)
	_, err = res.Favorable(1, "Z")
	assert.ErrorIs(t, err, ErrUnknownGroup)
}
