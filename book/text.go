package book

import (
	"bytes"
	"strings"
	"unicode/utf8"
)

// Limits on what the text of a source may hold. Each is far beyond any
// real book and keeps the cost of a hostile one bounded: a title is set
// on title pages, running heads, contents and outlines, each of which
// measures it.
const (
	// maxTitleLen bounds, in characters, the title of a book, part or
	// chapter, a heading, an author's name and the label of an index entry.
	maxTitleLen = 1000
	// maxTextLen bounds, in characters, a book's description or rights.
	maxTextLen = 100_000
	// maxTableColumns and maxTableRows bound a table: a page cannot
	// show more columns legibly, and more rows are a data file.
	maxTableColumns = 100
	maxTableRows    = 10_000
)

// xmlChar reports whether XML 1.0 allows the character r in a document:
// no C0 control but tab, line feed and carriage return, no surrogate, and
// neither U+FFFE nor U+FFFF.
func xmlChar(r rune) bool {
	switch {
	case r == '\t' || r == '\n' || r == '\r':
		return true
	case r < 0x20:
		return false
	case r >= 0xD800 && r <= 0xDFFF, r == 0xFFFE || r == 0xFFFF:
		return false
	}
	return r <= utf8.MaxRune
}

// xmlText returns s with every character XML forbids dropped, and invalid
// UTF-8 replaced by U+FFFD: what escapes such as YAML's "\x01" or
// markdown's &#1; decode to must not reach an output, where it would make
// a document ill-formed.
func xmlText(s string) string {
	ok := utf8.ValidString(s)
	if ok {
		for _, r := range s {
			if !xmlChar(r) {
				ok = false
				break
			}
		}
	}
	if ok {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if xmlChar(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// cleanControls replaces, in place, the characters of a source that are
// not text in any output with ones of the same length: C0 controls other
// than tab, line feed and carriage return by a space, and
// U+FFFE and U+FFFF by U+FFFD. It returns the line and character of the
// first, and how many there were.
func cleanControls(data []byte) (line int, first rune, n int) {
	for i := 0; i < len(data); i++ {
		c := data[i]
		if !controlStart[c] {
			continue
		}
		r := rune(c)
		if c == 0xEF {
			if i+2 >= len(data) || data[i+1] != 0xBF || data[i+2] != 0xBE && data[i+2] != 0xBF {
				continue
			}
			r = 0xFFFE + rune(data[i+2]-0xBE)
			data[i+2] = 0xBD
		} else {
			data[i] = ' '
		}
		if n == 0 {
			line, first = 1+bytes.Count(data[:i], []byte{'\n'}), r
		}
		n++
		if c == 0xEF {
			i += 2
		}
	}
	return line, first, n
}

// controlStart holds the bytes cleanControls looks at: the C0 controls it
// replaces, and 0xEF, with which U+FFFE and U+FFFF start. A look-up per
// byte is four times as fast as comparing each with all of them.
var controlStart = func() (t [256]bool) {
	for c := range 0x20 {
		t[c] = c != '\t' && c != '\n' && c != '\r'
	}
	t[0xEF] = true
	return t
}()
