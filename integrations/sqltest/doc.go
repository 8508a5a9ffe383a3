// Package sqltest runs the SQL that candor writes (score/sqlgen) on real
// engines and compares every row with the Go scorer: DuckDB in process
// (its Go driver, cgo) and PostgreSQL at the DSN in the environment
// variable CANDOR_TEST_POSTGRES_DSN (the PostgreSQL tests skip when it is
// unset; .ci/postgres starts a throwaway server and .ci/run sets it).
//
// It is a module of its own so that the library never links a database
// driver. It has no non-test code.
package sqltest
