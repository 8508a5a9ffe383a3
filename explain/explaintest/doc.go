// Package explaintest helps users test that their explanations stay
// stable, in their own test suites:
//
//   - Golden compares text with testdata/NAME.golden and rewrites it when
//     asked to: with GoldenOptions.Update (pass your own -update flag) or
//     with the environment variable CANDOR_UPDATE_GOLDEN=1
//     (CANDOR_UPDATE_GOLDEN=1 go test ./...). Print
//     numbers at fixed precision (explain.Explainer.AppendReport takes a
//     precision) so that golden files do not change with the CPU's fused
//     multiply-add.
//   - Stability perturbs each customer slightly (NudgeNumeric, or any
//     Perturb) and reports the customers whose top reasons change.
//   - Diff explains the same customers with two model versions and
//     reports whose reasons change: the review before a retrained model
//     ships.
//
// Importing the package registers no flags (a test binary keeps its own
// -update) and has no other side effects. Reports are plain data with
// deterministic order; nothing here is random.
package explaintest
