package par

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// Ordered calls work(i) for every i in [0, n) on as many goroutines as the
// program may run at once, and use(i), on the calling goroutine and in
// order of i, as soon as work(i) has returned. Work starts in order of i
// and runs at most window calls ahead of use (at least one per goroutine),
// so what work makes for use is held for a window of i, never for all n.
// When use returns false, no more work starts, and Ordered returns once
// the calls under way have.
func Ordered(n, window int, work func(i int), use func(i int) bool) {
	if n <= 0 {
		return
	}
	workers := min(runtime.GOMAXPROCS(0), n)
	// A slot is taken before an index, so the slots held are those of
	// the indices from the next to use on: the one use waits for is
	// always being worked on.
	slots := make(chan struct{}, max(window, workers))
	quit := make(chan struct{})
	done := make([]chan struct{}, n)
	for i := range done {
		done[i] = make(chan struct{})
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	wg.Add(workers)
	for range workers {
		go func() {
			defer wg.Done()
			for {
				select {
				case slots <- struct{}{}:
				case <-quit:
					return
				}
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				select {
				case <-quit:
					return
				default:
				}
				work(i)
				close(done[i])
			}
		}()
	}
	for i := range n {
		<-done[i]
		ok := use(i)
		<-slots
		if !ok {
			break
		}
	}
	close(quit)
	wg.Wait()
}
