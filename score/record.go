package score

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
)

// RecordFromMap builds a record from name-keyed data, as decoded from JSON:
// float64, int, int64, json.Number and numeric strings for numeric features;
// string for categorical ones; nil or an absent key for missing. Every
// problem is reported at once in a *RecordError.
func (s *Schema) RecordFromMap(m map[string]any) (Record, error) {
	rec := make(Record, len(s.features))
	var errs []*FieldError
	// Unknown keys, in sorted order so the error text is deterministic.
	for _, k := range sortedKeys(m) {
		if _, ok := s.index[k]; !ok {
			errs = append(errs, &FieldError{Feature: k, Err: ErrUnknownFeature})
		}
	}
	for i, f := range s.features {
		raw, ok := m[f.Name]
		if !ok || raw == nil {
			continue
		}
		v, err := toValue(f, raw)
		if err != nil {
			errs = append(errs, NewFieldError(f, fmt.Sprint(raw), err))
			continue
		}
		rec[i] = v
	}
	if errs != nil {
		return rec, &RecordError{Fields: errs}
	}
	return rec, nil
}

// RecordFromStrings builds a record from text cells keyed by column name, as
// in a CSV row; a blank cell is missing. Columns the schema lacks are ignored
// when ignoreUnknown is true and errors otherwise.
func (s *Schema) RecordFromStrings(header, cells []string, ignoreUnknown bool) (Record, error) {
	rec := make(Record, len(s.features))
	var errs []*FieldError
	if len(header) != len(cells) {
		return rec, &RecordError{Fields: []*FieldError{{Err: fmt.Errorf("%w: %d cells for %d columns", ErrMalformed, len(cells), len(header))}}}
	}
	for c, name := range header {
		i, ok := s.index[name]
		if !ok {
			if !ignoreUnknown {
				errs = append(errs, &FieldError{Feature: name, Err: ErrUnknownFeature})
			}
			continue
		}
		f := s.features[i]
		v, err := ParseValue(f.Kind, trimCell(cells[c]))
		if err != nil {
			errs = append(errs, NewFieldError(f, cells[c], err))
			continue
		}
		rec[i] = v
	}
	if errs != nil {
		return rec, &RecordError{Fields: errs}
	}
	return rec, nil
}

func toValue(f Feature, raw any) (Value, error) {
	if f.Kind == Categorical {
		switch x := raw.(type) {
		case string:
			return Cat(x), nil
		case json.Number:
			return Cat(x.String()), nil
		case float64, int, int64, bool:
			return Cat(fmt.Sprint(x)), nil
		}
		return Value{}, ErrWrongKind
	}
	switch x := raw.(type) {
	case float64:
		return Num(x), nil
	case float32:
		return Num(float64(x)), nil
	case int:
		return Num(float64(x)), nil
	case int64:
		return Num(float64(x)), nil
	case json.Number:
		v, err := x.Float64()
		if err != nil {
			return Value{}, ErrWrongKind
		}
		return Num(v), nil
	case string:
		if x == "" {
			return Missing(), nil
		}
		v, err := ParseNumber(x)
		if err != nil {
			return Value{}, wrongKindNumber(x)
		}
		return Num(v), nil
	}
	return Value{}, ErrWrongKind
}

// NewFieldError builds a FieldError, leaving the raw value out when the feature
// is sensitive.
func NewFieldError(f Feature, raw string, err error) *FieldError {
	fe := &FieldError{Feature: f.Name, Err: err}
	if !f.Sensitive {
		fe.Value = strconv.Quote(raw)
	}
	return fe
}

func isFinite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
