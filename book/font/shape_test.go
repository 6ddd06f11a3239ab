package font

import (
	"bytes"
	"encoding/binary"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

var (
	serif = Face{Family: Serif, Style: Regular}
	sans  = Face{Family: Sans, Style: Regular}
	mono  = Face{Family: Mono, Style: Regular}
)

// ligatures returns the source text of every glyph that stands for more
// than one character.
func ligatures(gs []Glyph, s string) []string {
	var out []string
	for _, g := range gs {
		if g.End-g.Start > 1 && g.ID != 0 {
			out = append(out, s[g.Start:g.End])
		}
	}
	return out
}

func TestShapeLigatures(t *testing.T) {
	// DejaVu's coverage of the standard ligatures: Sans and Sans Bold have
	// all five; Serif has ff, fi, fl and ffl but no ffi, so "ffi" is the ff
	// ligature then i. Mono has none, and code is set without them anyway.
	const s = "fi fl ff ffi ffl"
	for _, c := range []struct {
		face Face
		want string
	}{
		{serif, "fi fl ff ff ffl"},
		{Face{Family: Serif, Style: Bold}, "fi fl ff ff ffl"},
		{Face{Family: Serif, Style: Italic}, "fi fl ff ff ffl"},
		{sans, "fi fl ff ffi ffl"},
		{Face{Family: Sans, Style: Bold}, "fi fl ff ffi ffl"},
		{mono, ""},
	} {
		got := strings.Join(ligatures(Shape(c.face, 10, s, Typeset), s), " ")
		if got != c.want {
			t.Errorf("%s: ligatures %q, want %q", c.face.Name(), got, c.want)
		}
		if l := ligatures(Shape(c.face, 10, s, Kern), s); len(l) != 0 {
			t.Errorf("%s: ligatures %q with liga off", c.face.Name(), l)
		}
	}
}

func TestShapeKerning(t *testing.T) {
	for _, f := range []Face{serif, sans, {Family: Serif, Style: Italic}, {Family: Sans, Style: Bold}} {
		kerned := ShapedWidth(f, 10, "To", Kern)
		plain := ShapedWidth(f, 10, "To", 0)
		if kerned >= plain {
			t.Errorf("%s: \"To\" kerned %.3f, plain %.3f: no kerning", f.Name(), kerned, plain)
		}
	}
	// Code: no kerning, no ligatures, one glyph a character, each 0.602 em.
	if FeaturesOf(mono) != 0 || FeaturesOf(serif) != Typeset {
		t.Error("FeaturesOf: wrong defaults")
	}
	gs := Shape(mono, 10, "ffi To", FeaturesOf(mono))
	if len(gs) != 6 {
		t.Fatalf("mono: %d glyphs for 6 characters", len(gs))
	}
	for _, g := range gs {
		if math.Abs(g.Advance-6.02) > 0.005 {
			t.Errorf("mono: advance %v", g.Advance)
		}
	}
}

func TestShapeClusters(t *testing.T) {
	// Byte ranges: "é" is two bytes; the fi ligature stands for bytes 3-5;
	// U+1F600 (four bytes) is in DejaVu Sans.
	s := "éo fi\U0001F600."
	gs := Shape(sans, 10, s, Typeset)
	var got []string
	for _, g := range gs {
		got = append(got, s[g.Start:g.End])
		if g.ID == 0 {
			t.Errorf("no glyph for %q", s[g.Start:g.End])
		}
	}
	if want := []string{"é", "o", " ", "fi", "\U0001F600", "."}; strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("clusters %q, want %q", got, want)
	}
	// A mark the font composes or positions stays in its base's cluster.
	s = "e\u0301x"
	gs = Shape(serif, 10, s, Typeset)
	if gs[0].Start != 0 || gs[0].End != 3 || gs[len(gs)-1].Start != 3 {
		t.Errorf("e+combining acute: clusters %+v", gs)
	}
	if !sans.Font().Has(0x1F600) || serif.Font().Has(0x1F600) {
		t.Error("U+1F600: want it in Sans only")
	}
}

func TestShapedWidthMatchesShape(t *testing.T) {
	for _, s := range []string{"office", "Typography, kerning: AVAWAY.", strings.Repeat("long words ", 10)} {
		for _, f := range []Face{serif, sans, mono, {Family: Serif, Style: BoldItalic}} {
			sum := 0.0
			for _, g := range Shape(f, 10.5, s, Typeset) {
				sum += g.Advance
			}
			// Twice: the second comes from the cache.
			for range 2 {
				if w := ShapedWidth(f, 10.5, s, Typeset); math.Abs(w-sum) > 1e-9 {
					t.Errorf("%s %q: ShapedWidth %v, sum of advances %v", f.Name(), s, w, sum)
				}
			}
			// Without features the width is fpdf's, to rounding.
			if w, old := ShapedWidth(f, 10, s, 0), Width(f, 10, s); math.Abs(w-old) > 0.0005*10*float64(len(s)) {
				t.Errorf("%s %q: unshaped width %v, Width %v", f.Name(), s, w, old)
			}
		}
	}
}

func TestShapeConcurrent(t *testing.T) {
	want := ShapedWidth(serif, 10, "affluent office", Typeset)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 200 {
				s := strings.Repeat("x", i) + "affluent office" + strings.Repeat("y", j%7)
				w := ShapedWidth(serif, 10, s, Typeset) - ShapedWidth(serif, 10, strings.Repeat("x", i)+strings.Repeat("y", j%7), Typeset)
				if math.Abs(w-want) > 1e-9 {
					t.Errorf("concurrent width %v, want %v", w, want)
					return
				}
			}
		}()
	}
	wg.Wait()
}

// collection builds a TrueType collection of the given fonts.
func collection(fonts ...[]byte) []byte {
	hdr := 12 + 4*len(fonts)
	out := make([]byte, hdr)
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
		// Table offsets in a collection count from the start of the file.
		n := int(binary.BigEndian.Uint16(f[4:]))
		for t := range n {
			at := 12 + 16*t + 8
			binary.BigEndian.PutUint32(f[at:], binary.BigEndian.Uint32(f[at:])+uint32(base))
		}
		out = append(out, f...)
	}
	return out
}

func TestLoadFont(t *testing.T) {
	ttc := collection(serif.TTF(), sans.TTF())
	for i, want := range []string{"DejaVuSerif", "DejaVuSans"} {
		f, err := LoadFont(ttc, i)
		if err != nil {
			t.Fatalf("ttc face %d: %v", i, err)
		}
		if f.Name() != want || f.CFF() {
			t.Errorf("ttc face %d: %s cff=%v, want %s", i, f.Name(), f.CFF(), want)
		}
		if w, bw := f.Width("To", 10, Typeset), ShapedWidth(Face{Family: Family(i)}, 10, "To", Typeset); w != bw {
			t.Errorf("ttc face %d: width %v, built-in %v", i, w, bw)
		}
	}
	if _, err := LoadFont(ttc, 2); err == nil {
		t.Error("face 2 of a two-face collection: no error")
	}
	otf, err := os.ReadFile("testdata/CFFTest.otf")
	if err != nil {
		t.Fatal(err)
	}
	f, err := LoadFont(otf, 0)
	if err != nil {
		t.Fatalf("CFF font: %v", err)
	}
	if !f.CFF() || !f.Has('Q') || !f.Has(0x4E2D) || f.Has('A') {
		t.Errorf("CFF font: cff=%v, coverage wrong", f.CFF())
	}
	if gs := f.Shape("Q10", 12, Typeset); len(gs) != 3 || gs[0].ID == 0 {
		t.Errorf("CFF font: shaped %+v", gs)
	}
	for _, bad := range [][]byte{nil, []byte("not a font at all, really"), otf[:100]} {
		if _, err := LoadFont(bad, 0); err == nil {
			t.Errorf("LoadFont(%q…): no error", bad[:min(len(bad), 10)])
		}
	}
	// A font whose licence forbids embedding.
	restricted := append([]byte(nil), serif.TTF()...)
	n := int(binary.BigEndian.Uint16(restricted[4:]))
	for i := range n {
		rec := restricted[12+16*i:]
		if string(rec[:4]) == "OS/2" {
			off := binary.BigEndian.Uint32(rec[8:])
			binary.BigEndian.PutUint16(restricted[off+8:], 0x0002)
		}
	}
	if _, err := LoadFont(restricted, 0); err == nil || !strings.Contains(err.Error(), "embedding") {
		t.Errorf("restricted font: err = %v", err)
	}
}

func TestRegisterFamily(t *testing.T) {
	ttc := collection(sans.TTF(), Face{Family: Sans, Style: Bold}.TTF())
	reg, _ := LoadFont(ttc, 0)
	bold, _ := LoadFont(ttc, 1)
	fam, err := RegisterFamily(reg, bold)
	if err != nil {
		t.Fatal(err)
	}
	if fam <= Math {
		t.Fatalf("family %d collides with the built-in ones", fam)
	}
	reg2, _ := LoadFont(ttc, 0)
	bold2, _ := LoadFont(ttc, 1)
	if again, _ := RegisterFamily(reg2, bold2); again != fam {
		t.Errorf("registering the same fonts again: family %d, then %d", fam, again)
	}
	if _, err := RegisterFamily(); err == nil {
		t.Error("empty family: no error")
	}
	b, i := Face{Family: fam, Style: Bold}, Face{Family: fam, Style: Italic}
	if b.Name() != "DejaVuSans-Bold" || i.Name() != "DejaVuSans" {
		t.Errorf("names %q %q", b.Name(), i.Name())
	}
	// The old machinery measures registered faces like built-in ones.
	if w, want := Width(b, 10, "mmm"), Width(Face{Family: Sans, Style: Bold}, 10, "mmm"); w != want {
		t.Errorf("Width of the registered bold %v, built-in %v", w, want)
	}
	if !b.Has('m') || MetricsOf(b).Ascent <= 0 {
		t.Error("metrics of a registered face")
	}
	if w, want := ShapedWidth(b, 10, "office", Typeset), ShapedWidth(Face{Family: Sans, Style: Bold}, 10, "office", Typeset); w != want {
		t.Errorf("ShapedWidth of the registered bold %v, built-in %v", w, want)
	}
}

// benchText is running text of the kind the line breaker measures.
const benchText = `A supervisor is a process which supervises other processes, which we
refer to as child processes. Supervisors are used to build a hierarchical process structure
called a supervision tree. Supervision trees provide fault-tolerance and encapsulate how our
applications start and shut down. The official affiliation of the fluffy office staff is
effectively unaffected; “Typography” and AVAWAY kerning pairs matter, don’t they?`

func benchWords() []string { return strings.Fields(benchText) }

// BenchmarkWidth measures words the old way: per-rune advances, no shaping.
func BenchmarkWidth(b *testing.B) {
	ws := benchWords()
	for i := 0; b.Loop(); i++ {
		Width(serif, 10.5, ws[i%len(ws)])
	}
}

// BenchmarkShapedWidth measures words with shaping, through the cache.
func BenchmarkShapedWidth(b *testing.B) {
	ws := benchWords()
	for i := 0; b.Loop(); i++ {
		ShapedWidth(serif, 10.5, ws[i%len(ws)], Typeset)
	}
}

// BenchmarkShapeUncached shapes words without the cache: the cost of a
// cache miss.
func BenchmarkShapeUncached(b *testing.B) {
	ws := benchWords()
	f := serif.Font()
	for i := 0; b.Loop(); i++ {
		f.shape(ws[i%len(ws)], Typeset)
	}
}

// bookWords returns the words of the content book's prose.
func bookWords(b *testing.B) []string {
	files, _ := filepath.Glob("../../content/*.md")
	var ws []string
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		ws = append(ws, strings.Fields(string(data))...)
	}
	if len(ws) == 0 {
		b.Skip("no content book")
	}
	return ws
}

// BenchmarkMeasureBook measures every word of the content book (all its
// markdown, code included) from a cold cache, as a build would: per-rune
// widths against shaped widths.
func BenchmarkMeasureBook(b *testing.B) {
	ws := bookWords(b)
	uniq := map[string]bool{}
	for _, w := range ws {
		uniq[w] = true
	}
	b.Logf("%d words, %d distinct", len(ws), len(uniq))
	b.Run("Width", func(b *testing.B) {
		for b.Loop() {
			for _, w := range ws {
				Width(serif, 10.5, w)
			}
		}
	})
	b.Run("ShapedWidth", func(b *testing.B) {
		for b.Loop() {
			f, _ := LoadFont(serif.TTF(), 0) // a cold cache
			for _, w := range ws {
				f.Width(w, 10.5, Typeset)
			}
		}
	})
}

func TestShapeDirection(t *testing.T) {
	f := sans.Font()
	id := func(r rune) uint16 { g, _ := f.GlyphID(r); return g }
	// A bracket alone in a right-to-left run takes its mirror image.
	if gs := Shape(Face{Family: Sans, Dir: RTL}, 10, "(", FeaturesOf(Face{Family: Sans, Dir: RTL})); len(gs) != 1 || gs[0].ID != id(')') {
		t.Errorf("( set right to left: %+v, want the glyph of )", gs)
	}
	if gs := Shape(sans, 10, "(", Typeset); len(gs) != 1 || gs[0].ID != id('(') {
		t.Errorf("( set left to right: %+v", gs)
	}
	// Arabic-Indic digits guess right to left from their script; a run
	// the bidi algorithm set left to right keeps them in order.
	const digits = "١٢٣"
	ltr := Shape(sans, 10, digits, Typeset|LeftToRight)
	auto := Shape(sans, 10, digits, Typeset)
	if len(ltr) != 3 || ltr[0].Start != 0 || ltr[2].Start != 4 {
		t.Errorf("digits left to right: %+v", ltr)
	}
	if len(auto) != 3 || auto[0].Start != 4 {
		t.Errorf("digits by their script: %+v", auto)
	}
	// Arabic letters join: the beh of "ببب" takes three forms, none of
	// them the isolated one, and the clusters run backwards.
	beh := id('ب')
	gs := Shape(Face{Family: Sans, Dir: RTL}, 10, "ببب", FeaturesOf(Face{Family: Sans, Dir: RTL}))
	if len(gs) != 3 || gs[0].Start != 4 || gs[2].Start != 0 {
		t.Fatalf("ببب: %+v", gs)
	}
	if gs[0].ID == beh || gs[1].ID == beh || gs[2].ID == beh || gs[0].ID == gs[1].ID || gs[1].ID == gs[2].ID {
		t.Errorf("ببب: glyphs %d %d %d, isolated beh %d: want final, medial and initial forms", gs[0].ID, gs[1].ID, gs[2].ID, beh)
	}
	// The direction is part of the cache key.
	if ShapedWidth(Face{Family: Sans, Dir: RTL}, 10, "(a", Typeset|RightToLeft) <= 0 || Shape(sans, 10, "(a", Typeset)[0].ID != id('(') {
		t.Error("shaping by direction leaks through the cache")
	}
}

func TestSFNT(t *testing.T) {
	ttc := collection(serif.TTF(), sans.TTF())
	for i, want := range []string{"DejaVuSerif", "DejaVuSans"} {
		f, err := LoadFont(ttc, i)
		if err != nil {
			t.Fatal(err)
		}
		data, err := f.SFNT()
		if err != nil {
			t.Fatal(err)
		}
		alone, err := LoadFont(data, 0)
		if err != nil {
			t.Fatalf("face %d on its own: %v", i, err)
		}
		if alone.Name() != want || alone.Width("office", 10, Typeset) != f.Width("office", 10, Typeset) {
			t.Errorf("face %d on its own is %s", i, alone.Name())
		}
	}
	if data, _ := sans.Font().SFNT(); !bytes.Equal(data, sans.TTF()) {
		t.Error("a font file that is not a collection is not returned as it is")
	}
}

// TestPlainASCII checks the shortcut AppendShape takes for printable ASCII
// set without kerning or ligatures (code): on every built-in face, its
// glyphs are the shaper's, string after string, including the pairs a
// kerning or ligature feature would change and the characters that
// compose with others. It also checks the shortcut is taken, and not
// for text that needs the shaper.
func TestPlainASCII(t *testing.T) {
	var samples []string
	for c := byte(' '); c <= '~'; c++ {
		for d := byte(' '); d <= '~'; d++ {
			samples = append(samples, string([]byte{c, d}))
		}
	}
	samples = append(samples, "ffi fl AV To Wa", "iex(1)> :recon.proc_count(:message_queue_len, 3)",
		`{"order_id":"ord_81Kq"} -> x != y <= z`, "    if err != nil { return fmt.Errorf(\"%w\", err) }")
	for fam := Serif; fam <= Mono; fam++ {
		for st := Regular; st <= BoldItalic; st++ {
			f := Face{Family: fam, Style: st}.Font()
			for _, feat := range []Features{0, LeftToRight} {
				if f.plainASCII("a", feat) == nil {
					t.Fatalf("%s: no shortcut for ASCII with features %v", f.name, feat)
				}
				for _, s := range samples {
					got := f.AppendShape(nil, s, 10, feat, 3)
					us := f.shape(s, feat)
					if len(got) != len(us) {
						t.Fatalf("%s %q: %d glyphs, the shaper gives %d", f.name, s, len(got), len(us))
					}
					for i, u := range us {
						want := Glyph{ID: u.id, Advance: float64(u.adv) * 10 / float64(f.upem), XOffset: float64(u.dx) * 10 / float64(f.upem),
							YOffset: float64(u.dy) * 10 / float64(f.upem), Start: int(u.start) + 3, End: int(u.end) + 3}
						if got[i] != want {
							t.Fatalf("%s %q glyph %d: %+v, the shaper gives %+v", f.name, s, i, got[i], want)
						}
					}
				}
			}
			for _, c := range []struct {
				s    string
				feat Features
			}{{"fi", Typeset}, {"AV", Kern}, {"é", 0}, {"a\tb", 0}, {"ab", RightToLeft}} {
				if f.plainASCII(c.s, c.feat) != nil {
					t.Errorf("%s: shortcut taken for %q with features %v", f.name, c.s, c.feat)
				}
			}
		}
	}
}
