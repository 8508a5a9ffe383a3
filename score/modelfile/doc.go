// Package modelfile loads a model from a file in any format candor reads,
// detected from the content: candor's JSON model file, PMML 4.x XML
// (Scorecard, RegressionModel) and scikit-learn logistic-regression JSON.
//
// Its one job is that choice. Parsing stays with the format's own package
// (score.Load, pmml.Read, sklearn.Parse); this package sits above them so
// that score, the request path, keeps to the standard library while every
// program (the candor command, services, examples) loads models one way.
//
// Errors: a file that is none of the formats, or JSON whose "format" is
// unknown, is score.ErrMalformed; the format packages' own errors are
// wrapped unchanged (test them with errors.Is and errors.As). With
// Options.PublicKey a valid signature is required: PMML and scikit-learn
// files carry no signature, so they are refused with score.ErrUnsigned.
// Errors from ReadFile begin with the file's path.
package modelfile
