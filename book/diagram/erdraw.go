package diagram

import (
	"fmt"
	"math"
	"strings"

	"github.com/bindery-books/bindery/book/font"
)

// Entity relationship diagram sizes, points.
const (
	erPadX     = 6.0
	erPadY     = 3.0
	erAttrSize = 11.0
	erMinW     = 80.0
	erMinH     = 36.0
	erMarker   = 20.0 // length of a crow's foot end
)

var (
	colRowOdd  = Color{0xFF, 0xFF, 0xFF}
	colRowEven = Color{0xF2, 0xF2, 0xF2}
)

// erBox is an entity laid out as a table: its name over a row per
// attribute, in columns of type, name, keys and comment.
type erBox struct {
	e     *erEntity
	title *label
	cells [][4]*label
	cols  [4]float64 // column widths; 0 for an empty column
	rowH  []float64
	style css
	headH float64
	node  int
}

// erLayout is an entity relationship diagram on its way through dot.
type erLayout struct {
	er     *erDiagram
	th     *theme
	g      *graph
	boxes  []*erBox
	nodeOf map[string]int
	labels []*label
}

func (er *erDiagram) draw() (*Drawing, error) {
	th := newTheme(er.doc.theme)
	l := er.newLayout(er.dir, th)
	dir := betterDirection(er.dir, erAttrSize, l.g.estimate)
	if dir != er.dir {
		er.dir = dir
		l = er.newLayout(dir, th)
	}
	if err := l.g.layout(); err != nil {
		return nil, err
	}
	b := &builder{}
	l.paintRelations(b)
	for _, bx := range l.boxes {
		l.paintEntity(b, bx)
	}
	l.paintLabels(b)
	d := finish(b, l.g.width, l.g.height, er.doc, "er")
	d.Alt = er.alt()
	return d, nil
}

func (er *erDiagram) newLayout(dir string, th *theme) *erLayout {
	l := &erLayout{er: er, th: th, nodeOf: map[string]int{},
		g: &graph{rankdir: dir, nodesep: nodeSep, ranksep: rankSep * 2.2}}
	for _, e := range er.entities {
		bx := l.measure(e)
		bx.node = len(l.g.nodes)
		l.nodeOf[e.id] = bx.node
		l.boxes = append(l.boxes, bx)
		w, h := bx.size()
		l.g.nodes = append(l.g.nodes, &gNode{w: w, h: h, cluster: -1})
	}
	for _, r := range er.rels {
		e := &gEdge{from: l.nodeOf[r.a], to: l.nodeOf[r.b], minlen: 1}
		var lbl *label
		if r.label != "" {
			lbl = wrappedLabel(r.label, erAttrSize, classWrap)
			e.lw, e.lh = lbl.w+4, lbl.h
		}
		l.labels = append(l.labels, lbl)
		l.g.edges = append(l.g.edges, e)
	}
	return l
}

// measure sets the labels of an entity and the widths of its columns.
func (l *erLayout) measure(e *erEntity) *erBox {
	bx := &erBox{e: e, style: l.er.styleOf(e)}
	name := e.id
	if e.alias != "" {
		name = e.alias
	}
	bx.title = newLabel(name, fontSize, 0)
	restyle(bx.title, true, false)
	bx.headH = max(bx.title.h+2*erPadY+4, erMinH)
	if len(e.attrs) > 0 {
		bx.headH = bx.title.h + 2*erPadY + 4
	}
	for _, a := range e.attrs {
		row := [4]*label{
			plainLabel(a.typ, erAttrSize, font.Regular),
			plainLabel(a.name, erAttrSize, font.Regular),
			plainLabel(a.keys, erAttrSize, font.Bold),
			wrappedLabel(a.comment, erAttrSize, classWrap),
		}
		h := 0.0
		for k, c := range row {
			if !c.empty() {
				bx.cols[k] = max(bx.cols[k], c.w)
				h = max(h, c.h)
			}
		}
		bx.cells = append(bx.cells, row)
		bx.rowH = append(bx.rowH, max(h, erAttrSize*lineHeight)+2*erPadY)
	}
	return bx
}

// size returns the entity's width and height.
func (bx *erBox) size() (float64, float64) {
	w := 0.0
	for _, c := range bx.cols {
		if c > 0 {
			w += c + 2*erPadX
		}
	}
	w = max(w, bx.title.w+4*erPadX, erMinW)
	h := bx.headH
	for _, rh := range bx.rowH {
		h += rh
	}
	return w, h
}

func (er *erDiagram) styleOf(e *erEntity) css {
	var s css
	if len(e.classes) == 0 {
		s = er.classDefs["default"]
	}
	for _, name := range e.classes {
		s = s.merge(er.classDefs[name])
	}
	return s.merge(e.style)
}

// paintRelations paints the relations' lines with crow's-foot ends.
func (l *erLayout) paintRelations(b *builder) {
	for i, r := range l.er.rels {
		e := l.g.edges[i]
		if len(e.pts) < 2 {
			continue
		}
		paint := Paint{Stroke: ptr(l.th.line), Width: strokeEdge}
		if !r.identifying {
			paint.Dash = []float64{4, 3}
		}
		b.path(bezierPath(e.pts), paint)
		n := len(e.pts)
		erEnd(b, r.cardA, e.pts[0], e.pts[1], l.th.line)
		erEnd(b, r.cardB, e.pts[n-1], e.pts[n-2], l.th.line)
	}
}

// erEnd draws a cardinality at the end of a relation that touches its
// entity at tip, the line coming from the direction of from: nearest the
// entity the most (a bar for one, a crow's foot for many), then the least
// (a bar for one, a circle for zero).
func erEnd(b *builder, card int, tip, from Point, col Color) {
	dx, dy := from.X-tip.X, from.Y-tip.Y
	d := math.Hypot(dx, dy)
	if d < 1e-6 {
		return
	}
	ux, uy := dx/d, dy/d
	at := func(along, across float64) Point {
		return Point{tip.X + ux*along - uy*across, tip.Y + uy*along + ux*across}
	}
	line := Paint{Stroke: ptr(col), Width: strokeEdge * 1.3}
	bar := func(along float64) {
		p, q := at(along, -5), at(along, 5)
		b.line(p.X, p.Y, q.X, q.Y, line)
	}
	circle := func(along float64) {
		c := at(along, 0)
		b.path(ellipsePath(c.X, c.Y, 4, 4), Paint{Fill: ptr(colWhite), Stroke: ptr(col), Width: strokeEdge * 1.3})
	}
	crow := func() {
		root := at(11, 0)
		for _, across := range []float64{-6, 0, 6} {
			p := at(0, across)
			b.line(root.X, root.Y, p.X, p.Y, line)
		}
	}
	switch card {
	case erOne, erParent:
		bar(6)
		bar(10)
	case erZeroOrOne:
		bar(6)
		circle(15)
	case erOneOrMore:
		crow()
		bar(15)
	case erZeroOrMore:
		crow()
		circle(16)
	}
}

// paintEntity paints an entity: its name over its attribute rows.
func (l *erLayout) paintEntity(b *builder, bx *erBox) {
	n := l.g.nodes[bx.node]
	x, y := n.x-n.w/2, n.y-n.h/2
	fill, stroke := ptr(l.th.nodeFill), ptr(l.th.nodeStroke)
	if bx.style.fill != nil || bx.style.fillNone {
		fill = bx.style.fill
	}
	if bx.style.stroke != nil || bx.style.strokeNone {
		stroke = bx.style.stroke
	}
	col := l.th.nodeText
	if bx.style.color != nil {
		col = *bx.style.color
	}
	l.er.doc.checkContrast(bx.style, fill, col, fmt.Sprintf("entity %q", bx.e.id))
	width := orDefault(bx.style.width, strokeThin)
	b.path(rectPath(x, y, n.w, n.h, 0), Paint{Fill: fill, Stroke: stroke, Width: width})
	b.text(bx.title, n.x, y+bx.headH/2-bx.title.h/2, col, Middle)
	top := y + bx.headH
	// Spread spare width over the columns that are there.
	used, cols := 0.0, 0
	for _, c := range bx.cols {
		if c > 0 {
			used += c + 2*erPadX
			cols++
		}
	}
	extra := 0.0
	if cols > 0 {
		extra = (n.w - used) / float64(cols)
	}
	for i, row := range bx.cells {
		rowFill := colRowOdd
		if i%2 == 1 {
			rowFill = colRowEven
		}
		b.path(rectPath(x, top, n.w, bx.rowH[i], 0), Paint{Fill: ptr(rowFill), Stroke: stroke, Width: width / 2})
		cx := x
		for k, c := range row {
			if bx.cols[k] == 0 {
				continue
			}
			b.text(c, cx+erPadX, top+bx.rowH[i]/2-c.h/2, l.th.text, Start)
			cx += bx.cols[k] + 2*erPadX + extra
		}
		top += bx.rowH[i]
	}
	b.path(rectPath(x, y, n.w, n.h, 0), Paint{Stroke: stroke, Width: width})
}

// paintLabels paints the relations' labels.
func (l *erLayout) paintLabels(b *builder) {
	for i, lb := range l.labels {
		e := l.g.edges[i]
		if lb == nil || len(e.pts) < 2 {
			continue
		}
		b.path(rectPath(e.lx-e.lw/2, e.ly-e.lh/2, e.lw, e.lh, 0), Paint{Fill: ptr(l.th.labelBg)})
		b.text(lb, e.lx, e.ly-lb.h/2, l.th.text, Middle)
	}
}

var erCardWords = map[int]string{
	erOne: "exactly one", erZeroOrOne: "zero or one", erOneOrMore: "one or more",
	erZeroOrMore: "zero or more", erParent: "parent",
}

// alt lists the entities with their attributes, then the relations.
func (er *erDiagram) alt() string {
	name := func(id string) string {
		if e := er.byID[id]; e.alias != "" {
			return oneLine(e.alias)
		}
		return oneLine(id)
	}
	var parts []string
	for _, e := range er.entities {
		s := name(e.id)
		var as []string
		for _, a := range e.attrs {
			t := a.typ + " " + a.name
			if a.keys != "" {
				t += " (" + a.keys + ")"
			}
			if a.comment != "" {
				t += " “" + a.comment + "”"
			}
			as = append(as, oneLine(t))
		}
		if len(as) > 0 {
			s += " (" + strings.Join(as, ", ") + ")"
		}
		parts = append(parts, s)
	}
	for _, r := range er.rels {
		s := fmt.Sprintf("%s (%s) to %s (%s)", name(r.a), erCardWords[r.cardA], name(r.b), erCardWords[r.cardB])
		if r.label != "" {
			s += ": " + oneLine(r.label)
		}
		parts = append(parts, s)
	}
	return altText(er.doc, "Entity relationship diagram", parts)
}
