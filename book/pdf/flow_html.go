package pdf

import (
	"cmp"
	"strconv"
	"strings"

	"github.com/bindery-books/bindery/book"
	"github.com/bindery-books/bindery/book/font"
	"github.com/yuin/goldmark/ast"
	"golang.org/x/net/html/atom"
)

// Raw HTML reaches the PDF as elements that passed the book's allowlist,
// with markdown between their tags as their children. Elements the PDF
// knows map to the flow: paragraphs, headings, lists, block quotes, tables,
// details, rules, line breaks and inline styles; any other element gives
// its content.

// htmlBlock sets a block element of raw HTML.
func (c *converter) htmlBlock(n *book.HTML) {
	s := c.w.st
	if lang := n.Attr("lang"); lang != "" && lang != c.w.bookLang() && n.Type() != ast.TypeInline {
		// A block in another language: a Div with its /Lang.
		div := c.open("Div")
		div.Lang = lang
		defer c.close(div)
	}
	switch n.Tag {
	case atom.Hr:
		c.rule()
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		c.htmlHeading(n)
	case atom.Blockquote:
		c.vspace(s.Para)
		c.openFrame(&Frame{X: c.x, W: c.width, Bar: &quoteRule, BarW: 2.2, PadTop: 1, PadBottom: 1, Kind: "quote"})
		c.within("BlockQuote", func() {
			c.indent(s.Body*1.4, s.Body*0.8, func() { c.children(n) })
		})
		c.closeFrame()
		c.vspace(s.Para)
	case atom.Ul, atom.Ol:
		c.htmlList(n)
	case atom.Dl:
		c.htmlDefinitions(n)
	case atom.Table:
		c.htmlTable(n)
	case atom.Details:
		c.htmlDetails(n)
	default:
		if n.Type() == ast.TypeInline {
			c.inlineRun([]ast.Node{n})
			return
		}
		// p, div, section, figure, …, and the holders of text: their content.
		c.children(n)
	}
}

// inlineRun sets inline nodes met among blocks (raw HTML's text and inline
// elements) as a paragraph. A picture alone in it is set as a figure.
func (c *converter) inlineRun(run []ast.Node) {
	if img := lonePicture(run); img != nil {
		c.picture(img.Picture, cmp.Or(img.Title, img.Alt), img.Alt)
		return
	}
	in := &inliner{c: c, cur: c.bodyStyle()}
	for _, k := range run {
		in.node(k)
	}
	c.htmlParagraph(in.spans, true)
}

// lonePicture returns the image of a run that holds one shown image and
// nothing else but white space, or nil.
func lonePicture(run []ast.Node) *book.Image {
	var img *book.Image
	for _, k := range run {
		switch k := k.(type) {
		case *book.Image:
			if img != nil || k.Picture == nil {
				return nil
			}
			img = k
		case *book.HTMLText:
			if strings.TrimSpace(k.Value) != "" {
				return nil
			}
		default:
			return nil
		}
	}
	return img
}

// htmlParagraph sets spans of raw HTML ragged right, with paragraph space
// around them unless tight; it sets nothing when they hold no text.
func (c *converter) htmlParagraph(spans []span, spaced bool) {
	empty := true
	for _, sp := range spans {
		if strings.TrimSpace(sp.text) != "" {
			empty = false
		}
	}
	if empty {
		return
	}
	if spaced {
		c.vspace(c.w.st.Para)
	}
	c.paragraph(spans, alignLeft)
	if spaced {
		c.vspace(c.w.st.Para)
	}
}

// collapse collapses runs of HTML white space into one space.
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

// htmlHeading sets <h1>…<h6> one level below markdown's of the same number.
func (c *converter) htmlHeading(n *book.HTML) {
	s := c.w.st
	size := s.Heads[min(int(n.Name[1]-'0')+1, 6)]
	c.vspace(s.Leading)
	in := &inliner{c: c, cur: style{Face: sansBold, Size: size, Color: black}}
	in.children(n)
	c.heading(min(int(n.Name[1]-'0')+1, 6), func() {
		if c.setText(in.spans, lineStyle{X: c.x, Width: c.width, Lead: size * 1.25, Face: sansBold, Size: size}, "heading") != nil {
			c.keep = 2
		}
	})
	c.vspace(s.Para)
}

// htmlList sets <ul> and <ol> like markdown lists.
func (c *converter) htmlList(n *book.HTML) {
	s := c.w.st
	c.vspace(s.Para)
	ordered := n.Tag == atom.Ol
	num := 1
	if v, err := strconv.Atoi(n.Attr("start")); err == nil {
		num = max(v, 0)
	}
	indent := s.Body * 1.5
	if ordered {
		indent = s.Body * 2.2
	}
	l := c.open("L")
	l.Numbering = "Disc"
	if ordered {
		l.Numbering = "Decimal"
	}
	for k := n.FirstChild(); k != nil; k = k.NextSibling() {
		li, ok := k.(*book.HTML)
		if !ok || li.Tag != atom.Li {
			continue
		}
		item := newTag(l, "LI")
		lbl := newTag(item, "Lbl")
		if ordered {
			lbl := strconv.Itoa(num) + "."
			c.marker, _ = c.w.labelOps(c.x+indent-s.Body*0.45-c.w.labelWidth(serif, s.Body, lbl), 0, serif, s.Body, c.color, lbl, false, nil)
		} else {
			c.marker, _ = c.w.labelOps(c.x+indent*0.35, 0, serif, s.Body, c.color, "•", false, nil)
		}
		tagOps(c.marker, lbl)
		num++
		c.tag = newTag(item, "LBody")
		c.indent(indent, 0, func() { c.tightBlocks(li) })
		c.marker = nil
		c.tag = l
	}
	c.close(l)
	c.vspace(s.Para)
}

// tightBlocks sets the content of a list item: its text without paragraph
// space, as in a tight list.
func (c *converter) tightBlocks(n ast.Node) {
	for k := n.FirstChild(); k != nil; {
		if k.Type() != ast.TypeInline {
			c.block(k)
			k = k.NextSibling()
			continue
		}
		in := &inliner{c: c, cur: c.bodyStyle()}
		for ; k != nil && k.Type() == ast.TypeInline; k = k.NextSibling() {
			in.node(k)
		}
		c.htmlParagraph(in.spans, false)
	}
}

// htmlDefinitions sets <dl>: terms in bold, definitions indented.
func (c *converter) htmlDefinitions(n *book.HTML) {
	s := c.w.st
	div := c.open("Div")
	defer c.close(div)
	for k := n.FirstChild(); k != nil; k = k.NextSibling() {
		e, ok := k.(*book.HTML)
		if !ok {
			continue
		}
		switch e.Tag {
		case atom.Dt:
			in := &inliner{c: c, cur: c.bodyStyle()}
			addStyle(&in.cur, font.Bold)
			in.children(e)
			c.htmlParagraph(in.spans, true)
			c.keep = 1
		case atom.Dd:
			c.indent(s.Body*1.5, 0, func() { c.tightBlocks(e) })
		}
	}
}

// htmlDetails sets <details> expanded, as the details shortcode: its
// summary as a run-in heading, its content in a light border.
func (c *converter) htmlDetails(n *book.HTML) {
	s := c.w.st
	c.vspace(s.Para * 1.2)
	c.openFrame(&Frame{X: c.x, W: c.width, Border: &codeEdge, PadTop: s.Body * 0.5, PadBottom: s.Body * 0.4, Kind: "details"})
	div := c.open("Div")
	defer c.close(div)
	c.indent(s.Body*0.9, s.Body*0.9, func() {
		var summary *book.HTML
		for k := n.FirstChild(); k != nil; k = k.NextSibling() {
			if e, ok := k.(*book.HTML); ok && e.Tag == atom.Summary {
				summary = e
				break
			}
		}
		if summary != nil {
			c.within("P", func() {
				c.setText([]span{{st: style{Face: sansBold, Size: s.Body * 0.95, Color: black}, text: "▸ " + strings.TrimSpace(collapse(book.PlainText(summary, c.src)))}},
					lineStyle{X: c.x, Width: c.width, Lead: s.Leading, Face: sansBold, Size: s.Body * 0.95}, "label")
			})
			c.keep = 1
		}
		// The content, without the summary: a printer reads the book's
		// tree and never changes it.
		for k := n.FirstChild(); k != nil; {
			if k == summary {
				k = k.NextSibling()
				continue
			}
			if k.Type() != ast.TypeInline {
				c.block(k)
				k = k.NextSibling()
				continue
			}
			var run []ast.Node
			for ; k != nil && k.Type() == ast.TypeInline && k != summary; k = k.NextSibling() {
				run = append(run, k)
			}
			c.inlineRun(run)
		}
	})
	c.closeFrame()
	c.vspace(s.Para * 1.2)
}

// htmlTable gathers the rows of an HTML table.
func (c *converter) htmlTable(n *book.HTML) {
	s := c.w.st
	var t tableSpec
	var rows func(ast.Node, bool)
	rows = func(n ast.Node, head bool) {
		for k := n.FirstChild(); k != nil; k = k.NextSibling() {
			e, ok := k.(*book.HTML)
			if !ok {
				continue
			}
			switch e.Tag {
			case atom.Thead:
				rows(e, true)
			case atom.Tbody, atom.Tfoot:
				rows(e, false)
			case atom.Tr:
				cells, allTH := c.htmlRow(e, s.Small)
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

// htmlRow returns the cells of a table row, and whether all are headers.
func (c *converter) htmlRow(tr *book.HTML, size float64) ([]tableCell, bool) {
	var cells []tableCell
	allTH := true
	for k := tr.FirstChild(); k != nil; k = k.NextSibling() {
		cell, ok := k.(*book.HTML)
		if !ok || cell.Tag != atom.Td && cell.Tag != atom.Th {
			continue
		}
		in := &inliner{c: c, cur: style{Face: serif, Size: size, Color: black}}
		scope := ""
		if cell.Tag == atom.Th {
			in.cur.Face = sansBold
			switch strings.ToLower(cell.Attr("scope")) {
			case "row", "rowgroup":
				scope = "Row"
			case "col", "colgroup":
				scope = "Column"
			}
		} else {
			allTH = false
		}
		in.children(cell)
		al := alignLeft
		switch strings.ToLower(cell.Attr("align")) {
		case "right":
			al = alignRight
		case "center":
			al = alignCenter
		}
		cells = append(cells, tableCell{spans: in.spans, align: al, th: cell.Tag == atom.Th, scope: scope})
	}
	return cells, allTH
}
