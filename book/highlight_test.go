package book

import (
	"testing"

	"github.com/alecthomas/chroma/v2"
)

// TestHighlightNoErrorTokens checks that code a lexer stumbles on is not
// marked as an error, which both outputs would paint red.
func TestHighlightNoErrorTokens(t *testing.T) {
	for _, c := range []struct{ lang, code string }{
		{"elixir", "def init(_opts), do: {:ok, %__MODULE__{}, {:continue, :load}}\n"},
		{"iex", "iex(1)> %__MODULE__{}\n"},
	} {
		for _, tok := range Highlight(c.lang, c.code) {
			if tok.Type == chroma.Error {
				t.Errorf("%s: %q highlighted as an error", c.lang, tok.Value)
			}
		}
	}
}
