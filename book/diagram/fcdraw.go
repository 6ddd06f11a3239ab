package diagram

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/bindery-books/bindery/book/font"
)

// Sizes of the default look, in points (mermaid's pixels × 0.75).
const (
	fontSize    = 12.0  // 16px
	nodePadX    = 22.5  // 30px left and right of a label
	nodePad     = 11.25 // 15px above and below
	rankSep     = 37.5  // 50px
	nodeSep     = 37.5
	margin      = 6.0
	strokeThin  = 0.75 // 1px
	strokeEdge  = 0.75 // 1px
	strokeBold  = 2.6  // 3.5px
	wrapWidth   = 150  // 200px: markdown strings wrap here
	clusterPadY = 4.0
)

// fcLaid is a flowchart node ready to draw.
type fcLaid struct {
	n     *fcNode
	lbl   *label
	style css
	g     *gNode
}

// fcScope is the part of a flowchart that one run of dot lays out: the
// whole chart, or a subgraph with a direction of its own. As in mermaid, a
// subgraph whose direction differs from its surroundings and that no edge
// crosses is laid out apart and placed in its parent as one node (a box).
type fcScope struct {
	fc   *flowchart
	th   *theme
	root *fcSub // the subgraph laid out apart; nil for the whole chart
	dir  string
	g    *graph

	subs      []*fcSub // the clusters: g.clusters[i] is subs[i]
	subIndex  map[*fcSub]int
	subLabels []*label
	laid      []*fcLaid
	nodeIndex map[string]int // node or box id → index in g.nodes
	boxes     []*fcBox

	edges      []*fcEdge // the edges drawn here: g.edges[i] is edges[i]
	edgeLabels []*label
	edgeStyles []css
}

// fcBox is a subgraph laid out apart, placed in its parent's layout as a node.
type fcBox struct {
	scope *fcScope
	node  int // index in the parent's g.nodes
	b     *builder
}

func (fc *flowchart) draw() (*Drawing, error) {
	th := newTheme(fc.doc.theme)
	// The chart as one scope, to estimate its size; it serves for the
	// layout too when the direction stays and no subgraph is laid out apart.
	s := fc.newScope(nil, fc.dir, th)
	s.addEdges()
	dir := betterDirection(fc.dir, fontSize, s.g.estimate)
	fc.dir = dir
	fc.chooseBoxes()
	if dir != s.dir || slices.ContainsFunc(fc.subs, func(sub *fcSub) bool { return sub.boxed }) {
		s = fc.newScope(nil, fc.dir, th)
	}
	b, err := s.lay()
	if err != nil {
		return nil, err
	}
	d := finish(b, s.g.width, s.g.height, fc.doc, "flowchart")
	d.Alt = fc.alt(s.allLaid(), s.allEdgeLabels())
	return d, nil
}

// lay lays the scope out and draws it at the origin.
func (s *fcScope) lay() (*builder, error) {
	for _, bx := range s.boxes {
		b, err := bx.scope.lay()
		if err != nil {
			return nil, err
		}
		bx.b = b
		n := s.g.nodes[bx.node]
		n.w, n.h = bx.scope.g.width, bx.scope.g.height
	}
	if s.edges == nil {
		s.addEdges()
	}
	if err := s.g.layout(); err != nil {
		return nil, err
	}
	b := &builder{}
	titles := s.paintClusters(b)
	s.paintEdges(b)
	for _, t := range titles {
		t()
	}
	s.paintNodes(b)
	s.paintEdgeLabels(b)
	if s.root != nil {
		s.g.cropTo(b, 0)
	}
	return b, nil
}

// chooseBoxes decides which subgraphs are laid out apart: those with a
// direction other than the one they would inherit, which no edge crosses.
func (fc *flowchart) chooseBoxes() {
	eff := map[*fcSub]string{}
	var dirOf func(s *fcSub) string
	dirOf = func(s *fcSub) string {
		if s == nil {
			return fc.dir
		}
		if d, ok := eff[s]; ok {
			return d
		}
		d := dirOf(s.parent)
		if s.dir != "" && s.dir != d && fc.isolated(s) {
			s.boxed, d = true, s.dir
		}
		eff[s] = d
		return d
	}
	for _, s := range fc.subs {
		dirOf(s)
	}
}

// isolated reports whether every edge that touches what subgraph s holds
// has both ends inside s.
func (fc *flowchart) isolated(s *fcSub) bool {
	for _, e := range fc.edges {
		a, b := fc.holds(s, e.from), fc.holds(s, e.to)
		if a != b || a && (e.from == s.id || e.to == s.id) {
			return false
		}
	}
	return true
}

// holds reports whether the node or subgraph id is inside subgraph s (s
// itself excluded).
func (fc *flowchart) holds(s *fcSub, id string) bool {
	var p *fcSub
	if n, ok := fc.byID[id]; ok {
		p = n.sub
	} else if sub, ok := fc.subByID[id]; ok {
		p = sub.parent
	}
	for ; p != nil; p = p.parent {
		if p == s {
			return true
		}
	}
	return false
}

// scopeOf returns the boxed subgraph a node or subgraph is laid out in: its
// nearest boxed container (a boxed subgraph is itself placed in its parent's).
func (fc *flowchart) scopeOf(id string) *fcSub {
	var p *fcSub
	if n, ok := fc.byID[id]; ok {
		p = n.sub
	} else if sub, ok := fc.subByID[id]; ok {
		p = sub.parent
	}
	for ; p != nil && !p.boxed; p = p.parent {
	}
	return p
}

// newScope collects the clusters, nodes and boxes of a scope.
func (fc *flowchart) newScope(root *fcSub, dir string, th *theme) *fcScope {
	s := &fcScope{fc: fc, th: th, root: root, dir: dir, subIndex: map[*fcSub]int{}, nodeIndex: map[string]int{}}
	s.g = &graph{rankdir: dir, nodesep: nodeSep, ranksep: rankSep}
	if root != nil {
		s.addCluster(root, -1)
	}
	for _, sub := range fc.subs {
		if sub != root && fc.scopeOfSub(sub) == root {
			s.addCluster(sub, -2)
		}
	}
	for _, c := range s.g.clusters {
		if c.parent == -2 {
			c.parent = -1
		}
	}
	for i, sub := range s.subs {
		if sub.parent != nil {
			if pi, ok := s.subIndex[sub.parent]; ok {
				s.g.clusters[i].parent = pi
			}
		}
	}
	for _, n := range fc.nodes {
		if fc.scopeOf(n.id) == root {
			s.addNode(n)
		}
	}
	for _, sub := range fc.subs {
		if sub.boxed && sub != root && fc.scopeOf(sub.id) == root {
			s.addBox(sub)
		}
	}
	return s
}

// scopeOfSub is the scope a subgraph's cluster is drawn in: a boxed
// subgraph's own, else its container's.
func (fc *flowchart) scopeOfSub(sub *fcSub) *fcSub {
	if sub.boxed {
		return sub
	}
	return fc.scopeOf(sub.id)
}

func (s *fcScope) addCluster(sub *fcSub, parent int) {
	l := newLabel(s.fc.text(sub.title), fontSize, wrapWidth)
	c := &gCluster{parent: parent}
	if !l.empty() {
		c.lw, c.lh = l.w+8, l.h+clusterPadY
	}
	s.subIndex[sub] = len(s.subs)
	s.subs = append(s.subs, sub)
	s.subLabels = append(s.subLabels, l)
	s.g.clusters = append(s.g.clusters, c)
}

// clusterOf returns the cluster index of a node's subgraph, or -1.
func (s *fcScope) clusterOf(sub *fcSub) int {
	if ci, ok := s.subIndex[sub]; ok {
		return ci
	}
	return -1
}

func (s *fcScope) addNode(n *fcNode) {
	st := s.fc.nodeStyle(n)
	text := n.text
	if !n.hasText {
		text = n.id
	}
	size := fontSize
	if st.fontScale > 0 {
		size *= st.fontScale
	}
	l := wrappedLabel(s.fc.text(text), size, wrapWidth*size/fontSize)
	if st.bold || st.italic {
		restyle(l, st.bold, st.italic)
	}
	w, h := shapeSize(n.shape, l)
	gn := &gNode{w: w, h: h, shape: dotShape(n.shape), cluster: s.clusterOf(n.sub)}
	s.nodeIndex[n.id] = len(s.g.nodes)
	s.g.nodes = append(s.g.nodes, gn)
	s.laid = append(s.laid, &fcLaid{n: n, lbl: l, style: st, g: gn})
}

func (s *fcScope) addBox(sub *fcSub) {
	inner := s.fc.newScope(sub, sub.dir, s.th)
	s.nodeIndex[sub.id] = len(s.g.nodes)
	s.boxes = append(s.boxes, &fcBox{scope: inner, node: len(s.g.nodes)})
	s.g.nodes = append(s.g.nodes, &gNode{w: 1, h: 1, cluster: s.clusterOf(sub.parent)})
}

// addEdges gives dot the edges between the scope's nodes, clusters and boxes.
func (s *fcScope) addEdges() {
	for i, e := range s.fc.edges {
		// An edge is drawn where its ends are: for a boxed subgraph, in
		// its parent's scope.
		if s.fc.scopeOf(e.from) != s.root || s.fc.scopeOf(e.to) != s.root {
			continue
		}
		st := s.fc.linkAll
		if ls, ok := s.fc.linkStyle[i]; ok {
			st = st.merge(ls)
		}
		ge := &gEdge{minlen: e.length, headRoom: e.head != markNone, tailRoom: e.tail != markNone,
			invisible: e.stroke == strokeInvisible}
		ge.from, ge.fromCl = s.end(e.from)
		ge.to, ge.toCl = s.end(e.to)
		var lbl *label
		if e.text != "" {
			l := wrappedLabel(s.fc.text(e.text), fontSize, wrapWidth)
			if st.bold || st.italic {
				restyle(l, st.bold, st.italic)
			}
			if !l.empty() {
				lbl = l
				ge.lw, ge.lh = l.w+4, l.h
			}
		}
		s.edges = append(s.edges, e)
		s.edgeStyles = append(s.edgeStyles, st)
		s.edgeLabels = append(s.edgeLabels, lbl)
		s.g.edges = append(s.g.edges, ge)
	}
}

// end returns an edge end as a node, or as a cluster.
func (s *fcScope) end(id string) (node, cluster int) {
	if n, ok := s.nodeIndex[id]; ok {
		return n, -1
	}
	if sub, ok := s.fc.subByID[id]; ok {
		if ci, ok := s.subIndex[sub]; ok {
			return -1, ci
		}
	}
	return -1, -1
}

// paintClusters paints the subgraphs' boxes. It returns functions that
// paint their titles, to be called after the edges: a title that no place
// keeps clear of the edges is painted over them on its own background.
func (s *fcScope) paintClusters(b *builder) []func() {
	var late []func()
	for i, c := range s.g.clusters {
		sub := s.subs[i]
		st := s.fc.classStyle(sub.classes).merge(sub.style)
		fill, stroke := ptr(s.th.clusterFill), ptr(s.th.clusterStroke)
		if st.fill != nil || st.fillNone {
			fill = st.fill
		}
		if st.stroke != nil || st.strokeNone {
			stroke = st.stroke
		}
		b.path(rectPath(c.x0, c.y0, c.x1-c.x0, c.y1-c.y0, 0), Paint{Fill: fill, Stroke: stroke, Width: orDefault(st.width, strokeThin), Dash: st.dash})
		col := s.th.text
		if st.color != nil {
			col = *st.color
		}
		s.fc.doc.checkContrast(st, fill, col, fmt.Sprintf("subgraph %q", sub.id))
		l := s.subLabels[i]
		if l.empty() {
			continue
		}
		x, anchor, clear := s.titlePlace(c, l)
		if clear {
			b.text(l, x, c.y0+clusterPadY, col, anchor)
			continue
		}
		bg := s.th.clusterFill
		if fill != nil {
			bg = *fill
		}
		late = append(late, func() {
			b.path(rectPath(c.x0+(c.x1-c.x0-l.w)/2-2, c.y0+clusterPadY, l.w+4, l.h, 0), Paint{Fill: ptr(bg)})
			b.text(l, (c.x0+c.x1)/2, c.y0+clusterPadY, col, Middle)
		})
	}
	return late
}

// titlePlace finds where a cluster's title crosses no edge: centred, at the
// left or at the right. clear is false when every place crosses one.
func (s *fcScope) titlePlace(c *gCluster, l *label) (x float64, anchor Anchor, clear bool) {
	pad := 6.0
	top, bottom := c.y0+clusterPadY, c.y0+clusterPadY+l.h
	places := []struct {
		x      float64
		anchor Anchor
		x0     float64
	}{
		{(c.x0 + c.x1) / 2, Middle, (c.x0+c.x1)/2 - l.w/2},
		{c.x0 + pad, Start, c.x0 + pad},
		{c.x1 - pad, End, c.x1 - pad - l.w},
	}
	for _, p := range places {
		if !s.edgesCross(p.x0-2, top, p.x0+l.w+2, bottom) {
			return p.x, p.anchor, true
		}
	}
	return places[0].x, Middle, false
}

// edgesCross reports whether a drawn edge passes through the box.
func (s *fcScope) edgesCross(x0, y0, x1, y1 float64) bool {
	for i, e := range s.edges {
		if e.stroke == strokeInvisible {
			continue
		}
		if splineCrosses(s.g.edges[i].pts, x0, y0, x1, y1) {
			return true
		}
	}
	return false
}

// splineCrosses reports whether a Bézier chain passes through a box,
// sampling each piece.
func splineCrosses(pts []Point, x0, y0, x1, y1 float64) bool {
	for i := 0; i+3 < len(pts); i += 3 {
		for k := 0; k <= 16; k++ {
			p := bezierAt(pts[i], pts[i+1], pts[i+2], pts[i+3], float64(k)/16)
			if p.X >= x0 && p.X <= x1 && p.Y >= y0 && p.Y <= y1 {
				return true
			}
		}
	}
	return false
}

func bezierAt(p0, p1, p2, p3 Point, t float64) Point {
	u := 1 - t
	a, b, c, d := u*u*u, 3*u*u*t, 3*u*t*t, t*t*t
	return Point{a*p0.X + b*p1.X + c*p2.X + d*p3.X, a*p0.Y + b*p1.Y + c*p2.Y + d*p3.Y}
}

// edgePaint is the colour, width and dashes of edge i.
func (s *fcScope) edgePaint(i int) (Paint, bool) {
	e, st := s.edges[i], s.edgeStyles[i]
	if e.stroke == strokeInvisible || st.strokeNone {
		return Paint{}, false
	}
	col := s.th.line
	if st.stroke != nil {
		col = *st.stroke
	}
	width := map[int]float64{strokeNormal: strokeEdge, strokeThick: strokeBold, strokeDotted: strokeEdge}[e.stroke]
	if st.width > 0 {
		width = st.width
	}
	var dash []float64
	if e.stroke == strokeDotted {
		dash = []float64{2, 2}
	}
	if st.dash != nil {
		dash = st.dash
	}
	return Paint{Stroke: ptr(col), Width: width, Dash: dash}, true
}

// paintEdges paints the edges and their end markers.
func (s *fcScope) paintEdges(b *builder) {
	for i, e := range s.edges {
		ge := s.g.edges[i]
		paint, ok := s.edgePaint(i)
		if !ok || len(ge.pts) < 2 {
			continue
		}
		b.path(bezierPath(ge.pts), paint)
		n := len(ge.pts)
		if e.head != markNone {
			tip := ge.pts[n-1]
			if ge.headTip != nil {
				tip = *ge.headTip
			}
			b.marker(e.head, tip, ge.pts[n-1], *paint.Stroke, paint.Width)
		}
		if e.tail != markNone {
			tip := ge.pts[0]
			if ge.tailTip != nil {
				tip = *ge.tailTip
			}
			b.marker(e.tail, tip, ge.pts[0], *paint.Stroke, paint.Width)
		}
	}
}

// paintNodes paints the nodes and the boxes laid out apart.
func (s *fcScope) paintNodes(b *builder) {
	for _, l := range s.laid {
		drawShape(b, l, s.th, s.fc.doc)
	}
	for _, bx := range s.boxes {
		n := s.g.nodes[bx.node]
		bx.b.translate(n.x-n.w/2, n.y-n.h/2)
		b.ops = append(b.ops, bx.b.ops...)
		b.group += bx.b.group
	}
}

// paintEdgeLabels paints the edge labels on their backgrounds.
func (s *fcScope) paintEdgeLabels(b *builder) {
	for i, l := range s.edgeLabels {
		ge := s.g.edges[i]
		if l == nil || s.edges[i].stroke == strokeInvisible {
			continue
		}
		st := s.edgeStyles[i]
		b.path(rectPath(ge.lx-ge.lw/2, ge.ly-ge.lh/2, ge.lw, ge.lh, 0), Paint{Fill: ptr(s.th.labelBg)})
		col := s.th.text
		if st.color != nil {
			col = *st.color
		}
		b.text(l, ge.lx, ge.ly-l.h/2, col, Middle)
	}
}

// allLaid returns the nodes of the scope and of its boxes.
func (s *fcScope) allLaid() []*fcLaid {
	out := append([]*fcLaid(nil), s.laid...)
	for _, bx := range s.boxes {
		out = append(out, bx.scope.allLaid()...)
	}
	return out
}

// allEdgeLabels returns the label of every edge of the chart, by edge index.
func (s *fcScope) allEdgeLabels() []*label {
	out := make([]*label, len(s.fc.edges))
	var walk func(sc *fcScope)
	walk = func(sc *fcScope) {
		for i, e := range sc.edges {
			out[e.index] = sc.edgeLabels[i]
		}
		for _, bx := range sc.boxes {
			walk(bx.scope)
		}
	}
	walk(s)
	return out
}

func orDefault(v, d float64) float64 {
	if v > 0 {
		return v
	}
	return d
}

// finish adds the margin and the title and returns the drawing. Whatever
// was drawn outside the w × h box the layout claims (a label that reaches
// past it) widens the box, so that nothing is cut off.
func finish(b *builder, w, h float64, doc *document, kind string) *Drawing {
	if x0, y0, x1, y1, ok := opsBounds(b.ops); ok {
		// Strokes may reach into the margin.
		const slack = 2
		x0, y0 = min(x0+slack, 0), min(y0+slack, 0)
		b.translate(-x0, -y0)
		w, h = max(w, x1-slack)-x0, max(h, y1-slack)-y0
	}
	top := margin
	var title *label
	if doc.title != "" {
		title = newLabel(doc.title, fontSize*1.5, 0)
		top += title.h + 4
	}
	b.translate(margin, top)
	width, height := w+2*margin, h+top+margin
	if title != nil {
		width = max(width, title.w+2*margin)
		tb := &builder{group: b.group}
		tb.text(title, width/2, margin, colText, Middle)
		if width > w+2*margin {
			b.translate((width-w-2*margin)/2, 0)
		}
		b.ops = append(tb.ops, b.ops...)
	}
	slices.SortStableFunc(doc.warnings, func(a, b Warning) int { return cmp.Compare(a.Line, b.Line) })
	return &Drawing{Kind: kind, Width: round2(width), Height: round2(height), Ops: b.ops, Warnings: doc.warnings}
}

func round2(v float64) float64 { return math.Ceil(v*100) / 100 }

// classStyle merges the classDefs named.
func (fc *flowchart) classStyle(classes []string) css {
	var c css
	for _, name := range classes {
		c = c.merge(fc.classDefs[name])
	}
	return c
}

// nodeStyle is the default class, then the node's classes, then its style.
func (fc *flowchart) nodeStyle(n *fcNode) css {
	var c css
	if len(n.classes) == 0 {
		c = fc.classDefs["default"]
	}
	return c.merge(fc.classStyle(n.classes)).merge(n.style)
}

// text prepares a flowchart label: mermaid breaks lines at a literal \n.
func (fc *flowchart) text(s string) string {
	return strings.ReplaceAll(s, `\n`, "<br/>")
}

// restyle makes every run of a label bold and/or italic.
func restyle(l *label, bold, italic bool) {
	for _, ln := range l.lines {
		for i := range ln {
			st := ln[i].st
			b := bold || st == font.Bold || st == font.BoldItalic
			it := italic || st == font.Italic || st == font.BoldItalic
			switch {
			case b && it:
				ln[i].st = font.BoldItalic
			case b:
				ln[i].st = font.Bold
			case it:
				ln[i].st = font.Italic
			}
		}
	}
	l.measure()
}
