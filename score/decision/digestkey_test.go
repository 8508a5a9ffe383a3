package decision_test

import (
	"bytes"
	"crypto/ed25519"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/candorscore/candor/examples/datasets"
	"github.com/candorscore/candor/score"
	"github.com/candorscore/candor/score/decision"
)

func TestDigestKeyFiles(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "digest.key")

	// Random bytes are injected: 32 bytes 0x00, 0x01, ..., 0x1f.
	seq := make([]byte, 40)
	for i := range seq {
		seq[i] = byte(i)
	}
	key, err := decision.CreateDigestKeyFile(path, bytes.NewReader(seq))
	require.NoError(t, err)
	require.Equal(t, seq[:decision.NewDigestKeyLen], key)
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	require.Equal(t, hex.EncodeToString(seq[:32])+"\n", string(b))
	info, err := os.Stat(path)
	require.NoError(t, err)
	if runtime.GOOS != "windows" {
		require.Equal(t, fs.FileMode(0o600), info.Mode().Perm())
	}

	_, err = decision.CreateDigestKeyFile(path, nil)
	require.ErrorIs(t, err, fs.ErrExist, "never overwritten")
	got, err := decision.ReadDigestKeyFile(path)
	require.NoError(t, err)
	require.Equal(t, key, got)
	// A short random source creates nothing.
	_, err = decision.CreateDigestKeyFile(filepath.Join(dir, "short-random.key"), bytes.NewReader(seq[:5]))
	require.Error(t, err)
	_, err = os.Stat(filepath.Join(dir, "short-random.key"))
	require.ErrorIs(t, err, fs.ErrNotExist)
	// crypto/rand by default: a different key each time.
	k1, err := decision.CreateDigestKeyFile(filepath.Join(dir, "r1.key"), nil)
	require.NoError(t, err)
	k2, err := decision.CreateDigestKeyFile(filepath.Join(dir, "r2.key"), nil)
	require.NoError(t, err)
	require.Len(t, k1, 32)
	require.NotEqual(t, k1, k2)

	write := func(name, text string, mode fs.FileMode) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, []byte(text), mode))
		require.NoError(t, os.Chmod(p, mode)) // not narrowed by the umask
		return p
	}
	// Surrounding space is ignored.
	got, err = decision.ReadDigestKeyFile(write("spaced.key", "  "+strings.Repeat("ab", 16)+"\r\n\n", 0o600))
	require.NoError(t, err)
	require.Equal(t, bytes.Repeat([]byte{0xab}, 16), got)
	_, err = decision.ReadDigestKeyFile(write("short.key", "abcd\n", 0o600))
	require.ErrorIs(t, err, decision.ErrDigestKey)
	require.Contains(t, err.Error(), "short.key")
	_, err = decision.ReadDigestKeyFile(write("nothex.key", "not a hex key, not at all\n", 0o600))
	require.ErrorIs(t, err, score.ErrMalformed)
	require.NotContains(t, err.Error(), "not at all", "the key's text is not repeated")
	_, err = decision.ReadDigestKeyFile(filepath.Join(dir, "absent.key"))
	require.ErrorIs(t, err, fs.ErrNotExist)
	if runtime.GOOS != "windows" {
		for _, mode := range []fs.FileMode{0o644, 0o640, 0o604, 0o620} {
			p := write(fmt.Sprintf("open-%o.key", mode), strings.Repeat("ab", 16), mode)
			_, err = decision.ReadDigestKeyFile(p)
			require.ErrorIs(t, err, decision.ErrDigestKeyFile, "mode %o", mode)
		}
		_, err = decision.ReadDigestKeyFile(write("owner-only.key", strings.Repeat("ab", 16), 0o400))
		require.NoError(t, err)
	}
}

func TestCheckHead(t *testing.T) {
	text := writeLog(t)
	entries, sum, err := decision.ReadLog(bytes.NewReader(text), testVerify)
	require.NoError(t, err)
	require.Len(t, entries, 5)
	kept := decision.LogHead{Seq: 3, Hash: entries[2].Hash}

	// The head's text form round-trips.
	require.Equal(t, "3:"+entries[2].Hash, kept.String())
	back, err := decision.ParseLogHead(kept.String())
	require.NoError(t, err)
	require.Equal(t, kept, back)
	for _, bad := range []string{"", "ten", "3", "3:", "0:sha256:ab", "-1:sha256:ab", "x:sha256:ab"} {
		_, err := decision.ParseLogHead(bad)
		require.ErrorIs(t, err, score.ErrMalformed, "%q", bad)
	}

	require.NoError(t, decision.CheckHead(entries, kept), "the log grew after the head was kept")
	require.NoError(t, decision.CheckHead(entries, sum.Head))
	require.NoError(t, decision.CheckHead(entries, decision.LogHead{}))
	require.NoError(t, decision.CheckHead(nil, decision.LogHead{}))

	// Records cut off the end: a valid chain that ends before the head.
	err = decision.CheckHead(entries[:2], kept)
	require.ErrorIs(t, err, decision.ErrLogBroken)
	var he *decision.HeadError
	require.ErrorAs(t, err, &he)
	require.True(t, he.Cut)
	require.Equal(t, kept, he.Kept)
	require.Equal(t, decision.LogHead{Seq: 2, Hash: entries[1].Hash}, he.End)
	require.Contains(t, err.Error(), "records after 2 were cut off")
	err = decision.CheckHead(nil, kept)
	require.ErrorAs(t, err, &he)
	require.True(t, he.Cut)
	require.Equal(t, decision.LogHead{}, he.End)

	// A rewritten log: record 3 has another hash.
	err = decision.CheckHead(entries, decision.LogHead{Seq: 3, Hash: entries[3].Hash})
	require.ErrorIs(t, err, decision.ErrLogBroken)
	require.ErrorAs(t, err, &he)
	require.False(t, he.Cut)
	require.Contains(t, err.Error(), "record 3 does not match the kept head (the log was rewritten)")
}

func ExampleCheckHead() {
	m := datasets.MustModel(datasets.ConsentSample)
	dc, err := decision.NewDecider(m, &decision.Policy{Version: "p1", Purpose: "credit"}, nil)
	if err != nil {
		panic(err)
	}
	pub, writer, _ := ed25519.GenerateKey(nil)
	var buf bytes.Buffer
	l, _ := decision.NewLog(&buf, decision.LogOptions{SigningKey: writer, DigestKey: []byte("deployment-secret-key-0001")})
	for i := range 3 {
		rec := score.Record{score.Num(float64(2 + 3*i)), score.Cat("a"), score.Num(1), score.Missing()}
		d, _ := dc.Decide(rec, nil)
		_, _ = l.AppendDecision(decision.Input{Time: time.Date(2026, 11, 29, 10, i, 0, 0, time.UTC), Model: m, Record: rec, Decision: &d})
	}
	// The head is kept elsewhere (a ticket, a signed report) as text.
	kept, err := decision.ParseLogHead(l.Head().String())
	if err != nil {
		panic(err)
	}
	// Someone cuts the last record and its checkpoint off: what is left
	// verifies (the header, its checkpoint, two records and theirs).
	lines := strings.SplitAfter(buf.String(), "\n")
	cut := strings.Join(lines[:6], "")
	entries, sum, err := decision.ReadLog(strings.NewReader(cut), decision.VerifyOptions{PublicKey: pub})
	fmt.Println(sum.Records, err)
	fmt.Println(decision.CheckHead(entries, kept))
	// Output:
	// 2 <nil>
	// decision log is broken: records after 2 were cut off: the log ends at record 2, the kept head is record 3
}

func ExampleCreateDigestKeyFile() {
	dir, err := os.MkdirTemp("", "candor-example")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	// Somewhere apart from the log: another volume, a secret store's mount.
	path := filepath.Join(dir, "digest.key")
	// Random bytes from crypto/rand when nil; fixed here so that the output
	// is the same every time.
	key, err := decision.CreateDigestKeyFile(path, bytes.NewReader(bytes.Repeat([]byte{7}, 32)))
	fmt.Println(len(key), err, decision.DigestKeyID(key))
	// (The key id is SHA-256 of "candor-digest-key-id\x00" and the key, as
	// Python's hashlib gives it.) Later runs read it.
	key, err = decision.ReadDigestKeyFile(path)
	fmt.Println(len(key), err, decision.DigestKeyID(key))
	// A key file is never overwritten, and one other users may read is refused.
	_, err = decision.CreateDigestKeyFile(path, nil)
	fmt.Println(errors.Is(err, fs.ErrExist))
	if err := os.Chmod(path, 0o644); err != nil {
		panic(err)
	}
	_, err = decision.ReadDigestKeyFile(path)
	fmt.Println(errors.Is(err, decision.ErrDigestKeyFile))
	// Output:
	// 32 <nil> 89a1ae1891ead0d0
	// 32 <nil> 89a1ae1891ead0d0
	// true
	// true
}
