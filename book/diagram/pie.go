package diagram

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/bindery-books/bindery/book/font"
)

// pie is a parsed pie chart.
type pie struct {
	doc      *document
	showData bool
	slices   []pieSlice
}

type pieSlice struct {
	label string
	value float64
}

var pieSliceRE = lazyRegexp(`^"([^"]*)"\s*:\s*([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)$`)

func parsePie(doc *document) (*pie, error) {
	p := &pie{doc: doc}
	hdr := doc.lines[doc.header].num
	rest := doc.headerRest()
	if r, ok := strings.CutPrefix(rest, "showData"); ok {
		p.showData, rest = true, strings.TrimSpace(r)
	}
	if err := p.title(rest, hdr); err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	for _, ln := range doc.body() {
		s := strings.TrimSpace(trimSemicolon(ln.text))
		switch {
		case s == "showData":
			p.showData = true
			continue
		case keywordIs(s, "title"):
			if err := p.title(s, ln.num); err != nil {
				return nil, err
			}
			continue
		}
		m := pieSliceRE().FindStringSubmatch(s)
		if m == nil {
			return nil, &ParseError{Line: ln.num, Msg: fmt.Sprintf("unexpected %q: want \"label\" : value", snippet(s))}
		}
		v, err := strconv.ParseFloat(m[2], 64)
		if err != nil || math.IsInf(v, 0) || v < 0 {
			return nil, &ParseError{Line: ln.num, Msg: fmt.Sprintf("%q: a slice's value must be a number, zero or more", m[1])}
		}
		if seen[m[1]] {
			continue // mermaid keeps the first value of a label
		}
		seen[m[1]] = true
		p.slices = append(p.slices, pieSlice{m[1], v})
		if len(p.slices) > maxNodes {
			return nil, &ParseError{Line: ln.num, Msg: "diagram too large"}
		}
	}
	return p, nil
}

// title reads "title Text" (or nothing).
func (p *pie) title(s string, line int) error {
	if s == "" {
		return nil
	}
	t, ok := strings.CutPrefix(s, "title")
	if !ok || t != "" && t[0] != ' ' && t[0] != '\t' {
		return &ParseError{Line: line, Msg: fmt.Sprintf("unexpected %q", snippet(s))}
	}
	if p.doc.title == "" {
		p.doc.title = strings.TrimSpace(t)
	}
	return nil
}

// Pie chart sizes, points.
const (
	pieRadius  = 110.0
	pieText    = 12.0
	pieKey     = 12.0 // a legend square
	pieKeyGap  = 5.0
	pieLegendW = 200.0 // legend labels wrap here
)

// pieColors are mermaid's default pie1 to pie12.
var pieColors = []Color{
	{0xEC, 0xEC, 0xFF}, {0xFF, 0xFF, 0xDE}, {0xB5, 0xFF, 0x20}, {0xB9, 0xB9, 0xFF},
	{0xFF, 0xFF, 0x45}, {0xD7, 0xFF, 0x86}, {0xFF, 0x86, 0xFF}, {0x20, 0xFF, 0xFF},
	{0xFF, 0x20, 0x20}, {0xFF, 0x20, 0xFF}, {0x20, 0xFF, 0x8F}, {0xFF, 0x53, 0x53},
}

func (p *pie) draw() (*Drawing, error) {
	// As mermaid, largest first, clockwise from twelve o'clock.
	order := slices.Clone(p.slices)
	slices.SortStableFunc(order, func(a, b pieSlice) int { return cmp.Compare(b.value, a.value) })
	sum := 0.0
	for _, s := range order {
		sum += s.value
	}
	b := &builder{}
	cx, cy := pieRadius+2, pieRadius+2
	edge := Paint{Stroke: ptr(colBlack), Width: 1.5}
	b.path(ellipsePath(cx, cy, pieRadius, pieRadius), Paint{Fill: ptr(pieColors[0]), Stroke: ptr(colBlack), Width: 1.5})
	angle := 0.0
	type mark struct {
		lb    *label
		x, y  float64
		sweep float64
	}
	var marks []mark
	for i, s := range order {
		if sum <= 0 {
			break
		}
		sweep := 2 * math.Pi * s.value / sum
		if sweep > 0 {
			b.path(wedgePath(cx, cy, pieRadius, angle, angle+sweep), Paint{Fill: ptr(pieColors[i%len(pieColors)]), Stroke: edge.Stroke, Width: edge.Width})
		}
		mid := angle + sweep/2
		lb := plainLabel(strconv.FormatFloat(math.Round(s.value/sum*100), 'f', 0, 64)+"%", pieText, font.Regular)
		marks = append(marks, mark{lb, cx + 0.75*pieRadius*math.Sin(mid), cy - 0.75*pieRadius*math.Cos(mid), sweep})
		angle += sweep
	}
	for _, m := range marks {
		// Only where the slice is wide enough at that radius to hold it.
		if m.sweep*0.75*pieRadius >= m.lb.w+6 && m.sweep > 0.2 {
			b.text(m.lb, m.x, m.y-m.lb.h/2, colBlack, Middle)
		}
	}
	w, h := p.legend(b, order, 2*pieRadius+4+24, cy)
	d := finish(b, w, max(h, 2*pieRadius+4), p.doc, "pie")
	d.Alt = p.alt(order, sum)
	return d, nil
}

// legend writes a key of colour squares and labels left-aligned at x,
// centred on cy, and returns the drawing's width and height with it.
func (p *pie) legend(b *builder, order []pieSlice, x, cy float64) (float64, float64) {
	var labels []*label
	total := 0.0
	for _, s := range order {
		t := s.label
		if p.showData {
			t += " [" + strconv.FormatFloat(s.value, 'f', -1, 64) + "]"
		}
		lb := wrappedLabel(t, pieText, pieLegendW)
		labels = append(labels, lb)
		total += max(lb.h, pieKey) + pieKeyGap
	}
	y := cy - total/2
	right, bottom := x, y
	for i, lb := range labels {
		rowH := max(lb.h, pieKey)
		col := pieColors[i%len(pieColors)]
		b.path(rectPath(x, y+rowH/2-pieKey/2, pieKey, pieKey, 0), Paint{Fill: ptr(col), Stroke: ptr(colBlack), Width: 0.75})
		b.text(lb, x+pieKey+pieKeyGap, y+rowH/2-lb.h/2, colText, Start)
		right = max(right, x+pieKey+pieKeyGap+lb.w)
		y += rowH + pieKeyGap
		bottom = y
	}
	return right, max(bottom, 0)
}

// wedgePath returns a slice of a circle from angle a0 to a1 (radians,
// clockwise from twelve o'clock), in Bézier pieces of at most a quarter turn.
func wedgePath(cx, cy, r, a0, a1 float64) Path {
	pt := func(a float64) Point { return Point{cx + r*math.Sin(a), cy - r*math.Cos(a)} }
	var pb pathBuilder
	if a1-a0 < 2*math.Pi-1e-9 {
		pb.move(cx, cy)
		p := pt(a0)
		pb.line(p.X, p.Y)
	} else {
		p := pt(a0)
		pb.move(p.X, p.Y)
	}
	n := int(math.Ceil((a1 - a0) / (math.Pi / 2)))
	step := (a1 - a0) / float64(n)
	k := 4.0 / 3 * math.Tan(step/4) * r
	for i := range n {
		s, e := a0+float64(i)*step, a0+float64(i+1)*step
		ps, pe := pt(s), pt(e)
		// Tangents: clockwise direction at angle a is (cos a, sin a).
		c1 := Point{ps.X + k*math.Cos(s), ps.Y + k*math.Sin(s)}
		c2 := Point{pe.X - k*math.Cos(e), pe.Y - k*math.Sin(e)}
		pb.cubic(c1.X, c1.Y, c2.X, c2.Y, pe.X, pe.Y)
	}
	return pb.close().p
}

// alt lists the slices with their shares.
func (p *pie) alt(order []pieSlice, sum float64) string {
	var parts []string
	for _, s := range order {
		t := oneLine(s.label)
		if sum > 0 {
			t += fmt.Sprintf(" %s%%", strconv.FormatFloat(math.Round(s.value/sum*1000)/10, 'f', -1, 64))
		}
		if p.showData {
			t += " (" + strconv.FormatFloat(s.value, 'f', -1, 64) + ")"
		}
		parts = append(parts, t)
	}
	if len(parts) == 0 {
		return altText(p.doc, "Pie chart", nil)
	}
	return altText(p.doc, "Pie chart", []string{strings.Join(parts, ", ")})
}
