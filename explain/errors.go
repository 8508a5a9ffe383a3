package explain

import "errors"

// Sentinel errors of the explain package. Errors about a customer's values
// come from the score package (*score.RecordError, *score.FieldError) and
// unwrap to its sentinels.
var (
	// ErrTemplate: a catalogue message that cannot be used (unknown kind or
	// placeholder, unbalanced braces, a language without its defaults).
	ErrTemplate = errors.New("bad message template")
	// ErrUnknownLanguage: text asked for in a language the catalogue lacks.
	ErrUnknownLanguage = errors.New("unknown language")
	// ErrBaseline: a baseline or reason-code setting that cannot be used
	// with this model (a reference set with no records, a declared baseline
	// the model lacks, a baseline of the wrong length, an unknown
	// algorithm, a probability view of a linear model).
	ErrBaseline = errors.New("unusable baseline")
	// ErrBuffer: a caller-supplied buffer of the wrong size.
	ErrBuffer = errors.New("buffer of the wrong size")
	// ErrNotBuilt: a method called on the zero Explainer or ActionSpace,
	// which have no model; build them with NewExplainer and
	// NewActionSpace.
	ErrNotBuilt = errors.New("zero value: build it with NewExplainer or NewActionSpace")
)
