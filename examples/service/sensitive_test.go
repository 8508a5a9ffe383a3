package main

import (
	"encoding/json"
	"math"
	"net/http"
	"os"
	"regexp"
	"sort"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/explain"
	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/decision"
)

// TestInversionAttack repeats issue 14's attack on the service: with the
// model file and the customer's other values, credit_amount (sensitive,
// a linear term: effect = coef * x) came back exactly from /score's
// probability and reasons, /explain's contributions and the log. Every
// number of every answer and of the log is read as an effect, a
// contribution, a score and a probability; none gives the amount back.
func TestInversionAttack(t *testing.T) {
	s := newTestService(t, nil)
	m := sharedModel(t)
	j := m.TermOf("credit_amount")
	coef, base := m.Term(j).Coef, m.Term(j).Baseline
	num := regexp.MustCompile(`-?[0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?`)
	recovers := func(out string, rec score.Record) []float64 {
		x := rec[m.Schema().Index("credit_amount")].Float()
		others := m.Intercept()
		for k := range m.NumTerms() {
			if k != j {
				e, _, err := m.Effect(k, rec[m.TermFeature(k)])
				require.NoError(t, err)
				others += e
			}
		}
		var got []float64
		for _, sn := range num.FindAllString(out, -1) {
			n, _ := strconv.ParseFloat(sn, 64)
			cands := []float64{n * coef, n, n + base, n - others}
			if n > 0 && n < 1 {
				cands = append(cands, math.Log(n/(1-n))-others)
			}
			for _, e := range cands {
				if math.Abs(e/coef-x) <= 0.005 {
					got = append(got, n)
				}
			}
		}
		return got
	}
	for i, amount := range []float64{13579.25, 987654, 11223.75} {
		c := customer(t, i)
		c["credit_amount"] = amount
		rec, err := m.Schema().RecordFromMap(c)
		require.NoError(t, err)
		for _, path := range []string{"/score", "/explain"} {
			code, body := s.post(t, path, map[string]any{"customer": c, "consents": allConsents})
			require.Equal(t, http.StatusOK, code, string(body))
			require.Empty(t, recovers(string(body), rec), "%s gives credit_amount %v back:\n%s", path, amount, body)
		}
		b, err := os.ReadFile(s.logPath)
		require.NoError(t, err)
		require.Empty(t, recovers(string(b), rec), "the log gives credit_amount %v back", amount)
	}
}

// TestShownOnTheDecisionsSide: a customer whose credit_amount band puts
// the published probability on the other side of the cutoff than the
// exact one is answered, by /score and /explain alike, with a probability
// on the decision's side (explain.Explainer.PublishSide); another amount
// in the same band whose exact score is on the same side gets the same
// numbers: the answers tell the band and the side, no more.
func TestShownOnTheDecisionsSide(t *testing.T) {
	s := newTestService(t, &decision.Policy{Version: "side", Purpose: "credit"})
	m := sharedModel(t)
	e, err := explain.NewExplainer(m, nil)
	require.NoError(t, err)
	j := m.TermOf("credit_amount")
	edges := append(append([]float64{0}, e.BandEdges(j)...), 20000)
	cut := float64(m.Cutoff())
	// exactAndBanded scores customer i with amount x: the exact
	// probability and the band's, before any move to a side.
	exactAndBanded := func(c map[string]any) (float64, float64) {
		rec, err := m.Schema().RecordFromMap(c)
		require.NoError(t, err)
		var ex, pub explain.Explanation
		require.NoError(t, e.Explain(rec, &ex))
		e.PublishSide(&pub, &ex, ex.Result.Score, nil)
		return float64(ex.Result.Probability), float64(pub.Result.Probability)
	}
	found := 0
	for i := 0; i < 300 && found < 2; i++ {
		c := customer(t, i)
		p, b := exactAndBanded(c)
		if (p >= cut) == (b >= cut) {
			continue
		}
		found++
		code, body := s.post(t, "/score", map[string]any{"customer": c, "consents": allConsents})
		require.Equal(t, http.StatusOK, code, string(body))
		var sc scoreResponse
		require.NoError(t, json.Unmarshal(body, &sc))
		require.Equal(t, p >= cut, sc.ModelOutcome == decision.Decline, "customer %d: exact %v", i, p)
		require.Equal(t, sc.ModelOutcome == decision.Decline, sc.Probability >= cut, "customer %d: shown %v beside %s", i, sc.Probability, sc.ModelOutcome)
		code, body = s.post(t, "/explain", map[string]any{"customer": c, "consents": allConsents})
		require.Equal(t, http.StatusOK, code, string(body))
		var xr explainResponse
		require.NoError(t, json.Unmarshal(body, &xr))
		require.Equal(t, sc.Probability, xr.Probability, "customer %d: /explain and /score", i)

		// Another amount of the same band and side: the same answer.
		x := c["credit_amount"].(float64)
		k := sort.SearchFloat64s(edges, x+1e-9) - 1
		other := false
		for step := 1; step < 50 && !other; step++ {
			y := math.Round(edges[k] + (edges[k+1]-edges[k])*float64(step)/50)
			if y == x || y < edges[k] || y >= edges[k+1] {
				continue
			}
			c2 := customer(t, i)
			c2["credit_amount"] = y
			if p2, _ := exactAndBanded(c2); (p2 >= cut) != (p >= cut) {
				continue
			}
			other = true
			code, body = s.post(t, "/score", map[string]any{"customer": c2, "consents": allConsents})
			require.Equal(t, http.StatusOK, code, string(body))
			var sc2 scoreResponse
			require.NoError(t, json.Unmarshal(body, &sc2))
			require.Equal(t, sc.Probability, sc2.Probability, "customer %d: amounts %v and %v, one band and side", i, x, y)
			require.Equal(t, sc.Score, sc2.Score)
		}
		require.True(t, other, "customer %d: another amount of the band on the same side", i)
	}
	require.Positive(t, found, "some German customer's band crosses the cutoff")
}
