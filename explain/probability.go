package explain

import (
	"fmt"
	"math"

	"github.com/candorscore/candor/score"
)

// ProbabilityView is a breakdown on the probability scale.
//
// Method: the model is additive in log-odds, not in probability, so no
// attribution on the probability scale is both exact and unique. candor
// splits the probability change Total - Baseline in proportion to the
// log-odds contributions: part_j = (P(x) - P(b)) * l_j / (L(x) - L(b)),
// where l_j is term j's contribution in log-odds (for scorecards,
// -points_j / Factor) and L(x) - L(b) = sum_j l_j. This is the secant of
// the logistic curve between the baseline and the customer: parts keep the
// sign and ranking of the log-odds contributions and add up to the
// probability change exactly (up to rounding). When L(x) = L(b) the
// secant is the slope P(1-P) at that point, so parts still add up (to 0).
type ProbabilityView struct {
	Baseline score.Probability // event probability at the baseline score
	Total    score.Probability // event probability of the customer
	// Contributions[j] is term j's part of Total - Baseline.
	Contributions []float64
}

// Probability returns the probability-scale view of ex, appending the
// parts to dst[:0]. Linear models have no probability (ErrBaseline).
func (e *Explainer) Probability(dst []float64, ex *Explanation) (ProbabilityView, error) {
	m := e.m
	if m == nil {
		return ProbabilityView{}, ErrNotBuilt
	}
	if m.Kind() == score.LinearModel {
		return ProbabilityView{}, fmt.Errorf("%w: a linear model has no probability scale", ErrBaseline)
	}
	lb := m.Link(ex.Baseline).LogOdds
	lx := ex.Result.LogOdds
	pb, px := lb.Probability(), lx.Probability()
	// log-odds per model unit: 1 for logistic, -1/Factor for scorecards.
	unit := 1.0
	if sc, ok := m.Scaling(); ok && m.Kind() == score.ScorecardModel {
		unit = -1 / sc.Factor
	}
	// The log-odds change is summed from the parts themselves, so that the
	// parts add up to the probability change however close the scores are.
	var dl float64
	for _, c := range ex.Contributions {
		dl += unit * c
	}
	var slope float64
	if dl != 0 && !math.IsNaN(dl) {
		slope = float64(px-pb) / dl
	} else {
		slope = float64(px) * (1 - float64(px))
	}
	dst = dst[:0]
	for _, c := range ex.Contributions {
		dst = append(dst, slope*unit*c)
	}
	return ProbabilityView{Baseline: pb, Total: px, Contributions: dst}, nil
}
