package pdf

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/bindery-books/bindery/book"
	"github.com/bindery-books/bindery/book/font"
	"github.com/bindery-books/bindery/book/internal/golden"
)

// fontsBook loads a book whose book.yaml names fonts made of the built-in
// DejaVu files: the serif family is DejaVu Serif under another name, code
// is set in DejaVu Sans, and DejaVu Sans is the fallback too.
func fontsBook(t *testing.T, chapter string) *book.Book {
	t.Helper()
	ttf := func(fam font.Family, st font.Style) []byte { return font.Face{Family: fam, Style: st}.TTF() }
	fsys := fstest.MapFS{
		"_index.md":                 {Data: []byte("---\ntitle: Fonts\n---\n- [One](one.md)\n")},
		"one.md":                    {Data: []byte(chapter)},
		"book.yaml":                 {Data: []byte("fonts:\n  serif: fonts/Body-Regular.ttf\n  mono: fonts/Code.ttf\n  fallback: [fonts/Wide.ttf]\n")},
		"fonts/Body-Regular.ttf":    {Data: ttf(font.Serif, font.Regular)},
		"fonts/Body-Bold.ttf":       {Data: ttf(font.Serif, font.Bold)},
		"fonts/Body-Italic.ttf":     {Data: ttf(font.Serif, font.Italic)},
		"fonts/Body-BoldItalic.ttf": {Data: ttf(font.Serif, font.BoldItalic)},
		"fonts/Code.ttf":            {Data: ttf(font.Sans, font.Regular)},
		"fonts/Wide.ttf":            {Data: ttf(font.Sans, font.Regular)},
	}
	b, err := book.LoadFS(fsys, "content", ".", book.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestBookFonts checks that text is set in the faces book.yaml names, code
// in its mono family without ligatures, and characters the body face
// lacks in the fallback families: those of other scripts before the
// built-in DejaVu, symbols after it.
func TestBookFonts(t *testing.T) {
	b := fontsBook(t, "---\ntitle: One\n---\nThe *office* affair: مرحبا ☃.\n\n```\nfi -> office\n```\n")
	fs := b.Fonts
	if fs.Serif == nil || fs.Mono == nil || len(fs.Fallback) != 1 {
		t.Fatalf("fonts %+v", fs)
	}
	serifBody, code, wide := fs.Serif.Family, fs.Mono.Family, fs.Fallback[0].Family
	dvSerif, dvSans := font.Face{Family: font.Serif}, font.Face{Family: font.Sans}
	if dvSerif.Has('☃') || dvSerif.Has('م') || !dvSans.Has('☃') {
		t.Skip("DejaVu's coverage changed: the test's characters no longer fall back")
	}
	items := chapterFlow(t, b).Items
	faces := map[string]font.Face{}
	for _, it := range items {
		for _, op := range it.Ops {
			if o, ok := op.(*textOp); ok {
				faces[o.S] = o.Face
			}
		}
	}
	check := func(text string, fam font.Family, st font.Style) {
		t.Helper()
		f, ok := faces[text]
		if !ok {
			t.Errorf("%q is not set; set: %v", text, keysOfFaces(faces))
			return
		}
		if f.Family != fam || f.Style != st {
			t.Errorf("%q set in %s (family %d style %d), want family %d style %d", text, f.Name(), f.Family, f.Style, fam, st)
		}
	}
	check("The", serifBody, font.Regular)
	check("office", serifBody, font.Italic)
	check("مرحبا", wide, font.Regular)  // a script: the fallback font before DejaVu Sans
	check("☃", font.Sans, font.Regular) // a symbol: DejaVu Sans before the fallback font
	check("fi -> office", code, font.Regular)
	if feat := font.FeaturesOf(font.Face{Family: code}); feat&font.Liga != 0 {
		t.Errorf("code is set with ligatures (features %b)", feat)
	}
}

func keysOfFaces(m map[string]font.Face) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	return ks
}

// TestMissingCharacterLine checks that a character no font has is
// reported at the line of the source it is on, once.
func TestMissingCharacterLine(t *testing.T) {
	b := golden.MustLoad(t, map[string]string{"input.md": `---
title: Input
---
A paragraph
on three lines
with a clef 𝄞 here, and again 𝄞.

- an item
- an item with 𝄢 and 𝄞

` + "```go\nfunc main() {\n\tx := \"𝄡𝄞\"\n}\n```\n"})
	chapterFlow(t, b)
	got := golden.Warnings(b)
	for _, want := range []string{
		"content/input.md:6: warning: character U+1D11E",
		"content/input.md:9: warning: character U+1D122",
		"content/input.md:13: warning: character U+1D121",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("no %q in\n%s", want, got)
		}
	}
	if n := strings.Count(got, "U+1D11E"); n != 1 {
		t.Errorf("U+1D11E reported %d times:\n%s", n, got)
	}
}
