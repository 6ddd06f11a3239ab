package diagram

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/bindery-books/bindery/book/font"
)

// quadrant is a parsed quadrantChart.
type quadrant struct {
	doc       *document
	xLow      string
	xHigh     string
	yLow      string
	yHigh     string
	quadrants [4]string // quadrant-1 (top right) to quadrant-4 (bottom right)
	points    []*qPoint
	classDefs map[string]qStyle
}

type qPoint struct {
	name  string
	x, y  float64
	class string
	style qStyle
	line  int
}

// qStyle is a point's look: radius in points, fill and stroke.
type qStyle struct {
	radius      float64
	fill        *Color
	stroke      *Color
	strokeWidth float64
}

func (s qStyle) merge(o qStyle) qStyle {
	if o.radius > 0 {
		s.radius = o.radius
	}
	if o.fill != nil {
		s.fill = o.fill
	}
	if o.stroke != nil {
		s.stroke = o.stroke
	}
	if o.strokeWidth > 0 {
		s.strokeWidth = o.strokeWidth
	}
	return s
}

var (
	qPointRE = lazyRegexp(`^(.+?)(?::::([\w-]+))?\s*:\s*\[\s*([-+]?[\d.]+)\s*,\s*([-+]?[\d.]+)\s*\]\s*(.*)$`)
	qAxisRE  = lazyRegexp(`^([xy])-axis\s+(.*?)(?:\s*-->\s*(.*))?$`)
)

func parseQuadrant(doc *document) (*quadrant, error) {
	q := &quadrant{doc: doc, classDefs: map[string]qStyle{}}
	for _, ln := range doc.body() {
		s := strings.TrimSpace(trimSemicolon(ln.text))
		perr := func(format string, args ...any) error {
			return &ParseError{Line: ln.num, Msg: fmt.Sprintf(format, args...)}
		}
		if len(q.points) > maxNodes {
			return nil, perr("diagram too large")
		}
		switch {
		case keywordIs(s, "title"):
			if q.doc.title == "" {
				q.doc.title = strings.TrimSpace(s[len("title"):])
			}
			continue
		case keywordIs(s, "classDef"):
			f := strings.Fields(s)
			if len(f) < 3 {
				return nil, perr("classDef needs a name and styles")
			}
			st, err := parseQStyle(afterWords(s, 2))
			if err != nil {
				return nil, perr("%v", err)
			}
			q.classDefs[f[1]] = q.classDefs[f[1]].merge(st)
			continue
		}
		if m := qAxisRE().FindStringSubmatch(s); m != nil {
			low, high := unquote(strings.TrimSpace(m[2])), unquote(strings.TrimSpace(m[3]))
			if m[1] == "x" {
				q.xLow, q.xHigh = low, high
			} else {
				q.yLow, q.yHigh = low, high
			}
			continue
		}
		if k, ok := strings.CutPrefix(s, "quadrant-"); ok && len(k) >= 1 && k[0] >= '1' && k[0] <= '4' {
			q.quadrants[k[0]-'1'] = unquote(strings.TrimSpace(k[1:]))
			continue
		}
		m := qPointRE().FindStringSubmatch(s)
		if m == nil {
			return nil, perr("unexpected %q", snippet(s))
		}
		p := &qPoint{name: unquote(strings.TrimSpace(m[1])), class: m[2], line: ln.num}
		var err1, err2 error
		p.x, err1 = strconv.ParseFloat(m[3], 64)
		p.y, err2 = strconv.ParseFloat(m[4], 64)
		if err1 != nil || err2 != nil || p.x < 0 || p.x > 1 || p.y < 0 || p.y > 1 {
			return nil, perr("point %q: x and y must be numbers from 0 to 1", p.name)
		}
		st, err := parseQStyle(m[5])
		if err != nil {
			return nil, perr("point %q: %v", p.name, err)
		}
		p.style = st
		q.points = append(q.points, p)
	}
	return q, nil
}

// parseQStyle reads "radius: 10, color: #ff0000, stroke-color: #000,
// stroke-width: 2px".
func parseQStyle(s string) (qStyle, error) {
	var st qStyle
	for _, decl := range strings.Split(s, ",") {
		if strings.TrimSpace(decl) == "" {
			continue
		}
		k, v, ok := strings.Cut(decl, ":")
		if !ok {
			return st, fmt.Errorf("bad style %q", strings.TrimSpace(decl))
		}
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		switch k {
		case "radius":
			r, err := strconv.ParseFloat(strings.TrimSuffix(v, "px"), 64)
			if err != nil || r < 0 {
				return st, fmt.Errorf("bad radius %q", v)
			}
			st.radius = min(r*0.75, 40)
		case "color":
			c, ok := parseColor(v)
			if !ok || c == nil {
				return st, fmt.Errorf("bad color %q", v)
			}
			st.fill = c
		case "stroke-color":
			c, ok := parseColor(v)
			if !ok || c == nil {
				return st, fmt.Errorf("bad stroke-color %q", v)
			}
			st.stroke = c
		case "stroke-width":
			w, ok := parseLength(v)
			if !ok || w < 0 {
				return st, fmt.Errorf("bad stroke-width %q", v)
			}
			st.strokeWidth = min(w, 10)
		default:
			return st, fmt.Errorf("unknown style %q", k)
		}
	}
	return st, nil
}

// Quadrant chart sizes, points.
const (
	qSize     = 300.0 // the chart's side
	qText     = 11.0
	qAxisWrap = 80.0
	qPointR   = 3.75 // mermaid's 5px
)

var (
	qFills      = [4]Color{{0xEC, 0xEC, 0xFF}, {0xF1, 0xF1, 0xFF}, {0xF6, 0xF6, 0xFF}, {0xFB, 0xFB, 0xFF}}
	colQPoint   = Color{0x56, 0x48, 0xB8}
	colQuadLine = Color{0x93, 0x70, 0xDB}
)

func (q *quadrant) draw() (*Drawing, error) {
	b := &builder{}
	yLow, yHigh := wrappedLabel(q.yLow, qText, qAxisWrap), wrappedLabel(q.yHigh, qText, qAxisWrap)
	x0 := max(yLow.w, yHigh.w)
	if x0 > 0 {
		x0 += 8
	}
	half := qSize / 2
	// Quadrants 2 and 1 on top, 3 and 4 below.
	corners := [4]Point{{x0 + half, 0}, {x0, 0}, {x0, half}, {x0 + half, half}}
	for i, c := range corners {
		b.path(rectPath(c.X, c.Y, half, half, 0), Paint{Fill: ptr(qFills[i])})
	}
	b.path(rectPath(x0, 0, qSize, qSize, 0), Paint{Stroke: ptr(colQuadLine), Width: 2})
	b.line(x0+half, 0, x0+half, qSize, Paint{Stroke: ptr(colQuadLine), Width: 1})
	b.line(x0, half, x0+qSize, half, Paint{Stroke: ptr(colQuadLine), Width: 1})
	for i, c := range corners {
		if q.quadrants[i] != "" {
			lb := wrappedLabel(q.quadrants[i], qText, half-12)
			restyle(lb, true, false)
			b.text(lb, c.X+half/2, c.Y+6, colText, Middle)
		}
	}
	// The axes: y labels left of the chart, x labels under it.
	if q.yHigh == "" {
		b.text(yLow, x0-8, half-yLow.h/2, colText, End)
	} else {
		b.text(yLow, x0-8, half+half/2-yLow.h/2, colText, End)
		b.text(yHigh, x0-8, half/2-yHigh.h/2, colText, End)
	}
	xLow, xHigh := wrappedLabel(q.xLow, qText, half-8), wrappedLabel(q.xHigh, qText, half-8)
	if q.xHigh == "" {
		b.text(xLow, x0+half, qSize+4, colText, Middle)
	} else {
		b.text(xLow, x0+half/2, qSize+4, colText, Middle)
		b.text(xHigh, x0+half+half/2, qSize+4, colText, Middle)
	}
	q.paintPoints(b, x0)
	d := finish(b, x0+qSize, qSize+4+max(xLow.h, xHigh.h), q.doc, "quadrant")
	d.Alt = q.alt()
	return d, nil
}

// paintPoints paints the points with their names under them.
func (q *quadrant) paintPoints(b *builder, x0 float64) {
	for _, p := range q.points {
		st := qStyle{radius: qPointR, fill: &colQPoint}.merge(q.classDefs[p.class]).merge(p.style)
		cx, cy := x0+p.x*qSize, qSize-p.y*qSize
		paint := Paint{Fill: st.fill}
		if st.stroke != nil || st.strokeWidth > 0 {
			paint.Stroke, paint.Width = st.stroke, orDefault(st.strokeWidth, 1)
			if paint.Stroke == nil {
				paint.Stroke = ptr(colLine)
			}
		}
		b.path(ellipsePath(cx, cy, st.radius, st.radius), paint)
		lb := plainLabel(p.name, qText, font.Regular)
		top := cy + st.radius + 2
		if top+lb.h > qSize {
			top = cy - st.radius - 2 - lb.h
		}
		anchor, x := Middle, cx
		switch {
		case cx-lb.w/2 < x0:
			anchor, x = Start, x0+2
		case cx+lb.w/2 > x0+qSize:
			anchor, x = End, x0+qSize-2
		}
		b.text(lb, x, top, colText, anchor)
	}
}

// alt names the axes and quadrants and places the points.
func (q *quadrant) alt() string {
	var parts []string
	axis := func(name, low, high string) {
		switch {
		case low != "" && high != "":
			parts = append(parts, fmt.Sprintf("%s axis from %s to %s", name, oneLine(low), oneLine(high)))
		case low != "":
			parts = append(parts, fmt.Sprintf("%s axis: %s", name, oneLine(low)))
		}
	}
	axis("X", q.xLow, q.xHigh)
	axis("Y", q.yLow, q.yHigh)
	where := [4]string{"Top right", "Top left", "Bottom left", "Bottom right"}
	for i, s := range q.quadrants {
		if s != "" {
			parts = append(parts, fmt.Sprintf("%s quadrant: %s", where[i], oneLine(s)))
		}
	}
	var ps []string
	for _, p := range q.points {
		ps = append(ps, fmt.Sprintf("%s (%s, %s)", oneLine(p.name), strconv.FormatFloat(p.x, 'f', -1, 64), strconv.FormatFloat(p.y, 'f', -1, 64)))
	}
	if len(ps) > 0 {
		parts = append(parts, "Points "+strings.Join(ps, ", "))
	}
	return altText(q.doc, "Quadrant chart", parts)
}
