package main

import (
	"math"
	"net/http"
	"os"
	"regexp"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/score"
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
