package hyphen

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// BenchmarkPoints hyphenates one typical eight-letter word, found in the
// cache ("cached") and worked out from the patterns every time ("uncached").
func BenchmarkPoints(b *testing.B) {
	for _, tc := range []struct{ tag, word string }{
		{"en-US", "document"},
		{"de", "Trennung"},
		{"ru", "практика"},
	} {
		h := For(tc.tag)
		if h.Points(tc.word) == nil {
			b.Fatalf("%s: no points", tc.word)
		}
		uncached := *h
		uncached.cache = nil
		for _, v := range []struct {
			name string
			h    *Hyphenator
		}{{"cached", h}, {"uncached", &uncached}} {
			b.Run(tc.tag+"/"+v.name, func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					v.h.Points(tc.word)
				}
			})
		}
	}
}

// BenchmarkBook hyphenates every word of the book in content/ (Elixir in the
// Field, about 108,000 words, 45,000 of them long enough to hyphenate, 4,000
// of those distinct), as a line breaker that tries every word of every
// paragraph would; ns/word is the average cost of one word. Each run starts
// with an empty cache.
func BenchmarkBook(b *testing.B) {
	files, err := filepath.Glob("../../content/*.md")
	if err != nil || len(files) == 0 {
		b.Fatalf("no chapters in ../../content: %v", err)
	}
	var words []string
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		words = append(words, strings.Fields(string(src))...)
	}
	for _, cached := range []bool{true, false} {
		name := "uncached"
		if cached {
			name = "cached"
		}
		b.Run(name, func(b *testing.B) {
			h := *For("en-US")
			b.ReportAllocs()
			for b.Loop() {
				h.cache = nil
				if cached {
					h.cache = new(wordCache)
				}
				for _, w := range words {
					h.Points(w)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(words)), "ns/word")
		})
	}
}

// BenchmarkLoad parses a pattern file and builds its Hyphenator, the cost
// of a language's first use.
func BenchmarkLoad(b *testing.B) {
	for _, tag := range []string{"en-us", "de-1996"} {
		b.Run(tag, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := load(tag); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
