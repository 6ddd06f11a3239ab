package pdf

import (
	"github.com/bindery-books/bindery/book"
)

// Pagination is the second stage: the items of the flows are stacked onto
// pages.

// placed is an item on a page, its top y from the top of the text block.
type placed struct {
	it    *Item
	y     float64
	index int  // position in the flow; -1 for a repeated table header
	head  bool // a repeated table header
}

// Page is one page of the book, the result of pagination: its items
// placed, its footnotes, and what its running head and folio show.
type Page struct {
	items []placed
	// notes are the footnotes set at the foot of the page, in order.
	notes []*Note
	// opening pages (chapter and part openings, title pages) have no
	// running head and no folio; blank pages have nothing at all.
	opening, blank bool
	// chapter is the chapter the page belongs to, for the running head;
	// nil on part pages and in the front matter.
	chapter *book.Chapter
	// num is the physical page number, 1-based; folio the printed one.
	num   int
	folio string
}

// notesGap is the space above the footnotes, where the short rule goes.
func (p *paginator) notesGap() float64 { return p.st.Leading * 1.1 }

// paginator stacks the items of a flow onto pages.
type paginator struct {
	g     Geometry
	st    Styles
	items []*Item
	pages []*Page
	cur   *Page
	y     float64 // bottom of the last item placed on cur
	// first is the flow index of the first item on cur.
	first int
	// noteOn maps a note to the page it is set on.
	noteOn  map[*Note]*Page
	chapter *book.Chapter
	// startNum is the physical number of the first page.
	startNum int
}

// paginate breaks items into pages. The first page has physical number
// start, which decides which pages are recto in a two-sided book.
func paginate(items []*Item, g Geometry, st Styles, start int) []*Page {
	p := &paginator{g: g, st: st, items: items, noteOn: map[*Note]*Page{}, startNum: start}
	p.newPage()
	i := 0
	for i < len(items) {
		it := items[i]
		if it.Break != NoBreak && len(p.cur.items) > 0 {
			p.newPage()
		}
		if it.Break == Recto && g.TwoSide && p.cur.num%2 == 0 && len(p.cur.items) == 0 {
			p.cur.blank = true
			p.newPage()
		}
		if p.place(i, false) {
			i++
			continue
		}
		if len(p.cur.items) == 0 || p.onlyHeaders() {
			// Too tall for any page: place it anyway (the converter keeps
			// items shorter than a page, so this is a safety net).
			p.place(i, true)
			i++
			continue
		}
		// Go back to the start of the run of items kept together.
		k := i
		for k > p.first && items[k].Keep {
			k--
		}
		if k == p.first {
			k = i // the run fills the page: break it where it overflows
		}
		p.truncate(k)
		p.newPage()
		i = k
	}
	if len(p.cur.items) == 0 && len(p.pages) > 1 {
		p.pages = p.pages[:len(p.pages)-1]
	}
	return p.pages
}

func (p *paginator) onlyHeaders() bool {
	for _, pl := range p.cur.items {
		if !pl.head {
			return false
		}
	}
	return true
}

func (p *paginator) newPage() {
	num := p.startNum
	if p.cur != nil {
		num = p.cur.num + 1
	}
	p.cur = &Page{num: num, chapter: p.chapter}
	p.pages = append(p.pages, p.cur)
	p.y = 0
	p.first = -1
}

// padTop and padBottom sum the padding of an item's frames.
func padTop(it *Item) float64 {
	h := 0.0
	for _, f := range it.Frames {
		h += f.PadTop
	}
	return h
}

func padBottom(it *Item) float64 {
	h := 0.0
	for _, f := range it.Frames {
		h += f.PadBottom
	}
	return h
}

// notesHeight returns the height of notes set at the foot of a page.
func notesHeight(ns []*Note) float64 {
	h := 0.0
	for _, n := range ns {
		for _, it := range n.Items {
			h += it.H
		}
	}
	return h
}

// newNotes returns the notes of it not yet set on any page.
func (p *paginator) newNotes(it *Item) []*Note {
	var ns []*Note
	for _, n := range it.Notes {
		if n == nil || n.Long {
			continue
		}
		if _, done := p.noteOn[n]; done {
			continue
		}
		dup := false
		for _, m := range ns {
			dup = dup || m == n
		}
		if !dup {
			ns = append(ns, n)
		}
	}
	return ns
}

// place puts item i on the current page if it fits (or if force) and
// reports whether it did.
func (p *paginator) place(i int, force bool) bool {
	it := p.items[i]
	empty := len(p.cur.items) == 0
	var header []*Item
	if empty && it.Header != nil && it.Kind != "thead" {
		header = it.Header
	}
	y := p.y
	space := it.Space
	if empty {
		space = padTop(it)
		if len(header) > 0 {
			space = padTop(header[0])
		}
	}
	y += space
	for _, h := range header {
		y += h.H
	}
	if it.Fixed > 0 && y < it.Fixed {
		y = it.Fixed
	}
	ns := p.newNotes(it)
	notesH := notesHeight(p.cur.notes) + notesHeight(ns)
	if notesH > 0 {
		notesH += p.notesGap()
	}
	if !force && y+it.H+padBottom(it)+notesH > p.g.TextH+0.01 {
		return false
	}
	// Place it.
	top := p.y + space
	if it.Fixed > 0 && len(header) == 0 && top < it.Fixed {
		top = it.Fixed
	}
	for _, h := range header {
		p.cur.items = append(p.cur.items, placed{it: h, y: top, index: -1, head: true})
		top += h.H
	}
	if it.Fixed > 0 && top < it.Fixed {
		top = it.Fixed
	}
	p.cur.items = append(p.cur.items, placed{it: it, y: top, index: i})
	if p.first < 0 {
		p.first = i
	}
	p.y = top + it.H
	for _, n := range ns {
		p.noteOn[n] = p.cur
		p.cur.notes = append(p.cur.notes, n)
	}
	if it.Opening {
		if len(p.cur.items) == 1 || p.cur.items[0].it.Opening {
			p.cur.opening = true
		}
		p.chapter = it.Chapter
		p.cur.chapter = it.Chapter
	}
	if it.Chapter != nil {
		p.chapter = it.Chapter
		p.cur.chapter = it.Chapter
	}
	return true
}

// truncate removes the items from flow index k on from the current page,
// with the notes only they cite.
func (p *paginator) truncate(k int) {
	keep := p.cur.items[:0]
	for _, pl := range p.cur.items {
		if pl.index >= 0 && pl.index >= k {
			continue
		}
		keep = append(keep, pl)
	}
	// Drop repeated headers left alone at the end.
	for len(keep) > 0 && keep[len(keep)-1].head {
		keep = keep[:len(keep)-1]
	}
	p.cur.items = keep
	cited := map[*Note]bool{}
	for _, pl := range keep {
		for _, n := range pl.it.Notes {
			cited[n] = true
		}
	}
	var notes []*Note
	for _, n := range p.cur.notes {
		if cited[n] {
			notes = append(notes, n)
		} else {
			delete(p.noteOn, n)
		}
	}
	p.cur.notes = notes
	p.y = 0
	if len(keep) > 0 {
		last := keep[len(keep)-1]
		p.y = last.y + last.it.H
	}
}
