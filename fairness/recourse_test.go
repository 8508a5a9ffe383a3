package fairness

import (
	"encoding/json"
	"fmt"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRecourseBurdenHand(t *testing.T) {
	inf := math.Inf(1)
	// A adverse costs 1, 3, +Inf (mean 2, 1 of 3 infeasible); B adverse
	// 4, 6 (mean 5), plus a non-adverse row whose cost is ignored; C has no
	// feasible row.
	costs := []float64{1, 3, inf, 4, 6, -100, math.NaN()}
	adverse := []bool{true, true, true, true, true, false, true}
	groups := GroupColumn{Name: "g", Values: []string{"A", "A", "A", "B", "B", "B", "C"}}
	b, err := RecourseBurden(costs, adverse, groups, &BurdenOptions{Bootstrap: 200, Seed: 5})
	require.NoError(t, err)
	require.Len(t, b.Groups, 3)
	assert.Equal(t, "A", b.Cheapest)
	a, bb, c := b.Groups[0], b.Groups[1], b.Groups[2]
	assert.Equal(t, 3, a.Adverse)
	assert.Equal(t, 2, a.Feasible)
	assert.InDelta(t, 1.0/3, a.Infeasible.Value, 1e-15)
	assert.InDelta(t, 2.0, a.MeanCost.Value, 1e-15)
	assert.InDelta(t, 0.0, a.Difference.Value, 0)
	assert.Equal(t, 2, bb.Adverse)
	assert.InDelta(t, 5.0, bb.MeanCost.Value, 1e-15)
	assert.InDelta(t, 3.0, bb.Difference.Value, 1e-15)
	// B's mean ranges over 4..6 and A's over 1..3.
	assert.GreaterOrEqual(t, bb.Difference.Lo, 1.0)
	assert.LessOrEqual(t, bb.Difference.Hi, 5.0)
	assert.Positive(t, bb.Difference.Replicates)
	assert.False(t, c.MeanCost.Defined)
	assert.InDelta(t, 1.0, c.Infeasible.Value, 0)
	assert.False(t, c.Difference.Defined)
	assert.Len(t, b.Warnings, 3) // all groups below 30

	b2, err := RecourseBurden(costs, adverse, groups, &BurdenOptions{Bootstrap: 200, Seed: 5})
	require.NoError(t, err)
	assert.Equal(t, fmt.Sprintf("%+v", b), fmt.Sprintf("%+v", b2)) // NaN fields compare as text
}

func TestRecourseBurdenErrors(t *testing.T) {
	g := GroupColumn{Name: "g", Values: []string{"A", "B"}}
	_, err := RecourseBurden([]float64{1, -1}, []bool{true, true}, g, nil)
	assert.ErrorIs(t, err, ErrNegative)
	_, err = RecourseBurden([]float64{1, math.Inf(-1)}, []bool{true, true}, g, nil)
	assert.ErrorIs(t, err, ErrNegative)
	_, err = RecourseBurden([]float64{1}, []bool{true, true}, g, nil)
	assert.ErrorIs(t, err, ErrLength)
	_, err = RecourseBurden([]float64{1, 1}, []bool{true, true}, GroupColumn{Values: g.Values}, nil)
	assert.ErrorIs(t, err, ErrNoGroups)
}

func TestResultsEncodeJSON(t *testing.T) {
	// NaN never reaches encoding/json: every result type encodes.
	b, err := RecourseBurden([]float64{1, math.NaN()}, []bool{true, true}, GroupColumn{Name: "g", Values: []string{"A", "B"}},
		&BurdenOptions{Bootstrap: 10})
	require.NoError(t, err)
	out, err := json.Marshal(b)
	require.NoError(t, err)
	assert.Contains(t, string(out), `"mean_cost":null,"mean_cost_reason":"no adverse row in group has a feasible recourse"`)
	th, err := GroupThresholds([]float64{0.9, 0.1, 0.7, 0.2}, []bool{true, false, false, false},
		[]string{"A", "A", "B", "B"}, EqualTPR, &ThresholdOptions{Base: 0.5})
	require.NoError(t, err)
	out, err = json.Marshal(th)
	require.NoError(t, err)
	assert.Contains(t, string(out), `"target":"equal_true_positive_rate"`)
	p, err := Proxies([]Column{{Name: "x", Numeric: []float64{1, 1, 1, 1}}}, []GroupColumn{{Name: "g", Values: []string{"a", "a", "b", "b"}}}, nil)
	require.NoError(t, err)
	out, err = json.Marshal(p)
	require.NoError(t, err)
	assert.Contains(t, string(out), `"value":{"value":null,"reason":"input is constant"}`)
}
