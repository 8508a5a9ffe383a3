package pglog_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/examples/datasets"
	"github.com/candorscore/candor/integrations/pglog"
	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/decision"
)

var (
	signer    = ed25519.NewKeyFromSeed(bytes.Repeat([]byte{42}, ed25519.SeedSize))
	digestKey = []byte("pglog-test-digest-key")
	t0        = time.Date(2026, 12, 2, 9, 30, 0, 0, time.UTC)
	verifyPub = decision.VerifyOptions{PublicKey: signer.Public().(ed25519.PublicKey)}
)

func logOpts() decision.LogOptions {
	return decision.LogOptions{SigningKey: signer, DigestKey: digestKey}
}

// pool connects to the server at CANDOR_TEST_POSTGRES_DSN (the test skips
// when it is unset: .ci/run starts one with .ci/postgres).
func pool(t *testing.T, conns int32) *pgxpool.Pool {
	t.Helper()
	dsn := os.Getenv("CANDOR_TEST_POSTGRES_DSN")
	if dsn == "" {
		t.Skip("CANDOR_TEST_POSTGRES_DSN is not set (.ci/postgres start DIR prints one)")
	}
	cfg, err := pgxpool.ParseConfig(dsn)
	require.NoError(t, err)
	cfg.MaxConns = conns
	p, err := pgxpool.NewWithConfig(context.Background(), cfg)
	require.NoError(t, err)
	t.Cleanup(p.Close)
	return p
}

// table is a fresh table name for the test, dropped at its end.
func table(t *testing.T, p *pgxpool.Pool, suffix string) string {
	t.Helper()
	name := "t_" + strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			return r
		}
		return '_'
	}, strings.ToLower(t.Name())) + suffix
	ctx := context.Background()
	_, err := p.Exec(ctx, "DROP TABLE IF EXISTS "+name)
	require.NoError(t, err)
	t.Cleanup(func() { _, _ = p.Exec(context.Background(), "DROP TABLE IF EXISTS "+name) })
	return name
}

var consentModel = sync.OnceValue(func() *score.Model { return datasets.MustModel(datasets.ConsentSample) })

// decide appends the decision for a customer of the consent sample model
// with the given income.
func decide(l *decision.Log, ref string, income float64) (decision.LogEntry, error) {
	m := consentModel()
	rec := score.Record{score.Num(income), score.Cat("a"), score.Num(2), score.Cat("30-39")}
	d, err := (&decision.Policy{Version: "p1", Purpose: "credit"}).Decide(m, rec, nil, nil)
	if err != nil {
		return decision.LogEntry{}, err
	}
	return l.AppendDecision(decision.Input{Time: t0, Model: m, Record: rec, Decision: &d, Ref: ref})
}

// Four replicas (each its own connection pool and Log, as on four hosts),
// each driven by three goroutines, append 240 decisions and reviews to one
// table at once: one chain, every Seq once, and it verifies as a file log
// does.
func TestConcurrentWritersOneChain(t *testing.T) {
	ctx := context.Background()
	admin := pool(t, 2)
	name := table(t, admin, "")
	const replicas, workers, each = 4, 3, 20
	logs := make([]*decision.Log, replicas)
	for i := range logs {
		st, err := pglog.Open(ctx, pool(t, 3), name)
		require.NoError(t, err)
		logs[i], err = pglog.OpenLog(ctx, st, logOpts())
		require.NoError(t, err)
	}
	var mu sync.Mutex
	seen := map[int64]string{}
	byReplica := map[int64]int{} // decision seq -> the replica that made it
	crossReviews := 0
	errs := make(chan error, replicas*workers)
	var wg sync.WaitGroup
	for r, l := range logs {
		for w := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for k := range each {
					ref := fmt.Sprintf("r%d-w%d-%d", r, w, k)
					e, err := decide(l, ref, float64(k))
					if err == nil && k%5 == 4 {
						// A review of a decision another replica made
						// (this Log looks it up in the table), or of its
						// own when none has yet.
						mu.Lock()
						target := e.Seq
						for seq, by := range byReplica {
							if by != r {
								target = seq
								break
							}
						}
						mu.Unlock()
						_, err = l.AppendReview(t0, target, "rev", decision.Approve, "")
						if err == nil && target != e.Seq {
							mu.Lock()
							crossReviews++
							mu.Unlock()
						}
					}
					if err != nil {
						errs <- fmt.Errorf("%s: %w", ref, err)
						return
					}
					mu.Lock()
					if prev, dup := seen[e.Seq]; dup {
						errs <- fmt.Errorf("seq %d given to %s and %s", e.Seq, prev, ref)
					}
					seen[e.Seq] = ref
					byReplica[e.Seq] = r
					mu.Unlock()
				}
			}()
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	for _, l := range logs {
		require.NoError(t, l.Close())
	}
	const decisions = replicas * workers * each
	const reviews = decisions / 5
	st, err := pglog.Open(ctx, admin, name)
	require.NoError(t, err)
	sum, err := pglog.Verify(ctx, st, verifyPub)
	require.NoError(t, err)
	require.True(t, sum.Authenticated)
	require.Equal(t, decisions, sum.Decisions)
	require.Equal(t, reviews, sum.Reviews)
	require.Equal(t, int64(decisions+reviews), sum.Head.Seq)
	require.Equal(t, decisions+reviews+1, sum.Checkpoints, "the header and every record are signed")
	require.Len(t, seen, decisions)
	require.Greater(t, crossReviews, reviews/2, "most reviews are of another replica's decision")
	var rows int
	require.NoError(t, admin.QueryRow(ctx, "SELECT count(*) FROM "+name).Scan(&rows))
	require.Equal(t, 2*(decisions+reviews+1), rows)
}

// writeFive writes a log of five decisions (refs c1..c5) and returns its
// head.
func writeFive(t *testing.T, st *pglog.Store) decision.LogHead {
	t.Helper()
	l, err := pglog.OpenLog(context.Background(), st, logOpts())
	require.NoError(t, err)
	for i := 1; i <= 5; i++ {
		_, err := decide(l, fmt.Sprintf("c%d", i), float64(i))
		require.NoError(t, err)
	}
	require.NoError(t, l.Close())
	return l.Head()
}

// Rows changed in the table without the writer's key are found by Verify,
// as in a file: an edited record, a removed one, two swapped, a record
// appended with no checkpoint or with a checkpoint of another key; a cut
// end passes alone (a prefix is a log its writer once had) and is caught
// with the head kept elsewhere. A writer refuses to continue a forged
// tail.
func TestForgedRowsAreDetected(t *testing.T) {
	ctx := context.Background()
	p := pool(t, 2)
	name := table(t, p, "")
	st, err := pglog.Open(ctx, p, name)
	require.NoError(t, err)
	head := writeFive(t, st)
	require.Equal(t, int64(5), head.Seq)
	sum, err := pglog.Verify(ctx, st, verifyPub)
	require.NoError(t, err)
	require.Equal(t, 5, sum.Decisions)

	other := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{43}, ed25519.SeedSize))
	otherCheckpoint := func() string {
		// A checkpoint line of record 5, signed by another key.
		msg := decision.CheckpointMessage(sum.LogID, 5, head.Hash)
		sig := ed25519.Sign(other, msg)
		return fmt.Sprintf(`{"checkpoint":{"seq":5,"hash":%q,"sig":%q}}`, head.Hash, b64(sig))
	}()
	for _, c := range []struct {
		name, sql, want string
		opts            decision.VerifyOptions
	}{
		{"edit", `UPDATE %s SET body = replace(body, '"ref":"c3"', '"ref":"c9"') WHERE seq = 3 AND NOT checkpoint`,
			"hash does not match the content", verifyPub},
		{"delete", `DELETE FROM %s WHERE seq = 3`, "sequence number is 4, want 3", verifyPub},
		{"swap", `UPDATE %s SET line = CASE line WHEN 5 THEN 7 WHEN 7 THEN 5 END WHERE line IN (5, 7)`,
			"sequence number is 3, want 2", verifyPub},
		{"append re-chained", `INSERT INTO %s VALUES (13, 6, false, '` + rechained(t, p, name, head) + `')`,
			"1 record(s) after the last checkpoint (record 5) are not signed by the writer's key", verifyPub},
		{"checkpoint of another key", `UPDATE %s SET body = '` + otherCheckpoint + `' WHERE seq = 5 AND checkpoint`,
			"is not signed by", verifyPub},
		{"cut end, head kept", `DELETE FROM %s WHERE seq = 5`, "records after 4 were cut off",
			decision.VerifyOptions{PublicKey: verifyPub.PublicKey, Head: head}},
	} {
		t.Run(c.name, func(t *testing.T) {
			forged := table(t, p, "")
			_, err := p.Exec(ctx, "CREATE TABLE "+forged+" AS SELECT * FROM "+name)
			require.NoError(t, err)
			_, err = p.Exec(ctx, fmt.Sprintf(c.sql, forged))
			require.NoError(t, err)
			fs, err := pglog.Open(ctx, p, forged)
			require.NoError(t, err)
			_, err = pglog.Verify(ctx, fs, c.opts)
			require.ErrorIs(t, err, decision.ErrLogBroken)
			require.Contains(t, err.Error(), c.want)
			if c.name == "append re-chained" || c.name == "checkpoint of another key" {
				_, err := pglog.OpenLog(ctx, fs, logOpts())
				require.ErrorIs(t, err, decision.ErrLogBroken, "no writer signs over a forged tail")
			}
			if c.name == "cut end, head kept" {
				_, err := pglog.Verify(ctx, fs, verifyPub)
				require.NoError(t, err, "without the head, a cut at a checkpoint is a log the writer once had")
			}
		})
	}
	// The table is as it was.
	_, err = pglog.Verify(ctx, st, decision.VerifyOptions{PublicKey: verifyPub.PublicKey, Head: head})
	require.NoError(t, err)
}

// The same lines are the same log: copied out of the table they are a log
// file that OpenLog continues and VerifyLog checks.
func TestTableIsAFileLog(t *testing.T) {
	ctx := context.Background()
	p := pool(t, 2)
	st, err := pglog.Open(ctx, p, table(t, p, ""))
	require.NoError(t, err)
	writeFive(t, st)
	r, err := st.OpenLog(ctx)
	require.NoError(t, err)
	path := t.TempDir() + "/decisions.jsonl"
	var b bytes.Buffer
	_, err = b.ReadFrom(r)
	require.NoError(t, err)
	require.NoError(t, r.Close())
	require.NoError(t, os.WriteFile(path, b.Bytes(), 0o600))
	l, err := decision.OpenLog(path, logOpts())
	require.NoError(t, err)
	e, err := decide(l, "c6", 6)
	require.NoError(t, err)
	require.Equal(t, int64(6), e.Seq)
	require.NoError(t, l.Close())
	fh, err := os.Open(path)
	require.NoError(t, err)
	defer fh.Close()
	sum, err := decision.VerifyLog(fh, verifyPub)
	require.NoError(t, err)
	require.Equal(t, 6, sum.Decisions)
}

// A writer with another key, a table name that is not an identifier, and
// a shared log that would leave records unsigned are refused.
func TestRefusals(t *testing.T) {
	ctx := context.Background()
	_, err := pglog.Open(ctx, nil, "decisions; DROP TABLE x")
	require.ErrorIs(t, err, pglog.ErrTableName)
	_, err = pglog.OpenLog(ctx, nil, decision.LogOptions{SigningKey: signer, DigestKey: digestKey, CheckpointEvery: 10})
	require.ErrorIs(t, err, pglog.ErrCheckpointEvery)

	p := pool(t, 2)
	st, err := pglog.Open(ctx, p, table(t, p, ""))
	require.NoError(t, err)
	writeFive(t, st)
	other := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{43}, ed25519.SeedSize))
	_, err = pglog.OpenLog(ctx, st, decision.LogOptions{SigningKey: other, DigestKey: digestKey})
	require.ErrorIs(t, err, decision.ErrLogKey)
}

func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

// rechained is a record 6 made without the key: record 5's body with
// seq 6, prev record 5's hash and its hash recomputed (the hash is the
// SHA-256 of the line without its hash field), as a forger would chain it.
func rechained(t *testing.T, p *pgxpool.Pool, name string, head decision.LogHead) string {
	t.Helper()
	var body string
	require.NoError(t, p.QueryRow(context.Background(), "SELECT body FROM "+name+" WHERE seq = 5 AND NOT checkpoint").Scan(&body))
	i := strings.Index(body, `,"hash":"`)
	require.Positive(t, i)
	j := strings.Index(body, `"prev":"`)
	require.Positive(t, j)
	unsealed := body[:j] + `"prev":"` + head.Hash + `"}`
	unsealed = strings.Replace(unsealed, `{"seq":5,`, `{"seq":6,`, 1)
	unsealed = strings.Replace(unsealed, `"ref":"c5"`, `"ref":"forged"`, 1)
	sum := sha256.Sum256([]byte(unsealed))
	return unsealed[:len(unsealed)-1] + `,"hash":"sha256:` + hex.EncodeToString(sum[:]) + `"}`
}

// BenchmarkAppend appends decisions one at a time to a file log and to a
// table, each record with its checkpoint, for the ratio of the two.
func BenchmarkAppend(b *testing.B) {
	ctx := context.Background()
	run := func(b *testing.B, l *decision.Log) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			if _, err := decide(l, "", float64(i%100)); err != nil {
				b.Fatal(err)
			}
		}
		b.StopTimer()
		if err := l.Close(); err != nil {
			b.Fatal(err)
		}
	}
	b.Run("file", func(b *testing.B) {
		l, err := decision.OpenLog(b.TempDir()+"/decisions.jsonl", logOpts())
		if err != nil {
			b.Fatal(err)
		}
		run(b, l)
	})
	b.Run("postgres", func(b *testing.B) {
		dsn := os.Getenv("CANDOR_TEST_POSTGRES_DSN")
		if dsn == "" {
			b.Skip("CANDOR_TEST_POSTGRES_DSN is not set")
		}
		p, err := pgxpool.New(ctx, dsn)
		if err != nil {
			b.Fatal(err)
		}
		defer p.Close()
		_, _ = p.Exec(ctx, "DROP TABLE IF EXISTS bench_log")
		defer func() { _, _ = p.Exec(ctx, "DROP TABLE IF EXISTS bench_log") }()
		st, err := pglog.Open(ctx, p, "bench_log")
		if err != nil {
			b.Fatal(err)
		}
		l, err := pglog.OpenLog(ctx, st, logOpts())
		if err != nil {
			b.Fatal(err)
		}
		run(b, l)
	})
}
