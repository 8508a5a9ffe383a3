// Package monitor watches a model in use: population stability (PSI) of the
// score and of every input between a baseline and a current table (Run,
// NumericPSI, CategoricalPSI), and performance on labelled rows (Assess:
// AUC, Gini, KS, gains; calibration).
//
// PSI = sum (a - e) ln(a / e) over the baseline's bins (the model's own bins
// for scorecards, levels for categories, deciles otherwise; missing and
// unseen values as bins of their own), with a smoothing count added to every
// bin; bands: < 0.10 stable, 0.10-0.25 watch, > 0.25 act. Long work takes a
// context. Errors wrap score's sentinels (score.ErrData, score.ErrSchema).
//
// Sample is one sample's monitoring counts as a mergeable accumulator (Add
// a row's cells, Merge samples of other rows, Compare a baseline with a
// current sample): the same report as Run, for rows streamed from files,
// counted on many cores or in a cluster, in memory independent of the
// number of rows.
package monitor
