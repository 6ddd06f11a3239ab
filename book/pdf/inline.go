package pdf

import (
	"html"
	"regexp"
	"strconv"
	"strings"

	"github.com/bindery-books/bindery/book"
	"github.com/bindery-books/bindery/book/font"
	"github.com/yuin/goldmark/ast"
	extast "github.com/yuin/goldmark/extension/ast"
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
	return in.spans
}

// inliner collects spans. Raw HTML tags inside a paragraph open and close
// styles on a stack, since goldmark gives each tag as its own node.
type inliner struct {
	c     *converter
	cur   style
	stack []htmlStyle
	spans []span
}

type htmlStyle struct {
	tag  string
	prev style
}

func (in *inliner) text(s string) {
	if s == "" {
		return
	}
	if n := len(in.spans); n > 0 && in.spans[n-1].st == in.cur && !in.spans[n-1].brk && in.spans[n-1].note == nil {
		in.spans[n-1].text += s
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
		in.text(string(n.Segment.Value(c.src)))
		switch {
		case n.HardLineBreak():
			in.lineBreak()
		case n.SoftLineBreak():
			in.text(" ")
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
	case *ast.Link:
		t := c.w.b.Link(c.ch, string(n.Destination))
		in.with(func(st *style) { c.linkStyle(st, t) }, func() { in.children(n) })
	case *ast.AutoLink:
		u := string(n.URL(c.src))
		if n.AutoLinkType == ast.AutoLinkEmail && !strings.HasPrefix(strings.ToLower(u), "mailto:") {
			u = "mailto:" + u
		}
		in.with(func(st *style) { st.Color, st.URL = linkBlue, u }, func() { in.text(string(n.Label(c.src))) })
	case *ast.Image:
		alt := book.PlainText(n, c.src)
		if alt == "" {
			alt = "image"
		}
		in.with(func(st *style) { addStyle(st, font.Italic); st.Color = grey }, func() { in.text("[" + alt + "]") })
		c.w.checkImage(c, n)
	case *ast.RawHTML:
		in.rawHTML(n)
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
	case *extast.FootnoteBacklink, *extast.TaskCheckBox:
	case *book.MathInline:
		in.spans = append(in.spans, mathSpans(n.TeX, in.cur)...)
	default:
		in.children(n)
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

// linkStyle colours a link and points it at its target. A link to a page
// outside the book without base_url stays plain text.
func (c *converter) linkStyle(st *style, t book.Target) {
	switch t.Kind {
	case book.Internal:
		st.Color = linkBlue
		st.Link = chapterAnchor(t.Chapter)
		if t.Fragment != "" {
			st.Link = headingAnchor(t.Chapter, t.Fragment)
			if strings.HasPrefix(t.Fragment, "fn:") {
				st.Link = noteAnchor(t.Chapter, atoi(strings.TrimPrefix(t.Fragment, "fn:")))
			}
		}
	case book.External, book.Outside:
		if t.URL != "" {
			st.Color = linkBlue
			st.URL = t.URL
		}
	}
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

var (
	tagRE  = regexp.MustCompile(`^<\s*(/?)\s*([a-zA-Z][a-zA-Z0-9-]*)([^>]*?)(/?)\s*>$`)
	attrRE = regexp.MustCompile(`([a-zA-Z_:][-a-zA-Z0-9_:.]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))`)
)

// attrs parses the attributes of a tag.
func attrs(s string) map[string]string {
	m := map[string]string{}
	for _, a := range attrRE.FindAllStringSubmatch(s, -1) {
		m[strings.ToLower(a[1])] = html.UnescapeString(a[2] + a[3] + a[4])
	}
	return m
}

// rawHTML applies one inline tag: a line break, or the start or end of a
// style. Tags the PDF has no use for are dropped; their text stays.
func (in *inliner) rawHTML(n *ast.RawHTML) {
	c := in.c
	var raw strings.Builder
	for i := 0; i < n.Segments.Len(); i++ {
		s := n.Segments.At(i)
		raw.Write(s.Value(c.src))
	}
	m := tagRE.FindStringSubmatch(strings.TrimSpace(raw.String()))
	if m == nil {
		return // a comment, a processing instruction
	}
	closing, name, attr := m[1] == "/", strings.ToLower(m[2]), m[3]
	if name == "br" {
		in.lineBreak()
		return
	}
	if closing {
		for i := len(in.stack) - 1; i >= 0; i-- {
			if in.stack[i].tag == name {
				in.cur = in.stack[i].prev
				in.stack = in.stack[:i]
				return
			}
		}
		return
	}
	if m[4] == "/" {
		if name == "img" {
			a := attrs(attr)
			in.with(func(st *style) { addStyle(st, font.Italic); st.Color = grey }, func() { in.text("[" + cmpOr(a["alt"], "image") + "]") })
		}
		return
	}
	if name == "img" {
		a := attrs(attr)
		in.with(func(st *style) { addStyle(st, font.Italic); st.Color = grey }, func() { in.text("[" + cmpOr(a["alt"], "image") + "]") })
		return
	}
	prev := in.cur
	if !htmlInlineStyle(c, name, attrs(attr), &in.cur) {
		in.cur = prev
		return
	}
	in.stack = append(in.stack, htmlStyle{tag: name, prev: prev})
}

// htmlInlineStyle changes st for an inline HTML element and reports whether
// the element is one that has an end tag to wait for.
func htmlInlineStyle(c *converter, name string, a map[string]string, st *style) bool {
	switch name {
	case "b", "strong":
		addStyle(st, font.Bold)
	case "i", "em", "cite", "dfn", "var":
		addStyle(st, font.Italic)
	case "code", "kbd", "samp", "tt":
		codeStyle(st)
	case "s", "del", "strike":
		st.Strike = true
	case "sup":
		st.Rise += st.Size * 0.33
		st.Size = round2(st.Size * 0.72)
	case "sub":
		st.Rise -= st.Size * 0.15
		st.Size = round2(st.Size * 0.72)
	case "small":
		st.Size = round2(st.Size * 0.85)
	case "mark", "u", "ins", "abbr", "span", "font", "q", "time", "data", "bdi", "bdo", "label", "nobr":
	case "a":
		if href, ok := a["href"]; ok {
			c.linkStyle(st, c.w.b.Link(c.ch, href))
		}
	default:
		return false
	}
	return true
}

func cmpOr(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
