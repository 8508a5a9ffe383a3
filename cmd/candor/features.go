package main

import (
	"errors"
	"flag"
	"fmt"
	"maps"
	"slices"

	"github.com/candorscore/candor/score"
)

// featuresUsage is the help text of --features, the same on every command.
const featuresUsage = "features file (JSON): per feature its kind, role, label, unit, special codes, trend, sensitivity, consent and action (see README, Declaring your data)"

// featuresFlag registers --features on fs and returns where its value goes.
func featuresFlag(fs *flag.FlagSet) *string {
	return fs.String("features", "", featuresUsage)
}

// readFeatures reads the features file at path; "" means none (nil).
func readFeatures(path string) (*score.Declarations, error) {
	if path == "" {
		return nil, nil
	}
	return score.ReadDeclarationsFile(path)
}

// withFeatures applies the features file at path ("" = none) to a fitted
// model's stored schema, for commands that read data with a model (score,
// explain, recourse, audit, monitor, check). Labels, units, descriptions,
// sensitivity, data categories, consent and actions are taken from the
// file; what the fit depended on (kind, role, special codes, trend) must
// agree with the model, or it is an error naming the feature: refit to
// change those.
func withFeatures(m *score.Model, path string) (*score.Model, error) {
	d, err := readFeatures(path)
	if err != nil || d == nil {
		return m, err
	}
	return applyToModel(m, d, path)
}

// applyToModel is withFeatures for declarations already read (path names
// them in errors).
func applyToModel(m *score.Model, d *score.Declarations, path string) (*score.Model, error) {
	s := m.Schema()
	applied, err := d.Apply(s)
	if err != nil {
		return nil, fmt.Errorf("--features %s: %w", path, err)
	}
	var errs []error
	for _, name := range slices.Sorted(maps.Keys(d.Features)) {
		was, _ := s.Lookup(name)
		now, _ := applied.Lookup(name)
		mismatch := func(what string, model, file any) {
			errs = append(errs, &score.FieldError{Feature: name, Err: fmt.Errorf("%w: %s %v in the features file, %v in the model (fixed at fit time: refit with the file to change it)",
				score.ErrDeclarations, what, file, model)})
		}
		if was.Kind != now.Kind {
			mismatch("kind", was.Kind, now.Kind)
		}
		// A feature the fit dropped (ignored in the model) may still be
		// declared an input: that is the file the fit was given.
		if was.Role != now.Role && !(was.Role == score.Ignored && now.Role == score.Input) {
			mismatch("role", was.Role, now.Role)
		}
		if !slices.Equal(was.SpecialCodes(), now.SpecialCodes()) && len(d.Features[name].Special) > 0 {
			mismatch("special codes", was.SpecialCodes(), now.SpecialCodes())
		}
		if was.Trend != now.Trend && d.Features[name].Trend != score.TrendAuto {
			mismatch("trend", trendName(was.Trend), trendName(now.Trend))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("--features %s: %w", path, err)
	}
	spec := m.Spec()
	spec.Features = applied.Features()
	return score.NewModel(spec)
}

func trendName(t score.Trend) string {
	if t == score.TrendAuto {
		return "auto"
	}
	return string(t)
}
