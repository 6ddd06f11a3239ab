package book

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
)

// The cost of loading what a source controls: each benchmark grows one
// dimension of a chapter; the throughput (MB/s) stays flat when the cost
// is linear in the input.

func benchLoad(b *testing.B, body string) {
	b.Helper()
	fsys := fstest.MapFS{
		"_index.md": {Data: []byte("- [A](a.md)\n")},
		"a.md":      {Data: []byte(body)},
	}
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if _, err := LoadFS(fsys, "content", ".", Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoadNodes loads chapters of more and more blocks, each asking
// for its line (which was quadratic: each counted the lines before it).
func BenchmarkLoadNodes(b *testing.B) {
	for _, n := range []int{5000, 10000, 20000, 40000} {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			var s strings.Builder
			for i := range n {
				fmt.Fprintf(&s, "## H%d\n\nA [link](#h%d) and `code`.\n\n", i, i)
			}
			benchLoad(b, s.String())
		})
	}
}

// BenchmarkLoadDeepList loads lists nested deeper and deeper, whose size
// grows as the square of the depth (parsing was cubic in the depth).
func BenchmarkLoadDeepList(b *testing.B) {
	for _, depth := range []int{500, 1000, 2000, 4000} {
		b.Run(strconv.Itoa(depth), func(b *testing.B) {
			var s strings.Builder
			for i := range depth {
				s.WriteString(strings.Repeat("  ", i) + "- x\n")
			}
			benchLoad(b, s.String())
		})
	}
}

// BenchmarkLoadLongLine loads one paragraph of more and more words.
func BenchmarkLoadLongLine(b *testing.B) {
	for _, mb := range []int{1, 2, 4, 8} {
		b.Run(fmt.Sprintf("%dMB", mb), func(b *testing.B) {
			benchLoad(b, strings.Repeat("word ", mb<<20/5))
		})
	}
}
