package pdf

import (
	"math"
	"strings"
	"unicode"

	"github.com/bindery-books/bindery/book/font"
	"github.com/bindery-books/bindery/book/markup"
	"github.com/bindery-books/bindery/book/tex"
)

// Inline math is set from the formula's tree as text, the way TeX sets
// text math on a line: letters in italic, digits, operators and function
// names upright, space around relations and binary operators,
// superscripts and subscripts raised and smaller, fractions as a/b. It
// breaks with the paragraph. Display math is laid out in boxes in display
// style, as TeX sets it (flow_mathbox.go), and falls back to this linear
// setting only for a line too big to lay out.

// mathSpans sets a formula's first line in the style of the text around it.
func mathSpans(f *tex.Formula, base style) []span {
	m := &mathSetter{}
	for i, l := range f.Lines {
		if i > 0 {
			m.emit(upright(base), "; ")
		}
		m.node(l, base)
	}
	return m.spans
}

type mathSetter struct {
	spans []span
}

func (m *mathSetter) emit(st style, s string) {
	if s == "" {
		return
	}
	if n := len(m.spans); n > 0 && m.spans[n-1].st == st {
		m.spans[n-1].text += s
		return
	}
	m.spans = append(m.spans, span{st: st, text: s})
}

func upright(st style) style {
	st.Face.Style &^= font.Italic
	return st
}

func italic(st style) style {
	st.Face.Style |= font.Italic
	return st
}

// variant returns st in a formula variant: bold, italic, upright.
func variant(st style, v string) style {
	switch v {
	case "bold":
		st.Face.Style = font.Bold
	case "bold-italic":
		st.Face.Style = font.BoldItalic
	case "italic":
		st = italic(st)
	default:
		st = upright(st)
	}
	return st
}

// script returns the style of a superscript (up) or subscript of st.
func script(st style, up bool) style {
	sub := st
	sub.Size = round2(st.Size * 0.72)
	if up {
		sub.Rise = st.Rise + st.Size*0.36
	} else {
		sub.Rise = st.Rise - st.Size*0.16
	}
	return sub
}

// combining are the combining marks the PDF sets an accent with, after a
// base of one character.
var combining = map[string]string{
	"overline": "\u0305", "bar": "\u0304", "hat": "\u0302", "widehat": "\u0302", "tilde": "\u0303",
	"widetilde": "\u0303", "vec": "\u20d7", "dot": "\u0307", "ddot": "\u0308", "underline": "\u0332",
	"check": "\u030c", "acute": "\u0301", "grave": "\u0300", "breve": "\u0306", "overrightarrow": "\u20d7",
}

func (m *mathSetter) node(n tex.Node, st style) {
	switch n := n.(type) {
	case *tex.Row:
		for _, k := range n.Items {
			m.node(k, st)
		}
	case *tex.Ident:
		switch {
		case n.Variant != "":
			m.emit(variant(st, n.Variant), n.Text)
		case unicode.IsLetter([]rune(n.Text)[0]):
			m.emit(italic(st), n.Text)
		default:
			m.emit(upright(st), n.Text)
		}
	case *tex.Number:
		m.emit(upright(st), n.Text)
	case *tex.Op:
		m.op(n, st)
	case *tex.Func:
		m.emit(upright(st), n.Name)
		m.emit(upright(st), "\u2009")
	case *tex.Text:
		m.emit(variant(st, n.Variant), n.Text)
	case *tex.Space:
		m.emit(upright(st), mathSpace(n.Em))
	case *tex.Scripts:
		m.node(n.Base, st)
		if n.Sub != nil {
			m.node(n.Sub, script(st, false))
		}
		if n.Sup != nil {
			m.node(n.Sup, script(st, true))
		}
	case *tex.Frac:
		m.frac(n, st)
	case *tex.Sqrt:
		m.sqrt(n, st)
	case *tex.Accent:
		m.node(n.Body, st)
		if c, ok := combining[n.Name]; ok && oneChar(n.Body) {
			m.emit(italic(st), c)
		}
	case *tex.Table:
		m.table(n, st)
	case *tex.Unknown:
		m.emit(upright(st), `\`+n.Name)
	}
}

// op sets an operator with TeX's space around relations and binary
// operators, and after punctuation.
func (m *mathSetter) op(n *tex.Op, st style) {
	switch n.Class {
	case tex.Rel, tex.Bin:
		m.emit(upright(st), " "+n.Text+" ")
	case tex.Punct:
		m.emit(upright(st), n.Text+" ")
	default:
		m.emit(upright(st), n.Text)
	}
}

// mathSpace returns the characters that give about em ems of space.
func mathSpace(em float64) string {
	switch {
	case em <= 0:
		return ""
	case em < 0.25:
		return "\u2009" // thin space
	case em < 0.5:
		return "\u00a0"
	case em < 1:
		return "\u2002" // en space
	}
	return strings.Repeat("\u2003", int(em+0.5)) // em spaces
}

// oneChar reports whether n sets a single character.
func oneChar(n tex.Node) bool {
	for {
		switch k := n.(type) {
		case *tex.Row:
			if len(k.Items) != 1 {
				return false
			}
			n = k.Items[0]
		case *tex.Ident:
			return len([]rune(k.Text)) == 1
		case *tex.Number:
			return len([]rune(k.Text)) == 1
		default:
			return false
		}
	}
}

// simple reports whether n reads as one term: a fraction's side without
// parentheses.
func simple(n tex.Node) bool {
	r, ok := n.(*tex.Row)
	if !ok {
		return true
	}
	for _, k := range r.Items {
		switch k := k.(type) {
		case *tex.Op:
			if k.Class == tex.Bin || k.Class == tex.Rel || k.Class == tex.Punct {
				return false
			}
		case *tex.Space:
			return false
		}
	}
	return true
}

// frac sets a fraction as a/b, each side in parentheses when it has more
// than one term; a binomial as (n choose k).
func (m *mathSetter) frac(n *tex.Frac, st style) {
	if n.Binom {
		m.emit(upright(st), "(")
		m.node(n.Num, st)
		m.emit(upright(st), " choose ")
		m.node(n.Den, st)
		m.emit(upright(st), ")")
		return
	}
	side := func(k tex.Node) {
		if simple(k) {
			m.node(k, st)
			return
		}
		m.emit(upright(st), "(")
		m.node(k, st)
		m.emit(upright(st), ")")
	}
	side(n.Num)
	m.emit(upright(st), "/")
	side(n.Den)
}

// sqrt sets a root: its index raised and small, the radical sign, and the
// radicand, in parentheses unless it is one character.
func (m *mathSetter) sqrt(n *tex.Sqrt, st style) {
	if n.Index != nil {
		idx := st
		idx.Size = round2(st.Size * 0.6)
		idx.Rise = st.Rise + st.Size*0.4
		m.node(n.Index, upright(idx))
	}
	m.emit(upright(st), "√")
	if oneChar(n.Body) {
		m.node(n.Body, st)
		return
	}
	m.emit(upright(st), "(")
	m.node(n.Body, st)
	m.emit(upright(st), ")")
}

// table sets a matrix-like environment on one line: cells apart, rows
// separated by semicolons, in the environment's delimiters.
func (m *mathSetter) table(t *tex.Table, st style) {
	open, close := tex.Fences(t.Env)
	m.emit(upright(st), open)
	for i, row := range t.Rows {
		if i > 0 {
			m.emit(upright(st), "; ")
		}
		for j, cell := range row {
			if j > 0 {
				m.emit(upright(st), " ")
			}
			m.node(cell, st)
		}
	}
	m.emit(upright(st), close)
}

// mathBlock sets display math in display style (flow_mathbox.go): each
// line of the formula a box centred in the measure, each row of an
// alignment standing alone a line of its own, its columns aligned with
// the other rows'.
func (c *converter) mathBlock(n *markup.MathBlock) {
	s := c.w.st
	c.vspace(s.Para * 1.5)
	lines := mathDisplay(n.Formula, c.mathFrame(c.width))
	// A display stays with the line of text before it, as TeX's
	// \predisplaypenalty keeps it, but a page may break between two
	// displays.
	afterText := len(c.items) > 0 && c.items[len(c.items)-1].Kind != "math"
	f := c.open("Formula")
	f.Alt = n.Formula.Source
	defer c.close(f)
	for i, l := range lines {
		if l.item == nil {
			lead := s.Leading * 1.1
			c.setText(l.spans, lineStyle{X: c.x, Width: c.width, Align: alignCenter, Lead: lead, Face: serif, Size: s.Body}, "math")
			continue
		}
		for _, op := range l.item.Ops {
			shiftOp(op, c.x, 0)
		}
		c.vspace(l.space)
		// A long display may break between its lines, but not after its
		// first or before its last.
		l.item.Keep = i == 0 && afterText || i > 0 && (len(lines) <= 4 || i == 1 || i == len(lines)-1)
		c.emit(l.item)
	}
	c.vspace(s.Para * 1.5)
}

// mathFrame is where a converter sets display math: the body size, the
// measure, and at most most of a page high.
func (c *converter) mathFrame(width float64) displayFrame {
	return displayFrame{size: c.w.st.Body, lead: c.w.st.Leading, width: width, height: c.w.g.TextH * 0.85, color: c.color, warn: c.tx.warn}
}

// displayFrame is the room and the type a display formula is set in.
type displayFrame struct {
	size, lead    float64
	width, height float64
	color         rgb
	warn          func(string, ...any)
}

// displayLine is a line of display math as the PDF sets it: an item
// holding its boxes, or the spans of a linear setting for a line too big
// to lay out; text is what it shows.
type displayLine struct {
	item  *Item
	space float64 // the space above it, from the line before
	spans []span
	text  string
}

// maxMathNodes bounds the nodes of one line of display math set in
// boxes; a longer line is set as text that breaks.
const maxMathNodes = 20000

// minMathScale is the smallest a line of display math is shrunk to fit
// the measure; one that would need more is set as text that breaks.
const minMathScale = 0.6

// mathDisplay sets the lines of a display formula in frame fr.
func mathDisplay(f *tex.Formula, fr displayFrame) []displayLine {
	ml := newMathLayout(fr.size, fr.color, fr.warn)
	st := style{Face: serif, Size: fr.size, Color: fr.color}
	linear := func(n tex.Node) displayLine {
		m := &mathSetter{}
		m.node(n, st)
		var s strings.Builder
		for _, sp := range m.spans {
			s.WriteString(sp.text)
		}
		return displayLine{spans: m.spans, text: s.String()}
	}
	var out []displayLine
	for _, line := range f.Lines {
		if len(line.Items) == 0 {
			continue
		}
		nodes := 0
		tex.Walk(line, func(tex.Node) { nodes++ })
		if t, ok := line.Items[0].(*tex.Table); ok && len(line.Items) == 1 && !fenced(t) {
			// An alignment alone: a line for each row.
			if nodes > maxMathNodes {
				for _, row := range t.Rows {
					out = append(out, linear(&tex.Row{Items: cellsOf(row)}))
				}
				continue
			}
			rows, sep := ml.tableRows(t, displayStyle)
			w, tall := 0.0, 0.0
			for _, r := range rows {
				w = max(w, r.w, inkOfOps(r.ops).x1)
				tall = max(tall, r.h+r.d)
			}
			k := fitScale(w, tall, fr)
			for i, r := range rows {
				if k < minMathScale {
					out = append(out, linear(&tex.Row{Items: cellsOf(t.Rows[i])}))
					continue
				}
				l := displayLine{item: displayItem(r, w, k, fr), text: r.text}
				if i > 0 {
					l.space = sep * k
				} else if len(out) > 0 {
					l.space = 0.4 * fr.size
				}
				out = append(out, l)
			}
			continue
		}
		if nodes > maxMathNodes {
			out = append(out, linear(line))
			continue
		}
		b := ml.row(line.Items, displayStyle, false)
		ink := inkOfOps(b.ops)
		k := fitScale(max(b.w, ink.x1)-min(0, ink.x0), b.h+b.d, fr)
		if k < minMathScale {
			out = append(out, linear(line))
			continue
		}
		l := displayLine{item: displayItem(b, b.w, k, fr), text: b.text}
		if len(out) > 0 {
			// Lines broken with \\ stand apart as gather's do: a jot
			// and a line skip.
			l.space = 0.4 * fr.size
		}
		out = append(out, l)
	}
	return out
}

// fitScale returns how much a box w wide and tall high must shrink to
// fit the frame: 1 when it fits.
func fitScale(w, tall float64, fr displayFrame) float64 {
	k := 1.0
	if w > fr.width {
		k = fr.width / w
	}
	if tall*k > fr.height {
		k = fr.height / tall
	}
	return k
}

// displayItem makes the item of a box: shrunk by k, centred as if it were
// w wide (the rows of an alignment share their width), with at least the
// height and depth of a line of text.
func displayItem(b *mbox, w, k float64, fr displayFrame) *Item {
	asc := baseline(serif, fr.size, fr.lead)
	desc := fr.lead - asc
	h, d := max(b.h*k, asc), max(b.d*k, desc)
	x := (fr.width - w*k) / 2
	// Keep the ink in the measure: an italic letter may overhang its box.
	if ink := inkOfOps(b.ops); ink.x1 >= ink.x0 {
		x = clamp(x, -ink.x0*k, fr.width-ink.x1*k)
	}
	for _, op := range b.ops {
		if k != 1 {
			scaleOp(op, k)
		}
		shiftOp(op, x, h)
	}
	return &Item{H: h + d, Base: h, Kind: "math", Ops: b.ops}
}

// rect is an extent: x0, y0 top left, x1, y1 bottom right, y down.
type rect struct{ x0, y0, x1, y1 float64 }

func emptyRect() rect { return rect{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)} }

func (r *rect) grow(x, y float64) {
	r.x0, r.y0 = min(r.x0, x), min(r.y0, y)
	r.x1, r.y1 = max(r.x1, x), max(r.y1, y)
}

func (r rect) union(o rect) rect {
	r.grow(o.x0, o.y0)
	r.grow(o.x1, o.y1)
	return r
}

func (r rect) cx() float64 { return (r.x0 + r.x1) / 2 }

// inkOfOp returns the extent of what an op of a formula draws: the
// outlines of its glyphs, the width of its rules.
func inkOfOp(op Op) rect {
	r := emptyRect()
	switch o := op.(type) {
	case *textOp:
		x := o.X
		for _, c := range o.S {
			g, _ := faceFor(o.Face, c)
			gi := inkOf(g, c)
			if gi.x1 > gi.x0 {
				r.grow(x+gi.x0*o.Size, o.Y-gi.top*o.Size)
				r.grow(x+gi.x1*o.Size, o.Y-gi.bottom*o.Size)
			}
			x += measure(g, o.Size, string(c))
		}
	case *lineOp:
		r.grow(min(o.X1, o.X2), min(o.Y1, o.Y2)-o.W/2)
		r.grow(max(o.X1, o.X2), max(o.Y1, o.Y2)+o.W/2)
	case *pathOp:
		pad := 0.0
		if o.Stroke != nil {
			pad = o.LineW / 2
		}
		for _, s := range o.Segs {
			for k := 0; k+1 < len(s.Pts); k += 2 {
				r.grow(s.Pts[k]-pad, s.Pts[k+1]-pad)
				r.grow(s.Pts[k]+pad, s.Pts[k+1]+pad)
			}
		}
	}
	return r
}

// inkOfOps returns the extent of what ops draw.
func inkOfOps(ops []Op) rect {
	r := emptyRect()
	for _, op := range ops {
		if k := inkOfOp(op); k.x1 >= k.x0 {
			r = r.union(k)
		}
	}
	return r
}

// scaleOp scales an op of a formula about its origin.
func scaleOp(op Op, k float64) {
	switch o := op.(type) {
	case *textOp:
		o.X, o.Y, o.Size = o.X*k, o.Y*k, o.Size*k
	case *lineOp:
		o.X1, o.Y1, o.X2, o.Y2, o.W = o.X1*k, o.Y1*k, o.X2*k, o.Y2*k, o.W*k
	case *pathOp:
		for i := range o.Segs {
			for j := range o.Segs[i].Pts {
				o.Segs[i].Pts[j] *= k
			}
		}
		o.LineW *= k
	}
}

// mathText returns what a display formula shows, as the PDF sets it.
func mathText(f *tex.Formula, fr displayFrame) string {
	var s strings.Builder
	for _, l := range mathDisplay(f, fr) {
		s.WriteString(l.text)
	}
	return s.String()
}

// cellsOf joins the cells of a table row, a space apart.
func cellsOf(row []*tex.Row) []tex.Node {
	var ns []tex.Node
	for i, cell := range row {
		if i > 0 {
			ns = append(ns, &tex.Space{Em: 0.25})
		}
		ns = append(ns, cell)
	}
	return ns
}

// fenced reports whether a table is set in delimiters (a matrix, cases).
func fenced(t *tex.Table) bool {
	open, close := tex.Fences(t.Env)
	return open != "" || close != ""
}
