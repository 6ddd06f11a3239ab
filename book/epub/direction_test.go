package epub

import (
	"regexp"
	"strings"
	"testing"

	"github.com/bindery-books/bindery/book/internal/golden"
)

// rtlChapter mixes Arabic and Hebrew blocks with English ones.
const rtlChapter = "---\ntitle: مرحبا\n---\n" +
	"مرحبا، كيف حالك؟\n\n" +
	"The word سلام means peace.\n\n" +
	"2024 هو العام.\n\n" +
	"## עברית\n\n" +
	"- אחד\n- one\n\n" +
	"Next:\n\n" +
	"- שלום עליכם\n\n  English inside.\n\n" +
	"| Name | שם |\n|---|---|\n| a | ב |\n\n" +
	"```go\nfmt.Println(\"שלום\")\n```\n"

// TestDirection checks that a block whose first strong character is right
// to left says so with dir="rtl", and a left-to-right block inside it with
// dir="ltr"; a block that reads in the page's direction has no dir.
func TestDirection(t *testing.T) {
	b := golden.MustLoad(t, map[string]string{
		"_index.md": "---\ntitle: T\n---\n- [One](one.md)\n",
		"one.md":    rtlChapter,
	})
	got := chapterXHTML(t, b)
	for _, want := range []string{
		`<h1 id="_top" dir="rtl"><span class="chapter-number">`,
		`<p dir="rtl">مرحبا، كيف حالك؟</p>`,
		`<p>The word سلام means peace.</p>`,
		`<p dir="rtl">2024 هو العام.</p>`,
		`<h2 dir="rtl" id=`,
		"<li dir=\"rtl\">אחד</li>\n<li>one</li>",
		"<li dir=\"rtl\">\n<p>שלום עליכם</p>\n<p dir=\"ltr\">English inside.</p>\n</li>",
		`<th scope="col">Name</th>` + "\n" + `<th dir="rtl" scope="col">שם</th>`,
		"<td>a</td>\n<td dir=\"rtl\">ב</td>",
		`<pre class="chroma language-go">`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("no %q in\n%s", want, got)
		}
	}
	if strings.Contains(got, `<pre dir`) || strings.Count(got, `dir="`) != 9 {
		t.Errorf("%d dir attributes, want 9:\n%s", strings.Count(got, `dir="`), got)
	}
	data := build(t, b)
	files := oebps(t, data)
	if !strings.Contains(files["nav.xhtml"], `<a href="one.xhtml" dir="rtl">مرحبا</a>`) {
		t.Errorf("the contents do not set the Arabic title right to left:\n%s", files["nav.xhtml"])
	}
	epubcheck(t, data)
}

// TestDirectionRTLBook checks a book in a right-to-left language: its
// pages are right to left, and progress so, and its left-to-right blocks
// say so.
func TestDirectionRTLBook(t *testing.T) {
	b := golden.MustLoad(t, map[string]string{
		"_index.md": "---\ntitle: كتاب\n---\n- [One](one.md)\n",
		"book.yaml": "title: كتاب\nlanguage: ar\n",
		"one.md":    "---\ntitle: الفصل\n---\nمرحبا بالعالم.\n\nHello, world.\n\n- one\n- واحد\n\n```go\nx := 1\n```\n",
	})
	got := chapterXHTML(t, b)
	for _, want := range []string{
		`<h1 id="_top"><span class="chapter-number">`,
		"<p>مرحبا بالعالم.</p>",
		`<p dir="ltr">Hello, world.</p>`,
		"<li dir=\"ltr\">one</li>\n<li>واحد</li>",
		`<div dir="ltr" class="code">`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("no %q in\n%s", want, got)
		}
	}
	data := build(t, b)
	files := oebps(t, data)
	if !strings.Contains(files["content.opf"], `<spine toc="ncx" page-progression-direction="rtl">`) {
		t.Error("the spine does not progress right to left")
	}
	for name, f := range files {
		if strings.HasSuffix(name, ".xhtml") && !regexp.MustCompile(`<html [^>]*lang="ar" xml:lang="ar" dir="rtl">`).MatchString(f) {
			t.Errorf("%s is not right to left", name)
		}
	}
	epubcheck(t, data)
}

// TestDirectionLTR checks that a book without right-to-left text has no
// dir anywhere.
func TestDirectionLTR(t *testing.T) {
	b := golden.MustLoad(t, map[string]string{
		"_index.md": "---\ntitle: T\n---\n- [One](one.md)\n",
		"one.md":    "---\ntitle: One\n---\nPlain text, 1 2 3.\n\n- a\n- b\n\n| x | y |\n|---|---|\n| 1 | 2 |\n",
	})
	for name, f := range oebps(t, build(t, b)) {
		if (strings.HasSuffix(name, ".xhtml") || strings.HasSuffix(name, ".opf")) && strings.Contains(f, ` dir="`) || strings.Contains(f, "page-progression-direction") {
			t.Errorf("%s has a direction", name)
		}
	}
}

func TestRTLLanguage(t *testing.T) {
	for tag, want := range map[string]bool{"ar": true, "he-IL": true, "fa": true, "az-Arab": true, "ur-PK": true,
		"en": false, "az": false, "zh-Hans": false, "": false, "arn": false, "ks-Deva": false, "ks": true} {
		if got := rtlLanguage(tag); got != want {
			t.Errorf("rtlLanguage(%q) = %v, want %v", tag, got, want)
		}
	}
}

// TestChapterLanguage checks that a chapter in another language than the
// book's says so on its page, and takes that language's direction.
func TestChapterLanguage(t *testing.T) {
	b := golden.MustLoad(t, map[string]string{
		"_index.md": "---\ntitle: T\n---\n- [One](one.md)\n- [Two](two.md)\n",
		"book.yaml": "language: en\n",
		"one.md":    "---\ntitle: Eins\nlang: de\n---\nEin Absatz.\n",
		"two.md":    "---\ntitle: שתיים\nlang: he\n---\nפסקה אחת.\n\nAn English line.\n",
	})
	files := oebps(t, build(t, b))
	if !strings.Contains(files["one.xhtml"], `<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" lang="de" xml:lang="de">`) {
		t.Errorf("the German chapter's page is not in German:\n%s", files["one.xhtml"])
	}
	two := files["two.xhtml"]
	for _, want := range []string{`lang="he" xml:lang="he" dir="rtl">`, `<h1 id="_top">`, "<p>פסקה אחת.</p>", `<p dir="ltr">An English line.</p>`} {
		if !strings.Contains(two, want) {
			t.Errorf("no %q in the Hebrew chapter:\n%s", want, two)
		}
	}
	if !strings.Contains(files["title.xhtml"], `lang="en" xml:lang="en">`) {
		t.Error("the title page is not in the book's language")
	}
	epubcheck(t, build(t, b))
}
