package book_test

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/bindery-books/bindery/book"
)

// golangSection is the largest section of the shared corpus, beside the
// repository: 37 files, 740 KB.
const golangSection = "en/learn/software-engineering/programming-languages/golang/in-the-field"

// copyBook copies the book in root/rel into a new content root and returns
// the book's folder there.
func copyBook(b *testing.B, root, rel string) string {
	b.Helper()
	src := filepath.Join(root, filepath.FromSlash(rel))
	if _, err := os.Stat(src); err != nil {
		b.Skipf("no book at %s", src)
	}
	dst := filepath.Join(b.TempDir(), "content", filepath.FromSlash(rel))
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		r, _ := filepath.Rel(src, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, r), 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, r), data, 0o644)
	})
	if err != nil {
		b.Fatal(err)
	}
	return dst
}

// benchReload times a Reloader's load after one chapter's text changed.
func benchReload(b *testing.B, dir string) {
	r := &book.Reloader{Dir: dir}
	first, err := r.Load()
	if err != nil {
		b.Fatal(err)
	}
	path := chapterFile(b, first, first.Chapters[len(first.Chapters)/2])
	orig, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	i := 0
	for b.Loop() {
		i++
		if err := os.WriteFile(path, fmt.Appendf(append([]byte(nil), orig...), "\nEdit %d.\n", i), 0o644); err != nil {
			b.Fatal(err)
		}
		if _, err := r.Load(); err != nil {
			b.Fatal(err)
		}
		if s := r.Stats(); s.Parsed != 1 {
			b.Fatalf("%+v: want one chapter parsed", s)
		}
	}
}

// chapterFile returns the file of chapter ch of book bk.
func chapterFile(b *testing.B, bk *book.Book, ch *book.Chapter) string {
	b.Helper()
	root, err := filepath.Abs(bk.Root())
	if err != nil {
		b.Fatal(err)
	}
	return filepath.Join(root, filepath.FromSlash(ch.File))
}

// BenchmarkReloadContent times reloading the content book after one
// chapter's text changed.
func BenchmarkReloadContent(b *testing.B) {
	benchReload(b, copyBook(b, "../content", "."))
}

// BenchmarkReloadGolang does the same on the largest corpus section.
func BenchmarkReloadGolang(b *testing.B) {
	benchReload(b, copyBook(b, "../../shared/corpus/content", golangSection))
}
