package codestyle

import (
	"testing"

	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/styles"
)

// TestSameAsChroma checks each style against chroma's own of that name,
// entry by entry.
func TestSameAsChroma(t *testing.T) {
	for _, name := range Names {
		got, want := Get(name), styles.Get(name)
		if got == nil {
			t.Fatalf("%s: no style", name)
		}
		if want.Name != name || got.Name != want.Name {
			t.Errorf("%s: named %q, chroma's %q", name, got.Name, want.Name)
		}
		for tt := range chroma.StandardTypes {
			if g, w := got.Get(tt), want.Get(tt); g != w {
				t.Errorf("%s: %v is %v, chroma's %v", name, tt, g, w)
			}
		}
	}
	if Get("monokai") != nil {
		t.Error("a style not copied is found")
	}
}
