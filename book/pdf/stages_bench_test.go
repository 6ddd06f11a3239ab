package pdf

import (
	"io"
	"testing"

	"github.com/bindery-books/bindery/book"
	"github.com/bindery-books/bindery/book/internal/corpus"
)

// BenchmarkStages times the PDF's stages on the golang corpus section,
// loaded once: layout (every chapter's flow, on all cores, then the
// pages) and draw (the pages into PDF objects, fonts subset, written).
// Code is highlighted on the first iteration and cached after it.
func BenchmarkStages(b *testing.B) {
	bk, err := book.Load(corpus.Section(b, corpus.Golang), book.Options{})
	if err != nil {
		b.Fatal(err)
	}
	layout := func() (*writer, []*Page, int) {
		w, err := newWriter(bk, Config{})
		if err != nil {
			b.Fatal(err)
		}
		pages, front := w.paginateBook(w.chapterFlows())
		return w, pages, front
	}
	b.Run("layout", func(b *testing.B) {
		for b.Loop() {
			layout()
		}
	})
	b.Run("draw", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			w, pages, front := layout()
			b.StartTimer()
			if err := w.draw(io.Discard, pages, front); err != nil {
				b.Fatal(err)
			}
		}
	})
}
