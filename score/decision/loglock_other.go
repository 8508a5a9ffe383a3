//go:build !unix || solaris || illumos || aix

package decision

import (
	"errors"
	"os"
)

// fileLocking reports whether OpenLog's lock is enforced on this system:
// not here (no flock in the standard library), so keep to one writer per
// log by other means.
const fileLocking = false

var errLocked = errors.New("locked")

func lockFile(*os.File) (func() error, error) { return func() error { return nil }, nil }
