package epub

import (
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/bindery-books/bindery/book"
)

// BenchmarkStages times writing the EPUB of the golang corpus section,
// loaded once: chapters rendered and compressed on all cores, the cover
// drawn beside them, the package zipped. Code is highlighted on the first
// iteration and cached after it (book's BenchmarkStages times it).
func BenchmarkStages(b *testing.B) {
	dir := filepath.Join("..", "..", "..", "shared", "corpus", "content", filepath.FromSlash("en/learn/software-engineering/programming-languages/golang/in-the-field"))
	if _, err := os.Stat(dir); err != nil {
		b.Skip("corpus not found at ../shared/corpus")
	}
	bk, err := book.Load(dir, book.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Run("write", func(b *testing.B) {
		for b.Loop() {
			if err := Write(io.Discard, bk, Config{}); err != nil {
				b.Fatal(err)
			}
		}
	})
}
