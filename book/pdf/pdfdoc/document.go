// Package pdfdoc writes PDF files page by page: glyph runs placed by glyph
// id from shaped text, paths, images, links, an outline, page labels and
// metadata, with fonts embedded as subsets and a ToUnicode map built from
// the shaping clusters, so copied text is the source text.
//
// Pages are written to the output as they are finished, and structure
// elements as they are closed; what stays in memory until Close is small
// per page (its object number, its links to pages not yet written, its
// outline entries, its entry in the structure's parent tree) plus the set
// of glyphs used per font. The page tree need not list the pages in the
// order they are drawn: a book can draw its front matter last, once its
// contents know the body's page numbers, and move it to the front. Identical input gives identical bytes: objects are numbered
// and written in the order of the calls, resources are named in order of
// first use, streams are compressed at one fixed level, no clock is read,
// and the file identifier is a hash of the content.
//
// Coordinates are in points from the top left corner of the page, y
// growing downwards, as the layout computes them; the package turns them
// into PDF's bottom-up space.
//
// Content can be tagged for accessibility (PDF/UA): Page.BeginTag and
// Page.BeginArtifact wrap any run of drawing calls in a marked-content
// sequence, and Document.Elem builds the structure tree those sequences
// belong to.
package pdfdoc

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/bindery-books/bindery/book/font"
)

// Info is the document's metadata.
type Info struct {
	Title, Author, Subject, Keywords string
	// Creator is the program that made the content; Producer the one
	// that wrote the PDF.
	Creator, Producer string
	// Lang is the natural language of the text, as a BCP 47 tag ("en",
	// "de-CH"): the catalog's /Lang.
	Lang string
	// Created and Modified are written when set; a zero time is left
	// out, never replaced by the clock.
	Created, Modified time.Time
}

// LabelStyle is the numbering style of a page label range.
type LabelStyle int

const (
	// Decimal numbers pages 1, 2, 3.
	Decimal LabelStyle = iota
	// RomanLower numbers pages i, ii, iii.
	RomanLower
	// RomanUpper numbers pages I, II, III.
	RomanUpper
	// AlphaLower numbers pages a, b, … z, aa.
	AlphaLower
	// AlphaUpper numbers pages A, B, … Z, AA.
	AlphaUpper
	// NoNumber gives pages the prefix alone.
	NoNumber
)

// LabelRange labels the pages from page index First (0-based) up to the
// next range: viewers show these labels instead of physical page numbers.
type LabelRange struct {
	First  int
	Style  LabelStyle
	Prefix string
	// Start is the number of the range's first page; zero means 1.
	Start int
}

// Config describes a document. Its zero value gives an untitled A4
// document.
type Config struct {
	Info Info
	// Labels are the page label ranges, in order of First; the first
	// must start at page 0.
	Labels []LabelRange
	// Tagged marks the document as tagged (/MarkInfo) and writes the
	// structure tree built with Elem. Without it BeginTag still writes
	// marked content but no tree.
	Tagged bool
}

// Document is a PDF being written. Its methods are not safe for concurrent
// use.
type Document struct {
	cfg   Config
	o     *objects
	pages ref   // the page tree root
	kids  []ref // every page, in order; pages not yet begun have reserved numbers
	sizes [][2]float64
	// front is the index of the first page the page tree lists, the
	// pages before it following the last (MoveToFront); 0 keeps the
	// order the pages were begun.
	front int
	open  *Page
	done  int // pages closed
	// spare is the content buffer of the page closed last, for the next:
	// a page's content is copied when it is closed, and growing a buffer
	// for each page was a tenth of what a book's PDF allocated.
	spare []byte

	fonts     []*docFont
	fontIndex map[*font.Font]*docFont
	images    []*Image
	imgIndex  map[[32]byte]*Image

	outline []OutlineItem
	dests   map[string]destination
	pending []pendingLink // links to pages not yet closed

	tree *structTree
	err  error

	glyphs []font.Glyph // room to shape a run in, reused run after run
}

// destination is a place in the document: a page index and a y from the
// top of the page.
type destination struct {
	page int
	y    float64
}

// New starts a document written to w. Nothing is written until the first
// page is closed. The caller must call Close.
func New(w io.Writer, cfg Config) (*Document, error) {
	if err := checkLabels(cfg.Labels); err != nil {
		return nil, err
	}
	d := &Document{
		cfg:       cfg,
		o:         newObjects(w),
		fontIndex: map[*font.Font]*docFont{},
		imgIndex:  map[[32]byte]*Image{},
		dests:     map[string]destination{},
	}
	d.pages = d.o.reserve()
	if cfg.Tagged {
		d.tree = newStructTree(d)
	}
	return d, nil
}

// checkLabels checks that page label ranges can be written.
func checkLabels(ls []LabelRange) error {
	for i, l := range ls {
		if i == 0 && l.First != 0 {
			return errors.New("pdfdoc: the first page label range must start at page 0")
		}
		if i > 0 && l.First <= ls[i-1].First {
			return errors.New("pdfdoc: page label ranges out of order")
		}
		if l.Style < Decimal || l.Style > NoNumber {
			return fmt.Errorf("pdfdoc: unknown page label style %d", l.Style)
		}
	}
	return nil
}

// SetLabels replaces the page label ranges of Config.Labels, for a
// document that knows them only once its pages are drawn.
func (d *Document) SetLabels(ls []LabelRange) error {
	if err := checkLabels(ls); err != nil {
		return err
	}
	d.cfg.Labels = slices.Clone(ls)
	return nil
}

// MoveToFront puts the pages begun from index first on at the front of
// the document, in the order they were begun, before the pages begun
// earlier: a book draws its body first, so that its contents can give
// the body's page numbers, then its front matter, which goes first.
// Page indices (Page.Index, Target.Page, OutlineItem.Page) stay those of
// the order the pages were begun, since what points to a page points to
// the page object wherever the page tree lists it; the page label ranges
// count pages in the document's order. The pages need not be begun yet.
func (d *Document) MoveToFront(first int) error {
	if first < 0 {
		return fmt.Errorf("pdfdoc: MoveToFront(%d)", first)
	}
	d.front = first
	return nil
}

// pageRef returns the object number of page index i, reserving it (and
// those of the pages before it) if the page is not begun yet.
func (d *Document) pageRef(i int) ref {
	for len(d.kids) <= i {
		d.kids = append(d.kids, d.o.reserve())
		d.sizes = append(d.sizes, [2]float64{})
	}
	return d.kids[i]
}

// NewPage begins the next page, w by h points. The page before it must be
// closed.
func (d *Document) NewPage(w, h float64) *Page {
	if d.open != nil {
		panic("pdfdoc: NewPage before the previous page is closed")
	}
	i := d.done
	d.pageRef(i)
	d.sizes[i] = [2]float64{w, h}
	p := &Page{d: d, index: i, w: w, h: h, structParent: -1, c: d.spare}
	d.spare = nil
	p.resetState()
	d.open = p
	return p
}

// PageCount returns the number of pages begun so far.
func (d *Document) PageCount() int {
	if d.open != nil {
		return d.done + 1
	}
	return d.done
}

// OutlineItem is an entry of the outline (bookmarks).
type OutlineItem struct {
	Title string
	// Level is the depth: 0 for top-level entries. An entry's level may
	// be at most one more than the entry before it.
	Level int
	// Page is the index of the destination page, Y the distance of the
	// destination from the page's top.
	Page int
	Y    float64
}

// AddOutline appends an entry to the outline. Entries are written at Close,
// so they may point to pages not yet drawn.
func (d *Document) AddOutline(it OutlineItem) error {
	prev := -1
	if n := len(d.outline); n > 0 {
		prev = d.outline[n-1].Level
	}
	if it.Level < 0 || it.Level > prev+1 {
		return fmt.Errorf("pdfdoc: outline entry %q at level %d after level %d", it.Title, it.Level, prev)
	}
	if it.Page < 0 {
		return fmt.Errorf("pdfdoc: outline entry %q: page %d", it.Title, it.Page)
	}
	d.outline = append(d.outline, it)
	return nil
}

// Close writes the rest of the document: the links to pages drawn after
// them, the fonts, the outline, the structure tree, the catalog and the
// cross-reference table. It does not close the underlying writer.
func (d *Document) Close() error {
	if d.err != nil {
		return d.err
	}
	if d.open != nil {
		return errors.New("pdfdoc: Close with a page open")
	}
	if d.done == 0 {
		return errors.New("pdfdoc: no pages")
	}
	if len(d.kids) > d.done {
		return fmt.Errorf("pdfdoc: a link points to page %d of %d", len(d.kids), d.done)
	}
	if d.front > d.done {
		return fmt.Errorf("pdfdoc: the pages from %d moved to the front, of %d", d.front+1, d.done)
	}
	for _, it := range d.outline {
		if it.Page >= d.done {
			return fmt.Errorf("pdfdoc: outline entry %q points to page %d of %d", it.Title, it.Page+1, d.done)
		}
	}
	for _, l := range d.pending {
		if err := d.writeLink(l); err != nil {
			return err
		}
	}
	d.pending = nil
	for _, f := range d.fonts {
		if err := f.write(d.o); err != nil {
			return err
		}
	}
	// The page tree: one node; viewers handle flat trees of many
	// thousand kids well.
	var b []byte
	b = append(b, "<< /Type /Pages /Count "...)
	b = fmt.Appendf(b, "%d /Kids [", d.done)
	for i, k := range append(d.kids[d.front:len(d.kids):len(d.kids)], d.kids[:d.front]...) {
		if i > 0 {
			b = append(b, ' ')
		}
		b = appendRef(b, k)
	}
	b = append(b, "] >>"...)
	d.o.object(d.pages, b)

	catalog := d.o.reserve()
	b = append(b[:0], "<< /Type /Catalog /Pages "...)
	b = appendRef(b, d.pages)
	if len(d.cfg.Labels) > 0 {
		b = append(b, " /PageLabels << /Nums ["...)
		for i, l := range d.cfg.Labels {
			if i > 0 {
				b = append(b, ' ')
			}
			b = fmt.Appendf(b, "%d <<", l.First)
			if l.Style != NoNumber {
				b = append(b, " /S /"...)
				b = append(b, "DrRaA"[l.Style])
			}
			if l.Prefix != "" {
				b = append(b, " /P "...)
				b = appendText(b, l.Prefix)
			}
			if l.Start > 1 {
				b = fmt.Appendf(b, " /St %d", l.Start)
			}
			b = append(b, " >>"...)
		}
		b = append(b, "] >>"...)
	}
	if len(d.outline) > 0 {
		b = append(b, " /Outlines "...)
		b = appendRef(b, d.writeOutline())
		b = append(b, " /PageMode /UseOutlines"...)
	}
	if len(d.dests) > 0 {
		b = append(b, " /Names << /Dests "...)
		b = appendRef(b, d.writeDests())
		b = append(b, " >>"...)
	}
	if d.cfg.Info.Lang != "" {
		b = append(b, " /Lang "...)
		b = appendText(b, d.cfg.Info.Lang)
	}
	b = append(b, " /ViewerPreferences << /DisplayDocTitle true >>"...)
	if d.tree != nil {
		root, err := d.tree.write()
		if err != nil {
			return err
		}
		b = append(b, " /MarkInfo << /Marked true >> /StructTreeRoot "...)
		b = appendRef(b, root)
	}
	b = append(b, " /Metadata "...)
	b = appendRef(b, d.writeXMP())
	b = append(b, " >>"...)
	d.o.object(catalog, b)
	info := d.writeInfo()
	if err := d.o.finish(catalog, info); err != nil {
		return fmt.Errorf("pdfdoc: %w", err)
	}
	return nil
}

// writeInfo writes the document information dictionary.
func (d *Document) writeInfo() ref {
	in := d.cfg.Info
	var b []byte
	b = append(b, "<<"...)
	for _, kv := range [][2]string{
		{"Title", in.Title}, {"Author", in.Author}, {"Subject", in.Subject},
		{"Keywords", in.Keywords}, {"Creator", in.Creator}, {"Producer", in.Producer},
	} {
		if kv[1] != "" {
			b = append(b, " /"...)
			b = append(b, kv[0]...)
			b = append(b, ' ')
			b = appendText(b, kv[1])
		}
	}
	if !in.Created.IsZero() {
		b = append(b, " /CreationDate "...)
		b = appendDate(b, in.Created)
	}
	if !in.Modified.IsZero() {
		b = append(b, " /ModDate "...)
		b = appendDate(b, in.Modified)
	}
	b = append(b, " >>"...)
	r := d.o.reserve()
	d.o.object(r, b)
	return r
}

// writeXMP writes the XMP metadata stream: the same facts as the
// information dictionary, which PDF/UA requires as XMP (dc:title).
func (d *Document) writeXMP() ref {
	in := d.cfg.Info
	var x strings.Builder
	esc := func(s string) string {
		return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace(s)
	}
	x.WriteString("<?xpacket begin=\"\ufeff\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n")
	x.WriteString(`<x:xmpmeta xmlns:x="adobe:ns:meta/">` + "\n")
	x.WriteString(`<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">` + "\n")
	x.WriteString(`<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/" xmlns:xmp="http://ns.adobe.com/xap/1.0/"`)
	if d.cfg.Tagged {
		x.WriteString(` xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/"`)
	}
	x.WriteString(">\n")
	lang := in.Lang
	if lang == "" {
		lang = "x-default"
	}
	if in.Title != "" {
		fmt.Fprintf(&x, "<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">%s</rdf:li></rdf:Alt></dc:title>\n", esc(in.Title))
	}
	if in.Author != "" {
		fmt.Fprintf(&x, "<dc:creator><rdf:Seq><rdf:li>%s</rdf:li></rdf:Seq></dc:creator>\n", esc(in.Author))
	}
	if in.Subject != "" {
		fmt.Fprintf(&x, "<dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">%s</rdf:li></rdf:Alt></dc:description>\n", esc(in.Subject))
	}
	if in.Lang != "" {
		fmt.Fprintf(&x, "<dc:language><rdf:Bag><rdf:li>%s</rdf:li></rdf:Bag></dc:language>\n", esc(lang))
	}
	if in.Keywords != "" {
		fmt.Fprintf(&x, "<pdf:Keywords>%s</pdf:Keywords>\n", esc(in.Keywords))
	}
	if in.Producer != "" {
		fmt.Fprintf(&x, "<pdf:Producer>%s</pdf:Producer>\n", esc(in.Producer))
	}
	if in.Creator != "" {
		fmt.Fprintf(&x, "<xmp:CreatorTool>%s</xmp:CreatorTool>\n", esc(in.Creator))
	}
	if !in.Created.IsZero() {
		fmt.Fprintf(&x, "<xmp:CreateDate>%s</xmp:CreateDate>\n", in.Created.Format(time.RFC3339))
	}
	if !in.Modified.IsZero() {
		fmt.Fprintf(&x, "<xmp:ModifyDate>%s</xmp:ModifyDate>\n", in.Modified.Format(time.RFC3339))
	}
	if d.cfg.Tagged {
		x.WriteString("<pdfuaid:part>1</pdfuaid:part>\n")
	}
	x.WriteString("</rdf:Description>\n</rdf:RDF>\n</x:xmpmeta>\n<?xpacket end=\"r\"?>")
	r := d.o.reserve()
	// Uncompressed, so tools that scan for XMP find it.
	d.o.stream(r, []byte(" /Type /Metadata /Subtype /XML"), []byte(x.String()), false)
	return r
}

// writeDests writes the name tree of the named destinations, sorted by
// name as the format requires.
func (d *Document) writeDests() ref {
	names := make([]string, 0, len(d.dests))
	for n := range d.dests {
		names = append(names, n)
	}
	slices.Sort(names)
	var b []byte
	b = append(b, "<< /Names ["...)
	for i, n := range names {
		if i > 0 {
			b = append(b, ' ')
		}
		b = appendLiteral(b, n)
		b = append(b, ' ')
		b = d.appendDest(b, d.dests[n])
	}
	b = append(b, "] >>"...)
	r := d.o.reserve()
	d.o.object(r, b)
	return r
}

// appendDest appends an explicit destination: [page /XYZ null y null]
// keeps the zoom and horizontal scroll and puts y at the top of the window.
func (d *Document) appendDest(b []byte, dst destination) []byte {
	b = append(b, '[')
	b = appendRef(b, d.kids[dst.page])
	b = append(b, " /XYZ null "...)
	b = appendNum(b, d.sizes[dst.page][1]-dst.y, 2)
	return append(b, " null]"...)
}

// writeOutline writes the outline tree and returns its root.
func (d *Document) writeOutline() ref {
	type node struct {
		it       OutlineItem
		r        ref
		parent   int // index of the parent node, -1 for the root
		kids     []int
		count    int // visible descendants: all of them, the tree is open
		prev, nx int
	}
	root := d.o.reserve()
	nodes := make([]node, len(d.outline))
	var top []int
	stack := []int{} // indices of the open ancestors
	for i, it := range d.outline {
		nodes[i] = node{it: it, r: d.o.reserve(), parent: -1, prev: -1, nx: -1}
		stack = stack[:min(len(stack), it.Level)]
		if len(stack) > 0 {
			p := stack[len(stack)-1]
			nodes[i].parent = p
			nodes[p].kids = append(nodes[p].kids, i)
		} else {
			top = append(top, i)
		}
		stack = append(stack, i)
	}
	link := func(kids []int) {
		for j, k := range kids {
			if j > 0 {
				nodes[k].prev = kids[j-1]
			}
			if j+1 < len(kids) {
				nodes[k].nx = kids[j+1]
			}
		}
	}
	link(top)
	for i := len(nodes) - 1; i >= 0; i-- {
		link(nodes[i].kids)
		for _, k := range nodes[i].kids {
			nodes[i].count += 1 + nodes[k].count
		}
	}
	var b []byte
	for i := range nodes {
		n := &nodes[i]
		b = append(b[:0], "<< /Title "...)
		b = appendText(b, n.it.Title)
		b = append(b, " /Parent "...)
		if n.parent < 0 {
			b = appendRef(b, root)
		} else {
			b = appendRef(b, nodes[n.parent].r)
		}
		if n.prev >= 0 {
			b = append(b, " /Prev "...)
			b = appendRef(b, nodes[n.prev].r)
		}
		if n.nx >= 0 {
			b = append(b, " /Next "...)
			b = appendRef(b, nodes[n.nx].r)
		}
		if len(n.kids) > 0 {
			b = append(b, " /First "...)
			b = appendRef(b, nodes[n.kids[0]].r)
			b = append(b, " /Last "...)
			b = appendRef(b, nodes[n.kids[len(n.kids)-1]].r)
			b = fmt.Appendf(b, " /Count %d", n.count)
		}
		b = append(b, " /Dest "...)
		b = d.appendDest(b, destination{n.it.Page, n.it.Y})
		b = append(b, " >>"...)
		d.o.object(n.r, b)
	}
	count := len(nodes)
	b = append(b[:0], "<< /Type /Outlines /First "...)
	b = appendRef(b, nodes[top[0]].r)
	b = append(b, " /Last "...)
	b = appendRef(b, nodes[top[len(top)-1]].r)
	b = fmt.Appendf(b, " /Count %d >>", count)
	d.o.object(root, b)
	return root
}
