package book

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bindery-books/bindery/book/internal/corpus"
)

// BenchmarkContents times the contents stage of loading: following the
// index (and the indexes it links to) and reading every page it lists,
// on the golang corpus section and on a book of 2,000 chapters made of
// copies of it, each a sub-section of its own; serial reads the pages one
// after another as the walk comes to them, ahead reads them ahead of it
// on every core.
func BenchmarkContents(b *testing.B) {
	golang := corpus.Section(b, corpus.Golang)
	content, _ := corpus.Content()
	big := filepath.Join(b.TempDir(), "content")
	n := copiesOf(b, golang, big, 2000)
	for _, serial := range []bool{false, true} {
		name := "ahead"
		if serial {
			name = "serial"
		}
		b.Run("golang/"+name, func(b *testing.B) {
			benchContents(b, content, filepath.ToSlash(corpus.Golang), serial)
		})
		b.Run("2000/"+name, func(b *testing.B) {
			b.ReportMetric(float64(n), "chapters")
			benchContents(b, big, "book", serial)
		})
	}
}

func benchContents(b *testing.B, content, indexDir string, serial bool) {
	r, err := os.OpenRoot(content)
	if err != nil {
		b.Fatal(err)
	}
	defer r.Close()
	for b.Loop() {
		b.StopTimer()
		ld, idx, err := start(r.FS(), "content", indexDir, Options{serial: serial})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		contents := ld.contentsOf(idx, 0)
		if len(contents) == 0 || ld.b.Diagnostics.errors() > 0 {
			b.Fatal(ld.b.Diagnostics.all())
		}
	}
}

// copiesOf writes a book of at least n chapters into root/book, each part
// a copy of the section in dir, and returns its number of chapters.
func copiesOf(b *testing.B, dir, root string, n int) int {
	entries, err := os.ReadDir(dir)
	if err != nil {
		b.Fatal(err)
	}
	section := "/" + filepath.ToSlash(corpus.Golang)
	var index strings.Builder
	index.WriteString("---\ntitle: Copies\n---\n\n")
	chapters := 0
	for k := 1; chapters < n; k++ {
		part := fmt.Sprintf("p%03d", k)
		if err := os.MkdirAll(filepath.Join(root, "book", part), 0o755); err != nil {
			b.Fatal(err)
		}
		for _, e := range entries {
			if !strings.HasSuffix(e.Name(), ".md") {
				continue
			}
			data, err := os.ReadFile(filepath.Join(dir, e.Name()))
			if err != nil {
				b.Fatal(err)
			}
			data = []byte(strings.ReplaceAll(string(data), section, "/book/"+part))
			if err := os.WriteFile(filepath.Join(root, "book", part, e.Name()), data, 0o644); err != nil {
				b.Fatal(err)
			}
			if e.Name() != "_index.md" {
				chapters++
			}
		}
		fmt.Fprintf(&index, "- [Part %d](/book/%s)\n", k, part)
	}
	if err := os.WriteFile(filepath.Join(root, "book", "_index.md"), []byte(index.String()), 0o644); err != nil {
		b.Fatal(err)
	}
	return chapters
}
