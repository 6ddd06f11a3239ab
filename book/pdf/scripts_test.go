package pdf

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"unicode"
	"unicode/utf8"

	"github.com/bindery-books/bindery/book"
	"github.com/bindery-books/bindery/book/font"
	"golang.org/x/tools/txtar"
)

// requireTools reports whether a missing font or tool fails a test
// rather than skipping it, as in CI.
func requireTools() bool {
	v := os.Getenv("BINDERY_REQUIRE_TOOLS")
	return v != "" && v != "0"
}

// notoFonts are the Debian font files scripts.txtar names, by their name
// under fonts/.
var notoFonts = map[string]string{
	"NotoNaskhArabic-Regular.ttf":     "/usr/share/fonts/truetype/noto/NotoNaskhArabic-Regular.ttf",
	"NotoNaskhArabic-Bold.ttf":        "/usr/share/fonts/truetype/noto/NotoNaskhArabic-Bold.ttf",
	"NotoSerifHebrew-Regular.ttf":     "/usr/share/fonts/truetype/noto/NotoSerifHebrew-Regular.ttf",
	"NotoSerifHebrew-Bold.ttf":        "/usr/share/fonts/truetype/noto/NotoSerifHebrew-Bold.ttf",
	"NotoSerifDevanagari-Regular.ttf": "/usr/share/fonts/truetype/noto/NotoSerifDevanagari-Regular.ttf",
	"NotoSerifDevanagari-Bold.ttf":    "/usr/share/fonts/truetype/noto/NotoSerifDevanagari-Bold.ttf",
	"NotoSerifCJK-Regular.ttc":        "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
	"NotoSerifCJK-Bold.ttc":           "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc",
	"NotoMusic-Regular.ttf":           "/usr/share/fonts/truetype/noto/NotoMusic-Regular.ttf",
}

// scriptsBook loads testdata/scripts.txtar with the Noto fonts under
// fonts/, skipping the test when they are not installed (failing it when
// BINDERY_REQUIRE_TOOLS is set).
func scriptsBook(t testing.TB) (*book.Book, *txtar.Archive) {
	t.Helper()
	ar, err := txtar.ParseFile("testdata/scripts.txtar")
	if err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{}
	for _, f := range ar.Files {
		fsys[f.Name] = &fstest.MapFile{Data: f.Data}
	}
	for name, path := range notoFonts {
		data, err := os.ReadFile(path)
		if err != nil {
			msg := "no " + path + " (apt-get install fonts-noto-core fonts-noto-cjk)"
			if requireTools() {
				t.Fatal(msg + ", and BINDERY_REQUIRE_TOOLS is set")
			}
			t.Skip(msg)
		}
		fsys["fonts/"+name] = &fstest.MapFile{Data: data}
	}
	b, err := book.LoadFS(fsys, "content", ".", book.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return b, ar
}

// scriptsPara returns the paragraph of scripts.md that follows the heading.
func scriptsPara(t testing.TB, ar *txtar.Archive, heading string, n int) string {
	t.Helper()
	for _, f := range ar.Files {
		if f.Name != "scripts.md" {
			continue
		}
		_, rest, ok := strings.Cut(string(f.Data), "## "+heading+"\n\n")
		if !ok {
			break
		}
		paras := strings.Split(rest, "\n\n")
		return strings.TrimSpace(paras[n])
	}
	t.Fatalf("no paragraph under %q", heading)
	return ""
}

// TestScripts sets Arabic, Hebrew, Devanagari, Chinese and Japanese with
// the Noto fonts and checks the glyph runs, the lines and the text a
// reader copies out of the PDF.
func TestScripts(t *testing.T) {
	b, ar := scriptsBook(t)
	items := chapterFlow(t, b).Items
	if w := b.Diagnostics.Sorted(); len(w) > 0 {
		t.Errorf("problems: %v", w)
	}

	// The text ops by their text, and the lines as they are drawn, left
	// to right.
	ops := map[string]*textOp{}
	var lines [][]*textOp
	for _, it := range items {
		var line []*textOp
		for _, op := range it.Ops {
			if o, ok := op.(*textOp); ok {
				ops[o.S] = o
				line = append(line, o)
			}
		}
		slices.SortStableFunc(line, func(a, b *textOp) int {
			switch {
			case a.X < b.X:
				return -1
			case a.X > b.X:
				return 1
			}
			return 0
		})
		if it.Kind == "line" && len(line) > 0 {
			lines = append(lines, line)
		}
	}
	op := func(t *testing.T, text string) *textOp {
		t.Helper()
		o, ok := ops[text]
		if !ok {
			t.Fatalf("%q is not set as one run", text)
		}
		return o
	}

	t.Run("arabic joins", func(t *testing.T) {
		o := op(t, "مرحبا")
		f := o.Face.Font()
		if f.Name() != "NotoNaskhArabic-Regular" || o.Face.Dir != font.RTL {
			t.Fatalf("مرحبا set in %s, direction %d", f.Name(), o.Face.Dir)
		}
		gs := font.Shape(o.Face, o.Size, o.S, font.FeaturesOf(o.Face))
		if len(gs) != 5 {
			t.Fatalf("مرحبا: %d glyphs", len(gs))
		}
		// Every letter takes its joining form: initial meem, final reh,
		// initial hah, medial beh, final alef; none is the isolated one.
		for _, g := range gs {
			r, _ := utf8.DecodeRuneInString(o.S[g.Start:])
			if iso, _ := f.GlyphID(r); g.ID == iso {
				t.Errorf("%c is set in its isolated form (glyph %d)", r, g.ID)
			}
		}
		// Right to left: the first letter is drawn last, at the right.
		if gs[0].Start != 8 || gs[4].Start != 0 {
			t.Errorf("glyphs not right to left: %+v", gs)
		}
		// Arabic punctuation goes with its word, in its font.
		for _, s := range []string{"مرحبا،", "حالك؟"} {
			if c := op(t, s); c.Face.Font() != f {
				t.Errorf("%s set in %s", s, c.Face.Font().Name())
			}
		}
		// Vowel marks sit on their letters.
		v := op(t, "كِتَابٌ")
		marks := 0
		for _, g := range font.Shape(v.Face, v.Size, v.S, font.FeaturesOf(v.Face)) {
			if g.Advance == 0 && (g.XOffset != 0 || g.YOffset != 0) {
				marks++
			}
		}
		if marks != 3 {
			t.Errorf("كِتَابٌ: %d marks placed on letters, want 3", marks)
		}
	})

	t.Run("hebrew", func(t *testing.T) {
		o := op(t, "שלום")
		if o.Face.Font().Name() != "NotoSerifHebrew-Regular" || o.Face.Dir != font.RTL {
			t.Errorf("שלום set in %s, direction %d", o.Face.Font().Name(), o.Face.Dir)
		}
	})

	t.Run("devanagari conjuncts", func(t *testing.T) {
		o := op(t, "क्षत्रिय")
		f := o.Face.Font()
		if f.Name() != "NotoSerifDevanagari-Regular" {
			t.Fatalf("set in %s", f.Name())
		}
		gs := font.Shape(o.Face, o.Size, o.S, font.FeaturesOf(o.Face))
		// क्ष and त्र are conjuncts: one glyph each, in no character map.
		nominal := map[uint16]bool{}
		for _, r := range "क्षत्रिय" {
			id, _ := f.GlyphID(r)
			nominal[id] = true
		}
		conjuncts := 0
		for _, g := range gs {
			if !nominal[g.ID] {
				conjuncts++
			}
		}
		if len(gs) >= utf8.RuneCountInString("क्षत्रिय")-2 || conjuncts < 2 {
			t.Errorf("क्षत्रिय: %d glyphs, %d not a character's own: %+v", len(gs), conjuncts, gs)
		}
		// The vowel sign ि is drawn before the conjunct त्र it follows: the
		// cluster त्रि has two glyphs, and its first is not त्र.
		if len(gs) != 4 || gs[1].Start != len("क्ष") || gs[2].Start != gs[1].Start || gs[1].Advance >= gs[2].Advance {
			t.Errorf("the vowel sign ि is not drawn before त्र: %+v", gs)
		}
	})

	t.Run("kinsoku", func(t *testing.T) {
		cjkLines := 0
		for _, line := range lines {
			first, _ := utf8.DecodeRuneInString(line[0].S)
			lastOp := line[len(line)-1].S
			last, _ := utf8.DecodeLastRuneInString(lastOp)
			if !breaksAround(first) && !breaksAround(last) {
				continue
			}
			cjkLines++
			if noBreakBefore(first) {
				t.Errorf("a line starts with %q: %s", first, lineText(line))
			}
			if noBreakAfter(last) {
				t.Errorf("a line ends with %q: %s", last, lineText(line))
			}
		}
		if cjkLines < 5 {
			t.Errorf("%d lines of Chinese and Japanese, want the paragraphs broken into several", cjkLines)
		}
	})

	t.Run("above the BMP", func(t *testing.T) {
		if o := op(t, "𝄞"); o.Face.Font().Name() != "NotoMusic-Regular" {
			t.Errorf("𝄞 set in %s", o.Face.Font().Name())
		}
		if o := op(t, "😀"); !o.Face.Has('😀') {
			t.Errorf("😀 set in %s, which lacks it", o.Face.Font().Name())
		}
	})

	t.Run("running head", func(t *testing.T) {
		// Heads are drawn outside the flow: in the book's fonts all the
		// same, not in boxes for the ideographs DejaVu lacks.
		w, err := newWriter(b, Config{})
		if err != nil {
			t.Fatal(err)
		}
		var set strings.Builder
		for _, op := range w.textOps(serifItal, 9, grey, b.Chapters[0].Title) {
			if o, ok := op.(*textOp); ok {
				set.WriteString(o.S)
				for _, r := range o.S {
					if r != ' ' && !o.Face.Has(r) {
						t.Errorf("%c of the head set in %s, which lacks it", r, o.Face.Font().Name())
					}
				}
			}
		}
		if got := strings.ReplaceAll(set.String(), " ", ""); got != "Scripts文字" {
			t.Errorf("head set as %q", got)
		}
	})

	// The PDF: valid, every font embedded, and its text copies out in
	// logical order.
	var out bytes.Buffer
	if _, err := Write(&out, b, Config{}); err != nil {
		t.Fatal(err)
	}
	run := func(name string, args ...string) string {
		t.Helper()
		if _, err := exec.LookPath(name); err != nil {
			if requireTools() {
				t.Fatalf("%s not installed, and BINDERY_REQUIRE_TOOLS is set", name)
			}
			t.Skipf("%s not installed", name)
		}
		path := filepath.Join(t.TempDir(), "scripts.pdf")
		if err := os.WriteFile(path, out.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		for i, a := range args {
			if a == "FILE" {
				args[i] = path
			}
		}
		res, err := exec.Command(name, args...).CombinedOutput()
		if err != nil {
			t.Fatalf("%s: %v\n%s", name, err, res)
		}
		return string(res)
	}
	run("qpdf", "--check", "FILE")
	fonts := run("pdffonts", "FILE")
	for _, name := range []string{"NotoNaskhArabic-Regular", "NotoSerifHebrew-Regular", "NotoSerifDevanagari-Regular", "NotoSerifCJKjp-Regular", "NotoMusic-Regular"} {
		if !regexp.MustCompile(`\+` + name + `\s+CID (TrueType|Type 0C)\s+Identity-H\s+yes yes yes`).MatchString(fonts) {
			t.Errorf("%s is not embedded as a subset with a ToUnicode map:\n%s", name, fonts)
		}
	}
	render := run("pdftoppm", "-r", "40", "-png", "FILE", filepath.Join(t.TempDir(), "page"))
	if strings.Contains(render, "rror") || strings.Contains(render, "broken") {
		t.Errorf("rendering complains:\n%s", render)
	}
	text := run("pdftotext", "FILE", "-")
	// poppler marks the right-to-left stretches it puts back in logical
	// order with embedding controls.
	text = strings.Map(func(r rune) rune {
		if r >= 0x202a && r <= 0x202e {
			return -1
		}
		return r
	}, text)
	flat := strings.Join(strings.Fields(text), " ")
	nospace := strings.Join(strings.Fields(text), "")

	t.Run("copied text", func(t *testing.T) {
		// Devanagari word for word, its vowel signs after their
		// consonants.
		if p := scriptsPara(t, ar, "Devanagari", 0); !strings.Contains(flat, p) {
			t.Errorf("Devanagari does not copy out as written:\nwant %s\nin   %s", p, flat)
		}
		// Chinese and Japanese character for character across lines.
		for _, h := range []string{"Chinese", "Japanese"} {
			if p := scriptsPara(t, ar, h, 0); !strings.Contains(nospace, p) {
				t.Errorf("%s does not copy out as written:\nwant %s\nin   %s", h, p, nospace)
			}
		}
		// Right-to-left words with their letters in logical order (drawn
		// wrongly they would come out reversed), and lines that mix them
		// with Latin with their words in logical order. Readers place the
		// spaces and brackets between runs of the two directions by their
		// own rules (poppler moves them into the right-to-left run), so
		// words are compared, not the characters between them.
		got := words(text)
		for _, h := range []string{"Arabic", "Hebrew"} {
			paras := []string{scriptsPara(t, ar, h, 0), scriptsPara(t, ar, h, 1)}
			if h == "Arabic" {
				// Readers put back a line in runs cut at punctuation.
				paras = append(paras, "مرحبا", "كيف حالك")
			}
			for _, p := range paras {
				if want := words(p); !containsRun(got, want) {
					t.Errorf("%s does not copy out in logical order:\nwant %q\nin   %q", h, want, got)
				}
			}
		}
		for _, s := range []string{"𝄞", "😀"} {
			if !strings.Contains(text, s) {
				t.Errorf("%s does not copy out", s)
			}
		}
		if strings.ContainsFunc(text, func(r rune) bool { return unicode.In(r, unicode.Arabic) && r >= 0xfb50 }) {
			t.Error("the text copies out as Arabic presentation forms, not letters")
		}
	})

	t.Run("tagged", func(t *testing.T) {
		// Everything drawn is marked content, the runs that carry an
		// ActualText (Devanagari, Arabic vowel marks) included; the
		// tree reads the words with their spaces, in the runs' order;
		// the running heads, in the book's fonts, are artifacts.
		pdf := out.Bytes()
		checkMarked(t, pdf)
		q := readQPDF(t, pdf)
		top := q.tree(t)
		structText(t, pdf, top)
		checkParentTree(t, q, top)
		var tree strings.Builder
		for _, e := range top {
			tree.WriteString(e.Text)
		}
		for _, want := range []string{"In Hebrew, ", " is said on meeting.", "The word ", " means peace, and the phrase ", "With its vowels written out, a book is "} {
			if !strings.Contains(tree.String(), want) {
				t.Errorf("the tree does not read %q:\n%s", want, tree.String())
			}
		}
		// Words of several lines: the spaces between right-to-left
		// words and at the ends of lines are read too.
		if n := len(strings.Fields(tree.String())); n < 300 {
			t.Errorf("the tree reads %d words, want the book's 300 and more", n)
		}
		heads := 0
		for _, c := range contentStreams(t, pdf) {
			heads += strings.Count(string(c), "/Artifact <</Type /Pagination /Subtype /Header>> BDC")
		}
		if heads == 0 {
			t.Error("no running head is marked as an artifact")
		}
		// The heads read "Scripts 文字" on the pages after the chapter's
		// first; the tree has the title in the contents and the H1 only.
		if n := strings.Count(strings.ReplaceAll(tree.String(), " ", ""), "Scripts文字"); n != 2 {
			t.Errorf("the tree reads the chapter's title %d times, want 2 (the contents, the heading)", n)
		}
	})
}

// words returns the words of s: runs of letters, marks and digits of one
// direction.
func words(s string) []string {
	var ws []string
	var cur []rune
	rtl := false
	flush := func() {
		if len(cur) > 0 {
			ws = append(ws, string(cur))
			cur = cur[:0]
		}
	}
	for _, r := range s {
		if !unicode.In(r, unicode.L, unicode.M, unicode.N) {
			flush()
			continue
		}
		if isRTL := unicode.In(r, unicode.Arabic, unicode.Hebrew); isRTL != rtl && !unicode.In(r, unicode.M) {
			flush()
			rtl = isRTL
		}
		cur = append(cur, r)
	}
	flush()
	return ws
}

// containsRun reports whether want appears in got as a run of adjacent
// words.
func containsRun(got, want []string) bool {
	for i := 0; i+len(want) <= len(got); i++ {
		if slices.Equal(got[i:i+len(want)], want) {
			return true
		}
	}
	return false
}

// lineText returns the text of a line's ops, left to right.
func lineText(line []*textOp) string {
	var s []string
	for _, o := range line {
		s = append(s, o.S)
	}
	return strings.Join(s, " ")
}

// BenchmarkScripts measures the PDF of the scripts book: loading is not
// counted, shaping and embedding the Noto fonts is.
func BenchmarkScripts(b *testing.B) {
	bk, _ := scriptsBook(b)
	for b.Loop() {
		var out bytes.Buffer
		if _, err := Write(&out, bk, Config{}); err != nil {
			b.Fatal(err)
		}
	}
}
