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
// The stages run as a pipeline, so that a book of any length takes a
// window of its chapters in memory, never the whole: chapters are laid
// out a few ahead of the pagination, which takes them in reading order,
// and each chapter's pages are drawn, written out and let go as soon as
// they are final. The front matter is laid out, paginated and drawn last,
// with the body's page numbers in its contents, and goes first in the PDF.
//
// Everything the PDF shares with the EPUB (link targets, pictures,
// diagrams, highlighted code, formulas, raw HTML) was decided when the book
// was loaded; this package only sets it.
package pdf

import (
	"cmp"
	"io"
	"runtime"
	"strconv"
	"sync/atomic"

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
	// Release lets Write release each chapter once its pages are drawn
	// (Chapter.Release): for the last printer of a book.
	Release bool
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
	// tx sets the part pages and the front matter (see typesetter).
	tx *typesetter
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

// Write typesets b as a PDF into out. The body comes first: its chapters
// are laid out on every core, a few ahead of the pagination, which stacks
// them in reading order, and each chapter's pages are drawn and written
// out as soon as they are final, so that what Write holds is a window of
// chapters, never the whole book. Then the front matter, whose contents
// carry the body's page numbers, is laid out, paginated and drawn; it
// goes first in the PDF.
func Write(out io.Writer, b *book.Book, cfg Config) (Stats, error) {
	w, err := newWriter(b, cfg)
	if err != nil {
		return Stats{}, err
	}
	d, err := w.newDrawer(out)
	if err != nil {
		return Stats{}, err
	}
	var starts *pageStarter
	if cfg.PageList {
		starts = newPageStarter(b)
	}
	anchors, err := w.body(w.flow, func(pages []*Page, ch *book.Chapter) error {
		if starts != nil {
			starts.add(pages, ch)
		}
		err := d.draw(pages)
		if cfg.Release && ch != nil {
			ch.Release()
		}
		return err
	})
	if err != nil {
		return Stats{}, err
	}
	body := d.doc.PageCount()
	front := w.frontMatter(anchors)
	d.startFront()
	if err := d.draw(front); err != nil {
		return Stats{}, err
	}
	if err := d.close(body, len(front)); err != nil {
		return Stats{}, err
	}
	st := Stats{Pages: body + len(front)}
	if starts != nil {
		st.PageList = starts.finish()
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

// flow lays out a chapter (stage 1).
func (w *writer) flow(ch *book.Chapter) *Flow {
	c := newConverter(w, ch)
	f := &Flow{Items: c.chapter()}
	cellArrays.Give(c.tx.cells)
	return f
}

// ahead is how many chapters per core the layout may run ahead of the
// pagination: enough that a long chapter does not leave a core idle,
// few enough that the chapters laid out and waiting hold little.
const ahead = 4

// body paginates the body (stage 2): part pages and chapters in reading
// order, numbered from 1 on a recto page, so that its pagination does not
// depend on the length of the contents. The chapters are laid out by
// flow (stage 1) on every core, a few ahead of the pagination. The pages
// of each chunk (a chapter, a part page) go to emit, with their folios,
// in order, as soon as they are final, with the chapter they belong to
// (nil for a part's). Nothing else of a chunk is kept once emit has
// returned but the folios of its anchors, which body returns for the
// contents.
func (w *writer) body(flow func(*book.Chapter) *Flow, emit func([]*Page, *book.Chapter) error) (map[string]string, error) {
	b := w.b
	// chs are the chapters in reading order; opens[i] the parts that
	// open before chs[i], opens[len(chs)] those after the last chapter.
	var chs []*book.Chapter
	opens := [][]*book.Part{nil}
	b.Walk(func(n book.Node, depth int) {
		switch n := n.(type) {
		case *book.Part:
			opens[len(chs)] = append(opens[len(chs)], n)
		case *book.Chapter:
			chs = append(chs, n)
			opens = append(opens, nil)
		}
	})
	tx := w.typesetter()
	p := newPaginator(w.g, w.st, 1)
	anchors := map[string]string{}
	var (
		last *book.Chapter // the chapter of the chunk added last
		err  error
	)
	emitted := func(pages []*Page) {
		if err != nil || len(pages) == 0 {
			return
		}
		for _, pg := range pages {
			pg.folio = strconv.Itoa(pg.num)
			for _, pl := range pg.items {
				for _, op := range pl.it.Ops {
					if a, ok := op.(*anchorOp); ok {
						if _, seen := anchors[a.Key]; !seen {
							anchors[a.Key] = pg.folio
						}
					}
				}
			}
		}
		err = emit(pages, last)
	}
	add := func(items []*Item, ch *book.Chapter) bool {
		emitted(p.add(items))
		last = ch
		return err == nil
	}
	parts := func(ps []*book.Part) bool {
		for _, pt := range ps {
			if !add(w.partPage(tx, pt), nil) {
				return false
			}
		}
		return true
	}
	flows := make([]*Flow, len(chs))
	var laid atomic.Int64
	par.Ordered(len(chs), ahead*runtime.GOMAXPROCS(0), func(i int) {
		flows[i] = flow(chs[i])
		if n := laid.Add(1); w.cfg.Progress != nil {
			w.cfg.Progress(int(n), len(chs))
		}
	}, func(i int) bool {
		f := flows[i]
		flows[i] = nil
		return parts(opens[i]) && add(f.Items, chs[i])
	})
	if err == nil && parts(opens[len(chs)]) {
		emitted(p.finish())
	}
	return anchors, err
}

// typesetter returns a typesetter for the part pages and the front
// matter, which warns at the book's index.
func (w *writer) typesetter() *typesetter {
	if w.tx == nil {
		b := w.b
		w.tx = &typesetter{fonts: w.fonts, warn: func(format string, args ...any) {
			b.Diagnostics.Warnf(book.Pos{File: b.Index}, format, args...)
		}}
	}
	return w.tx
}

// frontMatter lays out and paginates the front matter: the title page,
// the colophon and the contents, which give the body's folios from
// anchors. Its pages are numbered in roman from 1, and made even in a
// two-sided book, so that the body begins on a recto page.
func (w *writer) frontMatter(anchors map[string]string) []*Page {
	tx := w.typesetter()
	front := append(w.titlePage(tx), w.colophon(tx)...)
	front = append(front, w.contents(tx, func(a string) string { return anchors[a] })...)
	pages := paginate(front, w.g, w.st, 1)
	if len(pages)%2 == 1 && w.g.TwoSide {
		pages = append(pages, &Page{num: len(pages) + 1, blank: true})
	}
	for _, p := range pages {
		p.folio = roman(p.num)
	}
	return pages
}
