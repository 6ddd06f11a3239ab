package main

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestEPUBPageList checks when the EPUB carries the PDF's page list:
// always from bindery build, from bindery epub only when book.yaml says
// page_list: true.
func TestEPUBPageList(t *testing.T) {
	files := map[string]string{
		"content/_index.md": "---\ntitle: Paged\n---\n- [One](one.md)\n",
		"content/one.md":    "---\ntitle: One\n---\n" + strings.Repeat("A paragraph of words that fill the page. ", 400) + "\n",
	}
	nav := func(t *testing.T, file string) string {
		t.Helper()
		zr, err := zip.OpenReader(file)
		if err != nil {
			t.Fatal(err)
		}
		defer zr.Close()
		for _, f := range zr.File {
			if f.Name == "OEBPS/nav.xhtml" {
				rc, _ := f.Open()
				data, _ := io.ReadAll(rc)
				rc.Close()
				return string(data)
			}
		}
		t.Fatal("no nav.xhtml")
		return ""
	}
	for _, c := range []struct {
		name, cmd, yaml string
		want            bool
	}{
		{"epub", "epub", "", false},
		{"epub with page_list", "epub", "page_list: true\n", true},
		{"build", "build", "", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			fs := map[string]string{}
			for k, v := range files {
				fs[k] = v
			}
			if c.yaml != "" {
				fs["content/book.yaml"] = c.yaml
			}
			dir := writeBook(t, fs)
			out := filepath.Join(dir, "out")
			file := filepath.Join(out, "paged.epub")
			args := []string{c.cmd, "-q", "-o", out, filepath.Join(dir, "content")}
			if c.cmd == "epub" {
				file = filepath.Join(dir, "paged.epub")
				args[3] = file
			}
			if code, _, errOut := runCLI(args...); code != 0 {
				t.Fatalf("bindery %s: exit %d\n%s", strings.Join(args, " "), code, errOut)
			}
			n := nav(t, file)
			has := strings.Contains(n, `epub:type="page-list"`)
			if has != c.want {
				t.Errorf("page list: %v, want %v", has, c.want)
			}
			if c.want && !strings.Contains(n, `<a href="one.xhtml#page-2">2</a>`) {
				t.Errorf("the page list lacks page 2:\n%s", n)
			}
		})
	}
}

// TestBuildSharesPageList checks that the EPUB bindery build writes, with
// the page list of the PDF it has just written, is the EPUB bindery epub
// writes by paginating the book on its own.
func TestBuildSharesPageList(t *testing.T) {
	dir := writeBook(t, map[string]string{
		"content/_index.md": "---\ntitle: Paged\n---\n- [One](one.md)\n- [Two](two.md)\n",
		"content/book.yaml": "page_list: true\n",
		"content/one.md":    "---\ntitle: One\n---\n" + strings.Repeat("A paragraph of words that fill the page. ", 300) + "\n",
		"content/two.md":    "---\ntitle: Two\n---\n" + strings.Repeat("Another paragraph, in a second chapter. ", 300) + "\n",
	})
	alone := filepath.Join(dir, "alone.epub")
	if code, _, errOut := runCLI("epub", "-q", "-o", alone, filepath.Join(dir, "content")); code != 0 {
		t.Fatalf("bindery epub: exit %d\n%s", code, errOut)
	}
	out := filepath.Join(dir, "out")
	if code, _, errOut := runCLI("build", "-q", "-o", out, filepath.Join(dir, "content")); code != 0 {
		t.Fatalf("bindery build: exit %d\n%s", code, errOut)
	}
	a, err := os.ReadFile(alone)
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(out, "paged.epub"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Error("the EPUB of bindery build differs from bindery epub's")
	}
	if _, err := os.Stat(filepath.Join(out, "paged.pdf")); err != nil {
		t.Errorf("no PDF beside it: %v", err)
	}
}
