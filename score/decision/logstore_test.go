package decision_test

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/score/decision"
)

// memStore is a LogStore several Logs share, serialised by a mutex: the
// shape of a database store (integrations/pglog) without the database.
type memStore struct {
	mu    sync.Mutex
	lines []decision.LogLine
}

type memTx struct {
	s     *memStore
	added []decision.LogLine
}

func (s *memStore) Update(_ context.Context, fn func(decision.LogTx) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	tx := &memTx{s: s}
	if err := fn(tx); err != nil {
		return err
	}
	s.lines = append(s.lines, tx.added...)
	return nil
}

func (s *memStore) Sync(context.Context) error { return nil }
func (s *memStore) Close() error               { return nil }

func (s *memStore) OpenLog(context.Context) (io.ReadCloser, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var b bytes.Buffer
	for _, l := range s.lines {
		b.Write(l.Data)
		b.WriteByte('\n')
	}
	return io.NopCloser(&b), nil
}

func (t *memTx) First() ([]byte, error) {
	if len(t.s.lines) == 0 {
		return nil, nil
	}
	return t.s.lines[0].Data, nil
}

func (t *memTx) Last(n int) ([][]byte, error) {
	var out [][]byte
	for _, l := range t.s.lines[max(0, len(t.s.lines)-n):] {
		out = append(out, l.Data)
	}
	return out, nil
}

func (t *memTx) Record(seq int64) ([]byte, error) {
	for _, l := range t.s.lines {
		if l.Seq == seq && !l.Checkpoint {
			return l.Data, nil
		}
	}
	return nil, nil
}

func (t *memTx) Append(lines ...decision.LogLine) error {
	t.added = append(t.added, lines...)
	return nil
}

// Writers sharing a store append to one chain: each Log sees what the
// others appended (its tail is read again when the store's last line is
// not the one it wrote) and continues from there; the result verifies as
// a file log does, and is byte for byte a file log.
func TestSharedStoreOneChain(t *testing.T) {
	st := &memStore{}
	ctx := context.Background()
	a, err := decision.OpenStoreLog(ctx, st, testOpts())
	require.NoError(t, err)
	b, err := decision.OpenStoreLog(ctx, st, testOpts())
	require.NoError(t, err)
	require.Equal(t, 2, len(st.lines), "the second writer found the log the first started")

	e1 := appendTest(t, a, t0, 2)
	e2 := appendTest(t, b, t0, 3)
	e3 := appendTest(t, a, t0, 4)
	require.Equal(t, []int64{1, 2, 3}, []int64{e1.Seq, e2.Seq, e3.Seq})
	require.Equal(t, e1.Hash, e2.Prev)
	require.Equal(t, e2.Hash, e3.Prev)
	_, err = b.AppendReview(t0, e3.Seq, "rev", decision.Approve, "")
	require.NoError(t, err, "a writer finds a decision another wrote")

	var wg sync.WaitGroup
	for _, l := range []*decision.Log{a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 25 {
				appendTest(t, l, t0, float64(i))
			}
		}()
	}
	wg.Wait()
	require.NoError(t, a.Close())
	require.NoError(t, b.Close())
	sum, err := decision.VerifyStore(ctx, st, testVerify)
	require.NoError(t, err)
	require.Equal(t, 54, sum.Records)
	require.Equal(t, 53, sum.Decisions)
	require.True(t, sum.Authenticated)

	// The same lines in a file are a file log: OpenLog continues it.
	path := filepath.Join(t.TempDir(), "decisions.jsonl")
	r, _ := st.OpenLog(ctx)
	data, _ := io.ReadAll(r)
	require.NoError(t, os.WriteFile(path, data, 0o600))
	l := openTestLog(t, path)
	require.Equal(t, int64(54), appendTest(t, l, t0, 9).Seq-1)
	require.NoError(t, l.Close())

	// A line appended to the store without the key stops every writer:
	// none signs over it.
	forged := bytes.Replace(st.lines[len(st.lines)-2].Data, []byte(`"outcome":"decline"`), []byte(`"outcome":"approve"`), 1)
	st.lines = append(st.lines, decision.LogLine{Seq: 55, Data: forged})
	c, err := decision.OpenStoreLog(ctx, st, testOpts())
	require.ErrorIs(t, err, decision.ErrLogBroken)
	require.Nil(t, c)
	_, err = decision.VerifyStore(ctx, st, testVerify)
	require.ErrorIs(t, err, decision.ErrLogBroken)
}

// A writer whose view is stale reads the tail again before appending, and
// refuses to continue a tail it cannot trust.
func TestSharedStoreRefusesUnsignedTail(t *testing.T) {
	st := &memStore{}
	ctx := context.Background()
	a, err := decision.OpenStoreLog(ctx, st, testOpts())
	require.NoError(t, err)
	appendTest(t, a, t0, 2)
	// Someone drops the last checkpoint: the record it signed is now
	// unsigned, as if appended without the key.
	st.lines = st.lines[:len(st.lines)-1]
	m, pol := testModelPolicy()
	d, err := pol.Decide(m, cust(3, "a", 2), nil, nil)
	require.NoError(t, err)
	_, err = a.AppendDecision(decision.Input{Time: t0, Model: m, Record: cust(3, "a", 2), Decision: &d})
	require.ErrorIs(t, err, decision.ErrLogBroken)
	require.Contains(t, err.Error(), "does not end with a checkpoint")
}
