package pdf

import (
	"strconv"
	"strings"

	"github.com/bindery-books/bindery/book"
	"github.com/bindery-books/bindery/book/font"
	"github.com/yuin/goldmark/ast"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// htmlBlock sets a raw HTML block. Elements the PDF knows map to the flow:
// paragraphs, headings, lists, block quotes, tables, preformatted text,
// details, images, line breaks and inline styles. Scripts, styles, frames,
// forms and media are dropped; any other element gives its text.
func (c *converter) htmlBlock(n *ast.HTMLBlock) {
	raw := linesText(n, c.src)
	if n.HasClosure() {
		raw += string(n.ClosureLine.Value(c.src))
	}
	nodes, err := html.ParseFragment(strings.NewReader(raw), &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body})
	if err != nil {
		return
	}
	h := &htmlConv{c: c, base: c.bodyStyle()}
	for _, k := range nodes {
		h.node(k, 0)
	}
	h.flush()
}

// dropped are the elements whose content a reader of a book never sees:
// scripts, styles, frames, forms, media and the document's head.
var dropped = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Iframe: true, atom.Object: true, atom.Embed: true,
	atom.Form: true, atom.Noscript: true, atom.Template: true, atom.Head: true, atom.Title: true,
	atom.Svg: true, atom.Math: true, atom.Video: true, atom.Audio: true, atom.Canvas: true,
	atom.Button: true, atom.Input: true, atom.Select: true, atom.Textarea: true, atom.Link: true,
	atom.Meta: true, atom.Base: true, atom.Frame: true, atom.Frameset: true,
}

type htmlConv struct {
	c    *converter
	base style
	in   *inliner
}

// para returns the paragraph being collected.
func (h *htmlConv) para() *inliner {
	if h.in == nil {
		h.in = &inliner{c: h.c, cur: h.base}
	}
	return h.in
}

// flush sets the collected paragraph, if it has any text.
func (h *htmlConv) flush() {
	if h.in == nil {
		return
	}
	spans := h.in.spans
	h.in = nil
	empty := true
	for _, sp := range spans {
		if strings.TrimSpace(sp.text) != "" {
			empty = false
		}
	}
	if empty {
		return
	}
	c := h.c
	c.vspace(c.w.st.Para)
	c.paragraph(spans, alignLeft)
	c.vspace(c.w.st.Para)
}

func attr(n *html.Node, name string) string {
	for _, a := range n.Attr {
		if a.Key == name {
			return a.Val
		}
	}
	return ""
}

// textOf returns the text of n and its descendants.
func textOf(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			b.WriteString(n.Data)
		case html.ElementNode:
			if dropped[n.DataAtom] {
				return
			}
			switch n.DataAtom {
			case atom.Br:
				b.WriteByte('\n')
			}
		}
		for k := n.FirstChild; k != nil; k = k.NextSibling {
			walk(k)
		}
	}
	walk(n)
	return b.String()
}

func collapse(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		if r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\f' {
			space = true
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	if space {
		b.WriteByte(' ')
	}
	return b.String()
}

func (h *htmlConv) children(n *html.Node, depth int) {
	for k := n.FirstChild; k != nil; k = k.NextSibling {
		h.node(k, depth+1)
	}
}

func (h *htmlConv) node(n *html.Node, depth int) {
	c := h.c
	s := c.w.st
	if depth > maxDepth {
		h.para().text(collapse(textOf(n)))
		return
	}
	switch n.Type {
	case html.TextNode:
		h.para().text(collapse(n.Data))
		return
	case html.ElementNode:
	default:
		return
	}
	if dropped[n.DataAtom] {
		return
	}
	switch n.DataAtom {
	case atom.Br:
		h.para().lineBreak()
	case atom.Img:
		h.flush()
		h.image(n)
	case atom.Hr:
		h.flush()
		c.block(ast.NewThematicBreak())
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		h.flush()
		lvl := int(n.Data[1]-'0') + 1
		size := s.Heads[min(lvl, 6)]
		c.vspace(s.Leading)
		saved := h.base
		h.base = style{Face: sansBold, Size: size, Color: black}
		h.children(n, depth)
		if h.in != nil {
			spans := h.in.spans
			h.in = nil
			c.setText(spans, lineStyle{X: c.x, Width: c.width, Lead: size * 1.25, Face: sansBold, Size: size}, "heading")
			c.keep = 2
		}
		h.base = saved
		c.vspace(s.Para)
	case atom.Blockquote:
		h.flush()
		c.vspace(s.Para)
		c.openFrame(&Frame{X: c.x, W: c.width, Bar: &quoteRule, BarW: 2.2, PadTop: 1, PadBottom: 1, Kind: "quote"})
		c.indent(s.Body*1.4, s.Body*0.8, func() { h.children(n, depth); h.flush() })
		c.closeFrame()
		c.vspace(s.Para)
	case atom.Ul, atom.Ol:
		h.flush()
		h.list(n, depth)
	case atom.Dl:
		h.flush()
		for k := n.FirstChild; k != nil; k = k.NextSibling {
			switch k.DataAtom {
			case atom.Dt:
				saved := h.base
				addStyle(&h.base, font.Bold)
				h.children(k, depth+1)
				h.flush()
				h.base = saved
				c.keep = 1
			case atom.Dd:
				c.indent(s.Body*1.5, 0, func() { h.children(k, depth+1); h.flush() })
			}
		}
	case atom.Pre:
		h.flush()
		lang := ""
		if code := n.FirstChild; code != nil && code.DataAtom == atom.Code {
			for _, cls := range strings.Fields(attr(code, "class")) {
				if l, ok := strings.CutPrefix(cls, "language-"); ok {
					lang = l
				}
			}
		}
		c.codeBlock(book.CodeLanguage(lang), strings.TrimPrefix(textOf(n), "\n"))
	case atom.Table:
		h.flush()
		h.table(n)
	case atom.Details:
		h.flush()
		c.vspace(s.Para * 1.2)
		c.openFrame(&Frame{X: c.x, W: c.width, Border: &codeEdge, PadTop: s.Body * 0.5, PadBottom: s.Body * 0.4, Kind: "details"})
		c.indent(s.Body*0.9, s.Body*0.9, func() {
			for k := n.FirstChild; k != nil; k = k.NextSibling {
				if k.DataAtom == atom.Summary {
					c.setText([]span{{st: style{Face: sansBold, Size: s.Body * 0.95, Color: black}, text: "▸ " + strings.TrimSpace(collapse(textOf(k)))}},
						lineStyle{X: c.x, Width: c.width, Lead: s.Leading, Face: sansBold, Size: s.Body * 0.95}, "label")
					c.keep = 1
					continue
				}
				h.node(k, depth+1)
			}
			h.flush()
		})
		c.closeFrame()
		c.vspace(s.Para * 1.2)
	case atom.P, atom.Div, atom.Section, atom.Article, atom.Header, atom.Footer, atom.Main, atom.Center,
		atom.Figure, atom.Figcaption, atom.Address, atom.Nav, atom.Aside, atom.Summary, atom.Li, atom.Body, atom.Html,
		atom.Caption, atom.Fieldset, atom.Legend, atom.Picture:
		h.flush()
		h.children(n, depth)
		h.flush()
	default:
		in := h.para()
		prev := in.cur
		if htmlInlineStyle(c, n.Data, attrMap(n), &in.cur) {
			h.children(n, depth)
			in = h.para()
			in.cur = prev
			return
		}
		in.cur = prev
		h.children(n, depth)
	}
}

func attrMap(n *html.Node) map[string]string {
	m := map[string]string{}
	for _, a := range n.Attr {
		m[a.Key] = a.Val
	}
	return m
}

// image sets an <img> as a figure.
func (h *htmlConv) image(n *html.Node) {
	c := h.c
	src := attr(n, "src")
	alt := attr(n, "alt")
	if src == "" {
		return
	}
	res, err := c.w.b.Resource(c.ch, src)
	if err != nil {
		c.w.b.ImageProblem(c.pos, src, err)
		c.placeholder(cmpOr(alt, src), "missing image")
		return
	}
	if res.Remote && !c.w.b.FetchRemote() {
		c.w.b.RemoteImage(c.pos, src, false)
		h.para().text("[" + cmpOr(alt, "image") + ": " + src + "]")
		h.flush()
		return
	}
	pic, err := c.w.load(res)
	if err != nil {
		c.w.b.ImageProblem(c.pos, src, err)
		c.placeholder(cmpOr(alt, src), "image not shown")
		return
	}
	c.picture(pic, cmpOr(attr(n, "title"), alt))
}

// list sets <ul> and <ol> like markdown lists.
func (h *htmlConv) list(n *html.Node, depth int) {
	c := h.c
	s := c.w.st
	c.vspace(s.Para)
	ordered := n.DataAtom == atom.Ol
	num := 1
	if v := attr(n, "start"); v != "" {
		num = max(atoi(v), 0)
	}
	indent := s.Body * 1.5
	if ordered {
		indent = s.Body * 2.2
	}
	for k := n.FirstChild; k != nil; k = k.NextSibling {
		if k.Type != html.ElementNode || k.DataAtom != atom.Li {
			continue
		}
		if ordered {
			lbl := strconv.Itoa(num) + "."
			c.marker = []Op{&textOp{X: c.x + indent - s.Body*0.45 - measure(serif, s.Body, lbl), Face: serif, Size: s.Body, Color: c.color, S: lbl}}
		} else {
			c.marker = []Op{&textOp{X: c.x + indent*0.35, Face: serif, Size: s.Body, Color: c.color, S: "•"}}
		}
		num++
		c.indent(indent, 0, func() {
			h.children(k, depth+1)
			h.flushTight()
		})
		c.marker = nil
	}
	c.vspace(s.Para)
}

// flushTight sets the collected paragraph without paragraph space, as in a tight list.
func (h *htmlConv) flushTight() {
	if h.in == nil {
		return
	}
	spans := h.in.spans
	h.in = nil
	c := h.c
	c.paragraph(spans, alignLeft)
}

// table gathers the rows of an HTML table.
func (h *htmlConv) table(n *html.Node) {
	c := h.c
	s := c.w.st
	var t tableSpec
	var rows func(*html.Node, bool)
	rows = func(n *html.Node, head bool) {
		for k := n.FirstChild; k != nil; k = k.NextSibling {
			switch k.DataAtom {
			case atom.Thead:
				rows(k, true)
			case atom.Tbody, atom.Tfoot:
				rows(k, false)
			case atom.Tr:
				var cells []tableCell
				allTH := true
				for cell := k.FirstChild; cell != nil; cell = cell.NextSibling {
					if cell.DataAtom != atom.Td && cell.DataAtom != atom.Th {
						continue
					}
					st := style{Face: serif, Size: s.Small, Color: black}
					if cell.DataAtom == atom.Th {
						st.Face = sansBold
					} else {
						allTH = false
					}
					sub := &htmlConv{c: c, base: st}
					for x := cell.FirstChild; x != nil; x = x.NextSibling {
						sub.inlineOnly(x)
					}
					var spans []span
					if sub.in != nil {
						spans = sub.in.spans
					}
					al := alignLeft
					switch strings.ToLower(attr(cell, "align") + attr(cell, "style")) {
					case "right", "text-align: right", "text-align:right":
						al = alignRight
					case "center", "text-align: center", "text-align:center":
						al = alignCenter
					}
					cells = append(cells, tableCell{spans: spans, align: al})
				}
				if head || allTH && len(t.body) == 0 && len(cells) > 0 {
					t.head = append(t.head, cells)
				} else {
					t.body = append(t.body, cells)
				}
			}
		}
	}
	rows(n, false)
	c.layoutTable(t)
}

// inlineOnly collects the text of n as inline spans, block elements
// becoming line breaks: the content of a table cell.
func (h *htmlConv) inlineOnly(n *html.Node) {
	switch n.Type {
	case html.TextNode:
		h.para().text(collapse(n.Data))
		return
	case html.ElementNode:
	default:
		return
	}
	if dropped[n.DataAtom] {
		return
	}
	switch n.DataAtom {
	case atom.Br:
		h.para().lineBreak()
		return
	case atom.Img:
		h.para().text("[" + cmpOr(attr(n, "alt"), "image") + "]")
		return
	}
	in := h.para()
	prev := in.cur
	htmlInlineStyle(h.c, n.Data, attrMap(n), &in.cur)
	for k := n.FirstChild; k != nil; k = k.NextSibling {
		h.inlineOnly(k)
	}
	h.para().cur = prev
	switch n.DataAtom {
	case atom.P, atom.Div, atom.Li:
		h.para().lineBreak()
	}
}
