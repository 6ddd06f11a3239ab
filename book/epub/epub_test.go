package epub

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/bindery-books/bindery/book"
	"golang.org/x/tools/txtar"
)

var update = flag.Bool("update", false, "rewrite golden files")

// loadBook loads a book from txtar files; when it has no _index.md, the
// single chapter "input.md" becomes the book.
func loadBook(t testing.TB, files map[string]string) *book.Book {
	t.Helper()
	b, err := load(files)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// loadBookOrSkip is loadBook for fuzzing: a book that does not load is no failure.
func loadBookOrSkip(t testing.TB, files map[string]string) *book.Book {
	b, err := load(files)
	if err != nil {
		return nil
	}
	return b
}

func load(files map[string]string) (*book.Book, error) {
	fsys := fstest.MapFS{}
	for name, data := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(data)}
	}
	if _, ok := fsys["_index.md"]; !ok {
		fsys["_index.md"] = &fstest.MapFile{Data: []byte("---\ntitle: Test Book\n---\n- [Input](input.md)\n- [Other](other.md)\n")}
		if _, ok := fsys["other.md"]; !ok {
			fsys["other.md"] = &fstest.MapFile{Data: []byte("---\ntitle: Other\n---\n## Target Heading\n\ntext\n")}
		}
	}
	return book.LoadFS(fsys, "content", ".", book.Options{})
}

var bodyRE = regexp.MustCompile(`(?s)<body[^>]*>\n(.*)</body>`)

func TestChapterXHTML(t *testing.T) {
	files, _ := filepath.Glob("testdata/xhtml/*.txtar")
	if len(files) == 0 {
		t.Fatal("no test cases")
	}
	for _, name := range files {
		t.Run(strings.TrimSuffix(filepath.Base(name), ".txtar"), func(t *testing.T) {
			ar, err := txtar.ParseFile(name)
			if err != nil {
				t.Fatal(err)
			}
			in := map[string]string{}
			want, wantWarn := "", ""
			for _, f := range ar.Files {
				switch f.Name {
				case "xhtml":
					want = string(f.Data)
				case "warnings":
					wantWarn = string(f.Data)
				default:
					in[f.Name] = string(f.Data)
				}
			}
			b := loadBook(t, in)
			p := &packager{b: b, resources: map[string]*file{}, math: map[string]bool{}}
			page, err := p.chapterPage(b.Chapters[0])
			if err != nil {
				t.Fatal(err)
			}
			if err := checkXML(page); err != nil {
				t.Errorf("not well-formed XML: %v\n%s", err, page)
			}
			got := bodyRE.FindSubmatch(page)[1]
			var warns strings.Builder
			for _, d := range b.Diagnostics.Sorted() {
				warns.WriteString(d.Error() + "\n")
			}
			if string(got) == want && warns.String() == wantWarn {
				return
			}
			if *update {
				var keep []txtar.File
				for _, f := range ar.Files {
					if f.Name != "xhtml" && f.Name != "warnings" {
						keep = append(keep, f)
					}
				}
				keep = append(keep, txtar.File{Name: "xhtml", Data: got})
				if warns.Len() > 0 {
					keep = append(keep, txtar.File{Name: "warnings", Data: []byte(warns.String())})
				}
				ar.Files = keep
				if err := os.WriteFile(name, txtar.Format(ar), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			t.Errorf("xhtml (-want +got):\n%s\nwarnings (-want +got):\n-%s\n+%s", diff(want, string(got)), wantWarn, warns.String())
		})
	}
}

func diff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var s strings.Builder
	for i := 0; i < max(len(w), len(g)); i++ {
		var a, b string
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			b = g[i]
		}
		if a != b {
			s.WriteString("- " + a + "\n+ " + b + "\n")
		}
	}
	return s.String()
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
	return loadBook(t, map[string]string{
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
	if _, err := Write(&buf, b, Config{}); err != nil {
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

func BenchmarkGolangSection(b *testing.B) {
	dir := filepath.Join("..", "..", "..", "shared", "corpus", "content", "en", "learn", "software-engineering", "programming-languages", "golang", "in-the-field")
	if _, err := os.Stat(dir); err != nil {
		b.Skip("corpus not found at ../shared/corpus")
	}
	for b.Loop() {
		bk, err := book.Load(dir, book.Options{})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := Write(io.Discard, bk, Config{}); err != nil {
			b.Fatal(err)
		}
	}
}
