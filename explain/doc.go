// Package explain turns a score from an additive candor model into what a
// customer is owed: exact contributions, reason codes, text they can read,
// and the cheapest allowed changes that would alter the outcome
// (counterfactual recourse, solved exactly).
//
// # The model of the world
//
// Every candor model is additive: score = intercept + sum_j term_j(x_j), in
// the model's units (log-odds of the event for logistic models, points for
// scorecards, response units for linear models). An explanation is
// therefore exact and needs no sampling:
//
//   - A Breakdown measures each term from a Baseline: contribution_j =
//     term_j(x_j) - baseline_j, and baseline + sum(contributions) = score to
//     floating-point precision. Baselines: the population average
//     (interventional SHAP with a mean background for logistic models;
//     points minus average points for scorecards), the best attainable
//     effect per term ("points below maximum"), the average over a
//     reference set of customers (for example those at or just above the
//     cutoff, as US Regulation B suggests), and the model's own declared
//     reason-code baselines (PMML Characteristic@baselineScore).
//   - Reasons ranks the terms that count against the customer, with the
//     PMML 4.4 Scorecard rules (gaps summed per reason code, negative totals
//     dropped, ties in term order).
//   - A Catalog renders reasons, directions to improve and counterfactual
//     changes in the customer's language; features marked Sensitive never
//     show their value. Marshalled to JSON, Explanation and Reason withhold
//     those values too (as Withheld) unless the Explainer was built with
//     Options.ShowSensitive, so a service can return an explanation as it
//     is.
//   - Withholding a value is not enough: in an additive model a sensitive
//     term's exact effect (or the score minus the other terms) gives the
//     value back. Explainer.Publish and Explainer.PublishRecourse give what
//     may be shown: every number computed with each sensitive term at its
//     band's effect (SensitiveBands, SensitiveGroup), so that outputs
//     disclose the band and nothing finer. A marshalled Explanation is
//     published; show only published explanations.
//   - Explainer.Importances and Explainer.Shape give the global view: mean
//     |contribution| over a population and each feature's effect by level,
//     bin or value.
//   - ProbabilityView splits the probability change exactly (method in its
//     doc comment); the package explaintest checks stability in tests.
//
// # Advice a customer can trust
//
// A reason says what counted against the customer; advice (Reason.Advice,
// the ImproveMessage sentence, a counterfactual Change) says what to do
// about it, and is given only when it is honest (advice.go):
//
//   - the feature is declared actionable: an action in the model's
//     features file (score.Feature.Action) or in Options.Actions /
//     NewActionSpace's actions; undeclared features are immutable,
//     protected ones never move (ErrNothingActionable when nothing may);
//   - the move keeps the action's direction and transitions, the declared
//     trend (score.Feature.Trend) and the training data's trend
//     (score.Stats.DataTrend), and never goes to or from a special code;
//   - the feature's binned effect does not turn twice or more unless its
//     trend is declared (WithheldShapeTurns: no direction is advised and
//     recourse does not move it; one turn follows the bins' event rates);
//   - the training data support it: the proposed cell (bin, level or
//     training decile, score.Stats.Cells) has a lower event rate than the
//     customer's (Change.Support; RecourseOptions.AllowUnsupported keeps
//     unsupported changes, flagged);
//   - a numeric change is at least its min_change (DefaultMinChangeShare of
//     the interquartile range by default), and RecourseOptions.Margin asks
//     the flip to hold below the target minus a margin.
//
// Otherwise the reason is still given, with AdviceWithheld naming the rule
// (WithheldNotActionable, WithheldDataTrend, ...). CheckAdvice audits a
// whole file. Text uses the features file's labels and units, ranges in
// words, special codes by their meaning, and per-language catalogues
// (FeatureMessage, ValueMessage, UnitMessage, RangeMessage).
//
// # Direction of "adverse"
//
// For logistic models (and linear models) a higher score means more of the
// event (default, churn), so a term counts against the customer when its
// effect is above the baseline. For scorecards a higher score is safer, so a
// term counts against the customer when its points are below the baseline.
// Reasons handle both (PointsAbove and PointsBelow, as PMML names them);
// DefaultAlgorithm picks by model kind unless the model declares its own.
//
// # Errors and allocation
//
// Functions return errors, never panic on bad data: a customer's bad values
// are the score package's *score.RecordError; this package's own sentinels
// are ErrTemplate, ErrUnknownLanguage, ErrBaseline, ErrBuffer and
// ErrNotBuilt (the zero Explainer or ActionSpace, which have no model). Rows
// of a table are counted from 1 in every message. The
// per-customer path (Explainer.Explain and AppendReasons with a reused
// buffer) allocates nothing. Explanations are plain data; their order is
// deterministic.
package explain
