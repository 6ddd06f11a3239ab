package epub

import (
	"bytes"
	"testing"

	"github.com/bindery-books/bindery/book/internal/golden"
)

// FuzzChapterXHTML renders fuzzed chapters: the XHTML is always well-formed
// XML and rendering twice gives the same bytes.
func FuzzChapterXHTML(f *testing.F) {
	for _, fx := range golden.Fixtures(f) {
		f.Add(fx.Files["input.md"])
	}
	f.Fuzz(func(t *testing.T, body string) {
		render := func() []byte {
			b := loadBookOrSkip(t, map[string]string{"input.md": body})
			if b == nil {
				return nil
			}
			p := &packager{b: b, resources: map[string]*file{}, math: map[string]bool{}}
			page, err := p.chapterPage(b.Chapters[0])
			if err != nil {
				t.Fatal(err)
			}
			return page
		}
		a := render()
		if a == nil {
			return
		}
		if err := checkXML(a); err != nil {
			t.Fatalf("not well-formed: %v\n%s", err, a)
		}
		if b := render(); !bytes.Equal(a, b) {
			t.Fatal("two renderings differ")
		}
	})
}
