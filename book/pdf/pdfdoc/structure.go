package pdfdoc

import (
	"errors"
	"fmt"
	"strconv"
)

// Elem is an element of the structure tree of a tagged PDF: a Document,
// Part, Sect, H1, P, Figure, Link, and so on (PDF 32000-1 14.8.4). Its
// content is the marked-content sequences begun with Page.BeginTag and
// the link annotations given it, in the order they were added, and its
// child elements, in the order they were made.
type Elem struct {
	// Type is the standard structure type: "P", "H1", "Figure".
	Type string
	// Alt is the alternate description (Figure, Formula); ActualText
	// the exact replacement text; Lang the language when it differs
	// from the document's.
	Alt, ActualText, Lang string
	// Scope is the /Scope of a TH cell: "Row", "Column" or "Both".
	Scope string

	parent *Elem
	kids   []elemKid
	r      ref
}

// elemKid is one piece of an element's content, in order: a child
// element, a marked-content sequence or an annotation.
type elemKid struct {
	elem *Elem
	page int
	mcid int // -1 for an annotation
	obj  ref // the annotation
}

// structTree collects the structure tree until Close writes it.
type structTree struct {
	d    *Document
	top  []*Elem
	keys [][]*Elem // parent tree: by key, the elements of a page's MCIDs or of one annotation
	objr []bool    // by key: an annotation's key, whose value is one element
}

func newStructTree(d *Document) *structTree { return &structTree{d: d} }

func (d *Document) structTree() *structTree {
	if d.tree == nil {
		d.tree = newStructTree(d)
	}
	return d.tree
}

// Elem makes a structure element of type typ, the last child of parent,
// or a top-level element when parent is nil (a tagged book has one
// top-level Document element).
func (d *Document) Elem(parent *Elem, typ string) *Elem {
	t := d.structTree()
	e := &Elem{Type: typ, parent: parent}
	if parent == nil {
		t.top = append(t.top, e)
	} else {
		parent.kids = append(parent.kids, elemKid{elem: e})
	}
	return e
}

// BeginTag begins a marked-content sequence that belongs to e, and
// returns its MCID (marked-content identifier), unique on the page. The
// sequence may hold any drawing calls; it ends with EndTag.
func (p *Page) BeginTag(e *Elem) int {
	p.endText()
	if p.structParent < 0 {
		p.structParent = p.d.structTree().newKey()
	}
	mcid := len(p.mcids)
	p.mcids = append(p.mcids, e)
	e.kids = append(e.kids, elemKid{page: p.index, mcid: mcid})
	p.c = appendName(p.c, e.Type)
	p.c = append(p.c, " <</MCID "...)
	p.c = strconv.AppendInt(p.c, int64(mcid), 10)
	p.op(">> BDC")
	p.marked++
	return mcid
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
	p.marked++
}

// EndTag ends the marked-content sequence begun last.
func (p *Page) EndTag() {
	if p.marked == 0 {
		if p.d.err == nil {
			p.d.err = fmt.Errorf("pdfdoc: page %d: EndTag without a sequence", p.index+1)
		}
		return
	}
	p.endText()
	p.op("EMC")
	p.marked--
}

// newKey returns the next key of the parent tree.
func (t *structTree) newKey() int {
	t.keys = append(t.keys, nil)
	t.objr = append(t.objr, false)
	return len(t.keys) - 1
}

// pageDone records the elements of a page's MCIDs under its key.
func (t *structTree) pageDone(key int, mcids []*Elem) { t.keys[key] = mcids }

// objr adds an annotation on page to e's content and returns the
// annotation's parent tree key.
func (t *structTree) addObjr(e *Elem, page int, annot ref) int {
	e.kids = append(e.kids, elemKid{page: page, mcid: -1, obj: annot})
	key := t.newKey()
	t.keys[key] = []*Elem{e}
	t.objr[key] = true
	return key
}

// write writes the tree: the elements, the parent tree, the root.
func (t *structTree) write() (ref, error) {
	if len(t.top) == 0 {
		return 0, errors.New("pdfdoc: tagged document without structure elements")
	}
	d := t.d
	root := d.o.reserve()
	// Number the elements first: parents, kids and the parent tree
	// refer to each other.
	var all []*Elem
	var number func(es []*Elem)
	number = func(es []*Elem) {
		for _, e := range es {
			e.r = d.o.reserve()
			all = append(all, e)
			var kids []*Elem
			for _, k := range e.kids {
				if k.elem != nil {
					kids = append(kids, k.elem)
				}
			}
			number(kids)
		}
	}
	number(t.top)
	var b []byte
	for _, e := range all {
		b = append(b[:0], "<< /Type /StructElem /S "...)
		b = appendName(b, e.Type)
		b = append(b, " /P "...)
		if e.parent == nil {
			b = appendRef(b, root)
		} else {
			b = appendRef(b, e.parent.r)
		}
		// /Pg: the page of the first marked content; MCIDs on it are
		// written as bare numbers.
		pg := -1
		for _, k := range e.kids {
			if k.elem == nil {
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
			case k.elem != nil:
				b = appendRef(b, k.elem.r)
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
		b = append(b, " >>"...)
		d.o.object(e.r, b)
	}
	// The parent tree: a flat number tree, keys in order.
	parents := d.o.reserve()
	b = append(b[:0], "<< /Nums ["...)
	for key, es := range t.keys {
		if key > 0 {
			b = append(b, ' ')
		}
		b = strconv.AppendInt(b, int64(key), 10)
		b = append(b, ' ')
		if t.objr[key] {
			b = appendRef(b, es[0].r)
			continue
		}
		b = append(b, '[')
		for i, e := range es {
			if i > 0 {
				b = append(b, ' ')
			}
			b = appendRef(b, e.r)
		}
		b = append(b, ']')
	}
	b = append(b, "] >>"...)
	d.o.object(parents, b)

	b = append(b[:0], "<< /Type /StructTreeRoot /K ["...)
	for i, e := range t.top {
		if i > 0 {
			b = append(b, ' ')
		}
		b = appendRef(b, e.r)
	}
	b = append(b, "] /ParentTree "...)
	b = appendRef(b, parents)
	b = fmt.Appendf(b, " /ParentTreeNextKey %d >>", len(t.keys))
	d.o.object(root, b)
	return root, nil
}
