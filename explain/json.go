package explain

import (
	"encoding/json"
	"math"

	"github.com/candorscore/candor/score"
)

// Withheld is what Explanation and Reason marshal in place of the value of
// a feature marked Sensitive (score.Feature.Sensitive), unless the
// explainer was built with Options.ShowSensitive.
const Withheld = "withheld"

// jsonValue is v for JSON: a number, a category label, nil for missing
// (or a non-finite number, which JSON cannot hold), or Withheld.
func jsonValue(v score.Value, withheld bool) any {
	switch {
	case withheld:
		return Withheld
	case v.IsNum() && !math.IsNaN(v.Float()) && !math.IsInf(v.Float(), 0):
		return v.Float()
	case v.IsCat():
		return v.Label()
	}
	return nil
}

// finite is x for JSON, nil when x is NaN or infinite (a linear model's
// probability).
func finite(x float64) *float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return nil
	}
	return &x
}

// IsWithheld reports whether term j's value is withheld from marshalled
// output: its feature is Sensitive and the explainer that filled ex was
// built without Options.ShowSensitive. An Explanation not filled by an
// Explainer withholds nothing.
func (ex *Explanation) IsWithheld(j int) bool {
	return j >= 0 && j < len(ex.withheld) && ex.withheld[j]
}

// JSONValue is ex.Values[j] as it is marshalled: a number, a category
// label, nil for a missing value, or Withheld.
//
// A pair term's value is the list of its two values.
func (ex *Explanation) JSONValue(j int) any {
	if ex.from != nil && j < len(ex.from.pairs) && ex.from.pairs[j] >= 0 {
		return []any{jsonValue(ex.Values[j], ex.IsWithheld(j)), jsonValue(ex.PairValues[j], ex.IsWithheld(j))}
	}
	return jsonValue(ex.Values[j], ex.IsWithheld(j))
}

// JSONValue is r.Value as it is marshalled: a number, a category label,
// nil for a missing value, or Withheld.
// A pair term's value is the list of its two values.
func (r Reason) JSONValue() any {
	if r.pair {
		return []any{jsonValue(r.Value, r.Withheld), jsonValue(r.PairValue, r.Withheld)}
	}
	return jsonValue(r.Value, r.Withheld)
}

type reasonJSON struct {
	Code     string   `json:"code"`
	Term     int      `json:"term"`
	Feature  string   `json:"feature"`
	Value    any      `json:"value"`
	Bin      string   `json:"bin,omitempty"`
	Gap      *float64 `json:"gap,omitempty"`
	Effect   *float64 `json:"effect,omitempty"`
	Withheld bool     `json:"withheld,omitempty"`
	// Advice and AdviceWithheld: see Reason (advice.go).
	Advice         Advice `json:"advice,omitempty"`
	AdviceWithheld string `json:"advice_withheld,omitempty"`
	AgainstTrend   bool   `json:"against_trend,omitempty"`
}

// MarshalJSON encodes the reason with snake_case keys; the value and bin
// of a withheld (sensitive) feature are Withheld and left out, and so are
// its gap and effect, which would give the value back, unless the reason
// is one of a published explanation (Explainer.Publish), whose gap and
// effect are the band's. "advice" is "increase", "decrease" or "change",
// or absent with "advice_withheld" giving the reason code
// (WithheldNotActionable, ...).
func (r Reason) MarshalJSON() ([]byte, error) {
	out := reasonJSON{Code: r.Code, Term: r.Term, Feature: r.Feature, Value: r.JSONValue(),
		Bin: r.Bin, Gap: &r.Gap, Effect: &r.Effect, Withheld: r.Withheld}
	if r.Withheld {
		out.Bin = ""
		if !r.public {
			out.Gap, out.Effect = nil, nil
		}
	}
	out.Advice, out.AdviceWithheld, out.AgainstTrend = r.Advice, r.AdviceWithheld, r.AgainstTrend
	return json.Marshal(out)
}

type resultJSON struct {
	Score       float64  `json:"score"`
	LogOdds     *float64 `json:"log_odds,omitempty"`
	Probability *float64 `json:"probability,omitempty"`
}

type explanationJSON struct {
	Result        resultJSON `json:"result"`
	Baseline      float64    `json:"baseline"`
	Effects       []float64  `json:"effects"`
	Values        []any      `json:"values"`
	Positions     []int      `json:"positions"`
	Contributions []float64  `json:"contributions"`
	Reasons       []Reason   `json:"reasons"`
}

// MarshalJSON encodes the explanation with snake_case keys. Values are
// numbers, category labels, null for missing, and Withheld for features
// marked Sensitive (unless the explainer was built with
// Options.ShowSensitive); reasons withhold theirs likewise. The result's
// log_odds and probability are left out for linear models.
//
// An explanation whose explainer withholds sensitive terms
// (Explainer.Withholds) is marshalled as published (Explainer.Publish):
// the exact effects of sensitive terms are never marshalled.
func (ex Explanation) MarshalJSON() ([]byte, error) {
	if ex.from != nil && ex.from.Withholds() && !ex.public {
		var pub Explanation
		ex.from.Publish(&pub, &ex)
		ex = pub
	}
	out := explanationJSON{
		Result: resultJSON{Score: ex.Result.Score, LogOdds: finite(float64(ex.Result.LogOdds)),
			Probability: finite(float64(ex.Result.Probability))},
		Baseline: ex.Baseline, Effects: ex.Effects, Positions: ex.Positions,
		Contributions: ex.Contributions, Reasons: ex.Reasons,
		Values: make([]any, len(ex.Values)),
	}
	for j := range ex.Values {
		out.Values[j] = ex.JSONValue(j)
	}
	if out.Reasons == nil {
		out.Reasons = []Reason{}
	}
	return json.Marshal(out)
}
