package diagram

import (
	"fmt"
	"strings"
)

// State diagram sizes, points.
const (
	statePadX    = 12.0
	statePadY    = 6.0
	stateMinW    = 40.0
	startDiam    = 14.0
	choiceSize   = 24.0
	forkLong     = 52.0
	forkShort    = 7.5
	notePad      = 8.0
	stateStroke  = 1.0
	compositePad = 4.0
)

type stLaid struct {
	st    *stState
	name  *label
	desc  *label
	style css
	g     int // node index, -1 for composites
}

func (sd *stateDiagram) styleOf(st *stState) css {
	var c css
	if len(st.classes) == 0 {
		c = sd.classDefs["default"]
	}
	for _, name := range st.classes {
		c = c.merge(sd.classDefs[name])
	}
	return c.merge(st.style)
}

func (sd *stateDiagram) draw() (*Drawing, error) {
	th := newTheme(sd.doc.theme)
	g := &graph{rankdir: sd.dir, nodesep: nodeSep * 0.8, ranksep: rankSep}
	horiz := sd.dir == "LR" || sd.dir == "RL"

	// Composites (and their regions) become clusters.
	clusterOf := map[*stState]int{}
	regionCluster := map[string]int{} // composite id#region -> cluster
	var clusterTitle []*label
	var clusterState []*stState
	var clusterRegion []bool
	var addCluster func(st *stState) int
	addCluster = func(st *stState) int {
		if ci, ok := clusterOf[st]; ok {
			return ci
		}
		parent := -1
		if st.parent != nil && st.parent.kind == stComposite {
			parent = sd.containerCluster(st, addCluster, regionCluster)
		}
		l := newLabel(sd.displayName(st), fontSize, 0)
		ci := len(g.clusters)
		g.clusters = append(g.clusters, &gCluster{parent: parent, lw: l.w + 16, lh: l.h + compositePad})
		clusterTitle = append(clusterTitle, l)
		clusterState = append(clusterState, st)
		clusterRegion = append(clusterRegion, false)
		clusterOf[st] = ci
		if st.regions > 1 {
			for r := 0; r < st.regions; r++ {
				rc := len(g.clusters)
				g.clusters = append(g.clusters, &gCluster{parent: ci})
				clusterTitle = append(clusterTitle, nil)
				clusterState = append(clusterState, st)
				clusterRegion = append(clusterRegion, true)
				regionCluster[fmt.Sprintf("%s#%d", st.id, r)] = rc
			}
		}
		return ci
	}
	for _, st := range sd.states {
		if st.kind == stComposite {
			addCluster(st)
		}
	}

	// States become nodes.
	var laid []*stLaid
	nodeOf := map[string]int{}
	for _, st := range sd.states {
		if st.kind == stComposite {
			continue
		}
		l := &stLaid{st: st, style: sd.styleOf(st), g: len(g.nodes)}
		n := &gNode{cluster: -1}
		if st.parent != nil && st.parent.kind == stComposite {
			n.cluster = sd.containerCluster(st, addCluster, regionCluster)
		}
		switch st.kind {
		case stStart, stEnd:
			n.w, n.h, n.shape = startDiam, startDiam, "circle"
		case stChoice:
			n.w, n.h, n.shape = choiceSize, choiceSize, "diamond"
		case stFork, stJoin:
			n.w, n.h = forkLong, forkShort
			if horiz {
				n.w, n.h = forkShort, forkLong
			}
		default:
			l.name = newLabel(sd.displayName(st), fontSize, 0)
			if l.style.bold || l.style.italic {
				restyle(l.name, l.style.bold, l.style.italic)
			}
			w, h := l.name.w, l.name.h
			if len(st.descs) > 0 {
				l.desc = newLabel(strings.ReplaceAll(strings.Join(st.descs, "<br/>"), `\n`, "<br/>"), fontSize*0.9, 0)
				w = max(w, l.desc.w)
				h += l.desc.h + statePadY
			}
			n.w, n.h = max(w+2*statePadX, stateMinW), h+2*statePadY
		}
		nodeOf[st.id] = len(g.nodes)
		g.nodes = append(g.nodes, n)
		laid = append(laid, l)
	}
	// Notes become nodes beside their state, on its rank.
	type noteLaid struct {
		n     *stNote
		lbl   *label
		node  int
		state int
	}
	var notes []noteLaid
	for _, n := range sd.notes {
		lbl := newLabel(strings.ReplaceAll(n.text, "\n", "<br/>"), fontSize*0.9, 0)
		gn := &gNode{w: lbl.w + 2*notePad, h: lbl.h + 2*notePad}
		if n.target == "" {
			gn.cluster = -1
			if n.floating != nil {
				gn.cluster = clusterOf[n.floating]
			}
			notes = append(notes, noteLaid{n, lbl, len(g.nodes), -1})
			g.nodes = append(g.nodes, gn)
			continue
		}
		st := sd.byID[n.target]
		target, ok := nodeOf[st.id]
		if !ok {
			// A note on a composite sits beside it, outside.
			gn.cluster = -1
			if ci, ok := clusterOf[st]; ok {
				gn.cluster = g.clusters[ci].parent
			}
			notes = append(notes, noteLaid{n, lbl, len(g.nodes), -1})
			g.nodes = append(g.nodes, gn)
			continue
		}
		gn.cluster = g.nodes[target].cluster
		notes = append(notes, noteLaid{n, lbl, len(g.nodes), target})
		g.nodes = append(g.nodes, gn)
		pair := []int{target, len(g.nodes) - 1}
		e := &gEdge{from: target, to: len(g.nodes) - 1, lhead: -1, ltail: -1}
		if n.left {
			pair = []int{len(g.nodes) - 1, target}
			e.from, e.to = e.to, e.from
		}
		g.sameRank = append(g.sameRank, pair)
		e.invisible = true
		g.edges = append(g.edges, e)
	}
	nNoteEdges := len(g.edges)

	transLabels := make([]*label, len(sd.trans))
	for i, t := range sd.trans {
		e := &gEdge{minlen: 1, lhead: -1, ltail: -1, headRoom: true}
		end := func(id string) (int, int) {
			if n, ok := nodeOf[id]; ok {
				return n, -1
			}
			ci := clusterOf[sd.byID[id]]
			return g.rep(ci), ci
		}
		var fc, tc int
		e.from, fc = end(t.from)
		e.to, tc = end(t.to)
		if fc >= 0 && !(e.to >= 0 && isWithin(g, g.nodes[e.to].cluster, fc)) {
			e.ltail = fc
		}
		if tc >= 0 && !(e.from >= 0 && isWithin(g, g.nodes[e.from].cluster, tc)) {
			e.lhead = tc
		}
		if t.label != "" {
			l := newLabel(t.label, fontSize, 0)
			if !l.empty() {
				transLabels[i] = l
				e.lw, e.lh = l.w+4, l.h
			}
		}
		g.edges = append(g.edges, e)
	}

	if err := g.layout(); err != nil {
		return nil, err
	}

	b := &builder{}
	for ci, c := range g.clusters {
		st := clusterState[ci]
		style := sd.styleOf(st)
		if clusterRegion[ci] {
			b.path(rectPath(c.x0, c.y0, c.x1-c.x0, c.y1-c.y0, 0), Paint{Stroke: ptr(th.nodeStroke), Width: stateStroke, Dash: []float64{4, 3}})
			continue
		}
		fill, stroke := ptr(th.nodeFill), ptr(th.nodeStroke)
		if style.fill != nil || style.fillNone {
			fill = style.fill
		}
		if style.stroke != nil || style.strokeNone {
			stroke = style.stroke
		}
		w, h := c.x1-c.x0, c.y1-c.y0
		b.path(rectPath(c.x0, c.y0, w, h, 5), Paint{Fill: fill, Stroke: stroke, Width: orDefault(style.width, stateStroke)})
		tl := clusterTitle[ci]
		top := tl.h + compositePad
		b.path(rectPath(c.x0+compositePad, c.y0+top, w-2*compositePad, h-top-compositePad, 0), Paint{Fill: ptr(colCompositeBg), Stroke: stroke, Width: 0.5})
		col := th.nodeText
		if style.color != nil {
			col = *style.color
		}
		b.text(tl, (c.x0+c.x1)/2, c.y0+compositePad/2, col, Middle)
	}
	for i := nNoteEdges; i < len(g.edges); i++ {
		e := g.edges[i]
		if len(e.pts) < 2 {
			continue
		}
		b.path(bezierPath(e.pts), Paint{Stroke: ptr(th.line), Width: stateStroke})
		tip := e.pts[len(e.pts)-1]
		if e.headTip != nil {
			tip = *e.headTip
		}
		b.arrowhead(tip, e.pts[len(e.pts)-1], arrowLen, arrowLen/2, th.line)
	}
	for _, nl := range notes {
		// A dashed line ties a note to its state.
		n := g.nodes[nl.node]
		var tx, ty float64
		if nl.n.target == "" {
			continue
		}
		if nl.state >= 0 {
			t := g.nodes[nl.state]
			tx, ty = t.x, t.y
		} else if ci, ok := clusterOf[sd.byID[nl.n.target]]; ok {
			c := g.clusters[ci]
			tx, ty = min(max(n.x, c.x0), c.x1), min(max(n.y, c.y0), c.y1)
		} else {
			continue
		}
		b.line(n.x, n.y, tx, ty, Paint{Stroke: ptr(th.noteStroke), Width: strokeThin, Dash: []float64{3, 3}})
	}
	for _, nl := range notes {
		n := g.nodes[nl.node]
		x, y := n.x-n.w/2, n.y-n.h/2
		b.path(rectPath(x, y, n.w, n.h, 0), Paint{Fill: ptr(th.noteFill), Stroke: ptr(th.noteStroke), Width: strokeThin})
		b.text(nl.lbl, n.x, n.y-nl.lbl.h/2, th.noteText, Middle)
	}
	for _, l := range laid {
		n := g.nodes[l.g]
		x, y := n.x-n.w/2, n.y-n.h/2
		fill, stroke := ptr(th.nodeFill), ptr(th.nodeStroke)
		if l.style.fill != nil || l.style.fillNone {
			fill = l.style.fill
		}
		if l.style.stroke != nil || l.style.strokeNone {
			stroke = l.style.stroke
		}
		paint := Paint{Fill: fill, Stroke: stroke, Width: orDefault(l.style.width, stateStroke), Dash: l.style.dash}
		col := th.nodeText
		if l.style.color != nil {
			col = *l.style.color
		}
		switch l.st.kind {
		case stStart:
			c := th.line
			if l.style.fill != nil {
				c = *l.style.fill
			}
			b.path(ellipsePath(n.x, n.y, n.w/2, n.h/2), Paint{Fill: ptr(c), Stroke: ptr(c), Width: 1})
		case stEnd:
			c := th.line
			if l.style.fill != nil {
				c = *l.style.fill
			}
			b.path(ellipsePath(n.x, n.y, n.w/2, n.h/2), Paint{Fill: ptr(colWhite), Stroke: ptr(c), Width: 1.5})
			b.path(ellipsePath(n.x, n.y, n.w/2-3, n.h/2-3), Paint{Fill: ptr(c)})
		case stChoice:
			b.path(polygon(Point{n.x, y}, Point{x + n.w, n.y}, Point{n.x, y + n.h}, Point{x, n.y}), paint)
		case stFork, stJoin:
			c := th.line
			if l.style.fill != nil {
				c = *l.style.fill
			}
			b.path(rectPath(x, y, n.w, n.h, 1.5), Paint{Fill: ptr(c)})
		default:
			b.path(rectPath(x, y, n.w, n.h, 5), paint)
			if l.desc == nil {
				b.text(l.name, n.x, n.y-l.name.h/2, col, Middle)
				break
			}
			b.text(l.name, n.x, y+statePadY, col, Middle)
			ly := y + statePadY + l.name.h + statePadY/2
			b.line(x, ly, x+n.w, ly, Paint{Stroke: stroke, Width: paint.Width})
			b.text(l.desc, n.x, ly+statePadY/2, col, Middle)
		}
	}
	for i, l := range transLabels {
		e := g.edges[nNoteEdges+i]
		if l == nil {
			continue
		}
		b.path(rectPath(e.lx-e.lw/2, e.ly-e.lh/2, e.lw, e.lh, 0), Paint{Fill: ptr(th.labelBg)})
		b.text(l, e.lx, e.ly-l.h/2, th.text, Middle)
	}
	d := finish(b, g.width, g.height, sd.doc, "state")
	d.Alt = sd.alt(transLabels)
	return d, nil
}

// containerCluster returns the cluster a state of a composite sits in: the
// composite's, or its region's when it has several.
func (sd *stateDiagram) containerCluster(st *stState, add func(*stState) int, regions map[string]int) int {
	p := st.parent
	ci := add(p)
	if p.regions > 1 {
		if rc, ok := regions[fmt.Sprintf("%s#%d", p.id, st.region)]; ok {
			return rc
		}
	}
	return ci
}

// displayName is a state's name, where "\n" breaks lines as in mermaid.
func (sd *stateDiagram) displayName(st *stState) string {
	if st.name != "" {
		return strings.ReplaceAll(st.name, `\n`, "<br/>")
	}
	return st.id
}

// alt describes the transitions from each state.
func (sd *stateDiagram) alt(labels []*label) string {
	name := func(id string) string {
		st := sd.byID[id]
		switch st.kind {
		case stStart:
			return "start"
		case stEnd:
			return "end"
		}
		return oneLine(sd.displayName(st))
	}
	var order []string
	out := map[string][]int{}
	for i, t := range sd.trans {
		if _, ok := out[t.from]; !ok {
			order = append(order, t.from)
		}
		out[t.from] = append(out[t.from], i)
	}
	var parts []string
	for _, from := range order {
		var ts []string
		for _, i := range out[from] {
			t := sd.trans[i]
			s := "→ " + name(t.to)
			if labels[i] != nil {
				s += " (" + labels[i].plain() + ")"
			}
			ts = append(ts, s)
		}
		parts = append(parts, name(from)+" "+strings.Join(ts, ", "))
	}
	for _, n := range sd.notes {
		if n.target == "" {
			parts = append(parts, "Note: "+oneLine(strings.ReplaceAll(n.text, "\n", " ")))
			continue
		}
		parts = append(parts, "Note on "+name(n.target)+": "+oneLine(strings.ReplaceAll(n.text, "\n", " ")))
	}
	return altText(sd.doc, "State diagram", parts)
}
