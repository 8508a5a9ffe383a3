package decision

import "io"

// CachedViews exposes the number of consent views a Decider keeps.
func CachedViews(d *Decider) int { return d.cachedViews() }

// WrapLogWriter replaces the writer of a log by wrap of it, to inject
// write failures.
func WrapLogWriter(l *Log, wrap func(w io.Writer) io.Writer) {
	s := l.store.(*fileStore)
	s.w = wrap(s.w)
}

// FileLocking reports whether OpenLog's lock is enforced here.
const FileLocking = fileLocking
