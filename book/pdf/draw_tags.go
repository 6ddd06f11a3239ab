package pdf

import (
	"cmp"
	"strings"

	"github.com/bindery-books/bindery/book/font"
	"github.com/bindery-books/bindery/book/pdf/pdfdoc"
)

// Tagging in the draw stage: the Tags the flow gave items become the
// structure elements of the PDF, and everything drawn is wrapped in
// marked content, either belonging to an element or marked as an
// artifact.
//
// The pages are drawn a chunk at a time (a chapter's pages, a part's, the
// front matter's), each holding all the content of its elements. The
// elements of block tags are made before a chunk's first page is drawn,
// in the order of the Tags (the book's order), so the tree reads in that
// order whatever page a piece of content lands on: a paragraph split
// across pages is one P, a footnote set at the foot of the page follows
// the paragraph that cites it. The front matter, drawn after the body,
// has its elements put before the body's. Inline elements (links,
// formulas in a line, spans in another language) are made as their
// content is drawn, at that place among the content of the element
// around them.

// tagger is the drawer's tagging state.
type tagger struct {
	doc  *pdfdoc.Document
	root *Tag
	top  *pdfdoc.Elem // the Document
	// first is the first element made in the Document, front says the
	// front matter is being drawn: its elements in the Document go
	// before first.
	first *pdfdoc.Elem
	front bool
	// made are the tags at the top of the elements attach made, for
	// release.
	made []*Tag
	// cur is the marked-content sequence open on the page, if any.
	cur    mark
	isOpen bool
	// areas are the link areas of the item being drawn.
	areas []linkArea
	// last is the link drawn last, which a link with the same target at
	// the start of the next line continues, as long as nothing else was
	// drawn in its parent since.
	last struct {
		elem, parent *pdfdoc.Elem
		anchor, url  string
	}
}

// mark is what drawn content belongs to: an element, or an artifact.
type mark struct {
	elem *pdfdoc.Elem
	art  *Tag
}

// linkArea is a link of an item: its area, the element its text goes
// into, and that text, for the annotation's /Contents.
type linkArea struct {
	op   *linkOp
	note bool // a footnote's mark: a Reference to the Note
	elem *pdfdoc.Elem
	text strings.Builder
}

// newTagger starts the structure tree of the book whose tags are below
// root.
func newTagger(doc *pdfdoc.Document, root *Tag) *tagger {
	tg := &tagger{doc: doc, root: root}
	tg.top = doc.Elem(nil, "Document")
	root.elem = tg.top
	return tg
}

// attach makes the structure elements of the block tags with content on
// pages, which hold all the content of those tags (a chunk's pages), in
// the book's order. It marks the tags with content as used, attaches the
// roots of chapters, parts and front matter pages, in the order their
// content first appears, and makes the elements of the tags newly used.
func (tg *tagger) attach(pages []*Page) {
	root := tg.root
	// tops are the tags newly used whose parents have elements, in the
	// order their content first appears: the roots of the trees of
	// elements to make.
	var tops []*Tag
	use := func(t *Tag) {
		for ; t != nil && t != root && !t.used; t = t.Parent {
			t.used = true
			if !t.attached {
				if t.Parent == nil {
					t.Parent = root // a tag the flow left without a place
				}
				t.Parent.Kids = append(t.Parent.Kids, t)
				t.attached = true
			}
			if t.Parent == root || t.Parent.elem != nil {
				tops = append(tops, t)
			}
		}
	}
	items := func(it *Item, repeat bool) {
		if repeat {
			return
		}
		for _, op := range it.Ops {
			if c := container(it, op); c != nil && c.Artifact == "" && content(op, c) {
				use(c)
			}
		}
	}
	for _, p := range pages {
		for _, pl := range p.items {
			items(pl.it, pl.head)
		}
		for _, n := range p.notes {
			for _, it := range n.Items {
				items(it, false)
			}
		}
	}
	var build func(t *Tag)
	build = func(t *Tag) {
		for _, k := range t.Kids {
			if k.Inline || !k.used && !(k.keep && t.used) {
				continue
			}
			tg.make(k)
			build(k)
		}
	}
	for _, t := range tops {
		tg.make(t)
		build(t)
		tg.made = append(tg.made, t)
	}
}

// make makes the element of tag t, the last of its parent's, unless it
// has one.
func (tg *tagger) make(t *Tag) {
	if t.elem != nil {
		return
	}
	var e *pdfdoc.Elem
	if t.Parent.elem == tg.top {
		e = tg.topElem(t.Type)
	} else {
		e = tg.doc.Elem(t.Parent.elem, t.Type)
	}
	e.Alt, e.ActualText, e.Lang, e.Scope, e.ID, e.ListNumbering = t.Alt, t.ActualText, t.Lang, t.Scope, t.ID, t.Numbering
	t.elem = e
}

// topElem makes an element of type typ in the Document: the last, or,
// in the front matter, the last before the body's.
func (tg *tagger) topElem(typ string) *pdfdoc.Elem {
	if tg.front {
		return tg.doc.ElemBefore(tg.top, tg.first, typ)
	}
	e := tg.doc.Elem(tg.top, typ)
	if tg.first == nil {
		tg.first = e
	}
	return e
}

// release lets go of the tags below those whose elements attach made,
// once their pages are drawn, and closes their elements (but a part's,
// whose chapters are to come): the document writes them out, and the
// tree need not be held whole until the end.
func (tg *tagger) release() {
	for _, t := range tg.made {
		t.Kids = nil
		if !t.open {
			tg.doc.CloseElem(t.elem)
		}
	}
	tg.made = tg.made[:0]
}

// container returns the tag an op's content belongs to: its own block
// tag, else the item's, reached from an inline tag through its parents.
func container(it *Item, op Op) *Tag {
	t := opTag(op)
	for t != nil && t.Inline {
		t = t.Parent
	}
	if t != nil {
		return t
	}
	return it.Tag
}

// content reports whether op draws content of c rather than decoration:
// text and pictures always; rules, boxes and paths only in a Figure or a
// Formula, or when the op names its element itself (a task list's box).
func content(op Op, c *Tag) bool {
	switch o := op.(type) {
	case *textOp, *imageOp:
		return true
	case *rectOp:
		return o.Tag != nil || c.Type == "Figure" || c.Type == "Formula"
	case *pathOp:
		return o.Tag != nil || c.Type == "Figure" || c.Type == "Formula"
	case *lineOp, *rotateOp, *clipOp:
		return c.Type == "Figure" || c.Type == "Formula"
	}
	return false
}

// artifact begins an artifact sequence of kind t, unless one is open.
func (d *drawer) artifact(t *Tag) {
	if d.tg != nil {
		d.tg.begin(d.page, mark{art: t})
	}
}

// endMarks ends the sequence open on the page.
func (d *drawer) endMarks() {
	if d.tg != nil && d.tg.isOpen {
		d.page.EndTag()
		d.tg.isOpen = false
	}
}

// begin makes m the open sequence, ending the one before when it differs.
func (tg *tagger) begin(p *pdfdoc.Page, m mark) {
	if m.elem != nil && m.elem == tg.last.parent {
		tg.last.elem = nil // the parent's content goes on after the link
	}
	if tg.isOpen && tg.cur == m {
		return
	}
	if tg.isOpen {
		p.EndTag()
	}
	if m.art != nil {
		p.BeginArtifact(m.art.Artifact, m.art.Subtype)
	} else {
		p.BeginTag(m.elem)
	}
	tg.cur, tg.isOpen = m, true
}

// item draws an item's ops at (left, top), each inside the marked content
// of the element it belongs to; a table's header repeated on a later page
// is an artifact.
func (d *drawer) item(it *Item, repeat bool, left, top float64) {
	tg := d.tg
	if tg == nil {
		d.ops(it.Ops, left, top)
		return
	}
	tg.areas = tg.areas[:0]
	if !repeat {
		for _, op := range it.Ops {
			if l, ok := op.(*linkOp); ok {
				a := linkArea{op: l}
				for _, n := range it.Notes {
					a.note = a.note || n != nil && n.Key == l.Anchor
				}
				tg.areas = append(tg.areas, a)
			}
		}
	}
	for _, op := range it.Ops {
		switch o := op.(type) {
		case *anchorOp:
			d.anchor(o, top)
			continue
		case *linkOp:
			if !repeat {
				// A table's header repeated is an artifact, which
				// holds no annotation: its links work where it is
				// first set.
				d.taggedLink(it, o, left, top)
			}
			continue
		}
		if repeat {
			tg.begin(d.page, mark{art: artifactRepeat})
			d.op(op, left, top)
			continue
		}
		c := container(it, op)
		switch {
		case c == nil || c.Artifact != "":
			tg.begin(d.page, mark{art: cmpTag(c, artifactLayout)})
		case !content(op, c):
			tg.begin(d.page, mark{art: artifactLayout})
		default:
			tg.begin(d.page, mark{elem: tg.elemFor(it, op, c)})
		}
		d.op(op, left, top)
	}
}

// cmpTag returns t, or def when t is nil.
func cmpTag(t, def *Tag) *Tag {
	if t == nil {
		return def
	}
	return t
}

// elemFor returns the element an op's content goes into: its container's
// element, or a link's inside it, or an inline element inside either.
func (tg *tagger) elemFor(it *Item, op Op, c *Tag) *pdfdoc.Elem {
	e := c.elem
	if e == nil {
		// Content of a tag the pages did not show before: cannot happen
		// when attach saw the same pages; keep it in the tree anyway.
		e = tg.topElem(c.Type)
		c.elem = e
	}
	if t, ok := op.(*textOp); ok {
		if a := tg.areaOf(t); a != nil {
			e = tg.linkElem(a, e)
			a.text.WriteString(t.S)
			a.text.WriteByte(' ')
		}
	}
	if t := opTag(op); t != nil && t.Inline {
		e = tg.inlineElem(t, e)
	}
	return e
}

// areaOf returns the link area of the item the text starts in, or nil.
func (tg *tagger) areaOf(t *textOp) *linkArea {
	for i := range tg.areas {
		a := &tg.areas[i]
		l := a.op
		if t.X >= l.X-0.5 && t.X < l.X+l.W-0.01 && t.Y >= l.Y && t.Y <= l.Y+l.H {
			return a
		}
	}
	return nil
}

// linkElem returns the Link element of an area, made inside parent the
// first time (inside a Reference for a footnote's mark), or the link of
// the line before when this one continues it.
func (tg *tagger) linkElem(a *linkArea, parent *pdfdoc.Elem) *pdfdoc.Elem {
	if a.elem != nil {
		return a.elem
	}
	l := &tg.last
	if l.elem != nil && l.parent == parent && l.anchor == a.op.Anchor && l.url == a.op.URL && !a.note {
		a.elem = l.elem
		return a.elem
	}
	if a.note {
		parent = tg.doc.Elem(parent, "Reference")
	}
	a.elem = tg.doc.Elem(parent, "Link")
	l.elem, l.parent, l.anchor, l.url = a.elem, parent, a.op.Anchor, a.op.URL
	return a.elem
}

// inlineElem returns the element of an inline tag, made inside base (with
// the inline tags around it) the first time its content is drawn.
func (tg *tagger) inlineElem(t *Tag, base *pdfdoc.Elem) *pdfdoc.Elem {
	if t.elem != nil {
		return t.elem
	}
	if t.Parent != nil && t.Parent.Inline {
		base = tg.inlineElem(t.Parent, base)
	}
	e := tg.doc.Elem(base, t.Type)
	e.Alt, e.ActualText, e.Lang = t.Alt, t.ActualText, t.Lang
	t.elem = e
	return e
}

// taggedLink adds a link annotation to its Link element, with the text
// of the link as its /Contents.
func (d *drawer) taggedLink(it *Item, o *linkOp, left, top float64) {
	tg := d.tg
	var a *linkArea
	for i := range tg.areas {
		if tg.areas[i].op == o {
			a = &tg.areas[i]
		}
	}
	text := ""
	var elem *pdfdoc.Elem
	if a != nil {
		text = strings.Join(strings.Fields(a.text.String()), " ")
		if a.elem == nil {
			// A link over no text: its element holds the annotation alone.
			if c := it.Tag; c != nil && c.Artifact == "" && c.elem != nil {
				tg.linkElem(a, c.elem)
			}
		}
		elem = a.elem
		if a.note {
			text = "Footnote " + text
		}
	}
	if elem == nil {
		// Every annotation has its place in the tree (PDF/UA).
		elem = tg.topElem("Link")
	}
	if text == "" {
		text = o.URL
		if text == "" {
			text = "Link"
		}
	}
	d.linkWith(o, left, top, text, elem)
}

// hyphenated draws text that ends with a hyphen the line break added, the
// hyphen in a Span whose actual text is a soft hyphen: a screen reader
// reads the word whole across the line. The glyphs are placed as in one
// run.
func (d *drawer) hyphenated(o *textOp, left, top float64) {
	f := o.Face.Font()
	gs := f.Shape(o.S, o.Size, font.FeaturesOf(o.Face))
	scale := cmp.Or(o.Scale, 1)
	cut := len(gs)
	for cut > 0 && gs[cut-1].Start >= len(o.S)-1 {
		cut--
	}
	// Each run has its own text, the glyphs' offsets into it, so that
	// each copies out as itself.
	at := len(o.S)
	if cut < len(gs) {
		at = gs[cut].Start
	}
	run := pdfdoc.Run{Font: f, Size: o.Size, Color: pdfColor(o.Color), X: left + o.X, Y: top + o.Y, Text: o.S[:at], Scale: scale}
	run.Glyphs = gs[:cut]
	d.page.Glyphs(run)
	for _, g := range gs[:cut] {
		run.X += g.Advance * scale
	}
	run.Text = o.S[at:]
	run.Glyphs = make([]font.Glyph, len(gs)-cut)
	for i, g := range gs[cut:] {
		g.Start -= at
		g.End -= at
		run.Glyphs[i] = g
	}
	// The hyphen is a Span of the element the text is in, whose
	// /ActualText is a soft hyphen, as PDF 14.8.2.4.3 has a hyphen added
	// at a line break; the element's content goes on after it.
	tg := d.tg
	if tg.isOpen && tg.cur.elem != nil {
		span := tg.doc.Elem(tg.cur.elem, "Span")
		span.ActualText = "\u00ad"
		tg.begin(d.page, mark{elem: span})
		d.page.Glyphs(run)
		d.page.EndTag()
		tg.isOpen = false
		return
	}
	d.page.Glyphs(run)
}
