package pdfdoc

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Elem is an element of the structure tree of a tagged PDF: a Document,
// Part, Sect, H1, P, Figure, Link, and so on (PDF 32000-1 14.8.4). Its
// content is the marked-content sequences begun with Page.BeginTag and
// the link annotations given it, in the order they were added, and its
// child elements, in the order they were made (see ElemBefore). An
// element is written when the document is closed, or before, with the
// elements below it, by CloseElem.
type Elem struct {
	// Type is the standard structure type: "P", "H1", "Figure".
	Type string
	// Alt is the alternate description (Figure, Formula); ActualText
	// the exact replacement text; Lang the language when it differs
	// from the document's.
	Alt, ActualText, Lang string
	// Scope is the /Scope of a TH cell: "Row", "Column" or "Both".
	Scope string
	// ID identifies the element in the document (PDF/UA wants one on
	// every Note); the root's /IDTree maps it back. IDs must be unique.
	ID string
	// ListNumbering is the numbering of an L element's labels:
	// "Disc", "Circle", "Square", "Decimal", "UpperRoman", "None"…
	ListNumbering string

	parent *Elem
	kids   []elemKid
	r      ref
	closed bool // written: it takes no more content
}

// elemKid is one piece of an element's content, in order: a child
// element (r is its object, elem the element until it is written), a
// marked-content sequence or an annotation.
type elemKid struct {
	elem *Elem
	r    ref
	page int
	mcid int // -1 for an annotation
	obj  ref // the annotation
}

// structTree collects the structure tree; its elements are written when
// they are closed, and the rest of it when the document is.
type structTree struct {
	d    *Document
	root ref       // the StructTreeRoot
	top  []elemKid // the top-level elements
	keys [][]ref   // parent tree: by key, the elements of a page's MCIDs or of one annotation
	objr []bool    // by key: an annotation's key, whose value is one element
	ids  []elemID  // the elements written with an ID, in the order written
	buf  []byte    // room to write an element in
}

// elemID is the ID of an element written.
type elemID struct {
	id string
	r  ref
}

func newStructTree(d *Document) *structTree { return &structTree{d: d, root: d.o.reserve()} }

func (d *Document) structTree() *structTree {
	if d.tree == nil {
		d.tree = newStructTree(d)
	}
	return d.tree
}

// kidsOf returns the kids of parent, or the top-level elements when it is
// nil.
func (t *structTree) kidsOf(parent *Elem) *[]elemKid {
	if parent == nil {
		return &t.top
	}
	return &parent.kids
}

// Elem makes a structure element of type typ, the last child of parent,
// or a top-level element when parent is nil (a tagged book has one
// top-level Document element).
func (d *Document) Elem(parent *Elem, typ string) *Elem {
	return d.ElemBefore(parent, nil, typ)
}

// ElemBefore makes a structure element of type typ, a child of parent
// (nil: a top-level element) just before its child next, or its last
// child when next is nil: the front matter's elements go before those of
// a body drawn before it. Next may be closed.
func (d *Document) ElemBefore(parent, next *Elem, typ string) *Elem {
	t := d.structTree()
	e := &Elem{Type: typ, parent: parent, r: d.o.reserve()}
	if parent != nil && parent.closed {
		d.fail(fmt.Errorf("pdfdoc: a %s element made in a closed %s", typ, parent.Type))
	}
	kids := t.kidsOf(parent)
	i := len(*kids)
	if next != nil {
		i = slices.IndexFunc(*kids, func(k elemKid) bool { return k.r == next.r })
		if i < 0 {
			panic("pdfdoc: ElemBefore an element of another parent")
		}
	}
	*kids = slices.Insert(*kids, i, elemKid{elem: e, r: e.r})
	return e
}

// CloseElem writes element e and the elements below it, which take no
// more content nor kids, and lets go of them, so that a long document
// need not hold its whole structure tree: a chapter's, once its pages are
// drawn. Its parent may take more kids.
func (d *Document) CloseElem(e *Elem) {
	t := d.structTree()
	if e.closed {
		return
	}
	kids := *t.kidsOf(e.parent)
	for i := len(kids) - 1; i >= 0; i-- {
		if kids[i].elem == e {
			kids[i].elem = nil
			break
		}
	}
	t.writeElem(e)
}

// fail records the document's first error.
func (d *Document) fail(err error) {
	if d.err == nil {
		d.err = err
	}
}

// BeginTag begins a marked-content sequence that belongs to e, and
// returns its MCID (marked-content identifier), unique on the page. The
// sequence may hold any drawing calls; it ends with EndTag.
func (p *Page) BeginTag(e *Elem) int {
	p.endText()
	if p.structParent < 0 {
		p.structParent = p.d.structTree().newKey()
	}
	return p.beginTag(e, "")
}

// beginTag begins a sequence of e's content, with actual as its
// /ActualText unless it is empty (the sequence's tag is then /Span).
func (p *Page) beginTag(e *Elem, actual string) int {
	mcid := len(p.mcids)
	p.mcids = append(p.mcids, e.r)
	if e.closed {
		p.d.fail(fmt.Errorf("pdfdoc: page %d: content of a closed %s element", p.index+1, e.Type))
	}
	e.kids = append(e.kids, elemKid{page: p.index, mcid: mcid})
	if actual != "" {
		// Poppler takes ActualText only from a Span's properties; the
		// element's type is the structure tree's to say.
		p.c = append(p.c, "/Span"...)
	} else {
		p.c = appendName(p.c, e.Type)
	}
	p.c = append(p.c, " <</MCID "...)
	p.c = strconv.AppendInt(p.c, int64(mcid), 10)
	if actual != "" {
		p.c = append(p.c, " /ActualText "...)
		p.c = appendText(p.c, actual)
	}
	p.op(">> BDC")
	p.marked = append(p.marked, e)
	return mcid
}

// beginActual begins a run of glyphs whose text is actual. Inside an
// element's marked content, the element's sequence ends and the run is
// a sequence of the element of its own, with its /ActualText, rather
// than a Span nested in the element's sequence: poppler's reading of the
// structure tree loses the rest of a sequence after a nested one.
// Elsewhere (an artifact, an untagged page) the run is a Span with its
// /ActualText.
func (p *Page) beginActual(actual string) {
	if n := len(p.marked); n > 0 && p.marked[n-1] != nil {
		e := p.marked[n-1]
		p.EndTag()
		p.beginTag(e, actual)
		p.beginText()
		return
	}
	p.c = append(p.c, "/Span <</ActualText "...)
	p.c = appendText(p.c, actual)
	p.op(">> BDC")
	p.marked = append(p.marked, nil)
}

// endActual ends the run begun with beginActual; an element's content
// goes on in a new sequence.
func (p *Page) endActual() {
	n := len(p.marked)
	if e := p.marked[n-1]; e != nil {
		p.EndTag()
		p.beginTag(e, "")
		return
	}
	p.op("EMC") // in the text object, like its BDC
	p.marked = p.marked[:n-1]
}

// BeginArtifact begins a marked-content sequence of content that is not
// part of the text: running heads and folios (kind "Pagination",
// subtype "Header" or "Footer"), rules and backgrounds ("Layout"), page
// decorations ("Page"). Empty kind and subtype mark a plain artifact. It
// ends with EndTag.
func (p *Page) BeginArtifact(kind, subtype string) {
	p.endText()
	switch {
	case kind == "":
		p.op("/Artifact BMC")
	default:
		p.c = append(p.c, "/Artifact <</Type "...)
		p.c = appendName(p.c, kind)
		if subtype != "" {
			p.c = append(p.c, " /Subtype "...)
			p.c = appendName(p.c, subtype)
		}
		p.op(">> BDC")
	}
	p.marked = append(p.marked, nil)
}

// EndTag ends the marked-content sequence begun last.
func (p *Page) EndTag() {
	if len(p.marked) == 0 {
		if p.d.err == nil {
			p.d.err = fmt.Errorf("pdfdoc: page %d: EndTag without a sequence", p.index+1)
		}
		return
	}
	p.endText()
	p.op("EMC")
	p.marked = p.marked[:len(p.marked)-1]
}

// newKey returns the next key of the parent tree.
func (t *structTree) newKey() int {
	t.keys = append(t.keys, nil)
	t.objr = append(t.objr, false)
	return len(t.keys) - 1
}

// pageDone records the elements of a page's MCIDs under its key.
func (t *structTree) pageDone(key int, mcids []ref) { t.keys[key] = mcids }

// objr adds an annotation on page to e's content and returns the
// annotation's parent tree key.
func (t *structTree) addObjr(e *Elem, page int, annot ref) int {
	if e.closed {
		t.d.fail(fmt.Errorf("pdfdoc: page %d: a link in a closed %s element", page+1, e.Type))
	}
	e.kids = append(e.kids, elemKid{page: page, mcid: -1, obj: annot})
	key := t.newKey()
	t.keys[key] = []ref{e.r}
	t.objr[key] = true
	return key
}

// writeElem writes e and then the elements below it not yet written, and
// lets go of them.
func (t *structTree) writeElem(e *Elem) {
	d := t.d
	b := t.buf[:0]
	b = append(b, "<< /Type /StructElem /S "...)
	b = appendName(b, e.Type)
	b = append(b, " /P "...)
	if e.parent == nil {
		b = appendRef(b, t.root)
	} else {
		b = appendRef(b, e.parent.r)
	}
	// /Pg: the page of the first marked content; MCIDs on it are
	// written as bare numbers.
	pg := -1
	for _, k := range e.kids {
		if k.r == 0 {
			pg = k.page
			break
		}
	}
	if pg >= 0 {
		b = append(b, " /Pg "...)
		b = appendRef(b, d.kids[pg])
	}
	b = append(b, " /K ["...)
	for i, k := range e.kids {
		if i > 0 {
			b = append(b, ' ')
		}
		switch {
		case k.r != 0:
			b = appendRef(b, k.r)
		case k.mcid < 0:
			b = append(b, "<< /Type /OBJR /Pg "...)
			b = appendRef(b, d.kids[k.page])
			b = append(b, " /Obj "...)
			b = appendRef(b, k.obj)
			b = append(b, " >>"...)
		case k.page == pg:
			b = strconv.AppendInt(b, int64(k.mcid), 10)
		default:
			b = append(b, "<< /Type /MCR /Pg "...)
			b = appendRef(b, d.kids[k.page])
			b = fmt.Appendf(b, " /MCID %d >>", k.mcid)
		}
	}
	b = append(b, ']')
	for _, kv := range [][2]string{{"Alt", e.Alt}, {"ActualText", e.ActualText}, {"Lang", e.Lang}} {
		if kv[1] != "" {
			b = append(b, " /"...)
			b = append(b, kv[0]...)
			b = append(b, ' ')
			b = appendText(b, kv[1])
		}
	}
	if e.Scope != "" {
		b = append(b, " /A << /O /Table /Scope "...)
		b = appendName(b, e.Scope)
		b = append(b, " >>"...)
	}
	if e.ListNumbering != "" {
		b = append(b, " /A << /O /List /ListNumbering "...)
		b = appendName(b, e.ListNumbering)
		b = append(b, " >>"...)
	}
	if e.ID != "" {
		b = append(b, " /ID "...)
		b = appendLiteral(b, e.ID)
		t.ids = append(t.ids, elemID{e.ID, e.r})
	}
	b = append(b, " >>"...)
	d.o.packed(e.r, b)
	t.buf = b
	e.closed = true
	kids := e.kids
	e.kids = nil
	for _, k := range kids {
		if k.elem != nil {
			t.writeElem(k.elem)
		}
	}
}

// write writes the rest of the tree: the elements not yet written, the
// parent tree, the root.
func (t *structTree) write() (ref, error) {
	if len(t.top) == 0 {
		return 0, errors.New("pdfdoc: tagged document without structure elements")
	}
	d := t.d
	for _, k := range t.top {
		if k.elem != nil {
			t.writeElem(k.elem)
		}
	}
	// The parent tree: a flat number tree, keys in order.
	parents := d.o.reserve()
	b := append(t.buf[:0], "<< /Nums ["...)
	for key, rs := range t.keys {
		if key > 0 {
			b = append(b, ' ')
		}
		b = strconv.AppendInt(b, int64(key), 10)
		b = append(b, ' ')
		if t.objr[key] {
			b = appendRef(b, rs[0])
			continue
		}
		b = append(b, '[')
		for i, r := range rs {
			if i > 0 {
				b = append(b, ' ')
			}
			b = appendRef(b, r)
		}
		b = append(b, ']')
	}
	b = append(b, "] >>"...)
	d.o.packed(parents, b)

	b = append(b[:0], "<< /Type /StructTreeRoot /K ["...)
	for i, k := range t.top {
		if i > 0 {
			b = append(b, ' ')
		}
		b = appendRef(b, k.r)
	}
	b = append(b, ']')
	if ids := t.writeIDTree(); ids != 0 {
		b = append(b, " /IDTree "...)
		b = appendRef(b, ids)
	}
	b = append(b, " /ParentTree "...)
	b = appendRef(b, parents)
	b = fmt.Appendf(b, " /ParentTreeNextKey %d >>", len(t.keys))
	d.o.packed(t.root, b)
	return t.root, nil
}

// writeIDTree writes the name tree from the IDs of elements to the
// elements, sorted as the format requires, and returns it; 0 when no
// element has an ID. The first element written with an ID wins.
func (t *structTree) writeIDTree() ref {
	ids := t.ids
	if len(ids) == 0 {
		return 0
	}
	slices.SortStableFunc(ids, func(a, b elemID) int { return strings.Compare(a.id, b.id) })
	b := []byte("<< /Names [")
	for i, e := range ids {
		if i > 0 {
			if e.id == ids[i-1].id {
				continue // the first element of an ID wins
			}
			b = append(b, ' ')
		}
		b = appendLiteral(b, e.id)
		b = append(b, ' ')
		b = appendRef(b, e.r)
	}
	b = append(b, "] >>"...)
	r := t.d.o.reserve()
	t.d.o.packed(r, b)
	return r
}
