package epub

import (
	"io"
	"testing"

	"github.com/bindery-books/bindery/book"
	"github.com/bindery-books/bindery/book/internal/corpus"
)

// BenchmarkStages times writing the EPUB of the golang corpus section,
// loaded once: chapters rendered and compressed on all cores, the cover
// drawn beside them, the package zipped. Code is highlighted on the first
// iteration and cached after it (book's BenchmarkStages times it).
func BenchmarkStages(b *testing.B) {
	bk, err := book.Load(corpus.Section(b, corpus.Golang), book.Options{})
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
