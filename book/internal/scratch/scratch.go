// Package scratch keeps what is garbage once used for the next use: slices
// (a chapter's XHTML once copied into its page, a page once compressed, a
// code block's cells once set), which were most of what a long book's
// build allocated and so most of its collections, and values dear to make,
// such as compressors.
package scratch

import "runtime"

// Slices keeps a few slices of T for each core. Its zero value keeps none:
// make one with New.
type Slices[T any] struct {
	free chan []T
}

// New returns a keeper of perCore slices for each core.
func New[T any](perCore int) *Slices[T] {
	return &Slices[T]{free: make(chan []T, perCore*runtime.GOMAXPROCS(0))}
}

// Take returns an empty slice of capacity n at least: one kept, when one
// is that large, else a new one.
func (s *Slices[T]) Take(n int) []T {
	select {
	case b := <-s.free:
		if cap(b) >= n {
			return b[:0]
		}
	default:
	}
	return make([]T, 0, n)
}

// Give keeps b for Take, unless enough are kept; nothing may use b after.
func (s *Slices[T]) Give(b []T) {
	if cap(b) == 0 {
		return
	}
	select {
	case s.free <- b[:0]:
	default:
	}
}

// Values keeps a few values of T for each core, for values dear to make,
// such as compressors (a megabyte each): a sync.Pool would let every
// collection take them.
type Values[T any] struct {
	free chan T
	make func() T
}

// NewValues returns a keeper of perCore values for each core, which makes
// one with mk when it keeps none.
func NewValues[T any](perCore int, mk func() T) *Values[T] {
	return &Values[T]{free: make(chan T, perCore*runtime.GOMAXPROCS(0)), make: mk}
}

// Take returns a value kept, or a new one.
func (v *Values[T]) Take() T {
	select {
	case x := <-v.free:
		return x
	default:
		return v.make()
	}
}

// Give keeps x for Take, unless enough are kept; nothing may use x after.
func (v *Values[T]) Give(x T) {
	select {
	case v.free <- x:
	default:
	}
}
