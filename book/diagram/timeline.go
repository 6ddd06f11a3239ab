package diagram

import (
	"fmt"
	"strings"
)

// timeline is a parsed timeline: periods with their events, in sections.
type timeline struct {
	doc      *document
	sections []*tlSection
	periods  []*tlPeriod
}

type tlSection struct {
	name  string
	first int // index of its first period; last is the next section's first - 1
}

type tlPeriod struct {
	name    string
	events  []string
	section int // -1 before any section
}

func parseTimeline(doc *document) (*timeline, error) {
	tl := &timeline{doc: doc}
	section := -1
	for _, ln := range doc.body() {
		s := strings.TrimSpace(ln.text)
		if strings.HasPrefix(s, "#") {
			continue // a comment
		}
		if len(tl.periods) > maxNodes {
			return nil, &ParseError{Line: ln.num, Msg: "diagram too large"}
		}
		switch {
		case keywordIs(s, "title"):
			if tl.doc.title == "" {
				tl.doc.title = strings.TrimSpace(s[len("title"):])
			}
			continue
		case keywordIs(s, "section"):
			section = len(tl.sections)
			tl.sections = append(tl.sections, &tlSection{name: strings.TrimSpace(s[len("section"):]), first: len(tl.periods)})
			continue
		case keywordIs(s, "direction"):
			continue
		}
		parts := splitEvents(s)
		if parts[0] != "" {
			tl.periods = append(tl.periods, &tlPeriod{name: parts[0], section: section})
		} else if len(tl.periods) == 0 {
			return nil, &ParseError{Line: ln.num, Msg: fmt.Sprintf("event %q before any period", snippet(s))}
		}
		p := tl.periods[len(tl.periods)-1]
		for _, e := range parts[1:] {
			if e != "" {
				p.events = append(p.events, e)
			}
		}
	}
	return tl, nil
}

// splitEvents splits "period : event : event" at colons followed by a
// space (a colon in "10:30" does not split), as mermaid's lexer does.
func splitEvents(s string) []string {
	var parts []string
	start := 0
	for i := 0; i < len(s); i++ {
		if s[i] == ':' && (i+1 == len(s) || s[i+1] == ' ' || s[i+1] == '\t') {
			parts = append(parts, strings.TrimSpace(s[start:i]))
			start = i + 1
		}
	}
	return append(parts, strings.TrimSpace(s[start:]))
}

// Timeline sizes, points.
const (
	tlBoxW    = 110.0 // a period's or event's box
	tlText    = 11.0
	tlPad     = 6.0
	tlGap     = 12.0 // between columns
	tlEvGap   = 8.0  // between events
	tlMaxWide = 520.0
)

// tlColors are the sections' (or, without sections, the periods') fills.
var tlColors = []Color{
	{0xEC, 0xEC, 0xFF}, {0xFF, 0xFF, 0xDE}, {0xE0, 0xF5, 0xD0}, {0xFF, 0xE0, 0xE8},
	{0xD8, 0xEE, 0xFF}, {0xFF, 0xE9, 0xCC}, {0xE8, 0xDC, 0xFF}, {0xD4, 0xF4, 0xEE},
	{0xFF, 0xF1, 0xA8}, {0xF0, 0xE0, 0xD0}, {0xDD, 0xE6, 0xEE}, {0xF5, 0xD5, 0xF5},
}

func (tl *timeline) color(p int) Color {
	if s := tl.periods[p].section; s >= 0 {
		return tlColors[s%len(tlColors)]
	}
	return tlColors[p%len(tlColors)]
}

func (tl *timeline) draw() (*Drawing, error) {
	b := &builder{}
	var w, h float64
	if n := len(tl.periods); float64(n)*(tlBoxW+tlGap) <= tlMaxWide {
		w, h = tl.drawAcross(b)
	} else {
		w, h = tl.drawDown(b)
	}
	d := finish(b, w, h, tl.doc, "timeline")
	d.Alt = tl.alt()
	return d, nil
}

// tlBox paints a filled box with a label in it and returns its height.
func tlBox(b *builder, lb *label, x, y, w float64, fill Color) float64 {
	h := lb.h + 2*tlPad
	b.path(rectPath(x, y, w, h, 4), Paint{Fill: ptr(fill), Stroke: ptr(colNodeStroke), Width: strokeThin})
	b.text(lb, x+w/2, y+tlPad, colText, Middle)
	return h
}

func tlLabel(s string, bold bool) *label {
	lb := wrappedLabel(s, tlText, tlBoxW-2*tlPad)
	if bold {
		restyle(lb, true, false)
	}
	return lb
}

// drawAcross lays the periods out left to right, as mermaid does: section
// headers over their periods, a line under the periods, each period's
// events stacked below it.
func (tl *timeline) drawAcross(b *builder) (float64, float64) {
	n := len(tl.periods)
	x := func(p int) float64 { return float64(p) * (tlBoxW + tlGap) }
	y := 0.0
	if len(tl.sections) > 0 {
		hh := 0.0
		for i, s := range tl.sections {
			last := n - 1
			if i+1 < len(tl.sections) {
				last = tl.sections[i+1].first - 1
			}
			if last < s.first {
				continue
			}
			lb := wrappedLabel(s.name, tlText, x(last)+tlBoxW-x(s.first)-2*tlPad)
			restyle(lb, true, false)
			hh = max(hh, tlBox(b, lb, x(s.first), 0, x(last)+tlBoxW-x(s.first), tlColors[i%len(tlColors)]))
		}
		y = hh + tlGap
	}
	labels := make([]*label, n)
	ph := 0.0
	for i, p := range tl.periods {
		labels[i] = tlLabel(p.name, true)
		ph = max(ph, labels[i].h+2*tlPad)
	}
	for i := range tl.periods {
		b.path(rectPath(x(i), y, tlBoxW, ph, 4), Paint{Fill: ptr(tl.color(i)), Stroke: ptr(colNodeStroke), Width: strokeThin})
		b.text(labels[i], x(i)+tlBoxW/2, y+ph/2-labels[i].h/2, colText, Middle)
	}
	lineY := y + ph + tlGap
	width := x(n-1) + tlBoxW
	b.line(0, lineY, width+4, lineY, Paint{Stroke: ptr(colLine), Width: 1.5})
	b.arrowhead(Point{width + 10, lineY}, Point{width, lineY}, 8, 4, colLine)
	bottom := lineY
	for i, p := range tl.periods {
		ey := lineY + tlGap
		cx := x(i) + tlBoxW/2
		if len(p.events) > 0 {
			var ops builder
			for _, e := range p.events {
				ey += tlBox(&ops, tlLabel(e, false), x(i), ey, tlBoxW, tl.color(i)) + tlEvGap
			}
			b.line(cx, y+ph, cx, ey-tlEvGap, Paint{Stroke: ptr(colLine), Width: strokeThin, Dash: []float64{3, 3}})
			b.ops = append(b.ops, ops.ops...)
			b.group += ops.group
		}
		bottom = max(bottom, ey)
	}
	return width + 10, bottom
}

// drawDown lays a timeline too long for a page's width out top to bottom:
// each period on the left, its events in a row beside it, wrapping; a
// section's name heads its periods.
func (tl *timeline) drawDown(b *builder) (float64, float64) {
	y := 0.0
	evX := tlBoxW + 2*tlGap
	perRow := max(1, int((tlMaxWide-evX+tlGap)/(tlBoxW+tlGap)))
	right := evX + float64(perRow)*(tlBoxW+tlGap) - tlGap
	next := 0
	for i, p := range tl.periods {
		for next < len(tl.sections) && tl.sections[next].first <= i {
			lb := wrappedLabel(tl.sections[next].name, tlText, right-2*tlPad)
			restyle(lb, true, false)
			y += tlBox(b, lb, 0, y, right, tlColors[next%len(tlColors)]) + tlEvGap
			next++
		}
		top := y
		ph := tlBox(b, tlLabel(p.name, true), 0, top, tlBoxW, tl.color(i))
		rowH := ph
		for k, e := range p.events {
			if k > 0 && k%perRow == 0 {
				top += rowH + tlEvGap
				rowH = 0
			}
			ex := evX + float64(k%perRow)*(tlBoxW+tlGap)
			if k == 0 {
				b.line(tlBoxW, y+ph/2, ex, top+ph/2, Paint{Stroke: ptr(colLine), Width: strokeThin, Dash: []float64{3, 3}})
			}
			rowH = max(rowH, tlBox(b, tlLabel(e, false), ex, top, tlBoxW, tl.color(i)))
		}
		y = top + rowH + tlGap
	}
	return right, y - tlGap
}

// alt lists the periods with their events, section by section.
func (tl *timeline) alt() string {
	var parts []string
	next := 0
	for i, p := range tl.periods {
		s := oneLine(p.name)
		if len(p.events) > 0 {
			var es []string
			for _, e := range p.events {
				es = append(es, oneLine(e))
			}
			s += ": " + strings.Join(es, ", ")
		}
		for next < len(tl.sections) && tl.sections[next].first <= i {
			s = "Section " + oneLine(tl.sections[next].name) + " — " + s
			next++
		}
		parts = append(parts, s)
	}
	return altText(tl.doc, "Timeline", parts)
}
