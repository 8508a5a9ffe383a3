package fairness

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCramersVHand(t *testing.T) {
	g := GroupColumn{Name: "sex", Values: []string{"m", "m", "f", "f"}}
	rep, err := Proxies([]Column{
		{Name: "same", Categories: []string{"a", "a", "b", "b"}},
		{Name: "independent", Categories: []string{"a", "b", "a", "b"}},
		{Name: "constant", Categories: []string{"a", "a", "a", "a"}},
		{Name: "eta", Numeric: []float64{1, 2, 3, 4}},
		{Name: "flat", Numeric: []float64{2, 2, 2, 2}},
		{Name: "gaps", Numeric: []float64{1, math.NaN(), 3, 4}},
	}, []GroupColumn{g}, &ProxyOptions{Folds: 2})
	require.NoError(t, err)
	a := rep.Associations
	require.Len(t, a, 6)
	assert.Equal(t, "cramers_v", a[0].Measure)
	assert.InDelta(t, 1.0, a[0].Value.Value, 1e-15)
	assert.True(t, a[0].Flagged)
	assert.InDelta(t, 0.0, a[1].Value.Value, 1e-15)
	assert.False(t, a[2].Value.Defined)
	// eta: group means 1.5 and 3.5 around 2.5: SS_between 4, SS_total 5.
	assert.Equal(t, "correlation_ratio", a[3].Measure)
	assert.InDelta(t, math.Sqrt(0.8), a[3].Value.Value, 1e-15)
	assert.False(t, a[4].Value.Defined)
	assert.Equal(t, "input is constant", a[4].Value.Reason)
	// Rows 0, 2, 3: m {1}, f {3, 4}; mean 8/3; SS_between = (1-8/3)^2 + 2 (3.5-8/3)^2, SS_total = 14/3.
	ssb := math.Pow(1-8.0/3, 2) + 2*math.Pow(3.5-8.0/3, 2)
	assert.InDelta(t, math.Sqrt(ssb/(14.0/3)), a[5].Value.Value, 1e-15)
	assert.Equal(t, 3, a[5].Rows)
	assert.Len(t, rep.Flagged(), 3) // same, eta, gaps
}

func TestCramersV3x2(t *testing.T) {
	// Table [[3,1],[1,2],[0,3]]: scipy.stats.chi2_contingency(correction=False)
	// gives V = 0.6400954789890506.
	var x, g []string
	for _, c := range []struct {
		x, g string
		n    int
	}{{"a", "m", 3}, {"a", "f", 1}, {"b", "m", 1}, {"b", "f", 2}, {"c", "f", 3}} {
		for range c.n {
			x, g = append(x, c.x), append(g, c.g)
		}
	}
	rep, err := Proxies([]Column{{Name: "x", Categories: x}}, []GroupColumn{{Name: "g", Values: g}}, nil)
	require.NoError(t, err)
	assert.InDelta(t, 0.6400954789890506, rep.Associations[0].Value.Value, 1e-12)
}

func TestProxiesPredictability(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	n := 2000
	sex := make([]string, n)
	race := make([]string, n)
	proxy := make([]float64, n)
	noise := make([]float64, n)
	cat := make([]string, n)
	for i := range sex {
		sex[i] = []string{"f", "m"}[rng.IntN(2)]
		race[i] = []string{"a", "b", "c"}[rng.IntN(3)]
		proxy[i] = rng.NormFloat64()
		if sex[i] == "m" {
			proxy[i] += 3
		}
		noise[i] = rng.NormFloat64()
		cat[i] = []string{"x", "y"}[rng.IntN(2)]
	}
	rep, err := Proxies([]Column{{Name: "proxy", Numeric: proxy}, {Name: "noise", Numeric: noise}, {Name: "cat", Categories: cat}},
		[]GroupColumn{{Name: "sex", Values: sex}, {Name: "race", Values: race}}, nil)
	require.NoError(t, err)
	require.Len(t, rep.Predictability, 2)
	s := rep.Predictability[0]
	assert.Equal(t, "sex", s.Protected)
	// Two unit normals 3 apart: AUC = Phi(3/sqrt 2) = 0.983.
	assert.InDelta(t, 0.983, s.AUC.Value, 0.01)
	assert.True(t, s.Flagged)
	assert.InDelta(t, s.Classes[0].AUC.Value, s.Classes[1].AUC.Value, 1e-12)
	r := rep.Predictability[1]
	assert.InDelta(t, 0.5, r.AUC.Value, 0.05)
	assert.False(t, r.Flagged)
	assert.Len(t, r.Classes, 3)
	// proxy vs sex: eta of a 3-sd shift is 1.5/sqrt(1+2.25) = 0.83.
	assert.InDelta(t, 0.83, rep.Associations[0].Value.Value, 0.02)
	assert.True(t, rep.Associations[0].Flagged)

	// Deterministic.
	rep2, err := Proxies([]Column{{Name: "proxy", Numeric: proxy}, {Name: "noise", Numeric: noise}, {Name: "cat", Categories: cat}},
		[]GroupColumn{{Name: "sex", Values: sex}, {Name: "race", Values: race}}, nil)
	require.NoError(t, err)
	assert.Equal(t, rep, rep2)
}

func TestProxiesErrors(t *testing.T) {
	g := []GroupColumn{{Name: "g", Values: []string{"a", "b"}}}
	_, err := Proxies([]Column{{Name: "x"}}, g, nil)
	assert.ErrorIs(t, err, ErrColumnKind)
	_, err = Proxies([]Column{{Name: "x", Numeric: []float64{1}}}, g, nil)
	assert.ErrorIs(t, err, ErrLength)
	_, err = Proxies([]Column{{Name: "x", Numeric: []float64{1, math.Inf(1)}}}, g, nil)
	assert.ErrorIs(t, err, ErrNotFinite)
	_, err = Proxies([]Column{{Name: "x", Numeric: []float64{1, 2}}}, nil, nil)
	assert.ErrorIs(t, err, ErrNoGroups)
	_, err = Proxies([]Column{{Name: "x", Numeric: []float64{1, 2}}}, []GroupColumn{{Name: "g", Values: []string{"a", ""}}}, nil)
	assert.ErrorIs(t, err, ErrMissingGroup)
}
