package decision

import (
	"fmt"
	"math"
	"strings"
	"sync"

	"github.com/candorscore/candor/explain"
	"github.com/candorscore/candor/score"
)

// DefaultMaxViews is how many consent views a Decider keeps when
// DeciderOptions.MaxViews is 0.
const DefaultMaxViews = 64

// DeciderOptions configure a Decider. The zero value (or nil) means the
// defaults.
type DeciderOptions struct {
	// Explain configures the reasons (explain.Options: baseline, algorithm,
	// MaxReasons, ...); nil means explain's defaults (the model's declared
	// baselines or the population average, at most 4 reasons).
	Explain *explain.Options
	// MaxViews bounds the consent views kept: one per distinct set of
	// neutralised features seen (an explainer over score.Model.Neutralise).
	// 0 means DefaultMaxViews; a negative value keeps none but the view
	// with every feature used. Once the bound is reached, further sets are
	// explained with a view built for the call and then dropped: the
	// results are the same, only slower.
	MaxViews int
}

// Explained is a score computed with the customer's consents, and its
// exact explanation.
type Explained struct {
	// Score is the consent-aware score (score.Model.ScoreWithConsent).
	Score score.ConsentResult
	// Explanation is explain's breakdown and reasons of Score, computed over
	// the consent view of the model (score.Model.Neutralise): Baseline +
	// sum(Contributions) == Score.Score to rounding. A neutralised term is
	// fixed at its population value in the score and in the baseline alike:
	// its Effect and Contribution are 0 (its population value is in
	// Baseline), its Value is Missing (the customer's value is never read),
	// and it is never a reason.
	Explanation explain.Explanation
	// Shown is Explanation as it may be shown (explain.Explainer.Publish):
	// with sensitive terms at their bands' effects, so that nothing in it
	// gives a sensitive value back. Its Result is the published score, on
	// the exact score's side of the policy's cutoff and review band.
	Shown explain.Explanation
	// Explainer is the consent view's explainer, for Order, ReasonArgs and
	// AppendCustomerText on Explanation. Its Model is the consent view, not
	// the model decided with.
	Explainer *explain.Explainer
}

// Decider applies a policy to one model: it scores customers with their
// consents, decides, and explains each decision exactly. Build it once
// with NewDecider; it is immutable (the policy is copied) and safe for
// concurrent use. It keeps, internally and up to DeciderOptions.MaxViews,
// one explainer per set of neutralised features. The zero Decider has no
// model: its methods return a score.ErrModel error.
type Decider struct {
	m     *score.Model
	p     Policy
	opts  explain.Options
	full  *explain.Explainer // every feature used
	max   int
	mu    sync.RWMutex
	views map[string]*explain.Explainer // key: neutralised features joined by NUL
	cuts  []explain.Cut                 // the policy's cutoff and review band (Policy.cuts)
}

// errNoModel is the error of a Decider without a model.
var errNoModel = fmt.Errorf("%w: no model to decide with (build a Decider with NewDecider)", score.ErrModel)

// NewDecider prepares decisions with model m under policy p (copied; nil
// means the zero Policy). It fails with ErrPolicy when the policy is
// invalid or does not fit the model (a linear model, cutoff points on a
// model that is not a scorecard), with score.ErrModel when m is nil, and
// with explain's errors when opts.Explain does not fit the model.
func NewDecider(m *score.Model, p *Policy, opts *DeciderOptions) (*Decider, error) {
	var o DeciderOptions
	if opts != nil {
		o = *opts
	}
	return newDecider(m, p, o.Explain, o.MaxViews)
}

func newDecider(m *score.Model, p *Policy, eo *explain.Options, maxViews int) (*Decider, error) {
	if m == nil {
		return nil, errNoModel
	}
	d := &Decider{m: m}
	if p != nil {
		d.p = *p
	}
	if err := d.p.Validate(); err != nil {
		return nil, err
	}
	if m.Kind() == score.LinearModel {
		return nil, fmt.Errorf("%w: decisions need a logistic model or a scorecard, not a linear model", ErrPolicy)
	}
	if d.p.CutoffPoints != nil && m.Kind() != score.ScorecardModel {
		return nil, fmt.Errorf("%w: cutoff_points needs a scorecard", ErrPolicy)
	}
	if eo != nil {
		d.opts = *eo
	}
	full, err := explain.NewExplainer(m, &d.opts)
	if err != nil {
		return nil, err
	}
	d.full = full
	d.cuts = d.p.cuts(m)
	switch {
	case maxViews == 0:
		d.max = DefaultMaxViews
	case maxViews > 0:
		d.max = maxViews
	}
	d.views = map[string]*explain.Explainer{}
	return d, nil
}

// Model returns the model decisions are made with (the one to name in the
// decision record).
func (d *Decider) Model() *score.Model {
	if d == nil {
		return nil
	}
	return d.m
}

// Policy returns a copy of the policy.
func (d *Decider) Policy() Policy {
	if d == nil {
		return Policy{}
	}
	p := d.p
	if p.CutoffPoints != nil {
		c := *p.CutoffPoints
		p.CutoffPoints = &c
	}
	return p
}

// Decide scores r with the customer's consents, applies the policy and
// explains the consent-aware score (Decision.Reasons, Decision.Explained).
// Bad records are the model's *score.RecordError; missing consent under
// the Refuse mode is ErrNoConsent.
func (d *Decider) Decide(r score.Record, consents score.Consents) (Decision, error) {
	return d.decide(r, consents, nil)
}

// Explain scores r with the customer's consents and explains the score
// exactly, deciding nothing. Missing consent under the policy's Refuse
// mode is ErrNoConsent, as for Decide.
func (d *Decider) Explain(r score.Record, consents score.Consents) (*Explained, error) {
	if d == nil || d.m == nil {
		return nil, errNoModel
	}
	cr, err := d.score(r, consents, nil)
	if err != nil {
		return nil, err
	}
	return d.explain(r, &cr)
}

func (d *Decider) score(r score.Record, consents score.Consents, terms []float64) (score.ConsentResult, error) {
	if d.p.Consent == score.Refuse {
		if err := d.m.CheckConsent(consents, d.p.Purpose); err != nil {
			return score.ConsentResult{}, err
		}
	}
	return d.m.ScoreWithConsent(r, consents, d.p.Purpose, terms)
}

func (d *Decider) decide(r score.Record, consents score.Consents, terms []float64) (Decision, error) {
	if d == nil || d.m == nil {
		return Decision{}, errNoModel
	}
	p, m := &d.p, d.m
	cr, err := d.score(r, consents, terms)
	if err != nil {
		return Decision{}, err
	}
	x, err := d.explain(r, &cr)
	if err != nil {
		return Decision{}, err
	}
	dec := Decision{Score: cr, PolicyVersion: p.Version, ModelOutcome: Approve, Reasons: loggedReasons(x.Shown.Reasons), Explained: x}
	if p.declines(m, cr.Score) {
		dec.ModelOutcome = Decline
	}
	if near, text := p.inBand(m, d.cuts, cr.Score, x.Shown.Result.Score); near {
		dec.Referrals = append(dec.Referrals, Referral{Code: ReferBand, Text: text})
	}
	dec.Referrals = p.unlikeTraining(m, r, &cr, dec.Referrals)
	dec.Referrals = p.neutralisedMatters(m, &cr, dec.ModelOutcome, dec.Referrals)
	dec.Outcome = dec.ModelOutcome
	if len(dec.Referrals) > 0 {
		dec.Outcome = Refer
	}
	return dec, nil
}

// explain explains the consent-aware score cr of r over the consent view.
func (d *Decider) explain(r score.Record, cr *score.ConsentResult) (*Explained, error) {
	e, err := d.view(cr.Neutralised)
	if err != nil {
		return nil, err
	}
	rec := r
	if len(cr.Neutralised) > 0 {
		// The view ignores a neutralised feature's value: it is not read.
		rec = make(score.Record, len(r))
		copy(rec, r)
		for _, n := range cr.Neutralised {
			rec[d.m.Schema().Index(n)] = score.Missing()
		}
	}
	x := &Explained{Score: *cr, Explainer: e}
	if err := e.Explain(rec, &x.Explanation); err != nil {
		return nil, err
	}
	// The view scores as ScoreWithConsent does (Model.Neutralise); a
	// difference beyond rounding would be a bug, reported rather than
	// explained wrongly.
	if diff := math.Abs(x.Explanation.Result.Score - cr.Score); !(diff <= 1e-9*math.Max(1, math.Abs(cr.Score))) {
		return nil, fmt.Errorf("%w: explanation score %v differs from the consent-aware score %v", score.ErrModel, x.Explanation.Result.Score, cr.Score)
	}
	// A neutralised term contributes 0, so it can lead a reason only with a
	// zero total (explain.Options.KeepZero); such a reason is dropped.
	x.Explanation.Reasons = usedReasons(x.Explanation.Reasons, cr)
	// Shown on the side of the cutoff, and in or out of the review band,
	// as the exact score is: the decision discloses that much anyway.
	e.PublishSide(&x.Shown, &x.Explanation, cr.Score, d.cuts)
	x.Shown.Reasons = usedReasons(x.Shown.Reasons, cr)
	return x, nil
}

// usedReasons filters rs in place, leaving out the reasons of neutralised
// features.
func usedReasons(rs []explain.Reason, cr *score.ConsentResult) []explain.Reason {
	if len(cr.Neutralised) == 0 {
		return rs
	}
	kept := rs[:0]
	for _, re := range rs {
		if re.Term < 0 || !cr.IsNeutralised(re.Feature) {
			kept = append(kept, re)
		}
	}
	return kept
}

// view returns the explainer of the model with the given features
// neutralised: cached up to d.max sets, else built for the call.
func (d *Decider) view(neutralised []string) (*explain.Explainer, error) {
	if len(neutralised) == 0 {
		return d.full, nil
	}
	key := strings.Join(neutralised, "\x00")
	d.mu.RLock()
	e, ok := d.views[key]
	d.mu.RUnlock()
	if ok {
		return e, nil
	}
	e, err := d.buildView(neutralised)
	if err != nil {
		return nil, err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if old, ok := d.views[key]; ok {
		return old, nil
	}
	if len(d.views) < d.max {
		d.views[key] = e
	}
	return e, nil
}

// buildView neutralises the features and explains the copy from the full
// explainer's baseline, with each neutralised term's baseline set to its
// effect in the copy (0), so that it contributes nothing.
func (d *Decider) buildView(neutralised []string) (*explain.Explainer, error) {
	vm, err := d.m.Neutralise(neutralised)
	if err != nil {
		return nil, err
	}
	base := d.full.Baseline()
	for _, n := range neutralised {
		base.Terms[d.m.TermOf(n)] = 0
	}
	o := d.opts
	o.Baseline, o.Algorithm = &base, d.full.Algorithm()
	return explain.NewExplainer(vm, &o)
}

// cachedViews is the number of consent views kept (for tests).
func (d *Decider) cachedViews() int {
	d.mu.RLock()
	defer d.mu.RUnlock()
	return len(d.views)
}

// loggedReasons converts explain's reasons to the logged form, leaving out
// padding.
func loggedReasons(rs []explain.Reason) []LoggedReason {
	var out []LoggedReason
	for _, r := range rs {
		if r.Term < 0 {
			continue
		}
		out = append(out, LoggedReason{Code: r.Code, Feature: r.Feature, Effect: r.Effect})
	}
	return out
}
