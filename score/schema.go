package score

import (
	"errors"
	"fmt"
	"maps"
	"slices"
)

// Kind is the type of a feature's values.
type Kind int

const (
	Numeric     Kind = iota // real numbers
	Categorical             // labels from a finite set
)

func (k Kind) String() string {
	if k == Categorical {
		return "categorical"
	}
	return "numeric"
}

// MarshalText encodes the kind as "numeric" or "categorical".
func (k Kind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// UnmarshalText decodes "numeric" or "categorical".
func (k *Kind) UnmarshalText(b []byte) error {
	switch string(b) {
	case "numeric":
		*k = Numeric
	case "categorical":
		*k = Categorical
	default:
		return fmt.Errorf("%w: feature kind %q", ErrMalformed, b)
	}
	return nil
}

// Role says what a feature is for.
type Role int

const (
	// Input features may be used by a model.
	Input Role = iota
	// Protected attributes (sex, age band, ...) are kept for fairness audits
	// and can never be model inputs.
	Protected
	// Ignored features are carried along (identifiers, the target) but unused.
	Ignored
)

func (r Role) String() string {
	switch r {
	case Protected:
		return "protected"
	case Ignored:
		return "ignored"
	}
	return "input"
}

// MarshalText encodes the role as "input", "protected" or "ignored".
func (r Role) MarshalText() ([]byte, error) { return []byte(r.String()), nil }

// UnmarshalText decodes "input", "protected" or "ignored".
func (r *Role) UnmarshalText(b []byte) error {
	switch string(b) {
	case "input":
		*r = Input
	case "protected":
		*r = Protected
	case "ignored":
		*r = Ignored
	default:
		return fmt.Errorf("%w: feature role %q", ErrMalformed, b)
	}
	return nil
}

// Feature describes one column of customer data.
type Feature struct {
	Name string `json:"name"`
	Kind Kind   `json:"kind"`
	Role Role   `json:"role"`
	// Categories lists the known labels of a categorical feature, in the
	// order models report them. May be empty in a hand-built schema.
	Categories []string `json:"categories,omitempty"`
	// Sensitive features never show their raw value in customer text, logs
	// or error messages unless the caller allows it.
	Sensitive bool `json:"sensitive,omitempty"`
	// Description is free text for people (reports, customer text).
	Description string `json:"description,omitempty"`
	// DataCategory names the kind of personal data (e.g. "financial",
	// "behavioural"); Consent lists the purposes for which the customer's
	// consent is needed before this feature may be used. Both are metadata
	// for consent-aware scoring.
	DataCategory string   `json:"data_category,omitempty"`
	Consent      []string `json:"consent,omitempty"`
	// Label is the words for the feature in customer text and reports
	// (Display falls back to the name); Unit is the unit of its values.
	Label string `json:"label,omitempty"`
	Unit  string `json:"unit,omitempty"`
	// Special maps a code to its meaning (see Declaration.Special): for a
	// numeric feature, values that are not quantities and never belong to a
	// numeric range.
	Special map[string]string `json:"special,omitempty"`
	// Trend is the declared shape of the event rate (TrendAuto: not
	// declared).
	Trend Trend `json:"trend,omitempty"`
	// Action says how a customer may change the feature; nil means the
	// customer cannot (advice and recourse leave it alone).
	Action *Action `json:"action,omitempty"`
	// Valid restricts the valid values of a numeric feature (an imported
	// PMML DataField's); nil means every finite number.
	Valid *Validity `json:"valid,omitempty"`
	// Derived declares the feature computed from two others of the row
	// (see Derivation); nil for a feature read from the data.
	Derived *Derivation `json:"derived,omitempty"`
}

// Schema is an ordered set of features. A Schema is immutable once built and
// safe for concurrent use.
type Schema struct {
	features []Feature
	index    map[string]int
}

// NewSchema validates the features (non-empty, unique names) and returns a
// schema. The features are copied.
func NewSchema(features ...Feature) (*Schema, error) {
	s := &Schema{features: make([]Feature, len(features)), index: make(map[string]int, len(features))}
	for i, f := range features {
		if f.Name == "" {
			return nil, fmt.Errorf("%w: feature %d has no name", ErrSchema, i)
		}
		if _, dup := s.index[f.Name]; dup {
			return nil, fmt.Errorf("%w: feature %q declared twice", ErrSchema, f.Name)
		}
		if f.Kind != Numeric && f.Kind != Categorical {
			return nil, fmt.Errorf("%w: feature %q has kind %d", ErrSchema, f.Name, f.Kind)
		}
		if f.Role < Input || f.Role > Ignored {
			return nil, fmt.Errorf("%w: feature %q has role %d", ErrSchema, f.Name, f.Role)
		}
		if f.Valid != nil {
			if f.Kind != Numeric {
				return nil, fmt.Errorf("%w: feature %q: valid values are declared for numeric features only", ErrSchema, f.Name)
			}
			if err := f.Valid.check(); err != nil {
				return nil, fmt.Errorf("%w: feature %q: %v", ErrSchema, f.Name, err)
			}
		}
		if errs := f.checkDeclared(); len(errs) > 0 {
			return nil, errors.Join(errs...)
		}
		s.features[i] = f.clone()
		s.index[f.Name] = i
	}
	if errs := s.checkDerivedSources(); len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return s, nil
}

// MustSchema is NewSchema for tests and literals; it panics on error.
func MustSchema(features ...Feature) *Schema {
	s, err := NewSchema(features...)
	if err != nil {
		panic(err)
	}
	return s
}

// Len is the number of features.
func (s *Schema) Len() int { return len(s.features) }

// Feature returns a deep copy of the i-th feature: editing its slices
// changes nothing in the schema.
func (s *Schema) Feature(i int) Feature { return s.features[i].clone() }

// clone returns a copy of f that shares no slice with it.
func (f Feature) clone() Feature {
	f.Categories = slices.Clone(f.Categories)
	f.Consent = slices.Clone(f.Consent)
	f.Special = maps.Clone(f.Special)
	f.Action = f.Action.clone()
	f.Valid = f.Valid.clone()
	f.Derived = f.Derived.clone()
	return f
}

// Features returns a copy of the feature list.
func (s *Schema) Features() []Feature {
	out := make([]Feature, len(s.features))
	for i, f := range s.features {
		out[i] = f.clone()
	}
	return out
}

// Index returns the position of the named feature, or -1.
func (s *Schema) Index(name string) int {
	if i, ok := s.index[name]; ok {
		return i
	}
	return -1
}

// Lookup returns the named feature.
func (s *Schema) Lookup(name string) (Feature, bool) {
	i, ok := s.index[name]
	if !ok {
		return Feature{}, false
	}
	return s.features[i].clone(), true
}

// Names returns the feature names in schema order.
func (s *Schema) Names() []string {
	out := make([]string, len(s.features))
	for i, f := range s.features {
		out[i] = f.Name
	}
	return out
}

// WithRoles returns a copy of the schema with the named features' roles
// changed. Unknown names are an ErrUnknownFeature error.
func (s *Schema) WithRoles(role Role, names ...string) (*Schema, error) {
	fs := s.Features()
	for _, n := range names {
		i, ok := s.index[n]
		if !ok {
			return nil, &FieldError{Feature: n, Err: ErrUnknownFeature}
		}
		fs[i].Role = role
	}
	return NewSchema(fs...)
}
