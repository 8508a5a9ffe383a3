// Package sqlgen compiles a candor model into one SQL SELECT statement
// that scores a table where the data already lives: PostgreSQL, DuckDB,
// SQLite, BigQuery or Spark SQL.
//
// Every candor model is an intercept plus a sum of terms, and every term
// is a CASE over its feature's value (a linear term, a coefficient times
// the value). Score writes those CASEs with the model's numbers as exact
// float64 literals (the shortest decimal that parses back to the same
// bits), adds them in the model's term order, as the Go scorer does, so
// that an engine with IEEE double arithmetic gets the same points, log-odds
// and contributions bit for bit; probabilities go through the engine's
// exp, which may differ from Go's in the last bit.
//
// The statement follows the Go scorer's rules for values:
//   - SQL NULL is a missing value; a numeric NaN or ±Inf is not finite.
//   - A missing value takes the term's fill, missing effect or missing bin;
//     without one it is an error, as is an unknown category without an
//     "other" effect or bin.
//   - A row with any error gets NULL scores, contributions and reasons and
//     an error column with the text of score.RecordError (without the row
//     number): the same features, sentinels and values, in term order.
//
// Reason codes follow explain.Explainer: gaps from the explainer's baseline
// summed per code, codes with a positive total (or zero, with KeepZero)
// ranked by total, ties in document order (or by the lead feature's name
// with TiesByName), the lead feature being the one with the largest gap.
//
// A term on a feature marked Sensitive is scored as candor score publishes
// it (explain.Explainer.Publish): at its band's or group's effect, never
// its exact one, so the points, log-odds, probability, the term's effect
// and contribution columns and the reasons are the published ones, and no
// column holds the exact effect (from which the value could be read
// back). Unlike Publish, the statement does not keep the published score
// on the exact score's side of the model's cutoff
// (explain.Explainer.PublishSide with no cuts): a row whose band moves it
// across the cutoff reads on the other side there than in candor score.
// ScoreBins and AuditCounts count exact scores and decisions, as
// candor monitor and audit do; their results are counts only.
//
// The statement reads only the model's columns and the columns named in
// Options.Keep, so it can be used as a subquery and joined back on a key.
// It has no ORDER BY: rows come out in the order the engine scans the
// table (DuckDB keeps insertion order; a PostgreSQL sequential scan
// returns rows in storage order).
//
// Errors: a model with a term or bin kind this package does not know is
// an ErrUnsupported error, so that a new kind is never scored wrongly in
// silence; an unknown dialect is ErrDialect; a column name clash is
// ErrColumn.
package sqlgen
