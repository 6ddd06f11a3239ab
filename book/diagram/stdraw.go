package diagram

import (
	"fmt"
	"strings"

	"github.com/bindery-books/bindery/book/font"
)

// State diagram sizes, points.
const (
	statePadX    = 12.0
	statePadY    = 6.0
	stateMinW    = 40.0
	startDiam    = 14.0
	choiceSize   = 24.0
	historyDiam  = 26.0
	forkLong     = 52.0
	forkShort    = 7.5
	notePad      = 8.0
	stateStroke  = 1.0
	compositePad = 4.0
	noteWrap     = 160.0 // notes wrap here, so that they do not widen a rank
	loopRoom     = 18.0  // how far a self-loop reaches out of its state
)

type stLaid struct {
	st    *stState
	name  *label
	desc  *label
	style css
	g     int // node index, -1 for composites
}

// stNoteLaid is a note and the node that holds its place.
type stNoteLaid struct {
	n     *stNote
	lbl   *label
	node  int
	state int // the node of the state it is about, or -1
}

// stLoop is a transition from a state to itself: dot is given a node
// beside the state that reserves room for the loop and its label inside
// the state's composite, and the loop is drawn around it.
type stLoop struct {
	trans int // index in stateDiagram.trans
	state int // the state's node
	node  int // the room beside it
	lbl   *label
}

// stLayout is the part of a state diagram that one run of dot lays out:
// the whole diagram, or a composite state with a direction of its own
// that no transition crosses, laid out apart and placed in its parent as
// one node (a box), as mermaid does.
type stLayout struct {
	sd    *stateDiagram
	th    *theme
	root  *stState // the composite laid out apart; nil for the whole diagram
	g     *graph
	horiz bool
	boxes []*stBox

	clusterOf     map[*stState]int
	regionCluster map[string]int // composite id#region → cluster
	clusterTitle  []*label
	clusterState  []*stState
	clusterRegion []bool

	laid   []*stLaid
	nodeOf map[string]int
	notes  []stNoteLaid
	loops  []stLoop

	transEdge   map[int]int // edge index of each transition drawn here, -1 for self-loops
	transLabels []*label    // by transition, shared by every layout of the diagram
}

// stBox is a composite state laid out apart.
type stBox struct {
	l    *stLayout
	node int // in the parent's g.nodes
	b    *builder
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
	sd.chooseBoxes()
	labels := make([]*label, len(sd.trans))
	for i, t := range sd.trans {
		if t.label != "" {
			if lb := newLabel(t.label, fontSize, 0); !lb.empty() {
				labels[i] = lb
			}
		}
	}
	l := sd.newLayout(nil, sd.dir, newTheme(sd.doc.theme), labels)
	b, err := l.lay()
	if err != nil {
		return nil, err
	}
	d := finish(b, l.g.width, l.g.height, sd.doc, "state")
	d.Alt = sd.alt(labels)
	return d, nil
}

func (sd *stateDiagram) newLayout(root *stState, dir string, th *theme, labels []*label) *stLayout {
	return &stLayout{
		sd: sd, th: th, root: root, horiz: dir == "LR" || dir == "RL", transLabels: labels,
		g:         &graph{rankdir: dir, nodesep: nodeSep * 0.8, ranksep: rankSep},
		clusterOf: map[*stState]int{}, regionCluster: map[string]int{}, nodeOf: map[string]int{},
		transEdge: map[int]int{},
	}
}

// lay lays out the boxes, then the layout, and draws it at the origin.
func (l *stLayout) lay() (*builder, error) {
	if l.root != nil {
		l.addCluster(l.root)
	}
	for _, st := range l.sd.states {
		if st.kind != stComposite || st == l.root || l.sd.scopeOf(st) != l.root {
			continue
		}
		if st.boxed {
			if err := l.addBox(st); err != nil {
				return nil, err
			}
			continue
		}
		l.addCluster(st)
	}
	l.addStates()
	l.addNotes()
	l.addTransitions()
	if err := l.g.layout(); err != nil {
		return nil, err
	}
	b := &builder{}
	l.paintClusters(b)
	l.paintTransitions(b)
	l.paintNotes(b)
	for _, s := range l.laid {
		l.paintState(b, s)
	}
	for _, bx := range l.boxes {
		n := l.g.nodes[bx.node]
		bx.b.translate(n.x-n.w/2, n.y-n.h/2)
		b.ops = append(b.ops, bx.b.ops...)
		b.group += bx.b.group
	}
	l.paintLabels(b)
	if l.root != nil {
		l.g.cropTo(b, 0)
	}
	return b, nil
}

// addBox lays a composite out apart and makes it a node.
func (l *stLayout) addBox(st *stState) error {
	inner := l.sd.newLayout(st, st.dir, l.th, l.transLabels)
	b, err := inner.lay()
	if err != nil {
		return err
	}
	n := &gNode{w: inner.g.width, h: inner.g.height, cluster: -1}
	if st.parent != nil {
		n.cluster = l.container(st)
	}
	l.nodeOf[st.id] = len(l.g.nodes)
	l.boxes = append(l.boxes, &stBox{l: inner, node: len(l.g.nodes), b: b})
	l.g.nodes = append(l.g.nodes, n)
	return nil
}

// chooseBoxes decides which composites are laid out apart: those with a
// direction other than the one they would inherit, which no transition
// crosses.
func (sd *stateDiagram) chooseBoxes() {
	eff := map[*stState]string{}
	var dirOf func(st *stState) string
	dirOf = func(st *stState) string {
		if st == nil {
			return sd.dir
		}
		if d, ok := eff[st]; ok {
			return d
		}
		d := dirOf(st.parent)
		if st.kind == stComposite && st.dir != "" && st.dir != d && sd.isolated(st) {
			st.boxed, d = true, st.dir
		}
		eff[st] = d
		return d
	}
	for _, st := range sd.states {
		dirOf(st)
	}
}

// isolated reports whether every transition that touches a state inside
// composite c has both ends inside it.
func (sd *stateDiagram) isolated(c *stState) bool {
	inside := func(id string) bool {
		for p := sd.byID[id].parent; p != nil; p = p.parent {
			if p == c {
				return true
			}
		}
		return false
	}
	for _, t := range sd.trans {
		if inside(t.from) != inside(t.to) {
			return false
		}
	}
	for _, n := range sd.notes {
		if n.target != "" && inside(n.target) != (n.floating == c) && n.floating != nil {
			return false
		}
	}
	return true
}

// noteScope returns the boxed composite a note is laid out in.
func (sd *stateDiagram) noteScope(n *stNote) *stState {
	if n.target != "" {
		return sd.scopeOf(sd.byID[n.target])
	}
	if n.floating == nil || n.floating.boxed {
		return n.floating
	}
	return sd.scopeOf(n.floating)
}

// scopeOf returns the boxed composite a state is laid out in, nil for the
// whole diagram.
func (sd *stateDiagram) scopeOf(st *stState) *stState {
	p := st.parent
	for ; p != nil && !p.boxed; p = p.parent {
	}
	return p
}

// addCluster makes a composite state (and each of its concurrent regions)
// a cluster.
func (l *stLayout) addCluster(st *stState) int {
	if ci, ok := l.clusterOf[st]; ok {
		return ci
	}
	parent := -1
	if st != l.root && st.parent != nil && st.parent.kind == stComposite {
		parent = l.container(st)
	}
	t := newLabel(l.sd.displayName(st), fontSize, 0)
	ci := len(l.g.clusters)
	l.g.clusters = append(l.g.clusters, &gCluster{parent: parent, lw: t.w + 16, lh: t.h + compositePad})
	l.clusterTitle = append(l.clusterTitle, t)
	l.clusterState = append(l.clusterState, st)
	l.clusterRegion = append(l.clusterRegion, false)
	l.clusterOf[st] = ci
	if st.regions > 1 {
		for r := 0; r < st.regions; r++ {
			rc := len(l.g.clusters)
			l.g.clusters = append(l.g.clusters, &gCluster{parent: ci})
			l.clusterTitle = append(l.clusterTitle, nil)
			l.clusterState = append(l.clusterState, st)
			l.clusterRegion = append(l.clusterRegion, true)
			l.regionCluster[fmt.Sprintf("%s#%d", st.id, r)] = rc
		}
	}
	return ci
}

// container returns the cluster a state of a composite sits in: the
// composite's, or its region's when it has several.
func (l *stLayout) container(st *stState) int {
	p := st.parent
	ci := l.addCluster(p)
	if p.regions > 1 {
		if rc, ok := l.regionCluster[fmt.Sprintf("%s#%d", p.id, st.region)]; ok {
			return rc
		}
	}
	return ci
}

// addStates makes every state that is not a composite a node.
func (l *stLayout) addStates() {
	for _, st := range l.sd.states {
		if st.kind == stComposite || l.sd.scopeOf(st) != l.root {
			continue
		}
		s := &stLaid{st: st, style: l.sd.styleOf(st), g: len(l.g.nodes)}
		n := &gNode{cluster: -1}
		if st.parent != nil && st.parent.kind == stComposite {
			n.cluster = l.container(st)
		}
		switch st.kind {
		case stStart, stEnd:
			n.w, n.h, n.shape = startDiam, startDiam, "circle"
		case stChoice:
			n.w, n.h, n.shape = choiceSize, choiceSize, "diamond"
		case stHistory:
			n.w, n.h, n.shape = historyDiam, historyDiam, "circle"
		case stFork, stJoin:
			n.w, n.h = forkLong, forkShort
			if l.horiz {
				n.w, n.h = forkShort, forkLong
			}
		default:
			n.w, n.h = l.measureState(s)
		}
		l.nodeOf[st.id] = len(l.g.nodes)
		l.g.nodes = append(l.g.nodes, n)
		l.laid = append(l.laid, s)
	}
}

// measureState sets the labels of a plain state and returns its size.
func (l *stLayout) measureState(s *stLaid) (float64, float64) {
	s.name = newLabel(l.sd.displayName(s.st), fontSize, 0)
	if s.style.bold || s.style.italic {
		restyle(s.name, s.style.bold, s.style.italic)
	}
	w, h := s.name.w, s.name.h
	if len(s.st.descs) > 0 {
		s.desc = newLabel(strings.ReplaceAll(strings.Join(s.st.descs, "<br/>"), `\n`, "<br/>"), fontSize*0.9, 0)
		w = max(w, s.desc.w)
		h += s.desc.h + statePadY
	}
	return max(w+2*statePadX, stateMinW), h + 2*statePadY
}

// beside puts node n on the rank of node target, on its right (or left),
// tied to it by an invisible edge.
func (l *stLayout) beside(target, n int, left bool) {
	pair := []int{target, n}
	e := &gEdge{from: target, to: n, invisible: true}
	if left {
		pair = []int{n, target}
		e.from, e.to = e.to, e.from
	}
	l.g.sameRank = append(l.g.sameRank, pair)
	l.g.edges = append(l.g.edges, e)
}

// addNotes makes notes nodes beside their states, on their ranks.
func (l *stLayout) addNotes() {
	for _, n := range l.sd.notes {
		if l.sd.noteScope(n) != l.root {
			continue
		}
		lbl := wrappedLabel(strings.ReplaceAll(n.text, "\n", "<br/>"), fontSize*0.9, noteWrap)
		gn := &gNode{w: lbl.w + 2*notePad, h: lbl.h + 2*notePad, cluster: -1}
		nl := stNoteLaid{n: n, lbl: lbl, node: len(l.g.nodes), state: -1}
		l.g.nodes = append(l.g.nodes, gn)
		if n.target == "" {
			if n.floating != nil {
				gn.cluster = l.clusterOf[n.floating]
			}
			l.notes = append(l.notes, nl)
			continue
		}
		st := l.sd.byID[n.target]
		target, ok := l.nodeOf[st.id]
		if !ok {
			// A note on a composite sits beside it, outside.
			if ci, ok := l.clusterOf[st]; ok {
				gn.cluster = l.g.clusters[ci].parent
			}
			l.notes = append(l.notes, nl)
			continue
		}
		gn.cluster = l.g.nodes[target].cluster
		nl.state = target
		l.notes = append(l.notes, nl)
		l.beside(target, nl.node, n.left)
	}
}

// addTransitions makes transitions edges, and self-loops room beside their
// states.
func (l *stLayout) addTransitions() {
	for i, t := range l.sd.trans {
		if l.sd.scopeOf(l.sd.byID[t.from]) != l.root || l.sd.scopeOf(l.sd.byID[t.to]) != l.root {
			continue
		}
		lbl := l.transLabels[i]
		if n, ok := l.nodeOf[t.from]; ok && t.from == t.to {
			l.addLoop(i, n, lbl)
			l.transEdge[i] = -1
			continue
		}
		e := &gEdge{minlen: 1, headRoom: true}
		e.from, e.fromCl = l.end(t.from)
		e.to, e.toCl = l.end(t.to)
		if lbl != nil {
			e.lw, e.lh = lbl.w+4, lbl.h
		}
		l.transEdge[i] = len(l.g.edges)
		l.g.edges = append(l.g.edges, e)
	}
}

// addLoop reserves room for a self-loop beside its state: across the flow
// (right of the state top to bottom, below it left to right).
func (l *stLayout) addLoop(trans, state int, lbl *label) {
	w, h := loopRoom, 2*loopRoom
	if l.horiz {
		w, h = 2*loopRoom, loopRoom
	}
	if lbl != nil {
		if l.horiz {
			w, h = max(w, lbl.w+4), h+lbl.h
		} else {
			w, h = w+lbl.w+4, max(h, lbl.h+4)
		}
	}
	n := len(l.g.nodes)
	l.g.nodes = append(l.g.nodes, &gNode{w: w, h: h, cluster: l.g.nodes[state].cluster})
	l.loops = append(l.loops, stLoop{trans: trans, state: state, node: n, lbl: lbl})
	l.beside(state, n, false)
}

// end returns a transition end as a node, or as the cluster of a composite.
func (l *stLayout) end(id string) (node, cluster int) {
	if n, ok := l.nodeOf[id]; ok {
		return n, -1
	}
	return -1, l.clusterOf[l.sd.byID[id]]
}

// paintClusters paints composite states with their titles, and the dashed
// borders of concurrent regions.
func (l *stLayout) paintClusters(b *builder) {
	for ci, c := range l.g.clusters {
		if l.clusterRegion[ci] {
			b.path(rectPath(c.x0, c.y0, c.x1-c.x0, c.y1-c.y0, 0), Paint{Stroke: ptr(l.th.nodeStroke), Width: stateStroke, Dash: []float64{4, 3}})
			continue
		}
		style := l.sd.styleOf(l.clusterState[ci])
		fill, stroke := ptr(l.th.nodeFill), ptr(l.th.nodeStroke)
		if style.fill != nil || style.fillNone {
			fill = style.fill
		}
		if style.stroke != nil || style.strokeNone {
			stroke = style.stroke
		}
		w, h := c.x1-c.x0, c.y1-c.y0
		b.path(rectPath(c.x0, c.y0, w, h, 5), Paint{Fill: fill, Stroke: stroke, Width: orDefault(style.width, stateStroke)})
		tl := l.clusterTitle[ci]
		top := tl.h + compositePad
		b.path(rectPath(c.x0+compositePad, c.y0+top, w-2*compositePad, h-top-compositePad, 0), Paint{Fill: ptr(colCompositeBg), Stroke: stroke, Width: 0.5})
		col := l.th.nodeText
		if style.color != nil {
			col = *style.color
		}
		l.sd.doc.checkContrast(style, fill, col, fmt.Sprintf("state %q", l.clusterState[ci].id))
		b.text(tl, (c.x0+c.x1)/2, c.y0+compositePad/2, col, Middle)
	}
}

// paintTransitions paints the transitions with their arrowheads, and the
// self-loops.
func (l *stLayout) paintTransitions(b *builder) {
	line := Paint{Stroke: ptr(l.th.line), Width: stateStroke}
	for i := range l.sd.trans {
		ei, ok := l.transEdge[i]
		if !ok || ei < 0 {
			continue
		}
		e := l.g.edges[ei]
		if len(e.pts) < 2 {
			continue
		}
		b.path(bezierPath(e.pts), line)
		tip := e.pts[len(e.pts)-1]
		if e.headTip != nil {
			tip = *e.headTip
		}
		b.arrowhead(tip, e.pts[len(e.pts)-1], arrowLen, arrowLen/2, l.th.line)
	}
	for _, lp := range l.loops {
		l.paintLoop(b, lp, line)
	}
}

// paintLoop draws a self-loop out of the side of its state that faces its
// room, with the label in the room.
func (l *stLayout) paintLoop(b *builder, lp stLoop, line Paint) {
	s, r := l.g.nodes[lp.state], l.g.nodes[lp.node]
	var pb pathBuilder
	if l.horiz {
		// Out of the bottom (or top) of the state and back.
		dir := 1.0
		if r.y < s.y {
			dir = -1
		}
		y0 := s.y + dir*s.h/2
		x0, x1 := s.x-min(s.w/4, 10), s.x+min(s.w/4, 10)
		reach := y0 + dir*loopRoom
		pb.move(x0, y0).cubic(x0-6, reach, x1+6, reach, x1, y0+dir*arrowLen)
		b.path(pb.p, line)
		b.arrowhead(Point{x1, y0}, Point{x1, y0 + dir*arrowLen}, arrowLen, arrowLen/2, l.th.line)
		if lp.lbl != nil {
			top := reach + 2
			if dir < 0 {
				top = reach - 2 - lp.lbl.h
			}
			l.labelAt(b, lp.lbl, s.x, top)
		}
		return
	}
	dir := 1.0
	if r.x < s.x {
		dir = -1
	}
	x0 := s.x + dir*s.w/2
	y0, y1 := s.y-min(s.h/4, 10), s.y+min(s.h/4, 10)
	reach := x0 + dir*loopRoom
	pb.move(x0, y0).cubic(reach, y0-6, reach, y1+6, x0+dir*arrowLen, y1)
	b.path(pb.p, line)
	b.arrowhead(Point{x0, y1}, Point{x0 + dir*arrowLen, y1}, arrowLen, arrowLen/2, l.th.line)
	if lp.lbl != nil {
		cx := reach + 2 + lp.lbl.w/2 + 2
		if dir < 0 {
			cx = reach - 2 - lp.lbl.w/2 - 2
		}
		l.labelAt(b, lp.lbl, cx, s.y-lp.lbl.h/2)
	}
}

// labelAt paints a transition label on its background, centred on cx.
func (l *stLayout) labelAt(b *builder, lbl *label, cx, top float64) {
	b.path(rectPath(cx-lbl.w/2-2, top, lbl.w+4, lbl.h, 0), Paint{Fill: ptr(l.th.labelBg)})
	b.text(lbl, cx, top, l.th.text, Middle)
}

// paintNotes paints the notes and the dashed lines that tie them to their
// states.
func (l *stLayout) paintNotes(b *builder) {
	for _, nl := range l.notes {
		n := l.g.nodes[nl.node]
		if nl.n.target == "" {
			continue
		}
		var tx, ty float64
		if nl.state >= 0 {
			t := l.g.nodes[nl.state]
			tx, ty = t.x, t.y
		} else if ci, ok := l.clusterOf[l.sd.byID[nl.n.target]]; ok {
			c := l.g.clusters[ci]
			tx, ty = min(max(n.x, c.x0), c.x1), min(max(n.y, c.y0), c.y1)
		} else {
			continue
		}
		b.line(n.x, n.y, tx, ty, Paint{Stroke: ptr(l.th.noteStroke), Width: strokeThin, Dash: []float64{3, 3}})
	}
	for _, nl := range l.notes {
		n := l.g.nodes[nl.node]
		x, y := n.x-n.w/2, n.y-n.h/2
		b.path(rectPath(x, y, n.w, n.h, 0), Paint{Fill: ptr(l.th.noteFill), Stroke: ptr(l.th.noteStroke), Width: strokeThin})
		b.text(nl.lbl, n.x, n.y-nl.lbl.h/2, l.th.noteText, Middle)
	}
}

// paintState paints a state in the shape of its kind.
func (l *stLayout) paintState(b *builder, s *stLaid) {
	n := l.g.nodes[s.g]
	x, y := n.x-n.w/2, n.y-n.h/2
	fill, stroke := ptr(l.th.nodeFill), ptr(l.th.nodeStroke)
	if s.style.fill != nil || s.style.fillNone {
		fill = s.style.fill
	}
	if s.style.stroke != nil || s.style.strokeNone {
		stroke = s.style.stroke
	}
	paint := Paint{Fill: fill, Stroke: stroke, Width: orDefault(s.style.width, stateStroke), Dash: s.style.dash}
	dark := l.th.line
	if s.style.fill != nil {
		dark = *s.style.fill
	}
	switch s.st.kind {
	case stStart:
		b.path(ellipsePath(n.x, n.y, n.w/2, n.h/2), Paint{Fill: ptr(dark), Stroke: ptr(dark), Width: 1})
	case stEnd:
		b.path(ellipsePath(n.x, n.y, n.w/2, n.h/2), Paint{Fill: ptr(colWhite), Stroke: ptr(dark), Width: 1.5})
		b.path(ellipsePath(n.x, n.y, n.w/2-3, n.h/2-3), Paint{Fill: ptr(dark)})
	case stChoice:
		b.path(polygon(Point{n.x, y}, Point{x + n.w, n.y}, Point{n.x, y + n.h}, Point{x, n.y}), paint)
	case stHistory:
		b.path(ellipsePath(n.x, n.y, n.w/2, n.h/2), paint)
		h := "H"
		if s.st.deep {
			h = "H*"
		}
		t := plainLabel(h, fontSize, font.Bold)
		b.text(t, n.x, n.y-t.h/2, l.th.nodeText, Middle)
	case stFork, stJoin:
		b.path(rectPath(x, y, n.w, n.h, 1.5), Paint{Fill: ptr(dark)})
	default:
		col := l.th.nodeText
		if s.style.color != nil {
			col = *s.style.color
		}
		l.sd.doc.checkContrast(s.style, fill, col, fmt.Sprintf("state %q", s.st.id))
		b.path(rectPath(x, y, n.w, n.h, 5), paint)
		if s.desc == nil {
			b.text(s.name, n.x, n.y-s.name.h/2, col, Middle)
			break
		}
		b.text(s.name, n.x, y+statePadY, col, Middle)
		ly := y + statePadY + s.name.h + statePadY/2
		b.line(x, ly, x+n.w, ly, Paint{Stroke: stroke, Width: paint.Width})
		b.text(s.desc, n.x, ly+statePadY/2, col, Middle)
	}
}

// paintLabels paints the labels of the transitions that are edges.
func (l *stLayout) paintLabels(b *builder) {
	for i, lbl := range l.transLabels {
		ei, ok := l.transEdge[i]
		if lbl == nil || !ok || ei < 0 {
			continue
		}
		e := l.g.edges[ei]
		b.path(rectPath(e.lx-e.lw/2, e.ly-e.lh/2, e.lw, e.lh, 0), Paint{Fill: ptr(l.th.labelBg)})
		b.text(lbl, e.lx, e.ly-lbl.h/2, l.th.text, Middle)
	}
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
		case stHistory:
			if st.deep {
				return "deep history"
			}
			return "history"
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
