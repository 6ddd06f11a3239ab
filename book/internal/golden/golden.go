// Package golden holds the render fixtures both outputs are tested with,
// and the one helper that compares output with a golden file and rewrites
// it under -update.
//
// A fixture is a txtar archive in book/testdata/render: the files of a
// small book (a chapter "input.md", its images; _index.md and other.md are
// added when absent), then one section per output: "xhtml" (the EPUB's
// chapter body), "flow" (the PDF's flow dump), "warnings" (what loading
// reports) and "pdf-warnings" (what the PDF adds). Each output's tests
// check their own section; -update rewrites only that section.
package golden

import (
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/bindery-books/bindery/book"
	"golang.org/x/tools/txtar"
)

// Update is the -update flag: rewrite golden files instead of comparing.
var Update = flag.Bool("update", false, "rewrite golden files")

// Sections are the names of output sections, which are not files of the book.
var Sections = map[string]bool{"xhtml": true, "flow": true, "warnings": true, "pdf-warnings": true}

// Fixture is one render fixture.
type Fixture struct {
	Name string
	File string
	// Files are the book's files.
	Files map[string]string
}

// Dir is the fixtures' folder, from a test in book/epub or book/pdf.
const Dir = "../testdata/render"

// Fixtures returns every render fixture.
func Fixtures(t testing.TB) []*Fixture {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(Dir, "*.txtar"))
	if len(files) == 0 {
		t.Fatalf("no fixtures in %s", Dir)
	}
	var fs []*Fixture
	for _, file := range files {
		ar, err := txtar.ParseFile(file)
		if err != nil {
			t.Fatal(err)
		}
		f := &Fixture{Name: strings.TrimSuffix(filepath.Base(file), ".txtar"), File: file, Files: map[string]string{}}
		for _, af := range ar.Files {
			if !Sections[af.Name] {
				f.Files[af.Name] = string(af.Data)
			}
		}
		fs = append(fs, f)
	}
	return fs
}

// Section returns a section of the fixture's golden file, or "".
func (f *Fixture) Section(t testing.TB, name string) string {
	t.Helper()
	ar, err := txtar.ParseFile(f.File)
	if err != nil {
		t.Fatal(err)
	}
	for _, af := range ar.Files {
		if af.Name == name {
			return string(af.Data)
		}
	}
	return ""
}

// Load loads the fixture's book. A book with errors in its chapters is
// returned all the same, so that its output can be compared.
func (f *Fixture) Load(t testing.TB) *book.Book {
	t.Helper()
	b, err := LoadFiles(f.Files)
	if b == nil {
		t.Fatal(err)
	}
	return b
}

// MustLoad loads a book from its files (see LoadFiles), failing the test
// on any error.
func MustLoad(t testing.TB, files map[string]string) *book.Book {
	t.Helper()
	b, err := LoadFiles(files)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// LoadFiles loads a book from its files; when they have no _index.md, the
// chapter "input.md" becomes the book, with a second chapter to link to.
func LoadFiles(files map[string]string) (*book.Book, error) {
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

// Warnings returns the book's warnings and errors, one a line.
func Warnings(b *book.Book) string {
	var s strings.Builder
	for _, d := range b.Diagnostics.Sorted() {
		s.WriteString(d.Error() + "\n")
	}
	return s.String()
}

// Check compares got with the named section of the fixture, or rewrites
// the section under -update.
func (f *Fixture) Check(t testing.TB, section, got string) {
	t.Helper()
	want := f.Section(t, section)
	if got == want {
		return
	}
	if *Update {
		if err := rewrite(f.File, section, got); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("%s: %s (-want +got):\n%s", f.File, section, Diff(want, got))
}

// rewrite replaces one section of a txtar file (dropping it when data is
// empty), keeping the others in a fixed order: the book's files, then the
// sections in the order xhtml, flow, warnings, pdf-warnings. Tests of
// several packages may rewrite one file at once, so a lock file beside it
// serialises them.
func rewrite(file, section, data string) error {
	lock := file + ".lock"
	for i := 0; ; i++ {
		f, err := os.OpenFile(lock, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
		if err == nil {
			f.Close()
			break
		}
		if i > 200 {
			return err
		}
		time.Sleep(50 * time.Millisecond)
	}
	defer os.Remove(lock)
	ar, err := txtar.ParseFile(file)
	if err != nil {
		return err
	}
	got := map[string][]byte{section: []byte(data)}
	var files []txtar.File
	for _, af := range ar.Files {
		if Sections[af.Name] {
			if _, ok := got[af.Name]; !ok {
				got[af.Name] = af.Data
			}
			continue
		}
		files = append(files, af)
	}
	for _, name := range []string{"xhtml", "flow", "warnings", "pdf-warnings"} {
		if len(got[name]) > 0 {
			files = append(files, txtar.File{Name: name, Data: got[name]})
		}
	}
	ar.Files = files
	return os.WriteFile(file, txtar.Format(ar), 0o644)
}

// Diff is a line diff of want and got, good enough for golden files:
// lines only in want start with "-", lines only in got with "+".
func Diff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var out strings.Builder
	i, j := 0, 0
	for i < len(w) || j < len(g) {
		switch {
		case i < len(w) && j < len(g) && w[i] == g[j]:
			out.WriteString("  " + w[i] + "\n")
			i++
			j++
		case i < len(w) && (j >= len(g) || !slices.Contains(g[j:], w[i])):
			out.WriteString("- " + w[i] + "\n")
			i++
		default:
			out.WriteString("+ " + g[j] + "\n")
			j++
		}
	}
	return out.String()
}

// CheckReleased reports every chapter of b that still holds its syntax
// tree, or a heading's node, after a printer was to release it
// (book.Chapter.Release).
func CheckReleased(t testing.TB, b *book.Book) {
	t.Helper()
	for _, ch := range b.Chapters {
		if ch.Doc != nil {
			t.Errorf("%s: not released", ch.Path)
		}
		for _, h := range ch.Headings {
			if h.Node != nil {
				t.Errorf("%s: heading %q keeps its node", ch.Path, h.Text)
			}
		}
	}
}
