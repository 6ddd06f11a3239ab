package epub

import (
	"strings"
	"testing"

	"github.com/bindery-books/bindery/book/internal/golden"
)

// TestTableSemantics checks header cells: th with scope="col", an empty
// corner as td, and the first column as row headers under that corner.
func TestTableSemantics(t *testing.T) {
	b := golden.MustLoad(t, map[string]string{
		"_index.md": "---\ntitle: T\n---\n- [One](one.md)\n",
		"one.md": "---\ntitle: One\n---\n" +
			"|   | Mon | Tue |\n|---|---|--:|\n| Alice | 3 | 4 |\n| Bob | 5 | 6 |\n\n" +
			"| Name | Value |\n|---|---|\n| a | 1 |\n",
	})
	got := chapterXHTML(t, b)
	for _, want := range []string{
		"<thead>\n<tr>\n<td></td>\n<th scope=\"col\">Mon</th>\n<th scope=\"col\" style=\"text-align:right\">Tue</th>",
		"<th scope=\"row\">Alice</th>\n<td>3</td>",
		"<th scope=\"row\">Bob</th>",
		"<th scope=\"col\">Name</th>\n<th scope=\"col\">Value</th>",
		"<td>a</td>\n<td>1</td>",
		`<div class="table-wrap">`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("tables lack %q:\n%s", want, got)
		}
	}
}

// TestAccessibilityMetadata checks the OPF claims only what the book has:
// no long descriptions; conformance and the certifier when every picture
// has a text alternative.
func TestAccessibilityMetadata(t *testing.T) {
	files := map[string]string{
		"_index.md": "---\ntitle: T\n---\n- [One](one.md)\n",
		"book.yaml": "a11y_certified_by: \"Example Assessor\"\n",
		"one.md":    "---\ntitle: One\n---\n$$x^2$$\n",
	}
	opf := oebps(t, build(t, golden.MustLoad(t, files)))["content.opf"]
	for _, want := range []string{
		`<meta property="dcterms:conformsTo">EPUB Accessibility 1.1 - WCAG 2.2 Level AA</meta>`,
		`<meta property="a11y:certifiedBy">Example Assessor</meta>`,
		`<meta property="schema:accessibilityFeature">MathML</meta>`,
		`<meta property="schema:accessModeSufficient">textual</meta>`,
		`<reference type="cover" title="Cover" href="cover.xhtml"/>`,
	} {
		if !strings.Contains(opf, want) {
			t.Errorf("OPF lacks %s", want)
		}
	}
	for _, bad := range []string{"longDescription", "pageBreakMarkers", "alternativeText"} {
		if strings.Contains(opf, bad) {
			t.Errorf("OPF claims %s", bad)
		}
	}
}
