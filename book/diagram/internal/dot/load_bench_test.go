package dot

import (
	"context"
	"testing"
)

// BenchmarkLoad measures what the first layout of a run waits for when
// Preload has not run: compiling the module (from the cache, after the
// first run) and instantiating it.
func BenchmarkLoad(b *testing.B) {
	for b.Loop() {
		e := &engine{}
		if _, err := e.take(); err != nil {
			b.Fatal(err)
		}
		_ = e.rt.Close(context.Background())
	}
}
