package epub

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"testing"

	"github.com/bindery-books/bindery/book"
	"github.com/bindery-books/bindery/book/internal/corpus"
	"github.com/bindery-books/bindery/book/internal/golden"
)

// loadBookOrSkip is loadBook for fuzzing: a book that does not load is no
// failure, and one with errors in its chapters is rendered all the same.
func loadBookOrSkip(t testing.TB, files map[string]string) *book.Book {
	b, _ := golden.LoadFiles(files)
	return b
}

var bodyRE = regexp.MustCompile(`(?s)<body[^>]*>\n(.*)</body>`)

// chapterXHTML renders the first chapter of b and returns its body.
func chapterXHTML(t testing.TB, b *book.Book) string {
	t.Helper()
	p := &packager{b: b, resources: map[string]*file{}, math: map[string]bool{}}
	page, err := p.chapterPage(b.Chapters[0])
	if err != nil {
		t.Fatal(err)
	}
	if err := checkXML(page); err != nil {
		t.Errorf("not well-formed XML: %v\n%s", err, page)
	}
	return string(bodyRE.FindSubmatch(page)[1])
}

// TestChapterXHTML renders the shared render fixtures and compares the
// chapter bodies with their xhtml sections, and what loading reported with
// their warnings sections.
func TestChapterXHTML(t *testing.T) {
	for _, f := range golden.Fixtures(t) {
		t.Run(f.Name, func(t *testing.T) {
			b := f.Load(t)
			f.Check(t, "warnings", golden.Warnings(b))
			f.Check(t, "xhtml", chapterXHTML(t, b))
		})
	}
}

// checkXML reports whether data is well-formed XML.
func checkXML(data []byte) error {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = true
	d.Entity = xml.HTMLEntity
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if se, ok := tok.(xml.StartElement); ok {
			seen := map[xml.Name]bool{}
			for _, a := range se.Attr {
				if seen[a.Name] {
					return fmt.Errorf("<%s> repeats attribute %s", se.Name.Local, a.Name.Local)
				}
				seen[a.Name] = true
			}
		}
	}
}

const sampleIndex = `---
title: "Sample Book"
description: "A book to test the packager"
tags: [testing, epub]
---
- [One](one.md)
- Part Two
  - [Two](two.md)
  - [Three](three.md)
- [Four](four.md)
`

func sampleBook(t testing.TB) *book.Book {
	return golden.MustLoad(t, map[string]string{
		"_index.md": sampleIndex,
		"book.yaml": "subtitle: A Subtitle\nauthors: [Ann Author, Bo Writer]\nlanguage: en\n",
		"one.md":    "---\ntitle: One\ndate: 2026-03-01\n---\n## First\n\nSee [two](two.md#second).\n\n## Again\n",
		"two.md":    "---\ntitle: Two\n---\n## Second\n\n```go\nfunc main() {}\n```\n",
		"three.md":  "---\ntitle: Three\n---\nA footnote.[^1]\n\n[^1]: The note.\n",
		"four.md":   "---\ntitle: Four\n---\n| a | b |\n|---|:-:|\n| 1 | 2 |\n",
	})
}

func build(t testing.TB, b *book.Book) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, b, Config{}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestPackage(t *testing.T) {
	data := build(t, sampleBook(t))
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	first := zr.File[0]
	if first.Name != "mimetype" || first.Method != zip.Store || len(first.Extra) != 0 {
		t.Errorf("entry 0 = %s (method %d, %d extra bytes), want mimetype stored without extra field", first.Name, first.Method, len(first.Extra))
	}
	files := map[string][]byte{}
	for _, f := range zr.File {
		rc, _ := f.Open()
		files[f.Name], _ = io.ReadAll(rc)
		rc.Close()
		if strings.HasSuffix(f.Name, ".xhtml") || strings.HasSuffix(f.Name, ".opf") || strings.HasSuffix(f.Name, ".ncx") || strings.HasSuffix(f.Name, ".xml") {
			if err := checkXML(files[f.Name]); err != nil {
				t.Errorf("%s: %v", f.Name, err)
			}
		}
	}
	if string(files["mimetype"]) != "application/epub+zip" {
		t.Errorf("mimetype = %q", files["mimetype"])
	}
	opf := string(files["OEBPS/content.opf"])
	var spine []string
	for _, m := range regexp.MustCompile(`<itemref idref="([^"]+)"`).FindAllStringSubmatch(opf, -1) {
		spine = append(spine, m[1])
	}
	wantSpine := "cover titlepage contents ch-one part-1 ch-two ch-three ch-four"
	if got := strings.Join(spine, " "); got != wantSpine {
		t.Errorf("spine = %s\nwant    %s", got, wantSpine)
	}
	for _, want := range []string{
		`<dc:title id="subtitle">A Subtitle</dc:title>`,
		`<dc:creator id="creator2">Bo Writer</dc:creator>`,
		`<meta property="dcterms:modified">2026-03-01T00:00:00Z</meta>`,
		`<dc:subject>epub</dc:subject>`,
		`<meta property="schema:accessibilityHazard">none</meta>`,
		`properties="nav"`, `properties="cover-image"`,
		`<dc:identifier id="bookid">urn:uuid:`,
	} {
		if !strings.Contains(opf, want) {
			t.Errorf("OPF lacks %s", want)
		}
	}
	nav := string(files["OEBPS/nav.xhtml"])
	for _, want := range []string{`<a href="part-1.xhtml">Part Two</a>`, `<a href="one.xhtml#again">Again</a>`, `epub:type="landmarks"`, `epub:type="bodymatter" href="one.xhtml"`} {
		if !strings.Contains(nav, want) {
			t.Errorf("nav lacks %s", want)
		}
	}
	one := string(files["OEBPS/one.xhtml"])
	if !strings.Contains(one, `<a href="two.xhtml#second">two</a>`) {
		t.Errorf("internal link not rewritten:\n%s", one)
	}
	if !strings.Contains(string(files["OEBPS/three.xhtml"]), `epub:type="footnote"`) {
		t.Error("footnote not an EPUB 3 footnote")
	}
	if !bytes.HasPrefix(files["OEBPS/images/cover.png"], []byte("\x89PNG")) {
		t.Error("no generated cover")
	}
}

func TestDeterministic(t *testing.T) {
	t.Setenv("SOURCE_DATE_EPOCH", "1700000000")
	a := build(t, sampleBook(t))
	b := build(t, sampleBook(t))
	if !bytes.Equal(a, b) {
		t.Fatal("two builds differ")
	}
	if !bytes.Contains(a, []byte("mimetype")) {
		t.Fatal("no mimetype")
	}
}

func TestSourceDateEpoch(t *testing.T) {
	t.Setenv("SOURCE_DATE_EPOCH", "1700000000")
	data := build(t, sampleBook(t))
	zr, _ := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	for _, f := range zr.File {
		if f.Name == "OEBPS/content.opf" {
			rc, _ := f.Open()
			opf, _ := io.ReadAll(rc)
			if !bytes.Contains(opf, []byte("2023-11-14T22:13:20Z")) {
				t.Errorf("OPF does not carry SOURCE_DATE_EPOCH:\n%s", opf)
			}
		}
		if got := f.Modified.UTC().Format("2006-01-02"); got != "2023-11-14" {
			t.Errorf("%s: zip time %s", f.Name, got)
		}
	}
}

// TestRelease: an EPUB written by the book's last printer, which releases
// each chapter, is the EPUB written without releasing, and leaves no
// chapter's tree behind.
func TestRelease(t *testing.T) {
	t.Setenv("SOURCE_DATE_EPOCH", "1700000000")
	want := build(t, sampleBook(t))
	b := sampleBook(t)
	var got bytes.Buffer
	if err := Write(&got, b, Config{Release: true}); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Bytes(), want) {
		t.Error("the EPUB written releasing its chapters differs")
	}
	golden.CheckReleased(t, b)
}

// TestUndated: a book with no date in its sources and no SOURCE_DATE_EPOCH
// claims no publication date; dcterms:modified, which EPUB requires, is the
// epoch.
func TestUndated(t *testing.T) {
	t.Setenv("SOURCE_DATE_EPOCH", "")
	opf := func(b *book.Book) string {
		data := build(t, b)
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range zr.File {
			if f.Name == "OEBPS/content.opf" {
				rc, _ := f.Open()
				s, _ := io.ReadAll(rc)
				return string(s)
			}
		}
		t.Fatal("no content.opf")
		return ""
	}
	undated := opf(golden.MustLoad(t, map[string]string{
		"_index.md": "---\ntitle: Undated\n---\n- [One](one.md)\n",
		"one.md":    "---\ntitle: One\n---\nText.\n",
	}))
	if strings.Contains(undated, "<dc:date>") {
		t.Errorf("an undated book has a dc:date:\n%s", undated)
	}
	if !strings.Contains(undated, `<meta property="dcterms:modified">1970-01-01T00:00:00Z</meta>`) {
		t.Errorf("no dcterms:modified at the epoch:\n%s", undated)
	}
	if dated := opf(sampleBook(t)); !strings.Contains(dated, "<dc:date>2026-03-01T00:00:00Z</dc:date>") {
		t.Errorf("a book dated by its chapters has no dc:date of that day:\n%s", dated)
	}
}

func BenchmarkGolangSection(b *testing.B) {
	dir := corpus.Section(b, corpus.Golang)
	for b.Loop() {
		bk, err := book.Load(dir, book.Options{})
		if err != nil {
			b.Fatal(err)
		}
		if err := Write(io.Discard, bk, Config{}); err != nil {
			b.Fatal(err)
		}
	}
}
