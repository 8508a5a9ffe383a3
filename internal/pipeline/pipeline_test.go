package pipeline

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"strconv"
	"sync/atomic"
	"testing"
	"time"
)

func counter(n int) func() (int, error) {
	i := 0
	return func() (int, error) {
		if i == n {
			return 0, io.EOF
		}
		i++
		return i, nil
	}
}

// Output comes in input order whatever the workers' timing.
func TestRunKeepsOrder(t *testing.T) {
	for _, n := range []int{0, 1, 7, 1000, 10007} {
		var buf bytes.Buffer
		err := Run(context.Background(), counter(n), func(b []int, out []byte) ([]byte, error) {
			if rand.IntN(4) == 0 {
				time.Sleep(time.Duration(rand.IntN(200)) * time.Microsecond)
			}
			for _, x := range b {
				out = strconv.AppendInt(out, int64(x), 10)
				out = append(out, '\n')
			}
			return out, nil
		}, &buf, &Options{Workers: 5, Batch: 13})
		if err != nil {
			t.Fatal(err)
		}
		var want bytes.Buffer
		for i := 1; i <= n; i++ {
			fmt.Fprintln(&want, i)
		}
		if buf.String() != want.String() {
			t.Fatalf("n=%d: output out of order or incomplete (%d bytes, want %d)", n, buf.Len(), want.Len())
		}
	}
}

// At most 2*workers batches are held at once, however long the stream.
func TestRunBoundsBatchesInFlight(t *testing.T) {
	var live, most atomic.Int64
	read := counter(100000)
	next := func() (int, error) {
		x, err := read()
		if err == nil && x%10 == 1 { // first item of a batch of 10
			if l := live.Add(1); l > most.Load() {
				most.Store(l)
			}
		}
		return x, err
	}
	err := Run(context.Background(), next, func(b []int, out []byte) ([]byte, error) {
		return append(out, byte('0'+len(b)%10)), nil
	}, writerFunc(func(p []byte) (int, error) { live.Add(-1); return len(p), nil }), &Options{Workers: 3, Batch: 10})
	if err != nil {
		t.Fatal(err)
	}
	// 2*3 queued for the writer, the one being written, the one being filled.
	if m := most.Load(); m > 8 {
		t.Errorf("%d batches alive at once, want at most 8", m)
	}
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

func TestRunStopsOnErrors(t *testing.T) {
	boom := errors.New("boom")
	work := func(b []int, out []byte) ([]byte, error) { return append(out, 'x'), nil }
	// From the reader: the rows read before it are worked and written.
	i := 0
	next := func() (int, error) {
		if i++; i == 35 {
			return 0, boom
		}
		return i, nil
	}
	var buf bytes.Buffer
	if err := Run(context.Background(), next, work, &buf, &Options{Workers: 2, Batch: 10}); !errors.Is(err, boom) {
		t.Errorf("reader error: got %v", err)
	}
	if buf.String() != "xxxx" {
		t.Errorf("wrote %q before the reader's error, want three full batches and the partial one", buf.String())
	}
	// From a worker.
	err := Run(context.Background(), counter(1000), func(b []int, out []byte) ([]byte, error) {
		if b[0] > 500 {
			return out, boom
		}
		return out, nil
	}, io.Discard, &Options{Workers: 4, Batch: 10})
	if !errors.Is(err, boom) {
		t.Errorf("worker error: got %v", err)
	}
	// From the writer.
	err = Run(context.Background(), counter(1000), work, writerFunc(func([]byte) (int, error) { return 0, boom }), nil)
	if !errors.Is(err, boom) {
		t.Errorf("writer error: got %v", err)
	}
	// Cancellation: an endless stream stops.
	ctx, cancel := context.WithCancel(context.Background())
	n := 0
	endless := func() (int, error) {
		if n++; n == 5000 {
			cancel()
		}
		return n, nil
	}
	if err := Run(ctx, endless, work, io.Discard, &Options{Workers: 2, Batch: 100}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: got %v", err)
	}
}

// RunBatches reuses the caller's batches: the batch buffers are allocated
// a bounded number of times however long the stream, the output stays in
// order, and write sees what work left in each batch.
func TestRunBatchesReusesBatches(t *testing.T) {
	type batch struct {
		nums  []int
		sum   int
		fresh bool
	}
	var made atomic.Int64
	i, n := 0, 100000
	fill := func(b *batch) (int, error) {
		if cap(b.nums) == 0 {
			made.Add(1)
			b.nums = make([]int, 0, 64)
		}
		b.nums = b.nums[:0]
		for len(b.nums) < 64 {
			if i == n {
				return len(b.nums), io.EOF
			}
			i++
			b.nums = append(b.nums, i)
		}
		return len(b.nums), nil
	}
	work := func(b *batch, out []byte) ([]byte, error) {
		if rand.IntN(8) == 0 {
			time.Sleep(time.Duration(rand.IntN(100)) * time.Microsecond)
		}
		b.sum = 0
		for _, x := range b.nums {
			b.sum += x
			out = strconv.AppendInt(out, int64(x), 10)
			out = append(out, '\n')
		}
		return out, nil
	}
	var buf bytes.Buffer
	total := 0
	write := func(b *batch, out []byte) error {
		total += b.sum
		_, err := buf.Write(out)
		return err
	}
	if err := RunBatches(context.Background(), fill, work, write, &Options{Workers: 3}); err != nil {
		t.Fatal(err)
	}
	var want bytes.Buffer
	for k := 1; k <= n; k++ {
		fmt.Fprintln(&want, k)
	}
	if buf.String() != want.String() {
		t.Fatal("output out of order or incomplete")
	}
	if total != n*(n+1)/2 {
		t.Errorf("write saw sums adding to %d, want %d", total, n*(n+1)/2)
	}
	// 1563 batches went through; at most 2*3+2 exist at once, and each
	// was made once.
	if m := made.Load(); m > 8 {
		t.Errorf("%d batches allocated for 1563 filled", m)
	}
}
