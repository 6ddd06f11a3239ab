// Package font gives Bindery's typefaces, the DejaVu family from
// github.com/go-fonts/dejavu, fonts loaded from files, and their metrics.
// Shape and ShapedWidth shape text as the PDF draws it (kerning and
// ligatures, by glyph id); Width adds up advance widths rounded to
// thousandths of an em, so a diagram label measured here fits the box drawn
// around it in both the SVG and the PDF.
package font

import (
	"fmt"
	"math"
	"sync"

	"github.com/go-fonts/dejavu/dejavumathtexgyre"
	"github.com/go-fonts/dejavu/dejavusans"
	"github.com/go-fonts/dejavu/dejavusansbold"
	"github.com/go-fonts/dejavu/dejavusansboldoblique"
	"github.com/go-fonts/dejavu/dejavusansmono"
	"github.com/go-fonts/dejavu/dejavusansmonobold"
	"github.com/go-fonts/dejavu/dejavusansmonoboldoblique"
	"github.com/go-fonts/dejavu/dejavusansmonooblique"
	"github.com/go-fonts/dejavu/dejavusansoblique"
	"github.com/go-fonts/dejavu/dejavuserif"
	"github.com/go-fonts/dejavu/dejavuserifbold"
	"github.com/go-fonts/dejavu/dejavuserifbolditalic"
	"github.com/go-fonts/dejavu/dejavuserifitalic"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// Family is a typeface family: Serif for body text, Sans for headings and
// diagrams, Mono for code, Math for mathematical symbols.
type Family uint16

const (
	Serif Family = iota
	Sans
	Mono
	Math
)

// Style is the weight and slant of a face.
type Style uint8

const (
	Regular Style = iota
	Bold
	Italic
	BoldItalic
)

// Direction is the direction a face sets text in.
type Direction uint8

const (
	// Auto sets text in the direction of its script: right to left when
	// its first letter is Arabic or Hebrew, say.
	Auto Direction = iota
	// LTR sets text left to right.
	LTR
	// RTL sets text right to left: the glyphs of the clusters run
	// backwards and mirrored characters (brackets) take their mirror image.
	RTL
)

// Face is one font file: a family in a style, and the direction text is
// shaped in, which the bidi algorithm decides for each run of a line.
type Face struct {
	Family Family
	Style  Style
	Dir    Direction
}

var familyNames = [...]string{"DejaVuSerif", "DejaVuSans", "DejaVuSansMono", "DejaVuMath"}

// Name returns the PostScript-like name of the face, such as "DejaVuSerif-Bold".
// It is the name the PDF registers the face under. For a family added with
// RegisterFamily it is the font's PostScript name.
func (f Face) Name() string {
	if f.Family >= firstUser {
		return f.Font().Name()
	}
	s := familyNames[f.Family]
	switch f.normal().Style {
	case Bold:
		s += "-Bold"
	case Italic:
		s += "-Italic"
	case BoldItalic:
		s += "-BoldItalic"
	}
	return s
}

// normal maps a face to the face that exists: Math has one style, and
// the direction does not change the font.
func (f Face) normal() Face {
	if f.Family == Math {
		return Face{Family: Math}
	}
	f.Dir = Auto
	return f
}

// TTF returns the TrueType data of the face. For a family added with
// RegisterFamily it is the font file's data, which may be OpenType (CFF)
// or a whole collection: see Font.Data.
func (f Face) TTF() []byte {
	if f.Family >= firstUser {
		data, _ := f.Font().Data()
		return data
	}
	f = f.normal()
	switch f.Family {
	case Serif:
		return [...][]byte{dejavuserif.TTF, dejavuserifbold.TTF, dejavuserifitalic.TTF, dejavuserifbolditalic.TTF}[f.Style]
	case Sans:
		return [...][]byte{dejavusans.TTF, dejavusansbold.TTF, dejavusansoblique.TTF, dejavusansboldoblique.TTF}[f.Style]
	case Mono:
		return [...][]byte{dejavusansmono.TTF, dejavusansmonobold.TTF, dejavusansmonooblique.TTF, dejavusansmonoboldoblique.TTF}[f.Style]
	default:
		return dejavumathtexgyre.TTF
	}
}

// Faces lists every built-in face, in a fixed order.
func Faces() []Face {
	var fs []Face
	for fam := Serif; fam <= Mono; fam++ {
		for st := Regular; st <= BoldItalic; st++ {
			fs = append(fs, Face{Family: fam, Style: st})
		}
	}
	return append(fs, Face{Family: Math})
}

// Metrics holds the parsed outlines and widths of one face.
type Metrics struct {
	Font       *sfnt.Font
	UnitsPerEm int
	// Ascent and Descent are in thousandths of an em; Descent is negative.
	Ascent, Descent int

	mu     sync.Mutex
	widths map[rune]int // thousandths of an em; -1 when the rune has no glyph
	buf    sfnt.Buffer
}

var (
	metricsMu sync.Mutex
	metrics   = map[Face]*Metrics{}
)

// MetricsOf returns the metrics of a face, parsing it on first use.
// It is safe for concurrent use.
func MetricsOf(f Face) *Metrics {
	f = f.normal()
	metricsMu.Lock()
	defer metricsMu.Unlock()
	if m, ok := metrics[f]; ok {
		return m
	}
	var sf *sfnt.Font
	var err error
	if f.Family >= firstUser {
		// LoadFont checked that x/image can parse it.
		data, index := f.Font().Data()
		sf, err = parseSFNT(data, index)
	} else {
		sf, err = sfnt.Parse(f.TTF())
	}
	if err != nil {
		panic(fmt.Sprintf("font: parse %s: %v", f.Name(), err))
	}
	m := &Metrics{Font: sf, UnitsPerEm: int(sf.UnitsPerEm()), widths: map[rune]int{}}
	upem := fixed.I(m.UnitsPerEm)
	if fm, err := sf.Metrics(&m.buf, upem, 0); err == nil {
		m.Ascent = m.thousandths(fm.Ascent)
		m.Descent = -m.thousandths(fm.Descent)
	}
	metrics[f] = m
	return m
}

func (m *Metrics) thousandths(v fixed.Int26_6) int {
	return int(math.Round(float64(v) / 64 * 1000 / float64(m.UnitsPerEm)))
}

// Advance returns the advance width of r in thousandths of an em, rounded,
// and whether the face has a glyph for r.
func (m *Metrics) Advance(r rune) (int, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if w, ok := m.widths[r]; ok {
		return max(w, 0), w >= 0
	}
	w := -1
	if gi, err := m.Font.GlyphIndex(&m.buf, r); err == nil && gi != 0 {
		if adv, err := m.Font.GlyphAdvance(&m.buf, gi, fixed.I(m.UnitsPerEm), 0); err == nil {
			w = m.thousandths(adv)
		}
	}
	m.widths[r] = w
	return max(w, 0), w >= 0
}

// Has reports whether the face has a glyph for r. For a family added with
// RegisterFamily it reads every character map of the font, characters
// above U+FFFF included.
func (f Face) Has(r rune) bool {
	if f.Family >= firstUser {
		return f.Font().Has(r)
	}
	_, ok := MetricsOf(f).Advance(r)
	return ok
}

// Builtin reports whether the face is one of the DejaVu faces built in.
func (f Face) Builtin() bool { return f.Family < firstUser }

// Width returns the width of s set in face f at size points, in points.
// Runes the face lacks count as half an em.
func Width(f Face, size float64, s string) float64 {
	m := MetricsOf(f)
	w := 0
	for _, r := range s {
		if a, ok := m.Advance(r); ok {
			w += a
		} else {
			w += 500
		}
	}
	return float64(w) * size / 1000
}

// Fallback returns the first face of the chain that has a glyph for r:
// f itself, then the same style of Sans, Serif, Mono, then Math. It returns
// f and false when none has it.
func Fallback(f Face, r rune) (Face, bool) {
	if f.Has(r) {
		return f, true
	}
	for _, fam := range []Family{Sans, Serif, Mono, Math} {
		g := Face{Family: fam, Style: f.Style}.normal()
		if g != f.normal() && g.Has(r) {
			g.Dir = f.Dir
			return g, true
		}
	}
	return f, false
}
