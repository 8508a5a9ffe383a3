package main

import (
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"

	"github.com/candorscore/candor/explain"
	"github.com/candorscore/candor/score"
)

// readActionsFile reads an actions file (explain.Actions, the JSON of
// --actions); "" gives nil.
func readActionsFile(path string, m *score.Model) (*explain.Actions, error) {
	if path == "" {
		return nil, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	a, err := explain.ReadActions(io.LimitReader(f, 16<<20)) // as score.ReadDeclarationsFile
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return a, unknownActionFeatures(path, a, m)
}

// unknownActionFeatures names each feature of the actions file at path
// that the model lacks, with the file and its close matches (explain
// refuses them too, without either).
func unknownActionFeatures(path string, a *explain.Actions, m *score.Model) error {
	names := m.Schema().Names()
	var errs []error
	check := func(name, what string) {
		if m.Schema().Index(name) >= 0 {
			return
		}
		hint := ""
		if near := score.CloseMatches(name, names); len(near) > 0 {
			hint = fmt.Sprintf(" (did you mean %q?)", strings.Join(near, `" or "`))
		}
		errs = append(errs, fmt.Errorf("%s: %w", path, &score.FieldError{Feature: name,
			Err: fmt.Errorf("%w: %s not in the model%s", score.ErrUnknownFeature, what, hint)}))
	}
	for _, name := range a.Immutable {
		check(name, "immutable feature")
	}
	for _, name := range slices.Sorted(maps.Keys(a.Features)) {
		check(name, "action for a feature")
	}
	return errors.Join(errs...)
}
