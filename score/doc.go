// Package score is candor's request path: it describes customers and scores
// them with an additive model. It holds the schema, values, records and
// typed bindings, the immutable additive Model, model files (JSON with a
// fingerprint, and signature verification), consent-aware scoring and the
// CSV table. It imports only the standard library, so a service that scores
// and explains links no third-party code.
//
// Fitting models is score/fit; PMML and scikit-learn interchange are
// score/pmml and score/sklearn; monitoring is score/monitor; decisions and
// their records are score/decision; key generation and signing are
// score/signing; pictures are score/chart.
//
// # The model of the world
//
// A Schema lists the features of a customer: numeric or categorical, and an
// input, a protected attribute (kept for fairness audits, never a model
// input) or ignored. A Record holds one customer's Values in schema order; a
// Value is a number, a category label, or missing. Records come from CSV
// tables (ReadCSV), name-keyed maps (Schema.RecordFromMap), or the caller's
// own struct through a Binding of typed getters, with no reflection.
//
// Every model is additive:
//
//	score = intercept + sum over input features of term_j(x_j)
//
// Logistic models score in log-odds of the event (the outcome predicted:
// default, churn), scorecards in points (points rise as event odds fall:
// points = offset - factor * ln(event odds)), linear models in the units of
// their response. Model.ScoreTerms returns the score and every term, so that
// explanations are exact. A Model is validated when built (NewModel, a fit
// from score/fit, or Load) and is immutable and safe for concurrent use; scoring allocates
// nothing.
//
// Conventions: probabilities and log-odds are of the event; a categorical
// feature of a logistic model is one-hot with the first of its sorted labels
// as the reference level (as R and statsmodels do); a missing value is an
// error for a logistic term unless the term declares a fill value, and has
// its own bin in a scorecard; an unknown category is an error unless the term
// declares an "other" effect or bin.
//
// # Model files
//
// Models are saved as versioned JSON (FormatName, FormatVersion) with a
// SHA-256 fingerprint of their canonical content. Load refuses malformed
// JSON, unknown format versions, fingerprints that do not match, and
// protected attributes used as inputs.
//
// # Consent and signatures
//
// ScoreWithConsent neutralises features the customer has not consented to
// for a purpose (their term becomes Term.Baseline, the population average)
// and reports them; Model.Neutralise gives the neutralised model itself, so
// that its explanation is exact. Model files signed with ed25519 (see
// score/signing) load only when signed by a given key with LoadSigned. Time
// is always passed in; the package never reads the clock.
//
// # Errors
//
// Functions return errors, never panic on bad data. Each error wraps a
// sentinel (ErrNotFinite, ErrUnknownCategory, ErrMissing, ...) for
// errors.Is. Problems with values are *FieldError, naming the feature and,
// in batches, the 1-based data row; all the problems of one record are
// gathered in a *RecordError. Values of features marked Sensitive are left
// out of error text.
package score
