package main

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/bindery-books/bindery/book"
	"gopkg.in/yaml.v3"
)

// newBook runs bindery new into a fresh folder and returns it.
func newBook(t *testing.T, args ...string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "my-first_book")
	code, out, errOut := runCLI(append(append([]string{"new"}, args...), dir)...)
	if code != exitOK {
		t.Fatalf("bindery new: exit %d\n%s%s", code, out, errOut)
	}
	return dir
}

// scaffoldNames lists the files bindery new writes.
var scaffoldNames = []string{
	".github/workflows/book.yml",
	".gitignore",
	"Makefile",
	"content/_index.md",
	"content/book.yaml",
	"content/images/open-book.png",
	"content/what-a-chapter-can-hold.md",
	"content/writing-this-book.md",
}

// TestNewBuilds starts a book, builds it strictly, and holds it to the bar
// of every book: no warning, EPUBCheck 0/0, and every feature the second
// chapter shows present in the EPUB.
func TestNewBuilds(t *testing.T) {
	dir := newBook(t)
	var got []string
	filepath.WalkDir(dir, func(p string, e os.DirEntry, err error) error {
		if err == nil && !e.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			got = append(got, filepath.ToSlash(rel))
		}
		return err
	})
	if !slices.Equal(got, scaffoldNames) {
		t.Errorf("bindery new wrote %q, want %q", got, scaffoldNames)
	}

	t.Setenv("SOURCE_DATE_EPOCH", "1767225600")
	out := filepath.Join(t.TempDir(), "dist")
	code, _, errOut := runCLI("build", "--strict", "-o", out, filepath.Join(dir, "content"))
	if code != exitOK {
		t.Fatalf("bindery build --strict: exit %d\n%s", code, errOut)
	}
	if strings.Contains(errOut, "warning") {
		t.Errorf("the new book builds with warnings:\n%s", errOut)
	}
	if !strings.Contains(errOut, "diagrams: 1 drawn, 0 shown as code") {
		t.Errorf("the new book's diagram is not drawn:\n%s", errOut)
	}
	epubFile := filepath.Join(out, "my-first-book.epub")
	if _, err := os.Stat(filepath.Join(out, "my-first-book.pdf")); err != nil {
		t.Error(err)
	}

	// Every feature the second chapter shows reaches the EPUB.
	xhtml := readZipFile(t, epubFile, "OEBPS/what-a-chapter-can-hold.xhtml")
	for what, re := range map[string]string{
		"highlighted code": `<pre class="chroma language-go">`,
		"a table":          `<table`,
		"a figure":         `<figure class="image"><img src="images/open-book-[0-9a-f]+\.png" alt="An open book: [^"]+" title="An open book, drawn by bindery new\." /><figcaption>`,
		"a footnote":       `epub:type="footnote"`,
		"a diagram":        `src="diagrams/what-a-chapter-can-hold-1\.svg"`,
		"a tip":            `class="admonition tip"`,
	} {
		if !regexp.MustCompile(re).MatchString(xhtml) {
			t.Errorf("no %s in the EPUB's second chapter (%s)", what, re)
		}
	}
	if ch1 := readZipFile(t, epubFile, "OEBPS/writing-this-book.xhtml"); !strings.Contains(ch1, `href="what-a-chapter-can-hold.xhtml"`) {
		t.Errorf("the first chapter's link to the second is not a link inside the book")
	}

	jar := "/usr/share/java/epubcheck.jar"
	if _, err := exec.LookPath("java"); err != nil {
		requireEPUBCheck(t)
	}
	if _, err := os.Stat(jar); err != nil {
		requireEPUBCheck(t)
	}
	report, err := exec.Command("java", "-jar", jar, "--failonwarnings", epubFile).CombinedOutput()
	if err != nil || !strings.Contains(string(report), "0 fatals / 0 errors / 0 warnings") {
		t.Errorf("EPUBCheck --failonwarnings on the new book: %v\n%s", err, report)
	}
}

func readZipFile(t *testing.T, file, name string) string {
	t.Helper()
	zr, err := zip.OpenReader(file)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	f, err := zr.Open(name)
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestNewRefuses checks that bindery new writes nothing at all when any
// file it would write exists, or a folder it would write into is a file.
func TestNewRefuses(t *testing.T) {
	for _, tc := range []struct {
		name     string
		existing map[string]string
		want     []string // paths the message names
	}{
		{"makefile", map[string]string{"Makefile": "all:\n"}, []string{"Makefile exists"}},
		{"chapter", map[string]string{"content/writing-this-book.md": "mine\n", "content/notes.md": "mine\n"}, []string{"writing-this-book.md exists"}},
		{"content is a file", map[string]string{"content": "not a folder\n"}, []string{"content exists and is not a folder"}},
		{"workflow", map[string]string{".github/workflows/book.yml": "name: mine\n", ".gitignore": "*.o\n"}, []string{"book.yml exists", ".gitignore exists"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := writeBook(t, tc.existing)
			code, out, errOut := runCLI("new", dir)
			if code != exitBook {
				t.Errorf("exit %d, want %d", code, exitBook)
			}
			if out != "" {
				t.Errorf("stdout %q on a refusal", out)
			}
			if !strings.Contains(errOut, "nothing written") {
				t.Errorf("the message does not say nothing was written:\n%s", errOut)
			}
			for _, w := range tc.want {
				if !strings.Contains(errOut, w) {
					t.Errorf("the message does not say %q:\n%s", w, errOut)
				}
			}
			// Nothing but what was there.
			var have []string
			filepath.WalkDir(dir, func(p string, e os.DirEntry, err error) error {
				if err == nil && !e.IsDir() {
					rel, _ := filepath.Rel(dir, p)
					have = append(have, filepath.ToSlash(rel))
				}
				return err
			})
			for _, h := range have {
				if _, ok := tc.existing[h]; !ok {
					t.Errorf("a refused bindery new wrote %s", h)
				}
			}
			for name, data := range tc.existing {
				if b, _ := os.ReadFile(filepath.Join(dir, name)); string(b) != data {
					t.Errorf("%s changed", name)
				}
			}
		})
	}

	// DIR itself a file.
	file := filepath.Join(t.TempDir(), "notes.txt")
	os.WriteFile(file, []byte("mine\n"), 0o644)
	if code, _, errOut := runCLI("new", file); code != exitBook || !strings.Contains(errOut, "notes.txt exists and is not a folder; nothing written") {
		t.Errorf("bindery new FILE: exit %d\n%s", code, errOut)
	}

	// A second bindery new into a new book names every file.
	dir := newBook(t)
	code, _, errOut := runCLI("new", dir)
	if code != exitBook || strings.Count(errOut, " exists\n") != len(scaffoldNames) {
		t.Errorf("second bindery new: exit %d, want %d and %d files named:\n%s", code, exitBook, len(scaffoldNames), errOut)
	}
}

// TestNewWorkingFolder starts a book in the working folder, which may hold
// other files, and takes the title from the folder's name.
func TestNewWorkingFolder(t *testing.T) {
	dir := writeBook(t, map[string]string{"README.md": "# Notes\n"})
	dir = filepath.Join(dir, "field-notes")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	if code, _, errOut := runCLI("new", "--author", "Ada Lovelace"); code != exitOK {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	b, err := book.Load("content", book.Options{Strict: true})
	if err != nil {
		t.Fatal(err)
	}
	if b.Meta.Title != "Field Notes" || !slices.Equal(b.Meta.Authors, []string{"Ada Lovelace"}) {
		t.Errorf("title %q, authors %q; want \"Field Notes\", [\"Ada Lovelace\"]", b.Meta.Title, b.Meta.Authors)
	}
	if len(b.Chapters) != 2 {
		t.Errorf("%d chapters, want 2", len(b.Chapters))
	}
}

// TestNewQuoting checks that a title and an author YAML would misread
// reach the book as they were given, and that bad ones are refused.
func TestNewQuoting(t *testing.T) {
	title, author := `Yes: "No" # maybe \ {x}`, "O'Brien, [Jr.]"
	dir := newBook(t, "--title", title, "--author", author)
	b, err := book.Load(filepath.Join(dir, "content"), book.Options{Strict: true})
	if err != nil {
		t.Fatal(err)
	}
	if b.Meta.Title != title || !slices.Equal(b.Meta.Authors, []string{author}) {
		t.Errorf("title %q, authors %q; want %q, [%q]", b.Meta.Title, b.Meta.Authors, title, author)
	}
	for _, bad := range [][]string{{"--title", "two\nlines"}, {"--author", " "}, {"a", "b"}} {
		if code, _, _ := runCLI(append([]string{"new"}, bad...)...); code != exitUsage {
			t.Errorf("bindery new %q: exit %d, want %d", bad, code, exitUsage)
		}
	}
}

// TestNewBookYAML checks that book.yaml names every key book.Config has,
// each under a comment that explains it.
func TestNewBookYAML(t *testing.T) {
	files, err := scaffoldFiles(scaffoldData{Title: "T", Author: "A", Slug: "t", ActionRef: "main", Date: "2026-01-01"})
	if err != nil {
		t.Fatal(err)
	}
	var data string
	for _, f := range files {
		if f.name == "content/book.yaml" {
			data = string(f.data)
		}
	}
	lines := strings.Split(data, "\n")
	typ := reflect.TypeFor[book.Config]()
	for i := range typ.NumField() {
		key := strings.Split(typ.Field(i).Tag.Get("yaml"), ",")[0]
		at := slices.IndexFunc(lines, func(l string) bool {
			return strings.HasPrefix(l, key+":") || strings.HasPrefix(l, "# "+key+":")
		})
		if at < 0 {
			t.Errorf("book.yaml lacks %s", key)
			continue
		}
		if at == 0 || !strings.HasPrefix(lines[at-1], "#") {
			t.Errorf("book.yaml: %s has no comment above it", key)
		}
	}
	var c book.Config
	if err := yaml.Unmarshal([]byte(data), &c); err != nil {
		t.Fatal(err)
	}
	if c.Title != "T" || c.TOCDepth != 2 || c.PageSize != "a4" || c.FontSize != 10.5 {
		t.Errorf("book.yaml reads as %+v", c)
	}
}

// TestNewWorkflow checks the new book's workflow against the action it
// uses: the action's ref, and only inputs action.yml declares.
func TestNewWorkflow(t *testing.T) {
	for _, tc := range []struct{ version, ref string }{
		{"v1.2.3", "v1.2.3"},
		{"v2.0.0-rc.1", "v2.0.0-rc.1"},
		{"(devel)", "main"},
		{"devel-0123456789ab", "main"},
		{"v0.0.0-20260101000000-0123456789ab", "main"},
		{"v1.2.4-0.20260101000000-0123456789ab", "main"},
	} {
		if got := actionRef(tc.version); got != tc.ref {
			t.Errorf("actionRef(%q) = %q, want %q", tc.version, got, tc.ref)
		}
	}
	files, err := scaffoldFiles(scaffoldData{Title: "T", Author: "A", Slug: "t", ActionRef: "v1.2.3", Release: true, Date: "2026-01-01"})
	if err != nil {
		t.Fatal(err)
	}
	var workflow []byte
	for _, f := range files {
		if f.name == ".github/workflows/book.yml" {
			workflow = f.data
		}
		if bytes.Contains(f.data, []byte("[[")) || bytes.Contains(f.data, []byte("]]")) {
			t.Errorf("%s keeps a template action", f.name)
		}
	}
	var wf struct {
		Jobs map[string]struct {
			Steps []struct {
				Uses string            `yaml:"uses"`
				With map[string]string `yaml:"with"`
			} `yaml:"steps"`
		} `yaml:"jobs"`
	}
	if err := yaml.Unmarshal(workflow, &wf); err != nil {
		t.Fatal(err)
	}
	inputs := actionInputs(t)
	used := false
	for _, j := range wf.Jobs {
		for _, s := range j.Steps {
			if !strings.HasPrefix(s.Uses, "bindery-books/bindery@") {
				continue
			}
			used = true
			if s.Uses != "bindery-books/bindery@v1.2.3" {
				t.Errorf("the workflow uses %s, want bindery-books/bindery@v1.2.3", s.Uses)
			}
			for k := range s.With {
				if _, ok := inputs[k]; !ok {
					t.Errorf("the workflow gives the action input %q, which action.yml does not declare", k)
				}
			}
		}
	}
	if !used {
		t.Error("the workflow does not use the bindery action")
	}
}

// TestNewMakefile checks that the new book's Makefile has its targets, with
// make -n, which prints the commands without running them.
func TestNewMakefile(t *testing.T) {
	if _, err := exec.LookPath("make"); err != nil {
		t.Skip("make not installed")
	}
	dir := newBook(t)
	for target, want := range map[string]string{
		"all":   "bindery build --strict -o dist content",
		"epub":  "bindery epub --strict -o dist/my-first-book.epub content",
		"pdf":   "bindery pdf --strict -o dist/my-first-book.pdf content",
		"check": "bindery check --strict content",
		"serve": "bindery serve content",
		"clean": "rm -rf dist",
	} {
		out, err := exec.Command("make", "-s", "-n", "-C", dir, target).CombinedOutput()
		if err != nil || !strings.Contains(string(out), want) {
			t.Errorf("make -n %s: %v\n%s\nwant %q", target, err, out, want)
		}
	}
}

// TestNewDeterministic checks that the scaffold, its drawn image included,
// is the same bytes every time.
func TestNewDeterministic(t *testing.T) {
	d := scaffoldData{Title: "T", Author: "A", Slug: "t", ActionRef: "main", Date: "2026-01-01"}
	a, err := scaffoldFiles(d)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := scaffoldFiles(d)
	if !reflect.DeepEqual(a, b) {
		t.Error("two scaffolds differ")
	}
}
