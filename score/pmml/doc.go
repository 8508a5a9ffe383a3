// Package pmml reads and writes candor models as PMML 4.4 documents
// (Read, Write): scorecards as a PMML Scorecard with reason codes and
// baselines, logistic models as a logit RegressionModel, linear models as a
// regression RegressionModel.
//
// Import maps PMML's first-match attributes exactly onto candor bins (x <= v
// becomes the bound math.Nextafter(v, +Inf)); a partial score affine in its
// own field is a range bin with a slope. Anything candor cannot represent
// exactly is refused with an error wrapping ErrUnsupported that says why,
// never approximated. Malformed documents wrap score.ErrMalformed.
package pmml
