package epub

import (
	"fmt"
	"strings"

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

// codeLine is one line of a code block: its tokens, without the newline.
type codeLine []chroma.Token

// splitLines cuts tokens into lines at their newlines.
func splitLines(toks []chroma.Token) []codeLine {
	lines := []codeLine{nil}
	for _, t := range toks {
		for {
			i := strings.IndexByte(t.Value, '\n')
			if i < 0 {
				break
			}
			if i > 0 {
				lines[len(lines)-1] = append(lines[len(lines)-1], chroma.Token{Type: t.Type, Value: t.Value[:i]})
			}
			lines = append(lines, nil)
			t.Value = t.Value[i+1:]
		}
		if t.Value != "" {
			lines[len(lines)-1] = append(lines[len(lines)-1], t)
		}
	}
	if len(lines) > 1 && len(lines[len(lines)-1]) == 0 {
		lines = lines[:len(lines)-1] // the final newline
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
	for _, line := range splitLines(toks) {
		fmt.Fprintf(w, `<span class="cl h%d">`, min(line.indent(), maxHang))
		for i, t := range line {
			next := ""
			if i+1 < len(line) {
				next = line[i+1].Value
			}
			v := codeText(t.Value, next)
			cls := chroma.StandardTypes[t.Type]
			if cls == "" {
				cls = chroma.StandardTypes[t.Type.Category()]
			}
			if cls == "" || t.Type == chroma.Text || t.Type == chroma.TextWhitespace {
				w.WriteString(v)
				continue
			}
			fmt.Fprintf(w, `<span class="%s">%s</span>`, cls, v)
		}
		w.WriteString("\n</span>")
	}
}

// codeText escapes a token's text and adds a <wbr /> after each separator
// that a character other than a space follows; next is the text of the
// token after it on the line.
func codeText(s, next string) string {
	var b strings.Builder
	rs := []rune(s)
	for i, r := range rs {
		b.WriteString(esc(string(r)))
		if !strings.ContainsRune(breakAfter, r) {
			continue
		}
		var after rune
		switch {
		case i+1 < len(rs):
			after = rs[i+1]
		case next != "":
			after = []rune(next)[0]
		}
		if after != 0 && after != ' ' && after != '\t' && !strings.ContainsRune(breakAfter+noBreakBefore, after) {
			b.WriteString("<wbr />")
		}
	}
	return b.String()
}
