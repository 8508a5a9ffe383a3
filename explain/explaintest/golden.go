package explaintest

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// UpdateEnv names the environment variable that makes Golden rewrite its
// files instead of comparing: CANDOR_UPDATE_GOLDEN=1 go test ./...
const UpdateEnv = "CANDOR_UPDATE_GOLDEN"

// Updating reports whether the environment asks Golden to rewrite golden
// files: UpdateEnv is set to "1" or "true".
func Updating() bool {
	v := os.Getenv(UpdateEnv)
	return v == "1" || v == "true"
}

// GoldenOptions control Golden. The zero value (and nil) compares, unless
// the environment asks for an update (Updating).
type GoldenOptions struct {
	// Update writes got to the golden file instead of comparing. Pass the
	// value of your own -update flag here; this package defines no flags.
	Update bool
}

// Golden compares got with the file testdata/NAME.golden (relative to the
// test's package directory). With opts.Update, or when Updating reports
// true, it writes got to the file instead. On a mismatch it fails the test
// with the first differing line.
func Golden(t testing.TB, name string, got []byte, opts *GoldenOptions) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if (opts != nil && opts.Update) || Updating() {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatalf("explaintest: %v", err)
			return
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatalf("explaintest: %v", err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("explaintest: %v (set %s=1 or pass Update to create it)", err, UpdateEnv)
		return
	}
	if bytes.Equal(got, want) {
		return
	}
	gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := 0; i < len(gl) || i < len(wl); i++ {
		var g, w string
		if i < len(gl) {
			g = gl[i]
		}
		if i < len(wl) {
			w = wl[i]
		}
		if g != w {
			t.Fatalf("explaintest: %s differs at line %d:\n got: %q\nwant: %q\n(set %s=1 or pass Update to accept the new output)", path, i+1, g, w, UpdateEnv)
			return
		}
	}
}
