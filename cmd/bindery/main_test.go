package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
)

// corpusDir is the shared corpus of real content, beside the repository.
var corpusDir = filepath.Join("..", "..", "..", "shared", "corpus", "content")

// corpusSections lists the corpus's sections, each a book.
var corpusSections = []string{
	"en/learn/software-engineering/programming-languages/golang/in-the-field",
	"en/learn/software-engineering/algorithm-and-data-structures/by-example",
	"en/learn/software-engineering/architecture/c4-architecture-model/by-example",
	"en/learn/software-engineering/data/databases/postgresql/by-example",
}

// books returns the books the integration tests build: ours, then each corpus section.
func books(t *testing.T) map[string]string {
	t.Helper()
	m := map[string]string{"content": filepath.Join("..", "..", "content")}
	if _, err := os.Stat(corpusDir); err != nil {
		t.Logf("corpus not found at %s: testing the content book only", corpusDir)
		return m
	}
	for _, s := range corpusSections {
		m[filepath.Base(filepath.Dir(s))+"-"+filepath.Base(s)] = filepath.Join(corpusDir, filepath.FromSlash(s))
	}
	return m
}

// TestMain runs bindery's own main when BINDERY_TEST_MAIN is set, so tests
// can run the command as a process of its own and signal it.
func TestMain(m *testing.M) {
	if os.Getenv("BINDERY_TEST_MAIN") == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

func runCLI(args ...string) (code int, stdout, stderr string) {
	var o, e bytes.Buffer
	code = run(args, &o, &e)
	return code, o.String(), e.String()
}

func writeBook(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestUsage(t *testing.T) {
	for _, args := range [][]string{{}, {"nosuch"}, {"epub", "--nosuchflag"}, {"pdf", "--page-size", "b5", "x"}, {"epub", "a", "b"}} {
		if code, _, _ := runCLI(args...); code != exitUsage {
			t.Errorf("bindery %v: exit %d, want %d", args, code, exitUsage)
		}
	}
	if code, out, _ := runCLI("version"); code != 0 || !strings.HasPrefix(out, "bindery ") {
		t.Errorf("version: exit %d, output %q", code, out)
	}
	if code, _, errOut := runCLI("epub", "-h"); code != 0 || !strings.Contains(errOut, "-o FILE") {
		t.Errorf("epub -h: exit %d, output %q", code, errOut)
	}
}

func TestCheckBrokenLink(t *testing.T) {
	dir := writeBook(t, map[string]string{
		"content/book/_index.md": "---\ntitle: Broken\n---\n- [One](one.md)\n- [Gone](/en/book/gone)\n",
		"content/book/one.md":    "---\ntitle: One\n---\nSee [nothing](/en/nowhere).\n",
	})
	code, _, errOut := runCLI("check", filepath.Join(dir, "content", "book"))
	if code != exitBook {
		t.Errorf("exit %d, want %d", code, exitBook)
	}
	if !regexp.MustCompile(`(?m)^\S*content/book/_index.md:5: no chapter at /en/book/gone$`).MatchString(errOut) {
		t.Errorf("no file:line message for the broken index link:\n%s", errOut)
	}
}

func TestStrict(t *testing.T) {
	dir := writeBook(t, map[string]string{
		"content/_index.md": "---\ntitle: Warned\n---\n- [One](one.md)\n",
		"content/one.md":    "---\ntitle: One\n---\nSee [nothing](/en/nowhere).\n",
	})
	book := filepath.Join(dir, "content")
	if code, _, errOut := runCLI("check", book); code != 0 || !strings.Contains(errOut, "one.md:4: warning: link to") {
		t.Errorf("check: exit %d, want 0 and a warning:\n%s", code, errOut)
	}
	code, _, errOut := runCLI("check", "--strict", book)
	if code != exitBook || !strings.Contains(errOut, "one.md:4: link to") {
		t.Errorf("check --strict: exit %d, want 1 and an error:\n%s", code, errOut)
	}
	out := filepath.Join(dir, "out.epub")
	if code, _, _ := runCLI("epub", "--strict", "-o", out, book); code != exitBook {
		t.Errorf("epub --strict: exit %d, want 1", code)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if e.Name() != "content" {
			t.Errorf("a failed build left %s behind", e.Name())
		}
	}
}

func TestFlagsAfterDir(t *testing.T) {
	dir := writeBook(t, map[string]string{
		"content/_index.md": "---\ntitle: Order\n---\n- [One](one.md)\n",
		"content/one.md":    "---\ntitle: One\n---\ntext\n",
	})
	out := filepath.Join(dir, "b.epub")
	if code, _, errOut := runCLI("epub", filepath.Join(dir, "content"), "-q", "-o", out); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if _, err := os.Stat(out); err != nil {
		t.Fatal(err)
	}
}

// epubcheck validates an EPUB and returns its complaints; ok is false when
// the validator is not installed.
func epubcheck(t *testing.T, file string) (report string, ok bool) {
	jar := "/usr/share/java/epubcheck.jar"
	if _, err := os.Stat(jar); err != nil {
		return "", false
	}
	if _, err := exec.LookPath("java"); err != nil {
		return "", false
	}
	out, _ := exec.Command("java", "-jar", jar, file).CombinedOutput()
	return string(out), true
}

func requireEPUBCheck(t *testing.T) {
	if os.Getenv("BINDERY_REQUIRE_EPUBCHECK") != "" {
		t.Fatal("EPUBCheck is required (BINDERY_REQUIRE_EPUBCHECK is set) but /usr/share/java/epubcheck.jar or java is missing")
	}
	t.Skip("EPUBCheck not installed (apt-get install epubcheck default-jre-headless): skipping validation")
}

// TestEPUBs builds the content book and every corpus section twice, checks
// the two builds are identical, and validates them with EPUBCheck: 0 errors,
// 0 warnings.
func TestEPUBs(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	// Not t.Setenv, which parallel subtests refuse; the subtests finish
	// before the parent's cleanup runs.
	old, had := os.LookupEnv("SOURCE_DATE_EPOCH")
	os.Setenv("SOURCE_DATE_EPOCH", "1767225600")
	t.Cleanup(func() {
		if had {
			os.Setenv("SOURCE_DATE_EPOCH", old)
		} else {
			os.Unsetenv("SOURCE_DATE_EPOCH")
		}
	})
	out := t.TempDir()
	var mu sync.Mutex
	for name, dir := range books(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel() // EPUBCheck is slow to start; two cores check two books
			if _, err := os.Stat(filepath.Join(dir, "_index.md")); err != nil {
				t.Skipf("%s has no _index.md", dir)
			}
			a, b := filepath.Join(out, name+".epub"), filepath.Join(out, name+"-2.epub")
			for _, f := range []string{a, b} {
				mu.Lock() // run() shares the log package's output
				code, _, errOut := runCLI("epub", "-q", "-o", f, dir)
				mu.Unlock()
				if code != 0 {
					t.Fatalf("bindery epub %s: exit %d\n%s", dir, code, errOut)
				}
			}
			da, _ := os.ReadFile(a)
			db, _ := os.ReadFile(b)
			if !bytes.Equal(da, db) {
				t.Errorf("two builds of %s differ", name)
			}
			report, ok := epubcheck(t, a)
			if !ok {
				requireEPUBCheck(t)
			}
			if !strings.Contains(report, "0 fatals / 0 errors / 0 warnings") {
				t.Errorf("EPUBCheck on %s:\n%s", name, report)
			}
		})
	}
}
