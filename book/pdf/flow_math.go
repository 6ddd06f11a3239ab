package pdf

import (
	"strings"
	"unicode"

	"github.com/bindery-books/bindery/book/font"
	"github.com/bindery-books/bindery/book/markup"
	"github.com/bindery-books/bindery/book/tex"
)

// Math in the PDF is set from the formula's tree the way TeX sets text
// math: letters in italic, digits, operators and function names upright,
// space around relations and binary operators, superscripts and
// subscripts raised and smaller, fractions as a/b. It is no TeX engine,
// but it reads as mathematics, never as source.

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

// mathBlock sets display math centred: a line for each line of the
// formula, and for each row of a table that is a line on its own.
func (c *converter) mathBlock(n *markup.MathBlock) {
	s := c.w.st
	c.vspace(s.Para * 1.5)
	size := round2(s.Body * 1.1)
	st := style{Face: serif, Size: size, Color: c.color}
	set := func(n tex.Node) {
		m := &mathSetter{}
		m.node(n, st)
		c.setText(m.spans, lineStyle{X: c.x, Width: c.width, Align: alignCenter, Lead: size * 1.6, Face: serif, Size: size}, "math")
	}
	for _, line := range n.Formula.Lines {
		if len(line.Items) == 1 {
			if t, ok := line.Items[0].(*tex.Table); ok && !fenced(t) {
				for _, row := range t.Rows {
					set(&tex.Row{Items: cellsOf(row)})
				}
				continue
			}
		}
		if len(line.Items) > 0 {
			set(line)
		}
	}
	c.vspace(s.Para * 1.5)
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
