// Package pdf typesets a book as a print PDF with its own layout engine,
// in three stages, each in files of its own:
//
//   - flow (flow*.go): each chapter's resolved AST becomes a Flow, a column
//     of measured items (lines of justified text, code lines, table rows,
//     figures, diagrams) with the rules of where a page may break. Chapters
//     are laid out concurrently; the front matter and part pages too.
//   - paginate (paginate.go): the flows are stacked onto Pages, honouring
//     widows, orphans and keeps, with footnotes at the foot of the page that
//     cites them. A figure that does not fit what is left of a page floats
//     to the top of the next while the text after it fills the gap, never
//     further than a page from its paragraph nor out of its chapter. The
//     body is paginated first, so the contents, laid out after it, carry
//     the real page numbers.
//   - draw (draw.go): the pages are drawn with package pdfdoc: text shaped
//     and placed by glyph id (kerning, ligatures) in embedded font subsets
//     that copy back as the source text, rules and boxes, pictures,
//     diagrams as vectors, links, the outline and the page labels; each page
//     is written out as it is finished. The PDF is tagged (PDF/UA-1): the
//     flow gives every item the element of the book's structure it belongs
//     to (tags.go), and the draw stage builds the structure tree in the
//     book's order and marks everything it draws as that element's content
//     or as an artifact (draw_tags.go).
//
// Everything the PDF shares with the EPUB (link targets, pictures,
// diagrams, highlighted code, formulas, raw HTML) was decided when the book
// was loaded; this package only sets it.
package pdf

import (
	"cmp"
	"fmt"
	"io"
	"sync"

	"github.com/bindery-books/bindery/book"
	"github.com/bindery-books/bindery/book/internal/par"
)

// Config controls the PDF. Its zero value gives the book's own settings
// (book.yaml), else A4, one-sided, 11 pt (9.5 pt on A5 and 6×9 in).
type Config struct {
	// PageSize, TwoSide and FontSize override book.yaml when set.
	PageSize string
	TwoSide  bool
	FontSize float64
	// Progress, if set, is called as chapters are laid out.
	Progress func(done, total int)
	// Version is the Bindery version named in the colophon.
	Version string
	// Untagged leaves out the structure tree and marked content that
	// make the PDF accessible (PDF/UA): for measuring what they cost
	// (about 7% of a build, so the CLI has no switch for it).
	Untagged bool
	// PageList asks Write for the page list of the PDF it writes (see
	// Stats), so an EPUB built beside it need not paginate it again.
	PageList bool
}

// Stats tells what a build did.
type Stats struct {
	Pages int
	// PageList is where each page of the body begins, as PageList gives
	// it, when Config.PageList asks for it.
	PageList []book.PageStart
}

// writer holds what the chapters of one PDF share.
type writer struct {
	b   *book.Book
	cfg Config
	g   Geometry
	st  Styles
	// outline maps the headings listed in the contents to their outline level.
	outline map[*book.Heading]int
	// tagState is the root of the book's structure and its parts (tags.go).
	tagState bookTags
	// fonts is the book's typefaces (fonts.go); nil is the built-in DejaVu.
	fonts *fontSet
}

// Settings returns the page size, two-sidedness and body size a book is
// set in with cfg.
func Settings(b *book.Book, cfg Config) (size string, twoSide bool, body float64) {
	size = cmp.Or(cfg.PageSize, b.Meta.PageSize, "a4")
	twoSide = cfg.TwoSide || b.Meta.TwoSide
	body = cmp.Or(cfg.FontSize, b.Meta.FontSize)
	if body == 0 {
		body = 11
		if size == "a5" || size == "6x9in" {
			body = 9.5
		}
	}
	return size, twoSide, body
}

// Write typesets b as a PDF into out: flows, then pages, then the PDF.
func Write(out io.Writer, b *book.Book, cfg Config) (Stats, error) {
	w, err := newWriter(b, cfg)
	if err != nil {
		return Stats{}, err
	}
	flows := w.chapterFlows()
	pages, front := w.paginateBook(flows)
	st := Stats{Pages: len(pages)}
	if cfg.PageList {
		st.PageList = pageStarts(b, flows, pages[front:])
	}
	if err := w.draw(out, pages, front); err != nil {
		return Stats{}, err
	}
	return st, nil
}

// newWriter prepares the geometry, styles and outline levels of a book.
func newWriter(b *book.Book, cfg Config) (*writer, error) {
	size, twoSide, body := Settings(b, cfg)
	g, err := NewGeometry(size, twoSide, body)
	if err != nil {
		return nil, err
	}
	w := &writer{b: b, cfg: cfg, g: g, st: newStyles(body, g.TextW), outline: map[*book.Heading]int{}, fonts: newFontSet(b.Fonts)}
	for _, ch := range b.Chapters {
		var mark func([]*book.Section, int)
		mark = func(ss []*book.Section, level int) {
			for _, s := range ss {
				w.outline[s.Heading] = level
				mark(s.Children, level+1)
			}
		}
		mark(ch.Sections(w.tocDepth()), w.chapterLevel(ch)+1)
	}
	return w, nil
}

// chapterLevel is a chapter's level in the outline: below its parts.
func (w *writer) chapterLevel(ch *book.Chapter) int {
	if ch.Part == nil {
		return 0
	}
	return ch.Part.Depth + 1
}

// chapterFlows lays out every chapter (stage 1), on all cores: the flows
// do not depend on each other.
func (w *writer) chapterFlows() []*Flow {
	chs := w.b.Chapters
	flows := make([]*Flow, len(chs))
	var done int
	var mu sync.Mutex
	par.Each(len(chs), func(i int) {
		flows[i] = &Flow{Items: newConverter(w, chs[i]).chapter()}
		mu.Lock()
		done++
		d := done
		mu.Unlock()
		if w.cfg.Progress != nil {
			w.cfg.Progress(d, len(chs))
		}
	})
	return flows
}

// paginateBook stacks the flows onto pages (stage 2): the body first, part
// pages and chapters in reading order, numbered from 1 on a recto page so
// its pagination does not depend on the length of the contents; then the
// front matter, whose contents carry the body's page numbers. It returns
// every page and the number of front matter pages.
func (w *writer) paginateBook(flows []*Flow) ([]*Page, int) {
	b := w.b
	tx := &typesetter{fonts: w.fonts, warn: func(format string, args ...any) {
		b.Diagnostics.Warnf(book.Pos{File: b.Index}, format, args...)
	}}
	var bodyItems []*Item
	b.Walk(func(n book.Node, depth int) {
		switch n := n.(type) {
		case *book.Part:
			bodyItems = append(bodyItems, w.partPage(tx, n)...)
		case *book.Chapter:
			bodyItems = append(bodyItems, flows[n.Number-1].Items...)
		}
	})
	bodyPages := paginate(bodyItems, w.g, w.st, 1)
	anchors := map[string]string{}
	for _, p := range bodyPages {
		p.folio = fmt.Sprint(p.num)
		for _, pl := range p.items {
			for _, op := range pl.it.Ops {
				if a, ok := op.(*anchorOp); ok {
					if _, seen := anchors[a.Key]; !seen {
						anchors[a.Key] = p.folio
					}
				}
			}
		}
	}
	front := append(w.titlePage(tx), w.colophon(tx)...)
	front = append(front, w.contents(tx, func(a string) string { return anchors[a] })...)
	frontPages := paginate(front, w.g, w.st, 1)
	if len(frontPages)%2 == 1 && w.g.TwoSide {
		frontPages = append(frontPages, &Page{num: len(frontPages) + 1, blank: true})
	}
	for _, p := range frontPages {
		p.folio = roman(p.num)
	}
	for _, p := range bodyPages {
		p.num += len(frontPages)
	}
	return append(frontPages, bodyPages...), len(frontPages)
}
