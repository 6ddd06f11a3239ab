package hyphen

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestAgainstLuaTeX compares Points with LuaTeX's hyphenation of the same
// words with the same pattern files: a sample of about 400 words a language
// from Debian's word lists, and every exception of five letters or more.
// testdata/luatex/hyphenate.lua made the expected values and tells how.
func TestAgainstLuaTeX(t *testing.T) {
	files, err := filepath.Glob("testdata/luatex/*.txt")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != len(languages) {
		t.Errorf("%d files of LuaTeX output, want one for each of the %d languages", len(files), len(languages))
	}
	for _, file := range files {
		tag := strings.TrimSuffix(filepath.Base(file), ".txt")
		t.Run(tag, func(t *testing.T) {
			h := languages[tag]()
			f, err := os.Open(file)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			s := bufio.NewScanner(f)
			n, bad := 0, 0
			for line := 1; s.Scan(); line++ {
				word, want, ok := strings.Cut(s.Text(), "\t")
				if !ok {
					t.Fatalf("%s:%d: no tab", file, line)
				}
				n++
				if got := hyphenated(h, word); got != want {
					bad++
					t.Errorf("%s:%d: %s: got %s, want %s", file, line, word, got, want)
				}
			}
			if err := s.Err(); err != nil {
				t.Fatal(err)
			}
			if n < 400 {
				t.Errorf("%s: %d words, want at least 400", file, n)
			}
			t.Logf("%d words, %d differ", n, bad)
		})
	}
}

// hyphenated returns word with a "-" at each of h's points.
func hyphenated(h *Hyphenator, word string) string {
	var b strings.Builder
	last := 0
	for _, p := range h.Points(word) {
		b.WriteString(word[last:p])
		b.WriteByte('-')
		last = p
	}
	b.WriteString(word[last:])
	return b.String()
}
