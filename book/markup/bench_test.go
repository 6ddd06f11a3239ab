package markup

import (
	"strconv"
	"strings"
	"testing"
)

// deepList returns a list nested depth levels deep, one item per level:
// an input whose size grows as the square of its depth.
func deepList(depth int) []byte {
	var b strings.Builder
	for i := range depth {
		b.WriteString(strings.Repeat("  ", i) + "- x\n")
	}
	return []byte(b.String())
}

// BenchmarkDeepList parses lists nested ever deeper. The throughput (MB/s)
// stays flat: parsing is linear in the input, however deep the nesting (it
// was cubic in the depth: 2.5 s for 1,000 levels).
func BenchmarkDeepList(b *testing.B) {
	for _, depth := range []int{250, 500, 1000, 2000} {
		src := deepList(depth)
		b.Run(strconv.Itoa(depth), func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			for b.Loop() {
				Parse(src)
			}
		})
	}
}

// BenchmarkDeepQuote parses block quotes nested ever deeper, on every line.
func BenchmarkDeepQuote(b *testing.B) {
	for _, depth := range []int{1000, 4000, 16000} {
		src := []byte(strings.Repeat(strings.Repeat("> ", depth)+"x\n", 100))
		b.Run(strconv.Itoa(depth), func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			for b.Loop() {
				Parse(src)
			}
		})
	}
}
