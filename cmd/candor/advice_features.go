package main

import (
	"fmt"
	"io"
	"os"

	"github.com/candorscore/candor/explain"
)

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
	a, err := explain.ReadActions(io.LimitReader(f, 16<<20)) // as score.ReadDeclarationsFile
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return a, nil
}
