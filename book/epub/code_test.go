package epub

import (
	"testing"

	"github.com/alecthomas/chroma/v2"
)

// TestTokenClass checks the table of token classes against chroma's map,
// for every type chroma names, their neighbours and types it does not.
func TestTokenClass(t *testing.T) {
	want := func(tt chroma.TokenType) string {
		if cls := chroma.StandardTypes[tt]; cls != "" {
			return cls
		}
		return chroma.StandardTypes[tt.Category()]
	}
	types := []chroma.TokenType{minTokenType - 1, 9999, 10000, 123456, -1000}
	for tt := range chroma.StandardTypes {
		types = append(types, tt, tt+1, tt-1)
	}
	for _, tt := range types {
		if got := tokenClass(tt); got != want(tt) {
			t.Errorf("type %d (%v): class %q, want %q", tt, tt, got, want(tt))
		}
	}
}
