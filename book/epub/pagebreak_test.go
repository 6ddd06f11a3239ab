package epub

import (
	"archive/zip"
	"bytes"
	"io"
	"regexp"
	"strings"
	"testing"

	"github.com/bindery-books/bindery/book"
	"github.com/yuin/goldmark/ast"
)

// TestPageBreaks places hand-made page starts in a small book and checks
// each marker lands where its start says: at a part's opening, at a
// chapter's title, before a block, and at the letter inside a paragraph and
// inside code; and that the nav's page list and the OPF follow.
func TestPageBreaks(t *testing.T) {
	b := sampleBook(t)
	one, two := b.Chapters[0], b.Chapters[1]
	var para, code ast.Node
	_ = ast.Walk(one.Doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if _, ok := n.(*ast.Paragraph); ok && entering && para == nil {
			para = n
		}
		return ast.WalkContinue, nil
	})
	_ = ast.Walk(two.Doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if _, ok := n.(*book.CodeBlock); ok && entering {
			code = n
		}
		return ast.WalkContinue, nil
	})
	starts := []book.PageStart{
		{Label: "1", Chapter: one},
		{Label: "2", Chapter: one, Node: para, Line: 1, Offset: 3}, // "See two": before "two"
		{Label: "3", Part: b.Parts[0]},
		{Label: "4", Chapter: two},
		{Label: "5", Chapter: two, Node: code},
		{Label: "6", Chapter: two, Node: code, Line: 1, Offset: 6}, // "go", "func main": before "main"
	}
	var buf bytes.Buffer
	if err := Write(&buf, b, Config{PageList: starts, PageSource: "PDF, A4, one-sided, 10.5 pt"}); err != nil {
		t.Fatal(err)
	}
	files := oebps(t, buf.Bytes())
	marker := func(l string) string {
		return `<span id="page-` + l + `" epub:type="pagebreak" role="doc-pagebreak" aria-label="` + l + `"></span>`
	}
	for _, c := range []struct{ file, want string }{
		{"one.xhtml", marker("1") + "\n<h1 id=\"_top\">"},
		{"one.xhtml", "See " + marker("2") + `<a href="two.xhtml#second">two</a>`},
		{"part-1.xhtml", marker("3") + "\n"},
		{"two.xhtml", marker("4") + "\n<h1 id=\"_top\">"},
		{"two.xhtml", marker("5") + `<div class="code">`},
		{"two.xhtml", `<span class="kd">func</span> ` + marker("6") + `<span class="nf">main</span>`},
	} {
		if !strings.Contains(files[c.file], c.want) {
			t.Errorf("%s lacks %s\n%s", c.file, c.want, files[c.file])
		}
	}
	for name, data := range files {
		if strings.HasSuffix(name, ".xhtml") && strings.Contains(data, "\x00") {
			t.Errorf("%s keeps a sentinel", name)
		}
	}
	nav := files["nav.xhtml"]
	got := regexp.MustCompile(`<li><a href="([^"]+)">(\d+)</a></li>`).FindAllStringSubmatch(nav, -1)
	want := []string{"one.xhtml#page-1 1", "one.xhtml#page-2 2", "part-1.xhtml#page-3 3", "two.xhtml#page-4 4", "two.xhtml#page-5 5", "two.xhtml#page-6 6"}
	if len(got) != len(want) {
		t.Fatalf("page list has %d entries, want %d:\n%s", len(got), len(want), nav)
	}
	for i, m := range got {
		if m[1]+" "+m[2] != want[i] {
			t.Errorf("page list entry %d: %s %s, want %s", i, m[1], m[2], want[i])
		}
	}
	opf := files["content.opf"]
	for _, want := range []string{`<dc:source id="print-source">urn:uuid:`, `property="source-of">pagination</meta>`,
		`accessibilityFeature">pageBreakMarkers<`, `accessibilityFeature">pageNavigation<`} {
		if !strings.Contains(opf, want) {
			t.Errorf("OPF lacks %s", want)
		}
	}
	// Without a page list, none of it.
	plain := oebps(t, build(t, b))
	if strings.Contains(plain["one.xhtml"], "pagebreak") || strings.Contains(plain["nav.xhtml"], "page-list") || strings.Contains(plain["content.opf"], "pageBreakMarkers") {
		t.Error("a book built without a page list has page breaks")
	}
}

// TestLetterAt counts letters past markup, entities and formulas.
func TestLetterAt(t *testing.T) {
	body := []byte(`<p>ab <em>c&amp;d</em> <math><mi>x</mi></math>e1 f</p>`)
	for n, want := range map[int]string{0: "ab", 1: "ab", 2: "<em>c&amp;", 3: "d</em>", 4: "e1", 5: "e1", 6: "f<", 9: ""} {
		at := letterAt(body, 0, len(body), n)
		if got := string(body[at:]); !strings.HasPrefix(got, want) || want == "" && at != len(body) {
			t.Errorf("letterAt(%d) = %q…, want %q…", n, got, want)
		}
	}
}

// oebps returns the OEBPS files of an EPUB by name, as text.
func oebps(t *testing.T, data []byte) map[string]string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{}
	for _, f := range zr.File {
		rc, _ := f.Open()
		d, _ := io.ReadAll(rc)
		rc.Close()
		files[strings.TrimPrefix(f.Name, "OEBPS/")] = string(d)
	}
	return files
}
