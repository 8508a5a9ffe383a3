package explain

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/candorscore/candor/score"
)

// Algorithm says which side of the baseline counts against the customer,
// as PMML Scorecard@reasonCodeAlgorithm does.
type Algorithm string

const (
	// PointsBelow: a term's gap is baseline - effect. Right for scorecards,
	// whose points rise as the event odds fall.
	PointsBelow Algorithm = "pointsBelow"
	// PointsAbove: a term's gap is effect - baseline. Right for logistic
	// (log-odds of the event) and linear models, where a higher score means
	// more of the event.
	PointsAbove Algorithm = "pointsAbove"
)

// DefaultAlgorithm is the model's declared algorithm (score.ReasonSpec),
// else PointsBelow for scorecards and PointsAbove for logistic and linear
// models.
func DefaultAlgorithm(m *score.Model) Algorithm {
	if spec := m.Spec(); spec.Reasons != nil {
		return Algorithm(spec.Reasons.Algorithm)
	}
	if m.Kind() == score.ScorecardModel {
		return PointsBelow
	}
	return PointsAbove
}

// Options configure an Explainer. The zero value (or nil) means the
// defaults.
type Options struct {
	// Baseline to measure from; nil means the model's declared baselines
	// when it declares reason codes (score.Spec.Reasons), else the
	// population average.
	Baseline *Baseline
	// Algorithm overrides DefaultAlgorithm.
	Algorithm Algorithm
	// MaxReasons is the most reasons returned; 0 means DefaultMaxReasons
	// (Regulation B: more than four is not likely to be helpful);
	// AllReasons (or any negative number) means all.
	MaxReasons int
	// KeepZero keeps reason codes whose summed gap is exactly zero (some
	// PMML evaluators do); by default only positive totals are reasons.
	// Negative totals are always dropped.
	KeepZero bool
	// TiesByName breaks ties between equal totals by the lead feature's
	// name instead of PMML's document order.
	TiesByName bool
	// ShowSensitive opts in to marshalling the values (and bins) of
	// features marked Sensitive as they are; by default Explanation and
	// Reason marshal them as Withheld. Customer text never shows them
	// either way.
	ShowSensitive bool
	// Pad fills the reasons up to MaxReasons with empty Reasons (Code "")
	// when fewer codes qualify, as evaluators with fixed "Reason Code k"
	// output fields do; by default fewer reasons are returned.
	Pad bool
	// Actions says which features a customer may change, as for recourse
	// (the actions file of `candor recourse --actions`). It adds to and
	// overrides the actions declared in the model's schema (the features
	// file); a feature with neither is immutable and its reasons carry no
	// advice.
	Actions *Actions
}

// Values of Options.MaxReasons.
const (
	// DefaultMaxReasons is the number of reasons the zero Options give.
	DefaultMaxReasons = 4
	// AllReasons asks for every qualifying reason.
	AllReasons = -1
)

// Reason is one reason code for a customer: a code counting against the
// outcome, with the feature that contributes most to it.
type Reason struct {
	// Code is the reason code: the bin's or level's code, else the term's,
	// else the feature name. Empty only for padding (Options.Pad).
	Code string
	// Term is the index of the lead term (the one with the largest gap
	// under this code; ties to the earlier term); Feature is its feature.
	Term    int
	Feature string
	// Value is the customer's value of Feature; Bin its bin or level label
	// ("" for a linear term or a categorical missing/other value).
	Value score.Value
	// PairValue is, for a pair term, the customer's value of its second
	// feature (Value is the first's, Bin the cell's "row × column" label);
	// missing for a term of one feature.
	PairValue score.Value
	Bin       string
	// Gap is the code's summed gap, in model units, always >= 0: points
	// below the baseline for PointsBelow, effect above the baseline for
	// PointsAbove.
	Gap float64
	// Effect is the code's summed contribution (effect - baseline) in
	// model units: -Gap for PointsBelow (points lost), +Gap for PointsAbove
	// (log-odds added).
	Effect float64
	// Withheld is set when Feature is marked Sensitive and the explainer
	// was built without Options.ShowSensitive: Value and Bin are then
	// marshalled as Withheld and "" (the fields keep the raw data), and
	// Gap and Effect too unless the reason is published (Publish): then
	// they are the band's.
	Withheld bool
	// Advice is what the customer could do about Feature: increase or
	// decrease it, or change it to another label. It is given only for a
	// feature with a declared action, in an allowed direction that agrees
	// with the declared trend and the training data (see advice.go); else
	// it is "" and AdviceWithheld says why (WithheldNotActionable, ...).
	// Padding reasons have neither.
	Advice         Advice
	AdviceWithheld string
	// AgainstTrend is set when the reason's straight-line slope (a
	// LinearTerm's coefficient, or the slope of the customer's sloped bin)
	// runs against the feature's trend, declared or in the training data
	// (score.Stats.DataTrend): the model counts the customer's value
	// toward the outcome where the data says it goes with the opposite
	// one. The reason is still the model's (it decided the score), but it
	// is not a fact about the customer to act on; a collinear fit does
	// this, and the fit report names it (sign contradiction; fit
	// --constrain data removes it). AgainstTrendText says it for staff.
	AgainstTrend bool

	public bool // filled by Publish: Gap and Effect are published
	pair   bool // the lead term is a pair term
}

// Explanation is one customer's breakdown and reasons. Reuse one value
// across calls to Explainer.Explain to avoid allocation.
//
// Invariant: Baseline + sum(Contributions) == Result.Score up to
// floating-point rounding, and Contributions[j] == Effects[j] -
// baseline term j.
type Explanation struct {
	Result score.Result
	// Baseline is the baseline's total score in model units.
	Baseline float64
	// Effects[j] is term j's effect for this customer, in model units.
	Effects []float64
	// Values[j] is the customer's value of term j's feature (a pair term's
	// first feature).
	Values []score.Value
	// PairValues[j] is the customer's value of pair term j's second
	// feature; the zero Value (missing) for a term of one feature.
	PairValues []score.Value
	// Positions[j] is the level or bin index term j matched (-1 for a
	// linear term or a categorical missing/other value); for a pair term
	// the cell of score.Pair.Effects.
	Positions []int
	// Contributions[j] = Effects[j] - baseline of term j, in model units.
	Contributions []float64
	// Reasons are the top reason codes, most adverse first.
	Reasons []Reason

	withheld []bool     // per term: value withheld when marshalled (the explainer's)
	from     *Explainer // the explainer that filled it
	public   bool       // filled by Publish
	totals   []float64  // per code: summed gap
	lead     []int32    // per code: lead term, -1 when unseen
	seen     []int32    // codes in the order first seen (document order)
	top      []int32    // the selected codes, most adverse first
}

// Explainer explains customers' scores for one model and one baseline.
// Build it once with NewExplainer; it is immutable and safe for concurrent
// use (each goroutine uses its own Explanation). The zero Explainer has no
// model: its methods that return an error return ErrNotBuilt, the others
// return zero values (no codes, no labels, an empty order).
type Explainer struct {
	m       *score.Model
	base    Baseline
	alg     Algorithm
	sign    float64 // +1 for PointsAbove, -1 for PointsBelow
	opts    Options
	maxR    int
	feats   []int // term -> schema index
	pairs   []int // term -> schema index of a pair term's second feature, -1
	names   []string
	codes   []string  // distinct reason codes, in order of first declaration
	termCod []int32   // term -> code index
	posCod  [][]int32 // term -> position -> code index
	labels  [][]string
	// withheld[j]: term j's feature is Sensitive and not shown.
	withheld []bool
	// facts[j] is what advice needs of term j (advice.go).
	facts []termFacts
	// against[j]: term j's straight-line slope runs against its trend
	// (Reason.AgainstTrend); for a binned term, only its sloped bins count.
	against []bool
	// bands[j] is how term j is published when withheld (publish.go); nil
	// for a term published as it is.
	bands []*termBands
	// cutoff holds the model's cutoff, that Publish keeps the published
	// score on the exact score's side of (none for a linear model).
	cutoff []Cut
}

// NewExplainer prepares explanations of m. opts may be nil.
func NewExplainer(m *score.Model, opts *Options) (*Explainer, error) {
	if m == nil {
		return nil, fmt.Errorf("%w: NewExplainer needs a model", ErrNotBuilt)
	}
	var o Options
	if opts != nil {
		o = *opts
	}
	e := &Explainer{m: m, opts: o, alg: o.Algorithm}
	if e.alg == "" {
		e.alg = DefaultAlgorithm(m)
	}
	switch e.alg {
	case PointsBelow:
		e.sign = -1
	case PointsAbove:
		e.sign = 1
	default:
		return nil, fmt.Errorf("%w: reason-code algorithm %q (want pointsBelow or pointsAbove)", ErrBaseline, e.alg)
	}
	switch {
	case o.Baseline != nil:
		if len(o.Baseline.Terms) != m.NumTerms() {
			return nil, fmt.Errorf("%w: baseline has %d terms, model %d", ErrBaseline, len(o.Baseline.Terms), m.NumTerms())
		}
		for _, t := range o.Baseline.Terms {
			if math.IsNaN(t) || math.IsInf(t, 0) {
				return nil, fmt.Errorf("%w: baseline term is not finite", ErrBaseline)
			}
		}
		kind := o.Baseline.Kind
		if kind == "" {
			kind = "custom"
		}
		e.base = newBaseline(m, kind, append([]float64(nil), o.Baseline.Terms...))
	case m.Spec().Reasons != nil:
		b, err := DeclaredBaseline(m)
		if err != nil {
			return nil, err
		}
		e.base = b
	default:
		e.base = PopulationBaseline(m)
	}
	acts, err := resolveActions(m, o.Actions)
	if err != nil {
		return nil, err
	}
	e.facts = make([]termFacts, m.NumTerms())
	e.against = make([]bool, m.NumTerms())
	for j := range e.facts {
		e.facts[j] = newTermFacts(m, j, acts[j])
		e.against[j] = e.slopeAgainstTrend(j)
	}
	e.maxR = o.MaxReasons
	if e.maxR == 0 {
		e.maxR = DefaultMaxReasons
	}
	n := m.NumTerms()
	if e.maxR < 0 || e.maxR > n && !o.Pad {
		e.maxR = n
	}
	codeIdx := map[string]int32{}
	code := func(c string) int32 {
		if k, ok := codeIdx[c]; ok {
			return k
		}
		k := int32(len(e.codes))
		codeIdx[c] = k
		e.codes = append(e.codes, c)
		return k
	}
	e.feats = make([]int, n)
	e.pairs = make([]int, n)
	e.names = make([]string, n)
	e.termCod = make([]int32, n)
	e.posCod = make([][]int32, n)
	e.labels = make([][]string, n)
	e.withheld = make([]bool, n)
	for j := range n {
		t := m.Term(j)
		e.feats[j] = m.TermFeature(j)
		e.pairs[j] = m.PairFeature(j)
		e.withheld[j] = m.Schema().Feature(e.feats[j]).Sensitive && !o.ShowSensitive
		e.names[j] = t.Feature
		if t.Kind == score.PairTerm {
			e.names[j] = PairName(t.Feature, t.Pair.Feature)
			e.withheld[j] = e.withheld[j] || m.Schema().Feature(m.PairFeature(j)).Sensitive && !o.ShowSensitive
		}
		tc := t.ReasonCode
		if tc == "" && t.Kind == score.PairTerm {
			tc = e.names[j]
		}
		if tc == "" {
			tc = t.Feature
		}
		// A binned term whose every bin has its own code never reports the
		// term's code, so it is not registered (Codes stays truthful).
		allBins := t.Kind == score.BinnedTerm
		for _, b := range t.Bins {
			allBins = allBins && b.ReasonCode != ""
		}
		if allBins {
			e.termCod[j] = -1
		} else {
			e.termCod[j] = code(tc)
		}
		switch t.Kind {
		case score.CategoricalTerm:
			for _, l := range t.Levels {
				c := e.termCod[j]
				if l.ReasonCode != "" {
					c = code(l.ReasonCode)
				}
				e.posCod[j] = append(e.posCod[j], c)
				e.labels[j] = append(e.labels[j], l.Label)
			}
		case score.BinnedTerm:
			for _, b := range t.Bins {
				c := e.termCod[j]
				if b.ReasonCode != "" {
					c = code(b.ReasonCode)
				}
				e.posCod[j] = append(e.posCod[j], c)
				l := BinLabel(b)
				if b.Kind == score.RangeBin && b.Lower == nil && b.Upper == nil {
					// One range for every number (the sloped bin beside a
					// missing or special one): the label says nothing of the value.
					l = ""
				}
				e.labels[j] = append(e.labels[j], l)
			}
		case score.PairTerm:
			for _, rb := range t.Bins {
				for _, cb := range t.Pair.Bins {
					e.posCod[j] = append(e.posCod[j], e.termCod[j])
					e.labels[j] = append(e.labels[j], BinLabel(rb)+PairSeparator+BinLabel(cb))
				}
			}
		}
	}
	e.bands = newBands(m, e.withheld)
	if m.Kind() != score.LinearModel {
		e.cutoff = make([]Cut, 1)
		e.cutoff[0] = Cut{At: float64(m.Cutoff()), Closed: true}
	}
	return e, nil
}

// Model returns the model explained.
func (e *Explainer) Model() *score.Model { return e.m }

// Baseline returns a copy of the baseline contributions are measured from.
func (e *Explainer) Baseline() Baseline {
	b := e.base
	b.Terms = append([]float64(nil), b.Terms...)
	return b
}

// Algorithm is the reason-code algorithm in use.
func (e *Explainer) Algorithm() Algorithm { return e.alg }

// Codes lists the reason codes the explainer can report, in the order
// the model declares them (term by term, then level or bin).
func (e *Explainer) Codes() []string { return append([]string(nil), e.codes...) }

// Label returns the people-readable label of term j's level or bin pos
// ("" for pos < 0 or a linear term).
func (e *Explainer) Label(j, pos int) string {
	if j < 0 || j >= len(e.labels) || pos < 0 || pos >= len(e.labels[j]) {
		return ""
	}
	return e.labels[j][pos]
}

func (e *Explainer) prepare(ex *Explanation) {
	n, c := e.m.NumTerms(), len(e.codes)
	if cap(ex.Effects) < n || cap(ex.Positions) < n || cap(ex.Values) < n || cap(ex.Contributions) < n || cap(ex.PairValues) < n {
		ex.Effects = make([]float64, n)
		ex.Positions = make([]int, n)
		ex.Values = make([]score.Value, n)
		ex.PairValues = make([]score.Value, n)
		ex.Contributions = make([]float64, n)
	}
	ex.Effects, ex.Positions, ex.Contributions = ex.Effects[:n], ex.Positions[:n], ex.Contributions[:n]
	ex.Values, ex.PairValues = ex.Values[:n], ex.PairValues[:n]
	if len(ex.lead) != c || cap(ex.top) < e.maxR {
		ex.totals = make([]float64, c)
		ex.lead = make([]int32, c)
		for k := range ex.lead {
			ex.lead[k] = -1
		}
		ex.seen = make([]int32, 0, n)
		ex.top = make([]int32, 0, e.maxR)
	}
	ex.seen = ex.seen[:0]
	ex.withheld, ex.from, ex.public = e.withheld, e, false
	if cap(ex.Reasons) < e.maxR {
		ex.Reasons = make([]Reason, 0, e.maxR)
	}
	ex.Reasons = ex.Reasons[:0]
}

// Explain scores rec (in the model's schema order) and fills ex with the
// breakdown and the top reasons. Once ex's slices have grown to size it
// allocates nothing. A record that cannot be scored returns the model's
// *score.RecordError (every bad field at once) and leaves ex undefined.
func (e *Explainer) Explain(rec score.Record, ex *Explanation) error {
	if e.m == nil {
		return ErrNotBuilt
	}
	e.prepare(ex)
	m := e.m
	if len(rec) != m.Schema().Len() {
		_, err := m.ScoreTerms(rec, nil)
		return err
	}
	s := m.Intercept()
	for j := range ex.Effects {
		v := rec[e.feats[j]]
		var eff float64
		var pos int
		var err error
		if k := e.pairs[j]; k >= 0 {
			ex.PairValues[j] = rec[k]
			eff, pos, err = m.PairEffect(j, v, rec[k])
		} else {
			ex.PairValues[j] = score.Value{}
			eff, pos, err = m.Effect(j, v)
		}
		if err != nil {
			_, err = m.ScoreTerms(rec, nil) // every bad field at once
			return err
		}
		ex.Effects[j], ex.Positions[j], ex.Values[j] = eff, pos, v
		ex.Contributions[j] = eff - e.base.Terms[j]
		s += eff
	}
	if s-s != 0 { // the score overflows: the model's error names the term
		_, err := m.ScoreTerms(rec, nil)
		return err
	}
	ex.Result = m.Link(s)
	ex.Baseline = e.base.Score
	ex.Reasons = e.appendReasons(ex.Reasons, rec, ex)
	return nil
}

// ExplainEncoded is Explain over an encoding of the customer made by the
// model's Encode (or a Binding's Encode): the same breakdown and reasons,
// bit for bit, without a label compared. Once ex's slices have grown to
// size it allocates nothing. An encoding of a record that could not be
// scored returns that record's error, and one of another model a
// *score.EncodingError; either leaves ex undefined.
func (e *Explainer) ExplainEncoded(enc *score.Encoded, ex *Explanation) error {
	e.prepare(ex)
	res, err := e.m.ScoreEncoded(enc, ex.Effects)
	if err != nil {
		return err
	}
	for j, eff := range ex.Effects {
		ex.Positions[j], ex.Values[j] = enc.Position(j), enc.Value(j)
		ex.PairValues[j] = score.Value{}
		if k := e.pairs[j]; k >= 0 {
			ex.PairValues[j] = enc.PairValue(j)
		}
		ex.Contributions[j] = eff - e.base.Terms[j]
	}
	ex.Result = res
	ex.Baseline = e.base.Score
	ex.Reasons = e.appendReasons(ex.Reasons, nil, ex)
	return nil
}

// AppendReasons explains rec and appends its top reasons to dst, using ex
// as scratch space (its breakdown is filled as by Explain). With dst and
// ex reused it allocates nothing.
func (e *Explainer) AppendReasons(dst []Reason, rec score.Record, ex *Explanation) ([]Reason, error) {
	if err := e.Explain(rec, ex); err != nil {
		return dst, err
	}
	return append(dst, ex.Reasons...), nil
}

// appendReasons applies the PMML rules to ex's breakdown: gaps summed per
// code, codes with negative totals (and zero, unless KeepZero) dropped,
// ranked by total descending with ties in document order (the order in
// which the customer's terms first reach each code), or by the lead
// feature's name with TiesByName.
func (e *Explainer) appendReasons(dst []Reason, rec score.Record, ex *Explanation) []Reason {
	// ex.lead is -1 for every code between calls (set by prepare, restored
	// below), so only the codes this customer reaches are touched.
	for j, c := range ex.Contributions {
		code := e.termCod[j]
		if p := ex.Positions[j]; p >= 0 && p < len(e.posCod[j]) {
			code = e.posCod[j][p]
		}
		gap := e.sign * c
		switch l := ex.lead[code]; {
		case l < 0:
			ex.seen = append(ex.seen, code)
			ex.lead[code] = int32(j)
			ex.totals[code] = gap
			continue
		case gap > e.sign*ex.Contributions[l]:
			ex.lead[code] = int32(j)
		}
		ex.totals[code] += gap
	}
	// Top-k selection over the codes in document order: a code enters
	// after every code with an equal or larger total, so ties keep
	// document order.
	top := ex.top[:0]
	for _, c := range ex.seen {
		t := ex.totals[c]
		if !(t > 0 || (t == 0 && e.opts.KeepZero)) {
			continue
		}
		if len(top) == e.maxR && (e.maxR == 0 || !e.above(ex, c, top[len(top)-1])) {
			continue
		}
		i := len(top)
		for i > 0 && e.above(ex, c, top[i-1]) {
			i--
		}
		if len(top) < e.maxR {
			top = append(top, 0)
		}
		copy(top[i+1:], top[i:len(top)-1])
		top[i] = c
	}
	ex.top = top
	start := len(dst)
	for _, c := range top {
		j := int(ex.lead[c])
		// Fill the element in place: cheaper than appending a composite
		// literal, which is built and then copied with write barriers.
		if len(dst) < cap(dst) {
			dst = dst[:len(dst)+1]
		} else {
			dst = append(dst, Reason{})
		}
		r := &dst[len(dst)-1]
		r.Code, r.Term, r.Feature = e.codes[c], j, e.names[j]
		r.Value, r.Bin = ex.Values[j], e.Label(j, ex.Positions[j])
		r.PairValue, r.pair = ex.PairValues[j], e.pairs[j] >= 0
		r.Gap, r.Effect = ex.totals[c], e.sign*ex.totals[c]
		r.Withheld = e.withheld[j]
		r.Advice, r.AdviceWithheld = e.facts[j].advise(-e.sign, ex.Positions[j], ex.Values[j])
		r.AgainstTrend = e.against[j] && ex.Values[j].IsNum() && e.facts[j].onLine(ex.Positions[j])
	}
	for _, c := range ex.seen {
		ex.lead[c] = -1
	}
	for e.opts.Pad && len(dst)-start < e.maxR {
		dst = append(dst, Reason{Term: -1})
	}
	return dst
}

// above reports whether code a ranks above code b, which was seen
// earlier: a larger total, or an equal total and (with TiesByName) an
// earlier lead feature name.
func (e *Explainer) above(ex *Explanation, a, b int32) bool {
	ta, tb := ex.totals[a], ex.totals[b]
	if ta != tb || !e.opts.TiesByName {
		return ta > tb
	}
	return e.names[ex.lead[a]] < e.names[ex.lead[b]]
}

// Order writes into dst (grown as needed) the term indexes sorted by
// |contribution| descending, then feature name: the deterministic order
// for showing a breakdown.
func (e *Explainer) Order(dst []int, ex *Explanation) []int {
	dst = dst[:0]
	if len(ex.Contributions) != len(e.names) {
		return dst // the zero Explainer, or ex from another model
	}
	for j := range ex.Contributions {
		dst = append(dst, j)
	}
	for a := 1; a < len(dst); a++ {
		for b := a; b > 0 && e.before(ex, dst[b], dst[b-1]); b-- {
			dst[b], dst[b-1] = dst[b-1], dst[b]
		}
	}
	return dst
}

func (e *Explainer) before(ex *Explanation, a, b int) bool {
	ca, cb := math.Abs(ex.Contributions[a]), math.Abs(ex.Contributions[b])
	if ca != cb {
		return ca > cb
	}
	return e.names[a] < e.names[b]
}

// PairSeparator joins the two features (and the two bins) of a pair term
// in names and labels: "age × income", "[30, 40) × >= 5000".
const PairSeparator = " × "

// PairName is the name explanations give a pair term of features a and b:
// its line in a breakdown and its reason code unless the term declares one.
func PairName(a, b string) string { return a + PairSeparator + b }

// pairFeature is the feature a pair term's reasons and text speak of: named
// PairName(a, b), labelled "A and B" from the two features' names for
// people (Catalog.FeatureName in English; a catalogue's FeatureMessage for
// the pair's name translates it), sensitive when either is.
func pairFeature(a, b score.Feature) score.Feature {
	var en Catalog // no messages: the label, description or name rule
	return score.Feature{Name: PairName(a.Name, b.Name), Kind: score.Categorical,
		Label:     en.FeatureName("en", a) + " and " + en.FeatureName("en", b),
		Sensitive: a.Sensitive || b.Sensitive}
}

// TermName is term j's name in breakdowns: its feature, or PairName of a
// pair term's two features.
func (e *Explainer) TermName(j int) string {
	if j < 0 || j >= len(e.names) {
		return ""
	}
	return e.names[j]
}

// BinLabel is a bin's label for people: its Label, else one generated from
// its definition ("< 25", "[25, 40)", ">= 40", "= -9", "missing", "other",
// or the categories joined by ", ").
func BinLabel(b score.Bin) string {
	if b.Label != "" {
		return b.Label
	}
	f := func(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }
	switch b.Kind {
	case score.RangeBin:
		switch {
		case b.Lower == nil && b.Upper == nil:
			return "any"
		case b.Lower == nil:
			return "< " + f(*b.Upper)
		case b.Upper == nil:
			return ">= " + f(*b.Lower)
		}
		return "[" + f(*b.Lower) + ", " + f(*b.Upper) + ")"
	case score.CategoryBin:
		return strings.Join(b.Categories, ", ")
	case score.SpecialBin:
		if b.Special != nil {
			return "= " + f(*b.Special)
		}
	case score.MissingBin:
		return "missing"
	case score.OtherBin:
		return "other"
	}
	return string(b.Kind)
}

// AgainstTrendText says, for staff, what Reason.AgainstTrend means.
const AgainstTrendText = "the model's slope for this feature runs against its trend, declared or in the training data: " +
	"a sign contradiction, which the fit report names (collinear inputs offset each other); " +
	"the reason is the model's, not the data's, and candor fit --constrain data refits without it"

// slopeAgainstTrend reports whether term j has a straight-line slope (its
// coefficient, or the slope of a sloped range bin) whose direction toward
// the outcome is against the feature's trend (declared, else the data's;
// facts.trend is +1 when the event rate rises with the value). e.sign
// turns the slope into the outcome's direction: +1 for log-odds of the
// event, -1 for points.
func (e *Explainer) slopeAgainstTrend(j int) bool {
	tr := e.facts[j].trend
	if tr == 0 {
		return false
	}
	t := &e.facts[j].term
	slope := 0.0
	switch t.Kind {
	case score.LinearTerm:
		slope = t.Coef
	case score.BinnedTerm:
		for _, b := range t.Bins {
			if b.Slope != 0 {
				slope = b.Slope
				break
			}
		}
	}
	return e.sign*slope*float64(tr) < 0
}
