package epub

import (
	"strings"
	"testing"
	"time"

	"github.com/bindery-books/bindery/book/internal/golden"
)

// TestHostileChapters renders hostile chapters: each must give well-formed
// XHTML in bounded time, without a panic.
func TestHostileChapters(t *testing.T) {
	cases := map[string]string{
		"10,000 nested lists":  strings.Repeat("- ", 10000) + "x\n" + strings.Repeat("- ", 5000) + "y\n",
		"10,000 nested quotes": strings.Repeat("> ", 10000) + "x\n",
		"10 MB line":           strings.Repeat("word ", 2<<20),
		"nested raw HTML":      strings.Repeat("<div><span><b>", 10000) + "x",
		"unbalanced raw HTML":  "<p>a</i></b></div></div>\n\n<table><tr><td>cell",
		"emphasis soup":        strings.Repeat("*_", 20000) + "x" + strings.Repeat("_*", 20000),
		"control characters":   "bell \a form \f vertical \v escape \x1b end\n\n<b>\x01</b>",
		"script everywhere":    "<script>alert(1)</script>\n\n<a href=\"javascript:alert(1)\" onclick=\"x()\">a</a> <img src=x onerror=alert(1)> <svg onload=alert(1)><circle/></svg>",
		"broken footnotes":     "a[^1] b[^2] c[^]\n\n[^1]: [^1]\n[^3]: unused",
		"broken tables":        "| a |\n|---|---|\n| 1 | 2 | 3 |\n\n|x|\n|-|\n",
		"math junk":            "$$\n\\frac{\n$$\n\n$\\$ $$ $$$ $x$$y$ \\(x\\)",
		"mermaid junk":         "```mermaid\n" + strings.Repeat("A-->", 2000) + "\n```\n",
	}
	for name, body := range cases {
		t.Run(name, func(t *testing.T) {
			done := make(chan []byte)
			go func() {
				b := golden.MustLoad(t, map[string]string{"input.md": "---\ntitle: Hostile\n---\n" + body})
				p := &packager{b: b, resources: map[string]*file{}, math: map[string]bool{}}
				page, err := p.chapterPage(b.Chapters[0])
				if err != nil {
					t.Error(err)
				}
				done <- page
			}()
			select {
			case page := <-done:
				if err := checkXML(page); err != nil {
					t.Errorf("not well-formed: %v", err)
				}
				if strings.Contains(string(page), "<script") || strings.Contains(string(page), "javascript:") || strings.Contains(string(page), "onerror") {
					t.Error("unsafe HTML reached the output")
				}
			case <-time.After(60 * time.Second):
				t.Fatal("rendering hangs")
			}
		})
	}
}
