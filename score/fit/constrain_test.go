package fit_test

import (
	"encoding/json"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/examples/datasets"
	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/fit"
)

// constrainedRef is testdata/constrained.json, made by
// testdata/constrained.py with scipy's L-BFGS-B under the same bounds.
type constrainedRef struct {
	LogLik       float64            `json:"log_likelihood"`
	Rows         int                `json:"rows"`
	Coefficients map[string]float64 `json:"coefficients"`
	Bounded      map[string]string  `json:"bounded"` // column -> "lower" (>= 0) or "upper" (<= 0)
}

// kktGradient is the gradient of the log-likelihood, X'(y - p), per
// design column of fitted (numeric features by value, "f=level" by
// indicator), over the table rows with no blank cell.
func kktGradient(t *testing.T, tab *score.Table, fitted *fit.LogisticFit, target, event string) []float64 {
	m := fitted.Model
	type col struct {
		c     int // table column, -1 for the intercept
		level string
		cat   bool
	}
	cols := make([]col, len(fitted.Coefficients))
	for j, c := range fitted.Coefficients {
		if j == 0 {
			cols[j].c = -1
			continue
		}
		name, level, cat := strings.Cut(c.Name, "=")
		cols[j] = col{tab.Column(name), level, cat}
	}
	tc := tab.Column(target)
	g := make([]float64, len(fitted.Coefficients))
	for r := 0; r < tab.Len(); r++ {
		rec, err := tab.Record(m.Schema(), r)
		if err != nil {
			continue // a blank cell: the fit dropped the row too
		}
		res, err := m.Score(rec)
		if err != nil {
			continue
		}
		y := 0.0
		if tab.Cell(r, tc) == event {
			y = 1
		}
		resid := y - float64(res.Probability)
		for j, c := range cols {
			x := 1.0
			switch {
			case c.c < 0:
			case c.cat:
				x = 0
				if tab.Cell(r, c.c) == c.level {
					x = 1
				}
			default:
				x = rec[m.Schema().Index(fitted.Coefficients[j].Name)].Float()
			}
			g[j] += x * resid
		}
	}
	return g
}

func TestConstrainedFitMatchesScipyAndKKT(t *testing.T) {
	b, err := os.ReadFile("testdata/constrained.json")
	require.NoError(t, err)
	var refs map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(b, &refs))
	for _, c := range []struct {
		ref, data, target, event string
		exclude                  []string
		fullRank                 bool
	}{
		{"german_credit", datasets.GermanCredit, "creditability", "bad", nil, true},
		{"telco_churn", datasets.TelcoChurn, "Churn", "Yes", []string{"customerID"}, false},
		{"bank_marketing", datasets.BankMarketing, "y", "yes", nil, true},
	} {
		t.Run(c.ref, func(t *testing.T) {
			var ref constrainedRef
			require.NoError(t, json.Unmarshal(refs[c.ref], &ref))
			tab, fitted := fitDataset(t, c.data, c.target, c.event, c.exclude,
				&fit.LogisticOptions{Constrain: fit.ConstrainData, Missing: fit.MissingDrop})
			require.True(t, fitted.Converged)
			require.Equal(t, ref.Rows, fitted.Rows)
			require.Empty(t, fitted.Contradictions)
			// The constrained optimum: scipy's L-BFGS-B log-likelihood to 1e-7 relative.
			require.InEpsilon(t, ref.LogLik, fitted.LogLik, 1e-7)
			bounded := ref.Bounded
			g := kktGradient(t, tab, fitted, c.target, c.event)
			scale := float64(fitted.Rows) * 1e-6
			for j, co := range fitted.Coefficients {
				if co.Aliased {
					continue
				}
				if c.fullRank {
					require.InDelta(t, ref.Coefficients[co.Name], co.Estimate, 1e-4*math.Max(1, math.Abs(co.Estimate)), co.Name)
				}
				// KKT: a free coefficient (not at 0, or not bounded) has
				// gradient 0; one held at 0 by a lower bound has gradient
				// <= 0, by an upper bound >= 0 (complementary slackness: a
				// nonzero gradient only where the coefficient is at its bound).
				if bounded[co.Name] == "" || co.Estimate != 0 {
					require.InDelta(t, 0, g[j], scale, "free %s", co.Name)
					continue
				}
				require.Contains(t, fitted.AtBound, co.Name)
				if bounded[co.Name] == "lower" {
					require.LessOrEqual(t, g[j], scale, "bound %s", co.Name)
				} else {
					require.GreaterOrEqual(t, g[j], -scale, "bound %s", co.Name)
				}
			}
			require.NotEmpty(t, fitted.AtBound)
		})
	}
}
