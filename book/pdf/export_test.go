package pdf

import (
	"io"
	"sort"
	"strings"

	"github.com/bindery-books/bindery/book"
	"github.com/bindery-books/bindery/book/internal/par"
	"github.com/bindery-books/bindery/book/markup"
	"github.com/yuin/goldmark/ast"
)

// Printed is what the PDF shows of a book that the EPUB shows too, for the
// test that the two agree (agree_test.go).
type Printed struct {
	// Parts and Chapters are the labels and titles of the openings.
	Parts, Chapters []string
	// Headings are "id: text" for each heading of a chapter.
	Headings []string
	// Links are the targets of links: "chapter#fragment", "chapter#fn:2"
	// or the URL; sorted, without repeats.
	Links []string
	// Images are the names of the pictures drawn; sorted, without repeats.
	Images []string
	// Diagrams counts the diagrams drawn.
	Diagrams int
	// Formulas are the characters of each formula, in reading order.
	Formulas []string
}

// PrintedOf lays out b and reports what its pages show.
func PrintedOf(b *book.Book) (*Printed, error) {
	w, err := newWriter(b, Config{})
	if err != nil {
		return nil, err
	}
	p := &Printed{}
	links, images := map[string]bool{}, map[string]bool{}
	tx := &typesetter{warn: func(string, ...any) {}}
	b.Walk(func(n book.Node, _ int) {
		if pt, ok := n.(*book.Part); ok {
			items := w.partPage(tx, pt)
			p.Parts = append(p.Parts, strings.TrimSpace(itemText(items[0])+" "+itemsText(items[1:], "title")))
		}
	})
	for _, f := range w.chapterFlows() {
		p.chapter(f.Items, links, images)
	}
	p.Links = keys(links)
	p.Images = keys(images)
	for _, ch := range b.Chapters {
		_ = ast.Walk(ch.Doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
			var spans []span
			switch n := n.(type) {
			case *markup.MathInline:
				spans = mathSpans(n.Formula, style{Face: serif, Size: 10})
			case *markup.MathBlock:
				// Display math is read from its boxes.
				fr := displayFrame{size: w.st.Body, lead: w.st.Leading, width: w.g.TextW, height: w.g.TextH * 0.85}
				spans = []span{{text: mathText(n.Formula, fr)}}
			}
			if entering && spans != nil {
				var s strings.Builder
				for _, sp := range spans {
					s.WriteString(sp.text)
				}
				p.Formulas = append(p.Formulas, s.String())
			}
			return ast.WalkContinue, nil
		})
	}
	return p, nil
}

// chapter collects what a chapter's flow shows.
func (p *Printed) chapter(items []*Item, links, images map[string]bool) {
	p.Chapters = append(p.Chapters, strings.TrimSpace(itemText(items[0])+" "+itemsText(items[1:], "title")))
	for i, it := range items {
		for _, op := range it.Ops {
			switch o := op.(type) {
			case *linkOp:
				links[linkTarget(o)] = true
			case *imageOp:
				images[o.Pic.Name] = true
			case *anchorOp:
				if id, ok := strings.CutPrefix(o.Key, "h:"); ok && it.Kind == "heading" {
					_, id, _ = strings.Cut(id, "#")
					p.Headings = append(p.Headings, id+": "+itemsText(items[i:], "heading"))
				}
			}
		}
		for _, n := range it.Notes {
			for _, ni := range n.Items {
				for _, op := range ni.Ops {
					if l, ok := op.(*linkOp); ok {
						links[linkTarget(l)] = true
					}
				}
			}
		}
		if it.Kind == "diagram" {
			p.Diagrams++
		}
	}
}

// linkTarget writes a link's target as Printed does.
func linkTarget(o *linkOp) string {
	if o.Anchor == "" {
		return o.URL
	}
	kind, rest, _ := strings.Cut(o.Anchor, ":")
	switch kind {
	case "h":
		return rest
	case "fn":
		ch, n, _ := strings.Cut(rest, ":")
		return ch + "#fn:" + n
	}
	return rest
}

// itemText returns the text an item sets, words a space apart.
func itemText(it *Item) string {
	var ws []string
	for _, op := range it.Ops {
		if t, ok := op.(*textOp); ok {
			ws = append(ws, t.S)
		}
	}
	return strings.Join(strings.Fields(strings.Join(ws, " ")), " ")
}

// itemsText returns the text of the run of items of one kind at the start
// of items.
func itemsText(items []*Item, kind string) string {
	var ts []string
	for i, it := range items {
		if it.Kind != kind || i > 0 && hasAnchor(it) {
			break
		}
		ts = append(ts, itemText(it))
	}
	return strings.Join(ts, " ")
}

func hasAnchor(it *Item) bool {
	for _, op := range it.Ops {
		if _, ok := op.(*anchorOp); ok {
			return true
		}
	}
	return false
}

func keys(m map[string]bool) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// chapterFlows lays out every chapter, on all cores: the flows do not
// depend on each other.
func (w *writer) chapterFlows() []*Flow {
	chs := w.b.Chapters
	flows := make([]*Flow, len(chs))
	par.Each(len(chs), func(i int) { flows[i] = w.flow(chs[i]) })
	return flows
}

// paginateBook paginates the body from flows (by chapter number) and then
// the front matter, as Write does, and returns every page, the front
// matter's first, and the number of front matter pages.
func (w *writer) paginateBook(flows []*Flow) ([]*Page, int) {
	var body []*Page
	anchors, _ := w.body(func(ch *book.Chapter) *Flow { return flows[ch.Number-1] }, func(pages []*Page, _ *book.Chapter) error {
		body = append(body, pages...)
		return nil
	})
	front := w.frontMatter(anchors)
	return append(front, body...), len(front)
}

// draw draws pages, of which the first front are the front matter's, as
// Write does: the body, then the front matter.
func (w *writer) draw(out io.Writer, pages []*Page, front int) error {
	d, err := w.newDrawer(out)
	if err != nil {
		return err
	}
	if err := d.draw(pages[front:]); err != nil {
		return err
	}
	d.startFront()
	if err := d.draw(pages[:front]); err != nil {
		return err
	}
	return d.close(len(pages)-front, front)
}
