package pdf

import (
	"slices"

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
	float bool // an item of a figure placed away from its place in the flow
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
	// num is the page's number in its run, the front matter's or the
	// body's, from 1: its side, as the front matter of a two-sided book
	// has an even number of pages. folio is the number printed.
	num   int
	folio string
}

// notesGap is the space above the footnotes, where the short rule goes.
func (p *paginator) notesGap() float64 { return p.st.Leading * 1.1 }

// paginator stacks the items of a flow onto pages.
//
// Figures float. A figure (the items sharing a Float number) that does not
// fit on what is left of a page is deferred: the text after it fills the
// page, and the figure goes to the top of the next page, where it is never
// above the paragraph before it (that paragraph is on an earlier page).
// Deferred figures keep their order: while one waits, the figures after it
// wait too. None leaves its chapter: before a break to a new page (a
// chapter or part opening), before the chapter's end notes (an item that
// settles them) and at the end, the figures still waiting are
// set, on the page where the chapter's text ends if they fit there, else
// at the top of the pages after it.
type paginator struct {
	g     Geometry
	st    Styles
	items []*Item
	pages []*Page
	cur   *Page
	y     float64 // bottom of the last item placed on cur
	// first is the flow index of the first item of the flow on cur, not
	// counting the figures moved to its top; -1 while there is none.
	first int
	// noteOn maps a note to the page it is set on.
	noteOn  map[*Note]*Page
	chapter *book.Chapter
	// startNum is the number of the first page.
	startNum int
	// deferred are the figures waiting for the top of a page, in order.
	deferred []figure
	// added says a chunk was added (see add).
	added bool
	// carry marks the items that follow a deferred figure that was kept
	// with the item before it: they are kept with that item instead.
	carry map[int]bool
}

// figure is the run of flow items [from, to) of one floating figure.
type figure struct{ from, to int }

// paginate breaks items into pages. The first page has number start,
// which decides which pages are recto in a two-sided book.
func paginate(items []*Item, g Geometry, st Styles, start int) []*Page {
	p := newPaginator(g, st, start)
	pages := p.add(items)
	return append(pages, p.finish()...)
}

// newPaginator starts a run of pages whose first has number start.
func newPaginator(g Geometry, st Styles, start int) *paginator {
	p := &paginator{g: g, st: st, noteOn: map[*Note]*Page{}, startNum: start, carry: map[int]bool{}}
	p.newPage()
	return p
}

// add stacks the items of a chunk of the run (a chapter, a part page)
// onto pages, and returns the pages of the chunks added before it, which
// are finished: each chunk but the first begins with a break to a new
// page, and the pages hold nothing of it. A chunk's pages are what paginate
// would make of it with the chunks before it, as no decision looks past a
// break: floating figures do not leave their chapter, and keeps are
// broken by a new page.
func (p *paginator) add(items []*Item) []*Page {
	if len(items) == 0 {
		return nil
	}
	var done []*Page
	if p.added {
		if items[0].Break == NoBreak {
			panic("pdf: a chunk of pages that does not begin a page")
		}
		// What the loop does at a break, first: the figures still
		// waiting are set, and a page begun.
		p.flush()
		if len(p.cur.items) > 0 {
			p.newPage()
		}
		done = p.pages[:len(p.pages)-1]
		p.pages = []*Page{p.cur}
		clear(p.noteOn) // the notes of the chunks before are set
	}
	p.items = items
	p.added = true
	p.run()
	return done
}

// finish ends the run: it sets the figures still waiting, and returns the
// pages not yet returned.
func (p *paginator) finish() []*Page {
	p.flush()
	if len(p.cur.items) == 0 && p.cur.num > p.startNum {
		p.pages = p.pages[:len(p.pages)-1]
	}
	pages := p.pages
	p.pages = nil
	return pages
}

// run stacks p.items.
func (p *paginator) run() {
	items, g := p.items, p.g
	i := 0
	for i < len(items) {
		it := items[i]
		if it.Break != NoBreak || it.Settle {
			p.flush()
		}
		if it.Break != NoBreak && len(p.cur.items) > 0 {
			p.newPage()
		}
		if it.Break == Recto && g.TwoSide && p.cur.num%2 == 0 && len(p.cur.items) == 0 {
			p.cur.blank = true
			p.newPage()
		}
		if f, ok := p.figureAt(i); ok && p.shouldDefer(f) {
			if k, ok := p.closer(f); ok {
				p.truncate(k)
				p.newPage()
				i = k
				continue
			}
			p.deferred = append(p.deferred, f)
			if p.carries(f) {
				p.carry[f.to] = true
			}
			i = f.to
			continue
		}
		if p.place(i, false, false) {
			i++
			continue
		}
		if p.first < 0 {
			if len(p.cur.items) > 0 && !p.onlyHeaders() {
				// Only figures moved to the top are on the page, and the
				// item does not fit under them: it starts the next page.
				p.newPage()
				continue
			}
			// Too tall for any page: place it anyway (the converter keeps
			// items shorter than a page, so this is a safety net).
			p.place(i, true, false)
			i++
			continue
		}
		// Go back to the start of the run of items kept together. A
		// figure deferred from within the run is not on the page: the run
		// goes on with the item before it.
		k := i
		for k > p.first && p.keeps(k) {
			k--
			if f, ok := p.deferredEndingAt(k); ok {
				k = f.from
			}
		}
		switch {
		case k == p.first && !p.floatsOnTop():
			k = i // the run fills the page: break it where it overflows
		case !p.fullEnough(p.usedBefore(k)):
			// When k is the first of the flow on the page, under figures,
			// the run goes whole to the next page unless a paragraph in it
			// can break.
			k = p.looser(k, i)
		}
		p.truncate(k)
		p.newPage()
		i = k
	}
}

// looser returns where to break a page whose run of kept items from k to
// i does not fit, when breaking before k would leave more than a quarter
// of the page empty: rather than such a hole, a paragraph may leave one
// line at the foot of the page or, failing that, one line at the head of
// the next. It never parts a heading, a caption or a table's head from
// what follows them. It returns k when no such break fills the page.
func (p *paginator) looser(k, i int) int {
	line := func(j int) bool { return p.items[j].Kind == "line" }
	last := func(j int) bool { return j+1 >= len(p.items) || !line(j+1) || p.items[j+1].Space != 0 }
	for _, widows := range []bool{false, true} {
		for j := i; j > k; j-- {
			if !line(j) || !line(j-1) || p.items[j].Space != 0 || !widows && last(j) || !p.onPage(j-1) {
				continue
			}
			if p.fullEnough(p.usedBefore(j)) {
				return j
			}
			break // breaking earlier empties the page further
		}
	}
	return k
}

// floatsOnTop reports whether figures moved from earlier pages are on the
// current page.
func (p *paginator) floatsOnTop() bool {
	return len(p.cur.items) > 0 && p.cur.items[0].float
}

// fullEnough reports whether a page whose items reach bottom is at least
// three quarters full, with half a line to spare: the ink of the last line
// ends above the bottom of its item.
func (p *paginator) fullEnough(bottom float64) bool {
	return bottom >= 0.75*p.g.TextH+p.st.Leading/2
}

// usedBefore returns how much of the current page its items before flow
// index k use, with the footnotes they cite.
func (p *paginator) usedBefore(k int) float64 {
	bottom := 0.0
	var ns []*Note
	for _, pl := range p.cur.items {
		if pl.float || pl.index >= 0 && pl.index < k {
			bottom = max(bottom, pl.y+pl.it.H)
			for _, n := range pl.it.Notes {
				if p.noteOn[n] == p.cur && !slices.Contains(ns, n) {
					ns = append(ns, n)
				}
			}
		}
	}
	if h := notesHeight(ns); h > 0 {
		bottom += h + p.notesGap()
	}
	return bottom
}

// keeps reports whether a page may not break before flow item i. Nothing
// is kept with a floating figure before it (the keep of a heading over the
// next two items may reach past a figure without a caption); what follows
// a deferred figure that was kept with the item before it is kept with
// that item instead.
func (p *paginator) keeps(i int) bool {
	if p.carry[i] {
		return true
	}
	if i > 0 && p.items[i-1].Float != 0 && p.items[i-1].Float != p.items[i].Float {
		return false
	}
	return p.items[i].Keep
}

// carries reports whether the item after figure f, now deferred, is to be
// kept with the item before f: when f was kept with it.
func (p *paginator) carries(f figure) bool {
	return f.to < len(p.items) && p.items[f.to].Break == NoBreak && p.keeps(f.from)
}

// figureAt returns the floating figure that starts at flow item i.
func (p *paginator) figureAt(i int) (figure, bool) {
	n := p.items[i].Float
	if n == 0 || i > 0 && p.items[i-1].Float == n {
		return figure{}, false
	}
	j := i + 1
	for j < len(p.items) && p.items[j].Float == n && p.items[j].Break == NoBreak {
		j++
	}
	return figure{i, j}, true
}

// shouldDefer decides whether figure f waits for a later page: when
// figures before it wait (they keep their order), or when it does not fit
// on what is left of the page and there is a next page to go to: the page
// holds some of the flow or figures already.
func (p *paginator) shouldDefer(f figure) bool {
	if len(p.deferred) > 0 {
		return true
	}
	return len(p.cur.items) > 0 && !p.onlyHeaders() && !p.fits(f, false)
}

// closer keeps figure f within a page of the paragraph before it when the
// figures waiting before it fill the next page. Then f goes two pages on
// from the current one, and the text that filled the current page has run
// too far ahead: closer returns the flow index to end the current page at
// instead, so that the end of that paragraph (with what is kept with it)
// goes to the next page. It does so only when the paragraph ends on the
// current page and the page stays at least three quarters full.
func (p *paginator) closer(f figure) (int, bool) {
	if len(p.deferred) == 0 || p.first < 0 || p.fitsNextPage(f) {
		return 0, false
	}
	k := f.from - 1
	if k <= p.first || !p.onPage(k) {
		return 0, false
	}
	for k > p.first && p.keeps(k) {
		k--
		if g, ok := p.deferredEndingAt(k); ok {
			k = g.from
		}
	}
	if k <= p.first || !p.onPage(k) {
		return 0, false
	}
	return k, p.fullEnough(p.usedBefore(k))
}

// fitsNextPage reports whether figure f fits at the top of the next page,
// under the deferred figures that go there before it.
func (p *paginator) fitsNextPage(f figure) bool {
	y := 0.0
	for _, g := range append(slices.Clone(p.deferred), f) {
		for k := g.from; k < g.to; k++ {
			if y > 0 {
				y += p.items[k].Space
			}
			y += p.items[k].H
		}
		if y > p.g.TextH+0.01 {
			return false
		}
	}
	return true
}

// onPage reports whether flow item k is on the current page, in its place
// in the flow.
func (p *paginator) onPage(k int) bool {
	for _, pl := range p.cur.items {
		if pl.index == k && !pl.float {
			return true
		}
	}
	return false
}

// deferredEndingAt returns the deferred figure whose last item is flow
// item k.
func (p *paginator) deferredEndingAt(k int) (figure, bool) {
	for _, f := range p.deferred {
		if f.to == k+1 {
			return f, true
		}
	}
	return figure{}, false
}

// fits reports whether figure f fits on what is left of the current page,
// with the notes its items cite: set as a float (away from its place in
// the flow), or in its place, where it is the first of the flow on the
// page when only floats are above it.
func (p *paginator) fits(f figure, float bool) bool {
	y := p.y
	var ns []*Note
	for k := f.from; k < f.to; k++ {
		it := p.items[k]
		switch {
		case k == f.from && len(p.cur.items) == 0:
		case k == f.from && p.first < 0 && !float:
			y += max(it.Space, p.floatSep())
		default:
			y += it.Space
		}
		y += it.H
		for _, n := range p.newNotes(it) {
			if !slices.Contains(ns, n) {
				ns = append(ns, n)
			}
		}
	}
	notesH := notesHeight(p.cur.notes) + notesHeight(ns)
	if notesH > 0 {
		notesH += p.notesGap()
	}
	return y+notesH <= p.g.TextH+0.01
}

// placeFigure sets figure f at the current place of the current page, which
// may be too short for it only when the page is empty.
func (p *paginator) placeFigure(f figure) {
	for k := f.from; k < f.to; k++ {
		p.place(k, true, true)
	}
}

// placeDeferred sets at the top of a new page the deferred figures that
// fit there, in order; the first goes even when it is too tall for any
// page, so the figures cannot wait for ever.
func (p *paginator) placeDeferred() {
	for len(p.deferred) > 0 {
		f := p.deferred[0]
		if len(p.cur.items) > 0 && !p.fits(f, true) {
			return
		}
		p.deferred = p.deferred[1:]
		delete(p.carry, f.to)
		p.placeFigure(f)
	}
}

// flush sets the figures still deferred before the chapter ends: after the
// text on the current page if they fit there, else on the pages after it.
func (p *paginator) flush() {
	for len(p.deferred) > 0 {
		f := p.deferred[0]
		if len(p.cur.items) > 0 && !p.fits(f, true) {
			p.newPage() // which sets at its top what fits there
			continue
		}
		p.deferred = p.deferred[1:]
		delete(p.carry, f.to)
		p.placeFigure(f)
	}
}

func (p *paginator) onlyHeaders() bool {
	for _, pl := range p.cur.items {
		if !pl.head {
			return false
		}
	}
	return true
}

// newPage starts a page, with the deferred figures that fit at its top.
func (p *paginator) newPage() {
	num := p.startNum
	if p.cur != nil {
		num = p.cur.num + 1
	}
	p.cur = &Page{num: num, chapter: p.chapter}
	p.pages = append(p.pages, p.cur)
	p.y = 0
	p.first = -1
	p.placeDeferred()
}

// floatSep is the space between the figures at the top of a page and the
// text under them.
func (p *paginator) floatSep() float64 { return p.st.Leading }

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
// reports whether it did. A float is an item of a figure set away from its
// place in the flow: at the top of a page, or at the end of its chapter.
func (p *paginator) place(i int, force, float bool) bool {
	it := p.items[i]
	empty := len(p.cur.items) == 0
	// fresh: the item is the first of the flow on the page, under the
	// figures moved to its top if there are any.
	fresh := !float && p.first < 0
	var header []*Item
	if fresh && it.Header != nil && it.Kind != "thead" {
		header = it.Header
	}
	lead := it
	if len(header) > 0 {
		lead = header[0]
	}
	y := p.y
	space := it.Space
	switch {
	case empty:
		space = padTop(lead)
	case fresh:
		space = max(space, p.floatSep()+padTop(lead))
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
	p.cur.items = append(p.cur.items, placed{it: it, y: top, index: i, float: float})
	if fresh {
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
// with the notes only they cite; the figures deferred from flow index k on
// are no longer deferred: they will be met again.
func (p *paginator) truncate(k int) {
	keep := p.cur.items[:0]
	for _, pl := range p.cur.items {
		if !pl.float && pl.index >= 0 && pl.index >= k {
			continue
		}
		keep = append(keep, pl)
	}
	waiting := p.deferred[:0]
	for _, f := range p.deferred {
		if f.from < k {
			waiting = append(waiting, f)
		} else {
			delete(p.carry, f.to)
		}
	}
	p.deferred = waiting
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
