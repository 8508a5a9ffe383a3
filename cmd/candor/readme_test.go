package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// The README's snippets are part of the documentation contract: every
// ```sh block runs as written, and every ```go block is a verbatim excerpt
// of an Example function (so it compiles and its output is checked by
// go test). ```text blocks are synopses and output listings, not run.

type snippet struct {
	lang, body string
	line       int
}

func readmeSnippets(t *testing.T) []snippet {
	t.Helper()
	b, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	var out []snippet
	lines := strings.Split(string(b), "\n")
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		if !strings.HasPrefix(l, "```") || len(l) == 3 {
			continue
		}
		lang, start := strings.TrimPrefix(l, "```"), i+1
		var body []string
		for i++; i < len(lines) && lines[i] != "```"; i++ {
			body = append(body, lines[i])
		}
		out = append(out, snippet{lang: lang, body: strings.Join(body, "\n"), line: start})
	}
	return out
}

// normalise drops blank lines and leading/trailing space, so that an
// excerpt matches an Example whatever its indentation.
func normalise(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

var exampleFunc = regexp.MustCompile(`(?m)^func Example\w*\(\) \{\n((?:.*\n)*?)\}\n`)

func exampleBodies(t *testing.T) [][]string {
	t.Helper()
	var bodies [][]string
	err := filepath.WalkDir("../..", func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if !strings.HasSuffix(path, "_test.go") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range exampleFunc.FindAllStringSubmatch(string(b), -1) {
			bodies = append(bodies, normalise(m[1]))
		}
		return nil
	})
	require.NoError(t, err)
	return bodies
}

func containsRun(hay, needle []string) bool {
	for i := 0; i+len(needle) <= len(hay); i++ {
		ok := true
		for k := range needle {
			if hay[i+k] != needle[k] {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

func TestReadmeGoSnippetsAreExamples(t *testing.T) {
	bodies := exampleBodies(t)
	n := 0
	for _, s := range readmeSnippets(t) {
		if s.lang != "go" {
			continue
		}
		n++
		want := normalise(s.body)
		found := false
		for _, b := range bodies {
			if containsRun(b, want) {
				found = true
				break
			}
		}
		require.True(t, found, "README.md line %d: this go snippet is not an excerpt of any Example function:\n%s", s.line, s.body)
	}
	require.Greater(t, n, 3, "README has go snippets")
}

// TestReadmeShellSnippets runs every ```sh block of the README in order, in
// one scratch directory holding a link to the repository's examples/ (for
// the embedded data files) and a freshly built candor on PATH. Lines that
// start with "go " (the newcomer's go run / go test / go build commands) are
// not run here: CI runs them itself.
func TestReadmeShellSnippets(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the README's commands")
	}
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("no bash")
	}
	root, err := filepath.Abs("../..")
	require.NoError(t, err)
	dir := t.TempDir()
	bin := filepath.Join(dir, "bin")
	require.NoError(t, os.Mkdir(bin, 0o755))
	build := exec.Command("go", "build", "-o", filepath.Join(bin, "candor"), ".")
	build.Stderr = os.Stderr
	require.NoError(t, build.Run())
	work := filepath.Join(dir, "work")
	require.NoError(t, os.Mkdir(work, 0o755))
	require.NoError(t, os.Symlink(filepath.Join(root, "examples"), filepath.Join(work, "examples")))
	ran := 0
	for _, s := range readmeSnippets(t) {
		if s.lang != "sh" {
			continue
		}
		ran++
		var script []string
		for _, l := range strings.Split(s.body, "\n") {
			if strings.HasPrefix(strings.TrimSpace(l), "go ") {
				continue
			}
			script = append(script, l)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		cmd := exec.CommandContext(ctx, "bash", "-euo", "pipefail", "-c", strings.Join(script, "\n"))
		cmd.Dir = work
		cmd.Env = append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"))
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		err := cmd.Run()
		cancel()
		require.NoError(t, err, "README.md line %d:\n%s\n--- output:\n%s", s.line, s.body, out.String())
	}
	require.GreaterOrEqual(t, ran, 8, "README sh blocks run")
}
