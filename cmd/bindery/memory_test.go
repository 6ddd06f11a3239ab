package main

import (
	"math"
	"runtime/debug"
	"testing"
)

// TestLimitMemory: with neither GOGC nor GOMEMLIMIT set, a build collects
// nothing below the soft limit; with GOMEMLIMIT set, which may be off, it
// collects at gcPercent; with GOGC set, its pace is left alone.
func TestLimitMemory(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(math.MaxInt64))
	for _, c := range []struct {
		gogc, gomemlimit string
		percent          int
		limit            int64
	}{
		{"", "", -1, memoryLimit},
		{"", "off", gcPercent, math.MaxInt64},
		{"", "2GiB", gcPercent, math.MaxInt64},
		{"150", "", 100, memoryLimit},
	} {
		t.Setenv("GOGC", c.gogc)
		t.Setenv("GOMEMLIMIT", c.gomemlimit)
		debug.SetGCPercent(100)
		debug.SetMemoryLimit(math.MaxInt64)
		limitMemory()
		// The environment is read when the program starts: limitMemory
		// only decides whether to set them, which this test sees.
		if got := debug.SetGCPercent(100); got != c.percent {
			t.Errorf("GOGC=%q GOMEMLIMIT=%q: GC percent %d, want %d", c.gogc, c.gomemlimit, got, c.percent)
		}
		if got := debug.SetMemoryLimit(-1); got != c.limit {
			t.Errorf("GOGC=%q GOMEMLIMIT=%q: memory limit %d, want %d", c.gogc, c.gomemlimit, got, c.limit)
		}
	}
}
