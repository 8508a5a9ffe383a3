package decision

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"runtime"
	"strings"

	"github.com/candorscore/candor/score"
)

// ErrDigestKeyFile: a digest key file that other users may read or write
// (its permissions allow group or others any access).
var ErrDigestKeyFile = errors.New("digest key file is accessible to other users")

// NewDigestKeyLen is the length of the keys CreateDigestKeyFile writes.
const NewDigestKeyLen = 32

// A digest key file holds the key in hex on one line (surrounding space
// ignored), and only its owner may read it (mode 0600): the key protects
// the customers' inputs behind the log's digests. Keep it apart from the
// log (nothing here puts it beside the log): whoever has the log and the
// key can test guesses of a customer's inputs against the digests.

// ReadDigestKeyFile reads a digest key file. On systems with Unix
// permissions a file accessible to group or others is refused
// (ErrDigestKeyFile); a key that is not hex is a score.ErrMalformed error;
// one shorter than MinDigestKeyLen bytes is ErrDigestKey. Errors name the
// file, never the key.
func ReadDigestKeyFile(path string) ([]byte, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	info, err := fh.Stat()
	if err != nil {
		return nil, err
	}
	if err := checkKeyMode(path, info.Mode()); err != nil {
		return nil, err
	}
	b, err := io.ReadAll(io.LimitReader(fh, 1<<16))
	if err != nil {
		return nil, err
	}
	key, err := hex.DecodeString(strings.TrimSpace(string(b)))
	if err != nil {
		return nil, fmt.Errorf("%s: %w: digest key must be hex", path, score.ErrMalformed)
	}
	if len(key) < MinDigestKeyLen {
		return nil, fmt.Errorf("%s: %w (it has %d)", path, ErrDigestKey, len(key))
	}
	return key, nil
}

// checkKeyMode refuses a key file others may access, where the system has
// Unix permissions.
func checkKeyMode(path string, mode fs.FileMode) error {
	if runtime.GOOS == "windows" || runtime.GOOS == "plan9" {
		return nil
	}
	if perm := mode.Perm(); perm&0o077 != 0 {
		return fmt.Errorf("%s: %w (mode %#o; chmod 600 it)", path, ErrDigestKeyFile, perm)
	}
	return nil
}

// CreateDigestKeyFile writes a new key of NewDigestKeyLen bytes from
// random (nil means crypto/rand) to path, in hex, readable by its owner
// only (mode 0600), and returns it. An existing file is never overwritten
// (an fs.ErrExist error).
func CreateDigestKeyFile(path string, random io.Reader) ([]byte, error) {
	if random == nil {
		random = rand.Reader
	}
	key := make([]byte, NewDigestKeyLen)
	if _, err := io.ReadFull(random, key); err != nil {
		return nil, err
	}
	fh, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, err
	}
	if _, err := fmt.Fprintln(fh, hex.EncodeToString(key)); err != nil {
		fh.Close()
		os.Remove(path)
		return nil, err
	}
	if err := fh.Close(); err != nil {
		os.Remove(path)
		return nil, err
	}
	return key, nil
}
