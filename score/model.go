package score

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/candorscore/candor/internal/metric"
)

// ModelKind names the family of an additive model.
type ModelKind string

const (
	// LogisticModel scores in log-odds of the event.
	LogisticModel ModelKind = "logistic"
	// ScorecardModel scores in points; points rise as the event odds fall.
	ScorecardModel ModelKind = "scorecard"
	// LinearModel scores in the units of a continuous response (e.g. spend).
	LinearModel ModelKind = "linear"
)

// LogOdds is the natural log of the event odds p/(1-p).
type LogOdds float64

// Probability is the probability of the event, in [0, 1].
type Probability float64

// Points is a scorecard score: higher is safer (fewer events).
type Points float64

// Probability converts log-odds to a probability.
func (l LogOdds) Probability() Probability {
	x := float64(l)
	if x >= 0 {
		return Probability(1 / (1 + math.Exp(-x)))
	}
	e := math.Exp(x)
	return Probability(e / (1 + e))
}

// LogOdds converts a probability to log-odds.
func (p Probability) LogOdds() LogOdds { return LogOdds(math.Log(float64(p) / (1 - float64(p)))) }

// TermKind says how a term turns a feature's value into an effect.
type TermKind string

const (
	// LinearTerm: effect = Coef * x, for a numeric feature.
	LinearTerm TermKind = "linear"
	// CategoricalTerm: one effect per level (one-hot with a reference level
	// whose effect is 0), for a categorical feature.
	CategoricalTerm TermKind = "categorical"
	// BinnedTerm: one effect per bin, for a numeric or categorical feature.
	BinnedTerm TermKind = "binned"
	// PairTerm: one effect per cell of a grid over two features (an
	// interaction): the rows are the bins of Term.Feature (Term.Bins), the
	// columns the bins of Pair.Feature (Pair.Bins), and Pair.Effects the
	// table. See Pair.
	PairTerm TermKind = "pair"
)

// Level is one category of a CategoricalTerm.
type Level struct {
	Label  string  `json:"label"`
	Effect float64 `json:"effect"`           // in the model's score units
	Count  float64 `json:"count,omitempty"`  // training rows (weighted) with this level
	Events float64 `json:"events,omitempty"` // training events (weighted) with this level
	// ReasonCode overrides the term's reason code for this level (PMML
	// Attribute@reasonCode).
	ReasonCode string `json:"reason_code,omitempty"`
}

// BinKind says which values a Bin holds.
type BinKind string

const (
	RangeBin    BinKind = "range"      // numbers in [Lower, Upper)
	CategoryBin BinKind = "categories" // the listed labels
	SpecialBin  BinKind = "special"    // exactly Special (e.g. a -9 "no record" code)
	MissingBin  BinKind = "missing"    // missing values
	OtherBin    BinKind = "other"      // labels never seen in training
)

// Bin is one bin of a BinnedTerm. Statistics are from training and are for
// reports; only the bin's definition, Effect and Slope take part in scoring.
//
// A RangeBin may have a Slope: its effect is then Effect + Slope*x for the
// value x in the bin (computed in that order), an affine piece such as a
// PMML ComplexPartialScore "0.01*income - 18" (Effect -18, Slope 0.01). Slope
// is in score units per unit of the feature, must be finite, and is 0 (and
// omitted from the model file, which keeps the fingerprint of models without
// slopes) for every other kind of bin. Use EffectRange for a bin's lowest
// and highest effect rather than Effect.
type Bin struct {
	Kind BinKind `json:"kind"`
	// Lower and Upper bound a RangeBin as [Lower, Upper); nil is unbounded.
	Lower      *float64 `json:"lower,omitempty"`
	Upper      *float64 `json:"upper,omitempty"`
	Categories []string `json:"categories,omitempty"` // CategoryBin labels
	Special    *float64 `json:"special,omitempty"`    // SpecialBin value
	Label      string   `json:"label,omitempty"`      // for people; generated when empty
	Effect     float64  `json:"effect"`               // in the model's score units (points for scorecards)
	Slope      float64  `json:"slope,omitempty"`      // RangeBin only: score units per unit of x; effect = Effect + Slope*x
	WoE        float64  `json:"woe,omitempty"`        // ln(share of non-events / share of events)
	Count      float64  `json:"count,omitempty"`      // training rows (weighted)
	Events     float64  `json:"events,omitempty"`     // training events (weighted)
	// ReasonCode overrides the term's reason code for this bin (PMML
	// Attribute@reasonCode).
	ReasonCode string `json:"reason_code,omitempty"`
}

// Stats summarises a feature over the training data. Quantiles holds the
// 0th, 1st, ..., 100th percentiles of a numeric feature (type-7, linear
// interpolation), used for default recourse bounds and costs.
type Stats struct {
	Count     float64   `json:"count"`
	Missing   float64   `json:"missing,omitempty"`
	Mean      float64   `json:"mean,omitempty"`
	Min       float64   `json:"min,omitempty"`
	Max       float64   `json:"max,omitempty"`
	Quantiles []float64 `json:"quantiles,omitempty"`
	// DataTrend is the direction of the feature's univariate association
	// with the event in the training rows: +1 when the event rate rises with
	// the value, -1 when it falls, 0 when not significant at the 1% level or
	// not computed. For a numeric feature it is the sign of the Spearman
	// rank correlation with the event (special codes and missing values
	// left out). Advice never points against it.
	DataTrend int `json:"data_trend,omitempty"`
	// Cells are the training rows of a numeric feature grouped by value
	// (deciles for a logistic term; the model's bins carry their own
	// counts): the data support of advice and counterfactuals.
	Cells []Cell `json:"cells,omitempty"`
}

// Cell is a range of training values [Lower, Upper) (nil: unbounded) with
// the training rows and events in it (weighted).
type Cell struct {
	Lower  *float64 `json:"lower,omitempty"`
	Upper  *float64 `json:"upper,omitempty"`
	Count  float64  `json:"count"`
	Events float64  `json:"events"`
}

// Range returns the lowest and highest training value, and false when st
// is nil or holds no range (no rows, or Min above Max).
func (st *Stats) Range() (lo, hi float64, ok bool) {
	if st == nil || !(st.Count > 0) || !(st.Min <= st.Max) {
		return 0, 0, false
	}
	return st.Min, st.Max, true
}

// Term is one additive part of a model: the effect of one feature, in the
// model's score units (log-odds, points or response units).
type Term struct {
	Feature string   `json:"feature"`
	Kind    TermKind `json:"kind"`
	// Coef multiplies the value of a LinearTerm.
	Coef float64 `json:"coef,omitempty"`
	// Fill is the value a LinearTerm uses for a missing value; nil makes a
	// missing value an error.
	Fill *float64 `json:"fill,omitempty"`
	// Reference is the CategoricalTerm level whose effect is 0 by construction.
	Reference string  `json:"reference,omitempty"`
	Levels    []Level `json:"levels,omitempty"`
	// MissingEffect and OtherEffect are a CategoricalTerm's effects for a
	// missing value and for a label not in Levels; nil makes those errors.
	MissingEffect *float64 `json:"missing_effect,omitempty"`
	OtherEffect   *float64 `json:"other_effect,omitempty"`
	Bins          []Bin    `json:"bins,omitempty"`
	// Baseline is the term's average effect over the training data: the
	// population-average baseline of explanations.
	Baseline float64 `json:"baseline"`
	Stats    *Stats  `json:"stats,omitempty"`
	// ReasonCode is the reason code this term reports (PMML
	// Characteristic@reasonCode); empty means the feature name.
	ReasonCode string `json:"reason_code,omitempty"`
	// ReasonBaseline is a declared per-term baseline for reason codes (PMML
	// Characteristic@baselineScore), in score units; nil when not declared.
	ReasonBaseline *float64 `json:"reason_baseline,omitempty"`
	// Pair is a PairTerm's second feature, its bins and the table of
	// effects; nil for every other kind.
	Pair *Pair `json:"pair,omitempty"`
}

// ReasonSpec records how a model's own reason codes are defined (as PMML
// Scorecard does): the algorithm and a model-wide baseline used by terms
// that declare none.
type ReasonSpec struct {
	// Algorithm is "pointsBelow" (a term's gap is baseline - effect) or
	// "pointsAbove" (effect - baseline).
	Algorithm string `json:"algorithm"`
	// Baseline is the model-wide baseline (PMML Scorecard@baselineScore),
	// nil when not declared.
	Baseline *float64 `json:"baseline,omitempty"`
}

// Scaling maps a scorecard's points to log-odds:
// points = Offset - Factor * ln(event odds) = Offset + Factor * ln(non-event:event odds),
// with Factor = PDO / ln 2 and Offset = BasePoints - Factor * ln(BaseOdds)
// where BaseOdds is the non-event:event odds at BasePoints (default 600 at 19:1, PDO 50).
type Scaling struct {
	BasePoints float64 `json:"base_points"`
	BaseOdds   float64 `json:"base_odds"` // non-event:event
	PDO        float64 `json:"pdo"`       // points to double the odds
	Offset     float64 `json:"offset"`
	Factor     float64 `json:"factor"`
}

// NewScaling computes Offset and Factor from the base points, the
// non-event:event odds at those points, and the points to double the odds.
// Zero arguments take the defaults 600, 19 and 50.
func NewScaling(basePoints, baseOdds, pdo float64) Scaling {
	if basePoints == 0 {
		basePoints = 600
	}
	if baseOdds == 0 {
		baseOdds = 19
	}
	if pdo == 0 {
		pdo = 50
	}
	f := pdo / math.Ln2
	return Scaling{BasePoints: basePoints, BaseOdds: baseOdds, PDO: pdo, Factor: f, Offset: basePoints - f*math.Log(baseOdds)}
}

// Training records how a model was fitted, for reports and monitoring.
type Training struct {
	Rows        int       `json:"rows"`
	Dropped     int       `json:"dropped,omitempty"`
	Events      float64   `json:"events"`
	Iterations  int       `json:"iterations,omitempty"`
	Converged   bool      `json:"converged"`
	LogLik      float64   `json:"log_likelihood,omitempty"`
	L2          float64   `json:"l2,omitempty"`
	AUC         float64   `json:"auc,omitempty"`
	KS          float64   `json:"ks,omitempty"`
	Aliased     []string  `json:"aliased,omitempty"`
	ScoreQuants []float64 `json:"score_quantiles,omitempty"` // deciles of the training score, 0..100 step 10
}

// Spec is the full, plain-data description of a model. NewModel validates a
// Spec and compiles it; a Model's Spec method returns a copy.
type Spec struct {
	Name     string    `json:"name"`
	Version  string    `json:"version,omitempty"`
	Kind     ModelKind `json:"kind"`
	Target   string    `json:"target,omitempty"`
	Event    string    `json:"event,omitempty"` // target value that is the event
	Features []Feature `json:"features"`
	// Intercept is in the model's score units (base points for scorecards).
	Intercept float64  `json:"intercept"`
	Terms     []Term   `json:"terms"`
	Scaling   *Scaling `json:"scaling,omitempty"` // scorecards only
	// Cutoff is the event probability at or above which the outcome is
	// adverse (declined, flagged); 0 means 0.5.
	Cutoff   Probability `json:"cutoff,omitempty"`
	Training *Training   `json:"training,omitempty"`
	// Reasons declares the model's reason-code rules, when it has its own
	// (imported PMML scorecards); nil means explanations choose.
	Reasons *ReasonSpec `json:"reasons,omitempty"`
}

// Model is a validated additive model:
// score = Intercept + sum over terms of effect_j(x_j).
// A Model is immutable and safe for concurrent use.
//
// The zero Model is not usable: build one with NewModel, a fit, or Load.
// It has no terms and its methods do not panic: Score, ScoreTerms, Effect,
// Encode, ScoreEncoded and Binding.Encode return an error wrapping
// ErrModel, Schema returns an empty schema (so ScoreWithConsent refuses
// any non-empty record), and the other accessors return zero values.
type Model struct {
	kind   uint8 // the spec's Kind as a number, for the hot path
	hot    []hotTerm
	encTab []encEntry  // ScoreEncoded's effect table, term by term
	encAt  []encLayout // where each term's entries are in encTab
	spec   Spec
	schema *Schema
	terms  []compiledTerm
	fp     string
}

type compiledTerm struct {
	t       *Term
	kind    uint8          // termLinear, termCategorical or termBinned (no string compares on the hot path)
	coef    float64        // LinearTerm coefficient
	feature int            // schema index
	levels  map[string]int // label -> level or bin index
	labels  []string       // small label sets: labels[k] -> index idx[k], scanned linearly (faster than hashing)
	idx     []int
	effects []float64 // effects[k]: the effect of labels[k]
	ranges  []int     // indexes of RangeBins, in ascending order
	special []int     // indexes of SpecialBins
	missing int       // bin index for missing, -1
	other   int       // bin index for unseen labels, -1
	// A PairTerm's rows and columns: each a BinnedTerm over the pair's bins
	// of one feature (effects 0), compiled to find a value's bin; feature2
	// is the second feature's schema index (-1 for other kinds).
	rows, cols *compiledTerm
	feature2   int
}

// hotTerm is the part of a compiled term the scoring loop reads, packed in
// one cache line: kind, the record position, and either the coefficient or
// the small label set with its effects.
type hotTerm struct {
	kind    uint8 // hotLinear, hotLabels, hotRanges or hotOther
	feature int32
	coef    float64
	labels  []string  // hotLabels: the labels, most frequent first
	effects []float64 // hotLabels: effects[k] of labels[k]; hotRanges: effect of range k
	uppers  []float64 // hotRanges: exclusive upper bounds of all ranges but the last, ascending
}

// The scoring loop's term shapes. hotOther terms (missing-value bins,
// special values, sloped bins, large label sets) always take the general
// path.
const (
	hotLinear uint8 = iota
	hotLabels
	hotRanges
	hotOther
)

// newHotTerm packs what the scoring loop needs of a compiled term.
func newHotTerm(ct *compiledTerm) hotTerm {
	h := hotTerm{kind: hotOther, feature: int32(ct.feature), coef: ct.coef}
	switch {
	case ct.kind == termLinear:
		h.kind = hotLinear
	case ct.labels != nil:
		h.kind, h.labels, h.effects = hotLabels, ct.labels, ct.effects
	case ct.kind == termBinned && len(ct.ranges) > 0 && len(ct.special) == 0:
		bins := ct.t.Bins
		for _, k := range ct.ranges {
			if bins[k].Slope != 0 {
				return h
			}
			h.effects = append(h.effects, bins[k].Effect)
			if bins[k].Upper != nil {
				h.uppers = append(h.uppers, *bins[k].Upper)
			}
		}
		h.kind = hotRanges
	}
	return h
}

// NewModel validates spec and returns the model. It refuses protected
// attributes as inputs (ErrProtectedInput), non-finite numbers, terms for
// unknown features, overlapping or gapped bins, and duplicate labels.
func NewModel(spec Spec) (*Model, error) {
	spec = spec.clone()
	schema, err := NewSchema(spec.Features...)
	if err != nil {
		return nil, err
	}
	switch spec.Kind {
	case LogisticModel, LinearModel:
	case ScorecardModel:
		if spec.Scaling == nil || !(spec.Scaling.Factor > 0) || !isFinite(spec.Scaling.Offset) {
			return nil, modelErr("a scorecard needs a scaling with a positive factor")
		}
	default:
		return nil, modelErr("unknown model kind %q", spec.Kind)
	}
	if !isFinite(spec.Intercept) {
		return nil, modelErr("intercept is not finite")
	}
	if c := float64(spec.Cutoff); c != 0 && !(c > 0 && c < 1) {
		return nil, modelErr("cutoff %v is not a probability in (0, 1)", c)
	}
	if r := spec.Reasons; r != nil {
		if r.Algorithm != "pointsBelow" && r.Algorithm != "pointsAbove" {
			return nil, modelErr("reason-code algorithm %q (want pointsBelow or pointsAbove)", r.Algorithm)
		}
		if r.Baseline != nil && !isFinite(*r.Baseline) {
			return nil, modelErr("reason-code baseline is not finite")
		}
	}
	m := &Model{spec: spec, schema: schema, terms: make([]compiledTerm, len(spec.Terms))}
	used := map[string]bool{}
	for j := range m.spec.Terms {
		t := &m.spec.Terms[j]
		i := schema.Index(t.Feature)
		if i < 0 {
			return nil, &FieldError{Feature: t.Feature, Err: fmt.Errorf("%w: term for a feature the schema lacks", ErrUnknownFeature)}
		}
		f := schema.features[i]
		switch f.Role {
		case Protected:
			return nil, &FieldError{Feature: f.Name, Err: ErrProtectedInput}
		case Ignored:
			return nil, &FieldError{Feature: f.Name, Err: fmt.Errorf("%w: feature has role ignored but is a model input", ErrModel)}
		}
		key := f.Name
		if t.Kind == PairTerm {
			ct, err := m.compilePair(t, i)
			if err != nil {
				return nil, err
			}
			key = pairKey(f.Name, t.Pair.Feature)
			if used[key] {
				return nil, &FieldError{Feature: f.Name, Err: fmt.Errorf("%w: two pair terms for %s and %s", ErrModel, f.Name, t.Pair.Feature)}
			}
			used[key] = true
			m.terms[j] = ct
			continue
		}
		if used[key] {
			return nil, &FieldError{Feature: f.Name, Err: fmt.Errorf("%w: two terms for one feature", ErrModel)}
		}
		used[key] = true
		ct, err := compileTerm(t, f)
		if err != nil {
			return nil, &FieldError{Feature: f.Name, Err: err}
		}
		ct.feature = i
		ct.coef = t.Coef
		switch t.Kind {
		case CategoricalTerm:
			ct.kind = termCategorical
		case BinnedTerm:
			ct.kind = termBinned
		}
		ct.index()
		m.terms[j] = ct
	}
	fp, err := fingerprint(&m.spec)
	if err != nil {
		return nil, err
	}
	m.fp = fp
	m.layoutEncoding()
	m.hot = make([]hotTerm, len(m.terms))
	for j := range m.terms {
		ct := &m.terms[j]
		m.hot[j] = newHotTerm(ct)
	}
	switch spec.Kind {
	case ScorecardModel:
		m.kind = kindScorecard
	case LinearModel:
		m.kind = kindLinear
	}
	return m, nil
}

func compileTerm(t *Term, f Feature) (compiledTerm, error) {
	ct := compiledTerm{t: t, missing: -1, other: -1, feature2: -1}
	if !isFinite(t.Baseline) || (t.ReasonBaseline != nil && !isFinite(*t.ReasonBaseline)) {
		return ct, fmt.Errorf("%w: baseline is not finite", ErrModel)
	}
	if st := t.Stats; st != nil {
		if st.DataTrend < -1 || st.DataTrend > 1 {
			return ct, fmt.Errorf("%w: data trend %d (want -1, 0 or 1)", ErrModel, st.DataTrend)
		}
		for k, c := range st.Cells {
			if !(c.Count >= 0) || !(c.Events >= 0) || c.Events > c.Count || math.IsInf(c.Count, 0) {
				return ct, fmt.Errorf("%w: stats cell %d has %v events in %v rows", ErrModel, k, c.Events, c.Count)
			}
		}
	}
	switch t.Kind {
	case LinearTerm:
		if f.Kind != Numeric {
			return ct, fmt.Errorf("%w: linear term on a categorical feature", ErrModel)
		}
		if !isFinite(t.Coef) || (t.Fill != nil && !isFinite(*t.Fill)) {
			return ct, fmt.Errorf("%w: coefficient or fill is not finite", ErrModel)
		}
	case CategoricalTerm:
		if f.Kind != Categorical {
			return ct, fmt.Errorf("%w: categorical term on a numeric feature", ErrModel)
		}
		ct.levels = make(map[string]int, len(t.Levels))
		for k, l := range t.Levels {
			if _, dup := ct.levels[l.Label]; dup {
				return ct, fmt.Errorf("%w: level %q listed twice", ErrModel, l.Label)
			}
			if !isFinite(l.Effect) {
				return ct, fmt.Errorf("%w: level %q effect is not finite", ErrModel, l.Label)
			}
			ct.levels[l.Label] = k
		}
		for _, p := range []*float64{t.MissingEffect, t.OtherEffect} {
			if p != nil && !isFinite(*p) {
				return ct, fmt.Errorf("%w: missing or other effect is not finite", ErrModel)
			}
		}
	case BinnedTerm:
		if len(t.Bins) == 0 {
			return ct, fmt.Errorf("%w: binned term without bins", ErrModel)
		}
		ct.levels = map[string]int{}
		for k, b := range t.Bins {
			if !isFinite(b.Effect) || !isFinite(b.Slope) {
				return ct, fmt.Errorf("%w: bin %d effect or slope is not finite", ErrModel, k)
			}
			if b.Slope != 0 && (b.Kind != RangeBin || f.Kind != Numeric) {
				return ct, fmt.Errorf("%w: bin %d has a slope but is not a range bin of a numeric feature", ErrModel, k)
			}
			switch b.Kind {
			case RangeBin:
				if f.Kind != Numeric {
					return ct, fmt.Errorf("%w: range bin on a categorical feature", ErrModel)
				}
				lo, hi := bound(b.Lower, math.Inf(-1)), bound(b.Upper, math.Inf(1))
				if math.IsNaN(lo) || math.IsNaN(hi) || !(lo < hi) {
					return ct, fmt.Errorf("%w: bin %d range [%v, %v) is empty", ErrModel, k, lo, hi)
				}
				ct.ranges = append(ct.ranges, k)
			case CategoryBin:
				if f.Kind != Categorical {
					return ct, fmt.Errorf("%w: category bin on a numeric feature", ErrModel)
				}
				for _, c := range b.Categories {
					if _, dup := ct.levels[c]; dup {
						return ct, fmt.Errorf("%w: category %q in two bins", ErrModel, c)
					}
					ct.levels[c] = k
				}
			case SpecialBin:
				if f.Kind != Numeric || b.Special == nil || !isFinite(*b.Special) {
					return ct, fmt.Errorf("%w: special bin %d needs a finite numeric value", ErrModel, k)
				}
				ct.special = append(ct.special, k)
			case MissingBin:
				if ct.missing >= 0 {
					return ct, fmt.Errorf("%w: two missing bins", ErrModel)
				}
				ct.missing = k
			case OtherBin:
				if ct.other >= 0 || f.Kind != Categorical {
					return ct, fmt.Errorf("%w: other bin must be single and categorical", ErrModel)
				}
				ct.other = k
			default:
				return ct, fmt.Errorf("%w: bin %d has kind %q", ErrModel, k, b.Kind)
			}
		}
		// Ranges must tile the line in ascending order without gaps or overlaps.
		slices.SortStableFunc(ct.ranges, func(a, b int) int {
			return metric.Compare(bound(t.Bins[a].Lower, math.Inf(-1)), bound(t.Bins[b].Lower, math.Inf(-1)))
		})
		for r := 1; r < len(ct.ranges); r++ {
			prev, cur := t.Bins[ct.ranges[r-1]], t.Bins[ct.ranges[r]]
			if bound(prev.Upper, math.Inf(1)) != bound(cur.Lower, math.Inf(-1)) {
				return ct, fmt.Errorf("%w: range bins leave a gap or overlap at %v", ErrModel, bound(prev.Upper, math.Inf(1)))
			}
		}
		if len(ct.ranges) > 0 {
			if t.Bins[ct.ranges[0]].Lower != nil || t.Bins[ct.ranges[len(ct.ranges)-1]].Upper != nil {
				return ct, fmt.Errorf("%w: range bins must cover every number (first unbounded below, last above)", ErrModel)
			}
		}
	default:
		return ct, fmt.Errorf("%w: unknown term kind %q", ErrModel, t.Kind)
	}
	return ct, nil
}

// Extent returns the lowest and highest value of a RangeBin's feature that
// a report should consider for the bin: the bin's own values [Lower, the
// largest float64 below Upper], intersected with the training range
// [st.Min, st.Max] when st has training counts and the two overlap. An
// unbounded side is ±Inf unless the training range bounds it. Other kinds
// of bins return NaN, NaN.
func (b Bin) Extent(st *Stats) (lo, hi float64) {
	if b.Kind != RangeBin {
		return math.NaN(), math.NaN()
	}
	lo, hi = bound(b.Lower, math.Inf(-1)), math.Inf(1)
	if b.Upper != nil {
		hi = math.Nextafter(*b.Upper, math.Inf(-1))
	}
	if smin, smax, ok := st.Range(); ok {
		if l, h := math.Max(lo, smin), math.Min(hi, smax); l <= h {
			return l, h
		}
	}
	return lo, hi
}

// EffectAt returns the bin's effect at value x: Effect + Slope*x for a
// sloped RangeBin (as scoring computes it), Effect otherwise.
func (b Bin) EffectAt(x float64) float64 {
	if b.Slope == 0 {
		return b.Effect
	}
	return b.Effect + float64(b.Slope*x)
}

// EffectRange returns the lowest and highest effect the term can have:
// over its levels (the reference level's 0 included) or bins, with the
// missing and other effects (a sloped bin by Bin.EffectRange), or, for a
// linear term, over the training range of its feature and its fill value
// (unbounded, -Inf and +Inf, without training statistics; 0 and 0 when the
// coefficient is 0). ok is false when the term has no attainable effect at
// all (no levels or bins).
func (t *Term) EffectRange() (lo, hi float64, ok bool) {
	lo, hi = math.Inf(1), math.Inf(-1)
	see := func(e float64) {
		lo, hi = math.Min(lo, e), math.Max(hi, e)
	}
	switch t.Kind {
	case LinearTerm:
		if t.Coef == 0 {
			return 0, 0, true
		}
		smin, smax, ok := t.Stats.Range()
		if !ok {
			return math.Inf(-1), math.Inf(1), true
		}
		see(t.Coef * smin)
		see(t.Coef * smax)
		if t.Fill != nil {
			see(t.Coef * *t.Fill)
		}
	case CategoricalTerm:
		ref := t.Reference == ""
		for _, l := range t.Levels {
			see(l.Effect)
			ref = ref || l.Label == t.Reference
		}
		if !ref {
			see(0) // the reference level, effect 0 by construction
		}
		for _, e := range []*float64{t.MissingEffect, t.OtherEffect} {
			if e != nil {
				see(*e)
			}
		}
	case BinnedTerm:
		for _, b := range t.Bins {
			l, h := b.EffectRange(t.Stats)
			see(l)
			see(h)
		}
	case PairTerm:
		if t.Pair != nil {
			for _, e := range t.Pair.Effects {
				see(e)
			}
		}
	}
	return lo, hi, lo <= hi
}

// EffectRange returns the lowest and highest effect of the bin, in score
// units: Effect for a bin without a slope; for a sloped RangeBin, whose
// effect is monotone in x, the effects at the two ends of Extent(st). A
// sloped bin unbounded on the side where its effect grows (or falls), with
// no training range to bound it, has an infinite hi (or lo).
func (b Bin) EffectRange(st *Stats) (lo, hi float64) {
	if b.Slope == 0 {
		return b.Effect, b.Effect
	}
	x0, x1 := b.Extent(st)
	e0, e1 := b.EffectAt(x0), b.EffectAt(x1)
	return math.Min(e0, e1), math.Max(e0, e1)
}

func bound(p *float64, def float64) float64 {
	if p == nil {
		return def
	}
	return *p
}

// Name, Version and Kind describe the model.
func (m *Model) Name() string    { return m.spec.Name }
func (m *Model) Version() string { return m.spec.Version }
func (m *Model) Kind() ModelKind { return m.spec.Kind }
func (m *Model) Target() string  { return m.spec.Target }
func (m *Model) Event() string   { return m.spec.Event }
func (m *Model) Schema() *Schema {
	if m.schema == nil {
		return &Schema{} // the zero Model's: no features
	}
	return m.schema
}
func (m *Model) Intercept() float64 { return m.spec.Intercept }

// Fingerprint is "sha256:" and the hex SHA-256 of the model's canonical JSON.
func (m *Model) Fingerprint() string { return m.fp }

// Scaling returns the points scaling of a scorecard.
func (m *Model) Scaling() (Scaling, bool) {
	if m.spec.Scaling == nil {
		return Scaling{}, false
	}
	return *m.spec.Scaling, true
}

// Cutoff is the event probability at or above which the outcome is adverse.
func (m *Model) Cutoff() Probability {
	if m.spec.Cutoff == 0 {
		return 0.5
	}
	return m.spec.Cutoff
}

// Training returns the fit summary, if the model has one.
func (m *Model) Training() (Training, bool) {
	if m.spec.Training == nil {
		return Training{}, false
	}
	return *m.spec.Training, true
}

// NumTerms is the number of additive terms: one per input feature, plus
// one per pair term.
func (m *Model) NumTerms() int { return len(m.terms) }

// Term returns a deep copy of term j (0 <= j < NumTerms): editing it
// changes nothing in the model. It allocates; hot loops that need only a
// term's kind or feature use TermKind and TermFeature.
func (m *Model) Term(j int) Term { return m.terms[j].t.clone() }

// TermKind returns the kind of term j, without copying the term.
func (m *Model) TermKind(j int) TermKind { return m.terms[j].t.Kind }

// TrainingRange returns the lowest and highest value term j's feature took
// in training (Term.Stats), and false when the term carries no such
// statistics. It does not copy the term.
func (m *Model) TrainingRange(j int) (lo, hi float64, ok bool) {
	return m.terms[j].t.Stats.Range()
}

// TrainingCount returns the weighted training rows of term j's level or
// bin pos and the total over the term's levels or bins (0, 0 for a linear
// term or a pos out of range), and the bin's kind for a BinnedTerm. It does
// not copy the term.
func (m *Model) TrainingCount(j, pos int) (count, total float64, kind BinKind) {
	t := m.terms[j].t
	switch t.Kind {
	case CategoricalTerm:
		if pos < 0 || pos >= len(t.Levels) {
			return 0, 0, ""
		}
		for _, l := range t.Levels {
			total += l.Count
		}
		return t.Levels[pos].Count, total, ""
	case BinnedTerm:
		if pos < 0 || pos >= len(t.Bins) {
			return 0, 0, ""
		}
		for _, b := range t.Bins {
			total += b.Count
		}
		return t.Bins[pos].Count, total, t.Bins[pos].Kind
	}
	return 0, 0, ""
}

// TermFeature returns the schema index of term j's feature.
func (m *Model) TermFeature(j int) int { return m.terms[j].feature }

// TermOf returns the index of the term on the named feature, or -1 when the
// model has no term on it.
func (m *Model) TermOf(feature string) int {
	for j := range m.terms {
		if m.terms[j].t.Feature == feature && m.terms[j].kind != termPair {
			return j
		}
	}
	return -1
}

// Spec returns a deep copy of the model's specification, to edit and pass
// to NewModel again.
func (m *Model) Spec() Spec { return m.spec.clone() }

const (
	kindLogistic uint8 = iota
	kindScorecard
	kindLinear
)

// Result is a score in every scale the model has.
type Result struct {
	// Score is in the model's units: log-odds for logistic models, points for
	// scorecards, response units for linear models.
	Score float64
	// LogOdds and Probability are of the event; NaN for linear models.
	LogOdds     LogOdds
	Probability Probability
}

// Link turns a score in model units into a Result.
func (m *Model) Link(score float64) Result {
	r := Result{Score: score}
	switch m.kind {
	case kindLogistic:
		r.LogOdds = LogOdds(score)
	case kindScorecard:
		r.LogOdds = LogOdds((m.spec.Scaling.Offset - score) / m.spec.Scaling.Factor)
	default:
		r.LogOdds, r.Probability = LogOdds(math.NaN()), Probability(math.NaN())
		return r
	}
	r.Probability = r.LogOdds.Probability()
	return r
}

// ScoreFor returns the score in model units that corresponds to the event
// log-odds l (for scorecards, the points at those odds). NaN for linear models.
func (m *Model) ScoreFor(l LogOdds) float64 {
	switch m.spec.Kind {
	case LogisticModel:
		return float64(l)
	case ScorecardModel:
		return m.spec.Scaling.Offset - m.spec.Scaling.Factor*float64(l)
	}
	return math.NaN()
}

// Score scores one record (in schema order). It allocates nothing unless the
// record is bad; then every bad field is reported in a *RecordError.
func (m *Model) Score(r Record) (Result, error) {
	return m.ScoreTerms(r, nil)
}

// ScoreTerms scores r and writes each term's effect into terms[j] (when
// terms is not nil it must have NumTerms elements). It allocates nothing
// unless the record is bad.
func (m *Model) ScoreTerms(r Record, terms []float64) (Result, error) {
	if m.schema == nil {
		return Result{}, errZeroModel
	}
	if len(r) != m.schema.Len() {
		return Result{}, m.recordLenErr(r)
	}
	if terms != nil && len(terms) < len(m.terms) {
		return Result{}, fmt.Errorf("%w: terms buffer has %d elements, model %d terms", ErrModel, len(terms), len(m.terms))
	}
	// One pass with no calls, so that the loop keeps its values in
	// registers; anything out of the ordinary (a missing value, a special
	// or unknown value, a bad one) sends the whole record down the general
	// path, which also gathers every error.
	s := m.spec.Intercept
	for j := range m.hot {
		h := &m.hot[j]
		v := &r[h.feature]
		var e float64
		switch {
		case h.kind == hotLinear && v.kind == numberValue && v.num-v.num == 0:
			e = float64(h.coef * v.num) // rounded: no fused multiply-add with s
		case h.kind == hotLabels && v.kind == labelValue:
			// A scan of the labels, most frequent first.
			k := 0
			for k < len(h.labels) && h.labels[k] != v.str {
				k++
			}
			if k == len(h.labels) {
				return m.scoreSlow(r, terms)
			}
			e = h.effects[k]
		case h.kind == hotRanges && v.kind == numberValue && v.num-v.num == 0:
			k := 0
			for k < len(h.uppers) && v.num >= h.uppers[k] {
				k++
			}
			e = h.effects[k]
		default:
			return m.scoreSlow(r, terms)
		}
		if terms != nil {
			terms[j] = e
		}
		s += e
	}
	if s-s != 0 { // ±Inf or NaN: the sum overflowed
		return Result{}, m.overflowErr(r)
	}
	return m.Link(s), nil
}

// overflowErr is the error for a record whose score is not finite (the
// model's terms overflow on its values): it names the term with the
// largest effect, or the first that is not finite.
func (m *Model) overflowErr(r Record) error {
	worst, mag := 0, -1.0
	for j := range m.terms {
		ct := &m.terms[j]
		e, _, err := ct.evalRecord(r)
		if err != nil {
			continue
		}
		if a := math.Abs(e); !(a <= mag) {
			worst, mag = j, a
			if math.IsNaN(a) || math.IsInf(a, 0) {
				break
			}
		}
	}
	i := m.terms[worst].feature
	fe := m.valueErr(i, r[i], fmt.Errorf("%w: the score overflows (the term's effect is %g)", ErrNotFinite, mag))
	return &RecordError{Fields: []*FieldError{fe}}
}

// scoreSlow is the general scoring loop: every term through eval, every
// problem of the record collected.
func (m *Model) scoreSlow(r Record, terms []float64) (Result, error) {
	s := m.spec.Intercept
	var errs []*FieldError
	for j := range m.terms {
		ct := &m.terms[j]
		e, _, err := ct.evalRecord(r)
		if err != nil {
			var w *Value
			if ct.kind == termPair {
				w = &r[ct.feature2]
			}
			errs = m.appendTermErr(errs, ct, r[ct.feature], w, err)
			continue
		}
		if terms != nil {
			terms[j] = e
		}
		s += e
	}
	if errs != nil {
		return Result{}, &RecordError{Fields: errs}
	}
	if s-s != 0 {
		return Result{}, m.overflowErr(r)
	}
	return m.Link(s), nil
}

// recordLenErr is the error for a record whose length is not the schema's.
func (m *Model) recordLenErr(r Record) error {
	return &RecordError{Fields: []*FieldError{{Feature: "(record)",
		Err: fmt.Errorf("%w: record has %d values, schema %d", ErrSchema, len(r), m.schema.Len())}}}
}

// errZeroModel is returned by the scoring methods of the zero Model.
var errZeroModel = fmt.Errorf("%w: the zero Model (build one with NewModel or Load)", ErrModel)

func (m *Model) valueErr(i int, v Value, err error) *FieldError {
	f := m.schema.features[i]
	fe := &FieldError{Feature: f.Name, Err: err}
	if !f.Sensitive && !v.IsMissing() {
		fe.Value = strconv.Quote(v.String())
	}
	return fe
}

// Effect returns term j's effect for value v and the position of v in the
// term: the level index of a CategoricalTerm, the bin index of a BinnedTerm
// (-1 for a linear term, or a categorical missing/other value).
func (m *Model) Effect(j int, v Value) (effect float64, pos int, err error) {
	if j < 0 || j >= len(m.terms) {
		return 0, -1, fmt.Errorf("%w: term %d of %d", ErrModel, j, len(m.terms))
	}
	ct := &m.terms[j]
	if ct.kind == termPair {
		return 0, -1, m.pairErr(j)
	}
	e, p, err := ct.eval(&v)
	if err != nil {
		return 0, -1, m.valueErr(ct.feature, v, err)
	}
	return e, p, nil
}

// find returns the level or bin index of a label, or -1. Up to
// linearScanMax labels are compared in turn (string equality first compares
// lengths, so this beats hashing long labels); more use the map.
func (ct *compiledTerm) find(label string) int {
	if ct.labels != nil {
		for k, l := range ct.labels {
			if l == label {
				return ct.idx[k]
			}
		}
		return -1
	}
	if k, ok := ct.levels[label]; ok {
		return k
	}
	return -1
}

const linearScanMax = 24

func (ct *compiledTerm) index() {
	if len(ct.levels) > linearScanMax {
		return
	}
	ct.labels = make([]string, 0, len(ct.levels))
	for l := range ct.levels {
		ct.labels = append(ct.labels, l)
	}
	// Most frequent labels first (training counts), so that the scan stops
	// early on typical customers; ties by label for determinism.
	count := func(l string) float64 {
		k := ct.levels[l]
		if ct.t.Kind == CategoricalTerm {
			return ct.t.Levels[k].Count
		}
		return ct.t.Bins[k].Count
	}
	slices.SortFunc(ct.labels, func(a, b string) int {
		if c := metric.Compare(count(b), count(a)); c != 0 {
			return c
		}
		return strings.Compare(a, b)
	})
	ct.idx = make([]int, len(ct.labels))
	ct.effects = make([]float64, len(ct.labels))
	for k, l := range ct.labels {
		ct.idx[k] = ct.levels[l]
		if ct.t.Kind == CategoricalTerm {
			ct.effects[k] = ct.t.Levels[ct.idx[k]].Effect
		} else {
			ct.effects[k] = ct.t.Bins[ct.idx[k]].Effect
		}
	}
}

const (
	termLinear uint8 = iota
	termCategorical
	termBinned
	termPair
)

func (ct *compiledTerm) eval(v *Value) (float64, int, error) {
	if ct.kind == termLinear && v.kind == numberValue {
		// The common case first.
		if x := v.num; x-x == 0 { // finite: NaN-NaN and Inf-Inf are NaN
			return float64(ct.coef * x), -1, nil
		}
		return 0, -1, ErrNotFinite
	}
	t := ct.t
	switch ct.kind {
	case termLinear:
		if v.kind == labelValue {
			return 0, -1, ErrWrongKind
		}
		if t.Fill == nil {
			return 0, -1, ErrMissing
		}
		return float64(t.Coef * *t.Fill), -1, nil
	case termCategorical:
		switch v.kind {
		case missingValue:
			if t.MissingEffect == nil {
				return 0, -1, ErrMissing
			}
			return *t.MissingEffect, -1, nil
		case numberValue:
			return 0, -1, ErrWrongKind
		}
		if k := ct.find(v.str); k >= 0 {
			return t.Levels[k].Effect, k, nil
		}
		if t.OtherEffect != nil {
			return *t.OtherEffect, -1, nil
		}
		return 0, -1, ErrUnknownCategory
	}
	// BinnedTerm
	switch v.kind {
	case missingValue:
		if ct.missing < 0 {
			return 0, -1, ErrMissing
		}
		return t.Bins[ct.missing].Effect, ct.missing, nil
	case labelValue:
		if ct.ranges != nil || ct.special != nil {
			return 0, -1, ErrWrongKind
		}
		if k := ct.find(v.str); k >= 0 {
			return t.Bins[k].Effect, k, nil
		}
		if ct.other >= 0 {
			return t.Bins[ct.other].Effect, ct.other, nil
		}
		return 0, -1, ErrUnknownCategory
	}
	if len(ct.levels) > 0 || ct.other >= 0 {
		return 0, -1, ErrWrongKind
	}
	x := v.num
	if !isFinite(x) {
		return 0, -1, ErrNotFinite
	}
	for _, k := range ct.special {
		if *t.Bins[k].Special == x {
			return t.Bins[k].Effect, k, nil
		}
	}
	for _, k := range ct.ranges {
		if b := &t.Bins[k]; b.Upper == nil || x < *b.Upper {
			if b.Slope != 0 {
				return b.Effect + float64(b.Slope*x), k, nil // the conversion rounds: no fused multiply-add
			}
			return b.Effect, k, nil
		}
	}
	return 0, -1, ErrWrongKind // no range bins: only specials and missing were declared
}

func (s Spec) clone() Spec {
	c := s
	c.Features = make([]Feature, len(s.Features))
	for i, f := range s.Features {
		c.Features[i] = f.clone()
	}
	c.Terms = make([]Term, len(s.Terms))
	for j, t := range s.Terms {
		c.Terms[j] = t.clone()
	}
	if s.Scaling != nil {
		sc := *s.Scaling
		c.Scaling = &sc
	}
	if s.Reasons != nil {
		rs := *s.Reasons
		rs.Baseline = clonePtr(rs.Baseline)
		c.Reasons = &rs
	}
	if s.Training != nil {
		tr := *s.Training
		tr.Aliased = slices.Clone(tr.Aliased)
		tr.ScoreQuants = slices.Clone(tr.ScoreQuants)
		c.Training = &tr
	}
	return c
}

// clone returns a deep copy of t: no slice or pointer shared.
func (t Term) clone() Term {
	t.Fill = clonePtr(t.Fill)
	t.MissingEffect = clonePtr(t.MissingEffect)
	t.OtherEffect = clonePtr(t.OtherEffect)
	t.ReasonBaseline = clonePtr(t.ReasonBaseline)
	t.Levels = slices.Clone(t.Levels)
	t.Bins = cloneBins(t.Bins)
	if t.Pair != nil {
		p := *t.Pair
		p.Bins = cloneBins(p.Bins)
		p.Effects = slices.Clone(p.Effects)
		p.Counts = slices.Clone(p.Counts)
		t.Pair = &p
	}
	if t.Stats != nil {
		st := *t.Stats
		st.Quantiles = slices.Clone(st.Quantiles)
		if st.Cells != nil {
			cells := make([]Cell, len(st.Cells))
			for k, c := range st.Cells {
				c.Lower, c.Upper = clonePtr(c.Lower), clonePtr(c.Upper)
				cells[k] = c
			}
			st.Cells = cells
		}
		t.Stats = &st
	}
	return t
}

func cloneBins(bs []Bin) []Bin {
	if bs == nil {
		return nil
	}
	bins := make([]Bin, len(bs))
	for k, b := range bs {
		b.Lower, b.Upper, b.Special = clonePtr(b.Lower), clonePtr(b.Upper), clonePtr(b.Special)
		b.Categories = slices.Clone(b.Categories)
		bins[k] = b
	}
	return bins
}

func clonePtr(p *float64) *float64 {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}
