// Package pglog keeps a candor decision log in a PostgreSQL table, for
// the replicas of a service that all record decisions in one log: a
// decision.LogStore whose updates are serialised across connections and
// hosts by a transaction-scoped advisory lock, with the line number as the
// table's primary key (so two writers can never both add line n: the log
// cannot fork).
//
// The rows are the lines of the file format (score/decision: hash-chained
// records, Ed25519-signed checkpoints), so the chain, the checkpoints and
// their verification are the file log's: Verify reads the lines in order
// through decision.VerifyLog. Every replica holds the same signing key and
// digest key; each checks, before it appends, that the table still ends
// with a record and its checkpoint signed by that key, so none of them
// ever signs over a row written without the key.
//
// It is a module of its own so that the library never links a database
// driver (github.com/jackc/pgx/v5). Its tests run against the server at
// the DSN in CANDOR_TEST_POSTGRES_DSN (they skip when it is unset;
// .ci/postgres starts a throwaway server and .ci/run sets it).
package pglog
