package font

import (
	"os"
	"slices"
	"testing"

	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// notoCJK loads a face of Debian's Noto Serif CJK collection, a
// CID-keyed CFF font, skipping the test when it is not installed (failing
// it when BINDERY_REQUIRE_TOOLS is set).
func notoCJK(t *testing.T) *Font {
	t.Helper()
	const path = "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"
	data, err := os.ReadFile(path)
	if err != nil {
		if v := os.Getenv("BINDERY_REQUIRE_TOOLS"); v != "" && v != "0" {
			t.Fatalf("no %s, and BINDERY_REQUIRE_TOOLS is set", path)
		}
		t.Skipf("no %s (apt-get install fonts-noto-cjk)", path)
	}
	f, err := LoadFont(data, 0)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// TestCharSubset cuts a CJK font down to a few characters and checks that
// the subset maps them to glyphs of the same widths and outlines.
func TestCharSubset(t *testing.T) {
	f := notoCJK(t)
	if !f.CIDKeyed() {
		t.Fatal("Noto Serif CJK is not CID-keyed")
	}
	rs := []rune("日本語の文章は、漢字とひらがな。中文是世界上「括弧」ABC𠀋")
	data, err := f.CharSubset(rs)
	if err != nil {
		t.Fatal(err)
	}
	if len(data) > 64<<10 {
		t.Errorf("a subset of %d characters is %d bytes", len(rs), len(data))
	}
	sub, err := LoadFont(data, 0)
	if err != nil {
		t.Fatalf("the subset does not load: %v", err)
	}
	orig, err := parseSFNT(f.data, f.index)
	if err != nil {
		t.Fatal(err)
	}
	subSF, err := parseSFNT(data, 0)
	if err != nil {
		t.Fatalf("x/image does not read the subset: %v", err)
	}
	var b1, b2 sfnt.Buffer
	ppem := fixed.I(f.UnitsPerEm())
	for _, r := range rs {
		g, ok := f.GlyphID(r)
		if !ok {
			continue
		}
		h, ok := sub.GlyphID(r)
		if !ok {
			t.Errorf("%c is not in the subset", r)
			continue
		}
		if f.Advance(g) != sub.Advance(h) {
			t.Errorf("%c: width %d, in the subset %d", r, f.Advance(g), sub.Advance(h))
		}
		a, err1 := orig.LoadGlyph(&b1, sfnt.GlyphIndex(g), ppem, nil)
		a = slices.Clone(a)
		b, err2 := subSF.LoadGlyph(&b2, sfnt.GlyphIndex(h), ppem, nil)
		if err1 != nil || err2 != nil || !slices.Equal(a, b) {
			t.Errorf("%c: the outline changed (%v, %v)", r, err1, err2)
		}
	}
	if _, ok := sub.GlyphID('한'); ok {
		t.Error("the subset has a character it was not asked for")
	}
	dejavu := Face{Family: Sans}.Font()
	if _, err := dejavu.CharSubset(rs); err == nil {
		t.Error("a TrueType font was subset by character")
	}
}
