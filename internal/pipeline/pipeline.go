// Package pipeline runs ordered, parallel work over a stream of rows: one
// reader fills batches, workers turn each batch into output bytes, and one
// writer emits the outputs in input order. Memory is bounded by the batch
// size times the number of batches in flight, whatever the length of the
// stream.
package pipeline

import (
	"context"
	"errors"
	"io"
	"runtime"
	"sync"
)

// Options size the pipeline. Zero values mean the defaults.
type Options struct {
	// Workers is the number of parallel workers; 0 means runtime.GOMAXPROCS(0).
	Workers int
	// Batch is the number of items per batch; 0 means 1024.
	Batch int
}

func (o *Options) resolved() (workers, batch int) {
	workers, batch = runtime.GOMAXPROCS(0), 1024
	if o != nil && o.Workers > 0 {
		workers = o.Workers
	}
	if o != nil && o.Batch > 0 {
		batch = o.Batch
	}
	return workers, batch
}

// Run reads items with next until it returns io.EOF, hands them in batches
// to work (called concurrently from several goroutines, each call with its
// own batch and output buffer), and writes each batch's output to w in the
// order the items were read. next is called from one goroutine only; the
// item it returns must not be reused by it afterwards (copy what you keep).
// An error from next other than io.EOF ends the stream: the items read
// before it are still worked and written, then the error is returned. An
// error from work or from w, or ctx's cancellation, stops the run at once;
// it is returned after the goroutines have finished, and batches already
// written stay written. At most 2*Workers+2 batches exist at any time.
func Run[T any](ctx context.Context, next func() (T, error), work func(batch []T, out []byte) ([]byte, error), w io.Writer, opts *Options) error {
	_, size := opts.resolved()
	type items struct{ items []T }
	fill := func(b *items) (int, error) {
		b.items = b.items[:0]
		for len(b.items) < size {
			it, err := next()
			if err != nil {
				return len(b.items), err
			}
			b.items = append(b.items, it)
		}
		return len(b.items), nil
	}
	return RunBatches(ctx, fill, func(b *items, out []byte) ([]byte, error) { return work(b.items, out) },
		func(_ *items, out []byte) error { _, err := w.Write(out); return err }, opts)
}

// RunBatches is Run over batches the caller fills itself, so that a batch
// can hold its items in a few reused buffers rather than one allocation
// per item. B is the batch type; its zero value must be ready to fill, and
// batches are reused, so fill must reset what it reuses.
//
// fill puts up to Options.Batch items into a batch and returns how many;
// it returns io.EOF with the last items (or none), and any other error
// ends the stream after the items it returned. work turns a filled batch
// into output bytes (appended to out, which it may grow) and runs
// concurrently on Workers goroutines. write receives each batch and its
// output in the order the batches were filled, on one goroutine; it
// writes the output wherever it goes and may read what work left in the
// batch (counts, say). Errors and cancellation are as for Run. At most
// 2*Workers+2 batches exist at any time.
func RunBatches[B any](ctx context.Context, fill func(*B) (int, error), work func(b *B, out []byte) ([]byte, error), write func(b *B, out []byte) error, opts *Options) error {
	workers, _ := opts.resolved()
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)

	type job struct {
		batch B
		out   []byte
		err   error
		done  chan struct{}
	}
	// inFlight bounds the batches held at once: the reader blocks when
	// 2*workers batches are waiting to be written, so at most 2*workers+2
	// exist (those, the one being written and the one being filled).
	inFlight := make(chan *job, 2*workers)
	jobs := make(chan *job, workers)
	// free holds the jobs written, for the reader to refill: no more than
	// 2*workers+2 are ever made, whatever the length of the stream.
	free := make(chan *job, 2*workers+2)

	var readErr error
	go func() { // reader
		defer close(inFlight)
		defer close(jobs)
		for {
			var j *job
			select {
			case j = <-free:
			default:
				j = &job{}
			}
			j.out, j.err, j.done = j.out[:0], nil, make(chan struct{})
			n, err := fill(&j.batch)
			last := err != nil
			if err != nil && err != io.EOF {
				readErr = err // the items read so far are still worked and written
			}
			if n == 0 || ctx.Err() != nil {
				return
			}
			select {
			case inFlight <- j:
			case <-ctx.Done():
				return
			}
			jobs <- j
			if last {
				return
			}
		}
	}()
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				if ctx.Err() == nil {
					j.out, j.err = work(&j.batch, j.out)
				}
				close(j.done)
			}
		}()
	}
	var err error
	for j := range inFlight { // writer, in input order
		<-j.done
		if err == nil {
			err = j.err
			if err == nil {
				err = write(&j.batch, j.out)
			}
			if err != nil {
				cancel(err)
			}
		}
		select {
		case free <- j:
		default:
		}
	}
	wg.Wait()
	switch {
	case err != nil:
		return err
	case readErr != nil:
		return readErr
	}
	if cause := context.Cause(ctx); cause != nil && !errors.Is(cause, context.Canceled) {
		return cause
	}
	return ctx.Err()
}
