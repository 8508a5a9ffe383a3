// Package fit fits candor's additive models from a table of customers:
// logistic regression (Logistic), ordinary least squares (Linear) and points
// scorecards (Scorecard), with the optimal binning (BinFeature,
// OptimalBins) and feature selection (SelectFeatures) that scorecards use.
// Every fit returns an ordinary *score.Model, so scoring, explanations,
// recourse and audits work the same whatever fitted it.
//
// # The model of the world
//
// A fit reads a score.Table with a score.Schema: the target column, the
// event value (the outcome predicted: default, churn), and the input
// features (Protected and Ignored features are never inputs). Logistic
// regression is Newton/IRLS (internal/glm) with aliased columns reported as
// R's NA, separation detected and named, an optional L2 penalty that never
// touches the intercept, and sample weights. Scorecards bin every feature
// exactly (the highest information value under a monotone or chosen
// shape), screen features by information value and correlation, regress on
// weight-of-evidence columns with a sign check, and scale to points.
//
// # Errors
//
// Fits take a context and stop when it is cancelled. Bad cells are
// *score.FieldError values naming the feature and 1-based row, gathered in
// a *score.RecordError; numerical failures wrap score.ErrSeparation,
// ErrSignCheck or score.ErrData and name the columns involved.
//
// # Memory
//
// A fit holds at most about BytesPerDesignCell (100) bytes per design
// cell, rows times design columns (an intercept, one per numeric input,
// one per level of a categorical input), beside its table. Before any of
// the design is allocated, every fit refuses one of more than the table's
// Limits.Design cells (default score.DefaultLimitDesign, 8 Mi) with a
// *score.LimitError naming the rows, the columns and the widest inputs;
// the default keeps a fit under about 850 MB (measured on the command
// line: 731 MB peak for 400,000 rows x 21 numeric columns, 8.4 M cells).
package fit
