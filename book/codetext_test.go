package book

import (
	"strings"
	"testing"
	"unsafe"

	"github.com/bindery-books/bindery/book/markup"
	"github.com/yuin/goldmark/ast"
)

// sharesMemory reports whether s lies inside b.
func sharesMemory(s string, b []byte) bool {
	p, start := uintptr(unsafe.Pointer(unsafe.StringData(s))), uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	return p >= start && p < start+uintptr(len(b))
}

// TestCodeText: the code of a block taken in place from its source is the
// code its lines make, for blocks at the margin, in lists and quotes,
// indented, empty, and at the end of a file without a newline.
func TestCodeText(t *testing.T) {
	for _, md := range []string{
		"```go\nfunc main() {}\n\tx := 1\n```\n",
		"```\n```\n",
		"```\n\n\n```\n",
		"- item\n\n  ```sh\n  ls -l\n    cd ..\n  ```\n",
		"> ```\n> quoted\n> code\n> ```\n",
		"    indented\n      more\n\n    after a blank\n",
		"```elixir\nIO.puts(1)",
		"~~~\r\nwindows\r\nlines\r\n~~~\r\n",
		"1. one\n   ```\n   a\n\tb\n   ```\n",
	} {
		doc, src, _ := markup.Parse([]byte(md))
		_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
			switch n.(type) {
			case *ast.FencedCodeBlock, *ast.CodeBlock:
				if !entering {
					break
				}
				var want strings.Builder
				for i := 0; i < n.Lines().Len(); i++ {
					s := n.Lines().At(i)
					want.Write(s.Value(src))
				}
				got := codeText(n, src)
				if got != want.String() {
					t.Errorf("%q: code %q, want %q", md, got, want.String())
				}
				if strings.HasPrefix(md, "```") && strings.Count(md, "```") == 2 && got != "" && !sharesMemory(got, src) {
					t.Errorf("%q: a block at the margin is copied, not taken in place", md)
				}
			}
			return ast.WalkContinue, nil
		})
	}
}
