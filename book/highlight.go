package book

import (
	"regexp"
	"strings"
	"sync"

	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/lexers"
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
// Results are cached by language and code, so identical blocks, and the
// builds of one process, highlight once; callers must not modify the
// tokens.
func Highlight(lang, code string) []chroma.Token {
	key := lang + "\x00" + code
	if v, ok := highlighted.Load(key); ok {
		return v.([]chroma.Token)
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
	highlighted.Store(key, toks)
	return toks
}

var highlighted sync.Map // lang NUL code -> []chroma.Token

func highlight(lang, code string) []chroma.Token {
	if lang == "iex" {
		return highlightIEx(code)
	}
	lexer := lookupLexer(lang)
	if lexer == nil {
		return []chroma.Token{{Type: chroma.Text, Value: code}}
	}
	it, err := chroma.Coalesce(lexer).Tokenise(nil, code)
	if err != nil {
		return []chroma.Token{{Type: chroma.Text, Value: code}}
	}
	return it.Tokens()
}

func lookupLexer(lang string) chroma.Lexer {
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
	return lexers.Get(lang)
}

func highlightIEx(code string) []chroma.Token {
	elixir := lexers.Get("elixir")
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
		if it, err := chroma.Coalesce(elixir).Tokenise(nil, line[len(p):]); err == nil {
			out = append(out, it.Tokens()...)
		}
	}
	return out
}
