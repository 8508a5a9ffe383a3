package sqlgen

import "errors"

// Sentinel errors; every error of this package wraps one of them.
var (
	// ErrDialect: a dialect this package does not write.
	ErrDialect = errors.New("unknown SQL dialect")
	// ErrUnsupported: a model with a term or bin kind this package cannot
	// compile (it refuses rather than score differently from Go).
	ErrUnsupported = errors.New("model part not supported in SQL")
	// ErrColumn: a kept column whose name clashes with an output column,
	// or an empty column name.
	ErrColumn = errors.New("bad column name")
)
