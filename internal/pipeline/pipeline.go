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
	workers, size := opts.resolved()
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)

	type job struct {
		items []T
		out   []byte
		err   error
		done  chan struct{}
	}
	// inFlight bounds the batches held at once: the reader blocks when
	// 2*workers batches are waiting to be written, so at most 2*workers+2
	// exist (those, the one being written and the one being filled).
	inFlight := make(chan *job, 2*workers)
	jobs := make(chan *job, workers)
	pool := sync.Pool{New: func() any { return &job{} }}

	var readErr error
	go func() { // reader
		defer close(inFlight)
		defer close(jobs)
		for {
			j := pool.Get().(*job)
			j.items, j.out, j.err, j.done = j.items[:0], j.out[:0], nil, make(chan struct{})
			for len(j.items) < size {
				it, err := next()
				if err == io.EOF {
					break
				}
				if err != nil {
					readErr = err // the items read so far are still worked and written
					break
				}
				j.items = append(j.items, it)
			}
			if len(j.items) == 0 || ctx.Err() != nil {
				return
			}
			select {
			case inFlight <- j:
			case <-ctx.Done():
				return
			}
			jobs <- j
			if len(j.items) < size || readErr != nil {
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
					j.out, j.err = work(j.items, j.out)
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
				_, err = w.Write(j.out)
			}
			if err != nil {
				cancel(err)
			}
		}
		pool.Put(j)
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
