package pdf

import (
	"cmp"
	"sync"

	"github.com/bindery-books/bindery/book"
	"github.com/bindery-books/bindery/book/pdf/pdfdoc"
)

// The structure of a tagged PDF (PDF/UA) is decided where the book's
// structure is known: in the flow stage, the converter gives each item the
// Tag its content belongs to (a P, an H2, a TD, a Figure), Tags forming a
// tree that mirrors the book: Document › Part › Sect › H1, P, L › LI ›
// Lbl + LBody, Table › THead/TBody › TR › TH/TD, Figure, Formula, Code,
// Note, BlockQuote, Caption, TOC › TOCI. The draw stage (draw_tags.go)
// turns the Tags into structure elements in this order, whatever page
// their content lands on, and wraps what it draws in marked content.

// Tag is an element of the structure of the book.
type Tag struct {
	// Type is the standard structure type: "P", "H2", "Figure".
	Type string
	// Alt is the alternate description of a Figure or Formula, ActualText
	// the text that replaces the content, Lang the language when it
	// differs from the book's, Scope the /Scope of a TH, ID the /ID of
	// a Note, Numbering the ListNumbering of an L.
	Alt, ActualText, Lang, Scope, ID, Numbering string
	// Parent is the element the tag belongs to; Kids its elements in
	// the book's order.
	Parent *Tag
	Kids   []*Tag
	// Inline tags (a formula in a line, a span in another language) are
	// made when their content is first drawn, at that place in the
	// content of the block around them, which need not be Parent: an
	// inline tag met before its paragraph was opened has no Parent.
	Inline bool
	// Artifact, on the tags of artifacts, is the artifact's type
	// ("Layout", "Pagination") and Subtype its subtype ("Header").
	Artifact, Subtype string
	// attached says the tag is in its Parent's Kids. The root tags of
	// chapters, parts and front matter pages are attached when the pages
	// are drawn, in the order of the pages, so chapters laid out
	// concurrently need not share a Kids list.
	attached bool
	// keep makes the element even when nothing is drawn in it (an
	// empty table cell).
	keep bool
	// open says the element takes kids after its own content is drawn:
	// a part's, whose chapters come after its page. Others are closed
	// once the pages of their content are drawn.
	open bool
	// placed says a Note has its place in the tree: after the element
	// that first cites it, or where a long note is set.
	placed bool
	// used and elem are the draw stage's: the tag has content on the
	// pages, and its structure element once made. The shared artifact
	// tags never get either.
	used bool
	elem *pdfdoc.Elem
}

// Artifacts: content that is not part of the text.
var (
	// artifactLayout marks rules, boxes, tints, leaders and marks that
	// only show the layout.
	artifactLayout = &Tag{Type: "Artifact", Artifact: "Layout"}
	// artifactHeader and artifactFooter mark running heads and folios;
	// artifactRepeat a table's header rows repeated on a later page.
	artifactHeader = &Tag{Type: "Artifact", Artifact: "Pagination", Subtype: "Header"}
	artifactFooter = &Tag{Type: "Artifact", Artifact: "Pagination", Subtype: "Footer"}
	artifactRepeat = &Tag{Type: "Artifact", Artifact: "Pagination"}
)

// newTag makes a tag of type typ, the last of parent's kids.
func newTag(parent *Tag, typ string) *Tag {
	t := &Tag{Type: typ, Parent: parent}
	if parent != nil {
		parent.Kids = append(parent.Kids, t)
		t.attached = true
	}
	return t
}

// rootTag makes a tag below parent that is attached to it only when its
// content is drawn: the top of a chapter, a part, a front matter page.
func rootTag(parent *Tag, typ string) *Tag { return &Tag{Type: typ, Parent: parent} }

// detach takes a tag out of its parent's kids.
func (t *Tag) detach() {
	if t.Parent == nil || !t.attached {
		return
	}
	ks := t.Parent.Kids
	for i, k := range ks {
		if k == t {
			t.Parent.Kids = append(ks[:i:i], ks[i+1:]...)
			break
		}
	}
	t.attached = false
}

// tagItems gives items without a tag the tag t.
func tagItems(items []*Item, t *Tag) {
	for _, it := range items {
		if it.Tag == nil {
			it.Tag = t
		}
	}
}

// tagOps gives ops that can carry a tag, and have none, the tag t.
func tagOps(ops []Op, t *Tag) {
	for _, op := range ops {
		switch o := op.(type) {
		case *textOp:
			if o.Tag == nil {
				o.Tag = t
			}
		case *rectOp:
			if o.Tag == nil {
				o.Tag = t
			}
		case *pathOp:
			if o.Tag == nil {
				o.Tag = t
			}
		}
	}
}

// opTag returns the tag an op carries, or nil.
func opTag(op Op) *Tag {
	switch o := op.(type) {
	case *textOp:
		return o.Tag
	case *rectOp:
		return o.Tag
	case *pathOp:
		return o.Tag
	}
	return nil
}

// headTag returns the heading type of a display level: "H2".
func headTag(level int) string { return "H" + string(rune('0'+min(max(level, 1), 6))) }

// bookTags holds the tags shared by the chapters of one PDF: the
// Document at the root and a Part for each part, made once, before any
// chapter asks for its part's.
type bookTags struct {
	once  sync.Once
	root  *Tag
	parts map[*book.Part]*Tag
}

// tags returns the book's root and part tags.
func (w *writer) tags() *bookTags {
	t := &w.tagState
	t.once.Do(func() {
		t.root = &Tag{Type: "Document"}
		t.parts = map[*book.Part]*Tag{}
		var stack []*Tag
		w.b.Walk(func(n book.Node, depth int) {
			p, ok := n.(*book.Part)
			if !ok {
				return
			}
			stack = stack[:min(len(stack), depth)]
			parent := t.root
			if len(stack) > 0 {
				parent = stack[len(stack)-1]
			}
			pt := rootTag(parent, "Part")
			pt.open = true
			t.parts[p] = pt
			stack = append(stack, pt)
		})
	})
	return t
}

// bookLang is the language of the book, the document's /Lang.
func (w *writer) bookLang() string { return cmp.Or(w.b.Meta.Language, "en") }

// chapterTag makes the Sect of a chapter, in its part, with the
// chapter's language when it is not the book's.
func (w *writer) chapterTag(ch *book.Chapter) *Tag {
	bt := w.tags()
	parent := bt.root
	if ch.Part != nil {
		if pt, ok := bt.parts[ch.Part]; ok {
			parent = pt
		}
	}
	t := rootTag(parent, "Sect")
	if l := ch.Lang(w.b); l != "" && l != w.bookLang() {
		t.Lang = l
	}
	return t
}

// open starts an element of type typ inside the current one: the items
// emitted until close belong to it.
func (c *converter) open(typ string) *Tag {
	t := newTag(c.tag, typ)
	c.tag = t
	return t
}

// close ends the element t, back to its parent. Footnotes cited in it
// follow it, unless it is part of a table: they follow the table.
func (c *converter) close(t *Tag) {
	c.tag = t.Parent
	switch t.Type {
	case "TR", "TH", "TD", "THead", "TBody", "Lbl":
		return
	}
	c.placeNotes(t.Parent)
}

// placeNotes makes the Notes of the footnotes cited since an element last
// closed the last kids of parent.
func (c *converter) placeNotes(parent *Tag) {
	for _, n := range c.cited {
		if n.Tag == nil || n.Tag.placed || parent == nil {
			continue
		}
		n.Tag.Parent = parent
		parent.Kids = append(parent.Kids, n.Tag)
		n.Tag.attached, n.Tag.placed = true, true
	}
	c.cited = c.cited[:0]
}

// within runs fn inside a new element of type typ and returns it.
func (c *converter) within(typ string, fn func()) *Tag {
	t := c.open(typ)
	fn()
	c.close(t)
	return t
}

// cite records a footnote cited in the text being set: its Note follows
// the element that cites it.
func (c *converter) cite(n *Note) {
	if n != nil && n.Tag != nil && !n.Tag.placed {
		c.cited = append(c.cited, n)
	}
}
