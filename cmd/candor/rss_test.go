package main

import (
	"bufio"
	"compress/gzip"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestBombsStayUnderOneGB builds the CLI and runs it on inputs of at most
// 64 MB that used to take the process down (a PMML file of <a/>, a small
// .gz holding a 1 GiB cell, a 10 MB cell) and on generated ones, and reads
// each run's peak resident memory from the kernel (getrusage's ru_maxrss):
// every one must end in a clear error or a result, under 1 GB, with a
// bounded error text. -short skips it (it writes about 150 MB of files
// and takes about 35 s).
func TestBombsStayUnderOneGB(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the CLI and writes about 150 MB of inputs")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "candor")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Stderr = os.Stderr
	require.NoError(t, build.Run())
	model, data := germanFixture(t, dir, 50)
	header, err := os.ReadFile(data)
	require.NoError(t, err)
	head := strings.SplitN(string(header), "\n", 2)[0]

	pmmlBomb := writeGen(t, dir, "bomb.pmml", func(w *bufio.Writer) {
		w.WriteString(`<PMML version="4.4">`)
		for range 63 << 20 / 4 {
			w.WriteString("<a/>")
		}
		w.WriteString("</PMML>")
	})
	gzBomb := filepath.Join(dir, "bomb.csv.gz")
	{
		f, err := os.Create(gzBomb)
		require.NoError(t, err)
		zw, _ := gzip.NewWriterLevel(f, gzip.BestCompression)
		fmt.Fprintf(zw, "%s\n", head)
		chunk := []byte(strings.Repeat("x", 1<<20))
		for range 1 << 10 { // a 1 GiB cell
			_, _ = zw.Write(chunk)
		}
		require.NoError(t, zw.Close())
		require.NoError(t, f.Close())
		st, _ := os.Stat(gzBomb)
		require.Less(t, st.Size(), int64(2<<20), "the .gz is small")
	}
	bigCell := writeGen(t, dir, "bigcell.csv", func(w *bufio.Writer) {
		w.WriteString(head + "\n")
		w.WriteString(strings.Repeat("y", 10<<20) + "\n")
	})
	rng := rand.New(rand.NewPCG(1, 2))
	// Generated: a wide file, many short rows, distinct labels, and random
	// quoting and delimiters, each under 64 MB.
	wide := writeGen(t, dir, "wide.csv", func(w *bufio.Writer) {
		for r := range 3000 {
			for c := range 4096 {
				if c > 0 {
					w.WriteByte(',')
				}
				if r == 0 {
					fmt.Fprintf(w, "c%d", c)
				} else {
					w.WriteByte('1')
				}
			}
			w.WriteByte('\n')
		}
	})
	short := writeGen(t, dir, "short.csv", func(w *bufio.Writer) {
		w.WriteString("a,b\n")
		for range 300_000 {
			w.WriteString("1,\n")
		}
	})
	labels := writeGen(t, dir, "labels.csv", func(w *bufio.Writer) {
		w.WriteString("id,y\n")
		for i := range 1 << 20 {
			fmt.Fprintf(w, "k%08x%06d,%d\n", rng.Uint32(), i, i%2)
		}
	})
	noise := writeGen(t, dir, "noise.csv", func(w *bufio.Writer) {
		w.WriteString(head + "\n")
		alphabet := []byte("ab,\"\n\r;| 1.e-")
		for range 3 << 20 {
			w.WriteByte(alphabet[rng.IntN(len(alphabet))])
		}
	})

	const maxRSS = 1 << 30
	for _, c := range []struct {
		name string
		args []string
	}{
		{"PMML of <a/>", []string{"convert", "--model", pmmlBomb, "--to", "json", "--out", filepath.Join(dir, "x.json")}},
		{"gzip of a 1 GiB cell: score", []string{"score", "--model", model, "--data", gzBomb}},
		{"gzip of a 1 GiB cell: fit", []string{"fit", "--data", gzBomb, "--target", "creditability", "--event", "bad"}},
		{"10 MB cell: score", []string{"score", "--model", model, "--data", bigCell}},
		{"10 MB cell: explain", []string{"explain", "--model", model, "--data", bigCell}},
		{"wide: score", []string{"score", "--model", model, "--data", wide}},
		{"short rows: score", []string{"score", "--model", model, "--data", short}},
		{"distinct labels: fit", []string{"fit", "--data", labels, "--target", "y", "--event", "1"}},
		{"noise: score", []string{"score", "--model", model, "--data", noise}},
		{"noise: audit", []string{"audit", "--data", noise, "--label", "creditability", "--favorable", "good", "--model", model, "--group", "personal_status_and_sex"}},
	} {
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		cmd := exec.CommandContext(ctx, bin, c.args...)
		var stderr strings.Builder
		stdout := &limitedBuffer{max: 1 << 20}
		cmd.Stdout, cmd.Stderr = stdout, &stderr
		start := time.Now()
		_ = cmd.Run() // exit status is the command's business; memory is ours
		timedOut := ctx.Err() != nil
		cancel()
		require.False(t, timedOut, "%s took over a minute", c.name)
		ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
		peak := int64(ru.Maxrss) * 1024 // kilobytes on Linux
		t.Logf("%-28s peak RSS %4d MB, %5.1fs, exit %d: %.150s", c.name, peak>>20, time.Since(start).Seconds(), cmd.ProcessState.ExitCode(), firstLine(stderr.String()))
		require.Less(t, peak, int64(maxRSS), c.name)
		require.Less(t, stderr.Len(), 64<<10, "%s: error text is bounded", c.name)
		for _, line := range strings.Split(stdout.String(), "\n") {
			require.Less(t, len(line), 64<<10, "%s: an output line is bounded", c.name)
		}
	}
}

func writeGen(t *testing.T, dir, name string, gen func(*bufio.Writer)) string {
	t.Helper()
	p := filepath.Join(dir, name)
	f, err := os.Create(p)
	require.NoError(t, err)
	w := bufio.NewWriterSize(f, 1<<20)
	gen(w)
	require.NoError(t, w.Flush())
	require.NoError(t, f.Close())
	st, err := os.Stat(p)
	require.NoError(t, err)
	require.LessOrEqual(t, st.Size(), int64(64<<20), name)
	return p
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}

// limitedBuffer keeps the first max bytes written to it.
type limitedBuffer struct {
	strings.Builder
	max int
}

func (b *limitedBuffer) Write(p []byte) (int, error) {
	if room := b.max - b.Len(); room > 0 {
		b.Builder.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}
