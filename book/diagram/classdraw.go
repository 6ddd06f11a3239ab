package diagram

import (
	"fmt"
	"math"
	"strings"

	"github.com/bindery-books/bindery/book/font"
)

// Class diagram sizes, points.
const (
	classPadX     = 8.0
	classPadY     = 5.0
	classMinW     = 60.0
	classMember   = 11.0 // members' font size
	classCardSize = 10.0 // cardinalities' font size
	classMarker   = 12.0 // length of an end marker
	classWrap     = 220.0
)

// cdBox is a class laid out as a box of three compartments.
type cdBox struct {
	c            *cdClass
	annot, title *label
	attrs, meths []*label
	style        css
	node         int
	hTitle       float64 // heights of the compartments
	hAttrs       float64
	hMeths       float64
}

// cdLayout is a class diagram on its way through dot.
type cdLayout struct {
	cd      *classDiagram
	th      *theme
	g       *graph
	boxes   []*cdBox
	nodeOf  map[string]int
	nsIndex map[*cdNamespace]int
	nsTitle []*label
	notes   []stNoteLaid
	rels    []int // edge index of each relation
	labels  []*label
}

func (cd *classDiagram) draw() (*Drawing, error) {
	th := newTheme(cd.doc.theme)
	l := cd.newLayout(cd.dir, th)
	dir := betterDirection(cd.dir, classMember, l.g.estimate)
	if dir != cd.dir {
		cd.dir = dir
		l = cd.newLayout(dir, th)
	}
	if err := l.g.layout(); err != nil {
		return nil, err
	}
	b := &builder{}
	l.paintNamespaces(b)
	l.paintRelations(b)
	l.paintNotes(b)
	for _, bx := range l.boxes {
		l.paintClass(b, bx)
	}
	l.paintRelationText(b)
	d := finish(b, l.g.width, l.g.height, cd.doc, "class")
	d.Alt = cd.alt()
	return d, nil
}

// newLayout gives dot the namespaces as clusters, the classes and notes as
// nodes and the relations as edges.
func (cd *classDiagram) newLayout(dir string, th *theme) *cdLayout {
	l := &cdLayout{cd: cd, th: th, nodeOf: map[string]int{}, nsIndex: map[*cdNamespace]int{},
		g: &graph{rankdir: dir, nodesep: nodeSep, ranksep: rankSep * 1.2}}
	for _, ns := range cd.namespaces {
		l.nsIndex[ns] = len(l.g.clusters)
		t := newLabel(ns.name, fontSize, 0)
		l.nsTitle = append(l.nsTitle, t)
		l.g.clusters = append(l.g.clusters, &gCluster{parent: -1, lw: t.w + 8, lh: t.h + clusterPadY})
	}
	for i, ns := range cd.namespaces {
		if ns.parent != nil {
			l.g.clusters[i].parent = l.nsIndex[ns.parent]
		}
	}
	for _, c := range cd.classes {
		bx := l.measure(c)
		cl := -1
		if c.ns != nil {
			cl = l.nsIndex[c.ns]
		}
		bx.node = len(l.g.nodes)
		l.nodeOf[c.id] = bx.node
		l.boxes = append(l.boxes, bx)
		w := 0.0
		for _, lb := range append(append([]*label{bx.annot, bx.title}, bx.attrs...), bx.meths...) {
			if lb != nil {
				w = max(w, lb.w)
			}
		}
		l.g.nodes = append(l.g.nodes, &gNode{w: max(classMinW, w+2*classPadX), h: bx.hTitle + bx.hAttrs + bx.hMeths, cluster: cl})
	}
	l.addNotes()
	for _, r := range cd.relations {
		e := &gEdge{from: l.nodeOf[r.from], to: l.nodeOf[r.to], minlen: 1}
		var lbl *label
		if r.label != "" {
			lbl = wrappedLabel(r.label, classMember, classWrap)
			e.lw, e.lh = lbl.w+4, lbl.h
			if r.fromCard != "" || r.toCard != "" {
				// Room for the cardinalities between the ends and the label.
				e.minlen = 2
			}
		}
		l.labels = append(l.labels, lbl)
		l.rels = append(l.rels, len(l.g.edges))
		l.g.edges = append(l.g.edges, e)
	}
	return l
}

// measure sets the labels of a class and the heights of its compartments.
func (l *cdLayout) measure(c *cdClass) *cdBox {
	bx := &cdBox{c: c, style: l.cd.styleOf(c)}
	if len(c.annotations) > 0 {
		var as []string
		for _, a := range c.annotations {
			as = append(as, "«"+a+"»")
		}
		bx.annot = plainLabel(strings.Join(as, "\n"), classMember, font.Regular)
	}
	bx.title = newLabel(c.label, fontSize, 0)
	restyle(bx.title, true, false)
	bx.hTitle = bx.title.h + 2*classPadY
	if bx.annot != nil {
		bx.hTitle += bx.annot.h
	}
	member := func(m cdMember) *label {
		lb := plainLabel(m.text, classMember, font.Regular)
		if m.abstract {
			restyle(lb, false, true)
		}
		return lb
	}
	bx.hAttrs, bx.hMeths = classPadY, classPadY
	for _, m := range c.attributes {
		lb := member(m)
		bx.attrs = append(bx.attrs, lb)
		bx.hAttrs += lb.h
	}
	for _, m := range c.methods {
		lb := member(m)
		bx.meths = append(bx.meths, lb)
		bx.hMeths += lb.h
	}
	if len(c.attributes) > 0 {
		bx.hAttrs += classPadY
	}
	if len(c.methods) > 0 {
		bx.hMeths += classPadY
	}
	return bx
}

// addNotes makes notes nodes: beside their class, or free.
func (l *cdLayout) addNotes() {
	for _, n := range l.cd.notes {
		lbl := wrappedLabel(strings.ReplaceAll(n.text, `\n`, "<br/>"), classMember, noteWrap)
		gn := &gNode{w: lbl.w + 2*notePad, h: lbl.h + 2*notePad, cluster: -1}
		nl := stNoteLaid{lbl: lbl, node: len(l.g.nodes), state: -1}
		l.g.nodes = append(l.g.nodes, gn)
		if t, ok := l.nodeOf[n.class]; ok && n.class != "" {
			nl.state = t
			gn.cluster = l.g.nodes[t].cluster
			l.g.sameRank = append(l.g.sameRank, []int{t, nl.node})
			l.g.edges = append(l.g.edges, &gEdge{from: t, to: nl.node, invisible: true})
		}
		l.notes = append(l.notes, nl)
	}
}

func (cd *classDiagram) styleOf(c *cdClass) css {
	var s css
	if len(c.classes) == 0 {
		s = cd.classDefs["default"]
	}
	for _, name := range c.classes {
		s = s.merge(cd.classDefs[name])
	}
	return s.merge(c.style)
}

// paintNamespaces paints the namespaces as boxes with their names.
func (l *cdLayout) paintNamespaces(b *builder) {
	for i, c := range l.g.clusters {
		b.path(rectPath(c.x0, c.y0, c.x1-c.x0, c.y1-c.y0, 0), Paint{Fill: ptr(l.th.clusterFill), Stroke: ptr(l.th.clusterStroke), Width: strokeThin})
		b.text(l.nsTitle[i], (c.x0+c.x1)/2, c.y0+clusterPadY, l.th.text, Middle)
	}
}

// paintRelations paints the relations' lines and end markers.
func (l *cdLayout) paintRelations(b *builder) {
	for i, r := range l.cd.relations {
		e := l.g.edges[l.rels[i]]
		if len(e.pts) < 2 {
			continue
		}
		paint := Paint{Stroke: ptr(l.th.line), Width: strokeEdge}
		if r.dotted {
			paint.Dash = []float64{3, 3}
		}
		b.path(bezierPath(e.pts), paint)
		n := len(e.pts)
		classMarkerAt(b, r.fromEnd, e.pts[0], e.pts[1], l.th.line)
		classMarkerAt(b, r.toEnd, e.pts[n-1], e.pts[n-2], l.th.line)
	}
}

// classMarkerAt draws a relation end marker with its tip at tip, the line
// arriving from the direction of from.
func classMarkerAt(b *builder, kind int, tip, from Point, col Color) {
	dx, dy := tip.X-from.X, tip.Y-from.Y
	d := math.Hypot(dx, dy)
	if d < 1e-6 || kind == relNone {
		return
	}
	ux, uy := dx/d, dy/d
	at := func(along, across float64) Point {
		return Point{tip.X - ux*along - uy*across, tip.Y - uy*along + ux*across}
	}
	line := Paint{Fill: ptr(colWhite), Stroke: ptr(col), Width: strokeEdge}
	solid := Paint{Fill: ptr(col), Stroke: ptr(col), Width: strokeEdge}
	switch kind {
	case relExtension:
		b.path(polygon(tip, at(classMarker, classMarker/2), at(classMarker, -classMarker/2)), line)
	case relComposition, relAggregation:
		p := line
		if kind == relComposition {
			p = solid
		}
		b.path(polygon(tip, at(classMarker/2, classMarker/3), at(classMarker, 0), at(classMarker/2, -classMarker/3)), p)
	case relDependency:
		b.path(polygon(tip, at(classMarker*0.7, classMarker/3), at(classMarker*0.7, -classMarker/3)), solid)
	case relLollipop:
		c := at(5, 0)
		b.path(ellipsePath(c.X, c.Y, 5, 5), line)
	}
}

// paintNotes paints the notes, tied to their classes by dashed lines.
func (l *cdLayout) paintNotes(b *builder) {
	for _, nl := range l.notes {
		n := l.g.nodes[nl.node]
		if nl.state >= 0 {
			t := l.g.nodes[nl.state]
			b.line(n.x, n.y, t.x, t.y, Paint{Stroke: ptr(l.th.noteStroke), Width: strokeThin, Dash: []float64{3, 3}})
		}
	}
	for _, nl := range l.notes {
		n := l.g.nodes[nl.node]
		b.path(rectPath(n.x-n.w/2, n.y-n.h/2, n.w, n.h, 0), Paint{Fill: ptr(l.th.noteFill), Stroke: ptr(l.th.noteStroke), Width: strokeThin})
		b.text(nl.lbl, n.x, n.y-nl.lbl.h/2, l.th.noteText, Middle)
	}
}

// paintClass paints a class: its name (with its annotations) over its
// attributes over its methods.
func (l *cdLayout) paintClass(b *builder, bx *cdBox) {
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
	l.cd.doc.checkContrast(bx.style, fill, col, fmt.Sprintf("class %q", bx.c.id))
	width := orDefault(bx.style.width, strokeThin)
	b.path(rectPath(x, y, n.w, n.h, 0), Paint{Fill: fill, Stroke: stroke, Width: width, Dash: bx.style.dash})
	top := y + classPadY
	if bx.annot != nil {
		b.text(bx.annot, n.x, top, col, Middle)
		top += bx.annot.h
	}
	b.text(bx.title, n.x, top, col, Middle)
	rule := Paint{Stroke: stroke, Width: width}
	y1 := y + bx.hTitle
	b.line(x, y1, x+n.w, y1, rule)
	l.paintMembers(b, bx.c.attributes, bx.attrs, x+classPadX, y1+classPadY, col)
	y2 := y1 + bx.hAttrs
	b.line(x, y2, x+n.w, y2, rule)
	l.paintMembers(b, bx.c.methods, bx.meths, x+classPadX, y2+classPadY, col)
}

// paintMembers paints members left-aligned from (x, top); static ones are
// underlined.
func (l *cdLayout) paintMembers(b *builder, ms []cdMember, lbs []*label, x, top float64, col Color) {
	for i, lb := range lbs {
		b.text(lb, x, top, col, Start)
		if ms[i].static {
			y := top + lb.h/2 + 0.36*lb.size + 1.5
			b.line(x, y, x+lb.w, y, Paint{Stroke: ptr(col), Width: 0.6})
		}
		top += lb.h
	}
}

// paintRelationText paints the relations' labels and cardinalities.
func (l *cdLayout) paintRelationText(b *builder) {
	for i, r := range l.cd.relations {
		e := l.g.edges[l.rels[i]]
		if len(e.pts) < 2 {
			continue
		}
		if lb := l.labels[i]; lb != nil {
			b.path(rectPath(e.lx-e.lw/2, e.ly-e.lh/2, e.lw, e.lh, 0), Paint{Fill: ptr(l.th.labelBg)})
			b.text(lb, e.lx, e.ly-lb.h/2, l.th.text, Middle)
		}
		n := len(e.pts)
		l.cardinality(b, r.fromCard, e.pts[0], e.pts[1])
		l.cardinality(b, r.toCard, e.pts[n-1], e.pts[n-2])
	}
}

// cardinality writes a relation end's cardinality beside the line, just
// past its marker.
func (l *cdLayout) cardinality(b *builder, s string, tip, from Point) {
	if s == "" {
		return
	}
	lb := newLabel(s, classCardSize, 0)
	dx, dy := from.X-tip.X, from.Y-tip.Y
	d := math.Hypot(dx, dy)
	if d < 1e-6 {
		return
	}
	ux, uy := dx/d, dy/d
	// Along the line past the marker, then aside by half the label.
	along := classMarker + 4 + lb.h/2
	cx, cy := tip.X+ux*along, tip.Y+uy*along
	side := lb.w/2 + 4
	if math.Abs(ux) > math.Abs(uy) {
		side = lb.h/2 + 3
	}
	cx, cy = cx-uy*side, cy+ux*side
	b.text(lb, cx, cy-lb.h/2, l.th.text, Middle)
}

// alt describes the classes with their members, then the relations.
func (cd *classDiagram) alt() string {
	var parts []string
	for _, c := range cd.classes {
		s := oneLine(c.label)
		if len(c.annotations) > 0 {
			s = "«" + strings.Join(c.annotations, "», «") + "» " + s
		}
		var in []string
		if len(c.attributes) > 0 {
			in = append(in, "attributes "+memberList(c.attributes))
		}
		if len(c.methods) > 0 {
			in = append(in, "methods "+memberList(c.methods))
		}
		if len(in) > 0 {
			s += " (" + strings.Join(in, "; ") + ")"
		}
		parts = append(parts, s)
	}
	name := func(id string) string { return oneLine(cd.byID[id].label) }
	for _, r := range cd.relations {
		parts = append(parts, r.describe(name))
	}
	for _, n := range cd.notes {
		s := "Note: "
		if n.class != "" {
			s = "Note on " + name(n.class) + ": "
		}
		parts = append(parts, s+oneLine(strings.ReplaceAll(n.text, `\n`, " ")))
	}
	return altText(cd.doc, "Class diagram", parts)
}

func memberList(ms []cdMember) string {
	var s []string
	for _, m := range ms {
		t := m.text
		if m.static {
			t += " (static)"
		}
		if m.abstract {
			t += " (abstract)"
		}
		s = append(s, oneLine(t))
	}
	return strings.Join(s, ", ")
}

// describe says what a relation means, in words.
func (r *cdRelation) describe(name func(string) string) string {
	a, b := name(r.from), name(r.to)
	if r.fromCard != "" {
		a += " (" + r.fromCard + ")"
	}
	if r.toCard != "" {
		b += " (" + r.toCard + ")"
	}
	var s string
	switch {
	case r.toEnd == relExtension && r.fromEnd == relExtension:
		s = a + " and " + b + " inherit from each other"
	case r.toEnd == relExtension && r.dotted:
		s = a + " implements " + b
	case r.fromEnd == relExtension && r.dotted:
		s = b + " implements " + a
	case r.toEnd == relExtension:
		s = a + " inherits from " + b
	case r.fromEnd == relExtension:
		s = b + " inherits from " + a
	case r.fromEnd == relComposition:
		s = a + " is composed of " + b
	case r.toEnd == relComposition:
		s = b + " is composed of " + a
	case r.fromEnd == relAggregation:
		s = a + " aggregates " + b
	case r.toEnd == relAggregation:
		s = b + " aggregates " + a
	case r.dotted && r.toEnd == relDependency:
		s = a + " depends on " + b
	case r.dotted && r.fromEnd == relDependency:
		s = b + " depends on " + a
	case r.toEnd == relDependency && r.fromEnd == relDependency:
		s = a + " ↔ " + b
	case r.toEnd == relDependency:
		s = a + " → " + b
	case r.fromEnd == relDependency:
		s = b + " → " + a
	default:
		s = a + " — " + b
	}
	if r.label != "" {
		s += ": " + oneLine(r.label)
	}
	return s
}
