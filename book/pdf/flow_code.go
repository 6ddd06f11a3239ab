package pdf

import (
	"cmp"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/alecthomas/chroma/v2"
	"github.com/bindery-books/bindery/book"
	"github.com/bindery-books/bindery/book/font"
	"github.com/bindery-books/bindery/book/internal/codestyle"
	"github.com/bindery-books/bindery/book/internal/scratch"
)

// tokenStyles caches the chroma style's colour and weight of each token type.
var tokenStyles sync.Map // chroma.TokenType -> codeRun

// codeRun is how a token is set: its face and colour.
type codeRun struct {
	face  font.Face
	color rgb
}

func tokenStyle(t chroma.TokenType) codeRun {
	if v, ok := tokenStyles.Load(t); ok {
		return v.(codeRun)
	}
	e := codestyle.Get(book.CodeStyle).Get(t)
	r := codeRun{face: mono, color: rgb{0x24, 0x29, 0x2e}}
	if e.Colour.IsSet() {
		r.color = rgb{e.Colour.Red(), e.Colour.Green(), e.Colour.Blue()}
	}
	switch {
	case e.Bold == chroma.Yes && e.Italic == chroma.Yes:
		r.face = font.Face{Family: font.Mono, Style: font.BoldItalic}
	case e.Bold == chroma.Yes:
		r.face = monoBold
	case e.Italic == chroma.Yes:
		r.face = font.Face{Family: font.Mono, Style: font.Italic}
	}
	tokenStyles.Store(t, r)
	return r
}

// codeCell is one character of code, measured, in its face and colour.
type codeCell struct {
	w     float64
	r     rune
	face  font.Face
	color rgb
}

// codePad is the room between a code box's edge and its text.
const codePad = 7

// codeBlock sets a code block highlighted with the same chroma style as the
// EPUB, on a tinted box. A line too long for the box wraps, the rest going
// on after a continuation mark, so no glyph ever leaves the box; the box
// splits across pages.
func (c *converter) codeBlock(lang string, first int, tokens []chroma.Token) {
	s := c.w.st
	size := s.Code
	lead := s.CodeLead
	base := baseline(mono, size, lead)
	inner := c.width - 2*codePad
	lines := codeLines(tokens, size, &c.tx)
	c.vspace(s.Para * 1.3)
	c.openFrame(&Frame{X: c.x, W: c.width, Fill: &codeTint, Border: &codeEdge, PadTop: 5, PadBottom: 5, Kind: "code"})
	var items []*Item
	markW := c.w.labelWidth(mono, size, "↪") + measure(c.w.fonts.resolve(mono), size, " ")
	for li, line := range lines {
		c.tx.line = c.codeLine(first, li)
		parts := wrapCode(line, inner, markW)
		for i, part := range parts {
			it := &Item{H: lead, Base: base, Kind: "code"}
			x := c.x + codePad
			if i > 0 {
				mark, _ := c.w.labelOps(x, base, mono, size, lightGrey, "↪", false, artifactLayout)
				it.Ops = append(it.Ops, mark...)
				x += part.indent
			}
			it.Ops = append(it.Ops, cellOps(part.cells, x, base, size, &c.tx)...)
			if t, ok := lastTextOp(it.Ops); ok && i == len(parts)-1 {
				t.Space = true // the end of the line, read as a space
			}
			items = append(items, it)
		}
	}
	if len(items) == 0 {
		items = append(items, &Item{H: lead, Base: base, Kind: "code"})
	}
	if lang != "" && lang != "text" && lang != "plaintext" {
		lsize := round2(size * 0.82)
		lx := c.x + c.width - codePad - c.w.labelWidth(sans, lsize, lang)
		if right := lineRight(items[0]); right < lx-8 {
			label, _ := c.w.labelOps(lx, base-size*0.05, sans, lsize, grey, lang, false, artifactLayout)
			items[0].Ops = append(items[0].Ops, label...)
		} else {
			label, _ := c.w.labelOps(lx, lsize, sans, lsize, grey, lang, false, artifactLayout)
			lbl := &Item{H: lsize * 1.25, Kind: "codelabel", Ops: label}
			items = append([]*Item{lbl}, items...)
			items[1].Keep = true
		}
	}
	n := len(items)
	code := c.open("Code")
	for i, it := range items {
		if i == 1 || i > 0 && i == n-1 {
			it.Keep = true
		}
		c.emit(it)
	}
	c.close(code)
	c.closeFrame()
	c.vspace(s.Para * 1.3)
}

// codeLine returns the source line of line li of the code block being
// set, whose first line is on line first of the chapter's file (after its
// fence, or indented). It is 0 (unknown) for a code block that is not the
// chapter's, such as one of a footnote set from another file.
func (c *converter) codeLine(first, li int) int {
	if c.pos.File != c.ch.Path || first == 0 {
		return 0
	}
	return first + li
}

// lineRight returns the right edge of the text of an item.
func lineRight(it *Item) float64 {
	r := 0.0
	for _, op := range it.Ops {
		if t, ok := op.(*textOp); ok {
			r = max(r, t.X+measure(t.Face, t.Size, t.S)*cmp.Or(t.Scale, 1))
		}
	}
	return r
}

// codeLines splits highlighted tokens into lines of measured cells, tabs
// expanded to stops of four. The cells of all lines share one array, and
// each face's printable ASCII is measured once per block.
func codeLines(toks []chroma.Token, size float64, tx *typesetter) [][]codeCell {
	n := 0
	for _, t := range toks {
		n += utf8.RuneCountInString(t.Value)
	}
	// The cells go in the typesetter's array, kept from block to block:
	// a block's cells are garbage once its lines are set, and were a
	// tenth of what a PDF allocated.
	if cap(tx.cells) < n+n/8 {
		tx.cells = cellArrays.Take(n + n/8) // tabs add cells
	}
	cells := tx.cells[:0]
	defer func() { tx.cells = cells[:0] }()
	type asciiWidths struct {
		face font.Face
		w    [128]float64 // 0: not measured yet
	}
	var tables []*asciiWidths
	widths := func(face font.Face) *asciiWidths {
		for _, t := range tables {
			if t.face == face {
				return t
			}
		}
		t := &asciiWidths{face: face}
		tables = append(tables, t)
		return t
	}
	width := func(face font.Face, r rune) float64 {
		f, _ := tx.fonts.faceFor(face, r)
		return measure(f, size, string(r))
	}
	var lines [][]codeCell
	start := 0 // of the current line in cells
	for _, t := range toks {
		st := tokenStyle(t.Type)
		ws := widths(st.face)
		for _, r := range t.Value {
			switch {
			case r == '\n':
				lines = append(lines, cells[start:len(cells):len(cells)])
				start = len(cells)
				continue
			case r == '\t':
				space := measure(tx.fonts.resolve(mono), size, " ")
				for k := 4 - (len(cells)-start)%4; k > 0; k-- {
					cells = append(cells, codeCell{r: ' ', face: st.face, color: st.color, w: space})
				}
				continue
			case r == '\r' || ignorable(r):
				continue
			}
			var w float64
			if r < 128 {
				if ws.w[r] == 0 {
					ws.w[r] = width(st.face, r)
				}
				w = ws.w[r]
			} else {
				w = width(st.face, r)
			}
			cells = append(cells, codeCell{r: r, face: st.face, color: st.color, w: w})
		}
	}
	if len(cells) > start {
		lines = append(lines, cells[start:len(cells):len(cells)])
	}
	return lines
}

// cellArrays keeps the arrays of code cells of chapters laid out, for the
// chapters after them: a chapter's array is garbage once its code is set.
var cellArrays = scratch.New[codeCell](1)

// codePart is one visual line of a code line: its cells and, for a
// continuation, how far it is indented.
type codePart struct {
	cells  []codeCell
	indent float64
}

// wrapCode cuts a code line into parts no wider than width. It breaks after
// a space or a separator when one falls in the right half of the line, else
// at the last character that fits. Continuations are indented like
// the line itself (up to a third of the width) past the continuation mark.
func wrapCode(line []codeCell, width, markW float64) []codePart {
	lead := 0.0
	for _, cl := range line {
		if cl.r != ' ' {
			break
		}
		lead += cl.w
	}
	contIndent := markW + min(lead, width/3)
	var parts []codePart
	avail := width
	indent := 0.0
	for {
		w := 0.0
		cut := len(line)
		for i, cl := range line {
			if w+cl.w > avail+0.01 {
				cut = i
				break
			}
			w += cl.w
		}
		if cut == len(line) {
			parts = append(parts, codePart{cells: line, indent: indent})
			return parts
		}
		if cut == 0 {
			cut = 1 // a character wider than the box: take it anyway
		}
		// Prefer a break after a space in the right half of the line, then
		// after a separator, then after a slash (paths, URLs); else cut at
		// the last character that fits.
		x := 0.0
		best, bestRank := -1, 0
		for i := 0; i < cut; i++ {
			x += line[i].w
			if x <= avail/2 {
				continue
			}
			rank := 0
			switch line[i].r {
			case ' ':
				rank = 3
			case ',', ';', '(', '[', '{':
				rank = 2
			case '/', '|', '>':
				rank = 1
			}
			if rank > 0 && rank >= bestRank {
				best, bestRank = i+1, rank
			}
		}
		if best > 0 {
			cut = best
		}
		parts = append(parts, codePart{cells: line[:cut], indent: indent})
		line = line[cut:]
		// Spaces at the break vanish.
		for len(line) > 0 && line[0].r == ' ' {
			line = line[1:]
		}
		if len(line) == 0 {
			return parts
		}
		indent = contIndent
		avail = width - contIndent
	}
}

// cellOps turns cells into text ops, one per run of one face and colour,
// each set at its measured position.
func cellOps(cells []codeCell, x, base, size float64, tx *typesetter) []Op {
	var ops []Op
	var run strings.Builder
	var runFace font.Face
	var runColor rgb
	runX := x
	flush := func() {
		if run.Len() > 0 {
			s := run.String()
			if strings.TrimSpace(s) != "" {
				t := strings.TrimRight(s, " ")
				ops = append(ops, &textOp{X: runX, Y: base, Face: runFace, Size: size, Color: runColor, S: t, Space: len(t) < len(s)})
			}
			run.Reset()
		}
	}
	for _, cl := range cells {
		face, ok := tx.fonts.faceFor(cl.face, cl.r)
		r := cl.r
		if !ok {
			if sub, ok := substitute(r); ok {
				r = sub
				face, _ = tx.fonts.faceFor(cl.face, r)
			} else {
				tx.reportMissing(cl.r)
				face, r = mono, placeholder
			}
		}
		if run.Len() > 0 && (face != runFace || cl.color != runColor) {
			flush()
		}
		if run.Len() == 0 {
			if unicode.IsSpace(r) {
				if n := len(ops); n > 0 {
					ops[n-1].(*textOp).Space = true
				}
				x += cl.w
				continue
			}
			runX, runFace, runColor = x, face, cl.color
		}
		run.WriteRune(r)
		x += cl.w
	}
	flush()
	return ops
}

// lastTextOp returns the last op of ops when it is text.
func lastTextOp(ops []Op) (*textOp, bool) {
	if n := len(ops); n > 0 {
		t, ok := ops[n-1].(*textOp)
		return t, ok
	}
	return nil, false
}
