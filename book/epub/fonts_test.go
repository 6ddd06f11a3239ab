package epub

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/bindery-books/bindery/book"
	"github.com/bindery-books/bindery/book/font"
)

// collection packs fonts into a TrueType collection.
func collection(fonts ...[]byte) []byte {
	out := make([]byte, 12+4*len(fonts))
	copy(out, "ttcf")
	binary.BigEndian.PutUint32(out[4:], 0x00010000)
	binary.BigEndian.PutUint32(out[8:], uint32(len(fonts)))
	for i, f := range fonts {
		for len(out)%4 != 0 {
			out = append(out, 0)
		}
		base := len(out)
		binary.BigEndian.PutUint32(out[12+4*i:], uint32(base))
		f = append([]byte(nil), f...)
		for t := range int(binary.BigEndian.Uint16(f[4:])) {
			at := 12 + 16*t + 8
			binary.BigEndian.PutUint32(f[at:], binary.BigEndian.Uint32(f[at:])+uint32(base))
		}
		out = append(out, f...)
	}
	return out
}

// unzip returns the files of an EPUB by name.
func unzip(t *testing.T, data []byte) map[string][]byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	for _, f := range zr.File {
		rc, _ := f.Open()
		files[f.Name], _ = io.ReadAll(rc)
		rc.Close()
	}
	return files
}

// TestFonts checks that the fonts book.yaml names travel in the EPUB:
// declared in the manifest, each face a font file of its own, used by the
// stylesheet; a fallback font only when the book has a character it sets.
func TestFonts(t *testing.T) {
	ttf := func(fam font.Family, st font.Style) []byte { return font.Face{Family: fam, Style: st}.TTF() }
	cff, err := os.ReadFile("../font/testdata/CFFTest.otf")
	if err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{
		"_index.md": {Data: []byte("---\ntitle: Fonts\n---\n- [One](one.md)\n")},
		"one.md":    {Data: []byte("---\ntitle: One\n---\nText with *style*, **weight** and `code`; مرحبا in Arabic.\n")},
		"book.yaml": {Data: []byte(`fonts:
  serif: fonts/Body-Regular.ttf
  mono: "fonts/Pair.ttc#1"
  fallback: [fonts/Arabic.ttf, fonts/Unused.otf]
`)},
		"fonts/Body-Regular.ttf": {Data: ttf(font.Serif, font.Regular)},
		"fonts/Body-Bold.ttf":    {Data: ttf(font.Serif, font.Bold)},
		"fonts/Pair.ttc":         {Data: collection(ttf(font.Serif, font.Italic), ttf(font.Mono, font.Regular))},
		"fonts/Arabic.ttf":       {Data: ttf(font.Sans, font.Regular)},
		"fonts/Unused.otf":       {Data: cff},
	}
	b, err := book.LoadFS(fsys, "content", ".", book.Options{})
	if err != nil {
		t.Fatal(err)
	}
	data := build(t, b)
	files := unzip(t, data)
	for name, want := range map[string]string{
		"OEBPS/fonts/Body-Regular.ttf": "DejaVuSerif",
		"OEBPS/fonts/Body-Bold.ttf":    "DejaVuSerif-Bold",
		"OEBPS/fonts/Pair-1.ttf":       "DejaVuSansMono",
		"OEBPS/fonts/Arabic.ttf":       "DejaVuSans",
	} {
		f, err := font.LoadFont(files[name], 0)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if f.Name() != want {
			t.Errorf("%s holds %s, want %s", name, f.Name(), want)
		}
	}
	if _, ok := files["OEBPS/fonts/Unused.otf"]; ok {
		t.Error("a fallback font that sets nothing of the book is in the package")
	}
	opf := string(files["OEBPS/content.opf"])
	for _, want := range []string{`href="fonts/Body-Regular.ttf" media-type="font/ttf"`, `href="fonts/Pair-1.ttf" media-type="font/ttf"`} {
		if !strings.Contains(opf, want) {
			t.Errorf("the manifest lacks %s", want)
		}
	}
	css := string(files["OEBPS/style.css"])
	for _, want := range []string{
		`@font-face { font-family: "Bindery Serif"; src: url("fonts/Body-Regular.ttf"); font-weight: normal; font-style: normal; }`,
		`@font-face { font-family: "Bindery Serif"; src: url("fonts/Body-Bold.ttf"); font-weight: bold; font-style: normal; }`,
		`@font-face { font-family: "Bindery Sans Mono"; src: url("fonts/Pair-1.ttf");`,
		`body { font-family: "Bindery Serif", "DejaVu Serif", Georgia, "Times New Roman", "Bindery Fallback 1", serif; }`,
		`code, kbd, samp, pre { font-family: "Bindery Sans Mono", "DejaVu Sans Mono", Menlo, Consolas, "Bindery Fallback 1", monospace; }`,
		`h1, h2, h3, h4, h5, h6 { font-family: "DejaVu Sans", "Helvetica Neue", Arial, "Bindery Fallback 1", sans-serif; }`,
	} {
		if !strings.Contains(css, want) {
			t.Errorf("the stylesheet lacks\n%s\nin\n%s", want, css[strings.Index(css, "/* The book's fonts"):])
		}
	}
	// Every font file of the package is in the manifest.
	for name := range files {
		if rest, ok := strings.CutPrefix(name, "OEBPS/"); ok && strings.HasPrefix(rest, "fonts/") && !strings.Contains(opf, `href="`+rest+`"`) {
			t.Errorf("%s is not in the manifest", rest)
		}
	}
	epubcheck(t, data)
}

// TestNoFonts checks that a book in DejaVu gets no font files and no
// rules of its own.
func TestNoFonts(t *testing.T) {
	files := unzip(t, build(t, sampleBook(t)))
	for name := range files {
		if strings.Contains(name, "fonts/") {
			t.Errorf("%s in a book that names no fonts", name)
		}
	}
	if css := string(files["OEBPS/style.css"]); strings.Contains(css, "@font-face") || strings.Contains(css, `"Bindery `) {
		t.Error("font rules in a book that names no fonts")
	}
}

// epubcheck validates an EPUB with EPUBCheck when it is installed; it is
// required when BINDERY_REQUIRE_EPUBCHECK is set.
func epubcheck(t *testing.T, data []byte) {
	t.Helper()
	jar := "/usr/share/java/epubcheck.jar"
	_, javaErr := exec.LookPath("java")
	if _, err := os.Stat(jar); err != nil || javaErr != nil {
		if os.Getenv("BINDERY_REQUIRE_EPUBCHECK") != "" {
			t.Fatal("EPUBCheck is required (BINDERY_REQUIRE_EPUBCHECK is set) but " + jar + " or java is missing")
		}
		t.Log("EPUBCheck not installed: not run")
		return
	}
	path := filepath.Join(t.TempDir(), "fonts.epub")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("java", "-jar", jar, path).CombinedOutput()
	if err != nil || !regexp.MustCompile(`No errors or warnings detected`).Match(out) {
		t.Errorf("EPUBCheck: %v\n%s", err, out)
	}
}

// TestCJKFontSubset checks that a CJK font, tens of megabytes, goes into
// the EPUB cut down to the characters of the book.
func TestCJKFontSubset(t *testing.T) {
	const path = "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"
	ttc, err := os.ReadFile(path)
	if err != nil {
		if v := os.Getenv("BINDERY_REQUIRE_TOOLS"); v != "" && v != "0" {
			t.Fatalf("no %s, and BINDERY_REQUIRE_TOOLS is set", path)
		}
		t.Skipf("no %s (apt-get install fonts-noto-cjk)", path)
	}
	const text = "日本語の文章は、漢字とひらがな、カタカナを組み合わせて書きます。"
	fsys := fstest.MapFS{
		"_index.md":                      {Data: []byte("---\ntitle: CJK\n---\n- [One](one.md)\n")},
		"one.md":                         {Data: []byte("---\ntitle: One\n---\n" + text + "\n")},
		"book.yaml":                      {Data: []byte("fonts:\n  fallback: [\"fonts/NotoSerifCJK-Regular.ttc#jp\"]\n")},
		"fonts/NotoSerifCJK-Regular.ttc": {Data: ttc},
	}
	b, err := book.LoadFS(fsys, "content", ".", book.Options{})
	if err != nil {
		t.Fatal(err)
	}
	data := build(t, b)
	files := unzip(t, data)
	sub := files["OEBPS/fonts/NotoSerifCJK-Regular.otf"]
	if len(sub) == 0 || len(sub) > 64<<10 {
		t.Fatalf("the CJK font in the package is %d bytes", len(sub))
	}
	f, err := font.LoadFont(sub, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range text {
		if !f.Has(r) {
			t.Errorf("the subset lacks %c", r)
		}
	}
	if !strings.Contains(string(files["OEBPS/content.opf"]), `href="fonts/NotoSerifCJK-Regular.otf" media-type="font/otf"`) {
		t.Error("the subset is not in the manifest as font/otf")
	}
	epubcheck(t, data)
}
