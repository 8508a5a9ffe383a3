package decision_test

import (
	"go/doc"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestExamplesCheckOutput: every Example function of the package has an
// "// Output:" comment that go test finds (it must open the function's last
// comment group), so that each one runs and its output is checked.
func TestExamplesCheckOutput(t *testing.T) {
	names, err := filepath.Glob("*_test.go")
	require.NoError(t, err)
	fset := token.NewFileSet()
	count := 0
	for _, name := range names {
		src, err := os.ReadFile(name)
		require.NoError(t, err)
		f, err := parser.ParseFile(fset, name, src, parser.ParseComments)
		require.NoError(t, err)
		found := map[string]bool{}
		for _, ex := range doc.Examples(f) {
			found["Example"+ex.Name] = true
			require.True(t, ex.Output != "" || ex.EmptyOutput, "%s: Example%s checks no output", name, ex.Name)
			count++
		}
		// Every Example function is one doc.Examples saw.
		for _, line := range strings.Split(string(src), "\n") {
			if rest, ok := strings.CutPrefix(line, "func Example"); ok {
				fname := "Example" + rest[:strings.Index(rest, "(")]
				require.True(t, found[fname], "%s: %s has no checked output", name, fname)
			}
		}
	}
	require.GreaterOrEqual(t, count, 8)
}
