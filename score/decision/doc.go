// Package decision makes and records decisions about customers: a
// versioned Policy turns a consent-aware score into approve, decline or
// refer-to-a-person, every decision carries the exact reasons of the score
// it was made on, and a hash-chained Log records decisions and reviewers'
// final outcomes so that they can be checked later. Functions return
// errors and never panic on bad input: the kinds are sentinels (ErrPolicy,
// ErrLogBroken, ErrLegacyLog, ErrLogLocked, ErrLogKey, ErrSigningKey,
// ErrVerifyKey, ErrNotRepaired, ErrDigestKey, ErrDigestKeyFile,
// ErrUnknownDecision, ErrNoLog, and the score package's ErrNoConsent,
// ErrModel, ErrMalformed and ErrNotFinite), a customer's bad values are the
// score package's *score.RecordError, the structured errors *LogError and
// *HeadError (naming the line or record) unwrap to ErrLogBroken, and
// *LockError to ErrLogLocked; test them with errors.Is and errors.As.
//
// # Policy, consent and reasons
//
// A Policy is plain data (JSON, see ParsePolicy): a purpose checked against
// the customer's consents, what to do with a feature lacking consent
// (neutralise it to its population baseline, or refuse to score), a cutoff
// in probability or points, a review band around it, and checks that send
// customers unlike the training data to a person (Referral). A Decider
// applies one policy to one model: build it once with NewDecider; it is
// immutable and safe for concurrent use. Its decisions explain themselves:
// the reasons are explain's reason codes computed over the consent view of
// the model (score.Model.Neutralise), so a neutralised feature is never a
// reason and the breakdown adds up to the consent-aware score
// (Explained). Policy.Decide is the same for a single call.
//
// # Records
//
// A Log appends one JSON line per decision or review, each holding the
// hash of the one before it, and after each (or every CheckpointEvery) a
// checkpoint signed with the writer's Ed25519 key: the chain makes a
// checkpoint cover every record before it, and only the key holder can
// make one. VerifyLog, ReadLog and LogReader (streaming) check a log
// against the writer's public key and, with VerifyOptions.Head, against a
// head published elsewhere (nothing in a log can show records cut off its
// end at a checkpoint). OpenLog takes an exclusive file lock and reads only
// the log's ends; RepairLog cuts a torn tail back to the last signed
// record. The lines live in a LogStore: the file is the embedded one, and
// OpenStoreLog and VerifyStore take any other, such as a database table
// several writers share (integrations/pglog), with the same chain,
// checkpoints and checks. Customers' values never enter the log: a keyed digest
// (InputDigest) stands for them, under a key kept apart from the log in a
// file only its owner may read (CreateDigestKeyFile, ReadDigestKeyFile).
// Overrides and OverrideTally report how often reviewers overrode the
// model, overall and per group. Times are passed in; the package never
// reads the clock.
package decision
