package pdf

import (
	"fmt"
	"strings"

	"github.com/bindery-books/bindery/book/font"
)

// mm is one millimetre in points.
const mm = 72 / 25.4

// pageSizes maps a page size name to its exact size in points, portrait.
var pageSizes = map[string][2]float64{
	"a4":     {210 * mm, 297 * mm},
	"letter": {8.5 * 72, 11 * 72},
	"a5":     {148 * mm, 210 * mm},
	"6x9in":  {6 * 72, 9 * 72},
}

// Geometry is the page layout of a book: the page size, the text block and
// the bands of the running head and the folio.
type Geometry struct {
	PageW, PageH float64
	// Inner and Outer are the side margins; in one-sided books they are equal.
	Inner, Outer float64
	// Top and Bottom are the margins above and below the text block.
	Top, Bottom float64
	// TextW and TextH are the size of the text block.
	TextW, TextH float64
	// HeadBase is the baseline of the running head, FootBase that of the folio,
	// both from the top of the page.
	HeadBase, FootBase float64
	// HeadTop and FootBottom bound the running head and folio bands: with the
	// text block they make the page's text area.
	HeadTop, FootBottom float64
	TwoSide             bool
}

// measureChars is the line length of running text, in characters: the
// 60 to 75 a reader's eye takes in comfortably.
const measureChars = 70

// avgCharEm is the width of an average character of English text in DejaVu
// Serif, in ems, spaces and punctuation included.
var avgCharEm = func() float64 {
	const sample = "Almost every service in this book has the same skeleton: an application " +
		"module starts a supervision tree, and the tree owns every long-lived process."
	return font.Width(font.Face{Family: font.Serif}, 1, sample) / float64(len(sample))
}()

// NewGeometry computes the page layout for a page size and body size.
// The text block is measureChars characters wide, or less on a small page
// (where it keeps about three quarters of the page width), with the classic
// 2:3 ratio of inner to outer margin in two-sided books.
func NewGeometry(size string, twoSide bool, body float64) (Geometry, error) {
	wh, ok := pageSizes[size]
	if !ok {
		return Geometry{}, fmt.Errorf("page size %q: want one of a4, letter, a5, 6x9in", size)
	}
	g := Geometry{PageW: wh[0], PageH: wh[1], TwoSide: twoSide}
	sides := 0.28 * g.PageW
	if g.PageW < 500 {
		sides = 0.24 * g.PageW
	}
	if twoSide {
		g.Inner, g.Outer = 0.42*sides, 0.58*sides
	} else {
		g.Inner, g.Outer = sides/2, sides/2
	}
	g.Top = 0.105 * g.PageH
	g.Bottom = 0.11 * g.PageH
	g.TextW = g.PageW - g.Inner - g.Outer
	if w := measureChars * avgCharEm * body; w < g.TextW {
		k := (g.PageW - w) / (g.Inner + g.Outer)
		g.Inner, g.Outer, g.TextW = g.Inner*k, g.Outer*k, w
	}
	g.TextH = g.PageH - g.Top - g.Bottom
	// The running head sits in the upper half of the top margin, the folio
	// in the lower half of the bottom margin.
	small := 0.8 * body
	g.HeadBase = g.Top - 0.42*g.Top
	g.HeadTop = g.HeadBase - 1.2*small
	g.FootBase = g.PageH - g.Bottom + 0.5*g.Bottom
	g.FootBottom = g.FootBase + 0.5*small
	return g, nil
}

// TextArea returns the part of physical page n (1-based) that anything
// but the page's background may be drawn in: the text block with the bands
// of the running head above it and of the folio below it. x0, y0 is the
// top left corner, from the page's top left.
func (g Geometry) TextArea(n int) (x0, y0, x1, y1 float64) {
	left := g.Left(n)
	return left, g.HeadTop, left + g.TextW, g.FootBottom
}

// Left returns the left edge of the text block on page n (1-based physical
// page number): odd pages are recto, with the inner margin on the left.
func (g Geometry) Left(n int) float64 {
	if g.TwoSide && n%2 == 0 {
		return g.Outer
	}
	return g.Inner
}

// rgb is a colour.
type rgb struct{ R, G, B uint8 }

func hexColor(s string) rgb {
	var c rgb
	fmt.Sscanf(strings.TrimPrefix(s, "#"), "%02x%02x%02x", &c.R, &c.G, &c.B)
	return c
}

// The book's colours: near-black text, a quiet blue for links and labels,
// light tints for code and tables.
var (
	black     = rgb{0x1a, 0x1a, 0x1a}
	grey      = rgb{0x6a, 0x6a, 0x6a}
	lightGrey = rgb{0xb0, 0xb0, 0xb0}
	ruleGrey  = rgb{0x9a, 0x9a, 0x9a}
	linkBlue  = rgb{0x1d, 0x4f, 0x91}
	codeTint  = rgb{0xf5, 0xf6, 0xf8}
	codeEdge  = rgb{0xdc, 0xdf, 0xe4}
	inlineBg  = rgb{0xee, 0xef, 0xf2}
	zebraTint = rgb{0xf4, 0xf5, 0xf7}
	quoteRule = rgb{0xc4, 0xc8, 0xcf}
)

// admonitionColors gives the accent colour of each admonition variant.
var admonitionColors = map[string]rgb{
	"note":      hexColor("#2f6fba"),
	"info":      hexColor("#2f6fba"),
	"tip":       hexColor("#2e8540"),
	"important": hexColor("#7a4fb5"),
	"warning":   hexColor("#b8860b"),
	"caution":   hexColor("#c0392b"),
	"error":     hexColor("#c0392b"),
	"danger":    hexColor("#c0392b"),
}

// tint mixes c with white: amount 0 is white, 1 is c.
func tint(c rgb, amount float64) rgb {
	mix := func(v uint8) uint8 { return uint8(255 - amount*(255-float64(v)) + 0.5) }
	return rgb{mix(c.R), mix(c.G), mix(c.B)}
}

// Styles holds the type sizes of a book, derived from the body size.
type Styles struct {
	Body     float64 // body text size
	Leading  float64 // body line height
	Code     float64 // code block size
	CodeLead float64
	Small    float64 // tables, captions, labels
	Note     float64 // footnotes
	// Heads are the sizes of headings by level, 1 to 6 (index 0 unused).
	Heads [7]float64
	// Para is the space between paragraphs.
	Para float64
}

// newStyles returns the type sizes for a body size and a text block textW
// wide. Code is set a little smaller than the text, small enough for a line
// of 80 characters to fit the block where that keeps it at 80 per cent of
// the body size or more.
func newStyles(body, textW float64) Styles {
	code := min(body*0.82, max(body*0.8, textW/(80*monoEm)))
	s := Styles{
		Body:    body,
		Leading: round2(body * 1.38),
		Code:    round2(code),
		Small:   round2(body * 0.88),
		Note:    round2(body * 0.82),
		Para:    round2(body * 0.55),
	}
	s.CodeLead = round2(s.Code * 1.32)
	s.Heads = [7]float64{0, body * 2.1, body * 1.45, body * 1.2, body * 1.05, body, body}
	for i := range s.Heads {
		s.Heads[i] = round2(s.Heads[i])
	}
	return s
}

// monoEm is the advance of DejaVu Sans Mono, in ems.
var monoEm = font.Width(font.Face{Family: font.Mono}, 1, "0")

func round2(v float64) float64 { return float64(int(v*100+0.5)) / 100 }

var (
	serif     = font.Face{Family: font.Serif, Style: font.Regular}
	serifItal = font.Face{Family: font.Serif, Style: font.Italic}
	sans      = font.Face{Family: font.Sans, Style: font.Regular}
	sansBold  = font.Face{Family: font.Sans, Style: font.Bold}
	sansItal  = font.Face{Family: font.Sans, Style: font.Italic}
	mono      = font.Face{Family: font.Mono, Style: font.Regular}
	monoBold  = font.Face{Family: font.Mono, Style: font.Bold}
)
