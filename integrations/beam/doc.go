// Package candorbeam runs candor's scoring, fairness audit and drift
// monitor as Apache Beam transforms (the Go SDK), so that a customer book
// too large for one machine is scored, audited and monitored on a cluster
// (Dataflow, Flink) with the same code as on one core.
//
// The pieces:
//   - ReadCSV reads CSV files (plain or gzip-compressed, any Beam
//     filesystem) with candor's own CSV reader, one file per worker: a Row
//     carries its file, its 1-based data row and its cells; a malformed row
//     goes to a separate PCollection of BadRow, with the row and the error.
//   - Score scores each Row with a candor model (a score.Model, shipped to
//     the workers as its model file); a row the model cannot score is a
//     BadRow too.
//   - Audit and Monitor combine rows into the fairness audit's and the
//     drift monitor's mergeable accumulators (fairness.Tally and the
//     monitor's PSI bins and score counts) with Beam CombineFns: each
//     worker adds its rows, the runner merges the accumulators, and the
//     report is computed once from the merged one. The report equals the
//     in-memory one (fairness.Audit, monitor.Run, and so candor audit and
//     candor monitor) on the same rows.
//
// The module is separate from the library (its own go.mod) so that the
// library never links Beam. It is tested on Beam's Prism runner, in
// process; the README says how to run the same pipelines on Dataflow and
// Flink.
package candorbeam
