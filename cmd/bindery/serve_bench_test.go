package main

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// copyTree copies the book in root/rel into a new content root and
// returns the book's folder there.
func copyTree(b *testing.B, root, rel string) string {
	b.Helper()
	src := filepath.Join(root, filepath.FromSlash(rel))
	if _, err := os.Stat(filepath.Join(src, "_index.md")); err != nil {
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

// benchEdit times, for each edit of one chapter, the wait from writing the
// file to the event that tells its open page to reload: the watcher's
// notification, the quiet spell (debounce, 100ms), the reload of the book,
// the page rendered again, the event sent and read. build-ms/op is the
// part of it spent building.
func benchEdit(b *testing.B, dir string) {
	p := startPreview(b, dir, nil)
	resp, err := http.Get(p.url + eventsPath)
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	events := sseReader(resp.Body)
	<-events
	st := p.s.current()
	path := st.order[len(st.order)/2]
	page := st.pages[path]
	if page.file == "" {
		path = st.order[len(st.order)/2+1]
		page = st.pages[path]
	}
	file, err := filepath.Abs(page.file) // a display path: relative to the working folder
	if err != nil {
		b.Fatal(err)
	}
	orig, err := os.ReadFile(file)
	if err != nil {
		b.Fatal(err)
	}
	rev := page.rev
	var built time.Duration
	i := 0
	for b.Loop() {
		i++
		if err := os.WriteFile(file, fmt.Appendf(append([]byte(nil), orig...), "\n\nEdit number %d.\n", i), 0o644); err != nil {
			b.Fatal(err)
		}
		for {
			var m struct {
				Pages map[string]string `json:"pages"`
			}
			data, ok := <-events
			if !ok {
				b.Fatal("the event stream ended")
			}
			if err := json.Unmarshal([]byte(data), &m); err != nil {
				b.Fatal(err)
			}
			if r := m.Pages[path]; r != rev {
				rev = r
				break
			}
		}
		built += p.s.current().took
	}
	b.ReportMetric(float64(built.Microseconds())/1000/float64(b.N), "build-ms/op")
}

// BenchmarkServeEditContent times an edit of a chapter of the content
// book to its reload event.
func BenchmarkServeEditContent(b *testing.B) {
	benchEdit(b, copyTree(b, filepath.Join("..", "..", "content"), "."))
}

// BenchmarkServeEditGolang does the same on the largest corpus section.
func BenchmarkServeEditGolang(b *testing.B) {
	benchEdit(b, copyTree(b, corpusDir, corpusSections[0]))
}
