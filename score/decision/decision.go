package decision

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/candorscore/candor/explain"
	"github.com/candorscore/candor/score"
)

// ErrPolicy: a decision policy that is inconsistent or does not fit the model.
var ErrPolicy = errors.New("invalid decision policy")

// Outcome is what a decision says should happen to the customer.
type Outcome string

const (
	Approve Outcome = "approve" // the favourable outcome: the event is unlikely enough
	Decline Outcome = "decline" // the adverse outcome
	Refer   Outcome = "refer"   // a person decides
)

// ReferralCode names why a decision was referred to a person.
type ReferralCode string

const (
	// ReferBand: the score is within the review band around the cutoff.
	ReferBand ReferralCode = "review_band"
	// ReferOutOfRange: a numeric value lies outside the training range
	// [Stats.Min, Stats.Max].
	ReferOutOfRange ReferralCode = "out_of_range"
	// ReferUnseen: a category (or bin) no training customer had.
	ReferUnseen ReferralCode = "unseen_category"
	// ReferRare: a category, level or bin held by fewer training customers
	// than the policy's RareShare.
	ReferRare ReferralCode = "rare_value"
	// ReferNeutralised: a feature neutralised for lack of consent could have
	// changed the outcome: between its lowest and highest possible effect
	// the score crosses the cutoff.
	ReferNeutralised ReferralCode = "neutralised_feature"
)

// Referral is one reason a decision was referred. Text is for the reviewer;
// it never contains the customer's values.
type Referral struct {
	Code    ReferralCode `json:"code"`
	Feature string       `json:"feature,omitempty"`
	Text    string       `json:"text"`
}

// Policy turns a score into approve, decline or refer. It is plain data,
// versioned and JSON-able. Its zero value is a valid policy: version "",
// the model's own cutoff, no review band, a 1% rarity threshold, range
// checks on, features lacking consent neutralised, and no purpose (so a
// model with a feature that needs consent is refused with ErrNoConsent
// rather than scored without it). Decide validates it on every call;
// NewDecider once. A Policy is safe for concurrent use as long as it is not
// modified.
type Policy struct {
	// Version identifies the policy in decision records.
	Version string `json:"version"`
	// Purpose is the purpose customers' data is scored for (e.g. "credit"),
	// checked against their consents.
	Purpose string `json:"purpose,omitempty"`
	// Consent says what to do with a feature lacking consent: neutralise it
	// (the default) or refuse to score.
	Consent score.ConsentMode `json:"consent,omitempty"`
	// Cutoff is the event probability at or above which the model's outcome
	// is Decline; 0 means the model's own cutoff.
	Cutoff score.Probability `json:"cutoff,omitempty"`
	// CutoffPoints, for scorecards, replaces Cutoff: points below it
	// decline, points at or above it approve.
	CutoffPoints *float64 `json:"cutoff_points,omitempty"`
	// ReviewBand refers a customer whose score is within this distance of
	// the cutoff (|p - Cutoff| <= ReviewBand, in probability; in points when
	// CutoffPoints is set). 0 means no band.
	ReviewBand float64 `json:"review_band,omitempty"`
	// RareShare refers a customer whose category, level or bin held less
	// than this share of the training rows; 0 means 0.01, a negative value
	// turns the check off. Categories no training row had (and "other"
	// bins) are always referred as unseen.
	RareShare float64 `json:"rare_share,omitempty"`
	// NoRangeCheck turns off referral for numeric values outside the
	// training range.
	NoRangeCheck bool `json:"no_range_check,omitempty"`
}

// ParsePolicy reads a policy from JSON, refusing unknown fields, and
// validates it.
func ParsePolicy(r io.Reader) (*Policy, error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	var p Policy
	if err := dec.Decode(&p); err != nil {
		return nil, fmt.Errorf("%w: policy JSON: %v", ErrPolicy, err)
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return &p, nil
}

// Validate checks the policy's numbers. A nil policy is the zero Policy,
// which is valid.
func (p *Policy) Validate() error {
	if p == nil {
		return nil
	}
	if c := float64(p.Cutoff); c != 0 && !(c > 0 && c < 1) {
		return fmt.Errorf("%w: cutoff %v is not a probability in (0, 1)", ErrPolicy, c)
	}
	if p.CutoffPoints != nil && !isFinite(*p.CutoffPoints) {
		return fmt.Errorf("%w: cutoff_points is not finite", ErrPolicy)
	}
	if p.CutoffPoints != nil && p.Cutoff != 0 {
		return fmt.Errorf("%w: give cutoff or cutoff_points, not both", ErrPolicy)
	}
	if !isFinite(p.ReviewBand) || p.ReviewBand < 0 {
		return fmt.Errorf("%w: review_band must be finite and not negative", ErrPolicy)
	}
	if p.CutoffPoints == nil && p.ReviewBand >= 1 {
		return fmt.Errorf("%w: review_band %v is in probability units and must be below 1", ErrPolicy, p.ReviewBand)
	}
	if !isFinite(p.RareShare) || p.RareShare >= 1 {
		return fmt.Errorf("%w: rare_share must be below 1", ErrPolicy)
	}
	if p.Consent != score.Neutralise && p.Consent != score.Refuse {
		return fmt.Errorf("%w: consent mode %d", ErrPolicy, p.Consent)
	}
	return nil
}

func (p *Policy) rareShare() float64 {
	if p.RareShare == 0 {
		return 0.01
	}
	return p.RareShare
}

// Decision is a policy's verdict on one customer.
type Decision struct {
	// Outcome is Approve, Decline or Refer.
	Outcome Outcome `json:"outcome"`
	// ModelOutcome is what the cutoff alone says (Approve or Decline), also
	// for referred decisions: the model's recommendation to the reviewer,
	// and the baseline of override reports.
	ModelOutcome Outcome `json:"model_outcome"`
	// Score is the consent-aware score (neutralised terms at their
	// baseline).
	Score score.ConsentResult `json:"-"`
	// Referrals gives every reason the decision was referred, in a fixed
	// order: review band, then per term (in model order) unlike-training
	// reasons, then neutralised features. Empty unless Outcome is Refer.
	Referrals []Referral `json:"referrals,omitempty"`
	// PolicyVersion is the version of the policy that decided.
	PolicyVersion string `json:"policy_version"`
	// Reasons are the reasons of the consent-aware score, most adverse
	// first, as the decision log records them: explain's reason codes
	// computed over the consent view of the model (Explained), so that a
	// neutralised feature is never a reason and every Effect (in model
	// units) is exact for Score.
	Reasons []LoggedReason `json:"reasons,omitempty"`
	// Explained is the full explanation the reasons come from (breakdown,
	// reasons with values and bins, and the explainer for customer text).
	// Nil for a Decision not made by Decide.
	Explained *Explained `json:"-"`
}

// Decide scores r with the customer's consents, applies the policy and
// explains the decision: it is NewDecider(m, p, nil) and Decider.Decide in
// one call, so it validates the policy and builds the explainers anew each
// time; a service deciding many customers builds one Decider instead.
// terms, when not nil, receives each term's effect (as ScoreWithConsent).
// Bad records, and missing consent under the Refuse mode, are errors
// (ErrNoConsent); a nil model is a score.ErrModel error.
func (p *Policy) Decide(m *score.Model, r score.Record, consents score.Consents, terms []float64) (Decision, error) {
	d, err := newDecider(m, p, nil, -1)
	if err != nil {
		return Decision{}, err
	}
	return d.decide(r, consents, terms)
}

// declines reports whether a score in model units is on the adverse side of
// the cutoff.
func (p *Policy) declines(m *score.Model, s float64) bool {
	if p.CutoffPoints != nil {
		return s < *p.CutoffPoints
	}
	return m.Link(s).Probability >= p.cutoff(m)
}

func (p *Policy) cutoff(m *score.Model) score.Probability {
	if p.Cutoff != 0 {
		return p.Cutoff
	}
	return m.Cutoff()
}

// inBand reports whether score s is within the review band of the cutoff,
// with a sentence that gives the published score shown (never s itself,
// which could give a sensitive value back). The band is tested as its two
// cuts (cuts, from Policy.cuts), so that a shown score kept on s's side of
// them (explain.OnSide) is in the band exactly when s is.
func (p *Policy) inBand(m *score.Model, cuts []explain.Cut, s, shown float64) (bool, string) {
	if len(cuts) < 3 || !cuts[1].Above(m, s) || cuts[2].Above(m, s) {
		return false, ""
	}
	head, unit := "probability "+strconv.FormatFloat(float64(m.Link(shown).Probability), 'f', 4, 64), ""
	if p.CutoffPoints != nil {
		head, unit = "score "+fmtG(shown)+" points", " points"
	}
	return true, head + " is within " + fmtG(p.ReviewBand) + unit + " of the cutoff " + fmtG(cuts[0].At)
}

// cuts are the thresholds whose side a decision discloses: the cutoff
// (declined at or above a probability, below points), then, with a review
// band, its lower edge (in the band at or above it) and its upper edge (in
// the band at or below it).
func (p *Policy) cuts(m *score.Model) []explain.Cut {
	c, pts, b := float64(p.cutoff(m)), p.CutoffPoints != nil, p.ReviewBand
	if pts {
		c = *p.CutoffPoints
	}
	n := 1
	if b > 0 {
		n = 3
	}
	out := make([]explain.Cut, 3)
	out[0], out[1], out[2] = explain.Cut{At: c, Points: pts, Closed: true}, explain.Cut{At: c - b, Points: pts, Closed: true}, explain.Cut{At: c + b, Points: pts}
	return out[:n]
}

// unlikeTraining appends a referral for each used term whose value the
// training data did not support: outside the numeric range, an unseen
// category, a rare level or bin.
func (p *Policy) unlikeTraining(m *score.Model, r score.Record, cr *score.ConsentResult, out []Referral) []Referral {
	rare := p.rareShare()
	feats := m.Schema().Features()
	for j := range m.NumTerms() {
		f := &feats[m.TermFeature(j)]
		if cr.IsNeutralised(f.Name) {
			continue
		}
		v := r[m.TermFeature(j)]
		if lo, hi, ok := m.TrainingRange(j); !p.NoRangeCheck && v.IsNum() && ok {
			if v.Float() < lo || v.Float() > hi {
				text := fmt.Sprintf("%s is outside the range seen in training", strconv.Quote(f.Name))
				if !f.Sensitive {
					text += fmt.Sprintf(" (%s to %s)", fmtG(lo), fmtG(hi))
				}
				out = append(out, Referral{Code: ReferOutOfRange, Feature: f.Name, Text: text})
			}
		}
		_, pos, err := m.Effect(j, v)
		if err != nil {
			continue // cannot happen after a successful score; be safe
		}
		what := "category"
		count, total, binKind := m.TrainingCount(j, pos)
		switch m.TermKind(j) {
		case score.CategoricalTerm:
			if v.IsMissing() {
				continue
			}
			if pos < 0 { // a label outside Levels, scored with OtherEffect
				out = append(out, Referral{Code: ReferUnseen, Feature: f.Name,
					Text: fmt.Sprintf("%s has a category not seen in training", strconv.Quote(f.Name))})
				continue
			}
		case score.BinnedTerm:
			if binKind == score.OtherBin {
				out = append(out, Referral{Code: ReferUnseen, Feature: f.Name,
					Text: fmt.Sprintf("%s has a category not seen in training", strconv.Quote(f.Name))})
				continue
			}
			what = "bin"
		default:
			continue
		}
		if total <= 0 {
			continue // the model carries no training counts
		}
		if count <= 0 {
			out = append(out, Referral{Code: ReferUnseen, Feature: f.Name,
				Text: fmt.Sprintf("%s has a %s no training customer had", strconv.Quote(f.Name), what)})
			continue
		}
		if share := count / total; rare > 0 && share < rare {
			out = append(out, Referral{Code: ReferRare, Feature: f.Name,
				Text: fmt.Sprintf("%s has a %s held by %.2f%% of training customers (threshold %s%%)",
					strconv.Quote(f.Name), what, 100*share, fmtG(100*rare))})
		}
	}
	return out
}

// neutralisedMatters appends a referral for each neutralised feature whose
// effect, anywhere between its lowest and highest possible value, could move
// the score across the cutoff; and, when none could alone, one referral for
// all of them together if together they could.
func (p *Policy) neutralisedMatters(m *score.Model, cr *score.ConsentResult, model Outcome, out []Referral) []Referral {
	if len(cr.Neutralised) == 0 {
		return out
	}
	s := cr.Score
	var loAll, hiAll float64
	alone := false
	counted := make([]bool, m.NumTerms())
	for _, name := range cr.Neutralised {
		// The feature's own term and every pair term it is in were set to
		// their baselines: together they could have moved the score by
		// their effect ranges.
		var lo1, hi1 float64
		found := false
		for j := range m.NumTerms() {
			i := m.Schema().Index(name)
			if m.TermFeature(j) != i && m.PairFeature(j) != i {
				continue
			}
			found = true
			t := m.Term(j)
			lo, hi, ok := t.EffectRange()
			if !ok {
				lo, hi = t.Baseline, t.Baseline
			}
			lo1 += lo - t.Baseline
			hi1 += hi - t.Baseline
			if !counted[j] {
				counted[j] = true
				loAll += lo - t.Baseline
				hiAll += hi - t.Baseline
			}
		}
		if !found {
			continue
		}
		if p.crosses(m, s+lo1, s+hi1) {
			alone = true
			out = append(out, Referral{Code: ReferNeutralised, Feature: name,
				Text: fmt.Sprintf("%s was not used (no consent for %s) and could have changed the outcome", strconv.Quote(name), cr.Purpose)})
		}
	}
	if !alone && len(cr.Neutralised) > 1 && p.crosses(m, s+loAll, s+hiAll) {
		out = append(out, Referral{Code: ReferNeutralised,
			Text: fmt.Sprintf("the features not used for lack of consent for %s could together have changed the outcome", cr.Purpose)})
	}
	return out
}

// crosses reports whether the outcome at score lo differs from that at hi.
// An infinite bound always crosses.
func (p *Policy) crosses(m *score.Model, lo, hi float64) bool {
	if math.IsInf(lo, 0) || math.IsInf(hi, 0) || math.IsNaN(lo) || math.IsNaN(hi) {
		return true
	}
	return p.declines(m, lo) != p.declines(m, hi)
}

// fmtG formats a number briefly and deterministically.
func fmtG(x float64) string {
	return strconv.FormatFloat(x, 'g', 6, 64)
}

// MarshalJSON writes the decision with its score (Score is not JSON as is:
// the Result of a linear model holds NaN).
func (d Decision) MarshalJSON() ([]byte, error) {
	type plain Decision
	out := struct {
		plain
		Score       float64  `json:"score"`
		Probability float64  `json:"probability"`
		Purpose     string   `json:"purpose,omitempty"`
		Neutralised []string `json:"neutralised,omitempty"`
	}{plain(d), d.Shown().Score, float64(d.Shown().Probability), d.Score.Purpose, d.Score.Neutralised}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(out); err != nil {
		return nil, err
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}

// Shown is the score of the decision as it may be shown and logged: the
// published score of Explained.Shown (sensitive terms at their bands'
// effects, see explain.SensitiveBands, kept on the exact score's side of
// the policy's cutoff and in or out of its review band as the exact score
// is: explain.Explainer.PublishSide), or Score itself for a Decision not
// made by Decide. Outcome was decided on the exact Score.
func (d *Decision) Shown() score.Result {
	if d.Explained != nil {
		return d.Explained.Shown.Result
	}
	return d.Score.Result
}

func isFinite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
