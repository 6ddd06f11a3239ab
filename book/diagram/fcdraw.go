package diagram

import (
	"math"

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

func dirPerpendicular(a, b string) bool {
	horiz := func(d string) bool { return d == "LR" || d == "RL" }
	return horiz(a) != horiz(b)
}

func (fc *flowchart) draw() (*Drawing, error) {
	th := newTheme(fc.doc.theme)
	g := &graph{rankdir: fc.dir, nodesep: nodeSep, ranksep: rankSep}

	// Clusters.
	subIndex := map[*fcSub]int{}
	for i, s := range fc.subs {
		subIndex[s] = i
	}
	subLabels := make([]*label, len(fc.subs))
	hasKids := map[*fcSub]bool{}
	for _, s := range fc.subs {
		if s.parent != nil {
			hasKids[s.parent] = true
		}
	}
	for i, s := range fc.subs {
		parent := -1
		if s.parent != nil {
			parent = subIndex[s.parent]
		}
		l := newLabel(s.title, fontSize, wrapWidth)
		subLabels[i] = l
		c := &gCluster{parent: parent}
		if !l.empty() {
			c.lw, c.lh = l.w+8, l.h+clusterPadY
		}
		g.clusters = append(g.clusters, c)
	}

	// Nodes.
	idx := map[string]int{}
	var laid []*fcLaid
	for _, n := range fc.nodes {
		st := fc.nodeStyle(n)
		text := n.text
		if !n.hasText {
			text = n.id
		}
		size := fontSize
		if st.fontScale > 0 {
			size *= st.fontScale
		}
		l := newLabel(text, size, wrapWidth)
		if st.bold || st.italic {
			restyle(l, st.bold, st.italic)
		}
		w, h := shapeSize(n.shape, l)
		cl := -1
		if n.sub != nil {
			cl = subIndex[n.sub]
		}
		gn := &gNode{w: w, h: h, shape: dotShape(n.shape), cluster: cl}
		idx[n.id] = len(g.nodes)
		g.nodes = append(g.nodes, gn)
		laid = append(laid, &fcLaid{n: n, lbl: l, style: st, g: gn})
	}

	// Which clusters are inside which, for edges to clusters.
	inside := func(node int, cl int) bool {
		for c := g.nodes[node].cluster; c >= 0; c = g.clusters[c].parent {
			if c == cl {
				return true
			}
		}
		return false
	}

	// Edges.
	edgeLabels := make([]*label, len(fc.edges))
	edgeStyles := make([]css, len(fc.edges))
	crossing := map[int]bool{} // clusters with an edge crossing their border
	for i, e := range fc.edges {
		st := fc.linkAll
		if ls, ok := fc.linkStyle[i]; ok {
			st = st.merge(ls)
		}
		edgeStyles[i] = st
		ge := &gEdge{minlen: e.length, lhead: -1, ltail: -1, headRoom: e.head != markNone, tailRoom: e.tail != markNone,
			invisible: e.stroke == strokeInvisible}
		end := func(id string) (int, int) {
			if n, ok := idx[id]; ok {
				return n, -1
			}
			s := fc.subByID[id]
			ci := subIndex[s]
			return g.rep(ci), ci
		}
		var fromCl, toCl int
		ge.from, fromCl = end(e.from)
		ge.to, toCl = end(e.to)
		if fromCl >= 0 && ge.from < 0 || toCl >= 0 && ge.to < 0 {
			// An edge to an empty subgraph: its placeholder.
			if ge.from < 0 {
				ge.from = -1
			}
			if ge.to < 0 {
				ge.to = -1
			}
		}
		if fromCl >= 0 && !(ge.to >= 0 && inside(ge.to, fromCl)) {
			ge.ltail = fromCl
		}
		if toCl >= 0 && !(ge.from >= 0 && inside(ge.from, toCl)) {
			ge.lhead = toCl
		}
		if e.text != "" {
			l := newLabel(e.text, fontSize, wrapWidth)
			if st.bold || st.italic {
				restyle(l, st.bold, st.italic)
			}
			if !l.empty() {
				edgeLabels[i] = l
				ge.lw, ge.lh = l.w+4, l.h
			}
		}
		g.edges = append(g.edges, ge)
		for c := range g.clusters {
			a := ge.from >= 0 && inside(ge.from, c) || fromCl >= 0 && isWithin(g, fromCl, c)
			b := ge.to >= 0 && inside(ge.to, c) || toCl >= 0 && isWithin(g, toCl, c)
			if a != b {
				crossing[c] = true
			}
		}
	}
	for i, s := range fc.subs {
		if s.dir != "" && dirPerpendicular(s.dir, fc.dir) && !crossing[i] && !hasKids[s] {
			g.clusters[i].sameRank = true
		}
	}

	if err := g.layout(); err != nil {
		return nil, err
	}

	// Drawing.
	b := &builder{}
	for i, c := range g.clusters {
		s := fc.subs[i]
		st := fc.classStyle(s.classes).merge(s.style)
		fill, stroke := ptr(th.clusterFill), ptr(th.clusterStroke)
		if st.fill != nil || st.fillNone {
			fill = st.fill
		}
		if st.stroke != nil || st.strokeNone {
			stroke = st.stroke
		}
		b.path(rectPath(c.x0, c.y0, c.x1-c.x0, c.y1-c.y0, 0), Paint{Fill: fill, Stroke: stroke, Width: orDefault(st.width, strokeThin), Dash: st.dash})
		col := th.text
		if st.color != nil {
			col = *st.color
		}
		b.text(subLabels[i], (c.x0+c.x1)/2, c.y0+clusterPadY, col, Middle)
	}
	for i, e := range fc.edges {
		ge := g.edges[i]
		if e.stroke == strokeInvisible || len(ge.pts) < 2 {
			continue
		}
		st := edgeStyles[i]
		col := th.line
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
		if st.strokeNone {
			continue
		}
		b.path(bezierPath(ge.pts), Paint{Stroke: ptr(col), Width: width, Dash: dash})
		n := len(ge.pts)
		if e.head != markNone {
			tip := ge.pts[n-1]
			if ge.headTip != nil {
				tip = *ge.headTip
			}
			b.marker(e.head, tip, ge.pts[n-1], col, width)
		}
		if e.tail != markNone {
			tip := ge.pts[0]
			if ge.tailTip != nil {
				tip = *ge.tailTip
			}
			b.marker(e.tail, tip, ge.pts[0], col, width)
		}
	}
	for _, l := range laid {
		drawShape(b, l, th)
	}
	for i, l := range edgeLabels {
		ge := g.edges[i]
		if l == nil || fc.edges[i].stroke == strokeInvisible {
			continue
		}
		st := edgeStyles[i]
		b.path(rectPath(ge.lx-ge.lw/2, ge.ly-ge.lh/2, ge.lw, ge.lh, 0), Paint{Fill: ptr(th.labelBg)})
		col := th.text
		if st.color != nil {
			col = *st.color
		}
		b.text(l, ge.lx, ge.ly-l.h/2, col, Middle)
	}
	d := finish(b, g.width, g.height, fc.doc, "flowchart")
	d.Alt = fc.alt(laid, edgeLabels)
	return d, nil
}

// isWithin reports whether cluster a is c or inside c.
func isWithin(g *graph, a, c int) bool {
	for ; a >= 0; a = g.clusters[a].parent {
		if a == c {
			return true
		}
	}
	return false
}

func orDefault(v, d float64) float64 {
	if v > 0 {
		return v
	}
	return d
}

// finish adds the margin and the title and returns the drawing.
func finish(b *builder, w, h float64, doc *document, kind string) *Drawing {
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
	return &Drawing{Kind: kind, Width: round2(width), Height: round2(height), Ops: b.ops}
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

// shapeSize returns the outer size of a node shape around a label.
func shapeSize(shape string, l *label) (float64, float64) {
	tw, th := l.w, l.h
	if l.empty() {
		tw, th = 0, fontSize*lineHeight
	}
	w, h := tw+2*nodePadX, th+2*nodePad
	switch shape {
	case "stadium":
		w += h / 2
	case "subroutine":
		w += 12
	case "odd":
		w += h / 4
	case "circle":
		d := math.Hypot(tw, th) + nodePad
		return d, d
	case "doublecircle":
		d := math.Hypot(tw, th) + nodePad + 8
		return d, d
	case "diamond":
		s := tw + th + 2*nodePad
		return s, s
	case "hexagon", "lean-right", "lean-left", "trapezoid", "inv-trapezoid":
		w += h / 2
	case "cylinder":
		rx := w / 2
		ry := rx / (2.5 + w/50)
		h += 2 * ry
	case "text":
		w, h = tw+4, th+4
	}
	return w, h
}

func dotShape(shape string) string {
	switch shape {
	case "circle", "doublecircle":
		return "circle"
	case "diamond":
		return "diamond"
	}
	return "box"
}

// drawShape draws a node's shape and label.
func drawShape(b *builder, l *fcLaid, th *theme) {
	st := l.style
	fill, stroke := ptr(th.nodeFill), ptr(th.nodeStroke)
	if st.fill != nil || st.fillNone {
		fill = st.fill
	}
	if st.stroke != nil || st.strokeNone {
		stroke = st.stroke
	}
	paint := Paint{Fill: fill, Stroke: stroke, Width: orDefault(st.width, strokeThin), Dash: st.dash}
	n := l.g
	x, y, w, h := n.x-n.w/2, n.y-n.h/2, n.w, n.h
	switch l.n.shape {
	case "round":
		b.path(rectPath(x, y, w, h, 5), paint)
	case "stadium":
		b.path(rectPath(x, y, w, h, h/2), paint)
	case "subroutine":
		b.path(rectPath(x, y, w, h, 0), paint)
		line := Paint{Stroke: paint.Stroke, Width: paint.Width}
		b.line(x+6, y, x+6, y+h, line)
		b.line(x+w-6, y, x+w-6, y+h, line)
	case "cylinder":
		rx := w / 2
		ry := rx / (2.5 + w/50)
		k := kappa
		var pb pathBuilder
		pb.move(x, y+ry).
			cubic(x, y+ry-ry*k, x+rx-rx*k, y, x+rx, y).
			cubic(x+rx+rx*k, y, x+w, y+ry-ry*k, x+w, y+ry).
			line(x+w, y+h-ry).
			cubic(x+w, y+h-ry+ry*k, x+rx+rx*k, y+h, x+rx, y+h).
			cubic(x+rx-rx*k, y+h, x, y+h-ry+ry*k, x, y+h-ry).close()
		b.path(pb.p, paint)
		var rim pathBuilder
		rim.move(x, y+ry).
			cubic(x, y+ry+ry*k, x+rx-rx*k, y+2*ry, x+rx, y+2*ry).
			cubic(x+rx+rx*k, y+2*ry, x+w, y+ry+ry*k, x+w, y+ry)
		b.path(rim.p, Paint{Stroke: paint.Stroke, Width: paint.Width})
		y += ry
		h -= ry
	case "circle":
		b.path(ellipsePath(n.x, n.y, w/2, h/2), paint)
	case "doublecircle":
		b.path(ellipsePath(n.x, n.y, w/2, h/2), paint)
		b.path(ellipsePath(n.x, n.y, w/2-4, h/2-4), Paint{Stroke: paint.Stroke, Width: paint.Width})
	case "diamond":
		b.path(polygon(Point{n.x, y}, Point{x + w, n.y}, Point{n.x, y + h}, Point{x, n.y}), paint)
	case "hexagon":
		m := h / 4
		b.path(polygon(Point{x + m, y}, Point{x + w - m, y}, Point{x + w, n.y}, Point{x + w - m, y + h}, Point{x + m, y + h}, Point{x, n.y}), paint)
	case "lean-right":
		m := h / 4
		b.path(polygon(Point{x + m, y}, Point{x + w, y}, Point{x + w - m, y + h}, Point{x, y + h}), paint)
	case "lean-left":
		m := h / 4
		b.path(polygon(Point{x, y}, Point{x + w - m, y}, Point{x + w, y + h}, Point{x + m, y + h}), paint)
	case "trapezoid":
		m := h / 4
		b.path(polygon(Point{x + m, y}, Point{x + w - m, y}, Point{x + w, y + h}, Point{x, y + h}), paint)
	case "inv-trapezoid":
		m := h / 4
		b.path(polygon(Point{x, y}, Point{x + w, y}, Point{x + w - m, y + h}, Point{x + m, y + h}), paint)
	case "odd":
		m := h / 4
		b.path(polygon(Point{x, y}, Point{x + w, y}, Point{x + w, y + h}, Point{x, y + h}, Point{x + m, n.y}), paint)
	case "text":
	default:
		b.path(rectPath(x, y, w, h, 0), paint)
	}
	col := th.nodeText
	if st.color != nil {
		col = *st.color
	}
	cx := x + w/2
	if l.n.shape == "odd" {
		cx += h / 8
	}
	b.text(l.lbl, cx, y+h/2-l.lbl.h/2, col, Middle)
}
