package decision_test

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/score/decision"
)

// TestTwoWritersCannotForkTheLog: issue 14's fork. Two writers opening the
// same log file either cannot both have it (the second gets an error), or,
// if they can, what they write together still verifies.
func TestTwoWritersCannotForkTheLog(t *testing.T) {
	if !decision.FileLocking {
		t.Skip("no file locking on this system")
	}
	path := filepath.Join(t.TempDir(), "decisions.jsonl")
	l1 := openTestLog(t, path)
	defer l1.Close()
	appendTest(t, l1, t0, 2)
	l2, err2 := decision.OpenLog(path, testOpts())
	if err2 == nil {
		defer l2.Close()
		for i := range 3 {
			for _, l := range []*decision.Log{l1, l2} {
				appendTest(t, l, t0, float64(1+i))
			}
		}
		require.NoError(t, l1.Close())
		require.NoError(t, l2.Close())
		_, err := verifyFile(t, path, testVerify)
		require.NoError(t, err, "two writers forked the log")
	}
	require.Error(t, err2, "a second writer opened the log")
	require.ErrorIs(t, err2, decision.ErrLogLocked)
	var le *decision.LockError
	require.ErrorAs(t, err2, &le)
	require.Equal(t, path, le.Path)
	require.Contains(t, err2.Error(), "in use by another writer")
	// The first writer goes on; once it closes, the next one may write.
	appendTest(t, l1, t0, 3)
	require.NoError(t, l1.Close())
	l2 = openTestLog(t, path)
	require.Equal(t, int64(2), l2.Head().Seq)
	appendTest(t, l2, t0, 4)
	require.NoError(t, l2.Close())
	sum, err := verifyFile(t, path, testVerify)
	require.NoError(t, err)
	require.Equal(t, 3, sum.Records)
}

// TestLockHolderProcess is the other process of TestTwoProcesses: it opens
// the log named by CANDOR_TEST_LOCK_LOG, says "open" on stdout and holds
// the log until its standard input closes.
func TestLockHolderProcess(t *testing.T) {
	path := os.Getenv("CANDOR_TEST_LOCK_LOG")
	if path == "" {
		t.Skip("the helper process of TestTwoProcesses")
	}
	l, err := decision.OpenLog(path, testOpts())
	if err != nil {
		fmt.Println("error:", err)
		return
	}
	appendTest(t, l, t0, 5)
	fmt.Println("open")
	_, _ = io.Copy(io.Discard, os.Stdin)
	appendTest(t, l, t0, 6)
	require.NoError(t, l.Close())
}

// TestTwoProcesses: a writer in another process holds the log; this one
// gets a LockError until that one ends, and the log stays one chain.
func TestTwoProcesses(t *testing.T) {
	if !decision.FileLocking {
		t.Skip("no file locking on this system")
	}
	path := filepath.Join(t.TempDir(), "decisions.jsonl")
	cmd := exec.Command(os.Args[0], "-test.run=^TestLockHolderProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), "CANDOR_TEST_LOCK_LOG="+path)
	stdin, err := cmd.StdinPipe()
	require.NoError(t, err)
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	defer func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
	}()
	sc := bufio.NewScanner(stdout)
	require.True(t, sc.Scan(), "the helper said nothing")
	require.Equal(t, "open", sc.Text())

	_, err = decision.OpenLog(path, testOpts())
	require.ErrorIs(t, err, decision.ErrLogLocked)
	_, err = decision.RepairLog(path, testVerify)
	require.ErrorIs(t, err, decision.ErrLogLocked, "no repair under a writer")

	require.NoError(t, stdin.Close())
	for sc.Scan() {
	}
	require.NoError(t, cmd.Wait())
	l := openTestLog(t, path)
	appendTest(t, l, t0, 7)
	require.NoError(t, l.Close())
	sum, err := verifyFile(t, path, testVerify)
	require.NoError(t, err)
	require.Equal(t, 3, sum.Records)
}

// errDiskFull stands for ENOSPC (which not every system's syscall has).
var errDiskFull = errors.New("no space left on device")

// failingWriter writes the first n bytes it is given, then fails as a full
// disk does.
type failingWriter struct {
	w io.Writer
	n int
}

func (f *failingWriter) Write(p []byte) (int, error) {
	if len(p) <= f.n {
		f.n -= len(p)
		return f.w.Write(p)
	}
	k, err := f.w.Write(p[:f.n])
	f.n = 0
	if err == nil {
		err = errDiskFull
	}
	return k, err
}

// TestFullDisk: a write cut short by a full disk leaves the log as it was
// (the torn bytes are cut back), and appends go on once there is room.
func TestFullDisk(t *testing.T) {
	path := filepath.Join(t.TempDir(), "decisions.jsonl")
	l := openTestLog(t, path)
	appendTest(t, l, t0, 2)
	fw := &failingWriter{n: 100}
	decision.WrapLogWriter(l, func(w io.Writer) io.Writer { fw.w = w; return fw })
	m, pol := testModelPolicy()
	d, err := pol.Decide(m, cust(3, "a", 2), nil, nil)
	require.NoError(t, err)
	_, err = l.AppendDecision(decision.Input{Time: t0, Model: m, Record: cust(3, "a", 2), Decision: &d})
	require.ErrorIs(t, err, errDiskFull)
	require.Equal(t, int64(1), l.Head().Seq)
	sum, err := verifyFile(t, path, testVerify)
	require.NoError(t, err, "the torn record was cut back")
	require.Equal(t, 1, sum.Records)
	fw.n = 1 << 30 // room again
	e := appendTest(t, l, t0, 4)
	require.Equal(t, int64(2), e.Seq)
	require.NoError(t, l.Close())
	sum, err = verifyFile(t, path, testVerify)
	require.NoError(t, err)
	require.Equal(t, 2, sum.Records)

	// A writer that cannot be cut back (not a file): the Log stops, and
	// says how to repair.
	var buf syncBuffer
	fw = &failingWriter{w: &buf, n: 1 << 30}
	l, err = decision.NewLog(fw, testOpts())
	require.NoError(t, err)
	appendTest(t, l, t0, 2)
	fw.n = 50
	_, err = l.AppendDecision(decision.Input{Time: t0, Model: m, Record: cust(3, "a", 2), Decision: &d})
	require.ErrorIs(t, err, errDiskFull)
	fw.n = 1 << 30
	_, err = l.AppendDecision(decision.Input{Time: t0, Model: m, Record: cust(3, "a", 2), Decision: &d})
	require.ErrorIs(t, err, decision.ErrLogBroken)
	require.Contains(t, err.Error(), "verify-log --repair")
	_, err = decision.VerifyLog(strings.NewReader(buf.b.String()), testVerify)
	var le *decision.LogError
	require.ErrorAs(t, err, &le)
	require.Contains(t, le.Detail, "incomplete")
}

// TestVerifyStreamsWithBoundedLines: a line without end is read no
// further than the cap.
func TestVerifyStreamsWithBoundedLines(t *testing.T) {
	head := logLines(writeLog(t))
	r := io.MultiReader(strings.NewReader(string(head[0])+string(head[1])), endless{})
	start := time.Now()
	_, err := decision.VerifyLog(r, decision.VerifyOptions{PublicKey: testPub, MaxRecordBytes: 1 << 16})
	var le *decision.LogError
	require.ErrorAs(t, err, &le)
	require.Equal(t, 3, le.Line)
	require.Contains(t, le.Detail, "longer than 65536 bytes")
	require.Less(t, time.Since(start), time.Minute)
}

type endless struct{}

func (endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'x'
	}
	return len(p), nil
}
