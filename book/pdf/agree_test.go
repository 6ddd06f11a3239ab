package pdf_test

import (
	"archive/zip"
	"bytes"
	"io"
	"path"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/bindery-books/bindery/book"
	"github.com/bindery-books/bindery/book/epub"
	"github.com/bindery-books/bindery/book/internal/golden"
	"github.com/bindery-books/bindery/book/pdf"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// TestPrintersAgree builds the same books with both printers and checks
// that they show the same book: part and chapter labels and titles,
// heading titles, link targets, the set of pictures, the number of
// diagrams drawn, and the characters of every formula.
func TestPrintersAgree(t *testing.T) {
	books := map[string]map[string]string{"parts": partsBook}
	for _, f := range golden.Fixtures(t) {
		books[f.Name] = f.Files
	}
	for name, files := range books {
		t.Run(name, func(t *testing.T) {
			b, _ := golden.LoadFiles(files)
			if b == nil {
				t.Fatal("does not load")
			}
			want, err := pdf.PrintedOf(b)
			if err != nil {
				t.Fatal(err)
			}
			got := epubPrinted(t, b)
			for _, c := range []struct {
				what      string
				epub, pdf []string
			}{
				{"parts", got.Parts, want.Parts},
				{"chapters", got.Chapters, want.Chapters},
				{"headings", got.Headings, want.Headings},
				{"links", got.Links, want.Links},
				{"pictures", got.Images, want.Images},
				{"formulas", normalizeMath(got.Formulas), normalizeMath(want.Formulas)},
			} {
				if !slices.Equal(c.epub, c.pdf) {
					t.Errorf("%s differ:\nepub %q\n pdf %q", c.what, c.epub, c.pdf)
				}
			}
			if got.Diagrams != want.Diagrams {
				t.Errorf("diagrams: epub %d, pdf %d", got.Diagrams, want.Diagrams)
			}
		})
	}
}

// partsBook has nested parts, formulas the two printers once set apart,
// links to headings and footnotes, and a picture used twice.
var partsBook = map[string]string{
	"_index.md": "---\ntitle: Parts\n---\n- Part One\n  - [A](a.md)\n- Part Two\n  - [B](b.md)\n  - Sub\n    - [C](c.md)\n- Part Three\n  - [D](d.md)\n",
	"a.md":      "---\ntitle: Alpha\n---\n## Degrees\n\nThe degree $\\deg f$, a product $a \\cdot b$ and $x \\bullet y$.\n\nSee [the note](c.md#fn:1) and [gamma](c.md#gamma).\n",
	"b.md":      "---\ntitle: Beta\n---\n## Beta *one*\n\n$$\n\\sum_{i=1}^{n} i = \\frac{n(n+1)}{2} \\\\\n\\binom{n}{k} \\notacommand\n$$\n",
	"c.md":      "---\ntitle: Gamma\n---\n# Gamma\n\nText.[^1]\n\n## Gamma\n\n[^1]: A note with [a link](https://go.dev/).\n",
	"d.md":      "---\ntitle: Delta\n---\n```mermaid\ngraph LR\n  A --> B\n```\n\n<div><a href=\"a.md#degrees\">back</a></div>\n",
}

// epubPrinted builds b's EPUB and reports what its pages show, as
// pdf.Printed reports it for the PDF.
func epubPrinted(t *testing.T, b *book.Book) *pdf.Printed {
	t.Helper()
	var buf bytes.Buffer
	if err := epub.Write(&buf, b, epub.Config{}); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]*html.Node{}
	for _, f := range zr.File {
		if strings.HasSuffix(f.Name, ".xhtml") {
			rc, _ := f.Open()
			data, _ := io.ReadAll(rc)
			rc.Close()
			doc, err := html.Parse(bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			files[strings.TrimPrefix(f.Name, "OEBPS/")] = doc
		}
	}
	p := &pdf.Printed{}
	links, images := map[string]bool{}, map[string]bool{}
	b.Walk(func(n book.Node, _ int) {
		if pt, ok := n.(*book.Part); ok {
			doc := files[pt.ID+".xhtml"]
			p.Parts = append(p.Parts, strings.TrimSpace(strings.ToUpper(textOf(find(doc, "part-number")))+" "+textOf(findTag(doc, atom.H1))))
		}
	})
	for _, ch := range b.Chapters {
		doc := files[ch.ID+".xhtml"]
		label := textOf(find(doc, "chapter-number"))
		// The label opens the heading.
		title := strings.TrimSpace(strings.TrimPrefix(textOf(findTag(doc, atom.H1)), label))
		if _, l, ok := strings.Cut(label, " · "); ok {
			label = l // the part's title, which the PDF sets in the running head
		}
		p.Chapters = append(p.Chapters, strings.ToUpper(label)+" "+title)
		walk(doc, func(n *html.Node) bool {
			switch {
			case headings[n.DataAtom]:
				if id := attr(n, "id"); id != "" && id != "_top" {
					p.Headings = append(p.Headings, id+": "+textOf(n))
				}
			case n.DataAtom == atom.A && attr(n, "href") != "" && attr(n, "class") != "backlink":
				links[epubTarget(ch.ID, attr(n, "href"))] = true
			case n.DataAtom == atom.Img && strings.HasPrefix(attr(n, "src"), "images/"):
				images[path.Base(attr(n, "src"))] = true
			case n.DataAtom == atom.Figure && attr(n, "class") == "diagram":
				p.Diagrams++
			case n.DataAtom == atom.Math:
				p.Formulas = append(p.Formulas, mathText(n))
				return false
			}
			return true
		})
	}
	p.Links = sorted(links)
	p.Images = sorted(images)
	return p
}

var headings = map[atom.Atom]bool{atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true}

// epubTarget writes an EPUB href as Printed writes a target.
func epubTarget(chapter, href string) string {
	if strings.Contains(href, "://") || strings.HasPrefix(href, "mailto:") {
		return href
	}
	file, frag, _ := strings.Cut(href, "#")
	ch := strings.TrimSuffix(file, ".xhtml")
	if ch == "" {
		ch = chapter
	}
	switch {
	case frag == "" || frag == "_top":
		return ch
	case strings.HasPrefix(frag, "_fn-"):
		return ch + "#fn:" + strings.TrimPrefix(frag, "_fn-")
	}
	return ch + "#" + frag
}

// normalizeMath keeps the characters of formulas that both printers must
// set: letters, digits and symbols. The PDF's linear forms add fraction
// slashes, radicals, parentheses and the word "choose", and MathML draws
// those as structure, so punctuation, radicals and that word go.
func normalizeMath(fs []string) []string {
	var out []string
	for _, f := range fs {
		f = strings.ReplaceAll(f, " choose ", "")
		var b strings.Builder
		for _, r := range f {
			if unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.In(r, unicode.Sm, unicode.So) && r != '√' {
				b.WriteRune(r)
			}
		}
		out = append(out, b.String())
	}
	return out
}

// mathText returns the characters a MathML formula sets, without its TeX
// annotation.
func mathText(n *html.Node) string {
	var b strings.Builder
	walk(n, func(k *html.Node) bool {
		if k.Type == html.ElementNode && k.Data == "annotation" {
			return false
		}
		if k.Type == html.TextNode {
			b.WriteString(k.Data)
		}
		return true
	})
	return b.String()
}

func walk(n *html.Node, fn func(*html.Node) bool) {
	if !fn(n) {
		return
	}
	for k := n.FirstChild; k != nil; k = k.NextSibling {
		walk(k, fn)
	}
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// find returns the first element of class cls.
func find(doc *html.Node, cls string) *html.Node {
	var found *html.Node
	walk(doc, func(n *html.Node) bool {
		if found == nil && n.Type == html.ElementNode && slices.Contains(strings.Fields(attr(n, "class")), cls) {
			found = n
		}
		return found == nil
	})
	return found
}

// findTag returns the first element a.
func findTag(doc *html.Node, a atom.Atom) *html.Node {
	var found *html.Node
	walk(doc, func(n *html.Node) bool {
		if found == nil && n.DataAtom == a {
			found = n
		}
		return found == nil
	})
	return found
}

// textOf returns the text of n, its white space collapsed.
func textOf(n *html.Node) string {
	if n == nil {
		return ""
	}
	var b strings.Builder
	walk(n, func(k *html.Node) bool {
		if k.Type == html.TextNode {
			b.WriteString(k.Data)
		}
		return true
	})
	return strings.Join(strings.Fields(b.String()), " ")
}

func sorted(m map[string]bool) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

// TestPrintersLeaveTheBook builds each fixture's EPUB, then its PDF, then
// its EPUB again from the one loaded book: printers read the book and never
// change it, so the two EPUBs are the same bytes.
func TestPrintersLeaveTheBook(t *testing.T) {
	for _, f := range golden.Fixtures(t) {
		b, _ := golden.LoadFiles(f.Files)
		if b == nil {
			continue
		}
		var one, two bytes.Buffer
		if err := epub.Write(&one, b, epub.Config{}); err != nil {
			t.Fatal(err)
		}
		if _, err := pdf.Write(io.Discard, b, pdf.Config{}); err != nil {
			t.Fatal(err)
		}
		if err := epub.Write(&two, b, epub.Config{}); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(one.Bytes(), two.Bytes()) {
			t.Errorf("%s: the EPUB written after the PDF differs from the one before", f.Name)
		}
	}
}
