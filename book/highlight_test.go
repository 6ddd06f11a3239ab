package book

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/lexers"

	"github.com/bindery-books/bindery/book/internal/hlengines"
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

// TestRunsKeepTokens checks that a block kept as runs gives back the
// lexer's tokens exactly, on every code block of the content book, and
// that runs are what real code is kept as.
func TestRunsKeepTokens(t *testing.T) {
	b, err := Load("../content", Options{})
	if err != nil {
		t.Fatal(err)
	}
	blocks, fallbacks := 0, 0
	for _, ch := range b.Chapters {
		for _, cb := range codeBlocks(ch.Doc) {
			blocks++
			want := highlight(cb.Lang, cb.Code)
			for i := range want {
				if want[i].Type == chroma.Error {
					want[i].Type = chroma.Text
				}
			}
			var got []chroma.Token
			for _, tok := range cb.Tokens() {
				if tok.Value != "" {
					got = append(got, tok)
				}
			}
			var wantNonEmpty []chroma.Token
			for _, tok := range want {
				if tok.Value != "" {
					wantNonEmpty = append(wantNonEmpty, tok)
				}
			}
			if !slices.Equal(got, wantNonEmpty) {
				t.Errorf("%s: %s block: tokens differ from the lexer's", ch.Path, cb.Lang)
			}
			if cb.runs.ends == nil {
				fallbacks++
			}
		}
	}
	if blocks == 0 || fallbacks > 0 {
		t.Errorf("%d of %d blocks kept as tokens rather than runs", fallbacks, blocks)
	}
}

func TestCompactFallsBack(t *testing.T) {
	toks := []chroma.Token{{Type: chroma.Keyword, Value: "def"}, {Type: chroma.Text, Value: " other"}}
	r := compact("def x\n", toks)
	if r.ends != nil || !slices.Equal(r.tokens("def x\n"), toks) {
		t.Errorf("tokens that do not spell the code were not kept as they are: %+v", r)
	}
}

// TestHighlightEngines checks that chroma's lexers, which hlengines makes
// match with generated engines, give the very tokens regexp2's interpreter
// gives, on every code block of the content book and the corpus.
func TestHighlightEngines(t *testing.T) {
	dirs := []string{"../content"}
	// Each section of the corpus is a book: a folder with an _index.md.
	filepath.WalkDir("../../shared/corpus/content", func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return nil
		}
		if _, err := os.Stat(filepath.Join(path, "_index.md")); err == nil {
			dirs = append(dirs, path)
			return filepath.SkipDir
		}
		return nil
	})
	if len(dirs) == 1 {
		t.Log("no corpus at ../shared/corpus: checking the content book only")
	}
	interp := interpretedLexers()
	blocks, compiled := 0, 0
	for _, dir := range dirs {
		b, err := Load(dir, Options{})
		if err != nil {
			t.Fatal(err)
		}
		for _, ch := range b.Chapters {
			for _, cb := range codeBlocks(ch.Doc) {
				blocks++
				if l, ok := lookupLexer(lexers.GlobalLexerRegistry, cb.Lang).(*chroma.RegexLexer); ok && hlengines.Original(l) != l {
					compiled++
				}
				got := highlight(cb.Lang, cb.Code)
				want := highlightWith(interp, cb.Lang, cb.Code)
				if !slices.Equal(got, want) {
					t.Errorf("%s: %s block: tokens differ from the interpreter's", ch.Path, cb.Lang)
				}
			}
		}
	}
	t.Logf("%d blocks, %d of them in a language with engines", blocks, compiled)
	if compiled == 0 {
		t.Error("no block was lexed with engines")
	}
}

// interpretedLexers returns a registry of chroma's regex lexers, new ones
// with the rules of chroma's own, which match with regexp2's interpreter:
// those that lexers they hand code to by name (Using) find too.
func interpretedLexers() *chroma.LexerRegistry {
	reg := chroma.NewLexerRegistry()
	for _, l := range lexers.GlobalLexerRegistry.Lexers {
		if rl, ok := l.(*chroma.RegexLexer); ok {
			orig := hlengines.Original(rl)
			reg.Register(chroma.MustNewLexer(orig.Config(), orig.MustRules))
		}
	}
	return reg
}
