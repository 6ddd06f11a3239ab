package par

import (
	"runtime"
	"sync/atomic"
	"testing"
)

func TestEach(t *testing.T) {
	for _, n := range []int{0, 1, 2, 7, 1000} {
		seen := make([]atomic.Int32, n)
		Each(n, func(i int) { seen[i].Add(1) })
		for i := range seen {
			if got := seen[i].Load(); got != 1 {
				t.Errorf("n=%d: fn(%d) called %d times, want once", n, i, got)
			}
		}
	}
}

func TestOrdered(t *testing.T) {
	for _, n := range []int{0, 1, 2, 7, 1000} {
		for _, window := range []int{1, 3, 64} {
			made := make([]atomic.Int32, n)
			var used int
			var ahead atomic.Int32 // made and not yet used
			var most int32
			Ordered(n, window, func(i int) {
				made[i].Add(1)
				ahead.Add(1)
			}, func(i int) bool {
				if i != used {
					t.Fatalf("n=%d window=%d: use(%d) after %d calls", n, window, i, used)
				}
				if made[i].Load() != 1 {
					t.Fatalf("n=%d window=%d: use(%d) before work(%d)", n, window, i, i)
				}
				most = max(most, ahead.Load())
				ahead.Add(-1)
				used++
				return true
			})
			if used != n {
				t.Errorf("n=%d window=%d: %d calls of use, want %d", n, window, used, n)
			}
			if limit := int32(max(window, runtime.GOMAXPROCS(0))); most > limit {
				t.Errorf("n=%d window=%d: %d made ahead of use, want at most %d", n, window, most, limit)
			}
		}
	}
}

func TestOrderedStops(t *testing.T) {
	var made atomic.Int32
	used := 0
	Ordered(1000, 4, func(int) { made.Add(1) }, func(i int) bool {
		used++
		return i < 9
	})
	if used != 10 {
		t.Errorf("%d calls of use, want 10", used)
	}
	if m := made.Load(); m > 10+int32(max(4, runtime.GOMAXPROCS(0))) {
		t.Errorf("work called %d times after use stopped at 10", m)
	}
}
