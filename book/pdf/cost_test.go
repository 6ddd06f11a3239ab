package pdf

import (
	"fmt"
	"io"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bindery-books/bindery/book"
	"github.com/bindery-books/bindery/book/internal/golden"
)

// The cost of what a source controls: each benchmark grows one dimension
// of a chapter (a title's length, a list's depth, the number of headings,
// the chapter's size) and writes the PDF. Time per op should grow as the
// input does, linearly; "peak-MB" is the largest heap seen while writing,
// which should grow no faster.

// costBook loads a one-chapter book whose chapter is body.
func costBook(b *testing.B, title, body string) *book.Book {
	b.Helper()
	bk, err := golden.LoadFiles(map[string]string{
		"input.md": "---\ntitle: " + strconv.Quote(title) + "\n---\n" + body,
	})
	if err != nil {
		b.Fatal(err)
	}
	return bk
}

// writeCost writes the book's PDF b.N times, reporting the peak heap.
func writeCost(b *testing.B, bk *book.Book) {
	b.Helper()
	var peak atomic.Uint64
	done := make(chan struct{})
	go func() {
		var ms runtime.MemStats
		for {
			select {
			case <-done:
				return
			case <-time.After(20 * time.Millisecond):
			}
			runtime.ReadMemStats(&ms)
			if ms.HeapAlloc > peak.Load() {
				peak.Store(ms.HeapAlloc)
			}
		}
	}()
	runtime.GC()
	for b.Loop() {
		if _, err := Write(io.Discard, bk, Config{}); err != nil {
			b.Fatal(err)
		}
	}
	close(done)
	b.ReportMetric(float64(peak.Load())/(1<<20), "peak-MB")
}

// BenchmarkTitleLength sets chapter titles of more and more words; the
// title appears on the opening page, in the contents, the running heads
// and the outline.
func BenchmarkTitleLength(b *testing.B) {
	for _, n := range []int{125, 250, 500, 1000} {
		b.Run(fmt.Sprintf("words/%d", n), func(b *testing.B) {
			title := strings.TrimSpace(strings.Repeat("word ", n/5))
			writeCost(b, costBook(b, title, "Text.\n"))
		})
		b.Run(fmt.Sprintf("one-word/%d", n), func(b *testing.B) {
			writeCost(b, costBook(b, strings.Repeat("x", n), "Text.\n"))
		})
	}
}

// BenchmarkHeadingLength sets a ## heading of more and more words.
func BenchmarkHeadingLength(b *testing.B) {
	for _, n := range []int{125, 250, 500, 1000} {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			writeCost(b, costBook(b, "T", "## "+strings.TrimSpace(strings.Repeat("word ", n/5))+"\n\nText.\n"))
		})
	}
}

// BenchmarkListDepth sets lists nested deeper and deeper.
func BenchmarkListDepth(b *testing.B) {
	for _, depth := range []int{250, 500, 1000, 2000} {
		b.Run(strconv.Itoa(depth), func(b *testing.B) {
			var s strings.Builder
			for i := range depth {
				s.WriteString(strings.Repeat("  ", i) + "- item\n")
			}
			writeCost(b, costBook(b, "T", s.String()))
		})
	}
}

// BenchmarkHeadings sets chapters of more and more sections.
func BenchmarkHeadings(b *testing.B) {
	for _, n := range []int{2500, 5000, 10000, 20000} {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			var s strings.Builder
			for i := range n {
				fmt.Fprintf(&s, "## Section %d\n\nA line.\n\n", i)
			}
			writeCost(b, costBook(b, "T", s.String()))
		})
	}
}

// BenchmarkBrackets sets a paragraph of unmatched brackets, each of which
// goldmark makes a text node of its own.
func BenchmarkBrackets(b *testing.B) {
	for _, n := range []int{12500, 25000, 50000, 100000} {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			writeCost(b, costBook(b, "T", strings.Repeat("[", n)+"\n"))
		})
	}
}

// BenchmarkChapterSize sets chapters of more and more paragraphs.
func BenchmarkChapterSize(b *testing.B) {
	para := strings.Repeat("A paragraph of ordinary words, set justified in lines of the measure. ", 8) + "\n\n"
	for _, mb := range []float64{0.5, 1, 2, 4} {
		n := int(mb * (1 << 20) / float64(len(para)))
		b.Run(fmt.Sprintf("%gMB", mb), func(b *testing.B) {
			writeCost(b, costBook(b, "T", strings.Repeat(para, n)))
		})
	}
}

// BenchmarkTableSize sets tables of more and more rows, and of more and
// more columns.
func BenchmarkTableSize(b *testing.B) {
	table := func(rows, cols int) string {
		var s strings.Builder
		for r := range rows + 2 {
			for c := range cols {
				switch r {
				case 1:
					s.WriteString("|---")
				default:
					fmt.Fprintf(&s, "| c%d ", c)
				}
			}
			s.WriteString("|\n")
		}
		return s.String()
	}
	for _, n := range []int{1000, 2000, 4000} {
		b.Run(fmt.Sprintf("rows/%d", n), func(b *testing.B) {
			writeCost(b, costBook(b, "T", table(n, 4)))
		})
	}
	for _, n := range []int{100, 400, 1600} {
		b.Run(fmt.Sprintf("columns/%d", n), func(b *testing.B) {
			writeCost(b, costBook(b, "T", table(20, n)))
		})
	}
}

// BenchmarkTitleBeyondLimit sets titles longer than loading allows (the
// title is set on the loaded book), to show what the PDF itself costs.
func BenchmarkTitleBeyondLimit(b *testing.B) {
	for _, n := range []int{2000, 4000, 8000} {
		b.Run(fmt.Sprintf("words/%d", n), func(b *testing.B) {
			bk := costBook(b, "T", "Text.\n")
			bk.Chapters[0].Title = strings.TrimSpace(strings.Repeat("word ", n/5))
			writeCost(b, bk)
		})
	}
}
