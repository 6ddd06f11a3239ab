package epub

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/alecthomas/chroma/v2"
	"github.com/bindery-books/bindery/assets"
	"github.com/bindery-books/bindery/book"
	"github.com/bindery-books/bindery/book/internal/codestyle"
)

// The code's colours are chroma's styles, book.CodeStyle on the light
// palette and its dark sibling on the dark one, each colour darkened or
// lightened until it reads at minContrast on the code's background: the
// styles as published fall short of WCAG's 4.5:1 here and there.

// Code backgrounds of the two palettes, as epub.css sets them on pre.
var (
	codeLight, codeLightText = rgb{0xf6, 0xf6, 0xf4}, rgb{0x1f, 0x23, 0x28}
	codeDark, codeDarkText   = rgb{0x1b, 0x1d, 0x21}, rgb{0xe6, 0xe6, 0xe6}
)

// darkCodeStyle is the chroma style of the dark palette.
const darkCodeStyle = "github-dark"

// minContrast is the contrast every code colour reaches on its background:
// WCAG's 4.5:1, with a margin for rounding.
const minContrast = 4.6

// continuationFile is the continuation mark's file, which the stylesheet
// draws: decoration, not a picture of the book.
const continuationFile = "images/continuation.svg"

// continuationMark is the mark drawn before the continuation of a wrapped
// code line: a grey arrow that reads on light and dark code alike.
const continuationMark = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 27" width="16" height="27"><path d="M3 5v9h8" fill="none" stroke="#8a8a8a" stroke-width="1.6"/><path d="M9 10.5l3.5 3.5-3.5 3.5" fill="none" stroke="#8a8a8a" stroke-width="1.6"/></svg>
`

// stylesheet returns the book's CSS: ours, the code's hanging indents, and
// the code's colours on both palettes.
func stylesheet() []byte {
	var b strings.Builder
	b.Write(assets.EPUBStyle)
	b.WriteString("\n/* Code lines: a continuation hangs past the line's own indentation. */\n")
	for n := 0; n <= maxHang; n++ {
		fmt.Fprintf(&b, "pre .h%d { padding-left: %dch; text-indent: -%dch; } pre .h%d::before { left: %dch; }\n", n, n+2, n+2, n, n)
	}
	light, dark := codestyle.Get(book.CodeStyle), codestyle.Get(darkCodeStyle)
	var types []chroma.TokenType
	lt, dt := codeTypes(light), codeTypes(dark)
	for t := range chroma.StandardTypes {
		if lt[t] || dt[t] {
			types = append(types, t)
		}
	}
	slices.Sort(types)
	fmt.Fprintf(&b, "\n/* Code highlighting: chroma style %s, at %.1f:1 or more on %s. */\n", book.CodeStyle, minContrast, codeLight)
	writeTokenColours(&b, light, types, codeLight, codeLightText, "")
	fmt.Fprintf(&b, "\n/* Dark palette: chroma style %s, at %.1f:1 or more on %s. */\n@media (prefers-color-scheme: dark) {\n", darkCodeStyle, minContrast, codeDark)
	writeTokenColours(&b, dark, types, codeDark, codeDarkText, "  ")
	b.WriteString("}\n")
	return []byte(b.String())
}

// codeTypes returns the token types that a style gives anything other than
// its defaults: a colour, a background, a weight, a slant or an underline.
func codeTypes(st *chroma.Style) map[chroma.TokenType]bool {
	m := map[chroma.TokenType]bool{}
	bg := st.Get(chroma.Background)
	for t, cls := range chroma.StandardTypes {
		if cls == "" || t < 0 || t == chroma.Text || t == chroma.TextWhitespace || t == chroma.Background {
			continue
		}
		e := st.Get(t)
		if e.Colour.IsSet() && e.Colour != bg.Colour || e.Background.IsSet() && e.Background != bg.Background ||
			e.Bold == chroma.Yes || e.Italic == chroma.Yes || e.Underline == chroma.Yes {
			m[t] = true
		}
	}
	return m
}

// writeTokenColours writes a rule for each of types, in the style's
// colours brought to minContrast on the code's background bg, or in the
// code's own colour fg: every class a palette styles has its colour and
// background set on the other palette too, so none is left over from the
// other palette.
func writeTokenColours(b *strings.Builder, st *chroma.Style, types []chroma.TokenType, bg, fg rgb, indent string) {
	base := st.Get(chroma.Background)
	for _, t := range types {
		e := st.Get(t)
		back := bg
		decl := []string{"background-color: transparent"}
		if e.Background.IsSet() && e.Background != base.Background {
			back = rgb{e.Background.Red(), e.Background.Green(), e.Background.Blue()}
			decl[0] = "background-color: " + back.String()
		}
		c := fg
		if e.Colour.IsSet() && e.Colour != base.Colour {
			c = rgb{e.Colour.Red(), e.Colour.Green(), e.Colour.Blue()}
		}
		decl = append(decl, "color: "+readable(c, back).String())
		weight, slant, line := "normal", "normal", "none"
		if e.Bold == chroma.Yes {
			weight = "bold"
		}
		if e.Italic == chroma.Yes {
			slant = "italic"
		}
		if e.Underline == chroma.Yes {
			line = "underline"
		}
		decl = append(decl, "font-weight: "+weight, "font-style: "+slant, "text-decoration: "+line)
		fmt.Fprintf(b, "%spre.chroma .%s { %s; }\n", indent, chroma.StandardTypes[t], strings.Join(decl, "; "))
	}
}

// rgb is a colour of the stylesheet.
type rgb struct{ r, g, b uint8 }

func (c rgb) String() string { return fmt.Sprintf("#%02x%02x%02x", c.r, c.g, c.b) }

// luminance is WCAG's relative luminance.
func (c rgb) luminance() float64 {
	lin := func(v uint8) float64 {
		s := float64(v) / 255
		if s <= 0.03928 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(c.r) + 0.7152*lin(c.g) + 0.0722*lin(c.b)
}

// contrast is WCAG's contrast ratio of two colours.
func contrast(a, b rgb) float64 {
	la, lb := a.luminance(), b.luminance()
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

// readable returns c, mixed with black on a light background or white on a
// dark one, in small steps, until it reaches minContrast on bg.
func readable(c, bg rgb) rgb {
	target := rgb{}
	if bg.luminance() < 0.18 {
		target = rgb{0xff, 0xff, 0xff}
	}
	mix := func(a, b uint8, t float64) uint8 { return uint8(math.Round(float64(a) + (float64(b)-float64(a))*t)) }
	out := c
	for t := 0.0; t <= 1 && contrast(out, bg) < minContrast; t += 0.02 {
		out = rgb{mix(c.r, target.r, t), mix(c.g, target.g, t), mix(c.b, target.b, t)}
	}
	return out
}
