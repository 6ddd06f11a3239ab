package book

import (
	"path/filepath"
	"testing"
	"testing/fstest"

	"golang.org/x/tools/txtar"
)

// seeds adds every markdown file of the load test cases to the corpus.
func seeds(f *testing.F) {
	files, _ := filepath.Glob("testdata/load/*.txtar")
	for _, file := range files {
		ar, err := txtar.ParseFile(file)
		if err != nil {
			continue
		}
		for _, af := range ar.Files {
			if filepath.Ext(af.Name) == ".md" {
				f.Add(string(af.Data))
			}
		}
	}
	f.Add("---\ntitle: x\n---\n{{< tabs items=\"a,b\" >}}\n{{< tab >}}\nA\n{{< /tab >}}\n{{< /tabs >}}\n")
	f.Add("> [!NOTE]\n> note\n\n$$\nx^2\n$$\n\n$a$ costs $5\n")
}

// FuzzFrontMatter checks that any page splits without a panic and that the
// body it returns is a suffix of the page.
func FuzzFrontMatter(f *testing.F) {
	seeds(f)
	f.Fuzz(func(t *testing.T, page string) {
		var fm FrontMatter
		body, line, _, err := parseFrontMatter([]byte(page), &fm)
		if err != nil {
			return
		}
		if len(body) > len(page) || page[len(page)-len(body):] != string(body) {
			t.Fatalf("body is not a suffix of the page")
		}
		if line < 1 {
			t.Fatalf("body line %d", line)
		}
	})
}

// FuzzIndex loads books whose index is fuzzed: no panic, and every error
// names a file.
func FuzzIndex(f *testing.F) {
	seeds(f)
	f.Fuzz(func(t *testing.T, index string) {
		fsys := fstest.MapFS{
			"_index.md":          {Data: []byte(index)},
			"a.md":               {Data: []byte("---\ntitle: A\n---\n## H\n[b](b.md#h)\n")},
			"b.md":               {Data: []byte("b")},
			"sub/_index.md":      {Data: []byte("- [C](c.md)\n- [Back](../)\n")},
			"sub/c.md":           {Data: []byte("c")},
			"weighted/x.md":      {Data: []byte("---\nweight: 2\n---\n")},
			"weighted/_index.md": {Data: []byte("no list")},
		}
		b, err := LoadFS(fsys, "content", ".", Options{})
		if err == nil && len(b.Chapters) == 0 {
			t.Fatal("a book without chapters loaded without error")
		}
	})
}

// FuzzChapter parses fuzzed chapters: shortcodes, alerts, math, nesting.
func FuzzChapter(f *testing.F) {
	seeds(f)
	f.Fuzz(func(t *testing.T, body string) {
		fsys := fstest.MapFS{
			"_index.md": {Data: []byte("- [A](a.md)\n")},
			"a.md":      {Data: []byte(body)},
		}
		b, err := LoadFS(fsys, "content", ".", Options{})
		if err != nil {
			return
		}
		for _, h := range b.Chapters[0].Headings {
			if h.ID == "" {
				t.Fatal("heading without ID")
			}
		}
	})
}
