package epub

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/bindery-books/bindery/book/tex"
)

// mathML writes a formula as MathML, keeping the TeX as its annotation and
// alt text.
func mathML(f *tex.Formula) string {
	d := ""
	if f.Display {
		d = ` display="block"`
	}
	var b strings.Builder
	m := &mathWriter{b: &b, display: f.Display}
	fmt.Fprintf(&b, `<math xmlns="http://www.w3.org/1998/Math/MathML"%s alttext="%s"><semantics>`, d, esc(f.Source))
	if len(f.Lines) == 1 {
		m.row(f.Lines[0])
	} else {
		// Lines of display math broken with \\ are the rows of a table.
		b.WriteString("<mtable>")
		for _, l := range f.Lines {
			b.WriteString("<mtr><mtd>")
			m.row(l)
			b.WriteString("</mtd></mtr>")
		}
		b.WriteString("</mtable>")
	}
	fmt.Fprintf(&b, `<annotation encoding="application/x-tex">%s</annotation></semantics></math>`, esc(f.Source))
	return b.String()
}

type mathWriter struct {
	b       *strings.Builder
	display bool
}

func xmlText(s string) string { return escapeXML(s, true) }

// accentMarks are the spacing characters MathML sets over an accent's base.
var accentMarks = map[string]string{
	"hat": "^", "widehat": "^", "bar": "¯", "overline": "¯", "vec": "→", "overrightarrow": "→", "tilde": "~",
	"widetilde": "~", "dot": "˙", "ddot": "¨", "check": "ˇ", "acute": "´", "grave": "`", "breve": "˘",
	"underline": "_",
}

func (m *mathWriter) row(r *tex.Row) {
	m.b.WriteString("<mrow>")
	m.items(r.Items)
	m.b.WriteString("</mrow>")
}

func (m *mathWriter) items(ns []tex.Node) {
	for _, n := range ns {
		m.node(n)
	}
}

// element writes <name attrs>…</name> around what fn writes.
func (m *mathWriter) element(name, attrs string, fn func()) {
	m.b.WriteString("<" + name + attrs + ">")
	fn()
	m.b.WriteString("</" + name + ">")
}

func (m *mathWriter) text(name, attrs, s string) {
	m.element(name, attrs, func() { m.b.WriteString(xmlText(s)) })
}

// limits reports whether n takes scripts above and below in this formula.
func (m *mathWriter) limits(n tex.Node) bool {
	if !m.display {
		return false
	}
	switch n := n.(type) {
	case *tex.Op:
		return n.Limits
	case *tex.Func:
		return n.Limits
	}
	return false
}

func (m *mathWriter) node(n tex.Node) {
	switch n := n.(type) {
	case *tex.Row:
		m.row(n)
	case *tex.Ident:
		attrs := ""
		if n.Variant != "" {
			attrs = ` mathvariant="` + n.Variant + `"`
		}
		m.text("mi", attrs, n.Text)
	case *tex.Number:
		m.text("mn", "", n.Text)
	case *tex.Op:
		attrs := ""
		switch {
		case n.Limits:
			attrs = ` movablelimits="true"`
		case n.Stretchy:
			attrs = ` stretchy="true"`
		}
		m.text("mo", attrs, n.Text)
	case *tex.Func:
		if n.Limits {
			m.text("mo", ` movablelimits="true"`, n.Name)
			return
		}
		m.text("mi", ` mathvariant="normal"`, n.Name)
		m.b.WriteString("<mo>\u2061</mo>")
	case *tex.Text:
		attrs := ""
		if n.Variant != "" {
			attrs = ` mathvariant="` + n.Variant + `"`
		}
		m.text("mtext", attrs, n.Text)
	case *tex.Space:
		fmt.Fprintf(m.b, `<mspace width="%sem"></mspace>`, strconv.FormatFloat(n.Em, 'f', -1, 64))
	case *tex.Scripts:
		m.scripts(n)
	case *tex.Frac:
		if n.Binom {
			m.b.WriteString(`<mrow><mo>(</mo><mfrac linethickness="0">`)
			m.node(n.Num)
			m.node(n.Den)
			m.b.WriteString(`</mfrac><mo>)</mo></mrow>`)
			return
		}
		m.element("mfrac", "", func() { m.node(n.Num); m.node(n.Den) })
	case *tex.Sqrt:
		if n.Index != nil {
			m.element("mroot", "", func() { m.node(n.Body); m.node(n.Index) })
			return
		}
		m.element("msqrt", "", func() { m.node(n.Body) })
	case *tex.Accent:
		if n.Name == "underline" {
			m.element("munder", ` accentunder="true"`, func() { m.node(n.Body); m.text("mo", "", accentMarks[n.Name]) })
			return
		}
		m.element("mover", ` accent="true"`, func() { m.node(n.Body); m.text("mo", "", accentMarks[n.Name]) })
	case *tex.Table:
		m.table(n)
	case *tex.Unknown:
		m.text("mtext", "", `\`+n.Name)
	}
}

// scripts writes a base with its scripts: beside it, or above and below
// for large operators and \lim-like functions in display math.
func (m *mathWriter) scripts(n *tex.Scripts) {
	under := m.limits(n.Base)
	base := func() { m.node(n.Base) }
	sub := func() { m.node(n.Sub) }
	sup := func() { m.node(n.Sup) }
	switch {
	case n.Sub != nil && n.Sup != nil:
		name := "msubsup"
		if under {
			name = "munderover"
		}
		m.element(name, "", func() { base(); sub(); sup() })
	case n.Sub != nil:
		name := "msub"
		if under {
			name = "munder"
		}
		m.element(name, "", func() { base(); sub() })
	default:
		name := "msup"
		if under {
			name = "mover"
		}
		m.element(name, "", func() { base(); sup() })
	}
}

// table writes a matrix-like environment, in its delimiters.
func (m *mathWriter) table(t *tex.Table) {
	open, close := tex.Fences(t.Env)
	if open != "" || close != "" {
		m.b.WriteString("<mrow>")
		if open != "" {
			m.text("mo", "", open)
		}
	}
	m.b.WriteString("<mtable>")
	for _, row := range t.Rows {
		m.b.WriteString("<mtr>")
		for _, cell := range row {
			m.b.WriteString("<mtd>")
			m.items(cell.Items)
			m.b.WriteString("</mtd>")
		}
		m.b.WriteString("</mtr>")
	}
	m.b.WriteString("</mtable>")
	if open != "" || close != "" {
		if close != "" {
			m.text("mo", "", close)
		}
		m.b.WriteString("</mrow>")
	}
}
