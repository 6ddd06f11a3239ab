package hlengines

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/lexers"
)

// fence finds the fenced code blocks of markdown: its language, its code.
var fence = regexp.MustCompile("(?ms)^[ \t]*```([^\\s`]*)[^\n]*\n(.*?)^[ \t]*```")

// sectionBlocks returns the fenced code blocks of the markdown files of the
// golang section of the corpus, each with its lexer, or skips b.
func sectionBlocks(b *testing.B) (ls []chroma.Lexer, codes []string) {
	dir := "../../../../shared/corpus/content/en/learn/software-engineering/programming-languages/golang/in-the-field"
	files, _ := filepath.Glob(filepath.Join(dir, "*.md"))
	if len(files) == 0 {
		b.Skip("no corpus at ../shared/corpus")
	}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		for _, m := range fence.FindAllStringSubmatch(string(src), -1) {
			l := lexers.Get(strings.ToLower(m[1]))
			if l == nil {
				continue
			}
			ls = append(ls, l)
			codes = append(codes, m[2])
		}
	}
	return ls, codes
}

// resetLexers forgets what Tokenise has worked out of every wrapper, as
// in a program that has not used it yet.
func resetLexers() {
	for _, w := range wrappers {
		w.once = sync.Once{}
		w.lex = nil
		w.err = nil
	}
}

// BenchmarkCold highlights the code blocks of the golang section of the
// corpus once, with lexers Tokenise has not used: the cost of a build's
// first use of its lexers' states (and of compiling the rules of the
// Lexers; not of the others, whose rules chroma compiled once).
func BenchmarkCold(b *testing.B) {
	ls, codes := sectionBlocks(b)
	b.Logf("%d blocks", len(codes))
	for b.Loop() {
		resetLexers()
		for i, l := range ls {
			if _, err := Tokenise(l, codes[i]); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkWarm is BenchmarkCold with lexers already used.
func BenchmarkWarm(b *testing.B) {
	ls, codes := sectionBlocks(b)
	for b.Loop() {
		for i, l := range ls {
			if _, err := Tokenise(l, codes[i]); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkBuild prepares the rules of the lexers of the golang section of
// the corpus, and works out the candidates of their every state: what a
// program does the first time it lexes with them (more: it builds only
// the states its texts meet).
func BenchmarkBuild(b *testing.B) {
	ls, _ := sectionBlocks(b)
	var xs []*lexer
	seen := map[chroma.Lexer]bool{}
	for _, l := range ls {
		if seen[l] {
			continue
		}
		seen[l] = true
		x, err := fastLexer(l)
		if err != nil || x == nil {
			b.Fatalf("%s: no lexer: %v", l.Config().Name, err)
		}
		xs = append(xs, x)
	}
	for b.Loop() {
		for _, x := range xs {
			y := newLexer(x.rl, x.rules, x.registry)
			for _, s := range y.states {
				y.build(s)
			}
		}
	}
}
