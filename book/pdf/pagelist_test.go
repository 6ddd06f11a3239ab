package pdf

import (
	"bytes"
	"cmp"
	"fmt"
	"image"
	"image/png"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/bindery-books/bindery/book"
	"github.com/bindery-books/bindery/book/internal/golden"
	"github.com/yuin/goldmark/ast"
)

// pagedBook is a book long enough for chapters, paragraphs, lists, code and
// tables to run across pages, with figures that float to the next page and
// a part whose opening is a page of its own.
func pagedBook(t *testing.T) *book.Book {
	var one, two strings.Builder
	one.WriteString("---\ntitle: One\n---\n")
	for i := range 14 {
		fmt.Fprintf(&one, "## Section %d\n\n", i+1)
		for j := range 3 {
			fmt.Fprintf(&one, "Paragraph %d.%d says %s\n\n", i+1, j+1, strings.Repeat("the same few words again and again, ", 6+i%5))
			if j == 1 && i%3 == 1 {
				// A tall figure, which floats to the next page where it
				// does not fit.
				fmt.Fprintf(&one, "![Figure %d](tall.png)\n\n", i+1)
			}
		}
	}
	two.WriteString("---\ntitle: Two\n---\n")
	two.WriteString("- " + strings.Repeat("an item of a long list, ", 8) + "\n")
	for i := range 30 {
		fmt.Fprintf(&two, "- item %d\n", i)
	}
	two.WriteString("\n```go\n")
	for i := range 90 {
		fmt.Fprintf(&two, "x%d := %d // line %d\n", i, i, i)
	}
	two.WriteString("```\n\n| a | b |\n|---|---|\n")
	for i := range 70 {
		fmt.Fprintf(&two, "| row %d | cell |\n", i)
	}
	two.WriteString("\nThe end[^1].\n\n[^1]: A note.\n")
	return golden.MustLoad(t, map[string]string{
		"_index.md": "---\ntitle: Paged\n---\n- [One](one.md)\n- The Part\n  - [Two](two.md)\n",
		"one.md":    one.String(),
		"two.md":    two.String(),
		"tall.png":  tallPNG(t),
	})
}

// tallPNG returns a picture 300 by 420 pixels.
func tallPNG(t *testing.T) string {
	img := image.NewGray(image.Rect(0, 0, 300, 420))
	for i := range img.Pix {
		img.Pix[i] = uint8(i % 251)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// TestPageList checks the page list against the pages Write draws: one
// start for every body page, labelled as the PDF labels it, in reading
// order, each at the first item of its page.
func TestPageList(t *testing.T) {
	b := pagedBook(t)
	for _, cfg := range []Config{{}, {TwoSide: true}, {PageSize: "a5"}} {
		t.Run(fmt.Sprintf("%s-twoside=%v", cmp.Or(cfg.PageSize, "a4"), cfg.TwoSide), func(t *testing.T) {
			starts, err := PageList(b, cfg)
			if err != nil {
				t.Fatal(err)
			}
			w, _ := newWriter(b, cfg)
			pages, front := w.paginateBook(w.chapterFlows())
			var out bytes.Buffer
			st, err := Write(&out, b, cfg)
			if err != nil {
				t.Fatal(err)
			}
			if st.Pages != len(pages) || len(starts) != len(pages)-front {
				t.Fatalf("%d starts, %d pages of which %d front matter; Write drew %d pages", len(starts), len(pages), front, st.Pages)
			}
			if len(starts) < 8 {
				t.Fatalf("only %d body pages: the book is too short to test", len(starts))
			}
			order := documentOrder(b)
			var prev book.PageStart
			midParagraph, parts, floated := 0, 0, 0
			for i, s := range starts {
				if want := strconv.Itoa(i + 1); s.Label != want {
					t.Errorf("start %d: label %q, want %q", i, s.Label, want)
				}
				if (s.Part == nil) == (s.Chapter == nil) {
					t.Errorf("page %s: part %v, chapter %v: want exactly one", s.Label, s.Part, s.Chapter)
				}
				if s.Part != nil {
					parts++
				}
				pg := pages[front+i]
				// The page's text begins at its first item that is no
				// repeated table header nor a figure floated there.
				var lead *placed
				for k := range pg.items {
					if pl := &pg.items[k]; !pl.head && !pl.float {
						lead = pl
						break
					}
				}
				if len(pg.items) > 0 && pg.items[0].float {
					floated++
				}
				if !pg.blank && s.Node != nil && lead != nil && lead.it.Node != s.Node {
					t.Errorf("page %s: starts at %v, its text begins with an item laid out from %v", s.Label, s.Node.Kind(), lead.it.Node.Kind())
				}
				if s.Node != nil && lead != nil && lead.it.Node == s.Node {
					// Line and Offset count what the earlier pages set of
					// the block.
					lines, letters := 0, 0
					for _, p := range pages[:front+i] {
						for _, pl := range p.items {
							if !pl.head && pl.it.Node == s.Node {
								lines++
								letters += countLetters(pl.it)
							}
						}
					}
					if s.Line != lines || s.Offset != letters {
						t.Errorf("page %s: line %d, letter %d of its block; earlier pages set %d lines, %d letters of it", s.Label, s.Line, s.Offset, lines, letters)
					}
				}
				if s.Line > 0 {
					if _, ok := s.Node.(*ast.Paragraph); ok {
						midParagraph++
						if s.Offset == 0 {
							t.Errorf("page %s begins on line %d of a paragraph at letter 0", s.Label, s.Line+1)
						}
					}
				}
				if i > 0 && before(order, s, prev) {
					t.Errorf("page %s begins before page %s in reading order", s.Label, prev.Label)
				}
				prev = s
			}
			if parts == 0 {
				t.Error("no page of the part")
			}
			if midParagraph == 0 {
				t.Error("no page begins inside a paragraph")
			}
			if floated == 0 {
				t.Error("no page begins with a floated figure")
			}
		})
	}
}

// documentOrder numbers every block of the book in reading order.
func documentOrder(b *book.Book) map[ast.Node]int {
	m := map[ast.Node]int{}
	for _, ch := range b.Chapters {
		_ = ast.Walk(ch.Doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
			if entering {
				m[n] = len(m)
			}
			return ast.WalkContinue, nil
		})
	}
	return m
}

// before reports whether a begins before b in reading order.
func before(order map[ast.Node]int, a, b book.PageStart) bool {
	pos := func(s book.PageStart) [4]int {
		ch, node := 0, -1
		if s.Chapter != nil {
			ch = s.Chapter.Number
		} else if s.Part != nil {
			// A part page comes before its first chapter.
			ch = s.Part.Children[0].(*book.Chapter).Number
			node = -2
		}
		if s.Node != nil {
			node = order[s.Node]
		}
		return [4]int{ch, node, s.Line, s.Offset}
	}
	pa, pb := pos(a), pos(b)
	for i := range pa {
		if pa[i] != pb[i] {
			return pa[i] < pb[i]
		}
	}
	return false
}

// TestPageListFloatsOnly checks the start of a page that holds only
// floated figures: its first, or, when that comes before where the page
// before it begins (the pieces of a diagram cut across pages), where the
// page after it begins, so the list stays in reading order; pages of
// figures at the end of the book take the last start.
func TestPageListFloatsOnly(t *testing.T) {
	b := pagedBook(t)
	ch := b.Chapters[0]
	var paras []ast.Node
	for n := ch.Doc.FirstChild(); n != nil; n = n.NextSibling() {
		if _, ok := n.(*ast.Paragraph); ok {
			paras = append(paras, n)
		}
	}
	text := func(n ast.Node, folio string) *Page {
		return &Page{items: []placed{{it: &Item{Node: n}}}, chapter: ch, folio: folio}
	}
	figure := func(n ast.Node, folio string) *Page {
		return &Page{items: []placed{{it: &Item{Node: n, Kind: "diagram-part"}, float: true}}, chapter: ch, folio: folio}
	}
	s := newPageStarter(b)
	s.add([]*Page{text(paras[0], "1"), figure(paras[1], "2"), text(paras[4], "3"), figure(paras[2], "4"), figure(paras[2], "5"), text(paras[6], "6"), figure(paras[2], "7")}, ch)
	starts := s.finish()
	want := []ast.Node{paras[0], paras[1], paras[4], paras[6], paras[6], paras[6], paras[6]}
	if len(starts) != len(want) {
		t.Fatalf("%d starts, want %d", len(starts), len(want))
	}
	for i, st := range starts {
		if label := strconv.Itoa(i + 1); st.Label != label {
			t.Errorf("start %d: label %q, want %q", i, st.Label, label)
		}
		if st.Node != want[i] {
			t.Errorf("page %s begins at paragraph %d, want paragraph %d", st.Label, slices.Index(paras, st.Node)+1, slices.Index(paras, want[i])+1)
		}
	}
}
