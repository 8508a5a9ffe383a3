package decision_test

import (
	"bufio"
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/score/decision"
)

// writeLongLog writes a log of n decisions to path: the first by a Log,
// the others copies of it chained after it (as the writer would chain
// them, only faster), and a checkpoint signed by the test key at the end.
func writeLongLog(t *testing.T, path string, n int) {
	t.Helper()
	l, err := decision.OpenLog(path, testOpts())
	require.NoError(t, err)
	e := appendTest(t, l, t0, 3)
	require.NoError(t, l.Close())
	fh, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	require.NoError(t, err)
	w := bufio.NewWriterSize(fh, 1<<20)
	for seq := int64(2); seq <= int64(n); seq++ {
		e.Seq, e.Prev, e.Hash = seq, e.Hash, ""
		b, err := json.Marshal(&e)
		require.NoError(t, err)
		sum := sha256.Sum256(b)
		e.Hash = "sha256:" + hex.EncodeToString(sum[:])
		w.Write(b[:len(b)-1])
		fmt.Fprintf(w, ",\"hash\":%q}\n", e.Hash)
	}
	sig := ed25519.Sign(testSigner, decision.CheckpointMessage(strings.Repeat("07", 16), e.Seq, e.Hash))
	cp, err := json.Marshal(map[string]decision.Checkpoint{"checkpoint": {Seq: e.Seq, Hash: e.Hash, Sig: base64.StdEncoding.EncodeToString(sig)}})
	require.NoError(t, err)
	w.Write(append(cp, '\n'))
	require.NoError(t, w.Flush())
	require.NoError(t, fh.Close())
}

// openCost is the bytes and allocations of opening the log at path,
// reviewing its first decision and closing it.
func openCost(t *testing.T, path string) (bytes uint64, allocs uint64) {
	t.Helper()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	l, err := decision.OpenLog(path, testOpts())
	require.NoError(t, err)
	_, err = l.AppendReview(t0, 1, "r", decision.Approve, "")
	require.NoError(t, err)
	require.NoError(t, l.Close())
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc, after.Mallocs - before.Mallocs
}

// TestOpenLogMemoryIsBounded: opening a log of 100,000 records (to append
// and to review its first decision) allocates about what opening a log of
// 100 does: it reads the header, the last lines and, for the review, a
// binary search's few lines, never the records in between. (Issue 14: a
// 120k-record log took 183 MB and 4.7 s to open.)
func TestOpenLogMemoryIsBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a 100,000-record log")
	}
	dir := t.TempDir()
	small, long := filepath.Join(dir, "small.jsonl"), filepath.Join(dir, "long.jsonl")
	writeLongLog(t, small, 100)
	writeLongLog(t, long, 100_000)
	info, err := os.Stat(long)
	require.NoError(t, err)
	require.Greater(t, info.Size(), int64(50<<20))

	smallBytes, smallAllocs := openCost(t, small)
	longBytes, longAllocs := openCost(t, long)
	t.Logf("open + review + close: 100 records %d B in %d allocs; 100,000 records %d B in %d allocs (file %d MB)",
		smallBytes, smallAllocs, longBytes, longAllocs, info.Size()>>20)
	require.Less(t, longBytes, uint64(2<<20), "bytes allocated to open a 100k-record log")
	require.Less(t, longBytes, 4*smallBytes+(512<<10))
	require.Less(t, longAllocs, 4*smallAllocs+2000)

	allocs := testing.AllocsPerRun(3, func() {
		l, err := decision.OpenLog(long, testOpts())
		if err != nil {
			t.Fatal(err)
		}
		l.Close()
	})
	require.Less(t, allocs, 500.0, "allocations of one open")

	// And the log still verifies, read as a stream.
	sum, err := verifyFile(t, long, testVerify)
	require.NoError(t, err)
	require.Equal(t, 100_001, sum.Records) // and the review
}

// TestCheckpointEvery: with CheckpointEvery n the writer signs every n
// records and on Checkpoint, Sync and Close; records after the last
// checkpoint are unsigned, so a crash before it leaves a tail that
// verification refuses and RepairLog cuts.
func TestCheckpointEvery(t *testing.T) {
	path := filepath.Join(t.TempDir(), "decisions.jsonl")
	opts := testOpts()
	opts.CheckpointEvery = 3
	l, err := decision.OpenLog(path, opts)
	require.NoError(t, err)
	for i := range 7 {
		appendTest(t, l, t0, float64(1+i))
	}
	// Records 1-6 are signed (two checkpoints); record 7 is not yet.
	sum, err := verifyFile(t, path, testVerify)
	require.ErrorIs(t, err, decision.ErrLogBroken)
	require.Contains(t, err.Error(), "1 record(s) after the last checkpoint (record 6)")
	require.Equal(t, int64(6), sum.Signed.Seq)
	h, err := l.Checkpoint()
	require.NoError(t, err)
	require.Equal(t, int64(7), h.Seq)
	sum, err = verifyFile(t, path, testVerify)
	require.NoError(t, err)
	require.Equal(t, 4, sum.Checkpoints, "the header's, after 3 and 6, and the explicit one")
	h, err = l.Checkpoint()
	require.NoError(t, err, "nothing new to sign")
	require.Equal(t, int64(7), h.Seq)
	appendTest(t, l, t0, 9)
	require.NoError(t, l.Sync())
	appendTest(t, l, t0, 9)
	require.NoError(t, l.Close())
	sum, err = verifyFile(t, path, testVerify)
	require.NoError(t, err)
	require.Equal(t, 9, sum.Records)
	require.Equal(t, 6, sum.Checkpoints)

	// A writer that dies between checkpoints: simulated by appending two
	// records and not closing (the file is closed by the test's end; the
	// lock goes with it).
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	l, err = decision.OpenLog(path, opts)
	require.NoError(t, err)
	appendTest(t, l, t0, 2)
	appendTest(t, l, t0, 3)
	crashed, err := os.ReadFile(path)
	require.NoError(t, err)
	require.NoError(t, l.Close())
	require.NoError(t, os.WriteFile(path, crashed, 0o600))
	_, err = decision.OpenLog(path, opts)
	require.ErrorIs(t, err, decision.ErrLogBroken, "a writer never signs what it finds unsigned")
	rep, err := decision.RepairLog(path, testVerify)
	require.NoError(t, err)
	require.Equal(t, 2, rep.Records)
	require.Equal(t, int64(len(b)), rep.Offset)
	require.Equal(t, int64(9), rep.Head.Seq)
}

// TestReviewOfAnEarlyDecision: a review long after the last decision (past
// the reader's bits for decisions) verifies; one of a review does not.
func TestReviewOfAnEarlyDecision(t *testing.T) {
	var buf bytes.Buffer
	l, err := decision.NewLog(&buf, testOpts())
	require.NoError(t, err)
	appendTest(t, l, t0, 2)
	for range 200 {
		_, err := l.AppendReview(t0, 1, "r", decision.Approve, "")
		require.NoError(t, err)
	}
	_, err = l.AppendReview(t0, 150, "r", decision.Approve, "")
	require.ErrorIs(t, err, decision.ErrUnknownDecision)
	sum, err := decision.VerifyLog(bytes.NewReader(buf.Bytes()), testVerify)
	require.NoError(t, err)
	require.Equal(t, 200, sum.Reviews)
	// A forged review of review 150, signed by the test key (as a writer
	// without the check would): refused, without a panic.
	e := decision.LogEntry{Seq: 202, Kind: decision.EntryReview, Time: t0, Review: &decision.ReviewEntry{Decision: 150, Reviewer: "r", Outcome: decision.Approve}, Prev: sum.Head.Hash}
	b, err := json.Marshal(&e)
	require.NoError(t, err)
	h := sha256.Sum256(b)
	e.Hash = "sha256:" + hex.EncodeToString(h[:])
	b, err = json.Marshal(&e)
	require.NoError(t, err)
	_, err = decision.VerifyLog(bytes.NewReader(append(append(buf.Bytes(), b...), '\n')), testVerify)
	require.ErrorIs(t, err, decision.ErrLogBroken)
	require.Contains(t, err.Error(), "review of decision 150, which is not earlier in the log")
}
