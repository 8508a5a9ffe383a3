// Package sklearn imports scikit-learn logistic regressions into candor:
// Read and Parse take a small JSON document (format "sklearn-logistic",
// written by a few lines of Python) describing a fitted LogisticRegression
// over standardised numeric columns and one-hot categorical columns, and
// return an additive *score.Model that reproduces predict_proba.
//
// Errors wrap score.ErrMalformed for documents that are not valid JSON or
// miss fields, and score.ErrModel for models candor cannot represent.
package sklearn
