package pdf

import (
	"bytes"
	"io"
	"strings"
	"testing"

	"github.com/bindery-books/bindery/book/internal/golden"
)

// TestHostile typesets inputs built to break a layout engine: each must
// give a PDF (or a clean error), never a panic, a hang or text outside the
// page.
func TestHostile(t *testing.T) {
	long := strings.Repeat("x", 10<<20)
	// Lines of many words make thousands of pages; 2 MB shows the same.
	words := strings.Repeat("word ", 400<<10)
	cases := map[string]string{
		"10 MB word":          long,
		"10 MB line of code":  "```\n" + long + "\n```\n",
		"2 MB line of words":  words,
		"deep lists":          strings.Repeat("- ", 10000) + "deep\n",
		"deep quotes":         strings.Repeat(">", 10000) + " deep\n",
		"wide table":          "|" + strings.Repeat(" a |", 400) + "\n|" + strings.Repeat("---|", 400) + "\n|" + strings.Repeat(" supercalifragilistic |", 400) + "\n",
		"tall table cell":     "| a |\n|---|\n| " + strings.Repeat("word ", 20000) + "|\n",
		"many notes":          strings.Repeat("x[^1] ", 2000) + "\n\n[^1]: " + strings.Repeat("note ", 3000) + "\n",
		"astral and controls": "😀𝐀\x00\x01\u200b\u200d\ufeff \U0010FFFF \uFFFD",
		"bad math":            "$$\\frac{\\frac{\\frac{" + strings.Repeat("{", 5000) + "$$\n\n$x^{^{^{$ and $\\sqrt[" + "$\n",
		"deep display math":   "$$\n" + strings.Repeat(`\frac{1}{\sqrt{x^{`, 300) + strings.Repeat("}}}", 300) + "\n$$\n",
		"huge matrix":         "$$\n\\begin{bmatrix}" + strings.Repeat(strings.Repeat("x & ", 299)+"x \\\\ ", 300) + "\\end{bmatrix}\n$$\n",
		"many fences":         "$$\n" + strings.Repeat(`\left( \frac{a}{b} `, 3000) + strings.Repeat(`\right)`, 3000) + "\n$$\n",
		"long alignment":      "$$\n\\begin{aligned}" + strings.Repeat("a &= b + c \\\\ ", 5000) + "\\end{aligned}\n$$\n",
		"bidi brackets":       "א " + strings.Repeat("(x) ((", 100<<10) + strings.Repeat(")", 200<<10) + "\n",
		"bidi controls":       strings.Repeat("\u202bא\u202e\u2067b\u200f1\u0661 ", 50<<10) + "\n",
		"ideographs":          strings.Repeat("漢字。「", 100<<10) + "\n",
		"raw html":            "<table><tr><td><table><tr><td>" + strings.Repeat("<div>", 5000) + "x</td></tr></table></td></tr></table>\n\n<img src=\"../../../../etc/passwd\">\n",
	}
	for name, body := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			b, _ := golden.LoadFiles(map[string]string{"input.md": "---\ntitle: Hostile\n---\n" + body})
			if b == nil {
				return // refused at load time, with a message: fine
			}
			if _, err := Write(io.Discard, b, Config{}); err != nil {
				t.Logf("error (allowed): %v", err)
			}
		})
	}
}

// FuzzFlow checks that no chapter makes the PDF writer panic and that the
// same chapter always gives the same bytes.
func FuzzFlow(f *testing.F) {
	for _, fx := range golden.Fixtures(f) {
		f.Add(fx.Files["input.md"])
	}
	f.Fuzz(func(t *testing.T, body string) {
		b, _ := golden.LoadFiles(map[string]string{"input.md": body})
		if b == nil {
			return
		}
		var one, two bytes.Buffer
		if _, err := Write(&one, b, Config{PageSize: "a5"}); err != nil {
			return
		}
		b2, err := golden.LoadFiles(map[string]string{"input.md": body})
		if b2 == nil {
			t.Fatalf("loads once, not twice: %v", err)
		}
		if _, err := Write(&two, b2, Config{PageSize: "a5"}); err != nil {
			t.Fatalf("writes once, not twice: %v", err)
		}
		if !bytes.Equal(one.Bytes(), two.Bytes()) {
			t.Fatal("two builds differ")
		}
	})
}
