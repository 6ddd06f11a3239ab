package pdf

import (
	"cmp"
	"html"
	"strconv"
	"strings"

	"github.com/bindery-books/bindery/book"
	"github.com/bindery-books/bindery/book/font"
	"github.com/bindery-books/bindery/book/markup"
	"github.com/yuin/goldmark/ast"
	extast "github.com/yuin/goldmark/extension/ast"
	"golang.org/x/net/html/atom"
)

// inlines returns the inline content of n as spans in the body style.
func (c *converter) inlines(n ast.Node) []span {
	return c.inlinesStyled(n, c.bodyStyle())
}

// inlinesStyled returns the inline content of n as spans, starting from st.
func (c *converter) inlinesStyled(n ast.Node, st style) []span {
	in := &inliner{c: c, cur: st}
	for k := n.FirstChild(); k != nil; k = k.NextSibling() {
		in.node(k)
	}
	if len(in.spans) > 0 && c.pos.File == c.ch.Path {
		// The block's first line; the text's newlines count the rest.
		in.spans[0].line = c.pos.Line
	}
	return in.spans
}

// inliner collects the spans of a run of inline nodes.
type inliner struct {
	c     *converter
	cur   style
	spans []span
	// open holds the text of span openAt-1 while text is added to it, so
	// a paragraph of many text nodes in one style (goldmark makes one of
	// each unmatched bracket) is joined in linear time.
	open   *strings.Builder
	openAt int
}

func (in *inliner) text(s string) {
	if s == "" {
		return
	}
	if n := len(in.spans); n > 0 && in.spans[n-1].st == in.cur && !in.spans[n-1].brk && in.spans[n-1].note == nil {
		if in.openAt != n {
			in.open, in.openAt = new(strings.Builder), n
			in.open.WriteString(in.spans[n-1].text)
		}
		in.open.WriteString(s)
		in.spans[n-1].text = in.open.String()
		return
	}
	in.spans = append(in.spans, span{st: in.cur, text: s})
}

func (in *inliner) lineBreak() {
	if n := len(in.spans); n > 0 {
		in.spans[n-1].brk = true
		return
	}
	in.spans = append(in.spans, span{st: in.cur, brk: true})
}

// with runs fn with the current style changed by change.
func (in *inliner) with(change func(*style), fn func()) {
	prev := in.cur
	change(&in.cur)
	fn()
	in.cur = prev
}

func (in *inliner) children(n ast.Node) {
	for k := n.FirstChild(); k != nil; k = k.NextSibling() {
		in.node(k)
	}
}

func addStyle(st *style, s font.Style) {
	st.Face.Style |= s
}

func (in *inliner) node(n ast.Node) {
	c := in.c
	switch n := n.(type) {
	case *ast.Text:
		in.text(book.TextValue(n, c.src))
		switch {
		case n.HardLineBreak():
			in.lineBreak()
		case n.SoftLineBreak():
			in.text("\n") // a space that counts the source's lines
		}
	case *ast.String:
		if n.IsCode() {
			in.text(html.UnescapeString(string(n.Value)))
		} else {
			in.text(string(n.Value))
		}
	case *ast.CodeSpan:
		var b strings.Builder
		for k := n.FirstChild(); k != nil; k = k.NextSibling() {
			switch t := k.(type) {
			case *ast.Text:
				b.Write(t.Segment.Value(c.src))
			case *ast.String:
				b.Write(t.Value)
			}
		}
		in.with(codeStyle, func() { in.text(b.String()) })
	case *ast.Emphasis:
		s := font.Italic
		if n.Level >= 2 {
			s = font.Bold
		}
		in.with(func(st *style) { addStyle(st, s) }, func() { in.children(n) })
	case *extast.Strikethrough:
		in.with(func(st *style) { st.Strike = true }, func() { in.children(n) })
	case *book.Link:
		in.with(func(st *style) { c.linkStyle(st, n.Target) }, func() { in.children(n) })
	case *book.Image:
		in.image(n)
	case *book.HTML:
		in.html(n)
	case *book.HTMLText:
		in.text(collapse(n.Value))
	case *extast.FootnoteLink:
		c.at(n)
		key := noteAnchor(c.ch, n.Index)
		st := in.cur
		st.Face = font.Face{Family: font.Sans, Style: font.Regular}
		st.Size = round2(in.cur.Size * 0.68)
		st.Rise = in.cur.Size * 0.36
		st.Color = linkBlue
		st.Link = key
		st.Code, st.Strike, st.URL = false, false, ""
		in.spans = append(in.spans, span{st: st, text: strconv.Itoa(n.Index), note: c.notes[n.Index]})
		c.cite(c.notes[n.Index])
	case *extast.FootnoteBacklink, *extast.TaskCheckBox:
	case *markup.MathInline:
		st := in.cur
		st.Tag = &Tag{Type: "Formula", Alt: n.Formula.Source, Inline: true, Parent: in.cur.Tag}
		in.spans = append(in.spans, mathSpans(n.Formula, st)...)
	default:
		in.children(n)
	}
}

// image sets a picture met inside a line of text by its alt text, and a
// remote one that was not fetched by its address too.
func (in *inliner) image(n *book.Image) {
	grey := func(st *style) { addStyle(st, font.Italic); st.Color = grey }
	if n.RemoteURL == "" {
		in.with(grey, func() { in.text("[" + cmp.Or(n.Alt, "image") + "]") })
		return
	}
	in.with(grey, func() { in.text("[" + cmp.Or(n.Alt, "image") + ": ") })
	in.with(func(st *style) { st.Color, st.URL = linkBlue, n.RemoteURL }, func() { in.text(n.RemoteURL) })
	in.with(grey, func() { in.text("]") })
}

// html sets an element of raw HTML inside a line of text: a line break, or
// its content in the element's style. A block element met there (in a
// table cell, or raw HTML nested badly) starts and ends a line.
func (in *inliner) html(n *book.HTML) {
	if n.Tag == atom.Br {
		in.lineBreak()
		return
	}
	block := n.Type() == ast.TypeBlock && n.Name != ""
	if block && len(in.spans) > 0 {
		in.lineBreak()
	}
	in.with(func(st *style) {
		htmlInlineStyle(n.Tag, st)
		if lang := n.Attr("lang"); lang != "" && lang != in.c.w.bookLang() {
			// Text in another language: a Span with its /Lang.
			st.Tag = &Tag{Type: "Span", Lang: lang, Inline: true, Parent: st.Tag}
		}
	}, func() { in.children(n) })
	if block {
		in.lineBreak()
	}
}

func codeStyle(st *style) {
	bold := st.Face.Style&font.Bold != 0
	st.Face = mono
	if bold {
		st.Face = monoBold
	}
	st.Size = round2(st.Size * 0.86)
	st.Code = true
}

// linkStyle colours a link and points it at its target. A link set as
// text (a page outside the book without base_url, a refused URL) stays
// plain.
func (c *converter) linkStyle(st *style, t book.Target) {
	switch t.Kind {
	case book.Internal:
		st.Color = linkBlue
		switch {
		case t.Note > 0:
			st.Link = noteAnchor(t.Chapter, t.Note)
		case t.Fragment != "":
			st.Link = headingAnchor(t.Chapter, t.Fragment)
		default:
			st.Link = chapterAnchor(t.Chapter)
		}
	case book.External, book.Outside:
		if t.URL != "" {
			st.Color = linkBlue
			st.URL = t.URL
		}
	}
}

// htmlInlineStyle changes st for an inline element of raw HTML.
func htmlInlineStyle(tag atom.Atom, st *style) {
	switch tag {
	case atom.B, atom.Strong:
		addStyle(st, font.Bold)
	case atom.I, atom.Em, atom.Cite, atom.Dfn, atom.Var:
		addStyle(st, font.Italic)
	case atom.Code, atom.Kbd, atom.Samp, atom.Tt:
		codeStyle(st)
	case atom.S, atom.Del, atom.Strike:
		st.Strike = true
	case atom.Sup:
		st.Rise += st.Size * 0.33
		st.Size = round2(st.Size * 0.72)
	case atom.Sub:
		st.Rise -= st.Size * 0.15
		st.Size = round2(st.Size * 0.72)
	case atom.Small:
		st.Size = round2(st.Size * 0.85)
	}
}
