package main

import (
	"bytes"
	"encoding/base64"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/bindery-books/bindery/book"
	"github.com/bindery-books/bindery/book/epub"
	"github.com/bindery-books/bindery/book/pdf"
	"github.com/bindery-books/bindery/cmd/bindery/internal/verify"
	"golang.org/x/tools/txtar"
)

// The fuzz targets build whole books from fuzzed sources, one kind of
// source each, the others fixed: the index, a chapter's front matter, a
// chapter's body, book.yaml, a raster picture, an SVG. Whatever the input: no panic,
// the build ends in bounded time, and a book that loads without error
// gives an EPUB that verify.EPUB accepts and a PDF that qpdf --check
// accepts.

// fuzzBook is the fixed book the fuzzed source replaces part of.
type fuzzBook struct {
	index, frontMatter, body, config string
	// picture is pic.png, svg is pic.svg.
	picture, svg []byte
}

var basePicture, _ = base64.StdEncoding.DecodeString("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNoAAAAggCBd81ytgAAAABJRU5ErkJggg==")

func baseBook() fuzzBook {
	return fuzzBook{
		index:       "---\ntitle: Fuzz\n---\n- [A](a.md)\n- Part\n  - [B](b.md)\n",
		frontMatter: "---\ntitle: A\nweight: 1\ndate: 2024-01-02\n---\n",
		body:        "# A\n\n## Section {#s}\n\nText with [a link](b.md#t), ![a picture](pic.png) and ![svg](pic.svg).\n",
		// A cover of its own: drawing one from the title costs more than
		// the rest of the build.
		config:  "title: Fuzz\nauthors: [A, B]\nlanguage: en\nbase_url: https://example.com\ncover: cover.png\n",
		picture: basePicture,
		svg:     []byte(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 2 2"><circle cx="1" cy="1" r="1"/></svg>`),
	}
}

// TestFuzzBookBase checks that the fixed book builds cleanly: each target
// fuzzes one source of a book that is otherwise right, or it would fuzz
// nothing but the first error.
func TestFuzzBookBase(t *testing.T) {
	if errs := baseBook().build(t); errs != "" {
		t.Fatalf("the base book does not load cleanly:\n%s", errs)
	}
}

// build loads and writes the book, and checks both outputs. It returns
// the problems of loading, if any.
func (fb fuzzBook) build(t *testing.T) string {
	fsys := fstest.MapFS{
		"_index.md": {Data: []byte(fb.index)},
		"a.md":      {Data: []byte(fb.frontMatter + fb.body)},
		"b.md":      {Data: []byte("---\ntitle: B\n---\n## T\n\nBack to [A](a.md#s).\n")},
		"book.yaml": {Data: []byte(fb.config)},
		"pic.png":   {Data: fb.picture},
		"pic.svg":   {Data: fb.svg},
		"cover.png": {Data: basePicture},
	}
	done := make(chan struct{})
	var epubData []byte
	var pdfData []byte
	var loadErr, epubErr, pdfErr error
	go func() {
		defer close(done)
		var b *book.Book
		b, loadErr = book.LoadFS(fsys, "content", ".", book.Options{})
		if loadErr != nil {
			return
		}
		var eb, pb bytes.Buffer
		epubErr = epub.Write(&eb, b, epub.Config{})
		_, pdfErr = pdf.Write(&pb, b, pdf.Config{})
		epubData, pdfData = eb.Bytes(), pb.Bytes()
	}()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("the build takes more than 20 seconds")
	}
	if loadErr != nil {
		for _, line := range strings.Split(loadErr.Error(), "\n") {
			if !strings.HasPrefix(line, "content") && !strings.HasPrefix(line, "SOURCE_DATE_EPOCH") {
				t.Fatalf("an error that names no file: %q", line)
			}
		}
		return loadErr.Error()
	}
	if epubErr != nil {
		t.Fatalf("epub: %v", epubErr)
	}
	if pdfErr != nil {
		t.Fatalf("pdf: %v", pdfErr)
	}
	if err := verify.EPUB(epubData); err != nil {
		t.Fatalf("EPUB:\n%v", err)
	}
	file := filepath.Join(t.TempDir(), "b.pdf")
	if err := os.WriteFile(file, pdfData, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := verify.PDF(file); err != nil {
		t.Fatalf("PDF: %v", err)
	}
	return ""
}

// hostileSources returns the files of the hostile-input suite whose names
// end in one of exts, as seeds when fuzzing: as tests, they are the
// suite's already.
func hostileSources(f *testing.F, exts ...string) [][]byte {
	if fl := flag.Lookup("test.fuzz"); fl == nil || fl.Value.String() == "" {
		return nil
	}
	files, _ := filepath.Glob("testdata/hostile/*.txtar")
	var out [][]byte
	for _, file := range files {
		ar, err := txtar.ParseFile(file)
		if err != nil {
			f.Fatal(err)
		}
		for _, af := range ar.Files {
			name, data := af.Name, af.Data
			if n, ok := strings.CutSuffix(name, ".b64"); ok {
				if data, err = base64.StdEncoding.DecodeString(string(bytes.TrimSpace(data))); err != nil {
					continue
				}
				name = n
			}
			for _, ext := range exts {
				if strings.HasSuffix(name, ext) && len(data) < 1<<16 && !bytes.Contains(data, []byte("{{repeat")) {
					out = append(out, data)
				}
			}
		}
	}
	return out
}

func FuzzBookIndex(f *testing.F) {
	f.Add(baseBook().index)
	for _, s := range hostileSources(f, "_index.md") {
		f.Add(string(s))
	}
	f.Fuzz(func(t *testing.T, index string) {
		fb := baseBook()
		fb.index = index
		fb.build(t)
	})
}

func FuzzBookFrontMatter(f *testing.F) {
	f.Add(baseBook().frontMatter)
	f.Add("+++\ntitle = \"T\"\nweight = 3\n+++\n")
	f.Add("{\"title\": \"J\", \"tags\": [\"a\"]}\n")
	f.Add("---\ntitle: \"\\x01\\uFFFE\"\ndate: 9999-12-31\n---\n")
	f.Fuzz(func(t *testing.T, fm string) {
		fb := baseBook()
		fb.frontMatter = fm
		fb.build(t)
	})
}

func FuzzBookChapter(f *testing.F) {
	f.Add(baseBook().body)
	for _, s := range hostileSources(f, ".md") {
		f.Add(string(s))
	}
	f.Fuzz(func(t *testing.T, body string) {
		fb := baseBook()
		fb.body = body
		fb.build(t)
	})
}

func FuzzBookConfig(f *testing.F) {
	f.Add(baseBook().config)
	for _, s := range hostileSources(f, "book.yaml") {
		f.Add(string(s))
	}
	f.Fuzz(func(t *testing.T, config string) {
		fb := baseBook()
		fb.config = config
		fb.build(t)
	})
}

func FuzzBookPicture(f *testing.F) {
	f.Add(basePicture)
	for _, s := range hostileSources(f, ".png", ".jpg", ".gif", ".webp") {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, picture []byte) {
		fb := baseBook()
		fb.picture = picture
		fb.build(t)
	})
}

func FuzzBookSVG(f *testing.F) {
	f.Add(baseBook().svg)
	for _, s := range hostileSources(f, ".svg") {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, svg []byte) {
		fb := baseBook()
		fb.svg = svg
		fb.build(t)
	})
}
