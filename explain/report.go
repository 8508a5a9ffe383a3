package explain

import (
	"math"
	"strconv"

	"github.com/candorscore/candor/score"
)

// Direction returns which way term j's feature would have to move, from
// level or bin pos, to improve the outcome: for a linear term the sign of
// its coefficient; for a numeric binned term the side on which its most
// favourable range bin lies (bins compared by their best effect,
// score.Bin.EffectRange over the training range); when that is the current
// bin itself, the way its slope improves the effect within it (none for a
// bin without a slope); AnyDirection otherwise (categories, missing and
// special values).
func (e *Explainer) Direction(j, pos int) Direction {
	if e.m == nil || j < 0 || j >= len(e.facts) {
		return AnyDirection
	}
	return e.facts[j].direction(-e.sign, pos)
}

// directionOf returns Higher when d > 0, Lower when d < 0 and AnyDirection
// otherwise (0 or NaN): d is a slope times the sign that helps.
func directionOf(d float64) Direction {
	switch {
	case d > 0:
		return Higher
	case d < 0:
		return Lower
	}
	return AnyDirection
}

// ReasonArgs returns the template arguments for reason r: the schema
// feature (so that sensitivity is honoured), code, value, bin (with its
// definition, for words), effect, the direction to improve (from r.Advice
// when the explainer gave one) and, when the advice was withheld, its code
// (the ImproveMessage then renders nothing).
func (e *Explainer) ReasonArgs(r Reason, pos int) Args {
	if r.Term < 0 || r.Term >= len(e.feats) {
		return Args{}
	}
	tf := &e.facts[r.Term]
	a := Args{
		Feature:        tf.feat,
		Code:           r.Code,
		Value:          r.Value,
		Bin:            r.Bin,
		Direction:      e.Direction(r.Term, pos),
		Effect:         r.Effect,
		AdviceWithheld: r.AdviceWithheld,
		Whole:          tf.dec == 0,
		Decimals:       max(tf.dec, 0),
	}
	switch r.Advice {
	case AdviceIncrease:
		a.Direction = Higher
	case AdviceDecrease:
		a.Direction = Lower
	case AdviceChange:
		a.Direction = AnyDirection
	}
	if r.Advice == AdviceChange && !tf.feat.Sensitive {
		for _, l := range e.AdviceLevels(r, pos) {
			a.Levels = append(a.Levels, score.Cat(l))
		}
	}
	if tf.term.Kind == score.PairTerm {
		s := e.m.Schema()
		a.Pair = &[2]score.Feature{s.Feature(e.feats[r.Term]), s.Feature(e.pairs[r.Term])}
		a.PairValue = r.PairValue
	}
	if pos >= 0 && pos < len(tf.term.Bins) && tf.term.Kind != score.PairTerm {
		a.Range = &tf.term.Bins[pos]
		if pos < len(tf.words) && (!r.Value.IsNum() || inRange(tf.words[pos], r.Value.Float())) {
			a.Range = &tf.words[pos] // the one or two whole numbers it holds
		}
		if a.Range.Kind == score.RangeBin && a.Range.Count < tf.minRows {
			// Too narrow to describe a group (MinCellShare): the value.
			a.Range, a.Bin = nil, ""
		}
	}
	return a
}

// AdviceLevels returns, for a reason whose Advice is AdviceChange, the
// labels of its categorical feature that the customer could move to: those
// the declared action allows, in a level or bin with a better effect and a
// lower training event rate than the customer's (the test that gave the
// advice), best effect first. pos is the reason's term position
// (Explanation.Positions[r.Term]). It is nil for any other reason and for a
// sensitive feature, whose values are never shown.
func (e *Explainer) AdviceLevels(r Reason, pos int) []string {
	if r.Advice != AdviceChange || r.Term < 0 || r.Term >= len(e.facts) || e.facts[r.Term].feat.Sensitive {
		return nil
	}
	return e.facts[r.Term].betterLabels(-e.sign, pos, r.Value)
}

// AppendCustomerText appends the customer-facing text of ex's reasons in
// lang: for each reason, its ReasonMessage sentence and, when the reason
// carries advice (Reason.Advice), its ImproveMessage sentence, one reason
// per line. A reason whose advice is withheld (not actionable, against the
// data, ...) says only that the feature weighed against the result.
// Sensitive features never show their value.
func (e *Explainer) AppendCustomerText(dst []byte, cat *Catalog, lang string, ex *Explanation) ([]byte, error) {
	if e.m == nil {
		return dst, ErrNotBuilt
	}
	for _, r := range ex.Reasons {
		if r.Term < 0 {
			continue
		}
		var err error
		if dst, err = e.appendReasonText(dst, cat, lang, ex, r); err != nil {
			return dst, err
		}
		dst = append(dst, '\n')
	}
	return dst, nil
}

// appendReasonText appends r's ReasonMessage sentence and, unless its
// advice is withheld, its ImproveMessage sentence in lang, separated by a
// space.
func (e *Explainer) appendReasonText(dst []byte, cat *Catalog, lang string, ex *Explanation, r Reason) ([]byte, error) {
	a := e.ReasonArgs(r, ex.Positions[r.Term])
	dst, err := cat.AppendText(dst, lang, ReasonMessage, a)
	if err != nil || a.AdviceWithheld != "" {
		return dst, err
	}
	dst = append(dst, ' ')
	return cat.AppendText(dst, lang, ImproveMessage, a)
}

// Units names the model's score units: "log-odds", "points" or "response".
func Units(m *score.Model) string {
	switch m.Kind() {
	case score.LogisticModel:
		return "log-odds"
	case score.ScorecardModel:
		return "points"
	}
	return "response"
}

// AppendReport appends a plain-text report of ex for staff: score,
// baseline, reasons with their customer text, and every contribution in
// Order. Numbers are printed with prec decimals (fixed, so that golden
// files do not depend on the CPU). Values of sensitive features are shown
// as the catalogue's withheld word.
func (e *Explainer) AppendReport(dst []byte, cat *Catalog, lang string, ex *Explanation, prec int) ([]byte, error) {
	if e.m == nil {
		return dst, ErrNotBuilt
	}
	m := e.m
	num := func(x float64) { dst = strconv.AppendFloat(dst, x, 'f', prec, 64) }
	signed := func(x float64) {
		if x == 0 {
			x = 0 // no "-0"
		}
		if x >= 0 {
			dst = append(dst, '+')
		}
		num(x)
	}
	units := Units(m)
	dst = append(dst, "score "...)
	num(ex.Result.Score)
	dst = append(dst, ' ')
	dst = append(dst, units...)
	if p := float64(ex.Result.Probability); !math.IsNaN(p) {
		dst = append(dst, ", event probability "...)
		num(p)
	}
	dst = append(dst, "\nbaseline "...)
	num(ex.Baseline)
	dst = append(dst, " ("...)
	dst = append(dst, e.base.Kind...)
	dst = append(dst, "), difference "...)
	signed(ex.Result.Score - ex.Baseline)
	dst = append(dst, "\nreasons ("...)
	dst = append(dst, e.alg...)
	dst = append(dst, "):\n"...)
	if len(ex.Reasons) == 0 {
		dst = append(dst, "  none: no term counts against the outcome\n"...)
	}
	for i, r := range ex.Reasons {
		if r.Term < 0 {
			continue
		}
		dst = append(dst, "  "...)
		dst = strconv.AppendInt(dst, int64(i+1), 10)
		dst = append(dst, ". "...)
		dst = append(dst, r.Code...)
		if r.Code != r.Feature {
			dst = append(dst, " ("...)
			dst = append(dst, r.Feature...)
			dst = append(dst, ')')
		}
		dst = append(dst, ' ')
		signed(r.Effect)
		dst = append(dst, ' ')
		dst = append(dst, units...)
		dst = append(dst, "\n     "...)
		var err error
		if dst, err = e.appendReasonText(dst, cat, lang, ex, r); err != nil {
			return dst, err
		}
		if r.AdviceWithheld != "" {
			dst = append(dst, "\n     no advice ("...)
			dst = append(dst, r.AdviceWithheld...)
			dst = append(dst, "): "...)
			dst = append(dst, WithheldText(r.AdviceWithheld)...)
		}
		if r.AgainstTrend {
			dst = append(dst, "\n     note (against_trend): "...)
			dst = append(dst, AgainstTrendText...)
		}
		dst = append(dst, '\n')
	}
	dst = append(dst, "contributions ("...)
	dst = append(dst, units...)
	dst = append(dst, ", baseline + sum = score):\n"...)
	for _, j := range e.Order(make([]int, 0, len(ex.Contributions)), ex) {
		dst = append(dst, "  "...)
		signed(ex.Contributions[j])
		dst = append(dst, "  "...)
		dst = append(dst, e.names[j]...)
		dst = append(dst, " = "...)
		f := m.Schema().Feature(e.feats[j])
		dst = cat.appendValue(dst, lang, f, ex.Values[j])
		if k := e.pairs[j]; k >= 0 {
			f2 := m.Schema().Feature(k)
			dst = append(dst, PairSeparator...)
			dst = cat.appendValue(dst, lang, f2, ex.PairValues[j])
			f.Sensitive = f.Sensitive || f2.Sensitive
		}
		if l := e.Label(j, ex.Positions[j]); l != "" && !f.Sensitive && !ex.Values[j].IsMissing() && l != ex.Values[j].Label() {
			dst = append(dst, " ["...)
			dst = append(dst, l...)
			dst = append(dst, ']')
		}
		dst = append(dst, '\n')
	}
	return dst, nil
}
