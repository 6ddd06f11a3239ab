package epub

import (
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/alecthomas/chroma/v2"
	"github.com/yuin/goldmark/util"
)

// Code is set a line at a time, each line a block of its own in the <pre>,
// so that on a narrow screen a line too long for it wraps the way the PDF
// wraps it: the rest goes on under a hanging indent, past the line's own
// indentation, after a continuation mark that the stylesheet draws; breaks
// fall at spaces, then after separators (<wbr />), and inside a token only
// when the token alone is wider than the screen. Without the stylesheet the
// lines are the source's lines.

// maxHang is the deepest indentation, in characters, that continuations
// follow; deeper lines hang at this depth, as the PDF's do at a third of the
// line.
const maxHang = 16

// breakAfter are the characters after which a code line may wrap, the
// PDF's separators, unless a space or closing punctuation (noBreakBefore)
// follows.
const (
	breakAfter    = ",;([{/|>"
	noBreakBefore = ",;)]}>.:"
)

// codeChar marks the ASCII characters writeCodeText does more with than
// write them: those it escapes and those a line may wrap after.
var codeChar = func() (t [utf8.RuneSelf]bool) {
	for _, c := range "<>&'\"" + breakAfter {
		t[c] = true
	}
	return t
}()

// codeLine is one line of a code block: its tokens, without the newline.
type codeLine []chroma.Token

// splitLines cuts tokens into lines at their newlines. The lines share
// one array: a block is split once per output, and a slice for each line
// was most of what writing code allocated.
func splitLines(toks []chroma.Token) []codeLine {
	flat := make([]chroma.Token, 0, len(toks)+len(toks)/4)
	ends := make([]int, 0, len(toks)/4+1) // where each line ends in flat
	for _, t := range toks {
		for {
			i := strings.IndexByte(t.Value, '\n')
			if i < 0 {
				break
			}
			if i > 0 {
				flat = append(flat, chroma.Token{Type: t.Type, Value: t.Value[:i]})
			}
			ends = append(ends, len(flat))
			t.Value = t.Value[i+1:]
		}
		if t.Value != "" {
			flat = append(flat, t)
		}
	}
	if len(ends) == 0 || ends[len(ends)-1] < len(flat) {
		ends = append(ends, len(flat)) // a last line without its newline
	}
	lines := make([]codeLine, len(ends))
	start := 0
	for i, end := range ends {
		lines[i] = codeLine(flat[start:end:end])
		start = end
	}
	return lines
}

// indent returns the width of a line's leading white space, in characters
// (a tab to the next multiple of four).
func (l codeLine) indent() int {
	n := 0
	for _, t := range l {
		for _, r := range t.Value {
			switch r {
			case ' ':
				n++
			case '\t':
				n += 4 - n%4
			default:
				return n
			}
		}
	}
	return n
}

// writeLines writes highlighted tokens as lines, each a span of class "cl"
// and "hN", N its hanging indent; tokens are spans with chroma's short class
// names.
func writeLines(w util.BufWriter, toks []chroma.Token) {
	var num [8]byte
	for _, line := range splitLines(toks) {
		w.WriteString(`<span class="cl h`)
		w.Write(strconv.AppendInt(num[:0], int64(min(line.indent(), maxHang)), 10))
		w.WriteString(`">`)
		for i, t := range line {
			next := ""
			if i+1 < len(line) {
				next = line[i+1].Value
			}
			cls := tokenClass(t.Type)
			if cls == "" || t.Type == chroma.Text || t.Type == chroma.TextWhitespace {
				writeCodeText(w, t.Value, next)
				continue
			}
			w.WriteString(`<span class="`)
			w.WriteString(cls)
			w.WriteString(`">`)
			writeCodeText(w, t.Value, next)
			w.WriteString("</span>")
		}
		w.WriteString("\n</span>")
	}
}

// tokenClass returns the short class name of a token type, or of its
// category, or "" for a type chroma names neither.
func tokenClass(t chroma.TokenType) string {
	if cls, i := tokenClasses(), int(t)-minTokenType; i >= 0 && i < len(cls) {
		return cls[i]
	}
	if cls := chroma.StandardTypes[t]; cls != "" {
		return cls
	}
	return chroma.StandardTypes[t.Category()]
}

// minTokenType is the least token type tokenClasses holds: chroma's
// types are below 10,000, its special ones (Background, ...) negative.
const minTokenType = -64

// tokenClasses holds tokenClass for each type from minTokenType up to
// 10,000: looked up for every token, a map was a fifth of writing code.
var tokenClasses = sync.OnceValue(func() []string {
	cls := make([]string, 10000-minTokenType)
	for i := range cls {
		t := chroma.TokenType(i + minTokenType)
		if cls[i] = chroma.StandardTypes[t]; cls[i] == "" {
			cls[i] = chroma.StandardTypes[t.Category()]
		}
	}
	return cls
})

// writeCodeText writes a token's text escaped, with a <wbr /> after each
// separator that a character other than a space follows; next is the text
// of the token after it on the line.
func writeCodeText(w util.BufWriter, s, next string) {
	for len(s) > 0 {
		// A run of characters written as they are goes out whole:
		// most of a block's text.
		n := 0
		for n < len(s) && s[n] < utf8.RuneSelf && !codeChar[s[n]] {
			n++
		}
		if n > 0 {
			w.WriteString(s[:n])
			s = s[n:]
			continue
		}
		r, size := utf8.DecodeRuneInString(s)
		s = s[size:]
		switch r {
		case '<':
			w.WriteString("&lt;")
		case '>':
			w.WriteString("&gt;")
		case '&':
			w.WriteString("&amp;")
		case '\'':
			w.WriteString("&#39;")
		case '"':
			w.WriteString("&#34;")
		default:
			w.WriteRune(r)
		}
		if !strings.ContainsRune(breakAfter, r) {
			continue
		}
		var after rune
		if s != "" {
			after, _ = utf8.DecodeRuneInString(s)
		} else if next != "" {
			after, _ = utf8.DecodeRuneInString(next)
		}
		if after != 0 && after != ' ' && after != '\t' && !strings.ContainsRune(breakAfter+noBreakBefore, after) {
			w.WriteString("<wbr />")
		}
	}
}
