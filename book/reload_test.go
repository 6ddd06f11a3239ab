package book_test

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bindery-books/bindery/book"
	"github.com/bindery-books/bindery/book/epub"
	"github.com/bindery-books/bindery/book/internal/golden"
	"github.com/yuin/goldmark/ast"
	"golang.org/x/tools/txtar"
)

// pngOf returns a 4×4 PNG of one colour.
func pngOf(t *testing.T, c color.Color) string {
	t.Helper()
	m := image.NewNRGBA(image.Rect(0, 0, 4, 4))
	for y := range 4 {
		for x := range 4 {
			m.Set(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, m); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// writeFiles writes files into dir; an empty content removes the file.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if data == "" {
			if err := os.Remove(p); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// describe prints what outputs read of a loaded book: its contents, every
// chapter's resolved AST with link targets and pictures, and its problems.
func describe(b *book.Book, err error) string {
	var s strings.Builder
	if b == nil {
		fmt.Fprintf(&s, "no book: %v\n", err)
		return s.String()
	}
	fmt.Fprintf(&s, "%+v\n", b.Meta)
	b.Walk(func(n book.Node, depth int) {
		switch n := n.(type) {
		case *book.Part:
			fmt.Fprintf(&s, "part %s %q\n", n.ID, n.Title)
		case *book.Chapter:
			fmt.Fprintf(&s, "chapter %d %s %q %s\n", n.Number, n.ID, n.Title, n.Path)
			_ = ast.Walk(n.Doc, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
				if !entering {
					return ast.WalkContinue, nil
				}
				fmt.Fprintf(&s, "  %s", c.Kind())
				switch c := c.(type) {
				case *ast.Text:
					fmt.Fprintf(&s, " %q", c.Segment.Value(n.Source))
				case *ast.Heading:
					id, _ := c.AttributeString("id")
					fmt.Fprintf(&s, " %s", id)
				case *book.Link:
					fmt.Fprintf(&s, " -> %s", c.Target)
				case *book.Image:
					if c.Picture != nil {
						fmt.Fprintf(&s, " %s %s %dx%d", c.Src, c.Picture.Name, c.Picture.Width, c.Picture.Height)
					} else {
						fmt.Fprintf(&s, " %s (none)", c.Src)
					}
				case *book.CodeBlock:
					fmt.Fprintf(&s, " %s %q", c.Lang, c.Code)
				case *book.Diagram:
					fmt.Fprintf(&s, " %s drawn=%v", c.ID, c.Drawing != nil)
				}
				s.WriteByte('\n')
				return ast.WalkContinue, nil
			})
		}
	})
	for _, d := range b.Diagnostics.Notes() {
		fmt.Fprintf(&s, "note: %s\n", d)
	}
	for _, d := range b.Diagnostics.Sorted() {
		fmt.Fprintf(&s, "%s\n", d)
	}
	drawn, asCode := b.Diagrams()
	fmt.Fprintf(&s, "diagrams: %d drawn, %d as code\n", drawn, asCode)
	if err != nil {
		fmt.Fprintf(&s, "error: %v\n", err)
	}
	return s.String()
}

// TestReloader edits a book step by step and checks, at each step, what
// the Reloader parsed, relinked and reused, and that the book it returns
// is the one a fresh Load returns, down to the EPUB's bytes.
func TestReloader(t *testing.T) {
	ar, err := txtar.ParseFile("testdata/reload/book.txtar")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	files := map[string]string{"content/book/pic.png": pngOf(t, color.Black), "content/book/cover.png": pngOf(t, color.Gray{0x80})}
	for _, f := range ar.Files {
		files[f.Name] = string(f.Data)
	}
	writeFiles(t, dir, files)
	bookDir := filepath.Join(dir, "content", "book")
	read := func(name string) string {
		data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}
	replace := func(name, old, new string) map[string]string {
		s := read(name)
		if !strings.Contains(s, old) {
			t.Fatalf("%s does not hold %q", name, old)
		}
		return map[string]string{name: strings.Replace(s, old, new, 1)}
	}
	index := "content/book/_index.md"
	pic := filepath.Join(bookDir, "pic.png")
	var picTime time.Time

	r := &book.Reloader{Dir: bookDir}
	steps := []struct {
		name  string
		edit  func() map[string]string
		stats book.ReloadStats // Chapters is not compared
		// changed lists the IDs of the chapters Changed reports.
		changed []string
		// broken: the load returns no book.
		broken bool
		// after runs after the edit is written.
		after func()
	}{
		{name: "first load", stats: book.ReloadStats{Parsed: 3}, changed: []string{"one", "two", "three"}},
		{name: "no change", stats: book.ReloadStats{Reused: 3}},
		{name: "text of a chapter",
			edit:  func() map[string]string { return replace("content/book/three.md", "Back to", "Go back to") },
			stats: book.ReloadStats{Parsed: 1, Reused: 2}, changed: []string{"three"}},
		{name: "heading another chapter links to",
			edit: func() map[string]string {
				return replace("content/book/two.md", "## Second section", "## Later section")
			},
			stats: book.ReloadStats{Parsed: 1, Relinked: 1, Reused: 1}, changed: []string{"one", "two"}},
		{name: "heading back",
			edit: func() map[string]string {
				return replace("content/book/two.md", "## Later section", "## Second section")
			},
			stats: book.ReloadStats{Parsed: 1, Relinked: 1, Reused: 1}, changed: []string{"one", "two"}},
		{name: "footnote another chapter links to goes",
			edit: func() map[string]string {
				return replace("content/book/two.md", "Text with a note.[^1]", "Text without a note.")
			},
			stats: book.ReloadStats{Parsed: 1, Relinked: 1, Reused: 1}, changed: []string{"one", "two"}},
		{name: "picture",
			edit:  func() map[string]string { return map[string]string{"content/book/pic.png": pngOf(t, color.White)} },
			stats: book.ReloadStats{Relinked: 1, Reused: 2}, changed: []string{"one"}},
		{name: "picture touched, not changed",
			edit:  func() map[string]string { return map[string]string{"content/book/pic.png": pngOf(t, color.White)} },
			stats: book.ReloadStats{Reused: 3}},
		{name: "picture rewritten within a tick of the file system's clock",
			// Same size, same time: only the racy rule tells the file
			// changed, since the last read came right after a write.
			edit: func() map[string]string {
				fi, err := os.Stat(pic)
				if err != nil {
					t.Fatal(err)
				}
				picTime = fi.ModTime()
				data := pngOf(t, color.Gray{0xfe})
				if len(data) != len(read("content/book/pic.png")) {
					t.Fatal("the two pictures differ in size: pick other colours")
				}
				return map[string]string{"content/book/pic.png": data}
			},
			after: func() {
				if err := os.Chtimes(pic, picTime, picTime); err != nil {
					t.Fatal(err)
				}
			},
			stats: book.ReloadStats{Relinked: 1, Reused: 2}, changed: []string{"one"}},
		{name: "title of a linked chapter",
			edit:  func() map[string]string { return replace("content/book/two.md", "title: Two", "title: Second") },
			stats: book.ReloadStats{Parsed: 1, Reused: 2}, changed: []string{"two"}},
		{name: "order",
			edit: func() map[string]string {
				return replace(index, "- [One](one.md)\n- [Two](two.md)\n- [Three](three.md)", "- [Three](three.md)\n- [One](one.md)\n- [Two](two.md)")
			},
			stats: book.ReloadStats{Reused: 3}},
		{name: "link to a chapter not yet written",
			edit: func() map[string]string {
				return replace("content/book/three.md", "Go back to", "See [four](/book/four). Go back to")
			},
			stats: book.ReloadStats{Parsed: 1, Reused: 2}, changed: []string{"three"}},
		{name: "the chapter written",
			edit: func() map[string]string {
				m := replace(index, "- [Two](two.md)", "- [Two](two.md)\n- [Four](four.md)")
				m["content/book/four.md"] = "---\ntitle: Four\n---\nThe fourth.\n"
				return m
			},
			stats: book.ReloadStats{Parsed: 1, Relinked: 1, Reused: 2}, changed: []string{"three", "four"}},
		{name: "a chapter leaves the book",
			edit:  func() map[string]string { return replace(index, "- [Two](two.md)\n", "") },
			stats: book.ReloadStats{Relinked: 1, Reused: 2}, changed: []string{"one"}},
		{name: "base_url",
			edit: func() map[string]string {
				return map[string]string{"content/book/book.yaml": "title: Reloaded\ncover: cover.png\nbase_url: https://example.com\n"}
			},
			stats: book.ReloadStats{Relinked: 1, Reused: 2}, changed: []string{"one"}},
		{name: "broken index",
			edit: func() map[string]string {
				return replace(index, "- [Four](four.md)", "- [Four](four.md)\n- [Gone](gone.md)")
			},
			broken: true},
		{name: "index fixed",
			edit:  func() map[string]string { return replace(index, "\n- [Gone](gone.md)", "") },
			stats: book.ReloadStats{Reused: 3}},
		{name: "an ID taken by a new chapter",
			edit: func() map[string]string {
				m := replace(index, "- [Three](three.md)", "- [Other three](sub/three.md)\n- [Three](three.md)")
				m["content/book/sub/three.md"] = "---\ntitle: Other three\n---\nElsewhere.\n"
				return m
			},
			// The new chapter takes the ID "three": the old one, now
			// "three-2", is parsed again for its diagrams' IDs, and links
			// to it change.
			stats: book.ReloadStats{Parsed: 2, Relinked: 1, Reused: 1}, changed: []string{"one", "three", "three-2"}},
		{name: "front matter broken",
			edit:   func() map[string]string { return replace("content/book/four.md", "title: Four", "title: [Four") },
			broken: true},
		{name: "front matter fixed, text changed",
			edit: func() map[string]string {
				return replace("content/book/four.md", "title: [Four\n---\nThe fourth.", "title: Four\n---\nThe 4th.")
			},
			stats: book.ReloadStats{Parsed: 1, Reused: 3}, changed: []string{"four"}},
	}
	var last *book.Book
	var lastDesc string
	for _, step := range steps {
		if step.edit != nil {
			writeFiles(t, dir, step.edit())
		}
		if step.after != nil {
			step.after()
		}
		b, err := r.Load()
		fresh, ferr := book.Load(bookDir, book.Options{})
		got, want := describe(b, err), describe(fresh, ferr)
		if got != want {
			t.Fatalf("%s: the reloaded book differs from a fresh load (-fresh +reloaded):\n%s", step.name, golden.Diff(want, got))
		}
		if step.broken {
			if b != nil {
				t.Fatalf("%s: a book, want none", step.name)
			}
			// The book of the last load is whole.
			if d := describe(last, nil); d != lastDesc {
				t.Fatalf("%s: a failed load changed the last book (-before +after):\n%s", step.name, golden.Diff(lastDesc, d))
			}
			continue
		}
		if b == nil {
			t.Fatalf("%s: %v", step.name, err)
		}
		stats := r.Stats()
		if stats.Chapters != len(b.Chapters) {
			t.Errorf("%s: stats count %d chapters, the book has %d", step.name, stats.Chapters, len(b.Chapters))
		}
		stats.Chapters = 0
		if stats != step.stats {
			t.Errorf("%s: %+v, want %+v", step.name, stats, step.stats)
		}
		var changed []string
		for _, ch := range b.Chapters {
			if r.Changed(ch) {
				changed = append(changed, ch.ID)
			}
		}
		slices.Sort(changed)
		slices.Sort(step.changed)
		if !slices.Equal(changed, step.changed) {
			t.Errorf("%s: changed %v, want %v", step.name, changed, step.changed)
		}
		var eb, fb bytes.Buffer
		if err := epub.Write(&eb, b, epub.Config{}); err != nil {
			t.Fatal(err)
		}
		if err := epub.Write(&fb, fresh, epub.Config{}); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(eb.Bytes(), fb.Bytes()) {
			t.Errorf("%s: the EPUB of the reloaded book differs from a fresh one's", step.name)
		}
		last, lastDesc = b, got
	}
}

// TestReloaderFiles checks that a Reloader names the files a book depends
// on, and the names it tried for a link that leads nowhere yet.
func TestReloaderFiles(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"content/book/_index.md":  "---\ntitle: Files\n---\n- [One](one.md)\n- [Part](/part)\n",
		"content/book/book.yaml":  "title: Files\n",
		"content/book/one.md":     "---\ntitle: One\n---\n![p](p.png) and [later](/book/later).\n",
		"content/book/p.png":      pngOf(t, color.Black),
		"content/part/_index.md":  "---\ntitle: Part\n---\n- [Two](two.md)\n",
		"content/part/two.md":     "---\ntitle: Two\n---\nTwo.\n",
		"content/unrelated/x.md":  "---\ntitle: X\n---\n",
		"content/book/notes.txt":  "not read",
		"content/book/draft/a.md": "---\ntitle: A\n---\n",
	})
	r := &book.Reloader{Dir: filepath.Join(dir, "content", "book")}
	if _, err := r.Load(); err != nil {
		t.Fatal(err)
	}
	files := r.Files()
	root, err := filepath.EvalSymlinks(filepath.Join(dir, "content"))
	if err != nil {
		t.Fatal(err)
	}
	has := func(name string) bool {
		p := filepath.Join(root, filepath.FromSlash(name))
		for _, f := range files {
			if g, err := filepath.EvalSymlinks(filepath.Dir(f)); err == nil && filepath.Join(g, filepath.Base(f)) == p {
				return true
			}
		}
		return false
	}
	for _, name := range []string{"book/_index.md", "book/book.yaml", "book/one.md", "book/p.png", "part/_index.md", "part/two.md", "book/later.md"} {
		if !has(name) {
			t.Errorf("Files() lacks %s:\n%s", name, strings.Join(files, "\n"))
		}
	}
	for _, name := range []string{"unrelated/x.md", "book/notes.txt", "book/draft/a.md"} {
		if has(name) {
			t.Errorf("Files() holds %s, which the book does not read", name)
		}
	}
}
