package book

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/alecthomas/chroma/v2"
)

// TestReloaderKeepsHighlighting checks that code a reload parses again
// keeps the highlighting it had, unless the code itself changed.
func TestReloaderKeepsHighlighting(t *testing.T) {
	dir := t.TempDir()
	write := func(name, data string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	const one = "---\ntitle: One\n---\nSome text.\n\n```elixir\nIO.puts(:one)\n```\n\n```go\nfmt.Println(1)\n```\n"
	write("_index.md", "---\ntitle: Code\n---\n- [One](one.md)\n")
	write("one.md", one)
	r := &Reloader{Dir: dir}
	codes := func() []*CodeBlock {
		t.Helper()
		b, err := r.Load()
		if err != nil {
			t.Fatal(err)
		}
		if r.Stats().Parsed != 1 {
			t.Fatalf("%+v: want the chapter parsed", r.Stats())
		}
		cbs := codeBlocks(b.Chapters[0].Doc)
		if len(cbs) != 2 {
			t.Fatalf("%d code blocks, want 2", len(cbs))
		}
		return cbs
	}
	first := codes()
	// The first printer highlights the Elixir only.
	first[0].Tokens()
	write("one.md", strings.Replace(one, "Some text.", "Other text.", 1))
	second := codes()
	if second[0] == first[0] {
		t.Fatal("the chapter was not parsed again")
	}
	if second[0].runs == nil || second[0].runs != first[0].runs {
		t.Error("the Elixir is highlighted again")
	}
	if second[1].runs != nil {
		t.Error("the Go has tokens no printer asked for")
	}
	write("one.md", strings.Replace(one, ":one", ":two", 1))
	third := codes()
	if third[0].runs != nil {
		t.Error("changed code kept its old highlighting")
	}
	if got := third[0].Tokens(); !tokensHold(got, ":two") {
		t.Errorf("changed code highlighted as %v", got)
	}
}

func tokensHold(ts []chroma.Token, s string) bool {
	var b strings.Builder
	for _, t := range ts {
		b.WriteString(t.Value)
	}
	return strings.Contains(b.String(), s)
}
