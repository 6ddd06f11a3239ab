package book

import (
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/yuin/goldmark/ast"
	"golang.org/x/net/html/atom"
)

// loadMap loads a book from its files in memory.
func loadMap(t *testing.T, files map[string]string) *Book {
	t.Helper()
	fsys := fstest.MapFS{}
	for name, data := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(data)}
	}
	b, err := LoadFS(fsys, "content", ".", Options{})
	if b == nil {
		t.Fatal(err)
	}
	return b
}

func warnings(b *Book) string {
	var s strings.Builder
	for _, d := range b.Diagnostics.Sorted() {
		s.WriteString(d.Error() + "\n")
	}
	return s.String()
}

// TestPartLabels: top-level parts are numbered I, II, III in reading
// order; a part inside a part has no number, and does not count.
func TestPartLabels(t *testing.T) {
	b := loadMap(t, map[string]string{
		"_index.md": "---\ntitle: Parts\n---\n- Part One\n  - [A](a.md)\n- Part Two\n  - [B](b.md)\n  - Sub\n    - [C](c.md)\n- Part Three\n  - [D](d.md)\n",
		"a.md":      "# A\n", "b.md": "# B\n", "c.md": "# C\n", "d.md": "# D\n",
	})
	var got []string
	for _, p := range b.Parts {
		got = append(got, fmt.Sprintf("%q %q", p.Title, p.Label()))
	}
	want := []string{`"Part One" "Part I"`, `"Part Two" "Part II"`, `"Sub" ""`, `"Part Three" "Part III"`}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("parts:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if l := b.Chapters[2].Label(); l != "Chapter 3" {
		t.Errorf("chapter label %q", l)
	}
}

// TestMathProblemsAtTheirLine: a TeX command nobody knows is a warning at
// the line it is on, in display math as in inline math.
func TestMathProblemsAtTheirLine(t *testing.T) {
	b := loadMap(t, map[string]string{
		"_index.md": "---\ntitle: Math\n---\n- [M](m.md)\n",
		"m.md":      "---\ntitle: M\n---\nText.\n\n$$\na = b\n+ \\notacommand\n$$\n\nInline $x \\alsonot$ here.\n",
	})
	want := "content/m.md:8: warning: unknown TeX command \\notacommand: set as text\n" +
		"content/m.md:11: warning: unknown TeX command \\alsonot: set as text\n"
	if got := warnings(b); got != want {
		t.Errorf("warnings:\n%s\nwant\n%s", got, want)
	}
}

// TestResolved: after loading, no goldmark kind that the book replaces is
// left in any chapter, and each replacement carries its decision.
func TestResolved(t *testing.T) {
	b := loadMap(t, map[string]string{
		"_index.md": "---\ntitle: R\n---\n- [One](one.md)\n- [Two](two.md)\n",
		"one.md": "---\ntitle: One\n---\n## Head\n\n[two](two.md#there), <https://go.dev>, [note](two.md#fn:1),\n" +
			"[js](javascript:alert(1)) and ![gone](nope.png).\n\n![alone](nope.png)\n\n```go\nx := 1\n```\n\n" +
			"```mermaid\ngraph TD\n  A --> B\n```\n\n    indented\n\n<details>\n<summary>S</summary>\n\nInside *markdown*.\n\n</details>\n\n" +
			"Some <kbd>Ctrl</kbd> and <a href=\"two.md\">raw</a>.\n",
		"two.md": "---\ntitle: Two\n---\n## There\n\nA note.[^1]\n\n[^1]: The note.\n",
	})
	ch := b.Chapters[0]
	var kinds, targets []string
	_ = ast.Walk(ch.Doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Link, *ast.AutoLink, *ast.Image, *ast.FencedCodeBlock, *ast.CodeBlock, *ast.HTMLBlock, *ast.RawHTML:
			t.Errorf("unresolved %s left", n.Kind())
		case *Link:
			targets = append(targets, n.Target.String())
		case *Figure, *Image, *CodeBlock, *Diagram:
			kinds = append(kinds, n.Kind().String())
		case *HTML:
			if n.Name != "" {
				kinds = append(kinds, n.Name)
			}
		}
		return ast.WalkContinue, nil
	})
	wantTargets := "two#there https://go.dev two#fn:1 refused two"
	if got := strings.Join(targets, " "); got != wantTargets {
		t.Errorf("targets %s, want %s", got, wantTargets)
	}
	wantKinds := "Image Figure Image CodeBlock Diagram CodeBlock details summary kbd"
	if got := strings.Join(kinds, " "); got != wantKinds {
		t.Errorf("kinds %s, want %s", got, wantKinds)
	}
	// The markdown between <details> and </details> is inside the element.
	var details *HTML
	_ = ast.Walk(ch.Doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if h, ok := n.(*HTML); ok && h.Tag == atom.Details {
			details = h
		}
		return ast.WalkContinue, nil
	})
	if details == nil || !strings.Contains(PlainText(details, ch.Source), "Inside markdown") {
		t.Errorf("details does not hold the markdown after it")
	}
	if d, c := b.Diagrams(); d != 1 || c != 0 {
		t.Errorf("diagrams %d drawn, %d as code", d, c)
	}
}

// TestUnescape: text reads as goldmark's HTML shows it.
func TestUnescape(t *testing.T) {
	for in, want := range map[string]string{
		`a \$b\$`:         "a $b$",
		`AT&amp;T &copy;`: "AT&T ©",
		`x\*y`:            "x*y",
		`plain`:           "plain",
	} {
		if got := Unescape([]byte(in)); got != want {
			t.Errorf("Unescape(%q) = %q, want %q", in, got, want)
		}
	}
}
