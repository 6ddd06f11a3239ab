package main

import (
	"archive/zip"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/tools/txtar"
)

// The reading-system tests hold the EPUB that bindery build writes (with the
// PDF's page list) to what real reading systems need of it:
//
//   - EPUBCheck: 0 errors, 0 warnings, page list and all.
//   - Ace by DAISY, the accessibility checker publishers use: no critical,
//     serious or moderate violation.
//   - Chromium at 390 px, a phone's width: no word broken inside, no table
//     wider than the screen outside a scroll container, no code outside its
//     box, continuations hanging; then in a forced night mode and under
//     prefers-color-scheme: dark, every text at 4.5:1 or more on its
//     background.
//   - The page list: an entry for every page of the PDF's body, labelled as
//     the PDF labels it, markers in reading order, each before the words the
//     PDF's page begins with.
//   - MuPDF (mutool draw, the engine of KOReader and Sumatra): figures
//     where the text puts them.
//   - calibre's ebook-convert to AZW3, as people put books on a Kindle.
//
// Each runs once per book; books run in parallel, with no more Chromiums
// than cores. A missing tool skips its check with a message, or fails it
// when BINDERY_REQUIRE_TOOLS is set.
//
// The whole takes minutes (Ace alone three on the largest corpus section),
// more than go test gives a package by default, so it runs only when
// BINDERY_READING_SYSTEMS is set, as a step of its own in .ci/run:
//
//	BINDERY_READING_SYSTEMS=1 go test -run TestReadingSystems -timeout 40m ./cmd/bindery

// requireTool returns the path of a tool, or skips (fails, when
// BINDERY_REQUIRE_TOOLS is set) with how to install it.
func requireTool(t *testing.T, name, install string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err == nil {
		return path
	}
	msg := fmt.Sprintf("%s not installed (%s)", name, install)
	if v := os.Getenv("BINDERY_REQUIRE_TOOLS"); v != "" && v != "0" {
		t.Fatalf("%s, and BINDERY_REQUIRE_TOOLS is set", msg)
	}
	t.Skipf("%s: skipping", msg)
	return ""
}

// builtBook is a book as bindery build writes it, unpacked.
type builtBook struct {
	name      string
	epub, pdf string
	dir       string   // the EPUB unpacked
	spine     []string // the spine's XHTML files, paths below dir
}

// buildBook runs bindery build on dir into a temporary folder and unpacks
// the EPUB.
func buildBook(t *testing.T, name, dir string) *builtBook {
	t.Helper()
	out := t.TempDir()
	if code, _, errOut := runCLI("build", "-q", "-o", out, dir); code != 0 {
		t.Fatalf("bindery build %s: exit %d\n%s", dir, code, errOut)
	}
	bb := &builtBook{name: name, dir: filepath.Join(out, "unpacked")}
	entries, _ := os.ReadDir(out)
	for _, e := range entries {
		switch filepath.Ext(e.Name()) {
		case ".epub":
			bb.epub = filepath.Join(out, e.Name())
		case ".pdf":
			bb.pdf = filepath.Join(out, e.Name())
		}
	}
	zr, err := zip.OpenReader(bb.epub)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	for _, f := range zr.File {
		p := filepath.Join(bb.dir, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(rc)
		rc.Close()
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	opf, err := os.ReadFile(filepath.Join(bb.dir, "OEBPS", "content.opf"))
	if err != nil {
		t.Fatal(err)
	}
	hrefs := map[string]string{}
	for _, m := range regexp.MustCompile(`<item id="([^"]+)" href="([^"]+)"`).FindAllStringSubmatch(string(opf), -1) {
		hrefs[m[1]] = m[2]
	}
	for _, m := range regexp.MustCompile(`<itemref idref="([^"]+)"`).FindAllStringSubmatch(string(opf), -1) {
		bb.spine = append(bb.spine, filepath.Join(bb.dir, "OEBPS", hrefs[m[1]]))
	}
	return bb
}

// scriptsBook writes the PDF's book in five scripts (Arabic and Hebrew
// right to left, Devanagari, Chinese, Japanese) into a folder with the
// Debian Noto fonts its book.yaml names, and their bold faces, under
// fonts/. It returns "" when the fonts are not installed, failing the test
// when BINDERY_REQUIRE_TOOLS is set.
func scriptsBook(t *testing.T) string {
	t.Helper()
	ar, err := txtar.ParseFile(filepath.Join("..", "..", "book", "pdf", "testdata", "scripts.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, f := range ar.Files {
		if err := os.WriteFile(filepath.Join(dir, f.Name), f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
		if f.Name != "book.yaml" {
			continue
		}
		if err := os.MkdirAll(filepath.Join(dir, "fonts"), 0o755); err != nil {
			t.Fatal(err)
		}
		for _, m := range regexp.MustCompile(`fonts/([A-Za-z]+)-Regular\.(tt[fc])`).FindAllStringSubmatch(string(f.Data), -1) {
			for _, style := range []string{"Regular", "Bold"} {
				name := m[1] + "-" + style + "." + m[2]
				found, _ := filepath.Glob("/usr/share/fonts/*/noto/" + name)
				if len(found) == 0 {
					if style == "Bold" {
						continue
					}
					msg := "no " + name + " (apt-get install fonts-noto-core fonts-noto-cjk)"
					if v := os.Getenv("BINDERY_REQUIRE_TOOLS"); v != "" && v != "0" {
						t.Fatal(msg + ", and BINDERY_REQUIRE_TOOLS is set")
					}
					t.Log(msg + ": the scripts book is left out")
					return ""
				}
				data, err := os.ReadFile(found[0])
				if err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(dir, "fonts", name), data, 0o644); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	return dir
}

// TestReadingSystems builds the content book, each corpus section and the
// book in five scripts with bindery build and runs every reading-system
// check on each.
func TestReadingSystems(t *testing.T) {
	if v := os.Getenv("BINDERY_READING_SYSTEMS"); v == "" || v == "0" {
		t.Skip("set BINDERY_READING_SYSTEMS=1 to open the books in reading systems (minutes; .ci/run does)")
	}
	// Not t.Setenv, which parallel subtests refuse.
	old, had := os.LookupEnv("SOURCE_DATE_EPOCH")
	os.Setenv("SOURCE_DATE_EPOCH", "1767225600")
	t.Cleanup(func() {
		if had {
			os.Setenv("SOURCE_DATE_EPOCH", old)
		} else {
			os.Unsetenv("SOURCE_DATE_EPOCH")
		}
	})
	var mu sync.Mutex // run() shares the log package's output
	bs := books(t)
	if dir := scriptsBook(t); dir != "" {
		bs["scripts"] = dir
	}
	for _, name := range sortedKeys(bs) {
		dir := bs[name]
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if _, err := os.Stat(filepath.Join(dir, "_index.md")); err != nil {
				t.Skipf("%s has no _index.md", dir)
			}
			mu.Lock()
			bb := buildBook(t, name, dir)
			mu.Unlock()
			t.Run("epubcheck", func(t *testing.T) { checkEPUBCheck(t, bb) })
			t.Run("pagelist", func(t *testing.T) { checkPageList(t, bb) })
			// Ace and the browser each drive a Chromium: at the same time,
			// but no more Chromiums than cores, across books.
			t.Run("chromium", func(t *testing.T) {
				t.Run("ace", func(t *testing.T) { t.Parallel(); heavy(t); checkAce(t, bb) })
				t.Run("browser", func(t *testing.T) { t.Parallel(); heavy(t); checkBrowser(t, bb) })
			})
			if name == "content" {
				t.Run("mupdf", func(t *testing.T) { checkMuPDF(t, bb) })
				t.Run("calibre", func(t *testing.T) { checkCalibre(t, bb) })
			}
		})
	}
}

// chromiums holds a place for each Chromium running: one per core.
var chromiums = make(chan struct{}, runtime.GOMAXPROCS(0))

// heavy waits for a place to run a Chromium and gives it back when the
// test ends.
func heavy(t *testing.T) {
	chromiums <- struct{}{}
	t.Cleanup(func() { <-chromiums })
}

// checkEPUBCheck validates the EPUB with EPUBCheck, failing on warnings.
func checkEPUBCheck(t *testing.T, bb *builtBook) {
	report, ok := epubcheck(t, bb.epub)
	if !ok {
		requireEPUBCheck(t)
	}
	if !strings.Contains(report, "0 fatals / 0 errors / 0 warnings") {
		t.Errorf("EPUBCheck on %s:\n%s", bb.name, report)
	}
}

// --- the page list ---

// pageMarker is a page break marker found in the EPUB: its label, its
// file, and the words after it.
type pageMarker struct {
	label, file string
	words       []string
	figure      bool // the page begins with a figure
	shared      bool // the page begins where the page after it does
	// floated is set when a figure of the chapter comes before the
	// marker: the PDF may have floated it to the top of this page (a
	// figure waits for the figures before it, so one may float over more
	// than a page).
	floated bool
}

var markerRE = regexp.MustCompile(`<span id="page-([^"]+)" epub:type="pagebreak" role="doc-pagebreak" aria-label="([^"]+)"></span>`)

// checkPageList compares the EPUB's page list with the PDF's pages.
func checkPageList(t *testing.T, bb *builtBook) {
	requirePDFTools(t)
	pages := pdfWords(t, bb.pdf)
	labels := qpdfJSON(t, bb.pdf).labels(len(pages))
	front := 0
	for front < len(labels) && !isArabic(labels[front]) {
		front++
	}
	body := labels[front:]

	// The nav's page list, in order.
	nav, err := os.ReadFile(filepath.Join(bb.dir, "OEBPS", "nav.xhtml"))
	if err != nil {
		t.Fatal(err)
	}
	_, list, ok := strings.Cut(string(nav), `epub:type="page-list"`)
	if !ok {
		t.Fatal("nav.xhtml has no page-list")
	}
	list, _, _ = strings.Cut(list, "</nav>")
	var navLabels, navHrefs []string
	for _, m := range regexp.MustCompile(`<a href="([^"]+)">([^<]+)</a>`).FindAllStringSubmatch(list, -1) {
		navHrefs = append(navHrefs, m[1])
		navLabels = append(navLabels, m[2])
	}
	if !slices.Equal(navLabels, body) {
		t.Errorf("page list labels %s… (%d), the PDF's body pages %s… (%d)", strings.Join(head(navLabels, 8), " "), len(navLabels), strings.Join(head(body, 8), " "), len(body))
	}

	// The markers, in reading order, with the words after each.
	var markers []pageMarker
	for _, file := range bb.spine {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		s := string(data)
		for _, loc := range markerRE.FindAllStringSubmatchIndex(s, -1) {
			label := s[loc[4]:loc[5]]
			if id := s[loc[2]:loc[3]]; id != label {
				t.Errorf("%s: marker page-%s labelled %s", filepath.Base(file), id, label)
			}
			m := pageMarker{label: label, file: filepath.Base(file), words: textWords(s[loc[1]:], 4)}
			// A page that begins with a picture or a diagram begins, in
			// the PDF, with the words drawn in it.
			m.figure = regexp.MustCompile(`^\s*(<span id="page-[^>]*></span>\s*)*<figure`).MatchString(s[loc[1]:])
			// A page that begins where the page after it does (a blank
			// page, a page of the pieces of a diagram cut across pages)
			// has its words on that page.
			m.shared = regexp.MustCompile(`^\s*<span id="page-`).MatchString(s[loc[1]:])
			m.floated = strings.Contains(s[:loc[0]], "<figure")
			markers = append(markers, m)
		}
	}
	var got []string
	for i, m := range markers {
		got = append(got, m.label)
		if i < len(navHrefs) && navHrefs[i] != m.file+"#page-"+m.label {
			t.Errorf("page list entry %d goes to %s, marker %s is in %s", i, navHrefs[i], m.label, m.file)
		}
	}
	if !slices.Equal(got, body) {
		t.Fatalf("markers in reading order %s… (%d), the PDF's body pages %s… (%d)", strings.Join(head(got, 8), " "), len(got), strings.Join(head(body, 8), " "), len(body))
	}

	// Each marker comes before the words its page begins with: the words
	// after it are among the first of the PDF's page (after the running
	// head), or, where a figure may have floated to the top of the page,
	// on the page after the words drawn in the figure. Pages that begin
	// with a figure, and pages that share their start with the page after
	// them, are left out.
	found, tried, afterFloat := 0, 0, 0
	var misses []string
	for i, m := range markers {
		pg := pages[front+i]
		if len(m.words) < 3 || len(pg.Words) < 3 || m.figure || m.shared {
			continue
		}
		tried++
		all := strings.Fields(normWords(pg.Words))
		pdfText := strings.Join(head(all, 40), " ")
		switch {
		case beginsWith(head(all, 40), m.words[:3]):
			found++
		case m.floated && beginsWith(all, m.words[:3]):
			found++
			afterFloat++
		case len(misses) < 10:
			misses = append(misses, fmt.Sprintf("page %s: EPUB %q, PDF %q", m.label, strings.Join(m.words[:3], " "), clip(pdfText, 90)))
		}
	}
	t.Logf("%d pages; the words after %d of %d markers begin their PDF page (%d after figures floated there)", len(body), found, tried, afterFloat)
	if len(misses) > 0 {
		t.Logf("the first that do not:\n%s", strings.Join(misses, "\n"))
	}
	if tried > 0 && float64(found) < 0.95*float64(tried) {
		t.Errorf("only %d of %d markers stand before their page's first words:\n%s", found, tried, strings.Join(misses, "\n"))
	}
}

// beginsWith reports whether the words a marker stands before are among
// the first of a PDF page: in order, each at most three words after the one
// before (the PDF sets a list's number and a code block's language among
// them), the first perhaps only its end (the page begins inside a word the
// PDF hyphenated, and the marker stands before the word).
func beginsWith(page, words []string) bool {
	for i, w := range page {
		if w != words[0] && !(len(w) >= 2 && strings.HasSuffix(words[0], w)) {
			continue
		}
		at, ok := i, true
		for _, want := range words[1:] {
			next := -1
			for j := at + 1; j < min(len(page), at+4); j++ {
				if page[j] == want {
					next = j
					break
				}
			}
			if next < 0 {
				ok = false
				break
			}
			at = next
		}
		if ok {
			return true
		}
	}
	return false
}

func isArabic(s string) bool {
	return s != "" && strings.IndexFunc(s, func(r rune) bool { return r < '0' || r > '9' }) < 0
}

func head(s []string, n int) []string { return s[:min(n, len(s))] }

// textWords returns the first n words of the text of an XHTML fragment,
// as normWords writes them, skipping markup, code-line numbers aside.
func textWords(fragment string, n int) []string {
	z := html.NewTokenizer(strings.NewReader(fragment))
	var words []string
	var b strings.Builder
	flush := func() {
		words = append(words, ideographs(normWord(b.String()))...)
		b.Reset()
	}
	skip := false // a code block's language, which the PDF sets at the right
	for len(words) < n {
		switch z.Next() {
		case html.ErrorToken:
			flush()
			return words
		case html.TextToken:
			if skip {
				skip = false
				continue
			}
			for _, r := range string(z.Text()) {
				if unicode.IsSpace(r) {
					flush()
				} else {
					b.WriteRune(r)
				}
			}
		case html.StartTagToken, html.EndTagToken:
			name, more := z.TagName()
			for more {
				var k, v []byte
				k, v, more = z.TagAttr()
				if string(k) == "class" && string(v) == "code-lang" {
					skip = true
				}
			}
			switch string(name) {
			case "p", "li", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "div", "br", "span":
				if string(name) != "span" {
					flush()
				}
			}
		}
	}
	return words[:n]
}

// normWord keeps a word's letters and digits, lower-cased: what the PDF's
// and the EPUB's text share whatever the hyphenation and the quotes.
func normWord(s string) string {
	var b strings.Builder
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

func normWords(ws []pdfWord) string {
	var out []string
	for i := 0; i < len(ws); i++ {
		w := ws[i].Text
		// A word hyphenated at the end of a line goes on at the next.
		for strings.HasSuffix(w, "-") && i+1 < len(ws) {
			i++
			w = strings.TrimSuffix(w, "-") + ws[i].Text
		}
		out = append(out, ideographs(normWord(w))...)
	}
	return strings.Join(out, " ")
}

// ideographs splits a word at its Chinese and Japanese characters, each a
// word of its own: text without spaces that the PDF and a reading system
// break into lines at different places.
func ideographs(w string) []string {
	var out []string
	start := 0
	for i, r := range w {
		if unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana) {
			if start < i {
				out = append(out, w[start:i])
			}
			out = append(out, string(r))
			start = i + utf8.RuneLen(r)
		}
	}
	if start < len(w) {
		out = append(out, w[start:])
	}
	return out
}

// --- Ace by DAISY ---

// aceCommand returns the command that runs Ace with Debian's Chromium:
// ace-puppeteer from BINDERY_ACE_DIR (where .ci/run installs it), else from
// the PATH.
func aceCommand(t *testing.T) string {
	t.Helper()
	requireTool(t, "chromium", "apt-get install chromium")
	dir := os.Getenv("BINDERY_ACE_DIR")
	if dir == "" {
		if home, err := os.UserHomeDir(); err == nil {
			dir = filepath.Join(home, ".cache", "bindery", "ace")
		}
	}
	if p := filepath.Join(dir, "node_modules", ".bin", "ace-puppeteer"); dir != "" {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return requireTool(t, "ace-puppeteer", "ELECTRON_SKIP_BINARY_DOWNLOAD=1 PUPPETEER_SKIP_DOWNLOAD=1 npm install @daisy/ace, into BINDERY_ACE_DIR; .ci/run does")
}

// aceReport is the part of Ace's report.json the test reads.
type aceReport struct {
	Assertions []struct {
		Subject struct {
			URL string `json:"url"`
		} `json:"earl:testSubject"`
		Assertions []struct {
			Test struct {
				Impact string `json:"earl:impact"`
				Title  string `json:"dct:title"`
			} `json:"earl:test"`
			Result struct {
				Description string `json:"dct:description"`
				Pointer     struct {
					CSS []string `json:"css"`
				} `json:"earl:pointer"`
			} `json:"earl:result"`
		} `json:"assertions"`
	} `json:"assertions"`
}

// checkAce runs Ace by DAISY on the EPUB: no critical, serious or moderate
// violation.
func checkAce(t *testing.T, bb *builtBook) {
	ace := aceCommand(t)
	out := t.TempDir()
	start := time.Now()
	// Ace gives each document four minutes by default; the largest corpus
	// chapters take three alone, more beside the browser check.
	cmd := exec.Command(ace, "--silent", "--timeout", "900000", "-o", out, bb.epub)
	cmd.Env = append(os.Environ(), "PUPPETEER_EXECUTABLE_PATH=/usr/bin/chromium")
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("ace %s: %v\n%s", bb.epub, err, msg)
	}
	data, err := os.ReadFile(filepath.Join(out, "report.json"))
	if err != nil {
		t.Fatal(err)
	}
	var r aceReport
	if err := json.Unmarshal(data, &r); err != nil {
		t.Fatal(err)
	}
	counts := map[string]int{}
	var bad []string
	for _, a := range r.Assertions {
		for _, v := range a.Assertions {
			counts[v.Test.Impact]++
			switch v.Test.Impact {
			case "critical", "serious", "moderate":
				if len(bad) < 20 {
					bad = append(bad, fmt.Sprintf("%s %s %s %v: %s", v.Test.Impact, v.Test.Title, a.Subject.URL, v.Result.Pointer.CSS, clip(v.Result.Description, 200)))
				}
			}
		}
	}
	t.Logf("Ace on %s in %.0fs: %d critical, %d serious, %d moderate, %d minor", bb.name, time.Since(start).Seconds(),
		counts["critical"], counts["serious"], counts["moderate"], counts["minor"])
	if len(bad) > 0 {
		t.Errorf("Ace finds violations:\n%s", strings.Join(bad, "\n"))
	}
}

// --- MuPDF ---

// checkMuPDF lays the EPUB out with mutool draw, as KOReader and Sumatra
// would, at a phone's size, and checks that every figure is set where the
// text puts it: after the words that come before it in the chapter.
func checkMuPDF(t *testing.T, bb *builtBook) {
	mutool := requireTool(t, "mutool", "apt-get install mupdf-tools")
	checked := 0
	for _, file := range bb.spine {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		want := figureContexts(string(data))
		if len(want) == 0 {
			continue
		}
		out, err := exec.Command(mutool, "draw", "-q", "-F", "trace", "-W", "390", "-H", "700", "-S", "11", "-o", "-", file).Output()
		if err != nil {
			t.Fatalf("mutool draw %s: %v", file, err)
		}
		got := traceImages(string(out))
		if len(got) != len(want) {
			t.Errorf("%s: MuPDF sets %d images, the chapter has %d figures", filepath.Base(file), len(got), len(want))
			continue
		}
		for i := range want {
			if want[i] != got[i] {
				t.Errorf("%s: figure %d follows %q in MuPDF, %q in the chapter", filepath.Base(file), i+1, got[i], want[i])
			}
			checked++
		}
	}
	t.Logf("%d figures in place", checked)
	if checked == 0 {
		t.Error("no figure checked: the content book has diagrams")
	}
}

// figureContexts returns, for each figure of a chapter, the last words of
// the text before it.
func figureContexts(doc string) []string {
	var ctx []string
	var words []string
	z := html.NewTokenizer(strings.NewReader(doc))
	skip := 0
	for {
		switch z.Next() {
		case html.ErrorToken:
			return ctx
		case html.StartTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			switch string(name) {
			case "img", "svg":
				if skip == 0 {
					ctx = append(ctx, lastWords(words, 3))
				}
			case "title", "head", "annotation":
				skip++
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			switch string(name) {
			case "title", "head", "annotation":
				skip--
			}
		case html.TextToken:
			if skip == 0 {
				for _, w := range strings.Fields(string(z.Text())) {
					if n := normWord(w); n != "" {
						words = append(words, n)
					}
				}
			}
		}
	}
}

func lastWords(ws []string, n int) string { return strings.Join(ws[max(0, len(ws)-n):], " ") }

// traceImages returns, for each image MuPDF draws (its trace device),
// the last words set before it on the pages, where it stands: drawing
// calls are put in the order of their page and their height on it, so a
// figure moved away from its text shows.
func traceImages(trace string) []string {
	type mark struct {
		page  int
		y     float64
		image bool
		r     string // the character, or the image's size
	}
	var marks []mark
	page := 0
	var ty float64
	z := html.NewTokenizer(strings.NewReader(trace))
	attrs := func(more bool) map[string]string {
		m := map[string]string{}
		for more {
			var k, v []byte
			k, v, more = z.TagAttr()
			m[string(k)] = string(v)
		}
		return m
	}
	num := func(s string) float64 { f, _ := strconv.ParseFloat(s, 64); return f }
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		name, more := z.TagName()
		a := attrs(more)
		switch string(name) {
		case "page":
			page++
		case "fill_text":
			f := strings.Fields(a["transform"])
			if len(f) == 6 {
				ty = num(f[5])
			}
		case "fill_image":
			f := strings.Fields(a["transform"])
			if len(f) == 6 {
				marks = append(marks, mark{page: page, y: num(f[5]), image: true, r: a["width"] + "x" + a["height"] + " " + f[0] + " " + f[3]})
			}
		case "g":
			marks = append(marks, mark{page: page, y: num(a["y"]) + ty, r: a["unicode"]})
		}
	}
	sort.SliceStable(marks, func(i, j int) bool {
		if marks[i].page != marks[j].page {
			return marks[i].page < marks[j].page
		}
		return marks[i].y < marks[j].y-0.5
	})
	var ctx, words []string
	var cur strings.Builder
	lastY := -1.0
	flush := func() {
		if w := normWord(cur.String()); w != "" {
			words = append(words, w)
		}
		cur.Reset()
	}
	var last *mark // the last image
	for i, m := range marks {
		if m.image {
			// MuPDF draws a picture that crosses a page's foot on both
			// pages, clipped: one picture, where it first appears.
			if last != nil && last.page == m.page-1 && last.r == m.r {
				last = &marks[i]
				continue
			}
			last = &marks[i]
			flush()
			ctx = append(ctx, lastWords(words, 3))
			continue
		}
		if math.Abs(m.y-lastY) > 0.5 {
			flush() // a new line
		}
		lastY = m.y
		if strings.TrimSpace(m.r) == "" {
			flush()
		} else {
			cur.WriteString(m.r)
		}
	}
	return ctx
}

// --- calibre ---

// checkCalibre converts the EPUB to AZW3 with calibre's ebook-convert, as
// people put a book on a Kindle: no error, a cover, the chapters.
func checkCalibre(t *testing.T, bb *builtBook) {
	conv := requireTool(t, "ebook-convert", "apt-get install calibre")
	out := filepath.Join(t.TempDir(), bb.name+".azw3")
	start := time.Now()
	cmd := exec.Command(conv, bb.epub, out)
	cmd.Env = append(os.Environ(), "QT_QPA_PLATFORM=offscreen", "HOME="+t.TempDir())
	msg, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("ebook-convert %s: %v\n%s", bb.epub, err, lastLines(string(msg), 40))
	}
	for _, line := range strings.Split(string(msg), "\n") {
		l := strings.ToLower(line)
		if strings.Contains(l, "detected chapter:") {
			continue // a chapter's title may hold the words
		}
		if strings.Contains(l, "error") || strings.Contains(l, "traceback") || strings.Contains(l, "failed") {
			t.Errorf("ebook-convert: %s", line)
		}
	}
	fi, err := os.Stat(out)
	if err != nil || fi.Size() == 0 {
		t.Fatalf("ebook-convert wrote no AZW3: %v", err)
	}
	t.Logf("ebook-convert to AZW3 in %.0fs, %d KB", time.Since(start).Seconds(), fi.Size()/1024)
	checkCalibreBook(t, conv, out)
}

// checkCalibreBook converts the AZW3 back to an EPUB and checks what a
// Kindle shows: the cover once, and each chapter's label in its heading.
func checkCalibreBook(t *testing.T, conv, azw3 string) {
	back := filepath.Join(t.TempDir(), "back.epub")
	cmd := exec.Command(conv, azw3, back)
	cmd.Env = append(os.Environ(), "QT_QPA_PLATFORM=offscreen", "HOME="+t.TempDir())
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("ebook-convert %s: %v\n%s", azw3, err, lastLines(string(msg), 40))
	}
	zr, err := zip.OpenReader(back)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	docs := map[string]string{}
	for _, f := range zr.File {
		if strings.HasSuffix(f.Name, "html") {
			rc, _ := f.Open()
			data, _ := io.ReadAll(rc)
			rc.Close()
			docs[f.Name] = string(data)
		}
	}
	// The cover: calibre's cover page, and no other page with its picture.
	imgRE := regexp.MustCompile(`(?:src|href)="([^"]+\.(?:png|jpe?g|gif))"`)
	var cover string
	for _, d := range docs {
		if strings.Contains(d, `name="calibre:cover"`) {
			if m := imgRE.FindStringSubmatch(d); m != nil {
				cover = filepath.Base(m[1])
			}
		}
	}
	if cover == "" {
		t.Fatal("the AZW3 has no cover page")
	}
	pages := 0
	for _, d := range docs {
		for _, m := range imgRE.FindAllStringSubmatch(d, -1) {
			if filepath.Base(m[1]) == cover {
				pages++
				break
			}
		}
	}
	if pages != 1 {
		t.Errorf("the AZW3 shows the cover on %d pages, want 1", pages)
	}
	// A chapter's label on the page of its title: no page of the Kindle
	// book ends with a label (each file is a page break).
	label := regexp.MustCompile(`Chapter \d+$`)
	tags := regexp.MustCompile(`(?s)<head>.*</head>|<[^>]*>`)
	labels := 0
	for name, d := range docs {
		text := strings.Join(strings.Fields(html.UnescapeString(tags.ReplaceAllString(d, " "))), " ")
		labels += len(regexp.MustCompile(`Chapter \d+`).FindAllString(text, -1))
		if label.MatchString(text) {
			t.Errorf("%s ends with %q, alone before a page break", name, label.FindString(text))
		}
	}
	if labels == 0 {
		t.Error("the AZW3 has no chapter labels")
	}
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}
