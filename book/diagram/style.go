package diagram

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// The default look, mermaid's "default" theme.
var (
	colNodeFill    = Color{0xEC, 0xEC, 0xFF}
	colNodeStroke  = Color{0x93, 0x70, 0xDB}
	colLine        = Color{0x33, 0x33, 0x33}
	colText        = Color{0x33, 0x33, 0x33}
	colClusterFill = Color{0xFF, 0xFF, 0xDE}
	colClusterLine = Color{0x96, 0x96, 0x2D} // mermaid's #aaaa33, darkened to 3:1 on white
	colLabelBg     = Color{0xED, 0xED, 0xED} // rgba(232,232,232,0.8) on white
	colNoteFill    = Color{0xFF, 0xF5, 0xAD}
	colNoteStroke  = Color{0x96, 0x96, 0x2D}
	colActivation  = Color{0xF4, 0xF4, 0xF4}
	colActivLine   = Color{0x66, 0x66, 0x66}
	colActorLine   = Color{0x9F, 0x80, 0xE0} // mermaid's #dacef3, darkened to 3:1 on white
	colBoxLine     = Color{0x91, 0x91, 0x91}
	colWhite       = Color{0xFF, 0xFF, 0xFF}
	colBlack       = Color{0x00, 0x00, 0x00}
	colCompositeBg = Color{0xFF, 0xFF, 0xFF}
)

// theme is the palette one diagram is drawn with: the defaults, changed by
// themeVariables from an init directive or front matter.
type theme struct {
	nodeFill, nodeStroke, nodeText Color
	line, text                     Color
	clusterFill, clusterStroke     Color
	labelBg                        Color
	noteFill, noteStroke, noteText Color
}

func newTheme(vars map[string]string) *theme {
	t := &theme{
		nodeFill: colNodeFill, nodeStroke: colNodeStroke, nodeText: colText,
		line: colLine, text: colText,
		clusterFill: colClusterFill, clusterStroke: colClusterLine,
		labelBg:  colLabelBg,
		noteFill: colNoteFill, noteStroke: colNoteStroke, noteText: colText,
	}
	set := func(dst *Color, keys ...string) {
		for _, k := range keys {
			if v, ok := vars[k]; ok {
				if c, ok := parseColor(v); ok && c != nil {
					*dst = *c
					return
				}
			}
		}
	}
	set(&t.nodeFill, "mainBkg", "primaryColor")
	set(&t.nodeStroke, "nodeBorder", "primaryBorderColor")
	set(&t.nodeText, "nodeTextColor", "primaryTextColor", "textColor")
	set(&t.line, "lineColor")
	set(&t.text, "textColor")
	set(&t.clusterFill, "clusterBkg", "tertiaryColor")
	set(&t.clusterStroke, "clusterBorder", "tertiaryBorderColor")
	set(&t.labelBg, "edgeLabelBackground")
	set(&t.noteFill, "noteBkgColor")
	set(&t.noteStroke, "noteBorderColor")
	set(&t.noteText, "noteTextColor")
	return t
}

// css is a parsed style: the properties mermaid's style, classDef and
// linkStyle statements set.
type css struct {
	fill, stroke, color *Color
	fillNone            bool // fill:none or transparent
	strokeNone          bool
	width               float64   // stroke-width in points; 0: unset
	dash                []float64 // stroke-dasharray; nil: unset
	bold, italic        bool
	fontScale           float64 // font-size relative to the default; 0: unset
	line                int     // the source line that last set fill or color
}

// merge lays o over c.
func (c css) merge(o css) css {
	if o.fill != nil || o.fillNone || o.color != nil {
		c.line = o.line
	}
	if o.fill != nil || o.fillNone {
		c.fill, c.fillNone = o.fill, o.fillNone
	}
	if o.stroke != nil || o.strokeNone {
		c.stroke, c.strokeNone = o.stroke, o.strokeNone
	}
	if o.color != nil {
		c.color = o.color
	}
	if o.width > 0 {
		c.width = o.width
	}
	if o.dash != nil {
		c.dash = o.dash
	}
	c.bold = c.bold || o.bold
	c.italic = c.italic || o.italic
	if o.fontScale > 0 {
		c.fontScale = o.fontScale
	}
	return c
}

// parseCSS reads "fill:#f9f,stroke:#333,stroke-width:4px" (commas or
// semicolons between properties), written on source line line. Unknown
// properties are ignored.
func parseCSS(s string, line int) css {
	c := css{line: line}
	s = strings.TrimSuffix(strings.TrimSpace(s), ";")
	for _, decl := range splitDecls(s) {
		k, v, ok := strings.Cut(decl, ":")
		if !ok {
			continue
		}
		k = strings.ToLower(strings.TrimSpace(k))
		v = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "!important"))
		switch k {
		case "fill", "background", "background-color":
			col, ok := parseColor(v)
			if ok {
				c.fill, c.fillNone = col, col == nil
			}
		case "stroke", "border-color":
			col, ok := parseColor(v)
			if ok {
				c.stroke, c.strokeNone = col, col == nil
			}
		case "color":
			if col, ok := parseColor(v); ok && col != nil {
				c.color = col
			}
		case "stroke-width":
			if w, ok := parseLength(v); ok && w > 0 {
				c.width = min(w, 20)
			}
		case "stroke-dasharray":
			var d []float64
			for _, f := range strings.FieldsFunc(v, func(r rune) bool { return r == ' ' || r == ',' }) {
				if x, ok := parseLength(f); ok && x >= 0 {
					d = append(d, min(x, 100))
				}
			}
			if len(d) > 8 {
				d = d[:8]
			}
			if len(d) > 0 {
				c.dash = d
			}
		case "font-weight":
			c.bold = v == "bold" || v == "bolder" || v >= "600" && v <= "999" && len(v) == 3
		case "font-style":
			c.italic = v == "italic" || v == "oblique"
		case "font-size":
			if x, ok := parseLength(v); ok && x > 0 {
				c.fontScale = min(max(x/12, 0.5), 3)
			}
		}
	}
	return c
}

// splitDecls splits at commas and semicolons outside parentheses.
func splitDecls(s string) []string {
	var out []string
	depth, start := 0, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '(':
			depth++
		case ')':
			depth = max(depth-1, 0)
		case ',', ';':
			if depth == 0 {
				out = append(out, s[start:i])
				start = i + 1
			}
		}
	}
	return append(out, s[start:])
}

// parseLength reads a CSS length in px (the default) or pt, in points.
func parseLength(s string) (float64, bool) {
	s = strings.TrimSpace(s)
	scale := 0.75
	switch {
	case strings.HasSuffix(s, "px"):
		s = s[:len(s)-2]
	case strings.HasSuffix(s, "pt"):
		s, scale = s[:len(s)-2], 1
	case strings.HasSuffix(s, "em"), strings.HasSuffix(s, "rem"):
		s, scale = strings.TrimRight(s, "rem"), 12
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, false
	}
	return f * scale, true
}

// parseColor reads a CSS colour. It returns nil, true for none and
// transparent; alpha is blended over white.
func parseColor(s string) (*Color, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	switch s {
	case "none", "transparent":
		return nil, true
	}
	if strings.HasPrefix(s, "#") {
		h := s[1:]
		var r, g, b, a uint64 = 0, 0, 0, 255
		ok := true
		parse := func(x string) uint64 {
			v, err := strconv.ParseUint(x, 16, 8)
			if err != nil {
				ok = false
			}
			return v
		}
		switch len(h) {
		case 3, 4:
			r, g, b = parse(h[0:1])*17, parse(h[1:2])*17, parse(h[2:3])*17
			if len(h) == 4 {
				a = parse(h[3:4]) * 17
			}
		case 6, 8:
			r, g, b = parse(h[0:2]), parse(h[2:4]), parse(h[4:6])
			if len(h) == 8 {
				a = parse(h[6:8])
			}
		default:
			return nil, false
		}
		if !ok {
			return nil, false
		}
		return blend(float64(r), float64(g), float64(b), float64(a)/255), true
	}
	if strings.HasPrefix(s, "rgb") {
		open, close := strings.IndexByte(s, '('), strings.LastIndexByte(s, ')')
		if open < 0 || close < open {
			return nil, false
		}
		parts := strings.FieldsFunc(s[open+1:close], func(r rune) bool { return r == ',' || r == ' ' || r == '/' })
		if len(parts) < 3 {
			return nil, false
		}
		var v [4]float64
		v[3] = 1
		for i := 0; i < len(parts) && i < 4; i++ {
			p := parts[i]
			pct := strings.HasSuffix(p, "%")
			f, err := strconv.ParseFloat(strings.TrimSuffix(p, "%"), 64)
			if err != nil || math.IsNaN(f) {
				return nil, false
			}
			switch {
			case pct && i < 3:
				f = f * 255 / 100
			case pct:
				f /= 100
			}
			v[i] = f
		}
		return blend(v[0], v[1], v[2], v[3]), true
	}
	if c, ok := namedColors[s]; ok {
		return &Color{uint8(c >> 16), uint8(c >> 8), uint8(c)}, true
	}
	return nil, false
}

func blend(r, g, b, a float64) *Color {
	a = min(max(a, 0), 1)
	f := func(v float64) uint8 {
		v = min(max(v, 0), 255)
		return uint8(math.Round(v*a + 255*(1-a)))
	}
	return &Color{f(r), f(g), f(b)}
}

// minTextContrast is the contrast text needs on its fill (WCAG AA).
const minTextContrast = 4.5

// checkContrast warns when an author's style puts text on a fill it does not
// contrast with. what names the styled thing: node "A", state "Idle".
func (d *document) checkContrast(st css, fill *Color, text Color, what string) {
	if st.line <= 0 || fill == nil {
		return
	}
	if c := contrast(text, *fill); c < minTextContrast {
		d.warn(st.line, fmt.Sprintf("%s: text %s on fill %s has contrast %.1f:1, below %.1f:1", what, text.hex(), fill.hex(), math.Floor(c*10)/10, minTextContrast))
	}
}

// luminance is the relative luminance of c (WCAG 2).
func (c Color) luminance() float64 {
	lin := func(v uint8) float64 {
		x := float64(v) / 255
		if x <= 0.03928 {
			return x / 12.92
		}
		return math.Pow((x+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(c.R) + 0.7152*lin(c.G) + 0.0722*lin(c.B)
}

// contrast returns the WCAG contrast ratio of two colours, 1 to 21.
func contrast(a, b Color) float64 {
	la, lb := a.luminance(), b.luminance()
	return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)
}

// darkenTo returns c darkened, keeping its hue, until it has contrast
// ratio at least against white.
func darkenTo(c Color, ratio float64) Color {
	for k := 0; k < 100 && contrast(c, colWhite) < ratio; k++ {
		c = Color{uint8(float64(c.R) * 0.95), uint8(float64(c.G) * 0.95), uint8(float64(c.B) * 0.95)}
	}
	return c
}

// hex returns the colour as #rrggbb.
func (c Color) hex() string { return fmt.Sprintf("#%02x%02x%02x", c.R, c.G, c.B) }

// namedColors are the CSS colour keywords.
var namedColors = map[string]uint32{
	"aliceblue": 0xf0f8ff, "antiquewhite": 0xfaebd7, "aqua": 0x00ffff, "aquamarine": 0x7fffd4, "azure": 0xf0ffff,
	"beige": 0xf5f5dc, "bisque": 0xffe4c4, "black": 0x000000, "blanchedalmond": 0xffebcd, "blue": 0x0000ff,
	"blueviolet": 0x8a2be2, "brown": 0xa52a2a, "burlywood": 0xdeb887, "cadetblue": 0x5f9ea0, "chartreuse": 0x7fff00,
	"chocolate": 0xd2691e, "coral": 0xff7f50, "cornflowerblue": 0x6495ed, "cornsilk": 0xfff8dc, "crimson": 0xdc143c,
	"cyan": 0x00ffff, "darkblue": 0x00008b, "darkcyan": 0x008b8b, "darkgoldenrod": 0xb8860b, "darkgray": 0xa9a9a9,
	"darkgreen": 0x006400, "darkgrey": 0xa9a9a9, "darkkhaki": 0xbdb76b, "darkmagenta": 0x8b008b, "darkolivegreen": 0x556b2f,
	"darkorange": 0xff8c00, "darkorchid": 0x9932cc, "darkred": 0x8b0000, "darksalmon": 0xe9967a, "darkseagreen": 0x8fbc8f,
	"darkslateblue": 0x483d8b, "darkslategray": 0x2f4f4f, "darkslategrey": 0x2f4f4f, "darkturquoise": 0x00ced1, "darkviolet": 0x9400d3,
	"deeppink": 0xff1493, "deepskyblue": 0x00bfff, "dimgray": 0x696969, "dimgrey": 0x696969, "dodgerblue": 0x1e90ff,
	"firebrick": 0xb22222, "floralwhite": 0xfffaf0, "forestgreen": 0x228b22, "fuchsia": 0xff00ff, "gainsboro": 0xdcdcdc,
	"ghostwhite": 0xf8f8ff, "gold": 0xffd700, "goldenrod": 0xdaa520, "gray": 0x808080, "green": 0x008000,
	"greenyellow": 0xadff2f, "grey": 0x808080, "honeydew": 0xf0fff0, "hotpink": 0xff69b4, "indianred": 0xcd5c5c,
	"indigo": 0x4b0082, "ivory": 0xfffff0, "khaki": 0xf0e68c, "lavender": 0xe6e6fa, "lavenderblush": 0xfff0f5,
	"lawngreen": 0x7cfc00, "lemonchiffon": 0xfffacd, "lightblue": 0xadd8e6, "lightcoral": 0xf08080, "lightcyan": 0xe0ffff,
	"lightgoldenrodyellow": 0xfafad2, "lightgray": 0xd3d3d3, "lightgreen": 0x90ee90, "lightgrey": 0xd3d3d3, "lightpink": 0xffb6c1,
	"lightsalmon": 0xffa07a, "lightseagreen": 0x20b2aa, "lightskyblue": 0x87cefa, "lightslategray": 0x778899, "lightslategrey": 0x778899,
	"lightsteelblue": 0xb0c4de, "lightyellow": 0xffffe0, "lime": 0x00ff00, "limegreen": 0x32cd32, "linen": 0xfaf0e6,
	"magenta": 0xff00ff, "maroon": 0x800000, "mediumaquamarine": 0x66cdaa, "mediumblue": 0x0000cd, "mediumorchid": 0xba55d3,
	"mediumpurple": 0x9370db, "mediumseagreen": 0x3cb371, "mediumslateblue": 0x7b68ee, "mediumspringgreen": 0x00fa9a, "mediumturquoise": 0x48d1cc,
	"mediumvioletred": 0xc71585, "midnightblue": 0x191970, "mintcream": 0xf5fffa, "mistyrose": 0xffe4e1, "moccasin": 0xffe4b5,
	"navajowhite": 0xffdead, "navy": 0x000080, "oldlace": 0xfdf5e6, "olive": 0x808000, "olivedrab": 0x6b8e23,
	"orange": 0xffa500, "orangered": 0xff4500, "orchid": 0xda70d6, "palegoldenrod": 0xeee8aa, "palegreen": 0x98fb98,
	"paleturquoise": 0xafeeee, "palevioletred": 0xdb7093, "papayawhip": 0xffefd5, "peachpuff": 0xffdab9, "peru": 0xcd853f,
	"pink": 0xffc0cb, "plum": 0xdda0dd, "powderblue": 0xb0e0e6, "purple": 0x800080, "rebeccapurple": 0x663399,
	"red": 0xff0000, "rosybrown": 0xbc8f8f, "royalblue": 0x4169e1, "saddlebrown": 0x8b4513, "salmon": 0xfa8072,
	"sandybrown": 0xf4a460, "seagreen": 0x2e8b57, "seashell": 0xfff5ee, "sienna": 0xa0522d, "silver": 0xc0c0c0,
	"skyblue": 0x87ceeb, "slateblue": 0x6a5acd, "slategray": 0x708090, "slategrey": 0x708090, "snow": 0xfffafa,
	"springgreen": 0x00ff7f, "steelblue": 0x4682b4, "tan": 0xd2b48c, "teal": 0x008080, "thistle": 0xd8bfd8,
	"tomato": 0xff6347, "turquoise": 0x40e0d0, "violet": 0xee82ee, "wheat": 0xf5deb3, "white": 0xffffff,
	"whitesmoke": 0xf5f5f5, "yellow": 0xffff00, "yellowgreen": 0x9acd32,
}
