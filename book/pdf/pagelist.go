package pdf

import (
	"unicode"

	"github.com/bindery-books/bindery/book"
	"github.com/bindery-books/bindery/book/font"
	"github.com/yuin/goldmark/ast"
)

// PageList returns where each page of the PDF's body begins, labelled as
// the PDF labels it. It lays out and paginates the book as Write does with
// the same b and cfg, without drawing, so the pages are the PDF's own: an
// EPUB can carry them as its page list.
func PageList(b *book.Book, cfg Config) ([]book.PageStart, error) {
	w, err := newWriter(b, cfg)
	if err != nil {
		return nil, err
	}
	flows := w.chapterFlows()
	pages, front := w.paginateBook(flows)
	return pageStarts(b, flows, pages[front:]), nil
}

// pageStarts finds where each body page begins: the first item of the
// page's text, other than a repeated table header or a figure floated there
// from an earlier page (which the EPUB shows where the text puts it), and
// the chapter or part that item belongs to. A page of floated figures only
// begins with its first.
func pageStarts(b *book.Book, flows []*Flow, body []*Page) []book.PageStart {
	chapterOf := map[*Item]*book.Chapter{}
	for i, f := range flows {
		for _, it := range f.Items {
			chapterOf[it] = b.Chapters[i]
		}
	}
	partOf := map[string]*book.Part{}
	for _, p := range b.Parts {
		partOf[partAnchor(p)] = p
	}
	// Walk the body's items in order, counting for each block the lines
	// and letters already set: a block's items come in order, though a
	// floated figure may come between them.
	type count struct{ lines, letters int }
	var (
		out   []book.PageStart
		part  *book.Part
		set   = map[ast.Node]count{}
		last  ast.Node // the block of the last item
		blank []*Page  // blank pages waiting for the next start
	)
	for _, pg := range body {
		first := -1
		for i, pl := range pg.items {
			if !pl.head && (first < 0 || pg.items[first].float && !pl.float) {
				first = i
			}
		}
		if pg.blank || first < 0 {
			blank = append(blank, pg)
			continue
		}
		var start book.PageStart
		for i, pl := range pg.items {
			if pl.head {
				continue
			}
			it := pl.it
			ch := chapterOf[it]
			if ch == nil {
				for _, op := range it.Ops {
					if a, ok := op.(*anchorOp); ok && partOf[a.Key] != nil {
						part = partOf[a.Key]
					}
				}
			}
			var node ast.Node // the block the item sets
			if ch != nil && !it.Opening {
				// An item set between blocks counts as the end of the
				// block before it.
				node = it.Node
				if node == nil {
					node = last
				}
			}
			last = node
			c := set[node]
			if i == first {
				start = book.PageStart{Chapter: ch, Node: node, Line: c.lines, Offset: c.letters}
				if ch == nil {
					start.Part = part
				}
			}
			if node != nil {
				set[node] = count{c.lines + 1, c.letters + countLetters(it)}
			}
		}
		// A blank page (a verso left empty before a recto opening) begins
		// where the page after it does.
		for _, bp := range blank {
			s := start
			s.Label = bp.folio
			out = append(out, s)
		}
		blank = nil
		start.Label = pg.folio
		out = append(out, start)
	}
	return out
}

// countLetters counts the letters and digits an item sets in text faces:
// the measure by which an output finds the same place in a paragraph.
// Formulas are left out: they are not text in the EPUB.
func countLetters(it *Item) int {
	n := 0
	for _, op := range it.Ops {
		t, ok := op.(*textOp)
		if !ok || t.Face.Family == font.Math {
			continue
		}
		for _, r := range t.S {
			if unicode.IsLetter(r) || unicode.IsDigit(r) {
				n++
			}
		}
	}
	return n
}
