package hyphen

import (
	"bufio"
	"os"
	"strings"
	"testing"
)

// TestAgainstLuaTeX compares Points with LuaTeX's hyphenation of the same
// words with the same pattern files: a sample of about 400 words a language
// from Debian's word lists, every exception of five letters or more, and a
// few words with letters the patterns do not know.
// testdata/luatex/hyphenate.lua made the expected values and tells how.
func TestAgainstLuaTeX(t *testing.T) {
	for _, tag := range patternTags {
		t.Run(tag, func(t *testing.T) {
			h := languages[tag]()
			cases := luatex(t, tag)
			if len(cases) < 400 {
				t.Errorf("%d words, want at least 400", len(cases))
			}
			bad := 0
			for _, c := range cases {
				if got := hyphenated(h, c.word); got != c.want {
					bad++
					t.Errorf("%s:%d: %s: got %s, want %s", c.file, c.line, c.word, got, c.want)
				}
			}
			t.Logf("%d words, %d differ", len(cases), bad)
		})
	}
}

// luatexCase is one line of a file in testdata/luatex.
type luatexCase struct {
	file       string
	line       int
	word, want string
}

// luatex reads testdata/luatex/tag.txt.
func luatex(t testing.TB, tag string) []luatexCase {
	t.Helper()
	file := "testdata/luatex/" + tag + ".txt"
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var cases []luatexCase
	s := bufio.NewScanner(f)
	for line := 1; s.Scan(); line++ {
		word, want, ok := strings.Cut(s.Text(), "\t")
		if !ok {
			t.Fatalf("%s:%d: no tab", file, line)
		}
		cases = append(cases, luatexCase{file, line, word, want})
	}
	if err := s.Err(); err != nil {
		t.Fatal(err)
	}
	return cases
}

// luatexWords returns the words of testdata/luatex/tag.txt.
func luatexWords(t testing.TB, tag string) []string {
	if tag == "id" {
		data, err := os.ReadFile("testdata/id-words.txt")
		if err != nil {
			t.Fatal(err)
		}
		var words []string
		for _, l := range strings.Split(string(data), "\n") {
			if l != "" && !strings.HasPrefix(l, "#") {
				words = append(words, l)
			}
		}
		return words
	}
	var words []string
	for _, c := range luatex(t, tag) {
		words = append(words, c.word)
	}
	return words
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
