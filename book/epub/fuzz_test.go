package epub

import (
	"bytes"
	"path/filepath"
	"testing"

	"golang.org/x/tools/txtar"
)

// FuzzChapterXHTML renders fuzzed chapters: the XHTML is always well-formed
// XML and rendering twice gives the same bytes.
func FuzzChapterXHTML(f *testing.F) {
	files, _ := filepath.Glob("testdata/xhtml/*.txtar")
	for _, file := range files {
		ar, err := txtar.ParseFile(file)
		if err != nil {
			continue
		}
		for _, af := range ar.Files {
			if af.Name == "input.md" {
				f.Add(string(af.Data))
			}
		}
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
