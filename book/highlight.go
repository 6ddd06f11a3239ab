package book

import (
	"math"
	"regexp"
	"strings"
	"sync"

	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/lexers"

	"github.com/bindery-books/bindery/book/internal/hlengines"
)

// CodeStyle is the chroma style both outputs highlight code with.
const CodeStyle = "github"

// CodeLanguage returns the language named by a fenced code block's info
// string: its first word, lower case, without braces ("{.go}" and "go {hl=1}").
func CodeLanguage(info string) string {
	f := strings.Fields(strings.Trim(info, "{} "))
	if len(f) == 0 {
		return ""
	}
	// A language is a name ("c++", "objective-c", "f#"), and outputs
	// write it into class names: nothing else is kept of it.
	lang := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || strings.ContainsRune("+#._-", r) {
			return r
		}
		return -1
	}, strings.ToLower(strings.TrimPrefix(f[0], ".")))
	return truncate(lang, 40)
}

var iexPrompt = regexp.MustCompile(`^(?:iex|\.\.\.)(?:\([^)]*\))?> ?`)

// Highlight splits code into tokens with chroma; CodeBlock.Tokens calls it
// for both outputs. It knows iex sessions, which chroma does not: prompts,
// Elixir input, and output lines. Unknown languages come back as one plain
// token per line.
//
// Results are cached by language and code (the most recent, up to
// highlightCache bytes of code), so identical blocks, and the builds of
// one process, highlight once; callers must not modify the tokens.
func Highlight(lang, code string) []chroma.Token {
	return highlightRuns(lang, code).tokens(code)
}

// runs is highlighted code as a book keeps it: each token's type and
// where it ends in the code, 8 bytes a token, the text being the code's
// own; or, should a lexer's tokens not spell the code in order, the
// tokens themselves.
type runs struct {
	ends []tokenEnd
	toks []chroma.Token
}

type tokenEnd struct {
	typ int32 // a chroma.TokenType
	end int32 // byte offset in the code
}

// tokens returns the tokens of code, highlighted as r.
func (r *runs) tokens(code string) []chroma.Token {
	if r.ends == nil {
		return r.toks
	}
	toks := make([]chroma.Token, len(r.ends))
	start := 0
	for i, e := range r.ends {
		toks[i] = chroma.Token{Type: chroma.TokenType(e.typ), Value: code[start:e.end]}
		start = int(e.end)
	}
	return toks
}

// compact returns toks, the tokens of code, as runs.
func compact(code string, toks []chroma.Token) *runs {
	if len(code) > math.MaxInt32 {
		return &runs{toks: toks}
	}
	ends := make([]tokenEnd, 0, len(toks))
	at := 0
	for _, t := range toks {
		if !strings.HasPrefix(code[at:], t.Value) {
			return &runs{toks: toks}
		}
		if t.Value == "" {
			continue
		}
		at += len(t.Value)
		ends = append(ends, tokenEnd{typ: int32(t.Type), end: int32(at)})
	}
	if at != len(code) {
		return &runs{toks: toks}
	}
	return &runs{ends: ends}
}

// highlightCache is how much code the cache of highlighted blocks holds
// before it starts again: a large book is not kept twice.
const highlightCache = 4 << 20

var (
	cacheMu     sync.Mutex
	cached      = map[string]*runs{} // lang NUL code -> runs
	cachedBytes int
)

// highlightRuns highlights code as runs, through the cache.
func highlightRuns(lang, code string) *runs {
	key := lang + "\x00" + code
	cacheMu.Lock()
	r, ok := cached[key]
	cacheMu.Unlock()
	if ok {
		return r
	}
	toks := highlight(lang, code)
	// A lexer that stumbles (chroma's Elixir lexer on %__MODULE__{}) marks
	// the rest of the token as an error, which styles paint red; in a book
	// it is only code the lexer did not follow.
	for i := range toks {
		if toks[i].Type == chroma.Error {
			toks[i].Type = chroma.Text
		}
	}
	r = compact(code, toks)
	if len(key) <= highlightCache/16 {
		cacheMu.Lock()
		if cachedBytes+len(key) > highlightCache {
			clear(cached)
			cachedBytes = 0
		}
		cached[key] = r
		cachedBytes += len(key)
		cacheMu.Unlock()
	}
	return r
}

// highlight returns the tokens of code in lang, with the lexers of
// chroma's registry (which hlengines has made match with compiled engines).
func highlight(lang, code string) []chroma.Token {
	return highlightWith(lexers.GlobalLexerRegistry, lang, code)
}

// highlightWith returns the tokens of code in lang, with the lexers of reg.
func highlightWith(reg *chroma.LexerRegistry, lang, code string) []chroma.Token {
	if lang == "iex" {
		return highlightIEx(reg, code)
	}
	lexer := lookupLexer(reg, lang)
	if lexer == nil {
		return []chroma.Token{{Type: chroma.Text, Value: code}}
	}
	toks, err := hlengines.Tokenise(lexer, code)
	if err != nil {
		return []chroma.Token{{Type: chroma.Text, Value: code}}
	}
	return toks
}

func lookupLexer(reg *chroma.LexerRegistry, lang string) chroma.Lexer {
	switch lang {
	case "", "text", "txt", "plain", "plaintext", "mermaid", "output":
		return nil
	case "console", "shell-session", "terminal":
		lang = "shell-session"
	case "sh", "shell", "zsh":
		lang = "bash"
	case "heex", "eex", "leex":
		lang = "html"
	}
	return reg.Get(lang)
}

func highlightIEx(reg *chroma.LexerRegistry, code string) []chroma.Token {
	elixir := reg.Get("elixir")
	var out []chroma.Token
	for _, line := range strings.SplitAfter(code, "\n") {
		if line == "" {
			continue
		}
		p := iexPrompt.FindString(line)
		if p == "" {
			out = append(out, chroma.Token{Type: chroma.GenericOutput, Value: line})
			continue
		}
		out = append(out, chroma.Token{Type: chroma.GenericPrompt, Value: p})
		if toks, err := hlengines.Tokenise(elixir, line[len(p):]); err == nil {
			out = append(out, toks...)
		}
	}
	return out
}
