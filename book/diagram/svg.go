package diagram

import (
	"bytes"
	"math"
	"strconv"
	"strings"

	"github.com/bindery-books/bindery/book/font"
)

// SVG returns the drawing as a standalone SVG 1.1 document: paths and plain
// <text> (no foreignObject, no CSS, no script), sized in points, with the
// alt text as its <title>. The same drawing always gives the same bytes.
func (d *Drawing) SVG() []byte {
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	w, h := num(d.Width), num(d.Height)
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="` + w + `pt" height="` + h + `pt" viewBox="0 0 ` + w + ` ` + h + `">` + "\n")
	if d.Alt != "" {
		b.WriteString("<title>")
		writeEscaped(&b, d.Alt)
		b.WriteString("</title>\n")
	}
	b.WriteString(`<rect x="0" y="0" width="` + w + `" height="` + h + `" fill="#ffffff"/>` + "\n")
	b.WriteString(`<g font-family="DejaVu Sans, Verdana, Arial, sans-serif">` + "\n")
	for i := 0; i < len(d.Ops); i++ {
		op := &d.Ops[i]
		switch op.Kind {
		case OpPath:
			writePath(&b, op)
		case OpText:
			if op.group == 0 {
				writeText(&b, op.X, op.Y, op.Style.Anchor, op.Style, []*Op{op})
				continue
			}
			runs := []*Op{op}
			for i+1 < len(d.Ops) && d.Ops[i+1].Kind == OpText && d.Ops[i+1].group == op.group {
				i++
				runs = append(runs, &d.Ops[i])
			}
			writeText(&b, op.lineX, op.Y, op.lineAnchor, op.Style, runs)
		}
	}
	b.WriteString("</g>\n</svg>\n")
	return b.Bytes()
}

// num formats a coordinate with at most two decimals.
func num(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "0"
	}
	v = math.Round(v*100) / 100
	if v == 0 {
		return "0"
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

func writePath(b *bytes.Buffer, op *Op) {
	b.WriteString(`<path d="`)
	for i, s := range op.Path.Segs {
		if i > 0 {
			b.WriteByte(' ')
		}
		switch s.Kind {
		case MoveTo:
			b.WriteString("M" + num(s.Pts[0].X) + " " + num(s.Pts[0].Y))
		case LineTo:
			b.WriteString("L" + num(s.Pts[0].X) + " " + num(s.Pts[0].Y))
		case CubicTo:
			b.WriteString("C" + num(s.Pts[0].X) + " " + num(s.Pts[0].Y) + " " + num(s.Pts[1].X) + " " + num(s.Pts[1].Y) + " " + num(s.Pts[2].X) + " " + num(s.Pts[2].Y))
		case Close:
			b.WriteString("Z")
		}
	}
	b.WriteString(`"`)
	p := op.Paint
	if p.Fill != nil {
		b.WriteString(` fill="` + p.Fill.hex() + `"`)
	} else {
		b.WriteString(` fill="none"`)
	}
	if p.Stroke != nil {
		b.WriteString(` stroke="` + p.Stroke.hex() + `" stroke-width="` + num(p.Width) + `"`)
		if len(p.Dash) > 0 {
			var ds []string
			for _, x := range p.Dash {
				ds = append(ds, num(x))
			}
			b.WriteString(` stroke-dasharray="` + strings.Join(ds, " ") + `"`)
		}
	}
	b.WriteString("/>\n")
}

func fontAttrs(b *bytes.Buffer, st TextStyle) {
	switch st.Face.Style {
	case font.Bold:
		b.WriteString(` font-weight="bold"`)
	case font.Italic:
		b.WriteString(` font-style="italic"`)
	case font.BoldItalic:
		b.WriteString(` font-weight="bold" font-style="italic"`)
	}
}

func writeText(b *bytes.Buffer, x, y float64, anchor Anchor, st TextStyle, runs []*Op) {
	b.WriteString(`<text x="` + num(x) + `" y="` + num(y) + `" font-size="` + num(st.Size) + `" fill="` + st.Color.hex() + `"`)
	switch anchor {
	case Middle:
		b.WriteString(` text-anchor="middle"`)
	case End:
		b.WriteString(` text-anchor="end"`)
	}
	if len(runs) == 1 {
		fontAttrs(b, st)
		b.WriteString(">")
		writeEscaped(b, runs[0].Text)
		b.WriteString("</text>\n")
		return
	}
	b.WriteString(">")
	for _, r := range runs {
		b.WriteString("<tspan")
		fontAttrs(b, r.Style)
		b.WriteString(">")
		writeEscaped(b, r.Text)
		b.WriteString("</tspan>")
	}
	b.WriteString("</text>\n")
}

// writeEscaped writes s as XML character data, leaving out characters XML
// does not allow.
func writeEscaped(b *bytes.Buffer, s string) {
	for _, r := range s {
		switch {
		case r == '&':
			b.WriteString("&amp;")
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '"':
			b.WriteString("&quot;")
		case r == '\t' || r == '\n':
			b.WriteByte(' ')
		case r < 0x20 || r >= 0xD800 && r <= 0xDFFF || r == 0xFFFE || r == 0xFFFF:
		default:
			b.WriteRune(r)
		}
	}
}
