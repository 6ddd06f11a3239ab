package diagram

import (
	"html"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/bindery-books/bindery/book/font"
)

// run is a piece of a line of text in one style.
type run struct {
	s  string
	st font.Style
}

// textLine is one line of a label: runs set one after another.
type textLine []run

// label is text laid out in lines, measured in the diagram font.
type label struct {
	lines []textLine
	soft  map[int]bool // lines that continue the line before (wrapped)
	size  float64      // points
	w, h  float64      // points: widest line; lines × line height
}

// lineHeight is the distance between baselines, as a multiple of the size
// (mermaid's HTML labels use 1.5).
const lineHeight = 1.5

// newLabel parses a mermaid label (entities, <br/>, a few HTML tags,
// markdown emphasis; a "`markdown string`" also wraps at wrapWidth points
// when wrapWidth > 0) and measures it at size.
func newLabel(s string, size, wrapWidth float64) *label {
	return labelOf(s, size, wrapWidth, false)
}

// wrappedLabel is a label that wraps at width points, markdown string or not.
func wrappedLabel(s string, size, width float64) *label {
	return labelOf(s, size, width, true)
}

func labelOf(s string, size, wrapWidth float64, md bool) *label {
	l := &label{size: size}
	if len(s) >= 2 && s[0] == '`' && s[len(s)-1] == '`' {
		s, md = s[1:len(s)-1], true
	}
	if utf8.RuneCountInString(s) > maxLabelRunes {
		s = string([]rune(s)[:maxLabelRunes]) + "…"
	}
	for _, para := range splitBreaks(s) {
		line := emphasis(cleanText(para))
		if md && wrapWidth > 0 {
			for i, w := range wrapLine(line, size, wrapWidth) {
				if i > 0 {
					if l.soft == nil {
						l.soft = map[int]bool{}
					}
					l.soft[len(l.lines)] = true
				}
				l.lines = append(l.lines, w)
			}
		} else {
			l.lines = append(l.lines, line)
		}
	}
	l.measure()
	return l
}

// plainLabel is a label of one style, lines split at newlines.
func plainLabel(s string, size float64, st font.Style) *label {
	l := &label{size: size}
	for _, p := range strings.Split(s, "\n") {
		p = strings.NewReplacer("\x01", "", "\x02", "").Replace(cleanText(p))
		l.lines = append(l.lines, textLine{{s: strings.TrimSpace(p), st: st}})
	}
	l.measure()
	return l
}

func (l *label) measure() {
	l.w = 0
	for _, ln := range l.lines {
		l.w = max(l.w, lineWidth(ln, l.size))
	}
	l.h = float64(len(l.lines)) * l.size * lineHeight
	if l.empty() {
		l.w, l.h = 0, 0
	}
}

func (l *label) empty() bool {
	for _, ln := range l.lines {
		for _, r := range ln {
			if strings.TrimSpace(r.s) != "" {
				return false
			}
		}
	}
	return true
}

// plain returns the label's text on one line, for alt text.
func (l *label) plain() string {
	if l == nil {
		return ""
	}
	var s strings.Builder
	prev := ""
	for i, ln := range l.lines {
		var b strings.Builder
		for _, r := range ln {
			b.WriteString(r.s)
		}
		t := strings.TrimSpace(b.String())
		if t == "" {
			continue
		}
		// Lines read as a list: "Containers, Applications and data stores";
		// wrapped lines and lines after punctuation just follow on.
		if prev != "" {
			last, _ := utf8.DecodeLastRuneInString(prev)
			first, _ := utf8.DecodeRuneInString(t)
			if l.soft[i] || strings.ContainsRune(".,:;!?-–—([{", last) || strings.ContainsRune("([{", first) {
				s.WriteByte(' ')
			} else {
				s.WriteString(", ")
			}
		}
		s.WriteString(t)
		prev = t
	}
	return s.String()
}

func faceOf(st font.Style) font.Face { return font.Face{Family: font.Sans, Style: st} }

func lineWidth(ln textLine, size float64) float64 {
	w := 0.0
	for _, r := range ln {
		w += font.Width(faceOf(r.st), size, r.s)
	}
	return w
}

var (
	brRE        = lazyRegexp(`(?i)<br\s*/?>`)
	mermaidEnt  = lazyRegexp(`#([A-Za-z][A-Za-z0-9]{1,31}|[0-9]{1,7});`)
	faIconRE    = lazyRegexp(`\bfa[bklrs]?:fa-[a-z0-9-]+\s*`)
	htmlTagRE   = lazyRegexp(`</?([A-Za-z][A-Za-z0-9]*)(\s[^<>]*)?/?>`)
	strippedTag = map[string]bool{
		"b": true, "strong": true, "i": true, "em": true, "u": true, "s": true, "del": true, "ins": true,
		"sub": true, "sup": true, "span": true, "code": true, "small": true, "big": true, "font": true,
		"a": true, "p": true, "div": true, "mark": true, "kbd": true, "tt": true, "center": true,
	}
)

// splitBreaks splits label text into lines at <br> and at the newlines of
// a label quoted over several lines.
func splitBreaks(s string) []string {
	if strings.IndexByte(s, '<') >= 0 {
		s = brRE().ReplaceAllString(s, "\n")
	}
	lines := strings.Split(s, "\n")
	for i := range lines {
		lines[i] = strings.TrimSpace(lines[i])
	}
	// Drop leading and trailing empty lines.
	for len(lines) > 1 && lines[0] == "" {
		lines = lines[1:]
	}
	for len(lines) > 1 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

// cleanText decodes entities, turns the emphasis tags into markdown
// markers, drops other known HTML tags and icons, and keeps runes drawable.
func cleanText(s string) string {
	// Most labels hold none of what is cleaned: skip the expressions then.
	if strings.Contains(s, ":fa-") {
		s = faIconRE().ReplaceAllString(s, "")
	}
	if strings.IndexByte(s, '<') >= 0 {
		s = cleanTags(s)
	}
	if strings.IndexByte(s, '#') >= 0 {
		s = mermaidEnt().ReplaceAllStringFunc(s, func(e string) string {
			name := e[1 : len(e)-1]
			if name[0] >= '0' && name[0] <= '9' {
				return "&#" + name + ";"
			}
			return "&" + name + ";"
		})
	}
	if strings.IndexByte(s, '&') >= 0 {
		s = html.UnescapeString(s)
	}
	s = drawable(s)
	if strings.Contains(s, "  ") {
		s = strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r == ' ' }), " ")
	}
	return s
}

// cleanTags turns the emphasis tags into markers and drops the other
// known tags.
func cleanTags(s string) string {
	return htmlTagRE().ReplaceAllStringFunc(s, func(tag string) string {
		m := htmlTagRE().FindStringSubmatch(tag)
		name := strings.ToLower(m[1])
		if !strippedTag[name] {
			return tag
		}
		switch name {
		case "b", "strong":
			return "\x01"
		case "i", "em":
			return "\x02"
		}
		return ""
	})
}

// emojiMap gives drawable stand-ins for symbols DejaVu Sans lacks.
var emojiMap = map[rune]string{
	'✅': "✔", '☑': "✔", '✔': "✔", '❌': "✘", '❎': "✘", '✖': "✘", '⭐': "★", '🌟': "★",
	'✨': "✦", '❗': "!", '❕': "!", '❓': "?", '❔': "?", '⚠': "⚠", '🔴': "●", '🟢': "●",
	'🟡': "●", '🔵': "●", '🟠': "●", '🟣': "●", '⚫': "●", '⚪': "○", '➕': "+", '➖': "−",
	'👉': "→", '👈': "←", '⬆': "↑", '⬇': "↓", '⬅': "←", '🔁': "↻", '🔄': "↻", '✏': "✎",
	'📝': "✎", '⏰': "⌚", '⏱': "⌚", '⏳': "⌛", '⌛': "⌛", '🔒': "", '🔓': "", '🚀': "",
	'💡': "", '📦': "", '🔥': "", '🎯': "", '👍': "", '👎': "", '🛑': "■", '⛔': "⊘",
	'🚫': "⊘", '💯': "100", '🆗': "OK", '🆕': "NEW",
}

// drawable maps runes the diagram faces cannot draw: known emoji to
// stand-ins, other symbols and runes above the BMP dropped, control
// characters removed. Letters the fonts lack stay (readers may have them).
func drawable(s string) string {
	ok := true
	for _, r := range s {
		if r > 0xFFFF || r < 0x20 && r != 1 && r != 2 || r >= 0x2190 && r < 0x2C00 || r == 0xFE0F || r == 0x200D || r == 0xFFFD {
			ok = false
			break
		}
	}
	if ok {
		return s
	}
	sans := font.Face{Family: font.Sans}
	bold := font.Face{Family: font.Sans, Style: font.Bold}
	var b strings.Builder
	for _, r := range s {
		if m, found := emojiMap[r]; found {
			b.WriteString(m)
			continue
		}
		switch {
		case r == 1 || r == 2:
			b.WriteRune(r)
		case r == '\t':
			b.WriteByte(' ')
		case r < 0x20 || r == 0x7F || r == 0xFE0F || r == 0xFE0E || r == 0x200D || r == 0xFFFD:
		case r > 0xFFFF:
		case r >= 0x2190 && r < 0x2C00 && !(sans.Has(r) && bold.Has(r)):
		case unicode.Is(unicode.So, r) && !sans.Has(r):
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// emphasisScanner splits a line into runs of one style.
type emphasisScanner struct {
	rs                 []rune
	line               textLine
	cur                strings.Builder
	bold, italic       bool // markdown markers
	tagBold, tagItalic bool // HTML tags
}

func (e *emphasisScanner) style() font.Style {
	b, i := e.bold != e.tagBold, e.italic != e.tagItalic
	switch {
	case b && i:
		return font.BoldItalic
	case b:
		return font.Bold
	case i:
		return font.Italic
	}
	return font.Regular
}

func (e *emphasisScanner) flush() {
	if e.cur.Len() > 0 {
		e.line = append(e.line, run{s: e.cur.String(), st: e.style()})
		e.cur.Reset()
	}
}

func (e *emphasisScanner) isWord(i int) bool {
	return i >= 0 && i < len(e.rs) && (unicode.IsLetter(e.rs[i]) || unicode.IsDigit(e.rs[i]))
}

func (e *emphasisScanner) space(i int) bool {
	return i < 0 || i >= len(e.rs) || unicode.IsSpace(e.rs[i])
}

// closes reports whether a closing marker m exists on the line after i.
func (e *emphasisScanner) closes(i int, m string) bool {
	rest := string(e.rs[i:])
	for k := 0; ; {
		j := strings.Index(rest[k:], m)
		if j < 0 {
			return false
		}
		j += k
		before, _ := utf8.DecodeLastRuneInString(rest[:j])
		after, _ := utf8.DecodeRuneInString(rest[j+len(m):])
		if j > 0 && !unicode.IsSpace(before) && (m[0] != '_' || !unicode.IsLetter(after) && !unicode.IsDigit(after)) {
			return true
		}
		k = j + len(m)
	}
}

// marker handles a * or _ at i (doubled for bold) and returns how many
// runes it took, 0 when it is a plain character.
func (e *emphasisScanner) marker(i int) int {
	r := e.rs[i]
	if i+1 < len(e.rs) && e.rs[i+1] == r {
		m := string([]rune{r, r})
		if e.bold {
			if !e.space(i-1) && (r == '*' || !e.isWord(i+2)) {
				e.flush()
				e.bold = false
				return 2
			}
		} else if !e.space(i+2) && (r == '*' || !e.isWord(i-1)) && e.closes(i+2, m) {
			e.flush()
			e.bold = true
			return 2
		}
		return 0
	}
	if e.italic {
		if !e.space(i-1) && (r == '*' || !e.isWord(i+1)) {
			e.flush()
			e.italic = false
			return 1
		}
	} else if !e.space(i+1) && (r == '*' || !e.isWord(i-1)) && e.closes(i+1, string(r)) {
		e.flush()
		e.italic = true
		return 1
	}
	return 0
}

// emphasis splits a line into runs at markdown ** and * or _ markers and at
// the \x01 (bold) and \x02 (italic) marks left by HTML tags.
func emphasis(s string) textLine {
	e := &emphasisScanner{rs: []rune(s)}
	for i := 0; i < len(e.rs); i++ {
		r := e.rs[i]
		switch {
		case r == 1:
			e.flush()
			e.tagBold = !e.tagBold
			continue
		case r == 2:
			e.flush()
			e.tagItalic = !e.tagItalic
			continue
		case r == '\\' && i+1 < len(e.rs) && (e.rs[i+1] == '*' || e.rs[i+1] == '_'):
			e.cur.WriteRune(e.rs[i+1])
			i++
			continue
		case r == '*' || r == '_':
			if n := e.marker(i); n > 0 {
				i += n - 1
				continue
			}
		}
		e.cur.WriteRune(r)
	}
	e.flush()
	line := e.line
	// Trim the line's outer spaces.
	if len(line) > 0 {
		line[0].s = strings.TrimLeft(line[0].s, " ")
		line[len(line)-1].s = strings.TrimRight(line[len(line)-1].s, " ")
	}
	out := line[:0]
	for _, r := range line {
		if r.s != "" {
			out = append(out, r)
		}
	}
	if len(out) == 0 {
		return textLine{{s: "", st: font.Regular}}
	}
	return out
}

// wrapLine breaks a line into lines no wider than width, at spaces.
func wrapLine(ln textLine, size, width float64) []textLine {
	if lineWidth(ln, size) <= width {
		return []textLine{ln}
	}
	// Words keep their style; a word may hold several runs.
	type word []run
	var words []word
	var w word
	for _, r := range ln {
		parts := strings.Split(r.s, " ")
		for k, p := range parts {
			if k > 0 {
				words = append(words, w)
				w = nil
			}
			if p != "" {
				w = append(w, run{s: p, st: r.st})
			}
		}
	}
	words = append(words, w)
	var out []textLine
	var cur textLine
	curW := 0.0
	spaceW := font.Width(faceOf(font.Regular), size, " ")
	for _, wd := range words {
		if len(wd) == 0 {
			continue
		}
		ww := lineWidth(textLine(wd), size)
		if len(cur) > 0 && curW+spaceW+ww > width {
			out = append(out, cur)
			cur, curW = nil, 0
		}
		if len(cur) > 0 {
			cur = append(cur, run{s: " ", st: wd[0].st})
			curW += spaceW
		}
		cur = append(cur, wd...)
		curW += ww
	}
	if len(cur) > 0 {
		out = append(out, mergeRuns(cur))
	}
	for i := range out {
		out[i] = mergeRuns(out[i])
	}
	return out
}

func mergeRuns(ln textLine) textLine {
	var out textLine
	for _, r := range ln {
		if n := len(out); n > 0 && out[n-1].st == r.st {
			out[n-1].s += r.s
			continue
		}
		out = append(out, r)
	}
	return out
}
