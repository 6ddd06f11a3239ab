package pdf

import (
	"math"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/bindery-books/bindery/book/font"
)

// style is how a run of inline text is set.
type style struct {
	Face  font.Face
	Size  float64
	Color rgb
	// Code sets the text on a light tint (inline code).
	Code   bool
	Strike bool
	// Rise lifts the baseline (footnote marks).
	Rise float64
	// Link is the anchor of an internal link, URL the address of an external one.
	Link string
	URL  string
	// Tag is the inline element the text belongs to in a tagged PDF (a
	// formula), or nil.
	Tag *Tag
}

// span is inline text in one style, before it is cut into words.
type span struct {
	st   style
	text string
	// brk ends the line after the span (a hard line break, <br>).
	brk bool
	// note is a footnote cited here.
	note *Note
	// line is the line of the chapter's source the text starts on, 0 when
	// unknown; a newline in text moves to the next.
	line int
}

// piece is measured text in one face: a word has one piece per change of
// style or of fallback face.
type piece struct {
	st   style // Face is the face that has the glyphs, in its direction
	text string
	w    float64
	// level is the bidi embedding level of the text: even left to right,
	// odd right to left (bidi.go).
	level uint8
	// buf collects the text while the word is being built (appending to
	// a string rune by rune would be quadratic in a 10 MB word).
	buf []byte
}

// word is what line breaking moves around: pieces with no space between
// them, and the space that follows.
type word struct {
	pieces []piece
	w      float64
	// space is the natural width of the space after the word; hasSpace says
	// there is one (a word cut at a break opportunity has none).
	space    float64
	hasSpace bool
	spaceSt  style
	// brk forces a line break after the word.
	brk bool
	// cut says a line may break after the word though no space follows:
	// it is a piece of a long word cut at punctuation, or of inline code.
	cut bool
	// hyph says a line may break after the word, which is a piece of a
	// hyphenated word: a line that ends here ends with a hyphen, added
	// (addHyphen, hyphenW wide) unless the word ends with one of its own.
	hyph      bool
	addHyphen bool
	hyphenW   float64
	notes     []*Note
	// spaceLevel is the bidi level of the space after the word.
	spaceLevel uint8
	// rtl says the word is in a right-to-left paragraph: its lines are
	// set from the right.
	rtl bool
}

// asciiWidths holds the advance widths of printable ASCII for every face,
// in thousandths of an em, so the common case measures without locks.
var asciiWidths = sync.OnceValue(func() map[font.Face]*[128]int32 {
	m := map[font.Face]*[128]int32{}
	for _, f := range font.Faces() {
		var t [128]int32
		mt := font.MetricsOf(f)
		for r := rune(32); r < 127; r++ {
			a, _ := mt.Advance(r)
			t[r] = int32(a)
		}
		m[f] = &t
	}
	return m
})

// maxShaped is the longest text measured shaped: words and titles. Longer
// runs (a hostile 10 MB word) add up advance widths, in linear time; the
// difference is the kerning of one run.
const maxShaped = 256

// measure returns the width of s in face f at size points as it is drawn:
// shaped, with the kerning and ligatures of the face's features, when s has
// more than one character.
func measure(f font.Face, size float64, s string) float64 {
	if !f.Builtin() {
		// A user's font: shaped, which reads every character map.
		if len(s) <= maxShaped {
			return font.ShapedWidth(f, size, s, font.FeaturesOf(f))
		}
		return advances(f, size, s)
	}
	if feat := font.FeaturesOf(f); feat != 0 && len(s) > 1 && len(s) <= maxShaped && utf8.RuneCountInString(s) > 1 {
		return font.ShapedWidth(f, size, s, feat)
	}
	t := asciiWidths()[font.Face{Family: f.Family, Style: f.Style}]
	var mt *font.Metrics
	w := 0
	for _, r := range s {
		if r >= 32 && r < 127 && t != nil {
			w += int(t[r])
			continue
		}
		if mt == nil {
			mt = font.MetricsOf(f)
		}
		if a, ok := mt.Advance(r); ok {
			w += a
		} else {
			w += 500
		}
	}
	return float64(w) * size / 1000
}

// advances returns the width of s in a user's face f as the sum of its
// characters' advance widths: for text too long to shape at once.
func advances(f font.Face, size float64, s string) float64 {
	fnt := f.Font()
	w := 0
	for _, r := range s {
		if id, ok := fnt.GlyphID(r); ok {
			w += fnt.Advance(id)
		} else {
			w += fnt.UnitsPerEm() / 2
		}
	}
	return float64(w) * size / float64(fnt.UnitsPerEm())
}

// placeholder stands for a character no face of the book has.
const placeholder = '\u25a1'

// substitutes maps emoji that technical writing uses as marks to the
// symbols of the book's fonts that mean the same.
var substitutes = map[rune]rune{
	0x2705:  0x2714, // white heavy check mark -> heavy check mark
	0x2714:  0x2714,
	0x274c:  0x2718, // cross mark -> heavy ballot x
	0x274e:  0x2718,
	0x2b50:  0x2605, // star
	0x2b55:  0x25cb, // circle
	0x2757:  '!',
	0x2753:  '?',
	0x1f534: 0x25cf, // red circle -> black circle
	0x1f7e2: 0x25cf,
	0x1f7e1: 0x25cf,
	0x27a1:  0x2192, // right arrow
	0x2b05:  0x2190,
	0x2b06:  0x2191,
	0x2b07:  0x2193,
	0x1f449: 0x2192,
	0x1f4a1: 0x2605,
}

// substitute returns the stand-in for r, if it has one.
func substitute(r rune) (rune, bool) {
	s, ok := substitutes[r]
	if ok {
		_, ok = font.Fallback(font.Face{Family: font.Sans}, s)
	}
	return s, ok
}

// typesetter cuts inline text into words and words into lines, in the
// book's fonts. It reports characters no font has through warnAt, at the
// source line the spans give, else through warn.
type typesetter struct {
	// cells is codeLines' array, reused from one code block to the next.
	cells []codeCell

	warn   func(format string, args ...any)
	warnAt func(line int, format string, args ...any)
	// fonts is the book's typefaces; nil is the built-in DejaVu.
	fonts *fontSet
	// line is the source line of the text being cut, 0 when unknown.
	line int
	// missing holds the characters reported missing, each reported once
	// (at its first line): a book in a script none of its fonts has would
	// otherwise get a warning for every character.
	missing map[rune]bool
}

// report warns about the text being cut, at its line when it is known.
func (tx *typesetter) report(format string, args ...any) {
	switch {
	case tx.warnAt != nil && tx.line > 0:
		tx.warnAt(tx.line, format, args...)
	case tx.warn != nil:
		tx.warn(format, args...)
	}
}

// ignorable reports runes that are dropped from text: controls, format
// characters that only steer shaping (joiners, variation selectors), soft
// hyphens and byte order marks.
func ignorable(r rune) bool {
	switch {
	case r < 0x20, r >= 0x7f && r < 0xa0:
		return true
	case r == 0xad, r == 0x200c, r == 0x200d, r == 0x2060, r == 0xfeff, r == 0x200e, r == 0x200f, r == 0x61c:
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069: // bidi embeddings and isolates
		return true
	case r >= 0xfe00 && r <= 0xfe0f, r >= 0xe0100 && r <= 0xe01ef:
		return true
	}
	return false
}

// faceFor returns the face that sets r: f itself for printable ASCII, else
// the first face of the fallback chain that has it.
func faceFor(f font.Face, r rune) (font.Face, bool) {
	if r >= 32 && r < 127 && f.Family != font.Math {
		return f, true
	}
	return font.Fallback(f, r)
}

// words cuts spans into words. Spaces separate words; U+200B is a break
// opportunity without space, and so is the place between two ideographs
// (cjk.go). Text with right-to-left characters is given its bidi levels
// here, on the whole paragraph in logical order.
func (tx *typesetter) words(spans []span) []word {
	var ws []word
	var cur word
	open := false // cur has content
	var prev rune // the last rune of cur
	var pendingNotes []*Note
	levels, para := tx.levels(spans)
	rtl := para == 1
	tx.line = 0
	// endWord ends the word being built. With a space after it (gap), the
	// word's space is the width of a space of st; with a zero-width break
	// (between ideographs) it has a space of no width, which a line may
	// break at and justification may stretch.
	const (
		noGap = iota
		spaceGap
		zeroGap
	)
	endWord := func(gap int, st style, lv uint8) {
		if open {
			cur.w = 0
			for i := range cur.pieces {
				p := &cur.pieces[i]
				if p.buf != nil {
					p.text, p.buf = string(p.buf), nil
				}
				// The piece's width as it is drawn: shaped, with kerning
				// and ligatures in text faces.
				p.w = measure(p.st.Face, p.st.Size, p.text)
				cur.w += p.w
			}
			if gap != noGap {
				cur.hasSpace = true
				cur.spaceSt = st
				cur.spaceLevel = lv
				if gap == spaceGap {
					cur.space = measure(tx.fonts.resolve(st.Face), st.Size, " ")
				}
			}
			cur.rtl = rtl
			ws = append(ws, cur)
			cur = word{}
			open = false
			return
		}
		if gap == spaceGap && len(ws) > 0 && (!ws[len(ws)-1].hasSpace || ws[len(ws)-1].space == 0) && !ws[len(ws)-1].brk {
			// A space after a closing tag: "word <b>next</b>".
			l := &ws[len(ws)-1]
			l.hasSpace = true
			l.space = measure(tx.fonts.resolve(st.Face), st.Size, " ")
			l.spaceSt = st
			l.spaceLevel = lv
		}
	}
	ri := 0 // index of the rune in the paragraph, for its level
	for _, sp := range spans {
		if sp.note != nil {
			pendingNotes = append(pendingNotes, sp.note)
		}
		if sp.line > 0 {
			tx.line = sp.line
		}
		for _, r := range sp.text {
			var lv uint8
			if levels != nil {
				lv = levels[ri]
			}
			ri++
			switch {
			case r == '\n':
				if tx.line > 0 {
					tx.line++
				}
				endWord(spaceGap, sp.st, lv)
				continue
			case r == ' ' || r == '\t' || r == '\r' || r == '\u2028' || r == '\u3000':
				endWord(spaceGap, sp.st, lv)
				continue
			case r == '\u200b':
				endWord(noGap, sp.st, lv)
				continue
			case joiner(r) && open && keepJoiner(prev):
				// Joiners steer the shaping of the letters around them
				// (Persian, Indic, emoji): they go with the letter before.
				p := &cur.pieces[len(cur.pieces)-1]
				p.buf = utf8.AppendRune(p.buf, r)
				continue
			case ignorable(r):
				continue
			}
			if open && cjkBreak(prev, r) {
				endWord(zeroGap, sp.st, lv)
			}
			dir := font.Auto
			switch {
			case levels == nil:
			case lv%2 == 1:
				dir = font.RTL
			default:
				dir = font.LTR
			}
			tx.addRune(&cur, sp.st, r, lv, dir)
			open, prev = true, r
			if len(pendingNotes) > 0 {
				cur.notes = append(cur.notes, pendingNotes...)
				pendingNotes = nil
			}
		}
		if sp.brk {
			if tx.line > 0 {
				tx.line++
			}
			endWord(noGap, sp.st, 0)
			if len(ws) > 0 {
				ws[len(ws)-1].brk = true
				ws[len(ws)-1].hasSpace = false
				ws[len(ws)-1].space = 0
			}
		}
	}
	endWord(noGap, style{}, 0)
	if len(pendingNotes) > 0 && len(ws) > 0 {
		ws[len(ws)-1].notes = append(ws[len(ws)-1].notes, pendingNotes...)
	}
	// A trailing space or break ends nothing.
	if n := len(ws); n > 0 {
		ws[n-1].hasSpace, ws[n-1].space, ws[n-1].brk = false, 0, false
	}
	return ws
}

// levels returns the bidi level of each rune of the spans' text and the
// paragraph's level; nil levels when all of it is left to right.
func (tx *typesetter) levels(spans []span) ([]uint8, uint8) {
	need := false
	for _, sp := range spans {
		for _, r := range sp.text {
			if r >= 0x590 {
				need = true
				break
			}
		}
		if need {
			break
		}
	}
	if !need {
		return nil, 0
	}
	var runes []rune
	for _, sp := range spans {
		runes = append(runes, []rune(sp.text)...)
	}
	return bidiLevels(runes)
}

// reportMissing reports a character none of the book's fonts has, the
// first time it meets it.
func (tx *typesetter) reportMissing(r rune) {
	if tx.missing[r] {
		return
	}
	if tx.missing == nil {
		tx.missing = map[rune]bool{}
	}
	tx.missing[r] = true
	tx.report("character U+%04X %q is in none of the book's fonts: set as %c", r, string(r), placeholder)
}

// joiner reports the characters that join or part the letters around
// them: ZWJ and ZWNJ.
func joiner(r rune) bool { return r == 0x200c || r == 0x200d }

// keepJoiner reports whether a joiner after r matters to shaping: after a
// letter of a script that joins or forms conjuncts, or an emoji; after
// Latin text it is dropped.
func keepJoiner(r rune) bool {
	return r >= 0x600 && !unicode.In(r, unicode.Latin, unicode.Greek, unicode.Cyrillic) || r >= 0x1f000
}

// addRune appends r, at bidi level lv, to the word in style st, choosing
// the face that has it: the book's face for st, else one of its fallback
// chain, shaped in direction dir. A mark goes with the character before it
// when that face has it.
func (tx *typesetter) addRune(w *word, st style, r rune, lv uint8, dir font.Direction) {
	st.Face.Dir = dir
	var f font.Face
	ok := false
	if n := len(w.pieces); n > 0 && (unicode.In(r, unicode.Mn, unicode.Me) || r >= 0x80 && unicode.Is(unicode.Common, r)) {
		// A combining mark goes in the face of its base; punctuation
		// of a script (the Arabic comma, the Devanagari danda, CJK
		// stops) in the face of the letters before it, when that is a
		// face other than the text's and has it.
		last := w.pieces[n-1]
		mark := !unicode.Is(unicode.Common, r)
		prev, _ := utf8.DecodeLastRune(last.buf)
		script := preferFallback(prev) && unicode.In(prev, unicode.L, unicode.M)
		if last.level == lv && last.st.Face.Has(r) && (mark || script && last.st.Face.Family != tx.fonts.resolve(st.Face).Family) {
			f, ok = last.st.Face, true
			st = last.st
		}
	}
	if !ok {
		f, ok = tx.fonts.faceFor(st.Face, r)
	}
	if !ok {
		if sub, subOK := substitute(r); subOK {
			r = sub
			f, ok = tx.fonts.faceFor(st.Face, r)
		}
	}
	if !ok {
		tx.reportMissing(r)
		f, _ = font.Fallback(font.Face{Family: font.Sans, Style: st.Face.Style, Dir: st.Face.Dir}, placeholder)
		r = placeholder
	}
	pst := st
	pst.Face = f
	var buf [4]byte
	s := string(buf[:utf8.EncodeRune(buf[:], r)])
	adv := measure(f, st.Size, s)
	if n := len(w.pieces); n > 0 && w.pieces[n-1].st == pst && w.pieces[n-1].level == lv {
		p := &w.pieces[n-1]
		p.buf = append(p.buf, s...)
		p.w += adv
	} else {
		w.pieces = append(w.pieces, piece{st: pst, buf: []byte(s), w: adv, level: lv})
	}
	w.w += adv
}

// lineSpan is a line: words[from:to], and whether it is justified.
type lineSpan struct {
	from, to int
	justify  bool
}

// shrink is how much the spaces of a line may shrink, as a fraction.
const shrink = 0.2

// epsilon absorbs the rounding of widths that were added up and taken
// apart again: a word as wide as its measure fits it.
const epsilon = 1e-6

// breakLines breaks words into lines of the given width, first fit with
// shrinkable spaces. A word wider than a line is cut where it fits
// (after punctuation when it can: URLs, paths); a long word that would leave
// a line very loose is cut the same way to fill it. It returns the words,
// some of them cut, and the lines.
func breakLines(ws []word, width float64) ([]word, []lineSpan) {
	var lines []lineSpan
	i := 0
	for i < len(ws) {
		natural, spaces := 0.0, 0.0
		j := i
		for j < len(ws) {
			gap := 0.0
			if j > i {
				gap = ws[j-1].space
			}
			if j == i && ws[j].w > width+epsilon {
				if head, tail, ok := splitWord(ws[j], width, false); ok {
					ws[j] = head
					ws = slices.Insert(ws, j+1, tail)
				}
			}
			w := ws[j]
			if j > i && natural+gap+w.w > width+shrink*(spaces+gap)+epsilon {
				avail := width - natural - gap
				if natural < 0.75*width && avail > 0.15*width && longWord(w, width) {
					if head, tail, ok := splitWord(w, avail, true); ok {
						ws[j] = head
						ws = slices.Insert(ws, j+1, tail)
						j++
					}
				}
				break
			}
			natural += gap + w.w
			spaces += gap
			j++
			if w.brk {
				break
			}
		}
		lines = append(lines, lineSpan{from: i, to: j, justify: j < len(ws) && !ws[j-1].brk})
		i = j
	}
	return ws, lines
}

// longWord reports whether w is worth cutting to fill a loose line: a URL,
// a path or a long identifier.
func longWord(w word, width float64) bool {
	if w.w < 0.3*width {
		return false
	}
	n := 0
	for _, p := range w.pieces {
		n += utf8.RuneCountInString(p.text)
	}
	return n >= 12
}

// breakAfter reports whether a line may break after r inside a word.
func breakAfter(r rune) bool {
	switch r {
	case '/', '.', '-', '_', '?', '&', '=', '#', ',', ':', ';', '\\', '|', '+', '(', ')', ']', '}', '>', '@', '~':
		return true
	}
	return false
}

// splitWord cuts w so the head fits in avail. With nicely, it cuts only
// after punctuation (a URL at a slash); otherwise after the last rune that
// fits, preferring punctuation in the right half. The head keeps no space.
func splitWord(w word, avail float64, nicely bool) (head, tail word, ok bool) {
	var best, bestPunct cutPoint
	found, foundPunct := false, false
	x := 0.0
	total := 0
	for pi, p := range w.pieces {
		for off, r := range p.text {
			rw := measure(p.st.Face, p.st.Size, string(r))
			x += rw
			total++
			if x > avail {
				break
			}
			next := off + utf8.RuneLen(r)
			c := cutPoint{pi, next, x, breakAfter(r)}
			if next == len(p.text) {
				c = cutPoint{pi + 1, 0, x, c.punct}
			}
			best, found = c, true
			if c.punct && !unicode.IsSpace(r) {
				bestPunct, foundPunct = c, true
			}
		}
		if x > avail {
			break
		}
	}
	if total < 2 {
		return w, word{}, false
	}
	switch {
	case foundPunct && (nicely || bestPunct.w >= avail/2):
		best = bestPunct
	case nicely:
		return w, word{}, false
	case !found:
		// Not even one rune fits: take one anyway, so the line is never empty.
		best = firstRuneCut(w)
		if best.piece == 0 && best.off == 0 {
			return w, word{}, false
		}
	}
	head, tail = cutWord(w, best.piece, best.off)
	if len(head.pieces) == 0 || len(tail.pieces) == 0 {
		return w, word{}, false
	}
	return head, tail, true
}

// cutPoint is a place to cut a word: before byte off of piece piece,
// with the head w wide.
type cutPoint struct {
	piece, off int
	w          float64
	punct      bool
}

func firstRuneCut(w word) (c cutPoint) {
	if len(w.pieces) == 0 {
		return
	}
	p := w.pieces[0]
	_, n := utf8.DecodeRuneInString(p.text)
	if n == len(p.text) {
		c.piece = 1
		return
	}
	c.off = n
	return
}

// cutWord splits w before byte off of piece pi.
func cutWord(w word, pi, off int) (head, tail word) {
	head.pieces = slices.Clone(w.pieces[:pi])
	head.rtl = w.rtl
	rest := slices.Clone(w.pieces[pi:])
	if off > 0 && pi < len(w.pieces) {
		p := w.pieces[pi]
		a, b := p, p
		a.text, b.text = p.text[:off], p.text[off:]
		a.w = measure(p.st.Face, p.st.Size, a.text)
		if len(b.text) <= maxShaped {
			b.w = measure(p.st.Face, p.st.Size, b.text)
		} else {
			b.w = p.w - a.w // a long tail is not measured again at every cut
		}
		head.pieces = append(head.pieces, a)
		rest[0] = b
	}
	tail = w
	tail.pieces = rest
	for _, p := range head.pieces {
		head.w += p.w
	}
	tail.w = 0
	for _, p := range tail.pieces {
		tail.w += p.w
	}
	return head, tail
}

// align is how a line sits in its width.
type align int

const (
	alignLeft align = iota
	alignCenter
	alignRight
	alignJustify
)

// lineStyle says how lines of a block are set.
type lineStyle struct {
	// X is the left edge, relative to the text block; Width the measure.
	X, Width float64
	Align    align
	// Lead is the line height; Face and Size the block's main face, which
	// places the baseline.
	Lead float64
	Face font.Face
	Size float64
}

// baseline returns the distance from the top of a line of height lead to
// the baseline, centring the face's ascent and descent in the line.
func baseline(f font.Face, size, lead float64) float64 {
	m := font.MetricsOf(f)
	asc, desc := float64(m.Ascent)/1000*size, -float64(m.Descent)/1000*size
	return (lead-(asc+desc))/2 + asc
}

// setLine makes the item of one line. A line with right-to-left text is
// reordered for drawing (bidi.go): its pieces and spaces, in logical
// order, are reversed run by run by their bidi levels; a right-to-left
// paragraph's last line is set flush right.
func setLine(ws []word, ls lineSpan, st lineStyle) *Item {
	line := ws[ls.from:ls.to]
	lead := lineLead(line, st)
	base := baseline(st.Face, st.Size, lead)
	if len(line) > 0 && line[0].rtl && st.Align == alignJustify && !ls.justify {
		st.Align = alignRight
	}
	x, stretch, scale := lineStart(line, ls.justify, st)
	l := &lineSetter{it: &Item{H: lead, Kind: "line", Base: base}, x: x, base: base, scale: scale}
	for _, w := range line {
		for _, n := range w.notes {
			if !slices.Contains(l.it.Notes, n) {
				l.it.Notes = append(l.it.Notes, n)
			}
		}
	}
	if bidiLine(line) {
		l.atoms(lineAtoms(line), stretch)
		if t, ok := l.lastText(); ok && line[len(line)-1].hasSpace && !line[len(line)-1].addHyphen {
			t.Space = true // the space at the line's end, for the extracted text
		}
		return l.item()
	}
	for k, w := range line {
		for i, p := range w.pieces {
			// The pieces of a hyphenated word that stay on one line are
			// set as one text again, for its ligatures and kerning.
			l.piece(p, i == 0 && k > 0 && line[k-1].hyph)
		}
		if k == len(line)-1 && w.addHyphen {
			last := w.pieces[len(w.pieces)-1]
			l.piece(piece{st: last.st, text: "-", w: w.hyphenW}, true)
			if t, ok := l.lastText(); ok {
				t.Hyphen = true
			}
		}
		if k < len(line)-1 {
			l.gap(w, ws[ls.from+k+1], stretch)
		} else if t, ok := l.lastText(); ok && w.hasSpace && !w.addHyphen {
			t.Space = true // the space at the line's end, for the extracted text
		}
	}
	return l.item()
}

// bidiLine reports whether a line has text that is not at level 0, left
// to right.
func bidiLine(line []word) bool {
	for _, w := range line {
		if w.rtl || w.spaceLevel > 0 {
			return true
		}
		for _, p := range w.pieces {
			if p.level > 0 {
				return true
			}
		}
	}
	return false
}

// lineAtom is a piece of a line, or the space between two words, at its bidi
// level: what a line is reordered by.
type lineAtom struct {
	p     piece
	level uint8
	// space is the word whose space the atom is, nil for a piece.
	space *word
	// join says the piece goes on the text of the piece before it in
	// logical order (a hyphenated word whole on the line); hyphen that
	// it is the hyphen added at the line's end.
	join, hyphen bool
}

// lineAtoms returns the pieces and spaces of a line in logical order.
func lineAtoms(line []word) []lineAtom {
	var as []lineAtom
	for k := range line {
		w := &line[k]
		for i, p := range w.pieces {
			as = append(as, lineAtom{p: p, level: p.level, join: i == 0 && k > 0 && line[k-1].hyph})
		}
		if k == len(line)-1 && w.addHyphen {
			last := w.pieces[len(w.pieces)-1]
			as = append(as, lineAtom{p: piece{st: last.st, text: "-", w: w.hyphenW}, level: last.level, join: true, hyphen: true})
		}
		if k < len(line)-1 {
			lv := w.spaceLevel
			if !w.hasSpace && len(w.pieces) > 0 {
				lv = w.pieces[len(w.pieces)-1].level // a break with no space
			}
			as = append(as, lineAtom{space: w, level: lv})
		}
	}
	return as
}

// atoms sets the atoms of a line in visual order: reordered by L2, each
// piece drawn in its direction, the spaces between them stretched.
func (l *lineSetter) atoms(as []lineAtom, stretch float64) {
	levels := make([]uint8, len(as))
	for i, a := range as {
		levels[i] = a.level
	}
	order := reorder(levels)
	// pieceStyle returns the style of the piece next to visual position i
	// in direction d, for the tints and rules that run across spaces.
	pieceStyle := func(i, d int) *style {
		for j := i + d; j >= 0 && j < len(order); j += d {
			if a := &as[order[j]]; a.space == nil {
				return &a.p.st
			}
		}
		return nil
	}
	for i, k := range order {
		a := as[k]
		if a.space != nil {
			w := a.space
			gap := w.space
			if w.hasSpace {
				gap += stretch
			}
			if t, ok := l.lastText(); ok && w.hasSpace {
				t.Space = true // read as a space after the text drawn before it
			}
			l.space(gap, w.spaceSt, pieceStyle(i, -1), pieceStyle(i, 1))
			continue
		}
		// A piece joins the one drawn before it only where that is the
		// piece before it in the text: left to right.
		join := a.join && a.level%2 == 0 && i > 0 && order[i-1] == k-1
		l.piece(a.p, join)
		if t, ok := l.lastText(); ok && a.hyphen && a.level%2 == 0 && strings.HasSuffix(t.S, "-") {
			t.Hyphen = true
		}
	}
}

// lineLead returns the height of a line: the style's leading, more when a
// piece of larger type (a heading's size inside the line) needs it.
func lineLead(line []word, st lineStyle) float64 {
	lead := st.Lead
	for _, w := range line {
		for _, p := range w.pieces {
			if p.st.Size > st.Size*1.15 && p.st.Rise == 0 {
				lead = max(lead, p.st.Size*1.25)
			}
		}
	}
	return lead
}

// maxSpacing is the widest a space of a justified line may be, in natural
// spaces.
const maxSpacing = 2.1

// lineStart returns where a line starts, the space added to each of its
// gaps, and the scale of its glyphs: a justified line shares what it must
// gain or lose between its spaces and its glyphs' expansion, in the
// proportions the line breaker weighed them in; a line too loose to
// justify is set ragged, a centred or right-aligned one is moved.
func lineStart(line []word, justify bool, st lineStyle) (x, stretch, scale float64) {
	natural, glyphs, spaces := 0.0, 0.0, 0.0
	gaps := 0
	for k, w := range line {
		natural += w.w
		glyphs += expandable(w)
		if k < len(line)-1 {
			natural += w.space
			if w.hasSpace {
				gaps++
				spaces += w.space
			}
		} else if w.addHyphen {
			natural += w.hyphenW
			glyphs += w.hyphenW
		}
	}
	extra := st.Width - natural
	x, scale = st.X, 1
	switch {
	case extra < 0 && gaps > 0, st.Align == alignJustify && justify && gaps > 0:
		ratio := spaces * stretchRatio
		if extra < 0 {
			ratio = spaces * shrinkRatio
		}
		e := extra * glyphs * expandRatio / (ratio + glyphs*expandRatio)
		e = max(-glyphs*expandRatio, min(e, glyphs*expandRatio))
		if glyphs > 0 {
			scale = 1 + math.Round(e/glyphs*1000)/1000
		}
		stretch = (extra - glyphs*(scale-1)) / float64(gaps)
		// A line that cannot be justified without gaps of more than
		// maxSpacing times a space is set with gaps that wide, ragged:
		// a short line reads better than a river.
		natural := measure(st.Face, st.Size, " ")
		if limit := (maxSpacing*natural*float64(gaps) - spaces) / float64(gaps); extra > 0 && stretch > limit {
			stretch = max(limit, 0)
		}
	case st.Align == alignCenter && extra > 0:
		x += extra / 2
	case st.Align == alignRight && extra > 0:
		x += extra
	}
	return x, stretch, scale
}

// lineSetter sets the pieces of a line from left to right: the text, with
// the tints of inline code under it, and strike-throughs and link areas
// over it.
type lineSetter struct {
	it          *Item
	x, base     float64
	scale       float64 // of the glyphs of text (font expansion)
	under, over []Op
	link        struct {
		key, url string
		x0, x1   float64
	}
}

func (l *lineSetter) piece(p piece, join bool) {
	y := l.base - p.st.Rise
	scale := 0.0
	if l.scale != 1 && !p.st.Code {
		scale = l.scale
		p.w *= scale
	}
	if t, ok := l.lastText(); join && ok && t.Face == p.st.Face && t.Size == p.st.Size && t.Color == p.st.Color && t.Y == y && t.Scale == scale && t.Tag == p.st.Tag {
		t.S += p.text
	} else {
		l.it.Ops = append(l.it.Ops, &textOp{X: l.x, Y: y, Face: p.st.Face, Size: p.st.Size, Color: p.st.Color, S: p.text, Scale: scale, Tag: p.st.Tag})
	}
	if p.st.Code {
		l.under = append(l.under, &rectOp{X: l.x - 1, Y: l.base - 0.8*p.st.Size, W: p.w + 2, H: 1.05 * p.st.Size, Fill: &inlineBg})
	}
	if p.st.Strike {
		l.over = append(l.over, &lineOp{X1: l.x, Y1: y - 0.3*p.st.Size, X2: l.x + p.w, Y2: y - 0.3*p.st.Size, Color: p.st.Color, W: 0.06 * p.st.Size})
	}
	if p.st.Link != l.link.key || p.st.URL != l.link.url {
		l.flushLink()
		l.link.key, l.link.url, l.link.x0 = p.st.Link, p.st.URL, l.x
	}
	l.x += p.w
	l.link.x1 = l.x
}

// lastText returns the last op set, when it is text.
func (l *lineSetter) lastText() (*textOp, bool) {
	if n := len(l.it.Ops); n > 0 {
		t, ok := l.it.Ops[n-1].(*textOp)
		return t, ok
	}
	return nil, false
}

// gap sets the space after word w, stretched, carrying on the tint,
// strike-through or link that spans it to the next word.
func (l *lineSetter) gap(w, next word, stretch float64) {
	gap := w.space
	if w.hasSpace {
		gap += stretch
		if t, ok := l.lastText(); ok {
			t.Space = true
		}
	}
	var prev, nxt *style
	if len(w.pieces) > 0 {
		prev = &w.pieces[len(w.pieces)-1].st
	}
	if len(next.pieces) > 0 {
		nxt = &next.pieces[0].st
	}
	l.space(gap, w.spaceSt, prev, nxt)
}

// space sets a space of width gap in style sp between pieces of styles
// prev and next (nil for none), carrying on the tint, strike-through or
// link that spans it.
func (l *lineSetter) space(gap float64, sp style, prev, next *style) {
	if sp.Code && next != nil && next.Code && prev != nil && prev.Code {
		l.under = append(l.under, &rectOp{X: l.x, Y: l.base - 0.8*sp.Size, W: gap, H: 1.05 * sp.Size, Fill: &inlineBg})
	}
	if sp.Strike && next != nil && next.Strike {
		l.over = append(l.over, &lineOp{X1: l.x, Y1: l.base - 0.3*sp.Size, X2: l.x + gap, Y2: l.base - 0.3*sp.Size, Color: sp.Color, W: 0.06 * sp.Size})
	}
	if next == nil || next.Link != l.link.key || next.URL != l.link.url {
		l.flushLink()
	}
	l.x += gap
}

// flushLink ends the link area being set, if any.
func (l *lineSetter) flushLink() {
	if l.link.key != "" || l.link.url != "" {
		l.over = append(l.over, &linkOp{X: l.link.x0, Y: 0, W: l.link.x1 - l.link.x0, H: l.it.H, Anchor: l.link.key, URL: l.link.url})
	}
	l.link.key, l.link.url = "", ""
}

// item returns the line with its tints under the text and its rules and
// link areas over it.
func (l *lineSetter) item() *Item {
	l.flushLink()
	it := l.it
	if len(l.under) > 0 {
		it.Ops = append(l.under, it.Ops...)
	}
	it.Ops = append(it.Ops, l.over...)
	return it
}

// plainWords returns the text of words as a string, for messages and tests.
func plainWords(ws []word) string {
	var s []byte
	for i, w := range ws {
		if i > 0 && ws[i-1].hasSpace && ws[i-1].space > 0 {
			s = append(s, ' ')
		}
		for _, p := range w.pieces {
			s = append(s, p.text...)
		}
	}
	return string(s)
}
