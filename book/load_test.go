package book_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/bindery-books/bindery/book"
	"github.com/bindery-books/bindery/book/internal/golden"
	"golang.org/x/tools/txtar"
)

// loadTxtar loads the book an archive describes. Its comment may set
// "dir: PATH" (the book's folder, default the root), "drafts: true" and
// "strict: true". Files whose name ends in "want" are not part of the book.
func loadTxtar(t *testing.T, ar *txtar.Archive) (*book.Book, error) {
	t.Helper()
	fsys := fstest.MapFS{}
	for _, f := range ar.Files {
		if f.Name == "want" {
			continue
		}
		fsys[f.Name] = &fstest.MapFile{Data: f.Data, Mode: 0o644}
	}
	dir := "."
	var opts book.Options
	for _, line := range strings.Split(string(ar.Comment), "\n") {
		k, v, _ := strings.Cut(line, ":")
		v = strings.TrimSpace(v)
		switch strings.TrimSpace(k) {
		case "dir":
			dir = v
		case "drafts":
			opts.Drafts = v == "true"
		case "strict":
			opts.Strict = v == "true"
		}
	}
	return book.LoadFS(fsys, "content", dir, opts)
}

// outline prints the contents, the notes and the diagnostics of a load.
func outline(b *book.Book, err error) string {
	var s strings.Builder
	if b != nil {
		b.Walk(func(n book.Node, depth int) {
			ind := strings.Repeat("  ", depth)
			switch n := n.(type) {
			case *book.Part:
				fmt.Fprintf(&s, "%spart %s %q\n", ind, n.ID, n.Title)
			case *book.Chapter:
				fmt.Fprintf(&s, "%s%d %s %q %s line %d\n", ind, n.Number, n.ID, n.Title, n.Path, n.BodyLine)
			}
		})
		for _, n := range b.Diagnostics.Notes() {
			fmt.Fprintf(&s, "note: %s\n", n.Error())
		}
		for _, d := range b.Diagnostics.Sorted() {
			if d.Level == book.LevelWarning {
				fmt.Fprintf(&s, "%s\n", d.Error())
			}
		}
	}
	if err != nil {
		fmt.Fprintf(&s, "error:\n%s\n", err)
	}
	return filepath.ToSlash(s.String())
}

func TestLoad(t *testing.T) {
	files, _ := filepath.Glob("testdata/load/*.txtar")
	if len(files) == 0 {
		t.Fatal("no test cases")
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			ar, err := txtar.ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			b, err := loadTxtar(t, ar)
			got := outline(b, err)
			var want string
			for _, f := range ar.Files {
				if f.Name == "want" {
					want = string(f.Data)
				}
			}
			if got == want {
				return
			}
			if *golden.Update {
				for i, f := range ar.Files {
					if f.Name == "want" {
						ar.Files = append(ar.Files[:i], ar.Files[i+1:]...)
						break
					}
				}
				ar.Files = append(ar.Files, txtar.File{Name: "want", Data: []byte(got)})
				if err := os.WriteFile(file, txtar.Format(ar), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			t.Errorf("(-want +got):\n%s", golden.Diff(want, got))
		})
	}
}
