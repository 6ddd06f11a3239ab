package main

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/bindery-books/bindery/book"
	"github.com/bindery-books/bindery/book/pdf"
)

// The PDF integration tests build real books and hold each PDF to the bar
// of the PDF issue: qpdf finds no fault, every font is embedded, every word
// lies in the page's text area, the contents, the page labels and the
// printed folios agree with the body and the outline, no text is lost to
// U+FFFD, builds are reproducible, a failed build writes nothing, and no
// page in the middle of a chapter is more than a quarter empty.

// pdfTools are the validators the checks run: qpdf (structure, outline,
// page labels) and poppler (fonts, words and their boxes).
var pdfTools = map[string]string{
	"qpdf":      "qpdf",
	"pdffonts":  "poppler-utils",
	"pdftotext": "poppler-utils",
	"pdfinfo":   "poppler-utils",
	"pdftoppm":  "poppler-utils",
}

// requirePDFTools skips the test when a validator is missing, or fails it
// when BINDERY_REQUIRE_TOOLS is set (as CI does).
func requirePDFTools(t *testing.T) {
	t.Helper()
	var missing, pkgs []string
	for _, tool := range sortedKeys(pdfTools) {
		if _, err := exec.LookPath(tool); err != nil {
			missing = append(missing, tool)
			pkgs = append(pkgs, pdfTools[tool])
		}
	}
	if len(missing) == 0 {
		return
	}
	msg := fmt.Sprintf("%s not installed (apt-get install %s)", strings.Join(missing, ", "), strings.Join(dedup(pkgs), " "))
	if v := os.Getenv("BINDERY_REQUIRE_TOOLS"); v != "" && v != "0" {
		t.Fatalf("%s, and BINDERY_REQUIRE_TOOLS is set", msg)
	}
	t.Skipf("%s: skipping the PDF checks", msg)
}

// pdfCase is one PDF the tests build: a book and the flags it is built with.
type pdfCase struct {
	name, dir string
	flags     []string
	cfg       pdf.Config // what flags say, to find the page geometry
	// variant marks another geometry of a book built already: the
	// reproducibility and font checks, which the geometry does not
	// change, are not repeated.
	variant bool
}

func pdfCases(t *testing.T) []pdfCase {
	var cs []pdfCase
	bs := books(t)
	for _, name := range sortedKeys(bs) {
		cs = append(cs, pdfCase{name: name, dir: bs[name]})
	}
	content := bs["content"]
	return append(cs,
		pdfCase{name: "content-twoside", dir: content, flags: []string{"--twoside"}, cfg: pdf.Config{TwoSide: true}, variant: true},
		pdfCase{name: "content-a5", dir: content, flags: []string{"--page-size", "a5"}, cfg: pdf.Config{PageSize: "a5"}, variant: true},
	)
}

// TestPDFs builds the content book, each corpus section and two variants
// of the content book (two-sided, A5) to PDF, and checks each file.
func TestPDFs(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	t.Setenv("SOURCE_DATE_EPOCH", "1767225600")
	out := t.TempDir()
	for _, c := range pdfCases(t) {
		t.Run(c.name, func(t *testing.T) {
			// Builds may run concurrently: run() only points the log
			// package at stderr, which a PDF build does not write to.
			t.Parallel()
			if _, err := os.Stat(filepath.Join(c.dir, "_index.md")); err != nil {
				t.Skipf("%s has no _index.md", c.dir)
			}
			file := filepath.Join(out, c.name+".pdf")
			builds := []string{file}
			if !c.variant {
				builds = append(builds, filepath.Join(out, c.name+"-2.pdf"))
			}
			for _, f := range builds {
				args := append([]string{"pdf", "-q", "-o", f}, c.flags...)
				if code, _, errOut := runCLI(append(args, c.dir)...); code != 0 {
					t.Fatalf("bindery %s: exit %d\n%s", strings.Join(append(args, c.dir), " "), code, errOut)
				}
			}
			if !c.variant {
				t.Run("reproducible", func(t *testing.T) {
					a, _ := os.ReadFile(builds[0])
					b, _ := os.ReadFile(builds[1])
					if !bytes.Equal(a, b) {
						t.Errorf("two builds of %s differ (%d and %d bytes)%s", c.dir, len(a), len(b), objectDiff(a, b))
					}
				})
			}
			requirePDFTools(t)
			checkPDF(t, file, c)
		})
	}
}

// objectDiff names the objects that differ between two PDFs, for a
// report on builds that should be identical.
func objectDiff(a, b []byte) string {
	objs := func(d []byte) map[string][]byte {
		m := map[string][]byte{}
		locs := objRE.FindAllSubmatchIndex(d, -1)
		for i, l := range locs {
			end := len(d)
			if i+1 < len(locs) {
				end = locs[i+1][0]
			}
			m[string(d[l[2]:l[3]])] = d[l[1]:end]
		}
		return m
	}
	oa, ob := objs(a), objs(b)
	var diff []string
	for _, n := range sortedKeys(oa) {
		if !bytes.Equal(oa[n], ob[n]) {
			head := oa[n]
			if i := bytes.Index(head, []byte("stream")); i >= 0 {
				head = head[:i]
			}
			diff = append(diff, fmt.Sprintf("object %s %q", n, clip(strings.Join(strings.Fields(string(head)), " "), 100)))
		}
	}
	if len(diff) == 0 {
		return ""
	}
	if len(diff) > 8 {
		diff = append(diff[:8], fmt.Sprintf("… %d objects in all", len(diff)))
	}
	return "; differing objects:\n\t" + strings.Join(diff, "\n\t")
}

var objRE = regexp.MustCompile(`(?m)^(\d+) 0 obj`)

// checkPDF runs every check on one built PDF, each as a subtest.
func checkPDF(t *testing.T, file string, c pdfCase) {
	b, err := book.Load(c.dir, book.Options{})
	if err != nil {
		t.Fatalf("load %s: %v", c.dir, err)
	}
	// The page geometry comes from book/pdf itself, as the writer computes
	// it, so the test follows any change to the margins.
	size, twoSide, body := pdf.Settings(b, c.cfg)
	g, err := pdf.NewGeometry(size, twoSide, body)
	if err != nil {
		t.Fatal(err)
	}
	pages := pdfWords(t, file)
	info := qpdfJSON(t, file)
	labels := info.labels(len(pages))

	t.Run("qpdf", func(t *testing.T) {
		out, err := exec.Command("qpdf", "--check", file).CombinedOutput()
		if err != nil || bytes.Contains(bytes.ToLower(out), []byte("warning")) {
			t.Errorf("qpdf --check %s: %v\n%s", file, err, out)
		}
	})
	if !c.variant {
		t.Run("fonts", func(t *testing.T) { checkFonts(t, file) })
	}
	t.Run("bbox", func(t *testing.T) { checkTextArea(t, pages, g, size, twoSide) })
	t.Run("spacing", func(t *testing.T) {
		if c.name == "content" {
			checkSpacing(t, file, body) // the bar is set on the content book
			return
		}
		s := measureSpacing(t, file, body)
		t.Logf("%d justified lines, %d over 1.5×, %d over 2×, %d over 2.2×, worst %.2f×", s.lines, s.over15, s.over20, s.over22, s.worst)
	})
	t.Run("folios", func(t *testing.T) { checkFolios(t, pages, labels, g) })
	t.Run("contents", func(t *testing.T) {
		entries := contentsEntries(t, pages, labels, g)
		t.Logf("%d pages, %d contents entries, %d outline entries", len(pages), len(entries), len(info.flatOutline()))
		checkContents(t, entries, pages, labels, twoSide)
		checkOutline(t, entries, info.flatOutline(), labels)
	})
	t.Run("fffd", func(t *testing.T) { checkReplacementChar(t, b, pages) })
	t.Run("fullness", func(t *testing.T) { checkFullness(t, file, pages, labels, g, body) })
	if !c.variant {
		// The structure does not depend on the geometry.
		t.Run("tagged", func(t *testing.T) { checkTagged(t, file, b, pages) })
	}
}

// --- poppler: fonts and words ---

// checkFonts fails for every font pdffonts does not list as embedded.
func checkFonts(t *testing.T, file string) {
	out, err := exec.Command("pdffonts", file).CombinedOutput()
	if err != nil {
		t.Fatalf("pdffonts %s: %v\n%s", file, err, out)
	}
	lines := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
	// The header names the columns; the dashes under it give their widths.
	if len(lines) < 2 || !strings.HasPrefix(lines[1], "---") {
		t.Fatalf("pdffonts %s: unexpected output:\n%s", file, out)
	}
	col := columns(lines[1])
	emb := -1
	for i, c := range col {
		if strings.TrimSpace(field(lines[0], c)) == "emb" {
			emb = i
		}
	}
	if emb < 0 {
		t.Fatalf("pdffonts: no emb column:\n%s", out)
	}
	if len(lines) == 2 {
		t.Errorf("pdffonts lists no fonts: is there any text?")
	}
	for _, l := range lines[2:] {
		if v := strings.TrimSpace(field(l, col[emb])); v != "yes" {
			t.Errorf("font not embedded (emb = %s): %s", v, l)
		}
	}
}

// columns returns the byte ranges of the dash runs of a separator line.
func columns(sep string) [][2]int {
	var cs [][2]int
	for i := 0; i < len(sep); {
		if sep[i] != '-' {
			i++
			continue
		}
		j := i
		for j < len(sep) && sep[j] == '-' {
			j++
		}
		cs = append(cs, [2]int{i, j})
		i = j
	}
	return cs
}

func field(line string, c [2]int) string {
	if c[0] >= len(line) {
		return ""
	}
	return line[c[0]:min(c[1], len(line))]
}

// pdfWord is a word pdftotext found, with its box in points from the top
// left of the page.
type pdfWord struct {
	X0, Y0, X1, Y1 float64
	Text           string
}

func (w pdfWord) String() string {
	return fmt.Sprintf("%q at x %.1f–%.1f, y %.1f–%.1f", w.Text, w.X0, w.X1, w.Y0, w.Y1)
}

// pdfPage is a page's size and words, in reading order.
type pdfPage struct {
	W, H  float64
	Words []pdfWord
}

// text returns the page's words joined by spaces.
func (p pdfPage) text() string {
	var ws []string
	for _, w := range p.Words {
		ws = append(ws, w.Text)
	}
	return strings.Join(ws, " ")
}

// pdfWords runs pdftotext -bbox and returns every page's words.
func pdfWords(t *testing.T, file string) []pdfPage {
	t.Helper()
	cmd := exec.Command("pdftotext", "-bbox", "-enc", "UTF-8", file, "-")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pdftotext -bbox %s: %v\n%s", file, err, stderr.Bytes())
	}
	d := xml.NewDecoder(bytes.NewReader(out))
	d.Strict = false
	d.Entity = xml.HTMLEntity
	var pages []pdfPage
	num := func(s string) float64 {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			t.Fatalf("pdftotext -bbox: bad number %q", s)
		}
		return v
	}
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("pdftotext -bbox %s: %v", file, err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		attr := func(name string) string {
			for _, a := range se.Attr {
				if a.Name.Local == name {
					return a.Value
				}
			}
			return ""
		}
		switch se.Name.Local {
		case "page":
			pages = append(pages, pdfPage{W: num(attr("width")), H: num(attr("height"))})
		case "word":
			var s string
			if err := d.DecodeElement(&s, &se); err != nil {
				t.Fatalf("pdftotext -bbox %s: %v", file, err)
			}
			if len(pages) == 0 {
				t.Fatalf("pdftotext -bbox %s: a word outside any page", file)
			}
			p := &pages[len(pages)-1]
			p.Words = append(p.Words, pdfWord{num(attr("xMin")), num(attr("yMin")), num(attr("xMax")), num(attr("yMax")), s})
		}
	}
	if len(pages) == 0 {
		t.Fatalf("pdftotext -bbox %s: no pages", file)
	}
	return pages
}

// tolerance is how far, in points, a word's box may stray out of the text area.
const tolerance = 1.0

// checkTextArea fails for every word outside its page's text area: the
// text block with the running head's band above it and the folio's below.
func checkTextArea(t *testing.T, pages []pdfPage, g pdf.Geometry, size string, twoSide bool) {
	bad, badSize := 0, 0
	for i, p := range pages {
		n := i + 1
		if math.Abs(p.W-g.PageW) > 0.5 || math.Abs(p.H-g.PageH) > 0.5 {
			if badSize++; badSize == 1 {
				t.Errorf("page %d is %.2f × %.2f pt, want %s: %.2f × %.2f", n, p.W, p.H, size, g.PageW, g.PageH)
			}
		}
		x0, y0, x1, y1 := g.TextArea(n)
		for _, w := range p.Words {
			if w.X0 >= x0-tolerance && w.X1 <= x1+tolerance && w.Y0 >= y0-tolerance && w.Y1 <= y1+tolerance {
				continue
			}
			bad++
			if bad <= 20 {
				t.Errorf("page %d: %v is outside the text area x %.1f–%.1f, y %.1f–%.1f", n, w, x0, x1, y0, y1)
			}
		}
	}
	if bad > 20 {
		t.Errorf("… %d words outside the text area in all (%s, twoside %v)", bad, size, twoSide)
	}
	if badSize > 1 {
		t.Errorf("… %d pages of the wrong size in all", badSize)
	}
}

// band tells where a word sits on the page: in the running head's band
// above the text block, the folio's band below it, or the text block.
func band(w pdfWord, g pdf.Geometry) string {
	mid := (w.Y0 + w.Y1) / 2
	switch {
	case mid < g.Top:
		return "head"
	case mid > g.Top+g.TextH:
		return "folio"
	}
	return "text"
}

// checkFolios fails when a printed folio differs from the page's label:
// roman numerals in the front matter, 1, 2, … from the first body page;
// and when a page with a running head has no folio.
func checkFolios(t *testing.T, pages []pdfPage, labels []string, g pdf.Geometry) {
	bad := 0
	for i, p := range pages {
		var folio []string
		head := false
		for _, w := range p.Words {
			switch band(w, g) {
			case "folio":
				folio = append(folio, w.Text)
			case "head":
				head = true
			}
		}
		if len(folio) == 0 {
			if head {
				bad++
				if bad <= 10 {
					t.Errorf("page %d (label %s) has a running head but no folio", i+1, labels[i])
				}
			}
			continue // an opening or a blank page
		}
		if got := strings.Join(folio, " "); got != labels[i] {
			bad++
			if bad <= 10 {
				t.Errorf("page %d: printed folio %q, page label %q", i+1, got, labels[i])
			}
		}
	}
	if bad > 10 {
		t.Errorf("… %d pages with a wrong folio in all", bad)
	}
	// The labels run i, ii, … through the front matter, then 1, 2, ….
	body := len(labels)
	for i, l := range labels {
		if isDecimal(l) {
			body = i
			break
		}
	}
	for i, l := range labels {
		want := romanNumeral(i + 1)
		if i >= body {
			want = strconv.Itoa(i - body + 1)
		}
		if l != want {
			t.Errorf("page %d has label %q, want %q (front matter i, ii, …, body from 1)", i+1, l, want)
			break
		}
	}
	if body == 0 || body == len(labels) {
		t.Errorf("page labels %q…: want roman front matter, then a decimal body", labels[:min(len(labels), 3)])
	}
}

// checkReplacementChar fails for each U+FFFD in the PDF's text, unless the
// book's sources hold one.
func checkReplacementChar(t *testing.T, b *book.Book, pages []pdfPage) {
	for _, ch := range b.Chapters {
		if bytes.ContainsRune(ch.Source, '\uFFFD') {
			t.Skipf("%s holds U+FFFD in its source", ch.Title)
		}
	}
	bad := 0
	for i, p := range pages {
		for _, w := range p.Words {
			if strings.ContainsRune(w.Text, '\uFFFD') {
				bad++
				if bad <= 10 {
					t.Errorf("page %d: U+FFFD in %v", i+1, w)
				}
			}
		}
	}
	if bad > 10 {
		t.Errorf("… %d words with U+FFFD in all", bad)
	}
}

// --- page fullness ---

// fullnessDPI is the resolution the pages are rendered at to find their
// blank stretches: a pixel is 3.6 pt, finer than a line of text.
const fullnessDPI = 20

// continuedFigure reports whether the first line of a page's text block is
// the label of a piece of a diagram cut across pages, after the first.
func continuedFigure(p pdfPage, g pdf.Geometry) bool {
	var first []pdfWord
	for _, w := range p.Words {
		if band(w, g) != "text" {
			continue
		}
		if len(first) == 0 || w.Y0 < first[0].Y0-1 {
			first = []pdfWord{w}
		} else if math.Abs(w.Y0-first[0].Y0) <= 1 {
			first = append(first, w)
		}
	}
	sort.Slice(first, func(a, b int) bool { return first[a].X0 < first[b].X0 })
	return len(first) >= 2 && first[0].Text == "Figure" && first[1].Text == "continued:"
}

// checkFullness fails for each page in the middle of a chapter that is
// more than a quarter empty: a body page that is not an opening, not
// blank and not the last of its chapter (the page before an opening, a
// blank page or the end of the book, or before pages that hold only the
// pieces of a diagram cut across pages), whose text block has a blank
// stretch, top to bottom, taller than a quarter of the block. That is the
// room a figure too tall for the rest of a page leaves when nothing fills
// it. A page followed by one whose content overflows the text block (an
// item no page can hold) is excused.
func checkFullness(t *testing.T, file string, pages []pdfPage, labels []string, g pdf.Geometry, body float64) {
	dir := t.TempDir()
	if out, err := exec.Command("pdftoppm", "-gray", "-r", strconv.Itoa(fullnessDPI), file, filepath.Join(dir, "p")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm %s: %v\n%s", file, err, out)
	}
	names, err := filepath.Glob(filepath.Join(dir, "p-*.pgm"))
	if err != nil || len(names) != len(pages) {
		t.Fatalf("pdftoppm rendered %d pages of %d (%v)", len(names), len(pages), err)
	}
	sort.Strings(names) // pdftoppm pads the numbers to one width
	px := func(pt float64) int { return int(math.Round(pt * fullnessDPI / 72)) }
	kind := make([]string, len(pages)) // front, blank, opening or text
	blank := make([]float64, len(pages))
	overflow := make([]bool, len(pages))
	for i, p := range pages {
		switch {
		case !isDecimal(labels[i]):
			kind[i] = "front"
			continue
		case len(p.Words) == 0:
			kind[i] = "blank"
		default:
			kind[i] = "opening"
			for _, w := range p.Words {
				if band(w, g) == "head" {
					kind[i] = "text"
				}
			}
		}
		img := readPGM(t, names[i])
		x0 := px(g.Left(i + 1))
		x1 := px(g.Left(i+1) + g.TextW)
		inked := func(y int) bool { return img.inked(y, x0, x1) }
		top, bottom := px(g.Top), px(g.Top+g.TextH)
		run, longest := 0, 0
		for y := top; y < bottom; y++ {
			if inked(y) {
				run = 0
				continue
			}
			run++
			longest = max(longest, run)
		}
		blank[i] = float64(longest) / float64(bottom-top)
		// Between the text block and the folio nothing is drawn, unless
		// an item taller than the block overflowed it.
		for y := bottom + 1; y < px(g.FootBase-body); y++ {
			overflow[i] = overflow[i] || inked(y)
		}
	}
	// end reports whether the chapter ends after page i: the next page
	// opens another (or is blank, or there is none), or the pages to the
	// next opening hold only the pieces of a diagram cut across pages,
	// which wait for the end of the chapter's text like other figures.
	var end func(i int) bool
	end = func(i int) bool {
		switch {
		case i+1 == len(pages) || kind[i+1] == "opening" || kind[i+1] == "blank":
			return true
		case kind[i+1] != "text" || !continuedFigure(pages[i+1], g):
			return false
		}
		return end(i + 1)
	}
	mid, bad, excused, worst := 0, 0, 0, 0.0
	for i := range pages {
		last := end(i)
		if kind[i] != "text" || last {
			continue
		}
		mid++
		if overflow[i+1] {
			excused++
			continue
		}
		worst = max(worst, blank[i])
		if blank[i] <= 0.25 {
			continue
		}
		bad++
		if bad <= 15 {
			t.Errorf("page %s (page %d of the file): %.0f%% of the text block is blank in one stretch, in the middle of a chapter", labels[i], i+1, 100*blank[i])
		}
	}
	if bad > 15 {
		t.Errorf("… %d pages more than a quarter empty in all", bad)
	}
	t.Logf("%d of %d pages in the middle of a chapter are more than a quarter empty (the emptiest: %.0f%% blank)", bad, mid, 100*worst)
	if excused > 0 {
		t.Logf("%d pages not checked: the page after each overflows the text block", excused)
	}
}

// pgm is a greyscale image as pdftoppm -gray writes it (binary PGM, 8 bits).
type pgm struct {
	w, h int
	pix  []byte
}

func readPGM(t *testing.T, name string) pgm {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	// The header is four fields a white space apart: P5, width, height
	// and maxval; a single white space character ends it.
	space := func(c byte) bool { return c == ' ' || c == '\n' || c == '\t' || c == '\r' }
	var fields []string
	head := 0
	for len(fields) < 4 && head < len(data) {
		for head < len(data) && space(data[head]) {
			head++
		}
		start := head
		for head < len(data) && !space(data[head]) {
			head++
		}
		fields = append(fields, string(data[start:head]))
	}
	head++
	var w, h int
	if len(fields) == 4 && fields[0] == "P5" && fields[3] == "255" {
		w, _ = strconv.Atoi(fields[1])
		h, _ = strconv.Atoi(fields[2])
	}
	if w <= 0 || h <= 0 || len(data)-head != w*h {
		t.Fatalf("%s: not an 8-bit binary PGM of its size (header %q)", name, fields)
	}
	return pgm{w, h, data[head:]}
}

// inked reports whether row y has a mark between columns x0 and x1: a
// pixel darker than the palest tint the book uses behind code and tables.
func (p pgm) inked(y, x0, x1 int) bool {
	if y < 0 || y >= p.h {
		return false
	}
	for x := max(x0, 0); x < min(x1, p.w); x++ {
		if p.pix[y*p.w+x] < 250 {
			return true
		}
	}
	return false
}

// --- qpdf: outline and page labels ---

// qpdfInfo is what qpdf --json tells of a PDF's outline and page labels.
type qpdfInfo struct {
	Outlines   []qpdfOutline `json:"outlines"`
	PageLabels []struct {
		Index int                        `json:"index"`
		Label map[string]json.RawMessage `json:"label"`
	} `json:"pagelabels"`
}

type qpdfOutline struct {
	Title string        `json:"title"`
	Page  int           `json:"destpageposfrom1"`
	Kids  []qpdfOutline `json:"kids"`
}

// outlineEntry is an outline item, flattened: its title, level (0 at the
// top) and the physical page (1-based) it leads to.
type outlineEntry struct {
	title string
	level int
	page  int
}

func qpdfJSON(t *testing.T, file string) *qpdfInfo {
	t.Helper()
	out, err := exec.Command("qpdf", "--json", "--json-key=outlines", "--json-key=pagelabels", file).Output()
	if err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != 3 { // 3: warnings, which the qpdf check reports
			t.Fatalf("qpdf --json %s: %v", file, err)
		}
	}
	var info qpdfInfo
	if err := json.Unmarshal(out, &info); err != nil {
		t.Fatalf("qpdf --json %s: %v", file, err)
	}
	return &info
}

func (q *qpdfInfo) flatOutline() []outlineEntry {
	var es []outlineEntry
	var walk func([]qpdfOutline, int)
	walk = func(items []qpdfOutline, level int) {
		for _, o := range items {
			es = append(es, outlineEntry{o.Title, level, o.Page})
			walk(o.Kids, level+1)
		}
	}
	walk(q.Outlines, 0)
	return es
}

// labels returns the label of each of n pages (a page without one gets
// its number, as viewers show it).
func (q *qpdfInfo) labels(n int) []string {
	ls := make([]string, n)
	for i := range ls {
		ls[i] = strconv.Itoa(i + 1)
	}
	ranges := q.PageLabels
	sort.SliceStable(ranges, func(i, j int) bool { return ranges[i].Index < ranges[j].Index })
	for k, r := range ranges {
		end := n
		if k+1 < len(ranges) {
			end = min(n, ranges[k+1].Index)
		}
		var style, prefix string
		start := 1
		_ = json.Unmarshal(r.Label["/S"], &style)
		_ = json.Unmarshal(r.Label["/St"], &start)
		_ = json.Unmarshal(r.Label["/P"], &prefix)
		prefix = strings.TrimPrefix(prefix, "u:") // qpdf's JSON marks text strings
		for i := max(r.Index, 0); i < end; i++ {
			v := start + i - r.Index
			var s string
			switch style {
			case "/D":
				s = strconv.Itoa(v)
			case "/r":
				s = romanNumeral(v)
			case "/R":
				s = strings.ToUpper(romanNumeral(v))
			case "/a", "/A":
				s = strings.Repeat(string(rune('a'+(v-1)%26)), (v-1)/26+1)
				if style == "/A" {
					s = strings.ToUpper(s)
				}
			}
			ls[i] = prefix + s
		}
	}
	return ls
}

func romanNumeral(n int) string {
	vals := []int{1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1}
	syms := []string{"m", "cm", "d", "cd", "c", "xc", "l", "xl", "x", "ix", "v", "iv", "i"}
	var b strings.Builder
	for i, v := range vals {
		for n >= v {
			b.WriteString(syms[i])
			n -= v
		}
	}
	return b.String()
}

// --- the contents ---

// tocEntry is an entry of the contents as printed: its number ("3",
// "Part II", or none for a section), its title, and its page number.
type tocEntry struct {
	number, title, folio string
	page                 int // the physical page (1-based) of the contents it is printed on
}

func (e tocEntry) String() string {
	return strings.TrimSpace(e.number+" "+e.title) + " … " + e.folio
}

var (
	leaderRE = regexp.MustCompile(`^\.+$`)
	folioRE  = regexp.MustCompile(`^([0-9]+|[ivxlcdm]+)$`)
	partRE   = regexp.MustCompile(`^[IVXLCDM]+$`)
)

// contentsEntries reads the contents pages: from the front matter page
// that opens with the word "Contents" to the end of the front matter.
// Each entry ends with a page number set flush right; entries may wrap.
func contentsEntries(t *testing.T, pages []pdfPage, labels []string, g pdf.Geometry) []tocEntry {
	t.Helper()
	first := -1
	for i, p := range pages {
		if isDecimal(labels[i]) {
			break
		}
		if len(p.Words) > 0 && p.Words[0].Text == "Contents" {
			first = i
			break
		}
	}
	if first < 0 {
		t.Fatal("no contents page in the front matter (a page opening with \"Contents\")")
	}
	var es []tocEntry
	var pending []pdfWord
	for i := first; i < len(pages) && !isDecimal(labels[i]); i++ {
		_, _, right, _ := g.TextArea(i + 1)
		for li, line := range textLines(pages[i], g) {
			if i == first && li == 0 {
				continue // the title
			}
			var ws []pdfWord
			for _, w := range line {
				if !leaderRE.MatchString(w.Text) {
					ws = append(ws, w)
				}
			}
			if len(ws) == 0 {
				continue
			}
			last := ws[len(ws)-1]
			if !folioRE.MatchString(last.Text) || math.Abs(last.X1-right) > tolerance {
				pending = append(pending, ws...) // a title that wraps
				continue
			}
			e := entryOf(append(pending, ws[:len(ws)-1]...))
			e.folio, e.page = last.Text, i+1
			es = append(es, e)
			pending = nil
		}
	}
	if len(pending) > 0 {
		t.Errorf("contents end with an entry without a page number: %v", pending)
	}
	if len(es) == 0 {
		t.Fatalf("no entries found on the contents pages (page %d on)", first+1)
	}
	return es
}

// entryOf splits an entry's words into its number and title: the number
// ("3", "Part II") is set apart from the title by more than a space.
func entryOf(ws []pdfWord) tocEntry {
	gap := func(i int) bool { return i+1 < len(ws) && ws[i+1].X0-ws[i].X1 > 5 }
	var e tocEntry
	switch {
	case len(ws) > 2 && ws[0].Text == "Part" && partRE.MatchString(ws[1].Text) && gap(1):
		e.number, ws = "Part "+ws[1].Text, ws[2:]
	case len(ws) > 1 && isDecimal(ws[0].Text) && gap(0):
		e.number, ws = ws[0].Text, ws[1:]
	}
	var title []string
	for _, w := range ws {
		title = append(title, w.Text)
	}
	e.title = strings.Join(title, " ")
	return e
}

// textLines returns the lines of words in a page's text block, top to
// bottom, each left to right.
func textLines(p pdfPage, g pdf.Geometry) [][]pdfWord {
	var ws []pdfWord
	for _, w := range p.Words {
		if band(w, g) == "text" {
			ws = append(ws, w)
		}
	}
	sort.SliceStable(ws, func(i, j int) bool { return ws[i].Y1 < ws[j].Y1 })
	var lines [][]pdfWord
	for _, w := range ws {
		if n := len(lines); n > 0 && w.Y1-lines[n-1][0].Y1 < 3 {
			lines[n-1] = append(lines[n-1], w)
			continue
		}
		lines = append(lines, []pdfWord{w})
	}
	for _, l := range lines {
		sort.SliceStable(l, func(i, j int) bool { return l[i].X0 < l[j].X0 })
	}
	return lines
}

func isDecimal(s string) bool {
	_, err := strconv.Atoi(s)
	return err == nil
}

// squash drops white space, for comparing text that may wrap differently.
func squash(s string) string {
	return strings.Join(strings.Fields(s), "")
}

// checkContents fails for each entry whose title is not on the page the
// contents give: a chapter's or part's opening page (its label, then its
// title), or for a section the page that holds its heading.
// In a two-sided book chapters and parts open on recto (odd) pages.
func checkContents(t *testing.T, es []tocEntry, pages []pdfPage, labels []string, twoSide bool) {
	pageOf := map[string]int{}
	for i, l := range labels {
		pageOf[l] = i
	}
	for _, e := range es {
		i, ok := pageOf[e.folio]
		if !ok || !isDecimal(e.folio) {
			t.Errorf("contents (page %d): %v: no body page %s", e.page, e, e.folio)
			continue
		}
		text := squash(pages[i].text())
		title := squash(e.title)
		if twoSide && e.number != "" && (i+1)%2 == 0 {
			t.Errorf("contents (page %d): %v opens on page %d, a verso", e.page, e, i+1)
		}
		switch {
		case strings.HasPrefix(e.number, "Part "):
			want := "PART" + strings.TrimPrefix(e.number, "Part ") + title
			if !strings.HasPrefix(text, want) {
				t.Errorf("contents (page %d): %v, but page %s does not open the part: it starts %q", e.page, e, e.folio, clip(pages[i].text(), 80))
			}
		case e.number != "":
			want := "CHAPTER" + e.number + title
			if !strings.HasPrefix(text, want) {
				t.Errorf("contents (page %d): %v, but page %s does not open the chapter: it starts %q", e.page, e, e.folio, clip(pages[i].text(), 80))
			}
		default:
			if !strings.Contains(text, title) {
				t.Errorf("contents (page %d): %v, but page %s does not hold the heading %q", e.page, e, e.folio, e.title)
			}
		}
	}
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

// checkOutline fails unless the outline has one entry per contents entry,
// in the same order, with the same title and leading to the same page,
// each section below its chapter.
// The outline may also hold the contents themselves, on the contents' page.
func checkOutline(t *testing.T, es []tocEntry, outline []outlineEntry, labels []string) {
	var items []outlineEntry
	for _, o := range outline {
		if o.title == "Contents" && len(es) > 0 && o.page <= es[0].page {
			continue
		}
		items = append(items, o)
	}
	if len(items) != len(es) {
		t.Errorf("the outline has %d entries (besides Contents), the contents %d", len(items), len(es))
	}
	bad, parent := 0, -1
	for i := range min(len(items), len(es)) {
		o, e := items[i], es[i]
		if squash(o.title) != squash(e.title) {
			t.Errorf("entry %d: the contents give %v, the outline %q: the two part here", i+1, e, o.title)
			break
		}
		if e.number != "" {
			parent = o.level
		} else if o.level <= parent {
			t.Errorf("entry %d: the section %q is at level %d of the outline, not under its chapter (level %d)", i+1, o.title, o.level, parent)
		}
		label := "?"
		if o.page >= 1 && o.page <= len(labels) {
			label = labels[o.page-1]
		}
		if label != e.folio {
			bad++
			if bad <= 10 {
				t.Errorf("entry %d: the contents give %v, the outline leads to page %s (physical page %d)", i+1, e, label, o.page)
			}
		}
	}
	if bad > 10 {
		t.Errorf("… %d entries lead elsewhere in all", bad)
	}
}

// --- failed builds ---

// TestPDFFailedBuild checks that a PDF build that fails leaves no file
// behind: no PDF, no temporary file.
func TestPDFFailedBuild(t *testing.T) {
	png := pngBytes(t)
	for _, c := range []struct {
		name  string
		files map[string]string
	}{
		{"missing-image", map[string]string{"one.md": "---\ntitle: One\n---\n![a picture](gone.png)\n"}},
		// The header reads, the pixels do not: found by the PDF writer.
		{"truncated-image", map[string]string{"one.md": "---\ntitle: One\n---\n![a picture](bad.png)\n", "bad.png": string(png[:len(png)-16])}},
		{"broken-link", map[string]string{"one.md": "---\ntitle: One\n---\nSee [nothing](/en/nowhere).\n"}},
	} {
		for _, args := range [][]string{{"pdf", "--strict", "-o", "out.pdf"}, {"build", "--strict", "-o", "dist"}} {
			t.Run(c.name+"/"+args[0], func(t *testing.T) {
				files := map[string]string{"content/_index.md": "---\ntitle: Failing\n---\n- [One](one.md)\n"}
				for name, data := range c.files {
					files["content/"+name] = data
				}
				dir := writeBook(t, files)
				args := append([]string(nil), args...)
				args[len(args)-1] = filepath.Join(dir, args[len(args)-1])
				code, _, errOut := runCLI(append(args, filepath.Join(dir, "content"))...)
				if code != exitBook {
					t.Errorf("bindery %v: exit %d, want %d\n%s", args, code, exitBook, errOut)
				}
				t.Logf("bindery %s: %s", args[0], strings.TrimSpace(errOut))
				_ = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
					if err != nil {
						return err
					}
					rel, _ := filepath.Rel(dir, path)
					if rel == "content" {
						return filepath.SkipDir
					}
					if !d.IsDir() {
						t.Errorf("bindery %s exited %d but left %s behind", strings.Join(args, " "), code, rel)
					}
					return nil
				})
			})
		}
	}
}

// --- helpers ---

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

func dedup(ss []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, s := range ss {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}
