package pdfdoc_test

import (
	"bytes"
	"fmt"
	"log"
	"time"

	"github.com/bindery-books/bindery/book/font"
	"github.com/bindery-books/bindery/book/pdf/pdfdoc"
)

// A draw stage writes a book page by page: text shaped with kerning and
// ligatures, marked as structure; the running folio as an artifact; a
// bookmark and a link.
func Example() {
	var out bytes.Buffer
	d, err := pdfdoc.New(&out, pdfdoc.Config{
		Info:   pdfdoc.Info{Title: "Elixir in the Field", Lang: "en", Created: time.Unix(1700000000, 0).UTC()},
		Labels: []pdfdoc.LabelRange{{First: 0, Style: pdfdoc.RomanLower}, {First: 1, Style: pdfdoc.Decimal}},
		Tagged: true,
	})
	if err != nil {
		log.Fatal(err)
	}
	serif := font.Face{Family: font.Serif}
	doc := d.Elem(nil, "Document")
	for i, text := range []string{"Contents", "The first chapter of an affluent office."} {
		p := d.NewPage(420, 595)
		para := d.Elem(doc, "P")
		p.BeginTag(para)
		p.Text(serif.Font(), 10.5, pdfdoc.Black, 54, 80, text, font.FeaturesOf(serif))
		p.EndTag()
		p.BeginArtifact("Pagination", "Footer")
		p.Text(serif.Font(), 9, pdfdoc.Black, 205, 560, fmt.Sprint(i+1), font.FeaturesOf(serif))
		p.EndTag()
		d.AddOutline(pdfdoc.OutlineItem{Title: text, Page: i, Y: 70})
		if i == 0 {
			p.AddLink(pdfdoc.Link{X: 54, Y: 70, W: 100, H: 12, Target: pdfdoc.Target{Page: 1, Y: 70}, Contents: "Chapter one"})
		}
		if err := p.Close(); err != nil {
			log.Fatal(err)
		}
	}
	if err := d.Close(); err != nil {
		log.Fatal(err)
	}
	fmt.Println(d.PageCount(), "pages,", bytes.Count(out.Bytes(), []byte("/Type /Page ")), "page objects")
	// Output: 2 pages, 2 page objects
}
