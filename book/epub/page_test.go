package epub

import (
	"archive/zip"
	"bytes"
	"io"
	"testing"

	"github.com/bindery-books/bindery/book/internal/golden"
)

// TestPages checks that ChapterPage, PartPage and Stylesheet give the
// very files of the EPUB, and that a chapter's resources are those the
// EPUB carries for it.
func TestPages(t *testing.T) {
	files := map[string]string{
		"_index.md": "---\ntitle: Pages\n---\n- Opening\n  - [One](one.md)\n- [Two](two.md)\n",
		"one.md":    "---\ntitle: One\n---\nSee [two](two.md#later).\n\n![A dot](dot.svg)\n\n```mermaid\ngraph TD\n  A --> B\n```\n\n$$x^2$$\n",
		"two.md":    "---\ntitle: Two\n---\n## Later\n\n```go\nfmt.Println(2)\n```\n",
		"dot.svg":   `<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><circle cx="2" cy="2" r="2"/></svg>`,
	}
	b := golden.MustLoad(t, files)
	var buf bytes.Buffer
	if err := Write(&buf, b, Config{}); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	entry := func(name string) []byte {
		t.Helper()
		f, err := zr.Open("OEBPS/" + name)
		if err != nil {
			t.Fatalf("the EPUB has no %s", name)
		}
		defer f.Close()
		data, err := io.ReadAll(f)
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	resources := 0
	for _, ch := range b.Chapters {
		p, err := ChapterPage(b, ch)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(p.Data, entry(p.Name)) {
			t.Errorf("ChapterPage(%s) differs from the EPUB's %s:\n%s", ch.ID, p.Name, golden.Diff(string(entry(p.Name)), string(p.Data)))
		}
		for _, r := range p.Resources {
			resources++
			if !bytes.Equal(r.Data, entry(r.Name)) {
				t.Errorf("resource %s of %s differs from the EPUB's", r.Name, ch.ID)
			}
		}
	}
	if resources < 2 {
		t.Errorf("%d resources: want the picture and the diagram at least", resources)
	}
	for _, pt := range b.Parts {
		p := PartPage(b, pt)
		if !bytes.Equal(p.Data, entry(p.Name)) {
			t.Errorf("PartPage(%s) differs from the EPUB's %s", pt.ID, p.Name)
		}
	}
	if len(b.Parts) == 0 {
		t.Error("the book has no part")
	}
	if !bytes.Equal(Stylesheet(b), entry("style.css")) {
		t.Error("Stylesheet differs from the EPUB's style.css")
	}
}
