package pdf

import (
	"slices"
	"unicode"

	"github.com/bindery-books/bindery/book"
	"github.com/bindery-books/bindery/book/font"
	"github.com/yuin/goldmark/ast"
)

// PageList returns where each page of the PDF's body begins, labelled as
// the PDF labels it. It lays out and paginates the body as Write does with
// the same b and cfg, without drawing, so the pages are the PDF's own: an
// EPUB can carry them as its page list.
func PageList(b *book.Book, cfg Config) ([]book.PageStart, error) {
	w, err := newWriter(b, cfg)
	if err != nil {
		return nil, err
	}
	s := newPageStarter(b)
	_, err = w.body(w.flow, func(pages []*Page, ch *book.Chapter) error {
		s.add(pages, ch)
		return nil
	})
	return s.finish(), err
}

// pageStarter finds where each body page begins: the first item of the
// page's text, other than a repeated table header or a figure floated there
// from an earlier page (which the EPUB shows where the text puts it), and
// the chapter or part that item belongs to. A page of floated figures only
// begins with its first, unless that comes before where the page before it
// begins (the pieces of a diagram cut across pages, the text after it set
// beside the first): then it begins where the page after it does, as a
// blank page does, since a page list runs in reading order.
//
// It walks the body's items in order, a chunk of pages at a time,
// counting for each block the lines and letters already set: a block's
// items come in order, though a floated figure may come between them.
type pageStarter struct {
	partOf  map[string]*book.Part
	part    *book.Part
	chapter *book.Chapter // of the chunk added last
	set     map[ast.Node]letters
	last    ast.Node // the block of the last item
	blank   []string // the labels of the blank pages waiting for the next start
	out     []book.PageStart
	order   map[ast.Node]int // the chapter's blocks in reading order, once needed
}

// letters counts the lines and letters of a block already set.
type letters struct{ lines, letters int }

func newPageStarter(b *book.Book) *pageStarter {
	s := &pageStarter{partOf: map[string]*book.Part{}, set: map[ast.Node]letters{}}
	for _, p := range b.Parts {
		s.partOf[partAnchor(p)] = p
	}
	return s
}

// add finds where the pages of a chunk of the body begin, the pages of
// chapter ch or, when ch is nil, of a part.
func (s *pageStarter) add(body []*Page, ch *book.Chapter) {
	if ch != s.chapter {
		// The blocks of the chapter before are done with.
		clear(s.set)
		s.chapter = ch
		s.order = nil
	}
	for _, pg := range body {
		first := -1
		for i, pl := range pg.items {
			if !pl.head && (first < 0 || pg.items[first].float && !pl.float) {
				first = i
			}
		}
		if pg.blank || first < 0 {
			s.blank = append(s.blank, pg.folio)
			continue
		}
		floatsOnly := pg.items[first].float
		var start book.PageStart
		for i, pl := range pg.items {
			if pl.head {
				continue
			}
			it := pl.it
			if ch == nil {
				for _, op := range it.Ops {
					if a, ok := op.(*anchorOp); ok && s.partOf[a.Key] != nil {
						s.part = s.partOf[a.Key]
					}
				}
			}
			var node ast.Node // the block the item sets
			if ch != nil && !it.Opening {
				// An item set between blocks counts as the end of the
				// block before it.
				node = it.Node
				if node == nil {
					node = s.last
				}
			}
			s.last = node
			c := s.set[node]
			if i == first {
				start = book.PageStart{Chapter: ch, Node: node, Line: c.lines, Offset: c.letters}
				if ch == nil {
					start.Part = s.part
				}
			}
			if node != nil {
				s.set[node] = letters{c.lines + 1, c.letters + countLetters(it)}
			}
		}
		if floatsOnly && len(s.out) > 0 && s.before(start, s.out[len(s.out)-1]) {
			s.blank = append(s.blank, pg.folio)
			continue
		}
		// A blank page (a verso left empty before a recto opening) begins
		// where the page after it does.
		for _, label := range s.blank {
			bs := start
			bs.Label = label
			s.out = append(s.out, bs)
		}
		s.blank = s.blank[:0]
		start.Label = pg.folio
		s.out = append(s.out, start)
	}
}

// before reports whether a begins before b in reading order, both starts
// in the chapter being added.
func (s *pageStarter) before(a, b book.PageStart) bool {
	if a.Chapter != s.chapter || b.Chapter != s.chapter || s.chapter == nil || a.Node == nil || b.Node == nil {
		return false
	}
	if s.order == nil {
		s.order = map[ast.Node]int{}
		_ = ast.Walk(s.chapter.Doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
			if entering {
				s.order[n] = len(s.order)
			}
			return ast.WalkContinue, nil
		})
	}
	pa, pb := [3]int{s.order[a.Node], a.Line, a.Offset}, [3]int{s.order[b.Node], b.Line, b.Offset}
	return slices.Compare(pa[:], pb[:]) < 0
}

// finish gives the pages left waiting for a start, the book's last ones,
// the start of the last page before them.
func (s *pageStarter) finish() []book.PageStart {
	if len(s.blank) > 0 && len(s.out) > 0 {
		last := s.out[len(s.out)-1]
		for _, label := range s.blank {
			last.Label = label
			s.out = append(s.out, last)
		}
		s.blank = s.blank[:0]
	}
	return s.out
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
