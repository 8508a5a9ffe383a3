// Package fairness audits decisions for fairness across groups of customers,
// over plain columns: labels, decisions or scores, group columns and
// optional weights. It does not depend on how the scores were made.
//
// # Model of the world
//
// Each row is a customer with an observed outcome (Labels: true when the
// outcome was the favourable one, such as "repaid" or "stayed") and a
// decision (Predictions, or Scores compared with a Threshold: true when the
// decision was favourable, such as "approved"). "Positive" always means
// favourable, so per group the weighted counts are TP (favourable decision,
// favourable outcome), FP (favourable decision, unfavourable outcome), TN
// and FN, and
//
//	selection rate (TP+FP)/n     TPR TP/(TP+FN)     FPR FP/(FP+TN)
//	PPV TP/(TP+FP)               NPV TN/(TN+FN)     base rate (TP+FN)/n
//
// Scores point one way, stated by Direction: HigherIsFavorable (a credit
// score; favourable when score >= Threshold) or HigherIsUnfavorable (an event
// probability such as candor's probability of default; favourable when
// score < Threshold).
//
// Groups come from one or more protected attributes (GroupColumn). Audit
// reports each attribute alone and, when there are several, the
// intersection of all of them ("Female & Black"); the intersection is the
// report's summary partition, as fairlearn's MetricFrame does with several
// sensitive features. Summary disparities are spreads across a partition's
// groups (max - min, or min / max), following fairlearn's definitions;
// each group is also compared with a reference: a named group or the
// overall population.
//
// # Honesty about small data
//
// A rate whose denominator is zero (the TPR of a group with no favourable
// outcomes) is undefined: Rate.Defined is false, the value is NaN, Reason
// says why, and JSON shows null with the reason. It is never 0, which is
// what fairlearn reports and which invents a disparity. A group with an
// undefined rate is left out of that metric's summary and named in
// Partition.Excluded and Report.Warnings. Groups with fewer rows than
// Options.MinGroupSize (default 30) are flagged. Rates carry Wilson score
// intervals (95% by default); summary disparities get percentile
// intervals from a seeded bootstrap stratified by group
// (Options.Bootstrap, Options.Seed), reproducible for a seed whatever the
// number of workers; for weighted data it is the Poisson bootstrap, each
// row's multiplicities seeded by its index (Tally).
//
// # Streams and clusters
//
// Tally is the audit as a mergeable accumulator: Add rows, Merge tallies of
// other rows, Report. RowParser is FromTable for a stream of text rows.
// Audit is a Tally over its Data, so any split of the rows gives the same
// report (see Tally for what is exact to the last bit).
//
// Percentile intervals of a max - min spread over many small groups lean
// upward (the largest of several noisy rates is biased up), so the point
// estimate can sit near the interval's lower end; read wide intervals as
// "the data cannot pin this down".
//
// # Mitigation, proxies, recourse burden
//
// Reweigh returns Kamiran and Calders' sample weights; GroupThresholds
// finds per-group thresholds that equalise selection rate or TPR and
// reports the accuracy it costs; Proxies measures how much each input
// reveals about each protected attribute; RecourseBurden compares the cost
// of recourse across groups (RecourseBurdens for several columns and their
// Intersection, as Audit partitions them). BurdenTally is the same burden
// as a mergeable accumulator (Add, Merge, Burdens), for streams and
// parallel workers; RecourseBurden is a BurdenTally over its rows.
//
// # From a table
//
// FromTable reads an audit's Data from a score.Table by column names,
// leaving out rows with a blank cell in a used column (or refusing them)
// and accounting for them in Excluded; TableData.RowError turns the
// audit's row indexes back into the table's 1-based data rows.
// Columns.Bands audits a numeric group column (an age) by band (Bands:
// "< 25", "[25, 35)", ">= 65") instead of one value per group.
//
// # Errors
//
// Bad input never panics. Exported functions return errors that wrap one
// of the sentinel errors (ErrLength, ErrEmpty, ErrNotFinite, ErrNegative,
// ErrMissingGroup, ErrNoGroups, ErrNoDecisions, ErrColumnKind,
// ErrUnknownGroup, ErrOption); test them with errors.Is. Problems with the
// data are *DataError values that name the column and the first bad row
// (0-based in the field, 1-based in the message) and count the bad rows; all bad columns are reported at once
// (use errors.As to reach them). Undefined rates are not errors: they are
// data about the data.
//
// Output order is deterministic: groups sort by value, column by column
// (band names in band order, then byte order); nothing ranges over a map
// into output.
package fairness
