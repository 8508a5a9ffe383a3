package main

import (
	"fmt"
	"os"

	"github.com/candorscore/candor/explain"
	"github.com/candorscore/candor/score"
)

// withFeatures applies a features file (score.Declarations) to a loaded
// model's schema: labels, units, special codes, trends and actions the
// model file did not carry, or that the file overrides. explain, recourse
// and check take it as --features; "" returns m unchanged. (A local helper
// of the advice commands; the fit-time --features of the declarations work
// stores the same declarations in the model file.)
func withFeatures(m *score.Model, path string) (*score.Model, error) {
	if path == "" {
		return m, nil
	}
	d, err := score.ReadDeclarationsFile(path)
	if err != nil {
		return nil, err
	}
	s, err := d.Apply(m.Schema())
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	spec := m.Spec()
	spec.Features = s.Features()
	out, err := score.NewModel(spec)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return out, nil
}

// readActionsFile reads an actions file (explain.Actions, the JSON of
// --actions); "" gives nil.
func readActionsFile(path string) (*explain.Actions, error) {
	if path == "" {
		return nil, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	a, err := explain.ReadActions(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return a, nil
}
