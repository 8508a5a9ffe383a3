//go:build unix && !solaris && !illumos && !aix

package decision

import (
	"errors"
	"os"
	"syscall"
)

// fileLocking reports whether OpenLog's lock is enforced on this system.
const fileLocking = true

var errLocked = errors.New("locked")

// lockFile takes an exclusive flock on f without waiting: errLocked when
// another open file (in this process or another) holds it. The lock goes
// with the file's close, or with the process.
func lockFile(f *os.File) (func() error, error) {
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		switch {
		case err == nil:
			return func() error { return syscall.Flock(int(f.Fd()), syscall.LOCK_UN) }, nil
		case errors.Is(err, syscall.EINTR):
			continue
		case errors.Is(err, syscall.EWOULDBLOCK):
			return nil, errLocked
		}
		return nil, err
	}
}
