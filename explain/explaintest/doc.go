// Package explaintest helps users test that their explanations stay
// stable, in their own test suites:
//
//   - Golden compares text with testdata/NAME.golden and rewrites it when
//     the test binary runs with -update (go test ./... -update). Print
//     numbers at fixed precision (explain.Explainer.AppendReport takes a
//     precision) so that golden files do not change with the CPU's fused
//     multiply-add.
//   - Stability perturbs each customer slightly (NudgeNumeric, or any
//     Perturb) and reports the customers whose top reasons change.
//   - Diff explains the same customers with two model versions and
//     reports whose reasons change: the review before a retrained model
//     ships.
//
// The package defines the -update flag (unless the test binary already
// has one, which is then used). Reports are plain data with deterministic
// order; nothing here is random.
package explaintest
