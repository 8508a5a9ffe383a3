package score

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// ErrNoConsent: a feature needs the customer's consent for the purpose of
// scoring and the customer has not given it (or no purpose was named for a
// model whose features need consent).
var ErrNoConsent = errors.New("no consent for this purpose")

// Grant is one consent a customer has given: their data of Category may be
// used for Purpose. An empty Category grants every data category for the
// purpose.
type Grant struct {
	Purpose  string `json:"purpose"`
	Category string `json:"category,omitempty"`
}

// Consents is the set of grants a customer has given. The zero value (nil)
// grants nothing. Lookups allocate nothing.
type Consents []Grant

// Allows reports whether the grants cover data of the given category for
// purpose.
func (c Consents) Allows(purpose, category string) bool {
	for _, g := range c {
		if g.Purpose == purpose && (g.Category == "" || g.Category == category) {
			return true
		}
	}
	return false
}

// ParseConsents parses a list such as "credit:financial,marketing" (purpose,
// optionally ":" and a data category; no category grants all categories).
func ParseConsents(s string) (Consents, error) {
	var out Consents
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		purpose, category, _ := strings.Cut(p, ":")
		purpose, category = strings.TrimSpace(purpose), strings.TrimSpace(category)
		if purpose == "" {
			return nil, fmt.Errorf("%w: consent %q has no purpose", ErrMalformed, p)
		}
		out = append(out, Grant{Purpose: purpose, Category: category})
	}
	return out, nil
}

// NeedsConsent reports whether the feature may be used for purpose only with
// the customer's consent.
func (f Feature) NeedsConsent(purpose string) bool {
	return slices.Contains(f.Consent, purpose)
}

// ConsentMode says what scoring does with a feature that needs consent the
// customer has not given.
type ConsentMode int

const (
	// Neutralise sets the feature's term to its population baseline
	// (Term.Baseline), so the feature neither helps nor hurts, and reports
	// it. This is the zero value.
	Neutralise ConsentMode = iota
	// Refuse refuses to score with ErrNoConsent, naming every such feature.
	Refuse
)

func (c ConsentMode) String() string {
	if c == Refuse {
		return "refuse"
	}
	return "neutralise"
}

// MarshalText encodes the mode as "neutralise" or "refuse".
func (c ConsentMode) MarshalText() ([]byte, error) { return []byte(c.String()), nil }

// UnmarshalText decodes "neutralise" (or "neutralize", or empty) and "refuse".
func (c *ConsentMode) UnmarshalText(b []byte) error {
	switch string(b) {
	case "", "neutralise", "neutralize":
		*c = Neutralise
	case "refuse":
		*c = Refuse
	default:
		return fmt.Errorf("%w: consent mode %q (want neutralise or refuse)", ErrMalformed, b)
	}
	return nil
}

// ConsentResult is a score computed with the customer's consents.
type ConsentResult struct {
	Result
	// Purpose is the purpose the score was computed for.
	Purpose string
	// Neutralised lists, in term order, the features that were not used
	// because the customer has not consented to their use for Purpose: each
	// such term was set to its baseline. Nil when every feature was used.
	Neutralised []string
}

// IsNeutralised reports whether the named feature was neutralised.
func (r *ConsentResult) IsNeutralised(feature string) bool {
	return slices.Contains(r.Neutralised, feature)
}

// ScoreWithConsent scores r for purpose with the customer's consents. A
// term whose feature needs consent for purpose (Feature.Consent) that
// consents do not grant for the feature's DataCategory is not evaluated:
// its value is ignored (it may be missing), the term is set to its
// population baseline Term.Baseline, and the feature is listed in
// Neutralised. terms, when not nil, receives every term's effect as in
// ScoreTerms (the baseline for neutralised terms).
//
// An empty purpose is an ErrNoConsent error when any input feature needs
// consent for some purpose, so that forgetting the purpose cannot bypass
// consent. Scoring allocates nothing unless a feature is neutralised (one
// slice) or the record is bad.
func (m *Model) ScoreWithConsent(r Record, consents Consents, purpose string, terms []float64) (ConsentResult, error) {
	if m.schema == nil {
		return ConsentResult{}, errZeroModel
	}
	if len(r) != m.Schema().Len() {
		return ConsentResult{}, &RecordError{Fields: []*FieldError{{Feature: "(record)",
			Err: fmt.Errorf("%w: record has %d values, schema %d", ErrSchema, len(r), m.Schema().Len())}}}
	}
	if terms != nil && len(terms) < len(m.terms) {
		return ConsentResult{}, fmt.Errorf("%w: terms buffer has %d elements, model %d terms", ErrModel, len(terms), len(m.terms))
	}
	if purpose == "" {
		if err := m.needsPurpose(); err != nil {
			return ConsentResult{}, err
		}
	}
	// Happy path: every feature may be used, so score as usual.
	all := true
	for j := range m.terms {
		if m.lacksConsent(j, consents, purpose) {
			all = false
			break
		}
	}
	if all {
		res, err := m.ScoreTerms(r, terms)
		return ConsentResult{Result: res, Purpose: purpose}, err
	}
	s := m.spec.Intercept
	var errs []*FieldError
	var neutral []string
	for j := range m.terms {
		ct := &m.terms[j]
		var e float64
		if m.lacksConsent(j, consents, purpose) {
			// A pair term is neutralised when either of its features is.
			e = ct.t.Baseline
			for _, i := range []int{ct.feature, ct.feature2} {
				if i >= 0 && m.featureLacksConsent(i, consents, purpose) && !slices.Contains(neutral, m.schema.features[i].Name) {
					neutral = append(neutral, m.schema.features[i].Name)
				}
			}
		} else {
			var err error
			e, _, err = ct.evalRecord(r)
			if err != nil {
				var w *Value
				if ct.kind == termPair {
					w = &r[ct.feature2]
				}
				errs = m.appendTermErr(errs, ct, r[ct.feature], w, err)
				continue
			}
		}
		if terms != nil {
			terms[j] = e
		}
		s += e
	}
	if errs != nil {
		return ConsentResult{}, &RecordError{Fields: errs}
	}
	return ConsentResult{Result: m.Link(s), Purpose: purpose, Neutralised: neutral}, nil
}

// lacksConsent reports whether term j's feature (either feature of a pair
// term) needs consent for purpose that consents do not give.
func (m *Model) lacksConsent(j int, consents Consents, purpose string) bool {
	ct := &m.terms[j]
	return m.featureLacksConsent(ct.feature, consents, purpose) ||
		ct.feature2 >= 0 && m.featureLacksConsent(ct.feature2, consents, purpose)
}

// featureLacksConsent reports whether schema feature i needs consent for
// purpose that consents do not give.
func (m *Model) featureLacksConsent(i int, consents Consents, purpose string) bool {
	f := &m.schema.features[i]
	return len(f.Consent) > 0 && slices.Contains(f.Consent, purpose) && !consents.Allows(purpose, f.DataCategory)
}

// CheckConsent returns nil when every input feature that needs consent for
// purpose has it, and otherwise a *RecordError with one ErrNoConsent
// FieldError per such feature. It is the Refuse consent mode.
func (m *Model) CheckConsent(consents Consents, purpose string) error {
	if purpose == "" {
		return m.needsPurpose()
	}
	var errs []*FieldError
	seen := map[int]bool{}
	for j := range m.terms {
		for _, i := range []int{m.terms[j].feature, m.terms[j].feature2} {
			if i < 0 || seen[i] || !m.featureLacksConsent(i, consents, purpose) {
				continue
			}
			seen[i] = true
			f := &m.schema.features[i]
			errs = append(errs, &FieldError{Feature: f.Name, Err: fmt.Errorf("%w (purpose %q, data category %q)", ErrNoConsent, purpose, f.DataCategory)})
		}
	}
	if errs != nil {
		return &RecordError{Fields: errs}
	}
	return nil
}

func (m *Model) needsPurpose() error {
	for j := range m.terms {
		f := &m.schema.features[m.terms[j].feature]
		if len(f.Consent) > 0 {
			return &FieldError{Feature: f.Name, Err: fmt.Errorf("%w: no purpose given and the feature needs consent for %s", ErrNoConsent, strings.Join(f.Consent, ", "))}
		}
	}
	return nil
}

// NeutralisedText is a sentence for the customer saying which of their data
// was not used and why, e.g. "We did not use your telephone, because you have
// not consented to its use for credit; it counted as the average of all
// customers, neither for nor against you." Features are named by their Description when they have one.
// It returns "" when nothing was neutralised. The sentence never contains
// customer values.
func NeutralisedText(s *Schema, r *ConsentResult) string {
	if len(r.Neutralised) == 0 {
		return ""
	}
	names := make([]string, len(r.Neutralised))
	for i, n := range r.Neutralised {
		names[i] = n
		if f, ok := s.Lookup(n); ok && f.Description != "" {
			names[i] = f.Description
		}
	}
	list := names[0]
	if len(names) > 1 {
		list = strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
	}
	its, it := "its", "it"
	if len(names) > 1 {
		its, it = "their", "each"
	}
	return fmt.Sprintf("We did not use your %s, because you have not consented to %s use for %s; %s counted as the average of all customers, neither for nor against you.",
		list, its, r.Purpose, it)
}

// Neutralise returns a copy of the model in which the named features are
// fixed at their population baseline: each such term becomes a zero term
// on a value that is ignored (its feature is made numeric with a zero
// coefficient and a zero fill, so a missing value scores), and its
// Baseline moves into the intercept. For any record, the copy's score
// equals ScoreWithConsent's when exactly these features are neutralised, so
// explanations built on the copy (breakdowns, reason codes) are exact for
// the consent-aware score and give the neutralised features a zero
// contribution. The copy has its own fingerprint: decision records name the
// original model.
func (m *Model) Neutralise(features []string) (*Model, error) {
	spec := m.Spec()
	zero := 0.0
	for _, name := range features {
		j := m.TermOf(name)
		if j < 0 {
			return nil, &FieldError{Feature: name, Err: fmt.Errorf("%w: no term for this feature", ErrUnknownFeature)}
		}
		t := &spec.Terms[j]
		spec.Intercept += t.Baseline
		*t = Term{Feature: t.Feature, Kind: LinearTerm, Fill: &zero, ReasonCode: t.ReasonCode}
		i := m.Schema().Index(name)
		spec.Features[i].Kind = Numeric
		spec.Features[i].Categories = nil
	}
	return NewModel(spec)
}
